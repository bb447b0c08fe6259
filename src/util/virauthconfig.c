/*
 * virauthconfig.c: client credentials from a file in libvirt's auth.conf
 * format.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "viralloc.h"
#include "virauthconfig.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_AUTH

VIR_LOG_INIT("util.authconfig");

/* Files larger than this are not credential files. */
#define VIR_AUTH_CONFIG_MAX (1024 * 1024)

typedef struct {
    char *group;
    char *key;
    char *value;
} virAuthConfigEntry;

struct _virAuthConfig {
    char *path;
    virAuthConfigEntry *entries;
    size_t nentries;
};

void
virAuthConfigFree(virAuthConfig *auth)
{
    size_t i;

    if (!auth)
        return;
    for (i = 0; i < auth->nentries; i++) {
        free(auth->entries[i].group);
        free(auth->entries[i].key);
        if (auth->entries[i].value) {
            /* Passwords: do not leave them lying in freed memory. */
            memset(auth->entries[i].value, 0, strlen(auth->entries[i].value));
            free(auth->entries[i].value);
        }
    }
    free(auth->entries);
    free(auth->path);
    free(auth);
}

/* [start, end) without surrounding blanks. */
static void
virAuthConfigTrim(const char **start, const char **end)
{
    while (*start < *end && (**start == ' ' || **start == '\t' || **start == '\r'))
        (*start)++;
    while (*end > *start && ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
        (*end)--;
}

/* The value [start, end) with its escapes resolved; NULL on a bad one. */
static char *
virAuthConfigUnescape(const char *start, const char *end)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    const char *p;

    for (p = start; p < end; p++) {
        if (*p != '\\') {
            virBufferAddChar(&buf, *p);
            continue;
        }
        if (++p == end)
            goto error;
        switch (*p) {
        case 's': virBufferAddChar(&buf, ' '); break;
        case 't': virBufferAddChar(&buf, '\t'); break;
        case 'n': virBufferAddChar(&buf, '\n'); break;
        case 'r': virBufferAddChar(&buf, '\r'); break;
        case '\\': virBufferAddChar(&buf, '\\'); break;
        default: goto error;
        }
    }
    /* An empty value is still a value. */
    virBufferAddLit(&buf, "");
    return virBufferContentAndReset(&buf);

 error:
    virBufferFreeAndReset(&buf);
    return NULL;
}

virAuthConfig *
virAuthConfigNewData(const char *path, const char *data, size_t len)
{
    virAuthConfig *auth;
    virBuffer errs = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) group = NULL;
    const char *p = data;
    const char *stop = data + len;
    unsigned int lineno = 0;

    VIR_ALLOC(auth);
    auth->path = virStrdup(path);

    while (p < stop) {
        const char *eol = memchr(p, '\n', stop - p);
        const char *start = p;
        const char *end = eol ? eol : stop;
        const char *eq;

        p = eol ? eol + 1 : stop;
        lineno++;
        virAuthConfigTrim(&start, &end);
        if (start == end || *start == '#')
            continue;

        if (*start == '[') {
            if (end[-1] != ']' || end - start < 3 ||
                memchr(start + 1, '[', end - start - 2) || memchr(start + 1, ']', end - start - 2)) {
                virBufferAsprintf(&errs, "\n%s:%u: malformed group header", path, lineno);
                continue;
            }
            free(group);
            group = virStrndup(start + 1, end - start - 2);
            continue;
        }

        if (!(eq = memchr(start, '=', end - start))) {
            virBufferAsprintf(&errs, "\n%s:%u: expected KEY=VALUE or [GROUP]", path, lineno);
            continue;
        }
        if (!group) {
            virBufferAsprintf(&errs, "\n%s:%u: key outside of any [group]", path, lineno);
            continue;
        }
        {
            const char *kstart = start, *kend = eq;
            const char *vstart = eq + 1, *vend = end;
            virAuthConfigEntry ent;

            virAuthConfigTrim(&kstart, &kend);
            virAuthConfigTrim(&vstart, &vend);
            if (kstart == kend) {
                virBufferAsprintf(&errs, "\n%s:%u: empty key", path, lineno);
                continue;
            }
            ent.group = virStrdup(group);
            ent.key = virStrndup(kstart, kend - kstart);
            if (!(ent.value = virAuthConfigUnescape(vstart, vend))) {
                virBufferAsprintf(&errs, "\n%s:%u: invalid escape sequence in the value of '%s'",
                                  path, lineno, ent.key);
                free(ent.group);
                free(ent.key);
                continue;
            }
            VIR_APPEND_ELEMENT(auth->entries, auth->nentries, ent);
        }
    }

    if (virBufferUse(&errs)) {
        /* Skip the leading newline. */
        virReportError(VIR_ERR_CONF_SYNTAX, "%s", virBufferCurrentContent(&errs) + 1);
        virBufferFreeAndReset(&errs);
        virAuthConfigFree(auth);
        return NULL;
    }
    return auth;
}

virAuthConfig *
virAuthConfigNew(const char *path)
{
    virAuthConfig *auth;
    VIR_AUTOFREE(char *) data = NULL;
    size_t len = 0;
    FILE *fp;

    if (!(fp = fopen(path, "re"))) {
        virReportSystemError(errno, "cannot read authentication file '%s'", path);
        return NULL;
    }
    VIR_ALLOC_N(data, VIR_AUTH_CONFIG_MAX + 1);
    len = fread(data, 1, VIR_AUTH_CONFIG_MAX + 1, fp);
    if (ferror(fp) || len > VIR_AUTH_CONFIG_MAX) {
        if (ferror(fp))
            virReportSystemError(errno, "cannot read authentication file '%s'", path);
        else
            virReportError(VIR_ERR_CONF_SYNTAX, "authentication file '%s' is too large", path);
        fclose(fp);
        memset(data, 0, len);
        return NULL;
    }
    fclose(fp);
    auth = virAuthConfigNewData(path, data, len);
    memset(data, 0, len);
    return auth;
}

static const char *
virAuthConfigGet(virAuthConfig *auth, const char *group, const char *key)
{
    const char *ret = NULL;
    size_t i;

    /* The last setting wins, as when a key file repeats a key. */
    for (i = 0; i < auth->nentries; i++) {
        if (STREQ(auth->entries[i].group, group) && STREQ(auth->entries[i].key, key))
            ret = auth->entries[i].value;
    }
    return ret;
}

static bool
virAuthConfigHasGroup(virAuthConfig *auth, const char *group)
{
    size_t i;

    for (i = 0; i < auth->nentries; i++) {
        if (STREQ(auth->entries[i].group, group))
            return true;
    }
    return false;
}

int
virAuthConfigLookup(virAuthConfig *auth, const char *service, const char *hostname,
                    const char *credname, const char **value)
{
    VIR_AUTOFREE(char *) authgroup = NULL;
    VIR_AUTOFREE(char *) credgroup = NULL;
    const char *credentials;

    *value = NULL;
    authgroup = virPrintf("auth-%s-%s", service, hostname ? hostname : "localhost");
    if (!(credentials = virAuthConfigGet(auth, authgroup, "credentials"))) {
        free(authgroup);
        authgroup = virPrintf("auth-%s-default", service);
        if (!(credentials = virAuthConfigGet(auth, authgroup, "credentials")))
            return 0;
    }
    credgroup = virPrintf("credentials-%s", credentials);
    if (!virAuthConfigHasGroup(auth, credgroup)) {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s: [%s] names missing credentials group [%s]",
                       auth->path, authgroup, credgroup);
        return -1;
    }
    *value = virAuthConfigGet(auth, credgroup, credname);
    return 0;
}

char *
virAuthConfigFindFile(const char *uriAuthFile)
{
    const char *env = getenv("LIBVIRT_AUTH_FILE");
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char *path = NULL;

    if (env && *env)
        return virStrdup(env);
    if (uriAuthFile && *uriAuthFile)
        return virStrdup(uriAuthFile);
    if (xdg && *xdg)
        path = virPrintf("%s/libvirt/auth.conf", xdg);
    else if (home && *home)
        path = virPrintf("%s/.config/libvirt/auth.conf", home);
    if (path && access(path, R_OK) == 0)
        return path;
    free(path);
    path = virStrdup(SYSCONFDIR "/libvirt/auth.conf");
    if (access(path, R_OK) == 0)
        return path;
    free(path);
    return NULL;
}
