/*
 * domain_conf_test.c: the <domain> XML parser and formatter.
 *
 * Expected outputs live in tests/conf/data (the *-out.xml files); every round trip also
 * checks that formatting is a fixed point: format(parse(format(x))) == format(x).
 */
#include <config.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain_conf.h"
#include "viralloc.h"
#include "virbuffer.h"
#include "virerror.h"
#include "viruuid.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static char *
testDataPath(const char *name)
{
    const char *top = getenv("abs_top_srcdir");

    if (!top)
        top = ABS_TOP_SRCDIR;
    return virPrintf("%s/tests/conf/data/%s", top, name);
}

static char *
testLoadFile(const char *name)
{
    VIR_AUTOFREE(char *) path = testDataPath(name);
    FILE *fp = fopen(path, "r");
    char *buf;
    long len;

    ck_assert_msg(fp != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
    len = ftell(fp);
    ck_assert_int_ge(len, 0);
    rewind(fp);
    buf = virAllocN(len + 1, 1);
    ck_assert_uint_eq(fread(buf, 1, len, fp), (size_t)len);
    fclose(fp);
    return buf;
}

static virDomainDef *
testParseOK(const char *xml)
{
    virDomainDef *def;

    virResetLastError();
    def = virDomainDefParseString(xml);
    ck_assert_msg(def != NULL, "parse failed: %s", virGetLastErrorMessage());
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_OK);
    return def;
}

static virDomainDef *
testParseFile(const char *name)
{
    VIR_AUTOFREE(char *) xml = testLoadFile(name);

    return testParseOK(xml);
}

/* Parse @in, format with @flags, compare with @out; then check the fixed point. */
static void
testRoundTrip(const char *in, const char *out, unsigned int flags)
{
    VIR_AUTOFREE(char *) expected = testLoadFile(out);
    VIR_AUTOFREE(char *) actual = NULL;
    VIR_AUTOFREE(char *) again = NULL;
    virDomainDef *def = testParseFile(in);
    virDomainDef *def2;

    actual = virDomainDefFormat(def, flags);
    ck_assert_ptr_nonnull(actual);
    ck_assert_msg(strcmp(actual, expected) == 0,
                  "%s formatted as:\n%s\nexpected (%s):\n%s", in, actual, out, expected);

    def2 = testParseOK(actual);
    again = virDomainDefFormat(def2, flags);
    ck_assert_str_eq(again, actual);

    virDomainDefFree(def2);
    virDomainDefFree(def);
}

/* A domain document with @body between the mandatory parts. */
static char *
testDomainXML(const char *body)
{
    return virPrintf("<domain type='test'>\n"
                     "  <name>t</name>\n"
                     "  <memory>1024</memory>\n"
                     "  <os><type>hvm</type></os>\n"
                     "%s"
                     "</domain>\n", body);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */

START_TEST(test_roundtrip_minimal)
{
    testRoundTrip("minimal.xml", "minimal-out.xml", 0);
    testRoundTrip("minimal-out.xml", "minimal-out.xml", 0);
}
END_TEST

START_TEST(test_roundtrip_full)
{
    testRoundTrip("full.xml", "full-out.xml", 0);
    testRoundTrip("full-out.xml", "full-out.xml", 0);
}
END_TEST

START_TEST(test_roundtrip_full_secure)
{
    testRoundTrip("full.xml", "full-secure-out.xml", VIR_DOMAIN_DEF_FORMAT_SECURE);
    testRoundTrip("full-secure-out.xml", "full-secure-out.xml", VIR_DOMAIN_DEF_FORMAT_SECURE);
}
END_TEST

START_TEST(test_parsed_fields)
{
    virDomainDef *def = testParseFile("full.xml");
    char uuid[VIR_UUID_STRING_BUFLEN];

    ck_assert_str_eq(def->virtType, "kvm");
    ck_assert_int_eq(def->id, -1);  /* id= on input is ignored */
    ck_assert_str_eq(def->name, "cust1-web & \"db\"");
    ck_assert_str_eq(virUUIDFormat(def->uuid, uuid), "c7a5fdbd-edaf-9455-926a-d65c16db1809");
    ck_assert_str_eq(def->title, "Customer 1 <web> server");
    ck_assert_uint_eq(def->maxMemory, 2097152);
    ck_assert_uint_eq(def->curMemory, 976563);
    ck_assert_uint_eq(def->vcpus, 4);
    ck_assert_str_eq(def->osType, "hvm");
    ck_assert_str_eq(def->osArch, "x86_64");
    ck_assert_str_eq(def->osMachine, "pc-i440fx-2.1");
    ck_assert_str_eq(def->bootDevs[0], "network");
    ck_assert_str_eq(def->bootDevs[2], "hd");
    ck_assert_ptr_null(def->bootDevs[3]);
    ck_assert_int_eq(def->onPoweroff, VIR_DOMAIN_LIFECYCLE_PRESERVE);
    ck_assert_int_eq(def->onReboot, VIR_DOMAIN_LIFECYCLE_RESTART_RENAME);
    ck_assert_int_eq(def->onCrash, VIR_DOMAIN_LIFECYCLE_RESTART);

    ck_assert_uint_eq(def->ndisks, 4);
    ck_assert_str_eq(def->disks[0].source, "/var/lib/images/cust1 web.qcow2");
    ck_assert_str_eq(def->disks[0].driverType, "qcow2");
    ck_assert(!def->disks[0].readonly);
    ck_assert(def->disks[1].readonly);
    ck_assert_str_eq(def->disks[2].protocol, "rbd");
    ck_assert_ptr_null(def->disks[3].source);

    ck_assert_uint_eq(def->nnets, 3);
    ck_assert_str_eq(def->nets[0].mac, "52:54:00:ab:cd:ef");
    ck_assert_str_eq(def->nets[1].source, "br0");
    ck_assert_ptr_null(def->nets[2].mac);

    ck_assert_uint_eq(def->ngraphics, 3);
    ck_assert_int_eq(def->graphics[0].port, 5901);
    ck_assert(!def->graphics[0].autoport);
    ck_assert_str_eq(def->graphics[0].passwd, "s3cr<t");
    ck_assert_int_eq(def->graphics[1].port, -1);
    ck_assert(def->graphics[1].autoport);
    ck_assert_str_eq(def->graphics[1].listen, "127.0.0.1");
    ck_assert(!def->graphics[2].autoport);

    ck_assert_uint_eq(def->nconsoles, 2);
    ck_assert_str_eq(def->consoles[0].targetType, "serial");
    ck_assert_int_eq(def->consoles[0].targetPort, 0);
    ck_assert_int_eq(def->consoles[1].targetPort, -1);
    virDomainDefFree(def);
}
END_TEST

START_TEST(test_secure_passwd)
{
    virDomainDef *def = testParseFile("full.xml");
    VIR_AUTOFREE(char *) plain = virDomainDefFormat(def, 0);
    VIR_AUTOFREE(char *) secure = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_SECURE);

    ck_assert_ptr_null(strstr(plain, "passwd"));
    ck_assert_ptr_null(strstr(plain, "s3cr"));
    ck_assert_ptr_nonnull(strstr(secure, " passwd='s3cr&lt;t'"));
    virDomainDefFree(def);
}
END_TEST

START_TEST(test_inactive_id)
{
    virDomainDef *def = testParseFile("minimal.xml");
    VIR_AUTOFREE(char *) inactive = NULL;
    VIR_AUTOFREE(char *) active = NULL;
    VIR_AUTOFREE(char *) both = NULL;
    VIR_AUTOFREE(char *) none = NULL;

    none = virDomainDefFormat(def, 0);
    ck_assert(strncmp(none, "<domain type='test'>\n", 21) == 0);

    def->id = 7;
    active = virDomainDefFormat(def, 0);
    ck_assert(strncmp(active, "<domain type='test' id='7'>\n", 28) == 0);
    inactive = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE);
    ck_assert_str_eq(inactive, none);
    both = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_INACTIVE | VIR_DOMAIN_DEF_FORMAT_SECURE);
    ck_assert_str_eq(both, none);
    virDomainDefFree(def);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Values                                                              */

static const struct {
    const char *value;
    const char *unit;       /* NULL: no unit attribute */
    unsigned long long kib;
} memoryUnits[] = {
    { "3", NULL, 3 },
    { "1024", "b", 1 },
    { "1025", "bytes", 2 },             /* partial KiB rounds up */
    { "1", "KB", 1 },                   /* 1000 bytes */
    { "1", "k", 1 },
    { "7", "KiB", 7 },
    { "1", "MB", 977 },
    { "1", "M", 1024 },
    { "2", "MiB", 2048 },
    { "2", "mib", 2048 },               /* units are case-insensitive */
    { "1", "GB", 976563 },
    { "1", "G", 1048576 },
    { "4", "GiB", 4194304 },
    { "1", "TB", 976562500 },
    { "1", "T", 1073741824ULL },
    { "2", "TiB", 2147483648ULL },
    { "1", "PiB", 1099511627776ULL },
    { "15", "EiB", 16888498602639360ULL },
    { "18446744073709551615", "b", 18014398509481984ULL },
    { " 512\n ", "KiB", 512 },          /* surrounding white space */
};

START_TEST(test_memory_units)
{
    VIR_AUTOFREE(char *) attr = NULL;
    VIR_AUTOFREE(char *) body = NULL;
    VIR_AUTOFREE(char *) out = NULL;
    VIR_AUTOFREE(char *) expect = NULL;
    virDomainDef *def;

    attr = memoryUnits[_i].unit ? virPrintf(" unit='%s'", memoryUnits[_i].unit) : virStrdup("");
    body = virPrintf("<domain type='test'><name>u</name>"
                     "<memory%s>%s</memory><os><type>hvm</type></os></domain>",
                     attr, memoryUnits[_i].value);
    def = testParseOK(body);
    ck_assert_msg(def->maxMemory == memoryUnits[_i].kib, "%s %s: got %llu KiB, want %llu",
                  memoryUnits[_i].value, NULLSTR(memoryUnits[_i].unit),
                  def->maxMemory, memoryUnits[_i].kib);
    ck_assert_uint_eq(def->curMemory, def->maxMemory);
    out = virDomainDefFormat(def, 0);
    expect = virPrintf("<memory unit='KiB'>%llu</memory>", memoryUnits[_i].kib);
    ck_assert_ptr_nonnull(strstr(out, expect));
    virDomainDefFree(def);
}
END_TEST

START_TEST(test_current_memory)
{
    VIR_AUTOFREE(char *) bigger = testDomainXML("<currentMemory unit='MiB'>2</currentMemory>\n");
    VIR_AUTOFREE(char *) smaller = testDomainXML("<currentMemory>512</currentMemory>\n");
    VIR_AUTOFREE(char *) zero = testDomainXML("<currentMemory>0</currentMemory>\n");
    virDomainDef *def;

    /* Larger than <memory>: clamped, as libvirt does. */
    def = testParseOK(bigger);
    ck_assert_uint_eq(def->maxMemory, 1024);
    ck_assert_uint_eq(def->curMemory, 1024);
    virDomainDefFree(def);

    def = testParseOK(smaller);
    ck_assert_uint_eq(def->curMemory, 512);
    virDomainDefFree(def);

    def = testParseOK(zero);
    ck_assert_uint_eq(def->curMemory, 1024);
    virDomainDefFree(def);
}
END_TEST

START_TEST(test_defaults_and_uuid)
{
    VIR_AUTOFREE(char *) xml = testDomainXML("");
    virDomainDef *a = testParseOK(xml);
    virDomainDef *b = testParseOK(xml);

    ck_assert_uint_eq(a->vcpus, 1);
    ck_assert_int_eq(a->onPoweroff, VIR_DOMAIN_LIFECYCLE_DESTROY);
    ck_assert_int_eq(a->onReboot, VIR_DOMAIN_LIFECYCLE_RESTART);
    ck_assert_int_eq(a->onCrash, VIR_DOMAIN_LIFECYCLE_DESTROY);
    ck_assert_ptr_null(a->bootDevs);
    ck_assert_ptr_null(a->title);
    /* A missing uuid is generated, and differently each time. */
    ck_assert(!virUUIDIsNull(a->uuid));
    ck_assert(memcmp(a->uuid, b->uuid, VIR_UUID_BUFLEN) != 0);
    virDomainDefFree(a);
    virDomainDefFree(b);
}
END_TEST

START_TEST(test_lifecycle_strings)
{
    int i;

    for (i = 0; i < VIR_DOMAIN_LIFECYCLE_LAST; i++)
        ck_assert_int_eq(virDomainLifecycleActionFromString(virDomainLifecycleActionToString(i)), i);
    ck_assert_str_eq(virDomainLifecycleActionToString(VIR_DOMAIN_LIFECYCLE_RESTART_RENAME),
                     "rename-restart");
    ck_assert_ptr_null(virDomainLifecycleActionToString(VIR_DOMAIN_LIFECYCLE_LAST));
    ck_assert_int_eq(virDomainLifecycleActionFromString("reboot"), -1);
    ck_assert_int_eq(virDomainLifecycleActionFromString(NULL), -1);
}
END_TEST

START_TEST(test_external_entity)
{
    VIR_AUTOFREE(char *) secret = testDataPath("entity-canary.txt");
    VIR_AUTOFREE(char *) xml = NULL;
    VIR_AUTOFREE(char *) out = NULL;
    virDomainDef *def;

    /* Entities are never expanded: no file content may reach the definition. */
    xml = virPrintf("<?xml version='1.0'?>\n"
                    "<!DOCTYPE domain [\n"
                    "  <!ENTITY ext SYSTEM 'file://%s'>\n"
                    "  <!ENTITY int 'internal'>\n"
                    "]>\n"
                    "<domain type='test'><name>x&ext;</name>"
                    "<description>&ext;&int;</description>"
                    "<memory>1024</memory><os><type>hvm</type></os></domain>", secret);
    def = testParseOK(xml);
    ck_assert_str_eq(def->name, "x");
    ck_assert_str_eq(def->description, "");
    out = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_SECURE);
    ck_assert_ptr_null(strstr(out, "LEAKED"));
    virDomainDefFree(def);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Copy, free, nodes                                                   */

START_TEST(test_copy)
{
    virDomainDef *def = testParseFile("full.xml");
    virDomainDef *copy;
    VIR_AUTOFREE(char *) a = NULL;
    VIR_AUTOFREE(char *) b = NULL;

    def->id = 3;
    copy = virDomainDefCopy(def);
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(copy->id, 3);
    ck_assert_ptr_ne(copy->name, def->name);
    ck_assert_ptr_ne(copy->disks, def->disks);
    ck_assert_str_eq(copy->graphics[0].passwd, "s3cr<t");
    ck_assert(memcmp(copy->uuid, def->uuid, VIR_UUID_BUFLEN) == 0);
    a = virDomainDefFormat(def, VIR_DOMAIN_DEF_FORMAT_SECURE);
    b = virDomainDefFormat(copy, VIR_DOMAIN_DEF_FORMAT_SECURE);
    ck_assert_str_eq(a, b);

    /* Independent: changing the copy leaves the original alone. */
    copy->disks[0].target[0] = 'x';
    ck_assert_str_eq(def->disks[0].target, "vda");
    virDomainDefFree(def);
    virDomainDefFree(copy);
}
END_TEST

START_TEST(test_free_null_and_bad_args)
{
    virDomainDef *def = testParseFile("minimal.xml");
    char *saved;

    virDomainDefFree(NULL);

    virResetLastError();
    ck_assert_ptr_null(virDomainDefParseString(NULL));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    ck_assert_ptr_null(virDomainDefFormat(NULL, 0));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    ck_assert_ptr_null(virDomainDefFormat(def, 1 << 5));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);
    ck_assert_ptr_null(virDomainDefParseNode(NULL, NULL));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);

    /* A definition the parser would reject is not formatted either. */
    saved = def->osType;
    def->osType = NULL;
    ck_assert_ptr_null(virDomainDefFormat(def, 0));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INTERNAL_ERROR);
    ck_assert_str_eq(virGetLastErrorMessage(), "internal error: domain definition has no OS type");
    ck_assert_ptr_null(virDomainDefCopy(def));
    def->osType = saved;
    virDomainDefFree(def);
}
END_TEST

START_TEST(test_parse_node)
{
    VIR_AUTOFREE(char *) path = testDataPath("node.xml");
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
    xmlNodePtr cur;
    xmlNodePtr cpu = NULL;
    virDomainDef *defs[2] = { NULL, NULL };
    size_t n = 0;

    ck_assert_ptr_nonnull(doc);
    for (cur = xmlDocGetRootElement(doc)->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrEqual(cur->name, BAD_CAST "cpu"))
            cpu = cur;
        if (xmlStrEqual(cur->name, BAD_CAST "domain")) {
            ck_assert_uint_lt(n, 2);
            defs[n] = virDomainDefParseNode(doc, cur);
            ck_assert_msg(defs[n] != NULL, "%s", virGetLastErrorMessage());
            n++;
        }
    }
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(defs[0]->name, "first");
    ck_assert_uint_eq(defs[0]->maxMemory, 65536);
    ck_assert_str_eq(defs[1]->name, "second");
    ck_assert_uint_eq(defs[1]->vcpus, 2);
    ck_assert_str_eq(defs[1]->osArch, "i686");

    /* Any other element is refused; a NULL node means the root, <node> here. */
    virResetLastError();
    ck_assert_ptr_nonnull(cpu);
    ck_assert_ptr_null(virDomainDefParseNode(doc, cpu));
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_XML_ERROR);
    ck_assert_str_eq(virGetLastErrorMessage(),
                     "XML error: expected root element <domain>, found <cpu>");
    ck_assert_ptr_null(virDomainDefParseNode(doc, NULL));
    ck_assert_str_eq(virGetLastErrorMessage(),
                     "XML error: expected root element <domain>, found <node>");

    virDomainDefFree(defs[0]);
    virDomainDefFree(defs[1]);
    xmlFreeDoc(doc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Errors                                                              */

#define DOM(body) \
    "<domain type='test'>\n  <name>t</name>\n  <memory>1024</memory>\n" \
    "  <os><type>hvm</type></os>\n" body "</domain>\n"

static const struct {
    const char *xml;
    int code;
    const char *message;
} errorCases[] = {
    /* Malformed XML: libxml2's text, tagged with the line. */
    { "<domain type='test'>\n  <name>x</name>\n  <memory>1</memry>\n</domain>",
      VIR_ERR_XML_DETAIL,
      "(domain_definition):3: Opening and ending tag mismatch: memory line 3 and memry" },
    { "", VIR_ERR_XML_DETAIL, "(domain_definition):1: Document is empty" },
    { "<domain type='test'>\n<name>a &nbsp; b</name>\n</domain>", VIR_ERR_XML_DETAIL,
      "(domain_definition):2: Entity 'nbsp' not defined" },
    { "<domain type='test'><name>x</name></domain>\n<domain/>", VIR_ERR_XML_DETAIL,
      "(domain_definition):2: Extra content at the end of the document" },
    /* Well-formed but not a domain. */
    { "<network><name>x</name></network>", VIR_ERR_XML_ERROR,
      "XML error: expected root element <domain>, found <network>" },
    { "<domain><name>t</name><memory>1</memory><os><type>hvm</type></os></domain>",
      VIR_ERR_XML_ERROR, "XML error: missing domain type attribute" },
    { "<domain type='qemu2'><name>t</name></domain>",
      VIR_ERR_XML_ERROR, "XML error: unknown domain type 'qemu2'" },
    { "<domain type='test'><memory>1024</memory><os><type>hvm</type></os></domain>",
      VIR_ERR_NO_NAME, "missing name information" },
    { "<domain type='test'><name></name><memory>1024</memory></domain>",
      VIR_ERR_NO_NAME, "missing name information" },
    { "<domain type='test'><name>a/b</name><memory>1024</memory></domain>",
      VIR_ERR_XML_ERROR, "XML error: name 'a/b' must not contain '/'" },
    { "<domain type='test'><name>t</name><uuid>not-a-uuid</uuid></domain>",
      VIR_ERR_XML_ERROR, "XML error: malformed uuid 'not-a-uuid'" },
    { "<domain type='test'><name>t</name>"
      "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db18</uuid></domain>",
      VIR_ERR_XML_ERROR, "XML error: malformed uuid 'c7a5fdbd-edaf-9455-926a-d65c16db18'" },
    { "<domain type='test'><name>t</name><title>a\nb</title></domain>",
      VIR_ERR_XML_ERROR, "XML error: title must not contain a newline" },
    { "<domain type='test'><name>t</name><os><type>hvm</type></os></domain>",
      VIR_ERR_XML_ERROR, "XML error: missing <memory> size" },
    { "<domain type='test'><name>t</name><memory>lots</memory></domain>",
      VIR_ERR_XML_ERROR, "XML error: invalid memory value 'lots'" },
    { "<domain type='test'><name>t</name><memory>-1</memory></domain>",
      VIR_ERR_XML_ERROR, "XML error: invalid memory value '-1'" },
    { "<domain type='test'><name>t</name><memory>0</memory></domain>",
      VIR_ERR_XML_ERROR, "XML error: memory size must be greater than zero" },
    { "<domain type='test'><name>t</name><memory>1.5</memory></domain>",
      VIR_ERR_XML_ERROR, "XML error: invalid memory value '1.5'" },
    { "<domain type='test'><name>t</name><memory unit='KiB'>99999999999999999999</memory>"
      "</domain>",
      VIR_ERR_OVERFLOW, "value too large: memory value '99999999999999999999' KiB exceeds 2^64 bytes" },
    { "<domain type='test'><name>t</name><memory unit='EiB'>16</memory></domain>",
      VIR_ERR_OVERFLOW, "value too large: memory value '16' EiB exceeds 2^64 bytes" },
    { "<domain type='test'><name>t</name><memory unit='KiBB'>1</memory></domain>",
      VIR_ERR_XML_ERROR, "XML error: unknown unit 'KiBB' for memory" },
    { "<domain type='test'><name>t</name><memory>1</memory>"
      "<currentMemory unit='zz'>1</currentMemory></domain>",
      VIR_ERR_XML_ERROR, "XML error: unknown unit 'zz' for currentMemory" },
    { "<domain type='test'><name>t</name><memory>1</memory>"
      "<currentMemory>x</currentMemory></domain>",
      VIR_ERR_XML_ERROR, "XML error: invalid currentMemory value 'x'" },
    { "<domain type='test'><name>t</name><memory>1</memory><vcpu>0</vcpu></domain>",
      VIR_ERR_XML_ERROR, "XML error: a domain needs at least 1 vcpu" },
    { "<domain type='test'><name>t</name><memory>1</memory><vcpu>two</vcpu></domain>",
      VIR_ERR_XML_ERROR, "XML error: invalid vcpu count 'two'" },
    { "<domain type='test'><name>t</name><memory>1</memory><vcpu>4294967296</vcpu></domain>",
      VIR_ERR_XML_ERROR, "XML error: invalid vcpu count '4294967296'" },
    { "<domain type='test'><name>t</name><memory>1</memory></domain>",
      VIR_ERR_NO_OS, "missing operating system information" },
    { "<domain type='test'><name>t</name><memory>1</memory><os><boot dev='hd'/></os></domain>",
      VIR_ERR_NO_OS, "missing operating system information" },
    { "<domain type='test'><name>t</name><memory>1</memory><os><type>dos</type></os></domain>",
      VIR_ERR_XML_ERROR, "XML error: unknown OS type 'dos'" },
    { "<domain type='test'><name>t</name><memory>1</memory><os><type>hvm</type>"
      "<boot dev='usb'/></os></domain>",
      VIR_ERR_XML_ERROR, "XML error: unknown boot device 'usb'" },
    { DOM("  <on_poweroff>reboot</on_poweroff>\n"),
      VIR_ERR_XML_ERROR, "XML error: unknown on_poweroff action 'reboot'" },
    { DOM("  <on_crash>coredump-destroy</on_crash>\n"),
      VIR_ERR_XML_ERROR, "XML error: unknown on_crash action 'coredump-destroy'" },
    /* Devices. */
    { DOM("<devices><disk type='nvme'><target dev='vda'/></disk></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown disk type 'nvme'" },
    { DOM("<devices><disk device='tape'><target dev='vda'/></disk></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown disk device 'tape'" },
    { DOM("<devices><disk><source file='/a'/></disk></devices>"),
      VIR_ERR_XML_ERROR, "XML error: missing <target dev=...> of a disk" },
    { DOM("<devices><disk><target dev='vda' bus='pci'/></disk></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown disk bus 'pci'" },
    { DOM("<devices><disk><target dev='vda'/></disk>"
          "<disk type='block'><target dev='vda'/></disk></devices>"),
      VIR_ERR_XML_ERROR, "XML error: disk target 'vda' is used more than once" },
    { DOM("<devices><disk type='network'><source name='a/b'/><target dev='vda'/></disk>"
          "</devices>"),
      VIR_ERR_XML_ERROR, "XML error: missing protocol of a network disk source" },
    { DOM("<devices><interface type='hostdev'/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown interface type 'hostdev'" },
    { DOM("<devices><interface type='network'><mac address='52:54:00:zz:00:01'/>"
          "<source network='default'/></interface></devices>"),
      VIR_ERR_XML_ERROR, "XML error: malformed mac address '52:54:00:zz:00:01'" },
    { DOM("<devices><interface type='user'><mac address='01:00:5e:00:00:01'/>"
          "</interface></devices>"),
      VIR_ERR_XML_ERROR, "XML error: expected a unicast mac address, got '01:00:5e:00:00:01'" },
    { DOM("<devices><interface type='bridge'><source network='default'/></interface>"
          "</devices>"),
      VIR_ERR_XML_ERROR, "XML error: interface type 'bridge' needs <source bridge='...'/>" },
    { DOM("<devices><graphics/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: missing graphics type" },
    { DOM("<devices><graphics type='x11'/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown graphics type 'x11'" },
    { DOM("<devices><graphics type='vnc' port='65536'/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: invalid graphics port '65536'" },
    { DOM("<devices><graphics type='vnc' port='59o0'/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: invalid graphics port '59o0'" },
    { DOM("<devices><graphics type='vnc' autoport='maybe'/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: invalid autoport value 'maybe'" },
    { DOM("<devices><console type='tty'/></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown console type 'tty'" },
    { DOM("<devices><console type='pty'><target type='ttyS'/></console></devices>"),
      VIR_ERR_XML_ERROR, "XML error: unknown console target type 'ttyS'" },
    { DOM("<devices><console type='pty'><target port='-1'/></console></devices>"),
      VIR_ERR_XML_ERROR, "XML error: invalid console target port '-1'" },
};

START_TEST(test_errors)
{
    virDomainDef *def;
    virErrorPtr err;

    virResetLastError();
    def = virDomainDefParseString(errorCases[_i].xml);
    ck_assert_msg(def == NULL, "case %d parsed:\n%s", _i, errorCases[_i].xml);
    err = virGetLastError();
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(err->code == errorCases[_i].code && STREQ(err->message, errorCases[_i].message),
                  "case %d: got code %d '%s', want %d '%s'", _i,
                  err->code, err->message, errorCases[_i].code, errorCases[_i].message);
    /* libxml2's complaints come from the XML module, the rest from the domain code. */
    ck_assert_int_eq(err->domain, errorCases[_i].code == VIR_ERR_XML_DETAIL ?
                     VIR_FROM_XML : VIR_FROM_DOMAIN);
}
END_TEST

/* libxml2 must not print anything itself: daemons have no terminal. */
START_TEST(test_errors_silent)
{
    char path[] = "/tmp/domain_conf_test.XXXXXX";
    int fd = mkstemp(path);
    int saved = dup(STDERR_FILENO);
    struct stat sb;
    size_t i;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(saved, 0);
    fflush(stderr);
    ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
    for (i = 0; i < G_N_ELEMENTS(errorCases); i++)
        virDomainDefFree(virDomainDefParseString(errorCases[i].xml));
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    ck_assert_int_eq(fstat(fd, &sb), 0);
    close(fd);
    unlink(path);
    ck_assert_int_eq(sb.st_size, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Threads                                                             */

#define THREAD_COUNT 4
#define THREAD_ROUNDS 300

typedef struct {
    int index;
    pthread_barrier_t *barrier;
    int failures;
    char *firstFailure;
} testThreadData;

/* Each thread's XML breaks on its own line, so a message that leaked
 * from another thread is recognisable. Every other round parses a valid
 * document, which must leave no error behind. */
static void *
testThreadMain(void *opaque)
{
    testThreadData *data = opaque;
    VIR_AUTOFREE(char *) bad = NULL;
    VIR_AUTOFREE(char *) good = NULL;
    VIR_AUTOFREE(char *) expect = NULL;
    virBuffer padding = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) pad = NULL;
    int i;

    for (i = 0; i < data->index; i++)
        virBufferAddLit(&padding, "\n");
    pad = virBufferContentAndReset(&padding);
    bad = virPrintf("<domain type='test'>%s\n<name>t%d</nam>\n</domain>", pad, data->index);
    expect = virPrintf("(domain_definition):%d: Opening and ending tag mismatch: "
                       "name line %d and nam", data->index + 2, data->index + 2);
    good = virPrintf("<domain type='test'><name>ok%d</name><memory>1</memory>"
                     "<os><type>hvm</type></os></domain>", data->index);

    pthread_barrier_wait(data->barrier);
    for (i = 0; i < THREAD_ROUNDS; i++) {
        virDomainDef *def;
        const char *msg;

        virResetLastError();
        def = virDomainDefParseString(bad);
        msg = virGetLastErrorMessage();
        if (def || virGetLastErrorCode() != VIR_ERR_XML_DETAIL || STRNEQ(msg, expect)) {
            if (!data->firstFailure)
                data->firstFailure = virStrdup(msg);
            data->failures++;
        }
        virDomainDefFree(def);

        virResetLastError();
        def = virDomainDefParseString(good);
        if (!def || virGetLastErrorCode() != VIR_ERR_OK)
            data->failures++;
        virDomainDefFree(def);
    }
    return NULL;
}

START_TEST(test_threads)
{
    pthread_t threads[THREAD_COUNT];
    testThreadData data[THREAD_COUNT];
    pthread_barrier_t barrier;
    int i;

    pthread_barrier_init(&barrier, NULL, THREAD_COUNT);
    for (i = 0; i < THREAD_COUNT; i++) {
        data[i] = (testThreadData) { .index = i, .barrier = &barrier };
        ck_assert_int_eq(pthread_create(&threads[i], NULL, testThreadMain, &data[i]), 0);
    }
    for (i = 0; i < THREAD_COUNT; i++)
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
    pthread_barrier_destroy(&barrier);
    for (i = 0; i < THREAD_COUNT; i++) {
        ck_assert_msg(data[i].failures == 0, "thread %d: %d failures, first: %s",
                      i, data[i].failures, NULLSTR(data[i].firstFailure));
        free(data[i].firstFailure);
    }
}
END_TEST

static Suite *
domainConfSuite(void)
{
    Suite *s = suite_create("domain_conf");
    TCase *tc;

    tc = tcase_create("format");
    tcase_add_test(tc, test_roundtrip_minimal);
    tcase_add_test(tc, test_roundtrip_full);
    tcase_add_test(tc, test_roundtrip_full_secure);
    tcase_add_test(tc, test_parsed_fields);
    tcase_add_test(tc, test_secure_passwd);
    tcase_add_test(tc, test_inactive_id);
    suite_add_tcase(s, tc);

    tc = tcase_create("values");
    tcase_add_loop_test(tc, test_memory_units, 0, G_N_ELEMENTS(memoryUnits));
    tcase_add_test(tc, test_current_memory);
    tcase_add_test(tc, test_defaults_and_uuid);
    tcase_add_test(tc, test_lifecycle_strings);
    tcase_add_test(tc, test_external_entity);
    suite_add_tcase(s, tc);

    tc = tcase_create("objects");
    tcase_add_test(tc, test_copy);
    tcase_add_test(tc, test_free_null_and_bad_args);
    tcase_add_test(tc, test_parse_node);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, test_errors, 0, G_N_ELEMENTS(errorCases));
    tcase_add_test(tc, test_errors_silent);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_threads);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(domainConfSuite());
    int failed;

    srunner_run_all(sr, CK_ENV);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
