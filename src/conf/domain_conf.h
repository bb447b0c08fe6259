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
    char *source;       /* file= / dev= / name= of <source> */
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

/* Parse a <domain> document. Missing uuid: a random one is generated.
 * Errors: VIR_ERR_XML_DETAIL for malformed XML ("(domain_definition):LINE: <libxml2 text>"),
 * VIR_ERR_XML_ERROR for well-formed XML that is not a valid domain (e.g.
 * "XML error: missing domain name", "XML error: invalid memory value 'x'"),
 * VIR_ERR_NO_NAME / VIR_ERR_NO_OS where libvirt uses them.
 * Returns a new definition (caller frees with virDomainDefFree) or NULL. */
virDomainDef *virDomainDefParseString(const char *xml);
/* Parse from a libxml2 <domain> node of an already parsed document (the test
 * driver's node files embed domains). @ctxt is an xmlXPathContextPtr whose
 * node is the <domain> element, passed as void * to keep libxml2 out of this header. */
virDomainDef *virDomainDefParseNode(void *xmlDoc, void *xmlNode);
/* The XML text of @def; @flags from virDomainDefFormatFlags. Caller frees. */
char *virDomainDefFormat(const virDomainDef *def, unsigned int flags);
/* A deep copy. */
virDomainDef *virDomainDefCopy(const virDomainDef *def);
void virDomainDefFree(virDomainDef *def);

const char *virDomainLifecycleActionToString(virDomainLifecycleAction a);
int virDomainLifecycleActionFromString(const char *s);

#endif /* TENVIRT_DOMAIN_CONF_H */
