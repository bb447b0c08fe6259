/*
 * tvsh.c: a virsh-like shell over the Tenvirt API.
 *
 *   tvsh [-c URI] [-r] [-q] COMMAND [ARGS...]     run one command
 *   tvsh [-c URI] [-r] [-q] "CMD ARGS; CMD ..."   run a command string
 *   tvsh [-c URI] [-r] [-q]                        read commands from stdin
 *
 * Commands, options, output and error messages follow virsh 9.0, so that
 * scripts and people used to virsh can use either. For in-process URIs
 * (test:///...) --access-config and --as-* let a person try an access
 * policy as some remote client would see it, without running a daemon.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "libvirt_internal.h"
#include "remote/remote_auth.h"
#include "viraccessmanager.h"
#include "viralloc.h"
#include "virdaemonconf.h"
#include "virerror.h"
#include "viridentity.h"
#include "virlog.h"
#include "virstring.h"

#define TVSH_MAX_OPTS 24

typedef struct {
    const char *uri;            /* -c, or NULL for the default */
    bool readonly;
    bool quiet;
    bool interactive;
    virConnectPtr conn;         /* opened on first use */
    bool connectFailed;
} tvshControl;

/* ---- output ------------------------------------------------------------------- */

static void tvshPrint(tvshControl *ctl, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(2, 3);
static void tvshPrintExtra(tvshControl *ctl, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(2, 3);
static void tvshError(tvshControl *ctl, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(2, 3);

static void
tvshPrint(tvshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

/* Informational output ("Domain 'x' started"), silenced by -q. */
static void
tvshPrintExtra(tvshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    if (ctl->quiet)
        return;
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
}

static void
tvshError(tvshControl *ctl, const char *fmt, ...)
{
    va_list ap;

    /* stdout first, so that interleaved output stays in order. */
    fflush(stdout);
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Print the library's last error, if any, and forget it. */
static void
tvshReportError(tvshControl *ctl)
{
    virErrorPtr err = virGetLastError();

    if (!err)
        return;
    tvshError(ctl, "%s", err->message ? err->message : "unknown error");
    virResetLastError();
}

/* ---- credentials --------------------------------------------------------------- */

/* The remote driver asks here for what neither an auth file nor the
 * environment gave (e.g. a SASL password): on the terminal, without echo
 * for secrets, or from standard input when there is no terminal. */
static int
tvshAuthPrompt(const char *prompt, bool echo, const char *defresult, char **result)
{
    FILE *tty = fopen("/dev/tty", "r+e");
    FILE *in = tty ? tty : stdin;
    FILE *out = tty ? tty : stderr;
    struct termios saved;
    bool restore = false;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;

    *result = NULL;
    if (defresult)
        fprintf(out, "%s[%s] ", prompt, defresult);
    else
        fputs(prompt, out);
    fflush(out);
    if (!echo && isatty(fileno(in)) && tcgetattr(fileno(in), &saved) == 0) {
        struct termios noecho = saved;

        noecho.c_lflag &= ~ECHO;
        restore = tcsetattr(fileno(in), TCSAFLUSH, &noecho) == 0;
    }
    len = getline(&line, &cap, in);
    if (restore) {
        tcsetattr(fileno(in), TCSAFLUSH, &saved);
        fputc('\n', out);
    }
    if (tty)
        fclose(tty);
    if (len < 0) {
        free(line);
        return -1;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (len == 0 && defresult) {
        free(line);
        line = virStrdup(defresult);
    }
    *result = line;
    return 0;
}

/* ---- command definitions ------------------------------------------------------- */

typedef enum {
    TVSH_OT_BOOL,       /* --flag */
    TVSH_OT_STRING,     /* --name VALUE, or positional when TVSH_OFLAG_POSITIONAL */
} tvshOptType;

enum {
    TVSH_OFLAG_REQUIRED = 1 << 0,
    TVSH_OFLAG_POSITIONAL = 1 << 1,
};

typedef struct {
    const char *name;
    tvshOptType type;
    unsigned int flags;
    const char *help;
} tvshOptDef;

typedef struct _tvshCmdDef tvshCmdDef;
typedef struct {
    const tvshCmdDef *def;
    const char *values[TVSH_MAX_OPTS];  /* borrowed from the tokens; "" for a set bool */
} tvshCmd;

struct _tvshCmdDef {
    const char *name;
    const char *group;
    bool (*handler)(tvshControl *ctl, const tvshCmd *cmd);
    const tvshOptDef *opts;
    const char *summary;
    const char *description;
    bool needsConnection;
};

static const char *
tvshCmdOpt(const tvshCmd *cmd, const char *name)
{
    size_t i;

    for (i = 0; cmd->def->opts && cmd->def->opts[i].name; i++) {
        if (STREQ(cmd->def->opts[i].name, name))
            return cmd->values[i];
    }
    return NULL;
}

static bool
tvshCmdHas(const tvshCmd *cmd, const char *name)
{
    return tvshCmdOpt(cmd, name) != NULL;
}

/* ---- connection and domain lookup --------------------------------------------- */

static bool
tvshConnect(tvshControl *ctl)
{
    if (ctl->conn)
        return true;
    if (ctl->readonly)
        ctl->conn = virConnectOpenReadOnly(ctl->uri);
    else
        ctl->conn = virConnectOpen(ctl->uri);
    if (!ctl->conn) {
        tvshError(ctl, "%s", "failed to connect to the hypervisor");
        tvshReportError(ctl);
        ctl->connectFailed = true;
        return false;
    }
    return true;
}

enum {
    TVSH_BYID = 1 << 0,
    TVSH_BYUUID = 1 << 1,
    TVSH_BYNAME = 1 << 2,
    TVSH_BYALL = TVSH_BYID | TVSH_BYUUID | TVSH_BYNAME,
};

/* The domain named by the "domain" option, resolved like virsh: a number
 * is tried as an id, a 36-character string as a UUID, then either as a
 * name. The library's reason is dropped: "failed to get domain" says it. */
static virDomainPtr
tvshLookupDomain(tvshControl *ctl, const tvshCmd *cmd, unsigned int by, const char **name)
{
    const char *arg = tvshCmdOpt(cmd, "domain");
    virDomainPtr dom = NULL;
    int id;

    if (name)
        *name = arg;
    if ((by & TVSH_BYID) && virStrToLong_i(arg, 10, &id) == 0 && id >= 0)
        dom = virDomainLookupByID(ctl->conn, id);
    if (!dom && (by & TVSH_BYUUID) && strlen(arg) == VIR_UUID_STRING_BUFLEN - 1)
        dom = virDomainLookupByUUIDString(ctl->conn, arg);
    if (!dom && (by & TVSH_BYNAME))
        dom = virDomainLookupByName(ctl->conn, arg);
    virResetLastError();
    if (!dom)
        tvshError(ctl, "failed to get domain '%s'", arg);
    return dom;
}

/* Free a handle without losing the error that the command will report. */
static void
tvshDomainFree(virDomainPtr dom)
{
    virErrorPtr saved;

    virErrorPreserveLast(&saved);
    virDomainFree(dom);
    virErrorRestore(&saved);
}

static const char *
tvshStateToString(int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING:
        return "running";
    case VIR_DOMAIN_BLOCKED:
        return "idle";
    case VIR_DOMAIN_PAUSED:
        return "paused";
    case VIR_DOMAIN_SHUTDOWN:
        return "in shutdown";
    case VIR_DOMAIN_SHUTOFF:
        return "shut off";
    case VIR_DOMAIN_CRASHED:
        return "crashed";
    case VIR_DOMAIN_PMSUSPENDED:
        return "pmsuspended";
    case VIR_DOMAIN_NOSTATE:
    default:
        return "no state";
    }
}

/* virsh's words for each state's reasons, indexed by reason. */
static const char *
tvshStateReasonToString(int state, int reason)
{
    static const char *const running[] = {
        "unknown", "booted", "migrated", "restored", "from snapshot", "unpaused",
        "migration canceled", "save canceled", "event wakeup", "crashed", "post-copy",
    };
    static const char *const paused[] = {
        "unknown", "user", "migrating", "saving", "dumping", "I/O error", "watchdog",
        "from snapshot", "shutting down", "creating snapshot", "crashed", "starting up",
        "post-copy", "post-copy failed",
    };
    static const char *const shutdown[] = { "unknown", "user" };
    static const char *const shutoff[] = {
        "unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed",
        "from snapshot", "daemon",
    };
    static const char *const crashed[] = { "unknown", "panicked" };
    const char *const *names = NULL;
    size_t n = 0;

    switch (state) {
    case VIR_DOMAIN_RUNNING:
        names = running, n = G_N_ELEMENTS(running);
        break;
    case VIR_DOMAIN_PAUSED:
        names = paused, n = G_N_ELEMENTS(paused);
        break;
    case VIR_DOMAIN_SHUTDOWN:
        names = shutdown, n = G_N_ELEMENTS(shutdown);
        break;
    case VIR_DOMAIN_SHUTOFF:
        names = shutoff, n = G_N_ELEMENTS(shutoff);
        break;
    case VIR_DOMAIN_CRASHED:
        names = crashed, n = G_N_ELEMENTS(crashed);
        break;
    default:
        break;
    }
    if (names && reason >= 0 && (size_t)reason < n)
        return names[reason];
    return "unknown";
}

/* ---- host commands -------------------------------------------------------------- */

static bool
cmdUri(tvshControl *ctl, const tvshCmd *cmd)
{
    VIR_AUTOFREE(char *) uri = virConnectGetURI(ctl->conn);

    if (!uri) {
        tvshError(ctl, "%s", "failed to get URI");
        return false;
    }
    tvshPrint(ctl, "%s\n", uri);
    return true;
}

static bool
cmdHostname(tvshControl *ctl, const tvshCmd *cmd)
{
    VIR_AUTOFREE(char *) hostname = virConnectGetHostname(ctl->conn);

    if (!hostname) {
        tvshError(ctl, "%s", "failed to get hostname");
        return false;
    }
    tvshPrint(ctl, "%s\n", hostname);
    return true;
}

static void
tvshPrintVersion(tvshControl *ctl, const char *label, const char *what, unsigned long v)
{
    tvshPrint(ctl, "%s: %s %lu.%lu.%lu\n", label, what,
              v / 1000000, (v / 1000) % 1000, v % 1000);
}

static bool
cmdVersion(tvshControl *ctl, const tvshCmd *cmd)
{
    unsigned long libVersion;
    unsigned long apiVersion;
    unsigned long hvVersion;
    const char *hvType;

    tvshPrintVersion(ctl, "Compiled against library", "tenvirt", TENVIRT_VERSION_NUMBER);
    if (virGetVersion(&libVersion, NULL, NULL) < 0) {
        tvshError(ctl, "%s", "failed to get the library version");
        return false;
    }
    tvshPrintVersion(ctl, "Using library", "tenvirt", libVersion);

    if (!(hvType = virConnectGetType(ctl->conn))) {
        tvshError(ctl, "%s", "failed to get hypervisor type");
        return false;
    }
    if (virGetVersion(&libVersion, hvType, &apiVersion) < 0) {
        tvshError(ctl, "%s", "failed to get the library version");
        return false;
    }
    tvshPrintVersion(ctl, "Using API", hvType, apiVersion);

    if (virConnectGetVersion(ctl->conn, &hvVersion) < 0) {
        tvshError(ctl, "%s", "failed to get the hypervisor version");
        return false;
    }
    if (hvVersion == 0)
        tvshPrint(ctl, "Cannot extract running %s hypervisor version\n", hvType);
    else
        tvshPrintVersion(ctl, "Running hypervisor", hvType, hvVersion);
    return true;
}

static bool
cmdNodeinfo(tvshControl *ctl, const tvshCmd *cmd)
{
    virNodeInfo info;

    if (virNodeGetInfo(ctl->conn, &info) < 0) {
        tvshError(ctl, "%s", "failed to get node information");
        return false;
    }
    tvshPrint(ctl, "%-20s %s\n", "CPU model:", info.model);
    tvshPrint(ctl, "%-20s %u\n", "CPU(s):", info.cpus);
    tvshPrint(ctl, "%-20s %u MHz\n", "CPU frequency:", info.mhz);
    tvshPrint(ctl, "%-20s %u\n", "CPU socket(s):", info.sockets);
    tvshPrint(ctl, "%-20s %u\n", "Core(s) per socket:", info.cores);
    tvshPrint(ctl, "%-20s %u\n", "Thread(s) per core:", info.threads);
    tvshPrint(ctl, "%-20s %u\n", "NUMA cell(s):", info.nodes);
    tvshPrint(ctl, "%-20s %lu KiB\n", "Memory size:", info.memory);
    return true;
}

/* ---- list ------------------------------------------------------------------------ */

/* virsh's order: running domains by id, then the others by name. */
static int
tvshDomainSorter(const void *a, const void *b)
{
    virDomainPtr da = *(virDomainPtr const *)a;
    virDomainPtr db = *(virDomainPtr const *)b;
    unsigned int ida = virDomainGetID(da);
    unsigned int idb = virDomainGetID(db);

    if (ida == (unsigned int)-1 && idb == (unsigned int)-1)
        return strcasecmp(virDomainGetName(da), virDomainGetName(db));
    if (ida != idb)
        return ida < idb ? -1 : 1;
    return 0;
}

typedef struct {
    char *id;
    const char *name;
    const char *state;
} tvshListRow;

static bool
cmdList(tvshControl *ctl, const tvshCmd *cmd)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } filters[] = {
        { "transient", VIR_CONNECT_LIST_DOMAINS_TRANSIENT },
        { "persistent", VIR_CONNECT_LIST_DOMAINS_PERSISTENT },
        { "with-snapshot", VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT },
        { "without-snapshot", VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT },
        { "state-running", VIR_CONNECT_LIST_DOMAINS_RUNNING },
        { "state-paused", VIR_CONNECT_LIST_DOMAINS_PAUSED },
        { "state-shutoff", VIR_CONNECT_LIST_DOMAINS_SHUTOFF },
        { "state-other", VIR_CONNECT_LIST_DOMAINS_OTHER },
        { "autostart", VIR_CONNECT_LIST_DOMAINS_AUTOSTART },
        { "no-autostart", VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART },
        { "with-managed-save", VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE },
        { "without-managed-save", VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE },
    };
    bool optName = tvshCmdHas(cmd, "name");
    bool optUUID = tvshCmdHas(cmd, "uuid");
    unsigned int flags = VIR_CONNECT_LIST_DOMAINS_ACTIVE;
    virDomainPtr *doms = NULL;
    tvshListRow *rows = NULL;
    size_t idWidth = 2;
    size_t nameWidth = 4;
    size_t stateWidth = 5;
    bool ret = false;
    int ndoms;
    int i;
    size_t j;

    /* As in virsh, asking for shut off domains implies inactive ones. */
    if (tvshCmdHas(cmd, "inactive") || tvshCmdHas(cmd, "state-shutoff"))
        flags = VIR_CONNECT_LIST_DOMAINS_INACTIVE;
    if (tvshCmdHas(cmd, "all"))
        flags = 0;
    for (j = 0; j < G_N_ELEMENTS(filters); j++) {
        if (tvshCmdHas(cmd, filters[j].opt))
            flags |= filters[j].flag;
    }

    if ((ndoms = virConnectListAllDomains(ctl->conn, &doms, flags)) < 0) {
        tvshError(ctl, "%s", "Failed to list domains");
        return false;
    }
    qsort(doms, ndoms, sizeof(*doms), tvshDomainSorter);

    if (optName || optUUID) {
        for (i = 0; i < ndoms; i++) {
            char uuid[VIR_UUID_STRING_BUFLEN];

            virDomainGetUUIDString(doms[i], uuid);
            if (optName && optUUID)
                tvshPrint(ctl, "%s %s\n", uuid, virDomainGetName(doms[i]));
            else if (optUUID)
                tvshPrint(ctl, "%s\n", uuid);
            else
                tvshPrint(ctl, "%s\n", virDomainGetName(doms[i]));
        }
        ret = true;
        goto cleanup;
    }

    /* Column widths as virsh's table: the widest cell, headers included
     * unless -q drops them. */
    if (ctl->quiet)
        idWidth = nameWidth = stateWidth = 0;
    rows = virAllocN(ndoms + 1, sizeof(*rows));
    for (i = 0; i < ndoms; i++) {
        unsigned int id = virDomainGetID(doms[i]);
        int state;

        rows[i].id = id == (unsigned int)-1 ? virStrdup("-") : virPrintf("%u", id);
        rows[i].name = virDomainGetName(doms[i]);
        if (virDomainGetState(doms[i], &state, NULL, 0) < 0)
            goto cleanup;
        rows[i].state = tvshStateToString(state);
        idWidth = strlen(rows[i].id) > idWidth ? strlen(rows[i].id) : idWidth;
        nameWidth = strlen(rows[i].name) > nameWidth ? strlen(rows[i].name) : nameWidth;
        stateWidth = strlen(rows[i].state) > stateWidth ? strlen(rows[i].state) : stateWidth;
    }

    if (!ctl->quiet) {
        tvshPrint(ctl, " %-*s   %-*s   %s\n", (int)idWidth, "Id", (int)nameWidth, "Name",
                  "State");
        for (j = 0; j < idWidth + nameWidth + stateWidth + 9; j++)
            tvshPrint(ctl, "-");
        tvshPrint(ctl, "\n");
    }
    for (i = 0; i < ndoms; i++)
        tvshPrint(ctl, " %-*s   %-*s   %s\n", (int)idWidth, rows[i].id, (int)nameWidth,
                  rows[i].name, rows[i].state);
    ret = true;

 cleanup:
    for (i = 0; rows && i < ndoms; i++)
        free(rows[i].id);
    free(rows);
    for (i = 0; i < ndoms; i++)
        tvshDomainFree(doms[i]);
    free(doms);
    return ret;
}

/* ---- domain queries ------------------------------------------------------------------ */

static bool
cmdDominfo(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    virDomainInfo info;
    virSecurityModel secmodel;
    char uuid[VIR_UUID_STRING_BUFLEN];
    unsigned int id;
    char *str;
    int persistent;
    int autostart;
    int managed;
    bool ret = true;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYALL, NULL)))
        return false;

    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        tvshPrint(ctl, "%-15s %s\n", "Id:", "-");
    else
        tvshPrint(ctl, "%-15s %u\n", "Id:", id);
    tvshPrint(ctl, "%-15s %s\n", "Name:", virDomainGetName(dom));
    if (virDomainGetUUIDString(dom, uuid) == 0)
        tvshPrint(ctl, "%-15s %s\n", "UUID:", uuid);
    if ((str = virDomainGetOSType(dom))) {
        tvshPrint(ctl, "%-15s %s\n", "OS Type:", str);
        free(str);
    }

    if (virDomainGetInfo(dom, &info) == 0) {
        tvshPrint(ctl, "%-15s %s\n", "State:", tvshStateToString(info.state));
        tvshPrint(ctl, "%-15s %d\n", "CPU(s):", info.nrVirtCpu);
        if (info.cpuTime != 0)
            tvshPrint(ctl, "%-15s %.1lfs\n", "CPU time:", (double)info.cpuTime / 1e9);
        tvshPrint(ctl, "%-15s %lu KiB\n", "Max memory:", info.maxMem);
        tvshPrint(ctl, "%-15s %lu KiB\n", "Used memory:", info.memory);
    } else {
        ret = false;
    }

    /* Like virsh, later lines go on after a failure, each as it can. */
    if (ret) {
        persistent = virDomainIsPersistent(dom);
        tvshPrint(ctl, "%-15s %s\n", "Persistent:",
                  persistent < 0 ? "unknown" : persistent ? "yes" : "no");
        if (virDomainGetAutostart(dom, &autostart) == 0)
            tvshPrint(ctl, "%-15s %s\n", "Autostart:", autostart ? "enable" : "disable");
        managed = virDomainHasManagedSaveImage(dom, 0);
        tvshPrint(ctl, "%-15s %s\n", "Managed save:",
                  managed < 0 ? "unknown" : managed ? "yes" : "no");
        virResetLastError();

        if (virNodeGetSecurityModel(ctl->conn, &secmodel) < 0) {
            if (virGetLastErrorCode() != VIR_ERR_NO_SUPPORT)
                ret = false;
            else
                virResetLastError();
        } else if (secmodel.model[0]) {
            tvshPrint(ctl, "%-15s %s\n", "Security model:", secmodel.model);
            tvshPrint(ctl, "%-15s %s\n", "Security DOI:", secmodel.doi);
        }
    }
    tvshDomainFree(dom);
    return ret;
}

static bool
cmdDomstate(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    int state;
    int reason;
    bool ret = false;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYALL, NULL)))
        return false;
    if (virDomainGetState(dom, &state, &reason, 0) == 0) {
        if (tvshCmdHas(cmd, "reason"))
            tvshPrint(ctl, "%s (%s)\n", tvshStateToString(state),
                      tvshStateReasonToString(state, reason));
        else
            tvshPrint(ctl, "%s\n", tvshStateToString(state));
        ret = true;
    }
    tvshDomainFree(dom);
    return ret;
}

static bool
cmdDomid(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    unsigned int id;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYNAME | TVSH_BYUUID, NULL)))
        return false;
    id = virDomainGetID(dom);
    if (id == (unsigned int)-1)
        tvshPrint(ctl, "%s\n", "-");
    else
        tvshPrint(ctl, "%u\n", id);
    tvshDomainFree(dom);
    return true;
}

static bool
cmdDomname(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYID | TVSH_BYUUID, NULL)))
        return false;
    tvshPrint(ctl, "%s\n", virDomainGetName(dom));
    tvshDomainFree(dom);
    return true;
}

static bool
cmdDomuuid(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    char uuid[VIR_UUID_STRING_BUFLEN];
    bool ret = false;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYNAME | TVSH_BYID, NULL)))
        return false;
    if (virDomainGetUUIDString(dom, uuid) == 0) {
        tvshPrint(ctl, "%s\n", uuid);
        ret = true;
    } else {
        tvshError(ctl, "%s", "failed to get domain UUID");
    }
    tvshDomainFree(dom);
    return ret;
}

static bool
cmdDumpxml(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    unsigned int flags = 0;
    char *xml;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYALL, NULL)))
        return false;
    if (tvshCmdHas(cmd, "inactive"))
        flags |= VIR_DOMAIN_XML_INACTIVE;
    if (tvshCmdHas(cmd, "security-info"))
        flags |= VIR_DOMAIN_XML_SECURE;
    xml = virDomainGetXMLDesc(dom, flags);
    tvshDomainFree(dom);
    if (!xml)
        return false;
    tvshPrint(ctl, "%s", xml);
    free(xml);
    return true;
}

/* ---- lifecycle ----------------------------------------------------------------------- */

static bool
cmdStart(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    const char *name;
    bool ret = false;

    /* An inactive domain has no id to be named by. */
    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYNAME | TVSH_BYUUID, &name)))
        return false;
    if (virDomainGetID(dom) != (unsigned int)-1) {
        tvshError(ctl, "%s", "Domain is already active");
    } else if (virDomainCreate(dom) < 0) {
        tvshError(ctl, "Failed to start domain '%s'", name);
    } else {
        tvshPrintExtra(ctl, "Domain '%s' started\n", name);
        ret = true;
    }
    tvshDomainFree(dom);
    return ret;
}

/* The commands that take a domain and call one function on it. */
typedef struct {
    const char *cmd;
    int (*action)(virDomainPtr dom);
    const char *done;       /* "Domain 'x' <done>" */
    const char *verb;       /* "Failed to <verb> domain 'x'" */
} tvshDomainAction;

static int
tvshReboot(virDomainPtr dom)
{
    return virDomainReboot(dom, 0);
}

static const tvshDomainAction tvshDomainActions[] = {
    { "suspend", virDomainSuspend, "suspended", "suspend" },
    { "resume", virDomainResume, "resumed", "resume" },
    { "shutdown", virDomainShutdown, "is being shutdown", "shutdown" },
    { "reboot", tvshReboot, "is being rebooted", "reboot" },
    { "destroy", virDomainDestroy, "destroyed", "destroy" },
    { "undefine", virDomainUndefine, "has been undefined", "undefine" },
};

static bool
cmdDomainAction(tvshControl *ctl, const tvshCmd *cmd)
{
    const tvshDomainAction *action = NULL;
    virDomainPtr dom;
    const char *name;
    bool ret = false;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(tvshDomainActions); i++) {
        if (STREQ(tvshDomainActions[i].cmd, cmd->def->name))
            action = &tvshDomainActions[i];
    }
    if (!action || !(dom = tvshLookupDomain(ctl, cmd, TVSH_BYALL, &name)))
        return false;
    if (action->action(dom) < 0) {
        tvshError(ctl, "Failed to %s domain '%s'", action->verb, name);
    } else {
        tvshPrintExtra(ctl, "Domain '%s' %s\n", name, action->done);
        ret = true;
    }
    tvshDomainFree(dom);
    return ret;
}

static bool
cmdAutostart(tvshControl *ctl, const tvshCmd *cmd)
{
    virDomainPtr dom;
    const char *name;
    bool disable = tvshCmdHas(cmd, "disable");
    bool ret = false;

    if (!(dom = tvshLookupDomain(ctl, cmd, TVSH_BYALL, &name)))
        return false;
    if (virDomainSetAutostart(dom, !disable) < 0) {
        if (disable)
            tvshError(ctl, "Failed to unmark domain '%s' as autostarted", name);
        else
            tvshError(ctl, "Failed to mark domain '%s' as autostarted", name);
    } else {
        if (disable)
            tvshPrintExtra(ctl, "Domain '%s' unmarked as autostarted\n", name);
        else
            tvshPrintExtra(ctl, "Domain '%s' marked as autostarted\n", name);
        ret = true;
    }
    tvshDomainFree(dom);
    return ret;
}

/* The whole of @path, or NULL with the error printed. */
static char *
tvshReadFile(tvshControl *ctl, const char *path)
{
    FILE *fp;
    char *data = NULL;
    size_t len = 0;
    size_t cap = 0;
    size_t n;

    if (!(fp = fopen(path, "r"))) {
        tvshError(ctl, "Failed to open file '%s': %s", path, strerror(errno));
        return NULL;
    }
    do {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            VIR_REALLOC_N(data, cap);
        }
        n = fread(data + len, 1, cap - len - 1, fp);
        len += n;
    } while (n > 0);
    if (ferror(fp)) {
        tvshError(ctl, "Failed to read file '%s': %s", path, strerror(errno));
        VIR_FREE(data);
    } else {
        data[len] = '\0';
    }
    fclose(fp);
    return data;
}

static bool
cmdDefine(tvshControl *ctl, const tvshCmd *cmd)
{
    const char *file = tvshCmdOpt(cmd, "file");
    VIR_AUTOFREE(char *) xml = NULL;
    virDomainPtr dom;

    if (!(xml = tvshReadFile(ctl, file)))
        return false;
    if (!(dom = virDomainDefineXML(ctl->conn, xml))) {
        tvshError(ctl, "Failed to define domain from %s", file);
        return false;
    }
    tvshPrintExtra(ctl, "Domain '%s' defined from %s\n", virDomainGetName(dom), file);
    tvshDomainFree(dom);
    return true;
}

/* ---- the shell itself ---------------------------------------------------------------- */

static bool cmdHelp(tvshControl *ctl, const tvshCmd *cmd);

static bool
cmdQuit(tvshControl *ctl, const tvshCmd *cmd)
{
    ctl->interactive = false;
    return true;
}

static const tvshOptDef optsNone[] = { { NULL, 0, 0, NULL } };

static const tvshOptDef optsDomain[] = {
    { "domain", TVSH_OT_STRING, TVSH_OFLAG_REQUIRED | TVSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsDomstate[] = {
    { "domain", TVSH_OT_STRING, TVSH_OFLAG_REQUIRED | TVSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { "reason", TVSH_OT_BOOL, 0, "also print reason for the state" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsDumpxml[] = {
    { "domain", TVSH_OT_STRING, TVSH_OFLAG_REQUIRED | TVSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { "inactive", TVSH_OT_BOOL, 0, "show the definition the next start will use" },
    { "security-info", TVSH_OT_BOOL, 0, "include security sensitive information in XML dump" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsStart[] = {
    { "domain", TVSH_OT_STRING, TVSH_OFLAG_REQUIRED | TVSH_OFLAG_POSITIONAL,
      "name or uuid of the inactive domain" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsAutostart[] = {
    { "domain", TVSH_OT_STRING, TVSH_OFLAG_REQUIRED | TVSH_OFLAG_POSITIONAL,
      "domain name, id or uuid" },
    { "disable", TVSH_OT_BOOL, 0, "disable autostarting" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsDefine[] = {
    { "file", TVSH_OT_STRING, TVSH_OFLAG_REQUIRED | TVSH_OFLAG_POSITIONAL,
      "file containing an XML domain description" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsList[] = {
    { "inactive", TVSH_OT_BOOL, 0, "list inactive domains" },
    { "all", TVSH_OT_BOOL, 0, "list inactive & active domains" },
    { "transient", TVSH_OT_BOOL, 0, "list transient domains" },
    { "persistent", TVSH_OT_BOOL, 0, "list persistent domains" },
    { "with-snapshot", TVSH_OT_BOOL, 0, "list domains with existing snapshot" },
    { "without-snapshot", TVSH_OT_BOOL, 0, "list domains without a snapshot" },
    { "state-running", TVSH_OT_BOOL, 0, "list domains in running state" },
    { "state-paused", TVSH_OT_BOOL, 0, "list domains in paused state" },
    { "state-shutoff", TVSH_OT_BOOL, 0, "list domains in shutoff state" },
    { "state-other", TVSH_OT_BOOL, 0, "list domains in other states" },
    { "autostart", TVSH_OT_BOOL, 0, "list domains with autostart enabled" },
    { "no-autostart", TVSH_OT_BOOL, 0, "list domains with autostart disabled" },
    { "with-managed-save", TVSH_OT_BOOL, 0, "list domains with managed save state" },
    { "without-managed-save", TVSH_OT_BOOL, 0, "list domains without managed save" },
    { "uuid", TVSH_OT_BOOL, 0, "list uuid's only" },
    { "name", TVSH_OT_BOOL, 0, "list domain names only" },
    { NULL, 0, 0, NULL },
};

static bool
cmdEcho(tvshControl *ctl, const tvshCmd *cmd)
{
    const char *text = tvshCmdOpt(cmd, "string");

    tvshPrint(ctl, "%s\n", text ? text : "");
    return true;
}

static const tvshOptDef optsEcho[] = {
    { "string", TVSH_OT_STRING, TVSH_OFLAG_POSITIONAL, "text to print" },
    { NULL, 0, 0, NULL },
};

static const tvshOptDef optsHelp[] = {
    { "command", TVSH_OT_STRING, TVSH_OFLAG_POSITIONAL, "name of the command to describe" },
    { NULL, 0, 0, NULL },
};

#define GROUP_DOMAIN "Domain Management"
#define GROUP_MONITOR "Domain Monitoring"
#define GROUP_HOST "Host and Hypervisor"
#define GROUP_SHELL "tvsh itself"

static const tvshCmdDef tvshCommands[] = {
    { "autostart", GROUP_DOMAIN, cmdAutostart, optsAutostart, "autostart a domain",
      "Configure a domain to be automatically started at boot.", true },
    { "define", GROUP_DOMAIN, cmdDefine, optsDefine,
      "define (but don't start) a domain from an XML file",
      "Define a domain, or update the definition of an existing one.", true },
    { "destroy", GROUP_DOMAIN, cmdDomainAction, optsDomain, "destroy (stop) a domain",
      "Forcefully stop a given domain, but leave its resources intact.", true },
    { "domid", GROUP_DOMAIN, cmdDomid, optsDomain, "convert a domain name or UUID to domain id",
      "Print the id of a domain (\"-\" if it is not running).", true },
    { "domname", GROUP_DOMAIN, cmdDomname, optsDomain, "convert a domain id or UUID to domain name",
      "Print the name of a domain.", true },
    { "domuuid", GROUP_DOMAIN, cmdDomuuid, optsDomain, "convert a domain name or id to domain UUID",
      "Print the UUID of a domain.", true },
    { "dumpxml", GROUP_DOMAIN, cmdDumpxml, optsDumpxml, "domain information in XML",
      "Output the domain information as an XML dump to stdout.", true },
    { "reboot", GROUP_DOMAIN, cmdDomainAction, optsDomain, "reboot a domain",
      "Run a reboot command in the target domain.", true },
    { "resume", GROUP_DOMAIN, cmdDomainAction, optsDomain, "resume a domain",
      "Resume a previously suspended domain.", true },
    { "shutdown", GROUP_DOMAIN, cmdDomainAction, optsDomain, "gracefully shutdown a domain",
      "Run shutdown in the target domain.", true },
    { "start", GROUP_DOMAIN, cmdStart, optsStart, "start a (previously defined) inactive domain",
      "Start a domain by a fresh boot.", true },
    { "suspend", GROUP_DOMAIN, cmdDomainAction, optsDomain, "suspend a domain",
      "Suspend a running domain.", true },
    { "undefine", GROUP_DOMAIN, cmdDomainAction, optsDomain, "undefine a domain",
      "Undefine an inactive domain, or convert a running one to transient.", true },
    { "dominfo", GROUP_MONITOR, cmdDominfo, optsDomain, "domain information",
      "Returns basic information about the domain.", true },
    { "domstate", GROUP_MONITOR, cmdDomstate, optsDomstate, "domain state",
      "Returns state about a domain.", true },
    { "list", GROUP_MONITOR, cmdList, optsList, "list domains",
      "Returns list of domains.", true },
    { "hostname", GROUP_HOST, cmdHostname, optsNone, "print the hypervisor hostname",
      "Print the hypervisor host name.", true },
    { "nodeinfo", GROUP_HOST, cmdNodeinfo, optsNone, "node information",
      "Returns basic information about the node.", true },
    { "uri", GROUP_HOST, cmdUri, optsNone, "print the hypervisor canonical URI",
      "Print the hypervisor canonical URI.", true },
    { "version", GROUP_HOST, cmdVersion, optsNone, "show version",
      "Display the library and hypervisor versions.", true },
    { "echo", GROUP_SHELL, cmdEcho, optsEcho, "echo arguments",
      "Print the argument (handy to label the steps of a script).", false },
    { "exit", GROUP_SHELL, cmdQuit, optsNone, "quit this interactive terminal",
      "Quit this interactive terminal.", false },
    { "help", GROUP_SHELL, cmdHelp, optsHelp, "print help",
      "Prints global help, or the help of one command.", false },
    { "quit", GROUP_SHELL, cmdQuit, optsNone, "quit this interactive terminal",
      "Quit this interactive terminal.", false },
};

static const tvshCmdDef *
tvshCommandLookup(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(tvshCommands); i++) {
        if (STREQ(tvshCommands[i].name, name))
            return &tvshCommands[i];
    }
    return NULL;
}

static bool
cmdHelp(tvshControl *ctl, const tvshCmd *cmd)
{
    static const char *const groups[] = { GROUP_DOMAIN, GROUP_MONITOR, GROUP_HOST, GROUP_SHELL };
    const char *name = tvshCmdOpt(cmd, "command");
    const tvshCmdDef *def;
    size_t i;
    size_t j;

    if (!name) {
        tvshPrint(ctl, "Grouped commands:\n\n");
        for (i = 0; i < G_N_ELEMENTS(groups); i++) {
            tvshPrint(ctl, " %s:\n", groups[i]);
            for (j = 0; j < G_N_ELEMENTS(tvshCommands); j++) {
                if (STREQ(tvshCommands[j].group, groups[i]))
                    tvshPrint(ctl, "    %-30s %s\n", tvshCommands[j].name,
                              tvshCommands[j].summary);
            }
            tvshPrint(ctl, "\n");
        }
        return true;
    }

    if (!(def = tvshCommandLookup(name))) {
        tvshError(ctl, "command or command group '%s' doesn't exist", name);
        return false;
    }
    tvshPrint(ctl, "  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", def->name, def->summary, def->name);
    for (i = 0; def->opts[i].name; i++) {
        const tvshOptDef *opt = &def->opts[i];

        if (opt->type == TVSH_OT_BOOL)
            tvshPrint(ctl, " [--%s]", opt->name);
        else if (opt->flags & TVSH_OFLAG_REQUIRED)
            tvshPrint(ctl, " <%s>", opt->name);
        else
            tvshPrint(ctl, " [<%s>]", opt->name);
    }
    tvshPrint(ctl, "\n\n  DESCRIPTION\n    %s\n", def->description);
    if (def->opts[0].name) {
        tvshPrint(ctl, "\n  OPTIONS\n");
        for (i = 0; def->opts[i].name; i++) {
            const tvshOptDef *opt = &def->opts[i];
            VIR_AUTOFREE(char *) label = NULL;

            if (opt->type == TVSH_OT_BOOL)
                label = virPrintf("--%s", opt->name);
            else
                label = virPrintf("[--%s] <string>", opt->name);
            tvshPrint(ctl, "    %-15s  %s\n", label, opt->help);
        }
    }
    tvshPrint(ctl, "\n");
    return true;
}

/* ---- parsing and running commands ----------------------------------------------------- */

/* Fill @cmd from @tokens (the command name first). false with the error
 * printed if the command or an option is unknown or a value is missing. */
static bool
tvshCommandParse(tvshControl *ctl, char **tokens, size_t ntokens, tvshCmd *cmd)
{
    const tvshCmdDef *def;
    size_t i;
    size_t j;

    memset(cmd, 0, sizeof(*cmd));
    if (!(def = tvshCommandLookup(tokens[0]))) {
        tvshError(ctl, "unknown command: '%s'", tokens[0]);
        return false;
    }
    cmd->def = def;

    for (i = 1; i < ntokens; i++) {
        const char *tok = tokens[i];

        if (STRPREFIX(tok, "--") && tok[2]) {
            const char *eq = strchr(tok, '=');
            size_t len = eq ? (size_t)(eq - tok - 2) : strlen(tok + 2);
            const tvshOptDef *opt = NULL;

            for (j = 0; def->opts[j].name; j++) {
                if (strlen(def->opts[j].name) == len && STRPREFIX(tok + 2, def->opts[j].name)) {
                    opt = &def->opts[j];
                    break;
                }
            }
            if (!opt) {
                tvshError(ctl, "command '%s' doesn't support option %.*s", def->name,
                          (int)len + 2, tok);
                return false;
            }
            if (opt->type == TVSH_OT_BOOL) {
                if (eq) {
                    tvshError(ctl, "invalid '=' after option --%s", opt->name);
                    return false;
                }
                cmd->values[j] = "";
            } else if (eq) {
                cmd->values[j] = eq + 1;
            } else if (i + 1 < ntokens) {
                cmd->values[j] = tokens[++i];
            } else {
                tvshError(ctl, "expected syntax: --%s <string>", opt->name);
                return false;
            }
        } else {
            /* The next positional option still unset takes the word. */
            for (j = 0; def->opts[j].name; j++) {
                if ((def->opts[j].flags & TVSH_OFLAG_POSITIONAL) && !cmd->values[j])
                    break;
            }
            if (!def->opts[j].name) {
                tvshError(ctl, "unexpected data '%s'", tok);
                return false;
            }
            cmd->values[j] = tok;
        }
    }

    for (j = 0; def->opts[j].name; j++) {
        if ((def->opts[j].flags & TVSH_OFLAG_REQUIRED) && !cmd->values[j]) {
            tvshError(ctl, "command '%s' requires <%s> option", def->name, def->opts[j].name);
            return false;
        }
    }
    return true;
}

/* Run one command. Like virsh, a command that ran is followed by an empty
 * line, and a failure by the library's error if it left one. */
static bool
tvshCommandRun(tvshControl *ctl, char **tokens, size_t ntokens)
{
    tvshCmd cmd;
    bool ok;

    if (!tvshCommandParse(ctl, tokens, ntokens, &cmd))
        return false;
    if (cmd.def->needsConnection && !tvshConnect(ctl))
        return false;
    ok = cmd.def->handler(ctl, &cmd);
    if (!ok)
        tvshReportError(ctl);
    virResetLastError();
    tvshPrint(ctl, "\n");
    fflush(stdout);
    return ok;
}

/* Split @line into commands at unquoted ';' and each into words, with
 * '...' and "..." quoting and backslash escapes, and run them in turn.
 * Returns whether the last command succeeded. */
static bool
tvshRunString(tvshControl *ctl, const char *line)
{
    char **tokens = NULL;
    size_t ntokens = 0;
    char *word = NULL;
    size_t wlen = 0;
    bool inWord = false;
    char quote = 0;
    bool ok = true;
    const char *p;
    size_t i;

    for (p = line;; p++) {
        char c = *p;
        bool end = c == '\0' || c == '\n' || (!quote && (c == ';' || (c == '#' && !inWord)));

        if (end || (!quote && isspace((unsigned char)c))) {
            if (inWord) {
                word[wlen] = '\0';
                VIR_APPEND_ELEMENT(tokens, ntokens, word);
                word = NULL;
                wlen = 0;
                inWord = false;
            }
            if (end && ntokens) {
                ok = tvshCommandRun(ctl, tokens, ntokens);
                for (i = 0; i < ntokens; i++)
                    free(tokens[i]);
                VIR_FREE(tokens);
                ntokens = 0;
            }
            if (end && c != ';')
                break;
            continue;
        }
        if (!inWord) {
            word = virAllocN(strlen(p) + 1, 1);
            inWord = true;
        }
        if (quote && c == quote) {
            quote = 0;
        } else if (!quote && (c == '\'' || c == '"')) {
            quote = c;
        } else if (c == '\\' && p[1] && quote != '\'') {
            word[wlen++] = *++p;
        } else {
            word[wlen++] = c;
        }
    }
    free(word);
    return ok;
}

static void
tvshInteractive(tvshControl *ctl)
{
    bool tty = isatty(STDIN_FILENO);
    char *line = NULL;
    size_t cap = 0;

    if (tty) {
        tvshPrint(ctl, "Welcome to tvsh, the Tenvirt interactive terminal.\n\n"
                       "Type:  'help' for help with commands\n"
                       "       'quit' to quit\n\n");
    }
    ctl->interactive = true;
    while (ctl->interactive) {
        if (tty) {
            tvshPrint(ctl, "tvsh %c ", ctl->readonly ? '>' : '#');
            fflush(stdout);
        }
        if (getline(&line, &cap, stdin) < 0)
            break;
        tvshRunString(ctl, line);
    }
    if (tty && ctl->interactive)
        tvshPrint(ctl, "\n");
    free(line);
}

/* ---- identity simulation ----------------------------------------------------------------- */

typedef struct {
    const char *accessConfig;
    const char *dn;
    const char *saslUser;
    const char *unixUser;
} tvshPolicyOptions;

/* Install the access policy of a tenvirtd.conf and a simulated client
 * identity. The daemon configuration is returned: the access manager
 * borrows from it, so it lives until exit. */
static bool
tvshSetupPolicy(tvshControl *ctl, const tvshPolicyOptions *opts, virDaemonConfig **cfgOut)
{
    virIdentity *id;

    if (opts->accessConfig) {
        virDaemonConfig *cfg = virDaemonConfigNew();
        virAccessConfig acc;
        virAccessManager *mgr;

        *cfgOut = cfg;
        if (virDaemonConfigLoadFile(cfg, opts->accessConfig) < 0) {
            tvshError(ctl, "failed to load access configuration '%s'", opts->accessConfig);
            tvshReportError(ctl);
            return false;
        }
        /* The daemon's logging too: it decides whether audit lines show. */
        if (virLogSetDefaultPriority(cfg->log_level) < 0 ||
            (cfg->log_outputs && virLogSetOutputs(cfg->log_outputs) < 0)) {
            tvshReportError(ctl);
            return false;
        }
        memset(&acc, 0, sizeof(acc));
        virDaemonConfigGetAccessConfig(cfg, &acc);
        if (!(mgr = virAccessManagerNew(&acc))) {
            tvshError(ctl, "failed to set up access control from '%s'", opts->accessConfig);
            tvshReportError(ctl);
            return false;
        }
        virAccessManagerSetDefault(mgr);
    }

    if (!opts->dn && !opts->saslUser && !opts->unixUser)
        return true;

    id = virIdentityNew();
    if (opts->unixUser) {
        struct passwd pwbuf;
        struct passwd *pw = NULL;
        char buf[4096];

        if (getpwnam_r(opts->unixUser, &pwbuf, buf, sizeof(buf), &pw) != 0 || !pw) {
            tvshError(ctl, "unknown user '%s'", opts->unixUser);
            virIdentityUnref(id);
            return false;
        }
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_UNIX);
        if (virIdentityFillUNIXFromUID(id, pw->pw_uid, pw->pw_gid) < 0) {
            tvshReportError(ctl);
            virIdentityUnref(id);
            return false;
        }
        virIdentitySetProcessID(id, getpid());
    }
    if (opts->saslUser) {
        if (!opts->unixUser)
            virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TCP);
        virIdentitySetSASLUserName(id, opts->saslUser);
    }
    if (opts->dn) {
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
        virIdentitySetX509DName(id, opts->dn);
    }
    virIdentitySetReadOnly(id, ctl->readonly);
    virIdentitySetCurrent(id);
    virIdentityUnref(id);
    return true;
}

/* ---- main -------------------------------------------------------------------------------- */

static void
tvshUsage(void)
{
    size_t i;

    printf("\n"
           "tvsh [options]... [<command_string>]\n"
           "tvsh [options]... <command> [args...]\n"
           "\n"
           "  options:\n"
           "    -c | --connect=URI      hypervisor connection URI\n"
           "    -h | --help             this help\n"
           "    -q | --quiet            quiet mode\n"
           "    -r | --readonly         connect readonly\n"
           "    -v | --version          short version\n"
           "\n"
           "  access policy simulation (in-process URIs such as test:///default only):\n"
           "         --access-config=FILE  apply the access settings (access_drivers,\n"
           "                               access_dnpolicy_file, tls_restrict_dn, ...)\n"
           "                               of a tenvirtd.conf\n"
           "         --as-dn=DN            act as a TLS client with this certificate DN\n"
           "         --as-sasl=USER        act as a client authenticated by SASL as USER\n"
           "                               (over TCP, or TLS with --as-dn)\n"
           "         --as-unix-user=USER   act as a client of the UNIX socket running as USER\n"
           "    These only simulate the identity a remote client would have, so that a\n"
           "    policy can be tried without a daemon. They prove nothing about anyone:\n"
           "    real clients are identified by the daemon from their credentials.\n"
           "\n"
           "  commands (non interactive mode):\n\n");
    for (i = 0; i < G_N_ELEMENTS(tvshCommands); i++)
        printf("    %-30s %s\n", tvshCommands[i].name, tvshCommands[i].summary);
    printf("\n  (specify help <command> for details about the command)\n\n");
}

enum {
    OPT_ACCESS_CONFIG = 256,
    OPT_AS_DN,
    OPT_AS_SASL,
    OPT_AS_UNIX_USER,
};

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { "quiet", no_argument, NULL, 'q' },
        { "readonly", no_argument, NULL, 'r' },
        { "version", no_argument, NULL, 'v' },
        { "access-config", required_argument, NULL, OPT_ACCESS_CONFIG },
        { "as-dn", required_argument, NULL, OPT_AS_DN },
        { "as-sasl", required_argument, NULL, OPT_AS_SASL },
        { "as-unix-user", required_argument, NULL, OPT_AS_UNIX_USER },
        { NULL, 0, NULL, 0 },
    };
    tvshControl ctl;
    tvshPolicyOptions policy;
    virDaemonConfig *cfg = NULL;
    bool ok = true;
    int c;

    memset(&ctl, 0, sizeof(ctl));
    memset(&policy, 0, sizeof(policy));
    /* '+': options end at the command, whose own options follow. */
    while ((c = getopt_long(argc, argv, "+c:hqrv", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            ctl.uri = optarg;
            break;
        case 'h':
            tvshUsage();
            return EXIT_SUCCESS;
        case 'q':
            ctl.quiet = true;
            break;
        case 'r':
            ctl.readonly = true;
            break;
        case 'v':
            printf("%s\n", PACKAGE_VERSION);
            return EXIT_SUCCESS;
        case OPT_ACCESS_CONFIG:
            policy.accessConfig = optarg;
            break;
        case OPT_AS_DN:
            policy.dn = optarg;
            break;
        case OPT_AS_SASL:
            policy.saslUser = optarg;
            break;
        case OPT_AS_UNIX_USER:
            policy.unixUser = optarg;
            break;
        default:
            fprintf(stderr, "error: unsupported option. See --help.\n");
            return EXIT_FAILURE;
        }
    }

    remoteAuthSetPromptFunc(tvshAuthPrompt);
    if (!tvshSetupPolicy(&ctl, &policy, &cfg)) {
        ok = false;
    } else if (optind == argc) {
        tvshInteractive(&ctl);
    } else if (optind + 1 == argc) {
        /* One argument is a command string: "list --all; dominfo x". */
        ok = tvshRunString(&ctl, argv[optind]);
    } else {
        ok = tvshCommandRun(&ctl, argv + optind, argc - optind);
    }

    if (ctl.conn)
        virConnectClose(ctl.conn);
    virStateCleanup();
    virIdentitySetCurrent(NULL);
    virAccessManagerSetDefault(NULL);
    virDaemonConfigFree(cfg);
    fflush(stdout);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
