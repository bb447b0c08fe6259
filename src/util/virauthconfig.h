/*
 * virauthconfig.h: client credentials from a file in libvirt's auth.conf
 * format, so that one file serves stock virsh and Tenvirt's clients.
 *
 *   [credentials-admin]
 *   authname=admin
 *   password=secret
 *
 *   [auth-libvirt-192.168.0.1]       # auth-SERVICE-HOSTNAME
 *   credentials=admin
 *
 *   [auth-libvirt-default]           # any host without its own group
 *   credentials=admin
 *
 * Syntax (a key file): '#' starts a comment line, [GROUP] starts a group,
 * KEY=VALUE lines belong to the group before them; white space around
 * KEY and VALUE is dropped; in VALUE \s \t \n \r \\ are escapes. Anything
 * else is an error naming FILE:LINE.
 */
#ifndef TENVIRT_VIRAUTHCONFIG_H
#define TENVIRT_VIRAUTHCONFIG_H

#include "internal.h"

typedef struct _virAuthConfig virAuthConfig;

/* Parse @path. NULL with an error (system error if unreadable, a
 * VIR_ERR_CONF_SYNTAX error "FILE:LINE: ..." if malformed). */
virAuthConfig *virAuthConfigNew(const char *path);
/* Parse @len bytes of @data; @path names it in messages. */
virAuthConfig *virAuthConfigNewData(const char *path, const char *data, size_t len);
void virAuthConfigFree(virAuthConfig *auth);

/* The value of @credname ("authname", "username", "password", "realm")
 * for @service ("libvirt") on @hostname: the group auth-SERVICE-HOSTNAME
 * (else auth-SERVICE-default) names a credentials-NAME group, which holds
 * the key. 0 with *@value set (borrowed from @auth) or NULL if the file
 * has nothing for it; -1 with an error if it names a credentials group
 * that does not exist. */
int virAuthConfigLookup(virAuthConfig *auth, const char *service, const char *hostname,
                        const char *credname, const char **value);

/* The auth file a client uses, as libvirt finds it: $LIBVIRT_AUTH_FILE,
 * else @uriAuthFile (the URI's authfile parameter; may be NULL), else
 * $XDG_CONFIG_HOME/libvirt/auth.conf (~/.config/...), else
 * SYSCONFDIR/libvirt/auth.conf; only the last two need to exist. NULL
 * (no error) if there is none. Caller frees. */
char *virAuthConfigFindFile(const char *uriAuthFile);

#endif /* TENVIRT_VIRAUTHCONFIG_H */
