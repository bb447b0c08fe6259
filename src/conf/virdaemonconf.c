/*
 * virdaemonconf.c: the configuration of tenvirtd (tenvirtd.conf).
 *
 * Everything here is generated from VIR_DAEMON_CONFIG_KEYS; the only
 * hand-written parts are the value checks and one cross-key rule.
 */
#include <config.h>

#include <libgen.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "viraccessmanager.h"
#include "viralloc.h"
#include "virconf.h"
#include "virdaemonconf.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"

#define VIR_FROM_THIS VIR_FROM_CONF

VIR_LOG_INIT("conf.daemonconf");

/* ---- value checks ------------------------------------------------------ */

/* Messages of one validation pass, reported together in line order as
 * "FILE:LINE: ..." (checks run key by key, people read line by line). */
typedef struct {
    int line;
    size_t seq;     /* order found in, to keep qsort stable */
    char *text;
} virDaemonConfigMessage;

typedef struct {
    const char *filename;
    virDaemonConfigMessage *msgs;
    size_t nmsgs;
} virDaemonConfigErrors;

static void ATTRIBUTE_FMT_PRINTF(3, 4)
virDaemonConfigError(virDaemonConfigErrors *errs, int line, const char *fmt, ...)
{
    virDaemonConfigMessage msg = { .line = line, .seq = errs->nmsgs };
    VIR_AUTOFREE(char *) text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = virVPrintf(fmt, ap);
    va_end(ap);

    /* line 0: the value came from a default or an earlier file. */
    if (line > 0)
        msg.text = virPrintf("%s:%d: %s", errs->filename, line, text);
    else
        msg.text = virPrintf("%s: %s", errs->filename, text);
    VIR_ERROR("%s", msg.text);
    VIR_APPEND_ELEMENT(errs->msgs, errs->nmsgs, msg);
}

static int
virDaemonConfigMessageCompare(const void *a, const void *b)
{
    const virDaemonConfigMessage *ma = a;
    const virDaemonConfigMessage *mb = b;

    if (ma->line != mb->line)
        return ma->line < mb->line ? -1 : 1;
    /* Same line: keep the order they were found in. */
    return ma->seq < mb->seq ? -1 : ma->seq > mb->seq;
}

/* Report everything collected as one error; 0 if there was nothing. */
static int
virDaemonConfigErrorsFinish(virDaemonConfigErrors *errs)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    size_t i;

    if (errs->nmsgs == 0)
        return 0;
    qsort(errs->msgs, errs->nmsgs, sizeof(*errs->msgs), virDaemonConfigMessageCompare);
    for (i = 0; i < errs->nmsgs; i++) {
        virBufferAsprintf(&buf, "%s%s", i ? "\n" : "", errs->msgs[i].text);
        free(errs->msgs[i].text);
    }
    VIR_FREE(errs->msgs);
    virReportError(VIR_ERR_CONF_SYNTAX, "%s", virBufferCurrentContent(&buf));
    virBufferFreeAndReset(&buf);
    return -1;
}

/* A check looks at one loaded field (@field points at it) of key @key set
 * on @line, records errors and returns nothing: the pass goes on. */
typedef void (*virDaemonConfigCheckFunc)(virDaemonConfigErrors *errs, int line,
                                         const char *key, const void *field);

static void
virDaemonConfigCheckAuth(virDaemonConfigErrors *errs, int line,
                         const char *key, const void *field)
{
    const char *value = *(char *const *)field;

    if (!value || STREQ(value, "none") || STREQ(value, "sasl"))
        return;
    if (STREQ(value, "polkit"))
        virDaemonConfigError(errs, line, "setting '%s': polkit authentication is not supported",
                             key);
    else
        virDaemonConfigError(errs, line, "setting '%s' must be \"none\" or \"sasl\", got '%s'",
                             key, value);
}

static void
virDaemonConfigCheckPerms(virDaemonConfigErrors *errs, int line,
                          const char *key, const void *field)
{
    const char *value = *(char *const *)field;
    size_t len;

    if (!value)
        return;
    /* Up to four octal digits: the permission and set-id bits of a mode. */
    len = strlen(value);
    if (len == 0 || len > 4 || strspn(value, "01234567") != len)
        virDaemonConfigError(errs, line,
                             "setting '%s' must be an octal mode such as \"0770\", got '%s'",
                             key, value);
}

static void
virDaemonConfigCheckPairs(virDaemonConfigErrors *errs, int line,
                          const char *key, const void *field)
{
    char *const *list = *(char **const *)field;
    size_t n = virStringListLength(list);

    if (n % 2 != 0)
        virDaemonConfigError(errs, line,
                             "setting '%s' needs pairs of pattern and selector, "
                             "got an odd number of entries (%zu)", key, n);
}

static void
virDaemonConfigCheckNotEmpty(virDaemonConfigErrors *errs, int line,
                             const char *key, const void *field)
{
    char *const *list = *(char **const *)field;

    if (list && !list[0])
        virDaemonConfigError(errs, line, "setting '%s' must not be empty", key);
}

/* ---- tables generated from the key list -------------------------------- */

#define KEY_BOOL(name, def, help) \
    { #name, VIR_CONF_KEY_BOOL, offsetof(virDaemonConfig, name), 0, 0, help },
#define KEY_INT(name, def, min, max, help) \
    { #name, VIR_CONF_KEY_INT, offsetof(virDaemonConfig, name), min, max, help },
#define KEY_UINT(name, def, min, max, help) \
    { #name, VIR_CONF_KEY_UINT, offsetof(virDaemonConfig, name), min, max, help },
#define KEY_STRING(name, def, check, help) \
    { #name, VIR_CONF_KEY_STRING, offsetof(virDaemonConfig, name), 0, 0, help },
#define KEY_LIST(name, def, check, help) \
    { #name, VIR_CONF_KEY_STRING_LIST, offsetof(virDaemonConfig, name), 0, 0, help },
#define KEY_PORT(name, def, help) \
    { #name, VIR_CONF_KEY_PORT, offsetof(virDaemonConfig, name), 0, 0, help },

static const virConfKey virDaemonConfigKeys[] = {
    VIR_DAEMON_CONFIG_KEYS(KEY_BOOL, KEY_INT, KEY_UINT, KEY_STRING, KEY_LIST, KEY_PORT, KEY_STRING)
};

/* The checks, in key order; keys without one are left out. */
#define CHECK_NONE(name, ...)
#define CHECK_VALUE(name, def, check, help) { #name, offsetof(virDaemonConfig, name), check },

static const struct {
    const char *name;
    size_t offset;
    virDaemonConfigCheckFunc check;
} virDaemonConfigChecks[] = {
    VIR_DAEMON_CONFIG_KEYS(CHECK_NONE, CHECK_NONE, CHECK_NONE, CHECK_VALUE, CHECK_VALUE, CHECK_NONE,
                           CHECK_VALUE)
};

static char **
virDaemonConfigListCopy(const char *const *list)
{
    char **copy;
    size_t i, n = 0;

    if (!list)
        return NULL;
    while (list[n])
        n++;
    VIR_ALLOC_N(copy, n + 1);
    for (i = 0; i < n; i++)
        copy[i] = virStrdup(list[i]);
    return copy;
}

#define DEFAULT_BOOL(name, def, help) cfg->name = def;
#define DEFAULT_INT(name, def, min, max, help) cfg->name = def;
#define DEFAULT_STRING(name, def, check, help) cfg->name = virStrdup(def);
#define DEFAULT_LIST(name, def, check, help) cfg->name = virDaemonConfigListCopy(def);
#define DEFAULT_PORT(name, def, help) cfg->name = virStrdup(def);

virDaemonConfig *
virDaemonConfigNew(void)
{
    virDaemonConfig *cfg;

    VIR_ALLOC(cfg);
    VIR_DAEMON_CONFIG_KEYS(DEFAULT_BOOL, DEFAULT_INT, DEFAULT_INT,
                           DEFAULT_STRING, DEFAULT_LIST, DEFAULT_PORT, DEFAULT_STRING)
    return cfg;
}

void
virDaemonConfigFree(virDaemonConfig *cfg)
{
    if (!cfg)
        return;
    virConfKeysClear(virDaemonConfigKeys, G_N_ELEMENTS(virDaemonConfigKeys), cfg);
    free(cfg->configFile);
    free(cfg);
}

/* ---- loading ----------------------------------------------------------- */

static int
virDaemonConfigValidate(const virDaemonConfig *cfg, const virConf *conf)
{
    virDaemonConfigErrors errs = { .filename = conf->filename };
    const virConfEntry *entry;
    size_t i;

    /* Only what this file sets: defaults are valid, and values from an
     * earlier file were checked when it was loaded. */
    for (i = 0; i < G_N_ELEMENTS(virDaemonConfigChecks); i++) {
        if (!virDaemonConfigChecks[i].check ||
            !(entry = virConfGet(conf, virDaemonConfigChecks[i].name)))
            continue;
        virDaemonConfigChecks[i].check(&errs, entry->line, virDaemonConfigChecks[i].name,
                                       (const char *)cfg + virDaemonConfigChecks[i].offset);
    }

    if (cfg->min_workers > cfg->max_workers) {
        if (!(entry = virConfGet(conf, "min_workers")))
            entry = virConfGet(conf, "max_workers");
        virDaemonConfigError(&errs, entry ? entry->line : 0,
                             "min_workers (%u) must not exceed max_workers (%u)",
                             cfg->min_workers, cfg->max_workers);
    }

    return virDaemonConfigErrorsFinish(&errs);
}

/* Apply and check an already parsed file. Takes ownership of @conf. */
static int
virDaemonConfigLoadConf(virDaemonConfig *cfg, virConf *conf)
{
    int ret = -1;

    if (!conf)
        return -1;
    if (virConfLoad(conf, virDaemonConfigKeys, G_N_ELEMENTS(virDaemonConfigKeys), cfg) < 0)
        goto cleanup;
    if (virDaemonConfigValidate(cfg, conf) < 0)
        goto cleanup;
    free(cfg->configFile);
    cfg->configFile = virStrdup(conf->filename);
    ret = 0;

 cleanup:
    virConfFree(conf);
    return ret;
}

/* Make a relative path value relative to @dir (the config file's directory). */
static void
virDaemonConfigResolvePath(char **value, const char *dir)
{
    char *resolved;

    if (!*value || (*value)[0] == '/' || !**value)
        return;
    resolved = virPrintf("%s/%s", dir, *value);
    free(*value);
    *value = resolved;
}

int
virDaemonConfigLoadFile(virDaemonConfig *cfg, const char *path)
{
    VIR_AUTOFREE(char *) copy = NULL;
    const char *dir;

    if (virDaemonConfigLoadConf(cfg, virConfReadFile(path)) < 0)
        return -1;
    copy = virStrdup(path);
    dir = strrchr(copy, '/') ? dirname(copy) : ".";
#define RESOLVE_NONE(name, ...)
#define RESOLVE_PATH(name, ...) virDaemonConfigResolvePath(&cfg->name, dir);
    VIR_DAEMON_CONFIG_KEYS(RESOLVE_NONE, RESOLVE_NONE, RESOLVE_NONE, RESOLVE_NONE,
                           RESOLVE_NONE, RESOLVE_NONE, RESOLVE_PATH)
#undef RESOLVE_NONE
#undef RESOLVE_PATH
    return 0;
}

int
virDaemonConfigLoadString(virDaemonConfig *cfg, const char *content, const char *name)
{
    return virDaemonConfigLoadConf(cfg, virConfReadString(content, name));
}

void
virDaemonConfigGetAccessConfig(const virDaemonConfig *cfg, virAccessConfig *out)
{
    memset(out, 0, sizeof(*out));
    out->drivers = cfg->access_drivers;
    out->dnpolicyFile = cfg->access_dnpolicy_file;
    out->tlsRestrictDN = cfg->tls_restrict_dn;
    out->saslRestrictUsername = cfg->sasl_restrict_username;
    out->configFile = cfg->configFile;
    out->showDenied = cfg->access_show_denied;
}

/* ---- documentation ----------------------------------------------------- */

static void
virDaemonConfigFormatType(virBuffer *buf, const virConfKey *key)
{
    switch (key->type) {
    case VIR_CONF_KEY_BOOL:
        virBufferAddLit(buf, "boolean (0 or 1)");
        break;
    case VIR_CONF_KEY_INT:
    case VIR_CONF_KEY_UINT:
        if (key->min == 0 && key->max == 0)
            virBufferAddLit(buf, key->type == VIR_CONF_KEY_UINT ? "integer &gt;= 0" : "integer");
        else if ((key->type == VIR_CONF_KEY_UINT && key->max == UINT_MAX) ||
                 (key->type == VIR_CONF_KEY_INT && key->max == INT_MAX))
            virBufferAsprintf(buf, "integer &gt;= %lld", key->min);
        else
            virBufferAsprintf(buf, "integer %lld..%lld", key->min, key->max);
        break;
    case VIR_CONF_KEY_STRING:
        virBufferAddLit(buf, "string");
        break;
    case VIR_CONF_KEY_STRING_LIST:
        virBufferAddLit(buf, "list of strings");
        break;
    case VIR_CONF_KEY_PORT:
        virBufferAddLit(buf, "port (0..65535; 0: any free port)");
        break;
    }
}

/* The default as it would be written in tenvirtd.conf, escaped for HTML. */
static void
virDaemonConfigFormatDefault(virBuffer *buf, const virConfKey *key, const virDaemonConfig *defs)
{
    const void *field = (const char *)defs + key->offset;
    char *const *list;

    switch (key->type) {
    case VIR_CONF_KEY_BOOL:
        virBufferAsprintf(buf, "<code>%d</code>", *(const bool *)field ? 1 : 0);
        return;
    case VIR_CONF_KEY_INT:
        virBufferAsprintf(buf, "<code>%d</code>", *(const int *)field);
        return;
    case VIR_CONF_KEY_UINT:
        virBufferAsprintf(buf, "<code>%u</code>", *(const unsigned int *)field);
        return;
    case VIR_CONF_KEY_STRING:
    case VIR_CONF_KEY_PORT:
        if (*(char *const *)field)
            virBufferEscapeString(buf, "<code>&quot;%s&quot;</code>", *(char *const *)field);
        else
            virBufferAddLit(buf, "(unset)");
        return;
    case VIR_CONF_KEY_STRING_LIST:
        if (!(list = *(char **const *)field)) {
            virBufferAddLit(buf, "(unset)");
            return;
        }
        virBufferAddLit(buf, "<code>[");
        for (; *list; list++)
            virBufferEscapeString(buf, " &quot;%s&quot;,", *list);
        virBufferTrim(buf, ",");
        virBufferAddLit(buf, " ]</code>");
        return;
    }
}

void
virDaemonConfigFormatHelp(virBuffer *buf)
{
    virDaemonConfig *defs = virDaemonConfigNew();
    size_t i;

    virBufferAddLit(buf, "<table class=\"config\">\n");
    virBufferAdjustIndent(buf, 2);
    virBufferAddLit(buf, "<tr><th>Setting</th><th>Type</th><th>Default</th><th>Meaning</th></tr>\n");
    for (i = 0; i < G_N_ELEMENTS(virDaemonConfigKeys); i++) {
        const virConfKey *key = &virDaemonConfigKeys[i];

        virBufferAsprintf(buf, "<tr><td><code>%s</code></td><td>", key->name);
        virDaemonConfigFormatType(buf, key);
        virBufferAddLit(buf, "</td><td>");
        virDaemonConfigFormatDefault(buf, key, defs);
        virBufferEscapeString(buf, "</td><td>%s</td></tr>\n", key->help);
    }
    virBufferAdjustIndent(buf, -2);
    virBufferAddLit(buf, "</table>\n");
    virDaemonConfigFree(defs);
}
