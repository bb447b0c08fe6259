/*
 * virnetserverservice.c: one configured listener (a UNIX path, or a TCP
 * address and port which may mean several sockets) and its accepting.
 */
#include <config.h>

#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetserverpriv.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserverservice");

/* Connections accepted per wake-up, so one busy listener cannot starve
 * the clients already connected. */
#define VIR_NET_SERVER_SERVICE_ACCEPT_BATCH 16

/* What one listening socket's watch needs; fixed before the watch exists. */
typedef struct {
    virNetServerService *svc;
    virNetSocket *sock;
} virNetServerServiceListener;

struct _virNetServerService {
    virNetServer *srv;
    virNetSocket **socks;
    size_t nsocks;
    virNetServerServiceListener *listeners;
    int *watches;
    virNetTLSContext *tls;
    virNetServerAuthType auth;
    bool readonly;
};

static void
virNetServerServiceAccept(int watch, int fd, int events, void *opaque)
{
    virNetServerServiceListener *l = opaque;
    virNetServerService *svc = l->svc;
    virNetSocket *lsock = l->sock;
    size_t i;

    for (i = 0; i < VIR_NET_SERVER_SERVICE_ACCEPT_BATCH; i++) {
        virNetSocket *csock = NULL;

        if (virNetSocketAccept(lsock, &csock) < 0) {
            VIR_WARN("%s", virGetLastErrorMessage());
            virResetLastError();
            return;
        }
        if (!csock)
            return;
        virNetServerAddClient(svc->srv, csock, svc->tls, svc->auth, svc->readonly);
    }
}

static virNetServerService *
virNetServerServiceNew(virNetServer *srv, virNetSocket **socks, size_t nsocks,
                       virNetTLSContext *tls, virNetServerAuthType auth, bool readonly)
{
    virNetServerService *svc;
    size_t i;

    VIR_ALLOC(svc);
    svc->srv = srv;
    svc->socks = socks;
    svc->nsocks = nsocks;
    svc->tls = tls ? virNetTLSContextRef(tls) : NULL;
    svc->auth = auth;
    svc->readonly = readonly;
    VIR_ALLOC_N(svc->watches, nsocks);
    VIR_ALLOC_N(svc->listeners, nsocks);
    for (i = 0; i < nsocks; i++) {
        svc->listeners[i].svc = svc;
        svc->listeners[i].sock = socks[i];
    }
    for (i = 0; i < nsocks; i++) {
        /* The watch may fire at once if the server is running. */
        svc->watches[i] = virEventLoopAddHandle(virNetServerGetEventLoop(srv),
                                                virNetSocketGetFD(socks[i]),
                                                VIR_EVENT_HANDLE_READABLE,
                                                virNetServerServiceAccept,
                                                &svc->listeners[i], NULL);
    }
    return svc;
}

virNetServerService *
virNetServerServiceNewTCP(virNetServer *srv, const char *addr, const char *port,
                          virNetTLSContext *tls, virNetServerAuthType auth)
{
    virNetSocket **socks = NULL;
    size_t nsocks = 0;

    if (virNetSocketNewListenTCP(addr, port, &socks, &nsocks) < 0)
        return NULL;
    VIR_INFO("Listening on %s port %d%s", addr ? addr : "all addresses",
             virNetSocketGetPort(socks[0]), tls ? " (TLS)" : "");
    return virNetServerServiceNew(srv, socks, nsocks, tls, auth, false);
}

virNetServerService *
virNetServerServiceNewUNIX(virNetServer *srv, const char *path, mode_t mode, gid_t gid,
                           bool readonly, virNetServerAuthType auth)
{
    virNetSocket **socks = NULL;
    size_t nsocks = 0;
    virNetSocket *sock;

    if (!(sock = virNetSocketNewListenUNIX(path, mode, gid)))
        return NULL;
    VIR_APPEND_ELEMENT(socks, nsocks, sock);
    VIR_INFO("Listening on %s%s", path, readonly ? " (read-only)" : "");
    return virNetServerServiceNew(srv, socks, nsocks, NULL, auth, readonly);
}

int
virNetServerServiceGetPort(virNetServerService *svc)
{
    return svc->nsocks ? virNetSocketGetPort(svc->socks[0]) : -1;
}

void
virNetServerServiceClose(virNetServerService *svc)
{
    size_t i;

    for (i = 0; i < svc->nsocks; i++) {
        if (svc->watches[i] > 0)
            virEventLoopRemoveHandle(virNetServerGetEventLoop(svc->srv), svc->watches[i]);
        svc->watches[i] = -1;
    }
}

void
virNetServerServiceFree(virNetServerService *svc)
{
    size_t i;

    if (!svc)
        return;
    for (i = 0; i < svc->nsocks; i++)
        virNetSocketFree(svc->socks[i]);
    free(svc->socks);
    free(svc->listeners);
    free(svc->watches);
    virNetTLSContextFree(svc->tls);
    free(svc);
}
