/*
 * remote_auth.h: the client side of SASL authentication for the remote
 * driver, and where its credentials come from.
 *
 * Credentials, first found wins (each asked for only when a mechanism
 * needs it):
 *   1. the auth file in libvirt's auth.conf format (virauthconfig.h:
 *      $LIBVIRT_AUTH_FILE, the URI's authfile=, ~/.config/libvirt/auth.conf,
 *      SYSCONFDIR/libvirt/auth.conf), group [auth-libvirt-HOST] with HOST
 *      the URI's host;
 *   2. the user name of the URI (test+tcp://alice@host/...), for the name;
 *   3. the environment: TENVIRT_SASL_USERNAME, TENVIRT_SASL_PASSWORD;
 *   4. the prompt function the application installed (tvsh asks on its
 *      terminal), if any.
 */
#ifndef TENVIRT_REMOTE_AUTH_CLIENT_H
#define TENVIRT_REMOTE_AUTH_CLIENT_H

#include "internal.h"
#include "rpc/virnetclient.h"
#include "viruri.h"

/* Ask the user for one credential: @prompt ("Enter username for
 * 127.0.0.1: "), @echo false for secrets, @defresult a default (may be
 * NULL). 0 with *@result set (the remote driver frees it), or -1 (no
 * answer: the open fails). Called in the thread opening the connection. */
typedef int (*remoteAuthPromptFunc)(const char *prompt, bool echo, const char *defresult,
                                    char **result);

/* Install (or with NULL remove) the process's prompt function. */
void remoteAuthSetPromptFunc(remoteAuthPromptFunc func);

/* Run SASL authentication (AUTH_SASL_INIT, START, STEP...) for the
 * connection @client opened for @uri; @transportSecure: TLS or a UNIX
 * socket, so no SASL security layer is wanted. On plain TCP a layer of at
 * least 56 bits is required and switched on for everything that follows.
 * 0, or -1 with an error (VIR_ERR_AUTH_FAILED mostly); the caller then
 * closes @client. */
int remoteAuthSASL(virNetClient *client, const virURI *uri, bool transportSecure);

#endif /* TENVIRT_REMOTE_AUTH_CLIENT_H */
