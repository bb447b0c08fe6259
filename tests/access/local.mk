## tests/access: unit tests of the access framework.
check_PROGRAMS += tests/access/perm_test tests/access/manager_test
tests_access_perm_test_SOURCES = tests/access/perm_test.c
tests_access_perm_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_perm_test_LDADD = $(ACCESS_TEST_LIBS)
tests_access_manager_test_SOURCES = tests/access/manager_test.c
tests_access_manager_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_manager_test_LDADD = $(ACCESS_TEST_LIBS)
TESTS += tests/access/perm_test tests/access/manager_test
VALGRIND_TESTS += tests/access/perm_test tests/access/manager_test

# The per-list domain filter: the same answers as per-domain checks.
check_PROGRAMS += tests/access/filter_test
tests_access_filter_test_SOURCES = tests/access/filter_test.c
tests_access_filter_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_filter_test_LDADD = $(ACCESS_TEST_LIBS)
TESTS += tests/access/filter_test
VALGRIND_TESTS += tests/access/filter_test

# Every hypervisor-driver method calls its own access check, and no other.
TESTS += tests/access/check-driver-acl.py
EXTRA_DIST += tests/access/check-driver-acl.py

include tests/access/dnpolicy.mk
include tests/access/privacy.mk
