/*
 * perm_test.c: the permission table and permission sets.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "viraccessperm.h"

START_TEST(test_names_round_trip)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
        const char *name = virAccessPermToString(i);

        ck_assert_ptr_nonnull(name);
        ck_assert_int_eq(virAccessPermFromString(name), (int)i);
        ck_assert_ptr_nonnull(strchr(name, ':'));
        ck_assert_str_eq(strchr(name, ':') + 1, virAccessPermShortName(i));
        ck_assert_int_eq(strncmp(name, virAccessObjectTypeToString(virAccessPermObjectType(i)),
                                 strchr(name, ':') - name), 0);
    }
}
END_TEST

START_TEST(test_known_names)
{
    ck_assert_str_eq(virAccessPermToString(VIR_ACCESS_PERM_DOMAIN_START), "domain:start");
    ck_assert_str_eq(virAccessPermToString(VIR_ACCESS_PERM_CONNECT_SEARCH_DOMAINS),
                     "connect:search_domains");
    ck_assert_str_eq(virAccessPermToString(VIR_ACCESS_PERM_DOMAIN_READ_SECURE),
                     "domain:read_secure");
    ck_assert_int_eq(virAccessPermFromString("domain:init_control"),
                     VIR_ACCESS_PERM_DOMAIN_INIT_CONTROL);
    ck_assert_int_eq(virAccessPermFromString("domain:strat"), -1);
    ck_assert_int_eq(virAccessPermFromString("start"), -1);
    ck_assert_int_eq(virAccessPermFromString(""), -1);
    ck_assert_int_eq(virAccessObjectTypeFromString("domain"), VIR_ACCESS_OBJECT_DOMAIN);
    ck_assert_int_eq(virAccessObjectTypeFromString("connect"), VIR_ACCESS_OBJECT_CONNECT);
    ck_assert_int_eq(virAccessObjectTypeFromString("network"), -1);
}
END_TEST

START_TEST(test_safe_flags)
{
    /* Exactly getattr, read and search_* are safe on read-only connections. */
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
        const char *shortName = virAccessPermShortName(i);
        bool expectSafe = strcmp(shortName, "getattr") == 0 ||
                          strcmp(shortName, "read") == 0 ||
                          strncmp(shortName, "search_", 7) == 0;

        ck_assert_msg(!!(virAccessPermFlagsOf(i) & VIR_ACCESS_PERM_SAFE) == expectSafe,
                      "%s: safe flag wrong", virAccessPermToString(i));
        ck_assert_ptr_nonnull(virAccessPermDescription(i));
        ck_assert_int_gt(strlen(virAccessPermDescription(i)), 5);
    }
}
END_TEST

START_TEST(test_set_parse)
{
    virAccessPermSet set = { { 0 } };
    char *text;

    ck_assert(virAccessPermSetIsEmpty(&set));
    ck_assert_int_eq(virAccessPermSetParseItem(&set, "domain:start"), 0);
    ck_assert(virAccessPermSetHas(&set, VIR_ACCESS_PERM_DOMAIN_START));
    ck_assert(!virAccessPermSetHas(&set, VIR_ACCESS_PERM_DOMAIN_STOP));
    ck_assert_int_eq(virAccessPermSetParseItem(&set, "connect:*"), 0);
    ck_assert(virAccessPermSetHas(&set, VIR_ACCESS_PERM_CONNECT_GETATTR));
    ck_assert(virAccessPermSetHas(&set, VIR_ACCESS_PERM_CONNECT_INTERFACE_TRANSACTION));
    ck_assert(!virAccessPermSetHas(&set, VIR_ACCESS_PERM_DOMAIN_STOP));
    text = virAccessPermSetFormat(&set);
    ck_assert_str_eq(text, "connect:*,domain:start");
    free(text);

    ck_assert_int_eq(virAccessPermSetParseItem(&set, "network:*"), -1);
    ck_assert_int_eq(virAccessPermSetParseItem(&set, "domain:bogus"), -1);
    ck_assert_int_eq(virAccessPermSetParseItem(&set, "*"), 0);
    text = virAccessPermSetFormat(&set);
    ck_assert_str_eq(text, "connect:*,domain:*");
    free(text);
}
END_TEST

START_TEST(test_set_union)
{
    virAccessPermSet a = { { 0 } }, b = { { 0 } };

    virAccessPermSetAdd(&a, VIR_ACCESS_PERM_DOMAIN_READ);
    virAccessPermSetAdd(&b, VIR_ACCESS_PERM_DOMAIN_SET_PASSWORD);
    virAccessPermSetUnion(&a, &b);
    ck_assert(virAccessPermSetHas(&a, VIR_ACCESS_PERM_DOMAIN_READ));
    ck_assert(virAccessPermSetHas(&a, VIR_ACCESS_PERM_DOMAIN_SET_PASSWORD));
    ck_assert(!virAccessPermSetHas(&a, VIR_ACCESS_PERM_DOMAIN_WRITE));
}
END_TEST

static Suite *
permSuite(void)
{
    Suite *s = suite_create("access-perm");
    TCase *tc = tcase_create("perm");

    tcase_add_test(tc, test_names_round_trip);
    tcase_add_test(tc, test_known_names);
    tcase_add_test(tc, test_safe_flags);
    tcase_add_test(tc, test_set_parse);
    tcase_add_test(tc, test_set_union);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(permSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
