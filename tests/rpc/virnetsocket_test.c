/*
 * virnetsocket_test.c: sockets: UNIX listeners (permissions, stale paths),
 * TCP addresses, peer credentials, and the security-layer seam with a toy
 * layer standing in for SASL.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virnetsocket.h"

static char *
tempDir(void)
{
    char tmpl[] = "/tmp/tenvirt-sock-XXXXXX";

    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    return virStrdup(tmpl);
}

/* Accept with a bounded wait (the listener is non-blocking). */
static virNetSocket *
acceptOne(virNetSocket *lsock)
{
    struct pollfd pfd = { .fd = virNetSocketGetFD(lsock), .events = POLLIN };
    virNetSocket *c = NULL;

    ck_assert_int_eq(poll(&pfd, 1, 20000), 1);
    ck_assert_int_eq(virNetSocketAccept(lsock, &c), 0);
    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(test_unix_listener)
{
    char *dir = tempDir();
    char *path = virPrintf("%s/sock", dir);
    char *file = virPrintf("%s/file", dir);
    virNetSocket *lsock, *csock, *ssock;
    struct stat st;
    uid_t uid;
    gid_t gid;
    pid_t pid;
    FILE *fp;

    lsock = virNetSocketNewListenUNIX(path, 0660, (gid_t)-1);
    ck_assert_ptr_nonnull(lsock);
    ck_assert(virNetSocketIsLocal(lsock));
    ck_assert_int_eq(virNetSocketGetPort(lsock), -1);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0660);

    csock = virNetSocketNewConnectUNIX(path);
    ck_assert_ptr_nonnull(csock);
    ssock = acceptOne(lsock);
    ck_assert_int_eq(virNetSocketGetUNIXIdentity(ssock, &uid, &gid, &pid), 0);
    ck_assert_int_eq(uid, getuid());
    ck_assert_int_eq(gid, getgid());
    ck_assert_int_eq(pid, getpid());
    ck_assert_ptr_null(virNetSocketRemoteAddrString(ssock));
    /* Nothing pending: no client, no error. */
    {
        virNetSocket *none = (virNetSocket *)1;

        ck_assert_int_eq(virNetSocketAccept(lsock, &none), 0);
        ck_assert_ptr_null(none);
    }
    virNetSocketFree(ssock);
    virNetSocketFree(csock);

    /* A second listener replaces a stale socket... */
    {
        virNetSocket *again = virNetSocketNewListenUNIX(path, 0600, (gid_t)-1);

        ck_assert_ptr_nonnull(again);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_eq(st.st_mode & 0777, 0600);
        virNetSocketFree(again);
    }
    /* ...and freeing removes the path. */
    ck_assert_int_ne(access(path, F_OK), 0);
    virNetSocketFree(lsock);

    /* ...but never a file that is not a socket. */
    fp = fopen(file, "w");
    ck_assert_ptr_nonnull(fp);
    fclose(fp);
    ck_assert_ptr_null(virNetSocketNewListenUNIX(file, 0600, (gid_t)-1));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "not a socket"));
    virResetLastError();
    ck_assert_int_eq(access(file, F_OK), 0);
    unlink(file);
    rmdir(dir);
    free(file);
    free(path);
    free(dir);
}
END_TEST

START_TEST(test_tcp_addresses)
{
    virNetSocket **socks = NULL;
    size_t nsocks = 0;
    virNetSocket *csock, *ssock;
    char port[16];
    char *expect;
    size_t i;

    ck_assert_int_eq(virNetSocketNewListenTCP("127.0.0.1", "0", &socks, &nsocks), 0);
    ck_assert_uint_eq(nsocks, 1);
    ck_assert_int_gt(virNetSocketGetPort(socks[0]), 0);
    snprintf(port, sizeof(port), "%d", virNetSocketGetPort(socks[0]));
    csock = virNetSocketNewConnectTCP("127.0.0.1", port);
    ck_assert_ptr_nonnull(csock);
    ssock = acceptOne(socks[0]);
    ck_assert(!virNetSocketIsLocal(ssock));
    expect = virPrintf("127.0.0.1;%s", port);
    ck_assert_str_eq(virNetSocketLocalAddrString(ssock), expect);
    ck_assert_str_eq(virNetSocketRemoteAddrString(csock), expect);
    ck_assert_str_eq(virNetSocketRemoteAddrString(ssock), virNetSocketLocalAddrString(csock));
    free(expect);
    virNetSocketFree(ssock);
    virNetSocketFree(csock);

    /* The port is taken now. */
    ck_assert_int_eq(virNetSocketNewListenTCP("127.0.0.1", port, &(virNetSocket **){NULL},
                                              &(size_t){0}), -1);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "Address already in use"));
    virResetLastError();
    for (i = 0; i < nsocks; i++)
        virNetSocketFree(socks[i]);
    free(socks);

    ck_assert_int_eq(virNetSocketNewListenTCP("no.such.host.invalid", "0",
                                              &socks, &nsocks), -1);
    virResetLastError();
}
END_TEST

/* A toy security layer: each chunk is a 4-byte length, then the bytes
 * XORed with 0x5a. Decoding accepts input in arbitrary pieces, as SASL
 * does. */
typedef struct {
    char out[70000];
    char in[70000];
    size_t inlen;
    int freed;
} toyLayer;

static int
toyEncode(void *opaque, const char *in, size_t inlen, const char **out, size_t *outlen)
{
    toyLayer *t = opaque;
    size_t i;

    ck_assert_uint_le(inlen, 1000);
    t->out[0] = inlen >> 24;
    t->out[1] = inlen >> 16;
    t->out[2] = inlen >> 8;
    t->out[3] = inlen;
    for (i = 0; i < inlen; i++)
        t->out[4 + i] = in[i] ^ 0x5a;
    *out = t->out;
    *outlen = inlen + 4;
    return 0;
}

static int
toyDecode(void *opaque, const char *in, size_t inlen, const char **out, size_t *outlen)
{
    toyLayer *t = opaque;
    size_t done = 0;
    size_t used = 0;

    memcpy(t->in + t->inlen, in, inlen);
    t->inlen += inlen;
    /* Emit every complete chunk, keep the rest. */
    while (t->inlen - used >= 4) {
        const unsigned char *p = (const unsigned char *)t->in + used;
        size_t n = ((size_t)p[0] << 24) | ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | p[3];
        size_t i;

        if (t->inlen - used < 4 + n)
            break;
        for (i = 0; i < n; i++)
            t->out[done + i] = t->in[used + 4 + i] ^ 0x5a;
        done += n;
        used += 4 + n;
    }
    memmove(t->in, t->in + used, t->inlen - used);
    t->inlen -= used;
    *out = t->out;
    *outlen = done;
    return 0;
}

static void
toyFree(void *opaque)
{
    toyLayer *t = opaque;

    t->freed++;
}

static const virNetSocketLayer toyLayerOps = { toyEncode, toyDecode, toyFree };

START_TEST(test_security_layer)
{
    int sv[2];
    virNetSocket *a, *b;
    toyLayer *la = calloc(1, sizeof(*la));
    toyLayer *lb = calloc(1, sizeof(*lb));
    char msg[3000];
    char got[3000];
    char raw[16];
    size_t off;
    size_t i;

    for (i = 0; i < sizeof(msg); i++)
        msg[i] = i * 7;
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    a = virNetSocketNewConnectedFD(sv[0]);
    b = virNetSocketNewConnectedFD(sv[1]);
    virNetSocketSetSecurityLayer(a, &toyLayerOps, 1000, la);
    virNetSocketSetSecurityLayer(b, &toyLayerOps, 1000, lb);

    /* Writes consume at most one chunk of plaintext at a time. */
    off = 0;
    while (off < sizeof(msg)) {
        ssize_t rc = virNetSocketWrite(a, msg + off, sizeof(msg) - off);

        ck_assert_int_gt(rc, 0);
        ck_assert_int_le(rc, 1000);
        off += rc;
    }

    /* What went over the wire is encoded. */
    ck_assert_int_eq(recv(sv[1], raw, 8, MSG_PEEK), 8);
    ck_assert_int_eq(raw[3], (char)0xe8);      /* 1000 = 0x3e8 */
    ck_assert_int_eq(raw[4], msg[0] ^ 0x5a);

    off = 0;
    while (off < sizeof(msg)) {
        ssize_t rc = virNetSocketRead(b, got + off, 7);

        if (rc < 0) {
            ck_assert_int_eq(errno, EAGAIN);
            continue;
        }
        ck_assert_int_gt(rc, 0);
        off += rc;
        /* Decoded bytes wait in the socket, readable without poll. */
        if (off % 1000 != 0 && off < sizeof(msg))
            ck_assert(virNetSocketHasCachedData(b));
    }
    ck_assert(!virNetSocketHasCachedData(b));
    ck_assert_mem_eq(got, msg, sizeof(msg));

    /* EOF comes through the layer too. */
    virNetSocketFree(a);
    ck_assert_int_eq(la->freed, 1);
    for (;;) {
        ssize_t rc = virNetSocketRead(b, got, sizeof(got));

        if (rc < 0 && errno == EAGAIN)
            continue;
        ck_assert_int_eq(rc, 0);
        break;
    }
    virNetSocketFree(b);
    ck_assert_int_eq(lb->freed, 1);
    free(la);
    free(lb);
}
END_TEST

static Suite *
virNetSocketSuite(void)
{
    Suite *s = suite_create("virnetsocket");
    TCase *tc = tcase_create("virnetsocket");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_unix_listener);
    tcase_add_test(tc, test_tcp_addresses);
    tcase_add_test(tc, test_security_layer);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virNetSocketSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
