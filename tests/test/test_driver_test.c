/*
 * test_driver_test.c: the public API over the test driver: connections,
 * node files, lookups, the domain state machine, definitions, lists,
 * read-only connections and argument errors.
 *
 * Every test ends with virStateCleanup, so each starts from fresh hosts
 * also when Check runs them in one process (CK_FORK=no, under valgrind).
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libvirt_internal.h"
#include "viralloc.h"
#include "virerror.h"
#include "viruri.h"
#include "viruuid.h"
#include "viraccessmanager.h"

/* VIR_DOMAIN_EVENT_CALLBACK through void (*)(void), which -Wextra accepts. */
#define VIR_DOMAIN_EVENT_CALLBACK_SAFE(cb) \
    ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"
#define CUST1_WEB_UUID "c1000000-0000-4000-8000-000000000001"

static char *
dataPath(const char *name)
{
    const char *srcdir = getenv("abs_top_srcdir");

    return virPrintf("%s/tests/test/data/%s", srcdir && *srcdir ? srcdir : ABS_TOP_SRCDIR, name);
}

/* test:// URI of a node file in tests/test/data. Caller frees. */
static char *
nodeURI(const char *name)
{
    VIR_AUTOFREE(char *) path = dataPath(name);

    return virPrintf("test://%s", path);
}

static void
teardown(void)
{
    virStateCleanup();
    virResetLastError();
}

static void
assertError(int code, const char *message)
{
    virErrorPtr err = virGetLastError();

    ck_assert_msg(err != NULL, "expected error %d, got none", code);
    ck_assert_msg(err->code == code, "expected error %d, got %d: %s", code, err->code,
                  err->message);
    if (message)
        ck_assert_str_eq(err->message, message);
}

static virConnectPtr
openDefault(void)
{
    virConnectPtr conn = virConnectOpen("test:///default");

    ck_assert_ptr_nonnull(conn);
    return conn;
}

static virConnectPtr
openNode(const char *name)
{
    VIR_AUTOFREE(char *) uri = nodeURI(name);
    virConnectPtr conn = virConnectOpen(uri);

    ck_assert_msg(conn != NULL, "cannot open %s: %s", uri, virGetLastErrorMessage());
    return conn;
}

static virDomainPtr
lookup(virConnectPtr conn, const char *name)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);

    ck_assert_msg(dom != NULL, "lookup of %s: %s", name, virGetLastErrorMessage());
    return dom;
}

static int
domState(virDomainPtr dom, int *reason)
{
    int state = -1;

    ck_assert_int_eq(virDomainGetState(dom, &state, reason, 0), 0);
    return state;
}

static const char newDomainXML[] =
    "<domain type='test'>"
    "  <name>fresh</name>"
    "  <uuid>f0000000-0000-4000-8000-000000000001</uuid>"
    "  <memory>262144</memory>"
    "  <vcpu>2</vcpu>"
    "  <os><type>hvm</type></os>"
    "</domain>";

/* ---- URIs ------------------------------------------------------------------ */

START_TEST(test_uri_parse)
{
    virURI *uri;
    char *str;
    VIR_AUTOFREE(char *) drv = NULL;

    ck_assert_ptr_nonnull(uri = virURIParse("test:///default"));
    ck_assert_str_eq(uri->scheme, "test");
    ck_assert_ptr_null(uri->server);
    ck_assert_str_eq(uri->path, "/default");
    ck_assert_int_eq(uri->port, 0);
    ck_assert_str_eq(str = virURIFormat(uri), "test:///default");
    free(str);
    virURIFree(uri);

    ck_assert_ptr_nonnull(uri = virURIParse(
        "xen+ssh://root%40x@[::1]:2222/sys%20tem?no_verify=1&name=a+b%26c&flag#frag"));
    ck_assert_str_eq(uri->scheme, "xen+ssh");
    ck_assert_str_eq(drv = virURIGetDriverName(uri), "xen");
    ck_assert_str_eq(virURIGetTransport(uri), "ssh");
    ck_assert_str_eq(uri->user, "root@x");
    ck_assert_str_eq(uri->server, "::1");
    ck_assert_int_eq(uri->port, 2222);
    ck_assert_str_eq(uri->path, "/sys tem");
    ck_assert_int_eq(uri->nparams, 3);
    ck_assert_str_eq(virURIGetParam(uri, "no_verify"), "1");
    ck_assert_str_eq(virURIGetParam(uri, "name"), "a b&c");
    ck_assert_str_eq(virURIGetParam(uri, "flag"), "");
    ck_assert_ptr_null(virURIGetParam(uri, "nope"));
    ck_assert_str_eq(uri->fragment, "frag");
    ck_assert_str_eq(str = virURIFormat(uri),
                     "xen+ssh://root%40x@[::1]:2222/sys%20tem?no_verify=1&name=a%20b%26c&flag#frag");
    free(str);
    virURIFree(uri);

    ck_assert_ptr_nonnull(uri = virURIParse("test+tls://host.example/default"));
    ck_assert_str_eq(uri->server, "host.example");
    ck_assert_str_eq(virURIGetTransport(uri), "tls");
    virURIFree(uri);

    ck_assert_ptr_null(virURIParse("default"));
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_ptr_null(virURIParse("1test:///x"));
    ck_assert_ptr_null(virURIParse("test://h:99999/x"));
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: invalid port '99999' in URI 'test://h:99999/x'");
    ck_assert_ptr_null(virURIParse("test:///a%zz"));
    ck_assert_ptr_null(virURIParse("test:///a%00b"));
    ck_assert_ptr_null(virURIParse("test://[::1/x"));
    ck_assert_ptr_null(virURIParse(NULL));
}
END_TEST

/* ---- connections -------------------------------------------------------------- */

START_TEST(test_open_default)
{
    virConnectPtr conn;
    char *str;
    unsigned long ver = 0;
    virNodeInfo info;

    unsetenv("LIBVIRT_DEFAULT_URI");
    ck_assert_ptr_nonnull(conn = virConnectOpen(NULL));
    ck_assert_str_eq(str = virConnectGetURI(conn), "test:///default");
    free(str);
    ck_assert_str_eq(virConnectGetType(conn), "TEST");
    ck_assert_int_eq(virConnectGetVersion(conn, &ver), 0);
    ck_assert_int_eq(ver, 2);
    ck_assert_int_eq(virConnectGetLibVersion(conn, &ver), 0);
    ck_assert_int_eq(ver, TENVIRT_VERSION_NUMBER);
    ck_assert_ptr_nonnull(str = virConnectGetHostname(conn));
    ck_assert(*str);
    free(str);
    ck_assert_ptr_nonnull(str = virConnectGetCapabilities(conn));
    ck_assert_ptr_nonnull(strstr(str, "<domain type='test'/>"));
    free(str);
    ck_assert_int_eq(virConnectGetMaxVcpus(conn, NULL), 32);
    ck_assert_int_eq(virConnectIsReadOnly(conn), 0);

    ck_assert_int_eq(virNodeGetInfo(conn, &info), 0);
    ck_assert_str_eq(info.model, "i686");
    ck_assert_int_eq(info.memory, 3145728);
    ck_assert_int_eq(info.cpus, 16);
    ck_assert_int_eq(info.mhz, 1400);
    ck_assert_int_eq(info.nodes, 2);
    ck_assert_int_eq(info.sockets, 2);
    ck_assert_int_eq(info.cores, 2);
    ck_assert_int_eq(info.threads, 2);

    ck_assert_int_eq(virConnectRef(conn), 0);
    ck_assert_int_eq(virConnectClose(conn), 1);
    ck_assert_int_eq(virConnectClose(conn), 0);

    ck_assert_ptr_nonnull(conn = virConnectOpen(""));
    ck_assert_str_eq(str = virConnectGetURI(conn), "test:///default");
    free(str);
    ck_assert_int_eq(virConnectClose(conn), 0);

    ck_assert_int_eq(virGetVersion(&ver, NULL, NULL), 0);
    ck_assert_int_eq(ver, TENVIRT_VERSION_NUMBER);
    ck_assert_int_eq(virGetVersion(NULL, NULL, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
}
END_TEST

START_TEST(test_open_env)
{
    VIR_AUTOFREE(char *) uri = nodeURI("node-minimal.xml");
    virConnectPtr conn;
    char *str;

    setenv("LIBVIRT_DEFAULT_URI", uri, 1);
    ck_assert_ptr_nonnull(conn = virConnectOpen(NULL));
    ck_assert_str_eq(str = virConnectGetURI(conn), uri);
    free(str);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 1);
    virConnectClose(conn);
    /* An explicit name wins over the environment. */
    ck_assert_ptr_nonnull(conn = virConnectOpen("test:///default"));
    ck_assert_str_eq(str = virConnectGetURI(conn), "test:///default");
    free(str);
    virConnectClose(conn);
    unsetenv("LIBVIRT_DEFAULT_URI");
}
END_TEST

START_TEST(test_open_errors)
{
    ck_assert_ptr_null(virConnectOpen("foo:///bar"));
    /* Known to no driver, local or remote. */
    assertError(VIR_ERR_NO_CONNECT, NULL);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "foo:///bar"));

    /* A test URI with a host is for a remote daemon: the test driver
     * declines it (whatever the remote driver then says). */
    ck_assert_ptr_null(virConnectOpen("test://somehost.invalid/default"));
    ck_assert_int_ne(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);

    ck_assert_ptr_null(virConnectOpen("test://"));
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: testOpen: supply a path or use test:///default");

    ck_assert_ptr_null(virConnectOpen("not a uri"));
    assertError(VIR_ERR_INVALID_ARG, NULL);

    ck_assert_ptr_null(virConnectOpen("test:///nonexistent/node.xml"));
    assertError(VIR_ERR_XML_ERROR, NULL);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(),
                                 "failed to parse xml document '/nonexistent/node.xml'"));

    ck_assert_int_eq(virConnectClose(NULL), -1);
    assertError(VIR_ERR_INVALID_CONN, NULL);
}
END_TEST

START_TEST(test_shared_state)
{
    virConnectPtr a = openDefault();
    virConnectPtr b = openDefault();
    virDomainPtr da = lookup(a, "test");
    virDomainPtr db;

    ck_assert_int_eq(virDomainSuspend(da), 0);
    db = lookup(b, "test");
    ck_assert_int_eq(domState(db, NULL), VIR_DOMAIN_PAUSED);
    virDomainFree(da);
    virConnectClose(a);

    /* The host outlives its connections. */
    a = openDefault();
    da = lookup(a, "test");
    ck_assert_int_eq(domState(da, NULL), VIR_DOMAIN_PAUSED);

    /* A define on one connection is visible on the other, also for node files. */
    virDomainFree(virDomainDefineXML(a, newDomainXML));
    virDomainFree(db);
    db = lookup(b, "fresh");
    virDomainFree(db);
    virDomainFree(da);
    virConnectClose(a);
    virConnectClose(b);

    a = openNode("node-customers.xml");
    b = openNode("node-customers.xml");
    da = lookup(a, "cust1-web");
    ck_assert_int_eq(virDomainDestroy(da), 0);
    db = lookup(b, "cust1-web");
    ck_assert_int_eq(domState(db, NULL), VIR_DOMAIN_SHUTOFF);
    virDomainFree(da);
    virDomainFree(db);
    virConnectClose(a);
    virConnectClose(b);

    /* Different hosts do not share. */
    a = openDefault();
    ck_assert_ptr_null(virDomainLookupByName(a, "cust1-web"));
    virConnectClose(a);
}
END_TEST

/* ---- node files ----------------------------------------------------------------- */

START_TEST(test_node_file)
{
    virConnectPtr conn = openNode("node-customers.xml");
    virNodeInfo info;
    static const struct {
        const char *name;
        int id;
        int state;
        int reason;
        unsigned long maxMem;
        unsigned long memory;
        unsigned short vcpus;
    } expect[] = {
        { "cust1-web", 1, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 1048576, 524288, 2 },
        { "cust1-db", 2, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 4194304, 4194304, 4 },
        { "cust1-dev", -1, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, 524288, 524288, 1 },
        { "cust2-web", 3, VIR_DOMAIN_RUNNING, VIR_DOMAIN_RUNNING_BOOTED, 2097152, 2097152, 2 },
        { "cust2-db", 4, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, 4194304, 4194304, 4 },
        { "cust2-old", -1, VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTOFF_UNKNOWN, 1048576, 1048576, 1 },
    };
    size_t i;
    char *xml;

    ck_assert_int_eq(virNodeGetInfo(conn, &info), 0);
    ck_assert_str_eq(info.model, "x86_64");
    ck_assert_int_eq(info.mhz, 2400);
    ck_assert_int_eq(info.cpus, 12);
    ck_assert_int_eq(info.nodes, 1);
    ck_assert_int_eq(info.sockets, 2);
    ck_assert_int_eq(info.cores, 4);
    ck_assert_int_eq(info.threads, 2);
    ck_assert_int_eq(info.memory, 33554432);

    ck_assert_int_eq(virConnectNumOfDomains(conn), 4);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 2);
    for (i = 0; i < G_N_ELEMENTS(expect); i++) {
        virDomainPtr dom = lookup(conn, expect[i].name);
        virDomainInfo dinfo;
        int reason = -1;

        ck_assert_int_eq((int)virDomainGetID(dom), expect[i].id);
        ck_assert_int_eq(domState(dom, &reason), expect[i].state);
        ck_assert_int_eq(reason, expect[i].reason);
        ck_assert_int_eq(virDomainGetInfo(dom, &dinfo), 0);
        ck_assert_int_eq(dinfo.state, expect[i].state);
        ck_assert_int_eq(dinfo.maxMem, expect[i].maxMem);
        ck_assert_int_eq(dinfo.memory, expect[i].memory);
        ck_assert_int_eq(dinfo.nrVirtCpu, expect[i].vcpus);
        ck_assert_int_eq(virDomainIsPersistent(dom), 1);
        virDomainFree(dom);
    }

    /* <domain file='cust1-db.xml'/> brought its disk along. */
    {
        virDomainPtr dom = lookup(conn, "cust1-db");

        ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(dom, 0));
        ck_assert_ptr_nonnull(strstr(xml, "/var/lib/images/cust1-db.img"));
        ck_assert_ptr_nonnull(strstr(xml, "id='2'"));
        free(xml);
        virDomainFree(dom);
    }

    /* The next start continues the id sequence. */
    {
        virDomainPtr dom = lookup(conn, "cust2-old");

        ck_assert_int_eq(virDomainCreate(dom), 0);
        ck_assert_int_eq((int)virDomainGetID(dom), 5);
        virDomainFree(dom);
    }
    virConnectClose(conn);
}
END_TEST

START_TEST(test_node_file_errors)
{
    static const struct {
        const char *file;
        int code;
        const char *needle;
    } cases[] = {
        { "node-bad-root.xml", VIR_ERR_XML_ERROR, "expected root element <node>, found <domain>" },
        { "node-bad-xml.xml", VIR_ERR_XML_ERROR, "failed to parse xml document" },
        { "node-bad-duplicate.xml", VIR_ERR_OPERATION_FAILED, "domain 'twice'" },
        { "node-bad-runstate.xml", VIR_ERR_XML_ERROR, "unsupported <test:runstate> '4'" },
        { "node-bad-domain.xml", VIR_ERR_XML_ERROR, "node-bad-domain.xml:3: " },
        { "node-bad-cpu.xml", VIR_ERR_XML_ERROR, "node-bad-cpu.xml:3: invalid <cpu><mhz> 'fast'" },
        { "node-bad-file.xml", VIR_ERR_XML_ERROR, "does-not-exist.xml" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        VIR_AUTOFREE(char *) uri = nodeURI(cases[i].file);

        ck_assert_msg(virConnectOpen(uri) == NULL, "%s opened", cases[i].file);
        assertError(cases[i].code, NULL);
        ck_assert_msg(strstr(virGetLastErrorMessage(), cases[i].needle) != NULL,
                      "%s: '%s' lacks '%s'", cases[i].file, virGetLastErrorMessage(),
                      cases[i].needle);
    }
}
END_TEST

/* ---- lookups ---------------------------------------------------------------------- */

START_TEST(test_lookups)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom;
    virDomainPtr other;
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned char raw[VIR_UUID_BUFLEN];
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    ck_assert_ptr_nonnull(dom = virDomainLookupByID(conn, 1));
    ck_assert_str_eq(virDomainGetName(dom), "test");
    ck_assert_int_eq(virDomainGetID(dom), 1);
    ck_assert_ptr_eq(virDomainGetConnect(dom), conn);
    ck_assert_int_eq(virDomainGetUUIDString(dom, uuidstr), 0);
    ck_assert_str_eq(uuidstr, TEST_UUID);
    ck_assert_int_eq(virDomainGetUUID(dom, uuid), 0);
    virUUIDParse(TEST_UUID, raw);
    ck_assert_int_eq(memcmp(uuid, raw, VIR_UUID_BUFLEN), 0);
    ck_assert_int_eq(virDomainRef(dom), 0);
    ck_assert_int_eq(virDomainFree(dom), 0);
    ck_assert_int_eq(virDomainFree(dom), 0);

    ck_assert_ptr_nonnull(dom = virDomainLookupByUUIDString(conn, TEST_UUID));
    ck_assert_str_eq(virDomainGetName(dom), "test");
    virDomainFree(dom);
    ck_assert_ptr_nonnull(dom = virDomainLookupByUUID(conn, raw));
    ck_assert_str_eq(virDomainGetName(dom), "test");

    /* A handle keeps its connection alive. */
    ck_assert_int_eq(virConnectClose(conn), 1);
    ck_assert_ptr_nonnull(other = virDomainLookupByName(virDomainGetConnect(dom), "test"));
    virDomainFree(other);
    conn = virDomainGetConnect(dom);
    virConnectRef(conn);
    virDomainFree(dom);

    ck_assert_ptr_null(virDomainLookupByName(conn, "nosuch"));
    assertError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching name 'nosuch'");
    ck_assert_int_eq(virGetLastError()->domain, VIR_FROM_DOMAIN);
    ck_assert_ptr_null(virDomainLookupByID(conn, 42));
    assertError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching id 42");
    ck_assert_ptr_null(virDomainLookupByUUIDString(conn, "00000000-0000-4000-8000-000000000000"));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "00000000-0000-4000-8000-000000000000"));

    /* An inactive domain has no id to be found by. */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, newDomainXML));
    ck_assert_int_eq((int)virDomainGetID(dom), -1);
    virDomainFree(dom);
    ck_assert_ptr_null(virDomainLookupByID(conn, 0));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    virConnectClose(conn);
}
END_TEST

/* ---- the state machine -------------------------------------------------------------- */

static void
assertInvalid(int rc, const char *why)
{
    VIR_AUTOFREE(char *) msg = virPrintf("Requested operation is not valid: %s", why);

    ck_assert_int_eq(rc, -1);
    assertError(VIR_ERR_OPERATION_INVALID, msg);
}

START_TEST(test_transitions)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    int reason;

    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_BOOTED);
    ck_assert_int_eq(virDomainIsActive(dom), 1);

    /* running */
    assertInvalid(virDomainCreate(dom), "domain is already running");
    assertInvalid(virDomainResume(dom), "domain is not paused");
    ck_assert_int_eq(virDomainReboot(dom, 0), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_BOOTED);
    ck_assert_int_eq(virDomainGetID(dom), 1);

    /* running -> paused */
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(reason, VIR_DOMAIN_PAUSED_USER);
    ck_assert_int_eq(virDomainIsActive(dom), 1);
    assertInvalid(virDomainSuspend(dom), "domain is already paused");
    assertInvalid(virDomainCreate(dom), "domain is already running");

    /* paused -> running */
    ck_assert_int_eq(virDomainResume(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_UNPAUSED);

    /* running -> shut off by shutdown */
    ck_assert_int_eq(virDomainShutdown(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    ck_assert_int_eq((int)virDomainGetID(dom), -1);
    ck_assert_int_eq(virDomainIsActive(dom), 0);

    /* shut off */
    assertInvalid(virDomainSuspend(dom), "domain is not running");
    assertInvalid(virDomainResume(dom), "domain is not running");
    assertInvalid(virDomainShutdown(dom), "domain is not running");
    assertInvalid(virDomainReboot(dom, 0), "domain is not running");
    assertInvalid(virDomainDestroy(dom), "domain is not running");

    /* shut off -> running: a new id */
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_BOOTED);
    ck_assert_int_eq(virDomainGetID(dom), 2);

    /* paused -> shut off by destroy, and by shutdown */
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_DESTROYED);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainGetID(dom), 3);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainShutdown(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);

    /* paused -> running by reboot */
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainReboot(dom, 0), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(reason, VIR_DOMAIN_RUNNING_BOOTED);

    /* Bad flags. */
    ck_assert_int_eq(virDomainReboot(dom, 1u << 20), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainGetState(dom, &reason, NULL, 1), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);

    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_stale_handle)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = virDomainDefineXML(conn, newDomainXML);
    virDomainInfo info;

    ck_assert_ptr_nonnull(dom);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    ck_assert_int_eq(virDomainGetInfo(dom, &info), -1);
    assertError(VIR_ERR_NO_DOMAIN,
                "Domain not found: no domain with matching uuid "
                "'f0000000-0000-4000-8000-000000000001' (fresh)");
    ck_assert_int_eq(virDomainCreate(dom), -1);
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

static void
sleepMs(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

START_TEST(test_cpu_time)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    virDomainInfo a;
    virDomainInfo b;

    ck_assert_int_eq(virDomainGetInfo(dom, &a), 0);
    sleepMs(30);
    ck_assert_int_eq(virDomainGetInfo(dom, &b), 0);
    /* Two vCPUs busy for at least 30 ms. */
    ck_assert_uint_ge(b.cpuTime - a.cpuTime, 2ULL * 30 * 1000000);

    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainGetInfo(dom, &a), 0);
    sleepMs(20);
    ck_assert_int_eq(virDomainGetInfo(dom, &b), 0);
    ck_assert_uint_eq(a.cpuTime, b.cpuTime);

    ck_assert_int_eq(virDomainResume(dom), 0);
    sleepMs(10);
    ck_assert_int_eq(virDomainGetInfo(dom, &b), 0);
    ck_assert_uint_gt(b.cpuTime, a.cpuTime);

    /* Stopped: frozen; started again: from zero. */
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_int_eq(virDomainGetInfo(dom, &a), 0);
    sleepMs(10);
    ck_assert_int_eq(virDomainGetInfo(dom, &b), 0);
    ck_assert_uint_eq(a.cpuTime, b.cpuTime);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainGetInfo(dom, &b), 0);
    ck_assert_uint_lt(b.cpuTime, a.cpuTime);

    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

/* ---- definitions ---------------------------------------------------------------------- */

START_TEST(test_define)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom;
    virDomainInfo info;
    int autostart = -1;
    char *xml;
    int reason;

    /* new */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, newDomainXML));
    ck_assert_str_eq(virDomainGetName(dom), "fresh");
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_UNKNOWN);
    ck_assert_int_eq(virDomainIsPersistent(dom), 1);
    ck_assert_int_eq(virDomainGetAutostart(dom, &autostart), 0);
    ck_assert_int_eq(autostart, 0);
    ck_assert_int_eq(virDomainGetMaxMemory(dom), 262144);
    ck_assert_str_eq(xml = virDomainGetOSType(dom), "hvm");
    free(xml);
    virDomainFree(dom);

    /* update of an inactive domain replaces its definition */
    {
        VIR_AUTOFREE(char *) bigger = virStrdup(newDomainXML);
        char *p = strstr(bigger, "262144");

        memcpy(p, "524288", 6);
        ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, bigger));
        ck_assert_int_eq(virDomainGetMaxMemory(dom), 524288);
        ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 1);

        /* while running it waits for the next stop */
        ck_assert_int_eq(virDomainCreate(dom), 0);
        virDomainFree(virDomainDefineXML(conn, newDomainXML));
        ck_assert_int_eq(virDomainGetMaxMemory(dom), 524288);
        ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE));
        ck_assert_ptr_nonnull(strstr(xml, ">262144</memory>"));
        ck_assert_ptr_null(strstr(xml, " id="));
        free(xml);
        ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(dom, 0));
        ck_assert_ptr_nonnull(strstr(xml, ">524288</memory>"));
        ck_assert_ptr_nonnull(strstr(xml, "id='2'"));
        free(xml);
        ck_assert_int_eq(virDomainDestroy(dom), 0);
        ck_assert_int_eq(virDomainGetInfo(dom, &info), 0);
        ck_assert_int_eq(info.maxMem, 262144);
        virDomainFree(dom);
    }

    /* same name, other uuid */
    {
        VIR_AUTOFREE(char *) clash = virStrdup(newDomainXML);

        memcpy(strstr(clash, "f0000000"), "f1111111", 8);
        ck_assert_ptr_null(virDomainDefineXML(conn, clash));
        assertError(VIR_ERR_OPERATION_FAILED,
                    "operation failed: domain 'fresh' already exists with uuid "
                    "f0000000-0000-4000-8000-000000000001");
    }
    /* same uuid, other name */
    {
        VIR_AUTOFREE(char *) clash = virStrdup(newDomainXML);

        memcpy(strstr(clash, "fresh"), "other", 5);
        ck_assert_ptr_null(virDomainDefineXML(conn, clash));
        assertError(VIR_ERR_OPERATION_FAILED,
                    "operation failed: domain 'fresh' is already defined with uuid "
                    "f0000000-0000-4000-8000-000000000001");
    }

    /* bad XML and a foreign domain type */
    ck_assert_ptr_null(virDomainDefineXML(conn, "<domain"));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_XML_DETAIL);
    ck_assert_ptr_null(virDomainDefineXML(conn, "<domain type='kvm'><name>k</name>"
                                                "<memory>1024</memory><os><type>hvm</type></os>"
                                                "</domain>"));
    assertError(VIR_ERR_CONFIG_UNSUPPORTED, NULL);

    /* Without a uuid, one is generated. */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, "<domain type='test'><name>nouuid</name>"
                                                         "<memory>1024</memory>"
                                                         "<os><type>hvm</type></os></domain>"));
    virDomainFree(dom);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 2);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_undefine)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    virDomainPtr again;

    /* running: becomes transient */
    ck_assert_int_eq(virDomainSetAutostart(dom, 1), 0);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    ck_assert_int_eq(virDomainIsPersistent(dom), 0);
    ck_assert_int_eq(virDomainIsActive(dom), 1);
    ck_assert_int_eq(virDomainUndefine(dom), -1);
    assertError(VIR_ERR_OPERATION_INVALID,
                "Requested operation is not valid: cannot undefine transient domain");
    ck_assert_int_eq(virDomainSetAutostart(dom, 1), -1);
    assertError(VIR_ERR_OPERATION_INVALID,
                "Requested operation is not valid: cannot set autostart for transient domain");
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_TRANSIENT), 1);

    /* still usable while active */
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);

    /* gone once it stops */
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_ptr_null(virDomainLookupByName(conn, "test"));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 0);
    ck_assert_int_eq(virDomainGetState(dom, &(int){0}, NULL, 0), -1);
    assertError(VIR_ERR_NO_DOMAIN, NULL);
    virDomainFree(dom);

    /* a running transient domain that is defined again becomes persistent */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, newDomainXML));
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    ck_assert_int_eq(virDomainIsPersistent(dom), 0);
    ck_assert_ptr_nonnull(again = virDomainDefineXML(conn, newDomainXML));
    ck_assert_int_eq(virDomainIsPersistent(dom), 1);
    ck_assert_int_eq(virDomainShutdown(dom), 0);
    virDomainFree(again);
    ck_assert_ptr_nonnull(again = lookup(conn, "fresh"));

    /* inactive: gone at once, and the name is free again */
    ck_assert_int_eq(virDomainUndefine(again), 0);
    ck_assert_ptr_null(virDomainLookupByName(conn, "fresh"));
    virDomainFree(again);
    ck_assert_ptr_nonnull(again = virDomainDefineXML(conn, newDomainXML));
    virDomainFree(again);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_autostart)
{
    virConnectPtr conn = openDefault();
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
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, VIR_CONNECT_LIST_DOMAINS_AUTOSTART), 0);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

/* ---- lists ---------------------------------------------------------------------------- */

/* Names of the domains ListAllDomains returns for @flags, sorted, comma-separated. */
static char *
listNames(virConnectPtr conn, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, flags);
    const char **names;
    char *out = virStrdup("");
    int i;
    int j;

    ck_assert_int_ge(n, 0);
    ck_assert_ptr_null(doms[n]);
    names = virAllocN(n + 1, sizeof(*names));
    for (i = 0; i < n; i++)
        names[i] = virDomainGetName(doms[i]);
    for (i = 1; i < n; i++) {
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];

            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    }
    for (i = 0; i < n; i++) {
        char *next = virPrintf("%s%s%s", out, i ? "," : "", names[i]);

        free(out);
        out = next;
    }
    free(names);
    for (i = 0; i < n; i++)
        virDomainFree(doms[i]);
    free(doms);
    return out;
}

static int
countNames(const char *names)
{
    int n = *names ? 1 : 0;

    for (; *names; names++)
        n += *names == ',';
    return n;
}

START_TEST(test_list_all_filters)
{
    virConnectPtr conn = openNode("node-customers.xml");
    virDomainPtr dom;
    static const struct {
        unsigned int flags;
        const char *names;
    } cases[] = {
        { 0, "cust1-db,cust1-dev,cust1-web,cust2-db,cust2-old,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_ACTIVE, "cust1-db,cust1-web,cust2-db,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_INACTIVE, "cust1-dev,cust2-old" },
        { VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE,
          "cust1-db,cust1-dev,cust1-web,cust2-db,cust2-old,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
          "cust1-db,cust1-dev,cust1-web,cust2-db,cust2-old,cust2-web" },
        { VIR_CONNECT_LIST_DOMAINS_TRANSIENT, "cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_RUNNING, "cust1-db,cust1-web,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_PAUSED, "cust2-db" },
        { VIR_CONNECT_LIST_DOMAINS_SHUTOFF, "cust1-dev,cust2-old" },
        { VIR_CONNECT_LIST_DOMAINS_OTHER, "" },
        { VIR_CONNECT_LIST_DOMAINS_PAUSED | VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
          "cust1-dev,cust2-db,cust2-old" },
        { VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE, "" },
        { VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
          "cust1-db,cust1-dev,cust1-web,cust2-db,cust2-old,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_AUTOSTART, "cust1-web" },
        { VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
          "cust1-db,cust1-dev,cust2-db,cust2-old,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT, "" },
        { VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
          "cust1-db,cust1-dev,cust1-web,cust2-db,cust2-old,cust2-web,cust3-tmp" },
        { VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_PERSISTENT |
          VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART, "cust1-db,cust2-db,cust2-web" },
        { VIR_CONNECT_LIST_DOMAINS_INACTIVE | VIR_CONNECT_LIST_DOMAINS_RUNNING, "" },
    };
    size_t i;
    virDomainPtr *doms = (virDomainPtr *)&doms;

    /* One transient domain and one autostarted, to have every kind. */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn,
        "<domain type='test'><name>cust3-tmp</name><memory>1024</memory>"
        "<os><type>hvm</type></os></domain>"));
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    virDomainFree(dom);
    dom = lookup(conn, "cust1-web");
    ck_assert_int_eq(virDomainSetAutostart(dom, 1), 0);
    virDomainFree(dom);

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        VIR_AUTOFREE(char *) names = listNames(conn, cases[i].flags);

        ck_assert_msg(STREQ(names, cases[i].names), "flags 0x%x: got '%s', expected '%s'",
                      cases[i].flags, names, cases[i].names);
        ck_assert_int_eq(virConnectListAllDomains(conn, NULL, cases[i].flags),
                         countNames(cases[i].names));
    }

    ck_assert_int_eq(virConnectListAllDomains(conn, &doms, 1u << 20), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_ptr_null(doms);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_num_and_list)
{
    virConnectPtr conn = openNode("node-customers.xml");
    int ids[10];
    char *names[10];
    int n;
    int i;

    ck_assert_int_eq(virConnectNumOfDomains(conn), 4);
    ck_assert_int_eq(n = virConnectListDomains(conn, ids, 10), 4);
    ck_assert_int_eq(ids[0], 1);
    ck_assert_int_eq(ids[1], 2);
    ck_assert_int_eq(ids[2], 3);
    ck_assert_int_eq(ids[3], 4);
    ck_assert_int_eq(virConnectListDomains(conn, ids, 2), 2);
    ck_assert_int_eq(virConnectListDomains(conn, NULL, 0), 0);

    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 2);
    ck_assert_int_eq(n = virConnectListDefinedDomains(conn, names, 10), 2);
    ck_assert_str_eq(names[0], "cust1-dev");
    ck_assert_str_eq(names[1], "cust2-old");
    for (i = 0; i < n; i++)
        free(names[i]);
    ck_assert_int_eq(n = virConnectListDefinedDomains(conn, names, 1), 1);
    free(names[0]);

    ck_assert_int_eq(virConnectListDomains(conn, ids, -1), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectListDomains(conn, NULL, 3), -1);
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: ids in virConnectListDomains must not be NULL");
    ck_assert_int_eq(virConnectListDefinedDomains(conn, names, -1), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectListDefinedDomains(conn, NULL, 1), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    virConnectClose(conn);
}
END_TEST

/* ---- read-only connections and argument checks ------------------------------------------ */

START_TEST(test_readonly)
{
    virConnectPtr conn = virConnectOpenReadOnly("test:///default");
    virDomainPtr dom;
    virDomainInfo info;
    char *xml;

    ck_assert_ptr_nonnull(conn);
    ck_assert_int_eq(virConnectIsReadOnly(conn), 1);
    dom = lookup(conn, "test");
    ck_assert_int_eq(virDomainGetInfo(dom, &info), 0);
    ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(dom, 0));
    free(xml);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 1);

#define REFUSED(call, name) \
    do { \
        ck_assert_int_eq((call), -1); \
        assertError(VIR_ERR_OPERATION_DENIED, \
                    "operation forbidden: read only access prevents " name); \
    } while (0)
    REFUSED(virDomainSuspend(dom), "virDomainSuspend");
    REFUSED(virDomainResume(dom), "virDomainResume");
    REFUSED(virDomainShutdown(dom), "virDomainShutdown");
    REFUSED(virDomainReboot(dom, 0), "virDomainReboot");
    REFUSED(virDomainDestroy(dom), "virDomainDestroy");
    REFUSED(virDomainCreate(dom), "virDomainCreate");
    REFUSED(virDomainUndefine(dom), "virDomainUndefine");
    REFUSED(virDomainSetAutostart(dom, 1), "virDomainSetAutostart");
#undef REFUSED
    ck_assert_ptr_null(virDomainDefineXML(conn, newDomainXML));
    assertError(VIR_ERR_OPERATION_DENIED,
                "operation forbidden: read only access prevents virDomainDefineXML");
    ck_assert_ptr_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE));
    assertError(VIR_ERR_OPERATION_DENIED, NULL);

    /* Nothing changed. */
    ck_assert_int_eq(domState(dom, NULL), VIR_DOMAIN_RUNNING);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_argument_errors)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    unsigned long ver;
    virNodeInfo ninfo;
    int state;

    ck_assert_ptr_null(virConnectGetType(NULL));
    assertError(VIR_ERR_INVALID_CONN, NULL);
    ck_assert_int_eq(virConnectGetVersion(NULL, &ver), -1);
    assertError(VIR_ERR_INVALID_CONN, NULL);
    ck_assert_int_eq(virConnectGetVersion(conn, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: hvVer in virConnectGetVersion must not be NULL");
    ck_assert_int_eq(virConnectGetLibVersion(conn, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_ptr_null(virConnectGetURI(NULL));
    assertError(VIR_ERR_INVALID_CONN, NULL);
    ck_assert_ptr_null(virConnectGetHostname(NULL));
    ck_assert_int_eq(virConnectIsReadOnly(NULL), -1);
    ck_assert_int_eq(virConnectRef(NULL), -1);
    ck_assert_int_eq(virNodeGetInfo(NULL, &ninfo), -1);
    assertError(VIR_ERR_INVALID_CONN, NULL);
    ck_assert_int_eq(virNodeGetInfo(conn, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectNumOfDomains(NULL), -1);
    ck_assert_int_eq(virConnectListAllDomains(NULL, NULL, 0), -1);
    assertError(VIR_ERR_INVALID_CONN, NULL);

    ck_assert_ptr_null(virDomainLookupByName(conn, NULL));
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: name in virDomainLookupByName must not be NULL");
    ck_assert_ptr_null(virDomainLookupByName(NULL, "test"));
    assertError(VIR_ERR_INVALID_CONN, NULL);
    ck_assert_ptr_null(virDomainLookupByID(conn, -1));
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: id in virDomainLookupByID must be non-negative");
    ck_assert_ptr_null(virDomainLookupByUUID(conn, NULL));
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_ptr_null(virDomainLookupByUUIDString(conn, "not-a-uuid"));
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_ptr_null(virDomainDefineXML(conn, NULL));
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_ptr_null(virDomainDefineXML(NULL, newDomainXML));
    assertError(VIR_ERR_INVALID_CONN, NULL);

    ck_assert_int_eq(virDomainGetInfo(NULL, NULL), -1);
    assertError(VIR_ERR_INVALID_DOMAIN, NULL);
    ck_assert_int_eq(virDomainGetInfo(dom, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainGetState(dom, NULL, NULL, 0), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainGetState(NULL, &state, NULL, 0), -1);
    assertError(VIR_ERR_INVALID_DOMAIN, NULL);
    ck_assert_int_eq(virDomainGetAutostart(dom, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainGetUUID(dom, NULL), -1);
    ck_assert_int_eq(virDomainGetUUIDString(dom, NULL), -1);
    ck_assert_ptr_null(virDomainGetName(NULL));
    assertError(VIR_ERR_INVALID_DOMAIN, NULL);
    ck_assert_int_eq(virDomainGetID(NULL), (unsigned int)-1);
    ck_assert_ptr_null(virDomainGetConnect(NULL));
    ck_assert_int_eq(virDomainFree(NULL), -1);
    ck_assert_int_eq(virDomainRef(NULL), -1);
    ck_assert_int_eq(virDomainCreate(NULL), -1);
    assertError(VIR_ERR_INVALID_DOMAIN, NULL);
    ck_assert_int_eq(virDomainIsActive(NULL), -1);
    ck_assert_ptr_null(virDomainGetXMLDesc(NULL, 0));
    ck_assert_ptr_null(virDomainGetXMLDesc(dom, 1u << 20));
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainGetMaxMemory(NULL), 0);
    ck_assert_ptr_null(virDomainGetOSType(NULL));

    /* A successful call clears the previous error. */
    ck_assert_int_eq(virDomainGetState(dom, &state, NULL, 0), 0);
    ck_assert_ptr_null(virGetLastError());

    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

/* ---- flag variants and the rest of the API ------------------------------------------ */

START_TEST(test_flag_variants)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom;
    int reason;

    ck_assert_ptr_nonnull(dom = virDomainDefineXMLFlags(conn, newDomainXML, 1 /* VALIDATE */));
    ck_assert_ptr_null(virDomainDefineXMLFlags(conn, newDomainXML, 1u << 10));
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainCreateWithFlags(dom, 1u << 10), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainCreateWithFlags(dom, 0), 0);
    ck_assert_int_eq(virDomainCreateWithFlags(dom, 0), -1);
    assertError(VIR_ERR_OPERATION_INVALID, "Requested operation is not valid: domain is already running");
    ck_assert_int_eq(virDomainShutdownFlags(dom, 1 /* ACPI */), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_SHUTDOWN);
    /* start --paused: running id, paused CPUs; resume lets it run. */
    ck_assert_int_eq(virDomainCreateWithFlags(dom, VIR_DOMAIN_START_PAUSED), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(reason, VIR_DOMAIN_PAUSED_USER);
    ck_assert_int_gt((int)virDomainGetID(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_RUNNING);
    ck_assert_int_eq(virDomainShutdownFlags(dom, 0), 0);
    ck_assert_int_eq(virDomainShutdownFlags(dom, 0), -1);
    assertError(VIR_ERR_OPERATION_INVALID, NULL);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainDestroyFlags(dom, 1u << 10), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainDestroyFlags(dom, 1 /* GRACEFUL */), 0);
    ck_assert_int_eq(domState(dom, &reason), VIR_DOMAIN_SHUTOFF);
    ck_assert_int_eq(reason, VIR_DOMAIN_SHUTOFF_DESTROYED);
    ck_assert_int_eq(virDomainUndefineFlags(dom, 1u << 10), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainUndefineFlags(dom, 1 /* MANAGED_SAVE */), 0);
    ck_assert_ptr_null(virDomainLookupByName(conn, "fresh"));
    virDomainFree(dom);
    virConnectClose(conn);

    conn = virConnectOpenReadOnly("test:///default");
    dom = lookup(conn, "test");
    ck_assert_int_eq(virDomainDestroyFlags(dom, 0), -1);
    assertError(VIR_ERR_OPERATION_DENIED,
                "operation forbidden: read only access prevents virDomainDestroyFlags");
    ck_assert_int_eq(virDomainShutdownFlags(dom, 0), -1);
    assertError(VIR_ERR_OPERATION_DENIED, NULL);
    ck_assert_int_eq(virDomainCreateWithFlags(dom, 0), -1);
    assertError(VIR_ERR_OPERATION_DENIED, NULL);
    ck_assert_int_eq(virDomainUndefineFlags(dom, 0), -1);
    assertError(VIR_ERR_OPERATION_DENIED, NULL);
    ck_assert_ptr_null(virDomainDefineXMLFlags(conn, newDomainXML, 0));
    assertError(VIR_ERR_OPERATION_DENIED, NULL);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_misc_queries)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    virSecurityModel model;
    char **msgs = (char **)&msgs;

    ck_assert_int_eq(virDomainHasManagedSaveImage(dom, 0), 0);
    ck_assert_int_eq(virDomainHasManagedSaveImage(dom, 1), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virDomainSnapshotNum(dom, 0), 0);
    ck_assert_int_eq(virDomainGetMessages(dom, &msgs, 0), 0);
    ck_assert_ptr_null(msgs);
    ck_assert_int_eq(virDomainGetMessages(dom, NULL, 0), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectIsSecure(conn), 1);
    ck_assert_int_eq(virConnectIsEncrypted(conn), 0);
    memset(&model, 'x', sizeof(model));
    ck_assert_int_eq(virNodeGetSecurityModel(conn, &model), 0);
    ck_assert_str_eq(model.model, "");
    ck_assert_str_eq(model.doi, "");
    ck_assert_int_eq(virNodeGetSecurityModel(conn, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectIsSecure(NULL), -1);
    assertError(VIR_ERR_INVALID_CONN, NULL);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

/* ---- events ------------------------------------------------------------------------ */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char log[4096];
    int count;
    int freed;
} eventLog;

static void
eventLogInit(eventLog *log)
{
    memset(log, 0, sizeof(*log));
    pthread_mutex_init(&log->lock, NULL);
    pthread_cond_init(&log->cond, NULL);
}

static void
eventLogAppend(eventLog *log, const char *line)
{
    pthread_mutex_lock(&log->lock);
    strncat(log->log, line, sizeof(log->log) - strlen(log->log) - 1);
    log->count++;
    pthread_cond_broadcast(&log->cond);
    pthread_mutex_unlock(&log->lock);
}

static void
lifecycleCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    VIR_AUTOFREE(char *) line = virPrintf("%s:%d/%d ", virDomainGetName(dom), event, detail);

    ck_assert_ptr_nonnull(conn);
    eventLogAppend(opaque, line);
}

static void
rebootCallback(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    VIR_AUTOFREE(char *) line = virPrintf("%s:reboot(%d) ", virDomainGetName(dom),
                                          (int)virDomainGetID(dom));

    eventLogAppend(opaque, line);
}

static void
eventLogFreed(void *opaque)
{
    eventLog *log = opaque;

    pthread_mutex_lock(&log->lock);
    log->freed++;
    pthread_mutex_unlock(&log->lock);
}

/* Read a counter of @log under its lock (the dispatcher writes them). */
static int
eventLogGet(eventLog *log, const int *field)
{
    int value;

    pthread_mutex_lock(&log->lock);
    value = *field;
    pthread_mutex_unlock(&log->lock);
    return value;
}

/* Wait (up to 5 s) until @log holds @count events; return its text. */
static const char *
eventLogWait(eventLog *log, int count)
{
    struct timespec deadline;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    pthread_mutex_lock(&log->lock);
    while (log->count < count &&
           pthread_cond_timedwait(&log->cond, &log->lock, &deadline) == 0)
        ;
    pthread_mutex_unlock(&log->lock);
    return log->log;
}

START_TEST(test_events)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    virDomainPtr fresh;
    eventLog all;
    eventLog one;
    eventLog reboots;
    int idAll;
    int idOne;
    int idReboot;

    eventLogInit(&all);
    eventLogInit(&one);
    eventLogInit(&reboots);
    ck_assert_int_ge(idAll = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK_SAFE(lifecycleCallback), &all, eventLogFreed), 0);
    ck_assert_int_ge(idOne = virConnectDomainEventRegisterAny(
        conn, dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK_SAFE(lifecycleCallback), &one, NULL), 0);
    ck_assert_int_ge(idReboot = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_REBOOT, rebootCallback, &reboots, NULL), 0);
    ck_assert_int_ne(idAll, idOne);

    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);
    ck_assert_int_eq(virDomainReboot(dom, 0), 0);
    ck_assert_int_eq(virDomainDestroy(dom), 0);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_eq(virDomainShutdown(dom), 0);
    ck_assert_ptr_nonnull(fresh = virDomainDefineXML(conn, newDomainXML));
    ck_assert_ptr_nonnull(fresh = (virDomainFree(fresh), virDomainDefineXML(conn, newDomainXML)));
    ck_assert_int_eq(virDomainUndefine(fresh), 0);
    virDomainFree(fresh);

    ck_assert_str_eq(eventLogWait(&all, 8),
                     "test:3/0 test:4/0 test:5/1 test:2/0 test:5/0 "
                     "fresh:0/0 fresh:0/1 fresh:1/0 ");
    ck_assert_str_eq(eventLogWait(&one, 5), "test:3/0 test:4/0 test:5/1 test:2/0 test:5/0 ");
    ck_assert_str_eq(eventLogWait(&reboots, 1), "test:reboot(1) ");

    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, idAll), 0);
    ck_assert_int_eq(eventLogGet(&all, &all.freed), 1);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, idAll), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, idOne), 0);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, idReboot), 0);

    /* Nothing more arrives after deregistration. */
    ck_assert_int_eq(virDomainCreate(dom), 0);
    sleepMs(50);
    ck_assert_int_eq(eventLogGet(&all, &all.count), 8);

    /* Argument errors and an event the driver does not raise. */
    ck_assert_int_eq(virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LAST,
                                                      rebootCallback, NULL, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectDomainEventRegisterAny(conn, NULL, 5, rebootCallback,
                                                      NULL, NULL), -1);
    assertError(VIR_ERR_NO_SUPPORT, NULL);
    ck_assert_int_eq(virConnectDomainEventRegisterAny(conn, NULL, 0, NULL, NULL, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, -1), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);

    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_events_legacy)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    eventLog log;

    eventLogInit(&log);
    ck_assert_int_eq(virConnectDomainEventRegister(conn, lifecycleCallback, &log, eventLogFreed), 0);
    ck_assert_int_eq(virConnectDomainEventRegister(conn, lifecycleCallback, &log, NULL), -1);
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: event callback already tracked");
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_str_eq(eventLogWait(&log, 1), "test:3/0 ");
    ck_assert_int_eq(virConnectDomainEventDeregister(conn, lifecycleCallback), 0);
    ck_assert_int_eq(eventLogGet(&log, &log.freed), 1);
    ck_assert_int_eq(virConnectDomainEventDeregister(conn, lifecycleCallback), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

/* Deregistering from inside the callback must not deadlock. */
static int selfDeregisterID = -1;

static void
selfDeregisterCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    VIR_AUTOFREE(char *) line = virPrintf("%s:%d/%d ", virDomainGetName(dom), event, detail);

    virConnectDomainEventDeregisterAny(conn, selfDeregisterID);
    eventLogAppend(opaque, line);
}

START_TEST(test_events_self_deregister)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom = lookup(conn, "test");
    eventLog log;

    eventLogInit(&log);
    ck_assert_int_ge(selfDeregisterID = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        VIR_DOMAIN_EVENT_CALLBACK_SAFE(selfDeregisterCallback), &log, eventLogFreed), 0);
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);
    ck_assert_str_eq(eventLogWait(&log, 1), "test:3/0 ");
    sleepMs(50);
    ck_assert_int_eq(eventLogGet(&log, &log.count), 1);
    ck_assert_int_eq(eventLogGet(&log, &log.freed), 1);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

/* ---- statistics ----------------------------------------------------------------------- */

static const virTypedParameter *
findParam(const virDomainStatsRecord *rec, const char *field)
{
    int i;

    for (i = 0; i < rec->nparams; i++) {
        if (STREQ(rec->params[i].field, field))
            return &rec->params[i];
    }
    return NULL;
}

START_TEST(test_stats)
{
    virConnectPtr conn = openNode("node-customers.xml");
    virDomainStatsRecordPtr *stats = NULL;
    virDomainPtr doms[3];
    const virTypedParameter *p;
    int n;

    ck_assert_int_eq(n = virConnectGetAllDomainStats(conn, 0, &stats, 0), 6);
    ck_assert_ptr_null(stats[6]);
    ck_assert_str_eq(virDomainGetName(stats[1]->dom), "cust1-db");
    ck_assert_ptr_nonnull(p = findParam(stats[1], "state.state"));
    ck_assert_int_eq(p->type, VIR_TYPED_PARAM_INT);
    ck_assert_int_eq(p->value.i, VIR_DOMAIN_RUNNING);
    ck_assert_ptr_nonnull(p = findParam(stats[1], "vcpu.current"));
    ck_assert_int_eq(p->value.ui, 4);
    ck_assert_ptr_nonnull(findParam(stats[1], "vcpu.3.time"));
    ck_assert_ptr_nonnull(p = findParam(stats[1], "block.0.path"));
    ck_assert_str_eq(p->value.s, "/var/lib/images/cust1-db.img");
    ck_assert_ptr_nonnull(p = findParam(stats[1], "balloon.maximum"));
    ck_assert_uint_eq(p->value.ul, 4194304);
    ck_assert_ptr_nonnull(findParam(stats[1], "cpu.time"));
    /* shut off: no CPU time */
    ck_assert_str_eq(virDomainGetName(stats[2]->dom), "cust1-dev");
    ck_assert_ptr_null(findParam(stats[2], "cpu.time"));
    virDomainStatsRecordListFree(stats);

    ck_assert_int_eq(virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &stats,
                                                 VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED), 1);
    ck_assert_str_eq(virDomainGetName(stats[0]->dom), "cust2-db");
    ck_assert_int_eq(stats[0]->nparams, 2);
    virDomainStatsRecordListFree(stats);

    ck_assert_int_eq(virConnectGetAllDomainStats(conn, 1u << 20, &stats,
                     VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS), -1);
    assertError(VIR_ERR_ARGUMENT_UNSUPPORTED, NULL);
    ck_assert_ptr_null(stats);
    ck_assert_int_eq(virConnectGetAllDomainStats(conn, 1u << 20, &stats, 0), 6);
    virDomainStatsRecordListFree(stats);
    ck_assert_int_eq(virConnectGetAllDomainStats(conn, 0, NULL, 0), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);

    doms[0] = lookup(conn, "cust2-web");
    doms[1] = lookup(conn, "cust1-web");
    doms[2] = NULL;
    ck_assert_int_eq(virDomainListGetStats(doms, VIR_DOMAIN_STATS_BALLOON, &stats, 0), 2);
    ck_assert_str_eq(virDomainGetName(stats[0]->dom), "cust2-web");
    ck_assert_str_eq(virDomainGetName(stats[1]->dom), "cust1-web");
    ck_assert_ptr_nonnull(p = findParam(stats[1], "balloon.current"));
    ck_assert_uint_eq(p->value.ul, 524288);
    virDomainStatsRecordListFree(stats);
    ck_assert_int_eq(virDomainListGetStats(doms, 0, &stats,
                                           VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE), -1);
    assertError(VIR_ERR_OPERATION_INVALID, NULL);
    virDomainFree(doms[0]);
    virDomainFree(doms[1]);
    doms[0] = NULL;
    ck_assert_int_eq(virDomainListGetStats(doms, 0, &stats, 0), -1);
    assertError(VIR_ERR_INVALID_ARG, NULL);
    virConnectClose(conn);
}
END_TEST

/* ---- the name, UUID and id indexes ------------------------------------------------------ */

/* A domain named "idxN" with uuid f1000000-0000-4000-8000-<N as 12 digits>. */
static char *
indexedXML(int n, const char *name)
{
    return virPrintf("<domain type='test'><name>%s</name>"
                     "<uuid>f1000000-0000-4000-8000-%012d</uuid>"
                     "<memory>1024</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>",
                     name, n);
}

static void
indexedUUID(int n, unsigned char *uuid)
{
    VIR_AUTOFREE(char *) str = virPrintf("f1000000-0000-4000-8000-%012d", n);

    ck_assert_int_eq(virUUIDParse(str, uuid), 0);
}

/* Whether the domain called @name, with uuid number @n and id @id (-1:
 * none expected), is found by all three, and as the same domain. */
static void
assertFound(virConnectPtr conn, const char *name, int n, int id)
{
    unsigned char uuid[VIR_UUID_BUFLEN];
    unsigned char got[VIR_UUID_BUFLEN];
    virDomainPtr dom;

    indexedUUID(n, uuid);
    dom = lookup(conn, name);
    ck_assert_int_eq(virDomainGetUUID(dom, got), 0);
    ck_assert_mem_eq(got, uuid, VIR_UUID_BUFLEN);
    ck_assert_int_eq((int)virDomainGetID(dom), id);
    virDomainFree(dom);

    ck_assert_ptr_nonnull(dom = virDomainLookupByUUID(conn, uuid));
    ck_assert_str_eq(virDomainGetName(dom), name);
    virDomainFree(dom);

    if (id >= 0) {
        ck_assert_ptr_nonnull(dom = virDomainLookupByID(conn, id));
        ck_assert_str_eq(virDomainGetName(dom), name);
        virDomainFree(dom);
    }
}

static void
assertNameGone(virConnectPtr conn, const char *name)
{
    ck_assert_ptr_null(virDomainLookupByName(conn, name));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
}

static void
assertUUIDGone(virConnectPtr conn, int n)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    indexedUUID(n, uuid);
    ck_assert_ptr_null(virDomainLookupByUUID(conn, uuid));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
}

static void
assertIDGone(virConnectPtr conn, int id)
{
    ck_assert_ptr_null(virDomainLookupByID(conn, id));
    assertError(VIR_ERR_NO_DOMAIN, NULL);
}

#define NINDEXED 300

/* Enough domains for the indexes to grow several times; every lookup
 * after defines, starts, stops and undefines. */
START_TEST(test_index_many)
{
    virConnectPtr conn = openDefault();
    virDomainPtr doms[NINDEXED];
    int ids[NINDEXED];
    int i;

    for (i = 0; i < NINDEXED; i++) {
        VIR_AUTOFREE(char *) name = virPrintf("idx%d", i);
        VIR_AUTOFREE(char *) xml = indexedXML(i, name);

        ck_assert_ptr_nonnull(doms[i] = virDomainDefineXML(conn, xml));
        ids[i] = -1;
    }
    for (i = 0; i < NINDEXED; i += 3) {
        ck_assert_int_eq(virDomainCreate(doms[i]), 0);
        ids[i] = (int)virDomainGetID(doms[i]);
    }
    for (i = 0; i < NINDEXED; i++) {
        VIR_AUTOFREE(char *) name = virPrintf("idx%d", i);

        assertFound(conn, name, i, ids[i]);
    }
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), NINDEXED + 1);

    /* Undefine every other inactive one; stop and restart some active ones. */
    for (i = 0; i < NINDEXED; i++) {
        VIR_AUTOFREE(char *) name = virPrintf("idx%d", i);

        if (i % 3 && i % 2) {
            ck_assert_int_eq(virDomainUndefine(doms[i]), 0);
            assertNameGone(conn, name);
            assertUUIDGone(conn, i);
        } else if (i % 3 == 0 && i % 2) {
            int old = ids[i];

            ck_assert_int_eq(virDomainDestroy(doms[i]), 0);
            assertIDGone(conn, old);
            assertFound(conn, name, i, -1);
            ck_assert_int_eq(virDomainCreate(doms[i]), 0);
            ids[i] = (int)virDomainGetID(doms[i]);
            ck_assert_int_ne(ids[i], old);
            assertIDGone(conn, old);
        }
    }
    for (i = 0; i < NINDEXED; i++) {
        VIR_AUTOFREE(char *) name = virPrintf("idx%d", i);

        if (i % 3 && i % 2) {
            assertNameGone(conn, name);
            assertUUIDGone(conn, i);
        } else {
            assertFound(conn, name, i, ids[i]);
        }
        virDomainFree(doms[i]);
    }
    virConnectClose(conn);
}
END_TEST

/* A name or a UUID freed by undefine can be taken by another domain, and
 * the old domain's keys then lead to the new one only. */
START_TEST(test_index_reuse)
{
    virConnectPtr conn = openDefault();
    virDomainPtr dom;
    virDomainPtr stale;
    virDomainInfo info;

    {
        VIR_AUTOFREE(char *) xml = indexedXML(1, "reused");

        ck_assert_ptr_nonnull(stale = virDomainDefineXML(conn, xml));
        ck_assert_int_eq(virDomainUndefine(stale), 0);
    }
    /* The name again, with another UUID. */
    {
        VIR_AUTOFREE(char *) xml = indexedXML(2, "reused");

        ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, xml));
        virDomainFree(dom);
        assertFound(conn, "reused", 2, -1);
        assertUUIDGone(conn, 1);
        /* A handle of the old domain does not reach the new one. */
        ck_assert_int_eq(virDomainGetInfo(stale, &info), -1);
        assertError(VIR_ERR_NO_DOMAIN, NULL);
        virDomainFree(stale);
    }
    /* The old UUID again, under another name, while the name is in use. */
    {
        VIR_AUTOFREE(char *) xml = indexedXML(1, "renamed");

        ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, xml));
        virDomainFree(dom);
        assertFound(conn, "renamed", 1, -1);
        assertFound(conn, "reused", 2, -1);
    }
    /* Same name and UUID again after undefine. */
    {
        VIR_AUTOFREE(char *) xml = indexedXML(2, "reused");

        dom = lookup(conn, "reused");
        ck_assert_int_eq(virDomainUndefine(dom), 0);
        virDomainFree(dom);
        assertNameGone(conn, "reused");
        assertUUIDGone(conn, 2);
        ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, xml));
        virDomainFree(dom);
        assertFound(conn, "reused", 2, -1);
    }
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 3);
    virConnectClose(conn);
}
END_TEST

/* A transient domain (here: a running one undefined) leaves all three
 * indexes when it stops, and its name and UUID are free again. */
START_TEST(test_index_transient)
{
    virConnectPtr conn = openDefault();
    VIR_AUTOFREE(char *) xml = indexedXML(7, "passing");
    virDomainPtr dom;
    int id;

    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, xml));
    ck_assert_int_eq(virDomainCreate(dom), 0);
    id = (int)virDomainGetID(dom);
    ck_assert_int_eq(virDomainUndefine(dom), 0);
    assertFound(conn, "passing", 7, id);

    ck_assert_int_eq(virDomainDestroy(dom), 0);
    assertNameGone(conn, "passing");
    assertUUIDGone(conn, 7);
    assertIDGone(conn, id);
    virDomainFree(dom);

    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn, xml));
    assertFound(conn, "passing", 7, -1);
    ck_assert_int_eq(virDomainCreate(dom), 0);
    ck_assert_int_ne((int)virDomainGetID(dom), id);
    assertFound(conn, "passing", 7, (int)virDomainGetID(dom));
    assertIDGone(conn, id);
    virDomainFree(dom);

    /* A transient domain of a node file, too. */
    {
        virConnectPtr node = openNode("node-transient.xml");
        virDomainPtr fleeting = lookup(node, "fleeting");

        ck_assert_int_eq(virDomainIsPersistent(fleeting), 0);
        assertFound(node, "fleeting", 300, 1);
        assertFound(node, "lasting", 301, 2);
        ck_assert_int_eq(virDomainDestroy(fleeting), 0);
        assertNameGone(node, "fleeting");
        assertUUIDGone(node, 300);
        assertIDGone(node, 1);
        assertFound(node, "lasting", 301, 2);
        virDomainFree(fleeting);
        virConnectClose(node);
    }
    virConnectClose(conn);
}
END_TEST

/* ---- lookups racing with removals ------------------------------------------------------ */

#define RACE_ROUNDS 300

static int raceDone;                    /* atomic */

/* Define "racer" (alternately with two UUIDs), start, undefine, and stop
 * it, over and over: it is removed while other threads look it up. */
static void *
raceChurnThread(void *opaque)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    int i;

    for (i = 0; i < RACE_ROUNDS; i++) {
        VIR_AUTOFREE(char *) xml = indexedXML(100 + i % 2, "racer");
        virDomainPtr dom = virDomainDefineXML(conn, xml);

        if (!dom)
            abort();
        if (i % 2) {
            /* Transient, then gone at the stop. */
            if (virDomainCreate(dom) < 0 || virDomainUndefine(dom) < 0 ||
                virDomainDestroy(dom) < 0)
                abort();
        } else if (virDomainUndefine(dom) < 0) {
            abort();
        }
        virDomainFree(dom);
    }
    __atomic_store_n(&raceDone, 1, __ATOMIC_RELEASE);
    virConnectClose(conn);
    return opaque;
}

/* Look "racer" up by name, UUID and id: whatever is found is whole, and
 * what is not is reported missing. */
static void *
raceLookupThread(void *opaque)
{
    virConnectPtr conn = virConnectOpen("test:///default");
    unsigned char uuids[2][VIR_UUID_BUFLEN];

    indexedUUID(100, uuids[0]);
    indexedUUID(101, uuids[1]);
    while (!__atomic_load_n(&raceDone, __ATOMIC_ACQUIRE)) {
        virDomainPtr dom = virDomainLookupByName(conn, "racer");
        virDomainInfo info;
        int id;

        if (dom) {
            unsigned char uuid[VIR_UUID_BUFLEN];

            if (virDomainGetUUID(dom, uuid) < 0 ||
                (memcmp(uuid, uuids[0], VIR_UUID_BUFLEN) != 0 &&
                 memcmp(uuid, uuids[1], VIR_UUID_BUFLEN) != 0))
                abort();
            if (virDomainGetInfo(dom, &info) < 0 && virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
                abort();
            id = (int)virDomainGetID(dom);
            virDomainFree(dom);
            if (id >= 0 && (dom = virDomainLookupByID(conn, id))) {
                if (strcmp(virDomainGetName(dom), "racer") != 0)
                    abort();
                virDomainFree(dom);
            }
        } else if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN) {
            abort();
        }
        if ((dom = virDomainLookupByUUID(conn, uuids[1]))) {
            if (strcmp(virDomainGetName(dom), "racer") != 0)
                abort();
            virDomainFree(dom);
        } else if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN) {
            abort();
        }
    }
    virConnectClose(conn);
    return opaque;
}

START_TEST(test_index_race)
{
    pthread_t churn;
    pthread_t lookers[2];
    virConnectPtr conn = openDefault();
    size_t i;

    __atomic_store_n(&raceDone, 0, __ATOMIC_RELEASE);
    for (i = 0; i < G_N_ELEMENTS(lookers); i++)
        ck_assert_int_eq(pthread_create(&lookers[i], NULL, raceLookupThread, NULL), 0);
    ck_assert_int_eq(pthread_create(&churn, NULL, raceChurnThread, NULL), 0);
    pthread_join(churn, NULL);
    for (i = 0; i < G_N_ELEMENTS(lookers); i++)
        pthread_join(lookers[i], NULL);

    /* Every round removed it: the name and both UUIDs are free. */
    assertNameGone(conn, "racer");
    assertUUIDGone(conn, 100);
    assertUUIDGone(conn, 101);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 1);
    virConnectClose(conn);
}
END_TEST

/* Two threads define the same name with different UUIDs and undefine it
 * when they win: never are there two domains of that name. */
static void *
raceDefineThread(void *opaque)
{
    int n = *(int *)opaque;
    virConnectPtr conn = virConnectOpen("test:///default");
    VIR_AUTOFREE(char *) xml = indexedXML(200 + n, "contested");
    unsigned char mine[VIR_UUID_BUFLEN];
    unsigned char uuid[VIR_UUID_BUFLEN];
    int i;

    indexedUUID(200 + n, mine);
    for (i = 0; i < RACE_ROUNDS; i++) {
        virDomainPtr dom = virDomainDefineXML(conn, xml);
        virDomainPtr found;

        if (!dom) {
            if (virGetLastErrorCode() != VIR_ERR_OPERATION_FAILED)
                abort();
            continue;
        }
        /* Only this thread undefines it: found, and as itself. */
        if (!(found = virDomainLookupByName(conn, "contested")) ||
            virDomainGetUUID(found, uuid) < 0 || memcmp(uuid, mine, VIR_UUID_BUFLEN) != 0)
            abort();
        virDomainFree(found);
        if (virDomainUndefine(dom) < 0)
            abort();
        virDomainFree(dom);
    }
    virConnectClose(conn);
    return NULL;
}

START_TEST(test_index_define_race)
{
    pthread_t threads[2];
    int nums[2] = { 0, 1 };
    virConnectPtr conn = openDefault();
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, raceDefineThread, &nums[i]), 0);
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        pthread_join(threads[i], NULL);
    assertNameGone(conn, "contested");
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 1);
    virConnectClose(conn);
}
END_TEST

/* ---- threads ------------------------------------------------------------------------------ */

static void *
stressThread(void *opaque)
{
    int n = *(int *)opaque;
    virConnectPtr conn = virConnectOpen("test:///default");
    VIR_AUTOFREE(char *) xml = virPrintf("<domain type='test'><name>stress%d</name>"
                                         "<memory>1024</memory><vcpu>1</vcpu>"
                                         "<os><type>hvm</type></os></domain>", n);
    int i;

    for (i = 0; i < 200; i++) {
        virDomainPtr dom = virDomainDefineXML(conn, xml);
        virDomainPtr other;
        virDomainPtr *all = NULL;
        int count;
        int j;

        if (!dom)
            abort();
        if (virDomainCreate(dom) < 0 || virDomainSuspend(dom) < 0 || virDomainResume(dom) < 0)
            abort();
        if ((other = virDomainLookupByID(conn, (int)virDomainGetID(dom))))
            virDomainFree(other);
        if ((count = virConnectListAllDomains(conn, &all, 0)) < 0)
            abort();
        for (j = 0; j < count; j++)
            virDomainFree(all[j]);
        free(all);
        if (i % 2 && virDomainUndefine(dom) < 0)
            abort();
        if (virDomainDestroy(dom) < 0)
            abort();
        if (!(i % 2) && virDomainUndefine(dom) < 0)
            abort();
        virDomainFree(dom);
    }
    virConnectClose(conn);
    return NULL;
}

START_TEST(test_threads)
{
    pthread_t threads[4];
    int nums[4];
    virConnectPtr conn = openDefault();
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(threads); i++) {
        nums[i] = (int)i;
        ck_assert_int_eq(pthread_create(&threads[i], NULL, stressThread, &nums[i]), 0);
    }
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        pthread_join(threads[i], NULL);
    /* Only the built-in domain is left. */
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 1);
    virConnectClose(conn);
}
END_TEST

static Suite *
testDriverSuite(void)
{
    Suite *s = suite_create("test_driver");
    TCase *tc;

    tc = tcase_create("uri");
    tcase_add_test(tc, test_uri_parse);
    suite_add_tcase(s, tc);

    tc = tcase_create("connections");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_open_default);
    tcase_add_test(tc, test_open_env);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_shared_state);
    tcase_add_test(tc, test_node_file);
    tcase_add_test(tc, test_node_file_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("domains");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_lookups);
    tcase_add_test(tc, test_transitions);
    tcase_add_test(tc, test_stale_handle);
    tcase_add_test(tc, test_cpu_time);
    tcase_add_test(tc, test_define);
    tcase_add_test(tc, test_undefine);
    tcase_add_test(tc, test_autostart);
    tcase_add_test(tc, test_list_all_filters);
    tcase_add_test(tc, test_num_and_list);
    tcase_add_test(tc, test_readonly);
    tcase_add_test(tc, test_argument_errors);
    tcase_add_test(tc, test_flag_variants);
    tcase_add_test(tc, test_misc_queries);
    tcase_add_test(tc, test_stats);
    suite_add_tcase(s, tc);

    tc = tcase_create("indexes");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_index_many);
    tcase_add_test(tc, test_index_reuse);
    tcase_add_test(tc, test_index_transient);
    tcase_add_test(tc, test_index_race);
    tcase_add_test(tc, test_index_define_race);
    suite_add_tcase(s, tc);

    tc = tcase_create("events");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_events);
    tcase_add_test(tc, test_events_legacy);
    tcase_add_test(tc, test_events_self_deregister);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(testDriverSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    /* The nop access manager created on first use. */
    virAccessManagerSetDefault(NULL);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
