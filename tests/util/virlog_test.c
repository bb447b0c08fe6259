/*
 * virlog_test.c: priorities, output strings and callback outputs.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virlog.h"

VIR_LOG_INIT("tests.log");

/* Every callback line as "PRIO|SOURCE|LINE\n". */
static void
testCapture(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    virBuffer *buf = opaque;

    virBufferAsprintf(buf, "%d|%s|%s\n", prio, source, line);
}

static void
testSetup(void)
{
    virLogReset();
    ck_assert_int_eq(virLogSetOutputs(""), 0);  /* keep stderr quiet */
    virResetLastError();
}

static void
testTeardown(void)
{
    virLogReset();
    virResetLastError();
}

static char *
testReadFile(const char *path)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    char chunk[4096];
    ssize_t n;
    int fd = open(path, O_RDONLY);

    ck_assert_int_ge(fd, 0);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        virBufferAdd(&buf, chunk, n);
    close(fd);
    return virBufferContentAndReset(&buf);
}

START_TEST(test_priority_names)
{
    ck_assert_str_eq(virLogPriorityString(VIR_LOG_DEBUG), "debug");
    ck_assert_str_eq(virLogPriorityString(VIR_LOG_INFO), "info");
    ck_assert_str_eq(virLogPriorityString(VIR_LOG_WARN), "warning");
    ck_assert_str_eq(virLogPriorityString(VIR_LOG_ERROR), "error");
    ck_assert_str_eq(virLogPriorityString(0), "unknown");
    ck_assert_str_eq(virLogPriorityString(5), "unknown");
}
END_TEST

START_TEST(test_default_priority)
{
    ck_assert_int_eq(virLogGetDefaultPriority(), VIR_LOG_WARN);
    ck_assert_int_eq(virLogSetDefaultPriority(VIR_LOG_DEBUG), 0);
    ck_assert_int_eq(virLogGetDefaultPriority(), VIR_LOG_DEBUG);
    ck_assert_int_eq(virLogSetDefaultPriority(VIR_LOG_ERROR), 0);
    ck_assert_int_eq(virLogGetDefaultPriority(), VIR_LOG_ERROR);

    ck_assert_int_eq(virLogSetDefaultPriority(0), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    ck_assert_int_eq(virLogSetDefaultPriority(5), -1);
    ck_assert_int_eq(virLogGetDefaultPriority(), VIR_LOG_ERROR);   /* unchanged */

    virLogReset();
    ck_assert_int_eq(virLogGetDefaultPriority(), VIR_LOG_WARN);
}
END_TEST

START_TEST(test_callback_filtering)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) got = NULL;

    virLogAddCallbackOutput(VIR_LOG_INFO, testCapture, &buf);
    /* The default priority (warning) drops info even though the output wants it. */
    VIR_DEBUG("debug %d", 1);
    VIR_INFO("info %d", 1);
    VIR_WARN("warn %d", 1);
    VIR_ERROR("error %d", 1);
    ck_assert(!virLogWouldLog(VIR_LOG_INFO));
    ck_assert(virLogWouldLog(VIR_LOG_WARN));

    ck_assert_int_eq(virLogSetDefaultPriority(VIR_LOG_DEBUG), 0);
    ck_assert(virLogWouldLog(VIR_LOG_INFO));
    ck_assert(!virLogWouldLog(VIR_LOG_DEBUG));      /* no output wants debug */
    VIR_DEBUG("debug %d", 2);
    VIR_INFO("info %d", 2);

    virLogReset();
    got = virBufferContentAndReset(&buf);
    ck_assert_ptr_nonnull(strstr(got, "3|tests.log|"));
    ck_assert_ptr_nonnull(strstr(got, "warn 1\n"));
    ck_assert_ptr_nonnull(strstr(got, "4|tests.log|"));
    ck_assert_ptr_nonnull(strstr(got, "error 1\n"));
    ck_assert_ptr_nonnull(strstr(got, "2|tests.log|"));
    ck_assert_ptr_nonnull(strstr(got, "info 2\n"));
    ck_assert_ptr_null(strstr(got, "info 1"));
    ck_assert_ptr_null(strstr(got, "debug"));
}
END_TEST

START_TEST(test_callback_survives_set_outputs)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) got = NULL;

    virLogAddCallbackOutput(VIR_LOG_WARN, testCapture, &buf);
    ck_assert_int_eq(virLogSetOutputs("4:stderr"), 0);
    VIR_WARN("%s", "after reconfiguring");
    virLogReset();
    got = virBufferContentAndReset(&buf);
    ck_assert_ptr_nonnull(strstr(got, "after reconfiguring"));
}
END_TEST

START_TEST(test_file_output)
{
    char path[] = "/tmp/virlog-test-XXXXXX";
    VIR_AUTOFREE(char *) spec = NULL;
    VIR_AUTOFREE(char *) content = NULL;
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    spec = virPrintf("3:stderr 1:file:%s", path);
    ck_assert_int_eq(virLogSetOutputs("4:stderr"), 0);
    ck_assert_int_eq(virLogSetOutputs(spec), 0);
    ck_assert_int_eq(virLogSetDefaultPriority(VIR_LOG_DEBUG), 0);
    ck_assert(virLogWouldLog(VIR_LOG_DEBUG));
    VIR_DEBUG("to the file %d", 7);
    virLogReset();                  /* closes the file */

    content = testReadFile(path);
    unlink(path);
    ck_assert_ptr_nonnull(strstr(content, "debug : tests.log: to the file 7\n"));
    /* One line per message, time-stamped. */
    ck_assert_int_eq(content[4], '-');
    ck_assert_ptr_eq(strchr(content, '\n'), content + strlen(content) - 1);
}
END_TEST

START_TEST(test_good_outputs)
{
    ck_assert_int_eq(virLogSetOutputs("3:stderr"), 0);
    ck_assert_int_eq(virLogSetOutputs("1:syslog:tenvirtd-test 4:stderr"), 0);
    ck_assert_int_eq(virLogSetOutputs("  2:stderr   3:stderr  "), 0);
    ck_assert_int_eq(virLogSetOutputs("1:file:/dev/null"), 0);
    ck_assert_ptr_null(virGetLastError());
}
END_TEST

static const char *const badOutputs[] = {
    "5:stderr",
    "0:stderr",
    "stderr",
    "3stderr",
    "3:",
    "3:bogus",
    "3:file:",
    "3:syslog:",
    "3:stderr x:stderr",
    "a:stderr",
    "33:stderr",
};

START_TEST(test_bad_outputs)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) got = NULL;

    virLogAddCallbackOutput(VIR_LOG_WARN, testCapture, &buf);
    ck_assert_int_eq(virLogSetOutputs(badOutputs[_i]), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_CONF_SYNTAX);
    ck_assert_msg(strstr(virGetLastErrorMessage(), "log output") != NULL,
                  "message '%s'", virGetLastErrorMessage());
    /* The old outputs stay in force. */
    VIR_WARN("%s", "still logging");
    virLogReset();
    got = virBufferContentAndReset(&buf);
    ck_assert_ptr_nonnull(strstr(got, "still logging"));
}
END_TEST

START_TEST(test_unwritable_file)
{
    ck_assert_int_eq(virLogSetOutputs("1:file:/nonexistent/dir/tenvirtd.log"), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_SYSTEM_ERROR);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "/nonexistent/dir/tenvirtd.log"));
}
END_TEST

START_TEST(test_errno_preserved)
{
    errno = 1234;
    VIR_ERROR("%s", "does not clobber errno");
    ck_assert_int_eq(errno, 1234);
}
END_TEST

static Suite *
virLogSuite(void)
{
    Suite *s = suite_create("virlog");
    TCase *tc = tcase_create("virlog");

    tcase_add_checked_fixture(tc, testSetup, testTeardown);
    tcase_add_test(tc, test_priority_names);
    tcase_add_test(tc, test_default_priority);
    tcase_add_test(tc, test_callback_filtering);
    tcase_add_test(tc, test_callback_survives_set_outputs);
    tcase_add_test(tc, test_file_output);
    tcase_add_test(tc, test_good_outputs);
    tcase_add_loop_test(tc, test_bad_outputs, 0, sizeof(badOutputs) / sizeof(badOutputs[0]));
    tcase_add_test(tc, test_unwritable_file);
    tcase_add_test(tc, test_errno_preserved);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virLogSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
