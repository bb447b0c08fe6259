## tests/access/dnpolicy.mk: DN normalisation, the dnpolicy language, its
## decisions and the tenvirt-acl tool. Included from tests/access/local.mk.
dnpolicy_tests = \
	tests/access/x509dn_test \
	tests/access/policyparse_test \
	tests/access/policydecide_test
check_PROGRAMS += $(dnpolicy_tests)
TESTS += $(dnpolicy_tests) tests/access/tenvirt-acl-test.sh
VALGRIND_TESTS += $(dnpolicy_tests)

# Only the modules under test, so these build while other modules are
# still being written (and a link error points at the right module).
DNPOLICY_TEST_LIBS = libtenvirt_access.a libtenvirt_util.a $(CHECK_LIBS) -lpthread

tests_access_x509dn_test_SOURCES = tests/access/x509dn_test.c
tests_access_x509dn_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_x509dn_test_LDADD = libtenvirt_util.a $(CHECK_LIBS) -lpthread

tests_access_policyparse_test_SOURCES = tests/access/policyparse_test.c
tests_access_policyparse_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_policyparse_test_LDADD = $(DNPOLICY_TEST_LIBS)

tests_access_policydecide_test_SOURCES = tests/access/policydecide_test.c
tests_access_policydecide_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_access_policydecide_test_LDADD = $(DNPOLICY_TEST_LIBS)

EXTRA_DIST += \
	tests/access/tenvirt-acl-test.sh \
	tests/access/data/dnpolicy/example.conf \
	tests/access/data/dnpolicy/broken.conf
