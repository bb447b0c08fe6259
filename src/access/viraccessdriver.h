/*
 * viraccessdriver.h: the interface every access driver implements.
 *
 * An access driver answers one question: may this identity use this
 * permission on this object? Each check returns
 *    1  allow
 *    0  deny
 *   -1  error (treated as deny; the driver may report an error for the log)
 * and may write the deciding reason (e.g. "policy.conf:12" or
 * "no rule matched") into @why for the audit log.
 *
 * A driver implements one check per object type it understands (one hook
 * per VIR_ACCESS_OBJECT of viraccessperm.def); a NULL hook denies.
 *
 * Lists (virConnectListAllDomains, counts, statistics) ask about many
 * domains for one identity and permission. A driver may answer for the
 * whole list at once through the optional prepareDomainList hook; see
 * virAccessDriverPrepareDomainListFunc below and viraccessfilter.h.
 *
 * Writing a driver: one file exporting one virAccessDriver, one line in
 * the registry (viraccessregistry.c), one test file. See docs/acl.html.
 */
#ifndef TENVIRT_VIRACCESSDRIVER_H
#define TENVIRT_VIRACCESSDRIVER_H

#include "internal.h"
#include "viraccessperm.h"
#include "viridentity.h"
#include "domain_conf.h"

typedef struct _virAccessManager virAccessManager;
typedef struct _virAccessConfig virAccessConfig;

/* Why a driver decided as it did; short, for the audit log only. */
typedef struct {
    char text[256];
} virAccessReason;

/* What is being accessed. @driverName is the hypervisor driver ("test", "xen"). */
typedef struct {
    virAccessObjectType type;
    const char *driverName;
    union {
        const virDomainDef *domain;     /* VIR_ACCESS_OBJECT_DOMAIN */
    } u;
} virAccessObject;

/* Per-object-type hook signatures. @priv is the driver instance's private data. */
typedef int (*virAccessDriverCheckConnectFunc)(void *priv, const virIdentity *id,
                                               const char *driverName,
                                               virAccessPerm perm, virAccessReason *why);
typedef int (*virAccessDriverCheckDomainFunc)(void *priv, const virIdentity *id,
                                              const char *driverName,
                                              const virDomainDef *def,
                                              virAccessPerm perm, virAccessReason *why);

/* A driver's answer for a whole list (prepareDomainList). The values of
 * DENY_ALL and ALLOW_ALL are those of a check's deny and allow. */
typedef enum {
    VIR_ACCESS_LIST_DENY_ALL = 0,       /* every domain of the list is denied */
    VIR_ACCESS_LIST_ALLOW_ALL = 1,      /* every domain of the list is allowed */
    VIR_ACCESS_LIST_PER_DOMAIN = 2,     /* ask about each domain */
} virAccessListDecision;

/* The per-domain check of one list, which prepareDomainList may set up
 * when it answers VIR_ACCESS_LIST_PER_DOMAIN: @checkDomain then replaces
 * the driver's checkDomain for the domains of that list, with @data (what
 * the driver worked out once, e.g. the identity's candidate rules) as
 * its extra argument. It must answer exactly as checkDomain would. The
 * manager calls @release(priv, data) once at the end of the list, if set,
 * whatever prepareDomainList returned. All fields start NULL; leaving
 * @checkDomain NULL means "use checkDomain". */
typedef struct {
    void *data;
    int (*checkDomain)(void *priv, void *data, const virIdentity *id,
                       const char *driverName, const virDomainDef *def,
                       virAccessPerm perm, virAccessReason *why);
    void (*release)(void *priv, void *data);
} virAccessDriverDomainList;

/* Prepare deciding domain permission @perm for @id on every domain of one
 * list. Returns a virAccessListDecision, or -1 on error (the list is then
 * empty; report the error with virReportError, it goes to the log):
 *   VIR_ACCESS_LIST_ALLOW_ALL only if checkDomain would allow every
 *     possible domain; VIR_ACCESS_LIST_DENY_ALL only if it would deny (or
 *     fail on) every one; @why then receives the reason, audited once for
 *     the list;
 *   VIR_ACCESS_LIST_PER_DOMAIN otherwise (always a correct answer), after
 *     optionally filling @list.
 * The answer may depend only on @id, @driverName, @perm and the driver
 * instance, never on a domain. Runs concurrently like the checks; @list's
 * data is used by the one thread that lists. */
typedef int (*virAccessDriverPrepareDomainListFunc)(void *priv, const virIdentity *id,
                                                    const char *driverName,
                                                    virAccessPerm perm,
                                                    virAccessDriverDomainList *list,
                                                    virAccessReason *why);

typedef struct _virAccessDriver virAccessDriver;
struct _virAccessDriver {
    const char *name;
    /* Bytes of zeroed private data allocated for each instance. */
    size_t privateDataLen;
    /* Set up an instance from @conf. 0 on success, -1 with an error reported
     * (e.g. a policy file's "FILE:LINE: message"). Optional. */
    int (*init)(void *priv, const virAccessConfig *conf);
    /* Release what init acquired (the private data itself is freed by the
     * manager). Called also after a failed init. Optional. */
    void (*cleanup)(void *priv);
    /* Optional: may a client with this identity connect at all? Used at the
     * TLS handshake to refuse unknown certificates early. Same return values. */
    virAccessDriverCheckConnectFunc checkConnect;
    virAccessDriverCheckDomainFunc checkDomain;
    /* Optional: one decision for a whole list of domains (see above).
     * Without it every domain of a list goes through checkDomain. */
    virAccessDriverPrepareDomainListFunc prepareDomainList;
};

/* Run the right hook of @drv for @obj. A missing hook denies with reason
 * "driver has no check for OBJECT". */
int virAccessDriverCheck(const virAccessDriver *drv, void *priv,
                         const virIdentity *id, const virAccessObject *obj,
                         virAccessPerm perm, virAccessReason *why);

/* printf into @why. */
void virAccessReasonSet(virAccessReason *why, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(2, 3);

#endif /* TENVIRT_VIRACCESSDRIVER_H */
