/*
 * virnetsasl.h: SASL authentication (cyrus-sasl) for both ends of the RPC
 * protocol, and the SASL security layer as a virNetSocketLayer.
 *
 * A context holds what every session of one side shares: for a server,
 * the user names it admits (sasl_allowed_username_list); the cyrus library
 * itself is initialised once per process and side, the server side with
 * service "libvirt", reading "libvirt.conf" (mech_list, sasldb_path, ...)
 * from the directory given (else SASL_CONF_PATH, else the library's
 * default).
 *
 * A session is one client's negotiation, then (if a security layer was
 * negotiated) the encoder/decoder of every byte after it. Sessions are
 * reference counted and locked: the RPC client or server keeps one
 * reference and the socket layer another.
 *
 * Results of the start/step functions: VIR_NET_SASL_COMPLETE (negotiation
 * done, maybe with final data for the peer), VIR_NET_SASL_CONTINUE (send
 * the output and wait for the next step), -1 with VIR_ERR_AUTH_FAILED
 * set (the cyrus message in the error text for the client side; the
 * server side keeps it for its logs and reports a generic failure).
 */
#ifndef TENVIRT_VIRNETSASL_H
#define TENVIRT_VIRNETSASL_H

#include "internal.h"
#include "virnetsocket.h"

typedef struct _virNetSASLContext virNetSASLContext;
typedef struct _virNetSASLSession virNetSASLSession;

enum {
    VIR_NET_SASL_COMPLETE = 0,
    VIR_NET_SASL_CONTINUE = 1,
};

/* The SASL service name libvirt uses: the cyrus config file is SERVICE.conf
 * and saslpasswd2 -a SERVICE makes its users. */
#define VIR_NET_SASL_SERVICE "libvirt"

/* Credentials a client session asks its caller for, when a mechanism
 * needs them (values follow libvirt's VIR_CRED_*). */
typedef enum {
    VIR_NET_SASL_CRED_AUTHNAME = 2,     /* user name (SASL_CB_AUTHNAME; also the
                                         * authorization id, SASL_CB_USER) */
    VIR_NET_SASL_CRED_PASSPHRASE = 5,   /* password (SASL_CB_PASS) */
} virNetSASLCredType;

/* Fill *@value (caller of the callback frees it) with credential @type;
 * 0, or -1 (with an error set) when it cannot be had. May be called from
 * inside virNetSASLSessionClientStart/Step, in the caller's thread. */
typedef int (*virNetSASLCredFunc)(virNetSASLCredType type, char **value, void *opaque);

/* Server side. @confDir: the directory of libvirt.conf, or NULL for
 * SASL_CONF_PATH / the library default; it is fixed by the first server
 * context of the process (cyrus reads it once). @allowedUsers: globs of
 * user names admitted after authentication; NULL admits everybody, an
 * empty list nobody. NULL with an error if the library cannot start. */
virNetSASLContext *virNetSASLContextNewServer(const char *confDir,
                                              const char *const *allowedUsers);
/* Client side. NULL with an error if the library cannot start. */
virNetSASLContext *virNetSASLContextNewClient(void);
virNetSASLContext *virNetSASLContextRef(virNetSASLContext *ctx);
/* Drops one reference. */
void virNetSASLContextFree(virNetSASLContext *ctx);
/* Whether @user is on the context's allowed list (always true without a
 * list). Logs a refused name. */
bool virNetSASLContextCheckIdentity(virNetSASLContext *ctx, const char *user);

/* A session for one connection. @localAddr/@remoteAddr are "IP;PORT" (NULL
 * for UNIX sockets); @hostname (client) is the server's name as the URI
 * gives it. The client's @cred is asked for credentials on demand; the
 * strings it returns are kept until the session is freed. NULL with an
 * error on failure. */
virNetSASLSession *virNetSASLSessionNewServer(virNetSASLContext *ctx, const char *service,
                                              const char *localAddr, const char *remoteAddr);
virNetSASLSession *virNetSASLSessionNewClient(virNetSASLContext *ctx, const char *service,
                                              const char *hostname, const char *localAddr,
                                              const char *remoteAddr,
                                              virNetSASLCredFunc cred, void *credOpaque);
virNetSASLSession *virNetSASLSessionRef(virNetSASLSession *sess);
/* Drops one reference; the last one disposes of the cyrus connection. */
void virNetSASLSessionFree(virNetSASLSession *sess);

/* Before start: the strength an outer layer already gives (the TLS key
 * size; 0 for none). 0 or -1 with an error. */
int virNetSASLSessionSetExternalSSF(virNetSASLSession *sess, int ssf);
/* Before start: the security layer wanted (@minSSF..@maxSSF; 0..0 for none),
 * never anonymous mechanisms, and mechanisms that send the password in the
 * clear (PLAIN, LOGIN) only with @allowPlaintext. 0 or -1 with an error. */
int virNetSASLSessionSetSecProps(virNetSASLSession *sess, int minSSF, int maxSSF,
                                 bool allowPlaintext);

/* Server: the mechanisms this session could use, comma-separated, e.g.
 * "SCRAM-SHA-256,DIGEST-MD5" (caller frees). NULL with an error if there is
 * none (the message says why: no config, or none strong enough). */
char *virNetSASLSessionListMechanisms(virNetSASLSession *sess);

/* Server: a negotiation step. @in may be NULL (the client sent nil). *@out
 * (NULL or @outlen bytes; borrowed until the next call) is the reply data. */
int virNetSASLSessionServerStart(virNetSASLSession *sess, const char *mech,
                                 const char *in, size_t inlen,
                                 const char **out, size_t *outlen);
int virNetSASLSessionServerStep(virNetSASLSession *sess, const char *in, size_t inlen,
                                const char **out, size_t *outlen);
/* The last cyrus failure of a server step, for logs (never sent to the
 * client). Borrowed. */
const char *virNetSASLSessionGetLastDetail(virNetSASLSession *sess);

/* The mechanism of the last start (NULL before). Borrowed, valid until
 * the next start. */
const char *virNetSASLSessionGetMechanism(virNetSASLSession *sess);

/* Client: pick a mechanism of @mechlist and make the first message.
 * *@mech is the mechanism picked (borrowed). */
int virNetSASLSessionClientStart(virNetSASLSession *sess, const char *mechlist,
                                 const char **out, size_t *outlen, const char **mech);
int virNetSASLSessionClientStep(virNetSASLSession *sess, const char *in, size_t inlen,
                                const char **out, size_t *outlen);

/* After completion: the negotiated security layer strength (0: no layer),
 * or -1 with an error. */
int virNetSASLSessionGetKeySize(virNetSASLSession *sess);
/* After completion (server): the authenticated user name, with the realm
 * where the mechanism gives one ("alice" or "alice@realm"). Borrowed; NULL
 * with an error if the library has none. */
const char *virNetSASLSessionGetIdentity(virNetSASLSession *sess);
/* Largest plaintext one encode call takes (SASL_MAXOUTBUF). */
size_t virNetSASLSessionGetMaxBufSize(virNetSASLSession *sess);

/* The security layer adaptor for virNetSocketSetSecurityLayer: its opaque
 * is a session reference, dropped by the layer's free. */
extern const virNetSocketLayer virNetSASLSocketLayer;

/* How many raw bytes a decode call may be given at once (the receive
 * buffer size announced to the peer). */
#define VIR_NET_SASL_MAX_BUFSIZE 65536

#endif /* TENVIRT_VIRNETSASL_H */
