/*
 * viruri.h: connection URIs.
 *
 *   driver[+transport]://[user@][host][:port]/path[?name=value&...][#fragment]
 *
 * e.g. "test:///default", "test:///srv/node.xml", "test+tls://host/default",
 * "xen+ssh://root@[::1]:2222/system?no_verify=1". Components are stored
 * %-decoded; virURIFormat re-encodes them, so parse then format gives the
 * canonical spelling of a URI.
 */
#ifndef TENVIRT_VIRURI_H
#define TENVIRT_VIRURI_H

#include "internal.h"

typedef struct _virURIParam virURIParam;
struct _virURIParam {
    char *name;     /* decoded */
    char *value;    /* decoded; "" for a bare "name" */
};

typedef struct _virURI virURI;
struct _virURI {
    char *scheme;       /* "test", "test+tls"; never NULL */
    bool hasAuthority;  /* "//" present (test:///x has it, with an empty server) */
    char *user;         /* NULL if absent */
    char *server;       /* NULL if absent or empty; no brackets around IPv6 */
    int port;           /* 0 if absent */
    char *path;         /* NULL if empty */
    char *query;        /* the raw query string (without '?'), NULL if absent */
    char *fragment;     /* decoded, NULL if absent */
    virURIParam *params;
    size_t nparams;
};

/* Parse @uri. Returns a new virURI (free with virURIFree), or NULL with
 * VIR_ERR_INVALID_ARG reported (VIR_FROM_URI) saying what is wrong. */
virURI *virURIParse(const char *uri);

/* The canonical text of @uri. Caller frees. Never NULL. */
char *virURIFormat(const virURI *uri);

/* Free @uri and everything it holds. NULL is a no-op. */
void virURIFree(virURI *uri);

/* Value of the first query parameter called @name (borrowed), or NULL. */
const char *virURIGetParam(const virURI *uri, const char *name);

/* The driver part of the scheme ("test" of "test+tls"), newly allocated. */
char *virURIGetDriverName(const virURI *uri);

/* The transport part of the scheme ("tls" of "test+tls"; borrowed), or NULL. */
const char *virURIGetTransport(const virURI *uri);

#endif /* TENVIRT_VIRURI_H */
