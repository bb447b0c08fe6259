/*
 * remote_event.h: domain event callbacks of one remote connection.
 *
 * The server routes each event MESSAGE by the callback ID it handed out at
 * registration (procedure 316). This module keeps the table of local
 * registrations (local ID -> server ID, event ID, domain filter, callback,
 * opaque, free function) and runs the callbacks in a dispatcher thread of
 * its own, started at the first registration: the connection's reader
 * thread only queues events, so a callback may make calls on the same
 * connection (whose replies that reader must deliver) without deadlock.
 *
 * Each registration holds a reference on the connection, as in libvirt,
 * so a connection with callbacks stays open until they are deregistered.
 */
#ifndef TENVIRT_REMOTE_EVENT_H
#define TENVIRT_REMOTE_EVENT_H

#include "internal.h"

typedef struct _remoteEventState remoteEventState;
typedef struct _remoteEventCallback remoteEventCallback;

/* One event as received, decoded from its MESSAGE. */
typedef struct _remoteEvent remoteEvent;
struct _remoteEvent {
    int remoteID;           /* the server's callback ID */
    int eventID;            /* VIR_DOMAIN_EVENT_ID_* it belongs to */
    char *name;             /* the domain, as the server described it */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;
    int event;              /* LIFECYCLE only */
    int detail;
    remoteEvent *next;
};

/* State for @conn (borrowed: the state lives inside the connection). */
remoteEventState *remoteEventStateNew(virConnectPtr conn);

/* Stop the dispatcher and free everything, including queued events. Safe
 * to call from the dispatcher thread itself (a callback deregistered
 * itself after the application had closed the connection, so releasing
 * it dropped the last reference): that thread then exits as soon as the
 * release that closed the connection returns. */
void remoteEventStateFree(remoteEventState *state);

/* Announce a registration whose server round trip is under way, so the
 * dispatcher holds back events it cannot route yet. Starts the
 * dispatcher on first use. 0, or -1 with an error set. Each successful
 * call is paired with remoteEventStateEndRegister. */
int remoteEventStateBeginRegister(remoteEventState *state);

/* Finish a registration. @remoteID < 0: the server refused, nothing is
 * added. Otherwise adds the callback (with @dom's UUID as filter when
 * @dom is not NULL), takes a reference on the connection and returns the
 * local callback ID. */
int remoteEventStateEndRegister(remoteEventState *state, int remoteID, int eventID,
                                virDomainPtr dom,
                                virConnectDomainEventGenericCallback cb,
                                void *opaque, virFreeCallback freecb);

/* Remove the callback @localID so that it is never called again once this
 * returns (unless called from that very callback, which then finishes):
 * if the dispatcher is running it, this waits for it to return, so the
 * caller must not hold anything that callback waits for.
 * Stores the server's ID in *@remoteID and in *@release the entry to
 * hand to remoteEventCallbackRelease once the server has been told (NULL
 * if the running dispatcher releases it itself). 0, or -1 with
 * VIR_ERR_INVALID_ARG if there is no such callback. */
int remoteEventStateRemove(remoteEventState *state, int localID, int *remoteID,
                           remoteEventCallback **release);

/* Run the free function of a removed callback and drop its reference on
 * @conn, which may be the last one and close @conn (so call it last). */
void remoteEventCallbackRelease(virConnectPtr conn, remoteEventCallback *cb);

/* Queue @ev (taken over) for dispatch. Called by the reader thread;
 * never blocks on a callback. Events nobody can receive are dropped. */
void remoteEventStateQueue(remoteEventState *state, remoteEvent *ev);

/* Free one event. */
void remoteEventFree(remoteEvent *ev);

#endif /* TENVIRT_REMOTE_EVENT_H */
