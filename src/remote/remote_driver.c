/*
 * remote_driver.c: the "remote" hypervisor driver, libvirt's RPC client.
 *
 * Each driver method is one call of the REMOTE program (procedure numbers
 * and argument/result shapes in remote_protocol.x). The connection's
 * virNetClient matches replies to callers, so methods may run from many
 * threads at once; a server error becomes the caller's last error with the
 * code, domain and message the server sent.
 *
 * Access control: this driver checks nothing itself. The daemon at the
 * other end decides every call for the identity of this connection, and
 * a local check here could only disagree with it.
 *
 * The handshake is the one stock virsh does (so a server sees the same
 * sequence from us): AUTH_LIST (then SASL if the server asks for it, see
 * remote_auth.c), SUPPORTS_FEATURE(keepalive), CONNECT_OPEN,
 * SUPPORTS_FEATURE(event callbacks), SUPPORTS_FEATURE(close callbacks).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "datatypes.h"
#include "driver.h"
#include "remote_auth.h"
#include "remote_driver.h"
#include "remote_event.h"
#include "rpc/virnetclient.h"
#include "rpc/virnettls.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"
#include "virthread.h"
#include "viruri.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

VIR_LOG_INIT("remote.driver");

/* libvirt's feature numbers for CONNECT_SUPPORTS_FEATURE. */
#define REMOTE_FEATURE_PROGRAM_KEEPALIVE 10
#define REMOTE_FEATURE_REMOTE_EVENT_CALLBACK 14
#define REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK 15

/* virsh's keepalive: ping after 5 idle seconds, give up after 6 misses. */
#define REMOTE_KEEPALIVE_INTERVAL 5
#define REMOTE_KEEPALIVE_COUNT 6

typedef enum {
    REMOTE_TRANSPORT_TLS,
    REMOTE_TRANSPORT_TCP,
    REMOTE_TRANSPORT_UNIX,
} remoteTransport;

typedef struct _remoteDriverPrivate remoteDriverPrivate;
struct _remoteDriverPrivate {
    virNetClient *client;
    virNetTLSContext *tls;          /* TLS only; outlives the client */
    remoteTransport transport;
    bool eventCallbacks;            /* server has feature 14 */
    bool closeCallbacks;            /* server has feature 15 (for a future
                                     * virConnectRegisterCloseCallback) */
    remoteEventState *events;

    virMutex lock;                  /* guards @type */
    char *type;                     /* cached CONNECT_GET_TYPE answer */
};

/* Query parameters that steer the client and are not the server's business. */
static const char *const remoteClientParams[] = {
    "name", "command", "socket", "auth", "netcat", "keyfile", "sshauth",
    "no_verify", "no_tty", "pkipath", "known_hosts", "known_hosts_verify",
    "tls_priority", "mode", "proxy", "authfile",
};

/* ---- helpers ----------------------------------------------------------- */

/* One call of the REMOTE program on @conn. @ret must be zeroed; on
 * success the caller frees it with xdr_free(@retFilter, ...). */
static int
remoteCall(virConnectPtr conn, int proc, xdrproc_t argsFilter, void *args,
           xdrproc_t retFilter, void *ret)
{
    remoteDriverPrivate *priv = conn->privateData;

    return virNetClientCall(priv->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
                            argsFilter, args, retFilter, ret);
}

/* Many procedures take no argument or return nothing. xdr_void is
 * declared without parameters; the detour via void (*)(void) says the
 * cast to xdrproc_t is meant. */
#define REMOTE_VOID (xdrproc_t)(void (*)(void))xdr_void, NULL

static void
remoteMakeDomain(remote_nonnull_domain *rdom, virDomainPtr dom)
{
    rdom->name = dom->name;
    memcpy(rdom->uuid, dom->uuid, VIR_UUID_BUFLEN);
    rdom->id = __atomic_load_n(&dom->id, __ATOMIC_RELAXED);
}

static virDomainPtr
remoteGetDomain(virConnectPtr conn, const remote_nonnull_domain *rdom)
{
    return virGetDomain(conn, rdom->name, (const unsigned char *)rdom->uuid, rdom->id);
}

static void
remoteSetDomainID(virDomainPtr dom, int id)
{
    __atomic_store_n(&dom->id, id, __ATOMIC_RELAXED);
}

/* A call whose arguments are the domain alone and whose reply is empty. */
static int
remoteDomainCallVoid(virDomainPtr dom, int proc)
{
    remote_domain_args args;

    remoteMakeDomain(&args.dom, dom);
    return remoteCall(dom->conn, proc, (xdrproc_t)xdr_remote_domain_args, &args, REMOTE_VOID);
}

/* A call with arguments {domain, flags} and an empty reply. */
static int
remoteDomainCallFlags(virDomainPtr dom, int proc, unsigned int flags)
{
    remote_domain_flags_args args;

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    return remoteCall(dom->conn, proc, (xdrproc_t)xdr_remote_domain_flags_args, &args,
                      REMOTE_VOID);
}

/* A call with arguments {domain} or {domain, flags} (@withFlags) whose
 * reply is a struct of one int, which XDR encodes exactly as that int.
 * Without flags only the leading domain of @args is encoded. The int, or
 * -1. */
static int
remoteDomainCallInt(virDomainPtr dom, int proc, bool withFlags, unsigned int flags)
{
    remote_domain_flags_args args;
    int ret = -1;

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, proc,
                   withFlags ? (xdrproc_t)xdr_remote_domain_flags_args
                             : (xdrproc_t)xdr_remote_domain_args,
                   &args, (xdrproc_t)xdr_int, &ret) < 0)
        return -1;
    return ret;
}

/* A call without arguments whose reply is one int (see above). */
static int
remoteConnectCallInt(virConnectPtr conn, int proc, int *out)
{
    return remoteCall(conn, proc, REMOTE_VOID, (xdrproc_t)xdr_int, out);
}

/* A call without arguments whose reply is one string. Caller frees. */
static char *
remoteConnectCallString(virConnectPtr conn, int proc)
{
    char *ret = NULL;

    if (remoteCall(conn, proc, REMOTE_VOID, (xdrproc_t)xdr_remote_nonnull_string, &ret) < 0)
        return NULL;
    return ret;
}

/* A call with arguments {domain} or {domain, flags} whose reply is one
 * string. Caller frees. */
static char *
remoteDomainCallString(virDomainPtr dom, int proc, bool withFlags, unsigned int flags)
{
    remote_domain_flags_args args;
    char *ret = NULL;

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, proc,
                   withFlags ? (xdrproc_t)xdr_remote_domain_flags_args
                             : (xdrproc_t)xdr_remote_domain_args,
                   &args, (xdrproc_t)xdr_remote_nonnull_string, &ret) < 0)
        return NULL;
    return ret;
}

/* ---- URIs ---------------------------------------------------------------- */

static bool
remoteIsClientParam(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(remoteClientParams); i++) {
        if (STREQ(name, remoteClientParams[i]))
            return true;
    }
    return false;
}

char *
remoteServerName(const virURI *uri)
{
    const char *name = virURIGetParam(uri, "name");
    VIR_AUTOFREE(char *) driver = NULL;
    VIR_AUTOFREE(virURIParam *) params = NULL;
    virURI tmp = { 0 };
    size_t i;

    if (name)
        return virStrdup(name);
    driver = virURIGetDriverName(uri);
    if (STREQ(driver, "remote"))
        return NULL;

    /* Borrowed pieces of @uri: only formatted, never freed. */
    tmp.scheme = driver;
    tmp.hasAuthority = true;
    tmp.path = uri->path ? uri->path : (char *)"/";
    tmp.fragment = uri->fragment;
    VIR_ALLOC_N(params, uri->nparams);
    for (i = 0; i < uri->nparams; i++) {
        if (!remoteIsClientParam(uri->params[i].name))
            params[tmp.nparams++] = uri->params[i];
    }
    tmp.params = params;
    return virURIFormat(&tmp);
}

/* Which transport @uri asks for. 1 and *@transport set if it is ours,
 * 0 if it is a local URI for an in-process driver, -1 (error set) if it
 * names a transport this driver cannot use. */
static int
remoteParseTransport(const virURI *uri, remoteTransport *transport)
{
    const char *name = virURIGetTransport(uri);
    VIR_AUTOFREE(char *) driver = virURIGetDriverName(uri);

    if (!name) {
        if (uri->server) {
            *transport = REMOTE_TRANSPORT_TLS;      /* libvirt's default */
            return 1;
        }
        if (STREQ(driver, "remote")) {
            *transport = REMOTE_TRANSPORT_UNIX;
            return 1;
        }
        return 0;
    }
    if (STREQ(name, "tls")) {
        *transport = REMOTE_TRANSPORT_TLS;
    } else if (STREQ(name, "tcp")) {
        *transport = REMOTE_TRANSPORT_TCP;
    } else if (STREQ(name, "unix")) {
        *transport = REMOTE_TRANSPORT_UNIX;
    } else if (STREQ(name, "ssh") || STREQ(name, "libssh") || STREQ(name, "libssh2") ||
               STREQ(name, "ext")) {
        virReportError(VIR_ERR_NO_SUPPORT,
                       "transport '%s' is not supported yet (use tls, tcp or unix)", name);
        return -1;
    } else {
        virReportError(VIR_ERR_INVALID_ARG,
                       "transport in URL not recognised (should be tls|tcp|unix): '%s'",
                       name);
        return -1;
    }
    return 1;
}

/* The boolean query parameter @name: false if absent, else its value as
 * a number ("no_verify=1"). */
static bool
remoteURIFlag(const virURI *uri, const char *name)
{
    const char *value = virURIGetParam(uri, name);
    int v;

    if (!value)
        return false;
    if (!*value)
        return true;
    return virStrToLong_i(value, 10, &v) == 0 && v != 0;
}

/* ---- connection ---------------------------------------------------------- */

static void
remoteDriverPrivateFree(remoteDriverPrivate *priv)
{
    if (!priv)
        return;
    if (priv->client)
        virNetClientClose(priv->client);
    /* The reader thread is gone: nothing queues events any more. */
    remoteEventStateFree(priv->events);
    virNetClientFree(priv->client);
    virNetTLSContextFree(priv->tls);
    virMutexDestroy(&priv->lock);
    free(priv->type);
    free(priv);
}

/* Decode an event MESSAGE into a remoteEvent. Runs in the reader thread. */
static void
remoteClientEvent(virNetClient *client, virNetMessage *msg, void *opaque)
{
    remoteDriverPrivate *priv = opaque;
    remoteEvent *ev;

    if (msg->header.prog != REMOTE_PROGRAM)
        return;

    switch (msg->header.proc) {
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE: {
        remote_domain_event_callback_lifecycle_msg data = { 0 };

        if (virNetMessageDecodePayload(msg,
                                       (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg,
                                       &data) < 0)
            goto decode_error;
        VIR_ALLOC(ev);
        ev->remoteID = data.callbackID;
        ev->eventID = VIR_DOMAIN_EVENT_ID_LIFECYCLE;
        ev->name = virStrdup(data.msg.dom.name);
        memcpy(ev->uuid, data.msg.dom.uuid, VIR_UUID_BUFLEN);
        ev->id = data.msg.dom.id;
        ev->event = data.msg.event;
        ev->detail = data.msg.detail;
        xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, (char *)&data);
        break;
    }
    case REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT: {
        remote_domain_event_callback_reboot_msg data = { 0 };

        if (virNetMessageDecodePayload(msg,
                                       (xdrproc_t)xdr_remote_domain_event_callback_reboot_msg,
                                       &data) < 0)
            goto decode_error;
        VIR_ALLOC(ev);
        ev->remoteID = data.callbackID;
        ev->eventID = VIR_DOMAIN_EVENT_ID_REBOOT;
        ev->name = virStrdup(data.msg.dom.name);
        memcpy(ev->uuid, data.msg.dom.uuid, VIR_UUID_BUFLEN);
        ev->id = data.msg.dom.id;
        xdr_free((xdrproc_t)xdr_remote_domain_event_callback_reboot_msg, (char *)&data);
        break;
    }
    default:
        /* Events we never register for (the server may still send e.g.
         * CONNECT_EVENT_CONNECTION_CLOSED). */
        VIR_DEBUG("ignoring message of procedure %d", msg->header.proc);
        return;
    }
    remoteEventStateQueue(priv->events, ev);
    return;

 decode_error:
    VIR_WARN("dropping undecodable event of procedure %d: %s", msg->header.proc,
             virGetLastErrorMessage());
    virResetLastError();
}

/* 1 if the server has @feature, else 0. A failing query counts as "no",
 * as it does for virsh; a dead connection shows up in the next call. */
static int
remoteSupportsFeature(virConnectPtr conn, int feature)
{
    remote_connect_supports_feature_args args = { .feature = feature };
    int supported = 0;

    if (remoteCall(conn, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
                   (xdrproc_t)xdr_remote_connect_supports_feature_args, &args,
                   (xdrproc_t)xdr_int, &supported) < 0) {
        VIR_DEBUG("feature %d: %s", feature, virGetLastErrorMessage());
        virResetLastError();
        return 0;
    }
    return supported ? 1 : 0;
}

/* Authenticate with the first method the server lists. */
static int
remoteAuthenticate(virConnectPtr conn)
{
    remote_auth_list_ret ret = { { 0 } };
    int type = REMOTE_AUTH_NONE;
    int rv = -1;

    if (remoteCall(conn, REMOTE_PROC_AUTH_LIST, REMOTE_VOID,
                   (xdrproc_t)xdr_remote_auth_list_ret, &ret) < 0) {
        /* An old server without AUTH_LIST needs no authentication. */
        if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
            return -1;
        virResetLastError();
        return 0;
    }
    if (ret.types.types_len > 0)
        type = ret.types.types_val[0];
    xdr_free((xdrproc_t)xdr_remote_auth_list_ret, (char *)&ret);

    switch (type) {
    case REMOTE_AUTH_NONE:
        rv = 0;
        break;
    case REMOTE_AUTH_SASL: {
        remoteDriverPrivate *priv = conn->privateData;

        rv = remoteAuthSASL(priv->client, conn->uri,
                            priv->transport != REMOTE_TRANSPORT_TCP);
        break;
    }
    case REMOTE_AUTH_POLKIT: {
        int complete = 0;

        /* The server asks polkit about our UNIX credentials itself. */
        if (remoteCall(conn, REMOTE_PROC_AUTH_POLKIT, REMOTE_VOID,
                       (xdrproc_t)xdr_int, &complete) < 0)
            break;
        rv = 0;
        break;
    }
    default:
        virReportError(VIR_ERR_AUTH_FAILED, "unsupported authentication type %d", type);
        break;
    }
    return rv;
}

/* Connect the transport named by @uri. */
static virNetClient *
remoteConnectTransport(const virURI *uri, remoteDriverPrivate *priv, unsigned int flags)
{
    const char *host = uri->server ? uri->server : "localhost";
    char port[16];
    virNetClient *client;

    if (priv->transport == REMOTE_TRANSPORT_UNIX) {
        const char *path = virURIGetParam(uri, "socket");

        if (!path)
            path = (flags & VIR_CONNECT_RO) ? REMOTE_UNIX_SOCKET_RO : REMOTE_UNIX_SOCKET;
        return virNetClientNewUNIX(path);
    }

    if (uri->port)
        snprintf(port, sizeof(port), "%d", uri->port);
    else
        snprintf(port, sizeof(port), "%s",
                 priv->transport == REMOTE_TRANSPORT_TLS ? REMOTE_TLS_PORT : REMOTE_TCP_PORT);

    if (priv->transport == REMOTE_TRANSPORT_TLS) {
        /* Load the certificates first: a missing CA is the likelier
         * mistake and needs no network to report. */
        if (!(priv->tls = virNetTLSContextNewClientPath(virURIGetParam(uri, "pkipath"),
                                                        !remoteURIFlag(uri, "no_verify"))))
            return NULL;
    }
    if (!(client = virNetClientNewTCP(host, port)))
        return NULL;
    if (priv->tls && virNetClientSetTLSSession(client, priv->tls, host) < 0) {
        virNetClientFree(client);
        return NULL;
    }
    return client;
}

static virDrvOpenStatus
remoteConnectOpen(virConnectPtr conn, unsigned int flags)
{
    remoteDriverPrivate *priv = NULL;
    remote_connect_open_args args = { 0 };
    remoteTransport transport;
    virErrorPtr saved;
    char *name;
    int rc;

    if (!conn->uri)
        return VIR_DRV_OPEN_DECLINED;
    if ((rc = remoteParseTransport(conn->uri, &transport)) <= 0)
        return rc == 0 ? VIR_DRV_OPEN_DECLINED : VIR_DRV_OPEN_ERROR;
    if (flags & ~VIR_CONNECT_RO) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x) in function %s",
                       flags & ~VIR_CONNECT_RO, __func__);
        return VIR_DRV_OPEN_ERROR;
    }
    if (virURIGetParam(conn->uri, "tls_priority"))
        VIR_WARN("ignoring tls_priority: the client always uses gnutls' NORMAL");

    VIR_ALLOC(priv);
    virMutexInit(&priv->lock);
    priv->transport = transport;
    priv->events = remoteEventStateNew(conn);

    if (!(priv->client = remoteConnectTransport(conn->uri, priv, flags)))
        goto error;
    virNetClientSetEventHandler(priv->client, remoteClientEvent, priv);
    if (virNetClientStart(priv->client) < 0)
        goto error;
    conn->privateData = priv;

    if (remoteAuthenticate(conn) < 0)
        goto error;

    if (remoteSupportsFeature(conn, REMOTE_FEATURE_PROGRAM_KEEPALIVE))
        virNetClientKeepAliveStart(priv->client, REMOTE_KEEPALIVE_INTERVAL,
                                   REMOTE_KEEPALIVE_COUNT);

    name = remoteServerName(conn->uri);
    VIR_DEBUG("opening '%s' on the server", NULLSTR(name));
    args.name = name ? &name : NULL;
    args.flags = flags & VIR_CONNECT_RO;
    rc = remoteCall(conn, REMOTE_PROC_CONNECT_OPEN,
                    (xdrproc_t)xdr_remote_connect_open_args, &args, REMOTE_VOID);
    free(name);
    if (rc < 0)
        goto error;

    priv->eventCallbacks = remoteSupportsFeature(conn, REMOTE_FEATURE_REMOTE_EVENT_CALLBACK);
    priv->closeCallbacks = remoteSupportsFeature(conn, REMOTE_FEATURE_REMOTE_CLOSE_CALLBACK);
    return VIR_DRV_OPEN_SUCCESS;

 error:
    /* Tearing down must not replace the error that says why we failed. */
    virErrorPreserveLast(&saved);
    conn->privateData = NULL;
    remoteDriverPrivateFree(priv);
    virErrorRestore(&saved);
    return VIR_DRV_OPEN_ERROR;
}

static int
remoteConnectClose(virConnectPtr conn)
{
    remoteDriverPrivate *priv = conn->privateData;
    int ret = 0;

    if (remoteCall(conn, REMOTE_PROC_CONNECT_CLOSE, REMOTE_VOID, REMOTE_VOID) < 0)
        ret = -1;
    conn->privateData = NULL;
    remoteDriverPrivateFree(priv);
    return ret;
}

static const char *
remoteConnectGetType(virConnectPtr conn)
{
    remoteDriverPrivate *priv = conn->privateData;
    const char *ret;
    char *type;

    virMutexLock(&priv->lock);
    ret = priv->type;
    virMutexUnlock(&priv->lock);
    if (ret)
        return ret;

    if (!(type = remoteConnectCallString(conn, REMOTE_PROC_CONNECT_GET_TYPE)))
        return NULL;
    /* Kept for the connection's life: the caller borrows the string. */
    virMutexLock(&priv->lock);
    if (!priv->type)
        priv->type = type;
    else
        free(type);
    ret = priv->type;
    virMutexUnlock(&priv->lock);
    return ret;
}

static int
remoteConnectGetVersion(virConnectPtr conn, unsigned long *hvVer)
{
    remote_connect_get_version_ret ret = { 0 };

    if (remoteCall(conn, REMOTE_PROC_CONNECT_GET_VERSION, REMOTE_VOID,
                   (xdrproc_t)xdr_remote_connect_get_version_ret, &ret) < 0)
        return -1;
    *hvVer = ret.hv_ver;
    return 0;
}

static int
remoteConnectGetLibVersion(virConnectPtr conn, unsigned long *libVer)
{
    remote_connect_get_lib_version_ret ret = { 0 };

    if (remoteCall(conn, REMOTE_PROC_CONNECT_GET_LIB_VERSION, REMOTE_VOID,
                   (xdrproc_t)xdr_remote_connect_get_lib_version_ret, &ret) < 0)
        return -1;
    *libVer = ret.lib_ver;
    return 0;
}

static char *
remoteConnectGetHostname(virConnectPtr conn)
{
    return remoteConnectCallString(conn, REMOTE_PROC_CONNECT_GET_HOSTNAME);
}

static char *
remoteConnectGetCapabilities(virConnectPtr conn)
{
    return remoteConnectCallString(conn, REMOTE_PROC_CONNECT_GET_CAPABILITIES);
}

static int
remoteConnectGetMaxVcpus(virConnectPtr conn, const char *type)
{
    char *typeArg = (char *)type;
    remote_connect_get_max_vcpus_args args = { .type = type ? &typeArg : NULL };
    int ret = -1;

    if (remoteCall(conn, REMOTE_PROC_CONNECT_GET_MAX_VCPUS,
                   (xdrproc_t)xdr_remote_connect_get_max_vcpus_args, &args,
                   (xdrproc_t)xdr_int, &ret) < 0)
        return -1;
    return ret;
}

static int
remoteNodeGetInfo(virConnectPtr conn, virNodeInfoPtr info)
{
    remote_node_get_info_ret ret = { { 0 } };

    if (remoteCall(conn, REMOTE_PROC_NODE_GET_INFO, REMOTE_VOID,
                   (xdrproc_t)xdr_remote_node_get_info_ret, &ret) < 0)
        return -1;
    /* model is a fixed char array, NUL-terminated only if it is short. */
    memcpy(info->model, ret.model, sizeof(info->model) - 1);
    info->model[sizeof(info->model) - 1] = '\0';
    info->memory = ret.memory;
    info->cpus = ret.cpus;
    info->mhz = ret.mhz;
    info->nodes = ret.nodes;
    info->sockets = ret.sockets;
    info->cores = ret.cores;
    info->threads = ret.threads;
    return 0;
}

static int
remoteConnectIsSecure(virConnectPtr conn)
{
    remoteDriverPrivate *priv = conn->privateData;
    int secure = 0;

    if (remoteConnectCallInt(conn, REMOTE_PROC_CONNECT_IS_SECURE, &secure) < 0)
        return -1;
    /* The server knows its own side; the wire is safe from eavesdropping
     * only over TLS or a local socket. */
    return secure && priv->transport != REMOTE_TRANSPORT_TCP ? 1 : 0;
}

static int
remoteConnectIsEncrypted(virConnectPtr conn)
{
    remoteDriverPrivate *priv = conn->privateData;

    return priv->transport == REMOTE_TRANSPORT_TLS ? 1 : 0;
}

static int
remoteNodeGetSecurityModel(virConnectPtr conn, virSecurityModelPtr secmodel)
{
    remote_node_get_security_model_ret ret = { { 0 } };
    int rv = -1;

    if (remoteCall(conn, REMOTE_PROC_NODE_GET_SECURITY_MODEL, REMOTE_VOID,
                   (xdrproc_t)xdr_remote_node_get_security_model_ret, &ret) < 0)
        return -1;
    memset(secmodel, 0, sizeof(*secmodel));
    /* The counts include the NUL; both limits equal the buffer sizes. */
    if (ret.model.model_len > sizeof(secmodel->model) ||
        ret.doi.doi_len > sizeof(secmodel->doi)) {
        virReportError(VIR_ERR_RPC, "%s", "security model or DOI too long");
        goto cleanup;
    }
    /* An empty array arrives as a NULL pointer, which memcpy may not take. */
    if (ret.model.model_len)
        memcpy(secmodel->model, ret.model.model_val, ret.model.model_len);
    secmodel->model[sizeof(secmodel->model) - 1] = '\0';
    if (ret.doi.doi_len)
        memcpy(secmodel->doi, ret.doi.doi_val, ret.doi.doi_len);
    secmodel->doi[sizeof(secmodel->doi) - 1] = '\0';
    rv = 0;

 cleanup:
    xdr_free((xdrproc_t)xdr_remote_node_get_security_model_ret, (char *)&ret);
    return rv;
}

/* ---- domain lists ---------------------------------------------------------- */

static int
remoteConnectListAllDomains(virConnectPtr conn, virDomainPtr **domains, unsigned int flags)
{
    remote_connect_list_all_domains_args args = { .need_results = !!domains,
                                                  .flags = flags };
    remote_connect_list_all_domains_ret ret = { { 0 } };
    int rv;
    size_t i;

    if (remoteCall(conn, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS,
                   (xdrproc_t)xdr_remote_connect_list_all_domains_args, &args,
                   (xdrproc_t)xdr_remote_connect_list_all_domains_ret, &ret) < 0)
        return -1;
    if (domains) {
        virDomainPtr *list;

        VIR_ALLOC_N(list, ret.domains.domains_len + 1);
        for (i = 0; i < ret.domains.domains_len; i++)
            list[i] = remoteGetDomain(conn, &ret.domains.domains_val[i]);
        *domains = list;
        rv = ret.domains.domains_len;
    } else {
        rv = ret.ret;
    }
    xdr_free((xdrproc_t)xdr_remote_connect_list_all_domains_ret, (char *)&ret);
    return rv;
}

static int
remoteConnectNumOfDomains(virConnectPtr conn)
{
    int num = -1;

    if (remoteConnectCallInt(conn, REMOTE_PROC_CONNECT_NUM_OF_DOMAINS, &num) < 0)
        return -1;
    return num;
}

static int
remoteConnectListDomains(virConnectPtr conn, int *ids, int maxids)
{
    remote_connect_list_domains_args args = { .maxids = maxids };
    remote_connect_list_domains_ret ret = { { 0 } };
    int rv = -1;

    if (maxids > REMOTE_DOMAIN_ID_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "too many remote domain IDs: %d > %d",
                       maxids, REMOTE_DOMAIN_ID_LIST_MAX);
        return -1;
    }
    if (remoteCall(conn, REMOTE_PROC_CONNECT_LIST_DOMAINS,
                   (xdrproc_t)xdr_remote_connect_list_domains_args, &args,
                   (xdrproc_t)xdr_remote_connect_list_domains_ret, &ret) < 0)
        return -1;
    if (ret.ids.ids_len > (unsigned int)maxids) {
        virReportError(VIR_ERR_RPC, "too many remote domain IDs: %u > %d",
                       ret.ids.ids_len, maxids);
        goto cleanup;
    }
    if (ret.ids.ids_len)
        memcpy(ids, ret.ids.ids_val, ret.ids.ids_len * sizeof(*ids));
    rv = ret.ids.ids_len;

 cleanup:
    xdr_free((xdrproc_t)xdr_remote_connect_list_domains_ret, (char *)&ret);
    return rv;
}

static int
remoteConnectNumOfDefinedDomains(virConnectPtr conn)
{
    int num = -1;

    if (remoteConnectCallInt(conn, REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS, &num) < 0)
        return -1;
    return num;
}

static int
remoteConnectListDefinedDomains(virConnectPtr conn, char **const names, int maxnames)
{
    remote_connect_list_defined_domains_args args = { .maxnames = maxnames };
    remote_connect_list_defined_domains_ret ret = { { 0 } };
    int rv = -1;
    size_t i;

    if (maxnames > REMOTE_DOMAIN_NAME_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "too many remote domain names: %d > %d",
                       maxnames, REMOTE_DOMAIN_NAME_LIST_MAX);
        return -1;
    }
    if (remoteCall(conn, REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS,
                   (xdrproc_t)xdr_remote_connect_list_defined_domains_args, &args,
                   (xdrproc_t)xdr_remote_connect_list_defined_domains_ret, &ret) < 0)
        return -1;
    if (ret.names.names_len > (unsigned int)maxnames) {
        virReportError(VIR_ERR_RPC, "too many remote domain names: %u > %d",
                       ret.names.names_len, maxnames);
        goto cleanup;
    }
    for (i = 0; i < ret.names.names_len; i++)
        names[i] = virStrdup(ret.names.names_val[i]);
    rv = ret.names.names_len;

 cleanup:
    xdr_free((xdrproc_t)xdr_remote_connect_list_defined_domains_ret, (char *)&ret);
    return rv;
}

/* ---- lookups ----------------------------------------------------------------- */

/* Lookups and definitions all reply with one domain (a struct holding
 * just a remote_nonnull_domain encodes as that domain). */
static virDomainPtr
remoteDomainLookup(virConnectPtr conn, int proc, xdrproc_t argsFilter, void *args)
{
    remote_nonnull_domain ret = { 0 };
    virDomainPtr dom;

    if (remoteCall(conn, proc, argsFilter, args,
                   (xdrproc_t)xdr_remote_nonnull_domain, &ret) < 0)
        return NULL;
    dom = remoteGetDomain(conn, &ret);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&ret);
    return dom;
}

static virDomainPtr
remoteDomainLookupByID(virConnectPtr conn, int id)
{
    remote_domain_lookup_by_id_args args = { .id = id };

    return remoteDomainLookup(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_ID,
                              (xdrproc_t)xdr_remote_domain_lookup_by_id_args, &args);
}

static virDomainPtr
remoteDomainLookupByName(virConnectPtr conn, const char *name)
{
    remote_domain_lookup_by_name_args args = { .name = (char *)name };

    return remoteDomainLookup(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME,
                              (xdrproc_t)xdr_remote_domain_lookup_by_name_args, &args);
}

static virDomainPtr
remoteDomainLookupByUUID(virConnectPtr conn, const unsigned char *uuid)
{
    remote_domain_lookup_by_uuid_args args;

    memcpy(args.uuid, uuid, VIR_UUID_BUFLEN);
    return remoteDomainLookup(conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                              (xdrproc_t)xdr_remote_domain_lookup_by_uuid_args, &args);
}

/* ---- domain queries ------------------------------------------------------------ */

static int
remoteDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    remote_domain_args args;
    remote_domain_get_info_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_INFO,
                   (xdrproc_t)xdr_remote_domain_args, &args,
                   (xdrproc_t)xdr_remote_domain_get_info_ret, &ret) < 0)
        return -1;
    info->state = ret.state;
    info->maxMem = ret.maxMem;
    info->memory = ret.memory;
    info->nrVirtCpu = ret.nrVirtCpu;
    info->cpuTime = ret.cpuTime;
    return 0;
}

static int
remoteDomainGetState(virDomainPtr dom, int *state, int *reason, unsigned int flags)
{
    remote_domain_flags_args args;
    remote_domain_get_state_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_STATE,
                   (xdrproc_t)xdr_remote_domain_flags_args, &args,
                   (xdrproc_t)xdr_remote_domain_get_state_ret, &ret) < 0)
        return -1;
    *state = ret.state;
    if (reason)
        *reason = ret.reason;
    return 0;
}

static char *
remoteDomainGetXMLDesc(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainCallString(dom, REMOTE_PROC_DOMAIN_GET_XML_DESC, true, flags);
}

static char *
remoteDomainGetOSType(virDomainPtr dom)
{
    return remoteDomainCallString(dom, REMOTE_PROC_DOMAIN_GET_OS_TYPE, false, 0);
}

static unsigned long long
remoteDomainGetMaxMemory(virDomainPtr dom)
{
    remote_domain_args args;
    remote_domain_get_max_memory_ret ret = { 0 };

    remoteMakeDomain(&args.dom, dom);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_MAX_MEMORY,
                   (xdrproc_t)xdr_remote_domain_args, &args,
                   (xdrproc_t)xdr_remote_domain_get_max_memory_ret, &ret) < 0)
        return 0;
    return ret.memory;
}

static int
remoteDomainGetAutostart(virDomainPtr dom, int *autostart)
{
    int ret = remoteDomainCallInt(dom, REMOTE_PROC_DOMAIN_GET_AUTOSTART, false, 0);

    if (ret < 0)
        return -1;
    *autostart = ret ? 1 : 0;
    return 0;
}

static int
remoteDomainSetAutostart(virDomainPtr dom, int autostart)
{
    remote_domain_set_autostart_args args;

    remoteMakeDomain(&args.dom, dom);
    args.autostart = autostart;
    return remoteCall(dom->conn, REMOTE_PROC_DOMAIN_SET_AUTOSTART,
                      (xdrproc_t)xdr_remote_domain_set_autostart_args, &args, REMOTE_VOID);
}

static int
remoteDomainIsActive(virDomainPtr dom)
{
    return remoteDomainCallInt(dom, REMOTE_PROC_DOMAIN_IS_ACTIVE, false, 0);
}

static int
remoteDomainIsPersistent(virDomainPtr dom)
{
    return remoteDomainCallInt(dom, REMOTE_PROC_DOMAIN_IS_PERSISTENT, false, 0);
}

static int
remoteDomainHasManagedSaveImage(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainCallInt(dom, REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, true, flags);
}

static int
remoteDomainSnapshotNum(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainCallInt(dom, REMOTE_PROC_DOMAIN_SNAPSHOT_NUM, true, flags);
}

static int
remoteDomainGetMessages(virDomainPtr dom, char ***msgs, unsigned int flags)
{
    remote_domain_flags_args args;
    remote_domain_get_messages_ret ret = { { 0 } };
    char **list;
    size_t i;
    int rv;

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_GET_MESSAGES,
                   (xdrproc_t)xdr_remote_domain_flags_args, &args,
                   (xdrproc_t)xdr_remote_domain_get_messages_ret, &ret) < 0)
        return -1;
    /* NULL-terminated as well, so it can be freed as a string list. */
    VIR_ALLOC_N(list, ret.msgs.msgs_len + 1);
    for (i = 0; i < ret.msgs.msgs_len; i++)
        list[i] = virStrdup(ret.msgs.msgs_val[i]);
    *msgs = list;
    rv = ret.msgs.msgs_len;
    xdr_free((xdrproc_t)xdr_remote_domain_get_messages_ret, (char *)&ret);
    return rv;
}

/* ---- domain lifecycle ------------------------------------------------------------ */

static int
remoteDomainCreate(virDomainPtr dom)
{
    remote_domain_lookup_by_uuid_args args;
    remote_nonnull_domain ret = { 0 };

    if (remoteDomainCallVoid(dom, REMOTE_PROC_DOMAIN_CREATE) < 0)
        return -1;
    /* DOMAIN_CREATE returns nothing; the handle should carry the new id,
     * so ask for it as virsh does. */
    memcpy(args.uuid, dom->uuid, VIR_UUID_BUFLEN);
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID,
                   (xdrproc_t)xdr_remote_domain_lookup_by_uuid_args, &args,
                   (xdrproc_t)xdr_remote_nonnull_domain, &ret) < 0)
        return -1;
    remoteSetDomainID(dom, ret.id);
    xdr_free((xdrproc_t)xdr_remote_nonnull_domain, (char *)&ret);
    return 0;
}

static int
remoteDomainCreateWithFlags(virDomainPtr dom, unsigned int flags)
{
    remote_domain_flags_args args;
    remote_domain_create_with_flags_ret ret = { { 0 } };

    remoteMakeDomain(&args.dom, dom);
    args.flags = flags;
    if (remoteCall(dom->conn, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS,
                   (xdrproc_t)xdr_remote_domain_flags_args, &args,
                   (xdrproc_t)xdr_remote_domain_create_with_flags_ret, &ret) < 0)
        return -1;
    remoteSetDomainID(dom, ret.dom.id);
    xdr_free((xdrproc_t)xdr_remote_domain_create_with_flags_ret, (char *)&ret);
    return 0;
}

static int
remoteDomainSuspend(virDomainPtr dom)
{
    return remoteDomainCallVoid(dom, REMOTE_PROC_DOMAIN_SUSPEND);
}

static int
remoteDomainResume(virDomainPtr dom)
{
    return remoteDomainCallVoid(dom, REMOTE_PROC_DOMAIN_RESUME);
}

static int
remoteDomainShutdown(virDomainPtr dom)
{
    return remoteDomainCallVoid(dom, REMOTE_PROC_DOMAIN_SHUTDOWN);
}

static int
remoteDomainShutdownFlags(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainCallFlags(dom, REMOTE_PROC_DOMAIN_SHUTDOWN_FLAGS, flags);
}

static int
remoteDomainReboot(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainCallFlags(dom, REMOTE_PROC_DOMAIN_REBOOT, flags);
}

static int
remoteDomainDestroy(virDomainPtr dom)
{
    if (remoteDomainCallVoid(dom, REMOTE_PROC_DOMAIN_DESTROY) < 0)
        return -1;
    /* A stopped domain has no id; libvirt's handles say so at once. */
    remoteSetDomainID(dom, -1);
    return 0;
}

static int
remoteDomainDestroyFlags(virDomainPtr dom, unsigned int flags)
{
    if (remoteDomainCallFlags(dom, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, flags) < 0)
        return -1;
    remoteSetDomainID(dom, -1);
    return 0;
}

static virDomainPtr
remoteDomainDefineXMLFlags(virConnectPtr conn, const char *xml, unsigned int flags)
{
    remote_domain_define_xml_flags_args args = { .xml = (char *)xml, .flags = flags };

    return remoteDomainLookup(conn, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS,
                              (xdrproc_t)xdr_remote_domain_define_xml_flags_args, &args);
}

static virDomainPtr
remoteDomainDefineXML(virConnectPtr conn, const char *xml)
{
    remote_domain_define_xml_args args = { .xml = (char *)xml };

    return remoteDomainLookup(conn, REMOTE_PROC_DOMAIN_DEFINE_XML,
                              (xdrproc_t)xdr_remote_domain_define_xml_args, &args);
}

static int
remoteDomainUndefine(virDomainPtr dom)
{
    return remoteDomainCallVoid(dom, REMOTE_PROC_DOMAIN_UNDEFINE);
}

static int
remoteDomainUndefineFlags(virDomainPtr dom, unsigned int flags)
{
    return remoteDomainCallFlags(dom, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, flags);
}

/* ---- events ---------------------------------------------------------------------- */

static int
remoteConnectDomainEventRegisterAny(virConnectPtr conn, virDomainPtr dom, int eventID,
                                    virConnectDomainEventGenericCallback cb,
                                    void *opaque, virFreeCallback freecb)
{
    remoteDriverPrivate *priv = conn->privateData;
    remote_connect_domain_event_callback_register_any_args args = { .eventID = eventID };
    remote_nonnull_domain rdom;
    int remoteID = -1;
    int rc;

    /* Only these two have a decoder here. */
    if (eventID != VIR_DOMAIN_EVENT_ID_LIFECYCLE && eventID != VIR_DOMAIN_EVENT_ID_REBOOT) {
        virReportError(VIR_ERR_NO_SUPPORT, "event ID %d is not supported", eventID);
        return -1;
    }
    /* The legacy per-event-ID protocol has no callback IDs to route by;
     * every server since libvirt 1.2.1 has feature 14. */
    if (!priv->eventCallbacks) {
        virReportError(VIR_ERR_NO_SUPPORT, "%s",
                       "the server does not support event callbacks");
        return -1;
    }
    if (dom) {
        remoteMakeDomain(&rdom, dom);
        args.dom = &rdom;
    }

    if (remoteEventStateBeginRegister(priv->events) < 0)
        return -1;
    rc = remoteCall(conn, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                    (xdrproc_t)xdr_remote_connect_domain_event_callback_register_any_args,
                    &args, (xdrproc_t)xdr_int, &remoteID);
    if (rc < 0)
        remoteID = -1;
    else if (remoteID < 0)
        remoteID = 0;   /* any int is a valid server ID; keep ours >= 0 */
    return remoteEventStateEndRegister(priv->events, rc < 0 ? -1 : remoteID, eventID, dom,
                                       cb, opaque, freecb);
}

static int
remoteConnectDomainEventDeregisterAny(virConnectPtr conn, int callbackID)
{
    remoteDriverPrivate *priv = conn->privateData;
    remote_connect_domain_event_callback_deregister_any_args args;
    remoteEventCallback *release;
    virErrorPtr saved;
    int ret;

    /* Locally first: from here on the callback is not called, whatever
     * the server says. */
    if (remoteEventStateRemove(priv->events, callbackID, &args.callbackID, &release) < 0)
        return -1;
    ret = remoteCall(conn, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                     (xdrproc_t)xdr_remote_connect_domain_event_callback_deregister_any_args,
                     &args, REMOTE_VOID);
    /* Last: this may drop the connection's final reference. */
    virErrorPreserveLast(&saved);
    remoteEventCallbackRelease(conn, release);
    virErrorRestore(&saved);
    return ret;
}

/* ---- statistics -------------------------------------------------------------------- */

/* Copy the typed parameters of one statistics record. */
static int
remoteDeserializeTypedParams(const remote_typed_param *vals, unsigned int nvals,
                             virTypedParameterPtr *params, int *nparams)
{
    virTypedParameterPtr list;
    unsigned int i;

    VIR_ALLOC_N(list, nvals);
    for (i = 0; i < nvals; i++) {
        virTypedParameterPtr p = &list[i];
        const remote_typed_param_value *v = &vals[i].value;

        if (virStrcpy(p->field, vals[i].field, sizeof(p->field)) < 0) {
            virReportError(VIR_ERR_RPC, "parameter name '%s' too long", vals[i].field);
            goto error;
        }
        switch (v->type) {
        case REMOTE_TYPED_PARAM_INT:
            p->value.i = v->remote_typed_param_value_u.i;
            break;
        case REMOTE_TYPED_PARAM_UINT:
            p->value.ui = v->remote_typed_param_value_u.ui;
            break;
        case REMOTE_TYPED_PARAM_LLONG:
            p->value.l = v->remote_typed_param_value_u.l;
            break;
        case REMOTE_TYPED_PARAM_ULLONG:
            p->value.ul = v->remote_typed_param_value_u.ul;
            break;
        case REMOTE_TYPED_PARAM_DOUBLE:
            p->value.d = v->remote_typed_param_value_u.d;
            break;
        case REMOTE_TYPED_PARAM_BOOLEAN:
            p->value.b = v->remote_typed_param_value_u.b != 0;
            break;
        case REMOTE_TYPED_PARAM_STRING:
            p->value.s = virStrdup(v->remote_typed_param_value_u.s);
            break;
        default:
            virReportError(VIR_ERR_RPC, "unknown parameter type %d for '%s'",
                           v->type, vals[i].field);
            goto error;
        }
        p->type = v->type;
    }
    *params = list;
    *nparams = nvals;
    return 0;

 error:
    virTypedParamsFree(list, i);
    return -1;
}

static int
remoteConnectGetAllDomainStats(virConnectPtr conn, virDomainPtr *doms, unsigned int ndoms,
                               unsigned int stats, virDomainStatsRecordPtr **retStats,
                               unsigned int flags)
{
    remote_connect_get_all_domain_stats_args args = { .stats = stats, .flags = flags };
    remote_connect_get_all_domain_stats_ret ret = { { 0 } };
    VIR_AUTOFREE(remote_nonnull_domain *) rdoms = NULL;
    virDomainStatsRecordPtr *list = NULL;
    int rv = -1;
    size_t i;

    if (ndoms > REMOTE_DOMAIN_LIST_MAX) {
        virReportError(VIR_ERR_RPC, "too many domains for statistics: %u > %d",
                       ndoms, REMOTE_DOMAIN_LIST_MAX);
        return -1;
    }
    if (ndoms) {
        VIR_ALLOC_N(rdoms, ndoms);
        for (i = 0; i < ndoms; i++)
            remoteMakeDomain(&rdoms[i], doms[i]);
        args.doms.doms_len = ndoms;
        args.doms.doms_val = rdoms;
    }
    if (remoteCall(conn, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS,
                   (xdrproc_t)xdr_remote_connect_get_all_domain_stats_args, &args,
                   (xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, &ret) < 0)
        return -1;

    VIR_ALLOC_N(list, ret.retStats.retStats_len + 1);
    for (i = 0; i < ret.retStats.retStats_len; i++) {
        const remote_domain_stats_record *rec = &ret.retStats.retStats_val[i];
        virDomainStatsRecordPtr elem;

        VIR_ALLOC(elem);
        list[i] = elem;
        elem->dom = remoteGetDomain(conn, &rec->dom);
        if (remoteDeserializeTypedParams(rec->params.params_val, rec->params.params_len,
                                         &elem->params, &elem->nparams) < 0)
            goto cleanup;
    }
    *retStats = list;
    list = NULL;
    rv = ret.retStats.retStats_len;

 cleanup:
    if (list)
        virDomainStatsRecordListFree(list);
    xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)&ret);
    return rv;
}

/* ---- registration ------------------------------------------------------------------- */

static const virHypervisorDriver remoteHypervisorDriver = {
    .name = "remote",
    .connectOpen = remoteConnectOpen,
    .connectClose = remoteConnectClose,
    .connectGetType = remoteConnectGetType,
    .connectGetVersion = remoteConnectGetVersion,
    .connectGetLibVersion = remoteConnectGetLibVersion,
    .connectGetHostname = remoteConnectGetHostname,
    .connectGetCapabilities = remoteConnectGetCapabilities,
    .connectGetMaxVcpus = remoteConnectGetMaxVcpus,
    .nodeGetInfo = remoteNodeGetInfo,
    .connectListAllDomains = remoteConnectListAllDomains,
    .connectNumOfDomains = remoteConnectNumOfDomains,
    .connectListDomains = remoteConnectListDomains,
    .connectNumOfDefinedDomains = remoteConnectNumOfDefinedDomains,
    .connectListDefinedDomains = remoteConnectListDefinedDomains,
    .domainLookupByID = remoteDomainLookupByID,
    .domainLookupByName = remoteDomainLookupByName,
    .domainLookupByUUID = remoteDomainLookupByUUID,
    .domainGetInfo = remoteDomainGetInfo,
    .domainGetState = remoteDomainGetState,
    .domainGetXMLDesc = remoteDomainGetXMLDesc,
    .domainGetOSType = remoteDomainGetOSType,
    .domainGetMaxMemory = remoteDomainGetMaxMemory,
    .domainGetAutostart = remoteDomainGetAutostart,
    .domainSetAutostart = remoteDomainSetAutostart,
    .domainIsActive = remoteDomainIsActive,
    .domainIsPersistent = remoteDomainIsPersistent,
    .domainCreate = remoteDomainCreate,
    .domainSuspend = remoteDomainSuspend,
    .domainResume = remoteDomainResume,
    .domainShutdown = remoteDomainShutdown,
    .domainReboot = remoteDomainReboot,
    .domainDestroy = remoteDomainDestroy,
    .domainDefineXML = remoteDomainDefineXML,
    .domainUndefine = remoteDomainUndefine,
    .domainCreateWithFlags = remoteDomainCreateWithFlags,
    .domainDefineXMLFlags = remoteDomainDefineXMLFlags,
    .domainUndefineFlags = remoteDomainUndefineFlags,
    .domainDestroyFlags = remoteDomainDestroyFlags,
    .domainShutdownFlags = remoteDomainShutdownFlags,
    .domainHasManagedSaveImage = remoteDomainHasManagedSaveImage,
    .domainSnapshotNum = remoteDomainSnapshotNum,
    .domainGetMessages = remoteDomainGetMessages,
    .connectIsSecure = remoteConnectIsSecure,
    .connectIsEncrypted = remoteConnectIsEncrypted,
    .nodeGetSecurityModel = remoteNodeGetSecurityModel,
    .connectDomainEventRegisterAny = remoteConnectDomainEventRegisterAny,
    .connectDomainEventDeregisterAny = remoteConnectDomainEventDeregisterAny,
    .connectGetAllDomainStats = remoteConnectGetAllDomainStats,
};

int
remoteRegister(void)
{
    return virRegisterHypervisorDriver(&remoteHypervisorDriver);
}
