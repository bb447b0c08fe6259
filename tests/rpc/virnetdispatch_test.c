/*
 * virnetdispatch_test.c: the short paths of a call through the server:
 * the event loop changed from its own callbacks and its kept poll set, the
 * worker pool's hand-over, replies written by the worker that finished
 * the call (and what happens when they do not fit), read-ahead of
 * pipelined calls, and peers going away while replies are written.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpctestutils.h"
#include "viralloc.h"
#include "virerror.h"
#include "virevent.h"
#include "virnetworkerpool.h"

static const virNetServerConfig defaultConfig = {
    .maxClients = 20,
    .minWorkers = 2,
    .maxWorkers = 8,
    .maxClientRequests = 5,
    .keepaliveInterval = 0,
    .keepaliveCount = 5,
};

/* ---- the event loop ----------------------------------------------------- */

typedef struct {
    virEventLoop *loop;
    int fired[64];
    int otherWatch;             /* switched on by the first callback */
} loopState;

static void
loopCb(int watch, int fd, int events, void *opaque)
{
    loopState *st = opaque;
    char buf[16];

    if (watch < 64)
        st->fired[watch]++;
    if ((events & VIR_EVENT_HANDLE_READABLE) && read(fd, buf, sizeof(buf)) < 0) {
        /* nothing: a test failure shows elsewhere */
    }
    if (st->otherWatch > 0) {
        /* From the loop thread: no wake-up is made, the next iteration
         * must still poll for the new interest. */
        virEventLoopUpdateHandle(st->loop, watch, 0);
        virEventLoopUpdateHandle(st->loop, st->otherWatch, VIR_EVENT_HANDLE_READABLE);
        st->otherWatch = 0;
    }
}

static void
makePipe(int fds[2])
{
    ck_assert_int_eq(pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
}

static void
noopTimer(int timer, void *opaque)
{
}

START_TEST(test_loop_update_from_callback)
{
    loopState st = { 0 };
    int a[2], b[2];
    int wa, wb, i;

    st.loop = virEventLoopNew();
    ck_assert_ptr_nonnull(st.loop);
    /* So that an iteration with nothing ready still returns. */
    virEventLoopAddTimeout(st.loop, 20, noopTimer, NULL, NULL);
    makePipe(a);
    makePipe(b);
    wa = virEventLoopAddHandle(st.loop, a[0], VIR_EVENT_HANDLE_READABLE, loopCb, &st, NULL);
    wb = virEventLoopAddHandle(st.loop, b[0], 0, loopCb, &st, NULL);
    ck_assert_int_lt(wa, 64);
    ck_assert_int_lt(wb, 64);
    st.otherWatch = wb;
    ck_assert_int_eq(write(a[1], "a", 1), 1);
    ck_assert_int_eq(write(b[1], "b", 1), 1);

    /* The first iterations may see only the wake-up of the adds. */
    for (i = 0; i < 5 && !st.fired[wa]; i++)
        ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired[wa], 1);
    ck_assert_int_eq(st.fired[wb], 0);
    /* The callback switched interest from a to b: no pipe write was made
     * for it, yet the very next poll must see b (and no longer a). */
    ck_assert_int_eq(write(a[1], "a", 1), 1);
    ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired[wb], 1);
    ck_assert_int_eq(st.fired[wa], 1);

    virEventLoopFree(st.loop);
    for (i = 0; i < 2; i++) {
        close(a[i]);
        close(b[i]);
    }
}
END_TEST

/* The kept poll set follows additions and removals, and grows. */
START_TEST(test_loop_poll_set_changes)
{
    loopState st = { 0 };
    int p[40][2];
    int w[40];
    int i, round;

    st.loop = virEventLoopNew();
    ck_assert_ptr_nonnull(st.loop);
    virEventLoopAddTimeout(st.loop, 20, noopTimer, NULL, NULL);
    for (i = 0; i < 40; i++) {
        makePipe(p[i]);
        w[i] = virEventLoopAddHandle(st.loop, p[i][0], VIR_EVENT_HANDLE_READABLE,
                                     loopCb, &st, NULL);
        ck_assert_int_lt(w[i], 64);
        /* A few iterations in between, so the set is rebuilt while it grows. */
        if (i % 7 == 0)
            ck_assert_int_eq(write(p[i][1], "x", 1), 1);
        if (i % 7 == 0)
            ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    }
    for (i = 0; i < 40; i += 2)
        ck_assert_int_eq(virEventLoopRemoveHandle(st.loop, w[i]), 0);
    memset(st.fired, 0, sizeof(st.fired));
    for (i = 0; i < 40; i++)
        ck_assert_int_eq(write(p[i][1], "y", 1), 1);
    for (round = 0; round < 5; round++)
        ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    for (i = 0; i < 40; i++)
        ck_assert_int_eq(st.fired[w[i]], i % 2 ? 1 : 0);

    /* Same events again: accepted, nothing changes. */
    ck_assert_int_eq(virEventLoopUpdateHandle(st.loop, w[1], VIR_EVENT_HANDLE_READABLE), 0);
    ck_assert_int_eq(virEventLoopUpdateHandle(st.loop, w[0], VIR_EVENT_HANDLE_READABLE), -1);

    virEventLoopFree(st.loop);
    for (i = 0; i < 40; i++) {
        close(p[i][0]);
        close(p[i][1]);
    }
}
END_TEST

typedef struct {
    virEventLoop *loop;
    int stop;                   /* atomic */
} loopThreadData;

static void *
loopThread(void *opaque)
{
    loopThreadData *d = opaque;

    while (!__atomic_load_n(&d->stop, __ATOMIC_SEQ_CST))
        virEventLoopRunOnce(d->loop);
    return NULL;
}

static void
countCb(int watch, int fd, int events, void *opaque)
{
    char buf[16];

    if (read(fd, buf, sizeof(buf)) > 0)
        __atomic_add_fetch((int *)opaque, 1, __ATOMIC_SEQ_CST);
}

static bool
countIs(void *opaque)
{
    int **args = opaque;

    return __atomic_load_n(args[0], __ATOMIC_SEQ_CST) >= *args[1];
}

/* An update from another thread still wakes a loop blocked in poll. */
START_TEST(test_loop_update_from_other_thread)
{
    loopThreadData d = { 0 };
    pthread_t thr;
    int count = 0, want = 1;
    int *args[2] = { &count, &want };
    int p[2];
    int w;

    d.loop = virEventLoopNew();
    makePipe(p);
    w = virEventLoopAddHandle(d.loop, p[0], 0, countCb, &count, NULL);
    ck_assert_int_eq(write(p[1], "z", 1), 1);
    ck_assert_int_eq(pthread_create(&thr, NULL, loopThread, &d), 0);
    usleep(100 * 1000);         /* let it block in poll, no timer set */
    ck_assert_int_eq(__atomic_load_n(&count, __ATOMIC_SEQ_CST), 0);
    ck_assert_int_eq(virEventLoopUpdateHandle(d.loop, w, VIR_EVENT_HANDLE_READABLE), 0);
    ck_assert(testWaitFor(countIs, args));

    __atomic_store_n(&d.stop, 1, __ATOMIC_SEQ_CST);
    virEventLoopInterrupt(d.loop);
    pthread_join(thr, NULL);
    virEventLoopFree(d.loop);
    close(p[0]);
    close(p[1]);
}
END_TEST

/* ---- the worker pool ----------------------------------------------------- */

typedef struct {
    int done;                   /* atomic */
    int running;                /* atomic */
    int maxRunning;             /* atomic */
} poolState;

static void
poolJob(void *job, void *opaque)
{
    poolState *st = opaque;
    int now = __atomic_add_fetch(&st->running, 1, __ATOMIC_SEQ_CST);
    int max = __atomic_load_n(&st->maxRunning, __ATOMIC_SEQ_CST);

    while (now > max &&
           !__atomic_compare_exchange_n(&st->maxRunning, &max, now, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    if ((intptr_t)job % 50 == 0)
        usleep(2000);
    __atomic_sub_fetch(&st->running, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&st->done, 1, __ATOMIC_SEQ_CST);
}

typedef struct {
    virNetWorkerPool *pool;
    int first;
    int n;
} pusherData;

static void *
pusher(void *opaque)
{
    pusherData *d = opaque;
    int i;

    for (i = 0; i < d->n; i++) {
        virNetWorkerPoolPush(d->pool, (void *)(intptr_t)(d->first + i));
        if (i % 100 == 0)
            usleep(1000);       /* let threads go idle now and then */
    }
    return NULL;
}

START_TEST(test_pool_many_jobs)
{
    poolState st = { 0 };
    pusherData d[3];
    pthread_t thr[3];
    virNetWorkerPool *pool;
    int i;

    pool = virNetWorkerPoolNew(1, 4, poolJob, &st);
    ck_assert_ptr_nonnull(pool);
    for (i = 0; i < 3; i++) {
        d[i].pool = pool;
        d[i].first = i * 1000;
        d[i].n = 1000;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, pusher, &d[i]), 0);
    }
    for (i = 0; i < 3; i++)
        pthread_join(thr[i], NULL);
    ck_assert_uint_le(virNetWorkerPoolGetWorkers(pool), 4);
    /* Free runs what is still queued. */
    virNetWorkerPoolFree(pool);
    ck_assert_int_eq(st.done, 3000);
    ck_assert_int_le(st.maxRunning, 4);
}
END_TEST

static bool
poolDoneIs(void *opaque)
{
    void **args = opaque;

    return __atomic_load_n(&((poolState *)args[0])->done, __ATOMIC_SEQ_CST) >=
        *(int *)args[1];
}

/* Idle threads are woken one job at a time, and all of them at the end. */
START_TEST(test_pool_idle_threads)
{
    poolState st = { 0 };
    virNetWorkerPool *pool;
    int i, want;
    void *args[2] = { &st, &want };

    pool = virNetWorkerPoolNew(3, 3, poolJob, &st);
    ck_assert_ptr_nonnull(pool);
    for (i = 1; i <= 20; i++) {
        usleep(2000);           /* every thread idle again */
        virNetWorkerPoolPush(pool, (void *)(intptr_t)1);
        want = i;
        ck_assert(testWaitFor(poolDoneIs, args));
    }
    ck_assert_uint_eq(virNetWorkerPoolGetWorkers(pool), 3);
    usleep(10000);
    virNetWorkerPoolFree(pool);
    ck_assert_int_eq(st.done, 20);
}
END_TEST

/* ---- replies and reading --------------------------------------------------- */

typedef struct {
    testServer *ts;
    const char *unixPath;
    int port;
} fixture;

static void
fixtureStart(fixture *f)
{
    testStateReset();
    f->ts = testServerNew(&defaultConfig);
    f->unixPath = testServerAddUNIX(f->ts, false, VIR_NET_SERVER_AUTH_NONE);
    f->port = testServerAddTCP(f->ts, NULL, VIR_NET_SERVER_AUTH_NONE);
    testServerRun(f->ts);
}

static void
fixtureStop(fixture *f)
{
    testServerFree(f->ts);
    testStateReset();
}

static void
putBE(char *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

/* A whole call (length word included) into @buf; returns its length. */
static size_t
buildCall(char *buf, int32_t proc, uint32_t serial, const char *payload, size_t plen)
{
    testRawHeader(buf, 28 + plen, TEST_PROGRAM, TEST_VERSION, proc, 0, serial, 0);
    if (plen)
        memcpy(buf + 28, payload, plen);
    return 28 + plen;
}

static void
rawCall(int fd, int32_t proc, uint32_t serial, const char *payload, size_t plen)
{
    char *buf = virAllocN(28 + plen, 1);

    testRawSend(fd, buf, buildCall(buf, proc, serial, payload, plen));
    free(buf);
}

/* An XDR string payload. */
static size_t
xdrString(char *buf, const char *s)
{
    size_t n = strlen(s);

    putBE(buf, n);
    memset(buf + 4, 0, (n + 3) & ~3U);
    memcpy(buf + 4, s, n);
    return 4 + ((n + 3) & ~3U);
}

static void
checkReplyHeader(const char *msg, int32_t proc, uint32_t serial)
{
    ck_assert_uint_eq(testGetU32(msg + 4), TEST_PROGRAM);
    ck_assert_int_eq((int32_t)testGetU32(msg + 12), proc);
    ck_assert_int_eq((int32_t)testGetU32(msg + 16), 1);      /* REPLY */
    ck_assert_uint_eq(testGetU32(msg + 20), serial);
    ck_assert_int_eq((int32_t)testGetU32(msg + 24), 0);
}

static void
openClient(int fd)
{
    char *msg;
    size_t len;

    rawCall(fd, TEST_PROC_OPEN, 0, NULL, 0);
    ck_assert_int_eq(testRawRead(fd, &msg, &len, 20000), 1);
    checkReplyHeader(msg, TEST_PROC_OPEN, 0);
    free(msg);
}

/* Read @len bytes in small pieces with pauses: a slow client. */
static void
slowRead(int fd, char *buf, size_t len)
{
    size_t got = 0;
    unsigned int n = 0;

    while (got < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        size_t want = len - got < 16384 ? len - got : 16384;
        ssize_t rc;

        ck_assert_int_eq(poll(&pfd, 1, 20000), 1);
        rc = recv(fd, buf + got, want, 0);
        if (rc < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        ck_assert_int_gt(rc, 0);
        got += rc;
        if (++n % 8 == 0)
            usleep(1000);
    }
}

/* A reply far larger than the socket buffers, to a client that reads
 * late and slowly: the worker writes what fits, the loop the rest; a
 * call answered meanwhile is queued behind, never interleaved. */
START_TEST(test_big_reply_slow_reader)
{
    const uint32_t big = 3 * 1024 * 1024;
    fixture f;
    char arg[64];
    char hdr[4];
    char *msg, *body;
    size_t len, plen, i;
    int rcvbuf = 4096;
    int round;
    int fd;

    fixtureStart(&f);
    fd = testRawConnectUNIX(f.unixPath);
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)), 0);
    openClient(fd);

    for (round = 0; round < 2; round++) {
        putBE(arg, big);
        rawCall(fd, TEST_PROC_BIG, 1, arg, 4);
        usleep(200 * 1000);     /* the worker is done, the rest is queued */
        slowRead(fd, hdr, 4);
        /* Part of the big reply is out: this one must wait behind it. */
        plen = xdrString(arg, "after");
        rawCall(fd, TEST_PROC_ECHO, 2, arg, plen);

        len = testGetU32(hdr);
        ck_assert_uint_eq(len, 28 + 4 + big);
        body = virAllocN(len, 1);
        memcpy(body, hdr, 4);
        slowRead(fd, body + 4, len - 4);
        checkReplyHeader(body, TEST_PROC_BIG, 1);
        ck_assert_uint_eq(testGetU32(body + 28), big);
        for (i = 0; i < big; i++) {
            if (body[32 + i] != 'x')
                ck_abort_msg("byte %zu of the big reply is %d", i, body[32 + i]);
        }
        free(body);

        ck_assert_int_eq(testRawRead(fd, &msg, &len, 20000), 1);
        checkReplyHeader(msg, TEST_PROC_ECHO, 2);
        ck_assert_uint_eq(testGetU32(msg + 28), 5);
        ck_assert(memcmp(msg + 32, "after", 5) == 0);
        free(msg);
    }

    /* And the short path again, with nothing queued. */
    plen = xdrString(arg, "again");
    rawCall(fd, TEST_PROC_ECHO, 3, arg, plen);
    ck_assert_int_eq(testRawRead(fd, &msg, &len, 20000), 1);
    checkReplyHeader(msg, TEST_PROC_ECHO, 3);
    free(msg);
    close(fd);
    fixtureStop(&f);
}
END_TEST

/* Many calls in one write, far more than max_client_requests: they are
 * read ahead in one go, and those read but not yet started must not wait
 * for the client to send more. */
static void
pipelined(int fd, unsigned int ncalls)
{
    char *buf = virAllocN(ncalls * 64, 1);
    bool *seen = virAllocN(ncalls, sizeof(bool));
    size_t off = 0;
    unsigned int i;

    for (i = 0; i < ncalls; i++) {
        char payload[32], text[16];
        size_t plen;

        snprintf(text, sizeof(text), "m%u", i);
        plen = xdrString(payload, text);
        off += buildCall(buf + off, TEST_PROC_ECHO, 100 + i, payload, plen);
    }
    testRawSend(fd, buf, off);

    for (i = 0; i < ncalls; i++) {
        char *msg;
        size_t len;
        uint32_t serial;
        char text[16];

        ck_assert_msg(testRawRead(fd, &msg, &len, 20000) == 1,
                      "reply %u of %u did not come", i, ncalls);
        serial = testGetU32(msg + 20);
        ck_assert_uint_ge(serial, 100);
        ck_assert_uint_lt(serial, 100 + ncalls);
        ck_assert(!seen[serial - 100]);
        seen[serial - 100] = true;
        checkReplyHeader(msg, TEST_PROC_ECHO, serial);
        snprintf(text, sizeof(text), "m%u", serial - 100);
        ck_assert_uint_eq(testGetU32(msg + 28), strlen(text));
        ck_assert(memcmp(msg + 32, text, strlen(text)) == 0);
        free(msg);
    }
    free(seen);
    free(buf);
}

START_TEST(test_pipelined_calls)
{
    fixture f;
    int fd;

    fixtureStart(&f);
    fd = testRawConnectUNIX(f.unixPath);
    openClient(fd);
    pipelined(fd, 400);
    pipelined(fd, 3);
    close(fd);

    fd = testRawConnect(f.port);
    openClient(fd);
    pipelined(fd, 400);
    close(fd);
    fixtureStop(&f);
}
END_TEST

static bool
closeHookRan(void *opaque)
{
    int want = *(int *)opaque;
    bool ret;

    testStateLock();
    ret = testStateGet()->closeCalls >= want;
    testStateUnlock();
    return ret;
}

static bool
slowDoneIs(void *opaque)
{
    int want = *(int *)opaque;
    bool ret;

    testStateLock();
    ret = testStateGet()->slowDone >= want;
    testStateUnlock();
    return ret;
}

/* The peer goes while workers write their replies: a write error in a
 * worker only asks the loop to close; the client is closed once, after its
 * last call, and the server carries on. */
START_TEST(test_peer_gone_while_writing)
{
    fixture f;
    virNetClient *other;
    char arg[4];
    char *out = NULL;
    int fd, i;

    fixtureStart(&f);

    /* Over TCP, with max_client_requests calls running, reading stops and
     * the loop does not see the FIN: the workers' writes are the first
     * to hit the closed peer. */
    fd = testRawConnect(f.port);
    openClient(fd);
    putBE(arg, 300);
    for (i = 0; i < 5; i++)
        rawCall(fd, TEST_PROC_SLOW, 10 + i, arg, 4);
    close(fd);
    ck_assert(testWaitFor(closeHookRan, &(int){1}));
    ck_assert(testWaitFor(slowDoneIs, &(int){5}));

    /* A big reply being written when the peer goes. */
    fd = testRawConnectUNIX(f.unixPath);
    openClient(fd);
    putBE(arg, 4 * 1024 * 1024);
    rawCall(fd, TEST_PROC_BIG, 20, arg, 4);
    rawCall(fd, TEST_PROC_BIG, 21, arg, 4);
    usleep(50 * 1000);
    close(fd);
    ck_assert(testWaitFor(closeHookRan, &(int){2}));

    testStateLock();
    ck_assert_int_eq(testStateGet()->closeCalls, 2);
    ck_assert_int_eq(testStateGet()->closeWhileRunning, 0);
    testStateUnlock();

    other = testClientUNIX(f.unixPath);
    ck_assert_int_eq(testCallVoid(other, TEST_PROC_OPEN), 0);
    ck_assert_int_eq(testCallEcho(other, TEST_PROC_ECHO, "still here", &out), 0);
    ck_assert_str_eq(out, "still here");
    free(out);
    virNetClientFree(other);
    fixtureStop(&f);
}
END_TEST

/* Several client threads on one connection and on their own, with calls
 * of every size: replies match their calls. */
typedef struct {
    virNetClient *c;
    int id;
    int failures;
} mixedData;

static void *
mixedThread(void *opaque)
{
    mixedData *d = opaque;
    int i;

    for (i = 0; i < 60; i++) {
        char in[64];
        char *out = NULL;

        if (i % 20 == 7) {
            int n = 300000 + d->id;

            if (virNetClientCall(d->c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_BIG,
                                 (xdrproc_t)xdr_int, &n,
                                 (xdrproc_t)xdr_remote_nonnull_string, &out) < 0 ||
                strlen(out) != (size_t)n)
                d->failures++;
            free(out);
            continue;
        }
        snprintf(in, sizeof(in), "thread %d call %d", d->id, i);
        if (testCallEcho(d->c, TEST_PROC_ECHO, in, &out) < 0 || strcmp(out, in) != 0)
            d->failures++;
        free(out);
    }
    return NULL;
}

START_TEST(test_mixed_concurrent_clients)
{
    fixture f;
    virNetClient *shared, *own[2];
    mixedData d[6];
    pthread_t thr[6];
    int i;

    fixtureStart(&f);
    shared = testClientUNIX(f.unixPath);
    ck_assert_int_eq(testCallVoid(shared, TEST_PROC_OPEN), 0);
    for (i = 0; i < 2; i++) {
        own[i] = testClientTCP(f.port);
        ck_assert_int_eq(testCallVoid(own[i], TEST_PROC_OPEN), 0);
    }
    for (i = 0; i < 6; i++) {
        d[i].c = i < 4 ? shared : own[i - 4];
        d[i].id = i;
        d[i].failures = 0;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, mixedThread, &d[i]), 0);
    }
    for (i = 0; i < 6; i++) {
        pthread_join(thr[i], NULL);
        ck_assert_int_eq(d[i].failures, 0);
    }
    virNetClientFree(shared);
    for (i = 0; i < 2; i++)
        virNetClientFree(own[i]);
    fixtureStop(&f);
}
END_TEST

static Suite *
virNetDispatchSuite(void)
{
    Suite *s = suite_create("virnetdispatch");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_loop_update_from_callback);
    tcase_add_test(tc, test_loop_poll_set_changes);
    tcase_add_test(tc, test_loop_update_from_other_thread);
    tcase_add_test(tc, test_pool_many_jobs);
    tcase_add_test(tc, test_pool_idle_threads);
    tcase_add_test(tc, test_big_reply_slow_reader);
    tcase_add_test(tc, test_pipelined_calls);
    tcase_add_test(tc, test_peer_gone_while_writing);
    tcase_add_test(tc, test_mixed_concurrent_clients);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virNetDispatchSuite());
    int failed;

    /* Writes to a peer that has gone must fail, not kill the test. */
    signal(SIGPIPE, SIG_IGN);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
