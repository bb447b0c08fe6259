/*
 * viraccesspolicypriv.h: the inside of a dnpolicy policy, shared by the
 * parser (viraccesspolicyparse.c) and the evaluator (viraccesspolicy.c).
 * Nothing else includes this file.
 */
#ifndef TENVIRT_VIRACCESSPOLICYPRIV_H
#define TENVIRT_VIRACCESSPOLICYPRIV_H

#include "viraccesspolicy.h"
#include "virx509dn.h"

/* A string-keyed hash table mapping each key to the ordered list of rule
 * indexes that carry it. Open addressing, linear probing. Keys are
 * borrowed (from the rules, which live as long as the table) and most
 * keys have one rule, kept inline: 100,000 rules cost no extra allocation. */
typedef struct {
    const char *key;    /* NULL: free slot */
    uint32_t hash;
    uint32_t nidx;
    union {
        uint32_t one;   /* nidx == 1 */
        uint32_t *many; /* nidx > 1, ascending */
    } idx;
} virAccessPolicyHashEntry;

typedef struct {
    virAccessPolicyHashEntry *slots;
    size_t nslots;      /* 0 or a power of two */
    size_t used;
} virAccessPolicyHash;

/* Append @idx to @key's list (indexes must be added in ascending order).
 * @key must outlive @h. */
void virAccessPolicyHashAdd(virAccessPolicyHash *h, const char *key, uint32_t idx);
/* @key's entry, or NULL. */
const virAccessPolicyHashEntry *virAccessPolicyHashLookup(const virAccessPolicyHash *h,
                                                          const char *key);
/* The rule indexes of @e. */
static inline const uint32_t *
virAccessPolicyHashEntryIdx(const virAccessPolicyHashEntry *e)
{
    return e->nidx == 1 ? &e->idx.one : e->idx.many;
}
void virAccessPolicyHashClear(virAccessPolicyHash *h);

/* Glob DN rules are indexed by "shape": their attribute names, which of
 * them are globs, and how many literal characters each glob starts with
 * (at most VIR_ACCESS_POLICY_DN_PREFIX_MAX). For a shape, a rule's key
 * and a subject's key are built the same way (exact values in full, glob
 * positions reduced to that prefix), so only the rules of the subject's
 * own bucket need an fnmatch. Policies have a handful of shapes. */
#define VIR_ACCESS_POLICY_DN_PREFIX_MAX 8
#define VIR_ACCESS_POLICY_DN_MAX_ATTRS 32

typedef struct {
    size_t nattrs;
    char **names;           /* borrowed from the first rule of this shape */
    size_t *prefixLen;      /* per attribute; SIZE_MAX for exact values */
    uint32_t firstRule;     /* no rule of this shape comes earlier */
} virAccessPolicyDNShape;

/* A rule. Its strings and arrays live in the policy's arena (see
 * virAccessPolicyAlloc); only dnPattern is malloc'ed (by virx509dn). */
struct _virAccessPolicyRule {
    const char *file;       /* the policy's copy of the file name; may be NULL */
    const char *location;   /* "FILE:LINE" or "CONF:tls_restrict_dn[N]" */
    const char *text;
    unsigned int line;      /* 0 for inline rules */
    unsigned int keys;      /* bit i: key i of the parser's key table given */
    virAccessPermSet perms;

    /* Subject keys: NULL / false / 0 / -1 when absent. */
    const char *dn;         /* exact DN, normal form */
    virX509DN dnPattern;    /* DN with glob values (nattrs 0 if none) */
    const char *dnShapeKey; /* its key in the policy's dnGlob table */
    const char *sasl;
    const char *unixUser;
    const char *unixGroup;
    uint8_t transports;     /* bit per virIdentityTransport; 0: any */
    int8_t readonly;        /* -1: any, else 0 / 1 */
    bool deny;
    bool dnAny;             /* dn=* */
    bool saslGlob;
    bool unixUserGlob;
    bool unixGroupGlob;

    /* Object keys, for domains; domainAny when domain= is absent or has '*'. */
    bool domainAny;
    uint32_t ndomainNames;
    uint32_t ndomainGlobs;
    uint32_t ndomainUUIDs;
    uint32_t firstGlobPrefix;       /* N if domainGlobs[0] is N literal chars then '*',
                                     * else UINT32_MAX (fits in padding: no memory) */
    const char **domainNames;       /* exact names, sorted (bsearch) */
    const char **domainGlobs;
    unsigned char *domainUUIDs;     /* VIR_UUID_BUFLEN bytes each, sorted */
};
VIR_STATIC_ASSERT(VIR_IDENTITY_TRANSPORT_LAST <= 8, "transports is a uint8_t bitmap");

/* Memory for the rules' strings and arrays, handed out from large chunks
 * and freed all at once: a 100,000-rule policy would otherwise make half
 * a million small allocations, with their overhead and their page faults. */
typedef struct _virAccessPolicyChunk virAccessPolicyChunk;
struct _virAccessPolicyChunk {
    virAccessPolicyChunk *next;
    size_t used;
    size_t size;
    char data[];
};

struct _virAccessPolicy {
    virAccessPolicyChunk *arena;
    virAccessPolicyRule *rules;     /* in evaluation order */
    size_t nrules;
    size_t nroles;
    char **files;                   /* file names the rules point to */
    size_t nfiles;

    /* The index (virAccessPolicyBuildIndex): each rule is in exactly one
     * of these, chosen by its most selective subject key. */
    virAccessPolicyHash dnExact;
    virAccessPolicyHash saslExact;
    virAccessPolicyHash unixUserExact;
    virAccessPolicyHash unixGroupExact;
    virAccessPolicyHash dnGlob;
    virAccessPolicyDNShape *shapes;
    size_t nshapes;
    uint32_t *generic;              /* everything else, scanned in order */
    size_t ngeneric;
};

/* @size zeroed bytes (8-byte aligned) from @policy's arena; they live as
 * long as the policy. */
void *virAccessPolicyAlloc(virAccessPolicy *policy, size_t size);
/* Copies of a string / of @n bytes of it, NUL terminated, in the arena. */
char *virAccessPolicyStrdup(virAccessPolicy *policy, const char *s);
char *virAccessPolicyStrndup(virAccessPolicy *policy, const char *s, size_t n);

/* Build the index of @policy once all its rules are parsed. */
void virAccessPolicyBuildIndex(virAccessPolicy *policy);
/* Free what @rule holds outside the arena (not @rule itself). */
void virAccessPolicyRuleClear(virAccessPolicyRule *rule);

#endif /* TENVIRT_VIRACCESSPOLICYPRIV_H */
