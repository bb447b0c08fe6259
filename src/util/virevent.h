/*
 * virevent.h: a small poll(2) event loop: file descriptor watches and timers.
 *
 * One thread runs the loop (virEventLoopRunOnce in a loop); any thread may
 * add, update or remove watches and timers at any time, which wakes the
 * loop so the change takes effect at once (no wake-up is needed, and none
 * is made, when the loop thread itself makes the change, or when an update
 * leaves a watch's events as they were).
 *
 * Callbacks run in the loop thread without any loop lock held, so they may
 * add, update or remove watches and timers themselves. After a watch or
 * timer is removed its callback is not called again, and its free function
 * runs in the loop thread once no callback for it is still running (or in
 * virEventLoopFree): that is the moment the opaque data may go away.
 */
#ifndef TENVIRT_VIREVENT_H
#define TENVIRT_VIREVENT_H

#include "internal.h"

typedef struct _virEventLoop virEventLoop;

/* Interest and readiness bits; ERROR and HANGUP are always reported. */
typedef enum {
    VIR_EVENT_HANDLE_READABLE = 1 << 0,
    VIR_EVENT_HANDLE_WRITABLE = 1 << 1,
    VIR_EVENT_HANDLE_ERROR = 1 << 2,
    VIR_EVENT_HANDLE_HANGUP = 1 << 3,
} virEventHandleType;

typedef void (*virEventHandleCallback)(int watch, int fd, int events, void *opaque);
typedef void (*virEventTimeoutCallback)(int timer, void *opaque);

/* A new loop with its wake-up pipe. NULL with a system error if the pipe
 * cannot be made. Free with virEventLoopFree. */
virEventLoop *virEventLoopNew(void);
/* Free the loop; no thread may be running it. Runs the free functions of
 * every watch and timer still registered. */
void virEventLoopFree(virEventLoop *loop);

/* Watch @fd for @events (virEventHandleType bits, may be 0). Returns the
 * watch id (> 0). @ff(@opaque) runs after removal, see above. */
int virEventLoopAddHandle(virEventLoop *loop, int fd, int events,
                          virEventHandleCallback cb, void *opaque, virFreeCallback ff);
/* Change the interest of @watch. -1 if no such watch (already removed). */
int virEventLoopUpdateHandle(virEventLoop *loop, int watch, int events);
/* Stop watching; -1 if no such watch. */
int virEventLoopRemoveHandle(virEventLoop *loop, int watch);

/* A timer firing every @timeout ms (0: every loop iteration, -1: disabled).
 * Returns the timer id (> 0). */
int virEventLoopAddTimeout(virEventLoop *loop, int timeout,
                           virEventTimeoutCallback cb, void *opaque, virFreeCallback ff);
/* New period (restarting the count from now), -1 disables. -1 if no such timer. */
int virEventLoopUpdateTimeout(virEventLoop *loop, int timer, int timeout);
int virEventLoopRemoveTimeout(virEventLoop *loop, int timer);

/* Wait for the next event or timer (or an interrupt), dispatch everything
 * that is ready, then run the free functions of removed entries. Only one
 * thread at a time may call this. 0, or -1 with an error set if poll fails. */
int virEventLoopRunOnce(virEventLoop *loop);
/* Make a waiting (or the next) virEventLoopRunOnce return promptly. Safe
 * from any thread; not from signal handlers. */
void virEventLoopInterrupt(virEventLoop *loop);

#endif /* TENVIRT_VIREVENT_H */
