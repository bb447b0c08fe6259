/*
 * virdaemonconf.h: the configuration of tenvirtd (tenvirtd.conf).
 *
 * Every key is declared once, in VIR_DAEMON_CONFIG_KEYS below. The struct
 * fields, the defaults, the virConfKey table used for strict loading, the
 * per-key checks and the documentation are all generated from that list,
 * so adding a key is one line. Names and meanings follow libvirtd.conf
 * where libvirtd has the key.
 *
 *   virDaemonConfig *cfg = virDaemonConfigNew();
 *   if (virDaemonConfigLoadFile(cfg, SYSCONFDIR "/tenvirt/tenvirtd.conf") < 0) {
 *       ... virGetLastErrorMessage() lists every bad line as FILE:LINE ...
 *   }
 */
#ifndef TENVIRT_VIRDAEMONCONF_H
#define TENVIRT_VIRDAEMONCONF_H

#include <limits.h>
#include "internal.h"
#include "virbuffer.h"

/* Declared in viraccessdriver.h; repeated so this header stays light. */
typedef struct _virAccessConfig virAccessConfig;

/*
 * The key list. Each row is one of
 *   BOOL(name, default, help)                  0 or 1       -> bool
 *   INT(name, default, min, max, help)         integer      -> int
 *   UINT(name, default, min, max, help)        integer >= 0 -> unsigned int
 *   STRING(name, default, check, help)         string       -> char * (default may be NULL)
 *   PATH(name, default, check, help)           string       -> char *, a file or directory;
 *                                              relative values are taken relative to the
 *                                              directory of the file that sets them
 *   LIST(name, default, check, help)           [ strings ]  -> char ** (NULL-terminated;
 *                                              default NULL or a NULL-terminated array)
 *   PORT(name, default, help)                  0..65535     -> char * (decimal; 0 = any free port)
 * The field of virDaemonConfig is called like the key. @check names a
 * function of virdaemonconf.c run on the loaded value, or NULL. For INT
 * and UINT, min and max both 0 mean "any value of the C type".
 */
#define VIR_DAEMON_CONFIG_DEFAULT_ACCESS_DRIVERS ((const char *const[]){ "nop", NULL })
#define VIR_DAEMON_CONFIG_DEFAULT_HYPERVISOR_URIS ((const char *const[]){ "test:///default", NULL })

#define VIR_DAEMON_CONFIG_KEYS(BOOL, INT, UINT, STRING, LIST, PORT, PATH) \
    BOOL(listen_tls, true, \
         "Listen for TLS connections on tls_port.") \
    BOOL(listen_tcp, false, \
         "Listen for plain TCP connections on tcp_port (only sensible with SASL encryption).") \
    STRING(listen_addr, NULL, NULL, \
           "Address for the TCP and TLS listeners; unset listens on every address.") \
    PORT(tls_port, "16514", \
         "Port of the TLS listener.") \
    PORT(tcp_port, "16509", \
         "Port of the plain TCP listener.") \
    PATH(unix_sock_dir, RUNSTATEDIR "/tenvirt", NULL, \
           "Directory holding the UNIX sockets.") \
    STRING(unix_sock_group, NULL, NULL, \
           "Group owning the UNIX sockets; unset keeps the daemon's own group.") \
    STRING(unix_sock_ro_perms, "0777", virDaemonConfigCheckPerms, \
           "Octal permissions of the read-only UNIX socket.") \
    STRING(unix_sock_rw_perms, "0700", virDaemonConfigCheckPerms, \
           "Octal permissions of the read-write UNIX socket.") \
    STRING(auth_unix_ro, "none", virDaemonConfigCheckAuth, \
           "Authentication on the read-only UNIX socket: \"none\" or \"sasl\".") \
    STRING(auth_unix_rw, "none", virDaemonConfigCheckAuth, \
           "Authentication on the read-write UNIX socket: \"none\" or \"sasl\".") \
    STRING(auth_tcp, "sasl", virDaemonConfigCheckAuth, \
           "Authentication on the TCP listener: \"none\" or \"sasl\".") \
    STRING(auth_tls, "none", virDaemonConfigCheckAuth, \
           "Authentication on the TLS listener after the certificate check: \"none\" or \"sasl\".") \
    PATH(key_file, "/etc/pki/libvirt/private/serverkey.pem", NULL, \
           "Private key of the server certificate.") \
    PATH(cert_file, "/etc/pki/libvirt/servercert.pem", NULL, \
           "Server certificate presented to TLS clients.") \
    PATH(ca_file, "/etc/pki/CA/cacert.pem", NULL, \
           "CA certificate(s) that client certificates must chain to.") \
    PATH(crl_file, "/etc/pki/CA/cacrl.pem", NULL, \
           "Certificate revocation list checked for client certificates (if the file exists).") \
    BOOL(tls_no_verify_certificate, false, \
         "Accept clients whose certificate does not verify. For testing only.") \
    LIST(tls_allowed_dn_list, NULL, NULL, \
         "Glob patterns of client certificate DNs allowed to connect; unset allows every verified certificate.") \
    STRING(tls_priority, "NORMAL", NULL, \
           "GnuTLS priority string for TLS sessions.") \
    LIST(sasl_allowed_username_list, NULL, NULL, \
         "Glob patterns of SASL user names allowed to connect; unset allows every authenticated user.") \
    PATH(sasl_conf_dir, NULL, NULL, \
           "Directory of the SASL configuration; unset uses the SASL library's default.") \
    INT(tcp_min_ssf, 56, 0, 100000, \
        "Least SASL security strength factor accepted on plain TCP connections.") \
    UINT(max_clients, 5000, 1, UINT_MAX, \
         "Most client connections at once.") \
    UINT(max_anonymous_clients, 20, 0, 0, \
         "Most clients at once still in their TLS handshake or authentication; 0: no limit.") \
    UINT(max_workers, 20, 1, UINT_MAX, \
         "Most worker threads handling calls.") \
    UINT(min_workers, 5, 0, 0, \
         "Worker threads started at once; at most max_workers.") \
    UINT(max_client_requests, 5, 1, UINT_MAX, \
         "Most calls one client may have in progress.") \
    INT(keepalive_interval, 5, -1, INT_MAX, \
        "Seconds of silence before a keepalive is sent; -1 disables keepalives.") \
    UINT(keepalive_count, 5, 0, 0, \
         "Unanswered keepalives after which a client is disconnected.") \
    UINT(auth_fail_max, 5, 0, 0, \
         "Failed logins from one address within auth_fail_window after which it is refused; 0 disables.") \
    UINT(auth_fail_window, 60, 1, UINT_MAX, \
         "Seconds over which failed logins are counted.") \
    LIST(hypervisor_uris, VIR_DAEMON_CONFIG_DEFAULT_HYPERVISOR_URIS, NULL, \
         "Hypervisor URIs clients may open (globs, e.g. \"test:///srv/tenvirt/*.xml\"); others are refused.") \
    LIST(access_drivers, VIR_DAEMON_CONFIG_DEFAULT_ACCESS_DRIVERS, virDaemonConfigCheckNotEmpty, \
         "Access drivers asked, in order, about every call; all must allow it.") \
    PATH(access_dnpolicy_file, NULL, NULL, \
           "Rule file of the dnpolicy access driver.") \
    BOOL(access_show_denied, false, \
         "Report objects a client may not see as denied rather than missing (0 hides them).") \
    LIST(tls_restrict_dn, NULL, virDaemonConfigCheckPairs, \
         "Pairs of client DN pattern and domain selector (\"name:X\", \"uuid:U\" or \"*\") for dnpolicy.") \
    LIST(sasl_restrict_username, NULL, virDaemonConfigCheckPairs, \
         "Pairs of SASL user name pattern and domain selector for dnpolicy.") \
    INT(log_level, 3, 1, 4, \
        "Log messages of this priority and above: 1 debug, 2 info, 3 warning, 4 error.") \
    STRING(log_outputs, NULL, NULL, \
           "Log outputs, e.g. \"3:stderr 1:file:/var/log/tenvirtd.log\"; unset logs to stderr.")

#define VIR_DAEMON_CONFIG_FIELD_BOOL(name, def, help) bool name;
#define VIR_DAEMON_CONFIG_FIELD_INT(name, def, min, max, help) int name;
#define VIR_DAEMON_CONFIG_FIELD_UINT(name, def, min, max, help) unsigned int name;
#define VIR_DAEMON_CONFIG_FIELD_STRING(name, def, check, help) char *name;
#define VIR_DAEMON_CONFIG_FIELD_LIST(name, def, check, help) char **name;
#define VIR_DAEMON_CONFIG_FIELD_PORT(name, def, help) char *name;

typedef struct _virDaemonConfig virDaemonConfig;
struct _virDaemonConfig {
    VIR_DAEMON_CONFIG_KEYS(VIR_DAEMON_CONFIG_FIELD_BOOL,
                           VIR_DAEMON_CONFIG_FIELD_INT,
                           VIR_DAEMON_CONFIG_FIELD_UINT,
                           VIR_DAEMON_CONFIG_FIELD_STRING,
                           VIR_DAEMON_CONFIG_FIELD_LIST,
                           VIR_DAEMON_CONFIG_FIELD_PORT,
                           VIR_DAEMON_CONFIG_FIELD_STRING)
    char *configFile;   /* the last file loaded (for messages), NULL if none */
};

/* A configuration holding every default. Never NULL; free with virDaemonConfigFree. */
virDaemonConfig *virDaemonConfigNew(void);

/* Read @path and apply the keys it sets on top of @cfg, then check them.
 * Returns 0, or -1 with one VIR_ERR_CONF_SYNTAX error listing every bad
 * line as "FILE:LINE: message" (syntax and type errors first; the value
 * checks run only once those are fixed), or a system error if @path is
 * unreadable. On failure @cfg may be partly updated: discard it (a reload
 * loads into a new configuration and swaps it in only on success). */
int virDaemonConfigLoadFile(virDaemonConfig *cfg, const char *path);

/* Like virDaemonConfigLoadFile for text in memory; @name stands for the
 * file name in messages. */
int virDaemonConfigLoadString(virDaemonConfig *cfg, const char *content, const char *name);

/* Free @cfg and everything it holds. NULL is a no-op. */
void virDaemonConfigFree(virDaemonConfig *cfg);

/* Fill @out with the access framework's settings. Its pointers are
 * BORROWED from @cfg: valid while @cfg lives and is not reloaded. */
void virDaemonConfigGetAccessConfig(const virDaemonConfig *cfg, virAccessConfig *out);

/* Append the key table (name, type, default, meaning) to @buf as an HTML
 * <table> fragment for the documentation. */
void virDaemonConfigFormatHelp(virBuffer *buf);

#endif /* TENVIRT_VIRDAEMONCONF_H */
