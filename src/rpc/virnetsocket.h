/*
 * virnetsocket.h: stream sockets for RPC: UNIX and TCP (IPv4 and IPv6),
 * listening, accepting and connecting, non-blocking I/O through optional
 * layers.
 *
 * Bytes written go through, top to bottom: an optional security layer
 * (SASL integrity/confidentiality, encoding whole chunks), then an optional
 * TLS session, then the socket. Reading goes the other way.
 *
 * A socket is not locked: one thread at a time uses it (the server's loop
 * thread, or a client's I/O thread).
 */
#ifndef TENVIRT_VIRNETSOCKET_H
#define TENVIRT_VIRNETSOCKET_H

#include <sys/types.h>
#include "internal.h"
#include "virnettls.h"

typedef struct _virNetSocket virNetSocket;

/* Listen on every address @nodename resolves to (NULL: all addresses,
 * IPv4 and IPv6) at @service (a port number; "0" picks a free port, the
 * same one for every address). Fills a new array of sockets the caller
 * frees with virNetSocketFree each and free(). 0, or -1 with an error. */
int virNetSocketNewListenTCP(const char *nodename, const char *service,
                             virNetSocket ***retsocks, size_t *nretsocks);
/* Listen on a UNIX socket at @path (a stale socket there is replaced, any
 * other file is not), with permissions @mode and group @gid (unless -1).
 * The path is removed again when the socket is freed. */
virNetSocket *virNetSocketNewListenUNIX(const char *path, mode_t mode, gid_t gid);
/* Accept one pending connection as a non-blocking socket. 0 with
 * *@clientsock NULL when nothing is pending; -1 with an error. */
int virNetSocketAccept(virNetSocket *sock, virNetSocket **clientsock);

/* Connect (blocking), then switch to non-blocking. NULL with a system
 * error "unable to connect to server at 'HOST:PORT': REASON". */
virNetSocket *virNetSocketNewConnectTCP(const char *host, const char *port);
virNetSocket *virNetSocketNewConnectUNIX(const char *path);
/* Wrap an already connected stream socket (e.g. one end of a socketpair);
 * the socket owns @fd from now on. */
virNetSocket *virNetSocketNewConnectedFD(int fd);

/* Close the socket, freeing its TLS session and security layer. */
void virNetSocketFree(virNetSocket *sock);
/* Stop all traffic now (shutdown(2)); the fd stays open until Free. */
void virNetSocketShutdown(virNetSocket *sock);

int virNetSocketGetFD(virNetSocket *sock);
/* True for UNIX domain sockets. */
bool virNetSocketIsLocal(virNetSocket *sock);
/* The local port, or -1 for UNIX sockets. */
int virNetSocketGetPort(virNetSocket *sock);
/* The peer's credentials (SO_PEERCRED). -1 with an error if unavailable. */
int virNetSocketGetUNIXIdentity(virNetSocket *sock, uid_t *uid, gid_t *gid, pid_t *pid);
/* "IP;PORT" (the form SASL wants), NULL for UNIX sockets. Borrowed. */
const char *virNetSocketLocalAddrString(virNetSocket *sock);
const char *virNetSocketRemoteAddrString(virNetSocket *sock);
int virNetSocketSetBlocking(virNetSocket *sock, bool blocking);

/* Layer a TLS session (made on this socket's fd) under read/write. The
 * socket owns @sess from now on. */
void virNetSocketSetTLSSession(virNetSocket *sock, virNetTLSSession *sess);
/* Borrowed; NULL without TLS. */
virNetTLSSession *virNetSocketGetTLSSession(virNetSocket *sock);

/* A security layer such as a SASL security layer (sasl_encode/decode fit
 * directly). encode turns at most maxInput plaintext bytes into one wire
 * chunk; decode turns received wire bytes into zero or more plaintext
 * bytes. Output buffers belong to the layer and stay valid until its next
 * call. Both return 0, or -1 with an error set. */
typedef struct {
    int (*encode)(void *opaque, const char *in, size_t inlen,
                  const char **out, size_t *outlen);
    int (*decode)(void *opaque, const char *in, size_t inlen,
                  const char **out, size_t *outlen);
    void (*free)(void *opaque);
} virNetSocketLayer;

/* Wrap all further I/O in @layer (which must outlive the socket; @opaque
 * is released with layer->free when the socket is freed). Install it only
 * between messages: nothing may be half written, and nothing must have
 * been read ahead. */
void virNetSocketSetSecurityLayer(virNetSocket *sock, const virNetSocketLayer *layer,
                                  size_t maxInput, void *opaque);

/* Non-blocking I/O through the layers: the number of bytes moved, 0 at end
 * of stream (read), or -1: errno EAGAIN when the socket would block (no
 * error set), otherwise with an error set. After EAGAIN from Write, call it
 * again with the same buffer (TLS and the security layer keep state). */
ssize_t virNetSocketRead(virNetSocket *sock, char *buf, size_t len);
ssize_t virNetSocketWrite(virNetSocket *sock, const char *buf, size_t len);
/* Bytes already received and decoded by a layer: readable without poll
 * saying so. */
bool virNetSocketHasCachedData(virNetSocket *sock);

#endif /* TENVIRT_VIRNETSOCKET_H */
