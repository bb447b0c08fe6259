/*
 * viraccessdriverreadonly.c: the "readonly" access driver.
 *
 * On a read-only connection (the read-only UNIX socket, or a client that
 * asked for read-only) it denies every permission that is not marked safe
 * in viraccessperm.def (getattr, read, search_*); otherwise it allows, and
 * leaves the real decision to the drivers stacked after it.
 */
#include <config.h>

#include "viraccessregistry.h"

static int
virAccessDriverReadonlyDecide(const virIdentity *id, virAccessPerm perm, virAccessReason *why)
{
    if (!virIdentityGetReadOnly(id)) {
        virAccessReasonSet(why, "read-write connection");
        return 1;
    }
    if (virAccessPermFlagsOf(perm) & VIR_ACCESS_PERM_SAFE) {
        virAccessReasonSet(why, "read-only connection, permission changes nothing");
        return 1;
    }
    virAccessReasonSet(why, "read-only connection");
    return 0;
}

static int
virAccessDriverReadonlyCheckConnect(void *priv, const virIdentity *id, const char *driverName,
                                    virAccessPerm perm, virAccessReason *why)
{
    return virAccessDriverReadonlyDecide(id, perm, why);
}

static int
virAccessDriverReadonlyCheckDomain(void *priv, const virIdentity *id, const char *driverName,
                                   const virDomainDef *def, virAccessPerm perm,
                                   virAccessReason *why)
{
    return virAccessDriverReadonlyDecide(id, perm, why);
}

/* The answer never depends on the domain: one decision for the whole list. */
static int
virAccessDriverReadonlyPrepareDomainList(void *priv, const virIdentity *id,
                                         const char *driverName, virAccessPerm perm,
                                         virAccessDriverDomainList *list,
                                         virAccessReason *why)
{
    return virAccessDriverReadonlyDecide(id, perm, why) ? VIR_ACCESS_LIST_ALLOW_ALL
                                                        : VIR_ACCESS_LIST_DENY_ALL;
}

const virAccessDriver virAccessDriverReadonly = {
    .name = "readonly",
    .checkConnect = virAccessDriverReadonlyCheckConnect,
    .checkDomain = virAccessDriverReadonlyCheckDomain,
    .prepareDomainList = virAccessDriverReadonlyPrepareDomainList,
};
