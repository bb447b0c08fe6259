/*
 * virhash.h: a hash table of borrowed keys.
 *
 * The table maps keys to values but owns neither: each key points to bytes
 * that its value owns and keeps unchanged while it is in the table (a
 * domain's name or UUID, say), so an entry is only two pointers and a hash.
 * Keys are either NUL-terminated strings or all of one fixed length.
 *
 * The hash is keyed with a per-table random seed, so that keys chosen by a
 * client (domain names) cannot be crafted to collide. Lookups are O(1) on
 * average; the table doubles when it gets three quarters full and never
 * shrinks. It has no lock of its own: callers serialize changes against
 * each other and against lookups.
 */
#ifndef TENVIRT_VIRHASH_H
#define TENVIRT_VIRHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct _virHashTable virHashTable;

/* A hash of the @len bytes at @key, for virHashTableNewWithHash. */
typedef uint64_t (*virHashFunc)(const void *key, size_t len);

/* An empty table whose keys are @keyLen bytes long, or NUL-terminated
 * strings if @keyLen is 0. Never NULL (allocation failure aborts). */
virHashTable *virHashTableNew(size_t keyLen);
/* The same with the caller's unkeyed @hash instead of the seeded one: for
 * tests that need keys that collide. */
virHashTable *virHashTableNewWithHash(size_t keyLen, virHashFunc hash);
/* Free the table; keys and values are the caller's. NULL is allowed. */
void virHashTableFree(virHashTable *table);

/* The value of @key, or NULL if it is not in the table. */
void *virHashTableLookup(const virHashTable *table, const void *key);
/* Map @key (not NULL) to @value (not NULL). An entry with an equal key is
 * replaced, key pointer included, and its value returned; else NULL. */
void *virHashTableInsert(virHashTable *table, const void *key, void *value);
/* Remove the entry of @key and return its value, or NULL if there is none. */
void *virHashTableRemove(virHashTable *table, const void *key);
/* How many entries the table holds. */
size_t virHashTableCount(const virHashTable *table);

#endif /* TENVIRT_VIRHASH_H */
