/*
 * tenvirt-acl: check a dnpolicy file and explain access decisions.
 *
 *   tenvirt-acl lint FILE
 *   tenvirt-acl explain (--policy FILE | --config TENVIRTD.CONF) [identity] OBJECT PERM
 *   tenvirt-acl perms
 *
 * "explain" builds the same access manager the daemon would (with
 * --config: the daemon's own driver stack, readonly included) and asks it
 * about a synthetic client, the way `sshd -T -C` answers for a synthetic
 * connection. The parser and evaluator are the daemon's (viraccesspolicy.h).
 */
#include <config.h>

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viraccessmanager.h"
#include "viraccesspolicy.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virdaemonconf.h"
#include "virerror.h"
#include "virlog.h"
#include "viruuid.h"
#include "virx509dn.h"

#define EXIT_ALLOW 0
#define EXIT_DENY 1
#define EXIT_USAGE 2

static const char *progname = "tenvirt-acl";

static void
usage(FILE *out)
{
    fprintf(out,
            "Usage:\n"
            "  %1$s lint FILE\n"
            "      Parse a dnpolicy rule file. Prints \"FILE: OK, N rules, M roles\" and\n"
            "      exits 0, or prints every error as FILE:LINE: message and exits 1.\n"
            "\n"
            "  %1$s explain (--policy FILE | --config TENVIRTD.CONF) [IDENTITY]\n"
            "              (--domain NAME [--uuid UUID] | --connect) PERM\n"
            "      Decide one request as the daemon would and say which rule decided.\n"
            "      Exits 0 if allowed, 1 if denied, 2 on usage or configuration errors.\n"
            "      --policy FILE        a stack of just the dnpolicy driver with FILE\n"
            "      --config FILE        the daemon's access stack from tenvirtd.conf\n"
            "                           (access_drivers, access_dnpolicy_file, tls_restrict_dn...)\n"
            "    IDENTITY (any combination):\n"
            "      --dn DN              client certificate DN (either form)\n"
            "      --sasl USER          SASL user name\n"
            "      --unix-user USER     UNIX user of a local client\n"
            "      --unix-group GROUP   one of its groups (repeatable)\n"
            "      --transport T        local, unix, tcp or tls (default: tls with --dn,\n"
            "                           tcp with --sasl, unix with --unix-user, else local)\n"
            "      --readonly           a read-only connection\n"
            "    OBJECT:\n"
            "      --domain NAME        a domain, by name\n"
            "      --uuid UUID          ... and UUID\n"
            "      --connect            the connection itself (for connect:* permissions)\n"
            "    PERM                   e.g. domain:start, connect:getattr (see \"perms\")\n"
            "\n"
            "  %1$s perms\n"
            "      List every permission: name, allowed on read-only connections, meaning.\n"
            "\n"
            "Example:\n"
            "  %1$s explain --policy /etc/tenvirt/dnpolicy.conf \\\n"
            "      --dn 'CN=customer1,O=Example ISP,C=GB' --domain cust1-web domain:start\n",
            progname);
}

/* The text of the last error without the generic code prefix, which adds
 * nothing to "FILE:LINE: message" lines. */
static const char *
errorText(void)
{
    const char *msg = virGetLastErrorMessage();
    const char *prefix = virErrorCodeText(VIR_ERR_CONF_SYNTAX, true);
    size_t len = strlen(prefix);

    if (virGetLastErrorCode() == VIR_ERR_CONF_SYNTAX &&
        strncmp(msg, prefix, len) == 0 && msg[len] == ':' && msg[len + 1] == ' ')
        return msg + len + 2;
    return msg;
}

static int
cmdLint(int argc, char **argv)
{
    virAccessPolicy *policy;

    if (argc == 2 && (STREQ(argv[1], "--help") || STREQ(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "%s: lint takes exactly one FILE\n", progname);
        return EXIT_USAGE;
    }
    if (!(policy = virAccessPolicyParseFile(argv[1]))) {
        if (virGetLastErrorCode() == VIR_ERR_CONF_SYNTAX)
            fprintf(stderr, "%s\n", errorText());
        else
            fprintf(stderr, "%s: %s\n", progname, errorText());
        return 1;
    }
    printf("%s: OK, %zu rules, %zu roles\n", argv[1],
           virAccessPolicyRuleCount(policy), virAccessPolicyRoleCount(policy));
    virAccessPolicyFree(policy);
    return 0;
}

static int
cmdPerms(void)
{
    size_t i;

    printf("%-32s %-9s %s\n", "PERMISSION", "READONLY", "DESCRIPTION");
    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++)
        printf("%-32s %-9s %s\n", virAccessPermToString(i),
               virAccessPermFlagsOf(i) & VIR_ACCESS_PERM_SAFE ? "yes" : "no",
               virAccessPermDescription(i));
    return 0;
}

typedef struct {
    const char *policyFile;
    const char *configFile;
    const char *dn;
    const char *sasl;
    const char *unixUser;
    char **unixGroups;
    size_t nunixGroups;
    const char *transport;
    bool readonly;
    const char *domain;
    const char *uuid;
    bool connect;
    const char *perm;
} explainArgs;

static virIdentity *
explainIdentity(const explainArgs *args)
{
    virIdentity *id = virIdentityNew();
    int transport = VIR_IDENTITY_TRANSPORT_LOCAL;
    size_t i;

    if (args->transport) {
        if ((transport = virIdentityTransportTypeFromString(args->transport)) < 0) {
            fprintf(stderr, "%s: unknown transport '%s' (expected local, unix, tcp or tls)\n",
                    progname, args->transport);
            virIdentityUnref(id);
            return NULL;
        }
    } else if (args->dn) {
        transport = VIR_IDENTITY_TRANSPORT_TLS;
    } else if (args->sasl) {
        transport = VIR_IDENTITY_TRANSPORT_TCP;
    } else if (args->unixUser || args->nunixGroups) {
        transport = VIR_IDENTITY_TRANSPORT_UNIX;
    }
    virIdentitySetTransport(id, transport);
    if (args->dn) {
        virIdentitySetX509DName(id, args->dn);
        if (!virIdentityGetX509DNameNormalized(id)) {
            char *err = NULL;

            free(virX509DNNormalize(args->dn, &err));
            fprintf(stderr, "%s: warning: DN '%s' does not parse (%s); no dn= rule will match it\n",
                    progname, args->dn, err);
            free(err);
        }
    }
    if (args->sasl)
        virIdentitySetSASLUserName(id, args->sasl);
    if (args->unixUser) {
        struct passwd *pw = getpwnam(args->unixUser);

        /* A real local user gets its groups as the daemon would see them,
         * unless --unix-group says otherwise. */
        if (pw && !args->nunixGroups)
            virIdentityFillUNIXFromUID(id, pw->pw_uid, pw->pw_gid);
        else
            virIdentitySetUNIXUser(id, pw ? pw->pw_uid : (uid_t)-1, args->unixUser);
    }
    for (i = 0; i < args->nunixGroups; i++)
        virIdentityAddUNIXGroupName(id, args->unixGroups[i]);
    virIdentitySetReadOnly(id, args->readonly);
    return id;
}

/* The dnpolicy rule that decided, for printing its text: the same
 * evaluator on the same sources as the manager's dnpolicy driver. */
static void
explainRule(const virAccessConfig *conf, const virIdentity *id,
            const virAccessObject *obj, virAccessPerm perm)
{
    virAccessPolicySource src = {
        .path = conf->dnpolicyFile, .tlsRestrictDN = conf->tlsRestrictDN,
        .saslRestrictUsername = conf->saslRestrictUsername, .configFile = conf->configFile,
    };
    virAccessPolicy *policy = virAccessPolicyLoad(&src);
    const virAccessPolicyRule *rule = NULL;

    if (!policy)
        return;
    if (virAccessPolicyDecide(policy, id, obj, perm, &rule) >= 0 && rule)
        printf("  rule:     %s: %s\n", virAccessPolicyRuleGetLocation(rule),
               virAccessPolicyRuleGetText(rule));
    virAccessPolicyFree(policy);
}

static int
cmdExplain(int argc, char **argv)
{
    static const struct option options[] = {
        { "policy", required_argument, NULL, 'p' },
        { "config", required_argument, NULL, 'c' },
        { "dn", required_argument, NULL, 'd' },
        { "sasl", required_argument, NULL, 's' },
        { "unix-user", required_argument, NULL, 'u' },
        { "unix-group", required_argument, NULL, 'g' },
        { "transport", required_argument, NULL, 't' },
        { "readonly", no_argument, NULL, 'r' },
        { "domain", required_argument, NULL, 'D' },
        { "uuid", required_argument, NULL, 'U' },
        { "connect", no_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    explainArgs args = { 0 };
    char *policyDrivers[] = { (char *)"dnpolicy", NULL };
    virAccessConfig conf = { 0 };
    virDaemonConfig *cfg = NULL;
    virAccessManager *mgr = NULL;
    virIdentity *id = NULL;
    virDomainDef def;
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_CONNECT, .driverName = "explain" };
    virAccessReason why = { "" };
    virBuffer idbuf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) idtext = NULL;
    int perm;
    int c;
    int ret = EXIT_USAGE;

    memset(&def, 0, sizeof(def));
    def.id = -1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'p': args.policyFile = optarg; break;
        case 'c': args.configFile = optarg; break;
        case 'd': args.dn = optarg; break;
        case 's': args.sasl = optarg; break;
        case 'u': args.unixUser = optarg; break;
        case 'g': VIR_APPEND_ELEMENT(args.unixGroups, args.nunixGroups, optarg); break;
        case 't': args.transport = optarg; break;
        case 'r': args.readonly = true; break;
        case 'D': args.domain = optarg; break;
        case 'U': args.uuid = optarg; break;
        case 'C': args.connect = true; break;
        case 'h':
            usage(stdout);
            ret = 0;
            goto cleanup;
        default:
            goto usage;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "%s: explain needs exactly one PERM\n", progname);
        goto usage;
    }
    args.perm = argv[optind];
    if (!args.policyFile == !args.configFile) {
        fprintf(stderr, "%s: explain needs either --policy FILE or --config FILE\n", progname);
        goto usage;
    }
    if ((perm = virAccessPermFromString(args.perm)) < 0) {
        fprintf(stderr, "%s: unknown permission '%s' (see '%s perms')\n",
                progname, args.perm, progname);
        goto cleanup;
    }
    if (args.connect && (args.domain || args.uuid)) {
        fprintf(stderr, "%s: --connect and --domain/--uuid exclude each other\n", progname);
        goto usage;
    }
    if (args.domain || args.uuid) {
        obj.type = VIR_ACCESS_OBJECT_DOMAIN;
        obj.u.domain = &def;
        def.name = (char *)args.domain;
        if (args.uuid && virUUIDParse(args.uuid, def.uuid) < 0) {
            fprintf(stderr, "%s: invalid UUID '%s'\n", progname, args.uuid);
            goto cleanup;
        }
    }
    if (virAccessPermObjectType(perm) != obj.type) {
        fprintf(stderr, "%s: '%s' is a permission on %s objects: %s\n", progname, args.perm,
                virAccessObjectTypeToString(virAccessPermObjectType(perm)),
                obj.type == VIR_ACCESS_OBJECT_DOMAIN ? "use --connect"
                                                     : "name the domain with --domain");
        goto cleanup;
    }
    if (!(id = explainIdentity(&args)))
        goto cleanup;

    if (args.policyFile) {
        conf.drivers = policyDrivers;
        conf.dnpolicyFile = (char *)args.policyFile;
    } else {
        cfg = virDaemonConfigNew();
        if (virDaemonConfigLoadFile(cfg, args.configFile) < 0) {
            fprintf(stderr, "%s: %s\n", progname, errorText());
            goto cleanup;
        }
        virDaemonConfigGetAccessConfig(cfg, &conf);
    }
    if (!(mgr = virAccessManagerNew(&conf))) {
        fprintf(stderr, "%s: %s\n", progname, errorText());
        goto cleanup;
    }

    ret = virAccessManagerCheck(mgr, id, &obj, perm, &why) == 1 ? EXIT_ALLOW : EXIT_DENY;
    printf("%s (%s)\n", ret == EXIT_ALLOW ? "allow" : "deny", why.text);
    if (STRPREFIX(why.text, "dnpolicy: "))
        explainRule(&conf, id, &obj, perm);
    virIdentityFormat(id, &idbuf);
    idtext = virBufferContentAndReset(&idbuf);
    printf("  identity: %s\n", idtext);
    {
        VIR_AUTOFREE(char *) stack = virAccessManagerDescribe(mgr);

        printf("  drivers:  %s\n", stack);
    }
    if (obj.type == VIR_ACCESS_OBJECT_DOMAIN) {
        char uuidstr[VIR_UUID_STRING_BUFLEN];

        printf("  request:  %s on domain '%s' (uuid %s)\n", args.perm, NULLSTR(def.name),
               virUUIDFormat(def.uuid, uuidstr));
    } else {
        printf("  request:  %s on the connection\n", args.perm);
    }
    goto cleanup;

 usage:
    fprintf(stderr, "Try '%s --help'.\n", progname);
 cleanup:
    virAccessManagerFree(mgr);
    virDaemonConfigFree(cfg);
    virIdentityUnref(id);
    free(args.unixGroups);
    return ret;
}

int
main(int argc, char **argv)
{
    /* Library logging (parser errors, the audit line) would repeat what
     * this tool prints itself. */
    virLogSetOutputs("");

    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (STREQ(argv[1], "--help") || STREQ(argv[1], "-h") || STREQ(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (STREQ(argv[1], "--version")) {
        printf("%s (Tenvirt) %s\n", progname, PACKAGE_VERSION);
        return 0;
    }
    if (STREQ(argv[1], "lint"))
        return cmdLint(argc - 1, argv + 1);
    if (STREQ(argv[1], "explain"))
        return cmdExplain(argc - 1, argv + 1);
    if (STREQ(argv[1], "perms"))
        return cmdPerms();
    fprintf(stderr, "%s: unknown command '%s' (expected lint, explain or perms)\n",
            progname, argv[1]);
    fprintf(stderr, "Try '%s --help'.\n", progname);
    return EXIT_USAGE;
}
