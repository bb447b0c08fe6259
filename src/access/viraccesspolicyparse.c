/*
 * viraccesspolicyparse.c: reading dnpolicy rule files.
 *
 * THE POLICY LANGUAGE
 *
 *   # A comment runs from '#' (outside quotes) to the end of the line.
 *   # Blank lines are ignored. One rule per line; a backslash at the end
 *   # of a line continues the rule on the next one.
 *
 *   role viewer   = connect:getattr,connect:read,connect:search_domains,domain:getattr,domain:read
 *   role customer = @viewer,domain:start,domain:stop,domain:init_control,domain:suspend
 *
 *   allow dn="CN=customer1,O=Example ISP,C=GB" domain=cust1-*          perms=@customer
 *   allow dn="/C=GB/O=Example ISP/CN=customer2" domain=uuid:0b8f...,cust2-web perms=@customer
 *   deny  sasl=mallory                                                  perms=*
 *   allow dn="CN=*,O=Example ISP,C=GB" readonly=yes                     perms=@viewer
 *   allow unix-group=wheel                                              perms=*
 *   allow transport=unix unix-user=ops                                  perms=@viewer,domain:start
 *
 * role NAME = LIST
 *   Names a permission set. LIST is a comma-separated list (white space
 *   around the commas is allowed) of permission names ("domain:start"),
 *   "object:*" (every permission of that object type), "*" (everything)
 *   or @ROLE for a role defined on an earlier line. Names are letters,
 *   digits, '_' and '-'; each is defined once.
 *
 * allow|deny KEY=VALUE ...
 *   Subject keys (all that are given must hold; with none the rule is
 *   about everyone):
 *     dn=PATTERN         client certificate DN in either form, normalised
 *                        (virx509dn.h); attribute values may be globs, so
 *                        "CN=*,O=Example ISP,C=GB" is any CN of that O with
 *                        exactly those attributes. dn=* is any client that
 *                        has a certificate DN.
 *     sasl=GLOB          SASL user name
 *     unix-user=GLOB     UNIX user name of a local client
 *     unix-group=NAME    any of the client's UNIX groups (a glob is allowed)
 *     transport=LIST     local, unix, tcp, tls (comma-separated: any of them)
 *     readonly=yes|no    the connection is (not) read-only
 *   Object key:
 *     domain=SEL,...     name:GLOB, uuid:UUID, a bare GLOB (a name), or
 *                        '*'; absent means every domain. It restricts only
 *                        domain permissions: the connect permissions of a
 *                        rule apply whatever domain= says, so one line can
 *                        give a customer the connection and their domains.
 *   perms=LIST           required; the same items as a role.
 *   A value ends at white space unless "double-quoted"; inside quotes \"
 *   and \\ are escapes and any other backslash is kept as it is (so DN
 *   escapes such as \, pass through). An unquoted ',' separates the items
 *   of a list (domain, perms, transport); dn, sasl and the other single
 *   values take commas literally. Each key may be given once per rule.
 *
 * Evaluation: a rule matches a request when its subject keys match the
 * identity, its perms contain the requested permission and, for a request
 * on a domain, its domain= selectors match that domain. The FIRST matching
 * rule decides (as in pg_hba.conf, except that a rule only matches if it
 * also covers the permission and the object): allow allows, deny denies.
 * When no rule matches the request is denied ("no rule matched").
 *
 * Inline rules from tenvirtd.conf follow the file's rules, in this order:
 *   tls_restrict_dn = [ "DN", "name:GLOB" | "uuid:UUID" | "*", ... ]
 *   sasl_restrict_username = [ "USERGLOB", selector, ... ]
 * Each pair becomes
 *   allow dn=DN domain=SEL perms=connect:getattr,connect:read,connect:search_domains,domain:*
 * (sasl=USERGLOB for the second list), and the selector "*" becomes
 *   allow dn=DN perms=*
 * Their location is "CONFIGFILE:tls_restrict_dn[N]", N the 0-based pair.
 *
 * Like PostgreSQL's hba.c the work is a pipeline: the text is cut into
 * logical lines (keeping file and line number), every line is parsed into
 * a typed rule, and parsing goes on after an error so that every bad line
 * is reported; the policy is published only if all of them parsed.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "viraccesspolicypriv.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

VIR_LOG_INIT("access.dnpolicy");

/* Beyond this many, errors are counted but not listed: a binary file
 * given by mistake should not produce a message of megabytes. */
#define VIR_ACCESS_POLICY_MAX_ERRORS 1000

/* What an inline rule is allowed: the connection plus the selected domains. */
#define VIR_ACCESS_POLICY_INLINE_PERMS \
    "connect:getattr,connect:read,connect:search_domains,domain:*"

/* One logical line: continuation lines joined, comment and outer white
 * space removed. */
typedef struct {
    const char *file;       /* the policy's copy; may be NULL */
    unsigned int line;      /* first physical line; 0 for inline rules */
    const char *location;   /* "FILE:LINE", for messages and the rule */
    const char *text;
} virAccessPolicyLine;

typedef struct {
    char *name;
    virAccessPermSet perms;
    unsigned int line;
} virAccessPolicyRole;

typedef struct {
    virAccessPolicy *policy;
    size_t rulesAlloc;
    virAccessPolicyRole *roles;
    size_t nroles;
    virAccessPolicyHash roleIndex;  /* name -> index into roles */
    virBuffer errors;
    size_t nerrors;
} virAccessPolicyParser;

/* A lexed KEY=VALUE value: the whole text and its unquoted-comma items. */
typedef struct {
    char *full;
    char **items;
    size_t nitems;
} virAccessPolicyValue;

typedef int (*virAccessPolicyKeyFunc)(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                                      const virAccessPolicyValue *val, char **errmsg);

static int virAccessPolicyKeyDN(virAccessPolicyParser *, virAccessPolicyRule *,
                                const virAccessPolicyValue *, char **);
static int virAccessPolicyKeySASL(virAccessPolicyParser *, virAccessPolicyRule *,
                                  const virAccessPolicyValue *, char **);
static int virAccessPolicyKeyUnixUser(virAccessPolicyParser *, virAccessPolicyRule *,
                                      const virAccessPolicyValue *, char **);
static int virAccessPolicyKeyUnixGroup(virAccessPolicyParser *, virAccessPolicyRule *,
                                       const virAccessPolicyValue *, char **);
static int virAccessPolicyKeyTransport(virAccessPolicyParser *, virAccessPolicyRule *,
                                       const virAccessPolicyValue *, char **);
static int virAccessPolicyKeyReadonly(virAccessPolicyParser *, virAccessPolicyRule *,
                                      const virAccessPolicyValue *, char **);
static int virAccessPolicyKeyDomain(virAccessPolicyParser *, virAccessPolicyRule *,
                                    const virAccessPolicyValue *, char **);
static int virAccessPolicyKeyPerms(virAccessPolicyParser *, virAccessPolicyRule *,
                                   const virAccessPolicyValue *, char **);

/* The keys of allow/deny rules, declared once. A rule's "keys" bitmap
 * uses the row numbers. */
static const struct {
    const char *name;
    virAccessPolicyKeyFunc parse;
} virAccessPolicyKeys[] = {
    { "dn", virAccessPolicyKeyDN },
    { "sasl", virAccessPolicyKeySASL },
    { "unix-user", virAccessPolicyKeyUnixUser },
    { "unix-group", virAccessPolicyKeyUnixGroup },
    { "transport", virAccessPolicyKeyTransport },
    { "readonly", virAccessPolicyKeyReadonly },
    { "domain", virAccessPolicyKeyDomain },
    { "perms", virAccessPolicyKeyPerms },
};
VIR_STATIC_ASSERT(G_N_ELEMENTS(virAccessPolicyKeys) <= sizeof(unsigned int) * 8,
                  "a rule's key bitmap must hold every key");

static size_t
virAccessPolicyKeyIndex(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virAccessPolicyKeys); i++) {
        if (strncmp(virAccessPolicyKeys[i].name, name, len) == 0 &&
            virAccessPolicyKeys[i].name[len] == '\0')
            return i;
    }
    return SIZE_MAX;
}

static void
virAccessPolicyParserError(virAccessPolicyParser *p, const char *location,
                           const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(3, 4);

/* Record one error "LOCATION: message" and log it. */
static void
virAccessPolicyParserError(virAccessPolicyParser *p, const char *location,
                           const char *fmt, ...)
{
    VIR_AUTOFREE(char *) msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = virVPrintf(fmt, ap);
    va_end(ap);

    if (location)
        VIR_ERROR("%s: %s", location, msg);
    else
        VIR_ERROR("%s", msg);
    if (++p->nerrors > VIR_ACCESS_POLICY_MAX_ERRORS)
        return;
    if (virBufferUse(&p->errors))
        virBufferAddChar(&p->errors, '\n');
    if (location)
        virBufferAsprintf(&p->errors, "%s: ", location);
    virBufferAdd(&p->errors, msg, -1);
}

static const char *
virAccessPolicyIntern(virAccessPolicy *policy, const char *name)
{
    size_t i;

    if (!name)
        return NULL;
    for (i = 0; i < policy->nfiles; i++) {
        if (STREQ(policy->files[i], name))
            return policy->files[i];
    }
    VIR_APPEND_ELEMENT(policy->files, policy->nfiles, virStrdup(name));
    return policy->files[policy->nfiles - 1];
}

/* ---- stage 1: logical lines -------------------------------------------- */

static void
virAccessPolicyTokenize(virAccessPolicy *policy, const char *content, const char *file,
                        virAccessPolicyLine **lines, size_t *nlines)
{
    const char *s = content;
    unsigned int lineno = 0;
    size_t alloc = 0;
    char location[PATH_MAX + 32];

    while (*s) {
        virBuffer joined = VIR_BUFFER_INITIALIZER;     /* only for continued lines */
        unsigned int first = lineno + 1;
        const char *text = NULL;
        size_t len;
        bool more = true;

        while (more && *s) {
            const char *eol = strchr(s, '\n');
            const char *end, *q;
            bool inQuote = false;

            if (!eol)
                eol = s + strlen(s);
            lineno++;
            /* Find where the comment starts: '#' outside quotes. */
            for (q = s; q < eol; q++) {
                if (inQuote) {
                    if (*q == '\\' && q + 1 < eol && (q[1] == '"' || q[1] == '\\'))
                        q++;
                    else if (*q == '"')
                        inQuote = false;
                } else if (*q == '"') {
                    inQuote = true;
                } else if (*q == '#') {
                    break;
                }
            }
            end = q;
            while (end > s && isspace((unsigned char)end[-1]))
                end--;
            more = !inQuote && end > s && end[-1] == '\\';
            if (!more && !virBufferUse(&joined)) {
                text = s;       /* the common case: one physical line, no copy */
                len = end - s;
            } else {
                virBufferAdd(&joined, s, (end - s) - (more ? 1 : 0));
            }
            s = *eol ? eol + 1 : eol;
        }
        if (!text) {
            text = virBufferCurrentContent(&joined);
            len = virBufferUse(&joined);
        }
        while (len && isspace((unsigned char)*text)) {
            text++;
            len--;
        }
        while (len && isspace((unsigned char)text[len - 1]))
            len--;
        if (len) {
            if (*nlines == alloc) {
                alloc = alloc ? alloc * 2 : 64;
                VIR_REALLOC_N(*lines, alloc);
            }
            snprintf(location, sizeof(location), "%s:%u", file, first);
            (*lines)[*nlines].file = file;
            (*lines)[*nlines].line = first;
            (*lines)[*nlines].location = virAccessPolicyStrdup(policy, location);
            (*lines)[*nlines].text = virAccessPolicyStrndup(policy, text, len);
            (*nlines)++;
        }
        virBufferFreeAndReset(&joined);
    }
}

/* ---- stage 2: typed rules ---------------------------------------------- */

static void
virAccessPolicyValueClear(virAccessPolicyValue *val)
{
    free(val->full);
    free(val->items);       /* the item strings live in the same block */
    memset(val, 0, sizeof(*val));
}

/* Lex the value starting at *@sp up to unquoted white space. Two
 * allocations whatever the number of items: policy files have 100,000
 * lines of these. */
static int
virAccessPolicyLexValue(const char **sp, virAccessPolicyValue *val, char **errmsg)
{
    const char *s = *sp;
    size_t rest = 0;
    size_t maxItems = 1;
    bool inQuote = false;
    char *full, *item;

    /* Size it first: unescaping only shrinks, each item is at most the
     * whole value, and there is at most one item per comma, plus one. */
    for (; s[rest] && (inQuote || !isspace((unsigned char)s[rest])); rest++) {
        if (s[rest] == '"')
            inQuote = !inQuote;
        else if (inQuote && s[rest] == '\\' && s[rest + 1])
            rest++;
        else if (s[rest] == ',')
            maxItems++;
    }
    inQuote = false;
    memset(val, 0, sizeof(*val));
    full = val->full = virAllocN(2 * (rest + 1), 1);
    item = full + rest + 1;
    val->items = virAllocN(maxItems, sizeof(char *));
    val->items[val->nitems++] = item;

    while (*s && (inQuote || !isspace((unsigned char)*s))) {
        if (*s == '"') {
            inQuote = !inQuote;
            s++;
        } else if (inQuote && *s == '\\' && (s[1] == '"' || s[1] == '\\')) {
            *full++ = *item++ = s[1];
            s += 2;
        } else if (!inQuote && *s == ',') {
            *full++ = ',';
            *item++ = '\0';
            val->items[val->nitems++] = item;
            s++;
        } else {
            *full++ = *item++ = *s++;
        }
    }
    *full = *item = '\0';
    *sp = s;
    if (inQuote) {
        *errmsg = virPrintf("unterminated quoted string");
        virAccessPolicyValueClear(val);
        return -1;
    }
    return 0;
}

static bool
virAccessPolicyHasGlob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* Add the items of a permission list (names, object:*, *, @role) to @set. */
static int
virAccessPolicyParsePerms(virAccessPolicyParser *p, char *const *items, size_t nitems,
                          virAccessPermSet *set, char **errmsg)
{
    size_t i;

    for (i = 0; i < nitems; i++) {
        const char *item = items[i];
        const char *colon;

        if (!*item) {
            *errmsg = virPrintf("empty item in permission list");
            return -1;
        }
        if (item[0] == '@') {
            const virAccessPolicyHashEntry *e;

            if (!item[1]) {
                *errmsg = virPrintf("missing role name after '@'");
                return -1;
            }
            if (!(e = virAccessPolicyHashLookup(&p->roleIndex, item + 1))) {
                *errmsg = virPrintf("unknown role '%s' (roles must be defined before use)", item);
                return -1;
            }
            virAccessPermSetUnion(set, &p->roles[virAccessPolicyHashEntryIdx(e)[0]].perms);
            continue;
        }
        if (virAccessPermSetParseItem(set, item) == 0)
            continue;

        if (!(colon = strchr(item, ':'))) {
            *errmsg = virPrintf("unknown permission '%s' (expected OBJECT:PERM, OBJECT:*, * or @ROLE)",
                                item);
        } else {
            VIR_AUTOFREE(char *) object = virStrndup(item, colon - item);

            if (virAccessObjectTypeFromString(object) < 0) {
                virBuffer known = VIR_BUFFER_INITIALIZER;
                VIR_AUTOFREE(char *) knownStr = NULL;
                size_t t;

                for (t = 0; t < VIR_ACCESS_OBJECT_LAST; t++)
                    virBufferAsprintf(&known, "%s%s", t ? ", " : "",
                                      virAccessObjectTypeToString(t));
                knownStr = virBufferContentAndReset(&known);
                *errmsg = virPrintf("unknown object type '%s' in '%s' (expected %s)",
                                    object, item, knownStr);
            } else {
                *errmsg = virPrintf("unknown permission '%s'", item);
            }
        }
        return -1;
    }
    return 0;
}

static int
virAccessPolicyKeyDN(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                     const virAccessPolicyValue *val, char **errmsg)
{
    virX509DN dn;
    char *err = NULL;

    if (STREQ(val->full, "*")) {
        rule->dnAny = true;
        return 0;
    }
    if (virX509DNParse(val->full, &dn, &err) < 0) {
        *errmsg = virPrintf("invalid DN '%s': %s", val->full, err);
        free(err);
        return -1;
    }
    if (virX509DNHasGlob(&dn)) {
        rule->dnPattern = dn;
    } else {
        VIR_AUTOFREE(char *) normal = virX509DNFormat(&dn);

        rule->dn = virAccessPolicyStrdup(p->policy, normal);
        virX509DNClear(&dn);
    }
    return 0;
}

static int
virAccessPolicyKeySASL(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                       const virAccessPolicyValue *val, char **errmsg)
{
    rule->sasl = virAccessPolicyStrdup(p->policy, val->full);
    rule->saslGlob = virAccessPolicyHasGlob(val->full);
    return 0;
}

static int
virAccessPolicyKeyUnixUser(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                           const virAccessPolicyValue *val, char **errmsg)
{
    rule->unixUser = virAccessPolicyStrdup(p->policy, val->full);
    rule->unixUserGlob = virAccessPolicyHasGlob(val->full);
    return 0;
}

static int
virAccessPolicyKeyUnixGroup(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                            const virAccessPolicyValue *val, char **errmsg)
{
    rule->unixGroup = virAccessPolicyStrdup(p->policy, val->full);
    rule->unixGroupGlob = virAccessPolicyHasGlob(val->full);
    return 0;
}

static int
virAccessPolicyKeyTransport(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                            const virAccessPolicyValue *val, char **errmsg)
{
    size_t i;

    for (i = 0; i < val->nitems; i++) {
        int t = virIdentityTransportTypeFromString(val->items[i]);

        if (t < 0) {
            virBuffer known = VIR_BUFFER_INITIALIZER;
            VIR_AUTOFREE(char *) knownStr = NULL;
            size_t k;

            for (k = 0; k < VIR_IDENTITY_TRANSPORT_LAST; k++)
                virBufferAsprintf(&known, "%s%s",
                                  k == 0 ? "" : k + 1 == VIR_IDENTITY_TRANSPORT_LAST ? " or " : ", ",
                                  virIdentityTransportTypeToString(k));
            knownStr = virBufferContentAndReset(&known);
            *errmsg = virPrintf("unknown transport '%s' (expected %s)", val->items[i], knownStr);
            return -1;
        }
        rule->transports |= 1u << t;
    }
    return 0;
}

static int
virAccessPolicyKeyReadonly(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                           const virAccessPolicyValue *val, char **errmsg)
{
    if (STREQ(val->full, "yes")) {
        rule->readonly = 1;
    } else if (STREQ(val->full, "no")) {
        rule->readonly = 0;
    } else {
        *errmsg = virPrintf("readonly must be yes or no, not '%s'", val->full);
        return -1;
    }
    return 0;
}

static void
virAccessPolicyRuleAddDomainName(virAccessPolicy *policy, virAccessPolicyRule *rule,
                                 const char *name, size_t max)
{
    const char *copy = virAccessPolicyStrdup(policy, name);

    /* Arrays sized for the whole list on first use: no regrowing. */
    const char *meta = strpbrk(name, "*?[\\");

    if (meta) {
        if (!rule->domainGlobs) {
            rule->domainGlobs = virAccessPolicyAlloc(policy, max * sizeof(char *));
            /* "cust7-*", the usual customer glob, needs no fnmatch: a prefix
             * compare matches the same names (no flags: '*' matches anything). */
            rule->firstGlobPrefix = meta[0] == '*' && meta[1] == '\0'
                ? (uint32_t)(meta - name) : UINT32_MAX;
        }
        rule->domainGlobs[rule->ndomainGlobs++] = copy;
    } else {
        if (!rule->domainNames)
            rule->domainNames = virAccessPolicyAlloc(policy, max * sizeof(char *));
        rule->domainNames[rule->ndomainNames++] = copy;
    }
}

static int
virAccessPolicyCompareStrp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
virAccessPolicyCompareUUIDp(const void *a, const void *b)
{
    return memcmp(a, b, VIR_UUID_BUFLEN);
}

static int
virAccessPolicyKeyDomain(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                         const virAccessPolicyValue *val, char **errmsg)
{
    size_t i;

    for (i = 0; i < val->nitems; i++) {
        const char *sel = val->items[i];
        size_t prefix = strspn(sel, "abcdefghijklmnopqrstuvwxyz");

        if (!*sel) {
            *errmsg = virPrintf("empty domain selector in '%s'", val->full);
            return -1;
        }
        if (STREQ(sel, "*")) {
            rule->domainAny = true;
        } else if (STRPREFIX(sel, "name:")) {
            if (!sel[5]) {
                *errmsg = virPrintf("empty domain name in 'name:'");
                return -1;
            }
            virAccessPolicyRuleAddDomainName(p->policy, rule, sel + 5, val->nitems);
        } else if (STRPREFIX(sel, "uuid:")) {
            unsigned char uuid[VIR_UUID_BUFLEN];

            if (virUUIDParse(sel + 5, uuid) < 0) {
                *errmsg = virPrintf("invalid UUID '%s'", sel + 5);
                return -1;
            }
            if (!rule->domainUUIDs)
                rule->domainUUIDs = virAccessPolicyAlloc(p->policy, val->nitems * VIR_UUID_BUFLEN);
            memcpy(rule->domainUUIDs + rule->ndomainUUIDs++ * VIR_UUID_BUFLEN, uuid,
                   VIR_UUID_BUFLEN);
        } else if (prefix > 0 && sel[prefix] == ':') {
            /* Most likely a misspelt selector: refuse rather than treat
             * it as a domain name nobody has. */
            *errmsg = virPrintf("unknown domain selector '%s' (expected name:GLOB, uuid:UUID or a name)",
                                sel);
            return -1;
        } else {
            virAccessPolicyRuleAddDomainName(p->policy, rule, sel, val->nitems);
        }
    }
    if (rule->ndomainNames > 1)
        qsort(rule->domainNames, rule->ndomainNames, sizeof(char *), virAccessPolicyCompareStrp);
    if (rule->ndomainUUIDs > 1)
        qsort(rule->domainUUIDs, rule->ndomainUUIDs, VIR_UUID_BUFLEN, virAccessPolicyCompareUUIDp);
    return 0;
}

static int
virAccessPolicyKeyPerms(virAccessPolicyParser *p, virAccessPolicyRule *rule,
                        const virAccessPolicyValue *val, char **errmsg)
{
    return virAccessPolicyParsePerms(p, val->items, val->nitems, &rule->perms, errmsg);
}

static char *
virAccessPolicyKeyNames(void)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    size_t i, n = G_N_ELEMENTS(virAccessPolicyKeys);

    for (i = 0; i < n; i++)
        virBufferAsprintf(&buf, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                          virAccessPolicyKeys[i].name);
    return virBufferContentAndReset(&buf);
}

/* Make room for @n more rules at once: the array is large (a policy
 * can have 100,000 rules), so growing it step by step would copy it. */
static void
virAccessPolicyReserveRules(virAccessPolicyParser *p, size_t n)
{
    if (p->policy->nrules + n > p->rulesAlloc) {
        p->rulesAlloc = p->policy->nrules + n;
        VIR_REALLOC_N(p->policy->rules, p->rulesAlloc);
    }
}

static void
virAccessPolicyAppendRule(virAccessPolicyParser *p, const virAccessPolicyRule *rule)
{
    virAccessPolicy *policy = p->policy;

    if (policy->nrules == p->rulesAlloc) {
        p->rulesAlloc = p->rulesAlloc ? p->rulesAlloc * 2 : 64;
        VIR_REALLOC_N(policy->rules, p->rulesAlloc);
    }
    policy->rules[policy->nrules++] = *rule;
}

/* allow|deny KEY=VALUE...: @s is after the action word. */
static int
virAccessPolicyParseRule(virAccessPolicyParser *p, virAccessPolicyLine *line,
                         bool deny, const char *s, char **errmsg)
{
    virAccessPolicyRule rule;

    memset(&rule, 0, sizeof(rule));
    rule.deny = deny;
    rule.readonly = -1;

    for (;;) {
        virAccessPolicyValue val;
        const char *keyStart;
        const char *key;
        size_t k;
        int rc;

        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        keyStart = s;
        while (*s && !isspace((unsigned char)*s) && *s != '=' && *s != '"')
            s++;
        if (*s != '=' || s == keyStart) {
            size_t len = strcspn(keyStart, " \t");

            *errmsg = virPrintf("expected KEY=VALUE, found '%.*s'", (int)len, keyStart);
            goto error;
        }
        if ((k = virAccessPolicyKeyIndex(keyStart, s - keyStart)) == SIZE_MAX) {
            VIR_AUTOFREE(char *) names = virAccessPolicyKeyNames();

            *errmsg = virPrintf("unknown key '%.*s' (expected %s)",
                                (int)(s - keyStart), keyStart, names);
            goto error;
        }
        key = virAccessPolicyKeys[k].name;
        s++;
        if (rule.keys & (1u << k)) {
            *errmsg = virPrintf("key '%s' given twice", key);
            goto error;
        }
        rule.keys |= 1u << k;
        if (virAccessPolicyLexValue(&s, &val, errmsg) < 0)
            goto error;
        if (!*val.full) {
            *errmsg = virPrintf("empty value for '%s'", key);
            virAccessPolicyValueClear(&val);
            goto error;
        }
        if (val.nitems > 1 && !*val.items[val.nitems - 1]) {
            /* Almost always "perms=a, b": the value ended at the space. */
            *errmsg = virPrintf("trailing ',' in '%s' (a list takes no spaces after its commas)",
                                val.full);
            virAccessPolicyValueClear(&val);
            goto error;
        }
        rc = virAccessPolicyKeys[k].parse(p, &rule, &val, errmsg);
        virAccessPolicyValueClear(&val);
        if (rc < 0)
            goto error;
    }

    if (!(rule.keys & (1u << virAccessPolicyKeyIndex("perms", 5)))) {
        *errmsg = virPrintf("rule has no perms=");
        goto error;
    }
    if (!(rule.keys & (1u << virAccessPolicyKeyIndex("domain", 6))))
        rule.domainAny = true;

    rule.file = line->file;
    rule.line = line->line;
    rule.location = line->location;
    rule.text = line->text;
    virAccessPolicyAppendRule(p, &rule);
    return 0;

 error:
    virAccessPolicyRuleClear(&rule);
    return -1;
}

/* role NAME = LIST: @s is after the word "role". */
static int
virAccessPolicyParseRole(virAccessPolicyParser *p, virAccessPolicyLine *line,
                         const char *s, char **errmsg)
{
    const virAccessPolicyHashEntry *e;
    virAccessPolicyRole role;
    VIR_AUTOSTRINGLIST items = NULL;
    const char *nameStart;
    size_t nitems, i;
    int ret;

    memset(&role, 0, sizeof(role));
    while (isspace((unsigned char)*s))
        s++;
    nameStart = s;
    while (*s && !isspace((unsigned char)*s) && *s != '=')
        s++;
    if (s == nameStart) {
        *errmsg = virPrintf("missing role name");
        return -1;
    }
    role.name = virStrndup(nameStart, s - nameStart);
    if (strspn(role.name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
        strlen(role.name)) {
        *errmsg = virPrintf("invalid role name '%s' (letters, digits, '_' and '-' only)",
                            role.name);
        free(role.name);
        return -1;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (*s != '=') {
        *errmsg = virPrintf("missing '=' after role name");
        free(role.name);
        return -1;
    }
    s++;
    if ((e = virAccessPolicyHashLookup(&p->roleIndex, role.name))) {
        *errmsg = virPrintf("role '%s' already defined at line %u",
                            role.name, p->roles[virAccessPolicyHashEntryIdx(e)[0]].line);
        free(role.name);
        return -1;
    }

    /* White space around the commas is fine; inside an item it is not. */
    items = virStringSplit(s, ',');
    nitems = virStringListLength(items);
    for (i = 0; i < nitems; i++) {
        virStringTrim(items[i]);
        if (strpbrk(items[i], " \t")) {
            *errmsg = virPrintf("missing ',' in '%s'", items[i]);
            break;
        }
    }
    if (i < nitems) {
        ret = -1;
    } else if (nitems == 1 && !*items[0]) {
        *errmsg = virPrintf("role '%s' has no permissions", role.name);
        ret = -1;
    } else {
        ret = virAccessPolicyParsePerms(p, items, nitems, &role.perms, errmsg);
    }

    /* Register the role even if its list was bad, so that later lines
     * using it do not add "unknown role" errors of their own. */
    role.line = line->line;
    VIR_APPEND_ELEMENT(p->roles, p->nroles, role);
    virAccessPolicyHashAdd(&p->roleIndex, role.name, p->nroles - 1);
    return ret;
}

static void
virAccessPolicyParseLine(virAccessPolicyParser *p, virAccessPolicyLine *line)
{
    VIR_AUTOFREE(char *) errmsg = NULL;
    const char *s = line->text;
    size_t n = strcspn(s, " \t");
    int rc;

    if (n == 4 && STRPREFIX(s, "role")) {
        rc = virAccessPolicyParseRole(p, line, s + n, &errmsg);
    } else if (n == 5 && STRPREFIX(s, "allow")) {
        rc = virAccessPolicyParseRule(p, line, false, s + n, &errmsg);
    } else if (n == 4 && STRPREFIX(s, "deny")) {
        rc = virAccessPolicyParseRule(p, line, true, s + n, &errmsg);
    } else {
        errmsg = virPrintf("unknown action '%.*s' (expected allow, deny or role)", (int)n, s);
        rc = -1;
    }
    if (rc < 0)
        virAccessPolicyParserError(p, line->location, "%s", errmsg);
}

/* ---- inline rules ------------------------------------------------------ */

static void
virAccessPolicyQuote(virBuffer *buf, const char *s)
{
    virBufferAddChar(buf, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            virBufferAddChar(buf, '\\');
        virBufferAddChar(buf, *s);
    }
    virBufferAddChar(buf, '"');
}

/* Turn the pairs of @list (tenvirtd.conf key @listName) into rules on
 * @subjectKey, by writing each as a rule line and parsing that. */
static void
virAccessPolicyParseInline(virAccessPolicyParser *p, char *const *list,
                           const char *listName, const char *subjectKey,
                           const char *subjectWhat, const char *configFile)
{
    const char *file = virAccessPolicyIntern(p->policy, configFile);
    size_t n = virStringListLength(list);
    size_t i;

    if (n % 2) {
        virAccessPolicyParserError(p, configFile,
                                   "odd number of entries in %s (expected pairs of %s and domain selector)",
                                   listName, subjectWhat);
        return;
    }
    for (i = 0; i < n / 2; i++) {
        const char *subject = list[2 * i];
        const char *sel = list[2 * i + 1];
        virBuffer buf = VIR_BUFFER_INITIALIZER;
        virAccessPolicyLine line;

        VIR_AUTOFREE(char *) location = NULL;
        VIR_AUTOFREE(char *) text = NULL;

        line.file = file;
        line.line = 0;
        location = configFile ? virPrintf("%s:%s[%zu]", configFile, listName, i)
                              : virPrintf("%s[%zu]", listName, i);
        line.location = location;
        if (!*subject) {
            virAccessPolicyParserError(p, location, "empty %s", subjectWhat);
            continue;
        }
        virBufferAsprintf(&buf, "allow %s=", subjectKey);
        virAccessPolicyQuote(&buf, subject);
        if (STREQ(sel, "*")) {
            virBufferAddLit(&buf, " perms=*");
        } else if (STRPREFIX(sel, "name:") || STRPREFIX(sel, "uuid:")) {
            virBufferAddLit(&buf, " domain=");
            virAccessPolicyQuote(&buf, sel);
            virBufferAddLit(&buf, " perms=" VIR_ACCESS_POLICY_INLINE_PERMS);
        } else {
            virAccessPolicyParserError(p, location,
                                       "invalid selector '%s' (expected name:GLOB, uuid:UUID or *)",
                                       sel);
            virBufferFreeAndReset(&buf);
            continue;
        }
        text = virBufferContentAndReset(&buf);
        line.location = virAccessPolicyStrdup(p->policy, location);
        line.text = virAccessPolicyStrdup(p->policy, text);
        virAccessPolicyParseLine(p, &line);
    }
}

/* ---- the whole pipeline ------------------------------------------------ */

static char *
virAccessPolicyReadFile(const char *path, size_t *len)
{
    FILE *fp;
    struct stat sb;
    char *data = NULL;
    size_t alloc;
    size_t used = 0;

    if (!(fp = fopen(path, "re"))) {
        virReportSystemError(errno, "cannot open policy file '%s'", path);
        return NULL;
    }
    /* Sized from fstat so a large policy is read in one go; the loop
     * still copes with files that change size or are not regular. */
    alloc = fstat(fileno(fp), &sb) == 0 && sb.st_size > 0 ? (size_t)sb.st_size + 2 : 65536;
    data = virAllocN(alloc, 1);
    for (;;) {
        size_t got;

        if (alloc - used < 2) {
            alloc *= 2;
            VIR_REALLOC_N(data, alloc);
        }
        got = fread(data + used, 1, alloc - used - 1, fp);
        used += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        virReportSystemError(errno ? errno : EIO, "cannot read policy file '%s'", path);
        fclose(fp);
        free(data);
        return NULL;
    }
    fclose(fp);
    data[used] = '\0';
    *len = used;
    return data;
}

static void
virAccessPolicyParserClear(virAccessPolicyParser *p)
{
    size_t i;

    for (i = 0; i < p->nroles; i++)
        free(p->roles[i].name);
    free(p->roles);
    virAccessPolicyHashClear(&p->roleIndex);
    virBufferFreeAndReset(&p->errors);
}

static int
virAccessPolicyParseContent(virAccessPolicyParser *p, const char *content,
                            size_t len, const char *name)
{
    const char *file = virAccessPolicyIntern(p->policy, name);
    virAccessPolicyLine *lines = NULL;
    size_t nlines = 0;
    const char *nul;
    size_t i;

    if ((nul = memchr(content, '\0', len))) {
        unsigned int lineno = 1;
        const char *q;

        for (q = content; q < nul; q++)
            lineno += *q == '\n';
        virAccessPolicyParserError(p, NULL, "%s:%u: NUL byte in the file (not a text file?)",
                                   name, lineno);
        return -1;
    }
    virAccessPolicyTokenize(p->policy, content, file, &lines, &nlines);
    virAccessPolicyReserveRules(p, nlines);
    for (i = 0; i < nlines; i++)
        virAccessPolicyParseLine(p, &lines[i]);
    free(lines);
    return 0;
}

virAccessPolicy *
virAccessPolicyLoad(const virAccessPolicySource *src)
{
    virAccessPolicyParser p;
    virAccessPolicy *policy;

    memset(&p, 0, sizeof(p));
    VIR_ALLOC(p.policy);
    policy = p.policy;

    if (src->content) {
        const char *name = src->path ? src->path : "(policy)";

        virAccessPolicyParseContent(&p, src->content, strlen(src->content), name);
    } else if (src->path) {
        VIR_AUTOFREE(char *) data = NULL;
        size_t len = 0;

        if (!(data = virAccessPolicyReadFile(src->path, &len)))
            goto error;
        virAccessPolicyParseContent(&p, data, len, src->path);
    }
    virAccessPolicyParseInline(&p, src->tlsRestrictDN, "tls_restrict_dn", "dn",
                               "DN pattern", src->configFile);
    virAccessPolicyParseInline(&p, src->saslRestrictUsername, "sasl_restrict_username",
                               "sasl", "user name pattern", src->configFile);

    if (p.nerrors) {
        if (p.nerrors > VIR_ACCESS_POLICY_MAX_ERRORS)
            virBufferAsprintf(&p.errors, "\n... and %zu more errors",
                              p.nerrors - VIR_ACCESS_POLICY_MAX_ERRORS);
        virReportError(VIR_ERR_CONF_SYNTAX, "%s", virBufferCurrentContent(&p.errors));
        goto error;
    }

    policy->nroles = p.nroles;
    if (policy->nrules && policy->nrules < p.rulesAlloc)
        VIR_REALLOC_N(policy->rules, policy->nrules);
    virAccessPolicyBuildIndex(policy);
    virAccessPolicyParserClear(&p);
    return policy;

 error:
    virAccessPolicyParserClear(&p);
    virAccessPolicyFree(policy);
    return NULL;
}

virAccessPolicy *
virAccessPolicyParseFile(const char *path)
{
    virAccessPolicySource src = { .path = path };

    return virAccessPolicyLoad(&src);
}

virAccessPolicy *
virAccessPolicyParseString(const char *content, const char *name)
{
    virAccessPolicySource src = { .path = name, .content = content };

    return virAccessPolicyLoad(&src);
}
