/*
 * remote_api_test.c: the public API over the remote driver, against a
 * real libvirtd started by remote_test.sh (which passes the URIs in the
 * environment). Only the public API is used, as a client program would.
 *
 * libvirtd's test:///default starts afresh whenever its last client has
 * gone (one running domain "test", id 1), so each test keeps its own
 * connection open for as long as it needs state, and puts back what it
 * changed.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tenvirt/libvirt.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"
#define NEW_NAME "remote-new"
#define NEW_UUID "7a1b2c3d-0000-4000-8000-00000000beef"
#define NEW_XML \
    "<domain type='test'>" \
    "  <name>" NEW_NAME "</name>" \
    "  <uuid>" NEW_UUID "</uuid>" \
    "  <memory>1048576</memory>" \
    "  <vcpu>1</vcpu>" \
    "  <os><type>hvm</type></os>" \
    "</domain>"
#define LIBVIRTD_LIB_VERSION_MIN 1000000    /* any libvirt: ours is 0.x */
#define EVENT_TIMEOUT 60                    /* seconds, for a loaded machine */

/* Through void (*)(void): the cast -Wextra accepts between callback types. */
#define EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

static const char *
env(const char *name)
{
    const char *value = getenv(name);

    ck_assert_msg(value && *value, "%s is not set: run tests/remote/remote_test.sh", name);
    return value;
}

static virConnectPtr
openURI(const char *uri)
{
    virConnectPtr conn = virConnectOpen(uri);

    ck_assert_msg(conn != NULL, "cannot open %s: %s", uri, virGetLastErrorMessage());
    return conn;
}

static virConnectPtr
openTCP(void)
{
    return openURI(env("REMOTE_TEST_TCP_URI"));
}

static virConnectPtr
openUNIX(void)
{
    return openURI(env("REMOTE_TEST_UNIX_URI"));
}

static void
closeConn(virConnectPtr conn)
{
    ck_assert_int_eq(virConnectClose(conn), 0);
}

static void
assertError(int code, const char *message)
{
    virErrorPtr err = virGetLastError();

    ck_assert_msg(err != NULL, "expected error %d, got none", code);
    ck_assert_msg(err->code == code, "expected error %d, got %d: %s", code, err->code,
                  err->message);
    if (message)
        ck_assert_msg(strstr(err->message, message), "'%s' does not contain '%s'",
                      err->message, message);
}

static virDomainPtr
lookup(virConnectPtr conn, const char *name)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);

    ck_assert_msg(dom != NULL, "lookup of %s: %s", name, virGetLastErrorMessage());
    return dom;
}

static int
domainState(virDomainPtr dom, int *reason)
{
    int state = -1;

    ck_assert_int_eq(virDomainGetState(dom, &state, reason, 0), 0);
    return state;
}

/* ---- connection ------------------------------------------------------------- */

static void
checkHost(virConnectPtr conn)
{
    unsigned long ver = 0;
    virNodeInfo info;
    virSecurityModel secmodel;
    char *str;

    ck_assert_str_eq(virConnectGetType(conn), "TEST");
    ck_assert_int_eq(virConnectGetVersion(conn, &ver), 0);
    ck_assert_uint_gt(ver, 0);
    ck_assert_int_eq(virConnectGetLibVersion(conn, &ver), 0);
    ck_assert_uint_ge(ver, LIBVIRTD_LIB_VERSION_MIN);   /* libvirtd's, not ours */
    ck_assert_ptr_nonnull(str = virConnectGetHostname(conn));
    ck_assert_int_gt(strlen(str), 0);
    free(str);
    ck_assert_ptr_nonnull(str = virConnectGetCapabilities(conn));
    ck_assert_ptr_nonnull(strstr(str, "<capabilities>"));
    free(str);
    ck_assert_int_eq(virConnectGetMaxVcpus(conn, NULL), 32);
    ck_assert_int_eq(virNodeGetInfo(conn, &info), 0);
    ck_assert_str_eq(info.model, "i686");
    ck_assert_uint_eq(info.cpus, 16);
    ck_assert_uint_eq(info.mhz, 1400);
    ck_assert_uint_eq(info.memory, 3145728);
    ck_assert_uint_eq(info.nodes * info.sockets * info.cores * info.threads, 16);
    ck_assert_int_eq(virNodeGetSecurityModel(conn, &secmodel), 0);
    ck_assert_str_eq(secmodel.model, "testSecurity");
    ck_assert_str_eq(secmodel.doi, "");
    ck_assert_int_eq(virConnectIsReadOnly(conn), 0);
}

START_TEST(test_tcp_host)
{
    virConnectPtr conn = openTCP();
    char *uri;

    checkHost(conn);
    ck_assert_ptr_nonnull(uri = virConnectGetURI(conn));
    ck_assert_str_eq(uri, env("REMOTE_TEST_TCP_URI"));
    free(uri);
    /* Plain TCP is neither encrypted nor safe from eavesdropping. */
    ck_assert_int_eq(virConnectIsEncrypted(conn), 0);
    ck_assert_int_eq(virConnectIsSecure(conn), 0);
    closeConn(conn);
}
END_TEST

START_TEST(test_unix_host)
{
    virConnectPtr conn = openUNIX();

    checkHost(conn);
    ck_assert_int_eq(virConnectIsEncrypted(conn), 0);
    ck_assert_int_ge(virConnectIsSecure(conn), 0);
    closeConn(conn);
}
END_TEST

/* A local URI stays with the in-process test driver. */
START_TEST(test_local_not_claimed)
{
    virConnectPtr conn = openURI("test:///default");
    unsigned long ver = 0;

    ck_assert_int_eq(virConnectGetLibVersion(conn, &ver), 0);
    ck_assert_uint_lt(ver, LIBVIRTD_LIB_VERSION_MIN);
    closeConn(conn);
}
END_TEST

/* The path of the URI reaches the server: test+tcp://H:P/ABS/node.xml
 * opens test:///ABS/node.xml there. */
START_TEST(test_node_file)
{
    virConnectPtr conn = openURI(env("REMOTE_TEST_NODE_URI"));
    virDomainPtr *doms = NULL;
    virNodeInfo info;
    virDomainPtr dom;
    int n;
    int i;

    ck_assert_int_eq(virNodeGetInfo(conn, &info), 0);
    ck_assert_uint_eq(info.mhz, 2400);
    n = virConnectListAllDomains(conn, &doms, 0);
    ck_assert_int_eq(n, 6);
    for (i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    dom = lookup(conn, "cust1-db");
    ck_assert_int_eq(virDomainGetMaxMemory(dom), 4194304);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

/* TLS with client certificates (when remote_test.sh could make a PKI). */
static bool
tlsURI(char *buf, size_t len, const char *scheme, const char *pki, const char *extra)
{
    const char *port = getenv("REMOTE_TEST_TLS_PORT");
    const char *dir = getenv("REMOTE_TEST_PKI");

    if (!port || !dir)
        return false;
    snprintf(buf, len, "%s://127.0.0.1:%s/default?pkipath=%s/pki-%s%s",
             scheme, port, dir, pki, extra);
    return true;
}

START_TEST(test_tls)
{
    char uri[4096];
    virConnectPtr conn;
    virDomainPtr dom;

    if (!tlsURI(uri, sizeof(uri), "test+tls", "client", "")) {
        fprintf(stderr, "test_tls: no PKI, skipped\n");
        return;
    }
    conn = openURI(uri);
    ck_assert_int_eq(virConnectIsEncrypted(conn), 1);
    ck_assert_int_eq(virConnectIsSecure(conn), 1);
    dom = lookup(conn, "test");
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);
    virDomainFree(dom);
    checkHost(conn);
    closeConn(conn);

    /* A host without a transport means TLS, as in libvirt. */
    ck_assert(tlsURI(uri, sizeof(uri), "test", "client", ""));
    conn = openURI(uri);
    ck_assert_int_eq(virConnectIsEncrypted(conn), 1);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 1);
    closeConn(conn);

    /* The server refuses a certificate of another CA. */
    ck_assert(tlsURI(uri, sizeof(uri), "test+tls", "otherca", ""));
    ck_assert_ptr_null(virConnectOpen(uri));
    ck_assert_ptr_nonnull(virGetLastError());

    /* We refuse a server our CA did not sign, unless told not to check. */
    ck_assert(tlsURI(uri, sizeof(uri), "test+tls", "trust-other", ""));
    ck_assert_ptr_null(virConnectOpen(uri));
    ck_assert_ptr_nonnull(virGetLastError());
    ck_assert(tlsURI(uri, sizeof(uri), "test+tls", "trust-other", "&no_verify=1"));
    conn = openURI(uri);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 1);
    closeConn(conn);
}
END_TEST

/* ---- lists and lookups ---------------------------------------------------------- */

START_TEST(test_lists)
{
    virConnectPtr conn = openTCP();
    virDomainPtr *doms = NULL;
    char *names[4] = { NULL };
    int ids[4] = { 0 };

    ck_assert_int_eq(virConnectListAllDomains(conn, &doms, 0), 1);
    ck_assert_ptr_nonnull(doms[0]);
    ck_assert_ptr_null(doms[1]);
    ck_assert_str_eq(virDomainGetName(doms[0]), "test");
    ck_assert_uint_eq(virDomainGetID(doms[0]), 1);
    virDomainFree(doms[0]);
    free(doms);

    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 1);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_ACTIVE), 1);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_INACTIVE), 0);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 1);
    ck_assert_int_eq(virConnectListDomains(conn, ids, 4), 1);
    ck_assert_int_eq(ids[0], 1);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 0);
    ck_assert_int_eq(virConnectListDefinedDomains(conn, names, 4), 0);
    closeConn(conn);
}
END_TEST

START_TEST(test_lookups)
{
    virConnectPtr conn = openUNIX();
    unsigned char uuid[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    virDomainPtr dom;

    dom = lookup(conn, "test");
    ck_assert_uint_eq(virDomainGetID(dom), 1);
    ck_assert_int_eq(virDomainGetUUIDString(dom, uuidstr), 0);
    ck_assert_str_eq(uuidstr, TEST_UUID);
    ck_assert_int_eq(virDomainGetUUID(dom, uuid), 0);
    virDomainFree(dom);

    ck_assert_ptr_nonnull(dom = virDomainLookupByID(conn, 1));
    ck_assert_str_eq(virDomainGetName(dom), "test");
    virDomainFree(dom);

    ck_assert_ptr_nonnull(dom = virDomainLookupByUUID(conn, uuid));
    ck_assert_str_eq(virDomainGetName(dom), "test");
    virDomainFree(dom);

    ck_assert_ptr_nonnull(dom = virDomainLookupByUUIDString(conn, TEST_UUID));
    ck_assert_uint_eq(virDomainGetID(dom), 1);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

/* ---- one domain ------------------------------------------------------------------ */

START_TEST(test_domain_info)
{
    virConnectPtr conn = openTCP();
    virDomainPtr dom = lookup(conn, "test");
    virDomainInfo info;
    char **msgs = NULL;
    char *str;
    int reason = -1;

    ck_assert_int_eq(virDomainGetInfo(dom, &info), 0);
    ck_assert_int_eq(info.state, VIR_DOMAIN_RUNNING);
    ck_assert_uint_eq(info.maxMem, 8388608);
    ck_assert_uint_eq(info.memory, 2097152);
    ck_assert_int_eq(info.nrVirtCpu, 2);
    ck_assert_uint_gt(info.cpuTime, 0);
    /* libvirtd's built-in domain runs for an unknown reason. */
    ck_assert_int_eq(domainState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_UNKNOWN);

    ck_assert_ptr_nonnull(str = virDomainGetXMLDesc(dom, 0));
    ck_assert_ptr_nonnull(strstr(str, "<name>test</name>"));
    ck_assert_ptr_nonnull(strstr(str, TEST_UUID));
    free(str);
    ck_assert_ptr_nonnull(str = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
    free(str);
    ck_assert_ptr_nonnull(str = virDomainGetOSType(dom));
    ck_assert_int_gt(strlen(str), 0);
    free(str);
    ck_assert_uint_eq(virDomainGetMaxMemory(dom), 8388608);
    ck_assert_int_eq(virDomainIsActive(dom), 1);
    ck_assert_int_eq(virDomainIsPersistent(dom), 1);
    ck_assert_int_eq(virDomainHasManagedSaveImage(dom, 0), 0);
    ck_assert_int_eq(virDomainSnapshotNum(dom, 0), 0);
    ck_assert_int_eq(virDomainGetMessages(dom, &msgs, 0), 0);
    free(msgs);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

START_TEST(test_autostart)
{
    virConnectPtr conn = openTCP();
    virDomainPtr dom = lookup(conn, "test");
    int autostart = -1;

    ck_assert_int_eq(virDomainGetAutostart(dom, &autostart), 0);
    ck_assert_int_eq(autostart, 0);
    ck_assert_int_eq(virDomainSetAutostart(dom, 1), 0);
    ck_assert_int_eq(virDomainGetAutostart(dom, &autostart), 0);
    ck_assert_int_eq(autostart, 1);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_AUTOSTART), 1);
    ck_assert_int_eq(virDomainSetAutostart(dom, 0), 0);
    ck_assert_int_eq(virDomainGetAutostart(dom, &autostart), 0);
    ck_assert_int_eq(autostart, 0);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

START_TEST(test_suspend_resume)
{
    virConnectPtr conn = openUNIX();
    virDomainPtr dom = lookup(conn, "test");
    int reason = -1;

    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(domainState(dom, &reason), VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(reason, VIR_DOMAIN_PAUSED_USER);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_PAUSED), 1);
    ck_assert_int_eq(virDomainResume(dom), 0);
    ck_assert_int_eq(domainState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_UNPAUSED);
    ck_assert_int_eq(virDomainReboot(dom, 0), 0);
    ck_assert_int_eq(domainState(dom, NULL), VIR_DOMAIN_RUNNING);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

/* Stop and start the built-in domain; its handle follows the id. */
START_TEST(test_destroy_start)
{
    virConnectPtr conn = openTCP();
    virDomainPtr dom = lookup(conn, "test");
    virDomainPtr again;
    int reason = -1;

    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_uint_eq(virDomainGetID(dom), (unsigned int)-1);
    ck_assert_int_eq(domainState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_DESTROYED);
    ck_assert_int_eq(virDomainIsActive(dom), 0);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 1);

    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_uint_ne(virDomainGetID(dom), (unsigned int)-1);
    ck_assert_int_eq(domainState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_BOOTED);
    again = virDomainLookupByID(conn, (int)virDomainGetID(dom));
    ck_assert_ptr_nonnull(again);
    ck_assert_str_eq(virDomainGetName(again), "test");
    virDomainFree(again);

    ck_assert_int_eq(virDomainShutdown(dom), 0);
    ck_assert_int_eq(domainState(dom, NULL), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(virDomainCreateWithFlags(dom, 0), 0);
    ck_assert_uint_ne(virDomainGetID(dom), (unsigned int)-1);
    ck_assert_int_eq(virDomainShutdownFlags(dom, 0), 0);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainDestroyFlags(dom, 0), 0);
    ck_assert_uint_eq(virDomainGetID(dom), (unsigned int)-1);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(domainState(dom, NULL), VIR_DOMAIN_RUNNING);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

/* Define, start, stop, undefine a new domain: the host ends as it began. */
START_TEST(test_define_undefine)
{
    virConnectPtr conn = openUNIX();
    char *names[4] = { NULL };
    virDomainPtr dom;
    char *xml;

    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, NEW_XML));
    ck_assert_str_eq(virDomainGetName(dom), NEW_NAME);
    ck_assert_uint_eq(virDomainGetID(dom), (unsigned int)-1);
    ck_assert_int_eq(virDomainIsActive(dom), 0);
    ck_assert_int_eq(virDomainIsPersistent(dom), 1);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 1);
    ck_assert_int_eq(virConnectListDefinedDomains(conn, names, 4), 1);
    ck_assert_str_eq(names[0], NEW_NAME);
    free(names[0]);
    ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(dom, 0));
    ck_assert_ptr_nonnull(strstr(xml, NEW_UUID));
    free(xml);

    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 2);
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    virDomainFree(dom);
    ck_assert_ptr_null(virDomainLookupByName(conn, NEW_NAME));
    assertError(VIR_ERR_NO_DOMAIN, NULL);

    /* The flag variants. */
    ck_assert_ptr_nonnull(dom = virDomainDefineXMLFlags(conn, NEW_XML, 0));
    ck_assert_int_eq(virDomainUndefineFlags(dom, 0), 0);
    virDomainFree(dom);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 0);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 1);
    closeConn(conn);
}
END_TEST

/* ---- errors --------------------------------------------------------------------- */

START_TEST(test_errors)
{
    virConnectPtr conn = openTCP();
    virDomainPtr dom;
    virErrorPtr err;

    /* Exactly what the server sent: code, domain and message. */
    ck_assert_ptr_null(virDomainLookupByName(conn, "no-such-domain"));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    err = virGetLastError();
    ck_assert_int_eq(err->domain, VIR_FROM_TEST);
    ck_assert_str_eq(err->message, "Domain not found");
    ck_assert_int_eq(err->level, VIR_ERR_ERROR);
    ck_assert_ptr_null(virDomainLookupByID(conn, 4242));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    ck_assert_ptr_null(virDomainLookupByUUIDString(conn, "11111111-2222-4333-8444-555555555555"));
    assertError(VIR_ERR_NO_DOMAIN, NULL);

    ck_assert_ptr_null(virDomainDefineXML(conn, "<domain"));
    ck_assert_ptr_nonnull(virGetLastError());

    /* Destroying a stopped domain is an invalid transition. */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, NEW_XML));
    ck_assert_int_eq(virDomainDestroy(dom), -1);
    assertError(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid");
    ck_assert_int_eq(virGetLastError()->domain, VIR_FROM_DOMAIN);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    /* The handle outlives the domain; the server says it is gone. */
    ck_assert_int_eq(virDomainGetInfo(dom, &(virDomainInfo){ 0 }), -1);
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

START_TEST(test_readonly)
{
    virConnectPtr conn = virConnectOpenReadOnly(env("REMOTE_TEST_TCP_URI"));
    virDomainPtr dom;
    int state;

    ck_assert_ptr_nonnull(conn);
    ck_assert_int_eq(virConnectIsReadOnly(conn), 1);
    dom = lookup(conn, "test");
    ck_assert_int_eq(virDomainGetState(dom, &state, NULL, 0), 0);
    ck_assert_int_eq(virDomainDestroy(dom), -1);
    assertError(VIR_ERR_OPERATION_DENIED, "read only access prevents virDomainDestroy");
    ck_assert_int_eq(virDomainCreate(dom), -1);
    assertError(VIR_ERR_OPERATION_DENIED, "read only access prevents virDomainCreate");
    ck_assert_ptr_null(virDomainDefineXML(conn, NEW_XML));
    assertError(VIR_ERR_OPERATION_DENIED, NULL);
    ck_assert_int_eq(virDomainGetState(dom, &state, NULL, 0), 0);
    ck_assert_int_eq(state, VIR_DOMAIN_RUNNING);
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

START_TEST(test_open_errors)
{
    const char *tmp = env("REMOTE_TEST_TMPDIR");
    const char *closed = env("REMOTE_TEST_CLOSED_URI");
    char uri[4096];
    const char *port;

    /* "test+tcp://127.0.0.1:PORT/default": the address names the port. */
    ck_assert_ptr_null(virConnectOpen(closed));
    assertError(VIR_ERR_SYSTEM_ERROR, "Connection refused");
    port = strrchr(closed, ':') + 1;
    snprintf(uri, sizeof(uri), "127.0.0.1:%.*s", (int)strcspn(port, "/"), port);
    assertError(VIR_ERR_SYSTEM_ERROR, uri);

    snprintf(uri, sizeof(uri), "test+unix:///default?socket=%s/no-such-sock", tmp);
    ck_assert_ptr_null(virConnectOpen(uri));
    assertError(VIR_ERR_SYSTEM_ERROR, "no-such-sock");

    /* The CA certificate is required before anything is sent. */
    snprintf(uri, sizeof(uri), "test+tls://127.0.0.1:1/default?pkipath=%s/no-pki", tmp);
    ck_assert_ptr_null(virConnectOpen(uri));
    ck_assert_ptr_nonnull(virGetLastError());
    ck_assert_msg(strstr(virGetLastErrorMessage(), "cacert.pem"), "%s",
                  virGetLastErrorMessage());

    ck_assert_ptr_null(virConnectOpen("test+ssh://127.0.0.1/default"));
    assertError(VIR_ERR_NO_SUPPORT, "ssh");
    ck_assert_ptr_null(virConnectOpen("test+carrierpigeon://127.0.0.1/default"));
    assertError(VIR_ERR_INVALID_ARG, "carrierpigeon");
}
END_TEST

/* ---- events ------------------------------------------------------------------------- */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int count;
    int event;
    int detail;
    char name[64];
    int stateSeen;          /* virDomainGetState from inside the callback */
    int freed;
} eventRecord;

#define EVENT_RECORD_INIT { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, -1, -1, \
                            "", -1, 0 }

static void
lifecycleCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    eventRecord *rec = opaque;
    int state = -1;

    /* A call on the same connection from the callback must work. */
    if (virDomainGetState(dom, &state, NULL, 0) < 0)
        state = -2;
    pthread_mutex_lock(&rec->lock);
    rec->count++;
    rec->event = event;
    rec->detail = detail;
    snprintf(rec->name, sizeof(rec->name), "%s", virDomainGetName(dom));
    rec->stateSeen = state;
    pthread_cond_broadcast(&rec->cond);
    pthread_mutex_unlock(&rec->lock);
}

static void
eventRecordFree(void *opaque)
{
    eventRecord *rec = opaque;

    pthread_mutex_lock(&rec->lock);
    rec->freed++;
    pthread_mutex_unlock(&rec->lock);
}

/* Wait until @rec has seen @count events; then check the last one. */
static void
waitEvent(eventRecord *rec, int count, const char *name, int event, int detail, int state)
{
    struct timespec deadline;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += EVENT_TIMEOUT;
    pthread_mutex_lock(&rec->lock);
    while (rec->count < count && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&rec->cond, &rec->lock, &deadline);
    ck_assert_msg(rec->count == count, "expected %d events, got %d", count, rec->count);
    ck_assert_str_eq(rec->name, name);
    ck_assert_int_eq(rec->event, event);
    ck_assert_int_eq(rec->detail, detail);
    ck_assert_int_eq(rec->stateSeen, state);
    pthread_mutex_unlock(&rec->lock);
}

static int
eventCount(eventRecord *rec)
{
    int n;

    pthread_mutex_lock(&rec->lock);
    n = rec->count;
    pthread_mutex_unlock(&rec->lock);
    return n;
}

/* Events caused on one connection (UNIX) arrive on another (TCP). */
START_TEST(test_events_lifecycle)
{
    eventRecord rec = EVENT_RECORD_INIT;
    virConnectPtr watcher = openTCP();
    virConnectPtr actor = openUNIX();
    virDomainPtr dom = lookup(actor, "test");
    int id;

    id = virConnectDomainEventRegisterAny(watcher, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          EVENT_CALLBACK(lifecycleCallback), &rec,
                                          eventRecordFree);
    ck_assert_int_ge(id, 0);

    ck_assert_int_eq(virDomainSuspend(dom), 0);
    waitEvent(&rec, 1, "test", VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
              VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(virDomainResume(dom), 0);
    waitEvent(&rec, 2, "test", VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED,
              VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    waitEvent(&rec, 3, "test", VIR_DOMAIN_EVENT_STOPPED, VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
              VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    waitEvent(&rec, 4, "test", VIR_DOMAIN_EVENT_STARTED, VIR_DOMAIN_EVENT_STARTED_BOOTED,
              VIR_DOMAIN_RUNNING);

    /* After deregistration: freed at once, never called again. */
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(watcher, id), 0);
    ck_assert_int_eq(rec.freed, 1);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);
    /* Give a stray event time to show up (there must be none). */
    sleep(1);
    ck_assert_int_eq(eventCount(&rec), 4);

    ck_assert_int_eq(virConnectDomainEventDeregisterAny(watcher, id), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    virDomainFree(dom);
    closeConn(actor);
    closeConn(watcher);
}
END_TEST

/* A registration for one domain hears nothing about others. */
START_TEST(test_events_filtered)
{
    eventRecord rec = EVENT_RECORD_INIT;
    virConnectPtr watcher = openUNIX();
    virConnectPtr actor = openTCP();
    virDomainPtr watched = lookup(watcher, "test");
    virDomainPtr dom = lookup(actor, "test");
    virDomainPtr other;
    int id;

    id = virConnectDomainEventRegisterAny(watcher, watched, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          EVENT_CALLBACK(lifecycleCallback), &rec, NULL);
    ck_assert_int_ge(id, 0);
    ck_assert_ptr_nonnull(other = virDomainDefineXML(actor, NEW_XML));
    ck_assert_int_eq(virDomainUndefine(other), 0);
    virDomainFree(other);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    waitEvent(&rec, 1, "test", VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
              VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(virDomainResume(dom), 0);
    waitEvent(&rec, 2, "test", VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED,
              VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(watcher, id), 0);
    ck_assert_int_eq(rec.freed, 0);     /* no free function given */
    virDomainFree(watched);
    virDomainFree(dom);
    closeConn(actor);
    closeConn(watcher);
}
END_TEST

static void
rebootCallback(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
}

START_TEST(test_events_registration)
{
    eventRecord rec = EVENT_RECORD_INIT;
    virConnectPtr conn = openTCP();
    int id;

    /* REBOOT is routed like LIFECYCLE (libvirtd's test driver sends none). */
    id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT,
                                          EVENT_CALLBACK(rebootCallback), &rec,
                                          eventRecordFree);
    ck_assert_int_ge(id, 0);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, id), 0);
    ck_assert_int_eq(rec.freed, 1);

    /* No decoder for the other event IDs. */
    ck_assert_int_eq(virConnectDomainEventRegisterAny(conn, NULL, 5,
                                                      EVENT_CALLBACK(rebootCallback),
                                                      NULL, NULL), -1);
    assertError(VIR_ERR_NO_SUPPORT, NULL);

    /* A registration holds the connection open; its deregistration then
     * closes it. */
    id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                          EVENT_CALLBACK(lifecycleCallback), &rec,
                                          eventRecordFree);
    ck_assert_int_ge(id, 0);
    ck_assert_int_eq(virConnectClose(conn), 1);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, id), 0);
    ck_assert_int_eq(rec.freed, 2);
}
END_TEST

/* The legacy lifecycle registration goes the same way. */
START_TEST(test_events_legacy)
{
    eventRecord rec = EVENT_RECORD_INIT;
    virConnectPtr watcher = openTCP();
    virConnectPtr actor = openTCP();
    virDomainPtr dom = lookup(actor, "test");

    ck_assert_int_eq(virConnectDomainEventRegister(watcher, lifecycleCallback, &rec,
                                                   eventRecordFree), 0);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    waitEvent(&rec, 1, "test", VIR_DOMAIN_EVENT_SUSPENDED, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
              VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(virDomainResume(dom), 0);
    waitEvent(&rec, 2, "test", VIR_DOMAIN_EVENT_RESUMED, VIR_DOMAIN_EVENT_RESUMED_UNPAUSED,
              VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(virConnectDomainEventDeregister(watcher, lifecycleCallback), 0);
    ck_assert_int_eq(rec.freed, 1);
    virDomainFree(dom);
    closeConn(actor);
    closeConn(watcher);
}
END_TEST

/* ---- statistics ------------------------------------------------------------------------ */

static const virTypedParameter *
findParam(const virDomainStatsRecord *rec, const char *field)
{
    int i;

    for (i = 0; i < rec->nparams; i++) {
        if (strcmp(rec->params[i].field, field) == 0)
            return &rec->params[i];
    }
    return NULL;
}

START_TEST(test_stats)
{
    virConnectPtr conn = openTCP();
    virDomainStatsRecordPtr *stats = NULL;
    virDomainPtr doms[2] = { NULL, NULL };
    const virTypedParameter *p;

    ck_assert_int_eq(virConnectGetAllDomainStats(conn, 0, &stats, 0), 1);
    ck_assert_ptr_nonnull(stats[0]);
    ck_assert_ptr_null(stats[1]);
    ck_assert_str_eq(virDomainGetName(stats[0]->dom), "test");
    ck_assert_ptr_nonnull(p = findParam(stats[0], "state.state"));
    ck_assert_int_eq(p->type, VIR_TYPED_PARAM_INT);
    ck_assert_int_eq(p->value.i, VIR_DOMAIN_RUNNING);
    ck_assert_ptr_nonnull(p = findParam(stats[0], "state.reason"));
    ck_assert_int_eq(p->type, VIR_TYPED_PARAM_INT);
    virDomainStatsRecordListFree(stats);

    doms[0] = lookup(conn, "test");
    ck_assert_int_eq(virDomainSuspend(doms[0]), 0);
    ck_assert_int_eq(virDomainListGetStats(doms, VIR_DOMAIN_STATS_STATE, &stats, 0), 1);
    ck_assert_ptr_nonnull(p = findParam(stats[0], "state.state"));
    ck_assert_int_eq(p->value.i, VIR_DOMAIN_PAUSED);
    virDomainStatsRecordListFree(stats);
    ck_assert_int_eq(virDomainResume(doms[0]), 0);

    ck_assert_int_eq(virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &stats,
                                                 VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE), 0);
    ck_assert_ptr_null(stats[0]);
    virDomainStatsRecordListFree(stats);
    virDomainFree(doms[0]);
    closeConn(conn);
}
END_TEST

/* ---- concurrency and keepalive ------------------------------------------------------------- */

#define CALLER_THREADS 4
#define CALLS_PER_THREAD 100

static void *
callerThread(void *opaque)
{
    virDomainPtr dom = opaque;
    intptr_t failures = 0;
    int i;

    for (i = 0; i < CALLS_PER_THREAD; i++) {
        virDomainInfo info;
        char *xml;

        if (virDomainGetInfo(dom, &info) < 0 || info.nrVirtCpu != 2)
            failures++;
        if (!(xml = virDomainGetXMLDesc(dom, 0)))
            failures++;
        free(xml);
    }
    return (void *)failures;
}

/* Calls from several threads share one connection; each gets its reply. */
START_TEST(test_threads)
{
    virConnectPtr conn = openTCP();
    virDomainPtr dom = lookup(conn, "test");
    pthread_t threads[CALLER_THREADS];
    int i;

    for (i = 0; i < CALLER_THREADS; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, callerThread, dom), 0);
    for (i = 0; i < CALLER_THREADS; i++) {
        void *failures;

        ck_assert_int_eq(pthread_join(threads[i], &failures), 0);
        ck_assert_int_eq((intptr_t)failures, 0);
    }
    virDomainFree(dom);
    closeConn(conn);
}
END_TEST

/* remote_test.sh has libvirtd ping every 2 s and drop a client after 3
 * unanswered pings: a connection idle for longer must have answered. */
START_TEST(test_keepalive)
{
    virConnectPtr conn = openUNIX();

    sleep(12);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 1);
    closeConn(conn);
}
END_TEST

static Suite *
remoteSuite(void)
{
    Suite *s = suite_create("remote");
    TCase *tc;

    tc = tcase_create("connection");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_tcp_host);
    tcase_add_test(tc, test_unix_host);
    tcase_add_test(tc, test_local_not_claimed);
    tcase_add_test(tc, test_node_file);
    tcase_add_test(tc, test_tls);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_readonly);
    suite_add_tcase(s, tc);

    tc = tcase_create("domains");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_lists);
    tcase_add_test(tc, test_lookups);
    tcase_add_test(tc, test_domain_info);
    tcase_add_test(tc, test_autostart);
    tcase_add_test(tc, test_suspend_resume);
    tcase_add_test(tc, test_destroy_start);
    tcase_add_test(tc, test_define_undefine);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_stats);
    suite_add_tcase(s, tc);

    tc = tcase_create("events");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_events_lifecycle);
    tcase_add_test(tc, test_events_filtered);
    tcase_add_test(tc, test_events_registration);
    tcase_add_test(tc, test_events_legacy);
    suite_add_tcase(s, tc);

    tc = tcase_create("transport");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_threads);
    tcase_add_test(tc, test_keepalive);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(remoteSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
