/*
 * virconf_test.c: the libvirtd.conf-syntax parser and strict key loading.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viralloc.h"
#include "virbuffer.h"
#include "virconf.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"

#define SYNTAX_PREFIX "configuration file syntax error: "

static char *
testDataPath(const char *name)
{
    const char *srcdir = getenv("abs_top_srcdir");

    return virPrintf("%s/tests/util/data/%s", srcdir ? srcdir : ABS_TOP_SRCDIR, name);
}

/* The "FILE:LINE: ..." text of the last error, which must be a syntax error. */
static const char *
testSyntaxDetail(void)
{
    virErrorPtr err = virGetLastError();

    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, VIR_ERR_CONF_SYNTAX);
    ck_assert_int_eq(err->domain, VIR_FROM_CONF);
    ck_assert_msg(STRPREFIX(err->message, SYNTAX_PREFIX), "message '%s'", err->message);
    return err->message + strlen(SYNTAX_PREFIX);
}

/* Parsing @content must fail with exactly @expect. */
static void
testParseFails(const char *content, const char *expect)
{
    virConf *conf;

    virResetLastError();
    conf = virConfReadString(content, "t.conf");
    ck_assert_msg(conf == NULL, "'%s' parsed", content);
    ck_assert_str_eq(testSyntaxDetail(), expect);
}

static void
testSetup(void)
{
    /* Keep the expected error lines off the test output. */
    virLogReset();
    virLogSetOutputs("");
    virResetLastError();
}

static void
testTeardown(void)
{
    virLogReset();
    virResetLastError();
}

/* ---- valid input ------------------------------------------------------- */

START_TEST(test_valid_file)
{
    VIR_AUTOFREE(char *) path = testDataPath("virconf-valid.conf");
    virConf *conf = virConfReadFile(path);
    const virConfEntry *e;

    ck_assert_msg(conf != NULL, "%s", virGetLastErrorMessage());
    ck_assert_str_eq(conf->filename, path);
    ck_assert_uint_eq(conf->nentries, 13);

    e = virConfGet(conf, "listen_tls");
    ck_assert_int_eq(e->value.type, VIR_CONF_VALUE_INT);
    ck_assert_int_eq(e->value.i, 1);
    ck_assert_int_eq(e->line, 3);
    ck_assert_int_eq(virConfGet(conf, "max_clients")->value.i, 250);
    ck_assert_int_eq(virConfGet(conf, "keepalive_interval")->value.i, -1);
    ck_assert_int_eq(virConfGet(conf, "plus")->value.i, 7);

    e = virConfGet(conf, "tls_port");
    ck_assert_int_eq(e->value.type, VIR_CONF_VALUE_STRING);
    ck_assert_str_eq(e->value.str, "16514");
    ck_assert_int_eq(e->line, 9);
    ck_assert_str_eq(virConfGet(conf, "single")->value.str, "it's");
    ck_assert_str_eq(virConfGet(conf, "escaped")->value.str, "say \"hi\" \\ done");
    ck_assert_str_eq(virConfGet(conf, "dn")->value.str, "CN=Smith\\, John,O=Example");
    ck_assert_str_eq(virConfGet(conf, "hash")->value.str, "not # a comment");

    e = virConfGet(conf, "access_drivers");
    ck_assert_int_eq(e->value.type, VIR_CONF_VALUE_LIST);
    ck_assert_int_eq(e->line, 16);
    ck_assert_uint_eq(e->value.nitems, 2);
    ck_assert_str_eq(e->value.items[0].str, "readonly");
    ck_assert_int_eq(e->value.items[0].line, 17);
    ck_assert_str_eq(e->value.items[1].str, "dnpolicy");
    ck_assert_int_eq(e->value.items[1].line, 19);

    e = virConfGet(conf, "empty");
    ck_assert_int_eq(e->value.type, VIR_CONF_VALUE_LIST);
    ck_assert_uint_eq(e->value.nitems, 0);
    e = virConfGet(conf, "one_line");
    ck_assert_uint_eq(e->value.nitems, 2);
    ck_assert_str_eq(e->value.items[1].str, "b");
    ck_assert_str_eq(virConfGet(conf, "last")->value.str, "no newline at the end");
    ck_assert_int_eq(virConfGet(conf, "last")->line, 23);

    ck_assert_ptr_null(virConfGet(conf, "absent"));
    /* Entries keep file order. */
    ck_assert_str_eq(conf->entries[0].name, "listen_tls");
    ck_assert_str_eq(conf->entries[12].name, "last");
    virConfFree(conf);
}
END_TEST

START_TEST(test_valid_string)
{
    virConf *conf = virConfReadString("a=1\r\n\tb = 'x'\r\n  # c = 3\n\n"
                                      "list.name-2 = [\"p\",'q',]\n", "mem");

    ck_assert_msg(conf != NULL, "%s", virGetLastErrorMessage());
    ck_assert_str_eq(conf->filename, "mem");
    ck_assert_uint_eq(conf->nentries, 3);
    ck_assert_int_eq(virConfGet(conf, "a")->value.i, 1);
    ck_assert_str_eq(virConfGet(conf, "b")->value.str, "x");
    ck_assert_int_eq(virConfGet(conf, "b")->line, 2);
    ck_assert_ptr_null(virConfGet(conf, "c"));
    ck_assert_uint_eq(virConfGet(conf, "list.name-2")->value.nitems, 2);
    ck_assert_int_eq(virConfGet(conf, "list.name-2")->line, 5);
    virConfFree(conf);
}
END_TEST

START_TEST(test_valid_empty)
{
    const char *inputs[] = { "", "\n\n", "# only a comment", "   \t\n# x\n  # y\n" };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(inputs); i++) {
        virConf *conf = virConfReadString(inputs[i], "e.conf");

        ck_assert_ptr_nonnull(conf);
        ck_assert_uint_eq(conf->nentries, 0);
        virConfFree(conf);
    }
}
END_TEST

START_TEST(test_valid_edge_values)
{
    virConf *conf = virConfReadString("big = 9223372036854775807\n"
                                      "small = -9223372036854775808\n"
                                      "empty = \"\"\n"
                                      "trailing = \"x\\\\\"\n"
                                      "mixed = \"it's\"\n"
                                      "mixed2 = 'say \"x\"'\n"
                                      "dup = 1\ndup = 2\n", "v.conf");

    ck_assert_msg(conf != NULL, "%s", virGetLastErrorMessage());
    ck_assert_int_eq(virConfGet(conf, "big")->value.i, LLONG_MAX);
    ck_assert_int_eq(virConfGet(conf, "small")->value.i, LLONG_MIN);
    ck_assert_str_eq(virConfGet(conf, "empty")->value.str, "");
    ck_assert_str_eq(virConfGet(conf, "trailing")->value.str, "x\\");
    ck_assert_str_eq(virConfGet(conf, "mixed")->value.str, "it's");
    ck_assert_str_eq(virConfGet(conf, "mixed2")->value.str, "say \"x\"");
    /* Duplicates are the loader's business; the parser keeps both and
     * virConfGet finds the first. */
    ck_assert_uint_eq(conf->nentries, 8);
    ck_assert_int_eq(virConfGet(conf, "dup")->value.i, 1);
    virConfFree(conf);
}
END_TEST

/* "a\" ends with an escaped quote, so that line is unterminated: checked
 * separately so test_valid_edge_values stays valid. */
START_TEST(test_escaped_closing_quote)
{
    testParseFails("x = \"a\\\"\n", "t.conf:1: unterminated string");
}
END_TEST

/* ---- malformed input: one test per kind of mistake --------------------- */

static const struct {
    const char *content;
    const char *expect;
} malformed[] = {
    { "x = \"abc\n", "t.conf:1: unterminated string" },
    { "a = 1\nx = 'abc", "t.conf:2: unterminated string" },
    { "x = 'it\\'\n", "t.conf:1: unterminated string" },
    { "x 5\n", "t.conf:1: expected '=' after 'x', got '5'" },
    { "x\n", "t.conf:1: expected '=' after 'x', got end of line" },
    { "x : 5\n", "t.conf:1: expected '=' after 'x', got ':'" },
    { "= 5\n", "t.conf:1: expected a setting name, got '='" },
    { "1x = 5\n", "t.conf:1: expected a setting name, got '1x'" },
    { "x = 5 6\n", "t.conf:1: unexpected '6' after the value of 'x'" },
    { "x = \"a\" junk # c\n", "t.conf:1: unexpected 'junk' after the value of 'x'" },
    { "x = \"a\" \"b\"\n", "t.conf:1: unexpected '\"' after the value of 'x'" },
    { "x = [ \"a\" ] ]\n", "t.conf:1: unexpected ']' after the value of 'x'" },
    { "x = [ \"a\", \"b\"", "t.conf:1: unterminated list (missing ']')" },
    { "x = [\n  \"a\",\n  # comment\n", "t.conf:1: unterminated list (missing ']')" },
    { "x = [ \"a\",\ny = 1\n", "t.conf:1: unterminated list (missing ']' before line 2)" },
    { "x = [ \"a\"\n  y = 1\n", "t.conf:1: unterminated list (missing ']' before line 2)" },
    { "x = [ \"a\", 5 ]\n", "t.conf:1: list items must be quoted strings, got the number '5'" },
    { "x = [ \"a\",\n  -1,\n]\n", "t.conf:2: list items must be quoted strings, got the number '-1'" },
    { "x = [ ident ]\n", "t.conf:1: list items must be quoted strings, got 'ident'" },
    { "x = [ [ \"a\" ] ]\n", "t.conf:1: list items must be quoted strings, got '['" },
    { "x = [ \"a\" \"b\" ]\n", "t.conf:1: expected ',' or ']' after a list item, got '\"'" },
    { "x = [ \"a\",, ]\n", "t.conf:1: list items must be quoted strings, got ','" },
    { "x = [\n  \"a\",\n  \"b\n]\n", "t.conf:3: unterminated string" },
    { "x = 12abc\n", "t.conf:1: invalid number '12abc'" },
    { "x = 1.5\n", "t.conf:1: invalid number '1.5'" },
    { "x = -\n", "t.conf:1: invalid number '-'" },
    { "x = 0x10\n", "t.conf:1: invalid number '0x10'" },
    { "x = 99999999999999999999\n", "t.conf:1: number '99999999999999999999' is out of range" },
    { "x = -9223372036854775809\n", "t.conf:1: number '-9223372036854775809' is out of range" },
    { "x = yes\n", "t.conf:1: expected a value (number, quoted string or list), got 'yes'" },
    { "x =\n", "t.conf:1: expected a value (number, quoted string or list), got end of line" },
    { "x =", "t.conf:1: expected a value (number, quoted string or list), got end of file" },
    { "x = ]\n", "t.conf:1: expected a value (number, quoted string or list), got ']'" },
    { "x = averyveryverylongwordthatgoesonandonandonforever\n",
      "t.conf:1: expected a value (number, quoted string or list), "
      "got 'averyveryverylongwordthatgoesonandonando...'" },
};

START_TEST(test_malformed)
{
    testParseFails(malformed[_i].content, malformed[_i].expect);
}
END_TEST

/* ---- several errors at once, and recovery after each ------------------- */

static void
testLogCapture(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    virBuffer *buf = opaque;

    if (prio == VIR_LOG_ERROR && STREQ(source, "util.conf"))
        virBufferAsprintf(buf, "%s\n", line);
}

START_TEST(test_errors_together)
{
    VIR_AUTOFREE(char *) path = testDataPath("virconf-errors.conf");
    VIR_AUTOFREE(char *) expect = NULL;
    VIR_AUTOFREE(char *) logged = NULL;
    virBuffer log = VIR_BUFFER_INITIALIZER;

    virLogAddCallbackOutput(VIR_LOG_ERROR, testLogCapture, &log);
    ck_assert_ptr_null(virConfReadFile(path));
    expect = virPrintf("%s:3: unterminated string\n"
                       "%s:6: expected '=' after 'missing_equals', got '5'\n"
                       "%s:8: invalid number '12abc'", path, path, path);
    ck_assert_str_eq(testSyntaxDetail(), expect);

    /* Each message was also logged on its own. */
    virLogReset();
    logged = virBufferContentAndReset(&log);
    ck_assert_ptr_nonnull(strstr(logged, ":3: unterminated string"));
    ck_assert_ptr_nonnull(strstr(logged, ":6: expected '='"));
    ck_assert_ptr_nonnull(strstr(logged, ":8: invalid number"));
}
END_TEST

START_TEST(test_recovery)
{
    /* After a broken list, a broken string in a list and an open list, the
     * parser resumes at the right place and finds the later errors only. */
    testParseFails("a = [ \"x\", 1,\n"
                   "      \"y\" ]\n"
                   "b = 'ok'\n"
                   "c = [ \"p\",\n"
                   "      \"q\n"
                   "    ]\n"
                   "d = [ \"open\"\n"
                   "e = 1\n"
                   "f = bad\n",
                   "t.conf:1: list items must be quoted strings, got the number '1'\n"
                   "t.conf:5: unterminated string\n"
                   "t.conf:7: unterminated list (missing ']' before line 8)\n"
                   "t.conf:9: expected a value (number, quoted string or list), got 'bad'");
}
END_TEST

START_TEST(test_unreadable)
{
    virConf *conf = virConfReadFile("/nonexistent/tenvirt-test.conf");
    virErrorPtr err = virGetLastError();

    ck_assert_ptr_null(conf);
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, VIR_ERR_SYSTEM_ERROR);
    ck_assert_ptr_nonnull(strstr(err->message, "'/nonexistent/tenvirt-test.conf'"));
    ck_assert_ptr_nonnull(strstr(err->message, strerror(ENOENT)));
}
END_TEST

START_TEST(test_nul_byte)
{
    char path[] = "/tmp/virconf-test-XXXXXX";
    VIR_AUTOFREE(char *) expect = NULL;
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "a = 1\nb = \"x\0y\"\n", 16), 16);
    close(fd);
    ck_assert_ptr_null(virConfReadFile(path));
    unlink(path);
    expect = virPrintf("%s:2: unexpected NUL byte", path);
    ck_assert_str_eq(testSyntaxDetail(), expect);
}
END_TEST

/* ---- strict loading ---------------------------------------------------- */

typedef struct {
    bool flag;
    int level;
    int any;
    unsigned int count;
    unsigned int limited;
    char *name;
    char **list;
    char *port;
} testTarget;

static const virConfKey testKeys[] = {
    { "flag", VIR_CONF_KEY_BOOL, offsetof(testTarget, flag), 0, 0, "a switch" },
    { "level", VIR_CONF_KEY_INT, offsetof(testTarget, level), 1, 4, "1..4" },
    { "any", VIR_CONF_KEY_INT, offsetof(testTarget, any), 0, 0, "any int" },
    { "count", VIR_CONF_KEY_UINT, offsetof(testTarget, count), 0, 0, "any uint" },
    { "limited", VIR_CONF_KEY_UINT, offsetof(testTarget, limited), 10, 20, "10..20" },
    { "name", VIR_CONF_KEY_STRING, offsetof(testTarget, name), 0, 0, "a string" },
    { "list", VIR_CONF_KEY_STRING_LIST, offsetof(testTarget, list), 0, 0, "a list" },
    { "port", VIR_CONF_KEY_PORT, offsetof(testTarget, port), 0, 0, "a port" },
};

/* Load @content into @target; returns virConfLoad's result (-2: syntax). */
static int
testLoad(const char *content, testTarget *target)
{
    virConf *conf = virConfReadString(content, "k.conf");
    int ret;

    if (!conf)
        return -2;
    ret = virConfLoad(conf, testKeys, G_N_ELEMENTS(testKeys), target);
    virConfFree(conf);
    return ret;
}

static void
testLoadFails(const char *content, const char *expect)
{
    testTarget t = { 0 };

    virResetLastError();
    ck_assert_int_eq(testLoad(content, &t), -1);
    ck_assert_str_eq(testSyntaxDetail(), expect);
    virConfKeysClear(testKeys, G_N_ELEMENTS(testKeys), &t);
}

START_TEST(test_load_valid)
{
    testTarget t = { 0 };

    /* Values replace defaults, which are freed. */
    t.name = virStrdup("default");
    t.port = virStrdup("1");
    t.list = virStringSplit("d1,d2", ',');
    ck_assert_int_eq(testLoad("flag = 1\nlevel = 4\nany = -2147483648\n"
                              "count = 4294967295\nlimited = 10\n"
                              "name = \"hello\"\nlist = [ \"a\", \"b\", ]\n"
                              "port = \"16514\"\n", &t), 0);
    ck_assert(t.flag);
    ck_assert_int_eq(t.level, 4);
    ck_assert_int_eq(t.any, INT_MIN);
    ck_assert_uint_eq(t.count, UINT_MAX);
    ck_assert_uint_eq(t.limited, 10);
    ck_assert_str_eq(t.name, "hello");
    ck_assert_uint_eq(virStringListLength(t.list), 2);
    ck_assert_str_eq(t.list[0], "a");
    ck_assert_str_eq(t.list[1], "b");
    ck_assert_str_eq(t.port, "16514");

    ck_assert_int_eq(testLoad("port = 443\nflag = 0\n", &t), 0);
    ck_assert_str_eq(t.port, "443");
    ck_assert(!t.flag);
    ck_assert_str_eq(t.name, "hello");      /* untouched */

    virConfKeysClear(testKeys, G_N_ELEMENTS(testKeys), &t);
    ck_assert_ptr_null(t.name);
    ck_assert_ptr_null(t.list);
    ck_assert_ptr_null(t.port);
    ck_assert_int_eq(t.level, 4);           /* numbers are not cleared */
}
END_TEST

START_TEST(test_load_lists)
{
    testTarget t = { 0 };

    ck_assert_int_eq(testLoad("name = 'x'\n", &t), 0);
    ck_assert_ptr_null(t.list);             /* absent: NULL */
    ck_assert_int_eq(testLoad("list = []\n", &t), 0);
    ck_assert_ptr_nonnull(t.list);          /* explicitly empty: length 0 */
    ck_assert_ptr_null(t.list[0]);
    virConfKeysClear(testKeys, G_N_ELEMENTS(testKeys), &t);
}
END_TEST

static const struct {
    const char *content;
    const char *expect;
} badLoads[] = {
    { "flag = 1\nfoo = 2\n", "k.conf:2: unknown setting 'foo'" },
    { "level = 1\nname = 'a'\nlevel = 2\n", "k.conf:3: setting 'level' already set at line 1" },
    { "flag = \"yes\"\n", "k.conf:1: setting 'flag' expects 0 or 1, got a string" },
    { "flag = 2\n", "k.conf:1: setting 'flag' expects 0 or 1, got 2" },
    { "flag = -1\n", "k.conf:1: setting 'flag' expects 0 or 1, got -1" },
    { "level = \"3\"\n", "k.conf:1: setting 'level' expects an integer, got a string" },
    { "count = [ \"1\" ]\n", "k.conf:1: setting 'count' expects an integer, got a list" },
    { "name = 5\n", "k.conf:1: setting 'name' expects a string, got an integer" },
    { "name = [ \"a\" ]\n", "k.conf:1: setting 'name' expects a string, got a list" },
    { "list = \"a\"\n", "k.conf:1: setting 'list' expects a list of strings, got a string" },
    { "list = 1\n", "k.conf:1: setting 'list' expects a list of strings, got an integer" },
    { "level = 0\n", "k.conf:1: setting 'level' must be between 1 and 4, got 0" },
    { "level = 5\n", "k.conf:1: setting 'level' must be between 1 and 4, got 5" },
    { "any = 2147483648\n",
      "k.conf:1: setting 'any' must be between -2147483648 and 2147483647, got 2147483648" },
    { "count = -1\n", "k.conf:1: setting 'count' must be between 0 and 4294967295, got -1" },
    { "count = 4294967296\n",
      "k.conf:1: setting 'count' must be between 0 and 4294967295, got 4294967296" },
    { "limited = 21\n", "k.conf:1: setting 'limited' must be between 10 and 20, got 21" },
    { "port = -1\n", "k.conf:1: setting 'port' must be a port between 0 and 65535, got -1" },
    { "port = \"65536\"\n", "k.conf:1: setting 'port' must be a port between 0 and 65535, got 65536" },
    { "port = \"https\"\n", "k.conf:1: setting 'port' expects a port number, got 'https'" },
    { "port = \"-5\"\n", "k.conf:1: setting 'port' expects a port number, got '-5'" },
    { "port = \"\"\n", "k.conf:1: setting 'port' expects a port number, got ''" },
    { "port = [ \"1\" ]\n", "k.conf:1: setting 'port' expects a port number, got a list" },
};

START_TEST(test_load_errors)
{
    testLoadFails(badLoads[_i].content, badLoads[_i].expect);
}
END_TEST

START_TEST(test_load_errors_together)
{
    testTarget t = { 0 };
    VIR_AUTOFREE(char *) logged = NULL;
    virBuffer log = VIR_BUFFER_INITIALIZER;

    virLogAddCallbackOutput(VIR_LOG_ERROR, testLogCapture, &log);
    ck_assert_int_eq(testLoad("# header\n"
                              "level = 9\n"
                              "name = 'fine'\n"
                              "bogus = 1\n"
                              "name = 'again'\n"
                              "max_clients = 'many'\n"
                              "flag = 'x'\n"
                              "count = 3\n", &t), -1);
    ck_assert_str_eq(testSyntaxDetail(),
                     "k.conf:2: setting 'level' must be between 1 and 4, got 9\n"
                     "k.conf:4: unknown setting 'bogus'\n"
                     "k.conf:5: setting 'name' already set at line 3\n"
                     "k.conf:6: unknown setting 'max_clients'\n"
                     "k.conf:7: setting 'flag' expects 0 or 1, got a string");
    /* Good lines were still applied; the caller decides to discard. */
    ck_assert_str_eq(t.name, "fine");
    ck_assert_uint_eq(t.count, 3);
    virConfKeysClear(testKeys, G_N_ELEMENTS(testKeys), &t);

    virLogReset();
    logged = virBufferContentAndReset(&log);
    ck_assert_ptr_nonnull(strstr(logged, "k.conf:2: setting 'level'"));
    ck_assert_ptr_nonnull(strstr(logged, "k.conf:7: setting 'flag'"));
}
END_TEST

START_TEST(test_load_empty)
{
    testTarget t = { .level = 3 };

    ck_assert_int_eq(testLoad("# nothing\n", &t), 0);
    ck_assert_int_eq(t.level, 3);
    ck_assert_ptr_null(virGetLastError());
}
END_TEST

static Suite *
virConfSuite(void)
{
    Suite *s = suite_create("virconf");
    TCase *tc = tcase_create("parse");
    TCase *tl = tcase_create("load");

    tcase_add_checked_fixture(tc, testSetup, testTeardown);
    tcase_add_test(tc, test_valid_file);
    tcase_add_test(tc, test_valid_string);
    tcase_add_test(tc, test_valid_empty);
    tcase_add_test(tc, test_valid_edge_values);
    tcase_add_test(tc, test_escaped_closing_quote);
    tcase_add_loop_test(tc, test_malformed, 0, G_N_ELEMENTS(malformed));
    tcase_add_test(tc, test_errors_together);
    tcase_add_test(tc, test_recovery);
    tcase_add_test(tc, test_unreadable);
    tcase_add_test(tc, test_nul_byte);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(tl, testSetup, testTeardown);
    tcase_add_test(tl, test_load_valid);
    tcase_add_test(tl, test_load_lists);
    tcase_add_loop_test(tl, test_load_errors, 0, G_N_ELEMENTS(badLoads));
    tcase_add_test(tl, test_load_errors_together);
    tcase_add_test(tl, test_load_empty);
    suite_add_tcase(s, tl);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virConfSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
