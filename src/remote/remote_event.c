/*
 * remote_event.c: domain event callbacks of one remote connection.
 *
 * Locking: state->lock guards everything in the state. It is never held
 * while a callback, a free function or an RPC runs. The dispatcher marks
 * the callback it is running in state->running; removal from another
 * thread waits until that callback has returned, so that after
 * deregistration nothing calls it any more.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "datatypes.h"
#include "remote_event.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_REMOTE

VIR_LOG_INIT("remote.event");

struct _remoteEventCallback {
    int localID;
    int remoteID;
    int eventID;
    bool hasDom;                        /* filter on @uuid */
    unsigned char uuid[VIR_UUID_BUFLEN];
    virConnectDomainEventGenericCallback cb;
    void *opaque;
    virFreeCallback freecb;
    bool removed;                       /* deregistered from inside its own call */
    remoteEventCallback *next;
};

struct _remoteEventState {
    virConnectPtr conn;
    virMutex lock;
    virCond cond;                       /* queue, registrations or running changed */
    remoteEventCallback *callbacks;
    int nextID;
    unsigned int registering;           /* server round trips under way */
    remoteEvent *queue;
    remoteEvent *queueTail;
    bool started;
    bool quit;
    pthread_t thread;
    remoteEventCallback *running;
    bool *closedFlag;                   /* on the dispatcher's stack */
};

void
remoteEventFree(remoteEvent *ev)
{
    if (!ev)
        return;
    free(ev->name);
    free(ev);
}

/* Run the free function and, if @unref, release the registration's
 * reference on the connection. Call without the lock. */
static void
remoteEventCallbackFree(virConnectPtr conn, remoteEventCallback *cb, bool unref)
{
    if (cb->freecb)
        cb->freecb(cb->opaque);
    free(cb);
    if (unref)
        virConnectClose(conn);
}

static remoteEventCallback *
remoteEventStateFind(remoteEventState *state, const remoteEvent *ev)
{
    remoteEventCallback *cb;

    for (cb = state->callbacks; cb; cb = cb->next) {
        if (cb->remoteID != ev->remoteID || cb->eventID != ev->eventID)
            continue;
        /* The server filters too; this guards against a confused one. */
        if (cb->hasDom && memcmp(cb->uuid, ev->uuid, VIR_UUID_BUFLEN) != 0)
            return NULL;
        return cb;
    }
    return NULL;
}

static void
remoteEventInvoke(virConnectPtr conn, remoteEventCallback *cb, const remoteEvent *ev)
{
    virDomainPtr dom = virGetDomain(conn, ev->name, ev->uuid, ev->id);

    VIR_DEBUG("event %d for '%s' to callback %d", ev->eventID, ev->name, cb->localID);
    if (ev->eventID == VIR_DOMAIN_EVENT_ID_LIFECYCLE)
        ((virConnectDomainEventCallback)(void (*)(void))cb->cb)(conn, dom, ev->event,
                                                                ev->detail, cb->opaque);
    else
        cb->cb(conn, dom, cb->opaque);
    virDomainFree(dom);
}

static void *
remoteEventDispatcher(void *opaque)
{
    remoteEventState *state = opaque;
    bool closed = false;

    virMutexLock(&state->lock);
    state->closedFlag = &closed;
    for (;;) {
        remoteEvent *ev;
        remoteEventCallback *cb;
        virConnectPtr conn = state->conn;
        bool removed;

        while (!state->queue && !state->quit)
            virCondWait(&state->cond, &state->lock);
        if (state->quit)
            break;
        ev = state->queue;
        if (!(state->queue = ev->next))
            state->queueTail = NULL;

        /* An event may arrive just after the reply of its registration
         * and before the registering thread has recorded the ID. */
        while (!(cb = remoteEventStateFind(state, ev)) && state->registering > 0 &&
               !state->quit)
            virCondWait(&state->cond, &state->lock);
        if (!cb || state->quit) {
            if (!cb)
                VIR_DEBUG("dropping event %d for unknown callback %d",
                          ev->eventID, ev->remoteID);
            remoteEventFree(ev);
            continue;
        }
        /* No reference of our own: the registration holds one until
         * after the callback (release is deferred if it deregisters
         * itself), and the callback's domain handle another. So once
         * running is cleared, this thread holds none. */
        state->running = cb;
        virMutexUnlock(&state->lock);

        remoteEventInvoke(conn, cb, ev);
        remoteEventFree(ev);

        virMutexLock(&state->lock);
        state->running = NULL;
        removed = cb->removed;
        virCondBroadcast(&state->cond);
        virMutexUnlock(&state->lock);

        if (removed) {
            /* This may drop the connection's last reference, closing it
             * and freeing @state from this very thread. */
            remoteEventCallbackFree(conn, cb, true);
            if (closed)
                return NULL;
        }
        virMutexLock(&state->lock);
    }
    state->closedFlag = NULL;
    virMutexUnlock(&state->lock);
    return NULL;
}

remoteEventState *
remoteEventStateNew(virConnectPtr conn)
{
    remoteEventState *state;

    VIR_ALLOC(state);
    state->conn = conn;
    virMutexInit(&state->lock);
    virCondInit(&state->cond);
    return state;
}

void
remoteEventStateFree(remoteEventState *state)
{
    remoteEventCallback *cb;
    remoteEvent *ev;

    if (!state)
        return;

    virMutexLock(&state->lock);
    state->quit = true;
    virCondBroadcast(&state->cond);
    virMutexUnlock(&state->lock);

    if (state->started) {
        if (pthread_equal(pthread_self(), state->thread)) {
            /* Closed by the dispatcher's own dispatch: it must not touch
             * @state after this, and nobody is left to join it. */
            *state->closedFlag = true;
            pthread_detach(state->thread);
        } else {
            pthread_join(state->thread, NULL);
        }
    }

    /* Registrations hold connection references, so normally none is
     * left; if one is, the connection is going away regardless. */
    while ((cb = state->callbacks)) {
        state->callbacks = cb->next;
        remoteEventCallbackFree(state->conn, cb, false);
    }
    while ((ev = state->queue)) {
        state->queue = ev->next;
        remoteEventFree(ev);
    }
    virCondDestroy(&state->cond);
    virMutexDestroy(&state->lock);
    free(state);
}

int
remoteEventStateBeginRegister(remoteEventState *state)
{
    int ret = -1;

    virMutexLock(&state->lock);
    if (!state->started) {
        sigset_t all, old;
        int rc;

        /* Signals are for the application's own threads. */
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        rc = pthread_create(&state->thread, NULL, remoteEventDispatcher, state);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (rc != 0) {
            virReportSystemError(rc, "%s", "unable to start the event dispatch thread");
            goto cleanup;
        }
        state->started = true;
    }
    state->registering++;
    ret = 0;

 cleanup:
    virMutexUnlock(&state->lock);
    return ret;
}

int
remoteEventStateEndRegister(remoteEventState *state, int remoteID, int eventID,
                            virDomainPtr dom, virConnectDomainEventGenericCallback cb,
                            void *opaque, virFreeCallback freecb)
{
    remoteEventCallback *entry = NULL;
    remoteEventCallback **tail;
    int ret = -1;

    if (remoteID >= 0) {
        VIR_ALLOC(entry);
        entry->remoteID = remoteID;
        entry->eventID = eventID;
        if (dom) {
            entry->hasDom = true;
            memcpy(entry->uuid, dom->uuid, VIR_UUID_BUFLEN);
        }
        entry->cb = cb;
        entry->opaque = opaque;
        entry->freecb = freecb;
        __atomic_add_fetch(&state->conn->refs, 1, __ATOMIC_SEQ_CST);
    }

    virMutexLock(&state->lock);
    state->registering--;
    if (entry) {
        ret = entry->localID = state->nextID++;
        for (tail = &state->callbacks; *tail; tail = &(*tail)->next)
            ;
        *tail = entry;
    }
    virCondBroadcast(&state->cond);
    virMutexUnlock(&state->lock);
    return ret;
}

int
remoteEventStateRemove(remoteEventState *state, int localID, int *remoteID,
                       remoteEventCallback **release)
{
    remoteEventCallback **prev;
    remoteEventCallback *cb = NULL;

    *release = NULL;
    virMutexLock(&state->lock);
    for (prev = &state->callbacks; *prev; prev = &(*prev)->next) {
        if ((*prev)->localID == localID) {
            cb = *prev;
            *prev = cb->next;
            break;
        }
    }
    if (!cb) {
        virMutexUnlock(&state->lock);
        virReportError(VIR_ERR_INVALID_ARG, "callback ID %d not registered", localID);
        return -1;
    }
    *remoteID = cb->remoteID;
    *release = cb;
    if (state->started && pthread_equal(pthread_self(), state->thread)) {
        if (state->running == cb) {
            /* Deregistering itself: the dispatcher frees it on return. */
            cb->removed = true;
            *release = NULL;
        }
    } else {
        while (state->running == cb)
            virCondWait(&state->cond, &state->lock);
    }
    virMutexUnlock(&state->lock);
    return 0;
}

void
remoteEventCallbackRelease(virConnectPtr conn, remoteEventCallback *cb)
{
    if (cb)
        remoteEventCallbackFree(conn, cb, true);
}

void
remoteEventStateQueue(remoteEventState *state, remoteEvent *ev)
{
    virMutexLock(&state->lock);
    if (!state->started || state->quit) {
        virMutexUnlock(&state->lock);
        remoteEventFree(ev);
        return;
    }
    ev->next = NULL;
    if (state->queueTail)
        state->queueTail->next = ev;
    else
        state->queue = ev;
    state->queueTail = ev;
    virCondBroadcast(&state->cond);
    virMutexUnlock(&state->lock);
}
