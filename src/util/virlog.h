/*
 * virlog.h: logging with priorities and configurable outputs.
 *
 * Priorities and the output syntax are libvirtd.conf's:
 *   log_level = 3                      (1 debug, 2 info, 3 warning, 4 error)
 *   log_outputs = "3:stderr 1:file:/var/log/tenvirtd.log 2:syslog:tenvirtd"
 * A message is written to every output whose priority is <= the message's.
 */
#ifndef TENVIRT_VIRLOG_H
#define TENVIRT_VIRLOG_H

#include <stdarg.h>
#include "internal.h"

typedef enum {
    VIR_LOG_DEBUG = 1,
    VIR_LOG_INFO = 2,
    VIR_LOG_WARN = 3,
    VIR_LOG_ERROR = 4,
} virLogPriority;

/* Each file declares its source name once with VIR_LOG_INIT("module.sub"). */
typedef struct {
    const char *name;
} virLogSource;

#define VIR_LOG_INIT(n) static virLogSource virLogSelf __attribute__((unused)) = { .name = (n) }

/* Function an output of kind "callback" calls with the message text (no
 * timestamp, no trailing newline) and the source's name. It runs with the
 * log lock held: it must not log or report errors itself. Used by tests to
 * capture audit lines. */
typedef void (*virLogOutputFunc)(virLogPriority prio, const char *source,
                                 const char *line, void *opaque);

/* Write one message if any output wants @prio. Thread-safe. */
void virLogMessage(virLogSource *source, virLogPriority prio,
                   const char *filename, size_t linenr, const char *funcname,
                   const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(6, 7);
void virLogVMessage(virLogSource *source, virLogPriority prio,
                    const char *filename, size_t linenr, const char *funcname,
                    const char *fmt, va_list ap) ATTRIBUTE_FMT_PRINTF(6, 0);

/* Cheap test, for callers that would format an expensive message. */
bool virLogWouldLog(virLogPriority prio);

/* Messages below @prio are dropped everywhere. Returns -1 (error set) if out of range. */
int virLogSetDefaultPriority(int prio);
int virLogGetDefaultPriority(void);
/* Replace the configured outputs with those described by @outputs
 * (libvirtd.conf syntax; "" means none). Callback outputs added by the
 * program are kept. On a parse error returns -1 with an error set and
 * keeps the old outputs. */
int virLogSetOutputs(const char *outputs);
/* Add an output that calls @func for messages of priority >= @prio. */
void virLogAddCallbackOutput(virLogPriority prio, virLogOutputFunc func, void *opaque);
/* Back to the default: one stderr output at priority 3 (warning). */
void virLogReset(void);
/* Name of a priority ("debug", "info", "warning", "error"). */
const char *virLogPriorityString(virLogPriority prio);

#define VIR_LOG_AT(prio, ...) \
    do { \
        if (virLogWouldLog(prio)) \
            virLogMessage(&virLogSelf, prio, __FILE__, __LINE__, __func__, __VA_ARGS__); \
    } while (0)
#define VIR_DEBUG(...) VIR_LOG_AT(VIR_LOG_DEBUG, __VA_ARGS__)
#define VIR_INFO(...) VIR_LOG_AT(VIR_LOG_INFO, __VA_ARGS__)
#define VIR_WARN(...) VIR_LOG_AT(VIR_LOG_WARN, __VA_ARGS__)
#define VIR_ERROR(...) VIR_LOG_AT(VIR_LOG_ERROR, __VA_ARGS__)

#endif /* TENVIRT_VIRLOG_H */
