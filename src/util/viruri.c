/*
 * viruri.c: connection URIs.
 *
 * A small hand-written parser rather than libxml2's xmlParseURI: connection
 * URIs need only the generic syntax, and owning the code lets errors say
 * which part of the URI is wrong.
 */
#include <config.h>

#include <ctype.h>
#include <string.h>

#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virstring.h"
#include "viruri.h"

#define VIR_FROM_THIS VIR_FROM_URI

/* Characters written unescaped in each component (besides letters and digits). */
#define VIR_URI_SAFE_UNRESERVED "-._~"
#define VIR_URI_SAFE_PATH VIR_URI_SAFE_UNRESERVED "!$&'()*+,;=:@/"
#define VIR_URI_SAFE_USER VIR_URI_SAFE_UNRESERVED "!$&'()*+,;=:"
#define VIR_URI_SAFE_PARAM VIR_URI_SAFE_UNRESERVED "!$'()*,:@/"
#define VIR_URI_SAFE_FRAGMENT VIR_URI_SAFE_PATH "?"

static int
virURIHexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode @len bytes of @s. In query parameters '+' stands for a space.
 * NULL with an error for a malformed escape or an encoded NUL. */
static char *
virURIDecode(const char *uri, const char *s, size_t len, bool plusIsSpace)
{
    char *out = virAllocN(len + 1, 1);
    size_t i;
    size_t j = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi = i + 1 < len ? virURIHexValue(s[i + 1]) : -1;
            int lo = i + 2 < len ? virURIHexValue(s[i + 2]) : -1;

            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                virReportError(VIR_ERR_INVALID_ARG,
                               "invalid %%-escape '%.3s' in URI '%s'", s + i, uri);
                free(out);
                return NULL;
            }
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (plusIsSpace && s[i] == '+') {
            out[j++] = ' ';
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

static void
virURIEncode(virBuffer *buf, const char *s, const char *safe)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (isascii(c) && (isalnum(c) || strchr(safe, c))) {
            virBufferAddChar(buf, c);
        } else {
            virBufferAddChar(buf, '%');
            virBufferAddChar(buf, hex[c >> 4]);
            virBufferAddChar(buf, hex[c & 0xf]);
        }
    }
}

static int
virURIParseParams(virURI *uri, const char *whole)
{
    VIR_AUTOSTRINGLIST fields = virStringSplit(uri->query, '&');
    size_t i;

    for (i = 0; fields[i]; i++) {
        const char *eq;
        virURIParam param = { NULL, NULL };

        /* ';' is the older separator; accept both. */
        VIR_AUTOSTRINGLIST parts = virStringSplit(fields[i], ';');
        size_t j;

        for (j = 0; parts[j]; j++) {
            if (!*parts[j])
                continue;
            eq = strchr(parts[j], '=');
            param.name = virURIDecode(whole, parts[j],
                                      eq ? (size_t)(eq - parts[j]) : strlen(parts[j]), true);
            param.value = eq ? virURIDecode(whole, eq + 1, strlen(eq + 1), true) : virStrdup("");
            if (!param.name || !param.value) {
                free(param.name);
                free(param.value);
                return -1;
            }
            VIR_APPEND_ELEMENT(uri->params, uri->nparams, param);
        }
    }
    return 0;
}

/* [user@]host[:port], with host possibly a bracketed IPv6 address. */
static int
virURIParseAuthority(virURI *uri, const char *whole, const char *s, size_t len)
{
    const char *end = s + len;
    const char *at = NULL;
    const char *p;
    const char *hostEnd;
    const char *portStart = NULL;

    for (p = s; p < end; p++) {
        if (*p == '@')
            at = p;
    }
    if (at) {
        if (!(uri->user = virURIDecode(whole, s, at - s, false)))
            return -1;
        s = at + 1;
    }

    if (s < end && *s == '[') {
        const char *close = memchr(s, ']', end - s);

        if (!close) {
            virReportError(VIR_ERR_INVALID_ARG, "unterminated '[' in the host of URI '%s'", whole);
            return -1;
        }
        uri->server = virStrndup(s + 1, close - s - 1);
        hostEnd = close + 1;
        if (hostEnd < end && *hostEnd != ':') {
            virReportError(VIR_ERR_INVALID_ARG, "unexpected text after ']' in URI '%s'", whole);
            return -1;
        }
        if (hostEnd < end)
            portStart = hostEnd + 1;
    } else {
        const char *colon = memchr(s, ':', end - s);

        hostEnd = colon ? colon : end;
        if (hostEnd > s && !(uri->server = virURIDecode(whole, s, hostEnd - s, false)))
            return -1;
        if (colon)
            portStart = colon + 1;
    }

    if (portStart && portStart < end) {
        VIR_AUTOFREE(char *) port = virStrndup(portStart, end - portStart);
        unsigned int value;

        if (virStrToLong_ui(port, 10, &value) < 0 || !isdigit((unsigned char)port[0]) ||
            value > 65535) {
            virReportError(VIR_ERR_INVALID_ARG, "invalid port '%s' in URI '%s'", port, whole);
            return -1;
        }
        uri->port = (int)value;
    }
    if (uri->server && !*uri->server)
        VIR_FREE(uri->server);
    return 0;
}

virURI *
virURIParse(const char *str)
{
    virURI *uri = NULL;
    const char *p;
    const char *colon;
    size_t len;

    if (!str) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "URI must not be NULL");
        return NULL;
    }

    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    colon = strchr(str, ':');
    if (!colon || colon == str || !isalpha((unsigned char)str[0])) {
        virReportError(VIR_ERR_INVALID_ARG, "URI '%s' has no scheme (expected e.g. test:///default)",
                       str);
        return NULL;
    }
    for (p = str; p < colon; p++) {
        if (!isascii((unsigned char)*p) ||
            !(isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')) {
            virReportError(VIR_ERR_INVALID_ARG, "invalid character '%c' in the scheme of URI '%s'",
                           *p, str);
            return NULL;
        }
    }

    VIR_ALLOC(uri);
    uri->scheme = virStrndup(str, colon - str);
    p = colon + 1;

    if (STRPREFIX(p, "//")) {
        p += 2;
        len = strcspn(p, "/?#");
        uri->hasAuthority = true;
        if (virURIParseAuthority(uri, str, p, len) < 0)
            goto error;
        p += len;
    }

    len = strcspn(p, "?#");
    if (len && !(uri->path = virURIDecode(str, p, len, false)))
        goto error;
    p += len;

    if (*p == '?') {
        p++;
        len = strcspn(p, "#");
        uri->query = virStrndup(p, len);
        if (virURIParseParams(uri, str) < 0)
            goto error;
        p += len;
    }

    if (*p == '#') {
        p++;
        if (!(uri->fragment = virURIDecode(str, p, strlen(p), false)))
            goto error;
    }
    return uri;

 error:
    virURIFree(uri);
    return NULL;
}

char *
virURIFormat(const virURI *uri)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    size_t i;

    virBufferAsprintf(&buf, "%s:", uri->scheme);
    if (uri->hasAuthority || uri->server || uri->user || uri->port) {
        virBufferAddLit(&buf, "//");
        if (uri->user) {
            virURIEncode(&buf, uri->user, VIR_URI_SAFE_USER);
            virBufferAddChar(&buf, '@');
        }
        if (uri->server) {
            if (strchr(uri->server, ':'))
                virBufferAsprintf(&buf, "[%s]", uri->server);
            else
                virURIEncode(&buf, uri->server, VIR_URI_SAFE_UNRESERVED "!$&'()*+,;=");
        }
        if (uri->port)
            virBufferAsprintf(&buf, ":%d", uri->port);
    }
    if (uri->path) {
        /* With an authority the path must start with '/'. */
        if ((uri->hasAuthority || uri->server) && uri->path[0] != '/')
            virBufferAddChar(&buf, '/');
        virURIEncode(&buf, uri->path, VIR_URI_SAFE_PATH);
    }
    for (i = 0; i < uri->nparams; i++) {
        virBufferAddChar(&buf, i == 0 ? '?' : '&');
        virURIEncode(&buf, uri->params[i].name, VIR_URI_SAFE_PARAM);
        if (*uri->params[i].value) {
            virBufferAddChar(&buf, '=');
            virURIEncode(&buf, uri->params[i].value, VIR_URI_SAFE_PARAM);
        }
    }
    if (uri->fragment) {
        virBufferAddChar(&buf, '#');
        virURIEncode(&buf, uri->fragment, VIR_URI_SAFE_FRAGMENT);
    }
    return virBufferContentAndReset(&buf);
}

void
virURIFree(virURI *uri)
{
    size_t i;

    if (!uri)
        return;
    free(uri->scheme);
    free(uri->user);
    free(uri->server);
    free(uri->path);
    free(uri->query);
    free(uri->fragment);
    for (i = 0; i < uri->nparams; i++) {
        free(uri->params[i].name);
        free(uri->params[i].value);
    }
    free(uri->params);
    free(uri);
}

const char *
virURIGetParam(const virURI *uri, const char *name)
{
    size_t i;

    for (i = 0; i < uri->nparams; i++) {
        if (STREQ(uri->params[i].name, name))
            return uri->params[i].value;
    }
    return NULL;
}

char *
virURIGetDriverName(const virURI *uri)
{
    return virStrndup(uri->scheme, strcspn(uri->scheme, "+"));
}

const char *
virURIGetTransport(const virURI *uri)
{
    const char *plus = strchr(uri->scheme, '+');

    return plus ? plus + 1 : NULL;
}
