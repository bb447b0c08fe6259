/*
 * tenvirtd.c: the Tenvirt daemon.
 *
 *   tenvirtd [--config FILE] [--listen] [--pid-file FILE] [--verbose]
 *
 * Runs in the foreground (systemd starts it as Type=simple). Without
 * --listen only the UNIX sockets are opened, as with libvirtd; with it
 * also the TCP and TLS listeners that tenvirtd.conf enables. Once every
 * listener is open one line "tenvirtd: listening on ..." goes to stderr
 * (with the real ports when a port is "0"). SIGTERM and SIGINT stop the
 * daemon cleanly; SIGHUP reloads the access policy.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvirt_internal.h"
#include "remote_dispatch.h"
#include "tenvirtd_setup.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetserver.h"
#include "virnettls.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("daemon.tenvirtd");

typedef struct {
    char *configFile;           /* absolute, or NULL: built-in defaults */
    virDaemonConfig *cfg;       /* in force since start-up */
    virAccessManager *mgr;      /* owned by the access framework (SetDefault) */
} daemonState;

static void
daemonUsage(FILE *out)
{
    fprintf(out,
            "Usage: tenvirtd [OPTION]...\n"
            "Serve the libvirt remote protocol with per-client access control.\n"
            "\n"
            "  -f, --config FILE    configuration file (default: %s)\n"
            "  -l, --listen         also open the TCP and TLS listeners of the configuration\n"
            "  -p, --pid-file FILE  write the daemon's pid to FILE (removed at exit)\n"
            "  -v, --verbose        log debug messages to stderr\n"
            "  -V, --version        print the version and exit\n"
            "  -h, --help           print this help and exit\n"
            "\n"
            "Signals: SIGHUP reloads the access policy, SIGTERM/SIGINT stop the daemon.\n",
            DAEMON_DEFAULT_CONFIG_FILE);
}

/* Print the thread's last error, one line per line of it (a config error
 * lists every bad line as FILE:LINE). */
static void
daemonPrintError(const char *what)
{
    VIR_AUTOFREE(char *) msg = virStrdup(virGetLastErrorMessage());
    char *line;
    char *save = NULL;

    fprintf(stderr, "tenvirtd: %s\n", what);
    for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        fprintf(stderr, "tenvirtd: %s\n", line);
}

/* The absolute name of @path: the base for the config's relative paths
 * and the file SIGHUP re-reads even if the working directory changes. */
static char *
daemonAbsolutePath(const char *path)
{
    char *abs = realpath(path, NULL);

    if (!abs)
        virReportSystemError(errno, "cannot read configuration file '%s'", path);
    return abs;
}

static int
daemonMakeDirs(const char *dir)
{
    VIR_AUTOFREE(char *) copy = virStrdup(dir);
    char *p;

    for (p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            virReportSystemError(errno, "cannot create directory '%s'", copy);
            return -1;
        }
        *p = '/';
    }
    if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
        virReportSystemError(errno, "cannot create directory '%s'", copy);
        return -1;
    }
    return 0;
}

static void
daemonReloadHandler(virNetServer *srv, int signum, void *opaque)
{
    daemonState *state = opaque;

    if (!state->configFile) {
        VIR_WARN("SIGHUP: tenvirtd runs without a configuration file; nothing to reload");
        return;
    }
    daemonReloadAccess(state->mgr, state->cfg, state->configFile);
}

/* Open every listener; append "KIND WHERE" for each to @ready. */
static int
daemonAddServices(virNetServer *srv, const virDaemonConfig *cfg, bool listen,
                  virNetTLSContext *tls, virBuffer *ready, char **sockPaths)
{
    const char *addr = cfg->listen_addr;
    const char *shownAddr = addr ? addr : "*";
    size_t nservices = 0;
    mode_t rwMode;
    mode_t roMode;
    gid_t gid = (gid_t)-1;
    VIR_AUTOFREE(char *) rw = NULL;
    VIR_AUTOFREE(char *) ro = NULL;

    if (daemonParsePerms("unix_sock_rw_perms", cfg->unix_sock_rw_perms, &rwMode) < 0 ||
        daemonParsePerms("unix_sock_ro_perms", cfg->unix_sock_ro_perms, &roMode) < 0)
        return -1;
    if (cfg->unix_sock_group && daemonResolveGroup(cfg->unix_sock_group, &gid) < 0)
        return -1;
    if (daemonMakeDirs(cfg->unix_sock_dir) < 0)
        return -1;

    rw = virPrintf("%s/" DAEMON_UNIX_SOCK_RW, cfg->unix_sock_dir);
    if (virNetServerAddServiceUNIX(srv, rw, rwMode, gid, false,
                                   daemonAuthType(cfg->auth_unix_rw)) < 0)
        return -1;
    /* Ours to remove at exit only once bound: a failed bind may mean the
     * path belongs to another daemon. */
    sockPaths[nservices++] = rw;
    rw = NULL;
    virBufferAsprintf(ready, "unix %s", sockPaths[0]);

    ro = virPrintf("%s/" DAEMON_UNIX_SOCK_RO, cfg->unix_sock_dir);
    if (virNetServerAddServiceUNIX(srv, ro, roMode, gid, true,
                                   daemonAuthType(cfg->auth_unix_ro)) < 0)
        return -1;
    sockPaths[nservices++] = ro;
    ro = NULL;
    virBufferAsprintf(ready, ", unix-ro %s", sockPaths[1]);

    if (!listen)
        return 0;
    if (cfg->listen_tcp) {
        if (virNetServerAddServiceTCP(srv, addr, cfg->tcp_port, NULL,
                                      daemonAuthType(cfg->auth_tcp)) < 0)
            return -1;
        virBufferAsprintf(ready, ", tcp %s:%d", shownAddr,
                          virNetServerGetPort(srv, nservices++));
    }
    if (cfg->listen_tls) {
        if (virNetServerAddServiceTCP(srv, addr, cfg->tls_port, tls,
                                      daemonAuthType(cfg->auth_tls)) < 0)
            return -1;
        virBufferAsprintf(ready, ", tls %s:%d", shownAddr,
                          virNetServerGetPort(srv, nservices++));
    }
    return 0;
}

static virNetTLSContext *
daemonTLSContextNew(const virDaemonConfig *cfg)
{
    /* The CRL is optional: its default path usually does not exist. */
    const char *crl = cfg->crl_file && access(cfg->crl_file, F_OK) == 0 ? cfg->crl_file : NULL;

    return virNetTLSContextNewServer(cfg->ca_file, crl, cfg->cert_file, cfg->key_file,
                                     (const char *const *)cfg->tls_allowed_dn_list,
                                     cfg->tls_priority, !cfg->tls_no_verify_certificate);
}

int
main(int argc, char **argv)
{
    static const struct option options[] = {
        { "config", required_argument, NULL, 'f' },
        { "listen", no_argument, NULL, 'l' },
        { "pid-file", required_argument, NULL, 'p' },
        { "verbose", no_argument, NULL, 'v' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    daemonState state = { 0 };
    const char *configArg = NULL;
    const char *pidFile = NULL;
    bool listen = false;
    bool verbose = false;
    int pidFd = -1;
    virNetServer *srv = NULL;
    virNetServerProgram *prog = NULL;
    virNetTLSContext *tls = NULL;
    virNetServerConfig scfg;
    virBuffer ready = VIR_BUFFER_INITIALIZER;
    char *sockPaths[2] = { NULL, NULL };
    int ret = EXIT_FAILURE;
    int c;
    size_t i;

    while ((c = getopt_long(argc, argv, "f:lp:vVh", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            configArg = optarg;
            break;
        case 'l':
            listen = true;
            break;
        case 'p':
            pidFile = optarg;
            break;
        case 'v':
            verbose = true;
            break;
        case 'V':
            printf("tenvirtd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return EXIT_SUCCESS;
        case 'h':
            daemonUsage(stdout);
            return EXIT_SUCCESS;
        default:
            daemonUsage(stderr);
            return EXIT_FAILURE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "tenvirtd: unexpected argument '%s'\n", argv[optind]);
        daemonUsage(stderr);
        return EXIT_FAILURE;
    }

    /* A client closing its socket must not kill the daemon. */
    signal(SIGPIPE, SIG_IGN);

    /* An explicit --config must exist; the default file may be absent,
     * and then the built-in defaults apply, as with libvirtd. */
    if (configArg || access(DAEMON_DEFAULT_CONFIG_FILE, F_OK) == 0) {
        if (!(state.configFile = daemonAbsolutePath(configArg ? configArg
                                                               : DAEMON_DEFAULT_CONFIG_FILE))) {
            daemonPrintError("cannot load the configuration:");
            goto cleanup;
        }
        if (!(state.cfg = daemonConfigLoad(state.configFile))) {
            daemonPrintError("the configuration has errors:");
            goto cleanup;
        }
    } else {
        state.cfg = virDaemonConfigNew();
    }

    if (daemonSetupLogging(state.cfg, verbose) < 0) {
        daemonPrintError("cannot set up logging:");
        goto cleanup;
    }
    if (daemonCheckAuth(state.cfg, listen) < 0) {
        daemonPrintError("refusing to start:");
        goto cleanup;
    }

    /* Fail closed: no policy, no daemon. */
    if (!(state.mgr = daemonAccessManagerNew(state.cfg))) {
        daemonPrintError("the access policy has errors:");
        goto cleanup;
    }
    virAccessManagerSetDefault(state.mgr);
    virInitialize();
    /* Clients open only the configured hypervisors: a test-driver URI names a
     * file on this host, which no client may choose freely. */
    virConnectSetOpenAllowList(state.cfg->hypervisor_uris);

    /* Before any socket: a second daemon must not replace the first one's. */
    if (pidFile && (pidFd = daemonPidFileAcquire(pidFile)) < 0) {
        daemonPrintError("cannot write the pid file:");
        goto cleanup;
    }

    if (listen && state.cfg->listen_tls && !(tls = daemonTLSContextNew(state.cfg))) {
        daemonPrintError("cannot set up TLS:");
        goto cleanup;
    }
    if (daemonSetupSASL(state.cfg, listen) < 0) {
        daemonPrintError("cannot set up SASL:");
        goto cleanup;
    }

    memset(&scfg, 0, sizeof(scfg));
    scfg.maxClients = state.cfg->max_clients;
    scfg.maxAnonymousClients = state.cfg->max_anonymous_clients;
    scfg.maxWorkers = state.cfg->max_workers;
    scfg.minWorkers = state.cfg->min_workers < state.cfg->max_workers ?
        state.cfg->min_workers : state.cfg->max_workers;
    scfg.maxClientRequests = state.cfg->max_client_requests;
    scfg.keepaliveInterval = state.cfg->keepalive_interval;
    scfg.keepaliveCount = state.cfg->keepalive_count;
    scfg.authTimeout = DAEMON_AUTH_TIMEOUT;
    if (!(srv = virNetServerNew(&scfg))) {
        daemonPrintError("cannot create the server:");
        goto cleanup;
    }
    if (!(prog = virNetServerProgramNew(REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                        remoteProcedures, remoteNProcedures))) {
        daemonPrintError("cannot create the remote program:");
        goto cleanup;
    }
    virNetServerAddProgram(srv, prog);
    virNetServerSetClientHooks(srv, remoteClientInitHook, remoteClientCloseHook, NULL);

    if (daemonAddServices(srv, state.cfg, listen, tls, &ready, sockPaths) < 0) {
        daemonPrintError("cannot listen:");
        goto cleanup;
    }
    if (virNetServerAddSignalHandler(srv, SIGHUP, daemonReloadHandler, &state) < 0) {
        daemonPrintError("cannot handle SIGHUP:");
        goto cleanup;
    }

    /* Scripts and tests wait for this line. */
    VIR_INFO("listening on %s", virBufferCurrentContent(&ready));
    fprintf(stderr, "tenvirtd: listening on %s\n", virBufferCurrentContent(&ready));

    if (virNetServerRun(srv) < 0) {
        daemonPrintError("the server failed:");
        goto cleanup;
    }
    VIR_INFO("shutting down");
    ret = EXIT_SUCCESS;

 cleanup:
    /* Clients first (their close hooks close connections), then what
     * they used. */
    virNetServerFree(srv);
    virNetServerProgramFree(prog);
    virNetTLSContextFree(tls);
    daemonCleanupSASL();
    for (i = 0; i < G_N_ELEMENTS(sockPaths); i++) {
        if (sockPaths[i] && unlink(sockPaths[i]) < 0 && errno != ENOENT)
            VIR_WARN("cannot remove socket '%s': %s", sockPaths[i], strerror(errno));
        free(sockPaths[i]);
    }
    virBufferFreeAndReset(&ready);
    if (state.mgr)
        virAccessManagerSetDefault(NULL);
    virStateCleanup();
    if (pidFile)
        daemonPidFileRelease(pidFile, pidFd);
    virDaemonConfigFree(state.cfg);
    free(state.configFile);
    virResetLastError();
    virLogReset();
    return ret;
}
