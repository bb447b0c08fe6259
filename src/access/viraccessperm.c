/*
 * viraccessperm.c: object types and permissions, derived from viraccessperm.def.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "viraccessperm.h"
#include "viralloc.h"
#include "virbuffer.h"

typedef struct {
    virAccessObjectType object;
    const char *shortName;
    unsigned int flags;
    const char *description;
} virAccessPermInfo;

static const char *const objectNames[] = {
#define VIR_ACCESS_OBJECT(ENUM, name, Hook) [VIR_ACCESS_OBJECT_##ENUM] = #name,
#define VIR_ACCESS_PERM(OBJECT, ENUM, name, flags, desc)
#include "viraccessperm.def"
#undef VIR_ACCESS_OBJECT
#undef VIR_ACCESS_PERM
};
VIR_STATIC_ASSERT(G_N_ELEMENTS(objectNames) == VIR_ACCESS_OBJECT_LAST,
                  "every object type needs a name");

static const virAccessPermInfo permInfo[] = {
#define VIR_ACCESS_OBJECT(ENUM, name, Hook)
#define VIR_ACCESS_PERM(OBJECT, ENUM, name, flags, desc) \
    [VIR_ACCESS_PERM_##OBJECT##_##ENUM] = { \
        VIR_ACCESS_OBJECT_##OBJECT, #name, (flags), desc },
#include "viraccessperm.def"
#undef VIR_ACCESS_OBJECT
#undef VIR_ACCESS_PERM
};
VIR_STATIC_ASSERT(G_N_ELEMENTS(permInfo) == VIR_ACCESS_PERM_LAST,
                  "every permission needs a table row");

/* "object:perm" names, composed once at load time from the two columns
 * above so the object's name is written in one place only. */
static char permFullNames[VIR_ACCESS_PERM_LAST][64];

static void __attribute__((constructor))
virAccessPermInitNames(void)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++)
        snprintf(permFullNames[i], sizeof(permFullNames[i]), "%s:%s",
                 objectNames[permInfo[i].object], permInfo[i].shortName);
}

const char *
virAccessObjectTypeToString(virAccessObjectType type)
{
    return type < VIR_ACCESS_OBJECT_LAST ? objectNames[type] : NULL;
}

int
virAccessObjectTypeFromString(const char *name)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_OBJECT_LAST; i++) {
        if (STREQ(objectNames[i], name))
            return i;
    }
    return -1;
}

const char *
virAccessPermToString(virAccessPerm perm)
{
    return perm < VIR_ACCESS_PERM_LAST ? permFullNames[perm] : NULL;
}

const char *
virAccessPermShortName(virAccessPerm perm)
{
    return perm < VIR_ACCESS_PERM_LAST ? permInfo[perm].shortName : NULL;
}

int
virAccessPermFromString(const char *name)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
        if (STREQ(permFullNames[i], name))
            return i;
    }
    return -1;
}

virAccessObjectType
virAccessPermObjectType(virAccessPerm perm)
{
    return permInfo[perm].object;
}

unsigned int
virAccessPermFlagsOf(virAccessPerm perm)
{
    return permInfo[perm].flags;
}

const char *
virAccessPermDescription(virAccessPerm perm)
{
    return permInfo[perm].description;
}

void
virAccessPermSetUnion(virAccessPermSet *dst, const virAccessPermSet *src)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_SET_WORDS; i++)
        dst->bits[i] |= src->bits[i];
}

bool
virAccessPermSetIsEmpty(const virAccessPermSet *set)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_SET_WORDS; i++) {
        if (set->bits[i])
            return false;
    }
    return true;
}

void
virAccessPermSetAll(virAccessPermSet *set)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++)
        virAccessPermSetAdd(set, i);
}

void
virAccessPermSetAllOfObject(virAccessPermSet *set, virAccessObjectType type)
{
    size_t i;

    for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
        if (permInfo[i].object == type)
            virAccessPermSetAdd(set, i);
    }
}

int
virAccessPermSetParseItem(virAccessPermSet *set, const char *expr)
{
    const char *colon;
    int perm;

    if (STREQ(expr, "*")) {
        virAccessPermSetAll(set);
        return 0;
    }
    if ((colon = strchr(expr, ':')) && STREQ(colon + 1, "*")) {
        VIR_AUTOFREE(char *) object = virStrndup(expr, colon - expr);
        int type = virAccessObjectTypeFromString(object);

        if (type < 0)
            return -1;
        virAccessPermSetAllOfObject(set, type);
        return 0;
    }
    if ((perm = virAccessPermFromString(expr)) < 0)
        return -1;
    virAccessPermSetAdd(set, perm);
    return 0;
}

char *
virAccessPermSetFormat(const virAccessPermSet *set)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    size_t type, i;

    for (type = 0; type < VIR_ACCESS_OBJECT_LAST; type++) {
        virAccessPermSet whole = { { 0 } };
        bool all = true;

        virAccessPermSetAllOfObject(&whole, type);
        for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
            if (virAccessPermSetHas(&whole, i) && !virAccessPermSetHas(set, i))
                all = false;
        }
        if (all) {
            virBufferAsprintf(&buf, "%s:*,", objectNames[type]);
            continue;
        }
        for (i = 0; i < VIR_ACCESS_PERM_LAST; i++) {
            if (permInfo[i].object == type && virAccessPermSetHas(set, i))
                virBufferAsprintf(&buf, "%s,", permFullNames[i]);
        }
    }
    virBufferTrim(&buf, ",");
    return virBufferContentAndReset(&buf);
}
