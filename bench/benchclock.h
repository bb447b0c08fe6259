/*
 * benchclock.h: the clock and CPU accounting that the RPC load client
 * (rpc_bench.c) and the bare TLS ping-pong (tls_pingpong.c) share, so that
 * both measure in exactly the same way.
 */
#ifndef TENVIRT_BENCHCLOCK_H
#define TENVIRT_BENCHCLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t benchNowNs(void);
/* Sleep until benchNowNs() reaches @ns. */
void benchSleepUntil(uint64_t ns);
/* utime + stime of process @pid in seconds, or -1 (also for @pid <= 0). */
double benchProcCpu(long pid);
/* This process's user + system CPU time in seconds. */
double benchSelfCpu(void);
/* qsort comparison of uint64_t latencies. */
int benchCmpU64(const void *a, const void *b);

#endif /* TENVIRT_BENCHCLOCK_H */
