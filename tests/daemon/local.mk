## tests/daemon/local.mk: tenvirtd: unit tests of the handlers and the
## set-up code, and scripts that run a real daemon on loopback and talk
## to it with stock virsh and python3-libvirt.

# The handler test runs them over a stand-in for the RPC server's client
# API (fakeserver.c). Its objects come first on the link line, so the
# real server's objects are never pulled out of libtenvirt_rpc.a (which
# the library still needs for the remote driver's client side).
DAEMON_TEST_LIBS = libtenvirt_daemon.a $(TENVIRT_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/daemon/dispatch_test
tests_daemon_dispatch_test_SOURCES = tests/daemon/dispatch_test.c \
	tests/daemon/fakeserver.c tests/daemon/fakeserver.h
tests_daemon_dispatch_test_CPPFLAGS = $(DAEMON_CPPFLAGS)
tests_daemon_dispatch_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_daemon_dispatch_test_LDADD = $(DAEMON_TEST_LIBS)
$(tests_daemon_dispatch_test_OBJECTS): src/remote/remote_protocol.h
TESTS += tests/daemon/dispatch_test
VALGRIND_TESTS += tests/daemon/dispatch_test

check_PROGRAMS += tests/daemon/setup_test
tests_daemon_setup_test_SOURCES = tests/daemon/setup_test.c
tests_daemon_setup_test_CPPFLAGS = $(DAEMON_CPPFLAGS)
tests_daemon_setup_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_daemon_setup_test_LDADD = $(DAEMON_TEST_LIBS)
TESTS += tests/daemon/setup_test
VALGRIND_TESTS += tests/daemon/setup_test

# Real daemon, real clients (need daemon/tenvirtd, virsh, python3-libvirt;
# each skips with 77 what the host lacks).
DAEMON_SCRIPT_TESTS = \
	tests/daemon/virsh_tcp_test.sh \
	tests/daemon/virsh_events_test.sh \
	tests/daemon/python_test.sh \
	tests/daemon/unix_policy_test.sh \
	tests/daemon/startup_test.sh \
	tests/daemon/tls_test.sh
TESTS += $(DAEMON_SCRIPT_TESTS)

EXTRA_DIST += $(DAEMON_SCRIPT_TESTS) \
	tests/daemon/lib.sh \
	tests/daemon/client.py \
	tests/daemon/data/node.xml \
	tests/daemon/data/newdom.xml
