/*
 * virnetclient.c: the RPC client used by the remote driver.
 *
 * One I/O thread per connection reads everything and writes what cannot
 * be written at once. A caller whose CALL is alone in the queue writes it
 * itself; otherwise it queues the CALL and wakes the thread. Either way it
 * then waits on its own condition until the REPLY with its serial arrives
 * or the connection dies. All socket (and so TLS and SASL) I/O happens
 * under the client's lock, whichever thread does it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetclient.h"
#include "virnetsocket.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netclient");

typedef struct _virNetClientPendingCall virNetClientPendingCall;
struct _virNetClientPendingCall {
    unsigned int serial;
    virNetMessage *reply;
    bool done;                  /* reply arrived, or the connection died */
    bool pauseReads;            /* stop reading once the reply is in */
    virCond cond;
    virNetClientPendingCall *next;
};

struct _virNetClient {
    virMutex lock;
    virNetSocket *sock;
    int wakeupFd[2];

    pthread_t thread;
    bool started;
    bool wantClose;
    bool closed;                /* no more I/O; calls fail with closeError */
    virErrorPtr closeError;

    unsigned int nextSerial;
    virNetClientPendingCall *calls;
    virNetMessage *tx;
    virNetMessage *rx;
    bool pongQueued;
    bool readsPaused;           /* see virNetClientCallFull */

    virNetClientEventFunc eventFunc;
    void *eventOpaque;

    int kaInterval;             /* s; 0 = we never ping */
    unsigned int kaCount;
    unsigned int kaPingsSent;
    unsigned long long lastActivity;
};

static unsigned long long
virNetClientNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static virNetClient *
virNetClientNew(virNetSocket *sock)
{
    virNetClient *client;

    VIR_ALLOC(client);
    if (pipe2(client->wakeupFd, O_CLOEXEC | O_NONBLOCK) < 0) {
        virReportSystemError(errno, "%s", "Unable to create the client wake-up pipe");
        virNetSocketFree(sock);
        free(client);
        return NULL;
    }
    virMutexInit(&client->lock);
    client->sock = sock;
    client->lastActivity = virNetClientNowMs();
    return client;
}

virNetClient *
virNetClientNewUNIX(const char *path)
{
    virNetSocket *sock = virNetSocketNewConnectUNIX(path);

    return sock ? virNetClientNew(sock) : NULL;
}

virNetClient *
virNetClientNewTCP(const char *host, const char *port)
{
    virNetSocket *sock = virNetSocketNewConnectTCP(host, port);

    return sock ? virNetClientNew(sock) : NULL;
}

virNetClient *
virNetClientNewSocket(virNetSocket *sock)
{
    return virNetClientNew(sock);
}

/* ---- TLS ------------------------------------------------------------------ */

/* Wait (without a time limit, like the handshake itself) for @events. */
static int
virNetClientWaitFD(int fd, short events)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    int rc;

    while ((rc = poll(&pfd, 1, -1)) < 0 && errno == EINTR)
        ;
    return rc < 0 ? -1 : 0;
}

int
virNetClientSetTLSSession(virNetClient *client, virNetTLSContext *ctx,
                          const char *hostname)
{
    virNetTLSSession *sess;
    int fd = virNetSocketGetFD(client->sock);
    char buf = 0;
    ssize_t rc;
    bool started;

    virMutexLock(&client->lock);
    started = client->started || client->closed;
    virMutexUnlock(&client->lock);
    if (started) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "TLS must be set up before the client is started");
        return -1;
    }
    if (!(sess = virNetTLSSessionNew(ctx, fd, hostname)))
        return -1;
    virNetSocketSetTLSSession(client->sock, sess);

    for (;;) {
        int hs = virNetTLSSessionHandshake(sess);

        if (hs < 0)
            return -1;
        if (hs == 0)
            break;
        if (virNetClientWaitFD(fd, virNetTLSSessionGetHandshakeStatus(sess) ==
                               VIR_NET_TLS_HANDSHAKE_SENDING ? POLLOUT : POLLIN) < 0) {
            virReportSystemError(errno, "%s", "Unable to wait for the TLS handshake");
            return -1;
        }
    }

    if (virNetTLSContextCheckCertificate(ctx, sess) < 0)
        return -1;

    /* The server sends one byte once it has accepted our certificate; a
     * refusal closes the connection instead. */
    for (;;) {
        rc = virNetSocketRead(client->sock, &buf, 1);
        if (rc >= 0 || errno != EAGAIN)
            break;
        if (virNetClientWaitFD(fd, POLLIN) < 0)
            break;
    }
    if (rc <= 0) {
        virReportSystemError(EIO, "%s", "Unable to read TLS confirmation");
        return -1;
    }
    if (buf != 1) {
        virReportError(VIR_ERR_RPC, "%s",
                       "server verification (of our certificate or IP address) failed");
        return -1;
    }
    return 0;
}

/* ---- the I/O thread ---------------------------------------------------- */

static void
virNetClientWakeup(virNetClient *client)
{
    char c = 0;

    if (write(client->wakeupFd[1], &c, 1) < 0) {
        /* A full pipe already guarantees a wake-up. */
    }
}

/* Lock held: the connection is finished. Every waiting caller gets
 * @err's copy; @err (the thread's last error) describes why. */
static void
virNetClientMarkClosedLocked(virNetClient *client)
{
    virNetClientPendingCall *call;
    virNetMessage *msg;

    if (client->closed)
        return;
    client->closed = true;
    if (!client->closeError) {
        if (!virGetLastError())
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
        client->closeError = virSaveLastError();
    }
    virResetLastError();
    VIR_DEBUG("Connection closed: %s", NULLSTR(client->closeError->message));
    virNetSocketShutdown(client->sock);
    while ((msg = virNetMessageQueueServe(&client->tx)))
        virNetMessageFree(msg);
    for (call = client->calls; call; call = call->next) {
        call->done = true;
        virCondSignal(&call->cond);
    }
    client->calls = NULL;
}

static virNetMessage *
virNetClientNewKeepalive(int proc)
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

/* Lock held: one complete message from the server. */
static void
virNetClientHandleMessageLocked(virNetClient *client, virNetMessage *msg)
{
    const virNetMessageHeader *hdr = &msg->header;
    virNetClientPendingCall **prev;

    if (hdr->prog == KEEPALIVE_PROGRAM && hdr->type == VIR_NET_MESSAGE) {
        if (hdr->proc == KEEPALIVE_PROC_PING && !client->pongQueued) {
            virNetMessage *pong = virNetClientNewKeepalive(KEEPALIVE_PROC_PONG);

            if (pong) {
                client->pongQueued = true;
                virNetMessageQueuePush(&client->tx, pong);
            }
        }
        virNetMessageFree(msg);
        return;
    }

    if (hdr->type == VIR_NET_REPLY || hdr->type == VIR_NET_REPLY_WITH_FDS) {
        for (prev = &client->calls; *prev; prev = &(*prev)->next) {
            virNetClientPendingCall *call = *prev;

            if (call->serial != hdr->serial)
                continue;
            *prev = call->next;
            call->reply = msg;
            call->done = true;
            if (call->pauseReads)
                client->readsPaused = true;
            virCondSignal(&call->cond);
            return;
        }
        VIR_DEBUG("Ignoring reply with unknown serial %u", hdr->serial);
        virNetMessageFree(msg);
        return;
    }

    if (hdr->type == VIR_NET_MESSAGE && client->eventFunc) {
        virNetClientEventFunc func = client->eventFunc;
        void *opaque = client->eventOpaque;

        /* Without the lock, so that the handler may queue calls from other
         * threads' point of view; it must not wait for a reply itself. */
        virMutexUnlock(&client->lock);
        func(client, msg, opaque);
        virMutexLock(&client->lock);
    }
    virNetMessageFree(msg);
}

/* Lock held. -1 when the connection is finished (error set). */
static int
virNetClientReadLocked(virNetClient *client)
{
    for (;;) {
        virNetMessage *msg;
        ssize_t rc;

        /* Reads stop at a message boundary: what follows may need a
         * security layer that is not on yet. */
        if (client->wantClose || client->readsPaused)
            return 0;
        if (!client->rx) {
            client->rx = virNetMessageNew();
            virNetMessagePrepareRead(client->rx);
        }
        msg = client->rx;
        rc = virNetSocketRead(client->sock, msg->buffer + msg->bufferOffset,
                              msg->bufferLength - msg->bufferOffset);
        if (rc < 0) {
            if (errno == EAGAIN)
                return 0;
            return -1;
        }
        if (rc == 0) {
            virReportError(VIR_ERR_RPC, "%s",
                           "End of file while reading data: Input/output error");
            return -1;
        }
        msg->bufferOffset += rc;
        client->lastActivity = virNetClientNowMs();
        client->kaPingsSent = 0;
        if (msg->bufferOffset < msg->bufferLength)
            continue;
        if (msg->bufferLength == VIR_NET_MESSAGE_LEN_MAX) {
            if (virNetMessageDecodeLength(msg) < 0)
                return -1;
            continue;
        }
        client->rx = NULL;
        if (virNetMessageDecodeHeader(msg) < 0) {
            virNetMessageFree(msg);
            return -1;
        }
        virNetClientHandleMessageLocked(client, msg);
    }
}

/* Lock held. -1 when the connection is finished (error set). */
static int
virNetClientWriteLocked(virNetClient *client)
{
    while (client->tx) {
        virNetMessage *msg = client->tx;
        ssize_t rc = virNetSocketWrite(client->sock, msg->buffer + msg->bufferOffset,
                                       msg->bufferLength - msg->bufferOffset);

        if (rc < 0)
            return errno == EAGAIN ? 0 : -1;
        msg->bufferOffset += rc;
        if (msg->bufferOffset < msg->bufferLength)
            continue;
        virNetMessageQueueServe(&client->tx);
        if (msg->header.prog == KEEPALIVE_PROGRAM && msg->header.proc == KEEPALIVE_PROC_PONG)
            client->pongQueued = false;
        virNetMessageFree(msg);
    }
    return 0;
}

/* Lock held, on a caller's thread: write the queue now if it holds only
 * the caller's message, sparing the I/O thread a wake-up for it (it is
 * polling for input and will wake for the reply anyway). False when the
 * I/O thread must take over: something was already queued, the socket is
 * full, or writing failed (the thread then meets the error itself and
 * closes the connection as usual). */
static bool
virNetClientSendNowLocked(virNetClient *client)
{
    if (!client->tx || client->tx->next || client->tx->bufferOffset != 0)
        return false;
    if (virNetClientWriteLocked(client) < 0) {
        virResetLastError();
        return false;
    }
    return client->tx == NULL;
}

/* Lock held: ping an idle server; -1 once it has not answered enough. */
static int
virNetClientKeepaliveLocked(virNetClient *client, unsigned long long now, int *timeout)
{
    unsigned long long due;

    *timeout = -1;
    if (client->kaInterval <= 0)
        return 0;
    due = client->lastActivity + (unsigned long long)client->kaInterval * 1000;
    if (now < due) {
        *timeout = (int)(due - now);
        return 0;
    }
    if (client->kaPingsSent >= client->kaCount) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "connection closed due to keepalive timeout");
        return -1;
    }
    {
        virNetMessage *ping = virNetClientNewKeepalive(KEEPALIVE_PROC_PING);

        if (ping)
            virNetMessageQueuePush(&client->tx, ping);
    }
    client->kaPingsSent++;
    client->lastActivity = now;
    *timeout = client->kaInterval * 1000;
    return 0;
}

static void *
virNetClientIOThread(void *opaque)
{
    virNetClient *client = opaque;
    int fd = virNetSocketGetFD(client->sock);

    virMutexLock(&client->lock);
    for (;;) {
        struct pollfd fds[2];
        int timeout;
        int rc;

        if (client->wantClose) {
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
            break;
        }
        if (virNetClientKeepaliveLocked(client, virNetClientNowMs(), &timeout) < 0)
            break;
        /* Data TLS has already decrypted will not wake poll. */
        if (!client->readsPaused && virNetSocketHasCachedData(client->sock))
            timeout = 0;

        fds[0].fd = fd;
        fds[0].events = (client->readsPaused ? 0 : POLLIN) | (client->tx ? POLLOUT : 0);
        fds[0].revents = 0;
        fds[1].fd = client->wakeupFd[0];
        fds[1].events = POLLIN;
        fds[1].revents = 0;
        virMutexUnlock(&client->lock);
        rc = poll(fds, 2, timeout);
        virMutexLock(&client->lock);

        if (rc < 0 && errno != EINTR) {
            virReportSystemError(errno, "%s", "Unable to poll on the client socket");
            break;
        }
        if (fds[1].revents) {
            char buf[64];

            while (read(client->wakeupFd[0], buf, sizeof(buf)) > 0)
                ;
        }
        if (client->wantClose)
            continue;
        if (virNetClientWriteLocked(client) < 0)
            break;
        if (client->readsPaused) {
            /* A hang-up is noticed once reading resumes (the caller
             * resumes at once); meanwhile do not spin on it. */
            if (fds[0].revents & (POLLHUP | POLLERR)) {
                virMutexUnlock(&client->lock);
                poll(NULL, 0, 1);
                virMutexLock(&client->lock);
            }
        } else if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) ||
                   virNetSocketHasCachedData(client->sock)) {
            if (virNetClientReadLocked(client) < 0)
                break;
        }
    }
    virNetClientMarkClosedLocked(client);
    virMutexUnlock(&client->lock);
    return NULL;
}

int
virNetClientStart(virNetClient *client)
{
    sigset_t all, old;
    int rc;

    virMutexLock(&client->lock);
    if (client->started || client->closed) {
        virMutexUnlock(&client->lock);
        return 0;
    }
    /* Signals belong to the application's threads, not ours. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(&client->thread, NULL, virNetClientIOThread, client);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        virMutexUnlock(&client->lock);
        virReportSystemError(rc, "%s", "Unable to create the client I/O thread");
        return -1;
    }
    client->started = true;
    virMutexUnlock(&client->lock);
    return 0;
}

void
virNetClientSetEventHandler(virNetClient *client, virNetClientEventFunc func, void *opaque)
{
    virMutexLock(&client->lock);
    client->eventFunc = func;
    client->eventOpaque = opaque;
    virMutexUnlock(&client->lock);
}

void
virNetClientKeepAliveStart(virNetClient *client, int interval, unsigned int count)
{
    virMutexLock(&client->lock);
    client->kaInterval = interval > 0 ? interval : 0;
    client->kaCount = count;
    client->kaPingsSent = 0;
    client->lastActivity = virNetClientNowMs();
    virNetClientWakeup(client);
    virMutexUnlock(&client->lock);
}

/* ---- calls ---------------------------------------------------------------- */

/* Lock held: the connection's error for a caller. */
static void
virNetClientReportClosedLocked(virNetClient *client)
{
    virErrorPtr err = client->closeError;

    if (err)
        virSetError(err->domain, err->code, err->level, err->message,
                    err->str1, err->str2, err->str3, err->int1, err->int2);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "client socket is closed");
}

/* The reply's payload: the result, or the server's error restored as ours. */
static int
virNetClientDecodeReply(virNetMessage *reply, unsigned int prog, unsigned int vers,
                        int proc, xdrproc_t retFilter, void *ret)
{
    const virNetMessageHeader *hdr = &reply->header;

    if (hdr->prog != prog || hdr->vers != vers || hdr->proc != proc) {
        virReportError(VIR_ERR_RPC, "Unexpected reply for program %u version %u "
                       "procedure %d (wanted %u %u %d)",
                       hdr->prog, hdr->vers, hdr->proc, prog, vers, proc);
        return -1;
    }
    if (hdr->status == VIR_NET_OK)
        return virNetMessageDecodePayload(reply, retFilter, ret);
    if (hdr->status == VIR_NET_ERROR) {
        remote_error rerr;

        memset(&rerr, 0, sizeof(rerr));
        if (virNetMessageDecodePayload(reply, (xdrproc_t)xdr_remote_error, &rerr) < 0)
            return -1;
        virNetMessageRestoreError(&rerr);
        xdr_free((xdrproc_t)xdr_remote_error, (char *)&rerr);
        return -1;
    }
    virReportError(VIR_ERR_RPC, "Unexpected reply status %d", hdr->status);
    return -1;
}

int
virNetClientCall(virNetClient *client, unsigned int prog, unsigned int vers, int proc,
                 xdrproc_t argsFilter, void *args,
                 xdrproc_t retFilter, void *ret)
{
    return virNetClientCallFull(client, prog, vers, proc, argsFilter, args,
                                retFilter, ret, 0);
}

int
virNetClientCallFull(virNetClient *client, unsigned int prog, unsigned int vers, int proc,
                     xdrproc_t argsFilter, void *args,
                     xdrproc_t retFilter, void *ret, unsigned int flags)
{
    virNetClientPendingCall call;
    virNetMessage *msg;
    bool fromIOThread;
    int rc;

    virMutexLock(&client->lock);
    fromIOThread = client->started && pthread_equal(pthread_self(), client->thread);
    virMutexUnlock(&client->lock);
    if (fromIOThread) {
        /* Nobody would read the reply while the handler waits for it. */
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                       "an RPC call cannot be made from the client's event handler");
        return -1;
    }
    if (virNetClientStart(client) < 0)
        return -1;

    memset(&call, 0, sizeof(call));
    virMutexLock(&client->lock);
    call.serial = client->nextSerial++;
    virMutexUnlock(&client->lock);

    msg = virNetMessageNew();
    msg->header.prog = prog;
    msg->header.vers = vers;
    msg->header.proc = proc;
    msg->header.type = VIR_NET_CALL;
    msg->header.serial = call.serial;
    msg->header.status = VIR_NET_OK;
    if (virNetMessageEncodeHeader(msg) < 0 ||
        virNetMessageEncodePayload(msg, argsFilter, args) < 0) {
        virNetMessageFree(msg);
        return -1;
    }

    virMutexLock(&client->lock);
    if (client->closed || client->wantClose) {
        virNetClientReportClosedLocked(client);
        virMutexUnlock(&client->lock);
        virNetMessageFree(msg);
        return -1;
    }
    virCondInit(&call.cond);
    call.pauseReads = !!(flags & VIR_NET_CLIENT_CALL_PAUSE_READS);
    call.next = client->calls;
    client->calls = &call;
    virNetMessageQueuePush(&client->tx, msg);
    if (!virNetClientSendNowLocked(client))
        virNetClientWakeup(client);
    while (!call.done)
        virCondWait(&call.cond, &client->lock);
    if (!call.reply)
        virNetClientReportClosedLocked(client);
    virMutexUnlock(&client->lock);
    virCondDestroy(&call.cond);

    if (!call.reply)
        return -1;
    rc = virNetClientDecodeReply(call.reply, prog, vers, proc, retFilter, ret);
    virNetMessageFree(call.reply);
    return rc;
}

int
virNetClientResumeReads(virNetClient *client, const virNetSocketLayer *layer,
                        size_t maxInput, void *opaque)
{
    int ret = 0;

    virMutexLock(&client->lock);
    if (layer) {
        if (!client->readsPaused || client->rx) {
            /* Bytes of the server's next message may already have been
             * read in clear: the stream would be garbage from here. */
            virReportError(VIR_ERR_INTERNAL_ERROR, "%s",
                           "cannot switch on a security layer in the middle of a message");
            if (layer->free)
                layer->free(opaque);
            ret = -1;
        } else {
            virNetSocketSetSecurityLayer(client->sock, layer, maxInput, opaque);
        }
    }
    client->readsPaused = false;
    virNetClientWakeup(client);
    virMutexUnlock(&client->lock);
    return ret;
}

const char *
virNetClientLocalAddr(virNetClient *client)
{
    /* Fixed at connect time: no lock needed. */
    return virNetSocketLocalAddrString(client->sock);
}

const char *
virNetClientRemoteAddr(virNetClient *client)
{
    return virNetSocketRemoteAddrString(client->sock);
}

int
virNetClientGetTLSKeySize(virNetClient *client)
{
    virNetTLSSession *tls;
    int bits = 0;

    virMutexLock(&client->lock);
    if ((tls = virNetSocketGetTLSSession(client->sock)))
        bits = virNetTLSSessionGetKeySize(tls);
    virMutexUnlock(&client->lock);
    return bits;
}

/* ---- closing -------------------------------------------------------------- */

bool
virNetClientIsOpen(virNetClient *client)
{
    bool open;

    virMutexLock(&client->lock);
    open = !client->closed && !client->wantClose;
    virMutexUnlock(&client->lock);
    return open;
}

void
virNetClientClose(virNetClient *client)
{
    bool join = false;

    if (!client)
        return;
    virMutexLock(&client->lock);
    client->wantClose = true;
    if (client->started) {
        virNetClientWakeup(client);
        /* From the event handler the thread ends once the handler returns;
         * it is joined by Free. */
        join = !pthread_equal(pthread_self(), client->thread);
    } else {
        virErrorPtr saved;

        /* The caller's own error (e.g. why TLS failed) must survive. */
        virErrorPreserveLast(&saved);
        virNetClientMarkClosedLocked(client);
        virErrorRestore(&saved);
    }
    virMutexUnlock(&client->lock);

    if (join) {
        pthread_join(client->thread, NULL);
        virMutexLock(&client->lock);
        client->started = false;
        virMutexUnlock(&client->lock);
    }
}

void
virNetClientFree(virNetClient *client)
{
    virNetMessage *msg;

    if (!client)
        return;
    virNetClientClose(client);
    if (client->started)
        pthread_join(client->thread, NULL);
    while ((msg = virNetMessageQueueServe(&client->tx)))
        virNetMessageFree(msg);
    virNetMessageFree(client->rx);
    virFreeError(client->closeError);
    virNetSocketFree(client->sock);
    close(client->wakeupFd[0]);
    close(client->wakeupFd[1]);
    virMutexDestroy(&client->lock);
    free(client);
}
