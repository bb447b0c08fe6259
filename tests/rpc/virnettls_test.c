/*
 * virnettls_test.c: TLS between the RPC server and client with real
 * certificates made at test time by make-certs.sh: accepted clients and
 * their identity, every kind of refusal, host name checks, and context
 * loading errors.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rpctestutils.h"
#include "viralloc.h"
#include "virerror.h"
#include "virnettls.h"

#define CUSTOMER1_DN "CN=customer1,O=Example ISP,C=GB"
#define CONFIRM_ERROR "Unable to read TLS confirmation: Input/output error"
#define VERIFY_ERROR "authentication failed: Failed to verify peer's certificate"

static char *certdir;

static const virNetServerConfig config = {
    .maxClients = 20,
    .minWorkers = 1,
    .maxWorkers = 4,
    .maxClientRequests = 5,
};

static char *
certPath(const char *name)
{
    return virPrintf("%s/%s", certdir, name);
}

static virNetTLSContext *
serverContext(const char *cert, const char *key, const char *const *allowed, bool verify)
{
    VIR_AUTOFREE(char *) ca = certPath("cacert.pem");
    VIR_AUTOFREE(char *) crl = certPath("cacrl.pem");
    VIR_AUTOFREE(char *) c = certPath(cert ? cert : "servercert.pem");
    VIR_AUTOFREE(char *) k = certPath(key ? key : "serverkey.pem");
    virNetTLSContext *ctx = virNetTLSContextNewServer(ca, crl, c, k, allowed, NULL, verify);

    ck_assert_msg(ctx != NULL, "server context: %s", virGetLastErrorMessage());
    return ctx;
}

/* @name: a client of make-certs.sh, or NULL for no certificate. */
static virNetTLSContext *
clientContext(const char *name, bool verify)
{
    VIR_AUTOFREE(char *) ca = certPath("cacert.pem");
    VIR_AUTOFREE(char *) cert = NULL;
    VIR_AUTOFREE(char *) key = NULL;
    virNetTLSContext *ctx;

    if (name) {
        cert = virPrintf("%s/client-%s-cert.pem", certdir, name);
        key = virPrintf("%s/client-%s-key.pem", certdir, name);
    }
    ctx = virNetTLSContextNewClient(ca, NULL, cert, key, NULL, verify);
    ck_assert_msg(ctx != NULL, "client context: %s", virGetLastErrorMessage());
    return ctx;
}

typedef struct {
    testServer *ts;
    int port;
} fixture;

static void
fixtureStart(fixture *f, virNetTLSContext *sctx)
{
    testStateReset();
    f->ts = testServerNew(&config);
    f->port = testServerAddTCP(f->ts, sctx, VIR_NET_SERVER_AUTH_NONE);
    /* The service holds its own reference. */
    virNetTLSContextFree(sctx);
    testServerRun(f->ts);
}

static void
fixtureStop(fixture *f)
{
    testServerFree(f->ts);
    testStateReset();
}

/* Connect and run the TLS set-up; the client is returned either way. */
static int
tlsConnect(int port, virNetTLSContext *cctx, const char *hostname, virNetClient **client)
{
    char portstr[16];
    int rc;

    snprintf(portstr, sizeof(portstr), "%d", port);
    *client = virNetClientNewTCP("127.0.0.1", portstr);
    ck_assert_ptr_nonnull(*client);
    virResetLastError();
    rc = virNetClientSetTLSSession(*client, cctx, hostname);
    virNetTLSContextFree(cctx);
    return rc;
}

static void
assertRefused(int port, virNetTLSContext *cctx, const char *hostname, const char *message)
{
    virNetClient *c;

    ck_assert_int_eq(tlsConnect(port, cctx, hostname, &c), -1);
    /* Freeing the client keeps the error for the caller to report. */
    virNetClientFree(c);
    ck_assert_str_eq(virGetLastErrorMessage(), message);
    virResetLastError();
}

static virNetClient *
assertAccepted(int port, virNetTLSContext *cctx, const char *hostname)
{
    virNetClient *c;

    ck_assert_msg(tlsConnect(port, cctx, hostname, &c) == 0,
                  "TLS set-up failed: %s", virGetLastErrorMessage());
    ck_assert_int_eq(virNetClientStart(c), 0);
    return c;
}

static char *
whoami(virNetClient *c)
{
    char *out = NULL;

    ck_assert_msg(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_WHOAMI,
                                   XDR_VOID, NULL,
                                   (xdrproc_t)xdr_remote_nonnull_string, &out) == 0,
                  "call failed: %s", virGetLastErrorMessage());
    return out;
}

typedef struct {
    virNetClient *client;
    int failures;
} echoData;

static void *
echoThread(void *opaque)
{
    echoData *d = opaque;
    int i;

    for (i = 0; i < 20; i++) {
        char *in = virPrintf("tls call %d", i);
        char *out = NULL;

        if (testCallEcho(d->client, TEST_PROC_ECHO, in, &out) < 0 || STRNEQ(in, out))
            d->failures++;
        free(in);
        free(out);
    }
    return NULL;
}

START_TEST(test_tls_accepted)
{
    fixture f;
    virNetClient *c;
    char *who;
    pthread_t thr[4];
    echoData d[4];
    int i;

    fixtureStart(&f, serverContext(NULL, NULL, NULL, true));
    c = assertAccepted(f.port, clientContext("customer1", true), "127.0.0.1");
    who = whoami(c);
    ck_assert_msg(STRPREFIX(who, "transport=tls dn=" CUSTOMER1_DN " uid=-1 pid=-1 ro=0 "
                            "addr=127.0.0.1;"), "got '%s'", who);
    free(who);
    testStateLock();
    ck_assert_str_eq(testStateGet()->lastDN, CUSTOMER1_DN);
    ck_assert_int_ge(testStateGet()->tlsKeySize, 128);
    testStateUnlock();

    /* Several threads on one TLS connection. */
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), 0);
    for (i = 0; i < 4; i++) {
        d[i].client = c;
        d[i].failures = 0;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, echoThread, &d[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(thr[i], NULL);
        ck_assert_int_eq(d[i].failures, 0);
    }
    /* A big reply crosses many TLS records. */
    {
        char *big = NULL;
        int n = 1024 * 1024 + 3;

        ck_assert_int_eq(virNetClientCall(c, TEST_PROGRAM, TEST_VERSION, TEST_PROC_BIG,
                                          (xdrproc_t)xdr_int, &n,
                                          (xdrproc_t)xdr_remote_nonnull_string, &big), 0);
        ck_assert_uint_eq(strlen(big), (size_t)n);
        free(big);
    }
    virNetClientFree(c);

    /* The host name may be given as a DNS name too. */
    c = assertAccepted(f.port, clientContext("customer2", true), "localhost");
    free(whoami(c));
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_refused_certificates)
{
    fixture f;
    virNetClient *c;

    fixtureStart(&f, serverContext(NULL, NULL, NULL, true));
    assertRefused(f.port, clientContext("otherca", true), "127.0.0.1", CONFIRM_ERROR);
    assertRefused(f.port, clientContext("expired", true), "127.0.0.1", CONFIRM_ERROR);
    assertRefused(f.port, clientContext("revoked", true), "127.0.0.1", CONFIRM_ERROR);
    assertRefused(f.port, clientContext(NULL, true), "127.0.0.1", CONFIRM_ERROR);
    testStateLock();
    ck_assert_int_eq(testStateGet()->initCalls, 0);
    testStateUnlock();

    /* The server carries on. */
    c = assertAccepted(f.port, clientContext("customer1", true), "127.0.0.1");
    free(whoami(c));
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_allowed_dn_list)
{
    const char *const allowed[] = { "CN=customer2,O=Example ISP,C=GB", "CN=other*", NULL };
    const char *const globbed[] = { "CN=customer*,O=Example ISP,C=GB", NULL };
    const char *const nobody[] = { NULL };
    fixture f;
    virNetClient *c;

    fixtureStart(&f, serverContext(NULL, NULL, allowed, true));
    assertRefused(f.port, clientContext("customer1", true), "127.0.0.1", CONFIRM_ERROR);
    c = assertAccepted(f.port, clientContext("customer2", true), "127.0.0.1");
    free(whoami(c));
    virNetClientFree(c);
    fixtureStop(&f);

    fixtureStart(&f, serverContext(NULL, NULL, globbed, true));
    c = assertAccepted(f.port, clientContext("customer1", true), "127.0.0.1");
    virNetClientFree(c);
    c = assertAccepted(f.port, clientContext("customer2", true), "127.0.0.1");
    virNetClientFree(c);
    fixtureStop(&f);

    /* An empty list admits nobody. */
    fixtureStart(&f, serverContext(NULL, NULL, nobody, true));
    assertRefused(f.port, clientContext("customer1", true), "127.0.0.1", CONFIRM_ERROR);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_init_hook_refusal)
{
    fixture f;

    fixtureStart(&f, serverContext(NULL, NULL, NULL, true));
    testStateLock();
    testStateGet()->refuseInit = true;
    testStateUnlock();
    assertRefused(f.port, clientContext("customer1", true), "127.0.0.1", CONFIRM_ERROR);
    testStateLock();
    ck_assert_int_eq(testStateGet()->initCalls, 1);
    ck_assert_str_eq(testStateGet()->lastDN, CUSTOMER1_DN);
    testStateUnlock();
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_server_hostname)
{
    fixture f;
    virNetClient *c;

    /* The certificate names localhost but has no IP address SAN. */
    fixtureStart(&f, serverContext("servercert-noip.pem", "serverkey-noip.pem", NULL, true));
    assertRefused(f.port, clientContext("customer1", true), "127.0.0.1", VERIFY_ERROR);
    assertRefused(f.port, clientContext("customer1", true), "wronghost.example.com",
                  VERIFY_ERROR);
    c = assertAccepted(f.port, clientContext("customer1", true), "localhost");
    free(whoami(c));
    virNetClientFree(c);
    /* no_verify on the client: a warning, and on it goes. */
    c = assertAccepted(f.port, clientContext("customer1", false), "127.0.0.1");
    free(whoami(c));
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_server_no_verify)
{
    const char *const allowed[] = { "CN=expired,*", NULL };
    fixture f;
    virNetClient *c;
    char *who;

    fixtureStart(&f, serverContext(NULL, NULL, allowed, false));
    c = assertAccepted(f.port, clientContext("expired", true), "127.0.0.1");
    who = whoami(c);
    ck_assert_ptr_nonnull(strstr(who, "dn=CN=expired,O=Example ISP,C=GB "));
    free(who);
    virNetClientFree(c);
    /* The allow-list still applies, and a certificate is still needed. */
    assertRefused(f.port, clientContext("customer1", true), "127.0.0.1", CONFIRM_ERROR);
    assertRefused(f.port, clientContext(NULL, true), "127.0.0.1", CONFIRM_ERROR);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_plain_client_on_tls_port)
{
    fixture f;
    virNetClient *c;
    char port[16];

    fixtureStart(&f, serverContext(NULL, NULL, NULL, true));
    snprintf(port, sizeof(port), "%d", f.port);
    c = virNetClientNewTCP("127.0.0.1", port);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(testCallVoid(c, TEST_PROC_OPEN), -1);
    virResetLastError();
    virNetClientFree(c);

    c = assertAccepted(f.port, clientContext("customer1", true), "127.0.0.1");
    free(whoami(c));
    virNetClientFree(c);
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_client_path)
{
    fixture f;
    virNetClient *c;
    virNetTLSContext *ctx;
    char *dir;
    char *expect;

    fixtureStart(&f, serverContext(NULL, NULL, NULL, true));
    dir = certPath("pki-customer1");
    ctx = virNetTLSContextNewClientPath(dir, true);
    ck_assert_msg(ctx != NULL, "%s", virGetLastErrorMessage());
    c = assertAccepted(f.port, ctx, "127.0.0.1");
    free(whoami(c));
    virNetClientFree(c);
    free(dir);

    ck_assert_ptr_null(virNetTLSContextNewClientPath("/nonexistent/pki", true));
    expect = virPrintf("Cannot read CA certificate '%s': No such file or directory",
                       "/nonexistent/pki/cacert.pem");
    ck_assert_str_eq(virGetLastErrorMessage(), expect);
    free(expect);
    virResetLastError();
    fixtureStop(&f);
}
END_TEST

START_TEST(test_tls_context_errors)
{
    VIR_AUTOFREE(char *) ca = certPath("cacert.pem");
    VIR_AUTOFREE(char *) cert = certPath("servercert.pem");
    VIR_AUTOFREE(char *) key = certPath("serverkey.pem");
    VIR_AUTOFREE(char *) otherKey = certPath("client-customer1-key.pem");
    VIR_AUTOFREE(char *) expired = certPath("client-expired-cert.pem");
    VIR_AUTOFREE(char *) expiredKey = certPath("client-expired-key.pem");
    VIR_AUTOFREE(char *) otherCA = certPath("othercacert.pem");
    const char *msg;

    ck_assert_ptr_null(virNetTLSContextNewServer("/nonexistent/ca.pem", NULL, cert, key,
                                                 NULL, NULL, true));
    ck_assert_str_eq(virGetLastErrorMessage(),
                     "Cannot read CA certificate '/nonexistent/ca.pem': "
                     "No such file or directory");
    ck_assert_ptr_null(virNetTLSContextNewServer(ca, "/nonexistent/crl.pem", cert, key,
                                                 NULL, NULL, true));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "/nonexistent/crl.pem"));
    ck_assert_ptr_null(virNetTLSContextNewServer(ca, NULL, cert, "/nonexistent/key.pem",
                                                 NULL, NULL, true));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "/nonexistent/key.pem"));

    /* A key that is not the certificate's. */
    ck_assert_ptr_null(virNetTLSContextNewServer(ca, NULL, cert, otherKey, NULL, NULL, true));
    msg = virGetLastErrorMessage();
    ck_assert_msg(strstr(msg, cert) && strstr(msg, otherKey), "got '%s'", msg);

    /* Our own certificate expired, or not from this CA. */
    ck_assert_ptr_null(virNetTLSContextNewServer(ca, NULL, expired, expiredKey,
                                                 NULL, NULL, true));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "expired"));
    ck_assert_ptr_null(virNetTLSContextNewServer(otherCA, NULL, cert, key, NULL, NULL, true));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), cert));

    /* A server needs a certificate; priorities must parse. */
    ck_assert_ptr_null(virNetTLSContextNewServer(ca, NULL, NULL, NULL, NULL, NULL, true));
    ck_assert_ptr_null(virNetTLSContextNewServer(ca, NULL, cert, key, NULL,
                                                 "NORMAL:+NO-SUCH-THING", true));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "NO-SUCH-THING"));
    virResetLastError();
}
END_TEST

static Suite *
virNetTLSSuite(void)
{
    Suite *s = suite_create("virnettls");
    TCase *tc = tcase_create("virnettls");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_tls_accepted);
    tcase_add_test(tc, test_tls_refused_certificates);
    tcase_add_test(tc, test_tls_allowed_dn_list);
    tcase_add_test(tc, test_tls_init_hook_refusal);
    tcase_add_test(tc, test_tls_server_hostname);
    tcase_add_test(tc, test_tls_server_no_verify);
    tcase_add_test(tc, test_tls_plain_client_on_tls_port);
    tcase_add_test(tc, test_tls_client_path);
    tcase_add_test(tc, test_tls_context_errors);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    char tmpl[] = "/tmp/tenvirt-certs-XXXXXX";
    char *cmd;
    SRunner *sr;
    int failed;

    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    certdir = tmpl;
    cmd = virPrintf("sh '%s/tests/rpc/make-certs.sh' '%s'", ABS_TOP_SRCDIR, certdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "make-certs.sh failed\n");
        free(cmd);
        return EXIT_FAILURE;
    }
    free(cmd);

    sr = srunner_create(virNetTLSSuite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    cmd = virPrintf("rm -rf '%s'", certdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", certdir);
    free(cmd);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
