/*
 * virnettls.c: TLS with X.509 certificates (gnutls), both ends.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnettls.h"
#include "virstring.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.nettls");

struct _virNetTLSContext {
    int refs;
    gnutls_certificate_credentials_t x509cred;
    gnutls_priority_t priority;
    bool isServer;
    bool requireValidCert;
    /* NULL: any DN; otherwise a NULL-terminated list of globs (possibly
     * empty, which admits nobody). */
    char **allowedDNs;
};

struct _virNetTLSSession {
    virNetTLSContext *ctx;
    gnutls_session_t session;
    bool isServer;
    bool handshakeComplete;
    char *hostname;
    char *x509dname;
};

static void
virNetTLSGlobalInit(void)
{
    /* gnutls >= 3.3 initialises itself; this only checks the library is
     * at least what the code was written against. */
    if (!gnutls_check_version("3.6.0"))
        VIR_WARN("gnutls is older than 3.6.0: %s", gnutls_check_version(NULL));
}

/* Refuse a file we cannot read before gnutls gives a vaguer error. */
static int
virNetTLSCheckReadable(const char *what, const char *file)
{
    if (access(file, R_OK) < 0) {
        virReportSystemError(errno, "Cannot read %s '%s'", what, file);
        return -1;
    }
    return 0;
}

/* Load the first certificate of a PEM file, for the sanity checks. */
static int
virNetTLSLoadCerts(const char *what, const char *file,
                   gnutls_x509_crt_t **certs, unsigned int *ncerts)
{
    gnutls_datum_t data = { NULL, 0 };
    int rc;

    if ((rc = gnutls_load_file(file, &data)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to read %s '%s': %s",
                       what, file, gnutls_strerror(rc));
        return -1;
    }
    rc = gnutls_x509_crt_list_import2(certs, ncerts, &data, GNUTLS_X509_FMT_PEM, 0);
    gnutls_free(data.data);
    if (rc < 0 || *ncerts == 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to import %s '%s': %s",
                       what, file, rc < 0 ? gnutls_strerror(rc) : "no certificate found");
        return -1;
    }
    return 0;
}

static void
virNetTLSFreeCerts(gnutls_x509_crt_t *certs, unsigned int ncerts)
{
    unsigned int i;

    for (i = 0; i < ncerts; i++)
        gnutls_x509_crt_deinit(certs[i]);
    gnutls_free(certs);
}

/* Human readable reasons for a verification status, for logs and errors. */
static const char *
virNetTLSVerifyReason(unsigned int status)
{
    if (status & GNUTLS_CERT_REVOKED)
        return "the certificate has been revoked";
    if (status & GNUTLS_CERT_EXPIRED)
        return "the certificate has expired";
    if (status & GNUTLS_CERT_NOT_ACTIVATED)
        return "the certificate is not yet activated";
    if (status & GNUTLS_CERT_SIGNER_NOT_FOUND)
        return "the certificate hasn't got a known issuer";
    if (status & GNUTLS_CERT_SIGNER_NOT_CA)
        return "the certificate's issuer is not a CA";
    if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
        return "the certificate uses an insecure algorithm";
    if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
        return "the certificate does not belong to the expected host";
    return "the certificate is not trusted";
}

/* Is @purpose among the certificate's extended key usages (or are there
 * none, which allows every purpose)? */
static bool
virNetTLSCertHasPurpose(gnutls_x509_crt_t cert, const char *purpose, bool *present)
{
    unsigned int i;

    *present = false;
    for (i = 0;; i++) {
        char oid[256];
        size_t size = sizeof(oid);
        unsigned int critical;
        int rc = gnutls_x509_crt_get_key_purpose_oid(cert, i, oid, &size, &critical);

        if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            break;
        if (rc < 0)
            return false;
        *present = true;
        if (STREQ(oid, purpose))
            return true;
    }
    return !*present;
}

/* Checks common to our own and the peer's leaf certificate. @isServerCert
 * picks the TLS purpose. On failure sets *@reason (static text). */
static int
virNetTLSCheckLeaf(gnutls_x509_crt_t cert, bool isServerCert, const char **reason)
{
    time_t now = time(NULL);
    unsigned int usage = 0, critical = 0;
    unsigned int ca = 0;
    bool present;
    int rc;

    if (gnutls_x509_crt_get_expiration_time(cert) < now) {
        *reason = "the certificate has expired";
        return -1;
    }
    if (gnutls_x509_crt_get_activation_time(cert) > now) {
        *reason = "the certificate is not yet activated";
        return -1;
    }
    rc = gnutls_x509_crt_get_basic_constraints(cert, &critical, &ca, NULL);
    if (rc > 0 && ca) {
        /* An absent extension is fine; a CA cert is never a peer's cert. */
        *reason = "the certificate is a CA certificate (basicConstraints CA:TRUE)";
        return -1;
    }
    rc = gnutls_x509_crt_get_key_usage(cert, &usage, &critical);
    if (rc >= 0 && !(usage & GNUTLS_KEY_DIGITAL_SIGNATURE)) {
        *reason = "the certificate's key usage does not allow digital signatures";
        return -1;
    }
    if (!virNetTLSCertHasPurpose(cert, isServerCert ? GNUTLS_KP_TLS_WWW_SERVER
                                 : GNUTLS_KP_TLS_WWW_CLIENT, &present)) {
        *reason = isServerCert ? "the certificate is not for use by a TLS server"
                               : "the certificate is not for use by a TLS client";
        return -1;
    }
    return 0;
}

/* Our own certificate: fail early with a message naming the file rather
 * than have every peer reject us later. */
static int
virNetTLSSanityCheckOwnCert(virNetTLSContext *ctx, const char *cacert, const char *cert)
{
    gnutls_x509_crt_t *certs = NULL, *cas = NULL;
    unsigned int ncerts = 0, ncas = 0;
    unsigned int status = 0;
    const char *reason = NULL;
    int ret = -1;
    int rc;

    if (virNetTLSLoadCerts("certificate", cert, &certs, &ncerts) < 0)
        goto cleanup;
    if (virNetTLSLoadCerts("CA certificate", cacert, &cas, &ncas) < 0)
        goto cleanup;

    if (virNetTLSCheckLeaf(certs[0], ctx->isServer, &reason) < 0)
        goto bad;
    rc = gnutls_x509_crt_list_verify(certs, ncerts, cas, ncas, NULL, 0, 0, &status);
    if (rc < 0 || status) {
        reason = rc < 0 ? gnutls_strerror(rc) : virNetTLSVerifyReason(status);
        goto bad;
    }
    ret = 0;
    goto cleanup;

 bad:
    if (ctx->isServer) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Certificate '%s' is not usable with CA '%s': %s",
                       cert, cacert, reason);
    } else {
        /* A client with a bad certificate gets a clear refusal from the
         * server; refusing locally would hide what the server says. */
        VIR_WARN("Client certificate '%s' will probably be refused: %s", cert, reason);
        ret = 0;
    }

 cleanup:
    virNetTLSFreeCerts(certs, ncerts);
    virNetTLSFreeCerts(cas, ncas);
    return ret;
}

static virNetTLSContext *
virNetTLSContextNew(const char *cacert, const char *cacrl,
                    const char *cert, const char *key,
                    const char *const *allowedDNs, const char *priority,
                    bool verifyPeer, bool isServer)
{
    virNetTLSContext *ctx;
    const char *errpos = NULL;
    int rc;

    virNetTLSGlobalInit();
    VIR_ALLOC(ctx);
    ctx->refs = 1;
    ctx->isServer = isServer;
    ctx->requireValidCert = verifyPeer;

    if ((rc = gnutls_certificate_allocate_credentials(&ctx->x509cred)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to allocate x509 credentials: %s",
                       gnutls_strerror(rc));
        goto error;
    }

    if (!cacert) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "a CA certificate file is required");
        goto error;
    }
    if (virNetTLSCheckReadable("CA certificate", cacert) < 0)
        goto error;
    rc = gnutls_certificate_set_x509_trust_file(ctx->x509cred, cacert, GNUTLS_X509_FMT_PEM);
    if (rc <= 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to set x509 CA certificate '%s': %s",
                       cacert, rc < 0 ? gnutls_strerror(rc) : "no certificate found");
        goto error;
    }

    if (cacrl) {
        if (virNetTLSCheckReadable("certificate revocation list", cacrl) < 0)
            goto error;
        rc = gnutls_certificate_set_x509_crl_file(ctx->x509cred, cacrl, GNUTLS_X509_FMT_PEM);
        if (rc < 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR,
                           "Unable to set x509 certificate revocation list '%s': %s",
                           cacrl, gnutls_strerror(rc));
            goto error;
        }
    }

    if (cert || key) {
        if (!cert || !key) {
            virReportError(VIR_ERR_INVALID_ARG, "%s",
                           "a certificate and its key must be given together");
            goto error;
        }
        if (virNetTLSCheckReadable("certificate", cert) < 0 ||
            virNetTLSCheckReadable("private key", key) < 0)
            goto error;
        if (virNetTLSSanityCheckOwnCert(ctx, cacert, cert) < 0)
            goto error;
        rc = gnutls_certificate_set_x509_key_file(ctx->x509cred, cert, key,
                                                  GNUTLS_X509_FMT_PEM);
        if (rc < 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR,
                           "Unable to set x509 key and certificate '%s', '%s': %s",
                           key, cert, gnutls_strerror(rc));
            goto error;
        }
    } else if (isServer) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "a TLS server needs a certificate and key");
        goto error;
    }

    if (isServer) {
        /* Allows DHE key exchange where the priority string wants it. */
        gnutls_certificate_set_known_dh_params(ctx->x509cred, GNUTLS_SEC_PARAM_MEDIUM);
    }

    if (!priority)
        priority = "NORMAL";
    if ((rc = gnutls_priority_init(&ctx->priority, priority, &errpos)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Failed to set TLS priority to '%s' at '%s': %s",
                       priority, NULLSTR(errpos), gnutls_strerror(rc));
        goto error;
    }

    if (allowedDNs) {
        size_t n = virStringListLength((char *const *)allowedDNs);
        size_t i;

        VIR_ALLOC_N(ctx->allowedDNs, n + 1);
        for (i = 0; i < n; i++)
            ctx->allowedDNs[i] = virStrdup(allowedDNs[i]);
    }
    return ctx;

 error:
    virNetTLSContextFree(ctx);
    return NULL;
}

virNetTLSContext *
virNetTLSContextNewServer(const char *cacert, const char *cacrl,
                          const char *cert, const char *key,
                          const char *const *allowedDNs,
                          const char *priority, bool verifyPeer)
{
    return virNetTLSContextNew(cacert, cacrl, cert, key, allowedDNs, priority,
                               verifyPeer, true);
}

virNetTLSContext *
virNetTLSContextNewClient(const char *cacert, const char *cacrl,
                          const char *cert, const char *key,
                          const char *priority, bool verifyPeer)
{
    return virNetTLSContextNew(cacert, cacrl, cert, key, NULL, priority,
                               verifyPeer, false);
}

static bool
virNetTLSFileExists(const char *path)
{
    return access(path, R_OK) == 0;
}

virNetTLSContext *
virNetTLSContextNewClientPath(const char *pkipath, bool verifyPeer)
{
    VIR_AUTOFREE(char *) cacert = NULL;
    VIR_AUTOFREE(char *) cacrl = NULL;
    VIR_AUTOFREE(char *) cert = NULL;
    VIR_AUTOFREE(char *) key = NULL;
    bool haveCert;

    if (pkipath) {
        cacert = virPrintf("%s/cacert.pem", pkipath);
        cacrl = virPrintf("%s/cacrl.pem", pkipath);
        cert = virPrintf("%s/clientcert.pem", pkipath);
        key = virPrintf("%s/clientkey.pem", pkipath);
    } else {
        const char *home = getenv("HOME");

        cacert = virStrdup("/etc/pki/CA/cacert.pem");
        cacrl = virStrdup("/etc/pki/CA/cacrl.pem");
        cert = virStrdup("/etc/pki/libvirt/clientcert.pem");
        key = virStrdup("/etc/pki/libvirt/private/clientkey.pem");
        /* Unprivileged users keep their own files under ~/.pki/libvirt;
         * each one found there wins over the system location. */
        if (geteuid() != 0 && home) {
            const char *names[] = { "cacert.pem", "cacrl.pem", "clientcert.pem", "clientkey.pem" };
            char **paths[] = { &cacert, &cacrl, &cert, &key };
            size_t i;

            for (i = 0; i < G_N_ELEMENTS(names); i++) {
                char *user = virPrintf("%s/.pki/libvirt/%s", home, names[i]);

                if (virNetTLSFileExists(user)) {
                    free(*paths[i]);
                    *paths[i] = user;
                } else {
                    free(user);
                }
            }
        }
    }

    /* The CA is required (its absence is reported by the constructor);
     * the CRL and the client certificate are optional. */
    haveCert = virNetTLSFileExists(cert) && virNetTLSFileExists(key);
    if (!haveCert)
        VIR_DEBUG("No client certificate at '%s' / '%s'", cert, key);
    return virNetTLSContextNewClient(cacert,
                                     virNetTLSFileExists(cacrl) ? cacrl : NULL,
                                     haveCert ? cert : NULL, haveCert ? key : NULL,
                                     NULL, verifyPeer);
}

virNetTLSContext *
virNetTLSContextRef(virNetTLSContext *ctx)
{
    __atomic_add_fetch(&ctx->refs, 1, __ATOMIC_SEQ_CST);
    return ctx;
}

void
virNetTLSContextFree(virNetTLSContext *ctx)
{
    if (!ctx)
        return;
    if (__atomic_sub_fetch(&ctx->refs, 1, __ATOMIC_SEQ_CST) > 0)
        return;
    if (ctx->x509cred)
        gnutls_certificate_free_credentials(ctx->x509cred);
    if (ctx->priority)
        gnutls_priority_deinit(ctx->priority);
    virStringListFree(ctx->allowedDNs);
    free(ctx);
}

/* ---- sessions ----------------------------------------------------------- */

static bool
virNetTLSIsIPAddress(const char *host)
{
    unsigned char buf[sizeof(struct in6_addr)];

    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

virNetTLSSession *
virNetTLSSessionNew(virNetTLSContext *ctx, int fd, const char *hostname)
{
    virNetTLSSession *sess;
    int rc;

    VIR_ALLOC(sess);
    sess->isServer = ctx->isServer;
    sess->hostname = virStrdup(hostname);

    rc = gnutls_init(&sess->session, (ctx->isServer ? GNUTLS_SERVER : GNUTLS_CLIENT) |
                     GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL);
    if (rc < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Failed to initialize TLS session: %s",
                       gnutls_strerror(rc));
        sess->session = NULL;
        goto error;
    }
    if ((rc = gnutls_priority_set(sess->session, ctx->priority)) < 0 ||
        (rc = gnutls_credentials_set(sess->session, GNUTLS_CRD_CERTIFICATE,
                                     ctx->x509cred)) < 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Failed to set up TLS session: %s",
                       gnutls_strerror(rc));
        goto error;
    }
    if (ctx->isServer) {
        /* The client certificate is the client's identity: never optional. */
        gnutls_certificate_server_set_request(sess->session, GNUTLS_CERT_REQUIRE);
    } else if (hostname && !virNetTLSIsIPAddress(hostname)) {
        /* SNI is for names only. */
        gnutls_server_name_set(sess->session, GNUTLS_NAME_DNS, hostname, strlen(hostname));
    }
    gnutls_transport_set_int(sess->session, fd);
    sess->ctx = virNetTLSContextRef(ctx);
    return sess;

 error:
    virNetTLSSessionFree(sess);
    return NULL;
}

void
virNetTLSSessionFree(virNetTLSSession *sess)
{
    if (!sess)
        return;
    if (sess->session)
        gnutls_deinit(sess->session);
    virNetTLSContextFree(sess->ctx);
    free(sess->hostname);
    free(sess->x509dname);
    free(sess);
}

int
virNetTLSSessionHandshake(virNetTLSSession *sess)
{
    int rc = gnutls_handshake(sess->session);

    if (rc == 0) {
        sess->handshakeComplete = true;
        return 0;
    }
    if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED)
        return 1;
    if (!gnutls_error_is_fatal(rc)) {
        /* A warning alert: the handshake carries on with the next I/O. */
        VIR_DEBUG("TLS handshake warning: %s", gnutls_strerror(rc));
        return 1;
    }
    virReportError(VIR_ERR_AUTH_FAILED, "TLS handshake failed: %s", gnutls_strerror(rc));
    return -1;
}

virNetTLSHandshakeStatus
virNetTLSSessionGetHandshakeStatus(virNetTLSSession *sess)
{
    if (sess->handshakeComplete)
        return VIR_NET_TLS_HANDSHAKE_COMPLETE;
    return gnutls_record_get_direction(sess->session) == 0 ?
        VIR_NET_TLS_HANDSHAKE_RECVING : VIR_NET_TLS_HANDSHAKE_SENDING;
}

/* Every check of the peer; sets *@reason on failure. The DN is recorded
 * whenever the peer sent a certificate, even if a later check fails. */
static int
virNetTLSCheckPeer(virNetTLSContext *ctx, virNetTLSSession *sess, const char **reason)
{
    const gnutls_datum_t *certs;
    unsigned int ncerts = 0;
    unsigned int status = 0;
    gnutls_x509_crt_t cert = NULL;
    gnutls_datum_t dn = { NULL, 0 };
    int ret = -1;
    int rc;

    if (gnutls_certificate_type_get(sess->session) != GNUTLS_CRT_X509) {
        *reason = "the peer did not present an X.509 certificate";
        return -1;
    }
    certs = gnutls_certificate_get_peers(sess->session, &ncerts);
    if (!certs || ncerts == 0) {
        *reason = "the peer did not present a certificate";
        return -1;
    }
    if (gnutls_x509_crt_init(&cert) < 0 ||
        gnutls_x509_crt_import(cert, &certs[0], GNUTLS_X509_FMT_DER) < 0) {
        *reason = "the peer's certificate cannot be parsed";
        goto cleanup;
    }
    if ((rc = gnutls_x509_crt_get_dn3(cert, &dn, 0)) < 0) {
        *reason = "the peer's certificate has no readable subject";
        goto cleanup;
    }
    free(sess->x509dname);
    sess->x509dname = virStrndup((const char *)dn.data, dn.size);
    gnutls_free(dn.data);

    if ((rc = gnutls_certificate_verify_peers2(sess->session, &status)) < 0) {
        *reason = gnutls_strerror(rc);
        goto cleanup;
    }
    if (status) {
        *reason = virNetTLSVerifyReason(status);
        goto cleanup;
    }
    /* The peer is a server when we are a client, and the other way round. */
    if (virNetTLSCheckLeaf(cert, !sess->isServer, reason) < 0)
        goto cleanup;

    if (!sess->isServer && sess->hostname &&
        !gnutls_x509_crt_check_hostname(cert, sess->hostname)) {
        *reason = virNetTLSIsIPAddress(sess->hostname) ?
            "the certificate has no iPAddress subjectAltName matching the address" :
            "the certificate does not match the host name";
        goto cleanup;
    }
    ret = 0;

 cleanup:
    gnutls_x509_crt_deinit(cert);
    return ret;
}

static bool
virNetTLSDNAllowed(virNetTLSContext *ctx, const char *dname)
{
    size_t i;

    if (!ctx->allowedDNs)
        return true;
    for (i = 0; ctx->allowedDNs[i]; i++) {
        if (fnmatch(ctx->allowedDNs[i], dname, 0) == 0)
            return true;
    }
    return false;
}

int
virNetTLSContextCheckCertificate(virNetTLSContext *ctx, virNetTLSSession *sess)
{
    const char *reason = NULL;
    const char *who = sess->isServer ? "client" : "server";

    if (virNetTLSCheckPeer(ctx, sess, &reason) < 0) {
        if (ctx->requireValidCert) {
            if (sess->isServer) {
                /* Only the server's log sees this, with the client's address. */
                virReportError(VIR_ERR_AUTH_FAILED,
                               "Failed to verify peer's certificate: %s (DN '%s')",
                               reason, NULLSTR(sess->x509dname));
            } else {
                /* Clients print exactly this; the reason goes to the log. */
                VIR_ERROR("Certificate check of the server '%s' failed: %s (DN '%s')",
                          NULLSTR(sess->hostname), reason, NULLSTR(sess->x509dname));
                virReportError(VIR_ERR_AUTH_FAILED, "%s", "Failed to verify peer's certificate");
            }
            return -1;
        }
        VIR_WARN("Certificate check of the %s failed, ignored (no_verify): %s (DN '%s')",
                 who, reason, NULLSTR(sess->x509dname));
        /* Without a certificate there is no identity to go on. */
        if (sess->isServer && !sess->x509dname) {
            virReportError(VIR_ERR_AUTH_FAILED, "%s", "No client certificate");
            return -1;
        }
    }

    /* The allow-list is an access restriction, not a validity check, so it
     * holds even with no_verify. */
    if (sess->isServer && !virNetTLSDNAllowed(ctx, sess->x509dname)) {
        virReportError(VIR_ERR_AUTH_FAILED,
                       "Client's Distinguished Name '%s' is not on the list of allowed "
                       "clients (tls_allowed_dn_list)", sess->x509dname);
        return -1;
    }
    VIR_DEBUG("Certificate of the %s accepted: DN '%s'", who, NULLSTR(sess->x509dname));
    return 0;
}

const char *
virNetTLSSessionGetX509DName(virNetTLSSession *sess)
{
    return sess->x509dname;
}

int
virNetTLSSessionGetKeySize(virNetTLSSession *sess)
{
    size_t size = gnutls_cipher_get_key_size(gnutls_cipher_get(sess->session));

    if (size == 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "invalid cipher size for TLS session");
        return -1;
    }
    return (int)(size * 8);
}

ssize_t
virNetTLSSessionRead(virNetTLSSession *sess, char *buf, size_t len)
{
    ssize_t rc = gnutls_record_recv(sess->session, buf, len);

    if (rc >= 0)
        return rc;
    switch (rc) {
    case GNUTLS_E_AGAIN:
    case GNUTLS_E_INTERRUPTED:
        errno = EAGAIN;
        return -1;
    case GNUTLS_E_PREMATURE_TERMINATION:
        /* The peer closed TCP without close_notify (python does): framing
         * is by length words, so this is an ordinary end of stream. */
        return 0;
    default:
        virReportError(VIR_ERR_GNUTLS_ERROR, "Cannot read from TLS channel: %s",
                       gnutls_strerror(rc));
        errno = EIO;
        return -1;
    }
}

ssize_t
virNetTLSSessionWrite(virNetTLSSession *sess, const char *buf, size_t len)
{
    ssize_t rc = gnutls_record_send(sess->session, buf, len);

    if (rc >= 0)
        return rc;
    switch (rc) {
    case GNUTLS_E_AGAIN:
    case GNUTLS_E_INTERRUPTED:
        errno = EAGAIN;
        return -1;
    default:
        virReportError(VIR_ERR_GNUTLS_ERROR, "Cannot write to TLS channel: %s",
                       gnutls_strerror(rc));
        errno = EIO;
        return -1;
    }
}

size_t
virNetTLSSessionGetPending(virNetTLSSession *sess)
{
    return gnutls_record_check_pending(sess->session);
}
