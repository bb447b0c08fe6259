/*
 * manager_test.c: the access manager's stacking rule, reload and audit log.
 *
 * Test drivers registered here make each outcome explicit: one that
 * denies, one that errors, one without a domain hook, one whose init
 * fails, and one that counts how often it is asked.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "viraccessmanager.h"
#include "viraccessregistry.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

static int probeCalls;
/* How often a driver was handed somewhere to write its reason. */
static int probeReasonsAsked;
static int denyReasonsAsked;

static int
denyCheckConnect(void *priv, const virIdentity *id, const char *drv,
                 virAccessPerm perm, virAccessReason *why)
{
    virAccessReasonSet(why, "deny driver says no");
    return 0;
}

static int
denyCheckDomain(void *priv, const virIdentity *id, const char *drv,
                const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    if (why)
        denyReasonsAsked++;
    virAccessReasonSet(why, "deny driver says no to %s", def->name);
    return 0;
}

static int
errorCheckConnect(void *priv, const virIdentity *id, const char *drv,
                  virAccessPerm perm, virAccessReason *why)
{
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "policy backend unreachable");
    return -1;
}

static int
errorCheckDomain(void *priv, const virIdentity *id, const char *drv,
                 const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "policy backend unreachable");
    return -1;
}

static int
probeCheckConnect(void *priv, const virIdentity *id, const char *drv,
                  virAccessPerm perm, virAccessReason *why)
{
    __atomic_add_fetch(&probeCalls, 1, __ATOMIC_RELAXED);
    virAccessReasonSet(why, "probe allows");
    return 1;
}

static int
probeCheckDomain(void *priv, const virIdentity *id, const char *drv,
                 const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    if (why)
        __atomic_add_fetch(&probeReasonsAsked, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&probeCalls, 1, __ATOMIC_RELAXED);
    virAccessReasonSet(why, "probe allows");
    return 1;
}

static int
initFailInit(void *priv, const virAccessConfig *conf)
{
    virReportError(VIR_ERR_CONF_SYNTAX, "%s", "policy.conf:3: unknown permission 'domain:strat'");
    return -1;
}

static const virAccessDriver denyDriver = {
    .name = "test-deny", .checkConnect = denyCheckConnect, .checkDomain = denyCheckDomain,
};
static const virAccessDriver errorDriver = {
    .name = "test-error", .checkConnect = errorCheckConnect, .checkDomain = errorCheckDomain,
};
static const virAccessDriver connectOnlyDriver = {
    .name = "test-connect-only", .checkConnect = probeCheckConnect,
};
static const virAccessDriver probeDriver = {
    .name = "test-probe", .checkConnect = probeCheckConnect, .checkDomain = probeCheckDomain,
};
static const virAccessDriver initFailDriver = {
    .name = "test-init-fail", .init = initFailInit, .checkDomain = probeCheckDomain,
};

/* Audit lines captured from the log. */
static char *auditLines[64];
static size_t nauditLines;
static pthread_mutex_t auditLock = PTHREAD_MUTEX_INITIALIZER;

static void
captureLog(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    if (strcmp(source, "access.audit") != 0)
        return;
    pthread_mutex_lock(&auditLock);
    if (nauditLines < G_N_ELEMENTS(auditLines))
        auditLines[nauditLines++] = virPrintf("%s: %s", virLogPriorityString(prio), line);
    pthread_mutex_unlock(&auditLock);
}

static void
clearAudit(void)
{
    size_t i;

    for (i = 0; i < nauditLines; i++)
        VIR_FREE(auditLines[i]);
    nauditLines = 0;
}

#define ck_assert_pstr_prefix(s, prefix) \
    ck_assert_msg(strncmp((s), (prefix), strlen(prefix)) == 0, "'%s' does not start with '%s'", (s), (prefix))

static virDomainDef domainCust1;
static virDomainDef domainCust2;

static void
setupOnce(void)
{
    static bool done;

    if (done)
        return;
    done = true;
    ck_assert_int_eq(virAccessRegistryRegister(&denyDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&errorDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&connectOnlyDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&probeDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&initFailDriver), 0);
    /* Capture the log instead of printing it. */
    ck_assert_int_eq(virLogSetOutputs(""), 0);
    virLogAddCallbackOutput(VIR_LOG_INFO, captureLog, NULL);
    virLogSetDefaultPriority(VIR_LOG_INFO);
    domainCust1.name = (char *)"cust1-web";
    domainCust1.id = -1;
    virUUIDParse("11111111-2222-3333-4444-555555555555", domainCust1.uuid);
    domainCust2.name = (char *)"cust2-web";
    domainCust2.id = 3;
    virUUIDParse("66666666-2222-3333-4444-555555555555", domainCust2.uuid);
}

static void
setup(void)
{
    setupOnce();
    clearAudit();
    probeCalls = 0;
    virResetLastError();
}

static void
teardown(void)
{
    clearAudit();
    virIdentitySetCurrent(NULL);
}

static virAccessManager *
newStack(const char *a, const char *b)
{
    const char *names[] = { a, b, NULL };
    virAccessManager *mgr = virAccessManagerNewNames(names);

    ck_assert_msg(mgr != NULL, "manager: %s", virGetLastErrorMessage());
    return mgr;
}

static int
checkDomain(virAccessManager *mgr, const virIdentity *id, const virDomainDef *def,
            virAccessPerm perm, virAccessReason *why)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = "test",
                            .u.domain = def };

    return virAccessManagerCheck(mgr, id, &obj, perm, why);
}

static int
checkConnect(virAccessManager *mgr, const virIdentity *id, virAccessPerm perm,
             virAccessReason *why)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_CONNECT, .driverName = "test" };

    return virAccessManagerCheck(mgr, id, &obj, perm, why);
}

START_TEST(test_default_is_nop)
{
    virAccessManager *mgr = virAccessManagerNew(NULL);
    virAccessReason why;
    char *desc = virAccessManagerDescribe(mgr);

    ck_assert_str_eq(desc, "nop");
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_START, &why), 1);
    ck_assert_str_eq(why.text, "nop: nop allows everything");
    free(desc);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_unknown_driver)
{
    const char *names[] = { "nop", "no-such-driver", NULL };

    ck_assert_ptr_null(virAccessManagerNewNames(names));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_CONF_SYNTAX);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "unknown access driver 'no-such-driver'"));
}
END_TEST

START_TEST(test_empty_stack_refused)
{
    const char *names[] = { NULL };

    ck_assert_ptr_null(virAccessManagerNewNames(names));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "access_drivers is empty"));
}
END_TEST

START_TEST(test_all_must_allow)
{
    virAccessManager *mgr = newStack("test-probe", "test-deny");
    virAccessReason why;

    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, &why), 0);
    ck_assert_str_eq(why.text, "test-deny: deny driver says no to cust1-web");
    ck_assert_int_eq(probeCalls, 1);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_first_deny_stops)
{
    virAccessManager *mgr = newStack("test-deny", "test-probe");
    virAccessReason why;

    ck_assert_int_eq(checkConnect(mgr, NULL, VIR_ACCESS_PERM_CONNECT_GETATTR, &why), 0);
    ck_assert_str_eq(why.text, "test-deny: deny driver says no");
    ck_assert_int_eq(probeCalls, 0);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_error_denies)
{
    virAccessManager *mgr = newStack("test-probe", "test-error");
    virAccessReason why;

    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, &why), 0);
    ck_assert_str_eq(why.text,
                     "test-error: error: internal error: policy backend unreachable");
    /* The driver's error is not left for the caller to see. */
    ck_assert_ptr_null(virGetLastError());
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_missing_hook_denies)
{
    virAccessManager *mgr = newStack("test-connect-only", NULL);
    virAccessReason why;

    ck_assert_int_eq(checkConnect(mgr, NULL, VIR_ACCESS_PERM_CONNECT_GETATTR, &why), 1);
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_GETATTR, &why), 0);
    ck_assert_str_eq(why.text, "test-connect-only: driver has no check for domain objects");
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_wrong_object_type_denies)
{
    virAccessManager *mgr = newStack("nop", NULL);
    virAccessReason why;

    ck_assert_int_eq(checkConnect(mgr, NULL, VIR_ACCESS_PERM_DOMAIN_START, &why), 0);
    ck_assert_ptr_nonnull(strstr(why.text, "does not apply to connect objects"));
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_readonly_driver)
{
    virAccessManager *mgr = newStack("readonly", "nop");
    virIdentity *ro = virIdentityNew();
    virIdentity *rw = virIdentityNew();
    virAccessReason why;
    size_t i;

    virIdentitySetReadOnly(ro, true);
    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
        bool safe = virAccessPermFlagsOf(i) & VIR_ACCESS_PERM_SAFE;
        int r = virAccessPermObjectType(i) == VIR_ACCESS_OBJECT_DOMAIN
            ? checkDomain(mgr, ro, &domainCust1, i, &why)
            : checkConnect(mgr, ro, i, &why);

        ck_assert_msg(r == (safe ? 1 : 0), "%s on read-only: got %d",
                      virAccessPermToString(i), r);
        if (!safe)
            ck_assert_str_eq(why.text, "readonly: read-only connection");
    }
    ck_assert_int_eq(checkDomain(mgr, rw, &domainCust1, VIR_ACCESS_PERM_DOMAIN_START, &why), 1);
    ck_assert_int_eq(checkDomain(mgr, ro, &domainCust1, VIR_ACCESS_PERM_DOMAIN_START, &why), 0);
    ck_assert_int_eq(checkDomain(mgr, ro, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ_SECURE, &why), 0);
    ck_assert_int_eq(checkConnect(mgr, ro, VIR_ACCESS_PERM_CONNECT_SEARCH_DOMAINS, &why), 1);
    virIdentityUnref(ro);
    virIdentityUnref(rw);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_current_identity_used)
{
    virAccessManager *mgr = newStack("readonly", NULL);
    virIdentity *ro = virIdentityNew();

    virIdentitySetReadOnly(ro, true);
    ck_assert_int_eq(virAccessManagerCheckDomain(mgr, "test", &domainCust1,
                                                 VIR_ACCESS_PERM_DOMAIN_START), 1);
    virIdentitySetCurrent(ro);
    ck_assert_int_eq(virAccessManagerCheckDomain(mgr, "test", &domainCust1,
                                                 VIR_ACCESS_PERM_DOMAIN_START), 0);
    ck_assert_int_eq(virAccessManagerCheckConnect(mgr, "test", VIR_ACCESS_PERM_CONNECT_READ), 1);
    virIdentitySetCurrent(NULL);
    virIdentityUnref(ro);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_audit_lines)
{
    virAccessManager *mgr = newStack("test-deny", NULL);
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetSASLUserName(id, "alice");
    virIdentitySetClientAddress(id, "127.0.0.1;40000");
    ck_assert_int_eq(checkDomain(mgr, id, &domainCust2, VIR_ACCESS_PERM_DOMAIN_STOP, NULL), 0);
    ck_assert_uint_eq(nauditLines, 1);
    ck_assert_str_eq(auditLines[0],
                     "warning: access denied: perm=domain:stop object=domain driver=test "
                     "name='cust2-web' uuid=66666666-2222-3333-4444-555555555555 "
                     "identity=[transport=tls sasl=\"alice\" addr=127.0.0.1;40000] "
                     "decided-by=test-deny reason=\"deny driver says no to cust2-web\"");
    /* Filtering a list is routine: audited at info level, not warning. */
    ck_assert_int_eq(virAccessManagerFilterDomain(mgr, "test", &domainCust2,
                                                  VIR_ACCESS_PERM_DOMAIN_GETATTR), 0);
    ck_assert_uint_eq(nauditLines, 2);
    ck_assert_pstr_prefix(auditLines[1], "info: access denied: perm=domain:getattr object=domain");
    virIdentityUnref(id);
    virAccessManagerFree(mgr);

    mgr = newStack("nop", NULL);
    ck_assert_int_eq(checkConnect(mgr, NULL, VIR_ACCESS_PERM_CONNECT_READ, NULL), 1);
    ck_assert_msg(nauditLines == 3, "lines: %zu; last: %s", nauditLines, auditLines[nauditLines - 1]);
    ck_assert_pstr_prefix(auditLines[2], "info: access allowed: perm=connect:read object=connect driver=test");
    ck_assert_ptr_nonnull(strstr(auditLines[2], "decided-by=nop"));
    virAccessManagerFree(mgr);
}
END_TEST

/* At the usual warning level allows are not logged, so no driver is asked
 * to format a reason for them; a denial is, and still carries its reason. */
START_TEST(test_reason_only_when_logged)
{
    virAccessManager *mgr = newStack("test-probe", "test-deny");

    virLogSetDefaultPriority(VIR_LOG_WARN);
    probeReasonsAsked = denyReasonsAsked = 0;
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust2, VIR_ACCESS_PERM_DOMAIN_STOP, NULL), 0);
    ck_assert_int_eq(probeReasonsAsked, 0);
    ck_assert_int_eq(denyReasonsAsked, 1);
    ck_assert_uint_eq(nauditLines, 1);
    ck_assert_ptr_nonnull(strstr(auditLines[0],
                                 "decided-by=test-deny reason=\"deny driver says no to cust2-web\""));
    virAccessManagerFree(mgr);

    mgr = newStack("test-probe", NULL);
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, NULL), 1);
    ck_assert_int_eq(probeReasonsAsked, 0);
    ck_assert_uint_eq(nauditLines, 1);
    virAccessManagerFree(mgr);

    /* With info on, allows are logged and reasons asked for at once. */
    virLogSetDefaultPriority(VIR_LOG_INFO);
    mgr = newStack("test-probe", NULL);
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, NULL), 1);
    ck_assert_int_eq(probeReasonsAsked, 1);
    ck_assert_uint_eq(nauditLines, 2);
    ck_assert_ptr_nonnull(strstr(auditLines[1], "reason=\"probe allows\""));
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_reload_failure_keeps_old)
{
    virAccessManager *mgr = newStack("test-deny", NULL);
    const char *bad[] = { "nop", "test-init-fail", NULL };
    const char *good[] = { "nop", NULL };
    virAccessConfig badConf = { .drivers = (char **)bad };
    virAccessConfig goodConf = { .drivers = (char **)good };
    char *desc;

    ck_assert_int_eq(virAccessManagerReload(mgr, &badConf), -1);
    ck_assert_str_eq(virGetLastErrorMessage(),
                     "configuration file syntax error: policy.conf:3: unknown permission 'domain:strat'");
    desc = virAccessManagerDescribe(mgr);
    ck_assert_str_eq(desc, "test-deny");
    free(desc);
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, NULL), 0);

    ck_assert_int_eq(virAccessManagerReload(mgr, &goodConf), 0);
    desc = virAccessManagerDescribe(mgr);
    ck_assert_str_eq(desc, "nop");
    free(desc);
    ck_assert_int_eq(checkDomain(mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, NULL), 1);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_hide_denied_setting)
{
    const char *names[] = { "nop", NULL };
    virAccessConfig hide = { .drivers = (char **)names };
    virAccessConfig show = { .drivers = (char **)names, .showDenied = true };
    virAccessManager *mgr = virAccessManagerNew(&hide);

    ck_assert(virAccessManagerHidesDenied(mgr));
    ck_assert_int_eq(virAccessManagerReload(mgr, &show), 0);
    ck_assert(!virAccessManagerHidesDenied(mgr));
    virAccessManagerFree(mgr);
}
END_TEST

typedef struct {
    virAccessManager *mgr;
    int wrong;
} concurrencyData;

static void *
checkerThread(void *opaque)
{
    concurrencyData *data = opaque;
    size_t i;

    /* Whatever stack is in force, probe and nop both allow: any deny is a torn read. */
    for (i = 0; i < 20000; i++) {
        if (checkDomain(data->mgr, NULL, &domainCust1, VIR_ACCESS_PERM_DOMAIN_READ, NULL) != 1)
            __atomic_add_fetch(&data->wrong, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

START_TEST(test_reload_while_checking)
{
    const char *a[] = { "nop", NULL };
    const char *b[] = { "test-probe", "nop", NULL };
    virAccessConfig confA = { .drivers = (char **)a };
    virAccessConfig confB = { .drivers = (char **)b };
    concurrencyData data = { newStack("nop", NULL), 0 };
    pthread_t threads[3];
    size_t i;

    virLogSetDefaultPriority(VIR_LOG_WARN);
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        pthread_create(&threads[i], NULL, checkerThread, &data);
    for (i = 0; i < 200; i++)
        ck_assert_int_eq(virAccessManagerReload(data.mgr, i % 2 ? &confA : &confB), 0);
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        pthread_join(threads[i], NULL);
    ck_assert_int_eq(data.wrong, 0);
    virAccessManagerFree(data.mgr);
    virLogSetDefaultPriority(VIR_LOG_INFO);
}
END_TEST

static Suite *
managerSuite(void)
{
    Suite *s = suite_create("access-manager");
    TCase *tc = tcase_create("manager");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_default_is_nop);
    tcase_add_test(tc, test_unknown_driver);
    tcase_add_test(tc, test_empty_stack_refused);
    tcase_add_test(tc, test_all_must_allow);
    tcase_add_test(tc, test_first_deny_stops);
    tcase_add_test(tc, test_error_denies);
    tcase_add_test(tc, test_missing_hook_denies);
    tcase_add_test(tc, test_wrong_object_type_denies);
    tcase_add_test(tc, test_readonly_driver);
    tcase_add_test(tc, test_current_identity_used);
    tcase_add_test(tc, test_audit_lines);
    tcase_add_test(tc, test_reason_only_when_logged);
    tcase_add_test(tc, test_reload_failure_keeps_old);
    tcase_add_test(tc, test_hide_denied_setting);
    tcase_add_test(tc, test_reload_while_checking);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(managerSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    clearAudit();
    virLogReset();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
