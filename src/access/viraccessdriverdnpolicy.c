/*
 * viraccessdriverdnpolicy.c: the "dnpolicy" access driver.
 *
 * Decides with a rule table (viraccesspolicy.h) loaded at init from
 * access_dnpolicy_file plus the inline tls_restrict_dn and
 * sasl_restrict_username lists of tenvirtd.conf. The table is immutable
 * after init, so checks need no lock; a reload builds a new driver
 * instance (see viraccessmanager.h) and an error in the new policy leaves
 * the old one in force.
 */
#include <config.h>

#include "viraccesspolicy.h"
#include "viraccessmanager.h"
#include "viraccessregistry.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

VIR_LOG_INIT("access.dnpolicy");

typedef struct {
    virAccessPolicy *policy;
} virAccessDriverDnpolicyPrivate;

static int
virAccessDriverDnpolicyInit(void *opaque, const virAccessConfig *conf)
{
    virAccessDriverDnpolicyPrivate *priv = opaque;
    virAccessPolicySource src = { 0 };

    if (!conf || (!conf->dnpolicyFile &&
                  virStringListLength(conf->tlsRestrictDN) == 0 &&
                  virStringListLength(conf->saslRestrictUsername) == 0)) {
        /* An empty table would deny everything; far more likely the
         * configuration forgot to name the policy. */
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s",
                       "the dnpolicy access driver needs access_dnpolicy_file, "
                       "tls_restrict_dn or sasl_restrict_username");
        return -1;
    }
    src.path = conf->dnpolicyFile;
    src.tlsRestrictDN = conf->tlsRestrictDN;
    src.saslRestrictUsername = conf->saslRestrictUsername;
    src.configFile = conf->configFile;
    if (!(priv->policy = virAccessPolicyLoad(&src)))
        return -1;
    VIR_INFO("dnpolicy: %zu rules and %zu roles loaded (policy file: %s)",
             virAccessPolicyRuleCount(priv->policy), virAccessPolicyRoleCount(priv->policy),
             conf->dnpolicyFile ? conf->dnpolicyFile : "none, inline rules only");
    return 0;
}

static void
virAccessDriverDnpolicyCleanup(void *opaque)
{
    virAccessDriverDnpolicyPrivate *priv = opaque;

    virAccessPolicyFree(priv->policy);
    priv->policy = NULL;
}

static void
virAccessDriverDnpolicyReason(const virAccessPolicyRule *rule, virAccessReason *why)
{
    if (rule)
        virAccessReasonSet(why, "%s", virAccessPolicyRuleGetLocation(rule));
    else
        virAccessReasonSet(why, "no rule matched");
}

/* The one decision for every object type: the evaluator plus the reason. */
static int
virAccessDriverDnpolicyDecide(void *opaque, const virIdentity *id,
                              const virAccessObject *obj, virAccessPerm perm,
                              virAccessReason *why)
{
    virAccessDriverDnpolicyPrivate *priv = opaque;
    const virAccessPolicyRule *rule = NULL;
    int ret;

    if (!priv->policy) {
        virAccessReasonSet(why, "no policy loaded");
        return 0;
    }
    ret = virAccessPolicyDecide(priv->policy, id, obj, perm, &rule);
    if (ret < 0)
        return -1;
    if (why)
        virAccessDriverDnpolicyReason(rule, why);
    return ret;
}

static int
virAccessDriverDnpolicyCheckConnect(void *opaque, const virIdentity *id,
                                    const char *driverName, virAccessPerm perm,
                                    virAccessReason *why)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_CONNECT, .driverName = driverName };

    return virAccessDriverDnpolicyDecide(opaque, id, &obj, perm, why);
}

static int
virAccessDriverDnpolicyCheckDomain(void *opaque, const virIdentity *id,
                                   const char *driverName, const virDomainDef *def,
                                   virAccessPerm perm, virAccessReason *why)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = driverName,
                            .u.domain = def };

    return virAccessDriverDnpolicyDecide(opaque, id, &obj, perm, why);
}

static int
virAccessDriverDnpolicyCheckDomainInList(void *opaque, void *data, const virIdentity *id,
                                         const char *driverName, const virDomainDef *def,
                                         virAccessPerm perm, virAccessReason *why)
{
    const virAccessPolicyRule *rule;
    int ret = virAccessPolicyDomainListDecide(data, def, &rule);

    if (ret >= 0 && why)
        virAccessDriverDnpolicyReason(rule, why);
    return ret;
}

static void
virAccessDriverDnpolicyReleaseList(void *opaque, void *data)
{
    virAccessPolicyDomainListFree(data);
}

/* The identity's rules for @perm are looked up once per list: if the first
 * of them covers every domain (no domain=), it decides the whole list;
 * otherwise each domain is matched against those rules only. */
static int
virAccessDriverDnpolicyPrepareDomainList(void *opaque, const virIdentity *id,
                                         const char *driverName, virAccessPerm perm,
                                         virAccessDriverDomainList *list,
                                         virAccessReason *why)
{
    virAccessDriverDnpolicyPrivate *priv = opaque;
    const virAccessPolicyRule *rule;
    virAccessPolicyDomainList *candidates;
    int ret;

    if (!priv->policy) {
        virAccessReasonSet(why, "no policy loaded");
        return VIR_ACCESS_LIST_DENY_ALL;
    }
    ret = virAccessPolicyPrepareDomainList(priv->policy, id, perm, &rule, &candidates);
    if (ret == VIR_ACCESS_LIST_PER_DOMAIN) {
        list->data = candidates;
        list->checkDomain = virAccessDriverDnpolicyCheckDomainInList;
        list->release = virAccessDriverDnpolicyReleaseList;
    } else if (ret >= 0 && why) {
        virAccessDriverDnpolicyReason(rule, why);
    }
    return ret;
}

const virAccessDriver virAccessDriverDnpolicy = {
    .name = "dnpolicy",
    .privateDataLen = sizeof(virAccessDriverDnpolicyPrivate),
    .init = virAccessDriverDnpolicyInit,
    .cleanup = virAccessDriverDnpolicyCleanup,
    .checkConnect = virAccessDriverDnpolicyCheckConnect,
    .checkDomain = virAccessDriverDnpolicyCheckDomain,
    .prepareDomainList = virAccessDriverDnpolicyPrepareDomainList,
};
