/*
 * remote_dispatch.h: tenvirtd's REMOTE program: the procedure table, the
 * per-client state and the helpers the handlers share.
 *
 * Every handler does its work through the public API on the client's own
 * connection, with the client's identity as the thread's current identity
 * (the server sets it around each call), so the hypervisor driver applies
 * its access checks exactly as for an in-process caller. Handlers never
 * look at driver state directly.
 */
#ifndef TENVIRT_REMOTE_DISPATCH_H
#define TENVIRT_REMOTE_DISPATCH_H

#include "internal.h"
#include "remote_protocol.h"
#include "virnetserver.h"
#include "virthread.h"

/* "No arguments" / "no result" in remote_procedures.def. It encodes to
 * nothing, like xdr_void, but has the signature of the other XDR
 * routines, so the table needs no function cast the compiler rejects. */
typedef struct {
    int unused;
} remote_void;
bool_t xdr_remote_void(XDR *xdrs, remote_void *objp);

/* Short names for the flag column of remote_procedures.def. */
#define REMOTE_NO_OPEN VIR_NET_SERVER_PROC_NO_OPEN
#define REMOTE_NO_AUTH VIR_NET_SERVER_PROC_NO_AUTH
#define REMOTE_INLINE VIR_NET_SERVER_PROC_INLINE

/* The handlers, one per row of remote_procedures.def, typed after it.
 * They follow virNetServerProcFunc: 0 sends @ret, -1 sends the thread's
 * last error. Whatever they put in @ret is freed by the server. */
#define REMOTE_PROC(NUMBER, Name, ARGS, RET, FLAGS, API) \
    int remoteDispatch##Name(virNetServer *srv, virNetServerClient *client, \
                             const virNetMessageHeader *hdr, ARGS *args, RET *ret);
#include "remote_procedures.def"
#undef REMOTE_PROC

/* The procedure table generated from remote_procedures.def, in ascending
 * procedure number. */
extern const virNetServerProcedure remoteProcedures[];
extern const size_t remoteNProcedures;

/* ---- per-client state ------------------------------------------------- */

typedef struct _remoteEventRegistration remoteEventRegistration;
struct _remoteEventRegistration {
    int callbackID;     /* the ID the client knows (316/317); -1 for legacy */
    int driverID;       /* what virConnectDomainEventRegisterAny returned */
    int eventID;
};

typedef struct _remoteClient remoteClient;
struct _remoteClient {
    virMutex lock;                      /* protects every field below */
    virConnectPtr conn;                 /* set once by CONNECT_OPEN; closed by the close hook */
    bool closed;                        /* CONNECT_CLOSE seen: calls fail from now on */
    remoteEventRegistration *events;    /* callback-style registrations (316) */
    size_t nevents;
    /* Legacy registrations (105, 167) by eventID: the driver's ID or -1. */
    int legacyEvents[VIR_DOMAIN_EVENT_ID_LAST];
    bool closeCallback;                 /* 360 seen (nothing to do yet: see remote_connect.c) */
};

/* The REMOTE program's state of @client, created on first use (the
 * server's private-data slot owns it). Never NULL. */
remoteClient *remoteClientGet(virNetServerClient *client);

/* The client's hypervisor connection (borrowed: it stays open until the
 * client's close hook, which runs only when none of its calls is running),
 * or NULL with "hypervisor connection not open" reported. Also NULL, with
 * an error, unless the call runs as the client (remoteClientIsCurrent). */
virConnectPtr remoteClientGetConn(virNetServerClient *client);

/* Whether the calling thread runs as @client (its identity is the
 * current one, as the server arranges for every call); if not, reports
 * an error: the caller must refuse rather than act as the daemon. */
bool remoteClientIsCurrent(virNetServerClient *client);

/* Client hooks for virNetServerSetClientHooks; @opaque is unused. The
 * init hook refuses TLS clients whose identity may not even connect
 * (connect:getattr), so tls_restrict_dn refuses unknown DNs during the
 * handshake. The close hook drops the client's event registrations and
 * closes its hypervisor connection. */
int remoteClientInitHook(virNetServer *srv, virNetServerClient *client, void *opaque);
void remoteClientCloseHook(virNetServer *srv, virNetServerClient *client, void *opaque);

/* Drop every event registration of @priv. Takes priv->lock itself (do
 * not hold it): the driver is called outside it. */
void remoteEventsDeregisterAll(remoteClient *priv);

/* ---- argument and result helpers -------------------------------------- */

/* The domain named by a wire argument, found by UUID through the public
 * API (so a domain the client may not see looks missing). Caller frees
 * with virDomainFree. NULL with an error reported. */
virDomainPtr remoteGetDomain(virConnectPtr conn, const remote_nonnull_domain *dom);

/* virDomainFree that keeps the thread's last error: handlers free their
 * handles after a failed call, and the server sends that call's error. */
void remoteDomainFree(virDomainPtr dom);

/* Fill a wire domain from a handle; the name is copied (freed by xdr_free). */
void remoteMakeDomain(remote_nonnull_domain *out, virDomainPtr dom);

#endif /* TENVIRT_REMOTE_DISPATCH_H */
