/*
 * virevent_test.c: the poll event loop: watches, timers, removal and
 * changes from other threads.
 */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "viralloc.h"
#include "virevent.h"

typedef struct {
    virEventLoop *loop;
    int fired;
    int lastEvents;
    int freed;
    int removeSelf;
    int watch;
} testState;

static void
testHandleCb(int watch, int fd, int events, void *opaque)
{
    testState *st = opaque;
    char buf[16];

    st->fired++;
    st->lastEvents = events;
    if (events & VIR_EVENT_HANDLE_READABLE) {
        if (read(fd, buf, sizeof(buf)) < 0) {
            /* drained elsewhere */
        }
    }
    if (st->removeSelf)
        virEventLoopRemoveHandle(st->loop, watch);
}

static void
testNoopTimer(int timer, void *opaque)
{
}

static void
testFree(void *opaque)
{
    testState *st = opaque;

    st->freed++;
}

START_TEST(test_handle_readable)
{
    testState st = { 0 };
    int fds[2];
    int watch;
    int timer;

    ck_assert_int_eq(pipe2(fds, O_NONBLOCK), 0);
    st.loop = virEventLoopNew();
    watch = virEventLoopAddHandle(st.loop, fds[0], VIR_EVENT_HANDLE_READABLE,
                                  testHandleCb, &st, testFree);
    ck_assert_int_gt(watch, 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired, 1);
    ck_assert_int_eq(st.lastEvents, VIR_EVENT_HANDLE_READABLE);

    /* No interest: nothing fires even with data waiting (a timer bounds
     * the wait). */
    ck_assert_int_eq(virEventLoopUpdateHandle(st.loop, watch, 0), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    timer = virEventLoopAddTimeout(st.loop, 20, testNoopTimer, NULL, NULL);
    ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired, 1);
    ck_assert_int_eq(virEventLoopRemoveTimeout(st.loop, timer), 0);
    ck_assert_int_eq(virEventLoopRemoveTimeout(st.loop, 9999), -1);

    st.removeSelf = 1;
    ck_assert_int_eq(virEventLoopUpdateHandle(st.loop, watch, VIR_EVENT_HANDLE_READABLE), 0);
    ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired, 2);
    /* Freed at the end of the round in which it was removed. */
    ck_assert_int_eq(st.freed, 1);
    ck_assert_int_eq(virEventLoopUpdateHandle(st.loop, watch, 0), -1);
    ck_assert_int_eq(virEventLoopRemoveHandle(st.loop, watch), -1);

    virEventLoopFree(st.loop);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

static void
testTimerCb(int timer, void *opaque)
{
    testState *st = opaque;

    st->fired++;
    if (st->fired == 3)
        virEventLoopUpdateTimeout(st->loop, timer, -1);
}

START_TEST(test_timer)
{
    testState st = { 0 };
    int timer;
    int i;

    st.loop = virEventLoopNew();
    timer = virEventLoopAddTimeout(st.loop, 5, testTimerCb, &st, testFree);
    /* A round may end early for the wake-up the addition caused. */
    for (i = 0; i < 10 && st.fired < 3; i++)
        ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired, 3);
    /* Disabled by the callback; a zero timer keeps RunOnce from blocking. */
    virEventLoopAddTimeout(st.loop, 0, testNoopTimer, NULL, NULL);
    ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(virEventLoopRunOnce(st.loop), 0);
    ck_assert_int_eq(st.fired, 3);
    ck_assert_int_eq(virEventLoopRemoveTimeout(st.loop, timer), 0);
    ck_assert_int_eq(st.freed, 0);
    virEventLoopFree(st.loop);
    /* Entries not yet cleaned up are freed with the loop. */
    ck_assert_int_eq(st.freed, 1);
}
END_TEST

typedef struct {
    virEventLoop *loop;
    int stop;
    pthread_mutex_t lock;
    int fired;
} threadState;

static void *
testLoopThread(void *opaque)
{
    threadState *ts = opaque;

    while (!__atomic_load_n(&ts->stop, __ATOMIC_SEQ_CST))
        virEventLoopRunOnce(ts->loop);
    return NULL;
}

static void
testThreadTimerCb(int timer, void *opaque)
{
    threadState *ts = opaque;

    pthread_mutex_lock(&ts->lock);
    ts->fired++;
    pthread_mutex_unlock(&ts->lock);
    virEventLoopRemoveTimeout(ts->loop, timer);
}

START_TEST(test_add_from_other_thread)
{
    threadState ts = { 0 };
    pthread_t thr;
    int i;
    int fired = 0;

    pthread_mutex_init(&ts.lock, NULL);
    ts.loop = virEventLoopNew();
    ck_assert_int_eq(pthread_create(&thr, NULL, testLoopThread, &ts), 0);
    /* The loop is blocked in poll with nothing to wait for: adding a
     * timer must wake it. */
    usleep(20000);
    virEventLoopAddTimeout(ts.loop, 0, testThreadTimerCb, &ts, NULL);
    for (i = 0; i < 2000 && fired == 0; i++) {
        usleep(5000);
        pthread_mutex_lock(&ts.lock);
        fired = ts.fired;
        pthread_mutex_unlock(&ts.lock);
    }
    ck_assert_int_eq(fired, 1);
    __atomic_store_n(&ts.stop, 1, __ATOMIC_SEQ_CST);
    virEventLoopInterrupt(ts.loop);
    pthread_join(thr, NULL);
    virEventLoopFree(ts.loop);
    pthread_mutex_destroy(&ts.lock);
}
END_TEST

static Suite *
virEventSuite(void)
{
    Suite *s = suite_create("virevent");
    TCase *tc = tcase_create("virevent");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_handle_readable);
    tcase_add_test(tc, test_timer);
    tcase_add_test(tc, test_add_from_other_thread);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(virEventSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
