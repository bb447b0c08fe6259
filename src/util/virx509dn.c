/*
 * virx509dn.c: X.509 Distinguished Names in a normalised form.
 *
 * Two input syntaxes are accepted:
 *   RFC 4514   "CN=a,O=b,C=GB"   RDNs separated by ','; ';' (RFC 1779) and
 *                                 '+' (multi-valued RDNs) also separate, and
 *                                 each attribute then stands on its own;
 *                                 most specific first
 *   OpenSSL    "/C=GB/O=b/CN=a"  RDNs separated by '/', most significant
 *                                 first; ',', ';' and '+' are ordinary text
 * In both, '\' escapes the next special character ("\,", "\/", "\ ") or
 * starts two hex digits ("\C3\A9"); unescaped white space around names,
 * '=' and separators is dropped. A value starting with '#' (a BER hex
 * string) stays text: both sides of a comparison come from the same printer.
 *
 * The normal form is described in virx509dn.h.
 */
#include <config.h>

#include <ctype.h>
#include <fnmatch.h>
#include <string.h>
#include <strings.h>

#include "viralloc.h"
#include "virx509dn.h"

/* Names that mean the same attribute, mapped to the one we print. Dotted
 * OIDs are here too: GnuTLS prints those for types it has no name for. */
static const struct {
    const char *alias;
    const char *name;
} virX509DNAliases[] = {
    /* The common names first: the lookup runs for every attribute of
     * every DN of a policy file. */
    { "CN", "CN" }, { "O", "O" }, { "C", "C" }, { "OU", "OU" }, { "L", "L" }, { "ST", "ST" },
    { "COUNTRYNAME", "C" }, { "2.5.4.6", "C" },
    { "S", "ST" }, { "STATEORPROVINCENAME", "ST" }, { "2.5.4.8", "ST" },
    { "LOCALITYNAME", "L" }, { "2.5.4.7", "L" },
    { "ORGANIZATIONNAME", "O" }, { "2.5.4.10", "O" },
    { "ORGANIZATIONALUNITNAME", "OU" }, { "2.5.4.11", "OU" },
    { "COMMONNAME", "CN" }, { "2.5.4.3", "CN" },
    { "E", "EMAILADDRESS" }, { "EMAIL", "EMAILADDRESS" },
    { "1.2.840.113549.1.9.1", "EMAILADDRESS" },
    { "STREETADDRESS", "STREET" }, { "2.5.4.9", "STREET" },
    { "DOMAINCOMPONENT", "DC" }, { "0.9.2342.19200300.100.1.25", "DC" },
    { "USERID", "UID" }, { "0.9.2342.19200300.100.1.1", "UID" },
    { "SURNAME", "SN" }, { "2.5.4.4", "SN" },
    { "GIVENNAME", "GN" }, { "2.5.4.42", "GN" },
    { "2.5.4.5", "SERIALNUMBER" },
    { "T", "TITLE" }, { "2.5.4.12", "TITLE" },
};

/* Most significant first; every other name sorts after CN, by name. */
static const char *const virX509DNRankNames[] = { "C", "ST", "L", "O", "OU", "CN" };

/* Characters a backslash may escape ('/' for the slash form). */
#define VIR_X509DN_ESCAPABLE ",+\"\\<>;=# /"

static int
virX509DNHexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Is @c an RDN separator in this form? (A function, not strchr: it runs
 * for every byte of every DN of a policy file.) */
static inline bool
virX509DNIsSep(char c, bool slash)
{
    return slash ? c == '/' : (c == ',' || c == ';' || c == '+');
}

static bool
virX509DNIsSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The canonical upper-case name for @name (@len bytes, already trimmed),
 * or NULL with *@errmsg set if it is not an attribute name. */
static char *
virX509DNCanonicalName(const char *name, size_t len, char **errmsg)
{
    char *upper;
    bool oid;
    size_t i;

    if (len > 4 && strncasecmp(name, "OID.", 4) == 0) {
        name += 4;
        len -= 4;
    }
    /* Either a keyword (letter first; letters, digits, '-') or a dotted
     * OID (digits separated by single dots). */
    oid = isdigit((unsigned char)name[0]);
    for (i = 0; i < len; i++) {
        unsigned char c = name[i];
        bool ok;

        if (oid)
            ok = isdigit(c) || (c == '.' && i + 1 < len && name[i + 1] != '.');
        else
            ok = isalnum(c) || c == '-';
        if (!ok) {
            *errmsg = virPrintf("invalid attribute name '%.*s'", (int)len, name);
            return NULL;
        }
    }
    for (i = 0; i < G_N_ELEMENTS(virX509DNAliases); i++) {
        if (strlen(virX509DNAliases[i].alias) == len &&
            strncasecmp(virX509DNAliases[i].alias, name, len) == 0)
            return virStrdup(virX509DNAliases[i].name);
    }
    upper = virStrndup(name, len);
    for (i = 0; i < len; i++)
        upper[i] = toupper((unsigned char)upper[i]);
    return upper;
}

static size_t
virX509DNRank(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virX509DNRankNames); i++) {
        if (STREQ(name, virX509DNRankNames[i]))
            return i;
    }
    return G_N_ELEMENTS(virX509DNRankNames);
}

/* Stable insertion sort into normal order; DNs have a handful of RDNs. */
static void
virX509DNSort(virX509DN *dn)
{
    size_t i, j;

    for (i = 1; i < dn->nattrs; i++) {
        virX509DNAttr tmp = dn->attrs[i];
        size_t rank = virX509DNRank(tmp.name);

        for (j = i; j > 0; j--) {
            const virX509DNAttr *prev = &dn->attrs[j - 1];
            size_t prank = virX509DNRank(prev->name);

            if (prank < rank ||
                (prank == rank && (rank < G_N_ELEMENTS(virX509DNRankNames) ||
                                   strcmp(prev->name, tmp.name) <= 0)))
                break;
            dn->attrs[j] = dn->attrs[j - 1];
        }
        dn->attrs[j] = tmp;
    }
}

/* Parse one value starting at *@pp up to an unescaped separator or the
 * end; leaves *@pp on that separator. Unescaped trailing white space is
 * dropped (leading white space was skipped by the caller). */
static char *
virX509DNParseValue(const char **pp, bool slash, char **errmsg)
{
    const char *p = *pp;
    const char *end = p;
    size_t keep = 0;    /* length up to the last byte that is not trailing space */
    size_t used = 0;
    char *value;

    /* Unescaping only shrinks: the raw component bounds the value. */
    while (*end && !virX509DNIsSep(*end, slash)) {
        if (*end == '\\' && end[1])
            end++;
        end++;
    }
    value = virAllocN(end - p + 1, 1);

    while (*p && !virX509DNIsSep(*p, slash)) {
        if (*p == '\\') {
            int hi = virX509DNHexDigit(p[1]);
            int lo = hi >= 0 ? virX509DNHexDigit(p[2]) : -1;

            if (p[1] == '\0') {
                *errmsg = virPrintf("trailing backslash");
                goto error;
            }
            if (hi >= 0 && lo >= 0) {
                if (hi == 0 && lo == 0) {
                    *errmsg = virPrintf("NUL byte (\\00) in value");
                    goto error;
                }
                value[used++] = (char)(hi * 16 + lo);
                p += 3;
            } else if (hi >= 0) {
                *errmsg = virPrintf("invalid hex escape '\\%.*s' (expected two hex digits)",
                                    p[2] ? 2 : 1, p + 1);
                goto error;
            } else if (strchr(VIR_X509DN_ESCAPABLE, p[1])) {
                value[used++] = p[1];
                p += 2;
            } else {
                *errmsg = virPrintf("invalid escape '\\%c'", p[1]);
                goto error;
            }
            keep = used;
            continue;
        }
        value[used++] = *p;
        if (!virX509DNIsSpace(*p))
            keep = used;
        p++;
    }
    *pp = p;
    value[keep] = '\0';
    return value;

 error:
    free(value);
    return NULL;
}

/* The text of the component starting at @p, up to the next unescaped
 * separator, trimmed: for error messages. Caller frees. */
static char *
virX509DNComponentText(const char *p, bool slash)
{
    const char *end = p;
    const char *start;

    while (*end && !virX509DNIsSep(*end, slash)) {
        if (*end == '\\' && end[1])
            end++;
        end++;
    }
    while (p < end && virX509DNIsSpace(*p))
        p++;
    start = p;
    while (end > start && virX509DNIsSpace(end[-1]))
        end--;
    return virStrndup(start, end - start);
}

/* Parse @str in either form into @dn in normal order. 0, or -1 with
 * *@errmsg (caller frees) saying what is wrong; @dn is then empty. */
int
virX509DNParse(const char *str, virX509DN *dn, char **errmsg)
{
    const char *p = str;
    bool slash = false;

    dn->attrs = NULL;
    dn->nattrs = 0;
    *errmsg = NULL;

    while (virX509DNIsSpace(*p))
        p++;
    if (!*p) {
        *errmsg = virPrintf("empty DN");
        return -1;
    }
    if (*p == '/') {
        slash = true;
        p++;
    }
    {
        /* At most one attribute per separator, plus one. */
        size_t max = 1;
        const char *q;

        for (q = p; *q; q++)
            max += virX509DNIsSep(*q, slash);
        VIR_ALLOC_N(dn->attrs, max);
    }

    for (;;) {
        const char *compStart = p;
        const char *nameStart, *nameEnd;
        virX509DNAttr attr = { NULL, NULL };

        while (virX509DNIsSpace(*p))
            p++;
        nameStart = p;
        while (*p && *p != '=' && !virX509DNIsSep(*p, slash))
            p++;
        if (*p != '=') {
            VIR_AUTOFREE(char *) text = virX509DNComponentText(compStart, slash);

            if (*text)
                *errmsg = virPrintf("missing '=' in '%s'", text);
            else if (*p == '\0')
                *errmsg = virPrintf("trailing '%c'", slash ? '/' : p[-1]);
            else
                *errmsg = virPrintf("empty RDN before '%c'", *p);
            goto error;
        }
        nameEnd = p;
        while (nameEnd > nameStart && virX509DNIsSpace(nameEnd[-1]))
            nameEnd--;
        if (nameEnd == nameStart) {
            VIR_AUTOFREE(char *) text = virX509DNComponentText(compStart, slash);

            *errmsg = virPrintf("empty attribute name in '%s'", text);
            goto error;
        }
        if (!(attr.name = virX509DNCanonicalName(nameStart, nameEnd - nameStart, errmsg)))
            goto error;

        p++;
        while (virX509DNIsSpace(*p))
            p++;
        if (!(attr.value = virX509DNParseValue(&p, slash, errmsg))) {
            free(attr.name);
            goto error;
        }
        dn->attrs[dn->nattrs++] = attr;

        if (!*p)
            break;
        p++;
        {
            const char *q = p;

            while (virX509DNIsSpace(*q))
                q++;
            if (!*q) {
                *errmsg = virPrintf("trailing '%c'", p[-1]);
                goto error;
            }
        }
    }

    /* The slash form lists the most significant RDN first: turn it into
     * RFC 4514 order so equal names keep that order after the sort. */
    if (slash) {
        size_t i;

        for (i = 0; i < dn->nattrs / 2; i++) {
            virX509DNAttr tmp = dn->attrs[i];

            dn->attrs[i] = dn->attrs[dn->nattrs - 1 - i];
            dn->attrs[dn->nattrs - 1 - i] = tmp;
        }
    }
    virX509DNSort(dn);
    return 0;

 error:
    virX509DNClear(dn);
    return -1;
}

/* Free what @dn holds and empty it; @dn itself belongs to the caller. */
void
virX509DNClear(virX509DN *dn)
{
    size_t i;

    if (!dn)
        return;
    for (i = 0; i < dn->nattrs; i++) {
        free(dn->attrs[i].name);
        free(dn->attrs[i].value);
    }
    VIR_FREE(dn->attrs);
    dn->nattrs = 0;
}

/* Write @value escaped for the normal form at @out; returns the end. */
static char *
virX509DNEscapeValue(char *out, const char *value)
{
    size_t len = strlen(value);
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = value[i];

        if (strchr(",+\"\\<>;", c) ||
            (i == 0 && (c == ' ' || c == '#')) ||
            (i == len - 1 && c == ' ')) {
            *out++ = '\\';
            *out++ = c;
        } else if (c < 0x20 || c == 0x7f) {
            *out++ = '\\';
            *out++ = "0123456789ABCDEF"[c >> 4];
            *out++ = "0123456789ABCDEF"[c & 0xf];
        } else {
            *out++ = c;
        }
    }
    return out;
}

/* The normal-form string of @dn ("" for no attributes). Caller frees. */
char *
virX509DNFormat(const virX509DN *dn)
{
    size_t need = 1;
    char *ret, *out;
    size_t i;

    /* Escaping at most triples a byte ("\XX"). */
    for (i = 0; i < dn->nattrs; i++)
        need += strlen(dn->attrs[i].name) + 2 + 3 * strlen(dn->attrs[i].value);
    out = ret = virAllocN(need, 1);
    for (i = 0; i < dn->nattrs; i++) {
        size_t n = strlen(dn->attrs[i].name);

        if (i)
            *out++ = ',';
        memcpy(out, dn->attrs[i].name, n);
        out += n;
        *out++ = '=';
        out = virX509DNEscapeValue(out, dn->attrs[i].value);
    }
    *out = '\0';
    return ret;
}

/* Parse and format; NULL with *@errmsg (caller frees) if malformed. */
char *
virX509DNNormalize(const char *str, char **errmsg)
{
    virX509DN dn;
    char *ret;

    if (virX509DNParse(str, &dn, errmsg) < 0)
        return NULL;
    ret = virX509DNFormat(&dn);
    virX509DNClear(&dn);
    return ret;
}

/* Same names in the same order, each pattern value an fnmatch(3) glob
 * matching the subject's value. No allocation: safe on hot paths. */
bool
virX509DNMatch(const virX509DN *pattern, const virX509DN *subject)
{
    size_t i;

    if (pattern->nattrs != subject->nattrs)
        return false;
    for (i = 0; i < pattern->nattrs; i++) {
        if (STRNEQ(pattern->attrs[i].name, subject->attrs[i].name) ||
            fnmatch(pattern->attrs[i].value, subject->attrs[i].value, 0) != 0)
            return false;
    }
    return true;
}

bool
virX509DNHasGlob(const virX509DN *dn)
{
    size_t i;

    for (i = 0; i < dn->nattrs; i++) {
        if (strpbrk(dn->attrs[i].value, "*?["))
            return true;
    }
    return false;
}

/* Read back a string produced by virX509DNFormat without allocating:
 * the names and unescaped values are copied into @buf and @attrs point
 * into it. Returns the number of attributes, or -1 if @normal is not in
 * normal form or does not fit in @buflen bytes / @maxattrs attributes. */
int
virX509DNSplitNormal(const char *normal, char *buf, size_t buflen,
                     virX509DNAttr *attrs, size_t maxattrs)
{
    const char *p = normal;
    size_t used = 0;
    size_t n = 0;

#define VIR_X509DN_PUT(c) \
    do { \
        if (used >= buflen) \
            return -1; \
        buf[used++] = (c); \
    } while (0)

    if (!*p)
        return 0;
    for (;;) {
        if (n >= maxattrs)
            return -1;
        attrs[n].name = buf + used;
        while (*p && *p != '=')
            VIR_X509DN_PUT(*p++);
        if (*p != '=')
            return -1;
        VIR_X509DN_PUT('\0');
        p++;
        attrs[n].value = buf + used;
        while (*p && *p != ',') {
            if (*p == '\\') {
                int hi = virX509DNHexDigit(p[1]);
                int lo = hi >= 0 ? virX509DNHexDigit(p[2]) : -1;

                if (hi >= 0 && lo >= 0) {
                    VIR_X509DN_PUT((char)(hi * 16 + lo));
                    p += 3;
                    continue;
                }
                if (!p[1])
                    return -1;
                p++;
            }
            VIR_X509DN_PUT(*p++);
        }
        VIR_X509DN_PUT('\0');
        n++;
        if (!*p)
            break;
        p++;
    }
#undef VIR_X509DN_PUT
    return n;
}
