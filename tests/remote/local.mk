## tests/remote/local.mk: the remote driver.
##
## remote_uri_test and remote_event_test need no daemon. remote_test.sh
## starts a private libvirtd on loopback and runs remote_api_test against
## it (the binary alone has no daemon to talk to, so it is a check program
## but not a test of its own). Under valgrind:
##   REMOTE_TEST_WRAPPER="valgrind --leak-check=full --error-exitcode=99" \
##     bash tests/remote/remote_test.sh   (from the build directory)

REMOTE_TEST_UNIT_LIBS = libtenvirt_remote.a $(CHECK_TEST_LIBS)

check_PROGRAMS += tests/remote/remote_uri_test
tests_remote_remote_uri_test_SOURCES = tests/remote/remote_uri_test.c
tests_remote_remote_uri_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_remote_remote_uri_test_LDADD = $(REMOTE_TEST_UNIT_LIBS)
TESTS += tests/remote/remote_uri_test
VALGRIND_TESTS += tests/remote/remote_uri_test

check_PROGRAMS += tests/remote/remote_event_test
tests_remote_remote_event_test_SOURCES = tests/remote/remote_event_test.c
tests_remote_remote_event_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_remote_remote_event_test_LDADD = $(REMOTE_TEST_UNIT_LIBS)
TESTS += tests/remote/remote_event_test
VALGRIND_TESTS += tests/remote/remote_event_test

check_PROGRAMS += tests/remote/remote_api_test
tests_remote_remote_api_test_SOURCES = tests/remote/remote_api_test.c
tests_remote_remote_api_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_remote_remote_api_test_LDADD = $(CHECK_TEST_LIBS)

TESTS += tests/remote/remote_test.sh
EXTRA_DIST += tests/remote/remote_test.sh
