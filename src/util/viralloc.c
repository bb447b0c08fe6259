/*
 * viralloc.c: memory allocation that never returns NULL.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "viralloc.h"
#include "virstring.h"

static void
virAllocAbort(void)
{
    fputs("tenvirt: out of memory\n", stderr);
    abort();
}

void *
virAllocN(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        virAllocAbort();
    return p;
}

void *
virReallocN(void *ptr, size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        virAllocAbort();
    p = realloc(ptr, (n && size) ? n * size : 1);
    if (!p)
        virAllocAbort();
    return p;
}

void
virExpandN(void *ptrptr, size_t size, size_t *count, size_t add)
{
    char **ptr = ptrptr;

    if (add > SIZE_MAX - *count)
        virAllocAbort();
    *ptr = virReallocN(*ptr, *count + add, size);
    memset(*ptr + *count * size, 0, add * size);
    *count += add;
}

char *
virStrdup(const char *s)
{
    char *r;

    if (!s)
        return NULL;
    if (!(r = strdup(s)))
        virAllocAbort();
    return r;
}

char *
virStrndup(const char *s, size_t n)
{
    char *r;

    if (!s)
        return NULL;
    if (!(r = strndup(s, n)))
        virAllocAbort();
    return r;
}

char *
virVPrintf(const char *fmt, va_list ap)
{
    char *r = NULL;

    if (vasprintf(&r, fmt, ap) < 0)
        virAllocAbort();
    return r;
}

char *
virPrintf(const char *fmt, ...)
{
    va_list ap;
    char *r;

    va_start(ap, fmt);
    r = virVPrintf(fmt, ap);
    va_end(ap);
    return r;
}

void
virFreep(void *pp)
{
    void **p = pp;

    free(*p);
    *p = NULL;
}

void
virStringListFreep(char ***lst)
{
    virStringListFree(*lst);
    *lst = NULL;
}
