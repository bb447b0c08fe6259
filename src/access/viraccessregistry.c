/*
 * viraccessregistry.c: the access drivers built into Tenvirt, by name.
 */
#include <config.h>

#include <pthread.h>
#include <string.h>

#include "viraccessregistry.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

static const virAccessDriver *const accessDrivers[] = {
    &virAccessDriverNop,
    &virAccessDriverReadonly,
    &virAccessDriverDnpolicy,
};

#define VIR_ACCESS_REGISTRY_EXTRA_MAX 16
static const virAccessDriver *extraDrivers[VIR_ACCESS_REGISTRY_EXTRA_MAX];
static size_t nextraDrivers;

const virAccessDriver *
virAccessRegistryLookup(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(accessDrivers); i++) {
        if (STREQ(accessDrivers[i]->name, name))
            return accessDrivers[i];
    }
    for (i = 0; i < nextraDrivers; i++) {
        if (STREQ(extraDrivers[i]->name, name))
            return extraDrivers[i];
    }
    return NULL;
}

int
virAccessRegistryRegister(const virAccessDriver *drv)
{
    if (virAccessRegistryLookup(drv->name)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "access driver '%s' is already registered",
                       drv->name);
        return -1;
    }
    if (nextraDrivers == VIR_ACCESS_REGISTRY_EXTRA_MAX) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "too many access drivers registered (max %d)",
                       VIR_ACCESS_REGISTRY_EXTRA_MAX);
        return -1;
    }
    extraDrivers[nextraDrivers++] = drv;
    return 0;
}

static char registryNames[256];
static pthread_once_t registryNamesOnce = PTHREAD_ONCE_INIT;

static void
virAccessRegistryNamesInit(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(accessDrivers); i++) {
        if (i)
            strncat(registryNames, ", ", sizeof(registryNames) - strlen(registryNames) - 1);
        strncat(registryNames, accessDrivers[i]->name,
                sizeof(registryNames) - strlen(registryNames) - 1);
    }
}

const char *
virAccessRegistryNames(void)
{
    pthread_once(&registryNamesOnce, virAccessRegistryNamesInit);
    return registryNames;
}
