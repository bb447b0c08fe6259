/*
 * sasl_unit_test.c: the pieces of SASL authentication on their own:
 * auth.conf parsing, the failed-login throttle, and a real cyrus-sasl
 * negotiation between a server and a client session in one process
 * (mechanism lists per transport, DIGEST-MD5 with its security layer,
 * wrong passwords, the allowed-user list).
 *
 * The negotiation tests make a sasldb with saslpasswd2 at start-up and
 * skip (pass without checking) when sasl2-bin is not installed.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "remote_auth.h"
#include "viralloc.h"
#include "virauthconfig.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetsasl.h"

#define VIR_FROM_THIS VIR_FROM_NONE

static char *testDir;           /* sasldb and libvirt.conf, or NULL to skip */

static void
testSetup(void)
{
    virLogReset();
    virLogSetOutputs("");
    virResetLastError();
}

static void
testTeardown(void)
{
    virLogReset();
    virResetLastError();
}

/* ---- auth.conf ---------------------------------------------------------- */

static const char testAuthConf[] =
    "# libvirt's example, more or less\n"
    "[credentials-test]\n"
    "authname = fred\n"
    "password=123\\s456\n"
    "\n"
    "[credentials-prod]\n"
    "authname=bar\n"
    "password=letmein\n"
    "\n"
    "[auth-libvirt-test1.example.com]\n"
    "credentials=test\n"
    "\n"
    "[auth-libvirt-default]\n"
    "credentials=prod\n"
    "[auth-libvirt-broken.example.com]\n"
    "credentials=nosuch\n";

START_TEST(test_authconf_lookup)
{
    virAuthConfig *auth = virAuthConfigNewData("auth.conf", testAuthConf,
                                               strlen(testAuthConf));
    const char *v = NULL;

    ck_assert_msg(auth != NULL, "%s", virGetLastErrorMessage());
    ck_assert_int_eq(virAuthConfigLookup(auth, "libvirt", "test1.example.com", "authname", &v), 0);
    ck_assert_str_eq(v, "fred");
    ck_assert_int_eq(virAuthConfigLookup(auth, "libvirt", "test1.example.com", "password", &v), 0);
    ck_assert_str_eq(v, "123 456");
    /* Another host: the default group. */
    ck_assert_int_eq(virAuthConfigLookup(auth, "libvirt", "other", "authname", &v), 0);
    ck_assert_str_eq(v, "bar");
    /* A key the credentials do not have. */
    ck_assert_int_eq(virAuthConfigLookup(auth, "libvirt", "other", "realm", &v), 0);
    ck_assert_ptr_null(v);
    /* Another service: nothing at all. */
    ck_assert_int_eq(virAuthConfigLookup(auth, "ssh", "other", "authname", &v), 0);
    ck_assert_ptr_null(v);
    /* A dangling reference is an error worth reporting. */
    ck_assert_int_eq(virAuthConfigLookup(auth, "libvirt", "broken.example.com", "authname", &v),
                     -1);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "[credentials-nosuch]"));
    virAuthConfigFree(auth);
}
END_TEST

START_TEST(test_authconf_errors)
{
    static const char bad[] =
        "authname=orphan\n"
        "[credentials-x]\n"
        "no equals sign\n"
        "[unterminated\n"
        "password=bad\\qescape\n"
        " = novalue\n";
    virAuthConfig *auth = virAuthConfigNewData("bad.conf", bad, strlen(bad));
    const char *msg = virGetLastErrorMessage();

    ck_assert_ptr_null(auth);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_CONF_SYNTAX);
    /* Every bad line, each with FILE:LINE. */
    ck_assert_msg(strstr(msg, "bad.conf:1: key outside of any [group]"), "%s", msg);
    ck_assert_msg(strstr(msg, "bad.conf:3: expected KEY=VALUE or [GROUP]"), "%s", msg);
    ck_assert_msg(strstr(msg, "bad.conf:4: malformed group header"), "%s", msg);
    ck_assert_msg(strstr(msg, "bad.conf:5: invalid escape sequence"), "%s", msg);
    ck_assert_msg(strstr(msg, "bad.conf:6: empty key"), "%s", msg);
    /* Never echo a value: it may be a password. */
    ck_assert_msg(!strstr(msg, "bad\\q"), "%s", msg);
}
END_TEST

START_TEST(test_authconf_find)
{
    char *path;

    setenv("LIBVIRT_AUTH_FILE", "/env/auth.conf", 1);
    path = virAuthConfigFindFile("/uri/auth.conf");
    ck_assert_str_eq(path, "/env/auth.conf");
    free(path);
    unsetenv("LIBVIRT_AUTH_FILE");
    path = virAuthConfigFindFile("/uri/auth.conf");
    ck_assert_str_eq(path, "/uri/auth.conf");
    free(path);
}
END_TEST

START_TEST(test_authconf_file)
{
    VIR_AUTOFREE(char *) path = virPrintf("%s/auth-test-%d.conf", P_tmpdir, (int)getpid());
    FILE *fp = fopen(path, "w");
    virAuthConfig *auth;
    const char *v = NULL;

    ck_assert_ptr_nonnull(fp);
    fputs(testAuthConf, fp);
    fclose(fp);
    auth = virAuthConfigNew(path);
    unlink(path);
    ck_assert_msg(auth != NULL, "%s", virGetLastErrorMessage());
    ck_assert_int_eq(virAuthConfigLookup(auth, "libvirt", "x", "password", &v), 0);
    ck_assert_str_eq(v, "letmein");
    virAuthConfigFree(auth);

    ck_assert_ptr_null(virAuthConfigNew(path));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR);
}
END_TEST

/* ---- the throttle --------------------------------------------------------- */

START_TEST(test_throttle)
{
    remoteAuthConfig cfg = { .tcpMinSSF = 56, .failMax = 3, .failWindow = 10 };
    unsigned long long left = 0;
    char key[32];
    int i;

    remoteAuthSetup(NULL, &cfg);
    ck_assert(!remoteAuthRecordFailure("192.0.2.1", 100));
    ck_assert(!remoteAuthRecordFailure("192.0.2.1", 101));
    ck_assert(!remoteAuthIsThrottled("192.0.2.1", 101, &left));
    /* The third within the window blocks, for the window. */
    ck_assert(remoteAuthRecordFailure("192.0.2.1", 102));
    ck_assert(remoteAuthIsThrottled("192.0.2.1", 103, &left));
    ck_assert_int_eq(left, 9);
    /* Other addresses are not affected. */
    ck_assert(!remoteAuthIsThrottled("192.0.2.2", 103, &left));
    /* The block ends with the window, and counting starts afresh. */
    ck_assert(!remoteAuthIsThrottled("192.0.2.1", 112, &left));
    ck_assert(!remoteAuthRecordFailure("192.0.2.1", 112));
    ck_assert(!remoteAuthRecordFailure("192.0.2.1", 113));
    ck_assert(remoteAuthRecordFailure("192.0.2.1", 114));

    /* Failures further apart than the window never add up. */
    for (i = 0; i < 10; i++)
        ck_assert(!remoteAuthRecordFailure("192.0.2.3", 1000 + i * 11));

    /* A flood of addresses stays bounded and does not crash. */
    for (i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "10.0.%d.%d", i / 256, i % 256);
        remoteAuthRecordFailure(key, 2000);
    }

    /* 0 turns the throttle off. */
    cfg.failMax = 0;
    remoteAuthSetup(NULL, &cfg);
    for (i = 0; i < 10; i++)
        ck_assert(!remoteAuthRecordFailure("192.0.2.9", 3000));
    ck_assert(!remoteAuthIsThrottled("192.0.2.9", 3000, &left));
    remoteAuthCleanup();
}
END_TEST

/* ---- negotiation ------------------------------------------------------------ */

typedef struct {
    const char *user;
    const char *pass;
} testCreds;

static int
testCred(virNetSASLCredType type, char **value, void *opaque)
{
    testCreds *c = opaque;
    const char *v = type == VIR_NET_SASL_CRED_PASSPHRASE ? c->pass : c->user;

    if (!v) {
        virReportError(VIR_ERR_AUTH_FAILED, "%s", "no credential");
        return -1;
    }
    *value = virStrdup(v);
    return 0;
}

/* A copy of @len bytes of binary data. */
static char *
testMemdup(const char *data, size_t len)
{
    char *copy = virAllocN(1, len ? len : 1);

    memcpy(copy, data, len);
    return copy;
}

static virNetSASLContext *
testServerContext(const char *const *allowed)
{
    virNetSASLContext *ctx = virNetSASLContextNewServer(testDir, allowed);

    ck_assert_msg(ctx != NULL, "%s", virGetLastErrorMessage());
    return ctx;
}

/* Negotiate between fresh sessions: TCP-like (layer of >= 56 bits) unless
 * @tlsBits. Returns the server's last result; @srvOut and @cliOut get the
 * sessions (caller frees) when non-NULL. */
static int
testNegotiate(virNetSASLContext *sctx, virNetSASLContext *cctx, testCreds *creds,
              int tlsBits, const char *forceMech,
              virNetSASLSession **srvOut, virNetSASLSession **cliOut)
{
    virNetSASLSession *srv = virNetSASLSessionNewServer(sctx, "libvirt",
                                                        "127.0.0.1;16509", "127.0.0.1;40000");
    virNetSASLSession *cli = virNetSASLSessionNewClient(cctx, "libvirt", "127.0.0.1",
                                                        "127.0.0.1;40000", "127.0.0.1;16509",
                                                        testCred, creds);
    VIR_AUTOFREE(char *) mechs = NULL;
    VIR_AUTOFREE(char *) buf = NULL;
    const char *out = NULL, *sout = NULL, *mech = NULL;
    size_t outlen = 0, soutlen = 0;
    int crc, src;
    int i;

    ck_assert_ptr_nonnull(srv);
    ck_assert_ptr_nonnull(cli);
    if (tlsBits) {
        ck_assert_int_eq(virNetSASLSessionSetExternalSSF(srv, tlsBits), 0);
        ck_assert_int_eq(virNetSASLSessionSetExternalSSF(cli, tlsBits), 0);
        ck_assert_int_eq(virNetSASLSessionSetSecProps(srv, 0, 0, true), 0);
        ck_assert_int_eq(virNetSASLSessionSetSecProps(cli, 0, 0, true), 0);
    } else {
        ck_assert_int_eq(virNetSASLSessionSetSecProps(srv, 56, 100000, false), 0);
        ck_assert_int_eq(virNetSASLSessionSetSecProps(cli, 56, 100000, false), 0);
    }
    mechs = virNetSASLSessionListMechanisms(srv);
    ck_assert_msg(mechs != NULL, "%s", virGetLastErrorMessage());

    crc = virNetSASLSessionClientStart(cli, forceMech ? forceMech : mechs, &out, &outlen, &mech);
    ck_assert_msg(crc >= 0, "%s", virGetLastErrorMessage());
    src = virNetSASLSessionServerStart(srv, mech, out, outlen, &sout, &soutlen);
    for (i = 0; src == VIR_NET_SASL_CONTINUE && i < 10; i++) {
        crc = virNetSASLSessionClientStep(cli, sout, soutlen, &out, &outlen);
        ck_assert_msg(crc >= 0, "%s", virGetLastErrorMessage());
        /* The client's output lives in its session until the next call. */
        free(buf);
        buf = out ? testMemdup(out, outlen) : NULL;
        src = virNetSASLSessionServerStep(srv, buf, buf ? outlen : 0, &sout, &soutlen);
    }
    if (src == VIR_NET_SASL_COMPLETE && sout)
        ck_assert_int_eq(virNetSASLSessionClientStep(cli, sout, soutlen, &out, &outlen),
                         VIR_NET_SASL_COMPLETE);
    if (srvOut)
        *srvOut = srv;
    else
        virNetSASLSessionFree(srv);
    if (cliOut)
        *cliOut = cli;
    else
        virNetSASLSessionFree(cli);
    return src;
}

static char *
testListMechs(virNetSASLContext *sctx, int minSSF, int maxSSF, int ext, bool plain)
{
    virNetSASLSession *srv = virNetSASLSessionNewServer(sctx, "libvirt", NULL, NULL);
    char *mechs;

    if (ext)
        ck_assert_int_eq(virNetSASLSessionSetExternalSSF(srv, ext), 0);
    ck_assert_int_eq(virNetSASLSessionSetSecProps(srv, minSSF, maxSSF, plain), 0);
    mechs = virNetSASLSessionListMechanisms(srv);
    virNetSASLSessionFree(srv);
    return mechs;
}

START_TEST(test_mechlists)
{
    virNetSASLContext *sctx;
    VIR_AUTOFREE(char *) tcp = NULL;
    VIR_AUTOFREE(char *) tls = NULL;
    VIR_AUTOFREE(char *) local = NULL;

    if (!testDir)
        return;
    sctx = testServerContext(NULL);
    /* Plain TCP: only mechanisms with a security layer. */
    tcp = testListMechs(sctx, 56, 100000, 0, false);
    ck_assert_str_eq(tcp, "DIGEST-MD5");
    /* TLS: everything configured, PLAIN included. */
    tls = testListMechs(sctx, 0, 0, 256, true);
    ck_assert_msg(strstr(tls, "SCRAM-SHA-256") && strstr(tls, "DIGEST-MD5") &&
                  strstr(tls, "PLAIN"), "%s", tls);
    /* A local socket: no PLAIN. */
    local = testListMechs(sctx, 0, 0, 0, false);
    ck_assert_msg(strstr(local, "SCRAM-SHA-256") && !strstr(local, "PLAIN"), "%s", local);
    virNetSASLContextFree(sctx);
}
END_TEST

START_TEST(test_digest_layer)
{
    testCreds creds = { "alice", "alicepw" };
    virNetSASLContext *sctx;
    virNetSASLContext *cctx;
    virNetSASLSession *srv = NULL, *cli = NULL;
    const char *enc, *dec;
    size_t enclen, declen;
    VIR_AUTOFREE(char *) wire = NULL;
    static const char msg[] = "cust1-web is a domain name that must not be seen";

    if (!testDir)
        return;
    sctx = testServerContext(NULL);
    cctx = virNetSASLContextNewClient();
    ck_assert_ptr_nonnull(cctx);
    ck_assert_int_eq(testNegotiate(sctx, cctx, &creds, 0, NULL, &srv, &cli),
                     VIR_NET_SASL_COMPLETE);
    ck_assert_str_eq(virNetSASLSessionGetMechanism(srv), "DIGEST-MD5");
    ck_assert_str_eq(virNetSASLSessionGetIdentity(srv), "alice");
    ck_assert_int_ge(virNetSASLSessionGetKeySize(srv), 56);
    ck_assert_int_ge(virNetSASLSessionGetKeySize(cli), 56);
    ck_assert_uint_gt(virNetSASLSessionGetMaxBufSize(cli), 1000);

    /* Client to server through the layer: ciphertext on the wire. */
    ck_assert_int_eq(virNetSASLSocketLayer.encode(cli, msg, sizeof(msg), &enc, &enclen), 0);
    ck_assert_uint_gt(enclen, sizeof(msg));
    ck_assert_ptr_null(memmem(enc, enclen, "cust1-web", 9));
    wire = testMemdup(enc, enclen);
    /* Fed in two pieces, as a socket may deliver it. */
    ck_assert_int_eq(virNetSASLSocketLayer.decode(srv, wire, 7, &dec, &declen), 0);
    ck_assert_uint_eq(declen, 0);
    ck_assert_int_eq(virNetSASLSocketLayer.decode(srv, wire + 7, enclen - 7, &dec, &declen), 0);
    ck_assert_uint_eq(declen, sizeof(msg));
    ck_assert_mem_eq(dec, msg, sizeof(msg));

    /* Tampered data is refused, not passed on. */
    ck_assert_int_eq(virNetSASLSocketLayer.encode(srv, msg, sizeof(msg), &enc, &enclen), 0);
    free(wire);
    wire = testMemdup(enc, enclen);
    wire[10] ^= 0x40;
    ck_assert_int_eq(virNetSASLSocketLayer.decode(cli, wire, enclen, &dec, &declen), -1);

    /* The layer's free drops one reference each. */
    virNetSASLSocketLayer.free(srv);
    virNetSASLSocketLayer.free(cli);
    virNetSASLContextFree(cctx);
    virNetSASLContextFree(sctx);
}
END_TEST

START_TEST(test_scram_tls)
{
    testCreds creds = { "bob", "bobpw" };
    virNetSASLContext *sctx;
    virNetSASLContext *cctx;
    virNetSASLSession *srv = NULL;

    if (!testDir)
        return;
    sctx = testServerContext(NULL);
    cctx = virNetSASLContextNewClient();
    ck_assert_int_eq(testNegotiate(sctx, cctx, &creds, 256, "SCRAM-SHA-256", &srv, NULL),
                     VIR_NET_SASL_COMPLETE);
    ck_assert_str_eq(virNetSASLSessionGetIdentity(srv), "bob");
    /* TLS encrypts: no layer of SASL's own. */
    ck_assert_int_eq(virNetSASLSessionGetKeySize(srv), 0);
    virNetSASLSessionFree(srv);
    virNetSASLContextFree(cctx);
    virNetSASLContextFree(sctx);
}
END_TEST

START_TEST(test_wrong_password)
{
    testCreds creds = { "alice", "not-her-password" };
    testCreds nobody = { "nobody", "x" };
    virNetSASLContext *sctx;
    virNetSASLContext *cctx;
    virNetSASLSession *srv = NULL;

    if (!testDir)
        return;
    sctx = testServerContext(NULL);
    cctx = virNetSASLContextNewClient();
    ck_assert_int_eq(testNegotiate(sctx, cctx, &creds, 0, NULL, &srv, NULL), -1);
    /* The client learns nothing; the detail is for the log. */
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_AUTH_FAILED);
    ck_assert_str_eq(virGetLastErrorMessage(), "authentication failed: authentication failed");
    ck_assert_ptr_nonnull(strstr(virNetSASLSessionGetLastDetail(srv), "SASL(-13)"));
    ck_assert_ptr_null(strstr(virNetSASLSessionGetLastDetail(srv), "not-her-password"));
    virNetSASLSessionFree(srv);

    ck_assert_int_eq(testNegotiate(sctx, cctx, &nobody, 256, "SCRAM-SHA-256", NULL, NULL), -1);
    virNetSASLContextFree(cctx);
    virNetSASLContextFree(sctx);
}
END_TEST

START_TEST(test_no_credentials)
{
    testCreds none = { NULL, NULL };
    virNetSASLContext *cctx = virNetSASLContextNewClient();
    virNetSASLSession *cli = virNetSASLSessionNewClient(cctx, "libvirt", "127.0.0.1",
                                                        NULL, NULL, testCred, &none);
    const char *out = NULL, *mech = NULL;
    size_t outlen = 0;

    ck_assert_int_eq(virNetSASLSessionSetSecProps(cli, 0, 0, true), 0);
    /* PLAIN wants the name at once: the callback's failure fails the start. */
    ck_assert_int_eq(virNetSASLSessionClientStart(cli, "PLAIN", &out, &outlen, &mech), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_AUTH_FAILED);
    /* An unknown mechanism: nothing worthy. */
    ck_assert_int_eq(virNetSASLSessionClientStart(cli, "NO-SUCH-MECH", &out, &outlen, &mech), -1);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "Failed to start SASL negotiation"));
    virNetSASLSessionFree(cli);
    virNetSASLContextFree(cctx);
}
END_TEST

START_TEST(test_allowed_users)
{
    static const char *const list[] = { "alice", "ops-*", NULL };
    static const char *const empty[] = { NULL };
    virNetSASLContext *any;
    virNetSASLContext *some;
    virNetSASLContext *none;

    if (!testDir)
        return;
    any = testServerContext(NULL);
    some = testServerContext(list);
    none = testServerContext(empty);
    ck_assert(virNetSASLContextCheckIdentity(any, "whoever"));
    ck_assert(virNetSASLContextCheckIdentity(some, "alice"));
    ck_assert(virNetSASLContextCheckIdentity(some, "ops-7"));
    ck_assert(!virNetSASLContextCheckIdentity(some, "alice2"));
    ck_assert(!virNetSASLContextCheckIdentity(some, "mallory"));
    ck_assert(!virNetSASLContextCheckIdentity(none, "alice"));
    virNetSASLContextFree(any);
    virNetSASLContextFree(some);
    virNetSASLContextFree(none);
}
END_TEST

/* ---- set-up ------------------------------------------------------------------ */

static int
testMakeSASLDB(void)
{
    const char *tool = access("/usr/sbin/saslpasswd2", X_OK) == 0 ? "/usr/sbin/saslpasswd2"
                                                                   : "saslpasswd2";
    static const char *const users[][2] = { { "alice", "alicepw" }, { "bob", "bobpw" } };
    VIR_AUTOFREE(char *) conf = NULL;
    char tmpl[] = "/tmp/tenvirt-sasl-unit.XXXXXX";
    FILE *fp;
    size_t i;

    if (!mkdtemp(tmpl))
        return -1;
    testDir = virStrdup(tmpl);
    for (i = 0; i < G_N_ELEMENTS(users); i++) {
        VIR_AUTOFREE(char *) cmd = virPrintf("printf '%%s' '%s' | %s -a libvirt -f %s/sasldb "
                                             "-p %s 2>/dev/null", users[i][1], tool,
                                             testDir, users[i][0]);
        if (system(cmd) != 0)
            return -1;
    }
    conf = virPrintf("%s/libvirt.conf", testDir);
    if (!(fp = fopen(conf, "w")))
        return -1;
    fprintf(fp, "mech_list: digest-md5 scram-sha-256 plain\nsasldb_path: %s/sasldb\n", testDir);
    fclose(fp);
    return 0;
}

static void
testRemoveSASLDB(void)
{
    VIR_AUTOFREE(char *) cmd = NULL;

    if (!testDir)
        return;
    cmd = virPrintf("rm -rf '%s'", testDir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", testDir);
    VIR_FREE(testDir);
}

static Suite *
saslSuite(void)
{
    Suite *s = suite_create("sasl");
    TCase *tc = tcase_create("authconf");

    tcase_add_checked_fixture(tc, testSetup, testTeardown);
    tcase_add_test(tc, test_authconf_lookup);
    tcase_add_test(tc, test_authconf_errors);
    tcase_add_test(tc, test_authconf_find);
    tcase_add_test(tc, test_authconf_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("throttle");
    tcase_add_checked_fixture(tc, testSetup, testTeardown);
    /* The flood of 5,000 addresses is slow under ThreadSanitizer. */
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_throttle);
    suite_add_tcase(s, tc);

    tc = tcase_create("negotiation");
    tcase_add_checked_fixture(tc, testSetup, testTeardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_mechlists);
    tcase_add_test(tc, test_digest_layer);
    tcase_add_test(tc, test_scram_tls);
    tcase_add_test(tc, test_wrong_password);
    tcase_add_test(tc, test_no_credentials);
    tcase_add_test(tc, test_allowed_users);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr;
    int failed;

    if (testMakeSASLDB() < 0) {
        fprintf(stderr, "no saslpasswd2 (sasl2-bin): negotiation tests skipped\n");
        testRemoveSASLDB();
    }
    sr = srunner_create(saslSuite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    testRemoveSASLDB();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
