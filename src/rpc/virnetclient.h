/*
 * virnetclient.h: the RPC client used by the remote driver.
 *
 * One background thread per connection reads everything the server sends:
 * replies go to the caller waiting for that serial, MESSAGEs (events) to
 * the event callback, keepalive PINGs are answered with PONGs. Callers
 * may call from several threads at once; each waits only for its reply.
 */
#ifndef TENVIRT_VIRNETCLIENT_H
#define TENVIRT_VIRNETCLIENT_H

#include "internal.h"
#include "virnetmessage.h"
#include "virnettls.h"
#include "virnetsocket.h"

typedef struct _virNetClient virNetClient;

/* Connect. NULL with a clear error (VIR_ERR_SYSTEM_ERROR naming the
 * address, e.g. "unable to connect to server at '127.0.0.1:16514':
 * Connection refused"). */
virNetClient *virNetClientNewUNIX(const char *path);
virNetClient *virNetClientNewTCP(const char *host, const char *port);
/* Over an already connected socket (taken over; freed on failure), e.g.
 * one end of a socketpair or an ssh tunnel. */
virNetClient *virNetClientNewSocket(virNetSocket *sock);

/* Run the TLS handshake over the connection, verify the server, then wait
 * for the server's one-byte confirmation. -1 with libvirt's messages on
 * failure ("Unable to read TLS confirmation", "server verification (of
 * our certificate or IP address) failed"). */
int virNetClientSetTLSSession(virNetClient *client, virNetTLSContext *ctx,
                              const char *hostname);

/* Start the reader thread. Call after the transport is set up. */
int virNetClientStart(virNetClient *client);

/* Called in the reader thread for each MESSAGE the server sends, except
 * keepalive ones (check msg->header.prog and .proc). @msg's payload is
 * still encoded: decode with virNetMessageDecodePayload; @msg is freed
 * after the handler returns. The handler must not make calls on @client
 * (nothing would read their replies: they fail at once) nor free it. */
typedef void (*virNetClientEventFunc)(virNetClient *client, virNetMessage *msg, void *opaque);
void virNetClientSetEventHandler(virNetClient *client, virNetClientEventFunc func,
                                 void *opaque);

/* Send a CALL and wait for its REPLY. @ret is decoded into on success.
 * 0, or -1 with the server's error (or a transport error) set. */
int virNetClientCall(virNetClient *client, unsigned int prog, unsigned int vers, int proc,
                     xdrproc_t argsFilter, void *args,
                     xdrproc_t retFilter, void *ret);

typedef enum {
    /* Once this call's reply has arrived, read nothing more from the
     * server until virNetClientResumeReads: the server may switch the
     * stream to a security layer right after that reply (SASL steps). */
    VIR_NET_CLIENT_CALL_PAUSE_READS = 1 << 0,
} virNetClientCallFlags;

/* virNetClientCall with virNetClientCallFlags. */
int virNetClientCallFull(virNetClient *client, unsigned int prog, unsigned int vers,
                         int proc, xdrproc_t argsFilter, void *args,
                         xdrproc_t retFilter, void *ret, unsigned int flags);
/* After a call with VIR_NET_CLIENT_CALL_PAUSE_READS: wrap all further I/O
 * in @layer (if not NULL; see virNetSocketSetSecurityLayer, which takes
 * @opaque), then read on. -1 with an error (and @opaque released) if reads
 * were not paused at a message boundary; reads resume anyway, and the
 * caller must close the connection. */
int virNetClientResumeReads(virNetClient *client, const virNetSocketLayer *layer,
                            size_t maxInput, void *opaque);

/* Answer the server's PINGs and, if @interval > 0, ping it after @interval
 * idle seconds, closing after @count unanswered pings. */
void virNetClientKeepAliveStart(virNetClient *client, int interval, unsigned int count);

/* "IP;PORT" of either end (the form SASL wants); NULL for UNIX sockets.
 * Borrowed, valid while the client lives. */
const char *virNetClientLocalAddr(virNetClient *client);
const char *virNetClientRemoteAddr(virNetClient *client);
/* The TLS cipher key size in bits (SASL's external SSF), 0 without TLS. */
int virNetClientGetTLSKeySize(virNetClient *client);

bool virNetClientIsOpen(virNetClient *client);
/* Shut the connection down; waiting callers fail with an error. Then free. */
void virNetClientClose(virNetClient *client);
void virNetClientFree(virNetClient *client);

#endif /* TENVIRT_VIRNETCLIENT_H */
