/*
 * virbuffer_test.c: the growable string buffer.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "viralloc.h"
#include "virbuffer.h"

START_TEST(test_empty)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    char *s;

    ck_assert_str_eq(virBufferCurrentContent(&buf), "");
    ck_assert_uint_eq(virBufferUse(&buf), 0);
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s, "");        /* never NULL */
    free(s);
    virBufferFreeAndReset(&buf);    /* harmless on an empty buffer */
    ck_assert_ptr_null(buf.content);
}
END_TEST

START_TEST(test_add)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) s = NULL;

    virBufferAdd(&buf, "hello world", 5);
    virBufferAddChar(&buf, ',');
    virBufferAddLit(&buf, " there");
    virBufferAdd(&buf, "!?", -1);
    virBufferAdd(&buf, NULL, -1);           /* ignored */
    virBufferAdd(&buf, "ignored", 0);
    ck_assert_uint_eq(virBufferUse(&buf), strlen("hello, there!?"));
    ck_assert_str_eq(virBufferCurrentContent(&buf), "hello, there!?");
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s, "hello, there!?");
    ck_assert_uint_eq(virBufferUse(&buf), 0);
    ck_assert_ptr_null(buf.content);
}
END_TEST

START_TEST(test_asprintf)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) s = NULL;

    virBufferAsprintf(&buf, "<name>%s</name>", "web1");
    virBufferAsprintf(&buf, "<id>%d</id>", 42);
    virBufferAsprintf(&buf, "%s", "");
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s, "<name>web1</name><id>42</id>");
}
END_TEST

START_TEST(test_growth)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) big = NULL;
    VIR_AUTOFREE(char *) s = NULL;
    size_t i;

    /* Many small appends and one formatted string larger than any chunk. */
    for (i = 0; i < 10000; i++)
        virBufferAddChar(&buf, 'a' + i % 26);
    VIR_ALLOC_N(big, 100001);
    memset(big, 'x', 100000);
    virBufferAsprintf(&buf, "[%s]", big);
    ck_assert_uint_eq(virBufferUse(&buf), 10000 + 100002);
    s = virBufferContentAndReset(&buf);
    ck_assert_uint_eq(strlen(s), 110002);
    ck_assert_int_eq(s[0], 'a');
    ck_assert_int_eq(s[25], 'z');
    ck_assert_int_eq(s[9999], 'a' + 9999 % 26);
    ck_assert_int_eq(s[10000], '[');
    ck_assert_int_eq(s[110000], 'x');
    ck_assert_int_eq(s[110001], ']');
}
END_TEST

START_TEST(test_escape)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) s = NULL;

    virBufferEscapeString(&buf, "<title>%s</title>", "a<b & c>'d' \"e\"");
    virBufferEscapeString(&buf, "<x>%s</x>", NULL);     /* nothing at all */
    virBufferEscapeString(&buf, "<p a='%s'/>", "100%");
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s, "<title>a&lt;b &amp; c&gt;&apos;d&apos; &quot;e&quot;</title>"
                        "<p a='100%'/>");
}
END_TEST

START_TEST(test_indent)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) s = NULL;

    virBufferAddLit(&buf, "<domain>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<name>x</name>\n");
    virBufferAsprintf(&buf, "<os>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferEscapeString(&buf, "<type>%s</type>", "hvm");
    virBufferAddLit(&buf, " <!-- same line -->\n");
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</os>\n");
    virBufferAdjustIndent(&buf, -10);       /* clamps at 0 */
    virBufferAddLit(&buf, "</domain>\n");
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s,
                     "<domain>\n"
                     "  <name>x</name>\n"
                     "  <os>\n"
                     "    <type>hvm</type> <!-- same line -->\n"
                     "  </os>\n"
                     "</domain>\n");
    ck_assert_int_eq(buf.indent, 0);        /* reset too */
}
END_TEST

START_TEST(test_trim)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) s = NULL;

    virBufferTrim(&buf, ",");               /* empty: nothing to do */
    virBufferAddLit(&buf, "a,b,");
    virBufferTrim(&buf, ";");               /* no match */
    ck_assert_str_eq(virBufferCurrentContent(&buf), "a,b,");
    virBufferTrim(&buf, ",");
    ck_assert_str_eq(virBufferCurrentContent(&buf), "a,b");
    virBufferTrim(&buf, "a,b,c");           /* longer than the content */
    virBufferTrim(&buf, "a,b");
    ck_assert_uint_eq(virBufferUse(&buf), 0);
    virBufferAddLit(&buf, "z");
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s, "z");
}
END_TEST

START_TEST(test_reuse_after_reset)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) s = NULL;

    virBufferAddLit(&buf, "first");
    virBufferFreeAndReset(&buf);
    ck_assert_uint_eq(virBufferUse(&buf), 0);
    virBufferAddLit(&buf, "second");
    s = virBufferContentAndReset(&buf);
    ck_assert_str_eq(s, "second");
}
END_TEST

static Suite *
virBufferSuite(void)
{
    Suite *s = suite_create("virbuffer");
    TCase *tc = tcase_create("virbuffer");

    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_add);
    tcase_add_test(tc, test_asprintf);
    tcase_add_test(tc, test_growth);
    tcase_add_test(tc, test_escape);
    tcase_add_test(tc, test_indent);
    tcase_add_test(tc, test_trim);
    tcase_add_test(tc, test_reuse_after_reset);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virBufferSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
