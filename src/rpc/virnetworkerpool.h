/*
 * virnetworkerpool.h: a pool of threads running queued jobs.
 *
 * The pool starts @min threads and adds more, up to @max, while jobs wait
 * and no thread is idle. Jobs run in submission order, any number at once.
 */
#ifndef TENVIRT_VIRNETWORKERPOOL_H
#define TENVIRT_VIRNETWORKERPOOL_H

#include "internal.h"

typedef struct _virNetWorkerPool virNetWorkerPool;

/* Runs one job in a worker thread; @job was given to Push. */
typedef void (*virNetWorkerFunc)(void *job, void *opaque);

/* NULL with an error if not even one thread can be started. */
virNetWorkerPool *virNetWorkerPoolNew(size_t minWorkers, size_t maxWorkers,
                                      virNetWorkerFunc func, void *opaque);
/* Queue @job; never blocks. */
void virNetWorkerPoolPush(virNetWorkerPool *pool, void *job);
/* Run every queued job to completion, stop and join the threads, free. */
void virNetWorkerPoolFree(virNetWorkerPool *pool);
/* Threads currently started (for tests and logs). */
size_t virNetWorkerPoolGetWorkers(virNetWorkerPool *pool);

#endif /* TENVIRT_VIRNETWORKERPOOL_H */
