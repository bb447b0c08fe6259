/*
 * virnetmessage.c: one RPC message of the libvirt wire protocol.
 */
#include <config.h>

#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetmessage.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netmessage");

/* Offset of the payload: the length word and the six header words. */
#define VIR_NET_MESSAGE_PAYLOAD_OFFSET (VIR_NET_MESSAGE_LEN_MAX + VIR_NET_MESSAGE_HEADER_MAX)

VIR_STATIC_ASSERT(VIR_NET_MESSAGE_PAYLOAD_OFFSET == 28, "header is 24 bytes after the length");

virNetMessage *
virNetMessageNew(void)
{
    virNetMessage *msg;

    VIR_ALLOC(msg);
    return msg;
}

void
virNetMessageFree(virNetMessage *msg)
{
    if (!msg)
        return;
    free(msg->buffer);
    free(msg);
}

void
virNetMessageClear(virNetMessage *msg)
{
    char *buffer = msg->buffer;

    /* Every user resizes the buffer before filling it, so only the
     * allocation itself is worth keeping. */
    memset(msg, 0, sizeof(*msg));
    msg->buffer = buffer;
}

void
virNetMessageQueuePush(virNetMessage **queue, virNetMessage *msg)
{
    virNetMessage **tail = queue;

    while (*tail)
        tail = &(*tail)->next;
    msg->next = NULL;
    *tail = msg;
}

virNetMessage *
virNetMessageQueueServe(virNetMessage **queue)
{
    virNetMessage *msg = *queue;

    if (msg) {
        *queue = msg->next;
        msg->next = NULL;
    }
    return msg;
}

/* Reallocate the buffer to exactly @size bytes: a cleared message does
 * not remember the size of its old allocation, so it is never trusted. */
static void
virNetMessageResize(virNetMessage *msg, size_t size)
{
    VIR_REALLOC_N(msg->buffer, size);
}

void
virNetMessagePrepareRead(virNetMessage *msg)
{
    virNetMessageResize(msg, VIR_NET_MESSAGE_LEN_MAX);
    msg->bufferLength = VIR_NET_MESSAGE_LEN_MAX;
    msg->bufferOffset = 0;
}

static uint32_t
virNetMessageGetU32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

static void
virNetMessagePutU32(char *p, uint32_t v)
{
    unsigned char *u = (unsigned char *)p;

    u[0] = v >> 24;
    u[1] = v >> 16;
    u[2] = v >> 8;
    u[3] = v;
}

int
virNetMessageDecodeLength(virNetMessage *msg)
{
    uint32_t len;

    if (msg->bufferLength < VIR_NET_MESSAGE_LEN_MAX) {
        virReportError(VIR_ERR_RPC, "%s", "message length word not received");
        return -1;
    }
    len = virNetMessageGetU32(msg->buffer);
    if (len < VIR_NET_MESSAGE_PAYLOAD_OFFSET) {
        virReportError(VIR_ERR_RPC, "packet %u bytes received too small, want at least %d",
                       len, VIR_NET_MESSAGE_PAYLOAD_OFFSET);
        return -1;
    }
    if (len - VIR_NET_MESSAGE_LEN_MAX > VIR_NET_MESSAGE_MAX) {
        virReportError(VIR_ERR_RPC, "packet %u bytes received too large, want at most %d",
                       len - VIR_NET_MESSAGE_LEN_MAX, VIR_NET_MESSAGE_MAX);
        return -1;
    }
    virNetMessageResize(msg, len);
    msg->bufferLength = len;
    return 0;
}

int
virNetMessageDecodeHeader(virNetMessage *msg)
{
    XDR xdr;
    int ret = 0;

    if (msg->bufferLength < VIR_NET_MESSAGE_PAYLOAD_OFFSET) {
        virReportError(VIR_ERR_RPC, "%s", "message too short for its header");
        return -1;
    }
    memset(&msg->header, 0, sizeof(msg->header));
    xdrmem_create(&xdr, msg->buffer + VIR_NET_MESSAGE_LEN_MAX,
                  VIR_NET_MESSAGE_HEADER_MAX, XDR_DECODE);
    if (!xdr_virNetMessageHeader(&xdr, &msg->header)) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to decode message header");
        ret = -1;
    }
    xdr_destroy(&xdr);
    msg->bufferOffset = VIR_NET_MESSAGE_PAYLOAD_OFFSET;
    return ret;
}

int
virNetMessageDecodePayload(virNetMessage *msg, xdrproc_t filter, void *data)
{
    XDR xdr;
    int ret = 0;

    if (msg->bufferLength < VIR_NET_MESSAGE_PAYLOAD_OFFSET) {
        virReportError(VIR_ERR_RPC, "%s", "unable to decode message payload");
        return -1;
    }
    xdrmem_create(&xdr, msg->buffer + VIR_NET_MESSAGE_PAYLOAD_OFFSET,
                  msg->bufferLength - VIR_NET_MESSAGE_PAYLOAD_OFFSET, XDR_DECODE);
    if (!filter(&xdr, data, 0)) {
        /* Arrays and strings decoded before the failure are owned by @data. */
        xdr_free(filter, data);
        virReportError(VIR_ERR_RPC, "%s", "unable to decode message payload");
        ret = -1;
    }
    xdr_destroy(&xdr);
    return ret;
}

int
virNetMessageEncodeHeader(virNetMessage *msg)
{
    XDR xdr;
    int ret = 0;

    virNetMessageResize(msg, VIR_NET_MESSAGE_INITIAL);
    msg->bufferLength = VIR_NET_MESSAGE_INITIAL;
    xdrmem_create(&xdr, msg->buffer + VIR_NET_MESSAGE_LEN_MAX,
                  VIR_NET_MESSAGE_HEADER_MAX, XDR_ENCODE);
    if (!xdr_virNetMessageHeader(&xdr, &msg->header)) {
        virReportError(VIR_ERR_RPC, "%s", "Unable to encode message header");
        ret = -1;
    }
    xdr_destroy(&xdr);
    msg->bufferOffset = VIR_NET_MESSAGE_PAYLOAD_OFFSET;
    virNetMessagePutU32(msg->buffer, VIR_NET_MESSAGE_PAYLOAD_OFFSET);
    return ret;
}

/* The message is complete: fix the length word and rewind for sending. */
static void
virNetMessageFinish(virNetMessage *msg)
{
    msg->bufferLength = msg->bufferOffset;
    virNetMessagePutU32(msg->buffer, msg->bufferLength);
    msg->bufferOffset = 0;
}

int
virNetMessageEncodePayload(virNetMessage *msg, xdrproc_t filter, void *data)
{
    const size_t limit = (size_t)VIR_NET_MESSAGE_MAX + VIR_NET_MESSAGE_LEN_MAX;
    bool sized = false;

    if (msg->bufferOffset != VIR_NET_MESSAGE_PAYLOAD_OFFSET || !msg->buffer) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "message header not encoded");
        return -1;
    }

    for (;;) {
        XDR xdr;
        bool ok;
        unsigned int used;
        unsigned long need;

        xdrmem_create(&xdr, msg->buffer + msg->bufferOffset,
                      msg->bufferLength - msg->bufferOffset, XDR_ENCODE);
        ok = filter(&xdr, data, 0);
        used = xdr_getpos(&xdr);
        xdr_destroy(&xdr);
        if (ok) {
            msg->bufferOffset += used;
            virNetMessageFinish(msg);
            return 0;
        }
        if (sized) {
            virReportError(VIR_ERR_RPC, "%s", "Unable to encode message payload");
            return -1;
        }
        /* Out of room (or bad data, which sizing fails on too): size the
         * payload once and encode again, rather than doubling and
         * re-encoding a large list several times. */
        need = xdr_sizeof(filter, data);
        if (need == 0) {
            virReportError(VIR_ERR_RPC, "%s", "Unable to encode message payload");
            return -1;
        }
        if (need > limit - msg->bufferOffset) {
            virReportError(VIR_ERR_RPC, "%s", "Unable to encode message payload: too large");
            return -1;
        }
        msg->bufferLength = msg->bufferOffset + need;
        virNetMessageResize(msg, msg->bufferLength);
        sized = true;
    }
}

int
virNetMessageEncodePayloadEmpty(virNetMessage *msg)
{
    if (msg->bufferOffset != VIR_NET_MESSAGE_PAYLOAD_OFFSET || !msg->buffer) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "message header not encoded");
        return -1;
    }
    virNetMessageFinish(msg);
    return 0;
}

static remote_string
virNetMessageDupString(const char *s)
{
    remote_string r;

    if (!s)
        return NULL;
    VIR_ALLOC(r);
    *r = virStrdup(s);
    return r;
}

void
virNetMessageSaveError(remote_error *rerr)
{
    virErrorPtr err = virGetLastError();

    memset(rerr, 0, sizeof(*rerr));
    if (err && err->code != VIR_ERR_OK) {
        rerr->code = err->code;
        rerr->domain = err->domain;
        rerr->message = virNetMessageDupString(err->message);
        rerr->str1 = virNetMessageDupString(err->str1);
        rerr->str2 = virNetMessageDupString(err->str2);
        rerr->str3 = virNetMessageDupString(err->str3);
    } else {
        rerr->code = VIR_ERR_INTERNAL_ERROR;
        rerr->domain = VIR_FROM_RPC;
        rerr->message = virNetMessageDupString("internal error: the call failed "
                                               "without reporting an error");
    }
    /* What stock clients expect (spec 1.3): an error-level entry with no
     * object attached and the integer slots unused. */
    rerr->level = VIR_ERR_ERROR;
    rerr->int1 = -1;
    rerr->int2 = -1;
    rerr->dom = NULL;
    rerr->net = NULL;
}

void
virNetMessageRestoreError(const remote_error *rerr)
{
    virSetError(rerr->domain, rerr->code, rerr->level,
                rerr->message ? *rerr->message : NULL,
                rerr->str1 ? *rerr->str1 : NULL,
                rerr->str2 ? *rerr->str2 : NULL,
                rerr->str3 ? *rerr->str3 : NULL,
                rerr->int1, rerr->int2);
}
