/*
 * driver.h: the hypervisor driver interface behind the public API.
 *
 * src/libvirt.c checks arguments and forwards each public call to the
 * connection's driver. Method names are libvirt's; every method that takes
 * an object checks access (src/access/viraccessapi.def) after finding the
 * object and before acting. A NULL method means "not supported".
 */
#ifndef TENVIRT_DRIVER_H
#define TENVIRT_DRIVER_H

#include "internal.h"

typedef enum {
    VIR_DRV_OPEN_SUCCESS = 0,
    VIR_DRV_OPEN_ERROR = -1,        /* this driver owns the URI and failed: error set */
    VIR_DRV_OPEN_DECLINED = -2,     /* not this driver's URI: try the next one */
} virDrvOpenStatus;

typedef struct _virHypervisorDriver virHypervisorDriver;
struct _virHypervisorDriver {
    const char *name;   /* "test", "xen", "remote" */

    virDrvOpenStatus (*connectOpen)(virConnectPtr conn, unsigned int flags);
    int (*connectClose)(virConnectPtr conn);
    const char *(*connectGetType)(virConnectPtr conn);
    int (*connectGetVersion)(virConnectPtr conn, unsigned long *hvVer);
    int (*connectGetLibVersion)(virConnectPtr conn, unsigned long *libVer);
    char *(*connectGetHostname)(virConnectPtr conn);
    char *(*connectGetCapabilities)(virConnectPtr conn);
    int (*connectGetMaxVcpus)(virConnectPtr conn, const char *type);
    int (*nodeGetInfo)(virConnectPtr conn, virNodeInfoPtr info);

    int (*connectListAllDomains)(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
    int (*connectNumOfDomains)(virConnectPtr conn);
    int (*connectListDomains)(virConnectPtr conn, int *ids, int maxids);
    int (*connectNumOfDefinedDomains)(virConnectPtr conn);
    int (*connectListDefinedDomains)(virConnectPtr conn, char **const names, int maxnames);

    virDomainPtr (*domainLookupByID)(virConnectPtr conn, int id);
    virDomainPtr (*domainLookupByName)(virConnectPtr conn, const char *name);
    virDomainPtr (*domainLookupByUUID)(virConnectPtr conn, const unsigned char *uuid);

    int (*domainGetInfo)(virDomainPtr dom, virDomainInfoPtr info);
    int (*domainGetState)(virDomainPtr dom, int *state, int *reason, unsigned int flags);
    char *(*domainGetXMLDesc)(virDomainPtr dom, unsigned int flags);
    char *(*domainGetOSType)(virDomainPtr dom);
    unsigned long long (*domainGetMaxMemory)(virDomainPtr dom);   /* 0 on error */
    int (*domainGetAutostart)(virDomainPtr dom, int *autostart);
    int (*domainSetAutostart)(virDomainPtr dom, int autostart);
    int (*domainIsActive)(virDomainPtr dom);
    int (*domainIsPersistent)(virDomainPtr dom);

    int (*domainCreate)(virDomainPtr dom);
    int (*domainSuspend)(virDomainPtr dom);
    int (*domainResume)(virDomainPtr dom);
    int (*domainShutdown)(virDomainPtr dom);
    int (*domainReboot)(virDomainPtr dom, unsigned int flags);
    int (*domainDestroy)(virDomainPtr dom);
    virDomainPtr (*domainDefineXML)(virConnectPtr conn, const char *xml);
    int (*domainUndefine)(virDomainPtr dom);

    /* Flag variants: the public API uses them when the driver has them,
     * else the plain method when @flags is 0. */
    int (*domainCreateWithFlags)(virDomainPtr dom, unsigned int flags);
    virDomainPtr (*domainDefineXMLFlags)(virConnectPtr conn, const char *xml, unsigned int flags);
    int (*domainUndefineFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainDestroyFlags)(virDomainPtr dom, unsigned int flags);
    int (*domainShutdownFlags)(virDomainPtr dom, unsigned int flags);

    int (*domainHasManagedSaveImage)(virDomainPtr dom, unsigned int flags);
    int (*domainSnapshotNum)(virDomainPtr dom, unsigned int flags);
    int (*domainGetMessages)(virDomainPtr dom, char ***msgs, unsigned int flags);
    int (*connectIsSecure)(virConnectPtr conn);
    int (*connectIsEncrypted)(virConnectPtr conn);
    int (*nodeGetSecurityModel)(virConnectPtr conn, virSecurityModelPtr secmodel);

    /* Events: the driver calls the callback for each event on a domain
     * that passes virConnectDomainEventRegisterAnyCheckACL for the
     * identity that registered (remember it with the registration). */
    int (*connectDomainEventRegisterAny)(virConnectPtr conn, virDomainPtr dom, int eventID,
                                         virConnectDomainEventGenericCallback cb,
                                         void *opaque, virFreeCallback freecb);
    int (*connectDomainEventDeregisterAny)(virConnectPtr conn, int callbackID);

    /* Statistics of @doms (NULL/0: all domains matching @flags). */
    int (*connectGetAllDomainStats)(virConnectPtr conn, virDomainPtr *doms,
                                    unsigned int ndoms, unsigned int stats,
                                    virDomainStatsRecordPtr **retStats, unsigned int flags);
};

/* Add a driver to the list virConnectOpen tries, in registration order. */
int virRegisterHypervisorDriver(const virHypervisorDriver *driver);

#endif /* TENVIRT_DRIVER_H */
