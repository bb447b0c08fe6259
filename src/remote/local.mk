## src/remote: the wire protocol (compiled by rpcgen) and the remote driver.

# rpcgen output is generated into the build tree; its code is not ours to
# warn about, so it gets its own relaxed flags.
REMOTE_PROTOCOL_GENERATED = src/remote/remote_protocol.c src/remote/remote_protocol.h
BUILT_SOURCES += $(REMOTE_PROTOCOL_GENERATED)
CLEANFILES += $(REMOTE_PROTOCOL_GENERATED)
EXTRA_DIST += src/remote/remote_protocol.x

# rpcgen names its include guard and #include after its input file, so it
# runs on a copy called remote_protocol.x in a scratch directory.
src/remote/remote_protocol.h: src/remote/remote_protocol.x
	$(AM_V_GEN)rm -rf src/remote/.gen-h && $(MKDIR_P) src/remote/.gen-h && \
	  cp $(srcdir)/src/remote/remote_protocol.x src/remote/.gen-h/ && \
	  (cd src/remote/.gen-h && $(RPCGEN) -h -o remote_protocol.h remote_protocol.x) && \
	  mv src/remote/.gen-h/remote_protocol.h $@ && rm -rf src/remote/.gen-h
src/remote/remote_protocol.c: src/remote/remote_protocol.x src/remote/remote_protocol.h
	$(AM_V_GEN)rm -rf src/remote/.gen-c && $(MKDIR_P) src/remote/.gen-c && \
	  cp $(srcdir)/src/remote/remote_protocol.x src/remote/.gen-c/ && \
	  (cd src/remote/.gen-c && $(RPCGEN) -c -o remote_protocol.c remote_protocol.x) && \
	  mv src/remote/.gen-c/remote_protocol.c $@ && rm -rf src/remote/.gen-c

noinst_LIBRARIES += libtenvirt_protocol.a
nodist_libtenvirt_protocol_a_SOURCES = $(REMOTE_PROTOCOL_GENERATED)
libtenvirt_protocol_a_CFLAGS = $(AM_CFLAGS) -Wno-unused-variable -Wno-unused-parameter \
	-Wno-missing-prototypes -Wno-strict-prototypes -Wno-shadow

# The remote driver: the client side of the protocol, over src/rpc's client.
noinst_LIBRARIES += libtenvirt_remote.a
libtenvirt_remote_a_SOURCES = \
	src/remote/remote_driver.c src/remote/remote_driver.h \
	src/remote/remote_auth.c src/remote/remote_auth.h \
	src/remote/remote_event.c src/remote/remote_event.h
# They include the rpcgen header, which BUILT_SOURCES makes only for "make
# all"; say so for builds of single targets.
$(libtenvirt_remote_a_OBJECTS): src/remote/remote_protocol.h
