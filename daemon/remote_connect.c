/*
 * remote_connect.c: the REMOTE procedures about the connection and the
 * host: open and close, versions, host name, capabilities, node info,
 * features and close callbacks.
 */
#include <config.h>

#include <string.h>

#include "remote_dispatch.h"
#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "virlog.h"
#include "viruri.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.connect");

/* What a client gets when CONNECT_OPEN names no URI. */
#define REMOTE_DEFAULT_URI "test:///default"

/* Feature numbers of CONNECT_SUPPORTS_FEATURE that tenvirtd implements
 * (libvirt's numbering; every other feature is answered 0). */
enum {
    REMOTE_FEATURE_PROGRAM_KEEPALIVE = 10,  /* the server answers PING with PONG */
    REMOTE_FEATURE_REMOTE_EVENT_CALLBACK = 14,  /* procedures 316/317, messages 318/319 */
    REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK = 15,  /* procedures 360/361 */
};

/* The daemon only opens hypervisors of its own host: a name with a
 * transport, user, host or port would make it a relay to somewhere else. */
static int
remoteCheckLocalURI(const char *name)
{
    virURI *uri = virURIParse(name);
    bool local;

    if (!uri)
        return -1;
    local = !virURIGetTransport(uri) && !uri->server && !uri->user && uri->port == 0;
    virURIFree(uri);
    if (!local) {
        virReportError(VIR_ERR_INVALID_ARG,
                       "URI '%s' names a transport or host; tenvirtd opens only "
                       "local hypervisor URIs such as " REMOTE_DEFAULT_URI, name);
        return -1;
    }
    return 0;
}

/* Swap the client's identity for a read-only copy, so that every access
 * check from now on (the open's included) sees a read-only connection. */
static int
remoteClientMakeReadOnly(virNetServerClient *client)
{
    virIdentity *cur = virNetServerClientGetIdentity(client);
    virIdentity *ro;

    if (!cur) {
        /* Never guess who someone is: without an identity nothing is allowed. */
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "client has no identity");
        return -1;
    }
    if (virIdentityGetReadOnly(cur))
        return 0;
    ro = virIdentityCopy(cur);
    virIdentitySetReadOnly(ro, true);
    virNetServerClientSetIdentity(client, ro);
    /* This call already runs as the client: switch it too. */
    virIdentitySetCurrent(ro);
    virIdentityUnref(ro);
    return 0;
}

int
remoteDispatchConnectOpen(virNetServer *srv, virNetServerClient *client,
                          const virNetMessageHeader *hdr,
                          remote_connect_open_args *args, remote_void *ret)
{
    remoteClient *priv = remoteClientGet(client);
    const char *name = args->name && *args->name && **args->name ? *args->name
                                                                  : REMOTE_DEFAULT_URI;
    bool readonly = (args->flags & VIR_CONNECT_RO) || virNetServerClientIsReadOnly(client);
    virConnectPtr conn;
    int rv = -1;

    /* Held across the open so that two OPENs racing on one client cannot
     * both succeed. */
    virMutexLock(&priv->lock);
    if (priv->conn) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "connection already open");
        goto cleanup;
    }
    if (args->flags & ~VIR_CONNECT_RO) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       args->flags & ~VIR_CONNECT_RO, "virConnectOpen");
        goto cleanup;
    }
    if (remoteCheckLocalURI(name) < 0)
        goto cleanup;
    if (!remoteClientIsCurrent(client))
        goto cleanup;
    if (readonly && remoteClientMakeReadOnly(client) < 0)
        goto cleanup;

    /* A read-only client gets a read-only connection as well: the public
     * API then refuses changes even under an access stack without the
     * readonly driver. */
    conn = readonly ? virConnectOpenReadOnly(name) : virConnectOpen(name);
    if (!conn)
        goto cleanup;
    VIR_DEBUG("client opened '%s'%s", name, readonly ? " read-only" : "");
    priv->conn = conn;
    virNetServerClientSetOpen(client);
    rv = 0;

 cleanup:
    virMutexUnlock(&priv->lock);
    return rv;
}

int
remoteDispatchConnectClose(virNetServer *srv, virNetServerClient *client,
                           const virNetMessageHeader *hdr,
                           remote_void *args, remote_void *ret)
{
    remoteClient *priv = remoteClientGet(client);

    /* Stop events and refuse further calls at once; the connection itself
     * is closed by the close hook once the client hangs up (as it does
     * after this reply), because another call of this client might still
     * be using it right now. */
    virMutexLock(&priv->lock);
    priv->closed = true;
    virMutexUnlock(&priv->lock);
    remoteEventsDeregisterAll(priv);
    return 0;
}

int
remoteDispatchConnectGetType(virNetServer *srv, virNetServerClient *client,
                             const virNetMessageHeader *hdr,
                             remote_void *args, remote_connect_get_type_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    const char *type;

    if (!conn || !(type = virConnectGetType(conn)))
        return -1;
    ret->type = virStrdup(type);
    return 0;
}

int
remoteDispatchConnectGetVersion(virNetServer *srv, virNetServerClient *client,
                                const virNetMessageHeader *hdr,
                                remote_void *args, remote_connect_get_version_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    unsigned long ver;

    if (!conn || virConnectGetVersion(conn, &ver) < 0)
        return -1;
    ret->hv_ver = ver;
    return 0;
}

int
remoteDispatchConnectGetLibVersion(virNetServer *srv, virNetServerClient *client,
                                   const virNetMessageHeader *hdr,
                                   remote_void *args, remote_connect_get_lib_version_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    unsigned long ver;

    if (!conn || virConnectGetLibVersion(conn, &ver) < 0)
        return -1;
    ret->lib_ver = ver;
    return 0;
}

int
remoteDispatchConnectGetMaxVcpus(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_connect_get_max_vcpus_args *args,
                                 remote_connect_get_max_vcpus_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    int n;

    if (!conn || (n = virConnectGetMaxVcpus(conn, args->type ? *args->type : NULL)) < 0)
        return -1;
    ret->max_vcpus = n;
    return 0;
}

int
remoteDispatchNodeGetInfo(virNetServer *srv, virNetServerClient *client,
                          const virNetMessageHeader *hdr,
                          remote_void *args, remote_node_get_info_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    virNodeInfo info;

    memset(&info, 0, sizeof(info));
    if (!conn || virNodeGetInfo(conn, &info) < 0)
        return -1;
    VIR_STATIC_ASSERT(sizeof(ret->model) == sizeof(info.model), "node model size");
    memcpy(ret->model, info.model, sizeof(ret->model));
    ret->memory = info.memory;
    ret->cpus = info.cpus;
    ret->mhz = info.mhz;
    ret->nodes = info.nodes;
    ret->sockets = info.sockets;
    ret->cores = info.cores;
    ret->threads = info.threads;
    return 0;
}

int
remoteDispatchConnectGetCapabilities(virNetServer *srv, virNetServerClient *client,
                                     const virNetMessageHeader *hdr,
                                     remote_void *args,
                                     remote_connect_get_capabilities_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    if (!conn || !(ret->capabilities = virConnectGetCapabilities(conn)))
        return -1;
    return 0;
}

int
remoteDispatchConnectGetHostname(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_void *args, remote_connect_get_hostname_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    if (!conn || !(ret->hostname = virConnectGetHostname(conn)))
        return -1;
    return 0;
}

int
remoteDispatchConnectGetURI(virNetServer *srv, virNetServerClient *client,
                            const virNetMessageHeader *hdr,
                            remote_void *args, remote_connect_get_uri_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    if (!conn || !(ret->uri = virConnectGetURI(conn)))
        return -1;
    return 0;
}

int
remoteDispatchConnectSupportsFeature(virNetServer *srv, virNetServerClient *client,
                                     const virNetMessageHeader *hdr,
                                     remote_connect_supports_feature_args *args,
                                     remote_connect_supports_feature_ret *ret)
{
    /* Answered before CONNECT_OPEN too (the client asks about keepalive
     * first); an unknown feature is simply not supported. */
    switch (args->feature) {
    case REMOTE_FEATURE_PROGRAM_KEEPALIVE:
        /* Asking is the client's promise to answer our PINGs. */
        virNetServerClientEnableKeepalive(client);
        ret->supported = 1;
        break;
    case REMOTE_FEATURE_REMOTE_EVENT_CALLBACK:
    case REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK:
        ret->supported = 1;
        break;
    default:
        ret->supported = 0;
        break;
    }
    return 0;
}

int
remoteDispatchNodeGetSecurityModel(virNetServer *srv, virNetServerClient *client,
                                   const virNetMessageHeader *hdr,
                                   remote_void *args, remote_node_get_security_model_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    virSecurityModel model;

    memset(&model, 0, sizeof(model));
    if (!conn || virNodeGetSecurityModel(conn, &model) < 0)
        return -1;
    /* Sent with the trailing NUL, as libvirtd does; an empty model is an
     * empty array, which tells virsh there is no security driver. */
    model.model[sizeof(model.model) - 1] = '\0';
    model.doi[sizeof(model.doi) - 1] = '\0';
    if (model.model[0]) {
        ret->model.model_len = strlen(model.model) + 1;
        ret->model.model_val = virStrdup(model.model);
    }
    if (model.doi[0]) {
        ret->doi.doi_len = strlen(model.doi) + 1;
        ret->doi.doi_val = virStrdup(model.doi);
    }
    return 0;
}

int
remoteDispatchConnectIsSecure(virNetServer *srv, virNetServerClient *client,
                              const virNetMessageHeader *hdr,
                              remote_void *args, remote_connect_is_secure_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    int secure;

    if (!conn || (secure = virConnectIsSecure(conn)) < 0)
        return -1;
    /* The path to this client is part of the answer: plain TCP is not secure. */
    ret->secure = secure && virNetServerClientIsSecure(client);
    return 0;
}

int
remoteDispatchConnectRegisterCloseCallback(virNetServer *srv, virNetServerClient *client,
                                           const virNetMessageHeader *hdr,
                                           remote_void *args, remote_void *ret)
{
    remoteClient *priv = remoteClientGet(client);

    /* Accepted and remembered. The daemon's hypervisor connections are
     * in-process and never close under a client, so there is no
     * CONNECT_EVENT_CONNECTION_CLOSED to send yet; the client learns of a
     * daemon shutdown from the socket. */
    virMutexLock(&priv->lock);
    priv->closeCallback = true;
    virMutexUnlock(&priv->lock);
    return 0;
}

int
remoteDispatchConnectUnregisterCloseCallback(virNetServer *srv, virNetServerClient *client,
                                             const virNetMessageHeader *hdr,
                                             remote_void *args, remote_void *ret)
{
    remoteClient *priv = remoteClientGet(client);

    virMutexLock(&priv->lock);
    priv->closeCallback = false;
    virMutexUnlock(&priv->lock);
    return 0;
}
