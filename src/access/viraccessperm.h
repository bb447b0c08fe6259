/*
 * viraccessperm.h: object types and permissions, derived from viraccessperm.def.
 *
 * Permissions form one enum across all object types, so a set of
 * permissions is a bitmap and a policy rule can mix connect and domain
 * permissions. Each permission knows its object type and its name
 * "object:perm" (e.g. "domain:start").
 */
#ifndef TENVIRT_VIRACCESSPERM_H
#define TENVIRT_VIRACCESSPERM_H

#include <stdint.h>
#include "internal.h"

typedef enum {
    VIR_ACCESS_PERM_SAFE = 1 << 0,  /* changes nothing: allowed on read-only connections */
} virAccessPermFlags;

typedef enum {
#define VIR_ACCESS_OBJECT(ENUM, name, Hook) VIR_ACCESS_OBJECT_##ENUM,
#define VIR_ACCESS_PERM(OBJECT, ENUM, name, flags, desc)
#include "viraccessperm.def"
#undef VIR_ACCESS_OBJECT
#undef VIR_ACCESS_PERM
    VIR_ACCESS_OBJECT_LAST
} virAccessObjectType;

typedef enum {
#define VIR_ACCESS_OBJECT(ENUM, name, Hook)
#define VIR_ACCESS_PERM(OBJECT, ENUM, name, flags, desc) VIR_ACCESS_PERM_##OBJECT##_##ENUM,
#include "viraccessperm.def"
#undef VIR_ACCESS_OBJECT
#undef VIR_ACCESS_PERM
    VIR_ACCESS_PERM_LAST
} virAccessPerm;

/* A set of permissions. */
#define VIR_ACCESS_PERM_SET_WORDS ((VIR_ACCESS_PERM_LAST + 63) / 64)
typedef struct {
    uint64_t bits[VIR_ACCESS_PERM_SET_WORDS];
} virAccessPermSet;

static inline void
virAccessPermSetAdd(virAccessPermSet *set, virAccessPerm perm)
{
    set->bits[perm / 64] |= UINT64_C(1) << (perm % 64);
}

static inline bool
virAccessPermSetHas(const virAccessPermSet *set, virAccessPerm perm)
{
    return (set->bits[perm / 64] >> (perm % 64)) & 1;
}

void virAccessPermSetUnion(virAccessPermSet *dst, const virAccessPermSet *src);
bool virAccessPermSetIsEmpty(const virAccessPermSet *set);
/* Every permission (all object types), or every permission of one type. */
void virAccessPermSetAll(virAccessPermSet *set);
void virAccessPermSetAllOfObject(virAccessPermSet *set, virAccessObjectType type);

/* "connect", "domain". */
const char *virAccessObjectTypeToString(virAccessObjectType type);
/* -1 if unknown. */
int virAccessObjectTypeFromString(const char *name);

/* "domain:start". */
const char *virAccessPermToString(virAccessPerm perm);
/* The part after the colon: "start". */
const char *virAccessPermShortName(virAccessPerm perm);
/* Parse "domain:start"; -1 if unknown. */
int virAccessPermFromString(const char *name);
virAccessObjectType virAccessPermObjectType(virAccessPerm perm);
unsigned int virAccessPermFlagsOf(virAccessPerm perm);
const char *virAccessPermDescription(virAccessPerm perm);

/* Parse one permission expression into @set: "domain:start", "domain:*",
 * "*" (everything). Returns 0, or -1 if unknown (no error reported). */
int virAccessPermSetParseItem(virAccessPermSet *set, const char *expr);
/* Comma-separated names of @set, "object:*" where a whole type is present. Caller frees. */
char *virAccessPermSetFormat(const virAccessPermSet *set);

#endif /* TENVIRT_VIRACCESSPERM_H */
