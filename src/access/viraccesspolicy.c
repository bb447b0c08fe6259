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

/* What the rules look at, gathered once per decision. */
typedef struct {
    const char *dn;                 /* normal form, or NULL */
    const char *sasl;
    const char *unixUser;
    char *const *groups;
    virIdentityTransport transport;
    bool readonly;

    /* The DN split into attributes, on demand (only glob rules need it). */
    int dnState;                    /* 0 not yet, 1 split, -1 unusable */
    virX509DN dnSplit;
    virX509DN dnHeap;               /* when it does not fit below */
    virX509DNAttr attrs[VIR_ACCESS_POLICY_DN_MAX_ATTRS];
    char buf[1024];
} virAccessPolicyContext;

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
        if (fnmatch(r->domainGlobs[i], def->name, 0) == 0)
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

/* Every key of @r holds for this request. Cheap tests first. */
static bool
virAccessPolicyRuleMatches(const virAccessPolicyRule *r, virAccessPolicyContext *ctx,
                           const virAccessObject *obj, virAccessPerm perm,
                           unsigned int verified)
{
    if (!virAccessPermSetHas(&r->perms, perm))
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
    /* Connect permissions of a rule apply whatever its domain= says. */
    if (obj->type == VIR_ACCESS_OBJECT_DOMAIN &&
        !virAccessPolicyRuleMatchesDomain(r, obj->u.domain))
        return false;
    return true;
}

/* Lower *@best to the first rule of @idx (ascending) that matches. */
static void
virAccessPolicyScan(const virAccessPolicy *policy, const uint32_t *idx, size_t n,
                    virAccessPolicyContext *ctx, const virAccessObject *obj,
                    virAccessPerm perm, unsigned int verified, size_t *best)
{
    size_t i;

    for (i = 0; i < n && idx[i] < *best; i++) {
        if (virAccessPolicyRuleMatches(&policy->rules[idx[i]], ctx, obj, perm, verified)) {
            *best = idx[i];
            return;
        }
    }
}

static void
virAccessPolicyScanEntry(const virAccessPolicy *policy, const virAccessPolicyHashEntry *e,
                         virAccessPolicyContext *ctx, const virAccessObject *obj,
                         virAccessPerm perm, unsigned int verified, size_t *best)
{
    if (e)
        virAccessPolicyScan(policy, virAccessPolicyHashEntryIdx(e), e->nidx,
                            ctx, obj, perm, verified, best);
}

static void
virAccessPolicyScanDNGlobs(const virAccessPolicy *policy, virAccessPolicyContext *ctx,
                           const virAccessObject *obj, virAccessPerm perm, size_t *best)
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
        if (shape->firstRule >= *best)
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
                                 ctx, obj, perm, 0, best);
    }
}

int
virAccessPolicyDecide(const virAccessPolicy *policy, const virIdentity *id,
                      const virAccessObject *obj, virAccessPerm perm,
                      const virAccessPolicyRule **rule)
{
    virAccessPolicyContext ctx;
    size_t best = SIZE_MAX;
    char *const *g;

    if (rule)
        *rule = NULL;
    if (perm >= VIR_ACCESS_PERM_LAST || obj->type >= VIR_ACCESS_OBJECT_LAST ||
        virAccessPermObjectType(perm) != obj->type) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "permission %d does not apply to %s objects", (int)perm,
                       NULLSTR(virAccessObjectTypeToString(obj->type)));
        return -1;
    }
    if (obj->type == VIR_ACCESS_OBJECT_DOMAIN && !obj->u.domain) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "domain access check without a domain");
        return -1;
    }

    ctx.dn = virIdentityGetX509DNameNormalized(id);
    ctx.sasl = virIdentityGetSASLUserName(id);
    ctx.unixUser = virIdentityGetUNIXUserName(id);
    ctx.groups = virIdentityGetUNIXGroupNames(id);
    ctx.transport = virIdentityGetTransport(id);
    ctx.readonly = virIdentityGetReadOnly(id);
    ctx.dnState = ctx.dn ? 0 : -1;
    ctx.dnHeap.attrs = NULL;
    ctx.dnHeap.nattrs = 0;

    virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->dnExact, ctx.dn),
                             &ctx, obj, perm, VIR_ACCESS_POLICY_VERIFIED_DN, &best);
    virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->saslExact, ctx.sasl),
                             &ctx, obj, perm, VIR_ACCESS_POLICY_VERIFIED_SASL, &best);
    virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->unixUserExact,
                                                               ctx.unixUser),
                             &ctx, obj, perm, VIR_ACCESS_POLICY_VERIFIED_UNIX_USER, &best);
    if (policy->nshapes && ctx.dn)
        virAccessPolicyScanDNGlobs(policy, &ctx, obj, perm, &best);
    for (g = ctx.groups; policy->unixGroupExact.used && g && *g; g++)
        virAccessPolicyScanEntry(policy, virAccessPolicyHashLookup(&policy->unixGroupExact, *g),
                                 &ctx, obj, perm, 0, &best);
    virAccessPolicyScan(policy, policy->generic, policy->ngeneric, &ctx, obj, perm, 0, &best);

    virX509DNClear(&ctx.dnHeap);
    if (best == SIZE_MAX)
        return 0;
    if (rule)
        *rule = &policy->rules[best];
    return policy->rules[best].deny ? 0 : 1;
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
