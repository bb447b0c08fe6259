/*
 * privacy_test.c: a tenant cannot learn that another tenant's domains
 * exist, through the public API over the test driver with a dnpolicy.
 *
 * Host: tests/test/data/node-customers.xml (cust1-web, cust1-db running,
 * cust1-dev shut off; cust2-web running, cust2-db paused, cust2-old shut
 * off). Policy: each customer may see and operate its own domains,
 * customer1 may also define (write, save) its own; an admin may do
 * everything; nobody else may connect.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvirt_internal.h"
#include "viraccessmanager.h"
#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "virlog.h"

#define DN_CUSTOMER1 "CN=customer1,O=Example ISP,C=GB"
#define DN_CUSTOMER2 "CN=customer2,O=Example ISP,C=GB"
#define DN_ADMIN "CN=admin,O=Example ISP,C=GB"
#define DN_STRANGER "CN=stranger,O=Elsewhere,C=US"

#define CUST2_WEB_UUID "c2000000-0000-4000-8000-000000000001"

static const char policyText[] =
    "# written by privacy_test\n"
    "role customer = connect:getattr,connect:read,connect:search_domains,"
    "domain:getattr,domain:read,domain:start,domain:stop,domain:suspend,domain:init_control\n"
    "allow dn=\"" DN_CUSTOMER1 "\" domain=cust1-* perms=@customer\n"
    "allow dn=\"" DN_CUSTOMER1 "\" domain=cust1-* perms=domain:write,domain:save\n"
    "allow dn=\"" DN_CUSTOMER2 "\" domain=cust2-* perms=@customer\n"
    "allow dn=\"" DN_ADMIN "\" perms=*\n";

static char policyPath[] = "/tmp/privacy_test.policy.XXXXXX";

/* Audit lines of denials, captured from the log. */
static pthread_mutex_t auditLock = PTHREAD_MUTEX_INITIALIZER;
static char *auditText;

static void
auditCapture(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    char *next;

    if (STRNEQ(source, "access.audit"))
        return;
    pthread_mutex_lock(&auditLock);
    next = virPrintf("%s%s\n", auditText ? auditText : "", line);
    free(auditText);
    auditText = next;
    pthread_mutex_unlock(&auditLock);
}

static void
setup(void)
{
    int fd = mkstemp(policyPath);
    virAccessManager *mgr;
    char *drivers[] = { (char *)"dnpolicy", NULL };
    virAccessConfig conf = { .drivers = drivers, .dnpolicyFile = policyPath };

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, policyText, strlen(policyText)), (ssize_t)strlen(policyText));
    close(fd);

    /* Denials are expected here: keep them off stderr, but capture them. */
    virLogSetOutputs("4:stderr");
    virLogAddCallbackOutput(VIR_LOG_WARN, auditCapture, NULL);

    mgr = virAccessManagerNew(&conf);
    ck_assert_msg(mgr != NULL, "policy: %s", virGetLastErrorMessage());
    virAccessManagerSetDefault(mgr);
}

static void
teardown(void)
{
    virIdentitySetCurrent(NULL);
    virStateCleanup();
    virAccessManagerSetDefault(NULL);
    virLogReset();
    unlink(policyPath);
    strcpy(policyPath + strlen(policyPath) - 6, "XXXXXX");
    free(auditText);
    auditText = NULL;
    virResetLastError();
}

/* Make the calling thread act as the TLS client with certificate @dn. */
static void
actAs(const char *dn)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetX509DName(id, dn);
    virIdentitySetCurrent(id);
    virIdentityUnref(id);
}

static char *
nodeURI(void)
{
    const char *srcdir = getenv("abs_top_srcdir");

    return virPrintf("test://%s/tests/test/data/node-customers.xml",
                     srcdir && *srcdir ? srcdir : ABS_TOP_SRCDIR);
}

static virConnectPtr
openNodeAs(const char *dn)
{
    VIR_AUTOFREE(char *) uri = nodeURI();
    virConnectPtr conn;

    actAs(dn);
    conn = virConnectOpen(uri);
    ck_assert_msg(conn != NULL, "%s cannot connect: %s", dn, virGetLastErrorMessage());
    return conn;
}

/* The last error, copied, for comparing two failures. */
typedef struct {
    int code;
    int domain;
    char *message;
} savedError;

static savedError
saveError(void)
{
    virErrorPtr err = virGetLastError();
    savedError s = { -1, -1, NULL };

    ck_assert_msg(err != NULL, "expected an error");
    s.code = err->code;
    s.domain = err->domain;
    s.message = virStrdup(err->message);
    return s;
}

static void
assertSameError(savedError a, savedError b)
{
    ck_assert_int_eq(a.code, b.code);
    ck_assert_int_eq(a.domain, b.domain);
    ck_assert_str_eq(a.message, b.message);
    free(a.message);
    free(b.message);
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

static bool
auditContains(const char *needle)
{
    bool found;

    pthread_mutex_lock(&auditLock);
    found = auditText && strstr(auditText, needle);
    pthread_mutex_unlock(&auditLock);
    return found;
}

/* ---- lookups -------------------------------------------------------------------- */

/*
 * customer1 looks up cust2-web on the shared host (hidden) and on
 * test:///default, where no such domain exists: the two failures must be
 * indistinguishable.
 */
START_TEST(test_lookup_hidden_equals_missing)
{
    virConnectPtr conn = openNodeAs(DN_CUSTOMER1);
    virConnectPtr empty = virConnectOpen("test:///default");
    savedError hidden;
    savedError missing;

    ck_assert_ptr_nonnull(empty);

    ck_assert_ptr_null(virDomainLookupByName(conn, "cust2-web"));
    hidden = saveError();
    ck_assert_ptr_null(virDomainLookupByName(empty, "cust2-web"));
    missing = saveError();
    ck_assert_int_eq(hidden.code, VIR_ERR_NO_DOMAIN);
    ck_assert_str_eq(hidden.message, "Domain not found: no domain with matching name 'cust2-web'");
    assertSameError(hidden, missing);

    /* cust2-web has id 3 here; test:///default has only id 1. */
    ck_assert_ptr_null(virDomainLookupByID(conn, 3));
    hidden = saveError();
    ck_assert_ptr_null(virDomainLookupByID(empty, 3));
    missing = saveError();
    assertSameError(hidden, missing);

    ck_assert_ptr_null(virDomainLookupByUUIDString(conn, CUST2_WEB_UUID));
    hidden = saveError();
    ck_assert_ptr_null(virDomainLookupByUUIDString(empty, CUST2_WEB_UUID));
    missing = saveError();
    ck_assert_int_eq(hidden.code, VIR_ERR_NO_DOMAIN);
    assertSameError(hidden, missing);

    /* And its own domains are found. */
    {
        virDomainPtr dom = virDomainLookupByName(conn, "cust1-web");

        ck_assert_ptr_nonnull(dom);
        virDomainFree(dom);
        ck_assert_ptr_nonnull(dom = virDomainLookupByID(conn, 1));
        ck_assert_str_eq(virDomainGetName(dom), "cust1-web");
        virDomainFree(dom);
    }
    virConnectClose(empty);
    virConnectClose(conn);
}
END_TEST

static void
neverCalled(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    ck_abort_msg("event of a hidden domain delivered");
}

/*
 * A handle to a hidden domain (obtained by the admin on the same
 * connection) reports not-found for every operation, exactly like a handle
 * whose domain was undefined.
 */
START_TEST(test_hidden_handle)
{
    VIR_AUTOFREE(char *) xml = NULL;
    virConnectPtr conn = openNodeAs(DN_ADMIN);
    virConnectPtr other;
    virDomainPtr hidden;
    virDomainPtr gone;
    virDomainInfo info;
    int state;
    int autostart;
    savedError a;
    savedError b;

    ck_assert_ptr_nonnull(hidden = virDomainLookupByName(conn, "cust2-web"));
    ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(hidden, VIR_DOMAIN_XML_INACTIVE));

    /* The same name and uuid on another host, then undefined. */
    ck_assert_ptr_nonnull(other = virConnectOpen("test:///default"));
    ck_assert_ptr_nonnull(gone = virDomainDefineXML(other, xml));
    ck_assert_int_eq(virDomainUndefine(gone), 0);

    actAs(DN_CUSTOMER1);

#define SAME_AS_MISSING(call) \
    do { \
        ck_assert_int_eq((call)(hidden), -1); \
        a = saveError(); \
        ck_assert_int_eq((call)(gone), -1); \
        b = saveError(); \
        ck_assert_int_eq(a.code, VIR_ERR_NO_DOMAIN); \
        assertSameError(a, b); \
    } while (0)
    SAME_AS_MISSING(virDomainCreate);
    SAME_AS_MISSING(virDomainSuspend);
    SAME_AS_MISSING(virDomainResume);
    SAME_AS_MISSING(virDomainShutdown);
    SAME_AS_MISSING(virDomainDestroy);
    SAME_AS_MISSING(virDomainUndefine);
    SAME_AS_MISSING(virDomainIsActive);
    SAME_AS_MISSING(virDomainIsPersistent);
#undef SAME_AS_MISSING

    ck_assert_int_eq(virDomainGetInfo(hidden, &info), -1);
    a = saveError();
    ck_assert_int_eq(virDomainGetInfo(gone, &info), -1);
    b = saveError();
    ck_assert_str_eq(a.message, "Domain not found: no domain with matching uuid '"
                     CUST2_WEB_UUID "' (cust2-web)");
    assertSameError(a, b);

    ck_assert_int_eq(virDomainGetState(hidden, &state, NULL, 0), -1);
    a = saveError();
    ck_assert_int_eq(virDomainGetState(gone, &state, NULL, 0), -1);
    assertSameError(a, saveError());
    ck_assert_ptr_null(virDomainGetXMLDesc(hidden, 0));
    a = saveError();
    ck_assert_ptr_null(virDomainGetXMLDesc(gone, 0));
    assertSameError(a, saveError());
    ck_assert_int_eq(virDomainReboot(hidden, 0), -1);
    a = saveError();
    ck_assert_int_eq(virDomainReboot(gone, 0), -1);
    assertSameError(a, saveError());
    ck_assert_int_eq(virDomainSetAutostart(hidden, 1), -1);
    a = saveError();
    ck_assert_int_eq(virDomainSetAutostart(gone, 1), -1);
    assertSameError(a, saveError());
    ck_assert_int_eq(virDomainGetAutostart(hidden, &autostart), -1);
    a = saveError();
    ck_assert_int_eq(virDomainGetAutostart(gone, &autostart), -1);
    assertSameError(a, saveError());
    ck_assert_ptr_null(virDomainGetOSType(hidden));
    a = saveError();
    ck_assert_ptr_null(virDomainGetOSType(gone));
    assertSameError(a, saveError());
    ck_assert_int_eq(virDomainGetMaxMemory(hidden), 0);
    a = saveError();
    ck_assert_int_eq(virDomainGetMaxMemory(gone), 0);
    assertSameError(a, saveError());

    /* Events of a hidden domain cannot be subscribed to either. */
    ck_assert_int_eq(virConnectDomainEventRegisterAny(conn, hidden, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                      neverCalled, NULL, NULL), -1);
    assertError(VIR_ERR_NO_DOMAIN, NULL);

    /* Nothing happened to the domain. */
    actAs(DN_ADMIN);
    ck_assert_int_eq(virDomainGetState(hidden, &state, NULL, 0), 0);
    ck_assert_int_eq(state, VIR_DOMAIN_RUNNING);

    virDomainFree(gone);
    virDomainFree(hidden);
    virConnectClose(other);
    virConnectClose(conn);
}
END_TEST

/* ---- lists and counts -------------------------------------------------------------- */

static char *
listNames(virConnectPtr conn, unsigned int flags)
{
    virDomainPtr *doms = NULL;
    char *out = virStrdup("");
    int n = virConnectListAllDomains(conn, &doms, flags);
    int i;

    ck_assert_int_ge(n, 0);
    for (i = 0; i < n; i++) {
        char *next = virPrintf("%s%s%s", out, i ? "," : "", virDomainGetName(doms[i]));

        free(out);
        out = next;
        virDomainFree(doms[i]);
    }
    free(doms);
    return out;
}

START_TEST(test_lists_filtered)
{
    virConnectPtr conn = openNodeAs(DN_CUSTOMER1);
    char *names[8];
    int ids[8];
    char *s;
    int n;

    ck_assert_str_eq(s = listNames(conn, 0), "cust1-web,cust1-db,cust1-dev");
    free(s);
    ck_assert_str_eq(s = listNames(conn, VIR_CONNECT_LIST_DOMAINS_ACTIVE), "cust1-web,cust1-db");
    free(s);
    ck_assert_str_eq(s = listNames(conn, VIR_CONNECT_LIST_DOMAINS_PAUSED), "");
    free(s);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 3);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 2);
    ck_assert_int_eq(n = virConnectListDomains(conn, ids, 8), 2);
    ck_assert_int_eq(ids[0], 1);
    ck_assert_int_eq(ids[1], 2);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 1);
    ck_assert_int_eq(n = virConnectListDefinedDomains(conn, names, 8), 1);
    ck_assert_str_eq(names[0], "cust1-dev");
    free(names[0]);
    virConnectClose(conn);

    conn = openNodeAs(DN_CUSTOMER2);
    ck_assert_str_eq(s = listNames(conn, 0), "cust2-web,cust2-db,cust2-old");
    free(s);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 2);
    ck_assert_int_eq(n = virConnectListDomains(conn, ids, 8), 2);
    ck_assert_int_eq(ids[0], 3);
    ck_assert_int_eq(ids[1], 4);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 1);
    ck_assert_int_eq(n = virConnectListDefinedDomains(conn, names, 8), 1);
    ck_assert_str_eq(names[0], "cust2-old");
    free(names[0]);
    virConnectClose(conn);

    conn = openNodeAs(DN_ADMIN);
    ck_assert_int_eq(virConnectListAllDomains(conn, NULL, 0), 6);
    ck_assert_int_eq(virConnectNumOfDomains(conn), 4);
    ck_assert_int_eq(virConnectNumOfDefinedDomains(conn), 2);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_stats_filtered)
{
    virConnectPtr conn = openNodeAs(DN_CUSTOMER2);
    virDomainStatsRecordPtr *stats = NULL;
    virDomainPtr doms[3] = { NULL, NULL, NULL };
    virConnectPtr admin;

    ck_assert_int_eq(virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_STATE, &stats, 0), 3);
    ck_assert_str_eq(virDomainGetName(stats[0]->dom), "cust2-web");
    ck_assert_str_eq(virDomainGetName(stats[1]->dom), "cust2-db");
    ck_assert_str_eq(virDomainGetName(stats[2]->dom), "cust2-old");
    virDomainStatsRecordListFree(stats);

    /* Handles of another tenant's domains are skipped like missing ones. */
    admin = openNodeAs(DN_ADMIN);
    doms[0] = virDomainLookupByName(admin, "cust1-web");
    doms[1] = virDomainLookupByName(admin, "cust2-web");
    ck_assert_ptr_nonnull(doms[0]);
    ck_assert_ptr_nonnull(doms[1]);
    actAs(DN_CUSTOMER2);
    ck_assert_int_eq(virDomainListGetStats(doms, VIR_DOMAIN_STATS_STATE, &stats, 0), 1);
    ck_assert_str_eq(virDomainGetName(stats[0]->dom), "cust2-web");
    virDomainStatsRecordListFree(stats);
    virDomainFree(doms[0]);
    virDomainFree(doms[1]);
    virConnectClose(admin);
    virConnectClose(conn);
}
END_TEST

/* ---- events ----------------------------------------------------------------------- */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char names[1024];
    int count;
} eventSeen;

static void
eventCallback(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    eventSeen *seen = opaque;

    pthread_mutex_lock(&seen->lock);
    strncat(seen->names, virDomainGetName(dom), sizeof(seen->names) - strlen(seen->names) - 2);
    strcat(seen->names, " ");
    seen->count++;
    pthread_cond_broadcast(&seen->cond);
    pthread_mutex_unlock(&seen->lock);
}

START_TEST(test_events_filtered)
{
    virConnectPtr conn = openNodeAs(DN_CUSTOMER1);
    virConnectPtr admin;
    eventSeen seen;
    struct timespec deadline;
    virDomainPtr web1;
    virDomainPtr web2;
    int id;

    memset(&seen, 0, sizeof(seen));
    pthread_mutex_init(&seen.lock, NULL);
    pthread_cond_init(&seen.cond, NULL);
    ck_assert_int_ge(id = virConnectDomainEventRegisterAny(
        conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        (virConnectDomainEventGenericCallback)(void (*)(void))eventCallback, &seen, NULL), 0);

    /* The admin, on its own connection, changes both tenants' domains. */
    admin = openNodeAs(DN_ADMIN);
    web2 = virDomainLookupByName(admin, "cust2-web");
    web1 = virDomainLookupByName(admin, "cust1-web");
    ck_assert_int_eq(virDomainSuspend(web2), 0);
    ck_assert_int_eq(virDomainSuspend(web1), 0);
    ck_assert_int_eq(virDomainResume(web2), 0);
    ck_assert_int_eq(virDomainResume(web1), 0);

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    pthread_mutex_lock(&seen.lock);
    while (seen.count < 2 && pthread_cond_timedwait(&seen.cond, &seen.lock, &deadline) == 0)
        ;
    pthread_mutex_unlock(&seen.lock);
    /* Give a wrongly delivered event time to show up. */
    nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
    pthread_mutex_lock(&seen.lock);
    ck_assert_str_eq(seen.names, "cust1-web cust1-web ");
    pthread_mutex_unlock(&seen.lock);

    actAs(DN_CUSTOMER1);
    ck_assert_int_eq(virConnectDomainEventDeregisterAny(conn, id), 0);
    virDomainFree(web1);
    virDomainFree(web2);
    virConnectClose(admin);
    virConnectClose(conn);
}
END_TEST

/* ---- permissions on visible domains ------------------------------------------------ */

START_TEST(test_visible_but_denied)
{
    virConnectPtr conn = openNodeAs(DN_CUSTOMER2);
    virDomainPtr dom = virDomainLookupByName(conn, "cust2-web");
    char *xml;

    ck_assert_ptr_nonnull(dom);
    /* Allowed by the role. */
    ck_assert_int_eq(virDomainSuspend(dom), 0);
    ck_assert_int_eq(virDomainResume(dom), 0);
    ck_assert_ptr_nonnull(xml = virDomainGetXMLDesc(dom, 0));
    free(xml);

    /* Not in the role: denied, not hidden. */
    ck_assert_int_eq(virDomainUndefine(dom), -1);
    assertError(VIR_ERR_ACCESS_DENIED, "access denied: domain:delete");
    ck_assert_int_eq(virDomainSetAutostart(dom, 1), -1);
    assertError(VIR_ERR_ACCESS_DENIED, "access denied: domain:write");
    ck_assert_ptr_null(virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_SECURE));
    assertError(VIR_ERR_ACCESS_DENIED, "access denied: domain:read_secure");

    /* The audit log names the identity, the domain, the permission and who decided. */
    ck_assert(auditContains("perm=domain:delete"));
    ck_assert(auditContains("name='cust2-web'"));
    ck_assert(auditContains("CN=customer2"));
    ck_assert(auditContains("decided-by=dnpolicy"));

    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_define_other_tenant)
{
    virConnectPtr conn = openNodeAs(DN_CUSTOMER1);
    virDomainPtr dom;
    savedError taken;
    savedError other;
    savedError free_;

    /* Over another tenant's existing name (with and without its uuid)... */
    ck_assert_ptr_null(virDomainDefineXML(conn,
        "<domain type='test'><name>cust2-web</name><uuid>" CUST2_WEB_UUID "</uuid>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    taken = saveError();
    ck_assert_int_eq(taken.code, VIR_ERR_ACCESS_DENIED);
    ck_assert_str_eq(taken.message, "access denied: domain:getattr");
    ck_assert_ptr_null(virDomainDefineXML(conn,
        "<domain type='test'><name>cust2-web</name>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    other = saveError();
    ck_assert_int_eq(other.code, taken.code);
    ck_assert_str_eq(other.message, taken.message);
    free(other.message);

    /* ...fails exactly like a name nobody has taken but that is not its own. */
    ck_assert_ptr_null(virDomainDefineXML(conn,
        "<domain type='test'><name>cust2-unused</name>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    free_ = saveError();
    assertSameError(taken, free_);

    /* Its own namespace is fine, and the other tenant's domain is untouched. */
    ck_assert_ptr_nonnull(dom = virDomainDefineXML(conn,
        "<domain type='test'><name>cust1-new</name>"
        "<memory>1024</memory><os><type>hvm</type></os></domain>"));
    virDomainFree(dom);
    virConnectClose(conn);

    conn = openNodeAs(DN_ADMIN);
    ck_assert_ptr_nonnull(dom = virDomainLookupByName(conn, "cust2-web"));
    ck_assert_int_eq(virDomainGetMaxMemory(dom), 2097152);
    virDomainFree(dom);
    virConnectClose(conn);
}
END_TEST

START_TEST(test_connect_refused)
{
    VIR_AUTOFREE(char *) uri = nodeURI();

    actAs(DN_STRANGER);
    ck_assert_ptr_null(virConnectOpen(uri));
    assertError(VIR_ERR_ACCESS_DENIED, "access denied: connect:getattr");
    ck_assert_ptr_null(virConnectOpenReadOnly(uri));
    assertError(VIR_ERR_ACCESS_DENIED, NULL);
    ck_assert(auditContains("perm=connect:getattr"));
    ck_assert(auditContains("CN=stranger"));

    /* No identity at all (the local process) has no rule either. */
    virIdentitySetCurrent(NULL);
    ck_assert_ptr_null(virConnectOpen(uri));
    assertError(VIR_ERR_ACCESS_DENIED, NULL);
}
END_TEST

static Suite *
privacySuite(void)
{
    Suite *s = suite_create("privacy");
    TCase *tc = tcase_create("privacy");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_lookup_hidden_equals_missing);
    tcase_add_test(tc, test_hidden_handle);
    tcase_add_test(tc, test_lists_filtered);
    tcase_add_test(tc, test_stats_filtered);
    tcase_add_test(tc, test_events_filtered);
    tcase_add_test(tc, test_visible_but_denied);
    tcase_add_test(tc, test_define_other_tenant);
    tcase_add_test(tc, test_connect_refused);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(privacySuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
