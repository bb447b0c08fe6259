/*
 * virbuffer.c: a growable string buffer.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "viralloc.h"
#include "virbuffer.h"

static void
virBufferGrow(virBuffer *buf, size_t extra)
{
    size_t want = buf->use + extra + 1;

    if (want <= buf->size)
        return;
    if (want < buf->size * 2)
        want = buf->size * 2;
    if (want < 64)
        want = 64;
    buf->content = virReallocN(buf->content, want, 1);
    buf->size = want;
}

static void
virBufferApplyIndent(virBuffer *buf)
{
    if (buf->indent <= 0)
        return;
    if (buf->use && buf->content[buf->use - 1] != '\n')
        return;
    virBufferGrow(buf, buf->indent);
    memset(buf->content + buf->use, ' ', buf->indent);
    buf->use += buf->indent;
    buf->content[buf->use] = '\0';
}

void
virBufferAdd(virBuffer *buf, const char *str, int len)
{
    size_t n;

    if (!str)
        return;
    n = len < 0 ? strlen(str) : (size_t)len;
    if (n == 0)
        return;
    virBufferApplyIndent(buf);
    virBufferGrow(buf, n);
    memcpy(buf->content + buf->use, str, n);
    buf->use += n;
    buf->content[buf->use] = '\0';
}

void
virBufferAddLit(virBuffer *buf, const char *str)
{
    virBufferAdd(buf, str, -1);
}

void
virBufferAddChar(virBuffer *buf, char c)
{
    virBufferAdd(buf, &c, 1);
}

void
virBufferVasprintf(virBuffer *buf, const char *fmt, va_list ap)
{
    va_list copy;
    int n;

    virBufferApplyIndent(buf);
    virBufferGrow(buf, 64);
    va_copy(copy, ap);
    n = vsnprintf(buf->content + buf->use, buf->size - buf->use, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    if ((size_t)n >= buf->size - buf->use) {
        virBufferGrow(buf, n);
        va_copy(copy, ap);
        n = vsnprintf(buf->content + buf->use, buf->size - buf->use, fmt, copy);
        va_end(copy);
    }
    buf->use += n;
}

void
virBufferAsprintf(virBuffer *buf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    virBufferVasprintf(buf, fmt, ap);
    va_end(ap);
}

void
virBufferEscapeString(virBuffer *buf, const char *fmt, const char *str)
{
    virBuffer esc = VIR_BUFFER_INITIALIZER;
    const char *p;
    char *escaped;

    if (!str)
        return;
    for (p = str; *p; p++) {
        switch (*p) {
        case '<': virBufferAdd(&esc, "&lt;", 4); break;
        case '>': virBufferAdd(&esc, "&gt;", 4); break;
        case '&': virBufferAdd(&esc, "&amp;", 5); break;
        case '"': virBufferAdd(&esc, "&quot;", 6); break;
        case '\'': virBufferAdd(&esc, "&apos;", 6); break;
        default: virBufferAdd(&esc, p, 1); break;
        }
    }
    escaped = virBufferContentAndReset(&esc);
    /* @fmt is checked at each call site through the header's format attribute. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    virBufferAsprintf(buf, fmt, escaped);
#pragma GCC diagnostic pop
    free(escaped);
}

void
virBufferAdjustIndent(virBuffer *buf, int delta)
{
    buf->indent += delta;
    if (buf->indent < 0)
        buf->indent = 0;
}

const char *
virBufferCurrentContent(virBuffer *buf)
{
    return buf->content ? buf->content : "";
}

size_t
virBufferUse(const virBuffer *buf)
{
    return buf->use;
}

char *
virBufferContentAndReset(virBuffer *buf)
{
    char *s = buf->content ? buf->content : virStrdup("");

    buf->content = NULL;
    buf->use = buf->size = 0;
    buf->indent = 0;
    return s;
}

void
virBufferFreeAndReset(virBuffer *buf)
{
    free(virBufferContentAndReset(buf));
}

void
virBufferTrim(virBuffer *buf, const char *str)
{
    size_t n = strlen(str);

    if (buf->use >= n && memcmp(buf->content + buf->use - n, str, n) == 0) {
        buf->use -= n;
        buf->content[buf->use] = '\0';
    }
}
