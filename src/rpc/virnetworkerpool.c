/*
 * virnetworkerpool.c: a pool of threads running queued jobs.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
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

struct _virNetWorkerPool {
    virMutex lock;
    virCond cond;
    virNetWorkerFunc func;
    void *opaque;
    size_t maxWorkers;
    pthread_t *threads;
    size_t nthreads;
    size_t idle;
    bool quit;
    virNetWorkerJob *head;
    virNetWorkerJob *tail;
    size_t njobs;
};

static void *
virNetWorkerPoolMain(void *opaque)
{
    virNetWorkerPool *pool = opaque;

    virMutexLock(&pool->lock);
    for (;;) {
        virNetWorkerJob *job;

        while (!pool->head && !pool->quit) {
            pool->idle++;
            virCondWait(&pool->cond, &pool->lock);
            pool->idle--;
        }
        /* Queued jobs are finished even when quitting: each holds state
         * (a client reference, a call count) that must be released. */
        if (!pool->head)
            break;
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
    pthread_t thr;
    int rc;

    if ((rc = pthread_create(&thr, NULL, virNetWorkerPoolMain, pool)) != 0) {
        virReportSystemError(rc, "%s", "Unable to create worker thread");
        return -1;
    }
    VIR_APPEND_ELEMENT(pool->threads, pool->nthreads, thr);
    return 0;
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
    virCondInit(&pool->cond);
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

    VIR_ALLOC(job);
    job->data = data;

    virMutexLock(&pool->lock);
    if (pool->tail)
        pool->tail->next = job;
    else
        pool->head = job;
    pool->tail = job;
    pool->njobs++;
    /* Grow only when the job would otherwise wait for a busy thread. */
    if (pool->idle < pool->njobs && pool->nthreads < pool->maxWorkers &&
        virNetWorkerPoolSpawnLocked(pool) < 0) {
        if (pool->nthreads > 0)
            VIR_WARN("Cannot add a worker thread, carrying on with %zu", pool->nthreads);
        else
            VIR_ERROR("No worker thread: calls cannot be processed");
        virResetLastError();
    }
    virCondSignal(&pool->cond);
    virMutexUnlock(&pool->lock);
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
    size_t i, n;
    pthread_t *threads;

    if (!pool)
        return;
    virMutexLock(&pool->lock);
    pool->quit = true;
    /* Jobs pushed without any thread (spawning failed) still need one. */
    if (pool->head && pool->nthreads == 0)
        virNetWorkerPoolSpawnLocked(pool);
    virCondBroadcast(&pool->cond);
    threads = pool->threads;
    n = pool->nthreads;
    virMutexUnlock(&pool->lock);

    for (i = 0; i < n; i++)
        pthread_join(threads[i], NULL);

    /* Pushing after Free has begun is a caller bug; nothing is left. */
    free(pool->threads);
    virCondDestroy(&pool->cond);
    virMutexDestroy(&pool->lock);
    free(pool);
}
