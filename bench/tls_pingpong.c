/*
 * tls_pingpong.c: the floor under an RPC over TLS. A gnutls server (a
 * forked child, one thread per connection) and client threads in this
 * process exchange a fixed-size message (28 bytes by default: the length
 * word and header of a libvirt call without arguments, such as
 * CONNECT_GET_LIB_VERSION) back and forth, with the same certificates,
 * priority string and mutual certificate verification as the daemons.
 *
 * Workloads:
 *   pingpong   on an established session: write the message, read the
 *              echo (one op = one round trip)
 *   handshake  TCP connect, TLS handshake (both sides verify the peer's
 *              certificate; the server also reads the client's DN, as a
 *              daemon does), one round trip, bye, close
 * --plain does the same over bare TCP (no TLS). Both ends set TCP_NODELAY,
 * as tenvirtd's sockets do.
 *
 * Output: the RESULT lines of bench/rpc_bench (see there); the "daemon"
 * CPU is the server child's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "benchclock.h"

#define MAX_THREADS 64
#define MAX_MSG 65536

static struct {
    bool plain;
    const char *ca, *cert, *key, *clientCert, *clientKey, *priority;
    int threads[16];
    size_t nthreads;
    double duration, warmup;
    bool pingpong, handshake;
    size_t size;
} opt = {
    .priority = "NORMAL",
    .duration = 2.0,
    .warmup = 0.5,
    .size = 28,
};

static struct sockaddr_in serverAddr;
static gnutls_certificate_credentials_t clientCred;
static gnutls_priority_t prio;
static uint64_t tStart, tMeasure, tEnd;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "tls_pingpong: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* ---- one connection, either side ------------------------------------------ */

typedef struct {
    int fd;
    gnutls_session_t s;         /* NULL with --plain */
} conn;

static int
connWriteAll(conn *c, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = c->s ? gnutls_record_send(c->s, buf, len) : send(c->fd, buf, len, 0);

        if (n < 0 && (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN ||
                      (!c->s && errno == EINTR)))
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* 0, or -1 on error or EOF. */
static int
connReadAll(conn *c, char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = c->s ? gnutls_record_recv(c->s, buf, len) : recv(c->fd, buf, len, 0);

        if (n < 0 && (n == GNUTLS_E_INTERRUPTED || n == GNUTLS_E_AGAIN ||
                      (!c->s && errno == EINTR)))
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void
connClose(conn *c)
{
    if (c->s) {
        gnutls_bye(c->s, GNUTLS_SHUT_WR);
        gnutls_deinit(c->s);
        c->s = NULL;
    }
    close(c->fd);
    c->fd = -1;
}

/* As tenvirtd does: small writes in a row (the client's Finished, then its
 * first message) would otherwise wait for a delayed ACK (40 ms). */
static void
setNoDelay(int fd)
{
    int on = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
}

/* ---- server (child process) ------------------------------------------------- */

static gnutls_certificate_credentials_t serverCred;

static void *
serverConn(void *arg)
{
    conn c = { (int)(intptr_t)arg, NULL };
    char buf[MAX_MSG];

    if (!opt.plain) {
        const gnutls_datum_t *certs;
        unsigned int status = 0, ncerts = 0;
        gnutls_x509_crt_t crt;
        char dn[1024];
        size_t dnlen = sizeof(dn);
        int rc;

        gnutls_init(&c.s, GNUTLS_SERVER);
        gnutls_priority_set(c.s, prio);
        gnutls_credentials_set(c.s, GNUTLS_CRD_CERTIFICATE, serverCred);
        gnutls_certificate_server_set_request(c.s, GNUTLS_CERT_REQUIRE);
        gnutls_transport_set_int(c.s, c.fd);
        do {
            rc = gnutls_handshake(c.s);
        } while (rc < 0 && !gnutls_error_is_fatal(rc));
        if (rc < 0)
            goto out;
        /* What a daemon does with the client: verify, then take its DN. */
        if (gnutls_certificate_verify_peers2(c.s, &status) < 0 || status != 0)
            goto out;
        if (!(certs = gnutls_certificate_get_peers(c.s, &ncerts)) || ncerts == 0)
            goto out;
        gnutls_x509_crt_init(&crt);
        if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ||
            gnutls_x509_crt_get_dn(crt, dn, &dnlen) < 0) {
            gnutls_x509_crt_deinit(crt);
            goto out;
        }
        gnutls_x509_crt_deinit(crt);
    }
    while (connReadAll(&c, buf, opt.size) == 0) {
        if (connWriteAll(&c, buf, opt.size) < 0)
            break;
    }
 out:
    connClose(&c);
    return NULL;
}

static void __attribute__((noreturn))
serverMain(int lfd)
{
    pthread_attr_t attr;

    if (!opt.plain) {
        int rc;

        gnutls_certificate_allocate_credentials(&serverCred);
        if ((rc = gnutls_certificate_set_x509_trust_file(serverCred, opt.ca,
                                                         GNUTLS_X509_FMT_PEM)) < 0)
            die("server: CA %s: %s", opt.ca, gnutls_strerror(rc));
        if ((rc = gnutls_certificate_set_x509_key_file(serverCred, opt.cert, opt.key,
                                                       GNUTLS_X509_FMT_PEM)) < 0)
            die("server: certificate %s: %s", opt.cert, gnutls_strerror(rc));
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        pthread_t tid;

        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            die("server: accept: %s", strerror(errno));
        }
        setNoDelay(fd);
        if (pthread_create(&tid, &attr, serverConn, (void *)(intptr_t)fd) != 0)
            close(fd);
    }
}

/* ---- client ------------------------------------------------------------------ */

static int
clientConnect(conn *c)
{
    int rc;

    c->s = NULL;
    if ((c->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
        return -1;
    if (connect(c->fd, (struct sockaddr *)&serverAddr, sizeof(serverAddr)) < 0) {
        close(c->fd);
        return -1;
    }
    setNoDelay(c->fd);
    if (opt.plain)
        return 0;
    gnutls_init(&c->s, GNUTLS_CLIENT);
    gnutls_priority_set(c->s, prio);
    gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, clientCred);
    /* Verify the server's chain and that it is 127.0.0.1, as a libvirt client does. */
    gnutls_session_set_verify_cert(c->s, "127.0.0.1", 0);
    gnutls_transport_set_int(c->s, c->fd);
    do {
        rc = gnutls_handshake(c->s);
    } while (rc < 0 && !gnutls_error_is_fatal(rc));
    if (rc < 0) {
        fprintf(stderr, "tls_pingpong: handshake: %s\n", gnutls_strerror(rc));
        connClose(c);
        return -1;
    }
    return 0;
}

typedef struct {
    bool handshake;
    uint64_t *lat;
    size_t nlat, alat;
    bool failed;
} worker;

static worker workers[MAX_THREADS];

static void *
workerMain(void *arg)
{
    worker *w = arg;
    char msg[MAX_MSG], back[MAX_MSG];
    conn c = { -1, NULL };

    memset(msg, 'x', opt.size);
    if (!w->handshake && clientConnect(&c) < 0) {
        w->failed = true;
        return NULL;
    }
    benchSleepUntil(tStart);
    for (;;) {
        uint64_t t0 = benchNowNs(), t1;

        if (t0 >= tEnd)
            break;
        if (w->handshake && clientConnect(&c) < 0) {
            w->failed = true;
            break;
        }
        if (connWriteAll(&c, msg, opt.size) < 0 || connReadAll(&c, back, opt.size) < 0) {
            w->failed = true;
            break;
        }
        if (w->handshake)
            connClose(&c);
        t1 = benchNowNs();
        if (t0 < tMeasure)
            continue;
        if (w->nlat == w->alat) {
            w->alat = w->alat ? w->alat * 2 : 4096;
            if (!(w->lat = realloc(w->lat, w->alat * sizeof(*w->lat))))
                die("out of memory");
        }
        w->lat[w->nlat++] = t1 - t0;
    }
    if (!w->handshake && c.fd >= 0)
        connClose(&c);
    return NULL;
}

static void
runCell(pid_t server, bool handshake, int nthreads)
{
    pthread_t tids[MAX_THREADS];
    const char *wl = handshake ? "handshake" : "pingpong";
    const char *label = opt.plain ? "tcp-pingpong" : "tls-pingpong";
    double d0, d1, c0, c1;
    uint64_t *all, sum = 0;
    size_t total = 0, k = 0, i;
    int t;

    fprintf(stderr, "tls_pingpong: %s %s x%d ...\n", label, wl, nthreads);
    /* Leave time for the pingpong threads' handshakes before the start. */
    tStart = benchNowNs() + 200000000ull;
    tMeasure = tStart + (uint64_t)(opt.warmup * 1e9);
    tEnd = tMeasure + (uint64_t)(opt.duration * 1e9);
    for (t = 0; t < nthreads; t++) {
        workers[t].handshake = handshake;
        workers[t].nlat = 0;
        workers[t].failed = false;
        if (pthread_create(&tids[t], NULL, workerMain, &workers[t]) != 0)
            die("pthread_create failed");
    }
    benchSleepUntil(tMeasure);
    d0 = benchProcCpu(server);
    c0 = benchSelfCpu();
    benchSleepUntil(tEnd);
    d1 = benchProcCpu(server);
    c1 = benchSelfCpu();
    for (t = 0; t < nthreads; t++)
        pthread_join(tids[t], NULL);
    for (t = 0; t < nthreads; t++) {
        if (workers[t].failed)
            die("%s %s: thread %d failed", label, wl, t);
        total += workers[t].nlat;
    }
    if (!total || !(all = malloc(total * sizeof(*all))))
        die("%s %s: no round trip measured", label, wl);
    for (t = 0; t < nthreads; t++) {
        for (i = 0; i < workers[t].nlat; i++) {
            all[k++] = workers[t].lat[i];
            sum += workers[t].lat[i];
        }
    }
    qsort(all, total, sizeof(*all), benchCmpU64);
    printf("RESULT\t%s\t%s\t%s\t%d\t%zu\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\n",
           label, opt.plain ? "tcp" : "tls", wl, nthreads, total, opt.duration,
           total / opt.duration, all[total / 2] / 1e3,
           all[(size_t)((double)total * 0.99)] / 1e3, (double)sum / total / 1e3,
           d0 >= 0 && d1 >= 0 ? (d1 - d0) * 1e6 / total : -1.0, (c1 - c0) * 1e6 / total);
    fflush(stdout);
    free(all);
}

static void
usage(FILE *f)
{
    fprintf(f,
            "usage: tls_pingpong --ca FILE --cert FILE --key FILE --client-cert FILE\n"
            "                    --client-key FILE [options]\n"
            "       tls_pingpong --plain [options]\n"
            "  --threads LIST     e.g. 1,4 (default 1,4)\n"
            "  --duration SEC     measured time per cell (default 2)\n"
            "  --warmup SEC       unmeasured time before it (default 0.5)\n"
            "  --workloads LIST   of pingpong,handshake (default both)\n"
            "  --size BYTES       message size (default 28)\n"
            "  --priority STR     gnutls priority string (default NORMAL)\n");
}

int
main(int argc, char **argv)
{
    socklen_t alen = sizeof(serverAddr);
    pid_t server;
    size_t k;
    int i, lfd, status;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--plain") == 0) {
            opt.plain = true;
            continue;
        }
        if (!v)
            die("%s needs a value (--help)", a);
        i++;
        if (strcmp(a, "--ca") == 0)
            opt.ca = v;
        else if (strcmp(a, "--cert") == 0)
            opt.cert = v;
        else if (strcmp(a, "--key") == 0)
            opt.key = v;
        else if (strcmp(a, "--client-cert") == 0)
            opt.clientCert = v;
        else if (strcmp(a, "--client-key") == 0)
            opt.clientKey = v;
        else if (strcmp(a, "--priority") == 0)
            opt.priority = v;
        else if (strcmp(a, "--duration") == 0)
            opt.duration = atof(v);
        else if (strcmp(a, "--warmup") == 0)
            opt.warmup = atof(v);
        else if (strcmp(a, "--size") == 0)
            opt.size = (size_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--threads") == 0) {
            char *copy = strdup(v), *save = NULL, *tok;

            opt.nthreads = 0;

            for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int n = atoi(tok);

                if (n < 1 || n > MAX_THREADS || opt.nthreads == 16)
                    die("bad --threads '%s'", v);
                opt.threads[opt.nthreads++] = n;
            }
            free(copy);
        } else if (strcmp(a, "--workloads") == 0) {
            opt.pingpong = strstr(v, "pingpong") != NULL;
            opt.handshake = strstr(v, "handshake") != NULL;
        } else {
            usage(stderr);
            die("unknown option '%s'", a);
        }
    }
    if (!opt.plain && (!opt.ca || !opt.cert || !opt.key || !opt.clientCert || !opt.clientKey)) {
        usage(stderr);
        die("TLS needs --ca, --cert, --key, --client-cert and --client-key");
    }
    if (opt.size == 0 || opt.size > MAX_MSG || opt.duration <= 0)
        die("bad --size or --duration");
    if (!opt.pingpong && !opt.handshake)
        opt.pingpong = opt.handshake = true;
    if (opt.nthreads == 0) {
        opt.threads[0] = 1;
        opt.threads[1] = 4;
        opt.nthreads = 2;
    }

    if (gnutls_global_init() < 0)
        die("gnutls_global_init failed");
    if (gnutls_priority_init(&prio, opt.priority, NULL) < 0)
        die("bad priority string '%s'", opt.priority);

    if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
        die("socket: %s", strerror(errno));
    memset(&serverAddr, 0, sizeof(serverAddr));
    serverAddr.sin_family = AF_INET;
    serverAddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&serverAddr, sizeof(serverAddr)) < 0 ||
        listen(lfd, 128) < 0 ||
        getsockname(lfd, (struct sockaddr *)&serverAddr, &alen) < 0)
        die("listen: %s", strerror(errno));
    fflush(NULL);
    if ((server = fork()) < 0)
        die("fork: %s", strerror(errno));
    if (server == 0)
        serverMain(lfd);
    close(lfd);

    if (!opt.plain) {
        int rc;

        gnutls_certificate_allocate_credentials(&clientCred);
        if ((rc = gnutls_certificate_set_x509_trust_file(clientCred, opt.ca,
                                                         GNUTLS_X509_FMT_PEM)) < 0)
            die("CA %s: %s", opt.ca, gnutls_strerror(rc));
        if ((rc = gnutls_certificate_set_x509_key_file(clientCred, opt.clientCert,
                                                       opt.clientKey, GNUTLS_X509_FMT_PEM)) < 0)
            die("client certificate %s: %s", opt.clientCert, gnutls_strerror(rc));
    }
    fprintf(stderr, "tls_pingpong: gnutls %s, priority %s, %zu-byte messages\n",
            gnutls_check_version(NULL), opt.priority, opt.size);
    if (opt.pingpong) {
        for (k = 0; k < opt.nthreads; k++)
            runCell(server, false, opt.threads[k]);
    }
    if (opt.handshake) {
        for (k = 0; k < opt.nthreads; k++)
            runCell(server, true, opt.threads[k]);
    }
    kill(server, SIGTERM);
    waitpid(server, &status, 0);
    return 0;
}
