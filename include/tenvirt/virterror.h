/*
 * virterror.h: error reporting for the Tenvirt public API.
 *
 * The numbers of every enum here are those of libvirt's public API: they
 * travel over the wire to stock libvirt clients, which interpret them.
 */
#ifndef TENVIRT_VIRTERROR_H
#define TENVIRT_VIRTERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VIR_ERR_NONE = 0,
    VIR_ERR_WARNING = 1,
    VIR_ERR_ERROR = 2,
} virErrorLevel;

typedef enum {
    VIR_FROM_NONE = 0,
    VIR_FROM_XEN = 1,
    VIR_FROM_XEND = 2,
    VIR_FROM_XENSTORE = 3,
    VIR_FROM_SEXPR = 4,
    VIR_FROM_XML = 5,
    VIR_FROM_DOM = 6,
    VIR_FROM_RPC = 7,
    VIR_FROM_PROXY = 8,
    VIR_FROM_CONF = 9,
    VIR_FROM_QEMU = 10,
    VIR_FROM_NET = 11,
    VIR_FROM_TEST = 12,
    VIR_FROM_REMOTE = 13,
    VIR_FROM_STORAGE = 18,
    VIR_FROM_NETWORK = 19,
    VIR_FROM_DOMAIN = 20,
    VIR_FROM_SECURITY = 24,
    VIR_FROM_EVENT = 40,
    VIR_FROM_LIBXL = 41,
    VIR_FROM_URI = 45,
    VIR_FROM_AUTH = 46,
    VIR_FROM_IDENTITY = 53,
    VIR_FROM_ACCESS = 55,
    VIR_FROM_THREAD = 61,
    VIR_FROM_LOGGING = 63,
} virErrorDomain;

typedef enum {
    VIR_ERR_OK = 0,
    VIR_ERR_INTERNAL_ERROR = 1,
    VIR_ERR_NO_MEMORY = 2,
    VIR_ERR_NO_SUPPORT = 3,
    VIR_ERR_UNKNOWN_HOST = 4,
    VIR_ERR_NO_CONNECT = 5,
    VIR_ERR_INVALID_CONN = 6,
    VIR_ERR_INVALID_DOMAIN = 7,
    VIR_ERR_INVALID_ARG = 8,
    VIR_ERR_OPERATION_FAILED = 9,
    VIR_ERR_NO_NAME = 21,
    VIR_ERR_NO_OS = 22,
    VIR_ERR_XML_ERROR = 27,
    VIR_ERR_DOM_EXIST = 28,
    VIR_ERR_OPERATION_DENIED = 29,
    VIR_ERR_OPEN_FAILED = 30,
    VIR_ERR_READ_FAILED = 31,
    VIR_ERR_PARSE_FAILED = 32,
    VIR_ERR_CONF_SYNTAX = 33,
    VIR_ERR_WRITE_FAILED = 34,
    VIR_ERR_XML_DETAIL = 35,
    VIR_ERR_SYSTEM_ERROR = 38,
    VIR_ERR_RPC = 39,
    VIR_ERR_GNUTLS_ERROR = 40,
    VIR_ERR_NO_DOMAIN = 42,
    VIR_ERR_AUTH_FAILED = 45,
    VIR_ERR_OPERATION_INVALID = 55,
    VIR_ERR_CONFIG_UNSUPPORTED = 67,
    VIR_ERR_OPERATION_TIMEOUT = 68,
    VIR_ERR_ARGUMENT_UNSUPPORTED = 74,
    VIR_ERR_AUTH_CANCELLED = 79,
    VIR_ERR_OVERFLOW = 82,
    VIR_ERR_OPERATION_UNSUPPORTED = 84,
    VIR_ERR_ACCESS_DENIED = 88,
    VIR_ERR_AUTH_UNAVAILABLE = 94,
} virErrorNumber;

typedef struct _virError virError;
typedef virError *virErrorPtr;

/* Field order and meaning follow libvirt's virError. */
struct _virError {
    int code;            /* virErrorNumber */
    int domain;          /* virErrorDomain */
    char *message;       /* full human-readable text */
    virErrorLevel level;
    void *conn;          /* unused, always NULL */
    void *dom;           /* unused, always NULL */
    char *str1;
    char *str2;
    char *str3;
    int int1;
    int int2;
    void *net;           /* unused, always NULL */
};

/* The calling thread's last error, or NULL. Owned by the library. */
virErrorPtr virGetLastError(void);
/* Message of the last error, or a generic text if there is none. */
const char *virGetLastErrorMessage(void);
/* Code of the last error, VIR_ERR_OK if none. */
int virGetLastErrorCode(void);
/* Forget the calling thread's last error. */
void virResetLastError(void);
/* Deep copy of the last error into @to; returns its code. Free with virResetError. */
int virCopyLastError(virErrorPtr to);
/* Free the strings held by @err and zero it. */
void virResetError(virErrorPtr err);
/* A deep copy of the last error (NULL if none); free with virFreeError. */
virErrorPtr virSaveLastError(void);
void virFreeError(virErrorPtr err);

#ifdef __cplusplus
}
#endif
#endif /* TENVIRT_VIRTERROR_H */
