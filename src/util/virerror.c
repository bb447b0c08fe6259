/*
 * virerror.c: the calling thread's last error.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("util.error");

static __thread virError lastError;
static __thread bool lastErrorSet;

/* One row per code: the text with and without a detail following it.
 * The wording is what stock clients show users, so keep it libvirt-like. */
static const struct {
    int code;
    const char *bare;
    const char *withInfo;
} errorTexts[] = {
    { VIR_ERR_INTERNAL_ERROR, "internal error", "internal error" },
    { VIR_ERR_NO_MEMORY, "out of memory", "out of memory" },
    { VIR_ERR_NO_SUPPORT, "this function is not supported by the connection driver",
      "this function is not supported by the connection driver" },
    { VIR_ERR_NO_CONNECT, "no connection driver available", "no connection driver available for" },
    { VIR_ERR_INVALID_CONN, "invalid connection pointer in", "invalid connection pointer in" },
    { VIR_ERR_INVALID_DOMAIN, "invalid domain pointer in", "invalid domain pointer in" },
    { VIR_ERR_INVALID_ARG, "invalid argument", "invalid argument" },
    { VIR_ERR_OPERATION_FAILED, "operation failed", "operation failed" },
    { VIR_ERR_NO_NAME, "missing name information", "missing name information in" },
    { VIR_ERR_NO_OS, "missing operating system information", "missing operating system information for" },
    { VIR_ERR_XML_ERROR, "XML description is invalid or not well formed",
      "XML error" },
    { VIR_ERR_DOM_EXIST, "this domain exists already", "domain exists already" },
    { VIR_ERR_OPERATION_DENIED, "operation forbidden for read only access",
      "operation forbidden" },
    { VIR_ERR_OPEN_FAILED, "failed to open configuration file", "failed to open configuration file" },
    { VIR_ERR_READ_FAILED, "failed to read configuration file", "failed to read configuration file" },
    { VIR_ERR_PARSE_FAILED, "failed to parse configuration file", "failed to parse configuration file" },
    { VIR_ERR_CONF_SYNTAX, "configuration file syntax error", "configuration file syntax error" },
    { VIR_ERR_WRITE_FAILED, "failed to write configuration file", "failed to write configuration file" },
    { VIR_ERR_XML_DETAIL, "parser error", "" },
    { VIR_ERR_SYSTEM_ERROR, "system error", "" },
    { VIR_ERR_RPC, "RPC error", "" },
    { VIR_ERR_GNUTLS_ERROR, "GnuTLS call error", "" },
    { VIR_ERR_NO_DOMAIN, "Domain not found", "Domain not found" },
    { VIR_ERR_AUTH_FAILED, "authentication failed", "authentication failed" },
    { VIR_ERR_OPERATION_INVALID, "Requested operation is not valid",
      "Requested operation is not valid" },
    { VIR_ERR_CONFIG_UNSUPPORTED, "unsupported configuration", "unsupported configuration" },
    { VIR_ERR_OPERATION_TIMEOUT, "Timed out during operation", "Timed out during operation" },
    { VIR_ERR_ARGUMENT_UNSUPPORTED, "argument unsupported", "argument unsupported" },
    { VIR_ERR_AUTH_CANCELLED, "authentication cancelled", "authentication cancelled" },
    { VIR_ERR_OVERFLOW, "value too large", "value too large" },
    { VIR_ERR_OPERATION_UNSUPPORTED, "Operation not supported", "Operation not supported" },
    { VIR_ERR_ACCESS_DENIED, "access denied", "access denied" },
    { VIR_ERR_AUTH_UNAVAILABLE, "authentication unavailable", "authentication unavailable" },
};

const char *
virErrorCodeText(int code, bool withInfo)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(errorTexts); i++) {
        if (errorTexts[i].code == code)
            return withInfo ? errorTexts[i].withInfo : errorTexts[i].bare;
    }
    return "unknown error";
}

void
virResetError(virErrorPtr err)
{
    if (!err)
        return;
    free(err->message);
    free(err->str1);
    free(err->str2);
    free(err->str3);
    memset(err, 0, sizeof(*err));
}

void
virResetLastError(void)
{
    virResetError(&lastError);
    lastErrorSet = false;
}

virErrorPtr
virGetLastError(void)
{
    return lastErrorSet ? &lastError : NULL;
}

const char *
virGetLastErrorMessage(void)
{
    if (!lastErrorSet)
        return "no error";
    return lastError.message ? lastError.message : "unknown error";
}

int
virGetLastErrorCode(void)
{
    return lastErrorSet ? lastError.code : VIR_ERR_OK;
}

static void
virErrorCopy(virErrorPtr to, const virError *from)
{
    memset(to, 0, sizeof(*to));
    to->code = from->code;
    to->domain = from->domain;
    to->level = from->level;
    to->message = virStrdup(from->message);
    to->str1 = virStrdup(from->str1);
    to->str2 = virStrdup(from->str2);
    to->str3 = virStrdup(from->str3);
    to->int1 = from->int1;
    to->int2 = from->int2;
}

int
virCopyLastError(virErrorPtr to)
{
    if (!lastErrorSet) {
        memset(to, 0, sizeof(*to));
        return VIR_ERR_OK;
    }
    virErrorCopy(to, &lastError);
    return to->code;
}

virErrorPtr
virSaveLastError(void)
{
    virErrorPtr err;

    if (!lastErrorSet)
        return NULL;
    VIR_ALLOC(err);
    virErrorCopy(err, &lastError);
    return err;
}

void
virFreeError(virErrorPtr err)
{
    virResetError(err);
    free(err);
}

void
virSetError(int domain, int code, int level, const char *message,
            const char *str1, const char *str2, const char *str3,
            int int1, int int2)
{
    virResetLastError();
    lastError.domain = domain;
    lastError.code = code;
    lastError.level = level;
    lastError.message = virStrdup(message ? message : virErrorCodeText(code, false));
    lastError.str1 = virStrdup(str1);
    lastError.str2 = virStrdup(str2);
    lastError.str3 = virStrdup(str3);
    lastError.int1 = int1;
    lastError.int2 = int2;
    lastErrorSet = true;
}

static void
virReportErrorV(int domain, int code, const char *filename, const char *funcname,
                size_t linenr, const char *fmt, va_list ap)
{
    VIR_AUTOFREE(char *) detail = NULL;
    VIR_AUTOFREE(char *) message = NULL;
    const char *prefix;

    if (fmt)
        detail = virVPrintf(fmt, ap);
    prefix = virErrorCodeText(code, detail != NULL);
    if (detail && *prefix) {
        /* "no connection driver available for URI" reads on; others take a colon. */
        size_t plen = strlen(prefix);
        bool runOn = (plen > 4 && STREQ(prefix + plen - 4, " for")) ||
                     (plen > 3 && STREQ(prefix + plen - 3, " in"));

        message = virPrintf("%s%s%s", prefix, runOn ? " " : ": ", detail);
    }
    else if (detail)
        message = virStrdup(detail);
    else
        message = virStrdup(prefix);

    virSetError(domain, code, VIR_ERR_ERROR, message, prefix, detail, NULL, -1, -1);
    virLogMessage(&virLogSelf, VIR_LOG_DEBUG, filename, linenr, funcname,
                  "error %d (domain %d): %s", code, domain, message);
}

void
virReportErrorFull(int domain, int code, const char *filename,
                   const char *funcname, size_t linenr, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    virReportErrorV(domain, code, filename, funcname, linenr, fmt, ap);
    va_end(ap);
}

void
virReportSystemErrorFull(int domain, int theerrno, const char *filename,
                         const char *funcname, size_t linenr, const char *fmt, ...)
{
    va_list ap;
    VIR_AUTOFREE(char *) detail = NULL;
    char ebuf[256];
    const char *estr;

    va_start(ap, fmt);
    detail = virVPrintf(fmt, ap);
    va_end(ap);
    estr = strerror_r(theerrno, ebuf, sizeof(ebuf));
    virReportErrorFull(domain, VIR_ERR_SYSTEM_ERROR, filename, funcname, linenr,
                       "%s: %s", detail, estr);
}

void
virErrorPreserveLast(virErrorPtr *saved)
{
    *saved = virSaveLastError();
    virResetLastError();
}

void
virErrorRestore(virErrorPtr *saved)
{
    if (!*saved)
        return;
    virSetError((*saved)->domain, (*saved)->code, (*saved)->level, (*saved)->message,
                (*saved)->str1, (*saved)->str2, (*saved)->str3,
                (*saved)->int1, (*saved)->int2);
    virFreeError(*saved);
    *saved = NULL;
}

void
virErrorEnsureSet(void)
{
    if (!lastErrorSet)
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "unexpected failure without error details");
}
