/*
 * virnetserverclient.c: one connected client of the server: its transport
 * state (TLS handshake, confirmation byte), reading calls, the queue of
 * whole messages to send, keepalive, identity and closing.
 *
 * Socket I/O (and so TLS and SASL layer state) is only done with the
 * client's lock held. Reading, the handshake and queued writes happen in
 * the event loop thread; a worker finishing a call with nothing queued
 * ahead of its reply writes the reply itself (the socket is non-blocking)
 * and leaves only what did not fit to the loop. Otherwise workers queue
 * replies and change flags, under the lock, then adjust the loop's
 * interest in the socket.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetserverpriv.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserverclient");

/* Complete messages handled per wake-up before other clients get a turn
 * (data TLS already decrypted is always drained). */
#define VIR_NET_SERVER_CLIENT_READ_BATCH 32
/* Queued outgoing bytes past which a client that does not read its events
 * is dropped rather than allowed to grow the daemon without bound. */
#define VIR_NET_SERVER_CLIENT_TX_MAX (64 * 1024 * 1024)
/* Bytes asked of the socket at once while reading small messages: a whole
 * call usually arrives in one read instead of two (length, then the rest),
 * and a read returning less shows that nothing more is waiting. */
#define VIR_NET_SERVER_CLIENT_READ_AHEAD 4096
/* A TLS handshake must complete within this time. */
#define VIR_NET_SERVER_CLIENT_HANDSHAKE_TIMEOUT_MS (60 * 1000)

typedef enum {
    VIR_NET_SERVER_CLIENT_HANDSHAKE,    /* TLS handshake in progress */
    VIR_NET_SERVER_CLIENT_INIT,         /* the init hook is running */
    VIR_NET_SERVER_CLIENT_CONFIRM,      /* sending the TLS confirmation byte */
    VIR_NET_SERVER_CLIENT_READY,
    VIR_NET_SERVER_CLIENT_CLOSED,
} virNetServerClientState;

struct _virNetServerClient {
    int refs;
    virMutex lock;
    virNetServer *srv;
    virNetSocket *sock;             /* lives until the client is freed */
    virNetTLSContext *tlsctx;
    char *name;
    int watch;
    virNetServerClientState state;
    unsigned long long startedAt;   /* ms, monotonic */

    virNetServerAuthType auth;
    bool readonly;
    bool authenticated;
    bool open;
    virIdentity *identity;
    bool accepted;                  /* the init hook said yes */

    bool wantClose;                 /* close once everything is sent */
    bool dropRequested;             /* close at the next chance, from another thread */
    char *dropReason;
    bool finished;                  /* close hook done, off the server's list */
    bool anonymous;                 /* in the server's count of clients not yet
                                     * through TLS and authentication */

    virNetMessage *rx;
    /* Read ahead of the message being assembled (see ReadAheadLocked);
     * rbufOffset..rbufLen is not consumed yet. */
    char *rbuf;
    size_t rbufLen;
    size_t rbufOffset;
    virNetMessage *tx;
    size_t txBytes;
    bool pongQueued;
    size_t inflight;
    size_t maxRequests;

    /* SASL: the negotiating session; with a security layer negotiated,
     * the reply after which it is switched on (layerPending: reading
     * waits for that). */
    virNetSASLSession *sasl;
    bool layerPending;
    virNetMessage *layerAfter;
    unsigned int authTimeout;       /* s, 0: none */

    bool keepalive;
    int keepaliveInterval;          /* s */
    unsigned int keepaliveCount;
    unsigned long long lastActivity;
    unsigned int pingsSent;

    void *priv;
    void (*privFree)(void *priv);
};

static unsigned long long
virNetServerClientNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

virNetServerClient *
virNetServerClientNew(virNetServer *srv, virNetSocket *sock, virNetTLSContext *tls,
                      virNetServerAuthType auth, bool readonly)
{
    const virNetServerConfig *cfg = virNetServerGetConfig(srv);
    virNetServerClient *client;

    VIR_ALLOC(client);
    client->refs = 1;
    virMutexInit(&client->lock);
    client->srv = srv;
    client->sock = sock;
    client->tlsctx = tls ? virNetTLSContextRef(tls) : NULL;
    client->auth = auth;
    client->authenticated = auth == VIR_NET_SERVER_AUTH_NONE;
    /* As virNetServerAddClient counted it. */
    client->anonymous = tls || auth != VIR_NET_SERVER_AUTH_NONE;
    client->readonly = readonly;
    client->watch = -1;
    client->state = tls ? VIR_NET_SERVER_CLIENT_HANDSHAKE : VIR_NET_SERVER_CLIENT_INIT;
    client->maxRequests = cfg->maxClientRequests ? cfg->maxClientRequests : 5;
    client->keepaliveInterval = cfg->keepaliveInterval;
    client->keepaliveCount = cfg->keepaliveCount ? cfg->keepaliveCount : 5;
    client->authTimeout = cfg->authTimeout;
    client->startedAt = client->lastActivity = virNetServerClientNowMs();

    if (virNetSocketIsLocal(sock)) {
        uid_t uid;
        gid_t gid;
        pid_t pid;

        if (virNetSocketGetUNIXIdentity(sock, &uid, &gid, &pid) == 0)
            client->name = virPrintf("local pid %lld uid %lld", (long long)pid, (long long)uid);
        else
            client->name = virStrdup("local");
        virResetLastError();
    } else {
        client->name = virStrdup(NULLSTR(virNetSocketRemoteAddrString(sock)));
    }
    return client;
}

virNetServerClient *
virNetServerClientRef(virNetServerClient *client)
{
    __atomic_add_fetch(&client->refs, 1, __ATOMIC_SEQ_CST);
    return client;
}

void
virNetServerClientUnref(virNetServerClient *client)
{
    virNetMessage *msg;

    if (!client)
        return;
    if (__atomic_sub_fetch(&client->refs, 1, __ATOMIC_SEQ_CST) > 0)
        return;

    if (client->privFree)
        client->privFree(client->priv);
    while ((msg = virNetMessageQueueServe(&client->tx)))
        virNetMessageFree(msg);
    virNetMessageFree(client->rx);
    free(client->rbuf);
    virIdentityUnref(client->identity);
    /* The socket's layer holds its own reference to the session. */
    virNetSocketFree(client->sock);
    virNetSASLSessionFree(client->sasl);
    virNetTLSContextFree(client->tlsctx);
    free(client->dropReason);
    free(client->name);
    virMutexDestroy(&client->lock);
    free(client);
}

const char *
virNetServerClientGetName(virNetServerClient *client)
{
    return client->name;
}

/* ---- interest in the socket ------------------------------------------- */

/* Lock held: whether to read the next message now. Before authentication
 * one call at a time: a call pipelined behind the last SASL step must not
 * be read before the step's outcome (and its security layer) applies. */
static bool
virNetServerClientWantReadLocked(virNetServerClient *client)
{
    if (client->wantClose || client->dropRequested || client->layerPending)
        return false;
    if (!client->authenticated)
        return client->inflight == 0;
    return client->inflight < client->maxRequests;
}

/* Lock held: input already taken off the socket, which poll cannot see. */
static bool
virNetServerClientHasCachedLocked(virNetServerClient *client)
{
    return client->rbufOffset < client->rbufLen || virNetSocketHasCachedData(client->sock);
}

static void
virNetServerClientUpdateEventsLocked(virNetServerClient *client)
{
    int events = 0;
    bool attention = client->dropRequested ||
        (client->wantClose && client->inflight == 0);

    switch (client->state) {
    case VIR_NET_SERVER_CLIENT_HANDSHAKE:
        if (virNetTLSSessionGetHandshakeStatus(virNetSocketGetTLSSession(client->sock)) ==
            VIR_NET_TLS_HANDSHAKE_SENDING)
            events = VIR_EVENT_HANDLE_WRITABLE;
        else
            events = VIR_EVENT_HANDLE_READABLE;
        break;
    case VIR_NET_SERVER_CLIENT_INIT:
        break;
    case VIR_NET_SERVER_CLIENT_CONFIRM:
        events = VIR_EVENT_HANDLE_WRITABLE;
        break;
    case VIR_NET_SERVER_CLIENT_READY:
        if (virNetServerClientWantReadLocked(client)) {
            events |= VIR_EVENT_HANDLE_READABLE;
            /* Messages already read off the socket (reading stopped at
             * max_client_requests) would wait for the client to send
             * more: have the loop come back for them. */
            if (virNetServerClientHasCachedLocked(client))
                attention = true;
        }
        if (client->tx)
            events |= VIR_EVENT_HANDLE_WRITABLE;
        break;
    case VIR_NET_SERVER_CLIENT_CLOSED:
        return;
    }
    /* An always-writable socket makes the loop call us back promptly;
     * used when another thread needs the loop thread to act. */
    if (attention)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (client->watch > 0)
        virEventLoopUpdateHandle(virNetServerGetEventLoop(client->srv), client->watch, events);
}

/* ---- closing ----------------------------------------------------------- */

/* Loop thread (or server shutdown), lock held. Returns true if the caller
 * must call virNetServerClientFinish after unlocking. */
/* Lock held: leave the server's count of anonymous clients once through
 * the TLS handshake and authentication, or on closing. */
static void
virNetServerClientAnonymousCheckLocked(virNetServerClient *client, bool closing)
{
    if (!client->anonymous)
        return;
    if (!closing &&
        !(client->state == VIR_NET_SERVER_CLIENT_READY && client->authenticated))
        return;
    client->anonymous = false;
    virNetServerAnonymousDone(client->srv);
}

static bool
virNetServerClientCloseLocked(virNetServerClient *client, const char *reason)
{
    virNetMessage *msg;

    if (client->state == VIR_NET_SERVER_CLIENT_CLOSED)
        return false;
    virNetServerClientAnonymousCheckLocked(client, true);
    VIR_DEBUG("Closing client %s: %s", client->name, reason);
    client->state = VIR_NET_SERVER_CLIENT_CLOSED;
    if (client->watch > 0)
        virEventLoopRemoveHandle(virNetServerGetEventLoop(client->srv), client->watch);
    client->watch = -1;
    /* The fd stays open until the client is freed: daemon threads may
     * still hold the TLS session or addresses; shutdown stops traffic. */
    virNetSocketShutdown(client->sock);
    while ((msg = virNetMessageQueueServe(&client->tx)))
        virNetMessageFree(msg);
    client->txBytes = 0;
    client->layerAfter = NULL;
    virNetMessageFree(client->rx);
    client->rx = NULL;
    return client->inflight == 0 && !client->finished;
}

/* No lock held; the caller holds a reference. Once closed and with no
 * call left: run the close hook and leave the server's list. */
static void
virNetServerClientFinish(virNetServerClient *client)
{
    bool runHook;

    virMutexLock(&client->lock);
    if (client->finished || client->state != VIR_NET_SERVER_CLIENT_CLOSED ||
        client->inflight > 0) {
        virMutexUnlock(&client->lock);
        return;
    }
    client->finished = true;
    runHook = client->accepted;
    virMutexUnlock(&client->lock);

    virNetServerClientGone(client->srv, client, runHook);
}

void
virNetServerClientCloseNow(virNetServerClient *client)
{
    bool finish;

    virMutexLock(&client->lock);
    finish = virNetServerClientCloseLocked(client, "server shutting down");
    virMutexUnlock(&client->lock);
    if (finish)
        virNetServerClientFinish(client);
}

void
virNetServerClientClose(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    if (client->state != VIR_NET_SERVER_CLIENT_CLOSED && !client->wantClose) {
        client->wantClose = true;
        virNetServerClientUpdateEventsLocked(client);
    }
    virMutexUnlock(&client->lock);
}

/* Any thread, lock held: have the loop thread drop the client. */
static void
virNetServerClientRequestDropLocked(virNetServerClient *client, const char *reason)
{
    if (client->dropRequested || client->state == VIR_NET_SERVER_CLIENT_CLOSED)
        return;
    client->dropRequested = true;
    client->dropReason = virStrdup(reason);
    virNetServerClientUpdateEventsLocked(client);
}

bool
virNetServerClientIsClosed(virNetServerClient *client)
{
    bool closed;

    virMutexLock(&client->lock);
    closed = client->state == VIR_NET_SERVER_CLIENT_CLOSED;
    virMutexUnlock(&client->lock);
    return closed;
}

/* ---- sending ----------------------------------------------------------- */

/* Lock held. */
static void
virNetServerClientQueueLocked(virNetServerClient *client, virNetMessage *msg)
{
    client->txBytes += msg->bufferLength;
    virNetMessageQueuePush(&client->tx, msg);
    virNetServerClientUpdateEventsLocked(client);
}

static virNetMessage *
virNetServerClientNewKeepalive(int proc)
{
    virNetMessage *msg = virNetMessageNew();

    msg->header.prog = KEEPALIVE_PROGRAM;
    msg->header.vers = KEEPALIVE_PROTOCOL_VERSION;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_MESSAGE;
    msg->header.serial = 0;
    msg->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(msg) < 0 || virNetMessageEncodePayloadEmpty(msg) < 0) {
        virNetMessageFree(msg);
        return NULL;
    }
    return msg;
}

/* Lock held, @msg just queued: whether the calling thread may write it at
 * once. Not while other messages are ahead of it (the loop owns the queue
 * then, and WRITABLE is on), nor when the client is on its way out, nor
 * while a SASL security layer waits to be switched on: that switch stays
 * in the loop thread, which also holds back reading until then. */
static bool
virNetServerClientCanWriteNowLocked(virNetServerClient *client, virNetMessage *msg)
{
    return client->state == VIR_NET_SERVER_CLIENT_READY &&
        client->tx == msg && !msg->next &&
        !client->dropRequested && !client->layerPending && !client->layerAfter;
}

/* Lock held, any thread: write queued messages until the socket is full.
 * Returns -1 on a write error (the caller closes, or asks the loop to). */
static int
virNetServerClientWriteLocked(virNetServerClient *client)
{
    while (client->tx) {
        virNetMessage *msg = client->tx;
        ssize_t rc = virNetSocketWrite(client->sock, msg->buffer + msg->bufferOffset,
                                       msg->bufferLength - msg->bufferOffset);

        if (rc < 0) {
            if (errno == EAGAIN)
                return 0;
            VIR_DEBUG("Write to client %s failed: %s", client->name,
                      virGetLastErrorMessage());
            virResetLastError();
            return -1;
        }
        msg->bufferOffset += rc;
        if (msg->bufferOffset < msg->bufferLength)
            continue;
        virNetMessageQueueServe(&client->tx);
        client->txBytes -= msg->bufferLength;
        if (msg->header.prog == KEEPALIVE_PROGRAM && msg->header.proc == KEEPALIVE_PROC_PONG)
            client->pongQueued = false;
        if (msg == client->layerAfter) {
            /* Its last byte went out in clear; every later byte, both
             * ways, is the layer's. Nothing was read ahead meanwhile. */
            virNetSocketSetSecurityLayer(client->sock, &virNetSASLSocketLayer,
                                         virNetSASLSessionGetMaxBufSize(client->sasl),
                                         virNetSASLSessionRef(client->sasl));
            client->layerAfter = NULL;
            client->layerPending = false;
            VIR_DEBUG("SASL security layer on for client %s", client->name);
        }
        virNetMessageFree(msg);
    }
    return 0;
}

/* Lock held, a worker or an event sender: queue @msg and, when nothing is
 * ahead of it, write it from here (the socket is non-blocking): the loop
 * thread then needs no wake-up to send it, nor another to stop watching
 * for WRITABLE afterwards. A short write leaves the rest queued, and the
 * event update turns WRITABLE on for the loop. */
static void
virNetServerClientSendLocked(virNetServerClient *client, virNetMessage *msg)
{
    client->txBytes += msg->bufferLength;
    virNetMessageQueuePush(&client->tx, msg);
    if (virNetServerClientCanWriteNowLocked(client, msg) &&
        virNetServerClientWriteLocked(client) < 0) {
        /* Closing is the loop's job: the client may not go from here. */
        virNetServerClientRequestDropLocked(client, "write error");
    }
    virNetServerClientUpdateEventsLocked(client);
}

void
virNetServerClientFinishCall(virNetServerClient *client, virNetMessage *reply)
{
    bool finish = false;

    virMutexLock(&client->lock);
    client->inflight--;
    if (client->state == VIR_NET_SERVER_CLIENT_CLOSED) {
        /* Disconnected meanwhile: nobody to send the reply to. */
        virNetMessageFree(reply);
        finish = client->inflight == 0;
    } else if (reply) {
        /* The reply completing SASL with a security layer: the layer goes
         * on right after it (see virNetServerClientWriteLocked). */
        if (client->layerPending && !client->layerAfter)
            client->layerAfter = reply;
        virNetServerClientSendLocked(client, reply);
    } else {
        virNetServerClientUpdateEventsLocked(client);
    }
    virMutexUnlock(&client->lock);
    if (finish)
        virNetServerClientFinish(client);
}

int
virNetServerClientSendMessage(virNetServerClient *client, unsigned int prog,
                              unsigned int vers, int proc,
                              xdrproc_t filter, void *data)
{
    virNetMessage *msg = virNetMessageNew();

    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_MESSAGE;
    msg->header.serial = 1;         /* what libvirtd sends; clients ignore it */
    msg->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(msg) < 0 ||
        virNetMessageEncodePayload(msg, filter, data) < 0) {
        virNetMessageFree(msg);
        return -1;
    }

    virMutexLock(&client->lock);
    if (client->state != VIR_NET_SERVER_CLIENT_READY || client->wantClose ||
        client->dropRequested) {
        virMutexUnlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    if (client->txBytes + msg->bufferLength > VIR_NET_SERVER_CLIENT_TX_MAX) {
        VIR_WARN("Client %s does not read its messages (%zu bytes queued): dropping it",
                 client->name, client->txBytes);
        virNetServerClientRequestDropLocked(client, "not reading its messages");
        virMutexUnlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    virNetServerClientSendLocked(client, msg);
    virMutexUnlock(&client->lock);
    return 0;
}

/* ---- receiving --------------------------------------------------------- */

/* Loop thread, lock held: one complete message from the client. Calls
 * are added to @calls, for the caller to hand to the workers once it has
 * let go of the lock: a worker woken at once would only block on it. */
static void
virNetServerClientHandleMessageLocked(virNetServerClient *client, virNetMessage *msg,
                                      virNetMessage **calls)
{
    const virNetMessageHeader *hdr = &msg->header;

    if (hdr->prog == KEEPALIVE_PROGRAM && hdr->type == VIR_NET_MESSAGE) {
        /* Answered here, not by a worker, so a PONG never waits behind
         * running calls. One queued PONG answers any number of PINGs. */
        if (hdr->proc == KEEPALIVE_PROC_PING && !client->pongQueued) {
            virNetMessage *pong = virNetServerClientNewKeepalive(KEEPALIVE_PROC_PONG);

            if (pong) {
                client->pongQueued = true;
                virNetServerClientQueueLocked(client, pong);
            }
        }
        virNetMessageFree(msg);
        return;
    }

    if (hdr->type == VIR_NET_CALL || hdr->type == VIR_NET_CALL_WITH_FDS) {
        /* Counted now, so that reading pauses at max_client_requests;
         * the program refuses the FD variant with an error reply. */
        client->inflight++;
        virNetMessageQueuePush(calls, msg);
        return;
    }

    VIR_DEBUG("Ignoring message type %d from client %s", hdr->type, client->name);
    virNetMessageFree(msg);
}

/* Lock held: whether reading may run ahead of the current message. Not
 * before authentication: the reply ending a SASL negotiation may switch on
 * a security layer, and bytes after that call must then go through it, so
 * none may have been read in clear. */
static bool
virNetServerClientReadAheadLocked(virNetServerClient *client)
{
    return client->authenticated && !client->layerPending;
}

/* Loop thread, lock held: up to @len bytes of input, from what was read
 * ahead or from the socket. *@drained is set when a socket read returned
 * less than asked: nothing more was waiting, so the caller may go back to
 * poll rather than make a read bound to fail with EAGAIN. (TLS reads one
 * record at a time without reading ahead on the socket, and data a TLS
 * session or security layer holds is seen by HasCachedLocked.) */
static ssize_t
virNetServerClientRecvLocked(virNetServerClient *client, char *buf, size_t len,
                             bool *drained)
{
    size_t n;
    ssize_t rc;

    if (client->rbufOffset < client->rbufLen) {
        n = client->rbufLen - client->rbufOffset;
        if (n > len)
            n = len;
        memcpy(buf, client->rbuf + client->rbufOffset, n);
        client->rbufOffset += n;
        return n;
    }
    if (len >= VIR_NET_SERVER_CLIENT_READ_AHEAD ||
        !virNetServerClientReadAheadLocked(client)) {
        rc = virNetSocketRead(client->sock, buf, len);
        if (rc > 0)
            *drained = (size_t)rc < len;
        return rc;
    }
    if (!client->rbuf)
        VIR_ALLOC_N(client->rbuf, VIR_NET_SERVER_CLIENT_READ_AHEAD);
    rc = virNetSocketRead(client->sock, client->rbuf, VIR_NET_SERVER_CLIENT_READ_AHEAD);
    if (rc <= 0)
        return rc;
    *drained = rc < VIR_NET_SERVER_CLIENT_READ_AHEAD;
    n = (size_t)rc < len ? (size_t)rc : len;
    memcpy(buf, client->rbuf, n);
    client->rbufLen = rc;
    client->rbufOffset = n;
    return n;
}

/* Loop thread, lock held. Complete calls are added to @calls (see
 * HandleMessageLocked). Returns -1 if the client must be closed, with
 * *@reason set. */
static int
virNetServerClientReadLocked(virNetServerClient *client, const char **reason,
                             virNetMessage **calls)
{
    unsigned int handled = 0;
    bool drained = false;

    for (;;) {
        bool cached = virNetServerClientHasCachedLocked(client);
        virNetMessage *msg;
        ssize_t rc;

        if (client->state != VIR_NET_SERVER_CLIENT_READY ||
            !virNetServerClientWantReadLocked(client))
            return 0;
        if (handled >= VIR_NET_SERVER_CLIENT_READ_BATCH && !cached)
            return 0;
        /* The socket had nothing more at the last read: poll will tell
         * when it has. */
        if (drained && !cached)
            return 0;

        if (!client->rx) {
            client->rx = virNetMessageNew();
            virNetMessagePrepareRead(client->rx);
        }
        msg = client->rx;
        rc = virNetServerClientRecvLocked(client, msg->buffer + msg->bufferOffset,
                                          msg->bufferLength - msg->bufferOffset,
                                          &drained);
        if (rc < 0) {
            if (errno == EAGAIN)
                return 0;
            VIR_DEBUG("Read from client %s failed: %s", client->name,
                      virGetLastErrorMessage());
            virResetLastError();
            *reason = "read error";
            return -1;
        }
        if (rc == 0) {
            *reason = "end of file";
            return -1;
        }
        msg->bufferOffset += rc;
        client->lastActivity = virNetServerClientNowMs();
        client->pingsSent = 0;
        if (msg->bufferOffset < msg->bufferLength)
            continue;

        if (msg->bufferLength == VIR_NET_MESSAGE_LEN_MAX) {
            if (virNetMessageDecodeLength(msg) < 0) {
                VIR_WARN("Dropping client %s: %s", client->name, virGetLastErrorMessage());
                virResetLastError();
                *reason = "bad message length";
                return -1;
            }
            continue;
        }

        client->rx = NULL;
        if (virNetMessageDecodeHeader(msg) < 0) {
            VIR_WARN("Dropping client %s: %s", client->name, virGetLastErrorMessage());
            virResetLastError();
            virNetMessageFree(msg);
            *reason = "bad message header";
            return -1;
        }
        handled++;
        virNetServerClientHandleMessageLocked(client, msg, calls);
    }
}

/* ---- transport setup --------------------------------------------------- */

/* Loop thread, no lock: the identity of a client whose transport is up. */
static virIdentity *
virNetServerClientBuildIdentity(virNetServerClient *client)
{
    virIdentity *id = virIdentityNew();
    virNetTLSSession *tls = virNetSocketGetTLSSession(client->sock);

    if (virNetSocketIsLocal(client->sock)) {
        uid_t uid;
        gid_t gid;
        pid_t pid;

        if (virNetSocketGetUNIXIdentity(client->sock, &uid, &gid, &pid) < 0) {
            virIdentityUnref(id);
            return NULL;
        }
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_UNIX);
        if (virIdentityFillUNIXFromUID(id, uid, gid) < 0) {
            virIdentityUnref(id);
            return NULL;
        }
        virIdentitySetProcessID(id, pid);
    } else {
        virIdentitySetTransport(id, tls ? VIR_IDENTITY_TRANSPORT_TLS
                                        : VIR_IDENTITY_TRANSPORT_TCP);
        virIdentitySetClientAddress(id, virNetSocketRemoteAddrString(client->sock));
    }
    if (tls && virNetTLSSessionGetX509DName(tls))
        virIdentitySetX509DName(id, virNetTLSSessionGetX509DName(tls));
    virIdentitySetReadOnly(id, client->readonly);
    return id;
}

/* Loop thread, lock held, state INIT: build the identity and ask the init
 * hook (without the lock). Returns -1 if the client must be closed. */
static int
virNetServerClientInitLocked(virNetServerClient *client, const char **reason)
{
    virIdentity *id;
    int rc;

    virMutexUnlock(&client->lock);
    id = virNetServerClientBuildIdentity(client);
    virMutexLock(&client->lock);
    if (!id) {
        VIR_WARN("Dropping client %s: cannot build its identity: %s",
                 client->name, virGetLastErrorMessage());
        virResetLastError();
        *reason = "no identity";
        return -1;
    }
    client->identity = id;

    virMutexUnlock(&client->lock);
    rc = virNetServerRunInitHook(client->srv, client);
    virMutexLock(&client->lock);
    if (rc < 0) {
        VIR_WARN("Client %s refused by the server: %s", client->name,
                 virGetLastError() ? virGetLastErrorMessage() : "init hook said no");
        virResetLastError();
        *reason = "refused";
        return -1;
    }
    client->accepted = true;
    if (client->state != VIR_NET_SERVER_CLIENT_INIT)
        return 0;       /* closed meanwhile (server shutdown) */
    if (client->tlsctx) {
        client->state = VIR_NET_SERVER_CLIENT_CONFIRM;
    } else {
        client->state = VIR_NET_SERVER_CLIENT_READY;
        virNetServerClientAnonymousCheckLocked(client, false);
    }
    return 0;
}

/* Loop thread, lock held. Returns -1 to close. */
static int
virNetServerClientHandshakeLocked(virNetServerClient *client, const char **reason)
{
    virNetTLSSession *tls = virNetSocketGetTLSSession(client->sock);
    int rc = virNetTLSSessionHandshake(tls);

    if (rc > 0)
        return 0;
    if (rc < 0) {
        VIR_WARN("TLS handshake with client %s failed: %s", client->name,
                 virGetLastErrorMessage());
        virResetLastError();
        *reason = "TLS handshake failed";
        return -1;
    }
    if (virNetTLSContextCheckCertificate(client->tlsctx, tls) < 0) {
        VIR_WARN("Rejecting TLS client %s: %s", client->name, virGetLastErrorMessage());
        virResetLastError();
        *reason = "certificate rejected";
        return -1;
    }
    client->state = VIR_NET_SERVER_CLIENT_INIT;
    return virNetServerClientInitLocked(client, reason);
}

/* Loop thread, lock held: the single byte 0x01 telling a TLS client that
 * its certificate was accepted. Returns -1 to close. */
static int
virNetServerClientConfirmLocked(virNetServerClient *client, const char **reason)
{
    static const char confirm = 1;
    ssize_t rc = virNetSocketWrite(client->sock, &confirm, 1);

    if (rc < 0) {
        if (errno == EAGAIN)
            return 0;
        virResetLastError();
        *reason = "cannot send TLS confirmation";
        return -1;
    }
    if (rc == 1) {
        client->state = VIR_NET_SERVER_CLIENT_READY;
        virNetServerClientAnonymousCheckLocked(client, false);
    }
    return 0;
}

/* ---- the event handler -------------------------------------------------- */

static void
virNetServerClientEvent(int watch, int fd, int events, void *opaque)
{
    virNetServerClient *client = opaque;
    virNetMessage *calls = NULL;
    virNetMessage *msg;
    const char *reason = NULL;
    bool finish = false;
    int rc = 0;

    virNetServerClientRef(client);
    virMutexLock(&client->lock);
    if (client->state == VIR_NET_SERVER_CLIENT_CLOSED || client->watch != watch)
        goto unlock;

    if (client->dropRequested) {
        reason = client->dropReason;
        rc = -1;
        goto done;
    }

    switch (client->state) {
    case VIR_NET_SERVER_CLIENT_HANDSHAKE:
        rc = virNetServerClientHandshakeLocked(client, &reason);
        if (rc < 0 || client->state != VIR_NET_SERVER_CLIENT_CONFIRM)
            break;
        __attribute__((fallthrough));
    case VIR_NET_SERVER_CLIENT_CONFIRM:
        rc = virNetServerClientConfirmLocked(client, &reason);
        /* Anything the client sent along with its last handshake flight
         * sits decrypted in the TLS session, where poll cannot see it. */
        if (rc == 0 && client->state == VIR_NET_SERVER_CLIENT_READY &&
            virNetServerClientHasCachedLocked(client))
            rc = virNetServerClientReadLocked(client, &reason, &calls);
        break;
    case VIR_NET_SERVER_CLIENT_READY:
        if ((events & VIR_EVENT_HANDLE_WRITABLE) &&
            virNetServerClientWriteLocked(client) < 0) {
            reason = "write error";
            rc = -1;
            break;
        }
        if ((events & VIR_EVENT_HANDLE_READABLE) || virNetServerClientHasCachedLocked(client))
            rc = virNetServerClientReadLocked(client, &reason, &calls);
        break;
    case VIR_NET_SERVER_CLIENT_INIT:
    case VIR_NET_SERVER_CLIENT_CLOSED:
        break;
    }

    if (rc == 0 && client->state != VIR_NET_SERVER_CLIENT_CLOSED &&
        (events & (VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP)) &&
        !(events & VIR_EVENT_HANDLE_READABLE)) {
        reason = "connection hung up";
        rc = -1;
    }
    if (rc == 0 && client->wantClose && client->inflight == 0 && !client->tx) {
        reason = "closed by the server";
        rc = -1;
    }

 done:
    if (rc < 0)
        finish = virNetServerClientCloseLocked(client, reason ? reason : "error");
    else
        virNetServerClientUpdateEventsLocked(client);
 unlock:
    virMutexUnlock(&client->lock);
    /* Counted in inflight already, so they run (or see the client closed
     * and just finish) even if it was closed meanwhile; finish is then
     * false, and the last of them finishes the client. */
    while ((msg = virNetMessageQueueServe(&calls)))
        virNetServerDispatchCall(client->srv, client, msg);
    if (finish)
        virNetServerClientFinish(client);
    virNetServerClientUnref(client);
}

static void
virNetServerClientEventFree(void *opaque)
{
    virNetServerClientUnref(opaque);
}

void
virNetServerClientStart(virNetServerClient *client)
{
    virEventLoop *loop = virNetServerGetEventLoop(client->srv);
    const char *reason = NULL;
    bool finish = false;
    int rc = 0;

    virMutexLock(&client->lock);
    if (client->tlsctx) {
        virNetTLSSession *tls = virNetTLSSessionNew(client->tlsctx,
                                                    virNetSocketGetFD(client->sock), NULL);
        if (!tls) {
            VIR_WARN("Cannot start TLS with client %s: %s", client->name,
                     virGetLastErrorMessage());
            virResetLastError();
            reason = "no TLS session";
            rc = -1;
            goto done;
        }
        virNetSocketSetTLSSession(client->sock, tls);
    } else {
        rc = virNetServerClientInitLocked(client, &reason);
        if (rc < 0)
            goto done;
    }
    client->watch = virEventLoopAddHandle(loop, virNetSocketGetFD(client->sock), 0,
                                          virNetServerClientEvent,
                                          virNetServerClientRef(client),
                                          virNetServerClientEventFree);

 done:
    if (rc < 0)
        finish = virNetServerClientCloseLocked(client, reason);
    else
        virNetServerClientUpdateEventsLocked(client);
    virMutexUnlock(&client->lock);
    if (finish)
        virNetServerClientFinish(client);
}

void
virNetServerClientTick(virNetServerClient *client, unsigned long long nowMs)
{
    bool finish = false;

    virMutexLock(&client->lock);
    if (client->state == VIR_NET_SERVER_CLIENT_HANDSHAKE &&
        nowMs - client->startedAt > VIR_NET_SERVER_CLIENT_HANDSHAKE_TIMEOUT_MS) {
        VIR_WARN("Client %s did not complete the TLS handshake in time", client->name);
        finish = virNetServerClientCloseLocked(client, "handshake timeout");
    } else if (client->state == VIR_NET_SERVER_CLIENT_READY && !client->authenticated &&
               client->authTimeout > 0 && client->inflight == 0 &&
               nowMs - client->startedAt > (unsigned long long)client->authTimeout * 1000) {
        /* A client that stops half-way through authenticating holds a
         * connection slot; it had its chance. */
        VIR_WARN("Client %s did not authenticate within %u seconds: dropping it",
                 client->name, client->authTimeout);
        finish = virNetServerClientCloseLocked(client, "authentication timeout");
    } else if (client->state == VIR_NET_SERVER_CLIENT_READY && client->keepalive &&
               client->keepaliveInterval > 0 &&
               nowMs - client->lastActivity >= (unsigned long long)client->keepaliveInterval * 1000) {
        if (client->pingsSent >= client->keepaliveCount) {
            VIR_WARN("No response from client %s after %u keepalive messages in %d seconds",
                     client->name, client->pingsSent,
                     client->keepaliveInterval * (client->pingsSent + 1));
            finish = virNetServerClientCloseLocked(client, "keepalive timeout");
        } else {
            virNetMessage *ping = virNetServerClientNewKeepalive(KEEPALIVE_PROC_PING);

            if (ping)
                virNetServerClientQueueLocked(client, ping);
            client->pingsSent++;
            client->lastActivity = nowMs;
        }
    }
    virMutexUnlock(&client->lock);
    if (finish)
        virNetServerClientFinish(client);
}

/* ---- accessors ---------------------------------------------------------- */

virIdentity *
virNetServerClientGetIdentity(virNetServerClient *client)
{
    virIdentity *id;

    virMutexLock(&client->lock);
    id = client->identity;
    virMutexUnlock(&client->lock);
    return id;
}

virIdentity *
virNetServerClientGetIdentityRef(virNetServerClient *client)
{
    virIdentity *id = NULL;

    virMutexLock(&client->lock);
    if (client->identity)
        id = virIdentityRef(client->identity);
    virMutexUnlock(&client->lock);
    return id;
}

void
virNetServerClientSetIdentity(virNetServerClient *client, virIdentity *id)
{
    virIdentity *old;

    virIdentityRef(id);
    virMutexLock(&client->lock);
    old = client->identity;
    client->identity = id;
    virMutexUnlock(&client->lock);
    virIdentityUnref(old);
}

void
virNetServerClientSetPrivateData(virNetServerClient *client, void *priv,
                                 void (*freeFunc)(void *priv))
{
    virMutexLock(&client->lock);
    client->priv = priv;
    client->privFree = freeFunc;
    virMutexUnlock(&client->lock);
}

void *
virNetServerClientGetPrivateData(virNetServerClient *client)
{
    void *priv;

    virMutexLock(&client->lock);
    priv = client->priv;
    virMutexUnlock(&client->lock);
    return priv;
}

virNetServerAuthType
virNetServerClientGetAuth(virNetServerClient *client)
{
    return client->auth;
}

bool
virNetServerClientIsAuthenticated(virNetServerClient *client)
{
    bool ret;

    virMutexLock(&client->lock);
    ret = client->authenticated;
    virMutexUnlock(&client->lock);
    return ret;
}

void
virNetServerClientSetAuthenticated(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->authenticated = true;
    virNetServerClientAnonymousCheckLocked(client, false);
    virMutexUnlock(&client->lock);
}

void
virNetServerClientSetOpen(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->open = true;
    virMutexUnlock(&client->lock);
}

bool
virNetServerClientIsOpen(virNetServerClient *client)
{
    bool ret;

    virMutexLock(&client->lock);
    ret = client->open;
    virMutexUnlock(&client->lock);
    return ret;
}

bool
virNetServerClientIsReadOnly(virNetServerClient *client)
{
    return client->readonly;
}

bool
virNetServerClientIsSecure(virNetServerClient *client)
{
    return client->tlsctx != NULL || virNetSocketIsLocal(client->sock);
}

virNetTLSSession *
virNetServerClientGetTLSSession(virNetServerClient *client)
{
    virNetTLSSession *tls;

    virMutexLock(&client->lock);
    tls = virNetSocketGetTLSSession(client->sock);
    virMutexUnlock(&client->lock);
    return tls;
}

const char *
virNetServerClientLocalAddr(virNetServerClient *client)
{
    return virNetSocketLocalAddrString(client->sock);
}

const char *
virNetServerClientRemoteAddr(virNetServerClient *client)
{
    return virNetSocketRemoteAddrString(client->sock);
}

void
virNetServerClientSetSASLSession(virNetServerClient *client, virNetSASLSession *sess)
{
    virNetSASLSession *old;

    if (sess)
        virNetSASLSessionRef(sess);
    virMutexLock(&client->lock);
    old = client->sasl;
    client->sasl = sess;
    virMutexUnlock(&client->lock);
    virNetSASLSessionFree(old);
}

virNetSASLSession *
virNetServerClientGetSASLSession(virNetServerClient *client)
{
    virNetSASLSession *sess = NULL;

    virMutexLock(&client->lock);
    if (client->sasl)
        sess = virNetSASLSessionRef(client->sasl);
    virMutexUnlock(&client->lock);
    return sess;
}

void
virNetServerClientSetSASLLayerAfterReply(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    if (client->sasl) {
        client->layerPending = true;
    } else {
        /* Never carry on in clear what was meant to be protected. */
        VIR_ERROR("Client %s: no SASL session for a security layer", client->name);
        virNetServerClientRequestDropLocked(client, "no SASL session for its security layer");
    }
    virMutexUnlock(&client->lock);
}

void
virNetServerClientEnableKeepalive(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->keepalive = true;
    client->lastActivity = virNetServerClientNowMs();
    client->pingsSent = 0;
    virMutexUnlock(&client->lock);
}
