/*
 * viraccessmanager.h: the stack of access drivers that decides every call.
 *
 * The stacking rule, in one place: the manager asks each driver of the
 * stack in order; the request is allowed only if every driver allows it.
 * A deny, an error or a missing hook from any driver denies, and the
 * remaining drivers are not asked. An empty stack is impossible: the
 * configuration default is [ "nop" ] for in-process use.
 *
 * Every decision is written to the audit log (source "access.audit"):
 * denials at warning level, allows at info level, with the identity, the
 * object, the permission, the result and the deciding driver and reason.
 *
 * Reload builds a complete new stack from the new configuration and swaps
 * it in atomically; checks in progress, and lists being filtered
 * (viraccessfilter.h), finish on the old one. If any
 * driver of the new stack fails to initialise (e.g. a policy file error)
 * nothing changes and the error is returned.
 */
#ifndef TENVIRT_VIRACCESSMANAGER_H
#define TENVIRT_VIRACCESSMANAGER_H

#include "internal.h"
#include "viraccessdriver.h"

/* Settings of the access framework (tenvirtd.conf keys in brackets). */
struct _virAccessConfig {
    char **drivers;             /* [access_drivers] NULL-terminated; NULL means { "nop" } */
    char *dnpolicyFile;         /* [access_dnpolicy_file] */
    char **tlsRestrictDN;       /* [tls_restrict_dn] pairs: DN pattern, "name:X" | "uuid:U" | "*" */
    char **saslRestrictUsername;/* [sasl_restrict_username] pairs: user glob, selector */
    const char *configFile;     /* where the inline lists come from, for messages */
    bool showDenied;            /* [access_show_denied] false: hidden objects look missing */
};

/* Build a manager from @conf (NULL: the "nop" stack). NULL with an error
 * reported if a driver name is unknown or a driver fails to initialise. */
virAccessManager *virAccessManagerNew(const virAccessConfig *conf);
/* Convenience: a stack of the named drivers with otherwise empty settings. */
virAccessManager *virAccessManagerNewNames(const char *const *names);
void virAccessManagerFree(virAccessManager *mgr);

/* Replace the stack with one built from @conf. 0, or -1 with an error
 * reported and the old stack still in force. Thread-safe. */
int virAccessManagerReload(virAccessManager *mgr, const virAccessConfig *conf);

/* The process-wide manager used by driver entry points. Setting it takes
 * ownership of @mgr and frees the previous one (only while no calls are in
 * flight: at startup and shutdown). The default, if never set, is nop. */
void virAccessManagerSetDefault(virAccessManager *mgr);
virAccessManager *virAccessManagerGetDefault(void);

/* Whether denied objects are reported as missing (the privacy default). */
bool virAccessManagerHidesDenied(virAccessManager *mgr);

/* Decide for @id (NULL: the thread's current identity). 1 allow, 0 deny
 * (also for errors: fail closed). Never reports an error to the caller;
 * the reason goes to the audit log. If @why is not NULL it receives
 * "DRIVER: reason" of the deciding driver (for tenvirt-acl explain). */
int virAccessManagerCheck(virAccessManager *mgr, const virIdentity *id,
                          const virAccessObject *obj, virAccessPerm perm,
                          virAccessReason *why);
int virAccessManagerCheckConnect(virAccessManager *mgr, const char *driverName,
                                 virAccessPerm perm);
int virAccessManagerCheckDomain(virAccessManager *mgr, const char *driverName,
                                const virDomainDef *def, virAccessPerm perm);

/* Like virAccessManagerCheckDomain, for dropping objects from lists and
 * counts: a denial there is routine, so it is audited at info level. For
 * a whole list, viraccessfilter.h decides once what it can. */
int virAccessManagerFilterDomain(virAccessManager *mgr, const char *driverName,
                                 const virDomainDef *def, virAccessPerm perm);

/* Names of the drivers of the current stack, for logs: "readonly,dnpolicy". Caller frees. */
char *virAccessManagerDescribe(virAccessManager *mgr);

#endif /* TENVIRT_VIRACCESSMANAGER_H */
