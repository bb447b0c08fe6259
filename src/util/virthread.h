/*
 * virthread.h: thin wrappers over pthreads that abort on misuse.
 *
 * A failing pthread_mutex_lock means memory corruption or a programming
 * error; carrying on would be worse than stopping.
 */
#ifndef TENVIRT_VIRTHREAD_H
#define TENVIRT_VIRTHREAD_H

#include <pthread.h>
#include "internal.h"

typedef struct { pthread_mutex_t lock; } virMutex;
typedef struct { pthread_rwlock_t lock; } virRWLock;
typedef struct { pthread_cond_t cond; } virCond;

void virMutexInit(virMutex *m);
void virMutexDestroy(virMutex *m);
void virMutexLock(virMutex *m);
void virMutexUnlock(virMutex *m);

void virRWLockInit(virRWLock *l);
void virRWLockDestroy(virRWLock *l);
void virRWLockRead(virRWLock *l);
void virRWLockWrite(virRWLock *l);
void virRWLockUnlock(virRWLock *l);

void virCondInit(virCond *c);
void virCondDestroy(virCond *c);
void virCondWait(virCond *c, virMutex *m);
void virCondSignal(virCond *c);
void virCondBroadcast(virCond *c);

#endif /* TENVIRT_VIRTHREAD_H */
