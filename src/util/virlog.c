/*
 * virlog.c: logging with priorities and configurable outputs.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virstring.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_LOGGING

typedef enum {
    VIR_LOG_TO_STDERR,
    VIR_LOG_TO_FILE,
    VIR_LOG_TO_SYSLOG,
    VIR_LOG_TO_CALLBACK,
} virLogDestination;

typedef struct {
    virLogPriority priority;
    virLogDestination dest;
    int fd;                     /* VIR_LOG_TO_FILE */
    char *ident;                /* VIR_LOG_TO_SYSLOG, VIR_LOG_TO_FILE: path */
    virLogOutputFunc func;      /* VIR_LOG_TO_CALLBACK */
    void *opaque;
} virLogOutput;

static virMutex logLock = { PTHREAD_MUTEX_INITIALIZER };
static virLogOutput *logOutputs;
static size_t nlogOutputs;
static int logDefaultPriority = VIR_LOG_WARN;
/* Lowest priority any output wants: the fast path in virLogWouldLog. */
static int logThreshold = VIR_LOG_WARN;
static bool logInitialized;

static const char *const priorityNames[] = {
    [VIR_LOG_DEBUG] = "debug",
    [VIR_LOG_INFO] = "info",
    [VIR_LOG_WARN] = "warning",
    [VIR_LOG_ERROR] = "error",
};

const char *
virLogPriorityString(virLogPriority prio)
{
    if (prio < VIR_LOG_DEBUG || prio > VIR_LOG_ERROR)
        return "unknown";
    return priorityNames[prio];
}

static void
virLogOutputClear(virLogOutput *out)
{
    if (out->dest == VIR_LOG_TO_FILE && out->fd >= 0)
        close(out->fd);
    free(out->ident);
}

static void
virLogFreeOutputs(virLogOutput *outputs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        virLogOutputClear(&outputs[i]);
    free(outputs);
}

/* Call with logLock held. */
static void
virLogRecomputeThreshold(void)
{
    size_t i;
    int lowest = VIR_LOG_ERROR + 1;

    for (i = 0; i < nlogOutputs; i++) {
        if ((int)logOutputs[i].priority < lowest)
            lowest = logOutputs[i].priority;
    }
    if (lowest < logDefaultPriority)
        lowest = logDefaultPriority;
    __atomic_store_n(&logThreshold, lowest, __ATOMIC_RELAXED);
}

/* Call with logLock held: the default is one stderr output at warning. */
static void
virLogEnsureInitialized(void)
{
    if (logInitialized)
        return;
    logInitialized = true;
    VIR_ALLOC_N(logOutputs, 1);
    nlogOutputs = 1;
    logOutputs[0].priority = VIR_LOG_WARN;
    logOutputs[0].dest = VIR_LOG_TO_STDERR;
    logOutputs[0].fd = -1;
    virLogRecomputeThreshold();
}

bool
virLogWouldLog(virLogPriority prio)
{
    return (int)prio >= __atomic_load_n(&logThreshold, __ATOMIC_RELAXED);
}

int
virLogSetDefaultPriority(int prio)
{
    if (prio < VIR_LOG_DEBUG || prio > VIR_LOG_ERROR) {
        virReportError(VIR_ERR_INVALID_ARG, "log level %d out of range 1..4", prio);
        return -1;
    }
    virMutexLock(&logLock);
    virLogEnsureInitialized();
    logDefaultPriority = prio;
    virLogRecomputeThreshold();
    virMutexUnlock(&logLock);
    return 0;
}

int
virLogGetDefaultPriority(void)
{
    return logDefaultPriority;
}

/* Parse one "PRIO:stderr", "PRIO:file:PATH" or "PRIO:syslog:IDENT". */
static int
virLogParseOutput(const char *spec, virLogOutput *out)
{
    const char *rest;
    int prio;

    memset(out, 0, sizeof(*out));
    out->fd = -1;
    if (spec[0] < '1' || spec[0] > '4' || spec[1] != ':') {
        virReportError(VIR_ERR_CONF_SYNTAX,
                       "log output '%s' must start with a priority 1-4 and ':'", spec);
        return -1;
    }
    prio = spec[0] - '0';
    out->priority = prio;
    rest = spec + 2;

    if (STREQ(rest, "stderr")) {
        out->dest = VIR_LOG_TO_STDERR;
    } else if (STRPREFIX(rest, "file:") && rest[5]) {
        out->dest = VIR_LOG_TO_FILE;
        out->ident = virStrdup(rest + 5);
        out->fd = open(out->ident, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (out->fd < 0) {
            virReportSystemError(errno, "cannot open log file '%s'", out->ident);
            virLogOutputClear(out);
            return -1;
        }
    } else if (STRPREFIX(rest, "syslog:") && rest[7]) {
        out->dest = VIR_LOG_TO_SYSLOG;
        out->ident = virStrdup(rest + 7);
    } else {
        virReportError(VIR_ERR_CONF_SYNTAX,
                       "log output '%s': expected stderr, file:PATH or syslog:NAME", spec);
        return -1;
    }
    return 0;
}

int
virLogSetOutputs(const char *outputs)
{
    VIR_AUTOSTRINGLIST specs = virStringSplit(outputs, ' ');
    virLogOutput *parsed = NULL;
    size_t nparsed = 0;
    const char *syslogIdent = NULL;
    size_t i;

    for (i = 0; specs[i]; i++) {
        virLogOutput out;

        if (!*specs[i])
            continue;
        if (virLogParseOutput(specs[i], &out) < 0) {
            virLogFreeOutputs(parsed, nparsed);
            return -1;
        }
        VIR_APPEND_ELEMENT(parsed, nparsed, out);
    }

    virMutexLock(&logLock);
    logInitialized = true;
    /* Callback outputs belong to the program, not the configuration: keep them. */
    for (i = 0; i < nlogOutputs; i++) {
        if (logOutputs[i].dest == VIR_LOG_TO_CALLBACK) {
            VIR_APPEND_ELEMENT(parsed, nparsed, logOutputs[i]);
            logOutputs[i].dest = VIR_LOG_TO_STDERR;
            logOutputs[i].ident = NULL;
        }
    }
    virLogFreeOutputs(logOutputs, nlogOutputs);
    logOutputs = parsed;
    nlogOutputs = nparsed;
    for (i = 0; i < nlogOutputs; i++) {
        if (logOutputs[i].dest == VIR_LOG_TO_SYSLOG)
            syslogIdent = logOutputs[i].ident;
    }
    if (syslogIdent)
        openlog(syslogIdent, LOG_PID, LOG_DAEMON);
    virLogRecomputeThreshold();
    virMutexUnlock(&logLock);
    return 0;
}

void
virLogAddCallbackOutput(virLogPriority prio, virLogOutputFunc func, void *opaque)
{
    virLogOutput out = { .priority = prio, .dest = VIR_LOG_TO_CALLBACK, .fd = -1,
                         .func = func, .opaque = opaque };

    virMutexLock(&logLock);
    virLogEnsureInitialized();
    VIR_APPEND_ELEMENT(logOutputs, nlogOutputs, out);
    virLogRecomputeThreshold();
    virMutexUnlock(&logLock);
}

void
virLogReset(void)
{
    virMutexLock(&logLock);
    virLogFreeOutputs(logOutputs, nlogOutputs);
    logOutputs = NULL;
    nlogOutputs = 0;
    logInitialized = false;
    logDefaultPriority = VIR_LOG_WARN;
    virLogEnsureInitialized();
    virMutexUnlock(&logLock);
}

static int
virLogSyslogPriority(virLogPriority prio)
{
    switch (prio) {
    case VIR_LOG_DEBUG: return LOG_DEBUG;
    case VIR_LOG_INFO: return LOG_INFO;
    case VIR_LOG_WARN: return LOG_WARNING;
    case VIR_LOG_ERROR: return LOG_ERR;
    }
    return LOG_ERR;
}

static void
virLogWriteAll(int fd, const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, s, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return;     /* nowhere left to report a failing log */
        }
        s += n;
        len -= n;
    }
}

void
virLogVMessage(virLogSource *source, virLogPriority prio,
               const char *filename, size_t linenr, const char *funcname,
               const char *fmt, va_list ap)
{
    VIR_AUTOFREE(char *) text = NULL;
    VIR_AUTOFREE(char *) line = NULL;
    char stamp[64];
    struct timespec ts;
    struct tm tm;
    size_t i;
    int saved = errno;

    if (!virLogWouldLog(prio))
        return;

    text = virVPrintf(fmt, ap);
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    line = virPrintf("%s.%03ld+0000: %d: %s : %s: %s\n", stamp, ts.tv_nsec / 1000000,
                     (int)getpid(), virLogPriorityString(prio), source->name, text);

    virMutexLock(&logLock);
    virLogEnsureInitialized();
    for (i = 0; i < nlogOutputs; i++) {
        virLogOutput *out = &logOutputs[i];

        if (prio < out->priority || (int)prio < logDefaultPriority)
            continue;
        switch (out->dest) {
        case VIR_LOG_TO_STDERR:
            virLogWriteAll(STDERR_FILENO, line, strlen(line));
            break;
        case VIR_LOG_TO_FILE:
            virLogWriteAll(out->fd, line, strlen(line));
            break;
        case VIR_LOG_TO_SYSLOG:
            syslog(virLogSyslogPriority(prio), "%s: %s", source->name, text);
            break;
        case VIR_LOG_TO_CALLBACK:
            out->func(prio, source->name, text, out->opaque);
            break;
        }
    }
    virMutexUnlock(&logLock);
    (void)filename;
    (void)linenr;
    (void)funcname;
    errno = saved;
}

void
virLogMessage(virLogSource *source, virLogPriority prio,
              const char *filename, size_t linenr, const char *funcname,
              const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    virLogVMessage(source, prio, filename, linenr, funcname, fmt, ap);
    va_end(ap);
}
