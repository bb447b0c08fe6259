/*
 * policyparse_test.c: reading dnpolicy rule files.
 *
 * Valid policies parse into the expected rules and roles; every malformed
 * one is refused with the exact "FILE:LINE: message" a person would act
 * on, all bad lines at once, and nothing is published.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viraccesspolicy.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define SYNTAX "configuration file syntax error: "

static const char *
srcdir(void)
{
    const char *dir = getenv("abs_top_srcdir");

    return dir && *dir ? dir : ABS_TOP_SRCDIR;
}

static char *
dataPath(const char *name)
{
    return virPrintf("%s/tests/access/data/dnpolicy/%s", srcdir(), name);
}

/* Error lines logged by the parser, captured instead of going to stderr. */
static char *logged[16];
static size_t nlogged;

static void
captureLog(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    if (prio == VIR_LOG_ERROR && STREQ(source, "access.dnpolicy") &&
        nlogged < G_N_ELEMENTS(logged))
        logged[nlogged++] = virStrdup(line);
}

static void
setup(void)
{
    virLogSetOutputs("");
    virLogAddCallbackOutput(VIR_LOG_ERROR, captureLog, NULL);
    virResetLastError();
}

static void
teardown(void)
{
    size_t i;

    for (i = 0; i < nlogged; i++)
        VIR_FREE(logged[i]);
    nlogged = 0;
    virLogReset();
    virResetLastError();
}

/* Parse @text as "policy.conf"; it must fail with exactly @expect. */
static void
assertRejected(const char *text, const char *expect)
{
    virAccessPolicy *policy = virAccessPolicyParseString(text, "policy.conf");
    VIR_AUTOFREE(char *) full = virPrintf(SYNTAX "%s", expect);

    ck_assert_msg(policy == NULL, "accepted: %s", text);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_CONF_SYNTAX);
    ck_assert_str_eq(virGetLastErrorMessage(), full);
}

/* ---- valid policies ----------------------------------------------------- */

START_TEST(test_example_file)
{
    VIR_AUTOFREE(char *) path = dataPath("example.conf");
    virAccessPolicy *policy = virAccessPolicyParseFile(path);
    VIR_AUTOFREE(char *) loc = NULL;
    const virAccessPolicyRule *r;

    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());
    ck_assert_uint_eq(virAccessPolicyRuleCount(policy), 6);
    ck_assert_uint_eq(virAccessPolicyRoleCount(policy), 2);

    r = virAccessPolicyGetRule(policy, 0);
    loc = virPrintf("%s:6", path);
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(r), loc);
    ck_assert_str_eq(virAccessPolicyRuleGetFile(r), path);
    ck_assert_uint_eq(virAccessPolicyRuleGetLine(r), 6);
    ck_assert(virAccessPolicyRuleIsAllow(r));
    ck_assert_str_eq(virAccessPolicyRuleGetText(r),
                     "allow dn=\"CN=customer1,O=Example ISP,C=GB\" domain=cust1-*          perms=@customer");

    /* A continued rule is one rule, located at its first line. */
    r = virAccessPolicyGetRule(policy, 1);
    ck_assert_uint_eq(virAccessPolicyRuleGetLine(r), 7);
    ck_assert_ptr_nonnull(strstr(virAccessPolicyRuleGetText(r),
                                 "CN=customer2\"       domain=uuid:"));

    r = virAccessPolicyGetRule(policy, 2);
    ck_assert_uint_eq(virAccessPolicyRuleGetLine(r), 9);
    ck_assert(!virAccessPolicyRuleIsAllow(r));

    /* The trailing comment is not part of the rule. */
    r = virAccessPolicyGetRule(policy, 3);
    ck_assert_str_eq(virAccessPolicyRuleGetText(r),
                     "allow dn=\"CN=*,O=Example ISP,C=GB\" readonly=yes                     perms=@viewer");
    ck_assert_uint_eq(virAccessPolicyRuleGetLine(virAccessPolicyGetRule(policy, 5)), 12);
    ck_assert_ptr_null(virAccessPolicyGetRule(policy, 6));
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_lexical_details)
{
    const char *text =
        "   # indented comment\n"
        "\n"
        "allow sasl=\"has # hash\" perms=*   # the first '#' is quoted\n"
        "allow dn=\"CN=Smith\\, John,O=Org\" perms=domain:read\n"
        "allow sasl=\"say \\\"hi\\\"\" domain=\"name:my vm\",other perms=domain:*\n"
        "role spaced = connect:getattr , domain:read ,domain:start\n"
        "allow \\\n"
        "   unix-user=ops \\\n"
        "\tperms=@spaced\r\n"
        "deny perms=*";      /* no final newline */
    virAccessPolicy *policy = virAccessPolicyParseString(text, "lex.conf");
    const virAccessPolicyRule *r;

    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());
    ck_assert_uint_eq(virAccessPolicyRuleCount(policy), 5);
    ck_assert_uint_eq(virAccessPolicyRoleCount(policy), 1);
    r = virAccessPolicyGetRule(policy, 0);
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(r), "lex.conf:3");
    ck_assert_str_eq(virAccessPolicyRuleGetText(r), "allow sasl=\"has # hash\" perms=*");
    r = virAccessPolicyGetRule(policy, 3);
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(r), "lex.conf:7");
    ck_assert_str_eq(virAccessPolicyRuleGetText(r), "allow    unix-user=ops \tperms=@spaced");
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(virAccessPolicyGetRule(policy, 4)),
                     "lex.conf:10");
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_empty_policy)
{
    virAccessPolicy *policy = virAccessPolicyParseString("# nothing but a comment\n\n", "e.conf");

    ck_assert_ptr_nonnull(policy);
    ck_assert_uint_eq(virAccessPolicyRuleCount(policy), 0);
    ck_assert_uint_eq(virAccessPolicyRoleCount(policy), 0);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_inline_rules)
{
    char *tls[] = { "CN=customer1,O=Example ISP,C=GB", "name:customer1",
                    "/C=GB/O=Example ISP/CN=customer2", "uuid:0b8f4a3e-2c1d-4e5f-9a8b-7c6d5e4f3a2b",
                    "CN=admin,O=Example ISP,C=GB", "*", NULL };
    char *sasl[] = { "fred", "name:fred-*", NULL };
    virAccessPolicySource src = {
        .content = "allow unix-user=root perms=*\n", .path = "policy.conf",
        .tlsRestrictDN = tls, .saslRestrictUsername = sasl,
        .configFile = "/etc/tenvirt/tenvirtd.conf",
    };
    virAccessPolicy *policy = virAccessPolicyLoad(&src);
    const virAccessPolicyRule *r;

    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());
    ck_assert_uint_eq(virAccessPolicyRuleCount(policy), 5);
    /* File rules first, then tls_restrict_dn, then sasl_restrict_username. */
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(virAccessPolicyGetRule(policy, 0)),
                     "policy.conf:1");
    r = virAccessPolicyGetRule(policy, 1);
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(r),
                     "/etc/tenvirt/tenvirtd.conf:tls_restrict_dn[0]");
    ck_assert_str_eq(virAccessPolicyRuleGetFile(r), "/etc/tenvirt/tenvirtd.conf");
    ck_assert_uint_eq(virAccessPolicyRuleGetLine(r), 0);
    ck_assert_str_eq(virAccessPolicyRuleGetText(r),
                     "allow dn=\"CN=customer1,O=Example ISP,C=GB\" domain=\"name:customer1\" "
                     "perms=connect:getattr,connect:read,connect:search_domains,domain:*");
    ck_assert_str_eq(virAccessPolicyRuleGetText(virAccessPolicyGetRule(policy, 3)),
                     "allow dn=\"CN=admin,O=Example ISP,C=GB\" perms=*");
    r = virAccessPolicyGetRule(policy, 4);
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(r),
                     "/etc/tenvirt/tenvirtd.conf:sasl_restrict_username[0]");
    ck_assert_str_eq(virAccessPolicyRuleGetText(r),
                     "allow sasl=\"fred\" domain=\"name:fred-*\" "
                     "perms=connect:getattr,connect:read,connect:search_domains,domain:*");
    virAccessPolicyFree(policy);

    /* Inline rules alone, without a config file name. */
    src.content = src.path = NULL;
    src.configFile = NULL;
    src.saslRestrictUsername = NULL;
    policy = virAccessPolicyLoad(&src);
    ck_assert_ptr_nonnull(policy);
    ck_assert_uint_eq(virAccessPolicyRuleCount(policy), 3);
    r = virAccessPolicyGetRule(policy, 2);
    ck_assert_str_eq(virAccessPolicyRuleGetLocation(r), "tls_restrict_dn[2]");
    ck_assert_ptr_null(virAccessPolicyRuleGetFile(r));
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_inline_quoting)
{
    /* A DN with a quote and backslash escapes survives the round trip
     * through the generated rule line. */
    char *tls[] = { "CN=say \\\"hi\\\"\\, ok,O=Org", "*", NULL };
    virAccessPolicySource src = { .tlsRestrictDN = tls };
    virAccessPolicy *policy = virAccessPolicyLoad(&src);

    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());
    ck_assert_str_eq(virAccessPolicyRuleGetText(virAccessPolicyGetRule(policy, 0)),
                     "allow dn=\"CN=say \\\\\\\"hi\\\\\\\"\\\\, ok,O=Org\" perms=*");
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- malformed policies ------------------------------------------------- */

static const struct {
    const char *text;
    const char *error;
} badCases[] = {
    { "alow dn=* perms=*",
      "policy.conf:1: unknown action 'alow' (expected allow, deny or role)" },
    { "Allow dn=* perms=*",
      "policy.conf:1: unknown action 'Allow' (expected allow, deny or role)" },
    { "dn=* perms=*",
      "policy.conf:1: unknown action 'dn=*' (expected allow, deny or role)" },
    { "allow dnn=\"CN=a\" perms=*",
      "policy.conf:1: unknown key 'dnn' (expected dn, sasl, unix-user, unix-group, "
      "transport, readonly, domain or perms)" },
    { "allow dn=* sasl=a dn=* perms=*",
      "policy.conf:1: key 'dn' given twice" },
    { "allow perms=* perms=domain:read",
      "policy.conf:1: key 'perms' given twice" },
    { "allow dn=\"CN=customer1,O=Example ISP\" domain=cust1",
      "policy.conf:1: rule has no perms=" },
    { "deny",
      "policy.conf:1: rule has no perms=" },
    { "allow sasl=bob perms=@cust",
      "policy.conf:1: unknown role '@cust' (roles must be defined before use)" },
    { "allow sasl=bob perms=@later\nrole later = domain:read",
      "policy.conf:1: unknown role '@later' (roles must be defined before use)" },
    { "role self = @self",
      "policy.conf:1: unknown role '@self' (roles must be defined before use)" },
    { "allow perms=@",
      "policy.conf:1: missing role name after '@'" },
    { "\nrole viewer = domain:read\n\nrole viewer = domain:getattr",
      "policy.conf:4: role 'viewer' already defined at line 2" },
    { "allow dn=CN perms=*",
      "policy.conf:1: invalid DN 'CN': missing '=' in 'CN'" },
    { "allow dn=\"CN=a,,O=b\" perms=*",
      "policy.conf:1: invalid DN 'CN=a,,O=b': empty RDN before ','" },
    { "allow dn=\"CN=a\\\\\" perms=*",
      "policy.conf:1: invalid DN 'CN=a\\': trailing backslash" },
    { "allow dn=\"CN=a\\4g\" perms=*",
      "policy.conf:1: invalid DN 'CN=a\\4g': invalid hex escape '\\4g' (expected two hex digits)" },
    { "allow dn=\"=x\" perms=*",
      "policy.conf:1: invalid DN '=x': empty attribute name in '=x'" },
    { "allow domain=uuid:xyz perms=*",
      "policy.conf:1: invalid UUID 'xyz'" },
    { "allow domain=id:3 perms=*",
      "policy.conf:1: unknown domain selector 'id:3' (expected name:GLOB, uuid:UUID or a name)" },
    { "allow domain=name: perms=*",
      "policy.conf:1: empty domain name in 'name:'" },
    { "allow domain=a,,b perms=*",
      "policy.conf:1: empty domain selector in 'a,,b'" },
    { "allow dn=\"CN=a perms=*",
      "policy.conf:1: unterminated quoted string" },
    { "allow sasl= perms=*",
      "policy.conf:1: empty value for 'sasl'" },
    { "allow sasl=\"\" perms=*",
      "policy.conf:1: empty value for 'sasl'" },
    { "allow transport=udp perms=*",
      "policy.conf:1: unknown transport 'udp' (expected local, unix, tcp or tls)" },
    { "allow transport=tls,UNIX perms=*",
      "policy.conf:1: unknown transport 'UNIX' (expected local, unix, tcp or tls)" },
    { "allow readonly=maybe perms=*",
      "policy.conf:1: readonly must be yes or no, not 'maybe'" },
    { "role viewer domain:read",
      "policy.conf:1: missing '=' after role name" },
    { "role = domain:read",
      "policy.conf:1: missing role name" },
    { "role bad! = domain:read",
      "policy.conf:1: invalid role name 'bad!' (letters, digits, '_' and '-' only)" },
    { "role empty =",
      "policy.conf:1: role 'empty' has no permissions" },
    { "role r = domain:read domain:start",
      "policy.conf:1: missing ',' in 'domain:read domain:start'" },
    { "allow perms=domain:strat",
      "policy.conf:1: unknown permission 'domain:strat'" },
    { "allow perms=start",
      "policy.conf:1: unknown permission 'start' (expected OBJECT:PERM, OBJECT:*, * or @ROLE)" },
    { "allow perms=network:*",
      "policy.conf:1: unknown object type 'network' in 'network:*' (expected connect, domain)" },
    { "allow perms=domain:start,,domain:stop",
      "policy.conf:1: empty item in permission list" },
    { "allow dn=* perms",
      "policy.conf:1: expected KEY=VALUE, found 'perms'" },
    { "deny =x perms=*",
      "policy.conf:1: expected KEY=VALUE, found '=x'" },
    { "allow perms=domain:read, domain:start",
      "policy.conf:1: trailing ',' in 'domain:read,' (a list takes no spaces after its commas)" },
    { "allow perms=domain:read ,domain:start",
      "policy.conf:1: expected KEY=VALUE, found ',domain:start'" },
    /* Line numbers count physical lines, continuations included. */
    { "allow dn=* \\\n   perms=*\nalow dn=* perms=*",
      "policy.conf:3: unknown action 'alow' (expected allow, deny or role)" },
    { "# c\nallow dn=* \\\n   perms=domain:strat",
      "policy.conf:2: unknown permission 'domain:strat'" },
};

START_TEST(test_malformed)
{
    assertRejected(badCases[_i].text, badCases[_i].error);
}
END_TEST

START_TEST(test_all_errors_at_once)
{
    VIR_AUTOFREE(char *) path = dataPath("broken.conf");
    VIR_AUTOFREE(char *) expect = virPrintf(
        SYNTAX "%s:3: role 'viewer' already defined at line 2\n"
        "%s:5: unknown action 'alow' (expected allow, deny or role)\n"
        "%s:6: unknown permission 'domain:strat'", path, path, path);
    VIR_AUTOFREE(char *) log3 = virPrintf("%s:3: role 'viewer' already defined at line 2", path);

    ck_assert_ptr_null(virAccessPolicyParseFile(path));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_CONF_SYNTAX);
    ck_assert_str_eq(virGetLastErrorMessage(), expect);
    /* Each error is also logged on its own. */
    ck_assert_uint_eq(nlogged, 3);
    ck_assert_str_eq(logged[0], log3);
}
END_TEST

START_TEST(test_bad_role_reported_once)
{
    /* A role whose list is wrong is still known by name, so its users do
     * not each add an "unknown role" error. */
    assertRejected("role r = domain:strat\nallow sasl=a perms=@r\nallow sasl=b perms=@r",
                   "policy.conf:1: unknown permission 'domain:strat'");
}
END_TEST

START_TEST(test_inline_errors)
{
    char *odd[] = { "CN=a", "name:a", "CN=b", NULL };
    char *bad[] = { "CN=a", "name:a", "CN", "name:b", "CN=c", "customer1",
                    "CN=d", "uuid:nope", "", "*", NULL };
    virAccessPolicySource src = {
        .content = "alow\n", .path = "policy.conf",
        .tlsRestrictDN = odd, .configFile = "tenvirtd.conf",
    };

    ck_assert_ptr_null(virAccessPolicyLoad(&src));
    ck_assert_str_eq(virGetLastErrorMessage(),
                     SYNTAX "policy.conf:1: unknown action 'alow' (expected allow, deny or role)\n"
                     "tenvirtd.conf: odd number of entries in tls_restrict_dn "
                     "(expected pairs of DN pattern and domain selector)");

    src.content = NULL;
    src.path = NULL;
    src.tlsRestrictDN = NULL;
    src.saslRestrictUsername = bad;
    ck_assert_ptr_null(virAccessPolicyLoad(&src));
    ck_assert_str_eq(virGetLastErrorMessage(),
                     SYNTAX
                     "tenvirtd.conf:sasl_restrict_username[2]: invalid selector 'customer1' "
                     "(expected name:GLOB, uuid:UUID or *)\n"
                     "tenvirtd.conf:sasl_restrict_username[3]: invalid UUID 'nope'\n"
                     "tenvirtd.conf:sasl_restrict_username[4]: empty user name pattern");

    src.saslRestrictUsername = NULL;
    src.tlsRestrictDN = bad;
    src.configFile = NULL;
    ck_assert_ptr_null(virAccessPolicyLoad(&src));
    ck_assert_str_eq(virGetLastErrorMessage(),
                     SYNTAX
                     "tls_restrict_dn[1]: invalid DN 'CN': missing '=' in 'CN'\n"
                     "tls_restrict_dn[2]: invalid selector 'customer1' "
                     "(expected name:GLOB, uuid:UUID or *)\n"
                     "tls_restrict_dn[3]: invalid UUID 'nope'\n"
                     "tls_restrict_dn[4]: empty DN pattern");
}
END_TEST

START_TEST(test_unreadable_file)
{
    ck_assert_ptr_null(virAccessPolicyParseFile("/nonexistent/policy.conf"));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(),
                                 "cannot open policy file '/nonexistent/policy.conf'"));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "No such file or directory"));
}
END_TEST

START_TEST(test_binary_file)
{
    char path[] = "/tmp/policyparse-XXXXXX";
    int fd = mkstemp(path);
    VIR_AUTOFREE(char *) expect = virPrintf(SYNTAX "%s:2: NUL byte in the file (not a text file?)",
                                            path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "allow perms=*\nx\0y\n", 18), 18);
    close(fd);
    ck_assert_ptr_null(virAccessPolicyParseFile(path));
    ck_assert_str_eq(virGetLastErrorMessage(), expect);
    unlink(path);
}
END_TEST

START_TEST(test_error_cap)
{
    /* A huge garbage file lists the first 1000 errors and counts the rest. */
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) text = NULL;
    const char *msg;
    size_t i;

    for (i = 0; i < 1005; i++)
        virBufferAddLit(&buf, "garbage\n");
    text = virBufferContentAndReset(&buf);
    ck_assert_ptr_null(virAccessPolicyParseString(text, "big.conf"));
    msg = virGetLastErrorMessage();
    ck_assert_ptr_nonnull(strstr(msg, "big.conf:1000: unknown action 'garbage'"));
    ck_assert_ptr_null(strstr(msg, "big.conf:1001:"));
    ck_assert_str_eq(strrchr(msg, '\n'), "\n... and 5 more errors");
}
END_TEST

static Suite *
policyParseSuite(void)
{
    Suite *s = suite_create("policyparse");
    TCase *tc = tcase_create("valid");
    TCase *bad = tcase_create("malformed");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_example_file);
    tcase_add_test(tc, test_lexical_details);
    tcase_add_test(tc, test_empty_policy);
    tcase_add_test(tc, test_inline_rules);
    tcase_add_test(tc, test_inline_quoting);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(bad, setup, teardown);
    tcase_add_loop_test(bad, test_malformed, 0, G_N_ELEMENTS(badCases));
    tcase_add_test(bad, test_all_errors_at_once);
    tcase_add_test(bad, test_bad_role_reported_once);
    tcase_add_test(bad, test_inline_errors);
    tcase_add_test(bad, test_unreadable_file);
    tcase_add_test(bad, test_binary_file);
    tcase_add_test(bad, test_error_cap);
    suite_add_tcase(s, bad);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(policyParseSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
