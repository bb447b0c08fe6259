/*
 * rpc_bench.c: load client for a libvirt-protocol daemon (tenvirtd or
 * libvirtd), written against the public libvirt API only. Built twice (see
 * rpc_bench_api.h): with Tenvirt's client library (bench/rpc_bench) and with
 * Debian's libvirt.so (bench/rpc_bench_libvirt), so either client can be
 * pointed at either daemon.
 *
 * Workloads (one "op" each):
 *   version        virConnectGetLibVersion                      (1 RPC)
 *   lookup         virDomainLookupByName + virDomainGetInfo      (2 RPCs)
 *                  on a random domain of the large host
 *   list-small     virConnectListAllDomains on the small host    (1 RPC)
 *   list-large     virConnectListAllDomains on the large host    (1 RPC)
 *   connect        virConnectOpen + virConnectClose on --uri-conn (the whole
 *                  handshake; a "keeper" connection to the same URI stays
 *                  open meanwhile, so that a daemon's driver state for that
 *                  URI is not built and torn down with every connection)
 *
 * For each workload and each thread count, every thread uses its own
 * connection (for connect, its own successive connections); the threads
 * warm up for --warmup seconds, then run for --duration seconds. Each op
 * is timed with clock_gettime(CLOCK_MONOTONIC); the domains returned by a
 * list are freed after its time is taken.
 *
 * One line per cell on stdout, tab-separated:
 *   RESULT label transport workload threads ops seconds ops_per_s
 *          p50_us p99_us mean_us daemon_cpu_us_per_op client_cpu_us_per_op
 * daemon CPU is the utime+stime growth of /proc/PID/stat (--pid) over the
 * measured interval divided by the ops in it; client CPU likewise from
 * getrusage(RUSAGE_SELF). Any failed call (or a list of the wrong length)
 * stops the program with exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "benchclock.h"
#include "rpc_bench_api.h"

#define MAX_THREADS 64

enum {
    WL_VERSION,
    WL_LOOKUP,
    WL_LIST_SMALL,
    WL_LIST_LARGE,
    WL_CONNECT,
    WL_LAST
};

static const char *const wlNames[WL_LAST] = {
    "version", "lookup", "list-small", "list-large", "connect",
};

static struct {
    const char *label;
    const char *transport;
    const char *uriSmall;
    const char *uriLarge;
    const char *uriConn;
    unsigned smallN;
    unsigned largeN;
    unsigned perCustomer;
    int threads[16];
    size_t nthreads;
    double duration;
    double warmup;
    double pause;
    bool wl[WL_LAST];
    long pid;
} opt = {
    .label = "bench",
    .transport = "?",
    .smallN = 1000,
    .largeN = 10000,
    .perCustomer = 10,
    .duration = 2.0,
    .warmup = 0.5,
};

typedef struct {
    int idx;
    virConnectPtr small;
    virConnectPtr large;
    int wl;
    uint64_t *lat;              /* ns, one per measured op */
    size_t nlat;
    size_t alat;
    uint64_t rng;
    bool failed;
    char err[512];
} worker;

static worker workers[MAX_THREADS];
static uint64_t tStart, tMeasure, tEnd;        /* ns, CLOCK_MONOTONIC */

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "rpc_bench: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static const char *
lastError(void)
{
    const char *msg = virGetLastErrorMessage();

    return msg ? msg : "unknown error";
}

static void __attribute__((format(printf, 2, 3)))
workerFail(worker *w, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(w->err, sizeof(w->err), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(w->err))
        snprintf(w->err + n, sizeof(w->err) - n, ": %s", lastError());
    w->failed = true;
}

static uint64_t
rngNext(uint64_t *s)
{
    /* xorshift64* */
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* One op; *done is when its call(s) returned. 0 or -1 (w->err set). */
static int
doOp(worker *w, uint64_t *done)
{
    switch (w->wl) {
    case WL_VERSION: {
        unsigned long v = 0;

        if (virConnectGetLibVersion(w->large, &v) < 0) {
            workerFail(w, "virConnectGetLibVersion");
            return -1;
        }
        *done = benchNowNs();
        return 0;
    }
    case WL_LOOKUP: {
        unsigned i = (unsigned)(rngNext(&w->rng) % opt.largeN);
        char name[64];
        virDomainPtr dom;
        virDomainInfo info;

        snprintf(name, sizeof(name), "cust%u-vm%u",
                 i / opt.perCustomer + 1, i % opt.perCustomer + 1);
        if (!(dom = virDomainLookupByName(w->large, name))) {
            workerFail(w, "virDomainLookupByName(%s)", name);
            return -1;
        }
        if (virDomainGetInfo(dom, &info) < 0) {
            workerFail(w, "virDomainGetInfo(%s)", name);
            virDomainFree(dom);
            return -1;
        }
        *done = benchNowNs();
        virDomainFree(dom);
        return 0;
    }
    case WL_LIST_SMALL:
    case WL_LIST_LARGE: {
        virConnectPtr conn = w->wl == WL_LIST_SMALL ? w->small : w->large;
        unsigned want = w->wl == WL_LIST_SMALL ? opt.smallN : opt.largeN;
        virDomainPtr *doms = NULL;
        int n = virConnectListAllDomains(conn, &doms, 0);
        int i;

        *done = benchNowNs();
        if (n < 0) {
            workerFail(w, "virConnectListAllDomains");
            return -1;
        }
        for (i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(doms);
        if ((unsigned)n != want) {
            snprintf(w->err, sizeof(w->err),
                     "virConnectListAllDomains returned %d domains, expected %u", n, want);
            w->failed = true;
            return -1;
        }
        return 0;
    }
    case WL_CONNECT: {
        virConnectPtr conn = virConnectOpen(opt.uriConn);

        if (!conn) {
            workerFail(w, "virConnectOpen(%s)", opt.uriConn);
            return -1;
        }
        if (virConnectClose(conn) < 0) {
            workerFail(w, "virConnectClose");
            return -1;
        }
        *done = benchNowNs();
        return 0;
    }
    }
    return -1;
}

static void *
workerMain(void *arg)
{
    worker *w = arg;

    benchSleepUntil(tStart);
    for (;;) {
        uint64_t t0 = benchNowNs(), t1 = 0;

        if (t0 >= tEnd)
            break;
        if (doOp(w, &t1) < 0)
            break;
        if (t0 < tMeasure)
            continue;
        if (w->nlat == w->alat) {
            w->alat = w->alat ? w->alat * 2 : 4096;
            if (!(w->lat = realloc(w->lat, w->alat * sizeof(*w->lat))))
                die("out of memory");
        }
        w->lat[w->nlat++] = t1 - t0;
    }
    return NULL;
}

static void
runCell(int wl, int nthreads)
{
    pthread_t tids[MAX_THREADS];
    double dcpu0, dcpu1, ccpu0, ccpu1;
    uint64_t *all, sum = 0;
    size_t total = 0, k, i;
    char wlname[32];
    int t;

    if (wl == WL_LIST_SMALL)
        snprintf(wlname, sizeof(wlname), "list%u", opt.smallN);
    else if (wl == WL_LIST_LARGE)
        snprintf(wlname, sizeof(wlname), "list%u", opt.largeN);
    else
        snprintf(wlname, sizeof(wlname), "%s", wlNames[wl]);
    fprintf(stderr, "rpc_bench: %s %s %s x%d ...\n", opt.label, opt.transport, wlname, nthreads);

    tStart = benchNowNs() + 20000000ull;
    tMeasure = tStart + (uint64_t)(opt.warmup * 1e9);
    tEnd = tMeasure + (uint64_t)(opt.duration * 1e9);
    for (t = 0; t < nthreads; t++) {
        worker *w = &workers[t];

        w->wl = wl;
        w->nlat = 0;
        w->failed = false;
        if (pthread_create(&tids[t], NULL, workerMain, w) != 0)
            die("pthread_create failed");
    }
    benchSleepUntil(tMeasure);
    dcpu0 = benchProcCpu(opt.pid);
    ccpu0 = benchSelfCpu();
    benchSleepUntil(tEnd);
    dcpu1 = benchProcCpu(opt.pid);
    ccpu1 = benchSelfCpu();
    for (t = 0; t < nthreads; t++)
        pthread_join(tids[t], NULL);
    for (t = 0; t < nthreads; t++) {
        if (workers[t].failed)
            die("%s %s %s, thread %d: %s", opt.label, opt.transport, wlname, t, workers[t].err);
        total += workers[t].nlat;
    }
    if (total == 0)
        die("%s %s %s: no op completed in %.1f s", opt.label, opt.transport, wlname,
            opt.duration);
    if (!(all = malloc(total * sizeof(*all))))
        die("out of memory");
    for (k = 0, t = 0; t < nthreads; t++) {
        for (i = 0; i < workers[t].nlat; i++) {
            all[k++] = workers[t].lat[i];
            sum += workers[t].lat[i];
        }
    }
    qsort(all, total, sizeof(*all), benchCmpU64);
    printf("RESULT\t%s\t%s\t%s\t%d\t%zu\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n",
           opt.label, opt.transport, wlname, nthreads, total, opt.duration,
           total / opt.duration,
           all[total / 2] / 1e3,
           all[(size_t)((double)total * 0.99)] / 1e3,
           (double)sum / total / 1e3,
           dcpu0 >= 0 && dcpu1 >= 0 ? (dcpu1 - dcpu0) * 1e6 / total : -1.0,
           (ccpu1 - ccpu0) * 1e6 / total);
    fflush(stdout);
    free(all);
}

typedef struct {
    worker *w;
    bool small;
    bool large;
} opener;

static void *
openerMain(void *arg)
{
    opener *o = arg;

    if (o->small && !(o->w->small = virConnectOpen(opt.uriSmall)))
        workerFail(o->w, "virConnectOpen(%s)", opt.uriSmall);
    else if (o->large && !(o->w->large = virConnectOpen(opt.uriLarge)))
        workerFail(o->w, "virConnectOpen(%s)", opt.uriLarge);
    return NULL;
}

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: rpc_bench [options]\n"
            "  --label NAME          first column of the output (e.g. the daemon)\n"
            "  --transport NAME      second column (unix, tcp, tls)\n"
            "  --uri-small URI       host of list-small (default none)\n"
            "  --uri-large URI       host of version, lookup and list-large\n"
            "  --uri-conn URI        what connect opens and closes\n"
            "  --small-n N           domains on the small host (default 1000)\n"
            "  --large-n N           domains on the large host (default 10000)\n"
            "  --per-customer N      domains are custK-vmJ, J = 1..N (default 10)\n"
            "  --threads LIST        e.g. 1,4 (default 1,4)\n"
            "  --duration SEC        measured time per cell (default 2)\n"
            "  --warmup SEC          unmeasured time before it (default 0.5)\n"
            "  --workloads LIST      of version,lookup,list-small,list-large,connect\n"
            "                        (default: those whose URIs are given)\n"
            "  --pid PID             daemon whose CPU time is measured\n"
            "  --pause SEC           wait after opening the connections, e.g. to\n"
            "                        switch a profiler on (default 0)\n"
            "client library: %s\n", RPC_BENCH_CLIENT_NAME);
}

static void
parseList(const char *s, bool isThreads)
{
    char *copy = strdup(s), *save = NULL, *tok;

    if (!copy)
        die("out of memory");
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (isThreads) {
            int n = atoi(tok);

            if (n < 1 || n > MAX_THREADS)
                die("bad thread count '%s' (1..%d)", tok, MAX_THREADS);
            if (opt.nthreads == sizeof(opt.threads) / sizeof(opt.threads[0]))
                die("too many thread counts");
            opt.threads[opt.nthreads++] = n;
        } else {
            int i;

            for (i = 0; i < WL_LAST; i++) {
                if (strcmp(tok, wlNames[i]) == 0)
                    break;
            }
            if (i == WL_LAST)
                die("unknown workload '%s'", tok);
            opt.wl[i] = true;
        }
    }
    free(copy);
}

int
main(int argc, char **argv)
{
    bool anyWl = false, needSmall = false, needLarge = false;
    opener openers[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    unsigned long libVer = 0;
    int maxThreads = 0, i, wl;
    size_t k;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (!v)
            die("%s needs a value (--help)", a);
        i++;
        if (strcmp(a, "--label") == 0)
            opt.label = v;
        else if (strcmp(a, "--transport") == 0)
            opt.transport = v;
        else if (strcmp(a, "--uri-small") == 0)
            opt.uriSmall = v;
        else if (strcmp(a, "--uri-large") == 0)
            opt.uriLarge = v;
        else if (strcmp(a, "--uri-conn") == 0)
            opt.uriConn = v;
        else if (strcmp(a, "--small-n") == 0)
            opt.smallN = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--large-n") == 0)
            opt.largeN = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--per-customer") == 0)
            opt.perCustomer = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--threads") == 0) {
            /* A later list replaces an earlier one. */
            opt.nthreads = 0;
            parseList(v, true);
        } else if (strcmp(a, "--workloads") == 0) {
            memset(opt.wl, 0, sizeof(opt.wl));
            parseList(v, false);
            anyWl = true;
        } else if (strcmp(a, "--duration") == 0)
            opt.duration = atof(v);
        else if (strcmp(a, "--warmup") == 0)
            opt.warmup = atof(v);
        else if (strcmp(a, "--pid") == 0)
            opt.pid = atol(v);
        else if (strcmp(a, "--pause") == 0)
            opt.pause = atof(v);
        else {
            usage(stderr);
            die("unknown option '%s'", a);
        }
    }
    if (opt.nthreads == 0) {
        opt.threads[0] = 1;
        opt.threads[1] = 4;
        opt.nthreads = 2;
    }
    if (!anyWl) {
        opt.wl[WL_VERSION] = opt.wl[WL_LOOKUP] = opt.wl[WL_LIST_LARGE] = opt.uriLarge != NULL;
        opt.wl[WL_LIST_SMALL] = opt.uriSmall != NULL;
        opt.wl[WL_CONNECT] = opt.uriConn != NULL;
    }
    needSmall = opt.wl[WL_LIST_SMALL];
    needLarge = opt.wl[WL_VERSION] || opt.wl[WL_LOOKUP] || opt.wl[WL_LIST_LARGE];
    if ((needSmall && !opt.uriSmall) || (needLarge && !opt.uriLarge) ||
        (opt.wl[WL_CONNECT] && !opt.uriConn))
        die("a selected workload lacks its URI (--help)");
    if (opt.duration <= 0 || opt.warmup < 0 || opt.perCustomer == 0 || opt.largeN == 0)
        die("bad --duration, --warmup, --per-customer or --large-n");
    for (k = 0; k < opt.nthreads; k++) {
        if (opt.threads[k] > maxThreads)
            maxThreads = opt.threads[k];
    }

    if (virInitialize() < 0)
        die("virInitialize: %s", lastError());
    virGetVersion(&libVer, NULL, NULL);
    fprintf(stderr, "rpc_bench: client %s %lu.%lu.%lu, %s %s\n", RPC_BENCH_CLIENT_NAME,
            libVer / 1000000, libVer / 1000 % 1000, libVer % 1000, opt.label, opt.transport);

    /* One long-lived connection per thread and host, opened in parallel
     * (a libvirtd test driver parses the node file for each). */
    for (i = 0; i < maxThreads; i++) {
        workers[i].idx = i;
        workers[i].rng = 0x9E3779B97F4A7C15ull * (uint64_t)(i + 1);
        openers[i] = (opener){ &workers[i], needSmall, needLarge };
        if (pthread_create(&tids[i], NULL, openerMain, &openers[i]) != 0)
            die("pthread_create failed");
    }
    for (i = 0; i < maxThreads; i++)
        pthread_join(tids[i], NULL);
    for (i = 0; i < maxThreads; i++) {
        if (workers[i].failed)
            die("%s %s: %s", opt.label, opt.transport, workers[i].err);
    }

    if (opt.pause > 0) {
        fprintf(stderr, "rpc_bench: connected; pausing %.1f s\n", opt.pause);
        benchSleepUntil(benchNowNs() + (uint64_t)(opt.pause * 1e9));
    }
    for (wl = 0; wl < WL_CONNECT; wl++) {
        if (!opt.wl[wl])
            continue;
        for (k = 0; k < opt.nthreads; k++)
            runCell(wl, opt.threads[k]);
    }
    if (opt.wl[WL_CONNECT]) {
        virConnectPtr keeper = virConnectOpen(opt.uriConn);

        if (!keeper)
            die("virConnectOpen(%s): %s", opt.uriConn, lastError());
        for (k = 0; k < opt.nthreads; k++)
            runCell(WL_CONNECT, opt.threads[k]);
        virConnectClose(keeper);
    }

    for (i = 0; i < maxThreads; i++) {
        if (workers[i].small)
            virConnectClose(workers[i].small);
        if (workers[i].large)
            virConnectClose(workers[i].large);
        free(workers[i].lat);
    }
    return 0;
}
