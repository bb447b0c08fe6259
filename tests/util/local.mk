## tests/util/local.mk: Check unit tests of src/util and the daemon configuration.
##
## These link only the libraries they test (not all of TENVIRT_LIBS), so the
## foundation can be tested while the rest of the tree is still being built.

TESTS_UTIL_LIBS = libtenvirt_util.a $(GNUTLS_LIBS) $(CHECK_LIBS) -lpthread

TESTS_UTIL_LIST = \
	tests/util/virconf_test \
	tests/util/daemonconf_test \
	tests/util/virbuffer_test \
	tests/util/viruuid_test \
	tests/util/virhash_test \
	tests/util/virerror_test \
	tests/util/viridentity_test \
	tests/util/virlog_test

check_PROGRAMS += $(TESTS_UTIL_LIST)
TESTS += $(TESTS_UTIL_LIST)
VALGRIND_TESTS += $(TESTS_UTIL_LIST)

tests_util_virconf_test_SOURCES = tests/util/virconf_test.c
tests_util_virconf_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_virconf_test_LDADD = $(TESTS_UTIL_LIBS)

tests_util_daemonconf_test_SOURCES = tests/util/daemonconf_test.c
tests_util_daemonconf_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_daemonconf_test_LDADD = libtenvirt_conf.a $(TESTS_UTIL_LIBS) $(LIBXML_LIBS)

tests_util_virbuffer_test_SOURCES = tests/util/virbuffer_test.c
tests_util_virbuffer_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_virbuffer_test_LDADD = $(TESTS_UTIL_LIBS)

tests_util_viruuid_test_SOURCES = tests/util/viruuid_test.c
tests_util_viruuid_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_viruuid_test_LDADD = $(TESTS_UTIL_LIBS)

tests_util_virhash_test_SOURCES = tests/util/virhash_test.c
tests_util_virhash_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_virhash_test_LDADD = $(TESTS_UTIL_LIBS)

tests_util_virerror_test_SOURCES = tests/util/virerror_test.c
tests_util_virerror_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_virerror_test_LDADD = $(TESTS_UTIL_LIBS)

tests_util_viridentity_test_SOURCES = tests/util/viridentity_test.c
tests_util_viridentity_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_viridentity_test_LDADD = $(TESTS_UTIL_LIBS)

tests_util_virlog_test_SOURCES = tests/util/virlog_test.c
tests_util_virlog_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_util_virlog_test_LDADD = $(TESTS_UTIL_LIBS)

EXTRA_DIST += \
	tests/util/data/virconf-valid.conf \
	tests/util/data/virconf-errors.conf \
	tests/util/data/tenvirtd-sample.conf \
	tests/util/data/tenvirtd-invalid.conf
