## src/util: errors, logging, buffers, config parser, UUIDs, hash tables, threads, identity.
noinst_LIBRARIES += libtenvirt_util.a
libtenvirt_util_a_SOURCES = \
	src/internal.h \
	src/util/viralloc.c src/util/viralloc.h \
	src/util/virstring.c src/util/virstring.h \
	src/util/virerror.c src/util/virerror.h \
	src/util/virlog.c src/util/virlog.h \
	src/util/virbuffer.c src/util/virbuffer.h \
	src/util/viruuid.c src/util/viruuid.h \
	src/util/virhash.c src/util/virhash.h \
	src/util/virthread.c src/util/virthread.h \
	src/util/viridentity.c src/util/viridentity.h \
	src/util/virx509dn.c src/util/virx509dn.h \
	src/util/virconf.c src/util/virconf.h \
	src/util/virauthconfig.c src/util/virauthconfig.h
