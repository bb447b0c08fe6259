/*
 * tenvirtd_setup.c: configuration, logging, access and pid file handling
 * of tenvirtd's start-up and SIGHUP reload.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "remote_auth.h"
#include "tenvirtd_setup.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"

#define VIR_FROM_THIS VIR_FROM_CONF

VIR_LOG_INIT("daemon.setup");

/* ---- configuration -------------------------------------------------------- */

virDaemonConfig *
daemonConfigLoad(const char *configFile)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    if (virDaemonConfigLoadFile(cfg, configFile) < 0) {
        virDaemonConfigFree(cfg);
        return NULL;
    }
    return cfg;
}

static int
daemonCheckOneAuth(const virDaemonConfig *cfg, const char *key, const char *value)
{
    if (!value || STREQ(value, "none") || STREQ(value, "sasl"))
        return 0;
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "%s: unknown %s = \"%s\"",
                   NULLSTR(cfg->configFile), key, value);
    return -1;
}

static bool
daemonUsesSASL(const virDaemonConfig *cfg, bool listen)
{
    return daemonAuthType(cfg->auth_unix_rw) == VIR_NET_SERVER_AUTH_SASL ||
        daemonAuthType(cfg->auth_unix_ro) == VIR_NET_SERVER_AUTH_SASL ||
        (listen && cfg->listen_tcp && daemonAuthType(cfg->auth_tcp) == VIR_NET_SERVER_AUTH_SASL) ||
        (listen && cfg->listen_tls && daemonAuthType(cfg->auth_tls) == VIR_NET_SERVER_AUTH_SASL);
}

int
daemonCheckAuth(const virDaemonConfig *cfg, bool listen)
{
    if (daemonCheckOneAuth(cfg, "auth_unix_rw", cfg->auth_unix_rw) < 0 ||
        daemonCheckOneAuth(cfg, "auth_unix_ro", cfg->auth_unix_ro) < 0)
        return -1;
    if (!listen)
        return 0;
    if (cfg->listen_tcp && daemonCheckOneAuth(cfg, "auth_tcp", cfg->auth_tcp) < 0)
        return -1;
    if (cfg->listen_tls && daemonCheckOneAuth(cfg, "auth_tls", cfg->auth_tls) < 0)
        return -1;
    /* Stock clients demand 56 bits on plain TCP; less would protect
     * nothing worth the name, so it is refused rather than honoured. */
    if (cfg->listen_tcp && daemonAuthType(cfg->auth_tcp) == VIR_NET_SERVER_AUTH_SASL &&
        cfg->tcp_min_ssf < REMOTE_AUTH_MIN_TCP_SSF) {
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "%s: tcp_min_ssf = %d is below %d, the least SASL security layer "
                       "strength supported on plain TCP",
                       NULLSTR(cfg->configFile), cfg->tcp_min_ssf, REMOTE_AUTH_MIN_TCP_SSF);
        return -1;
    }
    return 0;
}

virNetServerAuthType
daemonAuthType(const char *value)
{
    return value && STREQ(value, "sasl") ? VIR_NET_SERVER_AUTH_SASL : VIR_NET_SERVER_AUTH_NONE;
}

/* Whether the SASL configuration offers some mechanism to a connection
 * with these properties: better to refuse to start than to accept
 * clients nobody can log in on. */
static int
daemonProbeSASL(virNetSASLContext *ctx, const char *key, int minSSF, int maxSSF,
                bool plaintext, const char *confDir)
{
    virNetSASLSession *sess = virNetSASLSessionNewServer(ctx, VIR_NET_SASL_SERVICE, NULL, NULL);
    VIR_AUTOFREE(char *) mechs = NULL;

    if (!sess)
        return -1;
    if (virNetSASLSessionSetSecProps(sess, minSSF, maxSSF, plaintext) == 0)
        mechs = virNetSASLSessionListMechanisms(sess);
    virNetSASLSessionFree(sess);
    if (!mechs) {
        virResetLastError();
        virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                       "%s = \"sasl\", but the SASL configuration (%s/%s.conf) offers no "
                       "mechanism for it%s",
                       key, confDir ? confDir : "SASL_CONF_PATH or the library's default",
                       VIR_NET_SASL_SERVICE,
                       minSSF > 0 ? ": plain TCP needs one with a security layer, such as "
                                    "digest-md5, in mech_list" : "");
        return -1;
    }
    VIR_DEBUG("%s: SASL mechanisms %s", key, mechs);
    return 0;
}

int
daemonSetupSASL(const virDaemonConfig *cfg, bool listen)
{
    remoteAuthConfig acfg = {
        .tcpMinSSF = cfg->tcp_min_ssf,
        .failMax = cfg->auth_fail_max,
        .failWindow = cfg->auth_fail_window,
    };
    virNetSASLContext *ctx;

    if (!daemonUsesSASL(cfg, listen))
        return 0;
    if (!(ctx = virNetSASLContextNewServer(cfg->sasl_conf_dir,
                                           (const char *const *)cfg->sasl_allowed_username_list)))
        return -1;
    if ((listen && cfg->listen_tcp && daemonAuthType(cfg->auth_tcp) == VIR_NET_SERVER_AUTH_SASL &&
         daemonProbeSASL(ctx, "auth_tcp", cfg->tcp_min_ssf, 100000, false,
                         cfg->sasl_conf_dir) < 0) ||
        (listen && cfg->listen_tls && daemonAuthType(cfg->auth_tls) == VIR_NET_SERVER_AUTH_SASL &&
         daemonProbeSASL(ctx, "auth_tls", 0, 0, true, cfg->sasl_conf_dir) < 0) ||
        ((daemonAuthType(cfg->auth_unix_rw) == VIR_NET_SERVER_AUTH_SASL ||
          daemonAuthType(cfg->auth_unix_ro) == VIR_NET_SERVER_AUTH_SASL) &&
         daemonProbeSASL(ctx, "auth_unix_rw/ro", 0, 0, false, cfg->sasl_conf_dir) < 0)) {
        virNetSASLContextFree(ctx);
        return -1;
    }
    remoteAuthSetup(ctx, &acfg);
    virNetSASLContextFree(ctx);
    if (cfg->sasl_allowed_username_list && !cfg->sasl_allowed_username_list[0])
        VIR_WARN("sasl_allowed_username_list is empty: no SASL user can connect");
    return 0;
}

void
daemonCleanupSASL(void)
{
    remoteAuthCleanup();
}

int
daemonParsePerms(const char *key, const char *value, mode_t *mode)
{
    unsigned int m;

    if (!value || virStrToLong_ui(value, 8, &m) < 0 || m > 07777) {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s must be an octal mode such as \"0770\", got '%s'",
                       key, NULLSTR(value));
        return -1;
    }
    *mode = m;
    return 0;
}

int
daemonResolveGroup(const char *group, gid_t *gid)
{
    struct group grbuf;
    struct group *gr = NULL;
    char buf[4096];
    unsigned int num;
    int rc;

    if ((rc = getgrnam_r(group, &grbuf, buf, sizeof(buf), &gr)) == 0 && gr) {
        *gid = gr->gr_gid;
        return 0;
    }
    if (virStrToLong_ui(group, 10, &num) == 0) {
        *gid = num;
        return 0;
    }
    virReportError(VIR_ERR_CONFIG_UNSUPPORTED, "unix_sock_group: unknown group '%s'%s%s",
                   group, rc ? ": " : "", rc ? strerror(rc) : "");
    return -1;
}

/* ---- logging ------------------------------------------------------------ */

int
daemonSetupLogging(const virDaemonConfig *cfg, bool verbose)
{
    VIR_AUTOFREE(char *) outputs = NULL;

    if (virLogSetDefaultPriority(verbose ? VIR_LOG_DEBUG : cfg->log_level) < 0)
        return -1;
    if (verbose) {
        /* Everything on stderr, and the configured outputs as well. */
        if (!cfg->log_outputs)
            outputs = virStrdup("1:stderr");
        else if (strstr(cfg->log_outputs, ":stderr"))
            outputs = virStrdup(cfg->log_outputs);
        else
            outputs = virPrintf("1:stderr %s", cfg->log_outputs);
    } else if (cfg->log_outputs) {
        outputs = virStrdup(cfg->log_outputs);
    }
    if (outputs && virLogSetOutputs(outputs) < 0)
        return -1;
    return 0;
}

/* ---- access ------------------------------------------------------------- */

virAccessManager *
daemonAccessManagerNew(const virDaemonConfig *cfg)
{
    virAccessConfig acfg;

    virDaemonConfigGetAccessConfig(cfg, &acfg);
    return virAccessManagerNew(&acfg);
}

/* The keys a SIGHUP applies: exactly what virDaemonConfigGetAccessConfig
 * hands to the access manager. */
static const char *const daemonReloadableKeys[] = {
    "access_drivers", "access_dnpolicy_file", "access_show_denied",
    "tls_restrict_dn", "sasl_restrict_username",
};

static bool
daemonKeyIsReloadable(const char *key)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(daemonReloadableKeys); i++) {
        if (STREQ(daemonReloadableKeys[i], key))
            return true;
    }
    return false;
}

static bool
daemonStringListEqual(char *const *a, char *const *b)
{
    size_t i;

    if (!a || !b)
        return a == b;
    for (i = 0; a[i] && b[i]; i++) {
        if (STRNEQ(a[i], b[i]))
            return false;
    }
    return !a[i] && !b[i];
}

/* Log every setting other than the access ones that differs between the
 * running configuration and the file just read. Generated from the key
 * list, so a new key is covered without a change here. */
static void
daemonLogUnappliedChanges(const virDaemonConfig *running, const virDaemonConfig *fresh,
                          const char *configFile)
{
#define DAEMON_DIFFERS(name, same) \
    if (!daemonKeyIsReloadable(#name) && !(same)) \
        VIR_WARN("%s: '%s' changed; it takes effect only when tenvirtd restarts", \
                 configFile, #name);
#define DAEMON_CMP_SCALAR(name, ...) DAEMON_DIFFERS(name, running->name == fresh->name)
#define DAEMON_CMP_STRING(name, ...) \
    DAEMON_DIFFERS(name, STREQ_NULLABLE(running->name, fresh->name))
#define DAEMON_CMP_LIST(name, ...) \
    DAEMON_DIFFERS(name, daemonStringListEqual(running->name, fresh->name))

    VIR_DAEMON_CONFIG_KEYS(DAEMON_CMP_SCALAR, DAEMON_CMP_SCALAR, DAEMON_CMP_SCALAR,
                           DAEMON_CMP_STRING, DAEMON_CMP_LIST, DAEMON_CMP_STRING,
                           DAEMON_CMP_STRING)

#undef DAEMON_CMP_LIST
#undef DAEMON_CMP_STRING
#undef DAEMON_CMP_SCALAR
#undef DAEMON_DIFFERS
}

/* Log a multi-line error message one line at a time, so that every
 * FILE:LINE is a log line of its own. */
static void
daemonLogErrorLines(const char *what, const char *message)
{
    VIR_AUTOSTRINGLIST lines = virStringSplit(message, '\n');
    size_t i;

    VIR_ERROR("%s", what);
    for (i = 0; lines && lines[i]; i++) {
        if (*lines[i])
            VIR_ERROR("  %s", lines[i]);
    }
}

int
daemonReloadAccess(virAccessManager *mgr, const virDaemonConfig *running,
                   const char *configFile)
{
    virDaemonConfig *fresh;
    virAccessConfig acfg;
    int rv = -1;

    VIR_WARN("SIGHUP: reloading the access settings of %s", configFile);
    if (!(fresh = daemonConfigLoad(configFile))) {
        daemonLogErrorLines("SIGHUP: the configuration does not load; keeping the current "
                            "access policy:", virGetLastErrorMessage());
        return -1;
    }
    virDaemonConfigGetAccessConfig(fresh, &acfg);
    if (virAccessManagerReload(mgr, &acfg) < 0) {
        daemonLogErrorLines("SIGHUP: the new access policy does not load; keeping the "
                            "current one:", virGetLastErrorMessage());
        goto cleanup;
    }
    VIR_WARN("SIGHUP: access policy reloaded from %s (other settings are not reloaded)",
             configFile);
    if (running)
        daemonLogUnappliedChanges(running, fresh, configFile);
    rv = 0;

 cleanup:
    virDaemonConfigFree(fresh);
    return rv;
}

/* ---- pid file ----------------------------------------------------------- */

int
daemonPidFileAcquire(const char *path)
{
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    char buf[32];
    int fd;
    int len;

    if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        virReportSystemError(errno, "cannot open pid file '%s'", path);
        return -1;
    }
    /* The lock, not the file's existence, says whether a daemon runs: a
     * file left by a crash does not keep tenvirtd from starting. */
    if (fcntl(fd, F_SETLK, &lock) < 0) {
        if (errno == EAGAIN || errno == EACCES)
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "pid file '%s' is locked: is another tenvirtd running?", path);
        else
            virReportSystemError(errno, "cannot lock pid file '%s'", path);
        close(fd);
        return -1;
    }
    len = snprintf(buf, sizeof(buf), "%lld\n", (long long)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, len) != len) {
        virReportSystemError(errno, "cannot write pid file '%s'", path);
        unlink(path);
        close(fd);
        return -1;
    }
    return fd;
}

void
daemonPidFileRelease(const char *path, int fd)
{
    if (fd < 0)
        return;
    /* Unlink while still holding the lock, so no new daemon's file is removed. */
    if (unlink(path) < 0 && errno != ENOENT)
        VIR_WARN("cannot remove pid file '%s': %s", path, strerror(errno));
    close(fd);
}
