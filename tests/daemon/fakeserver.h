/*
 * fakeserver.h: a stand-in for the RPC server's client API, so that the
 * daemon's handlers can be driven directly by unit tests: calls go
 * through XDR both ways like on the wire, and MESSAGEs a handler or an
 * event relay sends are recorded for the test to read.
 */
#ifndef TENVIRT_FAKESERVER_H
#define TENVIRT_FAKESERVER_H

#include "internal.h"
#include "remote_dispatch.h"

/* A client with identity @id (a reference is taken) on a service that is
 * @readonly or not. It counts as secure unless @id's transport is TCP. */
virNetServerClient *fakeClientNew(virIdentity *id, bool readonly);

/* What the server does when the client goes: the close hook, then the
 * last reference (freeing the private data). */
void fakeClientGone(virNetServerClient *client);

/* Run procedure @proc as the server would: encode @args, decode them,
 * gate on authentication and CONNECT_OPEN, call the handler with the
 * client's identity current, encode its result and decode it into @ret
 * (free with fakeFreeRet). Returns the handler's 0 / -1 (the error is the
 * thread's last error), or -2 if @proc is unknown or XDR failed. */
int fakeCall(virNetServerClient *client, int proc, void *args, void *ret);
void fakeFreeRet(int proc, void *ret);

/* Wait up to @timeoutMs for the next MESSAGE with procedure @proc and
 * decode it into @msg with @filter (free it with xdr_free). Earlier
 * MESSAGEs of other procedures are dropped. 0, or -1 on timeout. */
int fakeClientWaitMessage(virNetServerClient *client, int proc, xdrproc_t filter,
                          void *msg, int timeoutMs);
/* Number of MESSAGEs queued and not yet taken. */
size_t fakeClientPendingMessages(virNetServerClient *client);
/* Whether virNetServerClientEnableKeepalive was called. */
bool fakeClientKeepaliveEnabled(virNetServerClient *client);
/* Whether virNetServerClientClose was called. */
bool fakeClientCloseRequested(virNetServerClient *client);

#endif /* TENVIRT_FAKESERVER_H */
