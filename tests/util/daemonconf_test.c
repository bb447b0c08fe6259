/*
 * daemonconf_test.c: tenvirtd.conf keys, defaults, checks and access settings.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viraccessmanager.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virdaemonconf.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"

#define SYNTAX_PREFIX "configuration file syntax error: "

static char *
testDataPath(const char *name)
{
    const char *srcdir = getenv("abs_top_srcdir");

    return virPrintf("%s/tests/util/data/%s", srcdir ? srcdir : ABS_TOP_SRCDIR, name);
}

static const char *
testSyntaxDetail(void)
{
    virErrorPtr err = virGetLastError();

    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, VIR_ERR_CONF_SYNTAX);
    ck_assert_msg(STRPREFIX(err->message, SYNTAX_PREFIX), "message '%s'", err->message);
    return err->message + strlen(SYNTAX_PREFIX);
}

static void
testListEq(char **list, const char *const *expect)
{
    size_t i;

    ck_assert_ptr_nonnull(list);
    for (i = 0; expect[i]; i++) {
        ck_assert_ptr_nonnull(list[i]);
        ck_assert_str_eq(list[i], expect[i]);
    }
    ck_assert_ptr_null(list[i]);
}

static void
testSetup(void)
{
    virLogReset();
    virLogSetOutputs("");       /* the expected errors are not news */
    virResetLastError();
}

static void
testTeardown(void)
{
    virLogReset();
    virResetLastError();
}

START_TEST(test_defaults)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    ck_assert(cfg->listen_tls);
    ck_assert(!cfg->listen_tcp);
    ck_assert_ptr_null(cfg->listen_addr);
    ck_assert_str_eq(cfg->tls_port, "16514");
    ck_assert_str_eq(cfg->tcp_port, "16509");
    ck_assert_str_eq(cfg->unix_sock_dir, RUNSTATEDIR "/tenvirt");
    ck_assert_ptr_null(cfg->unix_sock_group);
    ck_assert_str_eq(cfg->unix_sock_ro_perms, "0777");
    ck_assert_str_eq(cfg->unix_sock_rw_perms, "0700");
    ck_assert_str_eq(cfg->auth_unix_ro, "none");
    ck_assert_str_eq(cfg->auth_unix_rw, "none");
    ck_assert_str_eq(cfg->auth_tcp, "sasl");
    ck_assert_str_eq(cfg->auth_tls, "none");
    ck_assert_str_eq(cfg->key_file, "/etc/pki/libvirt/private/serverkey.pem");
    ck_assert_str_eq(cfg->cert_file, "/etc/pki/libvirt/servercert.pem");
    ck_assert_str_eq(cfg->ca_file, "/etc/pki/CA/cacert.pem");
    ck_assert_str_eq(cfg->crl_file, "/etc/pki/CA/cacrl.pem");
    ck_assert(!cfg->tls_no_verify_certificate);
    ck_assert_ptr_null(cfg->tls_allowed_dn_list);
    ck_assert_str_eq(cfg->tls_priority, "NORMAL");
    ck_assert_ptr_null(cfg->sasl_allowed_username_list);
    ck_assert_ptr_null(cfg->sasl_conf_dir);
    ck_assert_int_eq(cfg->tcp_min_ssf, 56);
    ck_assert_uint_eq(cfg->max_clients, 5000);
    ck_assert_uint_eq(cfg->max_anonymous_clients, 20);
    ck_assert_uint_eq(cfg->max_workers, 20);
    ck_assert_uint_eq(cfg->min_workers, 5);
    ck_assert_uint_eq(cfg->max_client_requests, 5);
    ck_assert_int_eq(cfg->keepalive_interval, 5);
    ck_assert_uint_eq(cfg->keepalive_count, 5);
    ck_assert_uint_eq(cfg->auth_fail_max, 5);
    ck_assert_uint_eq(cfg->auth_fail_window, 60);
    testListEq(cfg->access_drivers, (const char *const[]){ "nop", NULL });
    ck_assert_ptr_null(cfg->access_dnpolicy_file);
    ck_assert(!cfg->access_show_denied);
    ck_assert_ptr_null(cfg->tls_restrict_dn);
    ck_assert_ptr_null(cfg->sasl_restrict_username);
    ck_assert_int_eq(cfg->log_level, 3);
    ck_assert_ptr_null(cfg->log_outputs);
    ck_assert_ptr_null(cfg->configFile);
    virDaemonConfigFree(cfg);
    virDaemonConfigFree(NULL);
}
END_TEST

START_TEST(test_empty_file_keeps_defaults)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    ck_assert_int_eq(virDaemonConfigLoadString(cfg, "# nothing set\n", "empty.conf"), 0);
    ck_assert_str_eq(cfg->configFile, "empty.conf");
    ck_assert_str_eq(cfg->auth_tcp, "sasl");
    testListEq(cfg->access_drivers, (const char *const[]){ "nop", NULL });
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_sample_file)
{
    VIR_AUTOFREE(char *) path = testDataPath("tenvirtd-sample.conf");
    virDaemonConfig *cfg = virDaemonConfigNew();

    ck_assert_msg(virDaemonConfigLoadFile(cfg, path) == 0, "%s", virGetLastErrorMessage());
    ck_assert_str_eq(cfg->configFile, path);
    ck_assert(cfg->listen_tls);
    ck_assert(cfg->listen_tcp);
    ck_assert_str_eq(cfg->listen_addr, "192.0.2.10");
    ck_assert_str_eq(cfg->tls_port, "16600");
    ck_assert_str_eq(cfg->tcp_port, "16601");      /* an integer port becomes a string */
    ck_assert_str_eq(cfg->unix_sock_dir, "/run/tenvirt-test");
    ck_assert_str_eq(cfg->unix_sock_group, "tenvirt");
    ck_assert_str_eq(cfg->unix_sock_ro_perms, "0770");
    ck_assert_str_eq(cfg->unix_sock_rw_perms, "0700");
    ck_assert_str_eq(cfg->auth_unix_rw, "sasl");
    ck_assert_str_eq(cfg->key_file, "/etc/tenvirt/pki/serverkey.pem");
    ck_assert_str_eq(cfg->cert_file, "/etc/tenvirt/pki/servercert.pem");
    ck_assert_str_eq(cfg->ca_file, "/etc/tenvirt/pki/cacert.pem");
    ck_assert_str_eq(cfg->crl_file, "/etc/tenvirt/pki/cacrl.pem");
    ck_assert(!cfg->tls_no_verify_certificate);
    testListEq(cfg->tls_allowed_dn_list,
               (const char *const[]){ "C=GB,O=Example ISP,CN=*",
                                      "C=GB,O=Example ISP,OU=Admins,CN=*", NULL });
    ck_assert_str_eq(cfg->tls_priority, "SECURE256");
    testListEq(cfg->sasl_allowed_username_list,
               (const char *const[]){ "admin@EXAMPLE.COM", "ops*", NULL });
    ck_assert_str_eq(cfg->sasl_conf_dir, "/etc/tenvirt/sasl2");
    ck_assert_int_eq(cfg->tcp_min_ssf, 112);
    ck_assert_uint_eq(cfg->max_clients, 100);
    ck_assert_uint_eq(cfg->max_workers, 40);
    ck_assert_uint_eq(cfg->min_workers, 10);
    ck_assert_uint_eq(cfg->max_client_requests, 10);
    ck_assert_int_eq(cfg->keepalive_interval, -1);
    ck_assert_uint_eq(cfg->keepalive_count, 3);
    ck_assert_uint_eq(cfg->auth_fail_max, 10);
    ck_assert_uint_eq(cfg->auth_fail_window, 300);
    testListEq(cfg->access_drivers, (const char *const[]){ "readonly", "dnpolicy", NULL });
    ck_assert_str_eq(cfg->access_dnpolicy_file, "/etc/tenvirt/dnpolicy.conf");
    ck_assert(cfg->access_show_denied);
    ck_assert_uint_eq(virStringListLength(cfg->tls_restrict_dn), 6);
    ck_assert_str_eq(cfg->tls_restrict_dn[3], "uuid:c7a5fdbd-cdaf-9455-926a-d65c16db1809");
    testListEq(cfg->sasl_restrict_username, (const char *const[]){ "ops*", "*", NULL });
    ck_assert_int_eq(cfg->log_level, 2);
    ck_assert_str_eq(cfg->log_outputs, "2:stderr 1:file:/var/log/tenvirtd.log");
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_second_file_overrides)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    ck_assert_int_eq(virDaemonConfigLoadString(cfg, "log_level = 1\nauth_tls = 'sasl'\n",
                                               "a.conf"), 0);
    ck_assert_int_eq(virDaemonConfigLoadString(cfg, "log_level = 4\n", "b.conf"), 0);
    ck_assert_int_eq(cfg->log_level, 4);
    ck_assert_str_eq(cfg->auth_tls, "sasl");
    ck_assert_str_eq(cfg->configFile, "b.conf");
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_access_config)
{
    virDaemonConfig *cfg = virDaemonConfigNew();
    virAccessConfig ac;

    virDaemonConfigGetAccessConfig(cfg, &ac);
    ck_assert_ptr_eq(ac.drivers, cfg->access_drivers);
    ck_assert_str_eq(ac.drivers[0], "nop");
    ck_assert_ptr_null(ac.dnpolicyFile);
    ck_assert_ptr_null(ac.tlsRestrictDN);
    ck_assert_ptr_null(ac.saslRestrictUsername);
    ck_assert_ptr_null(ac.configFile);
    ck_assert(!ac.showDenied);

    ck_assert_int_eq(virDaemonConfigLoadString(cfg,
        "access_drivers = [ \"readonly\", \"dnpolicy\" ]\n"
        "access_dnpolicy_file = '/etc/tenvirt/policy.conf'\n"
        "access_show_denied = 1\n"
        "tls_restrict_dn = [ \"CN=a\", \"name:a\", \"CN=b\", \"*\" ]\n"
        "sasl_restrict_username = [ \"bob\", \"uuid:c7a5fdbd-cdaf-9455-926a-d65c16db1809\" ]\n",
        "access.conf"), 0);
    virDaemonConfigGetAccessConfig(cfg, &ac);
    /* Borrowed, not copied. */
    ck_assert_ptr_eq(ac.drivers, cfg->access_drivers);
    ck_assert_ptr_eq(ac.dnpolicyFile, cfg->access_dnpolicy_file);
    ck_assert_ptr_eq(ac.tlsRestrictDN, cfg->tls_restrict_dn);
    ck_assert_ptr_eq(ac.saslRestrictUsername, cfg->sasl_restrict_username);
    ck_assert_ptr_eq(ac.configFile, cfg->configFile);
    testListEq(ac.drivers, (const char *const[]){ "readonly", "dnpolicy", NULL });
    ck_assert_str_eq(ac.dnpolicyFile, "/etc/tenvirt/policy.conf");
    testListEq(ac.tlsRestrictDN, (const char *const[]){ "CN=a", "name:a", "CN=b", "*", NULL });
    ck_assert_str_eq(ac.saslRestrictUsername[0], "bob");
    ck_assert_str_eq(ac.configFile, "access.conf");
    ck_assert(ac.showDenied);
    virDaemonConfigFree(cfg);
}
END_TEST

/* Each bad file must fail with exactly this text. */
static const struct {
    const char *content;
    const char *expect;
} badFiles[] = {
    /* from the key table */
    { "listen_tls = 1\nlisten_tsl = 1\n", "d.conf:2: unknown setting 'listen_tsl'" },
    { "max_clients = \"100\"\n", "d.conf:1: setting 'max_clients' expects an integer, got a string" },
    { "max_clients = 0\n", "d.conf:1: setting 'max_clients' must be between 1 and 4294967295, got 0" },
    { "listen_tcp = 'yes'\n", "d.conf:1: setting 'listen_tcp' expects 0 or 1, got a string" },
    { "log_level = 5\n", "d.conf:1: setting 'log_level' must be between 1 and 4, got 5" },
    { "log_level = 0\n", "d.conf:1: setting 'log_level' must be between 1 and 4, got 0" },
    { "tcp_min_ssf = 100001\n", "d.conf:1: setting 'tcp_min_ssf' must be between 0 and 100000, got 100001" },
    { "keepalive_interval = -2\n",
      "d.conf:1: setting 'keepalive_interval' must be between -1 and 2147483647, got -2" },
    { "tls_port = -5\n", "d.conf:1: setting 'tls_port' must be a port between 0 and 65535, got -5" },
    { "tcp_port = \"70000\"\n", "d.conf:1: setting 'tcp_port' must be a port between 0 and 65535, got 70000" },
    { "tls_port = \"libvirt-tls\"\n", "d.conf:1: setting 'tls_port' expects a port number, got 'libvirt-tls'" },
    { "access_drivers = \"nop\"\n",
      "d.conf:1: setting 'access_drivers' expects a list of strings, got a string" },
    { "log_level = 1\n\nlog_level = 2\n", "d.conf:3: setting 'log_level' already set at line 1" },
    { "listen_addr = 0.0.0.0\n", "d.conf:1: invalid number '0.0.0.0'" },
    /* from the value checks */
    { "auth_unix_rw = \"polkit\"\n",
      "d.conf:1: setting 'auth_unix_rw': polkit authentication is not supported" },
    { "auth_tcp = \"kerberos\"\n",
      "d.conf:1: setting 'auth_tcp' must be \"none\" or \"sasl\", got 'kerberos'" },
    { "auth_tls = \"\"\n", "d.conf:1: setting 'auth_tls' must be \"none\" or \"sasl\", got ''" },
    { "unix_sock_ro_perms = \"0778\"\n",
      "d.conf:1: setting 'unix_sock_ro_perms' must be an octal mode such as \"0770\", got '0778'" },
    { "unix_sock_rw_perms = \"rwx\"\n",
      "d.conf:1: setting 'unix_sock_rw_perms' must be an octal mode such as \"0770\", got 'rwx'" },
    { "unix_sock_rw_perms = \"00700\"\n",
      "d.conf:1: setting 'unix_sock_rw_perms' must be an octal mode such as \"0770\", got '00700'" },
    { "unix_sock_rw_perms = \"\"\n",
      "d.conf:1: setting 'unix_sock_rw_perms' must be an octal mode such as \"0770\", got ''" },
    { "# one\ntls_restrict_dn = [ \"CN=a\", \"name:a\", \"CN=b\" ]\n",
      "d.conf:2: setting 'tls_restrict_dn' needs pairs of pattern and selector, "
      "got an odd number of entries (3)" },
    { "sasl_restrict_username = [ \"bob\" ]\n",
      "d.conf:1: setting 'sasl_restrict_username' needs pairs of pattern and selector, "
      "got an odd number of entries (1)" },
    { "access_drivers = [ ]\n", "d.conf:1: setting 'access_drivers' must not be empty" },
    { "max_workers = 4\n", "d.conf:1: min_workers (5) must not exceed max_workers (4)" },
    { "max_workers = 4\nmin_workers = 8\n", "d.conf:2: min_workers (8) must not exceed max_workers (4)" },
};

START_TEST(test_bad_files)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    virResetLastError();
    ck_assert_int_eq(virDaemonConfigLoadString(cfg, badFiles[_i].content, "d.conf"), -1);
    ck_assert_str_eq(testSyntaxDetail(), badFiles[_i].expect);
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_valid_edge_values)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    ck_assert_msg(virDaemonConfigLoadString(cfg,
        "auth_unix_ro = 'sasl'\nauth_tcp = 'none'\n"
        "unix_sock_ro_perms = '7'\nunix_sock_rw_perms = '4770'\n"
        "tls_restrict_dn = []\nsasl_allowed_username_list = []\n"
        "tls_port = 1\ntcp_port = '65535'\n"
        "min_workers = 0\nmax_workers = 1\nkeepalive_interval = -1\n"
        "log_level = 1\ntcp_min_ssf = 0\n", "edge.conf") == 0,
        "%s", virGetLastErrorMessage());
    ck_assert_str_eq(cfg->tls_port, "1");
    ck_assert_ptr_nonnull(cfg->tls_restrict_dn);
    ck_assert_ptr_null(cfg->tls_restrict_dn[0]);
    ck_assert_ptr_nonnull(cfg->sasl_allowed_username_list);
    ck_assert_ptr_null(cfg->sasl_allowed_username_list[0]);
    virDaemonConfigFree(cfg);
}
END_TEST

static void
testLogCapture(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    virBuffer *buf = opaque;

    if (prio == VIR_LOG_ERROR)
        virBufferAsprintf(buf, "%s|%s\n", source, line);
}

START_TEST(test_invalid_file_all_errors)
{
    VIR_AUTOFREE(char *) path = testDataPath("tenvirtd-invalid.conf");
    VIR_AUTOFREE(char *) expect = NULL;
    VIR_AUTOFREE(char *) logged = NULL;
    virDaemonConfig *cfg = virDaemonConfigNew();
    virBuffer log = VIR_BUFFER_INITIALIZER;

    virLogAddCallbackOutput(VIR_LOG_ERROR, testLogCapture, &log);
    ck_assert_int_eq(virDaemonConfigLoadFile(cfg, path), -1);
    expect = virPrintf("%1$s:2: setting 'auth_unix_ro': polkit authentication is not supported\n"
                       "%1$s:3: setting 'auth_tls' must be \"none\" or \"sasl\", got 'tls'\n"
                       "%1$s:4: setting 'unix_sock_rw_perms' must be an octal mode "
                       "such as \"0770\", got '0790'\n"
                       "%1$s:6: setting 'tls_restrict_dn' needs pairs of pattern and selector, "
                       "got an odd number of entries (3)\n"
                       "%1$s:10: min_workers (30) must not exceed max_workers (20)", path);
    ck_assert_str_eq(testSyntaxDetail(), expect);
    virDaemonConfigFree(cfg);

    virLogReset();
    logged = virBufferContentAndReset(&log);
    ck_assert_ptr_nonnull(strstr(logged, "conf.daemonconf|"));
    ck_assert_ptr_nonnull(strstr(logged, ":10: min_workers (30)"));
}
END_TEST

START_TEST(test_syntax_before_checks)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    /* Syntax errors stop the load before the value checks run. */
    ck_assert_int_eq(virDaemonConfigLoadString(cfg, "auth_tcp = 'polkit'\nlog_level = 'x\n",
                                               "s.conf"), -1);
    ck_assert_str_eq(testSyntaxDetail(), "s.conf:2: unterminated string");
    virDaemonConfigFree(cfg);

    /* Type errors too: all of them, and only them. */
    cfg = virDaemonConfigNew();
    ck_assert_int_eq(virDaemonConfigLoadString(cfg, "auth_tcp = 'polkit'\nlog_level = 9\n"
                                               "nosuch = 1\n", "s.conf"), -1);
    ck_assert_str_eq(testSyntaxDetail(),
                     "s.conf:2: setting 'log_level' must be between 1 and 4, got 9\n"
                     "s.conf:3: unknown setting 'nosuch'");
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_unreadable)
{
    virDaemonConfig *cfg = virDaemonConfigNew();
    virErrorPtr err;

    ck_assert_int_eq(virDaemonConfigLoadFile(cfg, "/nonexistent/tenvirtd.conf"), -1);
    err = virGetLastError();
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, VIR_ERR_SYSTEM_ERROR);
    ck_assert_ptr_nonnull(strstr(err->message, "/nonexistent/tenvirtd.conf"));
    ck_assert_str_eq(cfg->auth_tcp, "sasl");   /* nothing changed */
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_format_help)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) html = NULL;
    static const char *const keys[] = {
        "listen_tls", "listen_tcp", "listen_addr", "tls_port", "tcp_port", "unix_sock_dir",
        "unix_sock_group", "unix_sock_ro_perms", "unix_sock_rw_perms", "auth_unix_ro",
        "auth_unix_rw", "auth_tcp", "auth_tls", "key_file", "cert_file", "ca_file", "crl_file",
        "tls_no_verify_certificate", "tls_allowed_dn_list", "tls_priority",
        "sasl_allowed_username_list", "sasl_conf_dir", "tcp_min_ssf", "max_clients",
        "max_anonymous_clients",
        "max_workers", "min_workers", "max_client_requests", "keepalive_interval",
        "keepalive_count", "auth_fail_max", "auth_fail_window", "hypervisor_uris",
        "access_drivers",
        "access_dnpolicy_file", "access_show_denied", "tls_restrict_dn",
        "sasl_restrict_username", "log_level", "log_outputs",
    };
    const char *p;
    size_t i, rows = 0;

    virDaemonConfigFormatHelp(&buf);
    html = virBufferContentAndReset(&buf);
    ck_assert(STRPREFIX(html, "<table class=\"config\">\n"));
    ck_assert_str_eq(html + strlen(html) - strlen("</table>\n"), "</table>\n");
    for (p = html; (p = strstr(p, "<tr><td>")); p++)
        rows++;
    ck_assert_uint_eq(rows, G_N_ELEMENTS(keys));
    for (i = 0; i < G_N_ELEMENTS(keys); i++) {
        VIR_AUTOFREE(char *) cell = virPrintf("<tr><td><code>%s</code></td>", keys[i]);
        const char *at = strstr(html, cell);

        ck_assert_msg(at != NULL, "no row for %s", keys[i]);
        ck_assert_msg(strstr(at + 1, cell) == NULL, "two rows for %s", keys[i]);
    }
    /* Types, defaults and help, escaped for HTML. */
    ck_assert_ptr_nonnull(strstr(html,
        "<tr><td><code>listen_tls</code></td><td>boolean (0 or 1)</td><td><code>1</code></td>"));
    ck_assert_ptr_nonnull(strstr(html,
        "<tr><td><code>tls_port</code></td><td>port (0..65535; 0: any free port)</td>"
        "<td><code>&quot;16514&quot;</code></td>"));
    ck_assert_ptr_nonnull(strstr(html,
        "<tr><td><code>log_level</code></td><td>integer 1..4</td><td><code>3</code></td>"));
    ck_assert_ptr_nonnull(strstr(html,
        "<tr><td><code>max_clients</code></td><td>integer &gt;= 1</td><td><code>5000</code></td>"));
    ck_assert_ptr_nonnull(strstr(html,
        "<td><code>[ &quot;nop&quot; ]</code></td>"));
    ck_assert_ptr_nonnull(strstr(html,
        "<tr><td><code>listen_addr</code></td><td>string</td><td>(unset)</td>"));
    ck_assert_ptr_nonnull(strstr(html, "&quot;none&quot; or &quot;sasl&quot;"));
    ck_assert_ptr_null(strstr(html, "\"none\""));
}
END_TEST

START_TEST(test_relative_paths)
{
    char dir[] = "/tmp/tenvirt-daemonconf-XXXXXX";
    VIR_AUTOFREE(char *) path = NULL;
    VIR_AUTOFREE(char *) expect = NULL;
    virDaemonConfig *cfg = virDaemonConfigNew();
    FILE *fp;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    path = virPrintf("%s/tenvirtd.conf", dir);
    fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs("access_dnpolicy_file = \"policy.conf\"\n"
          "ca_file = \"/etc/ssl/ca.pem\"\n"
          "key_file = \"pki/serverkey.pem\"\n", fp);
    fclose(fp);
    ck_assert_int_eq(virDaemonConfigLoadFile(cfg, path), 0);
    expect = virPrintf("%s/policy.conf", dir);
    ck_assert_str_eq(cfg->access_dnpolicy_file, expect);
    ck_assert_str_eq(cfg->ca_file, "/etc/ssl/ca.pem");
    free(expect);
    expect = virPrintf("%s/pki/serverkey.pem", dir);
    ck_assert_str_eq(cfg->key_file, expect);
    /* Defaults are absolute and untouched. */
    ck_assert_str_eq(cfg->cert_file, "/etc/pki/libvirt/servercert.pem");
    virDaemonConfigFree(cfg);
    unlink(path);
    rmdir(dir);
}
END_TEST

static Suite *
daemonConfSuite(void)
{
    Suite *s = suite_create("daemonconf");
    TCase *tc = tcase_create("daemonconf");

    tcase_add_checked_fixture(tc, testSetup, testTeardown);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_empty_file_keeps_defaults);
    tcase_add_test(tc, test_sample_file);
    tcase_add_test(tc, test_second_file_overrides);
    tcase_add_test(tc, test_access_config);
    tcase_add_loop_test(tc, test_bad_files, 0, G_N_ELEMENTS(badFiles));
    tcase_add_test(tc, test_valid_edge_values);
    tcase_add_test(tc, test_invalid_file_all_errors);
    tcase_add_test(tc, test_syntax_before_checks);
    tcase_add_test(tc, test_unreadable);
    tcase_add_test(tc, test_format_help);
    tcase_add_test(tc, test_relative_paths);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(daemonConfSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
