/*
 * filter_bench.c: what the access check costs per domain of a list, with
 * a per-domain check (vir<Method>CheckACL) against the per-list filter
 * (vir<Method>FilterBegin + virAccessDomainFilterKeep).
 *
 *   bench/filter_bench [RULES [DOMAINS]]      (default: 100000 10000)
 *
 * The stack is the daemon's [ "readonly", "dnpolicy" ] with the policy of
 * bench/run-rpc-bench.sh: two roles, three generic rules, one rule per
 * customer (allow dn="CN=custK,..." domain=custK-* perms=@customer) and,
 * in the middle of the file, the client's rule giving the viewer role on
 * every domain. The host has DOMAINS domains custK-vmJ, ten per customer.
 * Identities: the bench client (its rule has no domain=: the whole list
 * is decided at once), customer 7 (domain=cust7-*: each domain is matched
 * against that one rule) and an unknown certificate (no rule: nothing).
 * The log is at its default level (warnings), as in a daemon.
 *
 * Prints, per identity and way, the median over REPEAT lists of the time
 * per domain. For instruction counts run it under callgrind, collecting
 * only one way:
 *   valgrind --tool=callgrind --toggle-collect=filterBenchListChecks bench/filter_bench
 *   valgrind --tool=callgrind --toggle-collect=filterBenchListFilter bench/filter_bench
 * (FILTER_BENCH_REPEAT=1 keeps that quick; FILTER_BENCH_CLIENT=N runs only
 * identity N, 0-based) and divide by the domains listed.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "viraccessapicheck.h"
#include "viraccessmanager.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "viruuid.h"

#define BENCH_DN "CN=bench,O=Example ISP,C=GB"

static double
nowNs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
compareDouble(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The policy of bench/run-rpc-bench.sh, written to a temporary file. */
static char *
writePolicy(size_t rules)
{
    char *path = virStrdup("/tmp/filter-bench-XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    size_t ncust = rules - 6;
    size_t k;

    if (!fp) {
        perror("filter_bench: policy file");
        exit(EXIT_FAILURE);
    }
    fprintf(fp, "role viewer = connect:getattr,connect:read,connect:search_domains,"
                "domain:getattr,domain:read\n"
                "role customer = @viewer,domain:start,domain:stop,domain:init_control,"
                "domain:suspend\n"
                "deny sasl=mallory perms=*\n"
                "allow unix-group=wheel perms=*\n"
                "allow transport=unix unix-user=\"ops-*\" perms=*\n");
    for (k = 1; k <= ncust; k++) {
        if (k == ncust / 2) {
            fprintf(fp, "allow dn=\"%s\" perms=@viewer\n", BENCH_DN);
            fprintf(fp, "allow transport=unix unix-user=bench perms=@viewer\n");
            fprintf(fp, "allow transport=tcp perms=@viewer\n");
        }
        fprintf(fp, "allow dn=\"CN=cust%zu,O=Example ISP,C=GB\" domain=cust%zu-* "
                    "perms=@customer\n", k, k);
    }
    fclose(fp);
    return path;
}

static virDomainDef *domains;
static size_t ndomains;

static void
makeDomains(size_t n)
{
    size_t i;

    domains = virAllocN(n, sizeof(*domains));
    for (i = 0; i < n; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN];

        domains[i].name = virPrintf("cust%zu-vm%zu", i / 10 + 1, i % 10);
        domains[i].id = i % 4 == 3 ? -1 : (int)i + 1;
        snprintf(uuid, sizeof(uuid), "%08x-0000-4000-8000-000000000000", (unsigned int)(i & 0xffffffff));
        virUUIDParse(uuid, domains[i].uuid);
    }
    ndomains = n;
}

/* One list the way the drivers did it: a check per domain. */
/* Not inlined: callgrind's --toggle-collect needs the function. */
size_t filterBenchListChecks(void);
__attribute__((noinline)) size_t
filterBenchListChecks(void)
{
    size_t kept = 0;
    size_t i;

    for (i = 0; i < ndomains; i++) {
        if (virConnectListAllDomainsCheckACL(NULL, &domains[i]))
            kept++;
    }
    return kept;
}

/* One list with the per-list filter. */
size_t filterBenchListFilter(void);
__attribute__((noinline)) size_t
filterBenchListFilter(void)
{
    virAccessDomainFilter filter;
    size_t kept = 0;
    size_t i;

    virConnectListAllDomainsFilterBegin(NULL, &filter);
    for (i = 0; i < ndomains; i++) {
        if (virAccessDomainFilterKeep(&filter, &domains[i]))
            kept++;
    }
    virAccessDomainFilterEnd(&filter);
    return kept;
}

static double
medianNsPerDomain(size_t (*list)(void), size_t repeat, size_t wantKept)
{
    double *ns = virAllocN(repeat, sizeof(*ns));
    double median;
    size_t r;

    for (r = 0; r < repeat; r++) {
        double t0 = nowNs();
        size_t kept = list();

        ns[r] = (nowNs() - t0) / ndomains;
        if (kept != wantKept) {
            fprintf(stderr, "filter_bench: kept %zu domains, expected %zu\n", kept, wantKept);
            exit(EXIT_FAILURE);
        }
    }
    qsort(ns, repeat, sizeof(*ns), compareDouble);
    median = ns[repeat / 2];
    free(ns);
    return median;
}

int
main(int argc, char **argv)
{
    size_t rules = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    const char *repeatEnv = getenv("FILTER_BENCH_REPEAT");
    const char *clientEnv = getenv("FILTER_BENCH_CLIENT");
    size_t repeat = repeatEnv ? strtoul(repeatEnv, NULL, 10) : 51;
    char *drivers[] = { "readonly", "dnpolicy", NULL };
    char *path;
    virAccessConfig conf = { .drivers = drivers };
    virAccessManager *mgr;
    struct {
        const char *what;
        const char *dn;
        size_t kept;
    } clients[] = {
        { "bench client (viewer of every domain)", BENCH_DN, n },
        { "customer 7 (domain=cust7-*)", "CN=cust7,O=Example ISP,C=GB", n >= 70 ? 10 : 0 },
        { "unknown certificate (no rule)", "CN=nobody,O=Elsewhere,C=FR", 0 },
    };
    size_t c;

    if (rules < 7 || n == 0 || repeat == 0) {
        fprintf(stderr, "usage: filter_bench [RULES>=7 [DOMAINS>0]]\n");
        return EXIT_FAILURE;
    }
    virLogSetDefaultPriority(VIR_LOG_WARN);
    path = writePolicy(rules);
    conf.dnpolicyFile = path;
    if (!(mgr = virAccessManagerNew(&conf))) {
        fprintf(stderr, "filter_bench: %s\n", virGetLastErrorMessage());
        return EXIT_FAILURE;
    }
    virAccessManagerSetDefault(mgr);
    makeDomains(n);

    printf("%zu rules, %zu domains, stack [readonly, dnpolicy], median of %zu lists\n",
           rules, n, repeat);
    printf("%-40s %14s %14s %8s\n", "identity", "check ns/dom", "filter ns/dom", "speedup");
    for (c = 0; c < G_N_ELEMENTS(clients); c++) {
        virIdentity *id = virIdentityNew();
        double checks, filter;

        if (clientEnv && strtoul(clientEnv, NULL, 10) != c)
            continue;
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
        virIdentitySetX509DName(id, clients[c].dn);
        virIdentitySetCurrent(id);
        checks = medianNsPerDomain(filterBenchListChecks, repeat, clients[c].kept);
        filter = medianNsPerDomain(filterBenchListFilter, repeat, clients[c].kept);
        printf("%-40s %14.1f %14.2f %7.0fx\n", clients[c].what, checks, filter, checks / filter);
        virIdentitySetCurrent(NULL);
        virIdentityUnref(id);
    }

    virAccessManagerSetDefault(NULL);
    for (c = 0; c < ndomains; c++)
        free(domains[c].name);
    free(domains);
    unlink(path);
    free(path);
    return EXIT_SUCCESS;
}
