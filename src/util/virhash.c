/*
 * virhash.c: a hash table of borrowed keys (see virhash.h).
 *
 * Open addressing with linear probing: the entries live in one array whose
 * size is a power of two, an entry sits at or after the slot its hash
 * selects, and a free slot ends every probe. Removal shifts later entries
 * of the run back instead of leaving tombstones, so lookups never slow
 * down after many removals. Each entry keeps its full hash: probes compare
 * keys only when hashes match, and growing needs no rehashing.
 *
 * The hash is SipHash-1-3 (Aumasson and Bernstein's keyed PRF with one
 * compression and three finalization rounds, as Python and Rust use for
 * their hash tables), keyed with 128 random bits per table.
 */
#include <config.h>

#include <endian.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "viralloc.h"
#include "virhash.h"

#define VIR_HASH_MIN_CAPACITY 8

typedef struct {
    const void *key;                    /* NULL: the slot is free */
    void *value;
    uint64_t hash;
} virHashEntry;

struct _virHashTable {
    virHashEntry *slots;
    size_t capacity;                    /* a power of two, or 0 until the first insert */
    size_t count;
    size_t keyLen;                      /* 0: NUL-terminated strings */
    virHashFunc customHash;             /* NULL: SipHash keyed with seed */
    uint64_t seed[2];
};

/* ---- SipHash-1-3 ----------------------------------------------------------- */

static inline uint64_t
virHashRotl(uint64_t x, unsigned int bits)
{
    return (x << bits) | (x >> (64 - bits));
}

typedef struct {
    uint64_t v0, v1, v2, v3;
} virSipState;

static inline void
virSipRound(virSipState *s)
{
    s->v0 += s->v1;
    s->v1 = virHashRotl(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = virHashRotl(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = virHashRotl(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = virHashRotl(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = virHashRotl(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = virHashRotl(s->v2, 32);
}

static inline void
virSipCompress(virSipState *s, uint64_t word)
{
    s->v3 ^= word;
    virSipRound(s);
    s->v0 ^= word;
}

static uint64_t
virSipHash13(const uint64_t seed[2], const void *data, size_t len)
{
    const unsigned char *p = data;
    const unsigned char *end = p + (len & ~(size_t)7);
    virSipState s = {
        seed[0] ^ 0x736f6d6570736575ULL,    /* "somepseudorandomlygeneratedbytes" */
        seed[1] ^ 0x646f72616e646f6dULL,
        seed[0] ^ 0x6c7967656e657261ULL,
        seed[1] ^ 0x7465646279746573ULL,
    };
    uint64_t last = (uint64_t)len << 56;
    uint64_t word;
    size_t i;

    for (; p < end; p += 8) {
        memcpy(&word, p, sizeof(word));
        virSipCompress(&s, le64toh(word));
    }
    /* The 0-7 remaining bytes, little-endian, under the length's low byte. */
    for (i = 0; i < (len & 7); i++)
        last |= (uint64_t)p[i] << (8 * i);
    virSipCompress(&s, last);

    s.v2 ^= 0xff;
    virSipRound(&s);
    virSipRound(&s);
    virSipRound(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

/* 128 bits from the kernel's generator. Without it (too early in boot,
 * or no getrandom), a seed from the clock and addresses: the table still
 * works, only crafted collisions are then easier. */
static void
virHashSeed(virHashTable *table)
{
    static uint64_t fallbackCounter;    /* atomic */
    struct timespec now;

    if (getrandom(table->seed, sizeof(table->seed), GRND_NONBLOCK) ==
        (ssize_t)sizeof(table->seed))
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    table->seed[0] = ((uint64_t)now.tv_sec << 32) ^ (uint64_t)now.tv_nsec ^
                     (uint64_t)(uintptr_t)table;
    table->seed[1] = __atomic_add_fetch(&fallbackCounter, 1, __ATOMIC_RELAXED) ^
                     (uint64_t)(uintptr_t)&now;
    table->seed[1] = virSipHash13(table->seed, &table->seed[1], sizeof(table->seed[1]));
}

/* ---- the table ------------------------------------------------------------- */

static virHashTable *
virHashTableCreate(size_t keyLen, virHashFunc customHash)
{
    virHashTable *table;

    VIR_ALLOC(table);
    table->keyLen = keyLen;
    table->customHash = customHash;
    if (!customHash)
        virHashSeed(table);
    return table;
}

virHashTable *
virHashTableNew(size_t keyLen)
{
    return virHashTableCreate(keyLen, NULL);
}

virHashTable *
virHashTableNewWithHash(size_t keyLen, virHashFunc hash)
{
    return virHashTableCreate(keyLen, hash);
}

void
virHashTableFree(virHashTable *table)
{
    if (!table)
        return;
    free(table->slots);
    free(table);
}

static size_t
virHashKeyLength(const virHashTable *table, const void *key)
{
    return table->keyLen ? table->keyLen : strlen(key);
}

static uint64_t
virHashKey(const virHashTable *table, const void *key)
{
    size_t len = virHashKeyLength(table, key);

    if (table->customHash)
        return table->customHash(key, len);
    return virSipHash13(table->seed, key, len);
}

static bool
virHashKeyEqual(const virHashTable *table, const void *a, const void *b)
{
    if (table->keyLen)
        return memcmp(a, b, table->keyLen) == 0;
    return strcmp(a, b) == 0;
}

/* The slot holding @key, or the free slot ending its probe (where it would
 * go). The table has a free slot, so this ends. */
static size_t
virHashFindSlot(const virHashTable *table, const void *key, uint64_t hash)
{
    size_t mask = table->capacity - 1;
    size_t i = (size_t)hash & mask;

    for (;;) {
        const virHashEntry *entry = &table->slots[i];

        if (!entry->key ||
            (entry->hash == hash && virHashKeyEqual(table, entry->key, key)))
            return i;
        i = (i + 1) & mask;
    }
}

static void
virHashGrow(virHashTable *table)
{
    virHashEntry *old = table->slots;
    size_t oldCapacity = table->capacity;
    size_t mask;
    size_t i;

    table->capacity = oldCapacity ? oldCapacity * 2 : VIR_HASH_MIN_CAPACITY;
    VIR_ALLOC_N(table->slots, table->capacity);
    mask = table->capacity - 1;
    for (i = 0; i < oldCapacity; i++) {
        size_t j;

        if (!old[i].key)
            continue;
        /* Keys are distinct: only a free slot is needed, no comparison. */
        for (j = (size_t)old[i].hash & mask; table->slots[j].key; j = (j + 1) & mask)
            ;
        table->slots[j] = old[i];
    }
    free(old);
}

void *
virHashTableLookup(const virHashTable *table, const void *key)
{
    size_t i;

    if (!table->count)
        return NULL;
    i = virHashFindSlot(table, key, virHashKey(table, key));
    return table->slots[i].key ? table->slots[i].value : NULL;
}

void *
virHashTableInsert(virHashTable *table, const void *key, void *value)
{
    uint64_t hash = virHashKey(table, key);
    virHashEntry *entry;
    void *previous;

    /* At most three quarters full, which keeps probe runs short. */
    if ((table->count + 1) * 4 > table->capacity * 3)
        virHashGrow(table);

    entry = &table->slots[virHashFindSlot(table, key, hash)];
    previous = entry->key ? entry->value : NULL;
    if (!entry->key)
        table->count++;
    /* The new key too: the old one may belong to a value about to go. */
    entry->key = key;
    entry->value = value;
    entry->hash = hash;
    return previous;
}

void *
virHashTableRemove(virHashTable *table, const void *key)
{
    size_t mask = table->capacity - 1;
    size_t hole;
    size_t i;
    void *value;

    if (!table->count)
        return NULL;
    hole = virHashFindSlot(table, key, virHashKey(table, key));
    if (!table->slots[hole].key)
        return NULL;
    value = table->slots[hole].value;
    table->count--;

    /* Close the hole: an entry later in the run moves back into it unless
     * its home slot lies after the hole (cyclically), where a probe for it
     * starts past the hole anyway. */
    for (i = (hole + 1) & mask; table->slots[i].key; i = (i + 1) & mask) {
        size_t home = (size_t)table->slots[i].hash & mask;

        if (((i - home) & mask) >= ((i - hole) & mask)) {
            table->slots[hole] = table->slots[i];
            hole = i;
        }
    }
    memset(&table->slots[hole], 0, sizeof(table->slots[hole]));
    return value;
}

size_t
virHashTableCount(const virHashTable *table)
{
    return table->count;
}
