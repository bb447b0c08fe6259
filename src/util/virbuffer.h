/*
 * virbuffer.h: a growable string buffer.
 *
 *   virBuffer buf = VIR_BUFFER_INITIALIZER;
 *   virBufferAsprintf(&buf, "<name>%s</name>\n", name);
 *   char *s = virBufferContentAndReset(&buf);   -- caller frees s
 */
#ifndef TENVIRT_VIRBUFFER_H
#define TENVIRT_VIRBUFFER_H

#include <stdarg.h>
#include "internal.h"

typedef struct {
    char *content;
    size_t use;
    size_t size;
    int indent;
} virBuffer;

#define VIR_BUFFER_INITIALIZER { NULL, 0, 0, 0 }

/* Append @len bytes of @str (-1: up to its NUL), after the current indentation
 * if at the start of a line. */
void virBufferAdd(virBuffer *buf, const char *str, int len);
void virBufferAddLit(virBuffer *buf, const char *str);
void virBufferAddChar(virBuffer *buf, char c);
void virBufferAsprintf(virBuffer *buf, const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(2, 3);
void virBufferVasprintf(virBuffer *buf, const char *fmt, va_list ap) ATTRIBUTE_FMT_PRINTF(2, 0);
/* printf with every %s argument escaped for XML text and attributes. */
void virBufferEscapeString(virBuffer *buf, const char *fmt, const char *str)
    ATTRIBUTE_FMT_PRINTF(2, 0);
/* Change the indentation used at the start of each new line by @delta spaces. */
void virBufferAdjustIndent(virBuffer *buf, int delta);
/* Current content (never NULL), still owned by @buf. */
const char *virBufferCurrentContent(virBuffer *buf);
size_t virBufferUse(const virBuffer *buf);
/* Hand over the content (an empty string if nothing was added) and reset @buf. */
char *virBufferContentAndReset(virBuffer *buf);
void virBufferFreeAndReset(virBuffer *buf);
/* Drop trailing @str if the content ends with it. */
void virBufferTrim(virBuffer *buf, const char *str);

#endif /* TENVIRT_VIRBUFFER_H */
