/*
 * remote_auth.c: authentication procedures.
 *
 * AUTH_LIST tells a client the scheme of its service: [NONE] or [SASL].
 * SASL (libvirt's sequence, on the wire as stock clients expect it):
 *
 *   AUTH_SASL_INIT            -> the mechanisms this connection may use
 *   AUTH_SASL_START{mech,..}  -> {complete, data}
 *   AUTH_SASL_STEP{data}...   -> {complete, data}   until complete = 1
 *
 * What a connection may use depends on its transport:
 *   TCP   a security layer of at least tcp_min_ssf (56) bits, which then
 *         wraps every byte after the completing reply (only mechanisms
 *         with a layer qualify: DIGEST-MD5, GSSAPI);
 *   TLS   no layer of its own (TLS encrypts); the TLS key size counts as
 *         external strength; PLAIN is allowed only here;
 *   UNIX  no layer (the kernel carries the bytes), no PLAIN.
 * Anonymous mechanisms never. Once the mechanism succeeds the user must
 * match sasl_allowed_username_list; the user name (with its realm, where
 * the mechanism gives one) then joins the client's identity, next to the
 * DN of a TLS client, and access policies can match either or both.
 *
 * A failure tells the client only "authentication failed" (code 45); the
 * log gets the client address and the library's reason, never a
 * password. Failed logins are counted per client address: auth_fail_max
 * within auth_fail_window seconds, and that address is refused until the
 * window has passed since the failure that reached the limit.
 */
#include <config.h>

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "remote_auth.h"
#include "remote_dispatch.h"
#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "virlog.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.auth");

/* Addresses remembered at most: a flood from many addresses must not
 * grow the daemon; past this the oldest records go first. */
#define REMOTE_AUTH_FAIL_RECORDS_MAX 4096

typedef struct {
    char *key;
    unsigned long long windowStart;     /* s: first failure counted */
    unsigned int failures;
    unsigned long long blockedUntil;    /* s; 0: not blocked */
} remoteAuthFailRecord;

static virMutex remoteAuthLock = { PTHREAD_MUTEX_INITIALIZER };
static virNetSASLContext *remoteAuthSASLContext;
static remoteAuthConfig remoteAuthCfg;
/* Allocated whole on first use: appending one at a time reallocated (and
 * copied) the array on every new address of a flood. */
static remoteAuthFailRecord *remoteAuthFails;
static size_t remoteAuthNFails;
/* When records were last pruned (s): at most once a second, not on every
 * failure, so a flood costs one scan per failure rather than two. */
static unsigned long long remoteAuthLastPrune;

void
remoteAuthSetup(virNetSASLContext *ctx, const remoteAuthConfig *cfg)
{
    virNetSASLContext *old;

    virMutexLock(&remoteAuthLock);
    old = remoteAuthSASLContext;
    remoteAuthSASLContext = ctx ? virNetSASLContextRef(ctx) : NULL;
    remoteAuthCfg = *cfg;
    if (remoteAuthCfg.failWindow == 0)
        remoteAuthCfg.failWindow = 1;
    virMutexUnlock(&remoteAuthLock);
    virNetSASLContextFree(old);
}

void
remoteAuthCleanup(void)
{
    virNetSASLContext *old;
    size_t i;

    virMutexLock(&remoteAuthLock);
    old = remoteAuthSASLContext;
    remoteAuthSASLContext = NULL;
    for (i = 0; i < remoteAuthNFails; i++)
        free(remoteAuthFails[i].key);
    VIR_FREE(remoteAuthFails);
    remoteAuthNFails = 0;
    remoteAuthLastPrune = 0;
    virMutexUnlock(&remoteAuthLock);
    virNetSASLContextFree(old);
}

static virNetSASLContext *
remoteAuthGetContext(remoteAuthConfig *cfg)
{
    virNetSASLContext *ctx = NULL;

    virMutexLock(&remoteAuthLock);
    if (remoteAuthSASLContext)
        ctx = virNetSASLContextRef(remoteAuthSASLContext);
    *cfg = remoteAuthCfg;
    virMutexUnlock(&remoteAuthLock);
    return ctx;
}

/* ---- the failed-login throttle ------------------------------------------- */

static unsigned long long
remoteAuthNow(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Lock held: drop records that say nothing any more. */
static void
remoteAuthPruneLocked(unsigned long long now)
{
    size_t i = 0;

    if (remoteAuthNFails > 0 && now == remoteAuthLastPrune)
        return;
    remoteAuthLastPrune = now;
    while (i < remoteAuthNFails) {
        remoteAuthFailRecord *r = &remoteAuthFails[i];

        if (r->blockedUntil <= now &&
            now - r->windowStart >= remoteAuthCfg.failWindow) {
            free(r->key);
            remoteAuthFails[i] = remoteAuthFails[--remoteAuthNFails];
            continue;
        }
        i++;
    }
}

/* Lock held. */
static remoteAuthFailRecord *
remoteAuthFindLocked(const char *key)
{
    size_t i;

    for (i = 0; i < remoteAuthNFails; i++) {
        if (STREQ(remoteAuthFails[i].key, key))
            return &remoteAuthFails[i];
    }
    return NULL;
}

bool
remoteAuthRecordFailure(const char *key, unsigned long long nowSec)
{
    remoteAuthFailRecord *r;
    bool blocked = false;

    virMutexLock(&remoteAuthLock);
    if (remoteAuthCfg.failMax == 0)
        goto cleanup;
    remoteAuthPruneLocked(nowSec);
    if (!(r = remoteAuthFindLocked(key))) {
        remoteAuthFailRecord rec = { .key = virStrdup(key), .windowStart = nowSec };

        if (remoteAuthNFails >= REMOTE_AUTH_FAIL_RECORDS_MAX) {
            size_t oldest = 0;
            size_t i;

            for (i = 1; i < remoteAuthNFails; i++) {
                if (remoteAuthFails[i].windowStart < remoteAuthFails[oldest].windowStart)
                    oldest = i;
            }
            free(remoteAuthFails[oldest].key);
            remoteAuthFails[oldest] = remoteAuthFails[--remoteAuthNFails];
        }
        if (!remoteAuthFails)
            VIR_ALLOC_N(remoteAuthFails, REMOTE_AUTH_FAIL_RECORDS_MAX);
        remoteAuthFails[remoteAuthNFails++] = rec;
        r = &remoteAuthFails[remoteAuthNFails - 1];
    }
    if (nowSec - r->windowStart >= remoteAuthCfg.failWindow) {
        r->windowStart = nowSec;
        r->failures = 0;
    }
    r->failures++;
    if (r->failures >= remoteAuthCfg.failMax) {
        r->blockedUntil = nowSec + remoteAuthCfg.failWindow;
        VIR_WARN("%u failed logins from %s within %u seconds: refusing authentication "
                 "from it for %u seconds (auth_fail_max, auth_fail_window)",
                 r->failures, key, remoteAuthCfg.failWindow, remoteAuthCfg.failWindow);
        /* Counted afresh once the block ends. */
        r->windowStart = r->blockedUntil;
        r->failures = 0;
        blocked = true;
    }

 cleanup:
    virMutexUnlock(&remoteAuthLock);
    return blocked;
}

bool
remoteAuthIsThrottled(const char *key, unsigned long long nowSec,
                      unsigned long long *remaining)
{
    remoteAuthFailRecord *r;
    bool ret = false;

    virMutexLock(&remoteAuthLock);
    if ((r = remoteAuthFindLocked(key)) && r->blockedUntil > nowSec) {
        *remaining = r->blockedUntil - nowSec;
        ret = true;
    }
    virMutexUnlock(&remoteAuthLock);
    return ret;
}

/* What failures of @client are counted by: its address without the port,
 * or its UNIX user. Caller frees. */
static char *
remoteAuthClientKey(virNetServerClient *client)
{
    const char *addr = virNetServerClientRemoteAddr(client);
    virIdentity *id;

    if (addr) {
        const char *semi = strrchr(addr, ';');

        return semi ? virStrndup(addr, semi - addr) : virStrdup(addr);
    }
    id = virNetServerClientGetIdentity(client);
    return virPrintf("local uid %lld", id ? virIdentityGetUNIXUserID(id) : -1LL);
}

/* For log lines: "IP;PORT", or what a UNIX client is. */
static const char *
remoteAuthClientName(virNetServerClient *client)
{
    const char *addr = virNetServerClientRemoteAddr(client);

    return addr ? addr : "on the UNIX socket";
}

/* ---- AUTH_LIST ------------------------------------------------------------ */

int
remoteDispatchAuthList(virNetServer *srv, virNetServerClient *client,
                       const virNetMessageHeader *hdr,
                       remote_void *args, remote_auth_list_ret *ret)
{
    remote_auth_type type;

    switch (virNetServerClientGetAuth(client)) {
    case VIR_NET_SERVER_AUTH_NONE:
        type = REMOTE_AUTH_NONE;
        break;
    case VIR_NET_SERVER_AUTH_SASL:
        type = REMOTE_AUTH_SASL;
        break;
    default:
        /* Never tell a client "none" for a scheme we do not know. */
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "unknown authentication scheme");
        return -1;
    }
    ret->types.types_len = 1;
    ret->types.types_val = virAllocN(1, sizeof(*ret->types.types_val));
    ret->types.types_val[0] = type;
    return 0;
}

/* ---- SASL ------------------------------------------------------------------ */

typedef enum {
    REMOTE_AUTH_TRANSPORT_TCP,
    REMOTE_AUTH_TRANSPORT_TLS,
    REMOTE_AUTH_TRANSPORT_UNIX,
} remoteAuthTransport;

static remoteAuthTransport
remoteAuthGetTransport(virNetServerClient *client)
{
    if (virNetServerClientGetTLSSession(client))
        return REMOTE_AUTH_TRANSPORT_TLS;
    if (!virNetServerClientRemoteAddr(client))
        return REMOTE_AUTH_TRANSPORT_UNIX;
    return REMOTE_AUTH_TRANSPORT_TCP;
}

/* A failed attempt: log why with the client's address, count it, forget
 * the negotiation (the client may start over), and leave the client the
 * generic error. Always -1. */
static int
remoteAuthFail(virNetServerClient *client, const char *mech, const char *fmt, ...)
    ATTRIBUTE_FMT_PRINTF(3, 4);

static int
remoteAuthFail(virNetServerClient *client, const char *mech, const char *fmt, ...)
{
    VIR_AUTOFREE(char *) key = remoteAuthClientKey(client);
    VIR_AUTOFREE(char *) why = NULL;
    const char *addr = virNetServerClientRemoteAddr(client);
    va_list ap;

    va_start(ap, fmt);
    why = virVPrintf(fmt, ap);
    va_end(ap);
    VIR_WARN("SASL authentication failed for client %s%s%s: %s",
             addr ? addr : key, mech ? ", mechanism " : "", mech ? mech : "", why);
    virNetServerClientSetSASLSession(client, NULL);
    remoteAuthRecordFailure(key, remoteAuthNow());
    virResetLastError();
    virReportError(VIR_ERR_AUTH_FAILED, "%s", "authentication failed");
    return -1;
}

/* A client that may not try now: throttled, or not a SASL client at all.
 * -1 with the error set, 0 if it may go on. */
static int
remoteAuthCheckAllowed(virNetServerClient *client, const char *what)
{
    VIR_AUTOFREE(char *) key = NULL;
    unsigned long long remaining = 0;

    if (virNetServerClientGetAuth(client) != VIR_NET_SERVER_AUTH_SASL ||
        virNetServerClientIsAuthenticated(client)) {
        VIR_WARN("client %s sent %s without needing SASL authentication",
                 remoteAuthClientName(client), what);
        virReportError(VIR_ERR_AUTH_FAILED, "%s", "authentication failed");
        return -1;
    }
    key = remoteAuthClientKey(client);
    if (remoteAuthIsThrottled(key, remoteAuthNow(), &remaining)) {
        VIR_WARN("refusing SASL authentication from %s for %llu more seconds: "
                 "too many failed logins", key, remaining);
        virReportError(VIR_ERR_AUTH_FAILED, "%s",
                       "too many failed authentication attempts from this address, "
                       "try again later");
        return -1;
    }
    return 0;
}

int
remoteDispatchAuthSaslInit(virNetServer *srv, virNetServerClient *client,
                           const virNetMessageHeader *hdr,
                           remote_void *args, remote_auth_sasl_init_ret *ret)
{
    remoteAuthConfig cfg;
    virNetSASLContext *ctx = NULL;
    virNetSASLSession *sess = NULL;
    virNetSASLSession *old;
    remoteAuthTransport transport = remoteAuthGetTransport(client);
    int rv = -1;

    if (remoteAuthCheckAllowed(client, "AUTH_SASL_INIT") < 0)
        return -1;
    if ((old = virNetServerClientGetSASLSession(client))) {
        virNetSASLSessionFree(old);
        return remoteAuthFail(client, NULL, "AUTH_SASL_INIT while already negotiating");
    }
    if (!(ctx = remoteAuthGetContext(&cfg))) {
        VIR_ERROR("SASL requested by client %s but not set up",
                  remoteAuthClientName(client));
        virReportError(VIR_ERR_AUTH_FAILED, "%s", "authentication failed");
        return -1;
    }

    if (!(sess = virNetSASLSessionNewServer(ctx, VIR_NET_SASL_SERVICE,
                                            virNetServerClientLocalAddr(client),
                                            virNetServerClientRemoteAddr(client))))
        goto cleanup;

    switch (transport) {
    case REMOTE_AUTH_TRANSPORT_TLS: {
        int bits = virNetTLSSessionGetKeySize(virNetServerClientGetTLSSession(client));

        if (bits <= 0 ||
            virNetSASLSessionSetExternalSSF(sess, bits) < 0 ||
            virNetSASLSessionSetSecProps(sess, 0, 0, true) < 0)
            goto cleanup;
        break;
    }
    case REMOTE_AUTH_TRANSPORT_UNIX:
        if (virNetSASLSessionSetSecProps(sess, 0, 0, false) < 0)
            goto cleanup;
        break;
    case REMOTE_AUTH_TRANSPORT_TCP:
        if (virNetSASLSessionSetSecProps(sess, cfg.tcpMinSSF, 100000, false) < 0)
            goto cleanup;
        break;
    }

    if (!(ret->mechlist = virNetSASLSessionListMechanisms(sess))) {
        VIR_WARN("no SASL mechanism for client %s: %s (check mech_list in the SASL "
                 "configuration, and that a mechanism with a security layer such as "
                 "DIGEST-MD5 is there for TCP)",
                 remoteAuthClientName(client), virGetLastErrorMessage());
        goto cleanup;
    }
    VIR_DEBUG("client %s: SASL mechanisms %s",
              remoteAuthClientName(client), ret->mechlist);
    virNetServerClientSetSASLSession(client, sess);
    rv = 0;

 cleanup:
    if (rv < 0) {
        virResetLastError();
        virReportError(VIR_ERR_AUTH_FAILED, "%s", "authentication failed");
    }
    virNetSASLSessionFree(sess);
    virNetSASLContextFree(ctx);
    return rv;
}

/* The mechanism succeeded: check the strength and the user, then the
 * client is who SASL says. 0, or -1 (counted as a failure). */
static int
remoteAuthSaslComplete(virNetServerClient *client, virNetSASLSession *sess,
                       const char *mech)
{
    remoteAuthConfig cfg;
    virNetSASLContext *ctx = remoteAuthGetContext(&cfg);
    virIdentity *cur;
    virIdentity *id;
    const char *user;
    bool allowed;
    int ssf;

    if (!ctx)
        return remoteAuthFail(client, mech, "SASL is not set up");
    if ((ssf = virNetSASLSessionGetKeySize(sess)) < 0) {
        virNetSASLContextFree(ctx);
        return remoteAuthFail(client, mech, "%s", virGetLastErrorMessage());
    }
    if (remoteAuthGetTransport(client) == REMOTE_AUTH_TRANSPORT_TCP && ssf < cfg.tcpMinSSF) {
        virNetSASLContextFree(ctx);
        return remoteAuthFail(client, mech, "negotiation SSF %d was not strong enough "
                              "(tcp_min_ssf %d)", ssf, cfg.tcpMinSSF);
    }
    if (!(user = virNetSASLSessionGetIdentity(sess))) {
        virNetSASLContextFree(ctx);
        return remoteAuthFail(client, mech, "%s", virGetLastErrorMessage());
    }
    allowed = virNetSASLContextCheckIdentity(ctx, user);
    virNetSASLContextFree(ctx);
    if (!allowed)
        return remoteAuthFail(client, mech, "user '%s' is not on sasl_allowed_username_list",
                              user);

    if (!(cur = virNetServerClientGetIdentity(client)))
        return remoteAuthFail(client, mech, "client has no identity");
    id = virIdentityCopy(cur);
    virIdentitySetSASLUserName(id, user);
    virNetServerClientSetIdentity(client, id);
    /* The rest of this call runs as the authenticated client too. */
    virIdentitySetCurrent(id);
    virIdentityUnref(id);

    /* The layer first: once authenticated, the server would otherwise
     * read on in clear. */
    if (ssf > 0)
        virNetServerClientSetSASLLayerAfterReply(client);
    else
        virNetServerClientSetSASLSession(client, NULL);
    virNetServerClientSetAuthenticated(client);
    VIR_INFO("client %s authenticated as SASL user '%s' (mechanism %s, ssf %d)",
             remoteAuthClientName(client), user, NULLSTR(mech), ssf);
    return 0;
}

/* Fill a START/STEP reply. */
static void
remoteAuthSaslReply(int rc, const char *out, size_t outlen,
                    int *complete, int *nil, u_int *len, char **val)
{
    *complete = rc == VIR_NET_SASL_COMPLETE;
    if (!out) {
        *nil = 1;
        return;
    }
    *nil = 0;
    *len = outlen;
    *val = virAllocN(1, outlen ? outlen : 1);
    memcpy(*val, out, outlen);
}

/* One START or STEP: @mech is NULL for a STEP. */
static int
remoteAuthSaslRun(virNetServerClient *client, const char *what, const char *mech,
                  int nil, const char *data, size_t datalen,
                  int *complete, int *retnil, u_int *retlen, char **retval)
{
    virNetSASLSession *sess;
    const char *out = NULL;
    size_t outlen = 0;
    int rc;

    if (remoteAuthCheckAllowed(client, what) < 0)
        return -1;
    if (!(sess = virNetServerClientGetSASLSession(client)))
        return remoteAuthFail(client, mech, "%s without AUTH_SASL_INIT", what);

    if (mech)
        rc = virNetSASLSessionServerStart(sess, mech, nil ? NULL : data, nil ? 0 : datalen,
                                          &out, &outlen);
    else
        rc = virNetSASLSessionServerStep(sess, nil ? NULL : data, nil ? 0 : datalen,
                                         &out, &outlen);
    mech = virNetSASLSessionGetMechanism(sess);
    if (rc < 0) {
        rc = remoteAuthFail(client, mech, "%s", virNetSASLSessionGetLastDetail(sess));
        goto cleanup;
    }
    if (rc == VIR_NET_SASL_COMPLETE && remoteAuthSaslComplete(client, sess, mech) < 0) {
        rc = -1;
        goto cleanup;
    }
    /* @out belongs to the session, which is still alive here. */
    remoteAuthSaslReply(rc, out, outlen, complete, retnil, retlen, retval);
    rc = 0;

 cleanup:
    virNetSASLSessionFree(sess);
    return rc;
}

/* RFC 4422: 1 to 20 of upper-case letters, digits, '-' and '_'. Anything
 * else is not worth asking the library about, nor writing to the log. */
static bool
remoteAuthMechIsValid(const char *mech)
{
    size_t len = mech ? strlen(mech) : 0;

    return len > 0 && len <= 20 &&
        strspn(mech, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == len;
}

int
remoteDispatchAuthSaslStart(virNetServer *srv, virNetServerClient *client,
                            const virNetMessageHeader *hdr,
                            remote_auth_sasl_start_args *args,
                            remote_auth_sasl_start_ret *ret)
{
    if (!remoteAuthMechIsValid(args->mech)) {
        if (remoteAuthCheckAllowed(client, "AUTH_SASL_START") < 0)
            return -1;
        return remoteAuthFail(client, NULL, "invalid mechanism name");
    }
    return remoteAuthSaslRun(client, "AUTH_SASL_START", args->mech,
                             args->nil, args->data.data_val, args->data.data_len,
                             &ret->complete, &ret->nil, &ret->data.data_len,
                             &ret->data.data_val);
}

int
remoteDispatchAuthSaslStep(virNetServer *srv, virNetServerClient *client,
                           const virNetMessageHeader *hdr,
                           remote_auth_sasl_step_args *args,
                           remote_auth_sasl_step_ret *ret)
{
    return remoteAuthSaslRun(client, "AUTH_SASL_STEP", NULL,
                             args->nil, args->data.data_val, args->data.data_len,
                             &ret->complete, &ret->nil, &ret->data.data_len,
                             &ret->data.data_val);
}
