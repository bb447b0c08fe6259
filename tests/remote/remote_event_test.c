/*
 * remote_event_test.c: the remote driver's event callback table and
 * dispatcher thread, without a server: events are queued as the reader
 * thread would, on a connection whose only "driver" is a close hook.
 *
 * What matters here is ordering: no callback after deregistration, no
 * event lost to a registration still waiting for its reply, callbacks
 * that deregister themselves or drop the connection's last reference.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "datatypes.h"
#include "remote/remote_event.h"
#include "viralloc.h"

#define WAIT_SECONDS 60

/* The state of the one connection a test has; the close hook may run in
 * the dispatcher thread, hence the lock. */
static pthread_mutex_t testLock = PTHREAD_MUTEX_INITIALIZER;
static remoteEventState *testStateVar;
static int closeCount;

static remoteEventState *
getState(void)
{
    remoteEventState *state;

    pthread_mutex_lock(&testLock);
    state = testStateVar;
    pthread_mutex_unlock(&testLock);
    return state;
}

static int
fakeConnectClose(virConnectPtr conn)
{
    pthread_mutex_lock(&testLock);
    remoteEventStateFree(testStateVar);
    testStateVar = NULL;
    closeCount++;
    pthread_mutex_unlock(&testLock);
    return 0;
}

static int
getCloseCount(void)
{
    int n;

    pthread_mutex_lock(&testLock);
    n = closeCount;
    pthread_mutex_unlock(&testLock);
    return n;
}

static const virHypervisorDriver fakeDriver = {
    .name = "fake",
    .connectClose = fakeConnectClose,
};

static virConnectPtr
newConn(void)
{
    virConnectPtr conn = virGetConnect();

    conn->driver = &fakeDriver;
    pthread_mutex_lock(&testLock);
    testStateVar = remoteEventStateNew(conn);
    closeCount = 0;
    pthread_mutex_unlock(&testLock);
    return conn;
}

static int
connRefs(virConnectPtr conn)
{
    return __atomic_load_n(&conn->refs, __ATOMIC_SEQ_CST);
}

/* The dispatcher drops its own reference just after a callback returns. */
static void
waitRefs(virConnectPtr conn, int want)
{
    int i;

    for (i = 0; i < WAIT_SECONDS * 100 && connRefs(conn) != want; i++)
        usleep(10 * 1000);
    ck_assert_int_eq(connRefs(conn), want);
}

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int calls;
    int event;
    int detail;
    char name[32];
    pthread_t thread;
    int freed;
    /* behaviour */
    int selfRemoveID;           /* >= 0: deregister this ID from the callback */
    unsigned int holdMs;        /* stay in the callback this long */
    bool finished;              /* the held callback has returned */
} record;

static void
recordInit(record *rec)
{
    memset(rec, 0, sizeof(*rec));
    pthread_mutex_init(&rec->lock, NULL);
    pthread_cond_init(&rec->cond, NULL);
    rec->selfRemoveID = -1;
}

static void
recordDestroy(record *rec)
{
    pthread_mutex_destroy(&rec->lock);
    pthread_cond_destroy(&rec->cond);
}

static void
lifecycleCb(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    record *rec = opaque;
    int selfRemoveID;

    pthread_mutex_lock(&rec->lock);
    rec->calls++;
    rec->event = event;
    rec->detail = detail;
    snprintf(rec->name, sizeof(rec->name), "%s", dom->name);
    rec->thread = pthread_self();
    selfRemoveID = rec->selfRemoveID;
    pthread_cond_broadcast(&rec->cond);
    pthread_mutex_unlock(&rec->lock);

    if (rec->holdMs)
        usleep(rec->holdMs * 1000);
    if (selfRemoveID >= 0) {
        remoteEventCallback *release = (remoteEventCallback *)1;
        int remoteID = -1;

        ck_assert_int_eq(remoteEventStateRemove(getState(), selfRemoveID, &remoteID,
                                                &release), 0);
        /* From its own callback: the dispatcher releases it afterwards. */
        ck_assert_ptr_null(release);
    }
    pthread_mutex_lock(&rec->lock);
    rec->finished = true;
    pthread_mutex_unlock(&rec->lock);
}

static void
recordFree(void *opaque)
{
    record *rec = opaque;

    pthread_mutex_lock(&rec->lock);
    rec->freed++;
    pthread_cond_broadcast(&rec->cond);
    pthread_mutex_unlock(&rec->lock);
}

/* Wait until *@counter (under @rec's lock) reaches @want. */
static void
waitFor(record *rec, int *counter, int want)
{
    struct timespec deadline;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_SECONDS;
    pthread_mutex_lock(&rec->lock);
    while (*counter < want &&
           pthread_cond_timedwait(&rec->cond, &rec->lock, &deadline) == 0)
        ;
    ck_assert_int_eq(*counter, want);
    pthread_mutex_unlock(&rec->lock);
}

static int
readCounter(record *rec, int *counter)
{
    int n;

    pthread_mutex_lock(&rec->lock);
    n = *counter;
    pthread_mutex_unlock(&rec->lock);
    return n;
}

static void
queue(int remoteID, int eventID, const char *name, unsigned char uuidByte, int event)
{
    remoteEvent *ev;

    VIR_ALLOC(ev);
    ev->remoteID = remoteID;
    ev->eventID = eventID;
    ev->name = virStrdup(name);
    memset(ev->uuid, uuidByte, VIR_UUID_BUFLEN);
    ev->id = 1;
    ev->event = event;
    ev->detail = 0;
    remoteEventStateQueue(getState(), ev);
}

static int
registerCb(int remoteID, int eventID, virDomainPtr dom, record *rec)
{
    ck_assert_int_eq(remoteEventStateBeginRegister(getState()), 0);
    return remoteEventStateEndRegister(getState(), remoteID, eventID, dom,
                                       (virConnectDomainEventGenericCallback)
                                       (void (*)(void))lifecycleCb, rec, recordFree);
}

static void
deregister(virConnectPtr conn, int localID, int wantRemoteID)
{
    remoteEventCallback *release = NULL;
    int remoteID = -1;

    ck_assert_int_eq(remoteEventStateRemove(getState(), localID, &remoteID, &release), 0);
    ck_assert_int_eq(remoteID, wantRemoteID);
    remoteEventCallbackRelease(conn, release);
}

START_TEST(test_dispatch)
{
    virConnectPtr conn = newConn();
    record rec;
    int id;

    recordInit(&rec);
    /* Before any registration, events go nowhere. */
    queue(7, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "early", 1, 3);

    id = registerCb(7, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, &rec);
    ck_assert_int_ge(id, 0);
    ck_assert_int_eq(connRefs(conn), 2);
    /* Unknown server ID, other event ID: dropped. */
    queue(8, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "x", 1, 1);
    queue(7, VIR_DOMAIN_EVENT_ID_REBOOT, "x", 1, 1);
    queue(7, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "dom", 1, 4);
    waitFor(&rec, &rec.calls, 1);
    ck_assert_str_eq(rec.name, "dom");
    ck_assert_int_eq(rec.event, 4);
    ck_assert(!pthread_equal(rec.thread, pthread_self()));

    deregister(conn, id, 7);
    ck_assert_int_eq(rec.freed, 1);
    waitRefs(conn, 1);
    queue(7, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "late", 1, 4);
    usleep(100 * 1000);
    ck_assert_int_eq(readCounter(&rec, &rec.calls), 1);

    /* No such callback (any more). */
    {
        remoteEventCallback *release = NULL;
        int remoteID;

        ck_assert_int_eq(remoteEventStateRemove(getState(), id, &remoteID, &release), -1);
    }
    virConnectClose(conn);
    ck_assert_int_eq(getCloseCount(), 1);
    recordDestroy(&rec);
}
END_TEST

START_TEST(test_domain_filter)
{
    virConnectPtr conn = newConn();
    unsigned char uuid[VIR_UUID_BUFLEN];
    virDomainPtr dom;
    record rec;
    int id;

    recordInit(&rec);
    memset(uuid, 0xaa, sizeof(uuid));
    dom = virGetDomain(conn, "watched", uuid, 3);
    id = registerCb(2, VIR_DOMAIN_EVENT_ID_LIFECYCLE, dom, &rec);
    queue(2, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "other", 0xbb, 1);
    queue(2, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "watched", 0xaa, 2);
    waitFor(&rec, &rec.calls, 1);
    ck_assert_str_eq(rec.name, "watched");
    deregister(conn, id, 2);
    virDomainFree(dom);
    virConnectClose(conn);
    recordDestroy(&rec);
}
END_TEST

/* An event that arrives while a registration waits for its reply is held
 * until the registration is recorded, not dropped. */
START_TEST(test_pending_registration)
{
    virConnectPtr conn = newConn();
    record rec;
    int id;

    recordInit(&rec);
    ck_assert_int_eq(remoteEventStateBeginRegister(getState()), 0);
    queue(5, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "racer", 1, 2);
    usleep(100 * 1000);
    ck_assert_int_eq(readCounter(&rec, &rec.calls), 0);
    id = remoteEventStateEndRegister(getState(), 5, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL,
                                     (virConnectDomainEventGenericCallback)
                                     (void (*)(void))lifecycleCb, &rec, recordFree);
    ck_assert_int_ge(id, 0);
    waitFor(&rec, &rec.calls, 1);
    ck_assert_str_eq(rec.name, "racer");

    /* A refused registration adds nothing (and releases the hold). */
    ck_assert_int_eq(remoteEventStateBeginRegister(getState()), 0);
    ck_assert_int_eq(remoteEventStateEndRegister(getState(), -1, 0, NULL, NULL, NULL, NULL),
                     -1);
    waitRefs(conn, 2);

    deregister(conn, id, 5);
    virConnectClose(conn);
    recordDestroy(&rec);
}
END_TEST

typedef struct {
    virConnectPtr conn;
    int id;
} removerArgs;

static void *
removerThread(void *opaque)
{
    removerArgs *args = opaque;

    deregister(args->conn, args->id, 1);
    return NULL;
}

/* Deregistration from another thread waits for a running callback. */
START_TEST(test_remove_waits)
{
    virConnectPtr conn = newConn();
    removerArgs args = { conn, -1 };
    pthread_t remover;
    record rec;

    recordInit(&rec);
    rec.holdMs = 300;
    args.id = registerCb(1, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, &rec);
    queue(1, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "slow", 1, 3);
    waitFor(&rec, &rec.calls, 1);
    ck_assert_int_eq(pthread_create(&remover, NULL, removerThread, &args), 0);
    ck_assert_int_eq(pthread_join(remover, NULL), 0);
    pthread_mutex_lock(&rec.lock);
    ck_assert(rec.finished);
    ck_assert_int_eq(rec.freed, 1);
    pthread_mutex_unlock(&rec.lock);
    virConnectClose(conn);
    recordDestroy(&rec);
}
END_TEST

/* A callback may deregister itself; it is freed once it returns. */
START_TEST(test_self_remove)
{
    virConnectPtr conn = newConn();
    record rec;
    int id;

    recordInit(&rec);
    id = registerCb(4, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, &rec);
    pthread_mutex_lock(&rec.lock);
    rec.selfRemoveID = id;
    pthread_mutex_unlock(&rec.lock);
    queue(4, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "self", 1, 5);
    queue(4, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "after", 1, 5);
    waitFor(&rec, &rec.freed, 1);
    waitRefs(conn, 1);
    ck_assert_int_eq(readCounter(&rec, &rec.calls), 1);
    virConnectClose(conn);
    recordDestroy(&rec);
}
END_TEST

/* The application closed its connection while a registration kept it
 * open; the callback deregisters itself, so the dispatcher drops the last
 * reference and the connection closes in the dispatcher thread. */
START_TEST(test_close_from_dispatcher)
{
    virConnectPtr conn = newConn();
    record rec;
    int id;
    int i;

    recordInit(&rec);
    id = registerCb(6, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, &rec);
    pthread_mutex_lock(&rec.lock);
    rec.selfRemoveID = id;
    pthread_mutex_unlock(&rec.lock);
    ck_assert_int_eq(virConnectClose(conn), 1);
    queue(6, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "last", 1, 5);
    waitFor(&rec, &rec.freed, 1);
    for (i = 0; i < WAIT_SECONDS * 100 && !getCloseCount(); i++)
        usleep(10 * 1000);
    ck_assert_int_eq(getCloseCount(), 1);
    /* Let the detached dispatcher finish exiting before the checkers look. */
    usleep(100 * 1000);
    recordDestroy(&rec);
}
END_TEST

/* Queued events and callbacks left at close are freed. */
START_TEST(test_free_pending)
{
    virConnectPtr conn = newConn();
    record rec;
    int id;

    recordInit(&rec);
    rec.holdMs = 200;
    id = registerCb(3, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL, &rec);
    ck_assert_int_ge(id, 0);
    queue(3, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "one", 1, 5);
    queue(3, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "two", 1, 5);
    queue(3, VIR_DOMAIN_EVENT_ID_LIFECYCLE, "three", 1, 5);
    waitFor(&rec, &rec.calls, 1);
    /* As if the connection went away with the registration in place. */
    pthread_mutex_lock(&testLock);
    remoteEventStateFree(testStateVar);
    testStateVar = NULL;
    pthread_mutex_unlock(&testLock);
    ck_assert_int_eq(readCounter(&rec, &rec.freed), 1);
    ck_assert_int_lt(rec.calls, 3);
    /* The registration's reference is the table's to drop no more. */
    __atomic_sub_fetch(&conn->refs, 1, __ATOMIC_SEQ_CST);
    conn->driver = NULL;
    virConnectClose(conn);
    recordDestroy(&rec);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("remote_event");
    TCase *tc = tcase_create("dispatch");
    SRunner *sr;
    int failed;

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dispatch);
    tcase_add_test(tc, test_domain_filter);
    tcase_add_test(tc, test_pending_registration);
    tcase_add_test(tc, test_remove_waits);
    tcase_add_test(tc, test_self_remove);
    tcase_add_test(tc, test_close_from_dispatcher);
    tcase_add_test(tc, test_free_pending);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
