/*
 * lookup_bench.c: domain lookups of the test driver, in process.
 *
 * Writes a node file of N domains (custK-vmJ, ten per customer, every
 * fourth shut off: the hosts of run-rpc-bench.sh), opens it as
 * test:///PATH, and times OPS rounds of virDomainLookupByName on a
 * pseudo-random domain followed by virDomainGetInfo on it (which looks the
 * domain up again, by UUID), then OPS lookups by id and one
 * virConnectListAllDomains per 1,000 ops. No RPC: what remains is the
 * driver's own cost.
 *
 *   bench/lookup_bench [--domains N] [--ops OPS]
 *
 * For instruction counts, run it under
 *   valgrind --tool=callgrind --toggle-collect=lookupBenchByName ...
 * which counts only the measured loop of name lookups.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvirt_internal.h"

static double
nowSeconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
writeNodeFile(const char *path, int ndomains)
{
    FILE *f = fopen(path, "w");
    int i;

    if (!f)
        return -1;
    fprintf(f, "<node>\n  <memory>536870912</memory>\n");
    for (i = 0; i < ndomains; i++) {
        int k = i / 10 + 1;
        int j = i % 10 + 1;

        fprintf(f, "  <domain type='test'"
                   " xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
                   "    <name>cust%d-vm%d</name>\n"
                   "    <uuid>%08x-%04x-4000-8000-%012x</uuid>\n"
                   "    <memory>1048576</memory><vcpu>2</vcpu>\n"
                   "    <os><type arch='x86_64'>hvm</type></os>\n%s"
                   "  </domain>\n",
                k, j, k, j, i + 1, j % 4 == 0 ? "    <test:runstate>5</test:runstate>\n" : "");
    }
    fprintf(f, "</node>\n");
    return fclose(f);
}

/* The same sequence of domains in every run, before and after a change. */
static unsigned int
nextRandom(unsigned int *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* Not inlined: callgrind's --toggle-collect names it. */
static int __attribute__((noinline))
lookupBenchByName(virConnectPtr conn, int ndomains, long ops)
{
    unsigned int rng = 1;
    long i;

    for (i = 0; i < ops; i++) {
        unsigned int n = nextRandom(&rng) % (unsigned int)ndomains;
        char name[32];
        virDomainPtr dom;
        virDomainInfo info;

        snprintf(name, sizeof(name), "cust%u-vm%u", n / 10 + 1, n % 10 + 1);
        if (!(dom = virDomainLookupByName(conn, name)) || virDomainGetInfo(dom, &info) < 0) {
            fprintf(stderr, "lookup of %s: %s\n", name, virGetLastErrorMessage());
            return -1;
        }
        virDomainFree(dom);
    }
    return 0;
}

static int __attribute__((noinline))
lookupBenchByID(virConnectPtr conn, int maxID, long ops)
{
    unsigned int rng = 2;
    long i;

    for (i = 0; i < ops; i++) {
        int id = (int)(nextRandom(&rng) % (unsigned int)maxID) + 1;
        virDomainPtr dom = virDomainLookupByID(conn, id);

        /* Ids of domains shut off in the node file are never given out. */
        if (dom)
            virDomainFree(dom);
    }
    return 0;
}

static int __attribute__((noinline))
lookupBenchList(virConnectPtr conn, long ops)
{
    long i;

    for (i = 0; i < ops; i++) {
        virDomainPtr *doms = NULL;
        int n = virConnectListAllDomains(conn, &doms, 0);
        int j;

        if (n < 0)
            return -1;
        for (j = 0; j < n; j++)
            virDomainFree(doms[j]);
        free(doms);
    }
    return 0;
}

int
main(int argc, char **argv)
{
    int ndomains = 10000;
    long ops = 100000;
    char dir[] = "/tmp/lookup-bench.XXXXXX";
    char path[64];
    char uri[80];
    virConnectPtr conn;
    double start;
    int active;
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--domains") == 0) {
            ndomains = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--ops") == 0) {
            ops = atol(argv[i + 1]);
        } else {
            fprintf(stderr, "usage: %s [--domains N] [--ops OPS]\n", argv[0]);
            return 2;
        }
    }
    if (i != argc || ndomains <= 0 || ops < 0) {
        fprintf(stderr, "usage: %s [--domains N] [--ops OPS]\n", argv[0]);
        return 2;
    }

    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/node-%d.xml", dir, ndomains);
    snprintf(uri, sizeof(uri), "test://%s", path);
    if (writeNodeFile(path, ndomains) < 0) {
        perror(path);
        return 1;
    }

    start = nowSeconds();
    conn = virConnectOpen(uri);
    unlink(path);
    rmdir(dir);
    if (!conn) {
        fprintf(stderr, "cannot open %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }
    printf("load of %d domains: %.3f s\n", ndomains, nowSeconds() - start);

    start = nowSeconds();
    if (lookupBenchByName(conn, ndomains, ops) < 0)
        return 1;
    printf("LookupByName+GetInfo: %ld ops, %.0f ns/op\n", ops,
           ops ? (nowSeconds() - start) * 1e9 / ops : 0);

    active = virConnectNumOfDomains(conn);
    start = nowSeconds();
    lookupBenchByID(conn, active > 0 ? active : 1, ops);
    printf("LookupByID: %ld ops, %.0f ns/op\n", ops,
           ops ? (nowSeconds() - start) * 1e9 / ops : 0);

    start = nowSeconds();
    if (lookupBenchList(conn, ops / 1000) < 0)
        return 1;
    printf("ListAllDomains: %ld ops, %.0f us/op\n", ops / 1000,
           ops >= 1000 ? (nowSeconds() - start) * 1e6 / (ops / 1000) : 0);

    virConnectClose(conn);
    virStateCleanup();
    return 0;
}
