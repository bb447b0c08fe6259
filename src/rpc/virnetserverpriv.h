/*
 * virnetserverpriv.h: what the server's files (server, service, client,
 * program) share; not for the daemon.
 *
 * Threads and locks: the event loop thread accepts, does TLS handshakes,
 * reads, writes what is queued, and runs the init hook; worker threads run
 * calls, and a worker (or an event sender) writes its message itself when
 * nothing is queued ahead of it. All I/O on a client's socket happens under
 * that client's lock, which so serialises its TLS and SASL state.
 * Locks never nest between a server and its clients: code holding a
 * client's lock takes no server lock and the other way round. The event
 * loop's and the worker pool's locks are innermost.
 */
#ifndef TENVIRT_VIRNETSERVERPRIV_H
#define TENVIRT_VIRNETSERVERPRIV_H

#include "virevent.h"
#include "virnetserver.h"
#include "virnetsocket.h"

/* ---- server (virnetserver.c), used by services and clients ----------- */

/* A new connection from a service; takes ownership of @sock. Refuses it
 * (closing it) past max_clients. */
void virNetServerAddClient(virNetServer *srv, virNetSocket *sock, virNetTLSContext *tls,
                           virNetServerAuthType auth, bool readonly);
/* A client counted as anonymous by virNetServerAddClient (TLS or an auth
 * scheme) is through its handshake and authentication, or gone. No lock. */
void virNetServerAnonymousDone(virNetServer *srv);
/* Hand a complete CALL to the workers, or run it here if its procedure is
 * VIR_NET_SERVER_PROC_INLINE. Loop thread, no client lock held. The client
 * has counted it in flight. */
void virNetServerDispatchCall(virNetServer *srv, virNetServerClient *client,
                              virNetMessage *msg);
/* The init hook: 0 to accept the client, -1 to drop it. */
int virNetServerRunInitHook(virNetServer *srv, virNetServerClient *client);
/* The close hook, then forget the client. */
void virNetServerClientGone(virNetServer *srv, virNetServerClient *client, bool runHook);
const virNetServerConfig *virNetServerGetConfig(virNetServer *srv);

/* ---- services (virnetserverservice.c) ------------------------------- */

typedef struct _virNetServerService virNetServerService;

virNetServerService *virNetServerServiceNewTCP(virNetServer *srv, const char *addr,
                                               const char *port, virNetTLSContext *tls,
                                               virNetServerAuthType auth);
virNetServerService *virNetServerServiceNewUNIX(virNetServer *srv, const char *path,
                                                mode_t mode, gid_t gid, bool readonly,
                                                virNetServerAuthType auth);
int virNetServerServiceGetPort(virNetServerService *svc);
/* Stop accepting (removes the watches). */
void virNetServerServiceClose(virNetServerService *svc);
void virNetServerServiceFree(virNetServerService *svc);

/* ---- clients (virnetserverclient.c) --------------------------------- */

/* A client for an accepted socket (owned from now on). One reference,
 * which the server's client list keeps. */
virNetServerClient *virNetServerClientNew(virNetServer *srv, virNetSocket *sock,
                                          virNetTLSContext *tls, virNetServerAuthType auth,
                                          bool readonly);
/* In the loop thread, once the client is on the server's list: start the
 * TLS handshake, or for plain transports build the identity and run the
 * init hook. */
void virNetServerClientStart(virNetServerClient *client);
/* A worker finished a call: queue @reply (NULL: none) unless the client is
 * gone, and count the call as done. */
void virNetServerClientFinishCall(virNetServerClient *client, virNetMessage *reply);
/* True once the client is closed: a queued call then is dropped unrun. */
bool virNetServerClientIsClosed(virNetServerClient *client);
/* The identity for one call, with a new reference (NULL before ready). */
virIdentity *virNetServerClientGetIdentityRef(virNetServerClient *client);
/* Once a second from the loop thread: keepalive pings and timeouts. */
void virNetServerClientTick(virNetServerClient *client, unsigned long long nowMs);
/* Server shutdown: close now; replies of running calls are dropped. */
void virNetServerClientCloseNow(virNetServerClient *client);
/* For log lines: "127.0.0.1;40022" or "local pid 123". Borrowed. */
const char *virNetServerClientGetName(virNetServerClient *client);

/* ---- programs (virnetserverprogram.c) -------------------------------- */

virNetServerProgram *virNetServerProgramRef(virNetServerProgram *prog);
bool virNetServerProgramMatches(virNetServerProgram *prog, const virNetMessageHeader *hdr);
/* Whether @hdr calls a procedure of @prog marked VIR_NET_SERVER_PROC_INLINE. */
bool virNetServerProgramIsInline(virNetServerProgram *prog, const virNetMessageHeader *hdr);
/* Run the CALL in @msg and replace its content with the reply. */
void virNetServerProgramDispatch(virNetServerProgram *prog, virNetServer *srv,
                                 virNetServerClient *client, virNetMessage *msg);
/* Replace @msg's content with an error reply to @call carrying the
 * thread's last error. -1 only if even that cannot be encoded. */
int virNetServerProgramFormatError(virNetMessage *msg, const virNetMessageHeader *call);

#endif /* TENVIRT_VIRNETSERVERPRIV_H */
