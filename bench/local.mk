## bench: benchmarks, built with `make bench/policy_bench`, never run by make check.
noinst_PROGRAMS += bench/policy_bench
bench_policy_bench_SOURCES = bench/policy_bench.c
bench_policy_bench_CFLAGS = $(AM_CFLAGS) -O2
bench_policy_bench_LDADD = libtenvirt_access.a libtenvirt_util.a -lpthread
EXTRA_DIST += bench/README.md
