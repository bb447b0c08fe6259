/*
 * viraccesspolicy.h: the dnpolicy rule table: parse once, decide many times.
 *
 * One parser and one evaluator serve the dnpolicy access driver,
 * `tenvirt-acl lint|explain` and the tests, so all three agree on what a
 * policy means. The language is documented at the top of
 * viraccesspolicyparse.c and in docs/acl.html.
 *
 * A loaded policy is immutable: any number of threads may call
 * virAccessPolicyDecide on it at once without locking. Reloading means
 * loading a new policy and swapping pointers (the access manager does that
 * by rebuilding its driver stack).
 */
#ifndef TENVIRT_VIRACCESSPOLICY_H
#define TENVIRT_VIRACCESSPOLICY_H

#include "internal.h"
#include "viraccessdriver.h"

typedef struct _virAccessPolicy virAccessPolicy;
typedef struct _virAccessPolicyRule virAccessPolicyRule;

/* Where the rules come from. Every field may be NULL, but at least one of
 * @path / @content / a non-empty inline list should be given (an empty
 * policy denies everything). */
typedef struct {
    const char *path;                   /* rule file to read */
    const char *content;                /* or its text; @path then only names it in messages */
    char *const *tlsRestrictDN;         /* tenvirtd.conf tls_restrict_dn: DN, selector, ... */
    char *const *saslRestrictUsername;  /* sasl_restrict_username: user glob, selector, ... */
    const char *configFile;             /* where the inline lists come from, for messages */
} virAccessPolicySource;

/* Parse everything @src names: the file's rules first, then the inline
 * tls_restrict_dn rules, then sasl_restrict_username. Returns a new policy
 * (free with virAccessPolicyFree), or NULL with one error reported:
 * VIR_ERR_CONF_SYNTAX listing every bad line as "FILE:LINE: message"
 * (joined by '\n'; each is also logged), or a system error if the file
 * cannot be read. Nothing is returned unless every line parsed. */
virAccessPolicy *virAccessPolicyLoad(const virAccessPolicySource *src);
/* Shorthands for virAccessPolicyLoad with only a file, or only a text
 * (@name stands for the file name in messages and rule locations). */
virAccessPolicy *virAccessPolicyParseFile(const char *path);
virAccessPolicy *virAccessPolicyParseString(const char *content, const char *name);
/* Free @policy and its rules. NULL is a no-op. Only once no thread is
 * still deciding with it. */
void virAccessPolicyFree(virAccessPolicy *policy);

/* Decide whether @id may use @perm on @obj: the first rule (in file
 * order, inline rules last) whose subject keys match @id, whose perms
 * contain @perm and, for a domain, whose domain= selectors match it.
 * Returns 1 (an allow rule matched), 0 (a deny rule matched, or no rule:
 * then *@rule is NULL), or -1 with an error reported if the request is
 * malformed (@perm not of @obj's type, a domain object without a
 * definition). @rule may be NULL; the rule it receives is borrowed from
 * @policy. Lock-free and thread-safe; allocates nothing in the common case. */
int virAccessPolicyDecide(const virAccessPolicy *policy, const virIdentity *id,
                          const virAccessObject *obj, virAccessPerm perm,
                          const virAccessPolicyRule **rule);

/* Deciding one domain permission for one identity on many domains (a
 * list): the identity's candidate rules are found once. */
typedef struct _virAccessPolicyDomainList virAccessPolicyDomainList;

/* Prepare deciding domain permission @perm for @id on any number of
 * domains. The candidates are the rules that match @id and @perm,
 * whatever their domain=, in order, up to the first one without domain=
 * (it matches every domain, so nothing after it can decide). Returns
 *   VIR_ACCESS_LIST_DENY_ALL / VIR_ACCESS_LIST_ALLOW_ALL when that first
 *     candidate has no domain= (*@rule: it), or there is none (deny,
 *     *@rule NULL: no rule matched whatever the domain);
 *   VIR_ACCESS_LIST_PER_DOMAIN with *@list set: decide each domain with
 *     virAccessPolicyDomainListDecide, then free *@list;
 *   -1 with an error reported if @perm is not a domain permission.
 * Every answer equals virAccessPolicyDecide's for every domain. @policy
 * must outlive *@list. */
int virAccessPolicyPrepareDomainList(const virAccessPolicy *policy, const virIdentity *id,
                                     virAccessPerm perm, const virAccessPolicyRule **rule,
                                     virAccessPolicyDomainList **list);
/* virAccessPolicyDecide for domain @def with @list's identity and
 * permission: only the candidates' domain= selectors are evaluated. */
int virAccessPolicyDomainListDecide(const virAccessPolicyDomainList *list,
                                    const virDomainDef *def, const virAccessPolicyRule **rule);
void virAccessPolicyDomainListFree(virAccessPolicyDomainList *list);

/* Rules (inline ones included) and roles of @policy. */
size_t virAccessPolicyRuleCount(const virAccessPolicy *policy);
size_t virAccessPolicyRoleCount(const virAccessPolicy *policy);
/* Rule number @i (0-based, in evaluation order), borrowed; NULL if out of range. */
const virAccessPolicyRule *virAccessPolicyGetRule(const virAccessPolicy *policy, size_t i);

/* Accessors of a rule; strings are borrowed from the policy. */
bool virAccessPolicyRuleIsAllow(const virAccessPolicyRule *rule);
/* "FILE:LINE", or "CONFIGFILE:tls_restrict_dn[N]" for inline rule N
 * (0-based pair index; just "tls_restrict_dn[N]" without a config file). */
const char *virAccessPolicyRuleGetLocation(const virAccessPolicyRule *rule);
/* The file the rule is in (the config file for inline rules; may be NULL). */
const char *virAccessPolicyRuleGetFile(const virAccessPolicyRule *rule);
/* Its first line in that file; 0 for inline rules. */
unsigned int virAccessPolicyRuleGetLine(const virAccessPolicyRule *rule);
/* The rule as written (comment removed, continuation lines joined); for
 * inline rules the equivalent rule-file line. */
const char *virAccessPolicyRuleGetText(const virAccessPolicyRule *rule);

#endif /* TENVIRT_VIRACCESSPOLICY_H */
