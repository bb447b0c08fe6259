/*
 * virnetmessage.h: one RPC message of the libvirt wire protocol.
 *
 * On the wire: a 4-byte big-endian length (counting itself), the 24-byte
 * header (virNetMessageHeader from remote_protocol.x), then the XDR
 * payload. A message is built or parsed in one flat buffer.
 */
#ifndef TENVIRT_VIRNETMESSAGE_H
#define TENVIRT_VIRNETMESSAGE_H

#include <rpc/rpc.h>
#include "internal.h"
#include "remote_protocol.h"

#define VIR_NET_MESSAGE_LEN_MAX 4             /* the length word */
#define VIR_NET_MESSAGE_HEADER_MAX 24
#define VIR_NET_MESSAGE_MAX 33554432          /* largest len - 4 accepted */
#define VIR_NET_MESSAGE_INITIAL 65536         /* first buffer size */

typedef struct _virNetMessage virNetMessage;
struct _virNetMessage {
    virNetMessageHeader header;
    char *buffer;           /* the whole message, length word first */
    size_t bufferLength;    /* bytes valid (tx) or expected (rx) */
    size_t bufferOffset;    /* bytes already sent / received */
    virNetMessage *next;    /* for queues */
};

/* A new empty message. Caller frees with virNetMessageFree. */
virNetMessage *virNetMessageNew(void);
void virNetMessageFree(virNetMessage *msg);
/* Reset for reuse, keeping the buffer. */
void virNetMessageClear(virNetMessage *msg);

/* Queue helpers: append at the tail / take from the head. */
void virNetMessageQueuePush(virNetMessage **queue, virNetMessage *msg);
virNetMessage *virNetMessageQueueServe(virNetMessage **queue);

/* --- receiving: the reader fills buffer[0..4), then the rest --------- */
/* Make room for the length word. */
void virNetMessagePrepareRead(virNetMessage *msg);
/* After the 4 length bytes arrived: validate (28 <= len <= MAX + 4) and
 * grow the buffer to the full length. -1 with VIR_ERR_RPC error if out of range. */
int virNetMessageDecodeLength(virNetMessage *msg);
/* After the whole message arrived: decode the header. -1 on garbage. */
int virNetMessageDecodeHeader(virNetMessage *msg);
/* Decode the payload with @filter into @data (zeroed by the caller).
 * -1 with VIR_ERR_RPC "unable to decode message payload" on failure;
 * whatever was decoded is freed. */
int virNetMessageDecodePayload(virNetMessage *msg, xdrproc_t filter, void *data);

/* --- sending --------------------------------------------------------- */
/* Write msg->header into the buffer (after a length placeholder). */
int virNetMessageEncodeHeader(virNetMessage *msg);
/* Append the XDR encoding of @data and fix up the length word. -1 if the
 * result would exceed VIR_NET_MESSAGE_MAX (VIR_ERR_RPC). */
int virNetMessageEncodePayload(virNetMessage *msg, xdrproc_t filter, void *data);
/* Fix up the length word for a header-only message. */
int virNetMessageEncodePayloadEmpty(virNetMessage *msg);

/* Fill @rerr from the thread's last error (a generic internal error if
 * none is set). Free with xdr_free(xdr_remote_error, rerr). */
void virNetMessageSaveError(remote_error *rerr);
/* Install a received error as the thread's last error. */
void virNetMessageRestoreError(const remote_error *rerr);

#endif /* TENVIRT_VIRNETMESSAGE_H */
