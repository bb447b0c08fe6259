/*
 * x509dn_test.c: normalising X.509 Distinguished Names (virx509dn.h).
 *
 * The contract is that every way of writing one DN gives one string, so
 * most cases are a table of "written like this" -> "normal form".
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "viralloc.h"
#include "virx509dn.h"

#define CUST1 "C=GB,O=Example ISP,CN=customer1"

static const struct {
    const char *input;
    const char *normal;
} normalCases[] = {
    /* RFC 4514, most specific first, and the reverse order */
    { "CN=customer1,O=Example ISP,C=GB", CUST1 },
    { "C=GB,O=Example ISP,CN=customer1", CUST1 },
    { "O=Example ISP,CN=customer1,C=GB", CUST1 },
    /* OpenSSL's slash form */
    { "/C=GB/O=Example ISP/CN=customer1", CUST1 },
    { "/CN=customer1/O=Example ISP/C=GB", CUST1 },
    /* white space around separators and '=' is dropped, inside values kept */
    { "CN = customer1 , O = Example ISP , C = GB", CUST1 },
    { "  CN=customer1,   O=Example ISP,C=GB  ", CUST1 },
    { " / C = GB / O = Example ISP / CN = customer1 ", CUST1 },
    { "CN=customer1,O=Example  ISP,C=GB", "C=GB,O=Example  ISP,CN=customer1" },
    /* attribute names in any case, values keep theirs */
    { "cn=customer1,o=Example ISP,c=GB", CUST1 },
    { "Cn=Customer1,O=Example ISP,C=GB", "C=GB,O=Example ISP,CN=Customer1" },
    /* aliases, long names and OIDs */
    { "CN=a,E=a@example.com", "CN=a,EMAILADDRESS=a@example.com" },
    { "CN=a,email=a@example.com", "CN=a,EMAILADDRESS=a@example.com" },
    { "CN=a,emailAddress=a@example.com", "CN=a,EMAILADDRESS=a@example.com" },
    { "CN=a,1.2.840.113549.1.9.1=a@example.com", "CN=a,EMAILADDRESS=a@example.com" },
    { "CN=a,S=Kent,C=GB", "C=GB,ST=Kent,CN=a" },
    { "commonName=a,stateOrProvinceName=Kent,countryName=GB", "C=GB,ST=Kent,CN=a" },
    { "2.5.4.3=a,OID.2.5.4.10=Org,2.5.4.6=GB", "C=GB,O=Org,CN=a" },
    { "organizationName=Org,organizationalUnitName=Ops,localityName=Leeds,CN=a",
      "L=Leeds,O=Org,OU=Ops,CN=a" },
    /* the rank: C, ST, L, O, OU, CN, then the rest by name */
    { "UID=u1,DC=example,CN=a,OU=x,L=Leeds,ST=Kent,C=GB,O=Org",
      "C=GB,ST=Kent,L=Leeds,O=Org,OU=x,CN=a,DC=example,UID=u1" },
    { "CN=a,1.2.3.4=x", "CN=a,1.2.3.4=x" },
    /* equal names keep their RFC 4514 order; the slash form is reversed */
    { "CN=a,OU=first,OU=second,O=Org", "O=Org,OU=first,OU=second,CN=a" },
    { "/O=Org/OU=second/OU=first/CN=a", "O=Org,OU=first,OU=second,CN=a" },
    { "DC=www,DC=example,DC=com", "DC=www,DC=example,DC=com" },
    { "/DC=com/DC=example/DC=www", "DC=www,DC=example,DC=com" },
    /* escapes: special characters, hex pairs, escaped leading/trailing space */
    { "CN=Smith\\, John,O=Org", "O=Org,CN=Smith\\, John" },
    { "CN=a\\+b,O=Org", "O=Org,CN=a\\+b" },
    { "CN=\\\"quoted\\\",O=Org", "O=Org,CN=\\\"quoted\\\"" },
    { "CN=back\\\\slash", "CN=back\\\\slash" },
    { "CN=\\43\\4E", "CN=CN" },
    { "CN=caf\\C3\\A9", "CN=caf\xc3\xa9" },
    { "CN=\\ lead,O=Org", "O=Org,CN=\\ lead" },
    { "CN=trail\\ ,O=Org", "O=Org,CN=trail\\ " },
    { "CN=\\#hash", "CN=\\#hash" },
    { "CN=a\\=b", "CN=a=b" },
    { "CN=semi\\;colon", "CN=semi\\;colon" },
    { "CN=tab\\09", "CN=tab\\09" },
    /* the slash form: commas and pluses are text, '\/' is a slash */
    { "/O=Smith, Jones + Co/CN=a", "O=Smith\\, Jones \\+ Co,CN=a" },
    { "/O=a\\/b/CN=c", "O=a/b,CN=c" },
    /* ';' (RFC 1779) and '+' (multi-valued RDN) separate in RFC form */
    { "CN=a;O=Org;C=GB", "C=GB,O=Org,CN=a" },
    { "CN=a+UID=u1,O=Org", "O=Org,CN=a,UID=u1" },
    /* an empty value is allowed; a '#' hex string stays text */
    { "CN=,O=Org", "O=Org,CN=" },
    { "CN=#04024869", "CN=\\#04024869" },
    /* globs pass through untouched */
    { "CN=cust-*,O=Example ISP,C=GB", "C=GB,O=Example ISP,CN=cust-*" },
};

START_TEST(test_normalize)
{
    char *err = NULL;
    char *normal = virX509DNNormalize(normalCases[_i].input, &err);

    ck_assert_msg(normal != NULL, "'%s' rejected: %s", normalCases[_i].input, err);
    ck_assert_ptr_null(err);
    ck_assert_str_eq(normal, normalCases[_i].normal);
    free(normal);
}
END_TEST

START_TEST(test_normal_form_is_fixed_point)
{
    char *err = NULL;
    char *again = virX509DNNormalize(normalCases[_i].normal, &err);

    ck_assert_msg(again != NULL, "'%s' rejected: %s", normalCases[_i].normal, err);
    ck_assert_str_eq(again, normalCases[_i].normal);
    free(again);
}
END_TEST

static const struct {
    const char *input;
    const char *error;
} badCases[] = {
    { "", "empty DN" },
    { "   ", "empty DN" },
    { "CN", "missing '=' in 'CN'" },
    { "CN=a,O", "missing '=' in 'O'" },
    { "/C=GB/Example", "missing '=' in 'Example'" },
    { "=a,O=b", "empty attribute name in '=a'" },
    { "CN=a, =b", "empty attribute name in '=b'" },
    { "C N=a", "invalid attribute name 'C N'" },
    { "C:N=a", "invalid attribute name 'C:N'" },
    { "2.5..4=a", "invalid attribute name '2.5..4'" },
    { "CN=a\\", "trailing backslash" },
    { "CN=a\\4g", "invalid hex escape '\\4g' (expected two hex digits)" },
    { "CN=a\\4", "invalid hex escape '\\4' (expected two hex digits)" },
    { "CN=a\\q", "invalid escape '\\q'" },
    { "CN=a\\00b", "NUL byte (\\00) in value" },
    { "CN=a,", "trailing ','" },
    { "CN=a,O=b, ", "trailing ','" },
    { "/C=GB/", "trailing '/'" },
    { "/", "trailing '/'" },
    { "CN=a,,O=b", "empty RDN before ','" },
    { ",CN=a", "empty RDN before ','" },
    { "//CN=a", "empty RDN before '/'" },
};

START_TEST(test_malformed)
{
    virX509DN dn = { (virX509DNAttr *)0x1, 99 };
    char *err = NULL;

    ck_assert_int_eq(virX509DNParse(badCases[_i].input, &dn, &err), -1);
    ck_assert_msg(err != NULL, "'%s' accepted", badCases[_i].input);
    ck_assert_str_eq(err, badCases[_i].error);
    /* A failed parse leaves nothing to free. */
    ck_assert_ptr_null(dn.attrs);
    ck_assert_uint_eq(dn.nattrs, 0);
    free(err);

    ck_assert_ptr_null(virX509DNNormalize(badCases[_i].input, &err));
    ck_assert_str_eq(err, badCases[_i].error);
    free(err);
}
END_TEST

START_TEST(test_parse_attributes)
{
    virX509DN dn;
    char *err = NULL;

    ck_assert_int_eq(virX509DNParse("/C=GB/O=Smith\\, Jones/CN=a b", &dn, &err), 0);
    ck_assert_uint_eq(dn.nattrs, 3);
    ck_assert_str_eq(dn.attrs[0].name, "C");
    ck_assert_str_eq(dn.attrs[0].value, "GB");
    ck_assert_str_eq(dn.attrs[1].name, "O");
    ck_assert_str_eq(dn.attrs[1].value, "Smith, Jones");    /* unescaped */
    ck_assert_str_eq(dn.attrs[2].name, "CN");
    ck_assert_str_eq(dn.attrs[2].value, "a b");
    ck_assert(!virX509DNHasGlob(&dn));
    virX509DNClear(&dn);
    ck_assert_ptr_null(dn.attrs);
    ck_assert_uint_eq(dn.nattrs, 0);
}
END_TEST

static bool
matches(const char *pattern, const char *subject)
{
    virX509DN p, s;
    char *err = NULL;
    bool ret;

    ck_assert_msg(virX509DNParse(pattern, &p, &err) == 0, "%s: %s", pattern, err);
    ck_assert_msg(virX509DNParse(subject, &s, &err) == 0, "%s: %s", subject, err);
    ret = virX509DNMatch(&p, &s);
    virX509DNClear(&p);
    virX509DNClear(&s);
    return ret;
}

START_TEST(test_glob_match)
{
    /* A glob value stands for any value of that one attribute... */
    ck_assert(matches("CN=*,O=Example ISP,C=GB", "CN=customer1,O=Example ISP,C=GB"));
    ck_assert(matches("CN=*,O=Example ISP,C=GB", "/C=GB/O=Example ISP/CN=anyone"));
    ck_assert(matches("CN=cust-*,O=Example ISP", "cn=cust-42, o=Example ISP"));
    ck_assert(matches("CN=cust-??,O=Example ISP", "CN=cust-42,O=Example ISP"));
    ck_assert(matches("CN=cust-[0-9]*,O=Example ISP", "CN=cust-42,O=Example ISP"));
    ck_assert(matches("CN=customer1,O=Example ISP,C=GB", "/C=GB/O=Example ISP/CN=customer1"));
    /* ...but names, their number and the other values must be the same. */
    ck_assert(!matches("CN=cust-*,O=Example ISP", "CN=other,O=Example ISP"));
    ck_assert(!matches("CN=cust-??,O=Example ISP", "CN=cust-123,O=Example ISP"));
    ck_assert(!matches("CN=*,O=Example ISP,C=GB", "CN=customer1,O=Other ISP,C=GB"));
    ck_assert(!matches("CN=*,O=Example ISP,C=GB", "CN=customer1,OU=x,O=Example ISP,C=GB"));
    ck_assert(!matches("CN=*,O=Example ISP,C=GB", "CN=customer1,O=Example ISP"));
    ck_assert(!matches("CN=*,O=*", "UID=x,O=y"));
    /* Values are case sensitive. */
    ck_assert(!matches("CN=Customer1,O=Example ISP", "CN=customer1,O=Example ISP"));
}
END_TEST

START_TEST(test_has_glob)
{
    virX509DN dn;
    char *err = NULL;
    const char *globs[] = { "CN=*", "CN=a?", "CN=[ab]", "CN=x,O=Org*" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(globs); i++) {
        ck_assert_int_eq(virX509DNParse(globs[i], &dn, &err), 0);
        ck_assert_msg(virX509DNHasGlob(&dn), "%s", globs[i]);
        virX509DNClear(&dn);
    }
    ck_assert_int_eq(virX509DNParse(CUST1, &dn, &err), 0);
    ck_assert(!virX509DNHasGlob(&dn));
    virX509DNClear(&dn);
}
END_TEST

START_TEST(test_split_normal)
{
    char buf[256];
    virX509DNAttr attrs[8];
    char *err = NULL;
    char *normal = virX509DNNormalize("/C=GB/O=Smith\\, Jones/CN=caf\\C3\\A9 \\#1\\09", &err);

    ck_assert_ptr_nonnull(normal);
    ck_assert_int_eq(virX509DNSplitNormal(normal, buf, sizeof(buf), attrs, 8), 3);
    ck_assert_str_eq(attrs[0].name, "C");
    ck_assert_str_eq(attrs[1].value, "Smith, Jones");
    ck_assert_str_eq(attrs[2].name, "CN");
    ck_assert_str_eq(attrs[2].value, "caf\xc3\xa9 #1\t");
    /* Too small a buffer or too few slots: -1, never a truncated answer. */
    ck_assert_int_eq(virX509DNSplitNormal(normal, buf, 10, attrs, 8), -1);
    ck_assert_int_eq(virX509DNSplitNormal(normal, buf, sizeof(buf), attrs, 2), -1);
    ck_assert_int_eq(virX509DNSplitNormal("", buf, sizeof(buf), attrs, 8), 0);
    free(normal);
}
END_TEST

static Suite *
x509dnSuite(void)
{
    Suite *s = suite_create("x509dn");
    TCase *tc = tcase_create("x509dn");

    tcase_add_loop_test(tc, test_normalize, 0, G_N_ELEMENTS(normalCases));
    tcase_add_loop_test(tc, test_normal_form_is_fixed_point, 0, G_N_ELEMENTS(normalCases));
    tcase_add_loop_test(tc, test_malformed, 0, G_N_ELEMENTS(badCases));
    tcase_add_test(tc, test_parse_attributes);
    tcase_add_test(tc, test_glob_match);
    tcase_add_test(tc, test_has_glob);
    tcase_add_test(tc, test_split_normal);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(x509dnSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
