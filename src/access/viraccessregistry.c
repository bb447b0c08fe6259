/*
 * viraccessregistry.c: the access drivers built into Tenvirt, by name.
 */
#include <config.h>

#include <pthread.h>
#include <string.h>

#include "viraccessregistry.h"

static const virAccessDriver *const accessDrivers[] = {
    &virAccessDriverNop,
    &virAccessDriverReadonly,
    &virAccessDriverDnpolicy,
};

const virAccessDriver *
virAccessRegistryLookup(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(accessDrivers); i++) {
        if (STREQ(accessDrivers[i]->name, name))
            return accessDrivers[i];
    }
    return NULL;
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
