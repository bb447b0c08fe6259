/*
 * virerror_test.c: error messages, the per-thread last error, save/restore.
 */
#include <config.h>

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

static void
testSetup(void)
{
    virResetLastError();
}

static const struct {
    int code;
    const char *detail;
    const char *message;
} prefixes[] = {
    { VIR_ERR_NO_DOMAIN, "x", "Domain not found: x" },
    { VIR_ERR_INTERNAL_ERROR, "boom", "internal error: boom" },
    { VIR_ERR_ACCESS_DENIED, "'domain:start' on 'web1'", "access denied: 'domain:start' on 'web1'" },
    { VIR_ERR_OPERATION_DENIED, "read-only", "operation forbidden: read-only" },
    { VIR_ERR_OPERATION_INVALID, "domain is not running",
      "Requested operation is not valid: domain is not running" },
    { VIR_ERR_CONF_SYNTAX, "f.conf:1: oops", "configuration file syntax error: f.conf:1: oops" },
    { VIR_ERR_INVALID_ARG, "flags", "invalid argument: flags" },
    { VIR_ERR_NO_SUPPORT, "virDomainFoo",
      "this function is not supported by the connection driver: virDomainFoo" },
    { VIR_ERR_XML_DETAIL, "line 3: bad", "line 3: bad" },     /* no prefix */
    { VIR_ERR_RPC, "short read", "short read" },
    { 9999, "what", "unknown error: what" },
};

START_TEST(test_prefix)
{
    virErrorPtr err;

    virReportError(prefixes[_i].code, "%s", prefixes[_i].detail);
    err = virGetLastError();
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, prefixes[_i].code);
    ck_assert_int_eq(err->domain, VIR_FROM_DOMAIN);
    ck_assert_int_eq(err->level, VIR_ERR_ERROR);
    ck_assert_str_eq(err->message, prefixes[_i].message);
    ck_assert_str_eq(virGetLastErrorMessage(), prefixes[_i].message);
    ck_assert_int_eq(virGetLastErrorCode(), prefixes[_i].code);
}
END_TEST

START_TEST(test_format_args)
{
    virReportError(VIR_ERR_NO_DOMAIN, "no domain with matching name '%s' (id %d)", "web1", 7);
    ck_assert_str_eq(virGetLastErrorMessage(),
                     "Domain not found: no domain with matching name 'web1' (id 7)");
}
END_TEST

START_TEST(test_bare_code)
{
    /* Through a pointer: a NULL format is allowed here, but the printf
     * attribute would (rightly, elsewhere) warn about it. */
    void (*report)(int, int, const char *, const char *, size_t, const char *, ...) =
        virReportErrorFull;

    report(VIR_FROM_CONF, VIR_ERR_OPERATION_INVALID, __FILE__, __func__, __LINE__, NULL);
    ck_assert_str_eq(virGetLastErrorMessage(), "Requested operation is not valid");
    ck_assert_int_eq(virGetLastError()->domain, VIR_FROM_CONF);
}
END_TEST

START_TEST(test_system_error)
{
    VIR_AUTOFREE(char *) expect = virPrintf("cannot open '/x': %s", strerror(ENOENT));
    virErrorPtr err;

    errno = 0;
    virReportSystemError(ENOENT, "cannot open '%s'", "/x");
    err = virGetLastError();
    ck_assert_int_eq(err->code, VIR_ERR_SYSTEM_ERROR);
    ck_assert_str_eq(err->message, expect);
}
END_TEST

START_TEST(test_reset)
{
    ck_assert_ptr_null(virGetLastError());
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_OK);
    ck_assert_str_eq(virGetLastErrorMessage(), "no error");

    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "a");
    virReportError(VIR_ERR_NO_DOMAIN, "%s", "b");   /* the later one wins */
    ck_assert_str_eq(virGetLastErrorMessage(), "Domain not found: b");
    virResetLastError();
    ck_assert_ptr_null(virGetLastError());
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_OK);
    virResetLastError();                            /* twice is fine */
    virResetError(NULL);
}
END_TEST

static void *
testThreadBody(void *opaque)
{
    char **seen = opaque;

    /* A new thread starts with no error and cannot see the creator's. */
    seen[0] = virStrdup(virGetLastError() ? virGetLastErrorMessage() : "none");
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "from the thread");
    seen[1] = virStrdup(virGetLastErrorMessage());
    virResetLastError();
    return NULL;
}

START_TEST(test_thread_local)
{
    pthread_t thr;
    char *seen[2] = { NULL, NULL };

    virReportError(VIR_ERR_NO_DOMAIN, "%s", "main");
    ck_assert_int_eq(pthread_create(&thr, NULL, testThreadBody, seen), 0);
    ck_assert_int_eq(pthread_join(thr, NULL), 0);
    ck_assert_str_eq(seen[0], "none");
    ck_assert_str_eq(seen[1], "internal error: from the thread");
    ck_assert_str_eq(virGetLastErrorMessage(), "Domain not found: main");
    free(seen[0]);
    free(seen[1]);
}
END_TEST

START_TEST(test_preserve_restore)
{
    virErrorPtr saved = NULL;

    virReportError(VIR_ERR_NO_DOMAIN, "%s", "original");
    virErrorPreserveLast(&saved);
    ck_assert_ptr_nonnull(saved);
    ck_assert_ptr_null(virGetLastError());          /* cleared for the cleanup code */

    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "during cleanup");
    virErrorRestore(&saved);
    ck_assert_ptr_null(saved);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
    ck_assert_str_eq(virGetLastErrorMessage(), "Domain not found: original");
    ck_assert_int_eq(virGetLastError()->domain, VIR_FROM_DOMAIN);
}
END_TEST

START_TEST(test_preserve_nothing)
{
    virErrorPtr saved = NULL;

    virErrorPreserveLast(&saved);
    ck_assert_ptr_null(saved);
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "later");
    /* Nothing was saved: the later error stays. */
    virErrorRestore(&saved);
    ck_assert_str_eq(virGetLastErrorMessage(), "internal error: later");
}
END_TEST

START_TEST(test_copy_and_save)
{
    virError copy;
    virErrorPtr saved;

    ck_assert_int_eq(virCopyLastError(&copy), VIR_ERR_OK);
    ck_assert_ptr_null(copy.message);
    ck_assert_ptr_null(virSaveLastError());

    virReportError(VIR_ERR_ACCESS_DENIED, "%s", "no");
    ck_assert_int_eq(virCopyLastError(&copy), VIR_ERR_ACCESS_DENIED);
    saved = virSaveLastError();
    virResetLastError();
    /* Deep copies: they outlive the last error. */
    ck_assert_str_eq(copy.message, "access denied: no");
    ck_assert_int_eq(copy.domain, VIR_FROM_DOMAIN);
    ck_assert_str_eq(saved->message, "access denied: no");
    ck_assert_int_eq(saved->code, VIR_ERR_ACCESS_DENIED);
    virResetError(&copy);
    ck_assert_ptr_null(copy.message);
    ck_assert_int_eq(copy.code, 0);
    virFreeError(saved);
    virFreeError(NULL);
}
END_TEST

START_TEST(test_set_error)
{
    virErrorPtr err;

    virSetError(VIR_FROM_REMOTE, VIR_ERR_NO_DOMAIN, VIR_ERR_ERROR,
                "Domain not found: from the wire", "s1", NULL, "s3", 1, 2);
    err = virGetLastError();
    ck_assert_int_eq(err->domain, VIR_FROM_REMOTE);
    ck_assert_str_eq(err->message, "Domain not found: from the wire");
    ck_assert_str_eq(err->str1, "s1");
    ck_assert_ptr_null(err->str2);
    ck_assert_str_eq(err->str3, "s3");
    ck_assert_int_eq(err->int1, 1);
    ck_assert_int_eq(err->int2, 2);

    /* No message: the code's text stands in. */
    virSetError(VIR_FROM_REMOTE, VIR_ERR_RPC, VIR_ERR_ERROR, NULL, NULL, NULL, NULL, 0, 0);
    ck_assert_str_eq(virGetLastErrorMessage(), "RPC error");
}
END_TEST

START_TEST(test_ensure_set)
{
    virErrorEnsureSet();
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INTERNAL_ERROR);
    ck_assert(strncmp(virGetLastErrorMessage(), "internal error: ", 16) == 0);

    virReportError(VIR_ERR_NO_DOMAIN, "%s", "kept");
    virErrorEnsureSet();
    ck_assert_str_eq(virGetLastErrorMessage(), "Domain not found: kept");
}
END_TEST

START_TEST(test_code_text)
{
    ck_assert_str_eq(virErrorCodeText(VIR_ERR_NO_DOMAIN, false), "Domain not found");
    ck_assert_str_eq(virErrorCodeText(VIR_ERR_XML_ERROR, false),
                     "XML description is invalid or not well formed");
    ck_assert_str_eq(virErrorCodeText(VIR_ERR_XML_ERROR, true), "XML error");
    ck_assert_str_eq(virErrorCodeText(VIR_ERR_SYSTEM_ERROR, true), "");
    ck_assert_str_eq(virErrorCodeText(12345, false), "unknown error");
}
END_TEST

static Suite *
virErrorSuite(void)
{
    Suite *s = suite_create("virerror");
    TCase *tc = tcase_create("virerror");

    tcase_add_checked_fixture(tc, testSetup, testSetup);
    tcase_add_loop_test(tc, test_prefix, 0, sizeof(prefixes) / sizeof(prefixes[0]));
    tcase_add_test(tc, test_format_args);
    tcase_add_test(tc, test_bare_code);
    tcase_add_test(tc, test_system_error);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_thread_local);
    tcase_add_test(tc, test_preserve_restore);
    tcase_add_test(tc, test_preserve_nothing);
    tcase_add_test(tc, test_copy_and_save);
    tcase_add_test(tc, test_set_error);
    tcase_add_test(tc, test_ensure_set);
    tcase_add_test(tc, test_code_text);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virErrorSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
