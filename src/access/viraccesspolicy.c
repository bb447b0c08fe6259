/*
 * viraccesspolicy.c: evaluating a dnpolicy rule table.
 *
 * A decision must stay well under a microsecond with 100,000 rules, so
 * rules are not scanned one by one. Each rule is filed under its most
 * selective subject key (exact DN, exact SASL user, exact UNIX user, glob
 * DN shape, exact UNIX group; the rest are "generic"). For a request we
 * fetch the identity's few candidate lists, each already in rule order,
 * find the first matching rule of each list and keep the earliest: that
 * is exactly "first matching rule of the whole table wins", because a
 * rule that matches the identity is always in one of its lists.
 */
#include <config.h>

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "viraccesspolicypriv.h"
#include "viralloc.h"
#include "virerror.h"
#include "virstring.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

/* ---- hash table ------------------------------------------------------- */

static uint32_t
virAccessPolicyHashString(const char *s)
{
    uint32_t h = 2166136261u;      /* FNV-1a */

    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 16777619u;
    }
    return h;
}

static virAccessPolicyHashEntry *
virAccessPolicyHashFind(virAccessPolicyHashEntry *slots, size_t nslots,
                        const char *key, uint32_t hash)
{
    size_t mask = nslots - 1;
    size_t pos = hash & mask;

    while (slots[pos].key) {
        if (slots[pos].hash == hash && STREQ(slots[pos].key, key))
            return &slots[pos];
        pos = (pos + 1) & mask;
    }
    return &slots[pos];
}

static void
virAccessPolicyHashGrow(virAccessPolicyHash *h)
{
    size_t nslots = h->nslots ? h->nslots * 2 : 64;
    virAccessPolicyHashEntry *slots;
    size_t i;

    VIR_ALLOC_N(slots, nslots);
    for (i = 0; i < h->nslots; i++) {
        if (h->slots[i].key)
            *virAccessPolicyHashFind(slots, nslots, h->slots[i].key, h->slots[i].hash) = h->slots[i];
    }
    free(h->slots);
    h->slots = slots;
    h->nslots = nslots;
}

void
virAccessPolicyHashAdd(virAccessPolicyHash *h, const char *key, uint32_t idx)
{
    uint32_t hash = virAccessPolicyHashString(key);
    virAccessPolicyHashEntry *e;

    if ((h->used + 1) * 4 > h->nslots * 3)
        virAccessPolicyHashGrow(h);
    e = virAccessPolicyHashFind(h->slots, h->nslots, key, hash);
    if (!e->key) {
        e->key = key;
        e->hash = hash;
        e->nidx = 1;
        e->idx.one = idx;
        h->used++;
        return;
    }
    if (e->nidx == 1) {
        uint32_t first = e->idx.one;

        VIR_ALLOC_N(e->idx.many, 2);
        e->idx.many[0] = first;
    } else if ((e->nidx & (e->nidx - 1)) == 0) {
        /* Grow by doubling so long lists stay linear to build. */
        VIR_REALLOC_N(e->idx.many, e->nidx * 2);
    }
    e->idx.many[e->nidx++] = idx;
}

const virAccessPolicyHashEntry *
virAccessPolicyHashLookup(const virAccessPolicyHash *h, const char *key)
{
    const virAccessPolicyHashEntry *e;

    if (!h->used || !key)
        return NULL;
    e = virAccessPolicyHashFind(h->slots, h->nslots, key, virAccessPolicyHashString(key));
    return e->key ? e : NULL;
}

void
virAccessPolicyHashClear(virAccessPolicyHash *h)
{
    size_t i;

    for (i = 0; i < h->nslots; i++) {
        if (h->slots[i].nidx > 1)
            free(h->slots[i].idx.many);
    }
    VIR_FREE(h->slots);
    h->nslots = h->used = 0;
}

/* ---- arena ----------------------------------------------------------- */

#define VIR_ACCESS_POLICY_CHUNK_SIZE (256 * 1024)

void *
virAccessPolicyAlloc(virAccessPolicy *policy, size_t size)
{
    virAccessPolicyChunk *c = policy->arena;
    void *ret;

    size = (size + 7) & ~(size_t)7;
    if (!c || c->size - c->used < size) {
        size_t chunk = size > VIR_ACCESS_POLICY_CHUNK_SIZE / 4 ? size : VIR_ACCESS_POLICY_CHUNK_SIZE;

        c = virAllocN(1, sizeof(*c) + chunk);
        c->size = chunk;
        if (policy->arena && chunk != VIR_ACCESS_POLICY_CHUNK_SIZE) {
            /* A big one-off: keep filling the current chunk afterwards. */
            c->next = policy->arena->next;
            policy->arena->next = c;
        } else {
            c->next = policy->arena;
            policy->arena = c;
        }
    }
    ret = c->data + c->used;
    c->used += size;
    return ret;
}

char *
virAccessPolicyStrndup(virAccessPolicy *policy, const char *s, size_t n)
{
    char *ret = virAccessPolicyAlloc(policy, n + 1);

    memcpy(ret, s, n);
    return ret;     /* already NUL terminated: arena memory is zeroed */
}

char *
virAccessPolicyStrdup(virAccessPolicy *policy, const char *s)
{
    return s ? virAccessPolicyStrndup(policy, s, strlen(s)) : NULL;
}

/* ---- glob DN shapes ---------------------------------------------------- */

static size_t
virAccessPolicyGlobPrefix(const char *glob)
{
    size_t n = strcspn(glob, "*?[\\");

    return n < VIR_ACCESS_POLICY_DN_PREFIX_MAX ? n : VIR_ACCESS_POLICY_DN_PREFIX_MAX;
}

/* Does a DN with these attributes belong to @shape at all? */
static bool
virAccessPolicyShapeFits(const virAccessPolicyDNShape *shape,
                         const virX509DNAttr *attrs, size_t nattrs)
{
    size_t i;

    if (shape->nattrs != nattrs)
        return false;
    for (i = 0; i < nattrs; i++) {
        if (STRNEQ(shape->names[i], attrs[i].name))
            return false;
        if (shape->prefixLen[i] != SIZE_MAX && strlen(attrs[i].value) < shape->prefixLen[i])
            return false;
    }
    return true;
}

/* The bucket key of @attrs under @shape: NAME=VALUE per attribute, with
 * glob positions cut to their prefix and marked by \x01, each ended by
 * \x02. Writes at most @len bytes into @out; returns the length needed
 * (including the NUL). */
static size_t
virAccessPolicyShapeKey(const virAccessPolicyDNShape *shape,
                        const virX509DNAttr *attrs, char *out, size_t len)
{
    size_t need = 1;
    size_t i;

#define VIR_ACCESS_POLICY_KEY_PUT(src, n) \
    do { \
        if (need - 1 + (n) < len) \
            memcpy(out + need - 1, (src), (n)); \
        need += (n); \
    } while (0)

    for (i = 0; i < shape->nattrs; i++) {
        VIR_ACCESS_POLICY_KEY_PUT(attrs[i].name, strlen(attrs[i].name));
        VIR_ACCESS_POLICY_KEY_PUT("=", 1);
        if (shape->prefixLen[i] == SIZE_MAX) {
            VIR_ACCESS_POLICY_KEY_PUT(attrs[i].value, strlen(attrs[i].value));
        } else {
            VIR_ACCESS_POLICY_KEY_PUT("\x01", 1);
            VIR_ACCESS_POLICY_KEY_PUT(attrs[i].value, shape->prefixLen[i]);
        }
        VIR_ACCESS_POLICY_KEY_PUT("\x02", 1);
    }
#undef VIR_ACCESS_POLICY_KEY_PUT
    if (need <= len)
        out[need - 1] = '\0';
    return need;
}

static size_t
virAccessPolicyShapeFor(virAccessPolicy *policy, const virX509DN *pattern, uint32_t rule)
{
    VIR_AUTOFREE(size_t *) prefixLen = NULL;
    virAccessPolicyDNShape shape;
    size_t i, j;

    VIR_ALLOC_N(prefixLen, pattern->nattrs);
    for (i = 0; i < pattern->nattrs; i++) {
        const char *v = pattern->attrs[i].value;

        prefixLen[i] = strpbrk(v, "*?[\\") ? virAccessPolicyGlobPrefix(v) : SIZE_MAX;
    }
    for (i = 0; i < policy->nshapes; i++) {
        const virAccessPolicyDNShape *s = &policy->shapes[i];

        if (s->nattrs != pattern->nattrs)
            continue;
        for (j = 0; j < s->nattrs; j++) {
            if (s->prefixLen[j] != prefixLen[j] ||
                STRNEQ(s->names[j], pattern->attrs[j].name))
                break;
        }
        if (j == s->nattrs)
            return i;
    }
    shape.nattrs = pattern->nattrs;
    VIR_ALLOC_N(shape.names, shape.nattrs);
    for (i = 0; i < shape.nattrs; i++)
        shape.names[i] = pattern->attrs[i].name;
    shape.prefixLen = prefixLen;
    shape.firstRule = rule;     /* rules are filed in order */
    prefixLen = NULL;
    VIR_APPEND_ELEMENT(policy->shapes, policy->nshapes, shape);
    return policy->nshapes - 1;
}

/* ---- the index --------------------------------------------------------- */

void
virAccessPolicyBuildIndex(virAccessPolicy *policy)
{
    size_t ngenericAlloc = 0;
    uint32_t i;

    for (i = 0; i < policy->nrules; i++) {
        virAccessPolicyRule *r = &policy->rules[i];

        if (r->dn) {
            virAccessPolicyHashAdd(&policy->dnExact, r->dn, i);
        } else if (r->sasl && !r->saslGlob) {
            virAccessPolicyHashAdd(&policy->saslExact, r->sasl, i);
        } else if (r->unixUser && !r->unixUserGlob) {
            virAccessPolicyHashAdd(&policy->unixUserExact, r->unixUser, i);
        } else if (r->dnPattern.nattrs &&
                   r->dnPattern.nattrs <= VIR_ACCESS_POLICY_DN_MAX_ATTRS) {
            /* Find the shape first: adding one moves the shapes array. */
            size_t shapeIdx = virAccessPolicyShapeFor(policy, &r->dnPattern, i);
            const virAccessPolicyDNShape *shape = &policy->shapes[shapeIdx];
            size_t len = virAccessPolicyShapeKey(shape, r->dnPattern.attrs, NULL, 0);

            char *key = virAccessPolicyAlloc(policy, len);

            virAccessPolicyShapeKey(shape, r->dnPattern.attrs, key, len);
            r->dnShapeKey = key;
            virAccessPolicyHashAdd(&policy->dnGlob, key, i);
        } else if (r->unixGroup && !r->unixGroupGlob) {
            virAccessPolicyHashAdd(&policy->unixGroupExact, r->unixGroup, i);
        } else {
            if (policy->ngeneric == ngenericAlloc) {
                ngenericAlloc = ngenericAlloc ? ngenericAlloc * 2 : 16;
                VIR_REALLOC_N(policy->generic, ngenericAlloc);
            }
            policy->generic[policy->ngeneric++] = i;
        }
    }
}

/* ---- evaluation ------------------------------------------------------- */

/* Rule indexes collected without allocating, for the usual few. */
#define VIR_ACCESS_POLICY_FOUND_INLINE 16

/* What the rules look at, gathered once per decision (or once per list),
 * and the search in progress. */
typedef struct {
    const char *dn;                 /* normal form, or NULL */
    const char *sasl;
    const char *unixUser;
    char *const *groups;
    virIdentityTransport transport;
    bool readonly;

    virAccessPerm perm;
    const virDomainDef *domain;     /* the domain asked about; NULL for connect */
    size_t best;                    /* rules from this index on cannot win */

    /* Collecting for a list (virAccessPolicyPrepareDomainList): every rule
     * that matches the subject and the permission, whatever its domain=,
     * up to the first one that covers every domain. */
    bool collect;
    uint32_t *found;
    size_t nfound;
    size_t nfoundAlloc;
    uint32_t foundInline[VIR_ACCESS_POLICY_FOUND_INLINE];

    /* The DN split into attributes, on demand (only glob rules need it). */
    int dnState;                    /* 0 not yet, 1 split, -1 unusable */
    virX509DN dnSplit;
    virX509DN dnHeap;               /* when it does not fit below */
    virX509DNAttr attrs[VIR_ACCESS_POLICY_DN_MAX_ATTRS];
    char buf[1024];
} virAccessPolicyContext;

static void
virAccessPolicyContextInit(virAccessPolicyContext *ctx, const virIdentity *id,
                           virAccessPerm perm)
{
    ctx->dn = virIdentityGetX509DNameNormalized(id);
    ctx->sasl = virIdentityGetSASLUserName(id);
    ctx->unixUser = virIdentityGetUNIXUserName(id);
    ctx->groups = virIdentityGetUNIXGroupNames(id);
    ctx->transport = virIdentityGetTransport(id);
    ctx->readonly = virIdentityGetReadOnly(id);
    ctx->perm = perm;
    ctx->domain = NULL;
    ctx->best = SIZE_MAX;
    ctx->collect = false;
    ctx->found = NULL;
    ctx->nfound = ctx->nfoundAlloc = 0;
    ctx->dnState = ctx->dn ? 0 : -1;
    ctx->dnHeap.attrs = NULL;
    ctx->dnHeap.nattrs = 0;
}

static void
virAccessPolicyContextClear(virAccessPolicyContext *ctx)
{
    virX509DNClear(&ctx->dnHeap);
    if (ctx->found != ctx->foundInline)
        free(ctx->found);
    ctx->found = NULL;
}

static void
virAccessPolicyContextCollect(virAccessPolicyContext *ctx, uint32_t idx)
{
    if (!ctx->found) {
        ctx->found = ctx->foundInline;
        ctx->nfoundAlloc = G_N_ELEMENTS(ctx->foundInline);
    }
    if (ctx->nfound == ctx->nfoundAlloc) {
        uint32_t *grown = virAllocN(ctx->nfoundAlloc * 2, sizeof(*grown));

        memcpy(grown, ctx->found, ctx->nfound * sizeof(*grown));
        if (ctx->found != ctx->foundInline)
            free(ctx->found);
        ctx->found = grown;
        ctx->nfoundAlloc *= 2;
    }
    ctx->found[ctx->nfound++] = idx;
}

static const virX509DN *
virAccessPolicyContextDN(virAccessPolicyContext *ctx)
{
    if (ctx->dnState == 0) {
        int n = virX509DNSplitNormal(ctx->dn, ctx->buf, sizeof(ctx->buf),
                                     ctx->attrs, G_N_ELEMENTS(ctx->attrs));

        ctx->dnState = 1;
        if (n >= 0) {
            ctx->dnSplit.attrs = ctx->attrs;
            ctx->dnSplit.nattrs = n;
        } else {
            char *err = NULL;

            /* A very long DN: the slow path, still exact. */
            if (virX509DNParse(ctx->dn, &ctx->dnHeap, &err) < 0) {
                free(err);
                ctx->dnState = -1;
            }
            ctx->dnSplit = ctx->dnHeap;
        }
    }
    return ctx->dnState > 0 ? &ctx->dnSplit : NULL;
}

static bool
virAccessPolicyStrMatch(const char *pattern, bool glob, const char *s)
{
    if (!s)
        return false;
    return glob ? fnmatch(pattern, s, 0) == 0 : STREQ(pattern, s);
}

static int
virAccessPolicyCompareStr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
virAccessPolicyCompareUUID(const void *a, const void *b)
{
    return memcmp(a, b, VIR_UUID_BUFLEN);
}

static int
virAccessPolicyCompareIndex(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

static bool
virAccessPolicyRuleMatchesDomain(const virAccessPolicyRule *r, const virDomainDef *def)
{
    size_t i;

    if (r->domainAny)
        return true;
    if (r->ndomainUUIDs &&
        bsearch(def->uuid, r->domainUUIDs, r->ndomainUUIDs, VIR_UUID_BUFLEN,
                virAccessPolicyCompareUUID))
        return true;
    if (!def->name)
        return false;
    if (r->ndomainNames &&
        bsearch(&def->name, r->domainNames, r->ndomainNames, sizeof(char *),
                virAccessPolicyCompareStr))
        return true;
    for (i = 0; i < r->ndomainGlobs; i++) {
        if ((i == 0 && r->firstGlobPrefix != UINT32_MAX)
            ? strncmp(r->domainGlobs[0], def->name, r->firstGlobPrefix) == 0
            : fnmatch(r->domainGlobs[i], def->name, 0) == 0)
            return true;
    }
    return false;
}

/* Subject keys already known to hold because of the index list a rule
 * was found in: the lookup compared them. */
typedef enum {
    VIR_ACCESS_POLICY_VERIFIED_DN = 1 << 0,
    VIR_ACCESS_POLICY_VERIFIED_SASL = 1 << 1,
    VIR_ACCESS_POLICY_VERIFIED_UNIX_USER = 1 << 2,
} virAccessPolicyVerified;

/* @r's perms contain the request's and every subject key of @r holds.
 * Cheap tests first. */
static bool
virAccessPolicyRuleMatchesSubject(const virAccessPolicyRule *r, virAccessPolicyContext *ctx,
                                  unsigned int verified)
{
    if (!virAccessPermSetHas(&r->perms, ctx->perm))
        return false;
    if (r->transports && !(r->transports & (1u << ctx->transport)))
        return false;
    if (r->readonly >= 0 && r->readonly != ctx->readonly)
        return false;
    if ((r->dnAny || r->dn || r->dnPattern.nattrs) && !ctx->dn)
        return false;
    if (r->dn && !(verified & VIR_ACCESS_POLICY_VERIFIED_DN) && STRNEQ(r->dn, ctx->dn))
        return false;
    if (r->dnPattern.nattrs) {
        const virX509DN *subject = virAccessPolicyContextDN(ctx);

        if (!subject || !virX509DNMatch(&r->dnPattern, subject))
            return false;
    }
    if (r->sasl && !(verified & VIR_ACCESS_POLICY_VERIFIED_SASL) &&
        !virAccessPolicyStrMatch(r->sasl, r->saslGlob, ctx->sasl))
        return false;
    if (r->unixUser && !(verified & VIR_ACCESS_POLICY_VERIFIED_UNIX_USER) &&
        !virAccessPolicyStrMatch(r->unixUser, r->unixUserGlob, ctx->unixUser))
        return false;
    if (r->unixGroup) {
        char *const *g;

        for (g = ctx->groups; g && *g; g++) {
            if (virAccessPolicyStrMatch(r->unixGroup, r->unixGroupGlob, *g))
                break;
        }
        if (!g || !*g)
            return false;
    }
    return true;
}

/* Lower ctx->best to the first rule of @idx (ascending) that matches; when
 * collecting, also collect every rule before it that matches the subject. */
static void
virAccessPolicyScan(const virAccessPolicy *policy, const uint32_t *idx, size_t n,
                    virAccessPolicyContext *ctx, unsigned int verified)
{
    size_t i;

    for (i = 0; i < n && idx[i] < ctx->best; i++) {
        const virAccessPolicyRule *r = &policy->rules[idx[i]];

        if (!virAccessPolicyRuleMatchesSubject(r, ctx, verified))
            continue;
        if (ctx->collect) {
            virAccessPolicyContextCollect(ctx, idx[i]);
            if (!r->domainAny)
                continue;       /* it decides some domains; later rules the others */
        } else if (ctx->domain && !virAccessPolicyRuleMatchesDomain(r, ctx->domain)) {
            /* Connect permissions of a rule apply whatever its domain= says. */
            continue;
        }
        ctx->best = idx[i];
        return;
    }
}

static void
virAccessPolicyScanEntry(const virAccessPolicy *policy, const virAccessPolicyHashEntry *e,
                         virAccessPolicyContext *ctx, unsigned int verified)
{
    if (e)
        virAccessPolicyScan(policy, virAccessPolicyHashEntryIdx(e), e->nidx, ctx, verified);
}

static void
virAccessPolicyScanDNGlobs(const virAccessPolicy *policy, virAccessPolicyContext *ctx)
{
    const virX509DN *dn = NULL;
    char stackKey[1024];
    size_t i;

    for (i = 0; i < policy->nshapes; i++) {
        const virAccessPolicyDNShape *shape = &policy->shapes[i];
        VIR_AUTOFREE(char *) heapKey = NULL;
        char *key = stackKey;
        size_t len;

        /* An earlier rule already matched: this shape cannot beat it. */
        if (shape->firstRule >= ctx->best)
            continue;
        if (!dn && !(dn = virAccessPolicyContextDN(ctx)))
            return;
        if (!virAccessPolicyShapeFits(shape, dn->attrs, dn->nattrs))
            continue;
        len = virAccessPolicyShapeKey(shape, dn->attrs, stackKey, sizeof(stackKey));
        if (len > sizeof(stackKey)) {
            key = heapKey = virAllocN(len, 1);
            virAccessPolicyShapeKey(shape, dn->attrs, key, len);
        }
        virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->dnGlob, key),
                                 ctx, 0);
    }
}

/* Search every index list of the identity in @ctx. A rule that matches
 * the identity is always in one of them. */
static void
virAccessPolicySearch(const virAccessPolicy *policy, virAccessPolicyContext *ctx)
{
    char *const *g;

    virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->dnExact, ctx->dn),
                             ctx, VIR_ACCESS_POLICY_VERIFIED_DN);
    virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->saslExact, ctx->sasl),
                             ctx, VIR_ACCESS_POLICY_VERIFIED_SASL);
    virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->unixUserExact,
                                                               ctx->unixUser),
                             ctx, VIR_ACCESS_POLICY_VERIFIED_UNIX_USER);
    if (policy->nshapes && ctx->dn)
        virAccessPolicyScanDNGlobs(policy, ctx);
    for (g = ctx->groups; policy->unixGroupExact.used && g && *g; g++)
        virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->unixGroupExact, *g),
                                 ctx, 0);
    virAccessPolicyScan(policy, policy->generic, policy->ngeneric, ctx, 0);
}

static int
virAccessPolicyCheckPerm(virAccessObjectType type, virAccessPerm perm)
{
    if (perm >= VIR_ACCESS_PERM_LAST || type >= VIR_ACCESS_OBJECT_LAST ||
        virAccessPermObjectType(perm) != type) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "permission %d does not apply to %s objects", (int)perm,
                       NULLSTR(virAccessObjectTypeToString(type)));
        return -1;
    }
    return 0;
}

int
virAccessPolicyDecide(const virAccessPolicy *policy, const virIdentity *id,
                      const virAccessObject *obj, virAccessPerm perm,
                      const virAccessPolicyRule **rule)
{
    virAccessPolicyContext ctx;
    size_t best;

    if (rule)
        *rule = NULL;
    if (virAccessPolicyCheckPerm(obj->type, perm) < 0)
        return -1;
    if (obj->type == VIR_ACCESS_OBJECT_DOMAIN && !obj->u.domain) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "domain access check without a domain");
        return -1;
    }

    virAccessPolicyContextInit(&ctx, id, perm);
    if (obj->type == VIR_ACCESS_OBJECT_DOMAIN)
        ctx.domain = obj->u.domain;
    virAccessPolicySearch(policy, &ctx);
    best = ctx.best;
    virAccessPolicyContextClear(&ctx);

    if (best == SIZE_MAX)
        return 0;
    if (rule)
        *rule = &policy->rules[best];
    return policy->rules[best].deny ? 0 : 1;
}

/* ---- lists of domains -------------------------------------------------- */

struct _virAccessPolicyDomainList {
    const virAccessPolicy *policy;
    size_t nidx;
    uint32_t idx[];     /* the candidate rules, ascending */
};

int
virAccessPolicyPrepareDomainList(const virAccessPolicy *policy, const virIdentity *id,
                                 virAccessPerm perm, const virAccessPolicyRule **rule,
                                 virAccessPolicyDomainList **list)
{
    virAccessPolicyContext ctx;
    const virAccessPolicyRule *first;
    size_t n = 0;
    size_t i;
    int ret;

    *rule = NULL;
    *list = NULL;
    if (virAccessPolicyCheckPerm(VIR_ACCESS_OBJECT_DOMAIN, perm) < 0)
        return -1;

    virAccessPolicyContextInit(&ctx, id, perm);
    ctx.collect = true;
    virAccessPolicySearch(policy, &ctx);

    /* The lists were searched one after the other: put their rules in
     * file order, drop duplicates (a group named twice) and what comes
     * after the first rule that covers every domain. */
    if (ctx.nfound)
        qsort(ctx.found, ctx.nfound, sizeof(*ctx.found), virAccessPolicyCompareIndex);
    for (i = 0; i < ctx.nfound && ctx.found[i] <= ctx.best; i++) {
        if (n == 0 || ctx.found[n - 1] != ctx.found[i])
            ctx.found[n++] = ctx.found[i];
    }

    if (n == 0) {
        ret = VIR_ACCESS_LIST_DENY_ALL;             /* no rule matched, whatever the domain */
    } else if ((first = &policy->rules[ctx.found[0]])->domainAny) {
        *rule = first;                              /* it decides every domain */
        ret = first->deny ? VIR_ACCESS_LIST_DENY_ALL : VIR_ACCESS_LIST_ALLOW_ALL;
    } else {
        *list = virAllocN(1, sizeof(**list) + n * sizeof((*list)->idx[0]));
        (*list)->policy = policy;
        (*list)->nidx = n;
        memcpy((*list)->idx, ctx.found, n * sizeof((*list)->idx[0]));
        ret = VIR_ACCESS_LIST_PER_DOMAIN;
    }
    virAccessPolicyContextClear(&ctx);
    return ret;
}

int
virAccessPolicyDomainListDecide(const virAccessPolicyDomainList *list,
                                const virDomainDef *def, const virAccessPolicyRule **rule)
{
    size_t i;

    if (rule)
        *rule = NULL;
    if (!def) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "domain access check without a domain");
        return -1;
    }
    /* The identity and the permission were matched once, at prepare. */
    for (i = 0; i < list->nidx; i++) {
        const virAccessPolicyRule *r = &list->policy->rules[list->idx[i]];

        if (virAccessPolicyRuleMatchesDomain(r, def)) {
            if (rule)
                *rule = r;
            return r->deny ? 0 : 1;
        }
    }
    return 0;
}

void
virAccessPolicyDomainListFree(virAccessPolicyDomainList *list)
{
    free(list);
}

/* ---- accessors and lifetime ------------------------------------------- */

void
virAccessPolicyRuleClear(virAccessPolicyRule *rule)
{
    virX509DNClear(&rule->dnPattern);
    memset(rule, 0, sizeof(*rule));
}

void
virAccessPolicyFree(virAccessPolicy *policy)
{
    size_t i;

    if (!policy)
        return;
    for (i = 0; i < policy->nrules; i++)
        virAccessPolicyRuleClear(&policy->rules[i]);
    free(policy->rules);
    for (i = 0; i < policy->nfiles; i++)
        free(policy->files[i]);
    free(policy->files);
    virAccessPolicyHashClear(&policy->dnExact);
    virAccessPolicyHashClear(&policy->saslExact);
    virAccessPolicyHashClear(&policy->unixUserExact);
    virAccessPolicyHashClear(&policy->unixGroupExact);
    virAccessPolicyHashClear(&policy->dnGlob);
    while (policy->arena) {
        virAccessPolicyChunk *next = policy->arena->next;

        free(policy->arena);
        policy->arena = next;
    }
    for (i = 0; i < policy->nshapes; i++) {
        free(policy->shapes[i].names);
        free(policy->shapes[i].prefixLen);
    }
    free(policy->shapes);
    free(policy->generic);
    free(policy);
}

size_t
virAccessPolicyRuleCount(const virAccessPolicy *policy)
{
    return policy->nrules;
}

size_t
virAccessPolicyRoleCount(const virAccessPolicy *policy)
{
    return policy->nroles;
}

const virAccessPolicyRule *
virAccessPolicyGetRule(const virAccessPolicy *policy, size_t i)
{
    return i < policy->nrules ? &policy->rules[i] : NULL;
}

bool
virAccessPolicyRuleIsAllow(const virAccessPolicyRule *rule)
{
    return !rule->deny;
}

const char *
virAccessPolicyRuleGetLocation(const virAccessPolicyRule *rule)
{
    return rule->location;
}

const char *
virAccessPolicyRuleGetFile(const virAccessPolicyRule *rule)
{
    return rule->file;
}

unsigned int
virAccessPolicyRuleGetLine(const virAccessPolicyRule *rule)
{
    return rule->line;
}

const char *
virAccessPolicyRuleGetText(const virAccessPolicyRule *rule)
{
    return rule->text;
}
