/*
 * virnetsasl.c: SASL authentication (cyrus-sasl) and the SASL security
 * layer for the RPC transport.
 */
#include <config.h>

#include <pthread.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <sasl/sasl.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetsasl.h"
#include "virstring.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netsasl");

struct _virNetSASLContext {
    int refs;
    bool server;
    char **allowedUsers;            /* NULL: everybody */
};

struct _virNetSASLSession {
    int refs;
    virMutex lock;
    sasl_conn_t *conn;
    bool server;
    char *lastDetail;               /* server: why the last step failed */
    char *mech;                     /* the mechanism started */

    /* client credentials, asked for on demand and kept until the end */
    virNetSASLCredFunc cred;
    void *credOpaque;
    char *authname;
    sasl_secret_t *secret;
    sasl_callback_t callbacks[4];
};

/* ---- the library, once per process ------------------------------------ */

/* cyrus-sasl's own locks are no-ops unless the application supplies them;
 * sessions run in several threads, so give it real ones. */
static void *
virNetSASLMutexAlloc(void)
{
    pthread_mutex_t *m = malloc(sizeof(*m));

    if (m)
        pthread_mutex_init(m, NULL);
    return m;
}

static int
virNetSASLMutexLock(void *m)
{
    return pthread_mutex_lock(m) == 0 ? SASL_OK : SASL_FAIL;
}

static int
virNetSASLMutexUnlock(void *m)
{
    return pthread_mutex_unlock(m) == 0 ? SASL_OK : SASL_FAIL;
}

static void
virNetSASLMutexFree(void *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(m);
    free(m);
}

/* The library's own messages, at debug level: its failures are reported
 * by us with the client address, its chatter is for debugging only. */
static int
virNetSASLLog(void *context, int level, const char *message)
{
    if (level <= SASL_LOG_ERR)
        VIR_WARN("SASL: %s", NULLSTR(message));
    else
        VIR_DEBUG("SASL (%d): %s", level, NULLSTR(message));
    return SASL_OK;
}

static char *virNetSASLConfDir;

#define VIR_NET_SASL_PROC(func) ((int (*)(void))(void (*)(void))(func))

static pthread_mutex_t virNetSASLInitLock = PTHREAD_MUTEX_INITIALIZER;
static bool virNetSASLMutexSet;
static int virNetSASLServerInitRC = -1;     /* -1: not tried; else the sasl result */
static int virNetSASLClientInitRC = -1;

/* virNetSASLInitLock held. */
static void
virNetSASLSetMutexesLocked(void)
{
    if (virNetSASLMutexSet)
        return;
    sasl_set_mutex(virNetSASLMutexAlloc, virNetSASLMutexLock,
                   virNetSASLMutexUnlock, virNetSASLMutexFree);
    virNetSASLMutexSet = true;
}

static int
virNetSASLServerInit(const char *confDir)
{
    static sasl_callback_t callbacks[2];
    size_t n = 0;
    int rc;

    pthread_mutex_lock(&virNetSASLInitLock);
    if (virNetSASLServerInitRC < 0) {
        virNetSASLSetMutexesLocked();
        callbacks[n].id = SASL_CB_LOG;
        callbacks[n].proc = VIR_NET_SASL_PROC(virNetSASLLog);
        n++;
        if (confDir) {
            /* Through the variable the library reads anyway: its
             * SASL_CB_GETCONFPATH callback leaks the string it is given.
             * Start-up runs before any other thread. */
            virNetSASLConfDir = virStrdup(confDir);
            setenv("SASL_CONF_PATH", confDir, 1);
        }
        callbacks[n].id = SASL_CB_LIST_END;
        virNetSASLServerInitRC = sasl_server_init(callbacks, VIR_NET_SASL_SERVICE);
    } else if (confDir && !STREQ_NULLABLE(confDir, virNetSASLConfDir)) {
        VIR_WARN("SASL configuration directory '%s' ignored: the library already "
                 "reads '%s'", confDir, NULLSTR(virNetSASLConfDir));
    }
    rc = virNetSASLServerInitRC;
    pthread_mutex_unlock(&virNetSASLInitLock);

    if (rc != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED, "failed to initialize SASL library: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        return -1;
    }
    return 0;
}

static int
virNetSASLClientInit(void)
{
    int rc;

    pthread_mutex_lock(&virNetSASLInitLock);
    if (virNetSASLClientInitRC < 0) {
        virNetSASLSetMutexesLocked();
        virNetSASLClientInitRC = sasl_client_init(NULL);
    }
    rc = virNetSASLClientInitRC;
    pthread_mutex_unlock(&virNetSASLInitLock);

    if (rc != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED, "failed to initialize SASL library: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        return -1;
    }
    return 0;
}

/* ---- contexts ------------------------------------------------------------ */

virNetSASLContext *
virNetSASLContextNewServer(const char *confDir, const char *const *allowedUsers)
{
    virNetSASLContext *ctx;
    size_t i;

    if (virNetSASLServerInit(confDir) < 0)
        return NULL;
    VIR_ALLOC(ctx);
    ctx->refs = 1;
    ctx->server = true;
    if (allowedUsers) {
        size_t n = virStringListLength((char *const *)allowedUsers);

        VIR_ALLOC_N(ctx->allowedUsers, n + 1);
        for (i = 0; i < n; i++)
            ctx->allowedUsers[i] = virStrdup(allowedUsers[i]);
    }
    return ctx;
}

virNetSASLContext *
virNetSASLContextNewClient(void)
{
    virNetSASLContext *ctx;

    if (virNetSASLClientInit() < 0)
        return NULL;
    VIR_ALLOC(ctx);
    ctx->refs = 1;
    return ctx;
}

virNetSASLContext *
virNetSASLContextRef(virNetSASLContext *ctx)
{
    __atomic_add_fetch(&ctx->refs, 1, __ATOMIC_SEQ_CST);
    return ctx;
}

void
virNetSASLContextFree(virNetSASLContext *ctx)
{
    if (!ctx || __atomic_sub_fetch(&ctx->refs, 1, __ATOMIC_SEQ_CST) > 0)
        return;
    virStringListFree(ctx->allowedUsers);
    free(ctx);
}

bool
virNetSASLContextCheckIdentity(virNetSASLContext *ctx, const char *user)
{
    size_t i;

    /* The list is immutable after creation: no lock needed. */
    if (!ctx->allowedUsers)
        return true;
    for (i = 0; user && ctx->allowedUsers[i]; i++) {
        if (fnmatch(ctx->allowedUsers[i], user, 0) == 0)
            return true;
    }
    VIR_WARN("SASL user '%s' is not on sasl_allowed_username_list", NULLSTR(user));
    return false;
}

/* ---- sessions ------------------------------------------------------------ */

static virNetSASLSession *
virNetSASLSessionAlloc(bool server)
{
    virNetSASLSession *sess;

    VIR_ALLOC(sess);
    sess->refs = 1;
    sess->server = server;
    virMutexInit(&sess->lock);
    return sess;
}

virNetSASLSession *
virNetSASLSessionNewServer(virNetSASLContext *ctx, const char *service,
                           const char *localAddr, const char *remoteAddr)
{
    virNetSASLSession *sess;
    int rc;

    if (!ctx->server) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "not a SASL server context");
        return NULL;
    }
    sess = virNetSASLSessionAlloc(true);
    /* The server's host name (NULL) is the default DIGEST-MD5 realm, which
     * is also where saslpasswd2 puts users by default. */
    rc = sasl_server_new(service, NULL, NULL, localAddr, remoteAddr, NULL,
                         SASL_SUCCESS_DATA, &sess->conn);
    if (rc != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED, "Failed to create SASL server context: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        sess->conn = NULL;
        virNetSASLSessionFree(sess);
        return NULL;
    }
    return sess;
}

/* Ask the session's caller for @type once, keeping the answer. */
static const char *
virNetSASLSessionGetCred(virNetSASLSession *sess, virNetSASLCredType type, char **slot)
{
    if (*slot)
        return *slot;
    if (!sess->cred || sess->cred(type, slot, sess->credOpaque) < 0 || !*slot) {
        VIR_DEBUG("no credential of type %d", type);
        return NULL;
    }
    return *slot;
}

static int
virNetSASLSimpleCallback(void *context, int id, const char **result, unsigned *len)
{
    virNetSASLSession *sess = context;
    const char *value = NULL;

    switch (id) {
    case SASL_CB_AUTHNAME:
        value = virNetSASLSessionGetCred(sess, VIR_NET_SASL_CRED_AUTHNAME, &sess->authname);
        break;
    case SASL_CB_USER:
        /* Nobody to act for but ourselves: the authorization id is the
         * authentication id, which every server accepts. */
        value = virNetSASLSessionGetCred(sess, VIR_NET_SASL_CRED_AUTHNAME, &sess->authname);
        break;
    default:
        return SASL_BADPARAM;
    }
    if (!value)
        return SASL_FAIL;
    *result = value;
    if (len)
        *len = strlen(value);
    return SASL_OK;
}

static int
virNetSASLSecretCallback(sasl_conn_t *conn, void *context, int id, sasl_secret_t **psecret)
{
    virNetSASLSession *sess = context;
    VIR_AUTOFREE(char *) pass = NULL;
    size_t len;

    if (id != SASL_CB_PASS)
        return SASL_BADPARAM;
    if (!sess->secret) {
        if (!sess->cred ||
            sess->cred(VIR_NET_SASL_CRED_PASSPHRASE, &pass, sess->credOpaque) < 0 || !pass)
            return SASL_FAIL;
        len = strlen(pass);
        sess->secret = virAllocN(1, sizeof(sasl_secret_t) + len + 1);
        sess->secret->len = len;
        memcpy(sess->secret->data, pass, len);
        memset(pass, 0, len);
    }
    *psecret = sess->secret;
    return SASL_OK;
}

virNetSASLSession *
virNetSASLSessionNewClient(virNetSASLContext *ctx, const char *service,
                           const char *hostname, const char *localAddr,
                           const char *remoteAddr,
                           virNetSASLCredFunc cred, void *credOpaque)
{
    virNetSASLSession *sess;
    int rc;

    if (ctx->server) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "not a SASL client context");
        return NULL;
    }
    sess = virNetSASLSessionAlloc(false);
    sess->cred = cred;
    sess->credOpaque = credOpaque;
    sess->callbacks[0].id = SASL_CB_AUTHNAME;
    sess->callbacks[0].proc = VIR_NET_SASL_PROC(virNetSASLSimpleCallback);
    sess->callbacks[0].context = sess;
    sess->callbacks[1].id = SASL_CB_USER;
    sess->callbacks[1].proc = VIR_NET_SASL_PROC(virNetSASLSimpleCallback);
    sess->callbacks[1].context = sess;
    sess->callbacks[2].id = SASL_CB_PASS;
    sess->callbacks[2].proc = VIR_NET_SASL_PROC(virNetSASLSecretCallback);
    sess->callbacks[2].context = sess;
    sess->callbacks[3].id = SASL_CB_LIST_END;

    rc = sasl_client_new(service, hostname, localAddr, remoteAddr, sess->callbacks,
                         SASL_SUCCESS_DATA, &sess->conn);
    if (rc != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED, "Failed to create SASL client context: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        sess->conn = NULL;
        virNetSASLSessionFree(sess);
        return NULL;
    }
    return sess;
}

virNetSASLSession *
virNetSASLSessionRef(virNetSASLSession *sess)
{
    __atomic_add_fetch(&sess->refs, 1, __ATOMIC_SEQ_CST);
    return sess;
}

void
virNetSASLSessionFree(virNetSASLSession *sess)
{
    if (!sess || __atomic_sub_fetch(&sess->refs, 1, __ATOMIC_SEQ_CST) > 0)
        return;
    if (sess->conn)
        sasl_dispose(&sess->conn);
    if (sess->secret) {
        memset(sess->secret->data, 0, sess->secret->len);
        free(sess->secret);
    }
    free(sess->authname);
    free(sess->lastDetail);
    free(sess->mech);
    virMutexDestroy(&sess->lock);
    free(sess);
}

int
virNetSASLSessionSetExternalSSF(virNetSASLSession *sess, int ssf)
{
    sasl_ssf_t val = ssf > 0 ? ssf : 0;
    int rc;

    virMutexLock(&sess->lock);
    rc = sasl_setprop(sess->conn, SASL_SSF_EXTERNAL, &val);
    virMutexUnlock(&sess->lock);
    if (rc != SASL_OK) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot set external SSF %d: %d (%s)",
                       ssf, rc, sasl_errstring(rc, NULL, NULL));
        return -1;
    }
    return 0;
}

int
virNetSASLSessionSetSecProps(virNetSASLSession *sess, int minSSF, int maxSSF,
                             bool allowPlaintext)
{
    sasl_security_properties_t props;
    int rc;

    memset(&props, 0, sizeof(props));
    props.min_ssf = minSSF;
    props.max_ssf = maxSSF;
    props.maxbufsize = VIR_NET_SASL_MAX_BUFSIZE;
    props.security_flags = SASL_SEC_NOANONYMOUS | (allowPlaintext ? 0 : SASL_SEC_NOPLAINTEXT);
    virMutexLock(&sess->lock);
    rc = sasl_setprop(sess->conn, SASL_SEC_PROPS, &props);
    virMutexUnlock(&sess->lock);
    if (rc != SASL_OK) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "cannot set SASL security properties: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        return -1;
    }
    return 0;
}

char *
virNetSASLSessionListMechanisms(virNetSASLSession *sess)
{
    const char *list = NULL;
    char *ret = NULL;
    int rc;

    virMutexLock(&sess->lock);
    rc = sasl_listmech(sess->conn, NULL, "", ",", "", &list, NULL, NULL);
    if (rc == SASL_OK && list && *list)
        ret = virStrdup(list);
    virMutexUnlock(&sess->lock);
    if (!ret) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "no SASL mechanism available for this connection: %d (%s)",
                       rc, rc == SASL_OK ? "empty list" : sasl_errstring(rc, NULL, NULL));
        return NULL;
    }
    return ret;
}

/* Lock held: turn a cyrus result into ours. */
static int
virNetSASLSessionResultLocked(virNetSASLSession *sess, int rc, const char *what,
                              const char **out, unsigned outlen, size_t *retlen)
{
    switch (rc) {
    case SASL_OK:
    case SASL_CONTINUE:
        *retlen = *out ? outlen : 0;
        return rc == SASL_OK ? VIR_NET_SASL_COMPLETE : VIR_NET_SASL_CONTINUE;
    default:
        *out = NULL;
        *retlen = 0;
        free(sess->lastDetail);
        sess->lastDetail = virPrintf("%d (%s)", rc, NULLSTR(sasl_errdetail(sess->conn)));
        if (sess->server)
            /* Never tell a client why: which user exists, which password
             * was wrong. The daemon logs the detail. */
            virReportError(VIR_ERR_AUTH_FAILED, "%s", "authentication failed");
        else
            virReportError(VIR_ERR_AUTH_FAILED, "Failed to %s SASL negotiation: %s",
                           what, sess->lastDetail);
        return -1;
    }
}

int
virNetSASLSessionServerStart(virNetSASLSession *sess, const char *mech,
                             const char *in, size_t inlen,
                             const char **out, size_t *outlen)
{
    unsigned olen = 0;
    int rc;

    *out = NULL;
    virMutexLock(&sess->lock);
    free(sess->mech);
    sess->mech = virStrdup(mech);
    rc = sasl_server_start(sess->conn, mech, in, inlen, out, &olen);
    rc = virNetSASLSessionResultLocked(sess, rc, "start", out, olen, outlen);
    virMutexUnlock(&sess->lock);
    return rc;
}

int
virNetSASLSessionServerStep(virNetSASLSession *sess, const char *in, size_t inlen,
                            const char **out, size_t *outlen)
{
    unsigned olen = 0;
    int rc;

    *out = NULL;
    virMutexLock(&sess->lock);
    rc = sasl_server_step(sess->conn, in, inlen, out, &olen);
    rc = virNetSASLSessionResultLocked(sess, rc, "step", out, olen, outlen);
    virMutexUnlock(&sess->lock);
    return rc;
}

const char *
virNetSASLSessionGetLastDetail(virNetSASLSession *sess)
{
    const char *ret;

    virMutexLock(&sess->lock);
    ret = sess->lastDetail;
    virMutexUnlock(&sess->lock);
    return NULLSTR(ret);
}

const char *
virNetSASLSessionGetMechanism(virNetSASLSession *sess)
{
    const char *ret;

    /* Set once per negotiation, by the thread running it. */
    virMutexLock(&sess->lock);
    ret = sess->mech;
    virMutexUnlock(&sess->lock);
    return ret;
}

int
virNetSASLSessionClientStart(virNetSASLSession *sess, const char *mechlist,
                             const char **out, size_t *outlen, const char **mech)
{
    sasl_interact_t *interact = NULL;
    unsigned olen = 0;
    int rc;

    *out = NULL;
    *mech = NULL;
    virMutexLock(&sess->lock);
    rc = sasl_client_start(sess->conn, mechlist, &interact, out, &olen, mech);
    if (*mech) {
        free(sess->mech);
        sess->mech = virStrdup(*mech);
    }
    /* Every prompt has a callback: an interaction request means a
     * mechanism wants something we cannot give. */
    if (rc == SASL_INTERACT)
        rc = SASL_BADPARAM;
    rc = virNetSASLSessionResultLocked(sess, rc, "start", out, olen, outlen);
    virMutexUnlock(&sess->lock);
    return rc;
}

int
virNetSASLSessionClientStep(virNetSASLSession *sess, const char *in, size_t inlen,
                            const char **out, size_t *outlen)
{
    sasl_interact_t *interact = NULL;
    unsigned olen = 0;
    int rc;

    *out = NULL;
    virMutexLock(&sess->lock);
    rc = sasl_client_step(sess->conn, in, inlen, &interact, out, &olen);
    if (rc == SASL_INTERACT)
        rc = SASL_BADPARAM;
    rc = virNetSASLSessionResultLocked(sess, rc, "step", out, olen, outlen);
    virMutexUnlock(&sess->lock);
    return rc;
}

int
virNetSASLSessionGetKeySize(virNetSASLSession *sess)
{
    const void *val = NULL;
    int rc;
    int ssf = -1;

    virMutexLock(&sess->lock);
    rc = sasl_getprop(sess->conn, SASL_SSF, &val);
    if (rc == SASL_OK && val)
        ssf = *(const sasl_ssf_t *)val;
    virMutexUnlock(&sess->lock);
    if (ssf < 0)
        virReportError(VIR_ERR_AUTH_FAILED, "cannot query SASL ssf on connection %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
    return ssf;
}

const char *
virNetSASLSessionGetIdentity(virNetSASLSession *sess)
{
    const void *val = NULL;
    int rc;

    virMutexLock(&sess->lock);
    rc = sasl_getprop(sess->conn, SASL_USERNAME, &val);
    virMutexUnlock(&sess->lock);
    if (rc != SASL_OK || !val || !*(const char *)val) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s", "no SASL user name after authentication");
        return NULL;
    }
    return val;
}

size_t
virNetSASLSessionGetMaxBufSize(virNetSASLSession *sess)
{
    const void *val = NULL;
    size_t ret = 0;

    virMutexLock(&sess->lock);
    if (sasl_getprop(sess->conn, SASL_MAXOUTBUF, &val) == SASL_OK && val)
        ret = *(const unsigned *)val;
    virMutexUnlock(&sess->lock);
    /* A layer that announces nothing still takes a small chunk. */
    return ret ? ret : 4096;
}

/* ---- the security layer ---------------------------------------------- */

static int
virNetSASLLayerEncode(void *opaque, const char *in, size_t inlen,
                      const char **out, size_t *outlen)
{
    virNetSASLSession *sess = opaque;
    unsigned olen = 0;
    int rc;

    virMutexLock(&sess->lock);
    rc = sasl_encode(sess->conn, in, inlen, out, &olen);
    virMutexUnlock(&sess->lock);
    if (rc != SASL_OK) {
        virReportError(VIR_ERR_AUTH_FAILED, "failed to encode SASL data: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        return -1;
    }
    *outlen = olen;
    return 0;
}

static int
virNetSASLLayerDecode(void *opaque, const char *in, size_t inlen,
                      const char **out, size_t *outlen)
{
    virNetSASLSession *sess = opaque;
    unsigned olen = 0;
    int rc;

    virMutexLock(&sess->lock);
    rc = sasl_decode(sess->conn, in, inlen, out, &olen);
    virMutexUnlock(&sess->lock);
    if (rc != SASL_OK) {
        /* Tampered or garbage data: the connection cannot go on. */
        virReportError(VIR_ERR_AUTH_FAILED, "failed to decode SASL data: %d (%s)",
                       rc, sasl_errstring(rc, NULL, NULL));
        return -1;
    }
    *outlen = *out ? olen : 0;
    return 0;
}

static void
virNetSASLLayerFree(void *opaque)
{
    virNetSASLSessionFree(opaque);
}

const virNetSocketLayer virNetSASLSocketLayer = {
    .encode = virNetSASLLayerEncode,
    .decode = virNetSASLLayerDecode,
    .free = virNetSASLLayerFree,
};
