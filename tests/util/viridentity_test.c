/*
 * viridentity_test.c: client identities, the per-thread current identity,
 * reference counting and the system identity.
 */
#include <config.h>

#include <check.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "viridentity.h"
#include "virx509dn.h"

static char *
testFormat(const virIdentity *id)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;

    virIdentityFormat(id, &buf);
    return virBufferContentAndReset(&buf);
}

START_TEST(test_new_is_empty)
{
    virIdentity *id = virIdentityNew();

    ck_assert_int_eq(virIdentityGetTransport(id), VIR_IDENTITY_TRANSPORT_LOCAL);
    ck_assert_ptr_null(virIdentityGetX509DName(id));
    ck_assert_ptr_null(virIdentityGetX509DNameNormalized(id));
    ck_assert_ptr_null(virIdentityGetSASLUserName(id));
    ck_assert_ptr_null(virIdentityGetUNIXUserName(id));
    ck_assert_ptr_null(virIdentityGetUNIXGroupName(id));
    ck_assert_ptr_nonnull(virIdentityGetUNIXGroupNames(id));
    ck_assert_ptr_null(virIdentityGetUNIXGroupNames(id)[0]);
    ck_assert_int_eq(virIdentityGetUNIXUserID(id), -1);
    ck_assert_int_eq(virIdentityGetUNIXGroupID(id), -1);
    ck_assert_int_eq(virIdentityGetProcessID(id), -1);
    ck_assert_ptr_null(virIdentityGetClientAddress(id));
    ck_assert(!virIdentityGetReadOnly(id));
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_setters)
{
    virIdentity *id = virIdentityNew();
    char *const *groups;

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetSASLUserName(id, "alice@EXAMPLE.COM");
    virIdentitySetSASLUserName(id, "bob");          /* replaces, no leak */
    virIdentitySetUNIXUser(id, 1000, "bob");
    virIdentityAddUNIXGroupName(id, "wheel");
    virIdentityAddUNIXGroupName(id, "kvm");
    virIdentityAddUNIXGroupName(id, "wheel");       /* once only */
    virIdentitySetUNIXGroup(id, 100, "kvm");        /* primary moves first */
    virIdentitySetProcessID(id, 4242);
    virIdentitySetClientAddress(id, "192.0.2.7;50123");
    virIdentitySetReadOnly(id, true);

    ck_assert_int_eq(virIdentityGetTransport(id), VIR_IDENTITY_TRANSPORT_TLS);
    ck_assert_str_eq(virIdentityGetSASLUserName(id), "bob");
    ck_assert_int_eq(virIdentityGetUNIXUserID(id), 1000);
    ck_assert_str_eq(virIdentityGetUNIXUserName(id), "bob");
    ck_assert_int_eq(virIdentityGetUNIXGroupID(id), 100);
    ck_assert_str_eq(virIdentityGetUNIXGroupName(id), "kvm");
    groups = virIdentityGetUNIXGroupNames(id);
    ck_assert_str_eq(groups[0], "kvm");
    ck_assert_str_eq(groups[1], "wheel");
    ck_assert_ptr_null(groups[2]);
    ck_assert_int_eq(virIdentityGetProcessID(id), 4242);
    ck_assert_str_eq(virIdentityGetClientAddress(id), "192.0.2.7;50123");
    ck_assert(virIdentityGetReadOnly(id));
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_x509_dn)
{
    virIdentity *a = virIdentityNew();
    virIdentity *b = virIdentityNew();
    virIdentity *bad = virIdentityNew();
    VIR_AUTOFREE(char *) expect = NULL;
    char *err = NULL;

    virIdentitySetX509DName(a, "CN=customer1,O=Example ISP,C=GB");
    virIdentitySetX509DName(b, "/C=GB/O=Example ISP/CN=customer1");
    ck_assert_str_eq(virIdentityGetX509DName(a), "CN=customer1,O=Example ISP,C=GB");
    ck_assert_str_eq(virIdentityGetX509DName(b), "/C=GB/O=Example ISP/CN=customer1");
    /* Both spellings are kept as given and share one normal form. */
    expect = virX509DNNormalize("CN=customer1,O=Example ISP,C=GB", &err);
    ck_assert_msg(expect != NULL, "%s", err);
    ck_assert_str_eq(virIdentityGetX509DNameNormalized(a), expect);
    ck_assert_str_eq(virIdentityGetX509DNameNormalized(b), expect);

    /* A DN that does not parse keeps no normal form. */
    virIdentitySetX509DName(bad, "this is not a DN");
    ck_assert_str_eq(virIdentityGetX509DName(bad), "this is not a DN");
    ck_assert_ptr_null(virIdentityGetX509DNameNormalized(bad));

    virIdentitySetX509DName(a, NULL);
    ck_assert_ptr_null(virIdentityGetX509DName(a));
    ck_assert_ptr_null(virIdentityGetX509DNameNormalized(a));
    virIdentityUnref(a);
    virIdentityUnref(b);
    virIdentityUnref(bad);
}
END_TEST

START_TEST(test_transport_names)
{
    static const char *const names[] = { "local", "unix", "tcp", "tls" };
    int i;

    for (i = 0; i < VIR_IDENTITY_TRANSPORT_LAST; i++) {
        ck_assert_str_eq(virIdentityTransportTypeToString(i), names[i]);
        ck_assert_int_eq(virIdentityTransportTypeFromString(names[i]), i);
    }
    ck_assert_ptr_null(virIdentityTransportTypeToString(VIR_IDENTITY_TRANSPORT_LAST));
    ck_assert_int_eq(virIdentityTransportTypeFromString("ssh"), -1);
    ck_assert_int_eq(virIdentityTransportTypeFromString("TLS"), -1);
}
END_TEST

START_TEST(test_format)
{
    virIdentity *id = virIdentityNew();
    VIR_AUTOFREE(char *) empty = testFormat(id);
    VIR_AUTOFREE(char *) full = NULL;
    VIR_AUTOFREE(char *) expect = NULL;

    ck_assert_str_eq(empty, "transport=local");

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetX509DName(id, "CN=customer1,O=Example ISP,C=GB");
    virIdentitySetSASLUserName(id, "alice");
    virIdentitySetUNIXUser(id, 1000, "alice");
    virIdentitySetUNIXGroup(id, 100, "users");
    virIdentitySetProcessID(id, 42);
    virIdentitySetClientAddress(id, "192.0.2.7;50123");
    virIdentitySetReadOnly(id, true);
    full = testFormat(id);
    expect = virPrintf("transport=tls dn=\"%s\" sasl=\"alice\" uid=1000 user=alice gid=100 "
                       "pid=42 addr=192.0.2.7;50123 readonly",
                       virIdentityGetX509DNameNormalized(id));
    ck_assert_str_eq(full, expect);
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_refcount)
{
    virIdentity *id = virIdentityNew();

    ck_assert_ptr_eq(virIdentityRef(id), id);
    ck_assert_ptr_eq(virIdentityRef(id), id);
    virIdentityUnref(id);
    virIdentityUnref(id);
    /* Still alive: one reference left (valgrind would flag a use after free). */
    virIdentitySetSASLUserName(id, "still here");
    ck_assert_str_eq(virIdentityGetSASLUserName(id), "still here");
    virIdentityUnref(id);
    virIdentityUnref(NULL);
    ck_assert_ptr_null(virIdentityRef(NULL));
}
END_TEST

START_TEST(test_system_identity)
{
    virIdentity *sys = virIdentityGetSystem();
    virIdentity *again = virIdentityGetSystem();
    struct passwd *pw = getpwuid(getuid());
    struct group *gr;

    ck_assert_ptr_eq(sys, again);
    ck_assert_int_eq(virIdentityGetTransport(sys), VIR_IDENTITY_TRANSPORT_LOCAL);
    ck_assert_int_eq(virIdentityGetUNIXUserID(sys), getuid());
    ck_assert_int_eq(virIdentityGetUNIXGroupID(sys), getgid());
    ck_assert_int_eq(virIdentityGetProcessID(sys), getpid());
    if (pw)
        ck_assert_str_eq(virIdentityGetUNIXUserName(sys), pw->pw_name);
    if ((gr = getgrgid(getgid())))
        ck_assert_str_eq(virIdentityGetUNIXGroupName(sys), gr->gr_name);
    /* The current identity of a thread that set none. */
    virIdentitySetCurrent(NULL);
    ck_assert_ptr_eq(virIdentityGetCurrent(), sys);
    virIdentityUnref(sys);
    virIdentityUnref(again);
}
END_TEST

START_TEST(test_fill_unix)
{
    virIdentity *id = virIdentityNew();
    struct passwd *pw = getpwuid(0);

    ck_assert_int_eq(virIdentityFillUNIXFromUID(id, 0, 0), 0);
    ck_assert_int_eq(virIdentityGetUNIXUserID(id), 0);
    ck_assert_int_eq(virIdentityGetUNIXGroupID(id), 0);
    if (pw)
        ck_assert_str_eq(virIdentityGetUNIXUserName(id), pw->pw_name);
    virIdentityUnref(id);
}
END_TEST

typedef struct {
    virIdentity *mine;
    const virIdentity *seenBefore;
    const virIdentity *seenAfter;
    const char *seenUser;
    pthread_barrier_t *barrier;
} testThreadData;

static void *
testThreadBody(void *opaque)
{
    testThreadData *data = opaque;

    data->seenBefore = virIdentityGetCurrent();
    virIdentitySetCurrent(data->mine);
    /* Both threads have set theirs before either looks again. */
    pthread_barrier_wait(data->barrier);
    data->seenAfter = virIdentityGetCurrent();
    data->seenUser = virIdentityGetSASLUserName(virIdentityGetCurrent());
    pthread_barrier_wait(data->barrier);
    virIdentitySetCurrent(NULL);    /* drop our reference before exiting */
    return NULL;
}

START_TEST(test_current_per_thread)
{
    pthread_barrier_t barrier;
    testThreadData data[2] = { { 0 } };
    pthread_t thr[2];
    virIdentity *sys = virIdentityGetSystem();
    virIdentity *mainId = virIdentityNew();
    size_t i;

    virIdentitySetSASLUserName(mainId, "main");
    virIdentitySetCurrent(mainId);
    pthread_barrier_init(&barrier, NULL, 2);
    for (i = 0; i < 2; i++) {
        data[i].mine = virIdentityNew();
        virIdentitySetSASLUserName(data[i].mine, i == 0 ? "alice" : "bob");
        data[i].barrier = &barrier;
        ck_assert_int_eq(pthread_create(&thr[i], NULL, testThreadBody, &data[i]), 0);
    }
    for (i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_join(thr[i], NULL), 0);
    pthread_barrier_destroy(&barrier);

    for (i = 0; i < 2; i++) {
        /* A new thread starts as the system identity, not its creator's. */
        ck_assert_ptr_eq(data[i].seenBefore, sys);
        ck_assert_ptr_eq(data[i].seenAfter, data[i].mine);
        ck_assert_str_eq(data[i].seenUser, i == 0 ? "alice" : "bob");
        virIdentityUnref(data[i].mine);
    }
    ck_assert_ptr_eq(virIdentityGetCurrent(), mainId);

    /* The current identity holds its own reference. */
    virIdentityUnref(mainId);
    ck_assert_str_eq(virIdentityGetSASLUserName(virIdentityGetCurrent()), "main");
    virIdentitySetCurrent(NULL);
    ck_assert_ptr_eq(virIdentityGetCurrent(), sys);
    virIdentityUnref(sys);
}
END_TEST

START_TEST(test_set_current_same)
{
    virIdentity *id = virIdentityNew();

    /* Setting the identity that is already current must not free it. */
    virIdentitySetCurrent(id);
    virIdentityUnref(id);
    virIdentitySetCurrent((virIdentity *)virIdentityGetCurrent());
    ck_assert_ptr_eq(virIdentityGetCurrent(), id);
    virIdentitySetCurrent(NULL);
}
END_TEST

START_TEST(test_copy)
{
    virIdentity *src = virIdentityNew();
    virIdentity *copy;
    virBuffer a = VIR_BUFFER_INITIALIZER;
    virBuffer b = VIR_BUFFER_INITIALIZER;
    char *fa, *fb;

    virIdentitySetTransport(src, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetX509DName(src, "CN=customer1,O=Example ISP,C=GB");
    virIdentitySetSASLUserName(src, "alice");
    virIdentitySetUNIXUser(src, 1000, "alice");
    virIdentitySetUNIXGroup(src, 100, "users");
    virIdentityAddUNIXGroupName(src, "wheel");
    virIdentitySetClientAddress(src, "127.0.0.1;4000");
    copy = virIdentityCopy(src);
    virIdentitySetReadOnly(copy, true);

    ck_assert(!virIdentityGetReadOnly(src));
    ck_assert(virIdentityGetReadOnly(copy));
    ck_assert_str_eq(virIdentityGetX509DNameNormalized(copy),
                     virIdentityGetX509DNameNormalized(src));
    ck_assert_str_eq(virIdentityGetUNIXGroupName(copy), "users");
    ck_assert_str_eq(virIdentityGetUNIXGroupNames(copy)[1], "wheel");
    ck_assert_ptr_null(virIdentityGetUNIXGroupNames(copy)[2]);
    virIdentityFormat(src, &a);
    virIdentitySetReadOnly(copy, false);
    virIdentityFormat(copy, &b);
    fa = virBufferContentAndReset(&a);
    fb = virBufferContentAndReset(&b);
    ck_assert_str_eq(fa, fb);
    free(fa);
    free(fb);
    virIdentityUnref(src);
    virIdentityUnref(copy);
}
END_TEST

static Suite *
virIdentitySuite(void)
{
    Suite *s = suite_create("viridentity");
    TCase *tc = tcase_create("viridentity");

    tcase_add_test(tc, test_new_is_empty);
    tcase_add_test(tc, test_setters);
    tcase_add_test(tc, test_x509_dn);
    tcase_add_test(tc, test_transport_names);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_refcount);
    tcase_add_test(tc, test_system_identity);
    tcase_add_test(tc, test_fill_unix);
    tcase_add_test(tc, test_current_per_thread);
    tcase_add_test(tc, test_set_current_same);
    tcase_add_test(tc, test_copy);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virIdentitySuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
