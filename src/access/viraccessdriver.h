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
};

/* Run the right hook of @drv for @obj. A missing hook denies with reason
 * "driver has no check for OBJECT". */
int virAccessDriverCheck(const virAccessDriver *drv, void *priv,
                         const virIdentity *id, const virAccessObject *obj,
                         virAccessPerm perm, virAccessReason *why);

/* printf into @why. */
void virAccessReasonSet(virAccessReason *why, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(2, 3);

#endif /* TENVIRT_VIRACCESSDRIVER_H */
