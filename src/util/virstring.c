/*
 * virstring.c: small string helpers.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "viralloc.h"
#include "virstring.h"

void
virStringListFree(char **list)
{
    char **p;

    if (!list)
        return;
    for (p = list; *p; p++)
        free(*p);
    free(list);
}

size_t
virStringListLength(char *const *list)
{
    size_t n = 0;

    while (list && list[n])
        n++;
    return n;
}

char **
virStringSplit(const char *str, char delim)
{
    char **list = NULL;
    size_t n = 0;
    const char *start = str;
    const char *p;

    for (p = str;; p++) {
        if (*p == delim || *p == '\0') {
            VIR_APPEND_ELEMENT(list, n, virStrndup(start, p - start));
            if (*p == '\0')
                break;
            start = p + 1;
        }
    }
    VIR_APPEND_ELEMENT(list, n, NULL);
    return list;
}

int
virStrToLong_ll(const char *s, int base, long long *result)
{
    char *end = NULL;
    long long v;

    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtoll(s, &end, base);
    if (errno || *end)
        return -1;
    *result = v;
    return 0;
}

int
virStrToLong_ull(const char *s, int base, unsigned long long *result)
{
    char *end = NULL;
    unsigned long long v;

    if (!s || !*s || isspace((unsigned char)*s) || *s == '-')
        return -1;
    errno = 0;
    v = strtoull(s, &end, base);
    if (errno || *end)
        return -1;
    *result = v;
    return 0;
}

int
virStrToLong_i(const char *s, int base, int *result)
{
    long long v;

    if (virStrToLong_ll(s, base, &v) < 0 || v < INT_MIN || v > INT_MAX)
        return -1;
    *result = v;
    return 0;
}

int
virStrToLong_ui(const char *s, int base, unsigned int *result)
{
    unsigned long long v;

    if (virStrToLong_ull(s, base, &v) < 0 || v > UINT_MAX)
        return -1;
    *result = v;
    return 0;
}

bool
virStringHasSuffix(const char *s, const char *suffix)
{
    size_t len = strlen(s), slen = strlen(suffix);

    return len >= slen && STREQ(s + len - slen, suffix);
}

char *
virStringTrim(char *s)
{
    char *start = s;
    size_t len;

    while (isspace((unsigned char)*start))
        start++;
    len = strlen(start);
    while (len > 0 && isspace((unsigned char)start[len - 1]))
        len--;
    memmove(s, start, len);
    s[len] = '\0';
    return s;
}

int
virStrcpy(char *dst, const char *src, size_t dstlen)
{
    size_t len = strlen(src);

    if (dstlen == 0)
        return -1;
    if (len >= dstlen) {
        memcpy(dst, src, dstlen - 1);
        dst[dstlen - 1] = '\0';
        return -1;
    }
    memcpy(dst, src, len + 1);
    return 0;
}
