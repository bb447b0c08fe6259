/*
 * test_driver.c: the "test" hypervisor driver, an in-memory host.
 *
 * A host is a list of domain objects. Every connection of the process to
 * the same URI path shares one host, created on first use and freed by
 * testStateCleanup (unlike libvirt, where each connection gets its own
 * copy): a daemon's clients then see each other's changes, as with a real
 * hypervisor.
 *
 * Locking: host->lock (rwlock) guards the host's list and its name and
 * UUID indexes; obj->lock guards a domain's state and definitions. Order:
 * host before object, and nothing takes the host lock while holding an
 * object lock. An object's name and UUID never change, so lookups compare
 * them under the host lock alone; its "removed" flag is also mirrored in an
 * atomic for the same reason. The index of active domains by id changes on
 * start and stop, under the object lock, so it has a lock of its own,
 * host->idLock, taken last (under the host or an object lock, never the
 * other way round).
 *
 * Every state change goes through testDomainSetState, which also queues
 * the lifecycle event; one dispatcher thread delivers events to each
 * registration whose identity may see the domain.
 *
 * Access: every driver method calls its own check from viraccessapicheck.h
 * after finding its object and before doing anything else.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datatypes.h"
#include "driver.h"
#include "test_driver.h"
#include "viraccessapicheck.h"
#include "viralloc.h"
#include "viridentity.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virhash.h"
#include "virlog.h"
#include "virthread.h"
#include "viruri.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_TEST

VIR_LOG_INIT("test.driver");

#define TEST_DEFAULT_PATH "/default"
#define TEST_HV_VERSION 2           /* "0.0.2", as libvirt's test driver says */
#define TEST_MAX_VCPUS 32

/* Flag values of libvirt that the test driver accepts. All change nothing
 * for an imaginary guest without managed save, snapshots or NVRAM. */
#define TEST_SHUTDOWN_MODES ((1u << 5) - 1)     /* ACPI, agent, initctl, signal, paravirt */
#define TEST_DESTROY_GRACEFUL (1u << 0)
#define TEST_DEFINE_VALIDATE (1u << 0)
#define TEST_UNDEFINE_FLAGS ((1u << 0) | (1u << 1) | (1u << 4)) /* managed save, snapshot
                                                                 * and checkpoint metadata */
#define TEST_SNAPSHOT_LIST_FLAGS ((1u << 11) - 1)
#define TEST_MESSAGE_FLAGS ((1u << 0) | (1u << 1)) /* deprecation, tainting */

/* The one domain of test:///default: libvirt's, so that both drivers
 * describe the same host. */
static const char testDefaultDomainXML[] =
    "<domain type='test'>"
    "  <name>test</name>"
    "  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
    "  <memory>8388608</memory>"
    "  <currentMemory>2097152</currentMemory>"
    "  <vcpu>2</vcpu>"
    "  <os><type arch='i686'>hvm</type><boot dev='hd'/></os>"
    "  <devices>"
    "    <disk type='file' device='disk'>"
    "      <source file='/guest/diskimage1'/>"
    "      <target dev='vda' bus='virtio'/>"
    "    </disk>"
    "    <interface type='network'>"
    "      <mac address='aa:bb:cc:dd:ee:ff'/>"
    "      <source network='default'/>"
    "    </interface>"
    "  </devices>"
    "</domain>";

typedef struct _testDomainObj testDomainObj;
struct _testDomainObj {
    char *name;                         /* immutable copy of def->name */
    unsigned char uuid[VIR_UUID_BUFLEN];/* immutable copy of def->uuid */
    int refs;                           /* atomic: the host's list holds one */
    int id;                             /* copy of def->id, the key in host->domsByID;
                                         * guarded by host->idLock */
    bool removed;                       /* atomic: set under lock, then unlinked */

    virMutex lock;                      /* guards everything below */
    virDomainDef *def;                  /* running definition, or the inactive one */
    virDomainDef *newDef;               /* defined while active: used from the next stop */
    int state;                          /* virDomainState */
    int reason;
    bool persistent;
    bool autostart;
    unsigned long long cpuTime;         /* ns, accumulated up to runningSince */
    struct timespec runningSince;       /* when it last entered RUNNING */
};

typedef struct _testHost testHost;
struct _testHost {
    char *path;                         /* the URI path: the key of the host */
    virNodeInfo info;                   /* immutable */
    int nextId;                         /* atomic: the id the next start gets */

    virRWLock lock;                     /* guards doms, ndoms and the two indexes */
    testDomainObj **doms;
    size_t ndoms;
    /* The object of each name and UUID, borrowing the object's own copies
     * as keys. A key maps to the one object with it not being removed, if
     * any: a removed object may linger (until it is unlinked) or have been
     * replaced by a new domain reusing its name; lookups check the flag. */
    virHashTable *domsByName;
    virHashTable *domsByUUID;

    virMutex idLock;                    /* guards domsByID and every obj->id */
    virHashTable *domsByID;             /* the active domains, keyed by obj->id */

    virMutex eventLock;                 /* guards callbacks and ncallbacks */
    struct _testEventCallback **callbacks;
    size_t ncallbacks;
    int nlisteners;                     /* atomic copy of ncallbacks, checked before queuing */
};

static virMutex testHostsLock = { PTHREAD_MUTEX_INITIALIZER };
static testHost **testHosts;
static size_t ntestHosts;

/* ---- events ------------------------------------------------------------------- */

/*
 * Events are queued by the thread that changes a domain and delivered by
 * one dispatcher thread per process, started with the first registration:
 * callbacks then never run under a driver lock nor delay the caller. Each
 * registration remembers the identity that made it, and an event reaches
 * it only if that identity may see the domain (the same check as lists).
 */

typedef struct _testEventCallback testEventCallback;
struct _testEventCallback {
    int refs;                           /* atomic: the host's list, each delivery */
    int callbackID;
    virConnectPtr conn;                 /* holds a reference until deregistered */
    bool hasDomain;                     /* only events of the domain with uuid */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int eventID;
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virFreeCallback freecb;
    virIdentity *identity;              /* whose access decides what is delivered */
    bool removed;                       /* atomic */
};

typedef struct _testEvent testEvent;
struct _testEvent {
    testHost *host;
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
    int eventID;
    int event;
    int detail;
};

static struct {
    virMutex lock;                      /* guards everything below */
    virCond cond;                       /* queue changed, or a delivery let go of a callback */
    testEvent **queue;
    size_t nqueue;
    bool started;
    bool quit;
    pthread_t thread;
} testEvents = {
    .lock = { PTHREAD_MUTEX_INITIALIZER },
    .cond = { PTHREAD_COND_INITIALIZER },
};

static int testNextCallbackID;          /* atomic */

static void
testEventCallbackUnref(testEventCallback *cb)
{
    if (!cb || __atomic_sub_fetch(&cb->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    if (cb->freecb)
        cb->freecb(cb->opaque);
    virIdentityUnref(cb->identity);
    virConnectClose(cb->conn);
    free(cb);
}

static void
testEventFree(testEvent *ev)
{
    if (!ev)
        return;
    free(ev->name);
    free(ev);
}

/* Queue an event about @obj (locked), if anyone listens on @host. */
static void
testDomainEventQueue(testHost *host, testDomainObj *obj, int eventID, int event, int detail)
{
    testEvent *ev;

    if (__atomic_load_n(&host->nlisteners, __ATOMIC_ACQUIRE) == 0)
        return;
    VIR_ALLOC(ev);
    ev->host = host;
    ev->name = virStrdup(obj->name);
    memcpy(ev->uuid, obj->uuid, VIR_UUID_BUFLEN);
    ev->id = obj->def->id;
    ev->eventID = eventID;
    ev->event = event;
    ev->detail = detail;

    virMutexLock(&testEvents.lock);
    VIR_APPEND_ELEMENT(testEvents.queue, testEvents.nqueue, ev);
    virCondBroadcast(&testEvents.cond);
    virMutexUnlock(&testEvents.lock);
}

/* Whether the identity that registered @cb may see the domain of @ev. */
static bool
testEventCallbackAllowed(testEventCallback *cb, const testEvent *ev)
{
    virDomainDef stub;
    bool allowed;

    /* A policy selects domains by name, uuid and id, which the event
     * carries; the domain itself may have changed or gone meanwhile. */
    memset(&stub, 0, sizeof(stub));
    stub.name = ev->name;
    memcpy(stub.uuid, ev->uuid, VIR_UUID_BUFLEN);
    stub.id = ev->id;
    stub.virtType = (char *)"test";

    virIdentitySetCurrent(cb->identity);
    allowed = virConnectDomainEventRegisterAnyCheckACL(cb->conn, &stub);
    virIdentitySetCurrent(NULL);
    return allowed;
}

static void
testEventDeliver(testEvent *ev)
{
    testHost *host = ev->host;
    testEventCallback **targets = NULL;
    size_t ntargets = 0;
    size_t i;

    virMutexLock(&host->eventLock);
    for (i = 0; i < host->ncallbacks; i++) {
        testEventCallback *cb = host->callbacks[i];

        if (cb->eventID != ev->eventID ||
            (cb->hasDomain && memcmp(cb->uuid, ev->uuid, VIR_UUID_BUFLEN) != 0))
            continue;
        __atomic_add_fetch(&cb->refs, 1, __ATOMIC_SEQ_CST);
        VIR_APPEND_ELEMENT(targets, ntargets, cb);
    }
    virMutexUnlock(&host->eventLock);

    for (i = 0; i < ntargets; i++) {
        testEventCallback *cb = targets[i];
        virDomainPtr dom;

        if (!__atomic_load_n(&cb->removed, __ATOMIC_ACQUIRE) &&
            testEventCallbackAllowed(cb, ev)) {
            dom = virGetDomain(cb->conn, ev->name, ev->uuid, ev->id);
            if (ev->eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
                ((virConnectDomainEventCallback)(void (*)(void))cb->cb)(cb->conn, dom, ev->event,
                                                                        ev->detail, cb->opaque);
            else
                cb->cb(cb->conn, dom, cb->opaque);
            virDomainFree(dom);
        }

        /* A deregistration may be waiting for this reference to go. */
        testEventCallbackUnref(cb);
        virMutexLock(&testEvents.lock);
        virCondBroadcast(&testEvents.cond);
        virMutexUnlock(&testEvents.lock);
    }
    free(targets);
}

static void *
testEventThread(void *opaque)
{
    for (;;) {
        testEvent *ev;

        virMutexLock(&testEvents.lock);
        while (!testEvents.nqueue && !testEvents.quit)
            virCondWait(&testEvents.cond, &testEvents.lock);
        if (testEvents.quit) {
            virMutexUnlock(&testEvents.lock);
            break;
        }
        ev = testEvents.queue[0];
        memmove(testEvents.queue, testEvents.queue + 1,
                (testEvents.nqueue - 1) * sizeof(*testEvents.queue));
        testEvents.nqueue--;
        virMutexUnlock(&testEvents.lock);

        testEventDeliver(ev);
        testEventFree(ev);
    }
    return opaque;
}

/* Start the dispatcher if it is not running. 0 or -1 (error reported). */
static int
testEventThreadEnsure(void)
{
    int rc = 0;

    virMutexLock(&testEvents.lock);
    if (!testEvents.started) {
        testEvents.quit = false;
        if ((rc = pthread_create(&testEvents.thread, NULL, testEventThread, NULL)) != 0)
            virReportSystemError(rc, "%s", "cannot start the event thread");
        else
            testEvents.started = true;
    }
    virMutexUnlock(&testEvents.lock);
    return rc == 0 ? 0 : -1;
}

/* Stop the dispatcher and drop undelivered events. */
static void
testEventThreadStop(void)
{
    size_t i;
    bool started;

    virMutexLock(&testEvents.lock);
    started = testEvents.started;
    testEvents.quit = true;
    virCondBroadcast(&testEvents.cond);
    virMutexUnlock(&testEvents.lock);
    if (started)
        pthread_join(testEvents.thread, NULL);

    virMutexLock(&testEvents.lock);
    for (i = 0; i < testEvents.nqueue; i++)
        testEventFree(testEvents.queue[i]);
    VIR_FREE(testEvents.queue);
    testEvents.nqueue = 0;
    testEvents.started = false;
    testEvents.quit = false;
    virMutexUnlock(&testEvents.lock);
}

/* Drop every registration of @host (at cleanup: their connections'
 * references go with them). */
static void
testHostDropCallbacks(testHost *host)
{
    size_t i;

    virMutexLock(&host->eventLock);
    for (i = 0; i < host->ncallbacks; i++) {
        __atomic_store_n(&host->callbacks[i]->removed, true, __ATOMIC_RELEASE);
        testEventCallbackUnref(host->callbacks[i]);
    }
    VIR_FREE(host->callbacks);
    host->ncallbacks = 0;
    __atomic_store_n(&host->nlisteners, 0, __ATOMIC_RELEASE);
    virMutexUnlock(&host->eventLock);
}

/* ---- domain objects ------------------------------------------------------- */

static testDomainObj *
testDomainObjNew(virDomainDef *def, bool persistent)
{
    testDomainObj *obj;

    VIR_ALLOC(obj);
    virMutexInit(&obj->lock);
    obj->refs = 1;
    obj->name = virStrdup(def->name);
    memcpy(obj->uuid, def->uuid, VIR_UUID_BUFLEN);
    obj->def = def;
    obj->def->id = -1;
    obj->id = -1;
    obj->state = VIR_DOMAIN_SHUTOFF;
    obj->reason = VIR_DOMAIN_SHUTOFF_UNKNOWN;
    obj->persistent = persistent;
    return obj;
}

static void
testDomainObjRef(testDomainObj *obj)
{
    __atomic_add_fetch(&obj->refs, 1, __ATOMIC_SEQ_CST);
}

static void
testDomainObjUnref(testDomainObj *obj)
{
    if (!obj || __atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    virDomainDefFree(obj->def);
    virDomainDefFree(obj->newDef);
    virMutexDestroy(&obj->lock);
    free(obj->name);
    free(obj);
}

static bool
testDomainObjIsRemoved(testDomainObj *obj)
{
    return __atomic_load_n(&obj->removed, __ATOMIC_ACQUIRE);
}

static bool
testDomainObjIsActive(const testDomainObj *obj)
{
    return obj->state != VIR_DOMAIN_SHUTOFF;
}

static unsigned long long
testTimespecDiffNs(const struct timespec *from, const struct timespec *to)
{
    long long ns = (long long)(to->tv_sec - from->tv_sec) * 1000000000LL +
                   (to->tv_nsec - from->tv_nsec);

    return ns > 0 ? (unsigned long long)ns : 0;
}

/* CPU time used so far: every vCPU busy for all the time spent running. */
static unsigned long long
testDomainObjCPUTime(const testDomainObj *obj)
{
    struct timespec now;

    if (obj->state != VIR_DOMAIN_RUNNING)
        return obj->cpuTime;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return obj->cpuTime +
           testTimespecDiffNs(&obj->runningSince, &now) * (obj->def->vcpus ? obj->def->vcpus : 1);
}

/* Give @obj the id @id (-1: none) and keep the index of active domains in
 * step. */
static void
testHostSetDomainID(testHost *host, testDomainObj *obj, int id)
{
    virMutexLock(&host->idLock);
    if (obj->id >= 0)
        virHashTableRemove(host->domsByID, &obj->id);
    obj->id = id;
    if (id >= 0)
        virHashTableInsert(host->domsByID, &obj->id, obj);
    virMutexUnlock(&host->idLock);
}

/*
 * Every state change of a domain goes through here, and raises its
 * lifecycle event. Caller holds obj->lock and has checked that the
 * transition is valid. Starting assigns the next id; stopping clears it,
 * applies a definition saved while the domain was active, and flags a
 * transient domain for removal (the caller unlinks it, see
 * testDomainObjEndAPI).
 */
static void
testDomainSetState(testHost *host, testDomainObj *obj, int state, int reason)
{
    bool wasActive = testDomainObjIsActive(obj);
    bool active = state != VIR_DOMAIN_SHUTOFF;
    struct timespec now;
    int event = -1;
    int detail = 0;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (obj->state == VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_RUNNING)
        obj->cpuTime += testTimespecDiffNs(&obj->runningSince, &now) *
                        (obj->def->vcpus ? obj->def->vcpus : 1);

    if (!wasActive && active) {
        int id = __atomic_fetch_add(&host->nextId, 1, __ATOMIC_SEQ_CST);

        obj->cpuTime = 0;
        obj->def->id = id;
        testHostSetDomainID(host, obj, id);
    }
    if (state == VIR_DOMAIN_RUNNING && obj->state != VIR_DOMAIN_RUNNING)
        obj->runningSince = now;

    if (wasActive && !active) {
        obj->def->id = -1;
        /* Out of the id index before it may be flagged removed below: an
         * object in the index is never removed. */
        testHostSetDomainID(host, obj, -1);
        if (obj->newDef) {
            virDomainDefFree(obj->def);
            obj->def = obj->newDef;
            obj->newDef = NULL;
            obj->def->id = -1;
        }
        if (!obj->persistent)
            __atomic_store_n(&obj->removed, true, __ATOMIC_RELEASE);
    }

    VIR_DEBUG("domain '%s' state %d/%d -> %d/%d", obj->name, obj->state, obj->reason,
              state, reason);
    if (!wasActive && active) {
        event = VIR_DOMAIN_EVENT_STARTED;
        detail = VIR_DOMAIN_EVENT_STARTED_BOOTED;
    } else if (wasActive && !active) {
        event = VIR_DOMAIN_EVENT_STOPPED;
        detail = reason == VIR_DOMAIN_SHUTOFF_DESTROYED ? VIR_DOMAIN_EVENT_STOPPED_DESTROYED
                                                        : VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN;
    } else if (state == VIR_DOMAIN_PAUSED && obj->state != VIR_DOMAIN_PAUSED) {
        event = VIR_DOMAIN_EVENT_SUSPENDED;
        detail = VIR_DOMAIN_EVENT_SUSPENDED_PAUSED;
    } else if (state == VIR_DOMAIN_RUNNING && obj->state == VIR_DOMAIN_PAUSED) {
        event = VIR_DOMAIN_EVENT_RESUMED;
        detail = VIR_DOMAIN_EVENT_RESUMED_UNPAUSED;
    }
    obj->state = state;
    obj->reason = reason;
    if (event >= 0)
        testDomainEventQueue(host, obj, VIR_DOMAIN_EVENT_ID_LIFECYCLE, event, detail);
}

/* ---- hosts ---------------------------------------------------------------- */

static testHost *
testHostNew(const char *path, const virNodeInfo *info)
{
    testHost *host;

    VIR_ALLOC(host);
    host->path = virStrdup(path);
    host->info = *info;
    host->nextId = 1;
    virRWLockInit(&host->lock);
    host->domsByName = virHashTableNew(0);
    host->domsByUUID = virHashTableNew(VIR_UUID_BUFLEN);
    virMutexInit(&host->idLock);
    host->domsByID = virHashTableNew(sizeof(int));
    virMutexInit(&host->eventLock);
    return host;
}

static void
testHostFree(testHost *host)
{
    size_t i;

    if (!host)
        return;
    virHashTableFree(host->domsByName);
    virHashTableFree(host->domsByUUID);
    virHashTableFree(host->domsByID);
    virMutexDestroy(&host->idLock);
    for (i = 0; i < host->ndoms; i++)
        testDomainObjUnref(host->doms[i]);
    free(host->doms);
    testHostDropCallbacks(host);
    virMutexDestroy(&host->eventLock);
    virRWLockDestroy(&host->lock);
    free(host->path);
    free(host);
}

/* Find by name or UUID among the domains not being removed; caller holds
 * host->lock. Borrowed. */
static testDomainObj *
testHostFindLocked(testHost *host, const char *name, const unsigned char *uuid)
{
    testDomainObj *obj = name ? virHashTableLookup(host->domsByName, name)
                              : virHashTableLookup(host->domsByUUID, uuid);

    /* The index may still hold an object flagged removed but not unlinked
     * yet; no other object has its key then (see testHostAddLocked). */
    if (obj && testDomainObjIsRemoved(obj))
        return NULL;
    return obj;
}

/* Lock a referenced object found by a lookup; NULL (and the reference
 * dropped) if it was removed meanwhile. */
static testDomainObj *
testDomainObjLockFound(testDomainObj *obj)
{
    if (!obj)
        return NULL;
    virMutexLock(&obj->lock);
    if (testDomainObjIsRemoved(obj)) {
        virMutexUnlock(&obj->lock);
        testDomainObjUnref(obj);
        return NULL;
    }
    return obj;
}

/* The domain called @name or with @uuid (one of them NULL), locked and
 * referenced; NULL if there is none. Reports nothing. */
static testDomainObj *
testHostFind(testHost *host, const char *name, const unsigned char *uuid)
{
    testDomainObj *obj;

    virRWLockRead(&host->lock);
    if ((obj = testHostFindLocked(host, name, uuid)))
        testDomainObjRef(obj);
    virRWLockUnlock(&host->lock);
    return testDomainObjLockFound(obj);
}

/* The active domain with @id, locked and referenced, or NULL. */
static testDomainObj *
testHostFindByID(testHost *host, int id)
{
    testDomainObj *obj;

    if (id < 0)
        return NULL;
    /* No need for host->lock: an object in the id index is active, so not
     * removed, and the list's reference keeps it alive. */
    virMutexLock(&host->idLock);
    if ((obj = virHashTableLookup(host->domsByID, &id)))
        testDomainObjRef(obj);
    virMutexUnlock(&host->idLock);

    /* The id may have changed between the lookup and the lock. */
    if ((obj = testDomainObjLockFound(obj)) && obj->def->id != id) {
        virMutexUnlock(&obj->lock);
        testDomainObjUnref(obj);
        obj = NULL;
    }
    return obj;
}

/* Add @obj to the host (the list takes over the caller's reference).
 * Caller holds host->lock for writing and has checked that no object not
 * being removed has its name or UUID. An entry it replaces in an index is
 * then one of a removed object, which lookups would skip anyway. */
static void
testHostAddLocked(testHost *host, testDomainObj *obj)
{
    VIR_APPEND_ELEMENT(host->doms, host->ndoms, obj);
    virHashTableInsert(host->domsByName, obj->name, obj);
    virHashTableInsert(host->domsByUUID, obj->uuid, obj);
}

/* Unlink @obj, flagged removed, from the host and drop the list's reference. */
static void
testHostRemove(testHost *host, testDomainObj *obj)
{
    size_t i;
    bool found = false;

    virRWLockWrite(&host->lock);
    for (i = 0; i < host->ndoms; i++) {
        if (host->doms[i] == obj) {
            memmove(host->doms + i, host->doms + i + 1,
                    (host->ndoms - i - 1) * sizeof(*host->doms));
            host->ndoms--;
            found = true;
            break;
        }
    }
    /* Its keys may meanwhile belong to a new domain of the same name or
     * UUID, whose entries stay. */
    if (found && virHashTableLookup(host->domsByName, obj->name) == obj)
        virHashTableRemove(host->domsByName, obj->name);
    if (found && virHashTableLookup(host->domsByUUID, obj->uuid) == obj)
        virHashTableRemove(host->domsByUUID, obj->uuid);
    virRWLockUnlock(&host->lock);
    if (found)
        testDomainObjUnref(obj);
}

/* Finish with an object from a lookup: unlock it, unlink it if the call
 * removed it, and drop the call's reference. */
static void
testDomainObjEndAPI(testHost *host, testDomainObj **objp)
{
    testDomainObj *obj = *objp;
    bool removed;

    if (!obj)
        return;
    removed = testDomainObjIsRemoved(obj);
    virMutexUnlock(&obj->lock);
    if (removed)
        testHostRemove(host, obj);
    testDomainObjUnref(obj);
    *objp = NULL;
}

/* Put a domain of the initial configuration on a new host, in its state. */
static int
testHostAddInitial(testHost *host, testNodeDomain *nd)
{
    testDomainObj *obj;

    if (testHostFindLocked(host, nd->def->name, NULL) ||
        testHostFindLocked(host, NULL, nd->def->uuid)) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        virReportError(VIR_ERR_OPERATION_FAILED,
                       "node file '%s': domain '%s' (uuid %s) clashes with an earlier domain "
                       "of the same name or uuid",
                       host->path, nd->def->name, virUUIDFormat(nd->def->uuid, uuidstr));
        return -1;
    }
    obj = testDomainObjNew(nd->def, nd->persistent);
    nd->def = NULL;
    if (nd->state != VIR_DOMAIN_SHUTOFF)
        testDomainSetState(host, obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    if (nd->state == VIR_DOMAIN_PAUSED)
        testDomainSetState(host, obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    testHostAddLocked(host, obj);
    return 0;
}

/* Build the host for @path: the built-in one or a node file's. */
static testHost *
testHostLoad(const char *path)
{
    testNodeConfig cfg;
    testHost *host;
    size_t i;

    memset(&cfg, 0, sizeof(cfg));
    if (STREQ(path, TEST_DEFAULT_PATH)) {
        testNodeDomain nd = { NULL, VIR_DOMAIN_RUNNING, true };

        testNodeInfoDefaults(&cfg.info);
        if (!(nd.def = virDomainDefParseString(testDefaultDomainXML)))
            return NULL;
        VIR_APPEND_ELEMENT(cfg.domains, cfg.ndomains, nd);
    } else if (testNodeConfigLoad(&cfg, path) < 0) {
        return NULL;
    }

    host = testHostNew(path, &cfg.info);
    /* Not shared yet, but the helpers expect the lock held. */
    virRWLockWrite(&host->lock);
    for (i = 0; i < cfg.ndomains; i++) {
        if (testHostAddInitial(host, &cfg.domains[i]) < 0) {
            virRWLockUnlock(&host->lock);
            testHostFree(host);
            testNodeConfigClear(&cfg);
            return NULL;
        }
    }
    virRWLockUnlock(&host->lock);
    testNodeConfigClear(&cfg);
    VIR_DEBUG("test host '%s' created with %zu domains", path, host->ndoms);
    return host;
}

/* The host of @path, created on first use. */
static testHost *
testHostGet(const char *path)
{
    testHost *host = NULL;
    size_t i;

    virMutexLock(&testHostsLock);
    for (i = 0; i < ntestHosts; i++) {
        if (STREQ(testHosts[i]->path, path)) {
            host = testHosts[i];
            break;
        }
    }
    if (!host && (host = testHostLoad(path)))
        VIR_APPEND_ELEMENT(testHosts, ntestHosts, host);
    virMutexUnlock(&testHostsLock);
    return host;
}

void
testStateCleanup(void)
{
    size_t i;

    testEventThreadStop();
    virMutexLock(&testHostsLock);
    for (i = 0; i < ntestHosts; i++)
        testHostFree(testHosts[i]);
    VIR_FREE(testHosts);
    ntestHosts = 0;
    virMutexUnlock(&testHostsLock);
}

/* ---- helpers for the methods ---------------------------------------------- */

static testHost *
testHostOf(virConnectPtr conn)
{
    return conn->privateData;
}

/* The object behind a domain handle, locked and referenced; not-found
 * reported if it is gone. */
static testDomainObj *
testDomObjFromDomain(virDomainPtr dom)
{
    testDomainObj *obj = testHostFind(testHostOf(dom->conn), NULL, dom->uuid);

    if (!obj)
        virReportDomainNotFoundUUID(dom->uuid, dom->name);
    return obj;
}

static virDomainPtr
testDomainObjHandle(virConnectPtr conn, const testDomainObj *obj)
{
    return virGetDomain(conn, obj->name, obj->uuid, obj->def->id);
}

static bool
testCheckFlags(unsigned int flags, unsigned int supported, const char *func)
{
    if (!(flags & ~supported))
        return true;
    virReportErrorFull(VIR_FROM_TEST, VIR_ERR_INVALID_ARG, __FILE__, func, __LINE__,
                       "unsupported flags (0x%x) in function %s", flags & ~supported, func);
    return false;
}

static void
testReportInvalidState(const char *why)
{
    virReportError(VIR_ERR_OPERATION_INVALID, "%s", why);
}

/* ---- connection ------------------------------------------------------------- */

static virDrvOpenStatus
testConnectOpen(virConnectPtr conn, unsigned int flags)
{
    testHost *host;

    if (!conn->uri || !conn->uri->scheme || STRNEQ(conn->uri->scheme, "test"))
        return VIR_DRV_OPEN_DECLINED;
    /* test://host/... names a remote host's test driver. */
    if (conn->uri->server)
        return VIR_DRV_OPEN_DECLINED;
    if (!testCheckFlags(flags, VIR_CONNECT_RO, __func__))
        return VIR_DRV_OPEN_ERROR;
    if (!conn->uri->path || conn->uri->path[0] != '/') {
        virReportError(VIR_ERR_INVALID_ARG, "%s",
                       "testOpen: supply a path or use test:///default");
        return VIR_DRV_OPEN_ERROR;
    }

    if (!(host = testHostGet(conn->uri->path)))
        return VIR_DRV_OPEN_ERROR;
    conn->privateData = host;

    if (virConnectOpenEnsureACL(conn) < 0) {
        conn->privateData = NULL;
        return VIR_DRV_OPEN_ERROR;
    }
    return VIR_DRV_OPEN_SUCCESS;
}

static int
testConnectClose(virConnectPtr conn)
{
    /* The host outlives its connections (see testStateCleanup). */
    conn->privateData = NULL;
    return 0;
}

static const char *
testConnectGetType(virConnectPtr conn)
{
    if (virConnectGetTypeEnsureACL(conn) < 0)
        return NULL;
    return "TEST";
}

static int
testConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    if (virConnectGetVersionEnsureACL(conn) < 0)
        return -1;
    *hvVer = TEST_HV_VERSION;
    return 0;
}

static int
testConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    if (virConnectGetLibVersionEnsureACL(conn) < 0)
        return -1;
    *libVer = TENVIRT_VERSION_NUMBER;
    return 0;
}

static char *
testConnectGetHostname(virConnectPtr conn)
{
    char name[256];

    if (virConnectGetHostnameEnsureACL(conn) < 0)
        return NULL;
    if (gethostname(name, sizeof(name)) < 0) {
        virReportSystemError(errno, "%s", "cannot get the host name");
        return NULL;
    }
    name[sizeof(name) - 1] = '\0';
    return virStrdup(name);
}

static char *
testConnectGetCapabilities(virConnectPtr conn)
{
    testHost *host = testHostOf(conn);
    virBuffer buf = VIR_BUFFER_INITIALIZER;

    if (virConnectGetCapabilitiesEnsureACL(conn) < 0)
        return NULL;

    virBufferAddLit(&buf, "<capabilities>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<host>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<cpu>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<arch>i686</arch>\n");
    virBufferEscapeString(&buf, "<model>%s</model>\n", host->info.model);
    virBufferAsprintf(&buf, "<topology sockets='%u' dies='1' cores='%u' threads='%u'/>\n",
                      host->info.sockets, host->info.cores, host->info.threads);
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</cpu>\n");
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</host>\n");
    virBufferAddLit(&buf, "<guest>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<os_type>hvm</os_type>\n");
    virBufferAddLit(&buf, "<arch name='i686'>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<wordsize>32</wordsize>\n");
    virBufferAddLit(&buf, "<domain type='test'/>\n");
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</arch>\n");
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</guest>\n");
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</capabilities>\n");
    return virBufferContentAndReset(&buf);
}

static int
testConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    if (virConnectGetMaxVcpusEnsureACL(conn) < 0)
        return -1;
    return TEST_MAX_VCPUS;
}

static int
testNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    if (virNodeGetInfoEnsureACL(conn) < 0)
        return -1;
    *info = testHostOf(conn)->info;
    return 0;
}

/* ---- domain lists ------------------------------------------------------------- */

#define TEST_LIST_FILTERS \
    (VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE | \
     VIR_CONNECT_LIST_DOMAINS_PERSISTENT | VIR_CONNECT_LIST_DOMAINS_TRANSIENT | \
     VIR_CONNECT_LIST_DOMAINS_RUNNING | VIR_CONNECT_LIST_DOMAINS_PAUSED | \
     VIR_CONNECT_LIST_DOMAINS_SHUTOFF | VIR_CONNECT_LIST_DOMAINS_OTHER | \
     VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | \
     VIR_CONNECT_LIST_DOMAINS_AUTOSTART | VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART | \
     VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT)

/* Within one group of filter flags the domain must match one of those
 * given; a group with no flag given does not filter. */
static bool
testFilterGroup(unsigned int flags, unsigned int group, unsigned int matching)
{
    return !(flags & group) || (flags & group & matching);
}

/* Whether @obj (locked) passes the virConnectListAllDomains filters. */
static bool
testDomainObjMatchesFilter(const testDomainObj *obj, unsigned int flags)
{
    unsigned int has = 0;

    has |= testDomainObjIsActive(obj) ? VIR_CONNECT_LIST_DOMAINS_ACTIVE
                                      : VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    has |= obj->persistent ? VIR_CONNECT_LIST_DOMAINS_PERSISTENT
                           : VIR_CONNECT_LIST_DOMAINS_TRANSIENT;
    switch (obj->state) {
    case VIR_DOMAIN_RUNNING:
        has |= VIR_CONNECT_LIST_DOMAINS_RUNNING;
        break;
    case VIR_DOMAIN_PAUSED:
        has |= VIR_CONNECT_LIST_DOMAINS_PAUSED;
        break;
    case VIR_DOMAIN_SHUTOFF:
        has |= VIR_CONNECT_LIST_DOMAINS_SHUTOFF;
        break;
    default:
        has |= VIR_CONNECT_LIST_DOMAINS_OTHER;
        break;
    }
    /* The test driver has neither managed save images nor snapshots. */
    has |= VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE | VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT;
    has |= obj->autostart ? VIR_CONNECT_LIST_DOMAINS_AUTOSTART
                          : VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART;

    return testFilterGroup(flags, VIR_CONNECT_LIST_DOMAINS_ACTIVE |
                                  VIR_CONNECT_LIST_DOMAINS_INACTIVE, has) &&
           testFilterGroup(flags, VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
                                  VIR_CONNECT_LIST_DOMAINS_TRANSIENT, has) &&
           testFilterGroup(flags, VIR_CONNECT_LIST_DOMAINS_RUNNING |
                                  VIR_CONNECT_LIST_DOMAINS_PAUSED |
                                  VIR_CONNECT_LIST_DOMAINS_SHUTOFF |
                                  VIR_CONNECT_LIST_DOMAINS_OTHER, has) &&
           testFilterGroup(flags, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE |
                                  VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE, has) &&
           testFilterGroup(flags, VIR_CONNECT_LIST_DOMAINS_AUTOSTART |
                                  VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, has) &&
           testFilterGroup(flags, VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT |
                                  VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT, has);
}

static int
testConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    testHost *host = testHostOf(conn);
    virAccessDomainFilter filter;
    virDomainPtr *doms = NULL;
    size_t ndoms = 0;
    size_t i;

    if (!testCheckFlags(flags, TEST_LIST_FILTERS, __func__))
        return -1;
    if (virConnectListAllDomainsEnsureACL(conn) < 0)
        return -1;
    if (virConnectListAllDomainsFilterBegin(conn, &filter) < 0)
        return -1;

    virRWLockRead(&host->lock);
    /* Room for every domain and the NULL that libvirt's callers expect at
     * the end, rather than growing one by one. */
    if (domains)
        VIR_ALLOC_N(doms, host->ndoms + 1);
    for (i = 0; i < host->ndoms; i++) {
        testDomainObj *obj = host->doms[i];

        virMutexLock(&obj->lock);
        if (!testDomainObjIsRemoved(obj) &&
            testDomainObjMatchesFilter(obj, flags) &&
            virAccessDomainFilterKeep(&filter, obj->def)) {
            if (domains)
                doms[ndoms] = testDomainObjHandle(conn, obj);
            ndoms++;
        }
        virMutexUnlock(&obj->lock);
    }
    virRWLockUnlock(&host->lock);
    virAccessDomainFilterEnd(&filter);

    if (domains) {
        /* Give back the room of the domains left out. */
        VIR_REALLOC_N(doms, ndoms + 1);
        doms[ndoms] = NULL;
        *domains = doms;
    }
    return (int)ndoms;
}

static int
testConnectNumOfDomains(virConnectPtr conn)
{
    testHost *host = testHostOf(conn);
    virAccessDomainFilter filter;
    int count = 0;
    size_t i;

    if (virConnectNumOfDomainsEnsureACL(conn) < 0)
        return -1;
    if (virConnectNumOfDomainsFilterBegin(conn, &filter) < 0)
        return -1;

    virRWLockRead(&host->lock);
    for (i = 0; i < host->ndoms; i++) {
        testDomainObj *obj = host->doms[i];

        virMutexLock(&obj->lock);
        if (!testDomainObjIsRemoved(obj) && testDomainObjIsActive(obj) &&
            virAccessDomainFilterKeep(&filter, obj->def))
            count++;
        virMutexUnlock(&obj->lock);
    }
    virRWLockUnlock(&host->lock);
    virAccessDomainFilterEnd(&filter);
    return count;
}

static int
testConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    testHost *host = testHostOf(conn);
    virAccessDomainFilter filter;
    int count = 0;
    size_t i;

    if (virConnectListDomainsEnsureACL(conn) < 0)
        return -1;
    if (virConnectListDomainsFilterBegin(conn, &filter) < 0)
        return -1;

    virRWLockRead(&host->lock);
    for (i = 0; i < host->ndoms && count < maxids; i++) {
        testDomainObj *obj = host->doms[i];

        virMutexLock(&obj->lock);
        if (!testDomainObjIsRemoved(obj) && testDomainObjIsActive(obj) &&
            virAccessDomainFilterKeep(&filter, obj->def))
            ids[count++] = obj->def->id;
        virMutexUnlock(&obj->lock);
    }
    virRWLockUnlock(&host->lock);
    virAccessDomainFilterEnd(&filter);
    return count;
}

static int
testConnectNumOfDefinedDomains(virConnectPtr conn)
{
    testHost *host = testHostOf(conn);
    virAccessDomainFilter filter;
    int count = 0;
    size_t i;

    if (virConnectNumOfDefinedDomainsEnsureACL(conn) < 0)
        return -1;
    if (virConnectNumOfDefinedDomainsFilterBegin(conn, &filter) < 0)
        return -1;

    virRWLockRead(&host->lock);
    for (i = 0; i < host->ndoms; i++) {
        testDomainObj *obj = host->doms[i];

        virMutexLock(&obj->lock);
        if (!testDomainObjIsRemoved(obj) && !testDomainObjIsActive(obj) &&
            virAccessDomainFilterKeep(&filter, obj->def))
            count++;
        virMutexUnlock(&obj->lock);
    }
    virRWLockUnlock(&host->lock);
    virAccessDomainFilterEnd(&filter);
    return count;
}

static int
testConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    testHost *host = testHostOf(conn);
    virAccessDomainFilter filter;
    int count = 0;
    size_t i;

    if (virConnectListDefinedDomainsEnsureACL(conn) < 0)
        return -1;
    if (virConnectListDefinedDomainsFilterBegin(conn, &filter) < 0)
        return -1;

    virRWLockRead(&host->lock);
    for (i = 0; i < host->ndoms && count < maxnames; i++) {
        testDomainObj *obj = host->doms[i];

        virMutexLock(&obj->lock);
        if (!testDomainObjIsRemoved(obj) && !testDomainObjIsActive(obj) &&
            virAccessDomainFilterKeep(&filter, obj->def))
            names[count++] = virStrdup(obj->name);
        virMutexUnlock(&obj->lock);
    }
    virRWLockUnlock(&host->lock);
    virAccessDomainFilterEnd(&filter);
    return count;
}

/* ---- lookups ------------------------------------------------------------------ */

/* A domain the caller may not see is reported exactly like a missing one. */

static virDomainPtr
testDomainLookupByID(virConnectPtr conn, int id)
{
    testHost *host = testHostOf(conn);
    testDomainObj *obj = testHostFindByID(host, id);
    virDomainPtr ret = NULL;

    if (!obj || !virDomainLookupByIDCheckACL(conn, obj->def)) {
        virReportDomainNotFoundID(id);
        goto cleanup;
    }
    ret = testDomainObjHandle(conn, obj);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static virDomainPtr
testDomainLookupByName(virConnectPtr conn, const char *name)
{
    testHost *host = testHostOf(conn);
    testDomainObj *obj = testHostFind(host, name, NULL);
    virDomainPtr ret = NULL;

    if (!obj || !virDomainLookupByNameCheckACL(conn, obj->def)) {
        virReportDomainNotFoundName(name);
        goto cleanup;
    }
    ret = testDomainObjHandle(conn, obj);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static virDomainPtr
testDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    testHost *host = testHostOf(conn);
    testDomainObj *obj = testHostFind(host, NULL, uuid);
    virDomainPtr ret = NULL;

    if (!obj || !virDomainLookupByUUIDCheckACL(conn, obj->def)) {
        virReportDomainNotFoundUUID(uuid, NULL);
        goto cleanup;
    }
    ret = testDomainObjHandle(conn, obj);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

/* ---- domain queries ------------------------------------------------------------- */

static int
testDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainGetInfoEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    info->state = (unsigned char)obj->state;
    info->maxMem = (unsigned long)obj->def->maxMemory;
    info->memory = (unsigned long)obj->def->curMemory;
    info->nrVirtCpu = (unsigned short)obj->def->vcpus;
    info->cpuTime = testDomainObjCPUTime(obj);
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, 0, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainGetStateEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    *state = obj->state;
    if (reason)
        *reason = obj->reason;
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static char *
testDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    const virDomainDef *def;
    unsigned int formatFlags = 0;
    char *ret = NULL;

    if (!testCheckFlags(flags, VIR_DOMAIN_XML_SECURE | VIR_DOMAIN_XML_INACTIVE |
                        VIR_DOMAIN_XML_UPDATE_CPU | VIR_DOMAIN_XML_MIGRATABLE, __func__))
        return NULL;
    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;
    if (virDomainGetXMLDescEnsureACL(dom->conn, obj->def, flags) < 0)
        goto cleanup;

    def = obj->def;
    if (flags & (VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_MIGRATABLE)) {
        /* The definition the next start will use. */
        if (obj->newDef)
            def = obj->newDef;
        formatFlags |= VIR_DOMAIN_DEF_FORMAT_INACTIVE;
    }
    if (flags & VIR_DOMAIN_XML_SECURE)
        formatFlags |= VIR_DOMAIN_DEF_FORMAT_SECURE;
    ret = virDomainDefFormat(def, formatFlags);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static char *
testDomainGetOSType(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    char *ret = NULL;

    if (!(obj = testDomObjFromDomain(dom)))
        return NULL;
    if (virDomainGetOSTypeEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = virStrdup(obj->def->osType ? obj->def->osType : "hvm");

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static unsigned long long
testDomainGetMaxMemory(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    unsigned long long ret = 0;

    if (!(obj = testDomObjFromDomain(dom)))
        return 0;
    if (virDomainGetMaxMemoryEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = obj->def->maxMemory;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainGetAutostartEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    *autostart = obj->autostart ? 1 : 0;
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainSetAutostart(virDomainPtr dom, int autostart)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainSetAutostartEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    /* A transient domain has no definition the host could start from. */
    if (!obj->persistent) {
        testReportInvalidState("cannot set autostart for transient domain");
        goto cleanup;
    }
    obj->autostart = autostart != 0;
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainIsActive(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainIsActiveEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjIsActive(obj) ? 1 : 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainIsPersistent(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainIsPersistentEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = obj->persistent ? 1 : 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

/* ---- lifecycle -------------------------------------------------------------------- */

/*
 * The transitions, shared by the plain and the flag variants of each
 * method. The caller has found @obj (locked) and checked access.
 */

static int
testDomainObjStart(testHost *host, testDomainObj *obj, virDomainPtr dom)
{
    if (testDomainObjIsActive(obj)) {
        testReportInvalidState("domain is already running");
        return -1;
    }
    testDomainSetState(host, obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    __atomic_store_n(&dom->id, obj->def->id, __ATOMIC_RELAXED);
    return 0;
}

static int
testDomainObjShutdown(testHost *host, testDomainObj *obj, virDomainPtr dom)
{
    if (!testDomainObjIsActive(obj)) {
        testReportInvalidState("domain is not running");
        return -1;
    }
    /* The imaginary guest obeys at once. */
    testDomainSetState(host, obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    __atomic_store_n(&dom->id, -1, __ATOMIC_RELAXED);
    return 0;
}

static int
testDomainObjDestroy(testHost *host, testDomainObj *obj, virDomainPtr dom)
{
    if (!testDomainObjIsActive(obj)) {
        testReportInvalidState("domain is not running");
        return -1;
    }
    testDomainSetState(host, obj, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_DESTROYED);
    __atomic_store_n(&dom->id, -1, __ATOMIC_RELAXED);
    return 0;
}

static int
testDomainObjUndefine(testHost *host, testDomainObj *obj)
{
    if (!obj->persistent) {
        testReportInvalidState("cannot undefine transient domain");
        return -1;
    }
    obj->autostart = false;
    if (testDomainObjIsActive(obj)) {
        /* Keeps running until it stops, then vanishes. */
        obj->persistent = false;
        virDomainDefFree(obj->newDef);
        obj->newDef = NULL;
    } else {
        __atomic_store_n(&obj->removed, true, __ATOMIC_RELEASE);
    }
    testDomainEventQueue(host, obj, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_UNDEFINED,
                         VIR_DOMAIN_EVENT_UNDEFINED_REMOVED);
    return 0;
}

/* Whether the caller may see @obj. Uses only the name and UUID, which the
 * host lock (held by the caller) protects, not the object's definition. */
static bool
testDomainObjVisible(virConnectPtr conn, const testDomainObj *obj)
{
    virDomainDef probe = { .name = obj->name, .id = -1 };

    memcpy(probe.uuid, obj->uuid, VIR_UUID_BUFLEN);
    return virAccessDomainIsVisible(conn, &probe);
}

/* Add or update the domain @def (taken over) after the access check. */
static virDomainPtr
testDomainDefine(virConnectPtr conn, virDomainDef *def)
{
    testHost *host = testHostOf(conn);
    testDomainObj *obj = NULL;
    testDomainObj *byName;
    testDomainObj *byUUID;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainPtr ret;
    int detail = VIR_DOMAIN_EVENT_DEFINED_ADDED;

    if (!def->virtType || STRNEQ(def->virtType, "test")) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "domain type '%s' is not supported by the test driver (use type='test')",
                       NULLSTR(def->virtType));
        goto error;
    }

    virRWLockWrite(&host->lock);
    byName = testHostFindLocked(host, def->name, NULL);
    byUUID = testHostFindLocked(host, NULL, def->uuid);
    /* A clash with a domain the caller may not see must not name it. */
    if (byUUID && byUUID != byName) {
        if (testDomainObjVisible(conn, byUUID))
            virReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' is already defined with uuid %s",
                           byUUID->name, virUUIDFormat(def->uuid, uuidstr));
        else
            virReportError(VIR_ERR_OPERATION_FAILED, "uuid %s is already in use",
                           virUUIDFormat(def->uuid, uuidstr));
        goto error_unlock;
    }
    if (byName && !byUUID) {
        if (testDomainObjVisible(conn, byName))
            virReportError(VIR_ERR_OPERATION_FAILED, "domain '%s' already exists with uuid %s",
                           byName->name, virUUIDFormat(byName->uuid, uuidstr));
        else
            virReportError(VIR_ERR_OPERATION_FAILED, "domain name '%s' is already in use",
                           def->name);
        goto error_unlock;
    }

    if (byUUID) {
        /* An update of an existing domain (same name and uuid), unless a
         * transient one vanished between the scan and the lock. */
        testDomainObjRef(byUUID);
        obj = testDomainObjLockFound(byUUID);
    }
    if (obj) {
        if (testDomainObjIsActive(obj)) {
            /* Takes effect when the domain next stops; a running transient
             * domain becomes persistent. */
            virDomainDefFree(obj->newDef);
            obj->newDef = def;
        } else {
            virDomainDefFree(obj->def);
            obj->def = def;
        }
        obj->persistent = true;
        detail = VIR_DOMAIN_EVENT_DEFINED_UPDATED;
    } else {
        obj = testDomainObjNew(def, true);
        testDomainObjRef(obj);
        testHostAddLocked(host, obj);
        virMutexLock(&obj->lock);
    }
    def = NULL;
    virRWLockUnlock(&host->lock);

    testDomainEventQueue(host, obj, VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_DEFINED,
                         detail);
    ret = testDomainObjHandle(conn, obj);
    testDomainObjEndAPI(host, &obj);
    return ret;

 error_unlock:
    virRWLockUnlock(&host->lock);
 error:
    virDomainDefFree(def);
    return NULL;
}

static int
testDomainCreate(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainCreateEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjStart(host, obj, dom);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, VIR_DOMAIN_START_PAUSED, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainCreateWithFlagsEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjStart(host, obj, dom);
    /* Like a real hypervisor: boot, then stop the CPUs before the first
     * instruction, so watchers see both the start and the pause. */
    if (ret == 0 && (flags & VIR_DOMAIN_START_PAUSED))
        testDomainSetState(host, obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainSuspend(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainSuspendEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    if (obj->state == VIR_DOMAIN_PAUSED) {
        testReportInvalidState("domain is already paused");
        goto cleanup;
    }
    if (obj->state != VIR_DOMAIN_RUNNING) {
        testReportInvalidState("domain is not running");
        goto cleanup;
    }
    testDomainSetState(host, obj, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER);
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainResume(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainResumeEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    if (!testDomainObjIsActive(obj)) {
        testReportInvalidState("domain is not running");
        goto cleanup;
    }
    if (obj->state != VIR_DOMAIN_PAUSED) {
        testReportInvalidState("domain is not paused");
        goto cleanup;
    }
    testDomainSetState(host, obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_UNPAUSED);
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainShutdown(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainShutdownEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjShutdown(host, obj, dom);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, TEST_SHUTDOWN_MODES, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainShutdownFlagsEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjShutdown(host, obj, dom);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainReboot(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, TEST_SHUTDOWN_MODES, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainRebootEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    if (!testDomainObjIsActive(obj)) {
        testReportInvalidState("domain is not running");
        goto cleanup;
    }
    /* Same id and accumulated CPU time: the guest restarts inside the domain. */
    testDomainSetState(host, obj, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED);
    testDomainEventQueue(host, obj, VIR_DOMAIN_EVENT_ID_REBOOT, 0, 0);
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainDestroy(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainDestroyEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjDestroy(host, obj, dom);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, TEST_DESTROY_GRACEFUL, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainDestroyFlagsEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjDestroy(host, obj, dom);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static virDomainPtr
testDomainDefineXML(virConnectPtr conn, const char *xml)
{
    virDomainDef *def;

    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    /* Before looking for clashes: defining over a name the caller may not
     * see is a plain denial, never a hint that the name exists. */
    if (virDomainDefineXMLEnsureACL(conn, def) < 0) {
        virDomainDefFree(def);
        return NULL;
    }
    return testDomainDefine(conn, def);
}

static virDomainPtr
testDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    virDomainDef *def;

    /* The parser always validates, so VALIDATE needs nothing more. */
    if (!testCheckFlags(flags, TEST_DEFINE_VALIDATE, __func__))
        return NULL;
    if (!(def = virDomainDefParseString(xml)))
        return NULL;
    if (virDomainDefineXMLFlagsEnsureACL(conn, def) < 0) {
        virDomainDefFree(def);
        return NULL;
    }
    return testDomainDefine(conn, def);
}

static int
testDomainUndefine(virDomainPtr dom)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainUndefineEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjUndefine(host, obj);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, TEST_UNDEFINE_FLAGS, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainUndefineFlagsEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = testDomainObjUndefine(host, obj);

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

/* ---- things the test host does not have ------------------------------------------- */

static int
testDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, 0, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainHasManagedSaveImageEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainSnapshotNum(virDomainPtr dom, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, TEST_SNAPSHOT_LIST_FLAGS, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainSnapshotNumEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    testHost *host = testHostOf(dom->conn);
    testDomainObj *obj;
    int ret = -1;

    if (!testCheckFlags(flags, TEST_MESSAGE_FLAGS, __func__))
        return -1;
    if (!(obj = testDomObjFromDomain(dom)))
        return -1;
    if (virDomainGetMessagesEnsureACL(dom->conn, obj->def) < 0)
        goto cleanup;

    /* Nothing taints an imaginary guest. */
    *msgs = NULL;
    ret = 0;

 cleanup:
    testDomainObjEndAPI(host, &obj);
    return ret;
}

static int
testConnectIsSecure(virConnectPtr conn)
{
    if (virConnectIsSecureEnsureACL(conn) < 0)
        return -1;
    /* In-process: nothing travels over a network. */
    return 1;
}

static int
testConnectIsEncrypted(virConnectPtr conn)
{
    if (virConnectIsEncryptedEnsureACL(conn) < 0)
        return -1;
    return 0;
}

static int
testNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    if (virNodeGetSecurityModelEnsureACL(conn) < 0)
        return -1;
    /* No security driver: model and DOI stay empty. */
    memset(secmodel, 0, sizeof(*secmodel));
    return 0;
}

/* ---- event registration ------------------------------------------------------------- */

static int
testConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                  virConnectDomainEventGenericCallback callback,
                                  void *opaque, virFreeCallback freecb)
{
    testHost *host = testHostOf(conn);
    testEventCallback *cb;

    if (virConnectDomainEventRegisterAnyEnsureACL(conn) < 0)
        return -1;
    if (eventID != VIR_DOMAIN_EVENT_ID_LIFECYCLE && eventID != VIR_DOMAIN_EVENT_ID_REBOOT) {
        virReportError(VIR_ERR_NO_SUPPORT, "event %d is not supported by the test driver",
                       eventID);
        return -1;
    }
    if (dom) {
        /* Events of a domain the caller may not see: as if it were missing. */
        testDomainObj *obj = testHostFind(host, NULL, dom->uuid);
        bool visible = obj && virConnectDomainEventRegisterAnyCheckACL(conn, obj->def);

        testDomainObjEndAPI(host, &obj);
        if (!visible) {
            virReportDomainNotFoundUUID(dom->uuid, dom->name);
            return -1;
        }
    }
    if (testEventThreadEnsure() < 0)
        return -1;

    VIR_ALLOC(cb);
    cb->refs = 1;
    cb->callbackID = __atomic_fetch_add(&testNextCallbackID, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&conn->refs, 1, __ATOMIC_SEQ_CST);
    cb->conn = conn;
    if (dom) {
        cb->hasDomain = true;
        memcpy(cb->uuid, dom->uuid, VIR_UUID_BUFLEN);
    }
    cb->eventID = eventID;
    cb->cb = callback;
    cb->opaque = opaque;
    cb->freecb = freecb;
    /* Held, not borrowed: the current identity of this thread changes. */
    cb->identity = virIdentityRef((virIdentity *)virIdentityGetCurrent());

    virMutexLock(&host->eventLock);
    VIR_APPEND_ELEMENT(host->callbacks, host->ncallbacks, cb);
    __atomic_store_n(&host->nlisteners, (int)host->ncallbacks, __ATOMIC_RELEASE);
    virMutexUnlock(&host->eventLock);
    return cb->callbackID;
}

static int
testConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    testHost *host = testHostOf(conn);
    testEventCallback *cb = NULL;
    size_t i;

    if (virConnectDomainEventDeregisterAnyEnsureACL(conn) < 0)
        return -1;

    virMutexLock(&host->eventLock);
    for (i = 0; i < host->ncallbacks; i++) {
        if (host->callbacks[i]->callbackID == callbackID && host->callbacks[i]->conn == conn) {
            cb = host->callbacks[i];
            memmove(host->callbacks + i, host->callbacks + i + 1,
                    (host->ncallbacks - i - 1) * sizeof(*host->callbacks));
            host->ncallbacks--;
            break;
        }
    }
    __atomic_store_n(&host->nlisteners, (int)host->ncallbacks, __ATOMIC_RELEASE);
    virMutexUnlock(&host->eventLock);
    if (!cb) {
        virReportError(VIR_ERR_INVALID_ARG, "could not find event callback %d for deletion",
                       callbackID);
        return -1;
    }

    /* Once this returns the callback is not called again and its opaque
     * data is freed: wait until the dispatcher lets go of it, unless the
     * callback itself is deregistering (then it goes when that returns). */
    __atomic_store_n(&cb->removed, true, __ATOMIC_RELEASE);
    virMutexLock(&testEvents.lock);
    while (__atomic_load_n(&cb->refs, __ATOMIC_ACQUIRE) > 1 && testEvents.started &&
           !pthread_equal(pthread_self(), testEvents.thread))
        virCondWait(&testEvents.cond, &testEvents.lock);
    virMutexUnlock(&testEvents.lock);
    testEventCallbackUnref(cb);
    return 0;
}

/* ---- statistics ------------------------------------------------------------------- */

#define TEST_STATS_SUPPORTED \
    (VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL | VIR_DOMAIN_STATS_BALLOON | \
     VIR_DOMAIN_STATS_VCPU | VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK)
#define TEST_STATS_FILTERS \
    (VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE | VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT | VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING | VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED | \
     VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF | VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER)

typedef struct {
    virTypedParameter *params;
    size_t nparams;
} testParams;

/* Append a parameter named by the printf format @fmt. */
static virTypedParameter *
testParamAdd(testParams *p, int type, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(3, 4);

static virTypedParameter *
testParamAdd(testParams *p, int type, const char *fmt, ...)
{
    virTypedParameter *param;
    va_list ap;

    virExpandN(&p->params, sizeof(*p->params), &p->nparams, 1);
    param = &p->params[p->nparams - 1];
    va_start(ap, fmt);
    vsnprintf(param->field, sizeof(param->field), fmt, ap);
    va_end(ap);
    param->type = type;
    return param;
}

/* The statistics of @obj (locked) in libvirt's parameter names. */
static virDomainStatsRecordPtr
testDomainObjStats(virConnectPtr conn, const testDomainObj *obj, unsigned int stats)
{
    const virDomainDef *def = obj->def;
    bool active = testDomainObjIsActive(obj);
    virDomainStatsRecordPtr rec;
    testParams p = { NULL, 0 };
    size_t i;

    if (stats & VIR_DOMAIN_STATS_STATE) {
        testParamAdd(&p, VIR_TYPED_PARAM_INT, "state.state")->value.i = obj->state;
        testParamAdd(&p, VIR_TYPED_PARAM_INT, "state.reason")->value.i = obj->reason;
    }
    if ((stats & VIR_DOMAIN_STATS_CPU_TOTAL) && active) {
        unsigned long long cpu = testDomainObjCPUTime(obj);

        /* All guest time, as an imaginary guest has no host overhead. */
        testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "cpu.time")->value.ul = cpu;
        testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "cpu.user")->value.ul = cpu;
        testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "cpu.system")->value.ul = 0;
    }
    if (stats & VIR_DOMAIN_STATS_BALLOON) {
        testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "balloon.current")->value.ul =
            active ? def->curMemory : def->maxMemory;
        testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "balloon.maximum")->value.ul = def->maxMemory;
    }
    if (stats & VIR_DOMAIN_STATS_VCPU) {
        unsigned long long perVcpu = def->vcpus ? testDomainObjCPUTime(obj) / def->vcpus : 0;

        testParamAdd(&p, VIR_TYPED_PARAM_UINT, "vcpu.current")->value.ui = def->vcpus;
        testParamAdd(&p, VIR_TYPED_PARAM_UINT, "vcpu.maximum")->value.ui = def->vcpus;
        for (i = 0; active && i < def->vcpus; i++) {
            /* 1: running, as libvirt's virVcpuState counts. */
            testParamAdd(&p, VIR_TYPED_PARAM_INT, "vcpu.%zu.state", i)->value.i = 1;
            testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "vcpu.%zu.time", i)->value.ul = perVcpu;
        }
    }
    if ((stats & VIR_DOMAIN_STATS_INTERFACE) && active) {
        testParamAdd(&p, VIR_TYPED_PARAM_UINT, "net.count")->value.ui = def->nnets;
        for (i = 0; i < def->nnets; i++) {
            /* The host side of the i-th interface; no traffic ever flows. */
            testParamAdd(&p, VIR_TYPED_PARAM_STRING, "net.%zu.name", i)->value.s =
                virPrintf("vnet%zu", i);
            testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "net.%zu.rx.bytes", i)->value.ul = 0;
            testParamAdd(&p, VIR_TYPED_PARAM_ULLONG, "net.%zu.tx.bytes", i)->value.ul = 0;
        }
    }
    if (stats & VIR_DOMAIN_STATS_BLOCK) {
        testParamAdd(&p, VIR_TYPED_PARAM_UINT, "block.count")->value.ui = def->ndisks;
        for (i = 0; i < def->ndisks; i++) {
            testParamAdd(&p, VIR_TYPED_PARAM_STRING, "block.%zu.name", i)->value.s =
                virStrdup(def->disks[i].target);
            if (def->disks[i].source)
                testParamAdd(&p, VIR_TYPED_PARAM_STRING, "block.%zu.path", i)->value.s =
                    virStrdup(def->disks[i].source);
        }
    }

    VIR_ALLOC(rec);
    rec->dom = testDomainObjHandle(conn, obj);
    rec->params = p.params;
    rec->nparams = (int)p.nparams;
    return rec;
}

static int
testConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms, unsigned int ndoms,
                             unsigned int stats, virDomainStatsRecordPtr **retStats,
                             unsigned int flags)
{
    testHost *host = testHostOf(conn);
    virAccessDomainFilter filter;
    virDomainStatsRecordPtr *recs = NULL;
    size_t nrecs = 0;
    size_t i;

    if (!testCheckFlags(flags, TEST_STATS_FILTERS |
                        VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS, __func__))
        return -1;
    if (ndoms && (flags & TEST_STATS_FILTERS)) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       "filtering is not supported by virDomainListGetStats");
        return -1;
    }
    if (stats & ~TEST_STATS_SUPPORTED) {
        if (flags & VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) {
            virReportError(VIR_ERR_ARGUMENT_UNSUPPORTED,
                           "requested statistics 0x%x are not supported",
                           stats & ~TEST_STATS_SUPPORTED);
            return -1;
        }
        stats &= TEST_STATS_SUPPORTED;
    }
    if (!stats)
        stats = TEST_STATS_SUPPORTED;

    if (virConnectGetAllDomainStatsEnsureACL(conn) < 0)
        return -1;
    if (virConnectGetAllDomainStatsFilterBegin(conn, &filter) < 0)
        return -1;

    /* Room for every record and a final NULL, rather than growing one by
     * one; what is left over is given back at the end. */
    if (ndoms) {
        VIR_ALLOC_N(recs, (size_t)ndoms + 1);
        /* Listed domains that are gone or hidden are skipped, as libvirt
         * skips missing ones. */
        for (i = 0; i < ndoms; i++) {
            testDomainObj *obj = testHostFind(host, NULL, doms[i]->uuid);

            if (obj && virAccessDomainFilterKeep(&filter, obj->def))
                recs[nrecs++] = testDomainObjStats(conn, obj, stats);
            testDomainObjEndAPI(host, &obj);
        }
    } else {
        virRWLockRead(&host->lock);
        VIR_ALLOC_N(recs, host->ndoms + 1);
        for (i = 0; i < host->ndoms; i++) {
            testDomainObj *obj = host->doms[i];

            virMutexLock(&obj->lock);
            if (!testDomainObjIsRemoved(obj) &&
                testDomainObjMatchesFilter(obj, flags) &&
                virAccessDomainFilterKeep(&filter, obj->def))
                recs[nrecs++] = testDomainObjStats(conn, obj, stats);
            virMutexUnlock(&obj->lock);
        }
        virRWLockUnlock(&host->lock);
    }
    virAccessDomainFilterEnd(&filter);

    VIR_REALLOC_N(recs, nrecs + 1);
    recs[nrecs] = NULL;
    *retStats = recs;
    return (int)nrecs;
}

/* ---- registration ------------------------------------------------------------------ */

static const virHypervisorDriver testHypervisorDriver = {
    .name = "Test",
    .connectOpen = testConnectOpen,
    .connectClose = testConnectClose,
    .connectGetType = testConnectGetType,
    .connectGetVersion = testConnectGetVersion,
    .connectGetLibVersion = testConnectGetLibVersion,
    .connectGetHostname = testConnectGetHostname,
    .connectGetCapabilities = testConnectGetCapabilities,
    .connectGetMaxVcpus = testConnectGetMaxVcpus,
    .nodeGetInfo = testNodeGetInfo,
    .connectListAllDomains = testConnectListAllDomains,
    .connectNumOfDomains = testConnectNumOfDomains,
    .connectListDomains = testConnectListDomains,
    .connectNumOfDefinedDomains = testConnectNumOfDefinedDomains,
    .connectListDefinedDomains = testConnectListDefinedDomains,
    .domainLookupByID = testDomainLookupByID,
    .domainLookupByName = testDomainLookupByName,
    .domainLookupByUUID = testDomainLookupByUUID,
    .domainGetInfo = testDomainGetInfo,
    .domainGetState = testDomainGetState,
    .domainGetXMLDesc = testDomainGetXMLDesc,
    .domainGetOSType = testDomainGetOSType,
    .domainGetMaxMemory = testDomainGetMaxMemory,
    .domainGetAutostart = testDomainGetAutostart,
    .domainSetAutostart = testDomainSetAutostart,
    .domainIsActive = testDomainIsActive,
    .domainIsPersistent = testDomainIsPersistent,
    .domainCreate = testDomainCreate,
    .domainSuspend = testDomainSuspend,
    .domainResume = testDomainResume,
    .domainShutdown = testDomainShutdown,
    .domainReboot = testDomainReboot,
    .domainDestroy = testDomainDestroy,
    .domainDefineXML = testDomainDefineXML,
    .domainUndefine = testDomainUndefine,
    .domainCreateWithFlags = testDomainCreateWithFlags,
    .domainDefineXMLFlags = testDomainDefineXMLFlags,
    .domainUndefineFlags = testDomainUndefineFlags,
    .domainDestroyFlags = testDomainDestroyFlags,
    .domainShutdownFlags = testDomainShutdownFlags,
    .domainHasManagedSaveImage = testDomainHasManagedSaveImage,
    .domainSnapshotNum = testDomainSnapshotNum,
    .domainGetMessages = testDomainGetMessages,
    .connectIsSecure = testConnectIsSecure,
    .connectIsEncrypted = testConnectIsEncrypted,
    .nodeGetSecurityModel = testNodeGetSecurityModel,
    .connectDomainEventRegisterAny = testConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = testConnectDomainEventDeregisterAny,
    .connectGetAllDomainStats = testConnectGetAllDomainStats,
};

int
testRegister(void)
{
    return virRegisterHypervisorDriver(&testHypervisorDriver);
}
