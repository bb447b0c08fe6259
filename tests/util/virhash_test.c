/*
 * virhash_test.c: the hash table of borrowed keys: string and fixed-length
 * keys, replacement, growth, removal, and runs of colliding keys.
 */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "viralloc.h"
#include "virhash.h"

START_TEST(test_empty)
{
    virHashTable *table = virHashTableNew(0);

    ck_assert_uint_eq(virHashTableCount(table), 0);
    ck_assert_ptr_null(virHashTableLookup(table, "nothing"));
    ck_assert_ptr_null(virHashTableRemove(table, "nothing"));
    virHashTableFree(table);
    virHashTableFree(NULL);
}
END_TEST

START_TEST(test_strings)
{
    virHashTable *table = virHashTableNew(0);
    int one = 1, two = 2, three = 3;
    char lookupKey[16];

    ck_assert_ptr_null(virHashTableInsert(table, "one", &one));
    ck_assert_ptr_null(virHashTableInsert(table, "two", &two));
    ck_assert_ptr_null(virHashTableInsert(table, "", &three));
    ck_assert_uint_eq(virHashTableCount(table), 3);

    /* Equal keys, not the same pointers. */
    snprintf(lookupKey, sizeof(lookupKey), "%s", "one");
    ck_assert_ptr_eq(virHashTableLookup(table, lookupKey), &one);
    ck_assert_ptr_eq(virHashTableLookup(table, "two"), &two);
    ck_assert_ptr_eq(virHashTableLookup(table, ""), &three);
    ck_assert_ptr_null(virHashTableLookup(table, "on"));
    ck_assert_ptr_null(virHashTableLookup(table, "one "));
    ck_assert_ptr_null(virHashTableLookup(table, "ONE"));

    ck_assert_ptr_eq(virHashTableRemove(table, lookupKey), &one);
    ck_assert_ptr_null(virHashTableLookup(table, "one"));
    ck_assert_ptr_null(virHashTableRemove(table, "one"));
    ck_assert_uint_eq(virHashTableCount(table), 2);
    ck_assert_ptr_eq(virHashTableLookup(table, "two"), &two);
    virHashTableFree(table);
}
END_TEST

/* Replacing an entry takes the new key pointer: the old key's memory may
 * go with its old value (valgrind and ASan see any later use of it). */
START_TEST(test_replace_takes_new_key)
{
    virHashTable *table = virHashTableNew(0);
    char *oldKey = virStrdup("shared-name");
    char *newKey = virStrdup("shared-name");
    int oldValue = 1, newValue = 2;

    ck_assert_ptr_null(virHashTableInsert(table, oldKey, &oldValue));
    ck_assert_ptr_eq(virHashTableInsert(table, newKey, &newValue), &oldValue);
    free(oldKey);
    ck_assert_uint_eq(virHashTableCount(table), 1);
    ck_assert_ptr_eq(virHashTableLookup(table, "shared-name"), &newValue);
    ck_assert_ptr_eq(virHashTableRemove(table, "shared-name"), &newValue);
    ck_assert_uint_eq(virHashTableCount(table), 0);
    free(newKey);
    virHashTableFree(table);
}
END_TEST

START_TEST(test_fixed_length)
{
    virHashTable *table = virHashTableNew(16);
    unsigned char a[16], b[16], probe[16];
    int va = 1, vb = 2;

    /* Keys that differ only in the last byte, NULs included. */
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    b[15] = 1;
    ck_assert_ptr_null(virHashTableInsert(table, a, &va));
    ck_assert_ptr_null(virHashTableInsert(table, b, &vb));
    memcpy(probe, a, sizeof(probe));
    ck_assert_ptr_eq(virHashTableLookup(table, probe), &va);
    probe[15] = 1;
    ck_assert_ptr_eq(virHashTableLookup(table, probe), &vb);
    probe[15] = 2;
    ck_assert_ptr_null(virHashTableLookup(table, probe));
    ck_assert_ptr_eq(virHashTableRemove(table, a), &va);
    ck_assert_ptr_eq(virHashTableLookup(table, b), &vb);
    virHashTableFree(table);
}
END_TEST

#define MANY 20000

/* Thousands of keys through many doublings; every other one removed, then
 * put back. */
START_TEST(test_growth_and_reinsert)
{
    virHashTable *table = virHashTableNew(0);
    char **keys = virAllocN(MANY, sizeof(*keys));
    size_t i;

    for (i = 0; i < MANY; i++) {
        keys[i] = virPrintf("custkey%zu-vm%zu", i / 10, i % 10);
        ck_assert_ptr_null(virHashTableInsert(table, keys[i], keys[i]));
        ck_assert_uint_eq(virHashTableCount(table), i + 1);
    }
    for (i = 0; i < MANY; i++)
        ck_assert_ptr_eq(virHashTableLookup(table, keys[i]), keys[i]);
    ck_assert_ptr_null(virHashTableLookup(table, "custkey0-vm10"));

    for (i = 0; i < MANY; i += 2)
        ck_assert_ptr_eq(virHashTableRemove(table, keys[i]), keys[i]);
    ck_assert_uint_eq(virHashTableCount(table), MANY / 2);
    for (i = 0; i < MANY; i++) {
        if (i % 2)
            ck_assert_ptr_eq(virHashTableLookup(table, keys[i]), keys[i]);
        else
            ck_assert_ptr_null(virHashTableLookup(table, keys[i]));
    }

    for (i = 0; i < MANY; i += 2)
        ck_assert_ptr_null(virHashTableInsert(table, keys[i], keys[i]));
    ck_assert_uint_eq(virHashTableCount(table), MANY);
    for (i = 0; i < MANY; i++)
        ck_assert_ptr_eq(virHashTableLookup(table, keys[i]), keys[i]);

    /* Emptied completely, then used again. */
    for (i = 0; i < MANY; i++)
        ck_assert_ptr_eq(virHashTableRemove(table, keys[i]), keys[i]);
    ck_assert_uint_eq(virHashTableCount(table), 0);
    ck_assert_ptr_null(virHashTableLookup(table, keys[0]));
    ck_assert_ptr_null(virHashTableInsert(table, keys[7], keys[7]));
    ck_assert_ptr_eq(virHashTableLookup(table, keys[7]), keys[7]);

    virHashTableFree(table);
    for (i = 0; i < MANY; i++)
        free(keys[i]);
    free(keys);
}
END_TEST

/* ---- colliding keys ---------------------------------------------------------- */

/* Hashes that put many keys on the same few slots, some of them at the end
 * of the array, so that runs wrap around to its start. */
static uint64_t
hashConstant(const void *key, size_t len)
{
    (void)key;
    (void)len;
    return 5;
}

static uint64_t
hashFewHighSlots(const void *key, size_t len)
{
    int k;

    ck_assert_uint_eq(len, sizeof(k));
    memcpy(&k, key, sizeof(k));
    /* Masked to the last slots at every capacity. */
    return UINT64_MAX - (uint64_t)(k % 3);
}

static uint64_t
hashFewSlots(const void *key, size_t len)
{
    int k;

    ck_assert_uint_eq(len, sizeof(k));
    memcpy(&k, key, sizeof(k));
    return (uint64_t)(k % 5) + 6;
}

static const virHashFunc collidingHashes[] = { hashConstant, hashFewHighSlots, hashFewSlots };

#define NKEYS 64

/* Random inserts and removals of colliding keys, checked after each step
 * against a plain array. */
START_TEST(test_collisions)
{
    virHashTable *table = virHashTableNewWithHash(sizeof(int), collidingHashes[_i]);
    int keys[NKEYS];
    bool present[NKEYS] = { false };
    size_t count = 0;
    unsigned int rng = 12345;
    int step;
    int k;

    for (k = 0; k < NKEYS; k++)
        keys[k] = k;

    for (step = 0; step < 20000; step++) {
        int probe;

        rng = rng * 1103515245u + 12345u;
        k = (int)((rng >> 8) % NKEYS);
        probe = k;          /* a copy: equal, not the same pointer */
        if ((rng >> 20) % 3) {
            void *previous = virHashTableInsert(table, &keys[k], &keys[k]);

            ck_assert_ptr_eq(previous, present[k] ? &keys[k] : NULL);
            if (!present[k])
                count++;
            present[k] = true;
        } else {
            void *removed = virHashTableRemove(table, &probe);

            ck_assert_ptr_eq(removed, present[k] ? &keys[k] : NULL);
            if (present[k])
                count--;
            present[k] = false;
        }
        ck_assert_uint_eq(virHashTableCount(table), count);
        /* A full check now and then, and while the table is nearly empty. */
        if (step % 97 == 0 || count < 4) {
            int j;

            for (j = 0; j < NKEYS; j++) {
                probe = j;
                ck_assert_ptr_eq(virHashTableLookup(table, &probe), present[j] ? &keys[j] : NULL);
            }
        }
    }
    virHashTableFree(table);
}
END_TEST

/* Two tables (two seeds) agree on what they hold. */
START_TEST(test_two_tables)
{
    virHashTable *a = virHashTableNew(0);
    virHashTable *b = virHashTableNew(0);
    char *keys[100];
    size_t i;

    for (i = 0; i < 100; i++) {
        keys[i] = virPrintf("k%zu", i);
        virHashTableInsert(a, keys[i], keys[i]);
        if (i % 3 == 0)
            virHashTableInsert(b, keys[i], keys[i]);
    }
    for (i = 0; i < 100; i++) {
        ck_assert_ptr_eq(virHashTableLookup(a, keys[i]), keys[i]);
        ck_assert_ptr_eq(virHashTableLookup(b, keys[i]), i % 3 == 0 ? keys[i] : NULL);
    }
    virHashTableFree(a);
    virHashTableFree(b);
    for (i = 0; i < 100; i++)
        free(keys[i]);
}
END_TEST

static Suite *
virHashSuite(void)
{
    Suite *s = suite_create("virhash");
    TCase *tc = tcase_create("virhash");

    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_replace_takes_new_key);
    tcase_add_test(tc, test_fixed_length);
    tcase_add_test(tc, test_growth_and_reinsert);
    tcase_add_loop_test(tc, test_collisions, 0,
                        sizeof(collidingHashes) / sizeof(collidingHashes[0]));
    tcase_add_test(tc, test_two_tables);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virHashSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
