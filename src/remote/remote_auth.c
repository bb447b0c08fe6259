/*
 * remote_auth.c: SASL authentication for the remote driver (client side).
 *
 * The exchange is libvirt's: AUTH_SASL_INIT gives the server's mechanism
 * list; the client library picks one under our security properties and
 * AUTH_SASL_START / AUTH_SASL_STEP carry its messages until the server
 * says complete (possibly with final data the client must still check).
 * On plain TCP the reply that completes is the last thing read in clear:
 * the reader is paused after every START/STEP reply, and resumes only
 * once the negotiated security layer (if any) is on.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "remote_auth.h"
#include "remote_protocol.h"
#include "rpc/virnetsasl.h"
#include "viralloc.h"
#include "virauthconfig.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

VIR_LOG_INIT("remote.auth");

/* What stock clients require on plain TCP. */
#define REMOTE_AUTH_MIN_SSF 56
/* A negotiation longer than this is a broken or hostile server. */
#define REMOTE_AUTH_MAX_STEPS 32

static remoteAuthPromptFunc remoteAuthPrompt;   /* atomic */

void
remoteAuthSetPromptFunc(remoteAuthPromptFunc func)
{
    __atomic_store_n(&remoteAuthPrompt, func, __ATOMIC_SEQ_CST);
}

typedef struct {
    const virURI *uri;
    const char *host;
    virAuthConfig *authConfig;      /* NULL: no auth file */
    virErrorPtr credError;          /* why a credential was missing */
} remoteAuthCredState;

/* Keep the first reason a credential could not be had: the SASL library
 * would otherwise only say that its callback failed. */
static void
remoteAuthCredFailed(remoteAuthCredState *st)
{
    if (!st->credError)
        st->credError = virSaveLastError();
    virResetLastError();
}

static int
remoteAuthGetCred(virNetSASLCredType type, char **value, void *opaque)
{
    remoteAuthCredState *st = opaque;
    remoteAuthPromptFunc prompt = __atomic_load_n(&remoteAuthPrompt, __ATOMIC_SEQ_CST);
    bool secret = type == VIR_NET_SASL_CRED_PASSPHRASE;
    const char *key = secret ? "password" : "authname";
    const char *envName = secret ? "TENVIRT_SASL_PASSWORD" : "TENVIRT_SASL_USERNAME";
    const char *found = NULL;
    const char *env;

    *value = NULL;
    if (st->authConfig) {
        if (virAuthConfigLookup(st->authConfig, "libvirt", st->host, key, &found) < 0) {
            remoteAuthCredFailed(st);
            return -1;
        }
        /* libvirt's files may say "username" where SASL wants the name. */
        if (!found && !secret &&
            virAuthConfigLookup(st->authConfig, "libvirt", st->host, "username", &found) < 0) {
            remoteAuthCredFailed(st);
            return -1;
        }
    }
    if (!found && !secret && st->uri->user && *st->uri->user)
        found = st->uri->user;
    if (!found && (env = getenv(envName)) && *env)
        found = env;
    if (found) {
        *value = virStrdup(found);
        return 0;
    }

    if (prompt) {
        VIR_AUTOFREE(char *) text = virPrintf("Please enter your %s for %s: ",
                                              secret ? "password" : "authentication name",
                                              st->host);

        if (prompt(text, !secret, NULL, value) == 0 && *value)
            return 0;
        free(*value);
        *value = NULL;
        virReportError(VIR_ERR_AUTH_CANCELLED, "%s", "authentication cancelled by the user");
        remoteAuthCredFailed(st);
        return -1;
    }
    virReportError(VIR_ERR_AUTH_FAILED,
                   "no %s for SASL authentication to %s: give it in an auth file "
                   "(LIBVIRT_AUTH_FILE, [auth-libvirt-%s] credentials=NAME) or in %s",
                   secret ? "password" : "user name", st->host, st->host, envName);
    remoteAuthCredFailed(st);
    return -1;
}

/* One START or STEP call, with reads paused after its reply. */
static int
remoteAuthSASLCall(virNetClient *client, int proc, xdrproc_t argsFilter, void *args,
                   xdrproc_t retFilter, void *ret)
{
    return virNetClientCallFull(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION, proc,
                                argsFilter, args, retFilter, ret,
                                VIR_NET_CLIENT_CALL_PAUSE_READS);
}

/* Resume reads after a failure, keeping the error that says why. */
static void
remoteAuthResume(virNetClient *client)
{
    virErrorPtr saved;

    virErrorPreserveLast(&saved);
    virNetClientResumeReads(client, NULL, 0, NULL);
    virErrorRestore(&saved);
}

/* A server error arrives as VIR_FROM_RPC; libvirt's client reports it as
 * it came, so do we. A transport error is already set too. */
static int
remoteAuthRun(virNetClient *client, virNetSASLSession *sess, bool secure)
{
    remote_auth_sasl_init_ret iret = { 0 };
    remote_auth_sasl_start_args sargs = { 0 };
    remote_auth_sasl_start_ret sret = { 0 };
    const char *out = NULL;
    const char *mech = NULL;
    size_t outlen = 0;
    bool clientDone;
    int complete;
    int nil;
    char *serverin;
    size_t serverinlen;
    unsigned int steps;
    int rc;
    int ssf;

    if (virNetClientCall(client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                         REMOTE_PROC_AUTH_SASL_INIT, (xdrproc_t)(void (*)(void))xdr_void, NULL,
                         (xdrproc_t)xdr_remote_auth_sasl_init_ret, &iret) < 0)
        return -1;
    VIR_DEBUG("server offers SASL mechanisms %s", iret.mechlist);
    rc = virNetSASLSessionClientStart(sess, iret.mechlist, &out, &outlen, &mech);
    xdr_free((xdrproc_t)xdr_remote_auth_sasl_init_ret, (char *)&iret);
    if (rc < 0)
        return -1;
    clientDone = rc == VIR_NET_SASL_COMPLETE;

    sargs.mech = (char *)mech;
    sargs.nil = out ? 0 : 1;
    sargs.data.data_len = out ? outlen : 0;
    sargs.data.data_val = (char *)out;
    VIR_DEBUG("SASL mechanism %s, start with %zu bytes", mech, outlen);
    if (remoteAuthSASLCall(client, REMOTE_PROC_AUTH_SASL_START,
                           (xdrproc_t)xdr_remote_auth_sasl_start_args, &sargs,
                           (xdrproc_t)xdr_remote_auth_sasl_start_ret, &sret) < 0) {
        remoteAuthResume(client);
        return -1;
    }
    complete = sret.complete;
    nil = sret.nil;
    serverin = sret.data.data_val;
    serverinlen = sret.data.data_len;

    for (steps = 0;; steps++) {
        remote_auth_sasl_step_args targs = { 0 };
        remote_auth_sasl_step_ret tret = { 0 };

        /* Server data is always for the client library: a challenge, or
         * with complete=1 the proof the server knew the secret too. */
        if (!nil || !clientDone) {
            if (clientDone) {
                virReportError(VIR_ERR_AUTH_FAILED, "%s",
                               "SASL server sent data after the negotiation was complete");
                rc = -1;
            } else {
                rc = virNetSASLSessionClientStep(sess, nil ? NULL : serverin,
                                                 nil ? 0 : serverinlen, &out, &outlen);
            }
            free(serverin);
            serverin = NULL;
            if (rc < 0) {
                remoteAuthResume(client);
                return -1;
            }
            clientDone = rc == VIR_NET_SASL_COMPLETE;
        } else {
            free(serverin);
            serverin = NULL;
            out = NULL;
        }
        if (complete) {
            if (!clientDone) {
                virReportError(VIR_ERR_AUTH_FAILED, "%s",
                               "SASL server claims completion, the client does not");
                remoteAuthResume(client);
                return -1;
            }
            break;
        }
        if (steps >= REMOTE_AUTH_MAX_STEPS) {
            virReportError(VIR_ERR_AUTH_FAILED, "%s", "SASL negotiation does not end");
            remoteAuthResume(client);
            return -1;
        }

        /* The server has not completed: reads resume in clear. */
        virNetClientResumeReads(client, NULL, 0, NULL);
        targs.nil = out ? 0 : 1;
        targs.data.data_len = out ? outlen : 0;
        targs.data.data_val = (char *)out;
        if (remoteAuthSASLCall(client, REMOTE_PROC_AUTH_SASL_STEP,
                               (xdrproc_t)xdr_remote_auth_sasl_step_args, &targs,
                               (xdrproc_t)xdr_remote_auth_sasl_step_ret, &tret) < 0) {
            remoteAuthResume(client);
            return -1;
        }
        complete = tret.complete;
        nil = tret.nil;
        serverin = tret.data.data_val;
        serverinlen = tret.data.data_len;
    }

    if ((ssf = virNetSASLSessionGetKeySize(sess)) < 0) {
        remoteAuthResume(client);
        return -1;
    }
    VIR_DEBUG("SASL authentication complete, ssf %d", ssf);
    if (!secure && ssf < REMOTE_AUTH_MIN_SSF) {
        virReportError(VIR_ERR_AUTH_FAILED, "negotiation SSF %d was not strong enough", ssf);
        remoteAuthResume(client);
        return -1;
    }
    if (ssf > 0)
        return virNetClientResumeReads(client, &virNetSASLSocketLayer,
                                       virNetSASLSessionGetMaxBufSize(sess),
                                       virNetSASLSessionRef(sess));
    virNetClientResumeReads(client, NULL, 0, NULL);
    return 0;
}

int
remoteAuthSASL(virNetClient *client, const virURI *uri, bool transportSecure)
{
    remoteAuthCredState st = { .uri = uri, .host = uri->server ? uri->server : "localhost" };
    VIR_AUTOFREE(char *) authFile = virAuthConfigFindFile(virURIGetParam(uri, "authfile"));
    virNetSASLContext *ctx = NULL;
    virNetSASLSession *sess = NULL;
    int tlsBits = virNetClientGetTLSKeySize(client);
    int rv = -1;

    if (authFile && !(st.authConfig = virAuthConfigNew(authFile)))
        return -1;
    if (!(ctx = virNetSASLContextNewClient()))
        goto cleanup;
    if (!(sess = virNetSASLSessionNewClient(ctx, VIR_NET_SASL_SERVICE, st.host,
                                            virNetClientLocalAddr(client),
                                            virNetClientRemoteAddr(client),
                                            remoteAuthGetCred, &st)))
        goto cleanup;
    if (tlsBits > 0 && virNetSASLSessionSetExternalSSF(sess, tlsBits) < 0)
        goto cleanup;
    /* A secure transport needs no layer of SASL's own; plain TCP needs one
     * (which rules out mechanisms without, such as SCRAM and PLAIN).
     * A password in the clear only inside TLS. */
    if (virNetSASLSessionSetSecProps(sess, transportSecure ? 0 : REMOTE_AUTH_MIN_SSF,
                                     transportSecure ? 0 : 100000, tlsBits > 0) < 0)
        goto cleanup;

    if (remoteAuthRun(client, sess, transportSecure) < 0) {
        /* The credential callback's own error says more than the SASL
         * library's "callback failed". */
        if (st.credError) {
            virSetError(st.credError->domain, st.credError->code, st.credError->level,
                        st.credError->message, st.credError->str1, st.credError->str2,
                        st.credError->str3, st.credError->int1, st.credError->int2);
        }
        goto cleanup;
    }
    rv = 0;

 cleanup:
    virFreeError(st.credError);
    virNetSASLSessionFree(sess);
    virNetSASLContextFree(ctx);
    virAuthConfigFree(st.authConfig);
    return rv;
}
