## tests/access/privacy.mk: a tenant cannot learn that other tenants'
## domains exist (public API + test driver + dnpolicy). Included from
## tests/access/local.mk.
check_PROGRAMS += tests/access/privacy_test
tests_access_privacy_test_SOURCES = tests/access/privacy_test.c
tests_access_privacy_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_privacy_test_LDADD = $(CHECK_TEST_LIBS)
TESTS += tests/access/privacy_test
VALGRIND_TESTS += tests/access/privacy_test
