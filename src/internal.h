/*
 * internal.h: definitions shared by every Tenvirt source file.
 */
#ifndef TENVIRT_INTERNAL_H
#define TENVIRT_INTERNAL_H

#include <config.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tenvirt/libvirt.h>

#define ATTRIBUTE_FMT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ATTRIBUTE_NONNULL(n) __attribute__((nonnull(n)))
#define G_N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))
#define STREQ(a, b) (strcmp((a), (b)) == 0)
#define STRNEQ(a, b) (strcmp((a), (b)) != 0)
#define STREQ_NULLABLE(a, b) ((a) == (b) || ((a) && (b) && strcmp((a), (b)) == 0))
#define STRPREFIX(s, p) (strncmp((s), (p), strlen(p)) == 0)
#define NULLSTR(s) ((s) ? (s) : "<null>")

/* Build-time assertion, usable at file scope. */
#define VIR_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

#endif /* TENVIRT_INTERNAL_H */
