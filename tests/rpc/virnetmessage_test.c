/*
 * virnetmessage_test.c: encoding and decoding of RPC messages: the length
 * word and its limits, the header, payloads, errors, queues.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virnetmessage.h"

#define XDR_VOID ((xdrproc_t)(void (*)(void))xdr_void)

static void
putU32(char *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static uint32_t
getU32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return ((uint32_t)u[0] << 24) | ((uint32_t)u[1] << 16) | ((uint32_t)u[2] << 8) | u[3];
}

/* Feed @len encoded bytes through the receive path as the server does. */
static virNetMessage *
receive(const char *bytes, size_t len)
{
    virNetMessage *msg = virNetMessageNew();

    virNetMessagePrepareRead(msg);
    memcpy(msg->buffer, bytes, 4);
    msg->bufferOffset = 4;
    ck_assert_int_eq(virNetMessageDecodeLength(msg), 0);
    ck_assert_uint_eq(msg->bufferLength, len);
    memcpy(msg->buffer + 4, bytes + 4, len - 4);
    msg->bufferOffset = len;
    ck_assert_int_eq(virNetMessageDecodeHeader(msg), 0);
    return msg;
}

START_TEST(test_connect_open_bytes)
{
    /* The CONNECT_OPEN call of spec 1.1, byte for byte. */
    static const unsigned char expect[] = {
        0x00, 0x00, 0x00, 0x38, 0x20, 0x00, 0x80, 0x86, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0f,
        't', 'e', 's', 't', ':', '/', '/', '/', 'd', 'e', 'f', 'a', 'u', 'l', 't', 0x00,
        0x00, 0x00, 0x00, 0x00,
    };
    virNetMessage *msg = virNetMessageNew();
    remote_connect_open_args args = { 0 };
    remote_connect_open_args got = { 0 };
    char *name = (char *)"test:///default";
    virNetMessage *rx;

    args.name = &name;
    args.flags = 0;
    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = REMOTE_PROTOCOL_VERSION;
    msg->header.proc = REMOTE_PROC_CONNECT_OPEN;
    msg->header.type = VIR_NET_CALL;
    msg->header.serial = 2;
    msg->header.status = VIR_NET_OK;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_connect_open_args,
                                                &args), 0);
    ck_assert_uint_eq(msg->bufferLength, sizeof(expect));
    ck_assert_uint_eq(msg->bufferOffset, 0);
    ck_assert_mem_eq(msg->buffer, expect, sizeof(expect));

    rx = receive(msg->buffer, msg->bufferLength);
    ck_assert_uint_eq(rx->header.prog, REMOTE_PROGRAM);
    ck_assert_int_eq(rx->header.proc, REMOTE_PROC_CONNECT_OPEN);
    ck_assert_uint_eq(rx->header.serial, 2);
    ck_assert_int_eq(virNetMessageDecodePayload(rx, (xdrproc_t)xdr_remote_connect_open_args,
                                                &got), 0);
    ck_assert_ptr_nonnull(got.name);
    ck_assert_str_eq(*got.name, "test:///default");
    xdr_free((xdrproc_t)xdr_remote_connect_open_args, (char *)&got);
    virNetMessageFree(rx);
    virNetMessageFree(msg);
}
END_TEST

START_TEST(test_empty_payload)
{
    virNetMessage *msg = virNetMessageNew();
    virNetMessage *rx;

    msg->header.prog = KEEPALIVE_PROGRAM;
    msg->header.vers = 1;
    msg->header.proc = KEEPALIVE_PROC_PING;
    msg->header.type = VIR_NET_MESSAGE;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayloadEmpty(msg), 0);
    ck_assert_uint_eq(msg->bufferLength, 28);
    ck_assert_uint_eq(getU32(msg->buffer), 28);
    rx = receive(msg->buffer, 28);
    ck_assert_uint_eq(rx->header.prog, KEEPALIVE_PROGRAM);
    ck_assert_int_eq(rx->header.type, VIR_NET_MESSAGE);
    ck_assert_int_eq(virNetMessageDecodePayload(rx, XDR_VOID, NULL), 0);
    virNetMessageFree(rx);
    virNetMessageFree(msg);
}
END_TEST

static int
decodeLength(uint32_t len)
{
    virNetMessage *msg = virNetMessageNew();
    int rc;

    virNetMessagePrepareRead(msg);
    putU32(msg->buffer, len);
    msg->bufferOffset = 4;
    rc = virNetMessageDecodeLength(msg);
    if (rc == 0)
        ck_assert_uint_eq(msg->bufferLength, len);
    virNetMessageFree(msg);
    return rc;
}

START_TEST(test_length_limits)
{
    virResetLastError();
    ck_assert_int_eq(decodeLength(0), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    ck_assert_int_eq(decodeLength(27), -1);
    ck_assert_int_eq(decodeLength(28), 0);
    ck_assert_int_eq(decodeLength(VIR_NET_MESSAGE_MAX + 4), 0);
    ck_assert_int_eq(decodeLength(VIR_NET_MESSAGE_MAX + 5), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "too large"));
    ck_assert_int_eq(decodeLength(0xffffffff), -1);
    virResetLastError();
}
END_TEST

START_TEST(test_truncated_payload)
{
    virNetMessage *msg = virNetMessageNew();
    virNetMessage *rx;
    char *s = (char *)"a string that will be cut short";
    char *out = NULL;
    size_t len;

    msg->header.prog = 1;
    msg->header.type = VIR_NET_CALL;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_nonnull_string,
                                                &s), 0);
    /* Claim fewer bytes than the string needs. */
    len = msg->bufferLength - 8;
    putU32(msg->buffer, len);
    rx = receive(msg->buffer, len);
    virResetLastError();
    ck_assert_int_eq(virNetMessageDecodePayload(rx, (xdrproc_t)xdr_remote_nonnull_string,
                                                &out), -1);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    ck_assert_str_eq(virGetLastErrorMessage(), "unable to decode message payload");
    virResetLastError();
    virNetMessageFree(rx);
    virNetMessageFree(msg);
}
END_TEST

START_TEST(test_array_over_limit)
{
    /* An auth type list claiming 21 entries (max 20) must not decode. */
    char buf[28 + 4 + 21 * 4] = { 0 };
    remote_auth_list_ret ret = { { 0 } };
    virNetMessage *rx;

    putU32(buf, sizeof(buf));
    putU32(buf + 28, 21);
    rx = receive(buf, sizeof(buf));
    ck_assert_int_eq(virNetMessageDecodePayload(rx, (xdrproc_t)xdr_remote_auth_list_ret,
                                                &ret), -1);
    virResetLastError();
    virNetMessageFree(rx);
}
END_TEST

START_TEST(test_large_payload_grows)
{
    virNetMessage *msg = virNetMessageNew();
    virNetMessage *rx;
    size_t n = 3 * VIR_NET_MESSAGE_INITIAL + 5;
    char *s = malloc(n + 1);
    char *out = NULL;

    memset(s, 'x', n);
    s[n] = '\0';
    msg->header.prog = 7;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_nonnull_string,
                                                &s), 0);
    ck_assert_uint_eq(msg->bufferLength, 28 + 4 + ((n + 3) & ~3UL));
    rx = receive(msg->buffer, msg->bufferLength);
    ck_assert_int_eq(virNetMessageDecodePayload(rx, (xdrproc_t)xdr_remote_nonnull_string,
                                                &out), 0);
    ck_assert_str_eq(out, s);
    xdr_free((xdrproc_t)xdr_remote_nonnull_string, (char *)&out);
    free(s);
    virNetMessageFree(rx);
    virNetMessageFree(msg);
}
END_TEST

START_TEST(test_payload_too_large)
{
    /* Strings are capped at 4 MiB by the protocol, so build something
     * bigger than 32 MiB from a domain list: 16384 entries of ~4 KiB. */
    virNetMessage *msg = virNetMessageNew();
    remote_connect_list_all_domains_ret ret = { { 0 } };
    char *name = malloc(2200 + 1);
    size_t i;

    memset(name, 'n', 2200);
    name[2200] = '\0';
    ret.domains.domains_len = REMOTE_DOMAIN_LIST_MAX;
    ret.domains.domains_val = calloc(REMOTE_DOMAIN_LIST_MAX, sizeof(remote_nonnull_domain));
    for (i = 0; i < REMOTE_DOMAIN_LIST_MAX; i++)
        ret.domains.domains_val[i].name = name;
    msg->header.prog = 7;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    /* 16384 * (4 + 2200 + 16 + 4) = 36 MiB > 32 MiB */
    virResetLastError();
    ck_assert_int_eq(virNetMessageEncodePayload(msg,
                                                (xdrproc_t)xdr_remote_connect_list_all_domains_ret,
                                                &ret), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    ck_assert_str_eq(virGetLastErrorMessage(), "Unable to encode message payload: too large");
    virResetLastError();
    free(ret.domains.domains_val);
    free(name);
    virNetMessageFree(msg);
}
END_TEST

START_TEST(test_payload_invalid)
{
    /* Over the protocol's 4 MiB string cap: encoding fails for a reason
     * other than room, and sizing must not turn it into "too large". */
    virNetMessage *msg = virNetMessageNew();
    size_t n = 5 * 1024 * 1024;
    char *s = malloc(n + 1);

    memset(s, 'x', n);
    s[n] = '\0';
    msg->header.prog = 7;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    virResetLastError();
    ck_assert_int_eq(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_nonnull_string,
                                                &s), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    ck_assert_str_eq(virGetLastErrorMessage(), "Unable to encode message payload");
    virResetLastError();
    free(s);
    virNetMessageFree(msg);
}
END_TEST

START_TEST(test_error_roundtrip)
{
    remote_error rerr;
    virErrorPtr err;

    virSetError(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN, VIR_ERR_ERROR, "Domain not found",
                "Domain not found", NULL, NULL, 7, 8);
    virNetMessageSaveError(&rerr);
    ck_assert_int_eq(rerr.code, VIR_ERR_NO_DOMAIN);
    ck_assert_int_eq(rerr.domain, VIR_FROM_DOMAIN);
    ck_assert_str_eq(*rerr.message, "Domain not found");
    ck_assert_int_eq(rerr.level, 2);
    ck_assert_ptr_null(rerr.dom);
    ck_assert_ptr_null(rerr.net);
    ck_assert_int_eq(rerr.int1, -1);
    ck_assert_int_eq(rerr.int2, -1);

    virResetLastError();
    virNetMessageRestoreError(&rerr);
    err = virGetLastError();
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, VIR_ERR_NO_DOMAIN);
    ck_assert_int_eq(err->domain, VIR_FROM_DOMAIN);
    ck_assert_str_eq(err->message, "Domain not found");
    xdr_free((xdrproc_t)xdr_remote_error, (char *)&rerr);

    /* No error set: a generic internal error still goes out. */
    virResetLastError();
    virNetMessageSaveError(&rerr);
    ck_assert_int_eq(rerr.code, VIR_ERR_INTERNAL_ERROR);
    ck_assert_int_eq(rerr.domain, VIR_FROM_RPC);
    ck_assert_ptr_nonnull(rerr.message);
    xdr_free((xdrproc_t)xdr_remote_error, (char *)&rerr);
    virResetLastError();
}
END_TEST

START_TEST(test_error_wire_form)
{
    /* The LOOKUP_BY_NAME error reply of spec 1.3, from a restored error. */
    static const unsigned char expect[] = {
        0x00, 0x00, 0x00, 0x70, 0x20, 0x00, 0x80, 0x86, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x10, 'D', 'o', 'm', 'a', 'i', 'n', ' ', 'n', 'o', 't', ' ',
        'f', 'o', 'u', 'n', 'd', 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 'D', 'o', 'm', 'a', 'i', 'n',
        ' ', 'n', 'o', 't', ' ', 'f', 'o', 'u', 'n', 'd', 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x00, 0x00, 0x00, 0x00,
    };
    virNetMessage *msg = virNetMessageNew();
    remote_error rerr;

    virSetError(VIR_FROM_TEST, VIR_ERR_NO_DOMAIN, VIR_ERR_ERROR, "Domain not found",
                "Domain not found", NULL, NULL, -1, -1);
    virNetMessageSaveError(&rerr);
    msg->header.prog = REMOTE_PROGRAM;
    msg->header.vers = 1;
    msg->header.proc = REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME;
    msg->header.type = VIR_NET_REPLY;
    msg->header.serial = 6;
    msg->header.status = VIR_NET_ERROR;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_error, &rerr), 0);
    ck_assert_uint_eq(msg->bufferLength, sizeof(expect));
    ck_assert_mem_eq(msg->buffer, expect, sizeof(expect));
    xdr_free((xdrproc_t)xdr_remote_error, (char *)&rerr);
    virNetMessageFree(msg);
    virResetLastError();
}
END_TEST

START_TEST(test_queue)
{
    virNetMessage *q = NULL;
    virNetMessage *a = virNetMessageNew();
    virNetMessage *b = virNetMessageNew();
    virNetMessage *c = virNetMessageNew();

    ck_assert_ptr_null(virNetMessageQueueServe(&q));
    virNetMessageQueuePush(&q, a);
    virNetMessageQueuePush(&q, b);
    ck_assert_ptr_eq(virNetMessageQueueServe(&q), a);
    virNetMessageQueuePush(&q, c);
    ck_assert_ptr_eq(virNetMessageQueueServe(&q), b);
    ck_assert_ptr_eq(virNetMessageQueueServe(&q), c);
    ck_assert_ptr_null(virNetMessageQueueServe(&q));
    ck_assert_ptr_null(a->next);
    virNetMessageFree(a);
    virNetMessageFree(b);
    virNetMessageFree(c);
}
END_TEST

START_TEST(test_clear_reuse)
{
    virNetMessage *msg = virNetMessageNew();

    msg->header.prog = 9;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayloadEmpty(msg), 0);
    virNetMessageClear(msg);
    ck_assert_uint_eq(msg->header.prog, 0);
    ck_assert_uint_eq(msg->bufferLength, 0);
    msg->header.prog = 10;
    ck_assert_int_eq(virNetMessageEncodeHeader(msg), 0);
    ck_assert_int_eq(virNetMessageEncodePayloadEmpty(msg), 0);
    ck_assert_uint_eq(getU32(msg->buffer + 4), 10);
    virNetMessageFree(msg);
}
END_TEST

static Suite *
virNetMessageSuite(void)
{
    Suite *s = suite_create("virnetmessage");
    TCase *tc = tcase_create("virnetmessage");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_connect_open_bytes);
    tcase_add_test(tc, test_empty_payload);
    tcase_add_test(tc, test_length_limits);
    tcase_add_test(tc, test_truncated_payload);
    tcase_add_test(tc, test_array_over_limit);
    tcase_add_test(tc, test_large_payload_grows);
    tcase_add_test(tc, test_payload_too_large);
    tcase_add_test(tc, test_payload_invalid);
    tcase_add_test(tc, test_error_roundtrip);
    tcase_add_test(tc, test_error_wire_form);
    tcase_add_test(tc, test_queue);
    tcase_add_test(tc, test_clear_reuse);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virNetMessageSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
