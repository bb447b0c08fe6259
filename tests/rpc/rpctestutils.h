/*
 * rpctestutils.h: a tiny RPC program, a server running it in a thread,
 * and raw-socket helpers for the rpc tests.
 */
#ifndef TENVIRT_RPCTESTUTILS_H
#define TENVIRT_RPCTESTUTILS_H

#include "internal.h"
#include "virnetclient.h"
#include "virnetserver.h"

/* xdr_void has no parameters; this spelling of the cast is warning-free. */
#define XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

#define TEST_PROGRAM 0x54455354         /* "TEST" */
#define TEST_VERSION 1
#define TEST_PROC_EVENT_MSG 100         /* MESSAGE: int payload */

enum {
    TEST_PROC_OPEN = 1,         /* void -> void, NO_OPEN: marks the client open */
    TEST_PROC_ECHO = 2,         /* string -> string */
    TEST_PROC_SLOW = 3,         /* int ms -> int ms, sleeps */
    TEST_PROC_WHOAMI = 4,       /* void -> string describing the current identity */
    TEST_PROC_FAIL = 5,         /* void -> error code 55 domain 20 */
    TEST_PROC_FAIL_SILENT = 6,  /* void -> -1 without an error */
    TEST_PROC_NOAUTH_ECHO = 7,  /* string -> string, NO_AUTH | NO_OPEN */
    TEST_PROC_AUTH = 8,         /* void -> void, NO_AUTH | NO_OPEN: authenticates */
    TEST_PROC_EVENTS = 9,       /* int n -> void, then n MESSAGEs 0..n-1 */
    TEST_PROC_KEEPALIVE = 10,   /* void -> void, enables server pings */
    TEST_PROC_BIG = 11,         /* int n -> string of n 'x' (n <= 4 MiB: XDR cannot
                                 * even free a longer string) */
    TEST_PROC_CLOSE = 12,       /* void -> void, then the server closes the client */
    TEST_PROC_BIGLIST = 13,     /* int n -> n domains with 2200-byte names (n = 16384: 36 MiB) */
    TEST_PROC_INLINE_ECHO = 14, /* string -> string, INLINE: on the loop thread */
};

/* What the hooks and procedures saw; read under testStateLock(). */
typedef struct {
    int initCalls;
    int closeCalls;
    int closeWhileRunning;      /* close hook ran while a call of it was running */
    int slowRunning;
    int slowDone;
    int maxConcurrentSlow;
    bool refuseInit;            /* init hook refuses every client */
    char *lastDN;               /* DN the init hook saw */
    int tlsKeySize;             /* cipher key bits the init hook saw */
} testState;

void testStateLock(void);
void testStateUnlock(void);
testState *testStateGet(void);
void testStateReset(void);

typedef struct _testServer testServer;

/* A server with the test program and hooks; add services, then Run. */
testServer *testServerNew(const virNetServerConfig *cfg);
virNetServer *testServerGet(testServer *ts);
/* Listen on a fresh UNIX path (returned, borrowed). */
const char *testServerAddUNIX(testServer *ts, bool readonly, virNetServerAuthType auth);
/* Listen on 127.0.0.1, any port; returns the port. */
int testServerAddTCP(testServer *ts, virNetTLSContext *tls, virNetServerAuthType auth);
void testServerRun(testServer *ts);
/* Quit, join, free (close hooks run). */
void testServerFree(testServer *ts);

/* A started client over TCP / UNIX; asserts success. */
virNetClient *testClientTCP(int port);
virNetClient *testClientUNIX(const char *path);
/* Calls; return the virNetClientCall result. */
int testCallVoid(virNetClient *c, int proc);
int testCallEcho(virNetClient *c, int proc, const char *in, char **out);
int testCallInt(virNetClient *c, int proc, int in, int *out);

/* Raw sockets, blocking. */
int testRawConnect(int port);
int testRawConnectUNIX(const char *path);
/* Encode a header (length word included) into @buf. */
void testRawHeader(char *buf, uint32_t len, uint32_t prog, uint32_t vers, int32_t proc,
                   int32_t type, uint32_t serial, int32_t status);
void testRawSend(int fd, const void *buf, size_t len);
/* Read one whole message within @timeoutMs: 1 (filled), 0 at EOF, -1 on
 * timeout or error. *@buf is the message including its length word. */
int testRawRead(int fd, char **buf, size_t *len, int timeoutMs);
uint32_t testGetU32(const char *p);
/* Read and discard until EOF; true if EOF came within @timeoutMs. */
bool testRawWaitEOF(int fd, int timeoutMs);

/* Poll @check (up to ~30 s) until it returns true. */
bool testWaitFor(bool (*check)(void *opaque), void *opaque);
/* Milliseconds, monotonic. */
unsigned long long testNowMs(void);

#endif /* TENVIRT_RPCTESTUTILS_H */
