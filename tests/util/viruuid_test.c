/*
 * viruuid_test.c: UUID parsing, formatting and generation.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "viruuid.h"

static const unsigned char sample[VIR_UUID_BUFLEN] = {
    0xc7, 0xa5, 0xfd, 0xbd, 0xcd, 0xaf, 0x94, 0x55,
    0x92, 0x6a, 0xd6, 0x5c, 0x16, 0xdb, 0x18, 0x09,
};

static const char *const goodForms[] = {
    "c7a5fdbd-cdaf-9455-926a-d65c16db1809",
    "C7A5FDBD-CDAF-9455-926A-D65C16DB1809",
    "c7a5fdbdcdaf9455926ad65c16db1809",
    "  c7a5fdbd-cdaf-9455-926a-d65c16db1809\n",
    "c7a5-fdbd-cdaf-9455-926a-d65c-16db-1809",
};

START_TEST(test_parse_good)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    memset(uuid, 0xff, sizeof(uuid));
    ck_assert_int_eq(virUUIDParse(goodForms[_i], uuid), 0);
    ck_assert_mem_eq(uuid, sample, VIR_UUID_BUFLEN);
}
END_TEST

static const char *const badForms[] = {
    "",
    "   ",
    "c7a5fdbd-cdaf-9455-926a-d65c16db180",          /* one digit short */
    "c7a5fdbd-cdaf-9455-926a-d65c16db18",           /* one byte short */
    "c7a5fdbd-cdaf-9455-926a-d65c16db18090",        /* one digit too many */
    "c7a5fdbd-cdaf-9455-926a-d65c16db180900",       /* one byte too many */
    "g7a5fdbd-cdaf-9455-926a-d65c16db1809",         /* not hex */
    "c7a5fdbd-cdaf-9455-926a-d65c16db1809 x",       /* trailing junk */
    "c7a5fdbd cdaf 9455 926a d65c16db1809",         /* spaces inside */
    "{c7a5fdbd-cdaf-9455-926a-d65c16db1809}",
};

START_TEST(test_parse_bad)
{
    unsigned char uuid[VIR_UUID_BUFLEN];

    ck_assert_msg(virUUIDParse(badForms[_i], uuid) < 0, "'%s' parsed", badForms[_i]);
}
END_TEST

START_TEST(test_format)
{
    char buf[VIR_UUID_STRING_BUFLEN];
    unsigned char zero[VIR_UUID_BUFLEN] = { 0 };

    ck_assert_ptr_eq(virUUIDFormat(sample, buf), buf);
    ck_assert_str_eq(buf, "c7a5fdbd-cdaf-9455-926a-d65c16db1809");
    ck_assert_str_eq(virUUIDFormat(zero, buf), "00000000-0000-0000-0000-000000000000");
    ck_assert_uint_eq(strlen(buf), VIR_UUID_STRING_BUFLEN - 1);
}
END_TEST

START_TEST(test_round_trip)
{
    unsigned char uuid[VIR_UUID_BUFLEN], back[VIR_UUID_BUFLEN];
    char buf[VIR_UUID_STRING_BUFLEN];
    int i;

    for (i = 0; i < 100; i++) {
        ck_assert_int_eq(virUUIDGenerate(uuid), 0);
        ck_assert_int_eq(virUUIDParse(virUUIDFormat(uuid, buf), back), 0);
        ck_assert_mem_eq(uuid, back, VIR_UUID_BUFLEN);
    }
}
END_TEST

START_TEST(test_generate)
{
    unsigned char a[VIR_UUID_BUFLEN], b[VIR_UUID_BUFLEN];
    char buf[VIR_UUID_STRING_BUFLEN];

    ck_assert_int_eq(virUUIDGenerate(a), 0);
    ck_assert_int_eq(virUUIDGenerate(b), 0);
    ck_assert(memcmp(a, b, VIR_UUID_BUFLEN) != 0);
    ck_assert(!virUUIDIsNull(a));
    /* Version 4, RFC 4122 variant. */
    ck_assert_int_eq(a[6] >> 4, 4);
    ck_assert_int_eq(a[8] >> 6, 2);
    virUUIDFormat(a, buf);
    ck_assert_int_eq(buf[14], '4');
    ck_assert(strchr("89ab", buf[19]) != NULL);
}
END_TEST

START_TEST(test_is_null)
{
    unsigned char uuid[VIR_UUID_BUFLEN] = { 0 };

    ck_assert(virUUIDIsNull(uuid));
    uuid[VIR_UUID_BUFLEN - 1] = 1;
    ck_assert(!virUUIDIsNull(uuid));
    ck_assert(!virUUIDIsNull(sample));
}
END_TEST

static Suite *
virUUIDSuite(void)
{
    Suite *s = suite_create("viruuid");
    TCase *tc = tcase_create("viruuid");

    tcase_add_loop_test(tc, test_parse_good, 0, sizeof(goodForms) / sizeof(goodForms[0]));
    tcase_add_loop_test(tc, test_parse_bad, 0, sizeof(badForms) / sizeof(badForms[0]));
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_generate);
    tcase_add_test(tc, test_is_null);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virUUIDSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
