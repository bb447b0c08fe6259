## tests/conf/local.mk: the domain XML parser and formatter.
check_PROGRAMS += tests/conf/domain_conf_test
tests_conf_domain_conf_test_SOURCES = tests/conf/domain_conf_test.c
tests_conf_domain_conf_test_CFLAGS = $(CHECK_TEST_CFLAGS)
# Only the two modules it exercises, so it builds while other modules are in progress.
tests_conf_domain_conf_test_LDADD = libtenvirt_conf.a libtenvirt_util.a \
	$(LIBXML_LIBS) $(CHECK_LIBS) -lpthread
TESTS += tests/conf/domain_conf_test
VALGRIND_TESTS += tests/conf/domain_conf_test
EXTRA_DIST += \
	tests/conf/data/minimal.xml tests/conf/data/minimal-out.xml \
	tests/conf/data/full.xml tests/conf/data/full-out.xml \
	tests/conf/data/full-secure-out.xml tests/conf/data/node.xml \
	tests/conf/data/entity-canary.txt
