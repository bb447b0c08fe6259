/*
 * virnettls.h: TLS with X.509 certificates (gnutls), both ends.
 *
 * Server contexts require and verify a client certificate: chain to the
 * CA (and not revoked by the CRL, if given), within its validity period,
 * basicConstraints CA:FALSE, keyUsage digitalSignature (if present), and
 * extendedKeyUsage TLS client (if present); then the subject DN must
 * match tls_allowed_dn_list (globs) when that is set (an empty list admits
 * nobody). With tls_no_verify_certificate the certificate is still
 * required for the identity but failures are logged, not fatal; the DN
 * list still applies.
 *
 * Client contexts verify the server: chain, validity, CA:FALSE, TLS
 * server purpose, and that the host name or IP address of the URI matches
 * the certificate (an IP needs an iPAddress subjectAltName). no_verify=1
 * turns failures into warnings.
 */
#ifndef TENVIRT_VIRNETTLS_H
#define TENVIRT_VIRNETTLS_H

#include <sys/types.h>
#include "internal.h"

typedef struct _virNetTLSContext virNetTLSContext;
typedef struct _virNetTLSSession virNetTLSSession;

/* Files must exist and parse; the key must match the certificate. NULL
 * with a clear error naming the file otherwise. @allowedDNs: NULL = any.
 * @priority: gnutls priority string, NULL = "NORMAL". */
virNetTLSContext *virNetTLSContextNewServer(const char *cacert, const char *cacrl,
                                            const char *cert, const char *key,
                                            const char *const *allowedDNs,
                                            const char *priority, bool verifyPeer);
/* @cert/@key may be NULL (no client certificate). */
virNetTLSContext *virNetTLSContextNewClient(const char *cacert, const char *cacrl,
                                            const char *cert, const char *key,
                                            const char *priority, bool verifyPeer);
/* libvirt's default file locations (root: /etc/pki/...; others try
 * $HOME/.pki/libvirt/ first), or DIR/cacert.pem etc. with pkipath. */
virNetTLSContext *virNetTLSContextNewClientPath(const char *pkipath, bool verifyPeer);
/* Contexts are reference counted: every session and every server service
 * using one holds a reference, so the creator may drop its own at any time.
 * Free drops one reference. */
virNetTLSContext *virNetTLSContextRef(virNetTLSContext *ctx);
void virNetTLSContextFree(virNetTLSContext *ctx);

/* A session on a connected, non-blocking socket @fd. @hostname (client
 * side) is what the server certificate must match. */
virNetTLSSession *virNetTLSSessionNew(virNetTLSContext *ctx, int fd, const char *hostname);
void virNetTLSSessionFree(virNetTLSSession *sess);

typedef enum {
    VIR_NET_TLS_HANDSHAKE_COMPLETE,
    VIR_NET_TLS_HANDSHAKE_RECVING,     /* wait for the socket to be readable */
    VIR_NET_TLS_HANDSHAKE_SENDING,     /* wait for it to be writable */
} virNetTLSHandshakeStatus;

/* Advance the handshake: 0 when complete, 1 when it needs the socket to
 * become ready again (see GetHandshakeStatus), -1 with VIR_ERR_AUTH_FAILED
 * on failure. */
int virNetTLSSessionHandshake(virNetTLSSession *sess);
virNetTLSHandshakeStatus virNetTLSSessionGetHandshakeStatus(virNetTLSSession *sess);
/* After the handshake: verify the peer as described above. 0 or -1 (error set). */
int virNetTLSContextCheckCertificate(virNetTLSContext *ctx, virNetTLSSession *sess);
/* The peer certificate's subject DN (RFC 4514 as gnutls prints it), or NULL. Borrowed. */
const char *virNetTLSSessionGetX509DName(virNetTLSSession *sess);
/* Cipher key size in bits (SASL external SSF). */
int virNetTLSSessionGetKeySize(virNetTLSSession *sess);

/* Non-blocking I/O: like read(2)/write(2), -1 with errno EAGAIN when the
 * socket would block, -1 with an error set on TLS failure, 0 at EOF. */
ssize_t virNetTLSSessionRead(virNetTLSSession *sess, char *buf, size_t len);
ssize_t virNetTLSSessionWrite(virNetTLSSession *sess, const char *buf, size_t len);
/* Bytes already decrypted and buffered (readable without polling). */
size_t virNetTLSSessionGetPending(virNetTLSSession *sess);

#endif /* TENVIRT_VIRNETTLS_H */
