/*
 * virstring.h: small string helpers.
 */
#ifndef TENVIRT_VIRSTRING_H
#define TENVIRT_VIRSTRING_H

#include "internal.h"

/* Free a NULL-terminated array of strings and the array itself. */
void virStringListFree(char **list);
/* Number of entries in a NULL-terminated string list. */
size_t virStringListLength(char *const *list);
/* Split @str at every @delim character; empty fields are kept.
 * Returns a NULL-terminated list the caller frees with virStringListFree. */
char **virStringSplit(const char *str, char delim);
/* Parse a whole string as a number; 0 on success, -1 on any junk or overflow. */
int virStrToLong_i(const char *s, int base, int *result);
int virStrToLong_ui(const char *s, int base, unsigned int *result);
int virStrToLong_ll(const char *s, int base, long long *result);
int virStrToLong_ull(const char *s, int base, unsigned long long *result);
/* True if @s ends with @suffix. */
bool virStringHasSuffix(const char *s, const char *suffix);
/* Remove leading and trailing white space in place; returns @s. */
char *virStringTrim(char *s);
/* Copy @src into @dst of @dstlen bytes; -1 if it does not fit (dst then holds a truncated copy). */
int virStrcpy(char *dst, const char *src, size_t dstlen);

#endif /* TENVIRT_VIRSTRING_H */
