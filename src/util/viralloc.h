/*
 * viralloc.h: memory allocation that never returns NULL.
 *
 * Like libvirt (since its move to GLib) Tenvirt treats allocation failure as
 * fatal: every caller would otherwise carry an error path that is never
 * tested. These helpers abort the process with a message instead.
 */
#ifndef TENVIRT_VIRALLOC_H
#define TENVIRT_VIRALLOC_H

#include <stdarg.h>
#include <stdlib.h>
#include "internal.h"

/* Zeroed memory for @n elements of @size bytes; aborts on failure or overflow. */
void *virAllocN(size_t n, size_t size);
/* Resize @ptr to @n elements of @size bytes; new memory is not zeroed. */
void *virReallocN(void *ptr, size_t n, size_t size);
/* Grow the array *@ptr of *@count elements by @add zeroed elements. */
void virExpandN(void *ptrptr, size_t size, size_t *count, size_t add);
/* Copy of @s (NULL gives NULL). Caller frees. */
char *virStrdup(const char *s);
/* Copy of at most @n bytes of @s, NUL terminated (NULL gives NULL). */
char *virStrndup(const char *s, size_t n);
/* printf into a new string. Caller frees. */
char *virPrintf(const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(1, 2);
char *virVPrintf(const char *fmt, va_list ap) ATTRIBUTE_FMT_PRINTF(1, 0);

#define VIR_ALLOC(ptr) ((ptr) = virAllocN(1, sizeof(*(ptr))))
#define VIR_ALLOC_N(ptr, n) ((ptr) = virAllocN((n), sizeof(*(ptr))))
#define VIR_REALLOC_N(ptr, n) ((ptr) = virReallocN((ptr), (n), sizeof(*(ptr))))
/* Append @elem to the array @ptr holding @count elements. */
#define VIR_APPEND_ELEMENT(ptr, count, elem) \
    do { \
        virExpandN(&(ptr), sizeof(*(ptr)), &(count), 1); \
        (ptr)[(count) - 1] = (elem); \
    } while (0)
/* Evaluates @ptr once, so VIR_FREE(list[--n]) is safe. */
#define VIR_FREE(ptr) \
    do { \
        __typeof__(ptr) *vir_free_pp = &(ptr); \
        free(*vir_free_pp); \
        *vir_free_pp = NULL; \
    } while (0)

void virFreep(void *pp);
/* Scope-bound pointer: freed with free() when it goes out of scope. */
#define VIR_AUTOFREE(type) __attribute__((cleanup(virFreep))) type
/* Scope-bound NULL-terminated string list, freed with virStringListFree. */
void virStringListFreep(char ***lst);
#define VIR_AUTOSTRINGLIST __attribute__((cleanup(virStringListFreep))) char **

#endif /* TENVIRT_VIRALLOC_H */
