/*
 * viraccessregistry.h: the access drivers built into Tenvirt, by name.
 *
 * Adding a driver: declare its vtable here and add one line to the table
 * in viraccessregistry.c.
 */
#ifndef TENVIRT_VIRACCESSREGISTRY_H
#define TENVIRT_VIRACCESSREGISTRY_H

#include "viraccessdriver.h"

extern const virAccessDriver virAccessDriverNop;
extern const virAccessDriver virAccessDriverReadonly;
extern const virAccessDriver virAccessDriverDnpolicy;

/* The driver called @name, or NULL. */
const virAccessDriver *virAccessRegistryLookup(const char *name);
/* Comma-separated names of all drivers, for error messages. Static string. */
const char *virAccessRegistryNames(void);

#endif /* TENVIRT_VIRACCESSREGISTRY_H */
