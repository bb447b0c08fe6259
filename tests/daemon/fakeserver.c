/*
 * fakeserver.c: the client half of virnetserver.h, in memory, for the
 * daemon's unit tests (see fakeserver.h).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fakeserver.h"
#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

#define FAKE_BUFFER_MAX (1024 * 1024)

typedef struct _fakeMessage fakeMessage;
struct _fakeMessage {
    int proc;
    char *data;
    size_t len;
    fakeMessage *next;
};

struct _virNetServerClient {
    virMutex lock;
    virCond cond;
    int refs;
    virIdentity *identity;
    bool readonly;
    bool open;
    bool closing;
    bool closeRequested;
    bool keepalive;
    void *priv;
    void (*privFree)(void *priv);
    fakeMessage *messages;
    virNetSASLSession *sasl;
};

virNetServerClient *
fakeClientNew(virIdentity *id, bool readonly)
{
    virNetServerClient *client;

    VIR_ALLOC(client);
    virMutexInit(&client->lock);
    virCondInit(&client->cond);
    client->refs = 1;
    client->identity = virIdentityRef(id);
    client->readonly = readonly;
    return client;
}

void
fakeClientGone(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->closing = true;
    virMutexUnlock(&client->lock);
    remoteClientCloseHook(NULL, client, NULL);
    virNetServerClientUnref(client);
}

/* ---- the API of virnetserver.h used by the handlers ------------------------ */

virIdentity *
virNetServerClientGetIdentity(virNetServerClient *client)
{
    virIdentity *id;

    virMutexLock(&client->lock);
    id = client->identity;
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
    client->priv = priv;
    client->privFree = freeFunc;
}

void *
virNetServerClientGetPrivateData(virNetServerClient *client)
{
    return client->priv;
}

virNetServerAuthType
virNetServerClientGetAuth(virNetServerClient *client)
{
    return VIR_NET_SERVER_AUTH_NONE;
}

bool
virNetServerClientIsAuthenticated(virNetServerClient *client)
{
    return true;
}

void
virNetServerClientSetAuthenticated(virNetServerClient *client)
{
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
    bool open;

    virMutexLock(&client->lock);
    open = client->open;
    virMutexUnlock(&client->lock);
    return open;
}

bool
virNetServerClientIsReadOnly(virNetServerClient *client)
{
    return client->readonly;
}

bool
virNetServerClientIsSecure(virNetServerClient *client)
{
    return virIdentityGetTransport(client->identity) != VIR_IDENTITY_TRANSPORT_TCP;
}

virNetTLSSession *
virNetServerClientGetTLSSession(virNetServerClient *client)
{
    return NULL;
}

const char *
virNetServerClientLocalAddr(virNetServerClient *client)
{
    return "127.0.0.1;16514";
}

const char *
virNetServerClientRemoteAddr(virNetServerClient *client)
{
    return "127.0.0.1;40000";
}

int
virNetServerClientSendMessage(virNetServerClient *client, unsigned int prog,
                              unsigned int vers, int proc, xdrproc_t filter, void *data)
{
    fakeMessage *msg;
    fakeMessage **tail;
    char *buf = virAllocN(FAKE_BUFFER_MAX, 1);
    XDR xdr;

    if (prog != REMOTE_PROGRAM || vers != REMOTE_PROTOCOL_VERSION)
        abort();
    xdrmem_create(&xdr, buf, FAKE_BUFFER_MAX, XDR_ENCODE);
    if (!filter(&xdr, data, 0))
        abort();
    VIR_ALLOC(msg);
    msg->proc = proc;
    msg->len = xdr_getpos(&xdr);
    msg->data = virReallocN(buf, msg->len ? msg->len : 1, 1);
    xdr_destroy(&xdr);

    virMutexLock(&client->lock);
    if (client->closing) {
        virMutexUnlock(&client->lock);
        free(msg->data);
        free(msg);
        return -1;
    }
    for (tail = &client->messages; *tail; tail = &(*tail)->next)
        ;
    *tail = msg;
    virCondBroadcast(&client->cond);
    virMutexUnlock(&client->lock);
    return 0;
}

void
virNetServerClientEnableKeepalive(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->keepalive = true;
    virMutexUnlock(&client->lock);
}

bool
fakeClientKeepaliveEnabled(virNetServerClient *client)
{
    bool ret;

    virMutexLock(&client->lock);
    ret = client->keepalive;
    virMutexUnlock(&client->lock);
    return ret;
}

void
virNetServerClientClose(virNetServerClient *client)
{
    virMutexLock(&client->lock);
    client->closeRequested = true;
    virMutexUnlock(&client->lock);
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
    fakeMessage *msg;

    if (!client || __atomic_sub_fetch(&client->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    if (client->privFree)
        client->privFree(client->priv);
    while ((msg = client->messages)) {
        client->messages = msg->next;
        free(msg->data);
        free(msg);
    }
    virIdentityUnref(client->identity);
    virNetSASLSessionFree(client->sasl);
    virCondDestroy(&client->cond);
    virMutexDestroy(&client->lock);
    free(client);
}

/* The fake's services have no authentication: these only keep what the
 * SASL procedures store, which they never get to here. */
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
}

/* ---- test helpers --------------------------------------------------------- */

static const virNetServerProcedure *
fakeFindProc(int proc)
{
    size_t i;

    for (i = 0; i < remoteNProcedures; i++) {
        if (remoteProcedures[i].proc == proc)
            return &remoteProcedures[i];
    }
    return NULL;
}

/* Encode @in with @filter and decode the bytes into @out (zeroed). */
static int
fakeRoundTrip(xdrproc_t filter, void *in, void *out)
{
    char *buf = virAllocN(FAKE_BUFFER_MAX, 1);
    XDR xdr;
    int ok;

    xdrmem_create(&xdr, buf, FAKE_BUFFER_MAX, XDR_ENCODE);
    ok = filter(&xdr, in, 0);
    xdr_destroy(&xdr);
    if (ok) {
        xdrmem_create(&xdr, buf, FAKE_BUFFER_MAX, XDR_DECODE);
        ok = filter(&xdr, out, 0);
        xdr_destroy(&xdr);
    }
    free(buf);
    return ok ? 0 : -1;
}

int
fakeCall(virNetServerClient *client, int proc, void *args, void *ret)
{
    const virNetServerProcedure *p = fakeFindProc(proc);
    virNetMessageHeader hdr;
    void *argsCopy;
    void *retBuf;
    int rv;

    if (!p)
        return -2;
    memset(&hdr, 0, sizeof(hdr));
    hdr.prog = REMOTE_PROGRAM;
    hdr.vers = REMOTE_PROTOCOL_VERSION;
    hdr.proc = proc;

    argsCopy = virAllocN(1, p->argsSize);
    retBuf = virAllocN(1, p->retSize);
    if (fakeRoundTrip(p->argsFilter, args, argsCopy) < 0) {
        rv = -2;
        goto cleanup;
    }

    virResetLastError();
    if (!(p->flags & VIR_NET_SERVER_PROC_NO_OPEN) && !virNetServerClientIsOpen(client)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        rv = -1;
        goto cleanup;
    }
    virIdentitySetCurrent(virNetServerClientGetIdentity(client));
    rv = p->func(NULL, client, &hdr, argsCopy, retBuf);
    virIdentitySetCurrent(NULL);
    if (rv < 0) {
        if (!virGetLastError())
            rv = -3;    /* a handler must say why it failed */
        goto cleanup;
    }
    if (fakeRoundTrip(p->retFilter, retBuf, ret) < 0)
        rv = -2;

 cleanup:
    xdr_free(p->argsFilter, argsCopy);
    xdr_free(p->retFilter, retBuf);
    free(argsCopy);
    free(retBuf);
    return rv;
}

void
fakeFreeRet(int proc, void *ret)
{
    const virNetServerProcedure *p = fakeFindProc(proc);

    if (p)
        xdr_free(p->retFilter, ret);
}

int
fakeClientWaitMessage(virNetServerClient *client, int proc, xdrproc_t filter,
                      void *out, int timeoutMs)
{
    struct timespec deadline;
    fakeMessage *msg = NULL;
    XDR xdr;
    int ok;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeoutMs / 1000;
    deadline.tv_nsec += (long)(timeoutMs % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }

    virMutexLock(&client->lock);
    for (;;) {
        while ((msg = client->messages) && msg->proc != proc) {
            client->messages = msg->next;
            free(msg->data);
            free(msg);
        }
        if (msg) {
            client->messages = msg->next;
            break;
        }
        if (pthread_cond_timedwait(&client->cond.cond, &client->lock.lock, &deadline) ==
            ETIMEDOUT)
            break;
    }
    virMutexUnlock(&client->lock);
    if (!msg)
        return -1;

    xdrmem_create(&xdr, msg->data, msg->len, XDR_DECODE);
    ok = filter(&xdr, out, 0);
    xdr_destroy(&xdr);
    free(msg->data);
    free(msg);
    return ok ? 0 : -1;
}

size_t
fakeClientPendingMessages(virNetServerClient *client)
{
    fakeMessage *msg;
    size_t n = 0;

    virMutexLock(&client->lock);
    for (msg = client->messages; msg; msg = msg->next)
        n++;
    virMutexUnlock(&client->lock);
    return n;
}

bool
fakeClientCloseRequested(virNetServerClient *client)
{
    bool ret;

    virMutexLock(&client->lock);
    ret = client->closeRequested;
    virMutexUnlock(&client->lock);
    return ret;
}
