/*
 * filter_test.c: the per-list domain filter (viraccessfilter.h).
 *
 * The central property: for any policy, identity, permission and stack,
 * the filter keeps exactly the domains that virAccessManagerCheck allows
 * one by one. It is checked on many generated policies. Then: drivers
 * without the list hook, a list hook that fails, a reload in the middle
 * of a list, and the audit lines.
 */
#include <config.h>

#include <check.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viraccessapicheck.h"
#include "viraccessfilter.h"
#include "viraccessregistry.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

#define P_GETATTR VIR_ACCESS_PERM_DOMAIN_GETATTR
#define P_READ VIR_ACCESS_PERM_DOMAIN_READ
#define P_START VIR_ACCESS_PERM_DOMAIN_START

/* ---- test drivers -------------------------------------------------------- */

/* Decides each domain itself and has no list hook: allows names with "web". */
static int perDomainCalls;

static int
perDomainCheckDomain(void *priv, const virIdentity *id, const char *drv,
                     const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    __atomic_add_fetch(&perDomainCalls, 1, __ATOMIC_RELAXED);
    if (strstr(def->name, "web"))
        return 1;
    virAccessReasonSet(why, "not a web domain");
    return 0;
}

/* Its list hook fails; its checks would allow everything. */
static int
prepareErrorCheckDomain(void *priv, const virIdentity *id, const char *drv,
                        const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    return 1;
}

static int
prepareErrorPrepare(void *priv, const virIdentity *id, const char *drv, virAccessPerm perm,
                    virAccessDriverDomainList *list, virAccessReason *why)
{
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "policy backend unreachable");
    return -1;
}

/* Answers for the whole list but counts any per-domain question. */
static int
allowAllCheckDomain(void *priv, const virIdentity *id, const char *drv,
                    const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    __atomic_add_fetch(&perDomainCalls, 1, __ATOMIC_RELAXED);
    return 1;
}

static int
allowAllPrepare(void *priv, const virIdentity *id, const char *drv, virAccessPerm perm,
                virAccessDriverDomainList *list, virAccessReason *why)
{
    virAccessReasonSet(why, "allows every domain");
    return VIR_ACCESS_LIST_ALLOW_ALL;
}

/* Per domain with a list context: allows names containing '1'. The
 * context counts its uses; release must come exactly once. */
static int listContextReleases;

static int
listContextAllows(const virDomainDef *def, virAccessReason *why)
{
    if (strchr(def->name, '1'))
        return 1;
    virAccessReasonSet(why, "no 1 in the name");
    return 0;
}

static int
listContextCheckDomain(void *priv, const virIdentity *id, const char *drv,
                       const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    return listContextAllows(def, why);
}

static int
listContextCheckInList(void *priv, void *data, const virIdentity *id, const char *drv,
                       const virDomainDef *def, virAccessPerm perm, virAccessReason *why)
{
    (*(size_t *)data)++;
    return listContextAllows(def, why);
}

static void
listContextRelease(void *priv, void *data)
{
    listContextReleases++;
    free(data);
}

static int
listContextPrepare(void *priv, const virIdentity *id, const char *drv, virAccessPerm perm,
                   virAccessDriverDomainList *list, virAccessReason *why)
{
    list->data = virAllocN(1, sizeof(size_t));
    list->checkDomain = listContextCheckInList;
    list->release = listContextRelease;
    return VIR_ACCESS_LIST_PER_DOMAIN;
}

static int
connectOnlyCheckConnect(void *priv, const virIdentity *id, const char *drv,
                        virAccessPerm perm, virAccessReason *why)
{
    return 1;
}

static const virAccessDriver perDomainDriver = {
    .name = "test-per-domain", .checkDomain = perDomainCheckDomain,
};
static const virAccessDriver prepareErrorDriver = {
    .name = "test-prepare-error", .checkDomain = prepareErrorCheckDomain,
    .prepareDomainList = prepareErrorPrepare,
};
static const virAccessDriver allowAllDriver = {
    .name = "test-allow-all", .checkDomain = allowAllCheckDomain,
    .prepareDomainList = allowAllPrepare,
};
static const virAccessDriver listContextDriver = {
    .name = "test-list-context", .checkDomain = listContextCheckDomain,
    .prepareDomainList = listContextPrepare,
};
static const virAccessDriver connectOnlyDriver = {
    .name = "test-connect-only", .checkConnect = connectOnlyCheckConnect,
};

/* ---- fixtures ------------------------------------------------------------ */

static char *auditLines[256];
static size_t nauditLines;
static size_t nauditLost;
static pthread_mutex_t auditLock = PTHREAD_MUTEX_INITIALIZER;

static void
captureLog(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    if (STRNEQ(source, "access.audit"))
        return;
    pthread_mutex_lock(&auditLock);
    if (nauditLines < G_N_ELEMENTS(auditLines))
        auditLines[nauditLines++] = virPrintf("%s: %s", virLogPriorityString(prio), line);
    else
        nauditLost++;
    pthread_mutex_unlock(&auditLock);
}

static void
clearAudit(void)
{
    size_t i;

    for (i = 0; i < nauditLines; i++)
        VIR_FREE(auditLines[i]);
    nauditLines = nauditLost = 0;
}

/* The domains every list is made of. */
#define NDOMAINS 10
static virDomainDef domains[NDOMAINS];
static const char *const domainNames[NDOMAINS] = {
    "cust1-web", "cust1-db", "cust2-web", "cust2-db", "cust12-web",
    "admin-tools", "web", "secret", "cust3-mail", "x",
};

static void
domainUUIDString(size_t i, char *buf)
{
    sprintf(buf, "%08zx-1111-4111-8111-1111111111%02zx", i + 1, i);
}

static void
setupOnce(void)
{
    static bool done;
    size_t i;

    if (done)
        return;
    done = true;
    ck_assert_int_eq(virAccessRegistryRegister(&perDomainDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&prepareErrorDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&allowAllDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&listContextDriver), 0);
    ck_assert_int_eq(virAccessRegistryRegister(&connectOnlyDriver), 0);
    for (i = 0; i < NDOMAINS; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN];

        domainUUIDString(i, uuid);
        domains[i].name = (char *)domainNames[i];
        domains[i].id = i % 3 ? (int)i : -1;
        ck_assert_int_eq(virUUIDParse(uuid, domains[i].uuid), 0);
    }
}

static void
setup(void)
{
    setupOnce();
    virLogSetOutputs("");
    virLogAddCallbackOutput(VIR_LOG_INFO, captureLog, NULL);
    virLogSetDefaultPriority(VIR_LOG_INFO);
    clearAudit();
    perDomainCalls = 0;
    listContextReleases = 0;
    virResetLastError();
}

static void
teardown(void)
{
    clearAudit();
    virLogReset();
    virResetLastError();
    virIdentitySetCurrent(NULL);
    virAccessManagerSetDefault(NULL);
}

static char *
writePolicy(const char *content)
{
    char *path = virStrdup("/tmp/tenvirt-filter-test-XXXXXX");
    int fd = mkstemp(path);
    FILE *fp;

    ck_assert_int_ge(fd, 0);
    fp = fdopen(fd, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(content, fp);
    fclose(fp);
    return path;
}

static virIdentity *
tlsClient(const char *dn, bool readonly)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetX509DName(id, dn);
    virIdentitySetReadOnly(id, readonly);
    return id;
}

/* The filter's answer for every domain, as a bitmap. */
static unsigned int
filterKeeps(virAccessManager *mgr, const virIdentity *id, virAccessPerm perm,
            virAccessListDecision *decision)
{
    virAccessDomainFilter filter;
    unsigned int kept = 0;
    size_t i;

    ck_assert_int_eq(virAccessDomainFilterBegin(&filter, mgr, id, "test", perm), 0);
    if (decision)
        *decision = filter.decision;
    for (i = 0; i < NDOMAINS; i++) {
        if (virAccessDomainFilterKeep(&filter, &domains[i]))
            kept |= 1u << i;
    }
    ck_assert_uint_eq(filter.kept + filter.dropped, NDOMAINS);
    virAccessDomainFilterEnd(&filter);
    return kept;
}

/* virAccessManagerCheck's answer for every domain. */
static unsigned int
checkKeeps(virAccessManager *mgr, const virIdentity *id, virAccessPerm perm)
{
    unsigned int kept = 0;
    size_t i;

    for (i = 0; i < NDOMAINS; i++) {
        virAccessObject obj = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = "test",
                                .u.domain = &domains[i] };

        if (virAccessManagerCheck(mgr, id, &obj, perm, NULL) > 0)
            kept |= 1u << i;
    }
    return kept;
}

/* ---- generated policies -------------------------------------------------- */

static uint64_t rngState;

static uint32_t
rnd(uint32_t n)
{
    /* xorshift64*: reproducible from the seed printed on failure. */
    rngState ^= rngState >> 12;
    rngState ^= rngState << 25;
    rngState ^= rngState >> 27;
    return (uint32_t)((rngState * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

static const char *
pick(const char *const *items, size_t n)
{
    return items[rnd(n)];
}
#define PICK(items) pick(items, G_N_ELEMENTS(items))

static const char *const dnPool[] = {
    "CN=cust1,O=Example ISP,C=GB", "CN=cust2,O=Example ISP,C=GB",
    "CN=admin,O=Example ISP,C=GB", "CN=cust1,OU=ops,O=Example ISP,C=GB",
};
static const char *const dnPatterns[] = {
    "CN=cust1,O=Example ISP,C=GB", "/C=GB/O=Example ISP/CN=cust2", "CN=admin,O=Example ISP,C=GB",
    "CN=cust*,O=Example ISP,C=GB", "CN=*,O=Example ISP,C=GB", "CN=*,OU=ops,O=Example ISP,C=GB", "*",
};
static const char *const saslPool[] = { "alice", "bob", "ops-1" };
static const char *const saslPatterns[] = { "alice", "bob", "ops-*", "*" };
static const char *const unixPool[] = { "root", "ops", "cust1" };
static const char *const unixPatterns[] = { "root", "ops", "cust*" };
static const char *const groupPool[] = { "wheel", "users", "cust" };
static const char *const groupPatterns[] = { "wheel", "users", "cu*" };
static const char *const transports[] = { "local", "unix", "tcp", "tls", "unix,tls" };
static const char *const domainSelectors[] = {
    "cust1-*", "cust1-web", "name:cust2-*", "*-db", "web", "*", "cust?-web",
    "uuid:00000001-1111-4111-8111-111111111100", "uuid:00000008-1111-4111-8111-111111111107",
    "name:x", "nomatch-*",
};
static const char *const permItems[] = {
    "domain:getattr", "domain:read", "domain:start", "domain:*", "*", "@viewer",
    "connect:getattr", "domain:getattr,domain:start",
};
static const char *const inlineSelectors[] = {
    "name:cust1-*", "name:web", "uuid:00000003-1111-4111-8111-111111111102", "*",
};

static void
genRule(virBuffer *buf)
{
    uint32_t subject = rnd(6);

    virBufferAsprintf(buf, "%s", rnd(3) ? "allow" : "deny");
    switch (subject) {
    case 0: case 1:
        virBufferAsprintf(buf, " dn=\"%s\"", PICK(dnPatterns));
        break;
    case 2:
        virBufferAsprintf(buf, " sasl=\"%s\"", PICK(saslPatterns));
        break;
    case 3:
        virBufferAsprintf(buf, " unix-user=\"%s\"", PICK(unixPatterns));
        break;
    case 4:
        virBufferAsprintf(buf, " unix-group=\"%s\"", PICK(groupPatterns));
        break;
    default:
        break;      /* about everyone */
    }
    if (subject != 2 && !rnd(4))
        virBufferAsprintf(buf, " sasl=\"%s\"", PICK(saslPatterns));
    if (!rnd(4))
        virBufferAsprintf(buf, " transport=%s", PICK(transports));
    if (!rnd(5))
        virBufferAsprintf(buf, " readonly=%s", rnd(2) ? "yes" : "no");
    if (rnd(3)) {
        size_t n = 1 + rnd(2);
        size_t i;

        virBufferAddLit(buf, " domain=");
        for (i = 0; i < n; i++)
            virBufferAsprintf(buf, "%s%s", i ? "," : "", PICK(domainSelectors));
    }
    virBufferAsprintf(buf, " perms=%s\n", PICK(permItems));
}

/* A random policy file plus inline lists (strings owned by the caller). */
static void
genPolicy(char **content, char ***tlsList, char ***saslList)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    size_t nrules = 1 + rnd(10);
    size_t i;

    virBufferAddLit(&buf, "role viewer = connect:getattr,domain:getattr,domain:read\n");
    for (i = 0; i < nrules; i++)
        genRule(&buf);
    *content = virBufferContentAndReset(&buf);

    *tlsList = NULL;
    *saslList = NULL;
    if (rnd(2)) {
        size_t n = 1 + rnd(2);

        *tlsList = virAllocN(2 * n + 1, sizeof(char *));
        for (i = 0; i < n; i++) {
            (*tlsList)[2 * i] = virStrdup(PICK(dnPool));
            (*tlsList)[2 * i + 1] = virStrdup(PICK(inlineSelectors));
        }
    }
    if (rnd(2)) {
        size_t n = 1 + rnd(2);

        *saslList = virAllocN(2 * n + 1, sizeof(char *));
        for (i = 0; i < n; i++) {
            (*saslList)[2 * i] = virStrdup(PICK(saslPatterns));
            (*saslList)[2 * i + 1] = virStrdup(PICK(inlineSelectors));
        }
    }
}

static virIdentity *
genIdentity(void)
{
    virIdentity *id = virIdentityNew();

    switch (rnd(4)) {
    case 0:
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
        virIdentitySetX509DName(id, PICK(dnPool));
        if (rnd(2))
            virIdentitySetSASLUserName(id, PICK(saslPool));
        break;
    case 1:
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TCP);
        virIdentitySetSASLUserName(id, PICK(saslPool));
        break;
    case 2:
        virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_UNIX);
        virIdentitySetUNIXUser(id, 1000 + rnd(3), PICK(unixPool));
        virIdentitySetUNIXGroup(id, 100, PICK(groupPool));
        if (rnd(2))
            virIdentityAddUNIXGroupName(id, PICK(groupPool));
        break;
    default:
        break;      /* local, nothing known */
    }
    virIdentitySetReadOnly(id, rnd(3) == 0);
    return id;
}

/* The stacks the property is checked on; NULL-separated. The filter must
 * agree with the per-domain checks on each. */
static const char *const *const equivalenceStacks[] = {
    (const char *const[]){ "dnpolicy", NULL },
    (const char *const[]){ "readonly", "dnpolicy", NULL },
    (const char *const[]){ "nop", NULL },
    (const char *const[]){ "test-per-domain", NULL },
    (const char *const[]){ "readonly", "test-per-domain", "dnpolicy", NULL },
    (const char *const[]){ "test-list-context", "dnpolicy", NULL },
    (const char *const[]){ "dnpolicy", "test-allow-all", "readonly", NULL },
    (const char *const[]){ "test-connect-only", NULL },
};

START_TEST(test_filter_equals_per_domain_checks)
{
    static const virAccessPerm perms[] = { P_GETATTR, P_READ, P_START };
    size_t decisions[3] = { 0 };
    size_t iteration;

    for (iteration = 0; iteration < 300; iteration++) {
        uint64_t seed = 0x9e3779b97f4a7c15ULL * (iteration + 1);
        VIR_AUTOFREE(char *) content = NULL;
        VIR_AUTOFREE(char *) path = NULL;
        char **tlsList;
        char **saslList;
        size_t s, i, p;

        rngState = seed;
        genPolicy(&content, &tlsList, &saslList);
        path = writePolicy(content);
        /* Half the time nobody reads the reasons: the cheap path. */
        virLogSetDefaultPriority(iteration % 2 ? VIR_LOG_WARN : VIR_LOG_INFO);

        for (s = 0; s < G_N_ELEMENTS(equivalenceStacks); s++) {
            virAccessConfig conf = { .drivers = (char **)equivalenceStacks[s],
                                     .dnpolicyFile = path, .tlsRestrictDN = tlsList,
                                     .saslRestrictUsername = saslList,
                                     .configFile = "tenvirtd.conf" };
            virAccessManager *mgr = virAccessManagerNew(&conf);

            ck_assert_msg(mgr != NULL, "seed %" PRIu64 ": %s\n%s", seed,
                          virGetLastErrorMessage(), content);
            for (i = 0; i < 6; i++) {
                virIdentity *id = genIdentity();
                virBuffer idText = VIR_BUFFER_INITIALIZER;

                virIdentityFormat(id, &idText);
                for (p = 0; p < G_N_ELEMENTS(perms); p++) {
                    virAccessListDecision decision;
                    unsigned int want = checkKeeps(mgr, id, perms[p]);
                    unsigned int got = filterKeeps(mgr, id, perms[p], &decision);

                    ck_assert_msg(got == want,
                                  "seed %" PRIu64 " stack %zu identity [%s] perm %s: "
                                  "filter keeps 0x%x, checks keep 0x%x\npolicy:\n%s",
                                  seed, s, virBufferCurrentContent(&idText),
                                  virAccessPermToString(perms[p]), got, want, content);
                    if (s == 0)
                        decisions[decision]++;
                }
                virBufferFreeAndReset(&idText);
                virIdentityUnref(id);
            }
            virAccessManagerFree(mgr);
            clearAudit();
        }
        unlink(path);
        virStringListFree(tlsList);
        virStringListFree(saslList);
    }
    /* The generator reaches every kind of decision of dnpolicy. */
    ck_assert_msg(decisions[VIR_ACCESS_LIST_ALLOW_ALL] > 0 &&
                  decisions[VIR_ACCESS_LIST_DENY_ALL] > 0 &&
                  decisions[VIR_ACCESS_LIST_PER_DOMAIN] > 0,
                  "allow-all %zu deny-all %zu per-domain %zu",
                  decisions[VIR_ACCESS_LIST_ALLOW_ALL], decisions[VIR_ACCESS_LIST_DENY_ALL],
                  decisions[VIR_ACCESS_LIST_PER_DOMAIN]);
    /* Each domain's check ran through the list context, released once per list. */
    ck_assert_int_gt(listContextReleases, 0);
}
END_TEST

/* ---- whole-list decisions and the drivers' hooks --------------------------- */

START_TEST(test_prepare_error_denies_everything)
{
    const char *const stacks[][3] = {
        { "test-prepare-error", NULL, NULL },
        { "nop", "test-prepare-error", NULL },
        { "test-per-domain", "test-prepare-error", NULL },
        { "test-prepare-error", "test-list-context", NULL },
    };
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);
    size_t s;

    for (s = 0; s < G_N_ELEMENTS(stacks); s++) {
        virAccessManager *mgr = virAccessManagerNewNames(stacks[s]);
        virAccessListDecision decision;

        ck_assert_ptr_nonnull(mgr);
        /* The per-domain checks would allow web domains... */
        ck_assert_uint_ne(checkKeeps(mgr, id, P_GETATTR), 0);
        /* ...but a list the stack cannot prepare is empty, and no error leaks. */
        ck_assert_uint_eq(filterKeeps(mgr, id, P_GETATTR, &decision), 0);
        ck_assert_int_eq(decision, VIR_ACCESS_LIST_DENY_ALL);
        ck_assert_ptr_null(virGetLastError());
        virAccessManagerFree(mgr);
    }
    /* What the list context driver prepared before the error was released. */
    ck_assert_int_eq(listContextReleases, 0);
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_whole_list_asks_no_domain)
{
    const char *names[] = { "readonly", "test-allow-all", "nop", NULL };
    virAccessManager *mgr = virAccessManagerNewNames(names);
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);
    virAccessListDecision decision;

    ck_assert_uint_eq(filterKeeps(mgr, id, P_START, &decision), (1u << NDOMAINS) - 1);
    ck_assert_int_eq(decision, VIR_ACCESS_LIST_ALLOW_ALL);
    ck_assert_int_eq(perDomainCalls, 0);
    virAccessManagerFree(mgr);
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_only_per_domain_drivers_asked)
{
    const char *names[] = { "test-allow-all", "test-per-domain", NULL };
    virAccessManager *mgr = virAccessManagerNewNames(names);
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);
    virAccessListDecision decision;
    unsigned int kept = filterKeeps(mgr, id, P_GETATTR, &decision);

    ck_assert_int_eq(decision, VIR_ACCESS_LIST_PER_DOMAIN);
    ck_assert_uint_eq(kept, checkKeeps(mgr, id, P_GETATTR));
    /* test-per-domain once per domain in each pass, test-allow-all (which
     * counts too) only in the per-domain checks. */
    ck_assert_int_eq(perDomainCalls, NDOMAINS + 2 * NDOMAINS);
    virAccessManagerFree(mgr);
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_missing_domain_hook_denies_list)
{
    const char *names[] = { "nop", "test-connect-only", NULL };
    virAccessManager *mgr = virAccessManagerNewNames(names);
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);

    ck_assert_uint_eq(filterKeeps(mgr, id, P_GETATTR, NULL), 0);
    ck_assert_uint_eq(checkKeeps(mgr, id, P_GETATTR), 0);
    virAccessManagerFree(mgr);
    virIdentityUnref(id);
}
END_TEST

START_TEST(test_begin_refuses_connect_perm)
{
    virAccessManager *mgr = virAccessManagerNewNames((const char *[]){ "nop", NULL });
    virAccessDomainFilter filter;

    ck_assert_int_eq(virAccessDomainFilterBegin(&filter, mgr, NULL, "test",
                                                VIR_ACCESS_PERM_CONNECT_READ), -1);
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "does not apply to domain objects"));
    ck_assert(!virAccessDomainFilterKeep(&filter, &domains[0]));
    virAccessDomainFilterEnd(&filter);
    /* A second End, and Keep after End, are harmless: nothing is kept. */
    virAccessDomainFilterEnd(&filter);
    ck_assert(!virAccessDomainFilterKeep(&filter, &domains[0]));
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_null_domain_never_kept)
{
    virAccessManager *mgr = virAccessManagerNewNames((const char *[]){ "nop", NULL });
    virAccessDomainFilter filter;

    ck_assert_int_eq(virAccessDomainFilterBegin(&filter, mgr, NULL, "test", P_GETATTR), 0);
    ck_assert(!virAccessDomainFilterKeep(&filter, NULL));
    ck_assert(virAccessDomainFilterKeep(&filter, &domains[0]));
    virAccessDomainFilterEnd(&filter);
    virAccessManagerFree(mgr);
}
END_TEST

/* The generated entry-point function: default manager, current identity. */
START_TEST(test_generated_filter_begin)
{
    VIR_AUTOFREE(char *) path = writePolicy("allow dn=\"CN=cust1,O=Example ISP,C=GB\" "
                                            "domain=cust1-* perms=domain:getattr,domain:read\n");
    char *drivers[] = { "readonly", "dnpolicy", NULL };
    virAccessConfig conf = { .drivers = drivers, .dnpolicyFile = path };
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", true);
    virAccessDomainFilter filter;
    size_t i;

    virAccessManagerSetDefault(virAccessManagerNew(&conf));
    virIdentitySetCurrent(id);
    ck_assert_int_eq(virConnectListAllDomainsFilterBegin(NULL, &filter), 0);
    for (i = 0; i < NDOMAINS; i++)
        ck_assert_int_eq(virAccessDomainFilterKeep(&filter, &domains[i]),
                         virConnectListAllDomainsCheckACL(NULL, &domains[i]));
    virAccessDomainFilterEnd(&filter);
    ck_assert_int_eq(virConnectGetAllDomainStatsFilterBegin(NULL, &filter), 0);
    ck_assert(virAccessDomainFilterKeep(&filter, &domains[0]));     /* domain:read */
    ck_assert(!virAccessDomainFilterKeep(&filter, &domains[2]));
    virAccessDomainFilterEnd(&filter);
    virIdentitySetCurrent(NULL);
    virIdentityUnref(id);
    unlink(path);
}
END_TEST

/* ---- reload during a list --------------------------------------------------- */

START_TEST(test_reload_during_list_keeps_old_stack)
{
    VIR_AUTOFREE(char *) perDomain = writePolicy("allow dn=\"CN=cust1,O=Example ISP,C=GB\" "
                                                 "domain=cust1-* perms=domain:getattr\n");
    VIR_AUTOFREE(char *) denyAll = writePolicy("deny dn=* perms=*\n");
    char *drivers[] = { "readonly", "dnpolicy", NULL };
    virAccessConfig confA = { .drivers = drivers, .dnpolicyFile = perDomain };
    virAccessConfig confB = { .drivers = drivers, .dnpolicyFile = denyAll };
    virAccessManager *mgr = virAccessManagerNew(&confA);
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);
    virAccessDomainFilter filter;
    unsigned int kept = 0;
    size_t i;

    ck_assert_ptr_nonnull(mgr);
    ck_assert_int_eq(virAccessDomainFilterBegin(&filter, mgr, id, "test", P_GETATTR), 0);
    ck_assert_int_eq(filter.decision, VIR_ACCESS_LIST_PER_DOMAIN);
    for (i = 0; i < NDOMAINS; i++) {
        /* Half-way through the list the policy changes: the list goes on
         * with the stack it began with (freed only at End; valgrind and
         * ASan check that). */
        if (i == NDOMAINS / 2)
            ck_assert_int_eq(virAccessManagerReload(mgr, &confB), 0);
        if (virAccessDomainFilterKeep(&filter, &domains[i]))
            kept |= 1u << i;
    }
    virAccessDomainFilterEnd(&filter);
    ck_assert_uint_eq(kept, (1u << 0) | (1u << 1));     /* cust1-web, cust1-db */
    /* The next list uses the new policy. */
    ck_assert_uint_eq(filterKeeps(mgr, id, P_GETATTR, NULL), 0);
    ck_assert_uint_eq(checkKeeps(mgr, id, P_GETATTR), 0);

    /* A filter may also outlive its manager's stack being replaced twice and
     * the manager itself. */
    ck_assert_int_eq(virAccessDomainFilterBegin(&filter, mgr, id, "test", P_GETATTR), 0);
    ck_assert_int_eq(virAccessManagerReload(mgr, &confA), 0);
    ck_assert_int_eq(virAccessManagerReload(mgr, &confB), 0);
    virAccessManagerFree(mgr);
    ck_assert(!virAccessDomainFilterKeep(&filter, &domains[0]));
    virAccessDomainFilterEnd(&filter);

    virIdentityUnref(id);
    unlink(perDomain);
    unlink(denyAll);
}
END_TEST

typedef struct {
    virAccessManager *mgr;
    virIdentity *id;
    int wrong;
} reloadData;

static void *
listerThread(void *opaque)
{
    reloadData *data = opaque;
    size_t i;

    /* Both stacks keep exactly the web domains: anything else is a torn list. */
    for (i = 0; i < 2000; i++) {
        unsigned int kept = filterKeeps(data->mgr, data->id, P_GETATTR, NULL);

        if (kept != ((1u << 0) | (1u << 2) | (1u << 4) | (1u << 6)))
            __atomic_add_fetch(&data->wrong, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

START_TEST(test_reload_while_listing)
{
    const char *a[] = { "test-per-domain", NULL };
    const char *b[] = { "readonly", "test-per-domain", "nop", NULL };
    virAccessConfig confA = { .drivers = (char **)a };
    virAccessConfig confB = { .drivers = (char **)b };
    reloadData data = { virAccessManagerNewNames(a), tlsClient("CN=x", false), 0 };
    pthread_t threads[2];
    size_t i;

    virLogSetDefaultPriority(VIR_LOG_WARN);
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        pthread_create(&threads[i], NULL, listerThread, &data);
    for (i = 0; i < 200; i++)
        ck_assert_int_eq(virAccessManagerReload(data.mgr, i % 2 ? &confA : &confB), 0);
    for (i = 0; i < G_N_ELEMENTS(threads); i++)
        pthread_join(threads[i], NULL);
    ck_assert_int_eq(data.wrong, 0);
    virAccessManagerFree(data.mgr);
    virIdentityUnref(data.id);
}
END_TEST

/* ---- audit ----------------------------------------------------------------- */

#define ID_TEXT "identity=[transport=tls dn=\"C=GB,O=Example ISP,CN=cust1\"]"

static void
listAll(virAccessManager *mgr, const virIdentity *id, virAccessPerm perm, size_t n)
{
    virAccessDomainFilter filter;
    size_t i;

    virAccessDomainFilterBegin(&filter, mgr, id, "test", perm);
    for (i = 0; i < n; i++)
        virAccessDomainFilterKeep(&filter, &domains[i]);
    virAccessDomainFilterEnd(&filter);
}

START_TEST(test_audit_whole_list)
{
    VIR_AUTOFREE(char *) path = writePolicy(
        "allow dn=\"CN=cust1,O=Example ISP,C=GB\" domain=cust1-db perms=domain:stop\n"
        "allow dn=\"CN=cust1,O=Example ISP,C=GB\" perms=domain:getattr\n");
    char *drivers[] = { "readonly", "dnpolicy", NULL };
    virAccessConfig conf = { .drivers = drivers, .dnpolicyFile = path };
    virAccessManager *mgr = virAccessManagerNew(&conf);
    virIdentity *rw = tlsClient("CN=cust1,O=Example ISP,C=GB", false);
    virIdentity *ro = tlsClient("CN=cust1,O=Example ISP,C=GB", true);
    VIR_AUTOFREE(char *) allowLine = virPrintf(
        "info: access list filtered: perm=domain:getattr object=domain driver=test "
        ID_TEXT " decision=allow-all kept=3 dropped=0 decided-by=dnpolicy reason=\"%s:2\"",
        path);

    /* One line for the whole list, none per domain. */
    listAll(mgr, rw, P_GETATTR, 3);
    ck_assert_uint_eq(nauditLines, 1);
    ck_assert_str_eq(auditLines[0], allowLine);
    clearAudit();

    /* Denied for the whole list by the first driver. */
    listAll(mgr, ro, VIR_ACCESS_PERM_DOMAIN_STOP, 4);
    ck_assert_uint_eq(nauditLines, 1);
    ck_assert_str_eq(auditLines[0],
                     "info: access list filtered: perm=domain:stop object=domain driver=test "
                     "identity=[transport=tls dn=\"C=GB,O=Example ISP,CN=cust1\" readonly] "
                     "decision=deny-all kept=0 dropped=4 decided-by=readonly "
                     "reason=\"read-only connection\"");
    clearAudit();

    /* No rule for the permission at all. */
    listAll(mgr, rw, P_START, 2);
    ck_assert_uint_eq(nauditLines, 1);
    ck_assert_str_eq(auditLines[0],
                     "info: access list filtered: perm=domain:start object=domain driver=test "
                     ID_TEXT " decision=deny-all kept=0 dropped=2 decided-by=dnpolicy "
                     "reason=\"no rule matched\"");
    virIdentityUnref(rw);
    virIdentityUnref(ro);
    virAccessManagerFree(mgr);
    unlink(path);
}
END_TEST

START_TEST(test_audit_per_domain_lines_unchanged)
{
    VIR_AUTOFREE(char *) path = writePolicy(
        "allow dn=\"CN=cust1,O=Example ISP,C=GB\" domain=cust1-* perms=domain:getattr\n");
    char *drivers[] = { "readonly", "dnpolicy", NULL };
    virAccessConfig conf = { .drivers = drivers, .dnpolicyFile = path };
    virAccessManager *mgr = virAccessManagerNew(&conf);
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);
    char *perDomainLines[3];
    size_t i;

    /* What virAccessManagerFilterDomain logs for each domain... */
    virIdentitySetCurrent(id);
    for (i = 0; i < 3; i++)
        virAccessManagerFilterDomain(mgr, "test", &domains[i], P_GETATTR);
    ck_assert_uint_eq(nauditLines, 3);
    for (i = 0; i < 3; i++) {
        perDomainLines[i] = auditLines[i];
        auditLines[i] = NULL;
    }
    nauditLines = 0;

    /* ...the filter logs too, then one line for the list. */
    listAll(mgr, NULL, P_GETATTR, 3);
    ck_assert_uint_eq(nauditLines, 4);
    for (i = 0; i < 3; i++) {
        ck_assert_str_eq(auditLines[i], perDomainLines[i]);
        free(perDomainLines[i]);
    }
    ck_assert_ptr_eq(strstr(auditLines[2], "info: access denied: perm=domain:getattr object=domain "
                                           "driver=test name='cust2-web'"), auditLines[2]);
    ck_assert_str_eq(auditLines[3],
                     "info: access list filtered: perm=domain:getattr object=domain driver=test "
                     ID_TEXT " decision=per-domain kept=2 dropped=1 decided-by=dnpolicy "
                     "reason=\"each domain decided and logged on its own\"");
    virIdentitySetCurrent(NULL);
    virIdentityUnref(id);
    virAccessManagerFree(mgr);
    unlink(path);
}
END_TEST

START_TEST(test_audit_error_is_a_warning)
{
    virAccessManager *mgr = virAccessManagerNewNames((const char *[]){ "readonly", "test-prepare-error", NULL });
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);

    /* Even with only warnings logged, a list emptied by an error shows. */
    virLogSetDefaultPriority(VIR_LOG_WARN);
    listAll(mgr, id, P_GETATTR, 5);
    ck_assert_uint_eq(nauditLines, 1);
    ck_assert_str_eq(auditLines[0],
                     "warning: access list filtered: perm=domain:getattr object=domain driver=test "
                     ID_TEXT " decision=deny-all kept=0 dropped=5 decided-by=test-prepare-error "
                     "reason=\"error: internal error: policy backend unreachable\"");
    virIdentityUnref(id);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_audit_quiet_when_not_logged)
{
    virAccessManager *mgr = virAccessManagerNewNames((const char *[]){ "test-per-domain", NULL });
    virIdentity *id = tlsClient("CN=cust1,O=Example ISP,C=GB", false);

    virLogSetDefaultPriority(VIR_LOG_WARN);
    listAll(mgr, id, P_GETATTR, NDOMAINS);
    ck_assert_uint_eq(nauditLines, 0);
    virIdentityUnref(id);
    virAccessManagerFree(mgr);
}
END_TEST

static Suite *
filterSuite(void)
{
    Suite *s = suite_create("access-filter");
    TCase *tc = tcase_create("filter");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_filter_equals_per_domain_checks);
    tcase_add_test(tc, test_prepare_error_denies_everything);
    tcase_add_test(tc, test_whole_list_asks_no_domain);
    tcase_add_test(tc, test_only_per_domain_drivers_asked);
    tcase_add_test(tc, test_missing_domain_hook_denies_list);
    tcase_add_test(tc, test_begin_refuses_connect_perm);
    tcase_add_test(tc, test_null_domain_never_kept);
    tcase_add_test(tc, test_generated_filter_begin);
    tcase_add_test(tc, test_reload_during_list_keeps_old_stack);
    tcase_add_test(tc, test_reload_while_listing);
    tcase_add_test(tc, test_audit_whole_list);
    tcase_add_test(tc, test_audit_per_domain_lines_unchanged);
    tcase_add_test(tc, test_audit_error_is_a_warning);
    tcase_add_test(tc, test_audit_quiet_when_not_logged);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(filterSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    clearAudit();
    virLogReset();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
