## tests/test/local.mk: the public API over the test driver, and tvsh.

check_PROGRAMS += tests/test/test_driver_test
tests_test_test_driver_test_SOURCES = tests/test/test_driver_test.c
tests_test_test_driver_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_test_test_driver_test_LDADD = $(CHECK_TEST_LIBS)
TESTS += tests/test/test_driver_test
VALGRIND_TESTS += tests/test/test_driver_test

# tvsh against test:///default and a node file (needs tools/tvsh built).
TESTS += tests/test/tvsh_test.sh

EXTRA_DIST += \
	tests/test/tvsh_test.sh \
	tests/test/data/node-customers.xml \
	tests/test/data/cust1-db.xml \
	tests/test/data/node-minimal.xml \
	tests/test/data/node-transient.xml \
	tests/test/data/node-bad-root.xml \
	tests/test/data/node-bad-xml.xml \
	tests/test/data/node-bad-duplicate.xml \
	tests/test/data/node-bad-runstate.xml \
	tests/test/data/node-bad-domain.xml \
	tests/test/data/node-bad-cpu.xml \
	tests/test/data/node-bad-file.xml \
	tests/test/data/tvsh-new.xml
