/*
 * libvirt_internal.h: process-level entry points of the library that are
 * not part of libvirt's public API.
 */
#ifndef TENVIRT_LIBVIRT_INTERNAL_H
#define TENVIRT_LIBVIRT_INTERNAL_H

#include "internal.h"

/* Free the state every in-process driver keeps for the process lifetime
 * (the test driver's hosts). Call once at exit, after the last connection
 * is closed, so leak checkers see a clean process; a later virConnectOpen
 * starts from fresh state. */
void virStateCleanup(void);

#endif /* TENVIRT_LIBVIRT_INTERNAL_H */
