/*
 * domain_conf.h: the domain definition and its XML form.
 *
 * A libvirt-style <domain> subset that round-trips: parse then format gives
 * back the same document (modulo whitespace and attribute quoting).
 */
#ifndef TENVIRT_DOMAIN_CONF_H
#define TENVIRT_DOMAIN_CONF_H

#include "internal.h"

typedef enum {
    VIR_DOMAIN_LIFECYCLE_DESTROY = 0,
    VIR_DOMAIN_LIFECYCLE_RESTART,
    VIR_DOMAIN_LIFECYCLE_RESTART_RENAME,
    VIR_DOMAIN_LIFECYCLE_PRESERVE,
    VIR_DOMAIN_LIFECYCLE_LAST
} virDomainLifecycleAction;

typedef struct {
    char *type;         /* "file", "block", "network", ... */
    char *device;       /* "disk", "cdrom", ... (NULL: disk) */
    char *driverName;   /* <driver name=.../> */
    char *driverType;   /* <driver type=.../> */
    char *source;       /* file= / dev= / dir= / name= of <source> */
    char *protocol;     /* <source protocol=...> of type='network' disks, else NULL */
    char *target;       /* <target dev=...> */
    char *bus;          /* <target bus=...> */
    bool readonly;
} virDomainDiskDef;

typedef struct {
    char *type;         /* "network", "bridge", "user", ... */
    char *mac;          /* "52:54:00:..." or NULL */
    char *source;       /* network= / bridge= of <source> */
    char *model;        /* <model type=...> */
} virDomainNetDef;

typedef struct {
    char *type;         /* "vnc", "spice", ... */
    int port;           /* -1: autoport/unset */
    bool autoport;
    char *listen;       /* listen address or NULL */
    char *passwd;       /* secret: formatted only with VIR_DOMAIN_DEF_FORMAT_SECURE */
} virDomainGraphicsDef;

typedef struct {
    char *type;         /* "pty", ... */
    char *targetType;   /* <target type=...> or NULL */
    int targetPort;     /* -1 if unset */
} virDomainChrDef;

typedef struct _virDomainDef virDomainDef;
struct _virDomainDef {
    char *virtType;                 /* <domain type='test'> */
    int id;                         /* -1 when inactive; not part of the XML on input */
    char *name;
    unsigned char uuid[VIR_UUID_BUFLEN];
    char *title;
    char *description;
    unsigned long long maxMemory;   /* <memory>, KiB */
    unsigned long long curMemory;   /* <currentMemory>, KiB (defaults to maxMemory) */
    unsigned int vcpus;
    char *osType;                   /* <os><type>hvm</type>: "hvm", "linux", "xen" */
    char *osArch;                   /* <type arch=...> or NULL */
    char *osMachine;                /* <type machine=...> or NULL */
    char **bootDevs;                /* <boot dev=...> in order, NULL-terminated (may be NULL) */
    virDomainLifecycleAction onPoweroff;
    virDomainLifecycleAction onReboot;
    virDomainLifecycleAction onCrash;
    virDomainDiskDef *disks;
    size_t ndisks;
    virDomainNetDef *nets;
    size_t nnets;
    virDomainGraphicsDef *graphics;
    size_t ngraphics;
    virDomainChrDef *consoles;
    size_t nconsoles;
};

typedef enum {
    VIR_DOMAIN_DEF_FORMAT_SECURE = 1 << 0,     /* include passwords */
    VIR_DOMAIN_DEF_FORMAT_INACTIVE = 1 << 1,   /* omit the id attribute */
} virDomainDefFormatFlags;

/* Parse a <domain> document. Missing uuid: a random one is generated;
 * missing or too large currentMemory: clamped to memory (as libvirt does).
 * Errors: VIR_ERR_XML_DETAIL (from VIR_FROM_XML) for malformed XML
 * ("(domain_definition):LINE: <libxml2 text>"); VIR_ERR_NO_NAME
 * ("missing name information") and VIR_ERR_NO_OS ("missing operating system
 * information") for a missing/empty <name> or <os><type>; VIR_ERR_OVERFLOW for
 * a memory size above 2^64 bytes; VIR_ERR_XML_ERROR for anything else that is
 * well-formed but not a valid domain (e.g. "XML error: invalid memory value 'x'").
 * Thread-safe; prints nothing. Returns a new definition (caller frees with
 * virDomainDefFree) or NULL. */
virDomainDef *virDomainDefParseString(const char *xml);
/* Parse the <domain> element @node (an xmlNodePtr) of the already parsed
 * document @doc (an xmlDocPtr); the test driver's node files embed several
 * domains. A NULL @node means the document's root element. Both are void *
 * to keep libxml2 out of this header. Same errors and ownership as
 * virDomainDefParseString, minus the malformed-XML ones. */
virDomainDef *virDomainDefParseNode(void *doc, void *node);
/* The XML text of @def; @flags from virDomainDefFormatFlags (others are
 * VIR_ERR_INVALID_ARG). Caller frees. NULL with an error set if @def lacks
 * what the XML requires (type, name, OS type, disk targets, graphics types). */
char *virDomainDefFormat(const virDomainDef *def, unsigned int flags);
/* A deep copy (secrets included; id kept), or NULL with an error set.
 * Caller frees with virDomainDefFree. */
virDomainDef *virDomainDefCopy(const virDomainDef *def);
/* Free @def and everything it holds; NULL is a no-op. */
void virDomainDefFree(virDomainDef *def);

/* "destroy", "restart", "rename-restart", "preserve"; NULL if out of range. */
const char *virDomainLifecycleActionToString(virDomainLifecycleAction a);
/* The action named @s, or -1 if unknown (no error is reported). */
int virDomainLifecycleActionFromString(const char *s);

#endif /* TENVIRT_DOMAIN_CONF_H */
