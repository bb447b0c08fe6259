## tests/sasl/local.mk: SASL authentication (issue 4): a Check unit test
## of the pieces (auth.conf, the throttle, cyrus-sasl negotiation in one
## process) and script tests with a real tenvirtd on loopback, stock
## virsh, python3-libvirt and tvsh over TCP (DIGEST-MD5 with its security
## layer) and TLS (SCRAM-SHA-256), plus tvsh against a real libvirtd.

check_PROGRAMS += tests/sasl/sasl_unit_test
tests_sasl_sasl_unit_test_SOURCES = tests/sasl/sasl_unit_test.c
tests_sasl_sasl_unit_test_CPPFLAGS = $(DAEMON_CPPFLAGS)
tests_sasl_sasl_unit_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_sasl_sasl_unit_test_LDADD = libtenvirt_daemon.a $(TENVIRT_LIBS) $(CHECK_LIBS)
$(tests_sasl_sasl_unit_test_OBJECTS): src/remote/remote_protocol.h
TESTS += tests/sasl/sasl_unit_test
VALGRIND_TESTS += tests/sasl/sasl_unit_test

SASL_SCRIPT_TESTS = \
	tests/sasl/sasl_tcp_test.sh \
	tests/sasl/sasl_tls_test.sh \
	tests/sasl/sasl_unix_test.sh \
	tests/sasl/sasl_libvirtd_test.sh
TESTS += $(SASL_SCRIPT_TESTS)

EXTRA_DIST += $(SASL_SCRIPT_TESTS) \
	tests/sasl/lib.sh \
	tests/sasl/saslwire.py \
	tests/sasl/relay.py \
	tests/sasl/pyclient.py \
	tests/sasl/policy.conf \
	tests/sasl/valgrind.supp \
	tests/sasl/lsan.supp
