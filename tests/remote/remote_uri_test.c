/*
 * remote_uri_test.c: which URIs the remote driver claims, and the name it
 * sends in CONNECT_OPEN for them. No daemon needed.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "remote/remote_driver.h"
#include "viruri.h"

static void
checkName(const char *uri, const char *want)
{
    virURI *parsed = virURIParse(uri);
    char *got;

    ck_assert_msg(parsed != NULL, "cannot parse %s", uri);
    got = remoteServerName(parsed);
    if (want)
        ck_assert_msg(got && strcmp(got, want) == 0, "%s: want '%s', got '%s'",
                      uri, want, got ? got : "(null)");
    else
        ck_assert_msg(got == NULL, "%s: want NULL, got '%s'", uri, got);
    free(got);
    virURIFree(parsed);
}

START_TEST(test_server_name)
{
    checkName("test+tcp://127.0.0.1:16509/default", "test:///default");
    checkName("test+tcp://h/default", "test:///default");
    checkName("test://host.example/default", "test:///default");
    checkName("test+tls://root@host:1234/default?pkipath=/etc/pki&no_verify=1",
              "test:///default");
    checkName("test+unix:///default?socket=/tmp/x/libvirt-sock", "test:///default");
    checkName("test+tcp://h:1/srv/hosts/node.xml", "test:///srv/hosts/node.xml");
    checkName("qemu+tls://h/system?tls_priority=NORMAL&mode=direct", "qemu:///system");
    /* Parameters the client does not know are the server's business. */
    checkName("qemu+tcp://h/system?socket=/s&virtqemud=1", "qemu:///system?virtqemud=1");
    checkName("test+tcp://h", "test:///");
    /* name= overrides; remote:// lets the server choose. */
    checkName("test+tcp://h/default?name=test:///other", "test:///other");
    checkName("remote://h/", NULL);
    checkName("remote+unix:///", NULL);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("remote_uri");
    TCase *tc = tcase_create("name");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_server_name);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
