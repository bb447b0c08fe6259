/*
 * libvirt.h: the Tenvirt public API.
 *
 * Names, signatures, flag values and semantics are those of libvirt's public
 * API, so that programs written for libvirt work against Tenvirt.
 */
#ifndef TENVIRT_LIBVIRT_H
#define TENVIRT_LIBVIRT_H

#include <stddef.h>
#include <tenvirt/virterror.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIR_UUID_BUFLEN 16
#define VIR_UUID_STRING_BUFLEN 37

typedef struct _virConnect virConnect;
typedef virConnect *virConnectPtr;
typedef struct _virDomain virDomain;
typedef virDomain *virDomainPtr;

typedef enum {
    VIR_CONNECT_RO = (1 << 0),
} virConnectFlags;

/* ---- library -------------------------------------------------------- */
/* Version of the library as major*1000000 + minor*1000 + micro. */
int virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer);
int virInitialize(void);

/* ---- connections ---------------------------------------------------- */
virConnectPtr virConnectOpen(const char *name);
virConnectPtr virConnectOpenReadOnly(const char *name);
int virConnectClose(virConnectPtr conn);
int virConnectRef(virConnectPtr conn);
const char *virConnectGetType(virConnectPtr conn);
int virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer);
int virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer);
char *virConnectGetHostname(virConnectPtr conn);
char *virConnectGetURI(virConnectPtr conn);
char *virConnectGetCapabilities(virConnectPtr conn);
int virConnectGetMaxVcpus(virConnectPtr conn, const char *type);
int virConnectIsReadOnly(virConnectPtr conn);

typedef struct _virNodeInfo virNodeInfo;
typedef virNodeInfo *virNodeInfoPtr;
struct _virNodeInfo {
    char model[32];
    unsigned long memory;   /* KiB */
    unsigned int cpus;
    unsigned int mhz;
    unsigned int nodes;
    unsigned int sockets;
    unsigned int cores;
    unsigned int threads;
};
int virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info);

/* ---- domains -------------------------------------------------------- */
typedef enum {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED = 2,
    VIR_DOMAIN_PAUSED = 3,
    VIR_DOMAIN_SHUTDOWN = 4,
    VIR_DOMAIN_SHUTOFF = 5,
    VIR_DOMAIN_CRASHED = 6,
    VIR_DOMAIN_PMSUSPENDED = 7,
    VIR_DOMAIN_LAST
} virDomainState;

typedef enum {
    VIR_DOMAIN_NOSTATE_UNKNOWN = 0,
} virDomainNostateReason;

typedef enum {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,
    VIR_DOMAIN_RUNNING_MIGRATED = 2,
    VIR_DOMAIN_RUNNING_RESTORED = 3,
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,
} virDomainRunningReason;

typedef enum {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,
} virDomainPausedReason;

typedef enum {
    VIR_DOMAIN_SHUTDOWN_UNKNOWN = 0,
    VIR_DOMAIN_SHUTDOWN_USER = 1,
} virDomainShutdownReason;

typedef enum {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,
} virDomainShutoffReason;

typedef struct _virDomainInfo virDomainInfo;
typedef virDomainInfo *virDomainInfoPtr;
struct _virDomainInfo {
    unsigned char state;        /* virDomainState */
    unsigned long maxMem;       /* KiB */
    unsigned long memory;       /* KiB */
    unsigned short nrVirtCpu;
    unsigned long long cpuTime; /* nanoseconds */
};

typedef enum {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1 << 0,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 1 << 1,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 1 << 2,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 1 << 3,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 1 << 4,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 1 << 5,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 1 << 6,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 1 << 7,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 1 << 8,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 1 << 9,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1 << 10,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 1 << 11,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 1 << 12,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 1 << 13,
} virConnectListAllDomainsFlags;

typedef enum {
    VIR_DOMAIN_XML_SECURE = 1 << 0,
    VIR_DOMAIN_XML_INACTIVE = 1 << 1,
    VIR_DOMAIN_XML_UPDATE_CPU = 1 << 2,
    VIR_DOMAIN_XML_MIGRATABLE = 1 << 3,
} virDomainXMLFlags;

int virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags);
int virConnectNumOfDomains(virConnectPtr conn);
int virConnectListDomains(virConnectPtr conn, int *ids, int maxids);
int virConnectNumOfDefinedDomains(virConnectPtr conn);
int virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames);

virDomainPtr virDomainLookupByID(virConnectPtr conn, int id);
virDomainPtr virDomainLookupByName(virConnectPtr conn, const char *name);
virDomainPtr virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid);
virDomainPtr virDomainLookupByUUIDString(virConnectPtr conn, const char *uuid);

int virDomainFree(virDomainPtr domain);
int virDomainRef(virDomainPtr domain);
virConnectPtr virDomainGetConnect(virDomainPtr domain);
const char *virDomainGetName(virDomainPtr domain);
int virDomainGetUUID(virDomainPtr domain, unsigned char *uuid);
int virDomainGetUUIDString(virDomainPtr domain, char *buf);
unsigned int virDomainGetID(virDomainPtr domain);

int virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info);
int virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags);
char *virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags);
char *virDomainGetOSType(virDomainPtr domain);
unsigned long virDomainGetMaxMemory(virDomainPtr domain);
int virDomainGetAutostart(virDomainPtr domain, int *autostart);
int virDomainSetAutostart(virDomainPtr domain, int autostart);
int virDomainIsActive(virDomainPtr domain);
int virDomainIsPersistent(virDomainPtr domain);

int virDomainCreate(virDomainPtr domain);
int virDomainSuspend(virDomainPtr domain);
int virDomainResume(virDomainPtr domain);
int virDomainShutdown(virDomainPtr domain);
int virDomainReboot(virDomainPtr domain, unsigned int flags);
int virDomainDestroy(virDomainPtr domain);
virDomainPtr virDomainDefineXML(virConnectPtr conn, const char *xml);
int virDomainUndefine(virDomainPtr domain);

typedef enum {
    VIR_DOMAIN_START_PAUSED = 1 << 0,       /* start with the CPUs paused */
} virDomainCreateFlags;

/* Variants with flags (no flags are defined yet unless listed). */
int virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags);
virDomainPtr virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags);
int virDomainUndefineFlags(virDomainPtr domain, unsigned int flags);
int virDomainDestroyFlags(virDomainPtr domain, unsigned int flags);
int virDomainShutdownFlags(virDomainPtr domain, unsigned int flags);
int virDomainHasManagedSaveImage(virDomainPtr domain, unsigned int flags);
int virDomainSnapshotNum(virDomainPtr domain, unsigned int flags);
/* Messages about the domain (tainting etc.); none here. */
int virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags);
int virConnectIsSecure(virConnectPtr conn);
int virConnectIsEncrypted(virConnectPtr conn);

#define VIR_SECURITY_MODEL_BUFLEN (256 + 1)
#define VIR_SECURITY_DOI_BUFLEN (256 + 1)
typedef struct _virSecurityModel virSecurityModel;
typedef virSecurityModel *virSecurityModelPtr;
struct _virSecurityModel {
    char model[VIR_SECURITY_MODEL_BUFLEN];  /* "" when there is no security driver */
    char doi[VIR_SECURITY_DOI_BUFLEN];
};
int virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel);

/* ---- events --------------------------------------------------------- */
typedef void (*virFreeCallback)(void *opaque);

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
} virDomainEventType;

typedef enum {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
} virDomainEventDefinedDetailType;
typedef enum {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
} virDomainEventUndefinedDetailType;
typedef enum {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
} virDomainEventStartedDetailType;
typedef enum {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
} virDomainEventSuspendedDetailType;
typedef enum {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
} virDomainEventResumedDetailType;
typedef enum {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
} virDomainEventStoppedDetailType;
typedef enum {
    VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
} virDomainEventShutdownDetailType;

/* Event IDs (libvirt's numbering). Tenvirt emits LIFECYCLE and REBOOT;
 * registering any other ID fails with VIR_ERR_NO_SUPPORT. */
typedef enum {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,
    VIR_DOMAIN_EVENT_ID_LAST = 27,
} virDomainEventID;

typedef void (*virConnectDomainEventGenericCallback)(virConnectPtr conn, virDomainPtr dom,
                                                     void *opaque);
/* LIFECYCLE callbacks have this shape; REBOOT ones the generic shape. */
typedef void (*virConnectDomainEventCallback)(virConnectPtr conn, virDomainPtr dom,
                                              int event, int detail, void *opaque);
#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

/* Callbacks run in a library thread (the driver's or the connection's
 * reader), never while a driver lock is held; they must not block long.
 * @dom NULL: events of every domain the caller may see. Returns a
 * callback ID >= 0, or -1. */
int virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                     virConnectDomainEventGenericCallback cb,
                                     void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID);
/* The legacy lifecycle-only registration. */
int virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                                  void *opaque, virFreeCallback freecb);
int virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb);

/* ---- statistics ----------------------------------------------------- */
typedef enum {
    VIR_TYPED_PARAM_INT = 1,
    VIR_TYPED_PARAM_UINT = 2,
    VIR_TYPED_PARAM_LLONG = 3,
    VIR_TYPED_PARAM_ULLONG = 4,
    VIR_TYPED_PARAM_DOUBLE = 5,
    VIR_TYPED_PARAM_BOOLEAN = 6,
    VIR_TYPED_PARAM_STRING = 7,
} virTypedParameterType;

#define VIR_TYPED_PARAM_FIELD_LENGTH 80
typedef struct _virTypedParameter virTypedParameter;
typedef virTypedParameter *virTypedParameterPtr;
struct _virTypedParameter {
    char field[VIR_TYPED_PARAM_FIELD_LENGTH];
    int type;   /* virTypedParameterType */
    union {
        int i;
        unsigned int ui;
        long long int l;
        unsigned long long int ul;
        double d;
        char b;
        char *s;
    } value;
};
void virTypedParamsFree(virTypedParameterPtr params, int nparams);

typedef enum {
    VIR_DOMAIN_STATS_STATE = 1 << 0,
    VIR_DOMAIN_STATS_CPU_TOTAL = 1 << 1,
    VIR_DOMAIN_STATS_BALLOON = 1 << 2,
    VIR_DOMAIN_STATS_VCPU = 1 << 3,
    VIR_DOMAIN_STATS_INTERFACE = 1 << 4,
    VIR_DOMAIN_STATS_BLOCK = 1 << 5,
} virDomainStatsTypes;

typedef enum {
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = VIR_CONNECT_LIST_DOMAINS_ACTIVE,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = VIR_CONNECT_LIST_DOMAINS_INACTIVE,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT = VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT = VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = VIR_CONNECT_LIST_DOMAINS_RUNNING,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = VIR_CONNECT_LIST_DOMAINS_PAUSED,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = VIR_CONNECT_LIST_DOMAINS_OTHER,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 1U << 31,
} virConnectGetAllDomainStatsFlags;

typedef struct _virDomainStatsRecord virDomainStatsRecord;
typedef virDomainStatsRecord *virDomainStatsRecordPtr;
struct _virDomainStatsRecord {
    virDomainPtr dom;
    virTypedParameterPtr params;
    int nparams;
};

/* Statistics of every domain the caller may read (filtered by @flags),
 * or of the listed ones. *@retStats is NULL-terminated; free with
 * virDomainStatsRecordListFree. Returns the number of records or -1. */
int virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                                virDomainStatsRecordPtr **retStats, unsigned int flags);
int virDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                          virDomainStatsRecordPtr **retStats, unsigned int flags);
void virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats);

#ifdef __cplusplus
}
#endif
#endif /* TENVIRT_LIBVIRT_H */
