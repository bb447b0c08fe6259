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

/* Restrict virConnectOpen* to names matching one of @globs (fnmatch);
 * NULL lifts the restriction (the default, for in-process use). The daemon
 * sets it from hypervisor_uris so clients cannot make it open arbitrary
 * files as test-driver node files. Copies @globs. Not thread-safe against
 * concurrent opens: call at startup. */
void virConnectSetOpenAllowList(char *const *globs);

#endif /* TENVIRT_LIBVIRT_INTERNAL_H */
