/*
 * virthread.c: thin wrappers over pthreads that abort on misuse.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virthread.h"

static void
virThreadCheck(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "tenvirt: %s failed: %s\n", what, strerror(rc));
        abort();
    }
}

void virMutexInit(virMutex *m) { virThreadCheck(pthread_mutex_init(&m->lock, NULL), "mutex init"); }
void virMutexDestroy(virMutex *m) { pthread_mutex_destroy(&m->lock); }
void virMutexLock(virMutex *m) { virThreadCheck(pthread_mutex_lock(&m->lock), "mutex lock"); }
void virMutexUnlock(virMutex *m) { virThreadCheck(pthread_mutex_unlock(&m->lock), "mutex unlock"); }

void virRWLockInit(virRWLock *l) { virThreadCheck(pthread_rwlock_init(&l->lock, NULL), "rwlock init"); }
void virRWLockDestroy(virRWLock *l) { pthread_rwlock_destroy(&l->lock); }
void virRWLockRead(virRWLock *l) { virThreadCheck(pthread_rwlock_rdlock(&l->lock), "rwlock read"); }
void virRWLockWrite(virRWLock *l) { virThreadCheck(pthread_rwlock_wrlock(&l->lock), "rwlock write"); }
void virRWLockUnlock(virRWLock *l) { virThreadCheck(pthread_rwlock_unlock(&l->lock), "rwlock unlock"); }

void virCondInit(virCond *c) { virThreadCheck(pthread_cond_init(&c->cond, NULL), "cond init"); }
void virCondDestroy(virCond *c) { pthread_cond_destroy(&c->cond); }
void virCondWait(virCond *c, virMutex *m) { virThreadCheck(pthread_cond_wait(&c->cond, &m->lock), "cond wait"); }
void virCondSignal(virCond *c) { virThreadCheck(pthread_cond_signal(&c->cond), "cond signal"); }
void virCondBroadcast(virCond *c) { virThreadCheck(pthread_cond_broadcast(&c->cond), "cond broadcast"); }
