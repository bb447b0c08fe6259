## bench: benchmarks, built with `make bench/policy_bench`, never run by make check.
## bench/filter_bench: per-domain access cost of a filtered list (bench/README.md).
noinst_PROGRAMS += bench/policy_bench
bench_policy_bench_SOURCES = bench/policy_bench.c
bench_policy_bench_CFLAGS = $(AM_CFLAGS) -O2
bench_policy_bench_LDADD = libtenvirt_access.a libtenvirt_util.a -lpthread
noinst_PROGRAMS += bench/filter_bench
bench_filter_bench_SOURCES = bench/filter_bench.c
bench_filter_bench_CFLAGS = $(AM_CFLAGS) -O2
bench_filter_bench_LDADD = libtenvirt_access.a libtenvirt_conf.a libtenvirt_util.a \
	$(LIBXML_LIBS) $(GNUTLS_LIBS) -lpthread
EXTRA_DIST += bench/README.md

## The test driver's lookups in process (no RPC): see the comment at the top
## of bench/lookup_bench.c.
noinst_PROGRAMS += bench/lookup_bench
bench_lookup_bench_SOURCES = bench/lookup_bench.c
bench_lookup_bench_CFLAGS = $(AM_CFLAGS) -O2
bench_lookup_bench_LDADD = $(TENVIRT_LIBS)

## RPC: a load client written against the public libvirt API and built twice,
## and the bare TLS ping-pong it is compared with. See bench/README.md
## ("RPC: tenvirtd vs libvirtd 9.0"); bench/run-rpc-bench.sh runs them all.
noinst_PROGRAMS += bench/rpc_bench bench/tls_pingpong
bench_rpc_bench_SOURCES = bench/rpc_bench.c bench/rpc_bench_api.h bench/benchclock.c bench/benchclock.h
bench_rpc_bench_CFLAGS = $(AM_CFLAGS) -O2
bench_rpc_bench_LDADD = $(TENVIRT_LIBS)
bench_tls_pingpong_SOURCES = bench/tls_pingpong.c bench/benchclock.c bench/benchclock.h
bench_tls_pingpong_CFLAGS = $(AM_CFLAGS) -O2
bench_tls_pingpong_LDADD = $(GNUTLS_LIBS) -lpthread

# The same client against Debian's libvirt.so (libvirt-dev). Only `make bench`
# builds it, and only when pkg-config finds libvirt, so a plain `make` never
# needs libvirt-dev; it passes pkg-config's flags in RPC_BENCH_LIBVIRT_CFLAGS
# and RPC_BENCH_LIBVIRT_LIBS (automake refuses them as literal LDADD text).
EXTRA_PROGRAMS = bench/rpc_bench_libvirt
bench_rpc_bench_libvirt_SOURCES = bench/rpc_bench.c bench/rpc_bench_api.h bench/benchclock.c \
	bench/benchclock.h
bench_rpc_bench_libvirt_CPPFLAGS = -DRPC_BENCH_LIBVIRT
bench_rpc_bench_libvirt_CFLAGS = $(AM_CFLAGS) -O2 $(RPC_BENCH_LIBVIRT_CFLAGS)
bench_rpc_bench_libvirt_LDADD = $(RPC_BENCH_LIBVIRT_LIBS) -lpthread
CLEANFILES += bench/rpc_bench_libvirt$(EXEEXT)
EXTRA_DIST += bench/run-rpc-bench.sh

.PHONY: bench
bench: bench/policy_bench$(EXEEXT) bench/filter_bench$(EXEEXT) bench/rpc_bench$(EXEEXT) bench/tls_pingpong$(EXEEXT) \
		bench/lookup_bench$(EXEEXT) \
		daemon/tenvirtd$(EXEEXT)
	@if $(PKG_CONFIG) --exists libvirt; then \
	    $(MAKE) $(AM_MAKEFLAGS) bench/rpc_bench_libvirt$(EXEEXT) \
	        RPC_BENCH_LIBVIRT_CFLAGS="`$(PKG_CONFIG) --cflags libvirt`" \
	        RPC_BENCH_LIBVIRT_LIBS="`$(PKG_CONFIG) --libs libvirt`"; \
	else \
	    echo "bench: pkg-config finds no libvirt (install libvirt-dev): bench/rpc_bench_libvirt not built"; \
	fi
