/*
 * setup_test.c: tenvirtd's start-up and reload pieces: the sample
 * configuration, the SASL listener settings, socket settings, the SIGHUP
 * policy reload (keep the old policy on any error, log every FILE:LINE,
 * name the settings that need a restart) and the pid file lock.
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tenvirtd_setup.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "viridentity.h"
#include "virlog.h"

#define SAMPLE_CONFIG ABS_TOP_SRCDIR "/daemon/tenvirtd.conf"

static char *tmpdir;
static virBuffer logged = VIR_BUFFER_INITIALIZER;

static void
captureLog(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    virBufferAsprintf(&logged, "%s\n", line);
}

static void
setup(void)
{
    char tmpl[] = "/tmp/tenvirtd-setup-XXXXXX";

    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    tmpdir = virStrdup(tmpl);
    virBufferFreeAndReset(&logged);
    virLogReset();
    /* Only the capture: the test's own output stays readable. */
    virLogSetOutputs("");
    virLogAddCallbackOutput(VIR_LOG_DEBUG, captureLog, NULL);
}

static void
teardown(void)
{
    VIR_AUTOFREE(char *) cmd = virPrintf("rm -rf '%s'", tmpdir);

    ck_assert_int_eq(system(cmd), 0);
    VIR_FREE(tmpdir);
    virLogReset();
    virBufferFreeAndReset(&logged);
    virResetLastError();
}

static char *
writeFile(const char *name, const char *content)
{
    char *path = virPrintf("%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");

    ck_assert_ptr_nonnull(fp);
    fputs(content, fp);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

/* ---- the sample configuration ---------------------------------------- */

START_TEST(test_sample_loads)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    ck_assert_msg(virDaemonConfigLoadFile(cfg, SAMPLE_CONFIG) == 0, "%s",
                  virGetLastErrorMessage());
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_sample_documents_every_key)
{
    VIR_AUTOFREE(char *) text = NULL;
    FILE *fp = fopen(SAMPLE_CONFIG, "r");
    size_t len = 0;
    char buf[4096];
    size_t n;
    virBuffer all = VIR_BUFFER_INITIALIZER;

    ck_assert_ptr_nonnull(fp);
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        virBufferAdd(&all, buf, n);
    fclose(fp);
    text = virBufferContentAndReset(&all);
    len = strlen(text);
    ck_assert_uint_gt(len, 0);

    /* Every key of the table, shown commented out with a value. */
#define CHECK_KEY(name, ...) \
    ck_assert_msg(strstr(text, "\n#" #name " = "), "sample lacks '#%s = '", #name);
    VIR_DAEMON_CONFIG_KEYS(CHECK_KEY, CHECK_KEY, CHECK_KEY, CHECK_KEY, CHECK_KEY, CHECK_KEY,
                           CHECK_KEY)
#undef CHECK_KEY
}
END_TEST

START_TEST(test_sample_uncommented_loads)
{
    /* The sample's example values, all switched on at once, are valid too
     * (only the first of two alternatives for a key is taken). */
    FILE *fp = fopen(SAMPLE_CONFIG, "r");
    virBuffer out = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) content = NULL;
    VIR_AUTOFREE(char *) path = NULL;
    virDaemonConfig *cfg = virDaemonConfigNew();
    char line[1024];
    char seen[8192] = "";
    bool inList = false;

    ck_assert_ptr_nonnull(fp);
    while (fgets(line, sizeof(line), fp)) {
        char key[128];

        if (inList) {
            if (STRPREFIX(line, "#"))
                virBufferAdd(&out, line + 1, -1);
            if (strchr(line, ']'))
                inList = false;
            continue;
        }
        if (line[0] != '#' || sscanf(line + 1, "%127[a-z_] = ", key) != 1 ||
            !strstr(line, " = "))
            continue;
        {
            char marker[132];

            snprintf(marker, sizeof(marker), "|%s|", key);
            if (strstr(seen, marker))
                continue;
            strncat(seen, marker, sizeof(seen) - strlen(seen) - 1);
        }
        virBufferAdd(&out, line + 1, -1);
        if (strchr(line, '[') && !strchr(line, ']'))
            inList = true;
    }
    fclose(fp);
    content = virBufferContentAndReset(&out);
    path = writeFile("uncommented.conf", content);
    ck_assert_msg(virDaemonConfigLoadFile(cfg, path) == 0, "%s\n---\n%s",
                  virGetLastErrorMessage(), content);
    /* Relative paths are the config directory's. */
    ck_assert_ptr_nonnull(cfg->access_dnpolicy_file);
    ck_assert_msg(STRPREFIX(cfg->access_dnpolicy_file, tmpdir), "%s",
                  cfg->access_dnpolicy_file);
    virDaemonConfigFree(cfg);
}
END_TEST

/* ---- authentication settings ------------------------------------------- */

START_TEST(test_auth_defaults)
{
    virDaemonConfig *cfg = virDaemonConfigNew();

    /* Defaults: UNIX "none", TLS "none", TCP "sasl" but TCP is off. */
    ck_assert_int_eq(daemonCheckAuth(cfg, false), 0);
    ck_assert_int_eq(daemonCheckAuth(cfg, true), 0);
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_auth_tcp_sasl)
{
    VIR_AUTOFREE(char *) path = writeFile("tcp.conf", "listen_tcp = 1\n");
    VIR_AUTOFREE(char *) weak = writeFile("weak.conf", "listen_tcp = 1\ntcp_min_ssf = 40\n");
    virDaemonConfig *cfg = daemonConfigLoad(path);

    ck_assert_ptr_nonnull(cfg);
    /* SASL on TCP (the default) is served. */
    ck_assert_int_eq(daemonCheckAuth(cfg, false), 0);
    ck_assert_int_eq(daemonCheckAuth(cfg, true), 0);
    ck_assert_int_eq(daemonAuthType(cfg->auth_tcp), VIR_NET_SERVER_AUTH_SASL);
    ck_assert_int_eq(daemonAuthType(cfg->auth_tls), VIR_NET_SERVER_AUTH_NONE);
    virDaemonConfigFree(cfg);

    /* A layer weaker than stock clients demand is refused. */
    cfg = daemonConfigLoad(weak);
    ck_assert_ptr_nonnull(cfg);
    ck_assert_int_eq(daemonCheckAuth(cfg, false), 0);
    ck_assert_int_eq(daemonCheckAuth(cfg, true), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_CONFIG_UNSUPPORTED);
    ck_assert_msg(strstr(virGetLastErrorMessage(), "weak.conf: tcp_min_ssf = 40 is below 56"),
                  "%s", virGetLastErrorMessage());
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_auth_unix_sasl)
{
    VIR_AUTOFREE(char *) path = writeFile("unix.conf", "auth_unix_rw = \"sasl\"\n");
    virDaemonConfig *cfg = daemonConfigLoad(path);

    ck_assert_ptr_nonnull(cfg);
    ck_assert_int_eq(daemonCheckAuth(cfg, false), 0);
    ck_assert_int_eq(daemonAuthType(cfg->auth_unix_rw), VIR_NET_SERVER_AUTH_SASL);
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_perms_and_group)
{
    mode_t mode = 0;
    gid_t gid = 1;

    ck_assert_int_eq(daemonParsePerms("unix_sock_rw_perms", "0770", &mode), 0);
    ck_assert_int_eq(mode, 0770);
    ck_assert_int_eq(daemonParsePerms("unix_sock_rw_perms", "9", &mode), -1);
    ck_assert_int_eq(daemonParsePerms("unix_sock_rw_perms", "077777", &mode), -1);

    ck_assert_int_eq(daemonResolveGroup("root", &gid), 0);
    ck_assert_int_eq(gid, 0);
    ck_assert_int_eq(daemonResolveGroup("4242", &gid), 0);
    ck_assert_int_eq(gid, 4242);
    ck_assert_int_eq(daemonResolveGroup("no-such-group-tenvirt", &gid), -1);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "no-such-group-tenvirt"));
}
END_TEST

/* ---- SIGHUP reload ----------------------------------------------------- */

/* May a UNIX client with user name @user open the connection? */
static int
mayConnect(virAccessManager *mgr, const char *user)
{
    virIdentity *id = virIdentityNew();
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_CONNECT, .driverName = "test" };
    int rv;

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_UNIX);
    virIdentitySetUNIXUser(id, 1000, user);
    rv = virAccessManagerCheck(mgr, id, &obj, VIR_ACCESS_PERM_CONNECT_GETATTR, NULL);
    virIdentityUnref(id);
    return rv;
}

START_TEST(test_reload_keeps_old_policy_on_error)
{
    VIR_AUTOFREE(char *) conf = writeFile("tenvirtd.conf",
                                          "access_drivers = [ \"dnpolicy\" ]\n"
                                          "access_dnpolicy_file = \"policy.conf\"\n");
    VIR_AUTOFREE(char *) policy = writeFile("policy.conf",
                                            "allow unix-user=alice perms=connect:*\n");
    virDaemonConfig *cfg = daemonConfigLoad(conf);
    virAccessManager *mgr;
    const char *log;

    ck_assert_msg(cfg, "%s", virGetLastErrorMessage());
    /* The relative policy path is the config directory's. */
    ck_assert_str_eq(cfg->access_dnpolicy_file, policy);
    mgr = daemonAccessManagerNew(cfg);
    ck_assert_msg(mgr, "%s", virGetLastErrorMessage());
    ck_assert_int_eq(mayConnect(mgr, "alice"), 1);
    ck_assert_int_eq(mayConnect(mgr, "bob"), 0);

    /* Two broken lines: both reported, alice keeps her access. */
    free(writeFile("policy.conf",
                   "allow unix-user=bob perms=connect:*\n"
                   "allow frobnicate=yes perms=connect:*\n"
                   "allow unix-user=bob perms=domain:fly\n"));
    virBufferFreeAndReset(&logged);
    ck_assert_int_eq(daemonReloadAccess(mgr, cfg, conf), -1);
    ck_assert_int_eq(mayConnect(mgr, "alice"), 1);
    ck_assert_int_eq(mayConnect(mgr, "bob"), 0);
    log = virBufferCurrentContent(&logged);
    ck_assert_msg(strstr(log, "policy.conf:2:") && strstr(log, "policy.conf:3:"), "%s", log);
    ck_assert_msg(strstr(log, "keeping"), "%s", log);

    /* A broken config file: the same. */
    free(writeFile("tenvirtd.conf", "access_drivers = [ \"dnpolicy\" ]\nbogus_key = 1\n"));
    virBufferFreeAndReset(&logged);
    ck_assert_int_eq(daemonReloadAccess(mgr, cfg, conf), -1);
    ck_assert_int_eq(mayConnect(mgr, "alice"), 1);
    log = virBufferCurrentContent(&logged);
    ck_assert_msg(strstr(log, "tenvirtd.conf:2:"), "%s", log);

    /* Fixed: the new policy applies; other changed settings are named. */
    free(writeFile("tenvirtd.conf",
                   "access_drivers = [ \"dnpolicy\" ]\n"
                   "access_dnpolicy_file = \"policy.conf\"\n"
                   "listen_tcp = 1\n"
                   "max_workers = 30\n"));
    free(writeFile("policy.conf", "allow unix-user=bob perms=connect:*\n"));
    virBufferFreeAndReset(&logged);
    ck_assert_msg(daemonReloadAccess(mgr, cfg, conf) == 0, "%s",
                  virBufferCurrentContent(&logged));
    ck_assert_int_eq(mayConnect(mgr, "alice"), 0);
    ck_assert_int_eq(mayConnect(mgr, "bob"), 1);
    log = virBufferCurrentContent(&logged);
    ck_assert_msg(strstr(log, "'listen_tcp' changed") && strstr(log, "'max_workers' changed"),
                  "%s", log);
    ck_assert_msg(!strstr(log, "'access_dnpolicy_file' changed"), "%s", log);

    virAccessManagerFree(mgr);
    virDaemonConfigFree(cfg);
}
END_TEST

START_TEST(test_startup_policy_error)
{
    VIR_AUTOFREE(char *) conf = writeFile("bad.conf",
                                          "access_drivers = [ \"dnpolicy\" ]\n"
                                          "access_dnpolicy_file = \"broken.policy\"\n");
    virDaemonConfig *cfg;

    free(writeFile("broken.policy", "allow\nallow dn= perms=*\n"));
    cfg = daemonConfigLoad(conf);
    ck_assert_ptr_nonnull(cfg);
    ck_assert_ptr_null(daemonAccessManagerNew(cfg));
    ck_assert_msg(strstr(virGetLastErrorMessage(), "broken.policy:1:") &&
                  strstr(virGetLastErrorMessage(), "broken.policy:2:"), "%s",
                  virGetLastErrorMessage());
    virDaemonConfigFree(cfg);
}
END_TEST

/* ---- pid file ---------------------------------------------------------- */

START_TEST(test_pid_file)
{
    VIR_AUTOFREE(char *) path = virPrintf("%s/tenvirtd.pid", tmpdir);
    char buf[64] = "";
    int fd = daemonPidFileAcquire(path);
    int rfd;
    pid_t child;
    int status;

    ck_assert_int_ge(fd, 0);

    /* Locks are per process: another one must be refused. */
    child = fork();
    if (child == 0)
        _exit(daemonPidFileAcquire(path) < 0 &&
              strstr(virGetLastErrorMessage(), "another tenvirtd") ? 0 : 1);
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status 0x%x", status);

    /* Read last: closing any descriptor of the file drops this process's lock. */
    rfd = open(path, O_RDONLY);
    ck_assert_int_ge(rfd, 0);
    ck_assert_int_gt(read(rfd, buf, sizeof(buf) - 1), 0);
    close(rfd);
    ck_assert_int_eq(atoll(buf), (long long)getpid());

    daemonPidFileRelease(path, fd);
    ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

static Suite *
setupSuite(void)
{
    Suite *s = suite_create("daemon_setup");
    TCase *tc = tcase_create("setup");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_sample_loads);
    tcase_add_test(tc, test_sample_documents_every_key);
    tcase_add_test(tc, test_sample_uncommented_loads);
    tcase_add_test(tc, test_auth_defaults);
    tcase_add_test(tc, test_auth_tcp_sasl);
    tcase_add_test(tc, test_auth_unix_sasl);
    tcase_add_test(tc, test_perms_and_group);
    tcase_add_test(tc, test_reload_keeps_old_policy_on_error);
    tcase_add_test(tc, test_startup_policy_error);
    tcase_add_test(tc, test_pid_file);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(setupSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
