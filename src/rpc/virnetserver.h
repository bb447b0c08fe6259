/*
 * virnetserver.h: the RPC server: listeners, clients, workers, dispatch.
 *
 * One thread runs the event loop: it accepts connections, performs TLS
 * handshakes, reads and writes messages for every client without ever
 * blocking on one. Complete calls go to a pool of worker threads
 * (max_workers), so a slow call or a slow client never holds up others.
 * Each client may have at most max_client_requests calls in flight; past
 * that the loop stops reading from it until replies go out.
 *
 * The server knows the protocol's framing, programs and procedures,
 * keepalive (PING -> PONG), authentication gating and identities; what a
 * procedure does is the program's business (daemon/).
 *
 * Until a client of a service with authentication has authenticated, the
 * server reads one call at a time from it (the next only once the reply
 * to the previous one is written), so nothing it sends can overtake the
 * authentication; and a client switching to a SASL security layer has
 * nothing read from it until the layer is on.
 */
#ifndef TENVIRT_VIRNETSERVER_H
#define TENVIRT_VIRNETSERVER_H

#include "internal.h"
#include "virevent.h"
#include "viridentity.h"
#include "virnetmessage.h"
#include "virnetsasl.h"
#include "virnettls.h"

typedef struct _virNetServer virNetServer;
typedef struct _virNetServerClient virNetServerClient;
typedef struct _virNetServerProgram virNetServerProgram;

/* ---- programs -------------------------------------------------------- */

typedef enum {
    /* Allowed before the client has authenticated (AUTH_LIST, AUTH_SASL_*). */
    VIR_NET_SERVER_PROC_NO_AUTH = 1 << 0,
    /* Allowed before CONNECT_OPEN (AUTH_*, SUPPORTS_FEATURE, OPEN itself). */
    VIR_NET_SERVER_PROC_NO_OPEN = 1 << 1,
    /* Run on the event loop thread as soon as it is read, not handed to a
     * worker: saves two thread wake-ups for calls that only read state the
     * connection already has. Only for handlers that never wait (no
     * hypervisor, no lock held across slow work) and never take long:
     * every client waits while one runs. */
    VIR_NET_SERVER_PROC_INLINE = 1 << 2,
} virNetServerProcFlags;

/* A procedure's implementation. @args is decoded, @ret is zeroed; both are
 * freed by the server with xdr_free afterwards. The client's identity is
 * the thread's current identity while it runs. Return 0 to send @ret, or
 * -1 to send the thread's last error (or a generic one if none is set). */
typedef int (*virNetServerProcFunc)(virNetServer *srv, virNetServerClient *client,
                                    const virNetMessageHeader *hdr,
                                    void *args, void *ret);

typedef struct {
    int proc;                   /* procedure number */
    const char *name;           /* "DOMAIN_GET_INFO", for logs */
    virNetServerProcFunc func;
    xdrproc_t argsFilter;       /* xdr_void for no arguments */
    size_t argsSize;
    xdrproc_t retFilter;        /* xdr_void for no result */
    size_t retSize;
    unsigned int flags;         /* virNetServerProcFlags */
    const char *api;            /* public API behind it ("virDomainGetInfo"), for docs */
} virNetServerProcedure;

/* @procs must stay valid for the program's life (a static table). Calls to
 * numbers not in the table get VIR_ERR_RPC "unknown procedure: N".
 * Programs are reference counted: virNetServerAddProgram takes the
 * server's own reference, Free drops the caller's. */
virNetServerProgram *virNetServerProgramNew(unsigned int prog, unsigned int vers,
                                            const virNetServerProcedure *procs,
                                            size_t nprocs);
void virNetServerProgramFree(virNetServerProgram *prog);

/* ---- the server ------------------------------------------------------ */

typedef struct {
    unsigned int maxClients;        /* max_clients: more are accepted and closed at once */
    unsigned int maxAnonymousClients; /* max_anonymous_clients: clients still in their TLS
                                     * handshake or authentication; more are accepted
                                     * and closed at once; 0: no limit */
    unsigned int minWorkers;
    unsigned int maxWorkers;
    unsigned int maxClientRequests; /* calls in flight per client */
    int keepaliveInterval;          /* seconds; <= 0: never ping clients */
    unsigned int keepaliveCount;
    unsigned int authTimeout;       /* seconds a client of a service with
                                     * authentication has to complete it
                                     * before it is dropped; 0: no limit */
} virNetServerConfig;

typedef enum {
    VIR_NET_SERVER_AUTH_NONE = 0,
    VIR_NET_SERVER_AUTH_SASL = 1,
} virNetServerAuthType;

/* Called in the event-loop thread once a client's transport is ready
 * (after the TLS handshake and certificate checks, before the TLS
 * confirmation byte) with its identity set. Return 0 to accept it, -1 to
 * drop it (e.g. tls_restrict_dn refused its DN). It must not block: every
 * client waits while it runs. */
typedef int (*virNetServerClientInitHook)(virNetServer *srv, virNetServerClient *client,
                                          void *opaque);
/* Called once when a client is gone (EOF, error, server shutdown), from a
 * thread where no call of that client is running any more (the loop
 * thread, the worker that ran its last call, or virNetServerFree's).
 * Only for clients the init hook accepted. */
typedef void (*virNetServerClientCloseHook)(virNetServer *srv, virNetServerClient *client,
                                            void *opaque);

virNetServer *virNetServerNew(const virNetServerConfig *cfg);
/* Stops everything, closes every client (running close hooks), frees.
 * Call after virNetServerRun has returned. */
void virNetServerFree(virNetServer *srv);
void virNetServerAddProgram(virNetServer *srv, virNetServerProgram *prog);
void virNetServerSetClientHooks(virNetServer *srv, virNetServerClientInitHook init,
                                virNetServerClientCloseHook close, void *opaque);

/* Listen on a UNIX socket at @path with permissions @mode (and group
 * @gid if not -1). Clients of a @readonly socket get read-only identities. */
int virNetServerAddServiceUNIX(virNetServer *srv, const char *path, mode_t mode,
                               gid_t gid, bool readonly, virNetServerAuthType auth);
/* Listen on @addr (NULL: all addresses, IPv4 and IPv6) and @port ("0":
 * any free port; see virNetServerGetPorts). With @tls, clients must
 * complete a TLS handshake with a verified certificate first. */
int virNetServerAddServiceTCP(virNetServer *srv, const char *addr, const char *port,
                              virNetTLSContext *tls, virNetServerAuthType auth);
/* The ports actually bound, in the order services were added (for tests
 * that listen on port 0). */
int virNetServerGetPort(virNetServer *srv, size_t serviceIndex);

/* Run @func in the event-loop thread when @signum arrives (SIGHUP reload).
 * SIGTERM and SIGINT stop virNetServerRun by default. */
int virNetServerAddSignalHandler(virNetServer *srv, int signum,
                                 void (*func)(virNetServer *srv, int signum, void *opaque),
                                 void *opaque);

/* Run until virNetServerQuit or a terminating signal. 0 on a clean stop. */
int virNetServerRun(virNetServer *srv);
/* Ask the loop to stop; safe from any thread. */
void virNetServerQuit(virNetServer *srv);
/* The server's event loop, for the daemon's own timers and watches (their
 * callbacks run in the loop thread, like the init hook). */
virEventLoop *virNetServerGetEventLoop(virNetServer *srv);
/* Connected clients, including those closing (for tests and logs). */
size_t virNetServerGetClientCount(virNetServer *srv);

/* ---- clients --------------------------------------------------------- */

/* Borrowed; valid while the client lives. */
virIdentity *virNetServerClientGetIdentity(virNetServerClient *client);
/* Replace the identity (e.g. a read-only copy after CONNECT_OPEN with the
 * read-only flag, or the SASL user after authentication). Takes a reference. */
void virNetServerClientSetIdentity(virNetServerClient *client, virIdentity *id);
/* The program's per-client state; @freeFunc runs when the client is freed. */
void virNetServerClientSetPrivateData(virNetServerClient *client, void *priv,
                                      void (*freeFunc)(void *priv));
void *virNetServerClientGetPrivateData(virNetServerClient *client);
/* Authentication state: clients of AUTH_NONE services start authenticated. */
virNetServerAuthType virNetServerClientGetAuth(virNetServerClient *client);
bool virNetServerClientIsAuthenticated(virNetServerClient *client);
void virNetServerClientSetAuthenticated(virNetServerClient *client);
/* CONNECT_OPEN done: procedures without NO_OPEN are allowed from now on. */
void virNetServerClientSetOpen(virNetServerClient *client);
bool virNetServerClientIsOpen(virNetServerClient *client);
bool virNetServerClientIsReadOnly(virNetServerClient *client);
bool virNetServerClientIsSecure(virNetServerClient *client);   /* TLS or UNIX */
virNetTLSSession *virNetServerClientGetTLSSession(virNetServerClient *client);
/* "127.0.0.1;40022" style addresses. Borrowed. */
const char *virNetServerClientLocalAddr(virNetServerClient *client);
const char *virNetServerClientRemoteAddr(virNetServerClient *client);
/* Queue a MESSAGE (event) for @client; safe from any thread. @data is
 * encoded before returning. 0, or -1 if the client is closing (no error
 * set) or @data cannot be encoded (error set). A client that lets 64 MiB
 * of messages pile up unread is dropped. */
int virNetServerClientSendMessage(virNetServerClient *client, unsigned int prog,
                                  unsigned int vers, int proc,
                                  xdrproc_t filter, void *data);
/* SASL: the client's session while it negotiates (takes a reference;
 * NULL drops it). Get returns a new reference, or NULL. */
void virNetServerClientSetSASLSession(virNetServerClient *client, virNetSASLSession *sess);
virNetSASLSession *virNetServerClientGetSASLSession(virNetServerClient *client);
/* For the handler that completes SASL authentication with a negotiated
 * security layer: every byte after the reply of the running call, in both
 * directions, goes through the client's SASL session (which must be set).
 * Nothing more is read from the client until that reply is written and the
 * layer is on. Call it before virNetServerClientSetAuthenticated, which
 * would otherwise let the loop read on in clear meanwhile. */
void virNetServerClientSetSASLLayerAfterReply(virNetServerClient *client);

/* Close the client after pending replies are written (it stops reading
 * at once, and closes when no call is running and nothing is queued). */
void virNetServerClientClose(virNetServerClient *client);
/* The client asked for keepalive (SUPPORTS_FEATURE 10 answered 1): ping it
 * after keepaliveInterval idle seconds, drop it after keepaliveCount
 * unanswered pings. PINGs from any client are always answered. */
void virNetServerClientEnableKeepalive(virNetServerClient *client);
/* Keep @client alive while it is used outside its calls. */
virNetServerClient *virNetServerClientRef(virNetServerClient *client);
void virNetServerClientUnref(virNetServerClient *client);

#endif /* TENVIRT_VIRNETSERVER_H */
