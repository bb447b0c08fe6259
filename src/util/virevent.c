/*
 * virevent.c: a small poll(2) event loop: file descriptor watches and timers.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virevent.h"
#include "virlog.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.event");

typedef struct {
    int watch;
    int fd;
    int events;
    virEventHandleCallback cb;
    void *opaque;
    virFreeCallback ff;
    bool deleted;
} virEventHandle;

typedef struct {
    int timer;
    int period;             /* ms; -1 disabled */
    unsigned long long expiresAt;  /* monotonic ms */
    virEventTimeoutCallback cb;
    void *opaque;
    virFreeCallback ff;
    bool deleted;
} virEventTimeout;

struct _virEventLoop {
    virMutex lock;
    int wakeupFd[2];
    bool wakeupPending;
    /* The thread in (or last in) virEventLoopRunOnce. A change made by that
     * thread needs no wake-up: it is not polling, and the poll set is
     * rebuilt before it polls again. */
    pthread_t owner;
    bool haveOwner;
    /* The poll set of the last iteration (slot 0: the wake-up pipe), kept
     * to avoid an allocation per iteration; rebuilt when dirty. Only the
     * loop thread touches these. */
    struct pollfd *fds;
    int *fdWatches;
    size_t nfds;
    size_t nfdsAlloc;
    bool dirty;
    int nextWatch;
    int nextTimer;
    virEventHandle *handles;
    size_t nhandles;
    virEventTimeout *timeouts;
    size_t ntimeouts;
};

static unsigned long long
virEventNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

virEventLoop *
virEventLoopNew(void)
{
    virEventLoop *loop;

    VIR_ALLOC(loop);
    if (pipe2(loop->wakeupFd, O_CLOEXEC | O_NONBLOCK) < 0) {
        virReportSystemError(errno, "%s", "Unable to create the event loop wake-up pipe");
        free(loop);
        return NULL;
    }
    virMutexInit(&loop->lock);
    loop->nextWatch = 1;
    loop->nextTimer = 1;
    loop->dirty = true;
    return loop;
}

void
virEventLoopFree(virEventLoop *loop)
{
    size_t i;

    if (!loop)
        return;
    /* Nobody runs the loop any more, so the free functions may run now. */
    for (i = 0; i < loop->nhandles; i++) {
        if (loop->handles[i].ff)
            loop->handles[i].ff(loop->handles[i].opaque);
    }
    for (i = 0; i < loop->ntimeouts; i++) {
        if (loop->timeouts[i].ff)
            loop->timeouts[i].ff(loop->timeouts[i].opaque);
    }
    free(loop->handles);
    free(loop->timeouts);
    free(loop->fds);
    free(loop->fdWatches);
    close(loop->wakeupFd[0]);
    close(loop->wakeupFd[1]);
    virMutexDestroy(&loop->lock);
    free(loop);
}

/* Called with the lock held. One byte in the pipe is enough to wake poll;
 * more would only have to be drained. */
static void
virEventLoopWakeupLocked(virEventLoop *loop)
{
    char c = 0;

    if (loop->wakeupPending)
        return;
    if (write(loop->wakeupFd[1], &c, 1) == 1 || errno == EAGAIN)
        loop->wakeupPending = true;
}

/* Called with the lock held after a change of the watches or timers: the
 * poll set must be rebuilt, and a poll in progress must see the change.
 * Only the owner can be polling, so a change from the owner itself (a
 * callback) needs no wake-up: that saves a pipe write and a spurious
 * iteration per change, e.g. per reply sent. */
static void
virEventLoopChangedLocked(virEventLoop *loop)
{
    loop->dirty = true;
    if (loop->haveOwner && pthread_equal(loop->owner, pthread_self()))
        return;
    virEventLoopWakeupLocked(loop);
}

void
virEventLoopInterrupt(virEventLoop *loop)
{
    virMutexLock(&loop->lock);
    virEventLoopWakeupLocked(loop);
    virMutexUnlock(&loop->lock);
}

int
virEventLoopAddHandle(virEventLoop *loop, int fd, int events,
                      virEventHandleCallback cb, void *opaque, virFreeCallback ff)
{
    virEventHandle h = { 0 };

    virMutexLock(&loop->lock);
    h.watch = loop->nextWatch++;
    h.fd = fd;
    h.events = events;
    h.cb = cb;
    h.opaque = opaque;
    h.ff = ff;
    VIR_APPEND_ELEMENT(loop->handles, loop->nhandles, h);
    virEventLoopChangedLocked(loop);
    virMutexUnlock(&loop->lock);
    return h.watch;
}

static virEventHandle *
virEventLoopFindHandle(virEventLoop *loop, int watch)
{
    size_t i;

    for (i = 0; i < loop->nhandles; i++) {
        if (loop->handles[i].watch == watch && !loop->handles[i].deleted)
            return &loop->handles[i];
    }
    return NULL;
}

int
virEventLoopUpdateHandle(virEventLoop *loop, int watch, int events)
{
    virEventHandle *h;
    int ret = -1;

    virMutexLock(&loop->lock);
    if ((h = virEventLoopFindHandle(loop, watch))) {
        /* Unchanged interest: nothing to tell the loop. */
        if (h->events != events) {
            h->events = events;
            virEventLoopChangedLocked(loop);
        }
        ret = 0;
    }
    virMutexUnlock(&loop->lock);
    return ret;
}

int
virEventLoopRemoveHandle(virEventLoop *loop, int watch)
{
    virEventHandle *h;
    int ret = -1;

    virMutexLock(&loop->lock);
    if ((h = virEventLoopFindHandle(loop, watch))) {
        /* Freed after dispatch: the callback may be running right now. */
        h->deleted = true;
        virEventLoopChangedLocked(loop);
        ret = 0;
    }
    virMutexUnlock(&loop->lock);
    return ret;
}

int
virEventLoopAddTimeout(virEventLoop *loop, int timeout,
                       virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    virEventTimeout t = { 0 };

    virMutexLock(&loop->lock);
    t.timer = loop->nextTimer++;
    t.period = timeout < 0 ? -1 : timeout;
    t.expiresAt = virEventNowMs() + (timeout > 0 ? timeout : 0);
    t.cb = cb;
    t.opaque = opaque;
    t.ff = ff;
    VIR_APPEND_ELEMENT(loop->timeouts, loop->ntimeouts, t);
    virEventLoopChangedLocked(loop);
    virMutexUnlock(&loop->lock);
    return t.timer;
}

static virEventTimeout *
virEventLoopFindTimeout(virEventLoop *loop, int timer)
{
    size_t i;

    for (i = 0; i < loop->ntimeouts; i++) {
        if (loop->timeouts[i].timer == timer && !loop->timeouts[i].deleted)
            return &loop->timeouts[i];
    }
    return NULL;
}

int
virEventLoopUpdateTimeout(virEventLoop *loop, int timer, int timeout)
{
    virEventTimeout *t;
    int ret = -1;

    virMutexLock(&loop->lock);
    if ((t = virEventLoopFindTimeout(loop, timer))) {
        t->period = timeout < 0 ? -1 : timeout;
        t->expiresAt = virEventNowMs() + (timeout > 0 ? timeout : 0);
        virEventLoopChangedLocked(loop);
        ret = 0;
    }
    virMutexUnlock(&loop->lock);
    return ret;
}

int
virEventLoopRemoveTimeout(virEventLoop *loop, int timer)
{
    virEventTimeout *t;
    int ret = -1;

    virMutexLock(&loop->lock);
    if ((t = virEventLoopFindTimeout(loop, timer))) {
        t->deleted = true;
        virEventLoopChangedLocked(loop);
        ret = 0;
    }
    virMutexUnlock(&loop->lock);
    return ret;
}

/* Milliseconds until the next timer is due, -1 if none is enabled. */
static int
virEventLoopNextTimeoutLocked(virEventLoop *loop)
{
    unsigned long long now = virEventNowMs();
    long long best = -1;
    size_t i;

    for (i = 0; i < loop->ntimeouts; i++) {
        virEventTimeout *t = &loop->timeouts[i];
        long long wait;

        if (t->deleted || t->period < 0)
            continue;
        wait = t->expiresAt > now ? (long long)(t->expiresAt - now) : 0;
        if (best < 0 || wait < best)
            best = wait;
    }
    if (best > INT32_MAX)
        best = INT32_MAX;
    return (int)best;
}

static short
virEventToPoll(int events)
{
    short ev = 0;

    if (events & VIR_EVENT_HANDLE_READABLE)
        ev |= POLLIN;
    if (events & VIR_EVENT_HANDLE_WRITABLE)
        ev |= POLLOUT;
    return ev;
}

static int
virEventFromPoll(short revents)
{
    int events = 0;

    if (revents & (POLLIN | POLLPRI))
        events |= VIR_EVENT_HANDLE_READABLE;
    if (revents & POLLOUT)
        events |= VIR_EVENT_HANDLE_WRITABLE;
    if (revents & (POLLERR | POLLNVAL))
        events |= VIR_EVENT_HANDLE_ERROR;
    if (revents & POLLHUP)
        events |= VIR_EVENT_HANDLE_HANGUP;
    return events;
}

static void
virEventLoopDispatchTimeouts(virEventLoop *loop)
{
    unsigned long long now = virEventNowMs();
    size_t i;

    /* Indices stay valid while callbacks run: removal only marks entries,
     * and additions go to the end (possibly moving the array, so the entry
     * is looked up again by index after every callback). */
    for (i = 0; i < loop->ntimeouts; i++) {
        virEventTimeout *t = &loop->timeouts[i];
        virEventTimeoutCallback cb;
        void *opaque;
        int timer;

        if (t->deleted || t->period < 0 || t->expiresAt > now)
            continue;
        t->expiresAt = now + t->period;
        cb = t->cb;
        opaque = t->opaque;
        timer = t->timer;
        virMutexUnlock(&loop->lock);
        cb(timer, opaque);
        virMutexLock(&loop->lock);
    }
}

static void
virEventLoopDispatchHandles(virEventLoop *loop, struct pollfd *fds,
                            const int *watches, size_t nfds)
{
    size_t i;

    for (i = 0; i < nfds; i++) {
        virEventHandle *h;
        virEventHandleCallback cb;
        void *opaque;
        int events;
        int fd;

        if (!fds[i].revents)
            continue;
        /* The watch may have been removed (and its fd number reused) by an
         * earlier callback of this round: look it up again. */
        if (!(h = virEventLoopFindHandle(loop, watches[i])))
            continue;
        events = virEventFromPoll(fds[i].revents) &
            (h->events | VIR_EVENT_HANDLE_ERROR | VIR_EVENT_HANDLE_HANGUP);
        if (!events)
            continue;
        cb = h->cb;
        opaque = h->opaque;
        fd = h->fd;
        virMutexUnlock(&loop->lock);
        cb(watches[i], fd, events, opaque);
        virMutexLock(&loop->lock);
    }
}

typedef struct {
    virFreeCallback ff;
    void *opaque;
} virEventFreeJob;

/* Drop removed entries; their free functions are returned to be called
 * without the lock. */
static void
virEventLoopCleanupLocked(virEventLoop *loop, virEventFreeJob **jobs, size_t *njobs)
{
    size_t i, j;

    for (i = 0, j = 0; i < loop->nhandles; i++) {
        if (loop->handles[i].deleted) {
            if (loop->handles[i].ff) {
                virEventFreeJob job = { loop->handles[i].ff, loop->handles[i].opaque };
                VIR_APPEND_ELEMENT(*jobs, *njobs, job);
            }
            continue;
        }
        loop->handles[j++] = loop->handles[i];
    }
    loop->nhandles = j;

    for (i = 0, j = 0; i < loop->ntimeouts; i++) {
        if (loop->timeouts[i].deleted) {
            if (loop->timeouts[i].ff) {
                virEventFreeJob job = { loop->timeouts[i].ff, loop->timeouts[i].opaque };
                VIR_APPEND_ELEMENT(*jobs, *njobs, job);
            }
            continue;
        }
        loop->timeouts[j++] = loop->timeouts[i];
    }
    loop->ntimeouts = j;
}

/* Lock held, loop thread: make loop->fds match the live watches. */
static void
virEventLoopBuildPollSetLocked(virEventLoop *loop)
{
    size_t i;

    if (loop->nfdsAlloc < loop->nhandles + 1) {
        size_t n = loop->nhandles + 1;

        /* Room to grow, so a few more clients do not reallocate. */
        n += n / 2 + 8;
        VIR_REALLOC_N(loop->fds, n);
        VIR_REALLOC_N(loop->fdWatches, n);
        loop->nfdsAlloc = n;
    }
    /* Slot 0 is the wake-up pipe. */
    loop->fds[0].fd = loop->wakeupFd[0];
    loop->fds[0].events = POLLIN;
    loop->fdWatches[0] = 0;
    loop->nfds = 1;
    for (i = 0; i < loop->nhandles; i++) {
        if (loop->handles[i].deleted)
            continue;
        loop->fds[loop->nfds].fd = loop->handles[i].fd;
        loop->fds[loop->nfds].events = virEventToPoll(loop->handles[i].events);
        loop->fdWatches[loop->nfds] = loop->handles[i].watch;
        loop->nfds++;
    }
    loop->dirty = false;
}

int
virEventLoopRunOnce(virEventLoop *loop)
{
    VIR_AUTOFREE(virEventFreeJob *) jobs = NULL;
    struct pollfd *fds;
    size_t njobs = 0;
    size_t nfds;
    size_t i;
    int timeout;
    int rc;

    virMutexLock(&loop->lock);
    loop->owner = pthread_self();
    loop->haveOwner = true;
    virEventLoopCleanupLocked(loop, &jobs, &njobs);
    if (loop->dirty)
        virEventLoopBuildPollSetLocked(loop);
    /* Stable until the next RunOnce: only this thread rebuilds it. */
    fds = loop->fds;
    nfds = loop->nfds;
    timeout = virEventLoopNextTimeoutLocked(loop);
    virMutexUnlock(&loop->lock);

    for (i = 0; i < njobs; i++)
        jobs[i].ff(jobs[i].opaque);
    VIR_FREE(jobs);
    njobs = 0;

    rc = poll(fds, nfds, timeout);
    if (rc < 0 && errno == EINTR) {
        /* A signal: nothing is ready, but due timers still run. */
        for (i = 0; i < nfds; i++)
            fds[i].revents = 0;
        rc = 0;
    }
    if (rc < 0) {
        virReportSystemError(errno, "%s", "Unable to poll on file handles");
        return -1;
    }

    virMutexLock(&loop->lock);
    if (fds[0].revents) {
        char buf[64];

        while (read(loop->wakeupFd[0], buf, sizeof(buf)) > 0)
            ;
        loop->wakeupPending = false;
    }
    virEventLoopDispatchTimeouts(loop);
    if (rc > 0)
        virEventLoopDispatchHandles(loop, fds + 1, loop->fdWatches + 1, nfds - 1);
    virEventLoopCleanupLocked(loop, &jobs, &njobs);
    virMutexUnlock(&loop->lock);

    for (i = 0; i < njobs; i++)
        jobs[i].ff(jobs[i].opaque);
    return 0;
}
