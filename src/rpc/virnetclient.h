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

/* Answer the server's PINGs and, if @interval > 0, ping it after @interval
 * idle seconds, closing after @count unanswered pings. */
void virNetClientKeepAliveStart(virNetClient *client, int interval, unsigned int count);

bool virNetClientIsOpen(virNetClient *client);
/* Shut the connection down; waiting callers fail with an error. Then free. */
void virNetClientClose(virNetClient *client);
void virNetClientFree(virNetClient *client);

#endif /* TENVIRT_VIRNETCLIENT_H */
