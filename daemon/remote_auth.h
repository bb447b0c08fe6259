/*
 * remote_auth.h: tenvirtd's authentication procedures (AUTH_LIST,
 * AUTH_SASL_INIT/START/STEP) and their settings.
 */
#ifndef TENVIRT_REMOTE_AUTH_H
#define TENVIRT_REMOTE_AUTH_H

#include "internal.h"
#include "virnetsasl.h"

/* The least SASL security strength accepted on plain TCP: what libvirt
 * clients demand, and the floor for tcp_min_ssf. */
#define REMOTE_AUTH_MIN_TCP_SSF 56

typedef struct {
    int tcpMinSSF;              /* tcp_min_ssf */
    unsigned int failMax;       /* auth_fail_max; 0: no throttle */
    unsigned int failWindow;    /* auth_fail_window, seconds */
} remoteAuthConfig;

/* Serve SASL with @ctx (a reference is taken) and @cfg. Without this,
 * every AUTH_SASL_* call fails. Call before clients connect. */
void remoteAuthSetup(virNetSASLContext *ctx, const remoteAuthConfig *cfg);
/* Forget the context and the failure records (daemon exit, tests). */
void remoteAuthCleanup(void);

/* The failed-login throttle, exposed for tests. Record one failed login
 * from @key (an address without port, or "unix uid N"), at @nowSec
 * (monotonic seconds). Returns true if @key is now refused. */
bool remoteAuthRecordFailure(const char *key, unsigned long long nowSec);
/* Whether @key is refused at @nowSec; *@remaining gets the seconds left. */
bool remoteAuthIsThrottled(const char *key, unsigned long long nowSec,
                           unsigned long long *remaining);

#endif /* TENVIRT_REMOTE_AUTH_H */
