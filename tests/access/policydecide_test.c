/*
 * policydecide_test.c: what a dnpolicy policy decides.
 *
 * Each test states a policy, an identity and an operation, and asserts
 * the decision and the rule that made it ("FILE:LINE", or NULL for "no
 * rule matched"). The last tests go through the real access manager, as
 * the daemon does, and check the audit line.
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viraccessmanager.h"
#include "viraccesspolicy.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virlog.h"
#include "viruuid.h"

#define P_CONNECT_GETATTR VIR_ACCESS_PERM_CONNECT_GETATTR
#define P_CONNECT_READ VIR_ACCESS_PERM_CONNECT_READ
#define P_CONNECT_WRITE VIR_ACCESS_PERM_CONNECT_WRITE
#define P_SEARCH VIR_ACCESS_PERM_CONNECT_SEARCH_DOMAINS
#define P_GETATTR VIR_ACCESS_PERM_DOMAIN_GETATTR
#define P_READ VIR_ACCESS_PERM_DOMAIN_READ
#define P_START VIR_ACCESS_PERM_DOMAIN_START
#define P_STOP VIR_ACCESS_PERM_DOMAIN_STOP
#define P_WRITE VIR_ACCESS_PERM_DOMAIN_WRITE
#define P_DELETE VIR_ACCESS_PERM_DOMAIN_DELETE
#define P_MIGRATE VIR_ACCESS_PERM_DOMAIN_MIGRATE

#define DN1 "CN=customer1,O=Example ISP,C=GB"
#define DN2 "CN=customer2,O=Example ISP,C=GB"
#define DN3 "CN=admin,O=Example ISP,C=GB"
#define UUID2 "0b8f4a3e-2c1d-4e5f-9a8b-7c6d5e4f3a2b"

/* ---- fixtures ------------------------------------------------------------ */

/* The domains of the examples. */
static virDomainDef customer1, customer2, cust1web, cust2web, secret, byUUID;

static void
initDomain(virDomainDef *def, const char *name, const char *uuid)
{
    memset(def, 0, sizeof(*def));
    def->name = (char *)name;
    def->id = -1;
    ck_assert_int_eq(virUUIDParse(uuid, def->uuid), 0);
}

static char *auditLines[64];
static size_t nauditLines;
static pthread_mutex_t auditLock = PTHREAD_MUTEX_INITIALIZER;

static void
captureLog(virLogPriority prio, const char *source, const char *line, void *opaque)
{
    if (STRNEQ(source, "access.audit"))
        return;
    pthread_mutex_lock(&auditLock);
    if (nauditLines < G_N_ELEMENTS(auditLines))
        auditLines[nauditLines++] = virPrintf("%s: %s", virLogPriorityString(prio), line);
    pthread_mutex_unlock(&auditLock);
}

static void
setup(void)
{
    initDomain(&customer1, "customer1", "11111111-1111-4111-8111-111111111111");
    initDomain(&customer2, "customer2", "22222222-2222-4222-8222-222222222222");
    initDomain(&cust1web, "cust1-web", "33333333-3333-4333-8333-333333333333");
    initDomain(&cust2web, "cust2-web", "44444444-4444-4444-8444-444444444444");
    initDomain(&secret, "secret", "55555555-5555-4555-8555-555555555555");
    initDomain(&byUUID, "renamed-by-customer", UUID2);
    virLogSetOutputs("");
    virLogAddCallbackOutput(VIR_LOG_INFO, captureLog, NULL);
    virLogSetDefaultPriority(VIR_LOG_INFO);
    virResetLastError();
}

static void
teardown(void)
{
    size_t i;

    for (i = 0; i < nauditLines; i++)
        VIR_FREE(auditLines[i]);
    nauditLines = 0;
    virLogReset();
    virResetLastError();
}

/* Identities: a client of one transport with the given credentials. */
static virIdentity *
tlsClient(const char *dn)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetX509DName(id, dn);
    return id;
}

static virIdentity *
saslClient(virIdentityTransport transport, const char *user)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, transport);
    virIdentitySetSASLUserName(id, user);
    return id;
}

/* A local UNIX-socket client; @groups: primary group first, NULL-terminated. */
static virIdentity *
unixClient(const char *user, const char *const *groups)
{
    virIdentity *id = virIdentityNew();
    size_t i;

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_UNIX);
    virIdentitySetUNIXUser(id, 1000, user);
    for (i = 0; groups && groups[i]; i++) {
        if (i == 0)
            virIdentitySetUNIXGroup(id, 1000, groups[i]);
        else
            virIdentityAddUNIXGroupName(id, groups[i]);
    }
    return id;
}

static virAccessPolicy *
parse(const char *text)
{
    virAccessPolicy *policy = virAccessPolicyParseString(text, "policy.conf");

    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());
    return policy;
}

/* Assert the decision on @def (NULL: the connection) and its rule. */
static void
assertDecision(const virAccessPolicy *policy, const virIdentity *id,
               const virDomainDef *def, virAccessPerm perm,
               int expect, const char *location, int line)
{
    virAccessObject obj = { .type = def ? VIR_ACCESS_OBJECT_DOMAIN : VIR_ACCESS_OBJECT_CONNECT,
                            .driverName = "test", .u.domain = def };
    const virAccessPolicyRule *rule = (void *)0x1;
    int got = virAccessPolicyDecide(policy, id, &obj, perm, &rule);
    const char *where = rule ? virAccessPolicyRuleGetLocation(rule) : "no rule matched";

    ck_assert_msg(got == expect, "line %d: %s on %s: got %d (%s), expected %d",
                  line, virAccessPermToString(perm), def ? def->name : "connection",
                  got, where, expect);
    ck_assert_msg(STREQ(where, location ? location : "no rule matched"),
                  "line %d: %s on %s decided by %s, expected %s", line,
                  virAccessPermToString(perm), def ? def->name : "connection",
                  where, location ? location : "no rule matched");
}

#define ALLOWED(policy, id, def, perm, location) \
    assertDecision(policy, id, def, perm, 1, location, __LINE__)
#define DENIED(policy, id, def, perm, location) \
    assertDecision(policy, id, def, perm, 0, location, __LINE__)
#define NOMATCH(policy, id, def, perm) \
    assertDecision(policy, id, def, perm, 0, NULL, __LINE__)

/* ---- the seed's tls_restrict_dn table --------------------------------------- */

START_TEST(test_tls_restrict_dn)
{
    /* DN1 may only see customer1, DN2 only that UUID, DN3 everything;
     * any other DN is refused at connect time. */
    char *table[] = { DN1, "name:customer1", DN2, "uuid:" UUID2, DN3, "*", NULL };
    virAccessPolicySource src = { .tlsRestrictDN = table, .configFile = "tenvirtd.conf" };
    virAccessPolicy *policy = virAccessPolicyLoad(&src);
    virIdentity *dn1 = tlsClient(DN1);
    virIdentity *dn1slash = tlsClient("/C=GB/O=Example ISP/CN=customer1");
    virIdentity *dn2 = tlsClient(DN2);
    virIdentity *dn3 = tlsClient("c=GB, o=Example ISP, cn=admin");
    virIdentity *other = tlsClient("CN=customer9,O=Example ISP,C=GB");

    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());

    ALLOWED(policy, dn1, NULL, P_CONNECT_GETATTR, "tenvirtd.conf:tls_restrict_dn[0]");
    ALLOWED(policy, dn1, NULL, P_SEARCH, "tenvirtd.conf:tls_restrict_dn[0]");
    ALLOWED(policy, dn1, &customer1, P_START, "tenvirtd.conf:tls_restrict_dn[0]");
    ALLOWED(policy, dn1, &customer1, P_DELETE, "tenvirtd.conf:tls_restrict_dn[0]");
    ALLOWED(policy, dn1slash, &customer1, P_READ, "tenvirtd.conf:tls_restrict_dn[0]");
    NOMATCH(policy, dn1, &customer2, P_GETATTR);
    NOMATCH(policy, dn1, &byUUID, P_GETATTR);
    NOMATCH(policy, dn1, NULL, P_CONNECT_WRITE);   /* not host-wide changes */

    ALLOWED(policy, dn2, NULL, P_CONNECT_GETATTR, "tenvirtd.conf:tls_restrict_dn[1]");
    ALLOWED(policy, dn2, &byUUID, P_STOP, "tenvirtd.conf:tls_restrict_dn[1]");
    NOMATCH(policy, dn2, &customer2, P_GETATTR);   /* its name is no help */
    NOMATCH(policy, dn2, &customer1, P_GETATTR);

    ALLOWED(policy, dn3, NULL, P_CONNECT_WRITE, "tenvirtd.conf:tls_restrict_dn[2]");
    ALLOWED(policy, dn3, &customer1, P_MIGRATE, "tenvirtd.conf:tls_restrict_dn[2]");
    ALLOWED(policy, dn3, &secret, P_WRITE, "tenvirtd.conf:tls_restrict_dn[2]");

    NOMATCH(policy, other, NULL, P_CONNECT_GETATTR);
    NOMATCH(policy, other, &customer1, P_GETATTR);

    virIdentityUnref(dn1);
    virIdentityUnref(dn1slash);
    virIdentityUnref(dn2);
    virIdentityUnref(dn3);
    virIdentityUnref(other);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_sasl_restrict_username)
{
    char *table[] = { "fred", "name:fred-*", "ops-*", "*", NULL };
    virAccessPolicySource src = { .saslRestrictUsername = table };
    virAccessPolicy *policy = virAccessPolicyLoad(&src);
    virIdentity *fred = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "fred");
    virIdentity *ops = saslClient(VIR_IDENTITY_TRANSPORT_TLS, "ops-anna");
    virDomainDef fredvm;

    ck_assert_ptr_nonnull(policy);
    initDomain(&fredvm, "fred-vm1", "66666666-6666-4666-8666-666666666666");
    ALLOWED(policy, fred, &fredvm, P_START, "sasl_restrict_username[0]");
    NOMATCH(policy, fred, &customer1, P_GETATTR);
    ALLOWED(policy, ops, &customer1, P_DELETE, "sasl_restrict_username[1]");
    virIdentityUnref(fred);
    virIdentityUnref(ops);
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- subjects -------------------------------------------------------------- */

START_TEST(test_sasl_users)
{
    virAccessPolicy *policy = parse(
        "allow sasl=alice domain=alice-* perms=connect:getattr,domain:*\n"
        "allow sasl=support-* perms=connect:getattr,domain:getattr,domain:read\n"
        "allow sasl=\"b?b\" perms=connect:getattr\n");
    virIdentity *alice = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "alice");
    virIdentity *alicia = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "alicia");
    virIdentity *support = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "support-jo");
    virIdentity *bob = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "bob");
    virIdentity *nobody = tlsClient(DN1);     /* a certificate, but no SASL name */
    virDomainDef alicevm;

    initDomain(&alicevm, "alice-db", "77777777-7777-4777-8777-777777777777");
    ALLOWED(policy, alice, &alicevm, P_STOP, "policy.conf:1");
    NOMATCH(policy, alice, &customer1, P_STOP);
    NOMATCH(policy, alicia, &alicevm, P_STOP);         /* exact means exact */
    ALLOWED(policy, support, &customer1, P_READ, "policy.conf:2");
    NOMATCH(policy, support, &customer1, P_START);
    ALLOWED(policy, bob, NULL, P_CONNECT_GETATTR, "policy.conf:3");
    NOMATCH(policy, nobody, NULL, P_CONNECT_GETATTR);
    virIdentityUnref(alice);
    virIdentityUnref(alicia);
    virIdentityUnref(support);
    virIdentityUnref(bob);
    virIdentityUnref(nobody);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_unix_users_and_groups)
{
    virAccessPolicy *policy = parse(
        "allow unix-group=wheel perms=*\n"
        "allow unix-user=ops perms=connect:getattr,domain:getattr,domain:read\n"
        "allow unix-user=\"backup-*\" perms=connect:getattr,domain:read,domain:save\n"
        "allow unix-group=\"dev*\" domain=test-* perms=connect:getattr,domain:*\n");
    const char *wheelPrimary[] = { "wheel", NULL };
    const char *wheelExtra[] = { "staff", "audio", "wheel", NULL };
    const char *staff[] = { "staff", NULL };
    const char *devs[] = { "users", "developers", NULL };
    virIdentity *root = unixClient("root", wheelPrimary);
    virIdentity *admin = unixClient("admin", wheelExtra);
    virIdentity *ops = unixClient("ops", staff);
    virIdentity *backup = unixClient("backup-nightly", staff);
    virIdentity *dev = unixClient("dev1", devs);
    virIdentity *guest = unixClient("guest", staff);
    virDomainDef testvm;

    initDomain(&testvm, "test-1", "88888888-8888-4888-8888-888888888888");
    ALLOWED(policy, root, &secret, P_DELETE, "policy.conf:1");
    ALLOWED(policy, admin, &secret, P_DELETE, "policy.conf:1");   /* supplementary group */
    ALLOWED(policy, ops, &secret, P_READ, "policy.conf:2");
    NOMATCH(policy, ops, &secret, P_START);
    ALLOWED(policy, backup, &secret, VIR_ACCESS_PERM_DOMAIN_SAVE, "policy.conf:3");
    ALLOWED(policy, dev, &testvm, P_START, "policy.conf:4");
    NOMATCH(policy, dev, &secret, P_START);
    NOMATCH(policy, guest, NULL, P_CONNECT_GETATTR);
    virIdentityUnref(root);
    virIdentityUnref(admin);
    virIdentityUnref(ops);
    virIdentityUnref(backup);
    virIdentityUnref(dev);
    virIdentityUnref(guest);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_transport_and_readonly)
{
    virAccessPolicy *policy = parse(
        "allow transport=unix unix-user=ops perms=connect:getattr,domain:start\n"
        "allow transport=tcp,tls sasl=ops perms=connect:getattr\n"
        "allow readonly=yes perms=connect:getattr,domain:getattr,domain:read\n"
        "allow transport=local readonly=no perms=*\n");
    virIdentity *opsUnix = unixClient("ops", NULL);
    virIdentity *opsTCP = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "ops");
    virIdentity *opsUnixSASL = saslClient(VIR_IDENTITY_TRANSPORT_UNIX, "ops");
    virIdentity *ro = tlsClient(DN1);
    virIdentity *local = virIdentityNew();

    virIdentitySetReadOnly(ro, true);
    ALLOWED(policy, opsUnix, &customer1, P_START, "policy.conf:1");
    NOMATCH(policy, opsTCP, &customer1, P_START);
    ALLOWED(policy, opsTCP, NULL, P_CONNECT_GETATTR, "policy.conf:2");
    NOMATCH(policy, opsUnixSASL, NULL, P_CONNECT_GETATTR);
    ALLOWED(policy, ro, &customer2, P_READ, "policy.conf:3");
    NOMATCH(policy, ro, &customer2, P_START);
    ALLOWED(policy, local, &secret, P_DELETE, "policy.conf:4");
    virIdentitySetReadOnly(local, true);
    NOMATCH(policy, local, &secret, P_DELETE);
    virIdentityUnref(opsUnix);
    virIdentityUnref(opsTCP);
    virIdentityUnref(opsUnixSASL);
    virIdentityUnref(ro);
    virIdentityUnref(local);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_dn_patterns)
{
    virAccessPolicy *policy = parse(
        "allow dn=\"CN=cust-*,O=Example ISP,C=GB\" domain=name:cust-* perms=domain:getattr\n"
        "allow dn=\"/C=GB/O=Example ISP/CN=*\" perms=connect:getattr\n"
        "allow dn=* perms=connect:read\n");
    virIdentity *cust = tlsClient("CN=cust-42,O=Example ISP,C=GB");
    virIdentity *staff = tlsClient("CN=jo,O=Example ISP,C=GB");
    virIdentity *withOU = tlsClient("CN=jo,OU=Sales,O=Example ISP,C=GB");
    virIdentity *outsider = tlsClient("CN=cust-42,O=Other,C=GB");
    virIdentity *garbled = tlsClient("CN");      /* does not parse: no DN rule matches */
    virIdentity *sasl = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "bob");
    virDomainDef custvm;

    initDomain(&custvm, "cust-42", "99999999-9999-4999-8999-999999999999");
    ALLOWED(policy, cust, &custvm, P_GETATTR, "policy.conf:1");
    ALLOWED(policy, cust, NULL, P_CONNECT_GETATTR, "policy.conf:2");
    ALLOWED(policy, staff, NULL, P_CONNECT_GETATTR, "policy.conf:2");
    NOMATCH(policy, staff, &custvm, P_GETATTR);
    NOMATCH(policy, withOU, NULL, P_CONNECT_GETATTR);  /* an extra attribute */
    ALLOWED(policy, withOU, NULL, P_CONNECT_READ, "policy.conf:3");
    ALLOWED(policy, outsider, NULL, P_CONNECT_READ, "policy.conf:3");
    NOMATCH(policy, outsider, NULL, P_CONNECT_GETATTR);
    NOMATCH(policy, garbled, NULL, P_CONNECT_READ);
    NOMATCH(policy, sasl, NULL, P_CONNECT_READ);       /* dn=* needs a DN */
    virIdentityUnref(cust);
    virIdentityUnref(staff);
    virIdentityUnref(withOU);
    virIdentityUnref(outsider);
    virIdentityUnref(garbled);
    virIdentityUnref(sasl);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_no_subject_keys_match_everyone)
{
    virAccessPolicy *policy = parse("allow perms=connect:getattr\n");
    virIdentity *anyone = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "x");

    ALLOWED(policy, anyone, NULL, P_CONNECT_GETATTR, "policy.conf:1");
    NOMATCH(policy, anyone, NULL, P_CONNECT_READ);
    virIdentityUnref(anyone);
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- objects and permissions --------------------------------------------- */

START_TEST(test_roles)
{
    virAccessPolicy *policy = parse(
        "role viewer   = connect:getattr,connect:read,connect:search_domains,domain:getattr,domain:read\n"
        "role customer = @viewer,domain:start,domain:stop,domain:init_control,domain:suspend\n"
        "role reseller = @customer, domain:write , domain:save\n"
        "allow dn=\"" DN1 "\" domain=cust1-* perms=@customer\n"
        "allow dn=\"" DN2 "\" perms=@reseller,domain:delete\n");
    virIdentity *dn1 = tlsClient(DN1);
    virIdentity *dn2 = tlsClient(DN2);

    ALLOWED(policy, dn1, NULL, P_SEARCH, "policy.conf:4");       /* via @viewer */
    ALLOWED(policy, dn1, &cust1web, P_READ, "policy.conf:4");
    ALLOWED(policy, dn1, &cust1web, VIR_ACCESS_PERM_DOMAIN_INIT_CONTROL, "policy.conf:4");
    NOMATCH(policy, dn1, &cust1web, P_WRITE);
    NOMATCH(policy, dn1, &cust1web, VIR_ACCESS_PERM_DOMAIN_READ_SECURE);
    ALLOWED(policy, dn2, &secret, P_WRITE, "policy.conf:5");    /* @reseller */
    ALLOWED(policy, dn2, &secret, P_START, "policy.conf:5");    /* @customer inside it */
    ALLOWED(policy, dn2, &secret, P_DELETE, "policy.conf:5");
    NOMATCH(policy, dn2, &secret, P_MIGRATE);
    virIdentityUnref(dn1);
    virIdentityUnref(dn2);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_domain_selectors)
{
    virAccessPolicy *policy = parse(
        "allow sasl=a domain=customer1,cust2-*,uuid:" UUID2 " perms=domain:getattr\n"
        "allow sasl=b domain=name:customer2 perms=domain:getattr\n"
        "allow sasl=c domain=\"name:cust?-web\" perms=domain:getattr\n"
        "allow sasl=d domain=* perms=domain:getattr\n");
    virIdentity *a = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "a");
    virIdentity *b = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "b");
    virIdentity *c = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "c");
    virIdentity *d = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "d");

    ALLOWED(policy, a, &customer1, P_GETATTR, "policy.conf:1");
    ALLOWED(policy, a, &cust2web, P_GETATTR, "policy.conf:1");
    ALLOWED(policy, a, &byUUID, P_GETATTR, "policy.conf:1");
    NOMATCH(policy, a, &customer2, P_GETATTR);
    NOMATCH(policy, a, &cust1web, P_GETATTR);
    ALLOWED(policy, b, &customer2, P_GETATTR, "policy.conf:2");
    NOMATCH(policy, b, &customer1, P_GETATTR);
    ALLOWED(policy, c, &cust1web, P_GETATTR, "policy.conf:3");
    ALLOWED(policy, c, &cust2web, P_GETATTR, "policy.conf:3");
    NOMATCH(policy, c, &customer1, P_GETATTR);
    ALLOWED(policy, d, &secret, P_GETATTR, "policy.conf:4");
    virIdentityUnref(a);
    virIdentityUnref(b);
    virIdentityUnref(c);
    virIdentityUnref(d);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_connect_perms_ignore_domain_selector)
{
    /* One line gives the customer the connection and their domains. */
    virAccessPolicy *policy = parse(
        "allow dn=\"" DN1 "\" domain=customer1 "
        "perms=connect:getattr,connect:search_domains,domain:getattr\n");
    virIdentity *dn1 = tlsClient(DN1);

    ALLOWED(policy, dn1, NULL, P_CONNECT_GETATTR, "policy.conf:1");
    ALLOWED(policy, dn1, NULL, P_SEARCH, "policy.conf:1");
    ALLOWED(policy, dn1, &customer1, P_GETATTR, "policy.conf:1");
    NOMATCH(policy, dn1, &customer2, P_GETATTR);
    virIdentityUnref(dn1);
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- precedence ------------------------------------------------------------ */

START_TEST(test_deny_before_allow)
{
    virAccessPolicy *policy = parse(
        "deny sasl=mallory perms=*\n"
        "deny unix-group=contractors domain=secret perms=domain:*\n"
        "allow sasl=* perms=connect:getattr,domain:getattr\n"
        "allow unix-group=staff perms=*\n");
    virIdentity *mallory = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "mallory");
    virIdentity *bob = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "bob");
    const char *contractor[] = { "staff", "contractors", NULL };
    virIdentity *eve = unixClient("eve", contractor);

    DENIED(policy, mallory, NULL, P_CONNECT_GETATTR, "policy.conf:1");
    DENIED(policy, mallory, &customer1, P_GETATTR, "policy.conf:1");
    ALLOWED(policy, bob, &customer1, P_GETATTR, "policy.conf:3");
    DENIED(policy, eve, &secret, P_GETATTR, "policy.conf:2");
    ALLOWED(policy, eve, &customer1, P_START, "policy.conf:4");
    ALLOWED(policy, eve, NULL, P_CONNECT_WRITE, "policy.conf:4");  /* deny was domain:* only */
    virIdentityUnref(mallory);
    virIdentityUnref(bob);
    virIdentityUnref(eve);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_first_match_wins)
{
    virAccessPolicy *policy = parse(
        "allow dn=\"" DN1 "\" domain=customer1 perms=domain:getattr,domain:read\n"
        "deny dn=\"" DN1 "\" perms=domain:*\n"
        "allow dn=\"" DN1 "\" perms=domain:*\n"
        "deny dn=\"CN=*,O=Example ISP,C=GB\" perms=domain:stop\n"
        "allow dn=\"" DN2 "\" perms=domain:*\n"
        "allow perms=connect:getattr\n"
        "deny dn=\"" DN2 "\" perms=connect:getattr\n");
    virIdentity *dn1 = tlsClient(DN1);
    virIdentity *dn2 = tlsClient(DN2);

    /* An earlier allow wins over a later deny... */
    ALLOWED(policy, dn1, &customer1, P_READ, "policy.conf:1");
    /* ...a rule that does not cover the permission or the object is
     * skipped, so the deny on line 2 decides... */
    DENIED(policy, dn1, &customer1, P_START, "policy.conf:2");
    DENIED(policy, dn1, &customer2, P_READ, "policy.conf:2");
    /* ...and a later allow never overrides it. */
    DENIED(policy, dn2, &customer2, P_STOP, "policy.conf:4");  /* glob before exact */
    ALLOWED(policy, dn2, &customer2, P_START, "policy.conf:5");
    ALLOWED(policy, dn2, NULL, P_CONNECT_GETATTR, "policy.conf:6");  /* generic before exact */
    virIdentityUnref(dn1);
    virIdentityUnref(dn2);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_default_deny)
{
    virAccessPolicy *empty = parse("# no rules at all\n");
    virAccessPolicy *policy = parse("allow dn=\"" DN1 "\" perms=domain:read\n");
    virIdentity *dn1 = tlsClient(DN1);

    NOMATCH(empty, dn1, NULL, P_CONNECT_GETATTR);
    NOMATCH(empty, dn1, &customer1, P_READ);
    NOMATCH(policy, dn1, NULL, P_CONNECT_GETATTR);
    NOMATCH(policy, dn1, &customer1, P_START);
    virIdentityUnref(dn1);
    virAccessPolicyFree(empty);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_inline_rules_after_file)
{
    /* The file can carve an exception out of an inline "everything". */
    char *table[] = { DN3, "*", DN1, "name:customer1", NULL };
    virAccessPolicySource src = {
        .content = "deny dn=\"" DN3 "\" domain=secret perms=domain:*\n"
                   "allow dn=\"" DN1 "\" domain=customer2 perms=domain:getattr\n",
        .path = "policy.conf",
        .tlsRestrictDN = table,
        .configFile = "tenvirtd.conf",
    };
    virAccessPolicy *policy = virAccessPolicyLoad(&src);
    virIdentity *dn3 = tlsClient(DN3);
    virIdentity *dn1 = tlsClient(DN1);

    ck_assert_ptr_nonnull(policy);
    DENIED(policy, dn3, &secret, P_READ, "policy.conf:1");
    ALLOWED(policy, dn3, &customer1, P_READ, "tenvirtd.conf:tls_restrict_dn[0]");
    ALLOWED(policy, dn3, NULL, P_CONNECT_WRITE, "tenvirtd.conf:tls_restrict_dn[0]");
    ALLOWED(policy, dn1, &customer2, P_GETATTR, "policy.conf:2");
    ALLOWED(policy, dn1, &customer1, P_GETATTR, "tenvirtd.conf:tls_restrict_dn[1]");
    virIdentityUnref(dn3);
    virIdentityUnref(dn1);
    virAccessPolicyFree(policy);
}
END_TEST

START_TEST(test_malformed_request)
{
    virAccessPolicy *policy = parse("allow perms=*\n");
    virIdentity *id = virIdentityNew();
    virAccessObject conn = { .type = VIR_ACCESS_OBJECT_CONNECT };
    virAccessObject dom = { .type = VIR_ACCESS_OBJECT_DOMAIN };
    const virAccessPolicyRule *rule = (void *)0x1;

    /* A domain permission on the connection: an error, never an allow. */
    ck_assert_int_eq(virAccessPolicyDecide(policy, id, &conn, P_START, &rule), -1);
    ck_assert_ptr_null(rule);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INTERNAL_ERROR);
    ck_assert_int_eq(virAccessPolicyDecide(policy, id, &dom, P_START, NULL), -1);
    ck_assert_int_eq(virAccessPolicyDecide(policy, id, &conn, VIR_ACCESS_PERM_LAST, NULL), -1);
    virIdentityUnref(id);
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- concurrency ----------------------------------------------------------- */

typedef struct {
    const virAccessPolicy *policy;
    const virIdentity *id;
    int wrong;
} deciderArgs;

static void *
decider(void *opaque)
{
    deciderArgs *args = opaque;
    virAccessObject c1 = { .type = VIR_ACCESS_OBJECT_DOMAIN, .u.domain = &customer1 };
    virAccessObject c2 = { .type = VIR_ACCESS_OBJECT_DOMAIN, .u.domain = &customer2 };
    size_t i;

    for (i = 0; i < 20000; i++) {
        if (virAccessPolicyDecide(args->policy, args->id, &c1, P_START, NULL) != 1 ||
            virAccessPolicyDecide(args->policy, args->id, &c2, P_START, NULL) != 0)
            args->wrong++;
    }
    return NULL;
}

START_TEST(test_concurrent_decisions)
{
    virAccessPolicy *policy = parse(
        "allow dn=\"CN=cust*,O=Example ISP,C=GB\" domain=customer1 perms=domain:start\n");
    virIdentity *id = tlsClient(DN1);
    deciderArgs args[4];
    pthread_t threads[4];
    size_t i;

    for (i = 0; i < 4; i++) {
        args[i] = (deciderArgs){ policy, id, 0 };
        ck_assert_int_eq(pthread_create(&threads[i], NULL, decider, &args[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        ck_assert_int_eq(args[i].wrong, 0);
    }
    virIdentityUnref(id);
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- 100,000 rules ----------------------------------------------------------- */

START_TEST(test_large_policy)
{
    /* Correctness only (timing is bench/policy_bench). Mostly exact DNs,
     * 1% DN globs, some SASL rules, a role, and a deny placed late. */
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) text = NULL;
    virAccessPolicy *policy;
    virIdentity *c500, *c77777, *globbed, *sasl, *late, *stranger;
    virDomainDef vm500, vm77777, vmOther;
    size_t i;

    virBufferAddLit(&buf, "role customer = connect:getattr,connect:search_domains,"
                          "domain:getattr,domain:read,domain:start,domain:stop\n");
    for (i = 0; i < 100000; i++) {
        if (i % 100 == 50)
            virBufferAsprintf(&buf, "allow dn=\"CN=team%zu-*,O=Example ISP,C=GB\" "
                              "domain=team%zu-* perms=@customer\n", i, i);
        else if (i % 1000 == 999)
            virBufferAsprintf(&buf, "allow sasl=user%zu domain=u%zu-vm perms=@customer\n", i, i);
        else
            virBufferAsprintf(&buf, "allow dn=\"CN=cust%zu,O=Example ISP,C=GB\" "
                              "domain=cust%zu-web,cust%zu-db perms=@customer\n", i, i, i);
    }
    virBufferAddLit(&buf, "deny dn=\"CN=cust500,O=Example ISP,C=GB\" perms=*\n");
    text = virBufferContentAndReset(&buf);
    policy = virAccessPolicyParseString(text, "big.conf");
    ck_assert_msg(policy != NULL, "%s", virGetLastErrorMessage());
    ck_assert_uint_eq(virAccessPolicyRuleCount(policy), 100001);

    c500 = tlsClient("/C=GB/O=Example ISP/CN=cust500");
    c77777 = tlsClient("CN=cust77777,O=Example ISP,C=GB");
    globbed = tlsClient("CN=team64250-laptop,O=Example ISP,C=GB");
    sasl = saslClient(VIR_IDENTITY_TRANSPORT_TCP, "user41999");
    late = tlsClient("CN=cust99998,O=Example ISP,C=GB");
    stranger = tlsClient("CN=cust100001,O=Example ISP,C=GB");
    initDomain(&vm500, "cust500-db", "12121212-1212-4121-8121-121212121212");
    initDomain(&vm77777, "cust77777-web", "13131313-1313-4131-8131-131313131313");
    initDomain(&vmOther, "team64250-build", "14141414-1414-4141-8141-141414141414");

    ALLOWED(policy, c500, &vm500, P_START, "big.conf:502");
    DENIED(policy, c500, &vm500, P_DELETE, "big.conf:100002");    /* only the late deny covers it */
    DENIED(policy, c500, &vm77777, P_GETATTR, "big.conf:100002");
    ALLOWED(policy, c77777, &vm77777, P_READ, "big.conf:77779");
    NOMATCH(policy, c77777, &vm500, P_READ);
    ALLOWED(policy, globbed, &vmOther, P_STOP, "big.conf:64252");
    ALLOWED(policy, globbed, NULL, P_CONNECT_GETATTR, "big.conf:64252");
    NOMATCH(policy, globbed, &vm77777, P_READ);
    ALLOWED(policy, sasl, NULL, P_SEARCH, "big.conf:42001");
    ALLOWED(policy, late, NULL, P_CONNECT_GETATTR, "big.conf:100000");
    NOMATCH(policy, stranger, NULL, P_CONNECT_GETATTR);

    virIdentityUnref(c500);
    virIdentityUnref(c77777);
    virIdentityUnref(globbed);
    virIdentityUnref(sasl);
    virIdentityUnref(late);
    virIdentityUnref(stranger);
    virAccessPolicyFree(policy);
}
END_TEST

/* ---- through the access manager -------------------------------------------- */

static char *
policyFile(const char *content)
{
    char *path = virStrdup("/tmp/policydecide-XXXXXX");
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");

    ck_assert_ptr_nonnull(fp);
    fputs(content, fp);
    fclose(fp);
    return path;
}

static bool
auditHas(const char *needle)
{
    size_t i;

    for (i = 0; i < nauditLines; i++) {
        if (strstr(auditLines[i], needle))
            return true;
    }
    return false;
}

START_TEST(test_manager_dnpolicy)
{
    VIR_AUTOFREE(char *) path = policyFile(
        "allow dn=\"" DN1 "\" domain=customer1 perms=connect:getattr,domain:*\n"
        "deny dn=\"" DN2 "\" perms=*\n");
    char *drivers[] = { "dnpolicy", NULL };
    char *table[] = { DN2, "*", NULL };
    virAccessConfig conf = { .drivers = drivers, .dnpolicyFile = path,
                             .tlsRestrictDN = table, .configFile = "tenvirtd.conf" };
    virAccessManager *mgr = virAccessManagerNew(&conf);
    virIdentity *dn1 = tlsClient(DN1);
    virIdentity *dn2 = tlsClient(DN2);
    virAccessObject c1 = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = "test",
                           .u.domain = &customer1 };
    virAccessObject c2 = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = "test",
                           .u.domain = &customer2 };
    virAccessReason why;
    VIR_AUTOFREE(char *) rule1 = virPrintf("dnpolicy: %s:1", path);
    VIR_AUTOFREE(char *) rule2 = virPrintf("dnpolicy: %s:2", path);
    VIR_AUTOFREE(char *) audit = virPrintf("decided-by=dnpolicy reason=\"%s:1\"", path);

    ck_assert_msg(mgr != NULL, "%s", virGetLastErrorMessage());
    ck_assert_int_eq(virAccessManagerCheck(mgr, dn1, &c1, P_START, &why), 1);
    ck_assert_str_eq(why.text, rule1);
    ck_assert(auditHas(audit));
    ck_assert_int_eq(virAccessManagerCheck(mgr, dn1, &c2, P_START, &why), 0);
    ck_assert_str_eq(why.text, "dnpolicy: no rule matched");
    ck_assert(auditHas("warning: access denied: perm=domain:start object=domain driver=test "
                       "name='customer2'"));
    ck_assert(auditHas("decided-by=dnpolicy reason=\"no rule matched\""));
    /* The file's deny comes before the inline "*" for the same DN. */
    ck_assert_int_eq(virAccessManagerCheck(mgr, dn2, &c2, P_READ, &why), 0);
    ck_assert_str_eq(why.text, rule2);

    /* The thread's current identity is what the entry points use. */
    virIdentitySetCurrent(dn1);
    ck_assert_int_eq(virAccessManagerCheckDomain(mgr, "test", &customer1, P_STOP), 1);
    ck_assert_int_eq(virAccessManagerCheckDomain(mgr, "test", &customer2, P_STOP), 0);
    ck_assert_int_eq(virAccessManagerCheckConnect(mgr, "test", P_CONNECT_GETATTR), 1);
    ck_assert_int_eq(virAccessManagerCheckConnect(mgr, "test", P_CONNECT_WRITE), 0);
    virIdentitySetCurrent(NULL);

    virIdentityUnref(dn1);
    virIdentityUnref(dn2);
    virAccessManagerFree(mgr);
    unlink(path);
}
END_TEST

START_TEST(test_manager_readonly_then_dnpolicy)
{
    char *drivers[] = { "readonly", "dnpolicy", NULL };
    char *table[] = { DN1, "name:customer1", NULL };
    virAccessConfig conf = { .drivers = drivers, .tlsRestrictDN = table,
                             .configFile = "tenvirtd.conf" };
    virAccessManager *mgr = virAccessManagerNew(&conf);
    virIdentity *rw = tlsClient(DN1);
    virIdentity *ro = tlsClient(DN1);
    virAccessObject c1 = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = "test",
                           .u.domain = &customer1 };
    virAccessReason why;

    ck_assert_msg(mgr != NULL, "%s", virGetLastErrorMessage());
    virIdentitySetReadOnly(ro, true);
    ck_assert_int_eq(virAccessManagerCheck(mgr, rw, &c1, P_START, &why), 1);
    ck_assert_str_eq(why.text, "dnpolicy: tenvirtd.conf:tls_restrict_dn[0]");
    /* The policy would allow it, but the connection is read-only. */
    ck_assert_int_eq(virAccessManagerCheck(mgr, ro, &c1, P_START, &why), 0);
    ck_assert_str_eq(why.text, "readonly: read-only connection");
    ck_assert_int_eq(virAccessManagerCheck(mgr, ro, &c1, P_READ, &why), 1);
    ck_assert_str_eq(why.text, "dnpolicy: tenvirtd.conf:tls_restrict_dn[0]");
    virIdentityUnref(rw);
    virIdentityUnref(ro);
    virAccessManagerFree(mgr);
}
END_TEST

START_TEST(test_manager_refuses_bad_policy)
{
    VIR_AUTOFREE(char *) good = policyFile("allow dn=\"" DN1 "\" perms=*\n");
    VIR_AUTOFREE(char *) bad = policyFile("allow dn=\"" DN1 "\" perms=domain:strat\n");
    VIR_AUTOFREE(char *) expect = virPrintf("configuration file syntax error: "
                                            "%s:1: unknown permission 'domain:strat'", bad);
    char *drivers[] = { "dnpolicy", NULL };
    virAccessConfig conf = { .drivers = drivers };
    virAccessManager *mgr;
    virIdentity *dn1 = tlsClient(DN1);
    virAccessObject c1 = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = "test",
                           .u.domain = &customer1 };

    /* No policy configured at all: refuse to start rather than deny all. */
    ck_assert_ptr_null(virAccessManagerNew(&conf));
    ck_assert_ptr_nonnull(strstr(virGetLastErrorMessage(), "needs access_dnpolicy_file"));

    conf.dnpolicyFile = bad;
    ck_assert_ptr_null(virAccessManagerNew(&conf));
    ck_assert_str_eq(virGetLastErrorMessage(), expect);

    /* A reload with a broken file keeps the policy in force. */
    conf.dnpolicyFile = good;
    mgr = virAccessManagerNew(&conf);
    ck_assert_ptr_nonnull(mgr);
    conf.dnpolicyFile = bad;
    ck_assert_int_eq(virAccessManagerReload(mgr, &conf), -1);
    ck_assert_str_eq(virGetLastErrorMessage(), expect);
    ck_assert_int_eq(virAccessManagerCheck(mgr, dn1, &c1, P_DELETE, NULL), 1);

    virIdentityUnref(dn1);
    virAccessManagerFree(mgr);
    unlink(good);
    unlink(bad);
}
END_TEST

static Suite *
policyDecideSuite(void)
{
    Suite *s = suite_create("policydecide");
    TCase *inl = tcase_create("inline");
    TCase *subj = tcase_create("subjects");
    TCase *obj = tcase_create("objects");
    TCase *prec = tcase_create("precedence");
    TCase *scale = tcase_create("scale");
    TCase *mgr = tcase_create("manager");
    TCase *all[] = { inl, subj, obj, prec, scale, mgr };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(all); i++) {
        tcase_add_checked_fixture(all[i], setup, teardown);
        suite_add_tcase(s, all[i]);
    }
    tcase_add_test(inl, test_tls_restrict_dn);
    tcase_add_test(inl, test_sasl_restrict_username);
    tcase_add_test(inl, test_inline_rules_after_file);
    tcase_add_test(subj, test_sasl_users);
    tcase_add_test(subj, test_unix_users_and_groups);
    tcase_add_test(subj, test_transport_and_readonly);
    tcase_add_test(subj, test_dn_patterns);
    tcase_add_test(subj, test_no_subject_keys_match_everyone);
    tcase_add_test(obj, test_roles);
    tcase_add_test(obj, test_domain_selectors);
    tcase_add_test(obj, test_connect_perms_ignore_domain_selector);
    tcase_add_test(obj, test_malformed_request);
    tcase_add_test(prec, test_deny_before_allow);
    tcase_add_test(prec, test_first_match_wins);
    tcase_add_test(prec, test_default_deny);
    tcase_add_test(scale, test_concurrent_decisions);
    tcase_add_test(scale, test_large_policy);
    tcase_set_timeout(scale, 120);     /* valgrind */
    tcase_add_test(mgr, test_manager_dnpolicy);
    tcase_add_test(mgr, test_manager_readonly_then_dnpolicy);
    tcase_add_test(mgr, test_manager_refuses_bad_policy);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(policyDecideSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
