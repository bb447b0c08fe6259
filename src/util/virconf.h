/*
 * virconf.h: configuration files in libvirtd.conf syntax.
 *
 *   # comment
 *   listen_tls = 1
 *   tls_port = "16514"
 *   access_drivers = [ "readonly", "dnpolicy" ]     # lists may span lines
 *
 * Values are integers, double- or single-quoted strings, or lists of
 * strings in [ ] separated by commas (a trailing comma is allowed).
 *
 * Reading is strict, in the manner of OpenSSH's servconf.c: a program
 * declares its keys once in a virConfKey table (name, type, where the value
 * goes), and virConfLoad rejects unknown keys, duplicate keys and wrong
 * types with "FILE:LINE: message" errors, reporting every bad line at once.
 */
#ifndef TENVIRT_VIRCONF_H
#define TENVIRT_VIRCONF_H

#include "internal.h"

typedef enum {
    VIR_CONF_VALUE_INT = 1,
    VIR_CONF_VALUE_STRING,
    VIR_CONF_VALUE_LIST,
} virConfValueType;

typedef struct _virConfValue virConfValue;
struct _virConfValue {
    virConfValueType type;
    long long i;            /* VIR_CONF_VALUE_INT */
    char *str;              /* VIR_CONF_VALUE_STRING */
    virConfValue *items;    /* VIR_CONF_VALUE_LIST (strings only) */
    size_t nitems;
    int line;               /* where the value starts */
};

typedef struct {
    char *name;
    virConfValue value;
    int line;
} virConfEntry;

typedef struct _virConf virConf;
struct _virConf {
    char *filename;         /* as given, used in messages */
    virConfEntry *entries;  /* in file order */
    size_t nentries;
};

/* Parse @path. NULL with VIR_ERR_CONF_SYNTAX "FILE:LINE: ..." (all syntax
 * errors, one per line of the message) or a system error if unreadable. */
virConf *virConfReadFile(const char *path);
/* Parse @content; @name is used as the file name in messages. */
virConf *virConfReadString(const char *content, const char *name);
void virConfFree(virConf *conf);
/* The entry named @key, or NULL. */
const virConfEntry *virConfGet(const virConf *conf, const char *key);

typedef enum {
    VIR_CONF_KEY_BOOL = 1,      /* integer 0 or 1 -> bool */
    VIR_CONF_KEY_INT,           /* integer -> int, within [min, max] */
    VIR_CONF_KEY_UINT,          /* integer -> unsigned int, within [min, max] */
    VIR_CONF_KEY_STRING,        /* string -> char * (freed by virConfKeysClear) */
    VIR_CONF_KEY_STRING_LIST,   /* list of strings -> char ** NULL-terminated;
                                 * an explicitly empty list gives a list of length 0,
                                 * an absent key leaves NULL */
    VIR_CONF_KEY_PORT,          /* integer or string 0..65535 -> char * decimal string (0: any free port) */
} virConfKeyType;

typedef struct {
    const char *name;
    virConfKeyType type;
    size_t offset;              /* offsetof(target struct, field) */
    long long min, max;         /* for INT/UINT; both 0 means no bound */
    const char *help;           /* one line, for docs and --help */
} virConfKey;

/* Store every entry of @conf into @target according to @keys. Errors for
 * unknown keys, duplicates, wrong types and out-of-range numbers, each as
 * "FILE:LINE: message"; all are collected into one VIR_ERR_CONF_SYNTAX error
 * (lines separated by '\n'). On error @target may be partly filled: the
 * caller clears it with virConfKeysClear. Returns 0 or -1. */
int virConfLoad(const virConf *conf, const virConfKey *keys, size_t nkeys, void *target);
/* Free every string / list field of @target described by @keys. */
void virConfKeysClear(const virConfKey *keys, size_t nkeys, void *target);

#endif /* TENVIRT_VIRCONF_H */
