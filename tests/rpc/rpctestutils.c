/*
 * rpctestutils.c: a tiny RPC program, a server running it in a thread,
 * and raw-socket helpers for the rpc tests.
 */
#include <config.h>

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "rpctestutils.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "viridentity.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* ---- shared state --------------------------------------------------------- */

static pthread_mutex_t stateLock = PTHREAD_MUTEX_INITIALIZER;
static testState state;

void
testStateLock(void)
{
    pthread_mutex_lock(&stateLock);
}

void
testStateUnlock(void)
{
    pthread_mutex_unlock(&stateLock);
}

testState *
testStateGet(void)
{
    return &state;
}

void
testStateReset(void)
{
    testStateLock();
    free(state.lastDN);
    memset(&state, 0, sizeof(state));
    testStateUnlock();
}

unsigned long long
testNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

bool
testWaitFor(bool (*check)(void *opaque), void *opaque)
{
    unsigned long long end = testNowMs() + 30000;

    while (testNowMs() < end) {
        if (check(opaque))
            return true;
        usleep(10000);
    }
    return check(opaque);
}

/* ---- the test program ----------------------------------------------------- */

static int
testProcOpen(virNetServer *srv, virNetServerClient *client,
             const virNetMessageHeader *hdr, void *args, void *ret)
{
    virNetServerClientSetOpen(client);
    return 0;
}

static int
testProcAuth(virNetServer *srv, virNetServerClient *client,
             const virNetMessageHeader *hdr, void *args, void *ret)
{
    virNetServerClientSetAuthenticated(client);
    return 0;
}

static int
testProcEcho(virNetServer *srv, virNetServerClient *client,
             const virNetMessageHeader *hdr, void *args, void *ret)
{
    *(char **)ret = virStrdup(*(char **)args);
    return 0;
}

static int
testProcSlow(virNetServer *srv, virNetServerClient *client,
             const virNetMessageHeader *hdr, void *args, void *ret)
{
    int ms = *(int *)args;

    testStateLock();
    state.slowRunning++;
    if (state.slowRunning > state.maxConcurrentSlow)
        state.maxConcurrentSlow = state.slowRunning;
    testStateUnlock();
    usleep(ms * 1000);
    testStateLock();
    state.slowRunning--;
    state.slowDone++;
    testStateUnlock();
    *(int *)ret = ms;
    return 0;
}

static int
testProcWhoami(virNetServer *srv, virNetServerClient *client,
               const virNetMessageHeader *hdr, void *args, void *ret)
{
    const virIdentity *id = virIdentityGetCurrent();
    virBuffer buf = VIR_BUFFER_INITIALIZER;

    /* The current identity must be the client's, not the process's. */
    if (id != virNetServerClientGetIdentity(client)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "wrong current identity");
        return -1;
    }
    virBufferAsprintf(&buf, "transport=%s dn=%s uid=%lld pid=%lld ro=%d addr=%s",
                      virIdentityTransportTypeToString(virIdentityGetTransport(id)),
                      NULLSTR(virIdentityGetX509DName(id)),
                      virIdentityGetUNIXUserID(id), virIdentityGetProcessID(id),
                      virIdentityGetReadOnly(id) ? 1 : 0,
                      NULLSTR(virIdentityGetClientAddress(id)));
    *(char **)ret = virBufferContentAndReset(&buf);
    return 0;
}

static int
testProcFail(virNetServer *srv, virNetServerClient *client,
             const virNetMessageHeader *hdr, void *args, void *ret)
{
    virReportError(VIR_ERR_OPERATION_INVALID, "%s", "domain is not running");
    return -1;
}

static int
testProcFailSilent(virNetServer *srv, virNetServerClient *client,
                   const virNetMessageHeader *hdr, void *args, void *ret)
{
    return -1;
}

static int
testProcEvents(virNetServer *srv, virNetServerClient *client,
               const virNetMessageHeader *hdr, void *args, void *ret)
{
    int n = *(int *)args;
    int i;

    for (i = 0; i < n; i++) {
        if (virNetServerClientSendMessage(client, TEST_PROGRAM, TEST_VERSION,
                                          TEST_PROC_EVENT_MSG, (xdrproc_t)xdr_int, &i) < 0)
            return -1;
    }
    return 0;
}

static int
testProcKeepalive(virNetServer *srv, virNetServerClient *client,
                  const virNetMessageHeader *hdr, void *args, void *ret)
{
    virNetServerClientEnableKeepalive(client);
    return 0;
}

static int
testProcBig(virNetServer *srv, virNetServerClient *client,
            const virNetMessageHeader *hdr, void *args, void *ret)
{
    int n = *(int *)args;
    char *s;

    if (n < 0 || n > REMOTE_STRING_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "bad size");
        return -1;
    }
    s = virAllocN(n + 1, 1);
    memset(s, 'x', n);
    *(char **)ret = s;
    return 0;
}

static int
testProcBigList(virNetServer *srv, virNetServerClient *client,
                const virNetMessageHeader *hdr, void *args, void *ret)
{
    remote_connect_list_all_domains_ret *r = ret;
    int n = *(int *)args;
    int i;

    if (n < 0 || n > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "bad count");
        return -1;
    }
    r->domains.domains_len = n;
    r->domains.domains_val = virAllocN(n, sizeof(remote_nonnull_domain));
    for (i = 0; i < n; i++) {
        char *name = virAllocN(2201, 1);

        memset(name, 'n', 2200);
        r->domains.domains_val[i].name = name;
        r->domains.domains_val[i].id = i;
    }
    r->ret = n;
    return 0;
}

static int
testProcClose(virNetServer *srv, virNetServerClient *client,
              const virNetMessageHeader *hdr, void *args, void *ret)
{
    virNetServerClientClose(client);
    return 0;
}

#define STR_ARGS (xdrproc_t)xdr_remote_nonnull_string, sizeof(char *)
#define INT_ARGS (xdrproc_t)xdr_int, sizeof(int)
#define VOID_ARGS XDR_VOID, 0

static const virNetServerProcedure testProcs[] = {
    { TEST_PROC_OPEN, "OPEN", testProcOpen, VOID_ARGS, VOID_ARGS,
      VIR_NET_SERVER_PROC_NO_OPEN, NULL },
    { TEST_PROC_ECHO, "ECHO", testProcEcho, STR_ARGS, STR_ARGS, 0, NULL },
    { TEST_PROC_SLOW, "SLOW", testProcSlow, INT_ARGS, INT_ARGS, 0, NULL },
    { TEST_PROC_WHOAMI, "WHOAMI", testProcWhoami, VOID_ARGS, STR_ARGS,
      VIR_NET_SERVER_PROC_NO_OPEN, NULL },
    { TEST_PROC_FAIL, "FAIL", testProcFail, VOID_ARGS, VOID_ARGS, 0, NULL },
    { TEST_PROC_FAIL_SILENT, "FAIL_SILENT", testProcFailSilent, VOID_ARGS, VOID_ARGS, 0, NULL },
    { TEST_PROC_NOAUTH_ECHO, "NOAUTH_ECHO", testProcEcho, STR_ARGS, STR_ARGS,
      VIR_NET_SERVER_PROC_NO_AUTH | VIR_NET_SERVER_PROC_NO_OPEN, NULL },
    { TEST_PROC_AUTH, "AUTH", testProcAuth, VOID_ARGS, VOID_ARGS,
      VIR_NET_SERVER_PROC_NO_AUTH | VIR_NET_SERVER_PROC_NO_OPEN, NULL },
    { TEST_PROC_EVENTS, "EVENTS", testProcEvents, INT_ARGS, VOID_ARGS, 0, NULL },
    { TEST_PROC_KEEPALIVE, "KEEPALIVE", testProcKeepalive, VOID_ARGS, VOID_ARGS,
      VIR_NET_SERVER_PROC_NO_OPEN, NULL },
    { TEST_PROC_BIG, "BIG", testProcBig, INT_ARGS, STR_ARGS, 0, NULL },
    { TEST_PROC_CLOSE, "CLOSE", testProcClose, VOID_ARGS, VOID_ARGS, 0, NULL },
    { TEST_PROC_BIGLIST, "BIGLIST", testProcBigList, INT_ARGS,
      (xdrproc_t)xdr_remote_connect_list_all_domains_ret,
      sizeof(remote_connect_list_all_domains_ret), 0, NULL },
    { TEST_PROC_INLINE_ECHO, "INLINE_ECHO", testProcEcho, STR_ARGS, STR_ARGS,
      VIR_NET_SERVER_PROC_INLINE, NULL },
};

static int
testInitHook(virNetServer *srv, virNetServerClient *client, void *opaque)
{
    virIdentity *id = virNetServerClientGetIdentity(client);
    virNetTLSSession *tls = virNetServerClientGetTLSSession(client);
    bool refuse;

    testStateLock();
    state.initCalls++;
    if (tls)
        state.tlsKeySize = virNetTLSSessionGetKeySize(tls);
    free(state.lastDN);
    state.lastDN = virStrdup(id ? virIdentityGetX509DName(id) : NULL);
    refuse = state.refuseInit;
    testStateUnlock();
    return refuse ? -1 : 0;
}

static void
testCloseHook(virNetServer *srv, virNetServerClient *client, void *opaque)
{
    testStateLock();
    state.closeCalls++;
    if (state.slowRunning > 0)
        state.closeWhileRunning++;
    testStateUnlock();
}

/* ---- the server ---------------------------------------------------------- */

struct _testServer {
    virNetServer *srv;
    pthread_t thread;
    bool running;
    char *dir;
    char **paths;
    size_t npaths;
    size_t nservices;
};

testServer *
testServerNew(const virNetServerConfig *cfg)
{
    testServer *ts;
    virNetServerProgram *prog;
    char tmpl[] = "/tmp/tenvirt-rpc-XXXXXX";

    VIR_ALLOC(ts);
    ts->srv = virNetServerNew(cfg);
    ck_assert_ptr_nonnull(ts->srv);
    prog = virNetServerProgramNew(TEST_PROGRAM, TEST_VERSION, testProcs,
                                  G_N_ELEMENTS(testProcs));
    virNetServerAddProgram(ts->srv, prog);
    virNetServerProgramFree(prog);
    virNetServerSetClientHooks(ts->srv, testInitHook, testCloseHook, NULL);
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    ts->dir = virStrdup(tmpl);
    return ts;
}

virNetServer *
testServerGet(testServer *ts)
{
    return ts->srv;
}

const char *
testServerAddUNIX(testServer *ts, bool readonly, virNetServerAuthType auth)
{
    char *path = virPrintf("%s/sock%zu", ts->dir, ts->npaths);

    ck_assert_int_eq(virNetServerAddServiceUNIX(ts->srv, path, 0700, (gid_t)-1,
                                                readonly, auth), 0);
    VIR_APPEND_ELEMENT(ts->paths, ts->npaths, path);
    ts->nservices++;
    return path;
}

int
testServerAddTCP(testServer *ts, virNetTLSContext *tls, virNetServerAuthType auth)
{
    int port;

    ck_assert_int_eq(virNetServerAddServiceTCP(ts->srv, "127.0.0.1", "0", tls, auth), 0);
    port = virNetServerGetPort(ts->srv, ts->nservices++);
    ck_assert_int_gt(port, 0);
    return port;
}

static void *
testServerThread(void *opaque)
{
    testServer *ts = opaque;

    ck_assert_int_eq(virNetServerRun(ts->srv), 0);
    return NULL;
}

void
testServerRun(testServer *ts)
{
    ck_assert_int_eq(pthread_create(&ts->thread, NULL, testServerThread, ts), 0);
    ts->running = true;
}

void
testServerFree(testServer *ts)
{
    size_t i;

    if (ts->running) {
        virNetServerQuit(ts->srv);
        pthread_join(ts->thread, NULL);
    }
    virNetServerFree(ts->srv);
    for (i = 0; i < ts->npaths; i++)
        free(ts->paths[i]);
    free(ts->paths);
    rmdir(ts->dir);
    free(ts->dir);
    free(ts);
}

/* ---- clients ------------------------------------------------------------- */

virNetClient *
testClientTCP(int port)
{
    char portstr[16];
    virNetClient *c;

    snprintf(portstr, sizeof(portstr), "%d", port);
    c = virNetClientNewTCP("127.0.0.1", portstr);
    ck_assert_msg(c != NULL, "connect: %s", virGetLastErrorMessage());
    ck_assert_int_eq(virNetClientStart(c), 0);
    return c;
}

virNetClient *
testClientUNIX(const char *path)
{
    virNetClient *c = virNetClientNewUNIX(path);

    ck_assert_msg(c != NULL, "connect: %s", virGetLastErrorMessage());
    ck_assert_int_eq(virNetClientStart(c), 0);
    return c;
}

int
testCallVoid(virNetClient *c, int proc)
{
    return virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, proc,
                            XDR_VOID, NULL, XDR_VOID, NULL);
}

int
testCallEcho(virNetClient *c, int proc, const char *in, char **out)
{
    char *arg = (char *)in;

    *out = NULL;
    return virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, proc,
                            (xdrproc_t)xdr_remote_nonnull_string, &arg,
                            (xdrproc_t)xdr_remote_nonnull_string, out);
}

int
testCallInt(virNetClient *c, int proc, int in, int *out)
{
    int dummy = 0;

    return virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, proc,
                            (xdrproc_t)xdr_int, &in,
                            (xdrproc_t)xdr_int, out ? out : &dummy);
}

/* ---- raw sockets --------------------------------------------------------- */

int
testRawConnect(int port)
{
    struct sockaddr_in sin = { 0 };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    return fd;
}

int
testRawConnectUNIX(const char *path)
{
    struct sockaddr_un sun = { 0 };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
    return fd;
}

static void
testPutU32(char *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

uint32_t
testGetU32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

void
testRawHeader(char *buf, uint32_t len, uint32_t prog, uint32_t vers, int32_t proc,
              int32_t type, uint32_t serial, int32_t status)
{
    testPutU32(buf, len);
    testPutU32(buf + 4, prog);
    testPutU32(buf + 8, vers);
    testPutU32(buf + 12, proc);
    testPutU32(buf + 16, type);
    testPutU32(buf + 20, serial);
    testPutU32(buf + 24, status);
}

void
testRawSend(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t rc = send(fd, p, len, MSG_NOSIGNAL);

        if (rc < 0 && errno == EINTR)
            continue;
        ck_assert_int_gt(rc, 0);
        p += rc;
        len -= rc;
    }
}

/* Read exactly @len bytes before @deadline: 1, 0 at EOF, -1 otherwise. */
static int
testRawReadFull(int fd, char *buf, size_t len, unsigned long long deadline)
{
    while (len > 0) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        long long left = (long long)deadline - (long long)testNowMs();
        ssize_t rc;

        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return -1;
        rc = recv(fd, buf, len, 0);
        if (rc == 0)
            return 0;
        if (rc < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return errno == ECONNRESET ? 0 : -1;
        }
        buf += rc;
        len -= rc;
    }
    return 1;
}

int
testRawRead(int fd, char **buf, size_t *len, int timeoutMs)
{
    unsigned long long deadline = testNowMs() + timeoutMs;
    char lenbuf[4];
    uint32_t n;
    int rc;

    *buf = NULL;
    *len = 0;
    if ((rc = testRawReadFull(fd, lenbuf, 4, deadline)) <= 0)
        return rc;
    n = testGetU32(lenbuf);
    ck_assert_uint_ge(n, 28);
    ck_assert_uint_le(n, 64 * 1024 * 1024);
    *buf = virAllocN(n, 1);
    memcpy(*buf, lenbuf, 4);
    if ((rc = testRawReadFull(fd, *buf + 4, n - 4, deadline)) <= 0) {
        VIR_FREE(*buf);
        return rc;
    }
    *len = n;
    return 1;
}

bool
testRawWaitEOF(int fd, int timeoutMs)
{
    unsigned long long deadline = testNowMs() + timeoutMs;
    char buf[4096];

    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        long long left = (long long)deadline - (long long)testNowMs();
        ssize_t rc;

        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            return false;
        rc = recv(fd, buf, sizeof(buf), 0);
        if (rc == 0 || (rc < 0 && errno == ECONNRESET))
            return true;
        if (rc < 0 && errno != EINTR && errno != EAGAIN)
            return false;
    }
}
