/*
 * libvirt.c: the public API.
 *
 * Each entry point resets the thread's last error, checks its arguments the
 * way libvirt does (so that programs see the same error codes), refuses
 * state changes on read-only connections, and forwards to the connection's
 * driver. Access control is not decided here but in the driver, which is
 * the only place that knows the object the call is about.
 */
#include <config.h>

#include <fnmatch.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "libvirt_internal.h"
#include "remote/remote_driver.h"
#include "test/test_driver.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"
#include "virthread.h"
#include "viruri.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("libvirt");

#define VIR_DEFAULT_URI "test:///default"
#define VIR_MAX_HYPERVISOR_DRIVERS 16

/* ---- driver registration ------------------------------------------------ */

static const virHypervisorDriver *hypervisorDrivers[VIR_MAX_HYPERVISOR_DRIVERS];
static size_t nhypervisorDrivers;
static virMutex driversLock = { PTHREAD_MUTEX_INITIALIZER };
static pthread_once_t initOnce = PTHREAD_ONCE_INIT;

/* See driver.h. Drivers register once, at initialisation; the list only grows. */
int
virRegisterHypervisorDriver(const virHypervisorDriver *driver)
{
    int ret = -1;

    virMutexLock(&driversLock);
    if (nhypervisorDrivers == VIR_MAX_HYPERVISOR_DRIVERS) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "too many hypervisor drivers registered (%d)",
                       VIR_MAX_HYPERVISOR_DRIVERS);
    } else {
        VIR_DEBUG("registering hypervisor driver '%s'", driver->name);
        hypervisorDrivers[nhypervisorDrivers++] = driver;
        ret = 0;
    }
    virMutexUnlock(&driversLock);
    return ret;
}

static void
virGlobalInit(void)
{
    /* In-process drivers first; the remote driver last, as the one that
     * accepts URIs naming a transport or host, which the others decline. */
    testRegister();
    remoteRegister();
}

/* Register the built-in drivers. Called implicitly by virConnectOpen*;
 * safe to call any number of times from any thread. Returns 0. */
int
virInitialize(void)
{
    pthread_once(&initOnce, virGlobalInit);
    return 0;
}

/* See libvirt_internal.h. */
void
virStateCleanup(void)
{
    testStateCleanup();
    virConnectSetOpenAllowList(NULL);
}

/* ---- argument checks ---------------------------------------------------- */

static bool
virCheckConnectArg(virConnectPtr conn, const char *func)
{
    if (conn && conn->driver)
        return true;
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_CONN, __FILE__, func, __LINE__,
                       "%s", func);
    return false;
}

static bool
virCheckDomainArg(virDomainPtr dom, const char *func)
{
    if (dom && dom->conn && dom->conn->driver)
        return true;
    virReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __FILE__, func, __LINE__,
                       "%s", func);
    return false;
}

static bool
virCheckWritable(virConnectPtr conn, const char *func)
{
    if (!(conn->flags & VIR_CONNECT_RO))
        return true;
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_OPERATION_DENIED, __FILE__, func, __LINE__,
                       "read only access prevents %s", func);
    return false;
}

static void
virReportNullArg(const char *arg, const char *func)
{
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_ARG, __FILE__, func, __LINE__,
                       "%s in %s must not be NULL", arg, func);
}

static void
virReportNoSupportFor(const char *func)
{
    virReportErrorFull(VIR_FROM_NONE, VIR_ERR_NO_SUPPORT, __FILE__, func, __LINE__,
                       "%s", func);
}

/* Every failing entry point ends here: a driver that failed without
 * saying why still leaves the caller an error to show. */
static void
virDispatchError(void)
{
    virErrorEnsureSet();
}

/* Shorthands for the checks every entry point starts with. */
#define CHECK_CONN(conn, label) \
    do { \
        virResetLastError(); \
        if (!virCheckConnectArg(conn, __func__)) \
            goto label; \
    } while (0)
#define CHECK_DOMAIN(dom, label) \
    do { \
        virResetLastError(); \
        if (!virCheckDomainArg(dom, __func__)) \
            goto label; \
    } while (0)
#define CHECK_WRITABLE(conn, label) \
    do { \
        if (!virCheckWritable(conn, __func__)) \
            goto label; \
    } while (0)
#define CHECK_NONNULL(arg, label) \
    do { \
        if (!(arg)) { \
            virReportNullArg(#arg, __func__); \
            goto label; \
        } \
    } while (0)
/* The driver method, or "not supported". */
#define DRIVER_METHOD(conn, method, label) \
    do { \
        if (!(conn)->driver->method) { \
            virReportNoSupportFor(__func__); \
            goto label; \
        } \
    } while (0)

/* ---- reference counting ------------------------------------------------- */

static int
virConnectUnref(virConnectPtr conn)
{
    int left = __atomic_sub_fetch(&conn->refs, 1, __ATOMIC_ACQ_REL);

    if (left > 0)
        return left;
    if (conn->driver && conn->driver->connectClose) {
        virErrorPtr saved;

        /* Closing must not clobber the error that made the caller give up. */
        virErrorPreserveLast(&saved);
        conn->driver->connectClose(conn);
        virErrorRestore(&saved);
    }
    virURIFree(conn->uri);
    free(conn->uriString);
    free(conn);
    return 0;
}

static int
virDomainUnref(virDomainPtr dom)
{
    int left = __atomic_sub_fetch(&dom->refs, 1, __ATOMIC_ACQ_REL);

    if (left > 0)
        return left;
    virConnectUnref(dom->conn);
    free(dom);
    return 0;
}

/* ---- library ------------------------------------------------------------ */

/* The library's version into *@libVer and, if @typeVer is given, the
 * version of the driver API for hypervisor @type (also the library's). */
int
virGetVersion(unsigned long *libVer, const char *type, unsigned long *typeVer)
{
    virResetLastError();
    virInitialize();
    if (!libVer) {
        virReportNullArg("libVer", __func__);
        virDispatchError();
        return -1;
    }
    /* Like libvirt today: every driver is part of the library, so the
     * "type" version is the library's. */
    *libVer = TENVIRT_VERSION_NUMBER;
    if (typeVer)
        *typeVer = TENVIRT_VERSION_NUMBER;
    return 0;
}

/* ---- connections -------------------------------------------------------- */

/* Names virConnectOpen may open (NULL: any); see virConnectSetOpenAllowList. */
static char **openAllowList;

void
virConnectSetOpenAllowList(char *const *globs)
{
    size_t i, n = virStringListLength(globs);

    virStringListFree(openAllowList);
    openAllowList = NULL;
    if (!globs)
        return;
    VIR_ALLOC_N(openAllowList, n + 1);
    for (i = 0; i < n; i++)
        openAllowList[i] = virStrdup(globs[i]);
}

/* With an allow list, only names matching one of its globs may be opened.
 * '*' does not cross '/', and no '.' or '..' path segment is accepted, so
 * "test:///srv/tenvirt/x.xml" cannot be walked out of its directory. */
static int
virConnectCheckOpenAllowed(const virURI *uri, const char *canonical)
{
    size_t i;

    if (!openAllowList)
        return 0;
    if (!uri->path || (!strstr(uri->path, "/./") && !strstr(uri->path, "/../") &&
                       !virStringHasSuffix(uri->path, "/.") &&
                       !virStringHasSuffix(uri->path, "/.."))) {
        for (i = 0; openAllowList[i]; i++) {
            if (fnmatch(openAllowList[i], canonical, FNM_PATHNAME) == 0)
                return 0;
        }
    }
    virReportError(VIR_ERR_OPERATION_DENIED,
                   "URI '%s' is not one of the hypervisor URIs this daemon serves",
                   canonical);
    return -1;
}

static virConnectPtr
virConnectOpenInternal(const char *name, unsigned int flags)
{
    virConnectPtr conn;
    size_t i;
    size_t ndrivers;

    virInitialize();
    if (!name || !*name) {
        const char *env = getenv("LIBVIRT_DEFAULT_URI");

        name = env && *env ? env : VIR_DEFAULT_URI;
    }
    VIR_DEBUG("opening '%s' flags=0x%x", name, flags);

    conn = virGetConnect();
    conn->flags = flags;
    if (!(conn->uri = virURIParse(name)))
        goto error;
    conn->uriString = virURIFormat(conn->uri);
    if (virConnectCheckOpenAllowed(conn->uri, conn->uriString) < 0)
        goto error;

    virMutexLock(&driversLock);
    ndrivers = nhypervisorDrivers;
    virMutexUnlock(&driversLock);

    for (i = 0; i < ndrivers; i++) {
        virDrvOpenStatus rc;

        /* Drivers need conn->driver set during open: the access check of
         * connectOpen names the driver. */
        conn->driver = hypervisorDrivers[i];
        rc = conn->driver->connectOpen(conn, flags);
        if (rc == VIR_DRV_OPEN_SUCCESS)
            return conn;
        conn->driver = NULL;
        if (rc == VIR_DRV_OPEN_ERROR)
            goto error;
    }
    virReportError(VIR_ERR_NO_CONNECT, "%s", name);

 error:
    virDispatchError();
    virConnectUnref(conn);
    return NULL;
}

/* Open a connection to the hypervisor named by the URI @name (NULL or "":
 * $LIBVIRT_DEFAULT_URI, else test:///default). Caller closes it with
 * virConnectClose. NULL on error. */
virConnectPtr
virConnectOpen(const char *name)
{
    virResetLastError();
    return virConnectOpenInternal(name, 0);
}

/* Like virConnectOpen, for a connection that refuses every state change. */
virConnectPtr
virConnectOpenReadOnly(const char *name)
{
    virResetLastError();
    return virConnectOpenInternal(name, VIR_CONNECT_RO);
}

/* Drop a reference; the last one closes the connection. Returns the
 * number of references left (0: closed), or -1. */
int
virConnectClose(virConnectPtr conn)
{
    virResetLastError();
    if (!conn) {
        virReportErrorFull(VIR_FROM_NONE, VIR_ERR_INVALID_CONN, __FILE__, __func__, __LINE__,
                           "%s", __func__);
        virDispatchError();
        return -1;
    }
    return virConnectUnref(conn);
}

/* Take an extra reference, released by another virConnectClose. */
int
virConnectRef(virConnectPtr conn)
{
    CHECK_CONN(conn, error);
    __atomic_add_fetch(&conn->refs, 1, __ATOMIC_SEQ_CST);
    return 0;

 error:
    virDispatchError();
    return -1;
}

/* Name of the hypervisor ("TEST"); borrowed, valid while @conn is open. */
const char *
virConnectGetType(virConnectPtr conn)
{
    const char *ret;

    CHECK_CONN(conn, error);
    if (!conn->driver->connectGetType)
        return conn->driver->name;
    if ((ret = conn->driver->connectGetType(conn)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* Version of the hypervisor, major*1000000 + minor*1000 + micro. */
int
virConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    CHECK_CONN(conn, error);
    CHECK_NONNULL(hvVer, error);
    DRIVER_METHOD(conn, connectGetVersion, error);
    if (conn->driver->connectGetVersion(conn, hvVer) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Version of the library serving @conn. */
int
virConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    CHECK_CONN(conn, error);
    CHECK_NONNULL(libVer, error);
    if (!conn->driver->connectGetLibVersion) {
        *libVer = TENVIRT_VERSION_NUMBER;
        return 0;
    }
    if (conn->driver->connectGetLibVersion(conn, libVer) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Host name of the hypervisor host. Caller frees. */
char *
virConnectGetHostname(virConnectPtr conn)
{
    char *ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectGetHostname, error);
    if ((ret = conn->driver->connectGetHostname(conn)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* The canonical form of the URI @conn was opened with. Caller frees. */
char *
virConnectGetURI(virConnectPtr conn)
{
    CHECK_CONN(conn, error);
    return virStrdup(conn->uriString);

 error:
    virDispatchError();
    return NULL;
}

/* The capabilities XML of the host. Caller frees. */
char *
virConnectGetCapabilities(virConnectPtr conn)
{
    char *ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectGetCapabilities, error);
    if ((ret = conn->driver->connectGetCapabilities(conn)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* Most virtual CPUs a guest of @type (NULL: any) may have, or -1. */
int
virConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    int ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectGetMaxVcpus, error);
    if ((ret = conn->driver->connectGetMaxVcpus(conn, type)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* 1 if @conn is read-only, 0 if not, -1 on error. */
int
virConnectIsReadOnly(virConnectPtr conn)
{
    CHECK_CONN(conn, error);
    return (conn->flags & VIR_CONNECT_RO) ? 1 : 0;

 error:
    virDispatchError();
    return -1;
}

/* Hardware of the host. */
int
virNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    CHECK_CONN(conn, error);
    CHECK_NONNULL(info, error);
    DRIVER_METHOD(conn, nodeGetInfo, error);
    memset(info, 0, sizeof(*info));
    if (conn->driver->nodeGetInfo(conn, info) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* ---- domain lists --------------------------------------------------------- */

#undef VIR_FROM_THIS
#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* The domains matching @flags (0: all). With @domains NULL only counts
 * them; otherwise *@domains gets a NULL-terminated array the caller frees
 * (each handle with virDomainFree, then the array with free). */
int
virConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    int ret;

    if (domains)
        *domains = NULL;
    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectListAllDomains, error);
    if ((ret = conn->driver->connectListAllDomains(conn, domains, flags)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Number of active domains. */
int
virConnectNumOfDomains(virConnectPtr conn)
{
    int ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectNumOfDomains, error);
    if ((ret = conn->driver->connectNumOfDomains(conn)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Ids of up to @maxids active domains into @ids; returns how many. */
int
virConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    int ret;

    CHECK_CONN(conn, error);
    if (maxids < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "maxids in %s must be non-negative", __func__);
        goto error;
    }
    if (maxids > 0)
        CHECK_NONNULL(ids, error);
    DRIVER_METHOD(conn, connectListDomains, error);
    if ((ret = conn->driver->connectListDomains(conn, ids, maxids)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Number of defined (persistent) inactive domains. */
int
virConnectNumOfDefinedDomains(virConnectPtr conn)
{
    int ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectNumOfDefinedDomains, error);
    if ((ret = conn->driver->connectNumOfDefinedDomains(conn)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Names of up to @maxnames inactive domains into @names (each freed by
 * the caller); returns how many. */
int
virConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    int ret;

    CHECK_CONN(conn, error);
    if (maxnames < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "maxnames in %s must be non-negative", __func__);
        goto error;
    }
    if (maxnames > 0)
        CHECK_NONNULL(names, error);
    DRIVER_METHOD(conn, connectListDefinedDomains, error);
    if ((ret = conn->driver->connectListDefinedDomains(conn, names, maxnames)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* ---- domain lookups ------------------------------------------------------- */

/* The active domain with this id. Caller frees the handle with virDomainFree. */
virDomainPtr
virDomainLookupByID(virConnectPtr conn, int id)
{
    virDomainPtr ret;

    CHECK_CONN(conn, error);
    if (id < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "id in %s must be non-negative", __func__);
        goto error;
    }
    DRIVER_METHOD(conn, domainLookupByID, error);
    if ((ret = conn->driver->domainLookupByID(conn, id)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* The domain called @name. Caller frees the handle with virDomainFree. */
virDomainPtr
virDomainLookupByName(virConnectPtr conn, const char *name)
{
    virDomainPtr ret;

    CHECK_CONN(conn, error);
    CHECK_NONNULL(name, error);
    DRIVER_METHOD(conn, domainLookupByName, error);
    if ((ret = conn->driver->domainLookupByName(conn, name)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* The domain with the raw UUID @uuid (VIR_UUID_BUFLEN bytes). */
virDomainPtr
virDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    virDomainPtr ret;

    CHECK_CONN(conn, error);
    CHECK_NONNULL(uuid, error);
    DRIVER_METHOD(conn, domainLookupByUUID, error);
    if ((ret = conn->driver->domainLookupByUUID(conn, uuid)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* The domain with the UUID written as @uuidstr. */
virDomainPtr
virDomainLookupByUUIDString(virConnectPtr conn, const char *uuidstr)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    CHECK_CONN(conn, error);
    CHECK_NONNULL(uuidstr, error);
    if (virUUIDParse(uuidstr, uuid) < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "uuidstr in %s must be a valid UUID, not '%s'",
                       __func__, uuidstr);
        goto error;
    }
    return virDomainLookupByUUID(conn, uuid);

 error:
    virDispatchError();
    return NULL;
}

/* ---- domain handles ------------------------------------------------------- */

/* Drop a reference to the handle (not the domain). */
int
virDomainFree(virDomainPtr domain)
{
    virResetLastError();
    if (!domain) {
        virReportErrorFull(VIR_FROM_DOM, VIR_ERR_INVALID_DOMAIN, __FILE__, __func__, __LINE__,
                           "%s", __func__);
        virDispatchError();
        return -1;
    }
    virDomainUnref(domain);
    return 0;
}

/* Take an extra reference, released by another virDomainFree. */
int
virDomainRef(virDomainPtr domain)
{
    CHECK_DOMAIN(domain, error);
    __atomic_add_fetch(&domain->refs, 1, __ATOMIC_SEQ_CST);
    return 0;

 error:
    virDispatchError();
    return -1;
}

/* The connection of the handle; borrowed (no reference is taken). */
virConnectPtr
virDomainGetConnect(virDomainPtr domain)
{
    CHECK_DOMAIN(domain, error);
    return domain->conn;

 error:
    virDispatchError();
    return NULL;
}

/* Name of the domain; borrowed, valid while the handle lives. */
const char *
virDomainGetName(virDomainPtr domain)
{
    CHECK_DOMAIN(domain, error);
    return domain->name;

 error:
    virDispatchError();
    return NULL;
}

/* Raw UUID into @uuid (VIR_UUID_BUFLEN bytes). */
int
virDomainGetUUID(virDomainPtr domain, unsigned char *uuid)
{
    CHECK_DOMAIN(domain, error);
    CHECK_NONNULL(uuid, error);
    memcpy(uuid, domain->uuid, VIR_UUID_BUFLEN);
    return 0;

 error:
    virDispatchError();
    return -1;
}

/* UUID as text into @buf (VIR_UUID_STRING_BUFLEN bytes). */
int
virDomainGetUUIDString(virDomainPtr domain, char *buf)
{
    CHECK_DOMAIN(domain, error);
    CHECK_NONNULL(buf, error);
    virUUIDFormat(domain->uuid, buf);
    return 0;

 error:
    virDispatchError();
    return -1;
}

/* The id the domain had when the handle was made; (unsigned)-1 if it was
 * inactive or on error. */
unsigned int
virDomainGetID(virDomainPtr domain)
{
    CHECK_DOMAIN(domain, error);
    return (unsigned int)__atomic_load_n(&domain->id, __ATOMIC_RELAXED);

 error:
    virDispatchError();
    return (unsigned int)-1;
}

/* ---- domain queries ------------------------------------------------------- */

/* State, memory, vCPUs and CPU time of the domain. */
int
virDomainGetInfo(virDomainPtr domain, virDomainInfoPtr info)
{
    CHECK_DOMAIN(domain, error);
    CHECK_NONNULL(info, error);
    memset(info, 0, sizeof(*info));
    DRIVER_METHOD(domain->conn, domainGetInfo, error);
    if (domain->conn->driver->domainGetInfo(domain, info) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* State (virDomainState) and, if @reason is not NULL, its reason. */
int
virDomainGetState(virDomainPtr domain, int *state, int *reason, unsigned int flags)
{
    CHECK_DOMAIN(domain, error);
    CHECK_NONNULL(state, error);
    DRIVER_METHOD(domain->conn, domainGetState, error);
    if (domain->conn->driver->domainGetState(domain, state, reason, flags) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* The domain's XML; VIR_DOMAIN_XML_SECURE (refused on read-only
 * connections) includes secrets. Caller frees. */
char *
virDomainGetXMLDesc(virDomainPtr domain, unsigned int flags)
{
    char *ret;

    CHECK_DOMAIN(domain, error);
    if ((domain->conn->flags & VIR_CONNECT_RO) && (flags & VIR_DOMAIN_XML_SECURE)) {
        virReportError(VIR_ERR_OPERATION_DENIED, "%s",
                       "virDomainGetXMLDesc with secure flag");
        goto error;
    }
    DRIVER_METHOD(domain->conn, domainGetXMLDesc, error);
    if ((ret = domain->conn->driver->domainGetXMLDesc(domain, flags)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* The guest OS type ("hvm", "linux"). Caller frees. */
char *
virDomainGetOSType(virDomainPtr domain)
{
    char *ret;

    CHECK_DOMAIN(domain, error);
    DRIVER_METHOD(domain->conn, domainGetOSType, error);
    if ((ret = domain->conn->driver->domainGetOSType(domain)))
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* Maximum memory of the domain in KiB, 0 on error. */
unsigned long
virDomainGetMaxMemory(virDomainPtr domain)
{
    unsigned long long ret;

    CHECK_DOMAIN(domain, error);
    DRIVER_METHOD(domain->conn, domainGetMaxMemory, error);
    if ((ret = domain->conn->driver->domainGetMaxMemory(domain)) == 0)
        goto error;
    if ((unsigned long)ret != ret) {
        virReportError(VIR_ERR_OVERFLOW, "result too large: %llu", ret);
        goto error;
    }
    return (unsigned long)ret;

 error:
    virDispatchError();
    return 0;
}

/* Whether the domain starts with the host, into *@autostart (0 or 1). */
int
virDomainGetAutostart(virDomainPtr domain, int *autostart)
{
    CHECK_DOMAIN(domain, error);
    CHECK_NONNULL(autostart, error);
    DRIVER_METHOD(domain->conn, domainGetAutostart, error);
    if (domain->conn->driver->domainGetAutostart(domain, autostart) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Mark (@autostart non-zero) or unmark the domain to start with the host. */
int
virDomainSetAutostart(virDomainPtr domain, int autostart)
{
    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    DRIVER_METHOD(domain->conn, domainSetAutostart, error);
    if (domain->conn->driver->domainSetAutostart(domain, autostart) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* 1 if the domain is running or paused, 0 if not, -1 on error. */
int
virDomainIsActive(virDomainPtr domain)
{
    int ret;

    CHECK_DOMAIN(domain, error);
    DRIVER_METHOD(domain->conn, domainIsActive, error);
    if ((ret = domain->conn->driver->domainIsActive(domain)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* 1 if the domain has a persistent definition, 0 if transient, -1 on error. */
int
virDomainIsPersistent(virDomainPtr domain)
{
    int ret;

    CHECK_DOMAIN(domain, error);
    DRIVER_METHOD(domain->conn, domainIsPersistent, error);
    if ((ret = domain->conn->driver->domainIsPersistent(domain)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* ---- domain lifecycle ----------------------------------------------------- */

/* Start a defined, inactive domain. */
int
virDomainCreate(virDomainPtr domain)
{
    const virHypervisorDriver *drv;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    if (drv->domainCreate) {
        if (drv->domainCreate(domain) == 0)
            return 0;
    } else if (drv->domainCreateWithFlags) {
        if (drv->domainCreateWithFlags(domain, 0) == 0)
            return 0;
    } else {
        virReportNoSupportFor(__func__);
    }

 error:
    virDispatchError();
    return -1;
}

/* Pause a running domain. */
int
virDomainSuspend(virDomainPtr domain)
{
    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    DRIVER_METHOD(domain->conn, domainSuspend, error);
    if (domain->conn->driver->domainSuspend(domain) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Continue a paused domain. */
int
virDomainResume(virDomainPtr domain)
{
    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    DRIVER_METHOD(domain->conn, domainResume, error);
    if (domain->conn->driver->domainResume(domain) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Ask the guest to shut down. */
int
virDomainShutdown(virDomainPtr domain)
{
    const virHypervisorDriver *drv;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    if (drv->domainShutdown) {
        if (drv->domainShutdown(domain) == 0)
            return 0;
    } else if (drv->domainShutdownFlags) {
        if (drv->domainShutdownFlags(domain, 0) == 0)
            return 0;
    } else {
        virReportNoSupportFor(__func__);
    }

 error:
    virDispatchError();
    return -1;
}

/* Ask the guest to reboot. */
int
virDomainReboot(virDomainPtr domain, unsigned int flags)
{
    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    DRIVER_METHOD(domain->conn, domainReboot, error);
    if (domain->conn->driver->domainReboot(domain, flags) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Stop the domain at once. */
int
virDomainDestroy(virDomainPtr domain)
{
    const virHypervisorDriver *drv;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    if (drv->domainDestroy) {
        if (drv->domainDestroy(domain) == 0)
            return 0;
    } else if (drv->domainDestroyFlags) {
        if (drv->domainDestroyFlags(domain, 0) == 0)
            return 0;
    } else {
        virReportNoSupportFor(__func__);
    }

 error:
    virDispatchError();
    return -1;
}

/* Remove the persistent definition (a running domain becomes transient). */
int
virDomainUndefine(virDomainPtr domain)
{
    const virHypervisorDriver *drv;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    if (drv->domainUndefine) {
        if (drv->domainUndefine(domain) == 0)
            return 0;
    } else if (drv->domainUndefineFlags) {
        if (drv->domainUndefineFlags(domain, 0) == 0)
            return 0;
    } else {
        virReportNoSupportFor(__func__);
    }

 error:
    virDispatchError();
    return -1;
}

/* Define a new domain or replace the definition of an existing one (same
 * name and UUID) from @xml. Caller frees the handle with virDomainFree. */
virDomainPtr
virDomainDefineXML(virConnectPtr conn, const char *xml)
{
    virDomainPtr ret = NULL;

    CHECK_CONN(conn, error);
    CHECK_WRITABLE(conn, error);
    CHECK_NONNULL(xml, error);
    if (conn->driver->domainDefineXML)
        ret = conn->driver->domainDefineXML(conn, xml);
    else if (conn->driver->domainDefineXMLFlags)
        ret = conn->driver->domainDefineXMLFlags(conn, xml, 0);
    else
        DRIVER_METHOD(conn, domainDefineXML, error);
    if (ret)
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* ---- flag variants ---------------------------------------------------------- */

/* The flag variant of a driver method if it has one, else the plain method
 * when no flag is given. */
#define FLAGS_OR_PLAIN(drv, flagMethod, plainMethod, label) \
    do { \
        if (!(drv)->flagMethod && !((drv)->plainMethod && flags == 0)) { \
            if ((drv)->plainMethod) \
                virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s", \
                               flags, __func__); \
            else \
                virReportNoSupportFor(__func__); \
            goto label; \
        } \
    } while (0)

/* virDomainCreate with flags (none defined yet). */
int
virDomainCreateWithFlags(virDomainPtr domain, unsigned int flags)
{
    const virHypervisorDriver *drv;
    int rc;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    FLAGS_OR_PLAIN(drv, domainCreateWithFlags, domainCreate, error);
    rc = drv->domainCreateWithFlags ? drv->domainCreateWithFlags(domain, flags)
                                    : drv->domainCreate(domain);
    if (rc == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* virDomainDefineXML with flags (libvirt's VIR_DOMAIN_DEFINE_VALIDATE). */
virDomainPtr
virDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    const virHypervisorDriver *drv;
    virDomainPtr ret;

    CHECK_CONN(conn, error);
    CHECK_WRITABLE(conn, error);
    CHECK_NONNULL(xml, error);
    drv = conn->driver;
    FLAGS_OR_PLAIN(drv, domainDefineXMLFlags, domainDefineXML, error);
    ret = drv->domainDefineXMLFlags ? drv->domainDefineXMLFlags(conn, xml, flags)
                                    : drv->domainDefineXML(conn, xml);
    if (ret)
        return ret;

 error:
    virDispatchError();
    return NULL;
}

/* virDomainUndefine with flags (what else to remove with the definition). */
int
virDomainUndefineFlags(virDomainPtr domain, unsigned int flags)
{
    const virHypervisorDriver *drv;
    int rc;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    FLAGS_OR_PLAIN(drv, domainUndefineFlags, domainUndefine, error);
    rc = drv->domainUndefineFlags ? drv->domainUndefineFlags(domain, flags)
                                  : drv->domainUndefine(domain);
    if (rc == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* virDomainDestroy with flags (libvirt's VIR_DOMAIN_DESTROY_GRACEFUL). */
int
virDomainDestroyFlags(virDomainPtr domain, unsigned int flags)
{
    const virHypervisorDriver *drv;
    int rc;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    FLAGS_OR_PLAIN(drv, domainDestroyFlags, domainDestroy, error);
    rc = drv->domainDestroyFlags ? drv->domainDestroyFlags(domain, flags)
                                 : drv->domainDestroy(domain);
    if (rc == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* virDomainShutdown with flags (the shutdown mode, as for virDomainReboot). */
int
virDomainShutdownFlags(virDomainPtr domain, unsigned int flags)
{
    const virHypervisorDriver *drv;
    int rc;

    CHECK_DOMAIN(domain, error);
    CHECK_WRITABLE(domain->conn, error);
    drv = domain->conn->driver;
    FLAGS_OR_PLAIN(drv, domainShutdownFlags, domainShutdown, error);
    rc = drv->domainShutdownFlags ? drv->domainShutdownFlags(domain, flags)
                                  : drv->domainShutdown(domain);
    if (rc == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* ---- more queries ------------------------------------------------------------- */

/* 1 if the domain has a managed save image, 0 if not, -1 on error. */
int
virDomainHasManagedSaveImage(virDomainPtr domain, unsigned int flags)
{
    int ret;

    CHECK_DOMAIN(domain, error);
    DRIVER_METHOD(domain->conn, domainHasManagedSaveImage, error);
    if ((ret = domain->conn->driver->domainHasManagedSaveImage(domain, flags)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Number of snapshots of the domain, or -1. */
int
virDomainSnapshotNum(virDomainPtr domain, unsigned int flags)
{
    int ret;

    CHECK_DOMAIN(domain, error);
    DRIVER_METHOD(domain->conn, domainSnapshotNum, error);
    if ((ret = domain->conn->driver->domainSnapshotNum(domain, flags)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Messages about the domain into *@msgs (NULL-terminated, caller frees
 * each and the array; NULL when there are none). Returns their number. */
int
virDomainGetMessages(virDomainPtr domain, char ***msgs, unsigned int flags)
{
    int ret;

    if (msgs)
        *msgs = NULL;
    CHECK_DOMAIN(domain, error);
    CHECK_NONNULL(msgs, error);
    DRIVER_METHOD(domain->conn, domainGetMessages, error);
    if ((ret = domain->conn->driver->domainGetMessages(domain, msgs, flags)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

#undef VIR_FROM_THIS
#define VIR_FROM_THIS VIR_FROM_NONE

/* 1 if the connection cannot be eavesdropped on (in-process, UNIX socket,
 * TLS), 0 if it can, -1 on error. */
int
virConnectIsSecure(virConnectPtr conn)
{
    int ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectIsSecure, error);
    if ((ret = conn->driver->connectIsSecure(conn)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* 1 if the connection is encrypted, 0 if not, -1 on error. */
int
virConnectIsEncrypted(virConnectPtr conn)
{
    int ret;

    CHECK_CONN(conn, error);
    DRIVER_METHOD(conn, connectIsEncrypted, error);
    if ((ret = conn->driver->connectIsEncrypted(conn)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* The host's security model ("" when it has none). */
int
virNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    CHECK_CONN(conn, error);
    CHECK_NONNULL(secmodel, error);
    memset(secmodel, 0, sizeof(*secmodel));
    DRIVER_METHOD(conn, nodeGetSecurityModel, error);
    if (conn->driver->nodeGetSecurityModel(conn, secmodel) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* ---- events --------------------------------------------------------------------- */

/* Legacy registrations are keyed by (connection, callback); the driver
 * knows only callback IDs, so remember which ID each one got. */
typedef struct {
    virConnectPtr conn;
    virConnectDomainEventCallback cb;
    int callbackID;
} virLegacyEventCallback;

static virLegacyEventCallback *legacyCallbacks;
static size_t nlegacyCallbacks;
static virMutex legacyCallbacksLock = { PTHREAD_MUTEX_INITIALIZER };

/* Call @cb for events @eventID (VIR_DOMAIN_EVENT_ID_*) of @dom, or of every
 * domain the caller may see if @dom is NULL. The registration keeps a
 * reference on @conn until it is deregistered; @freecb (if any) frees
 * @opaque then. Returns a callback ID >= 0, or -1. */
int
virConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                 virConnectDomainEventGenericCallback cb,
                                 void *opaque, virFreeCallback freecb)
{
    int ret;

    CHECK_CONN(conn, error);
    CHECK_NONNULL(cb, error);
    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "eventID in %s must be less than %d",
                       __func__, VIR_DOMAIN_EVENT_ID_LAST);
        goto error;
    }
    if (dom && dom->conn != conn) {
        virReportError(VIR_ERR_INVALID_ARG, "dom in %s must belong to the connection", __func__);
        goto error;
    }
    DRIVER_METHOD(conn, connectDomainEventRegisterAny, error);
    if ((ret = conn->driver->connectDomainEventRegisterAny(conn, dom, eventID, cb,
                                                           opaque, freecb)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Remove the registration @callbackID; its callback is not called again
 * once this returns. */
int
virConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    CHECK_CONN(conn, error);
    if (callbackID < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "callbackID in %s must be non-negative", __func__);
        goto error;
    }
    DRIVER_METHOD(conn, connectDomainEventDeregisterAny, error);
    if (conn->driver->connectDomainEventDeregisterAny(conn, callbackID) == 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Lifecycle events of every visible domain to @cb (at most once per
 * connection and callback). 0 or -1. */
int
virConnectDomainEventRegister(virConnectPtr conn, virConnectDomainEventCallback cb,
                              void *opaque, virFreeCallback freecb)
{
    virLegacyEventCallback entry;
    size_t i;
    int id;

    CHECK_CONN(conn, error);
    CHECK_NONNULL(cb, error);

    virMutexLock(&legacyCallbacksLock);
    for (i = 0; i < nlegacyCallbacks; i++) {
        if (legacyCallbacks[i].conn == conn && legacyCallbacks[i].cb == cb) {
            virMutexUnlock(&legacyCallbacksLock);
            virReportError(VIR_ERR_INVALID_ARG, "%s", "event callback already tracked");
            goto error;
        }
    }
    /* Registered under the lock, so two racing registrations of the same
     * callback cannot both succeed. */
    /* Through void (*)(void): the sanctioned way to store a callback of one
     * type in a pointer of another (VIR_DOMAIN_EVENT_CALLBACK warns). */
    id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          (virConnectDomainEventGenericCallback)
                                          (void (*)(void))cb, opaque, freecb);
    if (id >= 0) {
        entry.conn = conn;
        entry.cb = cb;
        entry.callbackID = id;
        VIR_APPEND_ELEMENT(legacyCallbacks, nlegacyCallbacks, entry);
    }
    virMutexUnlock(&legacyCallbacksLock);
    if (id >= 0)
        return 0;

 error:
    virDispatchError();
    return -1;
}

/* Undo virConnectDomainEventRegister of @cb on @conn. 0 or -1. */
int
virConnectDomainEventDeregister(virConnectPtr conn, virConnectDomainEventCallback cb)
{
    int id = -1;
    size_t i;

    CHECK_CONN(conn, error);
    CHECK_NONNULL(cb, error);

    virMutexLock(&legacyCallbacksLock);
    for (i = 0; i < nlegacyCallbacks; i++) {
        if (legacyCallbacks[i].conn == conn && legacyCallbacks[i].cb == cb) {
            id = legacyCallbacks[i].callbackID;
            memmove(legacyCallbacks + i, legacyCallbacks + i + 1,
                    (nlegacyCallbacks - i - 1) * sizeof(*legacyCallbacks));
            if (--nlegacyCallbacks == 0)
                VIR_FREE(legacyCallbacks);
            break;
        }
    }
    virMutexUnlock(&legacyCallbacksLock);
    if (id < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "could not find event callback for removal");
        goto error;
    }
    return virConnectDomainEventDeregisterAny(conn, id) == 0 ? 0 : -1;

 error:
    virDispatchError();
    return -1;
}

/* ---- statistics ------------------------------------------------------------------ */

/* Free @nparams parameters of @params (strings included) and the array. */
void
virTypedParamsFree(virTypedParameterPtr params, int nparams)
{
    int i;

    if (!params)
        return;
    for (i = 0; i < nparams; i++) {
        if (params[i].type == VIR_TYPED_PARAM_STRING)
            free(params[i].value.s);
    }
    free(params);
}

/* Free a NULL-terminated list of statistics records. */
void
virDomainStatsRecordListFree(virDomainStatsRecordPtr *stats)
{
    size_t i;

    if (!stats)
        return;
    for (i = 0; stats[i]; i++) {
        if (stats[i]->dom)
            virDomainFree(stats[i]->dom);
        virTypedParamsFree(stats[i]->params, stats[i]->nparams);
        free(stats[i]);
    }
    free(stats);
}

/* Statistics (@stats: VIR_DOMAIN_STATS_*, 0 for all) of the domains
 * matching @flags that the caller may read. */
int
virConnectGetAllDomainStats(virConnectPtr conn, unsigned int stats,
                            virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    int ret;

    if (retStats)
        *retStats = NULL;
    CHECK_CONN(conn, error);
    CHECK_NONNULL(retStats, error);
    DRIVER_METHOD(conn, connectGetAllDomainStats, error);
    if ((ret = conn->driver->connectGetAllDomainStats(conn, NULL, 0, stats,
                                                      retStats, flags)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}

/* Statistics of the NULL-terminated list @doms (all of one connection). */
int
virDomainListGetStats(virDomainPtr *doms, unsigned int stats,
                      virDomainStatsRecordPtr **retStats, unsigned int flags)
{
    virConnectPtr conn;
    unsigned int ndoms;
    int ret;

    virResetLastError();
    if (retStats)
        *retStats = NULL;
    CHECK_NONNULL(doms, error);
    CHECK_NONNULL(retStats, error);
    if (!doms[0]) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "doms in virDomainListGetStats must not be empty");
        goto error;
    }
    if (!virCheckDomainArg(doms[0], __func__))
        goto error;
    conn = doms[0]->conn;
    for (ndoms = 0; doms[ndoms]; ndoms++) {
        if (!virCheckDomainArg(doms[ndoms], __func__))
            goto error;
        if (doms[ndoms]->conn != conn) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "domains from different connections are not allowed");
            goto error;
        }
    }
    DRIVER_METHOD(conn, connectGetAllDomainStats, error);
    if ((ret = conn->driver->connectGetAllDomainStats(conn, doms, ndoms, stats,
                                                      retStats, flags)) >= 0)
        return ret;

 error:
    virDispatchError();
    return -1;
}
