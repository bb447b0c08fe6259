/*
 * virconf.c: configuration files in libvirtd.conf syntax.
 *
 * Two stages, as in PostgreSQL's hba.c: virConfRead* turns the text into a
 * list of typed entries (syntax only), virConfLoad checks the entries
 * against a key table and stores them (meaning). Both keep going after an
 * error so that one run reports every bad line.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "viralloc.h"
#include "virbuffer.h"
#include "virconf.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"

#define VIR_FROM_THIS VIR_FROM_CONF

VIR_LOG_INIT("util.conf");

/* ---- error collection -------------------------------------------------- */

/* Messages of one read or load, reported together at the end. */
typedef struct {
    const char *filename;
    virBuffer buf;
    size_t count;
} virConfErrors;

static void ATTRIBUTE_FMT_PRINTF(3, 4)
virConfErrorAdd(virConfErrors *errs, int line, const char *fmt, ...)
{
    VIR_AUTOFREE(char *) msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = virVPrintf(fmt, ap);
    va_end(ap);

    VIR_ERROR("%s:%d: %s", errs->filename, line, msg);
    if (errs->count++ > 0)
        virBufferAddChar(&errs->buf, '\n');
    virBufferAsprintf(&errs->buf, "%s:%d: %s", errs->filename, line, msg);
}

/* Report everything collected as one error. Returns 0 if there was nothing. */
static int
virConfErrorsFinish(virConfErrors *errs)
{
    if (errs->count == 0) {
        virBufferFreeAndReset(&errs->buf);
        return 0;
    }
    virReportError(VIR_ERR_CONF_SYNTAX, "%s", virBufferCurrentContent(&errs->buf));
    virBufferFreeAndReset(&errs->buf);
    return -1;
}

/* ---- values and entries ------------------------------------------------ */

static void
virConfValueClear(virConfValue *val)
{
    size_t i;

    for (i = 0; i < val->nitems; i++)
        virConfValueClear(&val->items[i]);
    free(val->items);
    free(val->str);
    memset(val, 0, sizeof(*val));
}

void
virConfFree(virConf *conf)
{
    size_t i;

    if (!conf)
        return;
    for (i = 0; i < conf->nentries; i++) {
        free(conf->entries[i].name);
        virConfValueClear(&conf->entries[i].value);
    }
    free(conf->entries);
    free(conf->filename);
    free(conf);
}

const virConfEntry *
virConfGet(const virConf *conf, const char *key)
{
    size_t i;

    for (i = 0; i < conf->nentries; i++) {
        if (STREQ(conf->entries[i].name, key))
            return &conf->entries[i];
    }
    return NULL;
}

/* ---- the parser --------------------------------------------------------
 *
 *   file    := { line }
 *   line    := [ name '=' value ] [ '#' comment ] end-of-line
 *   value   := integer | string | list
 *   list    := '[' [ string { ',' string } [ ',' ] ] ']'   (may span lines,
 *              with comments between items)
 *   string  := "..." | '...'   (\" \' \\ are escapes; any other backslash
 *              is kept as it is, so DNs like "CN=Smith\, John" read as written)
 *
 * On an error the rest of the line (or of the list) is skipped and parsing
 * resumes on the next line. */

typedef struct {
    const char *cur;
    const char *end;
    int line;
    virConfErrors errs;
} virConfParser;

static bool
virConfAtEnd(const virConfParser *p)
{
    return p->cur >= p->end;
}

static char
virConfPeek(const virConfParser *p)
{
    return virConfAtEnd(p) ? '\0' : *p->cur;
}

/* Blanks within a line ('\r' too, so that CRLF files read fine). */
static void
virConfSkipBlanks(virConfParser *p)
{
    while (!virConfAtEnd(p) && (*p->cur == ' ' || *p->cur == '\t' || *p->cur == '\r'))
        p->cur++;
}

static void
virConfSkipComment(virConfParser *p)
{
    if (virConfPeek(p) != '#')
        return;
    while (!virConfAtEnd(p) && *p->cur != '\n')
        p->cur++;
}

/* Consume the newline at p->cur, if any. */
static void
virConfSkipNewline(virConfParser *p)
{
    if (virConfPeek(p) == '\n') {
        p->cur++;
        p->line++;
    }
}

/* Blanks, comments and newlines: what may separate list items. */
static void
virConfSkipSpace(virConfParser *p)
{
    for (;;) {
        virConfSkipBlanks(p);
        virConfSkipComment(p);
        if (virConfPeek(p) != '\n')
            return;
        virConfSkipNewline(p);
    }
}

static void
virConfSkipLine(virConfParser *p)
{
    while (!virConfAtEnd(p) && *p->cur != '\n')
        p->cur++;
    virConfSkipNewline(p);
}

static bool
virConfIsNameStart(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool
virConfIsNameChar(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* A run of characters that could be a bare word or a number, for messages
 * and for numbers: stops at blanks, quotes, separators and comments. */
static size_t
virConfWordLength(const virConfParser *p)
{
    const char *s = p->cur;

    while (s < p->end && !strchr(" \t\r\n#,[]=\"'", *s))
        s++;
    return s - p->cur;
}

/* Read the word at p->cur for an error message; empty words show the
 * character (or "end of line"/"end of file") found instead. */
static char *
virConfDescribeHere(const virConfParser *p)
{
    size_t len = virConfWordLength(p);

    if (virConfAtEnd(p))
        return virStrdup("end of file");
    if (*p->cur == '\n')
        return virStrdup("end of line");
    if (len == 0)
        len = 1;
    if (len > 40)
        return virPrintf("'%.40s...'", p->cur);
    return virPrintf("'%.*s'", (int)len, p->cur);
}

static int
virConfParseString(virConfParser *p, virConfValue *val)
{
    char quote = *p->cur;
    virBuffer buf = VIR_BUFFER_INITIALIZER;

    p->cur++;
    for (;;) {
        char c = virConfPeek(p);

        if (virConfAtEnd(p) || c == '\n') {
            virConfErrorAdd(&p->errs, p->line, "unterminated string");
            virBufferFreeAndReset(&buf);
            return -1;
        }
        p->cur++;
        if (c == quote)
            break;
        if (c == '\\' && !virConfAtEnd(p) &&
            (*p->cur == '\\' || *p->cur == '"' || *p->cur == '\'')) {
            c = *p->cur;
            p->cur++;
        }
        virBufferAddChar(&buf, c);
    }
    val->type = VIR_CONF_VALUE_STRING;
    val->str = virBufferContentAndReset(&buf);
    return 0;
}

static int
virConfParseNumber(virConfParser *p, virConfValue *val)
{
    size_t len = virConfWordLength(p);
    VIR_AUTOFREE(char *) word = virStrndup(p->cur, len);
    const char *digits = word + (*word == '-' || *word == '+');

    p->cur += len;
    if (!*digits || strspn(digits, "0123456789") != strlen(digits)) {
        virConfErrorAdd(&p->errs, p->line, "invalid number '%s'", word);
        return -1;
    }
    if (virStrToLong_ll(word, 10, &val->i) < 0) {
        virConfErrorAdd(&p->errs, p->line, "number '%s' is out of range", word);
        return -1;
    }
    val->type = VIR_CONF_VALUE_INT;
    return 0;
}

/* True if a line starting at p->cur looks like "name =": the list before
 * it was most likely left open. */
static bool
virConfLooksLikeSetting(const virConfParser *p)
{
    const char *s = p->cur;

    if (s >= p->end || !virConfIsNameStart(*s))
        return false;
    while (s < p->end && virConfIsNameChar(*s))
        s++;
    while (s < p->end && (*s == ' ' || *s == '\t'))
        s++;
    return s < p->end && *s == '=';
}

/* Skip the remains of a broken list: past its ']' (quotes respected) and
 * the rest of that line, or up to a line where the next setting seems to
 * start, or to the end of the file. */
static void
virConfSkipList(virConfParser *p, bool atLineStart)
{
    const char *lineStart = NULL;

    if (atLineStart) {
        virConfSkipBlanks(p);
        lineStart = p->cur;
    }

    while (!virConfAtEnd(p)) {
        char c = *p->cur;

        if (lineStart == p->cur && virConfLooksLikeSetting(p))
            return;
        if (c == ']') {
            virConfSkipLine(p);
            return;
        }
        if (c == '"' || c == '\'') {
            const char *close = memchr(p->cur + 1, c, p->end - p->cur - 1);
            const char *nl = memchr(p->cur + 1, '\n', p->end - p->cur - 1);

            if (close && (!nl || close < nl)) {
                p->cur = close + 1;
                continue;
            }
        }
        if (c == '#') {
            virConfSkipComment(p);
            continue;
        }
        if (c == '\n') {
            virConfSkipNewline(p);
            virConfSkipBlanks(p);
            lineStart = p->cur;
            continue;
        }
        p->cur++;
    }
}

static int
virConfParseList(virConfParser *p, virConfValue *val)
{
    int startLine = p->line;

    val->type = VIR_CONF_VALUE_LIST;
    p->cur++;       /* '[' */
    for (;;) {
        virConfValue item = { 0 };
        VIR_AUTOFREE(char *) what = NULL;
        char c;

        virConfSkipSpace(p);
        c = virConfPeek(p);
        if (virConfAtEnd(p)) {
            virConfErrorAdd(&p->errs, startLine, "unterminated list (missing ']')");
            return -1;
        }
        if (c == ']') {
            p->cur++;
            return 0;
        }
        if (c != '"' && c != '\'') {
            if (p->line != startLine && virConfLooksLikeSetting(p)) {
                /* Leave the next setting for the caller to parse. */
                virConfErrorAdd(&p->errs, startLine,
                                "unterminated list (missing ']' before line %d)", p->line);
                return -1;
            }
            what = virConfDescribeHere(p);
            if (isdigit((unsigned char)c) || c == '-' || c == '+')
                virConfErrorAdd(&p->errs, p->line,
                                "list items must be quoted strings, got the number %s", what);
            else
                virConfErrorAdd(&p->errs, p->line,
                                "list items must be quoted strings, got %s", what);
            virConfSkipList(p, false);
            return -1;
        }
        item.line = p->line;
        if (virConfParseString(p, &item) < 0) {
            virConfSkipLine(p);
            virConfSkipList(p, true);
            return -1;
        }
        VIR_APPEND_ELEMENT(val->items, val->nitems, item);

        virConfSkipSpace(p);
        c = virConfPeek(p);
        if (c == ',') {
            p->cur++;
        } else if (c != ']') {
            if (virConfAtEnd(p)) {
                virConfErrorAdd(&p->errs, startLine, "unterminated list (missing ']')");
                return -1;
            }
            if (virConfLooksLikeSetting(p)) {
                virConfErrorAdd(&p->errs, startLine,
                                "unterminated list (missing ']' before line %d)", p->line);
                return -1;
            }
            what = virConfDescribeHere(p);
            virConfErrorAdd(&p->errs, p->line,
                            "expected ',' or ']' after a list item, got %s", what);
            virConfSkipList(p, false);
            return -1;
        }
    }
}

static int
virConfParseValue(virConfParser *p, virConfValue *val)
{
    char c = virConfPeek(p);
    VIR_AUTOFREE(char *) what = NULL;

    val->line = p->line;
    if (c == '"' || c == '\'')
        return virConfParseString(p, val);
    if (c == '[')
        return virConfParseList(p, val);
    if (isdigit((unsigned char)c) || c == '-' || c == '+')
        return virConfParseNumber(p, val);

    what = virConfDescribeHere(p);
    virConfErrorAdd(&p->errs, p->line,
                    "expected a value (number, quoted string or list), got %s", what);
    return -1;
}

/* One "name = value" at p->cur, up to and including its end of line.
 * Returns 0 with *@entry filled, or -1 after recording an error. */
static int
virConfParseEntry(virConfParser *p, virConfEntry *entry)
{
    const char *start = p->cur;
    VIR_AUTOFREE(char *) what = NULL;

    entry->line = p->line;
    if (!virConfIsNameStart(*p->cur)) {
        what = virConfDescribeHere(p);
        virConfErrorAdd(&p->errs, p->line, "expected a setting name, got %s", what);
        goto skip;
    }
    while (!virConfAtEnd(p) && virConfIsNameChar(*p->cur))
        p->cur++;
    entry->name = virStrndup(start, p->cur - start);

    virConfSkipBlanks(p);
    if (virConfPeek(p) != '=') {
        what = virConfDescribeHere(p);
        virConfErrorAdd(&p->errs, p->line, "expected '=' after '%s', got %s",
                        entry->name, what);
        goto skip;
    }
    p->cur++;
    virConfSkipBlanks(p);

    if (virConfParseValue(p, &entry->value) < 0) {
        /* A broken list has already been skipped past its end. */
        if (entry->value.type != VIR_CONF_VALUE_LIST)
            goto skip;
        return -1;
    }

    virConfSkipBlanks(p);
    virConfSkipComment(p);
    if (!virConfAtEnd(p) && *p->cur != '\n') {
        what = virConfDescribeHere(p);
        virConfErrorAdd(&p->errs, p->line, "unexpected %s after the value of '%s'",
                        what, entry->name);
        goto skip;
    }
    virConfSkipNewline(p);
    return 0;

 skip:
    virConfSkipLine(p);
    return -1;
}

static virConf *
virConfParse(const char *content, size_t len, const char *name)
{
    virConfParser p = {
        .cur = content, .end = content + len, .line = 1,
        .errs = { .filename = name, .buf = VIR_BUFFER_INITIALIZER },
    };
    virConf *conf;

    VIR_ALLOC(conf);
    conf->filename = virStrdup(name);

    while (!virConfAtEnd(&p)) {
        virConfEntry entry = { 0 };

        virConfSkipBlanks(&p);
        virConfSkipComment(&p);
        if (virConfAtEnd(&p))
            break;
        if (*p.cur == '\n') {
            virConfSkipNewline(&p);
            continue;
        }
        if (virConfParseEntry(&p, &entry) < 0) {
            free(entry.name);
            virConfValueClear(&entry.value);
            continue;
        }
        VIR_APPEND_ELEMENT(conf->entries, conf->nentries, entry);
    }

    if (virConfErrorsFinish(&p.errs) < 0) {
        virConfFree(conf);
        return NULL;
    }
    return conf;
}

virConf *
virConfReadString(const char *content, const char *name)
{
    return virConfParse(content, strlen(content), name);
}

virConf *
virConfReadFile(const char *path)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) content = NULL;
    const char *nul;
    size_t len;
    char chunk[8192];
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        virReportSystemError(errno, "cannot open configuration file '%s'", path);
        return NULL;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            virReportSystemError(errno, "cannot read configuration file '%s'", path);
            close(fd);
            virBufferFreeAndReset(&buf);
            return NULL;
        }
        if (n == 0)
            break;
        virBufferAdd(&buf, chunk, n);
    }
    close(fd);

    len = virBufferUse(&buf);
    content = virBufferContentAndReset(&buf);
    /* The parser stops at nothing, but messages and strings would stop at
     * a NUL byte: refuse binary files plainly. */
    if ((nul = memchr(content, '\0', len))) {
        int line = 1;
        const char *s;

        for (s = content; s < nul; s++)
            line += *s == '\n';
        virReportError(VIR_ERR_CONF_SYNTAX, "%s:%d: unexpected NUL byte", path, line);
        return NULL;
    }
    return virConfParse(content, len, path);
}

/* ---- strict loading through a key table -------------------------------- */

static const char *
virConfValueTypeDescription(virConfValueType type)
{
    switch (type) {
    case VIR_CONF_VALUE_INT:
        return "an integer";
    case VIR_CONF_VALUE_STRING:
        return "a string";
    case VIR_CONF_VALUE_LIST:
        return "a list";
    }
    return "an unknown value";
}

/* Check @n against the key's bounds (and the C type's). */
static int
virConfCheckRange(virConfErrors *errs, const virConfEntry *entry,
                  const virConfKey *key, long long n)
{
    long long min = key->type == VIR_CONF_KEY_UINT ? 0 : INT_MIN;
    long long max = key->type == VIR_CONF_KEY_UINT ? (long long)UINT_MAX : INT_MAX;

    if (key->min != 0 || key->max != 0) {
        min = key->min;
        max = key->max;
    }
    if (n < min || n > max) {
        virConfErrorAdd(errs, entry->line, "setting '%s' must be between %lld and %lld, got %lld",
                        key->name, min, max, n);
        return -1;
    }
    return 0;
}

static char **
virConfListToStrings(const virConfValue *val)
{
    char **list;
    size_t i;

    VIR_ALLOC_N(list, val->nitems + 1);
    for (i = 0; i < val->nitems; i++)
        list[i] = virStrdup(val->items[i].str);
    return list;
}

static int
virConfStorePort(virConfErrors *errs, const virConfEntry *entry,
                 const virConfKey *key, char **field)
{
    const virConfValue *val = &entry->value;
    long long port;

    if (val->type == VIR_CONF_VALUE_INT) {
        port = val->i;
    } else if (val->type == VIR_CONF_VALUE_STRING) {
        if (strspn(val->str, "0123456789") != strlen(val->str) ||
            virStrToLong_ll(val->str, 10, &port) < 0) {
            virConfErrorAdd(errs, entry->line,
                            "setting '%s' expects a port number, got '%s'",
                            key->name, val->str);
            return -1;
        }
    } else {
        virConfErrorAdd(errs, entry->line, "setting '%s' expects a port number, got %s",
                        key->name, virConfValueTypeDescription(val->type));
        return -1;
    }
    if (port < 0 || port > 65535) {
        virConfErrorAdd(errs, entry->line,
                        "setting '%s' must be a port between 0 and 65535, got %lld",
                        key->name, port);
        return -1;
    }
    free(*field);
    *field = virPrintf("%lld", port);
    return 0;
}

/* Store one entry into the field @key describes. -1 after recording an error. */
static int
virConfStoreEntry(virConfErrors *errs, const virConfEntry *entry,
                  const virConfKey *key, char *target)
{
    const virConfValue *val = &entry->value;
    void *field = target + key->offset;
    static const virConfValueType wants[] = {
        [VIR_CONF_KEY_BOOL] = VIR_CONF_VALUE_INT,
        [VIR_CONF_KEY_INT] = VIR_CONF_VALUE_INT,
        [VIR_CONF_KEY_UINT] = VIR_CONF_VALUE_INT,
        [VIR_CONF_KEY_STRING] = VIR_CONF_VALUE_STRING,
        [VIR_CONF_KEY_STRING_LIST] = VIR_CONF_VALUE_LIST,
    };
    static const char *const wantNames[] = {
        [VIR_CONF_KEY_BOOL] = "0 or 1",
        [VIR_CONF_KEY_INT] = "an integer",
        [VIR_CONF_KEY_UINT] = "an integer",
        [VIR_CONF_KEY_STRING] = "a string",
        [VIR_CONF_KEY_STRING_LIST] = "a list of strings",
    };

    if (key->type == VIR_CONF_KEY_PORT)
        return virConfStorePort(errs, entry, key, field);

    if (val->type != wants[key->type]) {
        virConfErrorAdd(errs, entry->line, "setting '%s' expects %s, got %s",
                        key->name, wantNames[key->type],
                        virConfValueTypeDescription(val->type));
        return -1;
    }

    switch (key->type) {
    case VIR_CONF_KEY_BOOL:
        if (val->i != 0 && val->i != 1) {
            virConfErrorAdd(errs, entry->line, "setting '%s' expects 0 or 1, got %lld",
                            key->name, val->i);
            return -1;
        }
        *(bool *)field = val->i;
        break;
    case VIR_CONF_KEY_INT:
        if (virConfCheckRange(errs, entry, key, val->i) < 0)
            return -1;
        *(int *)field = val->i;
        break;
    case VIR_CONF_KEY_UINT:
        if (virConfCheckRange(errs, entry, key, val->i) < 0)
            return -1;
        *(unsigned int *)field = val->i;
        break;
    case VIR_CONF_KEY_STRING:
        free(*(char **)field);
        *(char **)field = virStrdup(val->str);
        break;
    case VIR_CONF_KEY_STRING_LIST:
        virStringListFree(*(char ***)field);
        *(char ***)field = virConfListToStrings(val);
        break;
    case VIR_CONF_KEY_PORT:
        break;
    }
    return 0;
}

int
virConfLoad(const virConf *conf, const virConfKey *keys, size_t nkeys, void *target)
{
    virConfErrors errs = { .filename = conf->filename, .buf = VIR_BUFFER_INITIALIZER };
    VIR_AUTOFREE(int *) seenAt = NULL;      /* line each key was first set at */
    size_t i, k;

    VIR_ALLOC_N(seenAt, nkeys);
    for (i = 0; i < conf->nentries; i++) {
        const virConfEntry *entry = &conf->entries[i];

        for (k = 0; k < nkeys; k++) {
            if (STREQ(keys[k].name, entry->name))
                break;
        }
        if (k == nkeys) {
            virConfErrorAdd(&errs, entry->line, "unknown setting '%s'", entry->name);
            continue;
        }
        if (seenAt[k]) {
            virConfErrorAdd(&errs, entry->line, "setting '%s' already set at line %d",
                            entry->name, seenAt[k]);
            continue;
        }
        seenAt[k] = entry->line;
        virConfStoreEntry(&errs, entry, &keys[k], target);
    }
    return virConfErrorsFinish(&errs);
}

void
virConfKeysClear(const virConfKey *keys, size_t nkeys, void *target)
{
    size_t k;

    for (k = 0; k < nkeys; k++) {
        void *field = (char *)target + keys[k].offset;

        switch (keys[k].type) {
        case VIR_CONF_KEY_STRING:
        case VIR_CONF_KEY_PORT:
            VIR_FREE(*(char **)field);
            break;
        case VIR_CONF_KEY_STRING_LIST:
            virStringListFree(*(char ***)field);
            *(char ***)field = NULL;
            break;
        case VIR_CONF_KEY_BOOL:
        case VIR_CONF_KEY_INT:
        case VIR_CONF_KEY_UINT:
            break;
        }
    }
}
