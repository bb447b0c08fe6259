/*
 * tenvirtd_setup.h: the parts of tenvirtd's start-up and reload that do
 * not need a running server, kept apart from main() so that they can be
 * tested on their own.
 */
#ifndef TENVIRT_TENVIRTD_SETUP_H
#define TENVIRT_TENVIRTD_SETUP_H

#include <sys/types.h>
#include "internal.h"
#include "viraccessmanager.h"
#include "virdaemonconf.h"
#include "virnetserver.h"

/* Where tenvirtd looks for its configuration without --config. */
#define DAEMON_DEFAULT_CONFIG_FILE SYSCONFDIR "/tenvirt/tenvirtd.conf"

/* Names of the UNIX sockets inside unix_sock_dir (libvirtd's names, so
 * that clients find them with ?socket= or their defaults). */
#define DAEMON_UNIX_SOCK_RW "libvirt-sock"
#define DAEMON_UNIX_SOCK_RO "libvirt-sock-ro"

/* Load @configFile (absolute, so that SIGHUP re-reads the same file
 * whatever the working directory) into a new configuration; the loader
 * takes relative paths in it relative to its directory. NULL with the
 * loader's error (every bad line as FILE:LINE) if it does not load. */
virDaemonConfig *daemonConfigLoad(const char *configFile);

/* Seconds a client of a listener with authentication has to complete it
 * before it is dropped (a client that stops half-way holds a slot). */
#define DAEMON_AUTH_TIMEOUT 60

/* Check the authentication settings of the listeners that will be opened
 * (both UNIX sockets always; TCP and TLS with @listen): "none" or "sasl",
 * and with SASL on plain TCP a tcp_min_ssf of at least 56. 0, or -1 with
 * an error saying which setting to change. */
int daemonCheckAuth(const virDaemonConfig *cfg, bool listen);

/* The server's scheme for an auth_* value ("none" or "sasl"; NULL: none). */
virNetServerAuthType daemonAuthType(const char *value);

/* If a listener that will be opened uses SASL: start the SASL library with
 * sasl_conf_dir (else SASL_CONF_PATH) and hand the authentication
 * procedures their settings (sasl_allowed_username_list, tcp_min_ssf,
 * auth_fail_max, auth_fail_window). 0, or -1 with an error. Undo with
 * daemonCleanupSASL. */
int daemonSetupSASL(const virDaemonConfig *cfg, bool listen);
void daemonCleanupSASL(void);

/* Parse an octal mode ("0770"). 0, or -1 with an error. */
int daemonParsePerms(const char *key, const char *value, mode_t *mode);

/* The gid of @group (a name or a number), or -1 with an error. */
int daemonResolveGroup(const char *group, gid_t *gid);

/* Apply log_level and log_outputs; @verbose: debug messages to stderr
 * as well. 0, or -1 with an error. */
int daemonSetupLogging(const virDaemonConfig *cfg, bool verbose);

/* The access manager described by @cfg. NULL with the error of the
 * failing driver (a policy file's FILE:LINE messages). */
virAccessManager *daemonAccessManagerNew(const virDaemonConfig *cfg);

/* SIGHUP: re-read @configFile and rebuild the access policy of @mgr from
 * it. Settings other than the access ones are not applied; each that
 * differs from @running (the configuration in force) is logged as
 * needing a restart. 0, or -1 with every problem logged and the old
 * policy still in force. */
int daemonReloadAccess(virAccessManager *mgr, const virDaemonConfig *running,
                       const char *configFile);

/* Create, lock and fill the pid file @path. Returns its descriptor (keep
 * it open: it holds the lock), or -1 with an error (e.g. another
 * tenvirtd holds it). */
int daemonPidFileAcquire(const char *path);
/* Remove the pid file and release its lock. */
void daemonPidFileRelease(const char *path, int fd);

#endif /* TENVIRT_TENVIRTD_SETUP_H */
