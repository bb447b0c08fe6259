/*
 * virerror.h: reporting errors into the calling thread's last-error slot.
 *
 * Every source file defines VIR_FROM_THIS (a virErrorDomain) before using
 * virReportError, so the error carries the module it came from.
 */
#ifndef TENVIRT_VIRERROR_H
#define TENVIRT_VIRERROR_H

#include "internal.h"

/* Record an error for the calling thread. @fmt may be NULL for the bare
 * code text. The message becomes "<code text>: <formatted text>", the form
 * libvirt clients print verbatim. */
void virReportErrorFull(int domain, int code, const char *filename,
                        const char *funcname, size_t linenr,
                        const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(6, 7);
/* Like virReportErrorFull, code VIR_ERR_SYSTEM_ERROR, appending strerror(@theerrno). */
void virReportSystemErrorFull(int domain, int theerrno, const char *filename,
                              const char *funcname, size_t linenr,
                              const char *fmt, ...) ATTRIBUTE_FMT_PRINTF(6, 7);
/* Install a complete error (e.g. one received over the wire) as the last error. */
void virSetError(int domain, int code, int level, const char *message,
                 const char *str1, const char *str2, const char *str3,
                 int int1, int int2);
/* The text libvirt puts in front of messages with this code ("internal error", ...). */
const char *virErrorCodeText(int code, bool withInfo);
/* Save the last error and clear it; restore it later (e.g. around cleanup
 * code that may overwrite it). virErrorRestore frees *@saved. */
void virErrorPreserveLast(virErrorPtr *saved);
void virErrorRestore(virErrorPtr *saved);
/* Report VIR_ERR_INTERNAL_ERROR if no error is set yet (a function failed without saying why). */
void virErrorEnsureSet(void);

#define virReportError(code, ...) \
    virReportErrorFull(VIR_FROM_THIS, code, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define virReportSystemError(theerrno, ...) \
    virReportSystemErrorFull(VIR_FROM_THIS, theerrno, __FILE__, __func__, __LINE__, __VA_ARGS__)
#define virReportUnsupportedError() \
    virReportErrorFull(VIR_FROM_THIS, VIR_ERR_NO_SUPPORT, __FILE__, __func__, __LINE__, "%s", __func__)

#endif /* TENVIRT_VIRERROR_H */
