/*
 * virnetserver_test.c: the RPC server and client over real UNIX and TCP
 * sockets: calls, errors, gating, concurrency, keepalive, misbehaving
 * peers, limits and shutdown.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <netinet/in.h>
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
#include "virnetsocket.h"

static const virNetServerConfig defaultConfig = {
    .maxClients = 20,
    .minWorkers = 2,
    .maxWorkers = 8,
    .maxClientRequests = 5,
    .keepaliveInterval = 0,
    .keepaliveCount = 5,
};

/* A running server with one service of each plain kind. */
typedef struct {
    testServer *ts;
    const char *unixPath;
    const char *roPath;
    int port;
} fixture;

static void
fixtureStart(fixture *f, const virNetServerConfig *cfg)
{
    testStateReset();
    f->ts = testServerNew(cfg ? cfg : &defaultConfig);
    f->unixPath = testServerAddUNIX(f->ts, false, VIR_NET_SERVER_AUTH_NONE);
    f->roPath = testServerAddUNIX(f->ts, true, VIR_NET_SERVER_AUTH_NONE);
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
assertError(int code, int domain, const char *message)
{
    virErrorPtr err = virGetLastError();

    ck_assert_msg(err != NULL, "no error set, wanted '%s'", message);
    ck_assert_msg(err->code == code && err->domain == domain,
                  "error code %d domain %d (wanted %d %d): %s",
                  err->code, err->domain, code, domain, NULLSTR(err->message));
    ck_assert_str_eq(err->message, message);
    virResetLastError();
}

static void
assertEcho(virNetClient *c, const char *text)
{
    char *out = NULL;

    ck_assert_msg(testCallEcho(c, TEST_PROC_ECHO, text, &out) == 0,
                  "echo failed: %s", virGetLastErrorMessage());
    ck_assert_str_eq(out, text);
    free(out);
}

static char *
whoami(virNetClient *c)
{
    char *out = NULL;

    ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_WHOAMI,
                                      XDR_VOID, NULL,
                                      (xdrproc_t)xdr_remote_nonnull_string, &out), 0);
    return out;
}

START_TEST(test_unix_identity)
{
    fixture f;
    virNetClient *c;
    char *who;
    char *expect;

    fixtureStart(&f, NULL);
    c = testClientUNIX(f.unixPath);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    assertEcho(c, "hello over unix");
    who = whoami(c);
    expect = virPrintf("transport=unix dn=<null> uid=%lld pid=%lld ro=0 addr=<null>",
                       (long long)getuid(), (long long)getpid());
    ck_assert_str_eq(who, expect);
    free(who);
    free(expect);
    virNetClientFree(c);

    c = testClientUNIX(f.roPath);
    who = whoami(c);
    ck_assert_ptr_nonnull(strstr(who, "transport=unix "));
    ck_assert_ptr_nonnull(strstr(who, " ro=1 "));
    free(who);
    virNetClientFree(c);
    fixtureStop(&f);
    ck_assert_int_eq(testStateGet()->initCalls, 0);
}
END_TEST

START_TEST(test_tcp_identity)
{
    fixture f;
    virNetClient *c;
    char *who;
    char *prefix;

    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    assertEcho(c, "hello over tcp");
    assertEcho(c, "");
    who = whoami(c);
    prefix = virPrintf("transport=tcp dn=<null> uid=-1 pid=-1 ro=0 addr=127.0.0.1;");
    ck_assert_msg(STRPREFIX(who, prefix), "got '%s'", who);
    free(who);
    free(prefix);
    testStateLock();
    ck_assert_int_eq(testStateGet()->initCalls, 1);
    testStateUnlock();
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_error_replies)
{
    fixture f;
    virNetClient *c;

    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);

    ck_assert_int_eq(virNetClientCall(c, 0x12345, 1, 1, XDR_VOID, NULL,
                                      XDR_VOID, NULL), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program 74565 version 1");
    ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, 2, 1, XDR_VOID, NULL,
                                      XDR_VOID, NULL), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "Cannot find program 1413829460 version 2");
    ck_assert_int_eq(testCallVoid(c, 999), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: 999");
    ck_assert_int_eq(testCallVoid(c, -3), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "unknown procedure: -3");

    /* A handler's error reaches the client unchanged. */
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_FAIL), -1);
    assertError(VIR_ERR_OPERATION_INVALID, VIR_FROM_DOMAIN,
                "Requested operation is not valid: domain is not running");
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_FAIL_SILENT), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INTERNAL_ERROR);
    virResetLastError();

    /* Replies grow their buffer as needed; one over 32 MiB cannot be sent:
     * the client gets an error and the connection carries on. */
    {
        remote_connect_list_all_domains_ret ret;
        char *big = NULL;
        int n = 3 * 1024 * 1024;

        ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_BIG,
                                          (xdrproc_t)xdr_int, &n,
                                          (xdrproc_t)xdr_remote_nonnull_string, &big), 0);
        ck_assert_uint_eq(strlen(big), (size_t)n);
        free(big);

        memset(&ret, 0, sizeof(ret));
        n = 100;
        ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_BIGLIST,
                                          (xdrproc_t)xdr_int, &n,
                                          (xdrproc_t)xdr_remote_connect_list_all_domains_ret,
                                          &ret), 0);
        ck_assert_uint_eq(ret.domains.domains_len, 100);
        xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&ret);
        n = REMOTE_DOMAIN_LIST_MAX;
        ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_BIGLIST,
                                          (xdrproc_t)xdr_int, &n,
                                          (xdrproc_t)xdr_remote_connect_list_all_domains_ret,
                                          &ret), -1);
        assertError(VIR_ERR_RPC, VIR_FROM_RPC, "Unable to encode message payload: too large");
    }
    assertEcho(c, "still here");
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_open_gating)
{
    fixture f;
    virNetClient *c;
    char *out = NULL;

    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallEcho(c, TEST_PROC_ECHO, "too early", &out), -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                "internal error: hypervisor connection not open");
    /* NO_OPEN procedures work before. */
    free(whoami(c));
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    assertEcho(c, "now open");
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_auth_gating)
{
    fixture f;
    virNetClient *c;
    char *out = NULL;
    int port;

    fixtureStart(&f, NULL);
    /* Services may be added while the server runs. */
    port = testServerAddTCP(f.ts, NULL, VIR_NET_SERVER_AUTH_SASL);
    c = testClientTCP(port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "authentication required");
    ck_assert_int_eq(testCallEcho(c, TEST_PROC_ECHO, "x", &out), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "authentication required");
    ck_assert_int_eq(testCallEcho(c, TEST_PROC_NOAUTH_ECHO, "allowed", &out), 0);
    ck_assert_str_eq(out, "allowed");
    free(out);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_AUTH), 0);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    assertEcho(c, "authenticated");
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

typedef struct {
    virNetClient *client;
    int id;
    int failures;
} echoThreadData;

static void *
echoThread(void *opaque)
{
    echoThreadData *d = opaque;
    int i;

    for (i = 0; i < 25; i++) {
        char *in = virPrintf("thread %d call %d", d->id, i);
        char *out = NULL;

        if (testCallEcho(d->client, TEST_PROC_ECHO, in, &out) < 0 || STRNEQ(in, out))
            d->failures++;
        if (i % 10 == 0 && testCallInt(d->client, TEST_PROC_SLOW, 5, NULL) < 0)
            d->failures++;
        free(in);
        free(out);
    }
    return NULL;
}

/* @nthreads threads running @func on one open client; none may fail. */
static void
runEchoThreads(void *(*func)(void *), size_t nthreads)
{
    fixture f;
    virNetClient *c;
    pthread_t thr[8];
    echoThreadData data[8];
    size_t i;

    ck_assert_uint_le(nthreads, G_N_ELEMENTS(thr));
    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    for (i = 0; i < nthreads; i++) {
        data[i].client = c;
        data[i].id = i;
        data[i].failures = 0;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, func, &data[i]), 0);
    }
    for (i = 0; i < nthreads; i++) {
        pthread_join(thr[i], NULL);
        ck_assert_int_eq(data[i].failures, 0);
    }
    assertEcho(c, "still in step");
    virNetClientFree(c);
    fixtureStop(&f);
}

START_TEST(test_concurrent_calls)
{
    runEchoThreads(echoThread, 6);
}
END_TEST

/* Calls larger than the socket buffer: the caller's own write stops at
 * EAGAIN and the client's I/O thread must finish it, while other threads'
 * calls queue behind it and small ones still go out directly. */
static void *
bigEchoThread(void *opaque)
{
    echoThreadData *d = opaque;
    size_t len = (size_t)(d->id + 1) * 700 * 1024;
    char *in = malloc(len + 1);
    int i;

    memset(in, 'a' + d->id, len);
    in[len] = '\0';
    for (i = 0; i < 4; i++) {
        char *out = NULL;
        const char *small = "small between big ones";

        if (testCallEcho(d->client, TEST_PROC_ECHO, in, &out) < 0 || STRNEQ(in, out))
            d->failures++;
        free(out);
        out = NULL;
        if (testCallEcho(d->client, TEST_PROC_ECHO, small, &out) < 0 || STRNEQ(small, out))
            d->failures++;
        free(out);
    }
    free(in);
    return NULL;
}

START_TEST(test_large_calls_hand_over_to_io_thread)
{
    runEchoThreads(bigEchoThread, 4);
}
END_TEST

typedef struct {
    virNetClient *client;
    int ms;
    int rc;
    int result;
} slowThreadData;

static void *
slowThread(void *opaque)
{
    slowThreadData *d = opaque;

    d->rc = testCallInt(d->client, TEST_PROC_SLOW, d->ms, &d->result);
    if (d->rc < 0)
        virResetLastError();
    return NULL;
}

static bool
slowIsRunning(void *opaque)
{
    int want = *(int *)opaque;
    bool ret;

    testStateLock();
    ret = testStateGet()->slowRunning >= want;
    testStateUnlock();
    return ret;
}

START_TEST(test_slow_call_does_not_block)
{
    fixture f;
    virNetClient *a, *b;
    slowThreadData d;
    pthread_t thr;
    int one = 1;
    int done;

    fixtureStart(&f, NULL);
    a = testClientTCP(f.port);
    b = testClientUNIX(f.unixPath);
    ck_assert_int_eq(testCallVoid(a, TEST_PROC_OPEN), 0);
    ck_assert_int_eq(testCallVoid(b, TEST_PROC_OPEN), 0);

    d.client = a;
    d.ms = 4000;
    ck_assert_int_eq(pthread_create(&thr, NULL, slowThread, &d), 0);
    ck_assert(testWaitFor(slowIsRunning, &one));
    /* Another client, and the same client from another thread, get
     * answers while the slow call runs. */
    assertEcho(b, "not blocked");
    assertEcho(a, "not blocked either");
    testStateLock();
    done = testStateGet()->slowDone;
    testStateUnlock();
    ck_assert_int_eq(done, 0);
    pthread_join(thr, NULL);
    ck_assert_int_eq(d.rc, 0);
    ck_assert_int_eq(d.result, 4000);
    virNetClientFree(a);
    virNetClientFree(b);
    fixtureStop(&f);
}
END_TEST

/* An INLINE procedure is answered by the loop thread itself: it gets its
 * reply while the only worker is busy with a slow call. */
START_TEST(test_inline_call_needs_no_worker)
{
    virNetServerConfig cfg = defaultConfig;
    fixture f;
    virNetClient *a, *b;
    slowThreadData d;
    pthread_t thr;
    char *out = NULL;
    int one = 1;
    int done;

    cfg.minWorkers = 1;
    cfg.maxWorkers = 1;
    fixtureStart(&f, &cfg);
    a = testClientTCP(f.port);
    b = testClientUNIX(f.unixPath);
    ck_assert_int_eq(testCallVoid(a, TEST_PROC_OPEN), 0);
    ck_assert_int_eq(testCallVoid(b, TEST_PROC_OPEN), 0);

    d.client = a;
    d.ms = 3000;
    ck_assert_int_eq(pthread_create(&thr, NULL, slowThread, &d), 0);
    ck_assert(testWaitFor(slowIsRunning, &one));
    ck_assert_int_eq(testCallEcho(b, TEST_PROC_INLINE_ECHO, "inline", &out), 0);
    ck_assert_str_eq(out, "inline");
    free(out);
    out = NULL;
    /* The same client as the slow call, from another thread. */
    ck_assert_int_eq(testCallEcho(a, TEST_PROC_INLINE_ECHO, "inline too", &out), 0);
    ck_assert_str_eq(out, "inline too");
    free(out);
    testStateLock();
    done = testStateGet()->slowDone;
    testStateUnlock();
    ck_assert_int_eq(done, 0);
    pthread_join(thr, NULL);
    ck_assert_int_eq(d.rc, 0);
    virNetClientFree(a);
    virNetClientFree(b);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_calls_of_one_client_run_concurrently)
{
    fixture f;
    virNetClient *c;
    slowThreadData d[2];
    pthread_t thr[2];
    int i;

    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    for (i = 0; i < 2; i++) {
        d[i].client = c;
        d[i].ms = 1500;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, slowThread, &d[i]), 0);
    }
    for (i = 0; i < 2; i++) {
        pthread_join(thr[i], NULL);
        ck_assert_int_eq(d[i].rc, 0);
    }
    testStateLock();
    ck_assert_int_eq(testStateGet()->maxConcurrentSlow, 2);
    testStateUnlock();
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_max_client_requests)
{
    virNetServerConfig cfg = defaultConfig;
    fixture f;
    virNetClient *c;
    slowThreadData d[3];
    pthread_t thr[3];
    int i;

    cfg.maxClientRequests = 1;
    fixtureStart(&f, &cfg);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    for (i = 0; i < 3; i++) {
        d[i].client = c;
        d[i].ms = 300;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, slowThread, &d[i]), 0);
    }
    for (i = 0; i < 3; i++) {
        pthread_join(thr[i], NULL);
        ck_assert_int_eq(d[i].rc, 0);
    }
    testStateLock();
    ck_assert_int_eq(testStateGet()->maxConcurrentSlow, 1);
    ck_assert_int_eq(testStateGet()->slowDone, 3);
    testStateUnlock();
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

/* Send a call on a raw socket, header built by hand. */
static void
rawCall(int fd, int32_t proc, uint32_t serial, const char *payload, size_t plen)
{
    char *buf = virAllocN(28 + plen, 1);

    testRawHeader(buf, 28 + plen, TEST_PROGRAM, TEST_VERSION, proc, 0, serial, 0);
    if (plen)
        memcpy(buf + 28, payload, plen);
    testRawSend(fd, buf, 28 + plen);
    free(buf);
}

static void
rawExpectReply(int fd, int32_t proc, uint32_t serial, int32_t status, char **msg, size_t *len)
{
    ck_assert_int_eq(testRawRead(fd, msg, len, 20000), 1);
    ck_assert_uint_eq(testGetU32(*msg + 4), TEST_PROGRAM);
    ck_assert_uint_eq(testGetU32(*msg + 8), TEST_VERSION);
    ck_assert_int_eq((int32_t)testGetU32(*msg + 12), proc);
    ck_assert_int_eq((int32_t)testGetU32(*msg + 16), 1);
    ck_assert_uint_eq(testGetU32(*msg + 20), serial);
    ck_assert_int_eq((int32_t)testGetU32(*msg + 24), status);
}

static void
putBE(char *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

START_TEST(test_keepalive_pong_during_call)
{
    fixture f;
    char ping[28];
    char arg[4];
    char *msg;
    size_t len;
    int fd;

    fixtureStart(&f, NULL);
    fd = testRawConnect(f.port);
    rawCall(fd, TEST_PROC_OPEN, 0, NULL, 0);
    rawExpectReply(fd, TEST_PROC_OPEN, 0, 0, &msg, &len);
    ck_assert_uint_eq(len, 28);
    free(msg);

    putBE(arg, 2000);
    rawCall(fd, TEST_PROC_SLOW, 1, arg, 4);
    ck_assert(testWaitFor(slowIsRunning, &(int){1}));
    testRawHeader(ping, 28, KEEPALIVE_PROGRAM, 1, KEEPALIVE_PROC_PING, 2, 0, 0);
    testRawSend(fd, ping, 28);

    /* The PONG comes first, while the call still runs. */
    ck_assert_int_eq(testRawRead(fd, &msg, &len, 20000), 1);
    ck_assert_uint_eq(len, 28);
    ck_assert_uint_eq(testGetU32(msg + 4), KEEPALIVE_PROGRAM);
    ck_assert_uint_eq(testGetU32(msg + 8), 1);
    ck_assert_uint_eq(testGetU32(msg + 12), KEEPALIVE_PROC_PONG);
    ck_assert_uint_eq(testGetU32(msg + 16), 2);
    ck_assert_uint_eq(testGetU32(msg + 20), 0);
    ck_assert_uint_eq(testGetU32(msg + 24), 0);
    free(msg);
    testStateLock();
    ck_assert_int_eq(testStateGet()->slowDone, 0);
    testStateUnlock();

    rawExpectReply(fd, TEST_PROC_SLOW, 1, 0, &msg, &len);
    ck_assert_uint_eq(len, 32);
    ck_assert_uint_eq(testGetU32(msg + 28), 2000);
    free(msg);
    close(fd);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_server_pings_idle_clients)
{
    virNetServerConfig cfg = defaultConfig;
    fixture f;
    virNetClient *good;
    char *msg;
    size_t len;
    int pinged, quiet;
    int pings = 0;
    int rc;

    cfg.keepaliveInterval = 1;
    cfg.keepaliveCount = 2;
    fixtureStart(&f, &cfg);

    /* One that never asked for keepalive, one that answers, one that
     * does not. */
    quiet = testRawConnect(f.port);
    good = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(good, TEST_PROC_KEEPALIVE), 0);
    pinged = testRawConnect(f.port);
    rawCall(pinged, TEST_PROC_KEEPALIVE, 0, NULL, 0);
    rawExpectReply(pinged, TEST_PROC_KEEPALIVE, 0, 0, &msg, &len);
    free(msg);

    while ((rc = testRawRead(pinged, &msg, &len, 20000)) == 1) {
        ck_assert_uint_eq(len, 28);
        ck_assert_uint_eq(testGetU32(msg + 4), KEEPALIVE_PROGRAM);
        ck_assert_uint_eq(testGetU32(msg + 12), KEEPALIVE_PROC_PING);
        ck_assert_uint_eq(testGetU32(msg + 16), 2);
        ck_assert_uint_eq(testGetU32(msg + 20), 0);
        free(msg);
        pings++;
    }
    /* Dropped after count unanswered pings. */
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(pings, 2);

    /* The quiet one saw nothing and is still connected. */
    ck_assert_int_eq(testRawRead(quiet, &msg, &len, 200), -1);
    rawCall(quiet, TEST_PROC_WHOAMI, 5, NULL, 0);
    rawExpectReply(quiet, TEST_PROC_WHOAMI, 5, 0, &msg, &len);
    free(msg);
    /* The one that answers PINGs survived the same time. */
    ck_assert(virNetClientIsOpen(good));
    free(whoami(good));

    close(quiet);
    close(pinged);
    virNetClientFree(good);
    fixtureStop(&f);
}
END_TEST

typedef struct {
    pthread_mutex_t lock;
    int values[16];
    int n;
    int bad;
} eventData;

static void
eventHandler(virNetClient *client, virNetMessage *msg, void *opaque)
{
    eventData *d = opaque;
    int v = -1;

    pthread_mutex_lock(&d->lock);
    if (msg->header.prog != TEST_PROGRAM || msg->header.proc != TEST_PROC_EVENT_MSG ||
        msg->header.type != VIR_NET_MESSAGE ||
        virNetMessageDecodePayload(msg, (xdrproc_t)xdr_int, &v) < 0) {
        d->bad++;
    } else if (d->n < 16) {
        d->values[d->n++] = v;
    }
    /* Calls from the handler fail instead of deadlocking. */
    if (testCallVoid(client, TEST_PROC_OPEN) == 0)
        d->bad++;
    virResetLastError();
    pthread_mutex_unlock(&d->lock);
}

START_TEST(test_events)
{
    fixture f;
    virNetClient *c;
    eventData d = { .lock = PTHREAD_MUTEX_INITIALIZER };
    int i;

    fixtureStart(&f, NULL);
    c = testClientUNIX(f.unixPath);
    virNetClientSetEventHandler(c, eventHandler, &d);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_EVENTS,
                                      (xdrproc_t)xdr_int, &(int){5}, XDR_VOID, NULL), 0);
    /* Events were queued before the reply, so they have been handled. */
    pthread_mutex_lock(&d.lock);
    ck_assert_int_eq(d.bad, 0);
    ck_assert_int_eq(d.n, 5);
    for (i = 0; i < 5; i++)
        ck_assert_int_eq(d.values[i], i);
    pthread_mutex_unlock(&d.lock);
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_oversized_length_drops_client)
{
    fixture f;
    virNetClient *other;
    char word[4];
    int fd;

    fixtureStart(&f, NULL);
    other = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(other, TEST_PROC_OPEN), 0);

    fd = testRawConnect(f.port);
    putBE(word, VIR_NET_MESSAGE_MAX + 5);
    testRawSend(fd, word, 4);
    ck_assert(testRawWaitEOF(fd, 20000));
    close(fd);

    fd = testRawConnect(f.port);
    putBE(word, 27);
    testRawSend(fd, word, 4);
    ck_assert(testRawWaitEOF(fd, 20000));
    close(fd);

    assertEcho(other, "unaffected");
    virNetClientFree(other);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_garbage)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    fixture f;
    virNetClient *other;
    char hdr[28];
    char *msg;
    size_t len;
    remote_error rerr;
    virNetMessage *m;
    int fd;

    fixtureStart(&f, NULL);
    other = testClientUNIX(f.unixPath);
    ck_assert_int_eq(testCallVoid(other, TEST_PROC_OPEN), 0);

    fd = testRawConnect(f.port);
    testRawSend(fd, http, strlen(http));
    ck_assert(testRawWaitEOF(fd, 20000));
    close(fd);

    /* A well-framed call to a program nobody serves gets an error reply
     * with the exact wire form. */
    fd = testRawConnectUNIX(f.unixPath);
    testRawHeader(hdr, 28, 0xdeadbeef, 7, 3, 0, 42, 0);
    testRawSend(fd, hdr, 28);
    ck_assert_int_eq(testRawRead(fd, &msg, &len, 20000), 1);
    ck_assert_uint_eq(testGetU32(msg + 4), 0xdeadbeef);
    ck_assert_uint_eq(testGetU32(msg + 8), 7);
    ck_assert_uint_eq(testGetU32(msg + 12), 3);
    ck_assert_uint_eq(testGetU32(msg + 16), 1);
    ck_assert_uint_eq(testGetU32(msg + 20), 42);
    ck_assert_uint_eq(testGetU32(msg + 24), 1);
    m = virNetMessageNew();
    m->buffer = msg;
    m->bufferLength = len;
    memset(&rerr, 0, sizeof(rerr));
    ck_assert_int_eq(virNetMessageDecodePayload(m, (xdrproc_t)xdr_remote_error, &rerr), 0);
    ck_assert_int_eq(rerr.code, VIR_ERR_RPC);
    ck_assert_int_eq(rerr.domain, VIR_FROM_RPC);
    ck_assert_str_eq(*rerr.message, "Cannot find program 3735928559 version 7");
    ck_assert_int_eq(rerr.level, 2);
    ck_assert_ptr_null(rerr.dom);
    ck_assert_ptr_null(rerr.net);
    ck_assert_int_eq(rerr.int1, -1);
    ck_assert_int_eq(rerr.int2, -1);
    xdr_free((xdrproc_t)xdr_remote_error, (char *)&rerr);
    virNetMessageFree(m);

    /* A reply or a stray keepalive PONG from a client is ignored. */
    testRawHeader(hdr, 28, TEST_PROGRAM, 1, 2, 1, 43, 0);
    testRawSend(fd, hdr, 28);
    testRawHeader(hdr, 28, KEEPALIVE_PROGRAM, 1, KEEPALIVE_PROC_PONG, 2, 0, 0);
    testRawSend(fd, hdr, 28);
    rawCall(fd, TEST_PROC_WHOAMI, 44, NULL, 0);
    rawExpectReply(fd, TEST_PROC_WHOAMI, 44, 0, &msg, &len);
    free(msg);
    close(fd);

    assertEcho(other, "unaffected");
    virNetClientFree(other);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_truncated_payload)
{
    fixture f;
    char payload[12];
    char hdr[28];
    char *msg;
    size_t len;
    int fd;

    fixtureStart(&f, NULL);
    fd = testRawConnect(f.port);
    rawCall(fd, TEST_PROC_OPEN, 0, NULL, 0);
    rawExpectReply(fd, TEST_PROC_OPEN, 0, 0, &msg, &len);
    free(msg);

    /* A string claiming 100 bytes with 8 present. */
    putBE(payload, 100);
    memcpy(payload + 4, "abcdefgh", 8);
    rawCall(fd, TEST_PROC_ECHO, 1, payload, sizeof(payload));
    rawExpectReply(fd, TEST_PROC_ECHO, 1, 1, &msg, &len);
    ck_assert_uint_eq(testGetU32(msg + 28), VIR_ERR_RPC);
    ck_assert_uint_eq(testGetU32(msg + 32), VIR_FROM_RPC);
    ck_assert_uint_eq(testGetU32(msg + 36), 1);
    ck_assert_uint_eq(testGetU32(msg + 40), strlen("unable to decode message payload"));
    ck_assert(memcmp(msg + 44, "unable to decode message payload", 32) == 0);
    free(msg);

    /* The client stays: a good call on the same connection works. */
    putBE(payload, 8);
    rawCall(fd, TEST_PROC_ECHO, 2, payload, sizeof(payload));
    rawExpectReply(fd, TEST_PROC_ECHO, 2, 0, &msg, &len);
    ck_assert_uint_eq(len, 40);
    ck_assert(memcmp(msg + 28, payload, 12) == 0);
    free(msg);

    /* A frame shorter than its length word claims, then EOF. */
    testRawHeader(hdr, 28, TEST_PROGRAM, 1, TEST_PROC_ECHO, 0, 3, 0);
    testRawSend(fd, hdr, 12);
    shutdown(fd, SHUT_WR);
    ck_assert(testRawWaitEOF(fd, 20000));
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

START_TEST(test_disconnect_mid_call)
{
    fixture f;
    virNetClient *other;
    char arg[4];
    char *msg;
    size_t len;
    int fd;

    fixtureStart(&f, NULL);
    fd = testRawConnect(f.port);
    rawCall(fd, TEST_PROC_OPEN, 0, NULL, 0);
    rawExpectReply(fd, TEST_PROC_OPEN, 0, 0, &msg, &len);
    free(msg);
    putBE(arg, 1500);
    rawCall(fd, TEST_PROC_SLOW, 1, arg, 4);
    ck_assert(testWaitFor(slowIsRunning, &(int){1}));
    close(fd);

    ck_assert(testWaitFor(closeHookRan, &(int){1}));
    testStateLock();
    ck_assert_int_eq(testStateGet()->closeCalls, 1);
    ck_assert_int_eq(testStateGet()->closeWhileRunning, 0);
    ck_assert_int_eq(testStateGet()->slowDone, 1);
    testStateUnlock();

    other = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(other, TEST_PROC_OPEN), 0);
    assertEcho(other, "server fine");
    virNetClientFree(other);
    fixtureStop(&f);
}
END_TEST

static bool
clientCountIs(void *opaque)
{
    void **args = opaque;

    return virNetServerGetClientCount(args[0]) == *(size_t *)args[1];
}

START_TEST(test_max_clients)
{
    virNetServerConfig cfg = defaultConfig;
    fixture f;
    virNetClient *a, *b, *c;
    size_t want = 1;
    void *args[2];
    int fd;

    cfg.maxClients = 2;
    fixtureStart(&f, &cfg);
    a = testClientTCP(f.port);
    b = testClientUNIX(f.unixPath);
    free(whoami(a));
    free(whoami(b));

    fd = testRawConnect(f.port);
    ck_assert(testRawWaitEOF(fd, 20000));
    close(fd);
    testStateLock();
    ck_assert_int_eq(testStateGet()->initCalls, 2);
    testStateUnlock();
    free(whoami(a));

    virNetClientFree(b);
    args[0] = testServerGet(f.ts);
    args[1] = &want;
    ck_assert(testWaitFor(clientCountIs, args));
    c = testClientTCP(f.port);
    free(whoami(c));
    virNetClientFree(a);
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

/* Clients of a service with authentication count as anonymous until they
 * have authenticated; past max_anonymous_clients more are dropped at once,
 * while clients that need no authentication still get in. */
START_TEST(test_max_anonymous_clients)
{
    virNetServerConfig cfg = defaultConfig;
    fixture f;
    virNetClient *a, *b, *c, *d, *plain;
    char *out = NULL;
    size_t want = 3;            /* a, c and plain */
    void *args[2];
    int authPort;
    int fd;

    cfg.maxAnonymousClients = 2;
    fixtureStart(&f, &cfg);
    authPort = testServerAddTCP(f.ts, NULL, VIR_NET_SERVER_AUTH_SASL);
    a = testClientTCP(authPort);
    b = testClientTCP(authPort);
    ck_assert_int_eq(testCallEcho(a, TEST_PROC_NOAUTH_ECHO, "a", &out), 0);
    free(out);
    ck_assert_int_eq(testCallEcho(b, TEST_PROC_NOAUTH_ECHO, "b", &out), 0);
    free(out);

    fd = testRawConnect(authPort);
    ck_assert(testRawWaitEOF(fd, 20000));
    close(fd);
    plain = testClientTCP(f.port);
    free(whoami(plain));

    /* One of them authenticates: there is room for one more. */
    ck_assert_int_eq(testCallVoid(a, TEST_PROC_AUTH), 0);
    c = testClientTCP(authPort);
    ck_assert_int_eq(testCallEcho(c, TEST_PROC_NOAUTH_ECHO, "c", &out), 0);
    free(out);
    fd = testRawConnect(authPort);
    ck_assert(testRawWaitEOF(fd, 20000));
    close(fd);

    /* A client that leaves before authenticating frees its slot too. */
    virNetClientFree(b);
    args[0] = testServerGet(f.ts);
    args[1] = &want;
    ck_assert(testWaitFor(clientCountIs, args));
    d = testClientTCP(authPort);
    ck_assert_int_eq(testCallEcho(d, TEST_PROC_NOAUTH_ECHO, "d", &out), 0);
    free(out);

    virNetClientFree(d);
    virNetClientFree(c);
    virNetClientFree(a);
    virNetClientFree(plain);
    fixtureStop(&f);
}
END_TEST

static bool
closeHookRanOrGone(void *opaque)
{
    void **args = opaque;
    bool inited;

    testStateLock();
    inited = testStateGet()->initCalls > 0;
    testStateUnlock();
    return inited && clientCountIs(args);
}

START_TEST(test_init_hook_refusal)
{
    fixture f;
    virNetClient *c;
    void *args[2];
    size_t none = 0;

    fixtureStart(&f, NULL);
    testStateLock();
    testStateGet()->refuseInit = true;
    testStateUnlock();
    c = testClientTCP(f.port);
    /* Once the server has dropped it, the client sees the end. */
    args[0] = testServerGet(f.ts);
    args[1] = &none;
    ck_assert(testWaitFor(closeHookRanOrGone, args));
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "End of file while reading data: Input/output error");
    ck_assert(!virNetClientIsOpen(c));
    /* Calls after the end report the same. */
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), -1);
    assertError(VIR_ERR_RPC, VIR_FROM_RPC, "End of file while reading data: Input/output error");
    virNetClientFree(c);
    fixtureStop(&f);
    /* Refused clients never reach the close hook. */
    ck_assert_int_eq(testStateGet()->closeCalls, 0);
}
END_TEST

START_TEST(test_server_closes_client)
{
    fixture f;
    virNetClient *c;

    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    /* The reply still arrives, then the connection ends. */
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_CLOSE), 0);
    ck_assert(testWaitFor(closeHookRan, &(int){1}));
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), -1);
    virResetLastError();
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_shutdown_fails_waiting_call)
{
    fixture f;
    virNetClient *c;
    slowThreadData d;
    pthread_t thr;

    fixtureStart(&f, NULL);
    c = testClientTCP(f.port);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    d.client = c;
    d.ms = 1000;
    ck_assert_int_eq(pthread_create(&thr, NULL, slowThread, &d), 0);
    ck_assert(testWaitFor(slowIsRunning, &(int){1}));
    /* Waits for the running call, drops its reply, runs the close hook. */
    testServerFree(f.ts);
    pthread_join(thr, NULL);
    ck_assert_int_eq(d.rc, -1);
    testStateLock();
    ck_assert_int_eq(testStateGet()->closeCalls, 1);
    ck_assert_int_eq(testStateGet()->closeWhileRunning, 0);
    testStateUnlock();
    virNetClientFree(c);
    testStateReset();
}
END_TEST

static int hupCount;

static void
hupHandler(virNetServer *srv, int signum, void *opaque)
{
    __atomic_add_fetch(&hupCount, 1, __ATOMIC_SEQ_CST);
}

static void (*signalBefore)(int);

/* Has the server replaced the handler that was there before? */
static bool
signalCaught(void *opaque)
{
    struct sigaction sa;

    sigaction(*(int *)opaque, NULL, &sa);
    return sa.sa_handler != signalBefore;
}

static bool
hupSeen(void *opaque)
{
    return __atomic_load_n(&hupCount, __ATOMIC_SEQ_CST) > 0;
}

typedef struct {
    virNetServer *srv;
    int rc;
} runData;

static void *
runThread(void *opaque)
{
    runData *d = opaque;

    d->rc = virNetServerRun(d->srv);
    return NULL;
}

START_TEST(test_signals)
{
    virNetServer *srv = virNetServerNew(&defaultConfig);
    runData d = { srv, -5 };
    pthread_t thr;
    int sigterm = SIGTERM;
    int sighup = SIGHUP;

    struct sigaction old;

    ck_assert_ptr_nonnull(srv);
    /* SIGTERM and SIGHUP have the same disposition here (the test
     * framework may have set one for both). */
    sigaction(SIGTERM, NULL, &old);
    signalBefore = old.sa_handler;
    signal(SIGHUP, signalBefore);
    ck_assert_int_eq(virNetServerAddSignalHandler(srv, SIGHUP, hupHandler, NULL), 0);
    ck_assert_int_eq(pthread_create(&thr, NULL, runThread, &d), 0);
    ck_assert(testWaitFor(signalCaught, &sighup));
    ck_assert(testWaitFor(signalCaught, &sigterm));
    kill(getpid(), SIGHUP);
    ck_assert(testWaitFor(hupSeen, NULL));
    kill(getpid(), SIGTERM);
    pthread_join(thr, NULL);
    ck_assert_int_eq(d.rc, 0);
    /* The old dispositions are back. */
    ck_assert(!signalCaught(&sigterm));
    virNetServerFree(srv);
}
END_TEST

START_TEST(test_connect_errors)
{
    virNetSocket **socks = NULL;
    size_t nsocks = 0;
    virNetClient *c;
    char *expect;
    char port[16];
    size_t i;

    /* A port nobody listens on: bind one, then let it go. */
    ck_assert_int_eq(virNetSocketNewListenTCP("127.0.0.1", "0", &socks, &nsocks), 0);
    snprintf(port, sizeof(port), "%d", virNetSocketGetPort(socks[0]));
    for (i = 0; i < nsocks; i++)
        virNetSocketFree(socks[i]);
    free(socks);

    c = virNetClientNewTCP("127.0.0.1", port);
    ck_assert_ptr_null(c);
    expect = virPrintf("unable to connect to server at '127.0.0.1:%s': Connection refused", port);
    assertError(VIR_ERR_SYSTEM_ERROR, VIR_FROM_RPC, expect);
    free(expect);

    c = virNetClientNewUNIX("/nonexistent/tenvirt/sock");
    ck_assert_ptr_null(c);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR);
    virResetLastError();
}
END_TEST

START_TEST(test_listen_all_and_ipv6)
{
    testServer *ts;
    virNetClient *c;
    char port[16];
    char *who;
    virNetSocket **socks = NULL;
    size_t nsocks = 0, i;

    testStateReset();
    /* NULL address: every family the host has, one port for all. */
    ck_assert_int_eq(virNetSocketNewListenTCP(NULL, "0", &socks, &nsocks), 0);
    ck_assert_uint_ge(nsocks, 1);
    for (i = 1; i < nsocks; i++)
        ck_assert_int_eq(virNetSocketGetPort(socks[i]), virNetSocketGetPort(socks[0]));
    for (i = 0; i < nsocks; i++)
        virNetSocketFree(socks[i]);
    free(socks);

    /* "::1", where the host has IPv6. */
    if (virNetSocketNewListenTCP("::1", "0", &socks, &nsocks) < 0) {
        virResetLastError();
        return;
    }
    for (i = 0; i < nsocks; i++)
        virNetSocketFree(socks[i]);
    free(socks);

    ts = testServerNew(&defaultConfig);
    ck_assert_int_eq(virNetServerAddServiceTCP(testServerGet(ts), "::1", "0", NULL,
                                               VIR_NET_SERVER_AUTH_NONE), 0);
    snprintf(port, sizeof(port), "%d", virNetServerGetPort(testServerGet(ts), 0));
    testServerRun(ts);
    c = virNetClientNewTCP("::1", port);
    ck_assert_ptr_nonnull(c);
    who = whoami(c);
    ck_assert_msg(strstr(who, "addr=::1;") != NULL, "got '%s'", who);
    free(who);
    virNetClientFree(c);
    testServerFree(ts);
    testStateReset();
}
END_TEST

/* ---- the client against a scripted peer (socketpair) --------------------- */

START_TEST(test_client_keepalive)
{
    int sv[2];
    virNetClient *c;
    char ping[28];
    char *msg;
    size_t len;
    int pings = 0;
    int rc;

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    c = virNetClientNewSocket(virNetSocketNewConnectedFD(sv[0]));
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(virNetClientStart(c), 0);

    /* The client answers our PING. */
    testRawHeader(ping, 28, KEEPALIVE_PROGRAM, 1, KEEPALIVE_PROC_PING, 2, 0, 0);
    testRawSend(sv[1], ping, 28);
    ck_assert_int_eq(testRawRead(sv[1], &msg, &len, 20000), 1);
    ck_assert_uint_eq(len, 28);
    ck_assert_uint_eq(testGetU32(msg + 12), KEEPALIVE_PROC_PONG);
    ck_assert_uint_eq(testGetU32(msg + 16), 2);
    free(msg);

    /* It pings us when idle and gives up when we never answer. */
    virNetClientKeepAliveStart(c, 1, 2);
    while ((rc = testRawRead(sv[1], &msg, &len, 20000)) == 1) {
        ck_assert_uint_eq(testGetU32(msg + 4), KEEPALIVE_PROGRAM);
        ck_assert_uint_eq(testGetU32(msg + 12), KEEPALIVE_PROC_PING);
        free(msg);
        pings++;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(pings, 2);
    ck_assert(!virNetClientIsOpen(c));
    ck_assert_int_eq(testCallVoid(c, 1), -1);
    assertError(VIR_ERR_INTERNAL_ERROR, VIR_FROM_RPC,
                "internal error: connection closed due to keepalive timeout");
    virNetClientFree(c);
    close(sv[1]);
}
END_TEST

START_TEST(test_client_serials_and_replies)
{
    int sv[2];
    virNetClient *c;
    slowThreadData d;
    pthread_t thr;
    char *msg;
    size_t len;
    char reply[32];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    c = virNetClientNewSocket(virNetSocketNewConnectedFD(sv[0]));
    d.client = c;
    d.ms = 77;
    ck_assert_int_eq(pthread_create(&thr, NULL, slowThread, &d), 0);

    /* Serials start at 0. */
    ck_assert_int_eq(testRawRead(sv[1], &msg, &len, 20000), 1);
    ck_assert_uint_eq(len, 32);
    ck_assert_uint_eq(testGetU32(msg + 16), 0);
    ck_assert_uint_eq(testGetU32(msg + 20), 0);
    free(msg);

    /* A reply with an unknown serial and an event are passed over; then
     * the real reply. */
    testRawHeader(reply, 32, TEST_PROGRAM, 1, TEST_PROC_SLOW, 1, 99, 0);
    putBE(reply + 28, 1);
    testRawSend(sv[1], reply, 32);
    testRawHeader(reply, 32, TEST_PROGRAM, 1, TEST_PROC_EVENT_MSG, 2, 777, 0);
    testRawSend(sv[1], reply, 32);
    testRawHeader(reply, 32, TEST_PROGRAM, 1, TEST_PROC_SLOW, 1, 0, 0);
    putBE(reply + 28, 4242);
    testRawSend(sv[1], reply, 32);
    pthread_join(thr, NULL);
    ck_assert_int_eq(d.rc, 0);
    ck_assert_int_eq(d.result, 4242);

    /* Next call: serial 1. EOF while it waits fails it. */
    ck_assert_int_eq(pthread_create(&thr, NULL, slowThread, &d), 0);
    ck_assert_int_eq(testRawRead(sv[1], &msg, &len, 20000), 1);
    ck_assert_uint_eq(testGetU32(msg + 20), 1);
    free(msg);
    close(sv[1]);
    pthread_join(thr, NULL);
    ck_assert_int_eq(d.rc, -1);
    virNetClientFree(c);
}
END_TEST

static Suite *
virNetServerSuite(void)
{
    Suite *s = suite_create("virnetserver");
    TCase *tc = tcase_create("virnetserver");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_unix_identity);
    tcase_add_test(tc, test_tcp_identity);
    tcase_add_test(tc, test_error_replies);
    tcase_add_test(tc, test_open_gating);
    tcase_add_test(tc, test_auth_gating);
    tcase_add_test(tc, test_concurrent_calls);
    tcase_add_test(tc, test_large_calls_hand_over_to_io_thread);
    tcase_add_test(tc, test_slow_call_does_not_block);
    tcase_add_test(tc, test_calls_of_one_client_run_concurrently);
    tcase_add_test(tc, test_inline_call_needs_no_worker);
    tcase_add_test(tc, test_max_client_requests);
    tcase_add_test(tc, test_keepalive_pong_during_call);
    tcase_add_test(tc, test_server_pings_idle_clients);
    tcase_add_test(tc, test_events);
    tcase_add_test(tc, test_oversized_length_drops_client);
    tcase_add_test(tc, test_garbage);
    tcase_add_test(tc, test_truncated_payload);
    tcase_add_test(tc, test_disconnect_mid_call);
    tcase_add_test(tc, test_max_clients);
    tcase_add_test(tc, test_max_anonymous_clients);
    tcase_add_test(tc, test_init_hook_refusal);
    tcase_add_test(tc, test_server_closes_client);
    tcase_add_test(tc, test_shutdown_fails_waiting_call);
    tcase_add_test(tc, test_signals);
    tcase_add_test(tc, test_connect_errors);
    tcase_add_test(tc, test_listen_all_and_ipv6);
    tcase_add_test(tc, test_client_keepalive);
    tcase_add_test(tc, test_client_serials_and_replies);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virNetServerSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
