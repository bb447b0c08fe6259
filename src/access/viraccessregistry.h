/*
 * viraccessregistry.h: the access drivers built into Tenvirt, by name.
 *
 * Adding a built-in driver: declare its vtable here and add one line to
 * the table in viraccessregistry.c. Others register at startup.
 */
#ifndef TENVIRT_VIRACCESSREGISTRY_H
#define TENVIRT_VIRACCESSREGISTRY_H

#include "viraccessdriver.h"

extern const virAccessDriver virAccessDriverNop;
extern const virAccessDriver virAccessDriverReadonly;
extern const virAccessDriver virAccessDriverDnpolicy;

/* Add a driver that is not built in (an out-of-tree driver, or a test's).
 * Call at startup, before any manager is built. -1 with an error reported
 * if the name is taken. @drv must outlive every manager using it. */
int virAccessRegistryRegister(const virAccessDriver *drv);

/* The driver called @name, or NULL. */
const virAccessDriver *virAccessRegistryLookup(const char *name);
/* Comma-separated names of all drivers, for error messages. Static string. */
const char *virAccessRegistryNames(void);

#endif /* TENVIRT_VIRACCESSREGISTRY_H */
