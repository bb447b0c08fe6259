## src/rpc: the wire transport: messages, sockets, TLS, the server (event
## loop, clients, workers, dispatch) and the client. The event loop lives
## in src/util but is only used here, so it is built into this library.
noinst_LIBRARIES += libtenvirt_rpc.a
libtenvirt_rpc_a_SOURCES = \
	src/util/virevent.c src/util/virevent.h \
	src/rpc/virnetmessage.c src/rpc/virnetmessage.h \
	src/rpc/virnetsocket.c src/rpc/virnetsocket.h \
	src/rpc/virnettls.c src/rpc/virnettls.h \
	src/rpc/virnetsasl.c src/rpc/virnetsasl.h \
	src/rpc/virnetworkerpool.c src/rpc/virnetworkerpool.h \
	src/rpc/virnetserverprogram.c \
	src/rpc/virnetserverservice.c \
	src/rpc/virnetserverclient.c \
	src/rpc/virnetserver.c src/rpc/virnetserver.h src/rpc/virnetserverpriv.h \
	src/rpc/virnetclient.c src/rpc/virnetclient.h
libtenvirt_rpc_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/rpc

# The generated protocol header must exist before any of these compile,
# also when only this library is asked for (BUILT_SOURCES covers "all").
$(libtenvirt_rpc_a_OBJECTS): src/remote/remote_protocol.h
