/*
 * viraccessdrivernop.c: the "nop" access driver, which allows everything.
 *
 * The default for in-process connections, where the caller could touch the
 * hypervisor directly anyway; a daemon serving tenants must not use it alone.
 */
#include <config.h>

#include "viraccessregistry.h"

static int
virAccessDriverNopCheckConnect(void *priv, const virIdentity *id, const char *driverName,
                               virAccessPerm perm, virAccessReason *why)
{
    virAccessReasonSet(why, "nop allows everything");
    return 1;
}

static int
virAccessDriverNopCheckDomain(void *priv, const virIdentity *id, const char *driverName,
                              const virDomainDef *def, virAccessPerm perm,
                              virAccessReason *why)
{
    virAccessReasonSet(why, "nop allows everything");
    return 1;
}

static int
virAccessDriverNopPrepareDomainList(void *priv, const virIdentity *id, const char *driverName,
                                    virAccessPerm perm, virAccessDriverDomainList *list,
                                    virAccessReason *why)
{
    virAccessReasonSet(why, "nop allows everything");
    return VIR_ACCESS_LIST_ALLOW_ALL;
}

const virAccessDriver virAccessDriverNop = {
    .name = "nop",
    .checkConnect = virAccessDriverNopCheckConnect,
    .checkDomain = virAccessDriverNopCheckDomain,
    .prepareDomainList = virAccessDriverNopPrepareDomainList,
};
