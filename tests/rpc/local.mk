## tests/rpc/local.mk: Check tests of src/rpc (messages, the event loop,
## the server and client over real sockets, TLS with certificates made at
## test time by tests/rpc/make-certs.sh, which other tests may reuse).

TESTS_RPC_LIBS = libtenvirt_rpc.a libtenvirt_protocol.a libtenvirt_util.a \
	$(GNUTLS_LIBS) $(SASL_LIBS) $(TIRPC_LIBS) $(CHECK_LIBS) -lpthread
TESTS_RPC_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/rpc

TESTS_RPC_LIST = \
	tests/rpc/virnetmessage_test \
	tests/rpc/virevent_test \
	tests/rpc/virnetsocket_test \
	tests/rpc/virnetserver_test \
	tests/rpc/virnettls_test \
	tests/rpc/virnetdispatch_test

check_PROGRAMS += $(TESTS_RPC_LIST)
TESTS += $(TESTS_RPC_LIST)
VALGRIND_TESTS += $(TESTS_RPC_LIST)
EXTRA_DIST += tests/rpc/make-certs.sh

tests_rpc_virnetmessage_test_SOURCES = tests/rpc/virnetmessage_test.c
tests_rpc_virnetmessage_test_CPPFLAGS = $(TESTS_RPC_CPPFLAGS)
tests_rpc_virnetmessage_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_rpc_virnetmessage_test_LDADD = $(TESTS_RPC_LIBS)

tests_rpc_virevent_test_SOURCES = tests/rpc/virevent_test.c
tests_rpc_virevent_test_CPPFLAGS = $(TESTS_RPC_CPPFLAGS)
tests_rpc_virevent_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_rpc_virevent_test_LDADD = $(TESTS_RPC_LIBS)

tests_rpc_virnetsocket_test_SOURCES = tests/rpc/virnetsocket_test.c
tests_rpc_virnetsocket_test_CPPFLAGS = $(TESTS_RPC_CPPFLAGS)
tests_rpc_virnetsocket_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_rpc_virnetsocket_test_LDADD = $(TESTS_RPC_LIBS)

tests_rpc_virnetserver_test_SOURCES = tests/rpc/virnetserver_test.c \
	tests/rpc/rpctestutils.c tests/rpc/rpctestutils.h
tests_rpc_virnetserver_test_CPPFLAGS = $(TESTS_RPC_CPPFLAGS)
tests_rpc_virnetserver_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_rpc_virnetserver_test_LDADD = $(TESTS_RPC_LIBS)

tests_rpc_virnettls_test_SOURCES = tests/rpc/virnettls_test.c \
	tests/rpc/rpctestutils.c tests/rpc/rpctestutils.h
tests_rpc_virnettls_test_CPPFLAGS = $(TESTS_RPC_CPPFLAGS)
tests_rpc_virnettls_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_rpc_virnettls_test_LDADD = $(TESTS_RPC_LIBS)

tests_rpc_virnetdispatch_test_SOURCES = tests/rpc/virnetdispatch_test.c \
	tests/rpc/rpctestutils.c tests/rpc/rpctestutils.h
tests_rpc_virnetdispatch_test_CPPFLAGS = $(TESTS_RPC_CPPFLAGS)
tests_rpc_virnetdispatch_test_CFLAGS = $(CHECK_TEST_CFLAGS)
tests_rpc_virnetdispatch_test_LDADD = $(TESTS_RPC_LIBS)

# The generated protocol header, for builds of these targets alone.
$(tests_rpc_virnetmessage_test_OBJECTS) $(tests_rpc_virevent_test_OBJECTS) \
$(tests_rpc_virnetsocket_test_OBJECTS) \
$(tests_rpc_virnetserver_test_OBJECTS) $(tests_rpc_virnettls_test_OBJECTS) \
$(tests_rpc_virnetdispatch_test_OBJECTS): \
	src/remote/remote_protocol.h
