/*
 * virnetworkerpool.c: a pool of threads running queued jobs.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetworkerpool.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.networkerpool");

typedef struct _virNetWorkerJob virNetWorkerJob;
struct _virNetWorkerJob {
    void *data;
    virNetWorkerJob *next;
};

/* One thread. An idle one sleeps on its own semaphore rather than on a
 * condition variable shared by all: whoever hands it work posts exactly
 * that thread, and waking costs one futex call each side (a glibc
 * condition variable adds a wake-up of the mutex after every wait). */
typedef struct _virNetWorker virNetWorker;
struct _virNetWorker {
    virNetWorkerPool *pool;
    pthread_t thread;
    sem_t wake;
    virNetWorker *nextIdle;
};

struct _virNetWorkerPool {
    virMutex lock;
    virNetWorkerFunc func;
    void *opaque;
    size_t maxWorkers;
    virNetWorker **threads;
    size_t nthreads;
    /* Threads waiting for work, most recently idle first (its cache is
     * the warmest). Each one on this stack is, or is about to be, blocked
     * on its semaphore; the one who pops it must post it, once. */
    virNetWorker *idle;
    bool quit;
    virNetWorkerJob *head;
    virNetWorkerJob *tail;
    size_t njobs;
};

static void *
virNetWorkerPoolMain(void *opaque)
{
    virNetWorker *self = opaque;
    virNetWorkerPool *pool = self->pool;

    virMutexLock(&pool->lock);
    for (;;) {
        virNetWorkerJob *job;

        /* Queued jobs are finished even when quitting: each holds state
         * (a client reference, a call count) that must be released. */
        if (!pool->head) {
            if (pool->quit)
                break;
            self->nextIdle = pool->idle;
            pool->idle = self;
            virMutexUnlock(&pool->lock);
            while (sem_wait(&self->wake) < 0 && errno == EINTR)
                ;
            virMutexLock(&pool->lock);
            /* Popped by Push or Free; the job may have been taken by a
             * thread that was busy meanwhile: then just wait again. */
            continue;
        }
        job = pool->head;
        pool->head = job->next;
        if (!pool->head)
            pool->tail = NULL;
        pool->njobs--;
        virMutexUnlock(&pool->lock);

        pool->func(job->data, pool->opaque);
        free(job);

        virMutexLock(&pool->lock);
    }
    virMutexUnlock(&pool->lock);
    return NULL;
}

/* Called with the lock held. */
static int
virNetWorkerPoolSpawnLocked(virNetWorkerPool *pool)
{
    virNetWorker *w;
    int rc;

    VIR_ALLOC(w);
    w->pool = pool;
    if (sem_init(&w->wake, 0, 0) < 0) {
        virReportSystemError(errno, "%s", "Unable to create a worker semaphore");
        free(w);
        return -1;
    }
    if ((rc = pthread_create(&w->thread, NULL, virNetWorkerPoolMain, w)) != 0) {
        virReportSystemError(rc, "%s", "Unable to create worker thread");
        sem_destroy(&w->wake);
        free(w);
        return -1;
    }
    VIR_APPEND_ELEMENT(pool->threads, pool->nthreads, w);
    return 0;
}

/* Called with the lock held: take the most recently idle thread, NULL if
 * none. The caller posts it after unlocking. */
static virNetWorker *
virNetWorkerPoolPopIdleLocked(virNetWorkerPool *pool)
{
    virNetWorker *w = pool->idle;

    if (w) {
        pool->idle = w->nextIdle;
        w->nextIdle = NULL;
    }
    return w;
}

virNetWorkerPool *
virNetWorkerPoolNew(size_t minWorkers, size_t maxWorkers,
                    virNetWorkerFunc func, void *opaque)
{
    virNetWorkerPool *pool;
    size_t i;

    if (maxWorkers == 0)
        maxWorkers = 1;
    if (minWorkers > maxWorkers)
        minWorkers = maxWorkers;

    VIR_ALLOC(pool);
    virMutexInit(&pool->lock);
    pool->func = func;
    pool->opaque = opaque;
    pool->maxWorkers = maxWorkers;

    virMutexLock(&pool->lock);
    for (i = 0; i < minWorkers; i++) {
        if (virNetWorkerPoolSpawnLocked(pool) < 0) {
            virMutexUnlock(&pool->lock);
            virNetWorkerPoolFree(pool);
            return NULL;
        }
    }
    virMutexUnlock(&pool->lock);
    return pool;
}

void
virNetWorkerPoolPush(virNetWorkerPool *pool, void *data)
{
    virNetWorkerJob *job;
    virNetWorker *w;

    VIR_ALLOC(job);
    job->data = data;

    virMutexLock(&pool->lock);
    if (pool->tail)
        pool->tail->next = job;
    else
        pool->head = job;
    pool->tail = job;
    pool->njobs++;
    /* Grow only when the job would otherwise wait for a busy thread; a
     * busy thread (or a new one) looks at the queue before it waits. */
    if (!(w = virNetWorkerPoolPopIdleLocked(pool)) &&
        pool->nthreads < pool->maxWorkers &&
        virNetWorkerPoolSpawnLocked(pool) < 0) {
        if (pool->nthreads > 0)
            VIR_WARN("Cannot add a worker thread, carrying on with %zu", pool->nthreads);
        else
            VIR_ERROR("No worker thread: calls cannot be processed");
        virResetLastError();
    }
    virMutexUnlock(&pool->lock);
    /* Posted after unlocking, so the woken thread does not at once block
     * on the mutex still held here. The thread cannot go meanwhile: it
     * waits for this very post. */
    if (w)
        sem_post(&w->wake);
}

size_t
virNetWorkerPoolGetWorkers(virNetWorkerPool *pool)
{
    size_t n;

    virMutexLock(&pool->lock);
    n = pool->nthreads;
    virMutexUnlock(&pool->lock);
    return n;
}

void
virNetWorkerPoolFree(virNetWorkerPool *pool)
{
    virNetWorker *w;
    virNetWorker *woken = NULL;
    size_t i, n;
    virNetWorker **threads;

    if (!pool)
        return;
    virMutexLock(&pool->lock);
    pool->quit = true;
    /* Jobs pushed without any thread (spawning failed) still need one. */
    if (pool->head && pool->nthreads == 0)
        virNetWorkerPoolSpawnLocked(pool);
    /* Threads popped by a Push are posted by it; the rest are here. */
    while ((w = virNetWorkerPoolPopIdleLocked(pool))) {
        w->nextIdle = woken;
        woken = w;
    }
    threads = pool->threads;
    n = pool->nthreads;
    virMutexUnlock(&pool->lock);

    while ((w = woken)) {
        woken = w->nextIdle;
        sem_post(&w->wake);
    }
    for (i = 0; i < n; i++) {
        pthread_join(threads[i]->thread, NULL);
        sem_destroy(&threads[i]->wake);
        free(threads[i]);
    }

    /* Pushing after Free has begun is a caller bug; nothing is left. */
    free(pool->threads);
    virMutexDestroy(&pool->lock);
    free(pool);
}
