/*
 * remote_dispatch.c: the REMOTE program's procedure table, per-client
 * state, client hooks and the helpers the handlers share.
 */
#include <config.h>

#include <string.h>

#include "remote_dispatch.h"
#include "viraccessapicheck.h"
#include "viraccessmanager.h"
#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.dispatch");

/* ---- the procedure table ------------------------------------------------ */

bool_t
xdr_remote_void(XDR *xdrs, remote_void *objp)
{
    return TRUE;
}

/* The server calls every handler with untyped pointers; these adapters
 * hand them on with the types of remote_procedures.def, so a handler whose
 * signature disagrees with its row does not compile. */
#define REMOTE_PROC(NUMBER, Name, ARGS, RET, FLAGS, API) \
    static int \
    remoteDispatch##Name##Helper(virNetServer *srv, virNetServerClient *client, \
                                 const virNetMessageHeader *hdr, void *args, void *ret) \
    { \
        return remoteDispatch##Name(srv, client, hdr, args, ret); \
    }
#include "remote_procedures.def"
#undef REMOTE_PROC

const virNetServerProcedure remoteProcedures[] = {
#define REMOTE_PROC(NUMBER, Name, ARGS, RET, FLAGS, API) \
    { \
        .proc = REMOTE_PROC_##NUMBER, \
        .name = #NUMBER, \
        .func = remoteDispatch##Name##Helper, \
        .argsFilter = (xdrproc_t)xdr_##ARGS, \
        .argsSize = sizeof(ARGS), \
        .retFilter = (xdrproc_t)xdr_##RET, \
        .retSize = sizeof(RET), \
        .flags = (FLAGS), \
        .api = (API), \
    },
#include "remote_procedures.def"
#undef REMOTE_PROC
};

const size_t remoteNProcedures = G_N_ELEMENTS(remoteProcedures);

/* ---- per-client state ------------------------------------------------------ */

/* Serialises the creation of a client's state: two calls of one client may
 * run at once in different workers. */
static virMutex remoteClientCreateLock = { PTHREAD_MUTEX_INITIALIZER };

static void
remoteClientFree(void *opaque)
{
    remoteClient *priv = opaque;

    if (!priv)
        return;
    /* The close hook has already closed the connection; a client freed
     * without one (the server failed half-way) still must not leak it. */
    if (priv->conn) {
        remoteEventsDeregisterAll(priv);
        virConnectClose(priv->conn);
    }
    free(priv->events);
    virMutexDestroy(&priv->lock);
    free(priv);
}

remoteClient *
remoteClientGet(virNetServerClient *client)
{
    remoteClient *priv;
    size_t i;

    virMutexLock(&remoteClientCreateLock);
    if (!(priv = virNetServerClientGetPrivateData(client))) {
        VIR_ALLOC(priv);
        virMutexInit(&priv->lock);
        for (i = 0; i < G_N_ELEMENTS(priv->legacyEvents); i++)
            priv->legacyEvents[i] = -1;
        virNetServerClientSetPrivateData(client, priv, remoteClientFree);
    }
    virMutexUnlock(&remoteClientCreateLock);
    return priv;
}

virConnectPtr
remoteClientGetConn(virNetServerClient *client)
{
    remoteClient *priv = remoteClientGet(client);
    virConnectPtr conn;

    virMutexLock(&priv->lock);
    conn = priv->closed ? NULL : priv->conn;
    virMutexUnlock(&priv->lock);
    if (!conn) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        return NULL;
    }
    if (!remoteClientIsCurrent(client))
        return NULL;
    return conn;
}

bool
remoteClientIsCurrent(virNetServerClient *client)
{
    virIdentity *id = virNetServerClientGetIdentity(client);

    /* Without this, a call would run as whoever the thread is, which for
     * a worker is the daemon itself: fail closed instead. */
    if (id && virIdentityGetCurrent() == id)
        return true;
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "call does not run as its client");
    return false;
}

/* ---- client hooks ------------------------------------------------------------ */

int
remoteClientInitHook(virNetServer *srv, virNetServerClient *client, void *opaque)
{
    virIdentity *id = virNetServerClientGetIdentity(client);
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_CONNECT, .driverName = "remote" };

    /* Only certificate holders are judged this early: a UNIX or TCP client
     * refused here would see a bare disconnect, while at CONNECT_OPEN it
     * gets a readable "access denied". With TLS the DN is all a policy can
     * know about the client anyway, and tls_restrict_dn promises to refuse
     * unknown DNs at the handshake. */
    if (!id) {
        VIR_WARN("refusing client %s: it has no identity",
                 NULLSTR(virNetServerClientRemoteAddr(client)));
        return -1;
    }
    if (virIdentityGetTransport(id) != VIR_IDENTITY_TRANSPORT_TLS)
        return 0;
    /* With SASL on top, the user name is not known yet and a policy may
     * be about it: CONNECT_OPEN decides, after authentication. */
    if (virNetServerClientGetAuth(client) == VIR_NET_SERVER_AUTH_SASL)
        return 0;

    if (virAccessManagerCheck(virAccessManagerGetDefault(), id, &obj,
                              VIR_ACCESS_PERM_CONNECT_GETATTR, NULL) == 1)
        return 0;

    VIR_WARN("refusing TLS client %s dn=\"%s\": connect:getattr denied",
             NULLSTR(virNetServerClientRemoteAddr(client)),
             NULLSTR(virIdentityGetX509DName(id)));
    return -1;
}

void
remoteClientCloseHook(virNetServer *srv, virNetServerClient *client, void *opaque)
{
    remoteClient *priv = virNetServerClientGetPrivateData(client);
    virConnectPtr conn;

    if (!priv)
        return;

    /* Deregistering and closing are calls of this client like any other:
     * let whatever they check see who it is. */
    virIdentitySetCurrent(virNetServerClientGetIdentity(client));
    remoteEventsDeregisterAll(priv);
    virMutexLock(&priv->lock);
    conn = priv->conn;
    priv->conn = NULL;
    virMutexUnlock(&priv->lock);
    if (conn)
        virConnectClose(conn);
    virIdentitySetCurrent(NULL);
}

/* ---- argument and result helpers -------------------------------------------- */

virDomainPtr
remoteGetDomain(virConnectPtr conn, const remote_nonnull_domain *dom)
{
    virDomainPtr ret = virDomainLookupByUUID(conn, (const unsigned char *)dom->uuid);

    /* Say which domain the client meant, as for a missing domain found
     * by UUID: the name is the client's own, so it reveals nothing. An
     * access error (access_show_denied) is passed on untouched. */
    if (!ret && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN && dom->name)
        virReportDomainNotFoundUUID((const unsigned char *)dom->uuid, dom->name);
    return ret;
}

void
remoteDomainFree(virDomainPtr dom)
{
    virErrorPtr saved;

    if (!dom)
        return;
    virErrorPreserveLast(&saved);
    virDomainFree(dom);
    virErrorRestore(&saved);
}

void
remoteMakeDomain(remote_nonnull_domain *out, virDomainPtr dom)
{
    out->name = virStrdup(virDomainGetName(dom));
    virDomainGetUUID(dom, (unsigned char *)out->uuid);
    out->id = (int)virDomainGetID(dom);
}
