/*
 * domain_conf.c: parse and format the <domain> XML subset.
 *
 * Error policy, applied everywhere in this file:
 *  - malformed XML: VIR_ERR_XML_DETAIL, "(domain_definition):LINE: <libxml2 text>",
 *    reported from the VIR_FROM_XML domain;
 *  - a mandatory element libvirt has a dedicated code for is missing:
 *    VIR_ERR_NO_NAME ("missing name information") or VIR_ERR_NO_OS
 *    ("missing operating system information"), with libvirt's bare text;
 *  - anything else present but invalid (or missing without a dedicated code):
 *    VIR_ERR_XML_ERROR, "XML error: <what is wrong>";
 *  - a memory size that does not fit in 64 bits of bytes: VIR_ERR_OVERFLOW.
 * Elements and attributes outside the subset are ignored, as libvirt does.
 */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "virstring.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_DOMAIN

/* The pseudo file name libxml2 errors are reported under, as libvirt does. */
#define VIR_DOMAIN_XML_FILENAME "(domain_definition)"

/* ------------------------------------------------------------------ */
/* Value tables                                                        */

static const char *const virDomainLifecycleNames[] = {
    [VIR_DOMAIN_LIFECYCLE_DESTROY] = "destroy",
    [VIR_DOMAIN_LIFECYCLE_RESTART] = "restart",
    [VIR_DOMAIN_LIFECYCLE_RESTART_RENAME] = "rename-restart",
    [VIR_DOMAIN_LIFECYCLE_PRESERVE] = "preserve",
};
VIR_STATIC_ASSERT(G_N_ELEMENTS(virDomainLifecycleNames) == VIR_DOMAIN_LIFECYCLE_LAST,
                  "lifecycle action names out of step with the enum");

/* The three lifecycle elements, in output order, with their defaults. */
static const struct {
    const char *element;
    size_t offset;
    virDomainLifecycleAction dflt;
} virDomainLifecycleEvents[] = {
    { "on_poweroff", offsetof(virDomainDef, onPoweroff), VIR_DOMAIN_LIFECYCLE_DESTROY },
    { "on_reboot", offsetof(virDomainDef, onReboot), VIR_DOMAIN_LIFECYCLE_RESTART },
    { "on_crash", offsetof(virDomainDef, onCrash), VIR_DOMAIN_LIFECYCLE_DESTROY },
};

/* NULL-terminated lists of accepted values (libvirt's names). */
static const char *const virDomainVirtTypes[] = {
    "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test",
    "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", NULL
};
static const char *const virDomainOSTypes[] = {
    "hvm", "xen", "linux", "exe", "xenpvh", NULL
};
static const char *const virDomainBootDevs[] = {
    "fd", "hd", "cdrom", "network", NULL
};
static const char *const virDomainDiskDevices[] = {
    "disk", "cdrom", "floppy", "lun", NULL
};
static const char *const virDomainDiskBuses[] = {
    "ide", "fdc", "scsi", "virtio", "xen", "usb", "uml", "sata", "sd", NULL
};
static const char *const virDomainDiskProtocols[] = {
    "nbd", "rbd", "sheepdog", "gluster", "iscsi", "http", "https", "ftp", "ftps",
    "tftp", "ssh", "vxhs", "nfs", NULL
};
static const char *const virDomainChrTypes[] = {
    "null", "vc", "pty", "dev", "file", "pipe", "stdio", "udp", "tcp", "unix",
    "spicevmc", "spiceport", NULL
};
static const char *const virDomainConsoleTargetTypes[] = {
    "serial", "virtio", "xen", "uml", "lxc", "openvz", "sclp", "sclplm", NULL
};

/* Disk type -> the <source> attribute that names the backing store. */
static const struct {
    const char *type;
    const char *sourceAttr;
} virDomainDiskTypes[] = {
    { "file", "file" },
    { "block", "dev" },
    { "dir", "dir" },
    { "network", "name" },
};

/* Interface type -> the <source> attribute it requires (NULL: none). */
static const struct {
    const char *type;
    const char *sourceAttr;
} virDomainNetTypes[] = {
    { "network", "network" },
    { "bridge", "bridge" },
    { "direct", "dev" },
    { "user", NULL },
    { "ethernet", NULL },
};

/* Graphics type -> whether it listens on a TCP port (port/autoport apply). */
static const struct {
    const char *type;
    bool hasPort;
} virDomainGraphicsTypes[] = {
    { "vnc", true },
    { "spice", true },
    { "rdp", true },
    { "sdl", false },
    { "desktop", false },
    { "egl-headless", false },
    { "dbus", false },
};

static bool
virDomainStringInList(const char *str, const char *const *list)
{
    for (; *list; list++) {
        if (STREQ(str, *list))
            return true;
    }
    return false;
}

const char *
virDomainLifecycleActionToString(virDomainLifecycleAction a)
{
    if ((int)a < 0 || a >= VIR_DOMAIN_LIFECYCLE_LAST)
        return NULL;
    return virDomainLifecycleNames[a];
}

int
virDomainLifecycleActionFromString(const char *s)
{
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < G_N_ELEMENTS(virDomainLifecycleNames); i++) {
        if (STREQ(s, virDomainLifecycleNames[i]))
            return i;
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

static void
virDomainDiskDefClear(virDomainDiskDef *disk)
{
    free(disk->type);
    free(disk->device);
    free(disk->driverName);
    free(disk->driverType);
    free(disk->source);
    free(disk->protocol);
    free(disk->target);
    free(disk->bus);
}

static void
virDomainNetDefClear(virDomainNetDef *net)
{
    free(net->type);
    free(net->mac);
    free(net->source);
    free(net->model);
}

static void
virDomainGraphicsDefClear(virDomainGraphicsDef *graphics)
{
    free(graphics->type);
    free(graphics->listen);
    if (graphics->passwd) {
        /* Do not leave the secret behind in freed memory. */
        memset(graphics->passwd, 0, strlen(graphics->passwd));
        free(graphics->passwd);
    }
}

static void
virDomainChrDefClear(virDomainChrDef *chr)
{
    free(chr->type);
    free(chr->targetType);
}

void
virDomainDefFree(virDomainDef *def)
{
    size_t i;

    if (!def)
        return;
    free(def->virtType);
    free(def->name);
    free(def->title);
    free(def->description);
    free(def->osType);
    free(def->osArch);
    free(def->osMachine);
    virStringListFree(def->bootDevs);
    for (i = 0; i < def->ndisks; i++)
        virDomainDiskDefClear(&def->disks[i]);
    free(def->disks);
    for (i = 0; i < def->nnets; i++)
        virDomainNetDefClear(&def->nets[i]);
    free(def->nets);
    for (i = 0; i < def->ngraphics; i++)
        virDomainGraphicsDefClear(&def->graphics[i]);
    free(def->graphics);
    for (i = 0; i < def->nconsoles; i++)
        virDomainChrDefClear(&def->consoles[i]);
    free(def->consoles);
    free(def);
}

/* ------------------------------------------------------------------ */
/* Small DOM helpers                                                   */

/* Element named @name without a namespace: what the XPath "./name" that
 * libvirt uses would select, so <foo:name> in metadata is not confused with it. */
static bool
virDomainXMLIsElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !node->ns &&
           xmlStrEqual(node->name, BAD_CAST name);
}

/* First child element of @parent called @name, or NULL. */
static xmlNodePtr
virDomainXMLChild(xmlNodePtr parent, const char *name)
{
    xmlNodePtr cur;

    for (cur = parent->children; cur; cur = cur->next) {
        if (virDomainXMLIsElement(cur, name))
            return cur;
    }
    return NULL;
}

/* Attribute @name of @node as a malloc'd string, or NULL if absent. */
static char *
virDomainXMLProp(xmlNodePtr node, const char *name)
{
    xmlChar *val = xmlGetNoNsProp(node, BAD_CAST name);
    char *ret;

    if (!val)
        return NULL;
    ret = virStrdup((const char *)val);
    xmlFree(val);
    return ret;
}

/* Text of @node (never NULL). Only text and CDATA children count: entity
 * references are deliberately not followed, so nothing declared in a DTD
 * (least of all an external entity) can end up in a definition. */
static char *
virDomainXMLText(xmlNodePtr node)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    xmlNodePtr cur;

    for (cur = node->children; cur; cur = cur->next) {
        if ((cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) &&
            cur->content)
            virBufferAdd(&buf, (const char *)cur->content, -1);
    }
    return virBufferContentAndReset(&buf);
}

/* Text of the first child element @name of @parent, or NULL if there is none. */
static char *
virDomainXMLChildText(xmlNodePtr parent, const char *name)
{
    xmlNodePtr child = virDomainXMLChild(parent, name);

    return child ? virDomainXMLText(child) : NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing: scalar values                                              */

/* Bytes per @unit for a memory size. Like libvirt the unit is case-insensitive:
 * "b"/"bytes", then k/m/g/t/p/e alone or followed by "iB" (powers of 1024)
 * or by "B" (powers of 1000). No unit means KiB. */
static int
virDomainMemoryUnitScale(const char *unit, unsigned long long *scale)
{
    static const char prefixes[] = "kmgtpe";
    const char *p;
    unsigned long long base;
    size_t power;
    size_t i;

    if (!unit) {
        *scale = 1024;
        return 0;
    }
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "bytes") == 0) {
        *scale = 1;
        return 0;
    }
    if (!unit[0] || !(p = strchr(prefixes, tolower((unsigned char)unit[0]))))
        return -1;
    power = p - prefixes + 1;
    if (unit[1] == '\0' || strcasecmp(unit + 1, "ib") == 0)
        base = 1024;
    else if (strcasecmp(unit + 1, "b") == 0)
        base = 1000;
    else
        return -1;
    *scale = 1;
    for (i = 0; i < power; i++)
        *scale *= base;    /* at most 1024^6 = 2^60: cannot overflow */
    return 0;
}

static bool
virDomainIsAllDigits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s))
            return false;
    }
    return true;
}

/* Parse the size held by element @node (called @element) into KiB, rounding
 * partial KiB up. Returns 0, or -1 with an error set. */
static int
virDomainParseMemory(xmlNodePtr node, const char *element, unsigned long long *kib)
{
    VIR_AUTOFREE(char *) text = virStringTrim(virDomainXMLText(node));
    VIR_AUTOFREE(char *) unit = virDomainXMLProp(node, "unit");
    unsigned long long value;
    unsigned long long scale;

    if (virDomainMemoryUnitScale(unit, &scale) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "unknown unit '%s' for %s", unit, element);
        return -1;
    }
    if (virStrToLong_ull(text, 10, &value) < 0) {
        /* Only digits yet unparsable: the number itself exceeds 64 bits. */
        if (virDomainIsAllDigits(text))
            goto overflow;
        virReportError(VIR_ERR_XML_ERROR, "invalid %s value '%s'", element, text);
        return -1;
    }
    if (value > ULLONG_MAX / scale)
        goto overflow;
    value *= scale;
    *kib = value / 1024 + (value % 1024 != 0);
    return 0;

 overflow:
    virReportError(VIR_ERR_OVERFLOW, "%s value '%s' %s exceeds 2^64 bytes",
                   element, text, unit ? unit : "KiB");
    return -1;
}

/* Parse an optional integer attribute in [@min, @max]; absent gives @dflt. */
static int
virDomainParseIntProp(xmlNodePtr node, const char *attr, const char *what,
                      int min, int max, int dflt, int *value)
{
    VIR_AUTOFREE(char *) str = virDomainXMLProp(node, attr);

    if (!str) {
        *value = dflt;
        return 0;
    }
    if (virStrToLong_i(str, 10, value) < 0 || *value < min || *value > max) {
        virReportError(VIR_ERR_XML_ERROR, "invalid %s '%s'", what, str);
        return -1;
    }
    return 0;
}

/* Check and normalise (to lower case) a unicast MAC "xx:xx:xx:xx:xx:xx". */
static char *
virDomainParseMAC(const char *str)
{
    unsigned char mac[6];
    const char *p = str;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(mac); i++) {
        char hex[3];

        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
            goto malformed;
        hex[0] = p[0];
        hex[1] = p[1];
        hex[2] = '\0';
        mac[i] = strtoul(hex, NULL, 16);
        p += 2;
        if (i + 1 < G_N_ELEMENTS(mac) && *p++ != ':')
            goto malformed;
    }
    if (*p)
        goto malformed;
    if (mac[0] & 1) {
        virReportError(VIR_ERR_XML_ERROR, "expected a unicast mac address, got '%s'", str);
        return NULL;
    }
    return virPrintf("%02x:%02x:%02x:%02x:%02x:%02x",
                     mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);

 malformed:
    virReportError(VIR_ERR_XML_ERROR, "malformed mac address '%s'", str);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing: top-level sections                                         */

static int
virDomainParseName(virDomainDef *def, xmlNodePtr root)
{
    def->name = virDomainXMLChildText(root, "name");
    if (!def->name || !def->name[0]) {
        virReportError(VIR_ERR_NO_NAME, NULL);
        return -1;
    }
    /* Names become file names and appear in line-oriented output. */
    if (strchr(def->name, '/')) {
        virReportError(VIR_ERR_XML_ERROR, "name '%s' must not contain '/'", def->name);
        return -1;
    }
    if (strchr(def->name, '\n')) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "name must not contain a newline");
        return -1;
    }
    return 0;
}

static int
virDomainParseUUID(virDomainDef *def, xmlNodePtr root)
{
    VIR_AUTOFREE(char *) str = virDomainXMLChildText(root, "uuid");

    if (!str)
        return virUUIDGenerate(def->uuid);
    if (virUUIDParse(str, def->uuid) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "malformed uuid '%s'", str);
        return -1;
    }
    return 0;
}

static int
virDomainParseMemorySizes(virDomainDef *def, xmlNodePtr root)
{
    xmlNodePtr node;

    if (!(node = virDomainXMLChild(root, "memory"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing <memory> size");
        return -1;
    }
    if (virDomainParseMemory(node, "memory", &def->maxMemory) < 0)
        return -1;
    if (def->maxMemory == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "memory size must be greater than zero");
        return -1;
    }
    if ((node = virDomainXMLChild(root, "currentMemory")) &&
        virDomainParseMemory(node, "currentMemory", &def->curMemory) < 0)
        return -1;
    /* Like libvirt, a missing, zero or too large current size is clamped to
     * the maximum instead of rejected: the balloon cannot exceed it anyway,
     * and old configs in the wild rely on this. */
    if (def->curMemory == 0 || def->curMemory > def->maxMemory)
        def->curMemory = def->maxMemory;
    return 0;
}

static int
virDomainParseVcpus(virDomainDef *def, xmlNodePtr root)
{
    VIR_AUTOFREE(char *) str = virDomainXMLChildText(root, "vcpu");

    if (!str) {
        def->vcpus = 1;
        return 0;
    }
    virStringTrim(str);
    if (virStrToLong_ui(str, 10, &def->vcpus) < 0) {
        virReportError(VIR_ERR_XML_ERROR, "invalid vcpu count '%s'", str);
        return -1;
    }
    if (def->vcpus == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "a domain needs at least 1 vcpu");
        return -1;
    }
    return 0;
}

static int
virDomainParseOS(virDomainDef *def, xmlNodePtr root)
{
    xmlNodePtr os = virDomainXMLChild(root, "os");
    xmlNodePtr type = os ? virDomainXMLChild(os, "type") : NULL;
    xmlNodePtr cur;
    size_t nboot = 0;

    if (type)
        def->osType = virStringTrim(virDomainXMLText(type));
    if (!def->osType || !def->osType[0]) {
        virReportError(VIR_ERR_NO_OS, NULL);
        return -1;
    }
    if (!virDomainStringInList(def->osType, virDomainOSTypes)) {
        virReportError(VIR_ERR_XML_ERROR, "unknown OS type '%s'", def->osType);
        return -1;
    }
    def->osArch = virDomainXMLProp(type, "arch");
    def->osMachine = virDomainXMLProp(type, "machine");

    for (cur = os->children; cur; cur = cur->next) {
        char *dev;

        if (!virDomainXMLIsElement(cur, "boot"))
            continue;
        if (!(dev = virDomainXMLProp(cur, "dev"))) {
            virReportError(VIR_ERR_XML_ERROR, "%s", "missing dev attribute of <boot>");
            return -1;
        }
        if (!virDomainStringInList(dev, virDomainBootDevs)) {
            virReportError(VIR_ERR_XML_ERROR, "unknown boot device '%s'", dev);
            free(dev);
            return -1;
        }
        /* Keep the list NULL-terminated after every step so a failure
         * part way leaves something virStringListFree can release. */
        VIR_APPEND_ELEMENT(def->bootDevs, nboot, dev);
        VIR_APPEND_ELEMENT(def->bootDevs, nboot, NULL);
        nboot--;
    }
    return 0;
}

static int
virDomainParseLifecycle(virDomainDef *def, xmlNodePtr root)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virDomainLifecycleEvents); i++) {
        virDomainLifecycleAction *action =
            (virDomainLifecycleAction *)((char *)def + virDomainLifecycleEvents[i].offset);
        VIR_AUTOFREE(char *) str =
            virDomainXMLChildText(root, virDomainLifecycleEvents[i].element);
        int val;

        if (!str) {
            *action = virDomainLifecycleEvents[i].dflt;
            continue;
        }
        if ((val = virDomainLifecycleActionFromString(virStringTrim(str))) < 0) {
            virReportError(VIR_ERR_XML_ERROR, "unknown %s action '%s'",
                           virDomainLifecycleEvents[i].element, str);
            return -1;
        }
        *action = val;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Parsing: devices                                                    */

static int
virDomainDiskDefParse(virDomainDef *def, xmlNodePtr node, virDomainDiskDef *disk)
{
    const char *sourceAttr = NULL;
    xmlNodePtr child;
    size_t i;

    if (!(disk->type = virDomainXMLProp(node, "type")))
        disk->type = virStrdup("file");     /* libvirt's default */
    for (i = 0; i < G_N_ELEMENTS(virDomainDiskTypes); i++) {
        if (STREQ(disk->type, virDomainDiskTypes[i].type))
            sourceAttr = virDomainDiskTypes[i].sourceAttr;
    }
    if (!sourceAttr) {
        virReportError(VIR_ERR_XML_ERROR, "unknown disk type '%s'", disk->type);
        return -1;
    }
    disk->device = virDomainXMLProp(node, "device");
    if (disk->device && !virDomainStringInList(disk->device, virDomainDiskDevices)) {
        virReportError(VIR_ERR_XML_ERROR, "unknown disk device '%s'", disk->device);
        return -1;
    }
    if ((child = virDomainXMLChild(node, "driver"))) {
        disk->driverName = virDomainXMLProp(child, "name");
        disk->driverType = virDomainXMLProp(child, "type");
    }
    /* An empty drive (a cdrom without media) has no source. */
    if ((child = virDomainXMLChild(node, "source"))) {
        disk->source = virDomainXMLProp(child, sourceAttr);
        if (STREQ(disk->type, "network")) {
            /* Without the protocol a network source name means nothing. */
            if (!(disk->protocol = virDomainXMLProp(child, "protocol"))) {
                virReportError(VIR_ERR_XML_ERROR, "%s",
                               "missing protocol of a network disk source");
                return -1;
            }
            if (!virDomainStringInList(disk->protocol, virDomainDiskProtocols)) {
                virReportError(VIR_ERR_XML_ERROR, "unknown network disk protocol '%s'",
                               disk->protocol);
                return -1;
            }
        }
    }
    if ((child = virDomainXMLChild(node, "target"))) {
        disk->target = virDomainXMLProp(child, "dev");
        disk->bus = virDomainXMLProp(child, "bus");
    }
    if (!disk->target || !disk->target[0]) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing <target dev=...> of a disk");
        return -1;
    }
    if (disk->bus && !virDomainStringInList(disk->bus, virDomainDiskBuses)) {
        virReportError(VIR_ERR_XML_ERROR, "unknown disk bus '%s'", disk->bus);
        return -1;
    }
    /* The guest addresses disks by target: two with one name cannot both work. */
    for (i = 0; i < def->ndisks; i++) {
        if (&def->disks[i] != disk && STREQ_NULLABLE(def->disks[i].target, disk->target)) {
            virReportError(VIR_ERR_XML_ERROR, "disk target '%s' is used more than once",
                           disk->target);
            return -1;
        }
    }
    disk->readonly = virDomainXMLChild(node, "readonly") != NULL;
    return 0;
}

static int
virDomainNetDefParse(xmlNodePtr node, virDomainNetDef *net)
{
    const char *sourceAttr = NULL;
    bool known = false;
    xmlNodePtr child;
    size_t i;

    if (!(net->type = virDomainXMLProp(node, "type")))
        net->type = virStrdup("user");      /* libvirt's default */
    for (i = 0; i < G_N_ELEMENTS(virDomainNetTypes); i++) {
        if (STREQ(net->type, virDomainNetTypes[i].type)) {
            known = true;
            sourceAttr = virDomainNetTypes[i].sourceAttr;
        }
    }
    if (!known) {
        virReportError(VIR_ERR_XML_ERROR, "unknown interface type '%s'", net->type);
        return -1;
    }
    if ((child = virDomainXMLChild(node, "mac"))) {
        VIR_AUTOFREE(char *) addr = virDomainXMLProp(child, "address");

        /* No MAC stays NULL: choosing one is the hypervisor driver's job. */
        if (addr && !(net->mac = virDomainParseMAC(addr)))
            return -1;
    }
    if (sourceAttr) {
        if ((child = virDomainXMLChild(node, "source")))
            net->source = virDomainXMLProp(child, sourceAttr);
        if (!net->source || !net->source[0]) {
            virReportError(VIR_ERR_XML_ERROR, "interface type '%s' needs <source %s='...'/>",
                           net->type, sourceAttr);
            return -1;
        }
    }
    if ((child = virDomainXMLChild(node, "model")))
        net->model = virDomainXMLProp(child, "type");
    return 0;
}

static int
virDomainGraphicsDefParse(xmlNodePtr node, virDomainGraphicsDef *graphics)
{
    VIR_AUTOFREE(char *) autoport = NULL;
    bool hasPort = false;
    bool known = false;
    xmlNodePtr child;
    size_t i;

    if (!(graphics->type = virDomainXMLProp(node, "type"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing graphics type");
        return -1;
    }
    for (i = 0; i < G_N_ELEMENTS(virDomainGraphicsTypes); i++) {
        if (STREQ(graphics->type, virDomainGraphicsTypes[i].type)) {
            known = true;
            hasPort = virDomainGraphicsTypes[i].hasPort;
        }
    }
    if (!known) {
        virReportError(VIR_ERR_XML_ERROR, "unknown graphics type '%s'", graphics->type);
        return -1;
    }
    if (virDomainParseIntProp(node, "port", "graphics port", -1, 65535, -1,
                              &graphics->port) < 0)
        return -1;
    autoport = virDomainXMLProp(node, "autoport");
    if (autoport && STREQ(autoport, "yes")) {
        graphics->autoport = true;
    } else if (autoport && STREQ(autoport, "no")) {
        graphics->autoport = false;
    } else if (autoport) {
        virReportError(VIR_ERR_XML_ERROR, "invalid autoport value '%s'", autoport);
        return -1;
    } else {
        /* A listening display with no port given gets one allocated. */
        graphics->autoport = hasPort && graphics->port == -1;
    }
    graphics->listen = virDomainXMLProp(node, "listen");
    if (!graphics->listen && (child = virDomainXMLChild(node, "listen")))
        graphics->listen = virDomainXMLProp(child, "address");
    graphics->passwd = virDomainXMLProp(node, "passwd");
    return 0;
}

static int
virDomainConsoleDefParse(xmlNodePtr node, virDomainChrDef *console)
{
    xmlNodePtr target;

    if (!(console->type = virDomainXMLProp(node, "type")))
        console->type = virStrdup("pty");
    if (!virDomainStringInList(console->type, virDomainChrTypes)) {
        virReportError(VIR_ERR_XML_ERROR, "unknown console type '%s'", console->type);
        return -1;
    }
    console->targetPort = -1;
    if (!(target = virDomainXMLChild(node, "target")))
        return 0;
    console->targetType = virDomainXMLProp(target, "type");
    if (console->targetType &&
        !virDomainStringInList(console->targetType, virDomainConsoleTargetTypes)) {
        virReportError(VIR_ERR_XML_ERROR, "unknown console target type '%s'",
                       console->targetType);
        return -1;
    }
    return virDomainParseIntProp(target, "port", "console target port", 0, INT32_MAX, -1,
                                 &console->targetPort);
}

/* Each device is appended zeroed before it is parsed, so that on failure
 * virDomainDefFree releases whatever the half-parsed device holds. */
static int
virDomainParseDevices(virDomainDef *def, xmlNodePtr root)
{
    xmlNodePtr devices;
    xmlNodePtr cur;

    for (devices = root->children; devices; devices = devices->next) {
        if (!virDomainXMLIsElement(devices, "devices"))
            continue;
        for (cur = devices->children; cur; cur = cur->next) {
            int rc = 0;

            if (virDomainXMLIsElement(cur, "disk")) {
                virExpandN(&def->disks, sizeof(*def->disks), &def->ndisks, 1);
                rc = virDomainDiskDefParse(def, cur, &def->disks[def->ndisks - 1]);
            } else if (virDomainXMLIsElement(cur, "interface")) {
                virExpandN(&def->nets, sizeof(*def->nets), &def->nnets, 1);
                rc = virDomainNetDefParse(cur, &def->nets[def->nnets - 1]);
            } else if (virDomainXMLIsElement(cur, "graphics")) {
                virExpandN(&def->graphics, sizeof(*def->graphics), &def->ngraphics, 1);
                rc = virDomainGraphicsDefParse(cur, &def->graphics[def->ngraphics - 1]);
            } else if (virDomainXMLIsElement(cur, "console")) {
                virExpandN(&def->consoles, sizeof(*def->consoles), &def->nconsoles, 1);
                rc = virDomainConsoleDefParse(cur, &def->consoles[def->nconsoles - 1]);
            }
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

virDomainDef *
virDomainDefParseNode(void *doc, void *node)
{
    xmlNodePtr root = node;
    virDomainDef *def = NULL;
    char *title;

    if (!root && doc)
        root = xmlDocGetRootElement(doc);
    if (!root) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no XML node to parse a domain from");
        return NULL;
    }
    if (!virDomainXMLIsElement(root, "domain")) {
        virReportError(VIR_ERR_XML_ERROR, "expected root element <domain>, found <%s>",
                       (const char *)root->name);
        return NULL;
    }

    VIR_ALLOC(def);
    def->id = -1;
    if (!(def->virtType = virDomainXMLProp(root, "type"))) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "missing domain type attribute");
        goto error;
    }
    if (!virDomainStringInList(def->virtType, virDomainVirtTypes)) {
        virReportError(VIR_ERR_XML_ERROR, "unknown domain type '%s'", def->virtType);
        goto error;
    }
    if (virDomainParseName(def, root) < 0 ||
        virDomainParseUUID(def, root) < 0)
        goto error;

    title = def->title = virDomainXMLChildText(root, "title");
    if (title && strchr(title, '\n')) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "title must not contain a newline");
        goto error;
    }
    def->description = virDomainXMLChildText(root, "description");

    if (virDomainParseMemorySizes(def, root) < 0 ||
        virDomainParseVcpus(def, root) < 0 ||
        virDomainParseOS(def, root) < 0 ||
        virDomainParseLifecycle(def, root) < 0 ||
        virDomainParseDevices(def, root) < 0)
        goto error;
    return def;

 error:
    virDomainDefFree(def);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Parsing: the document                                               */

/* What the libxml2 error callback saw; one per parse, hence thread-safe. */
typedef struct {
    bool seen;
    int line;
    char *message;
} virDomainXMLParseError;

/* Called by libxml2 (on the parsing thread) for each problem. Keeps the
 * first error: later ones are usually consequences of it. Installing this
 * on the parser context also keeps libxml2 from printing on stderr. */
static void
virDomainXMLErrorHandler(void *userData, xmlErrorPtr err)
{
    xmlParserCtxtPtr pctxt = userData;
    virDomainXMLParseError *state;

    if (!pctxt || !(state = pctxt->_private) || !err || state->seen)
        return;
    if (err->level < XML_ERR_ERROR)
        return;
    state->seen = true;
    state->line = err->line;
    state->message = virStrdup(err->message ? err->message : "unknown XML error");
    virStringTrim(state->message);
}

static pthread_once_t virDomainXMLInitOnce = PTHREAD_ONCE_INIT;

static void
virDomainXMLInit(void)
{
    /* Must run once before threads use libxml2 concurrently. */
    xmlInitParser();
}

virDomainDef *
virDomainDefParseString(const char *xml)
{
    virDomainXMLParseError state = { false, 0, NULL };
    xmlParserCtxtPtr pctxt;
    xmlDocPtr doc = NULL;
    virDomainDef *def = NULL;
    size_t len;

    if (!xml) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no domain XML given");
        return NULL;
    }
    len = strlen(xml);
    if (len > INT_MAX) {
        virReportError(VIR_ERR_XML_ERROR, "%s", "domain XML is too large");
        return NULL;
    }

    pthread_once(&virDomainXMLInitOnce, virDomainXMLInit);
    if (!(pctxt = xmlNewParserCtxt()))
        abort();    /* only fails on OOM, which is fatal everywhere in Tenvirt */
    /* A per-context structured handler rather than the process-wide
     * xmlSetStructuredErrorFunc: concurrent parses each see only their own
     * errors and nothing reaches stderr. */
    pctxt->_private = &state;
    pctxt->sax->serror = virDomainXMLErrorHandler;

    /* NONET: never fetch DTDs or entities over the network. Without
     * XML_PARSE_NOENT or DTDLOAD external entities are not loaded at all. */
    doc = xmlCtxtReadMemory(pctxt, xml, (int)len, NULL, NULL, XML_PARSE_NONET);
    if (!doc || !pctxt->wellFormed) {
        if (state.seen)
            virReportErrorFull(VIR_FROM_XML, VIR_ERR_XML_DETAIL, __FILE__, __func__, __LINE__,
                               "%s:%d: %s", VIR_DOMAIN_XML_FILENAME, state.line,
                               state.message);
        else
            virReportError(VIR_ERR_XML_ERROR, "%s", "failed to parse the domain XML");
        goto cleanup;
    }

    def = virDomainDefParseNode(doc, xmlDocGetRootElement(doc));

 cleanup:
    free(state.message);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pctxt);
    return def;
}

/* ------------------------------------------------------------------ */
/* Formatting                                                          */

static void
virDomainDiskDefFormat(virBuffer *buf, const virDomainDiskDef *disk)
{
    const char *sourceAttr = "file";
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virDomainDiskTypes); i++) {
        if (disk->type && STREQ(disk->type, virDomainDiskTypes[i].type))
            sourceAttr = virDomainDiskTypes[i].sourceAttr;
    }
    virBufferEscapeString(buf, "<disk type='%s'", disk->type ? disk->type : "file");
    virBufferEscapeString(buf, " device='%s'>\n", disk->device ? disk->device : "disk");
    virBufferAdjustIndent(buf, 2);
    if (disk->driverName || disk->driverType) {
        virBufferAddLit(buf, "<driver");
        virBufferEscapeString(buf, " name='%s'", disk->driverName);
        virBufferEscapeString(buf, " type='%s'", disk->driverType);
        virBufferAddLit(buf, "/>\n");
    }
    if (disk->source || disk->protocol) {
        virBufferAddLit(buf, "<source");
        virBufferEscapeString(buf, " protocol='%s'", disk->protocol);
        if (disk->source)
            virBufferAsprintf(buf, " %s=", sourceAttr);
        virBufferEscapeString(buf, "'%s'", disk->source);
        virBufferAddLit(buf, "/>\n");
    }
    virBufferEscapeString(buf, "<target dev='%s'", disk->target);
    virBufferEscapeString(buf, " bus='%s'", disk->bus);
    virBufferAddLit(buf, "/>\n");
    if (disk->readonly)
        virBufferAddLit(buf, "<readonly/>\n");
    virBufferAdjustIndent(buf, -2);
    virBufferAddLit(buf, "</disk>\n");
}

static void
virDomainNetDefFormat(virBuffer *buf, const virDomainNetDef *net)
{
    const char *sourceAttr = NULL;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virDomainNetTypes); i++) {
        if (net->type && STREQ(net->type, virDomainNetTypes[i].type))
            sourceAttr = virDomainNetTypes[i].sourceAttr;
    }
    virBufferEscapeString(buf, "<interface type='%s'", net->type ? net->type : "user");
    if (!net->mac && !(sourceAttr && net->source) && !net->model) {
        virBufferAddLit(buf, "/>\n");
        return;
    }
    virBufferAddLit(buf, ">\n");
    virBufferAdjustIndent(buf, 2);
    virBufferEscapeString(buf, "<mac address='%s'/>\n", net->mac);
    if (sourceAttr && net->source) {
        virBufferAsprintf(buf, "<source %s=", sourceAttr);
        virBufferEscapeString(buf, "'%s'/>\n", net->source);
    }
    virBufferEscapeString(buf, "<model type='%s'/>\n", net->model);
    virBufferAdjustIndent(buf, -2);
    virBufferAddLit(buf, "</interface>\n");
}

static void
virDomainConsoleDefFormat(virBuffer *buf, const virDomainChrDef *console)
{
    virBufferEscapeString(buf, "<console type='%s'", console->type ? console->type : "pty");
    if (!console->targetType && console->targetPort < 0) {
        virBufferAddLit(buf, "/>\n");
        return;
    }
    virBufferAddLit(buf, ">\n");
    virBufferAdjustIndent(buf, 2);
    virBufferAddLit(buf, "<target");
    virBufferEscapeString(buf, " type='%s'", console->targetType);
    if (console->targetPort >= 0)
        virBufferAsprintf(buf, " port='%d'", console->targetPort);
    virBufferAddLit(buf, "/>\n");
    virBufferAdjustIndent(buf, -2);
    virBufferAddLit(buf, "</console>\n");
}

static void
virDomainGraphicsDefFormat(virBuffer *buf, const virDomainGraphicsDef *graphics,
                           unsigned int flags)
{
    bool hasPort = false;
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(virDomainGraphicsTypes); i++) {
        if (graphics->type && STREQ(graphics->type, virDomainGraphicsTypes[i].type))
            hasPort = virDomainGraphicsTypes[i].hasPort;
    }
    virBufferEscapeString(buf, "<graphics type='%s'", graphics->type);
    /* Displays with a port always state both, so that autoport='no' without
     * a port survives a round trip; for the others only what was set. */
    if (hasPort || graphics->port != -1)
        virBufferAsprintf(buf, " port='%d'", graphics->port);
    if (hasPort || graphics->autoport)
        virBufferAsprintf(buf, " autoport='%s'", graphics->autoport ? "yes" : "no");
    virBufferEscapeString(buf, " listen='%s'", graphics->listen);
    if (flags & VIR_DOMAIN_DEF_FORMAT_SECURE)
        virBufferEscapeString(buf, " passwd='%s'", graphics->passwd);
    if (!graphics->listen) {
        virBufferAddLit(buf, "/>\n");
        return;
    }
    /* libvirt repeats the address as a <listen> child; newer clients read that. */
    virBufferAddLit(buf, ">\n");
    virBufferAdjustIndent(buf, 2);
    virBufferEscapeString(buf, "<listen type='address' address='%s'/>\n", graphics->listen);
    virBufferAdjustIndent(buf, -2);
    virBufferAddLit(buf, "</graphics>\n");
}

/* A definition built by hand rather than parsed may lack what the XML
 * needs; refuse it rather than emit output the parser would reject. */
static bool
virDomainDefIsFormattable(const virDomainDef *def)
{
    const char *missing = NULL;
    size_t i;

    if (!def->virtType)
        missing = "domain type";
    else if (!def->name)
        missing = "name";
    else if (!def->osType)
        missing = "OS type";
    for (i = 0; !missing && i < def->ndisks; i++) {
        if (!def->disks[i].target)
            missing = "disk target";
    }
    for (i = 0; !missing && i < def->ngraphics; i++) {
        if (!def->graphics[i].type)
            missing = "graphics type";
    }
    if (missing) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain definition has no %s", missing);
        return false;
    }
    return true;
}

char *
virDomainDefFormat(const virDomainDef *def, unsigned int flags)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    size_t i;

    if (!def) {
        virReportError(VIR_ERR_INVALID_ARG, "%s", "no domain definition to format");
        return NULL;
    }
    if (flags & ~(VIR_DOMAIN_DEF_FORMAT_SECURE | VIR_DOMAIN_DEF_FORMAT_INACTIVE)) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported flags (0x%x)", flags);
        return NULL;
    }
    if (!virDomainDefIsFormattable(def))
        return NULL;

    virBufferEscapeString(&buf, "<domain type='%s'", def->virtType);
    if (def->id >= 0 && !(flags & VIR_DOMAIN_DEF_FORMAT_INACTIVE))
        virBufferAsprintf(&buf, " id='%d'", def->id);
    virBufferAddLit(&buf, ">\n");
    virBufferAdjustIndent(&buf, 2);

    virBufferEscapeString(&buf, "<name>%s</name>\n", def->name);
    virBufferAsprintf(&buf, "<uuid>%s</uuid>\n", virUUIDFormat(def->uuid, uuidstr));
    virBufferEscapeString(&buf, "<title>%s</title>\n", def->title);
    virBufferEscapeString(&buf, "<description>%s</description>\n", def->description);
    virBufferAsprintf(&buf, "<memory unit='KiB'>%llu</memory>\n", def->maxMemory);
    virBufferAsprintf(&buf, "<currentMemory unit='KiB'>%llu</currentMemory>\n",
                      def->curMemory);
    virBufferAsprintf(&buf, "<vcpu placement='static'>%u</vcpu>\n", def->vcpus);

    virBufferAddLit(&buf, "<os>\n");
    virBufferAdjustIndent(&buf, 2);
    virBufferAddLit(&buf, "<type");
    virBufferEscapeString(&buf, " arch='%s'", def->osArch);
    virBufferEscapeString(&buf, " machine='%s'", def->osMachine);
    virBufferEscapeString(&buf, ">%s</type>\n", def->osType);
    for (i = 0; def->bootDevs && def->bootDevs[i]; i++)
        virBufferEscapeString(&buf, "<boot dev='%s'/>\n", def->bootDevs[i]);
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</os>\n");

    for (i = 0; i < G_N_ELEMENTS(virDomainLifecycleEvents); i++) {
        const virDomainLifecycleAction *action = (const virDomainLifecycleAction *)
            ((const char *)def + virDomainLifecycleEvents[i].offset);
        const char *str = virDomainLifecycleActionToString(*action);

        virBufferAsprintf(&buf, "<%s>%s</%s>\n", virDomainLifecycleEvents[i].element,
                          str ? str : "destroy", virDomainLifecycleEvents[i].element);
    }

    /* libvirt's device order: disks, interfaces, consoles, graphics. */
    virBufferAddLit(&buf, "<devices>\n");
    virBufferAdjustIndent(&buf, 2);
    for (i = 0; i < def->ndisks; i++)
        virDomainDiskDefFormat(&buf, &def->disks[i]);
    for (i = 0; i < def->nnets; i++)
        virDomainNetDefFormat(&buf, &def->nets[i]);
    for (i = 0; i < def->nconsoles; i++)
        virDomainConsoleDefFormat(&buf, &def->consoles[i]);
    for (i = 0; i < def->ngraphics; i++)
        virDomainGraphicsDefFormat(&buf, &def->graphics[i], flags);
    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</devices>\n");

    virBufferAdjustIndent(&buf, -2);
    virBufferAddLit(&buf, "</domain>\n");
    return virBufferContentAndReset(&buf);
}

virDomainDef *
virDomainDefCopy(const virDomainDef *def)
{
    char *xml;
    virDomainDef *copy;

    /* Going through the XML form means a field added to the parser and
     * formatter is copied without touching this function. */
    if (!(xml = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_SECURE)))
        return NULL;
    copy = virDomainDefParseString(xml);
    /* The secure form holds passwords: wipe it before giving it back. */
    memset(xml, 0, strlen(xml));
    free(xml);
    if (!copy)
        return NULL;
    copy->id = def->id;
    return copy;
}
