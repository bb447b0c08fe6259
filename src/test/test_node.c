/*
 * test_node.c: load the test driver's node files.
 *
 * The format is that of libvirt's test driver, so one file can describe
 * the same host to both projects:
 *
 *   <node>
 *     <cpu><mhz/><model/><active/><nodes/><sockets/><cores/><threads/></cpu>
 *     <memory>KiB</memory>
 *     <domain type='test'> ... </domain>          inline definition
 *     <domain file='relative/or/absolute.xml'/>   definition in its own file
 *   </node>
 *
 * Domains start running, as in libvirt; the test namespace
 * (xmlns:test='http://libvirt.org/schemas/domain/test/1.0') may set
 * <test:runstate>5</test:runstate> (shut off) or 3 (paused), and
 * <test:transient/>. Other top-level elements (networks, pools, ...) are
 * ignored: this driver has no such objects.
 */
#include <config.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <string.h>

#include "test_driver.h"
#include "viralloc.h"
#include "virerror.h"
#include "virstring.h"

#define VIR_FROM_THIS VIR_FROM_TEST

#define TEST_NAMESPACE_HREF "http://libvirt.org/schemas/domain/test/1.0"

void
testNodeInfoDefaults(virNodeInfo *info)
{
    /* The hardware of libvirt's built-in test host. */
    memset(info, 0, sizeof(*info));
    virStrcpy(info->model, "i686", sizeof(info->model));
    info->memory = 3 * 1024 * 1024;
    info->mhz = 1400;
    info->nodes = 2;
    info->sockets = 2;
    info->cores = 2;
    info->threads = 2;
    info->cpus = info->nodes * info->sockets * info->cores * info->threads;
}

void
testNodeConfigClear(testNodeConfig *cfg)
{
    size_t i;

    for (i = 0; i < cfg->ndomains; i++)
        virDomainDefFree(cfg->domains[i].def);
    free(cfg->domains);
    memset(cfg, 0, sizeof(*cfg));
}

/* ---- XML helpers ---------------------------------------------------------- */

typedef struct {
    bool seen;
    int line;
    char *message;
} testNodeParseError;

/* libxml2's per-context error callback: keep the first error. */
static void
testNodeXMLError(void *userData, xmlErrorPtr err)
{
    xmlParserCtxtPtr pctxt = userData;
    testNodeParseError *state;

    if (!pctxt || !(state = pctxt->_private) || !err || state->seen || err->level < XML_ERR_ERROR)
        return;
    state->seen = true;
    state->line = err->line;
    state->message = virStrdup(err->message ? err->message : "unknown XML error");
    virStringTrim(state->message);
}

static pthread_once_t testNodeXMLOnce = PTHREAD_ONCE_INIT;

static void
testNodeXMLInit(void)
{
    xmlInitParser();
}

/* Parse the file @path. NULL with VIR_ERR_XML_ERROR naming the file. */
static xmlDocPtr
testNodeReadFile(const char *path)
{
    testNodeParseError state = { false, 0, NULL };
    xmlParserCtxtPtr pctxt;
    xmlDocPtr doc;

    pthread_once(&testNodeXMLOnce, testNodeXMLInit);
    if (!(pctxt = xmlNewParserCtxt()))
        abort();    /* OOM is fatal in Tenvirt */
    pctxt->_private = &state;
    pctxt->sax->serror = testNodeXMLError;
    /* NONET and no entity substitution: a node file cannot pull in other files. */
    doc = xmlCtxtReadFile(pctxt, path, NULL, XML_PARSE_NONET);
    if (!doc || !pctxt->wellFormed) {
        if (state.seen && state.line > 0)
            virReportError(VIR_ERR_XML_ERROR, "failed to parse xml document '%s': line %d: %s",
                           path, state.line, state.message);
        else
            virReportError(VIR_ERR_XML_ERROR, "failed to parse xml document '%s'%s%s",
                           path, state.seen ? ": " : "", state.seen ? state.message : "");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    free(state.message);
    xmlFreeParserCtxt(pctxt);
    return doc;
}

static bool
testNodeIsElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !node->ns &&
           STREQ((const char *)node->name, name);
}

static bool
testNodeIsTestElement(xmlNodePtr node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           STREQ((const char *)node->ns->href, TEST_NAMESPACE_HREF) &&
           STREQ((const char *)node->name, name);
}

/* Text content of @node, trimmed. Caller frees. */
static char *
testNodeText(xmlNodePtr node)
{
    xmlChar *content = xmlNodeGetContent(node);
    char *ret = virStrdup(content ? (const char *)content : "");

    xmlFree(content);
    return virStringTrim(ret);
}

/* Re-report the error a nested parse left, prefixed with where it came from. */
static void
testNodeReportAt(const char *path, xmlNodePtr node)
{
    virErrorPtr err = virGetLastError();
    const char *what = NULL;

    if (err)
        what = err->str2 && *err->str2 ? err->str2 : err->message;
    virReportError(VIR_ERR_XML_ERROR, "%s:%ld: %s", path, xmlGetLineNo(node),
                   what ? what : "invalid element");
}

/* ---- <cpu> and <memory> ----------------------------------------------------- */

static int
testNodeParseUInt(const char *path, xmlNodePtr node, const char *what, unsigned int *out)
{
    VIR_AUTOFREE(char *) text = testNodeText(node);
    unsigned int value;

    if (virStrToLong_ui(text, 10, &value) < 0 || value == 0) {
        virReportError(VIR_ERR_XML_ERROR, "%s:%ld: invalid %s '%s' (expected a positive integer)",
                       path, xmlGetLineNo(node), what, text);
        return -1;
    }
    *out = value;
    return 0;
}

static int
testNodeParseCPU(testNodeConfig *cfg, const char *path, xmlNodePtr cpu)
{
    virNodeInfo *info = &cfg->info;
    unsigned int active = 0;
    unsigned int total;
    xmlNodePtr cur;

    for (cur = cpu->children; cur; cur = cur->next) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        if (testNodeIsElement(cur, "mhz")) {
            if (testNodeParseUInt(path, cur, "<cpu><mhz>", &info->mhz) < 0)
                return -1;
        } else if (testNodeIsElement(cur, "nodes")) {
            if (testNodeParseUInt(path, cur, "<cpu><nodes>", &info->nodes) < 0)
                return -1;
        } else if (testNodeIsElement(cur, "sockets")) {
            if (testNodeParseUInt(path, cur, "<cpu><sockets>", &info->sockets) < 0)
                return -1;
        } else if (testNodeIsElement(cur, "cores")) {
            if (testNodeParseUInt(path, cur, "<cpu><cores>", &info->cores) < 0)
                return -1;
        } else if (testNodeIsElement(cur, "threads")) {
            if (testNodeParseUInt(path, cur, "<cpu><threads>", &info->threads) < 0)
                return -1;
        } else if (testNodeIsElement(cur, "active")) {
            if (testNodeParseUInt(path, cur, "<cpu><active>", &active) < 0)
                return -1;
        } else if (testNodeIsElement(cur, "model")) {
            VIR_AUTOFREE(char *) model = testNodeText(cur);

            if (virStrcpy(info->model, model, sizeof(info->model)) < 0) {
                virReportError(VIR_ERR_XML_ERROR, "%s:%ld: <cpu><model> '%s' is longer than %zu characters",
                               path, xmlGetLineNo(cur), model, sizeof(info->model) - 1);
                return -1;
            }
        }
    }

    /* As in libvirt, <active> may only lower the count the topology gives. */
    total = info->nodes * info->sockets * info->cores * info->threads;
    info->cpus = active && active < total ? active : total;
    return 0;
}

static int
testNodeParseMemory(testNodeConfig *cfg, const char *path, xmlNodePtr node)
{
    VIR_AUTOFREE(char *) text = testNodeText(node);
    unsigned long long kib;

    if (virStrToLong_ull(text, 10, &kib) < 0 || kib == 0 || (unsigned long)kib != kib) {
        virReportError(VIR_ERR_XML_ERROR, "%s:%ld: invalid <memory> '%s' (expected KiB)",
                       path, xmlGetLineNo(node), text);
        return -1;
    }
    cfg->info.memory = (unsigned long)kib;
    return 0;
}

/* ---- <domain> --------------------------------------------------------------- */

/* The test namespace's settings of one domain element. */
static int
testNodeParseDomainExtra(testNodeDomain *dom, const char *path, xmlNodePtr root)
{
    xmlNodePtr cur;

    dom->state = VIR_DOMAIN_RUNNING;
    dom->persistent = true;
    for (cur = root->children; cur; cur = cur->next) {
        if (testNodeIsTestElement(cur, "runstate")) {
            VIR_AUTOFREE(char *) text = testNodeText(cur);
            int state;

            if (virStrToLong_i(text, 10, &state) < 0 ||
                (state != VIR_DOMAIN_RUNNING && state != VIR_DOMAIN_PAUSED &&
                 state != VIR_DOMAIN_SHUTOFF)) {
                virReportError(VIR_ERR_XML_ERROR,
                               "%s:%ld: unsupported <test:runstate> '%s' "
                               "(expected %d running, %d paused or %d shut off)",
                               path, xmlGetLineNo(cur), text, VIR_DOMAIN_RUNNING,
                               VIR_DOMAIN_PAUSED, VIR_DOMAIN_SHUTOFF);
                return -1;
            }
            dom->state = state;
        } else if (testNodeIsTestElement(cur, "transient")) {
            dom->persistent = false;
        } else if (testNodeIsTestElement(cur, "hasmanagedsave")) {
            virReportError(VIR_ERR_CONFIG_UNSUPPORTED,
                           "%s:%ld: <test:hasmanagedsave> is not supported (no managed save)",
                           path, xmlGetLineNo(cur));
            return -1;
        }
    }
    if (!dom->persistent && dom->state == VIR_DOMAIN_SHUTOFF) {
        virReportError(VIR_ERR_XML_ERROR,
                       "%s:%ld: a transient domain cannot be shut off (it would not exist)",
                       path, xmlGetLineNo(root));
        return -1;
    }
    return 0;
}

/* <domain file='x.xml'/>: x.xml is relative to the directory of @path. */
static char *
testNodeResolvePath(const char *path, const char *file)
{
    const char *slash;

    if (file[0] == '/')
        return virStrdup(file);
    if (!(slash = strrchr(path, '/')))
        return virStrdup(file);
    return virPrintf("%.*s/%s", (int)(slash - path), path, file);
}

static int
testNodeParseDomain(testNodeConfig *cfg, const char *path, xmlDocPtr doc, xmlNodePtr node)
{
    testNodeDomain dom = { NULL, VIR_DOMAIN_RUNNING, true };
    xmlChar *file = xmlGetNoNsProp(node, (const xmlChar *)"file");
    int ret = -1;

    if (file) {
        VIR_AUTOFREE(char *) subpath = testNodeResolvePath(path, (const char *)file);
        xmlDocPtr subdoc;
        xmlNodePtr root;

        xmlFree(file);
        if (!(subdoc = testNodeReadFile(subpath)))
            return -1;
        root = xmlDocGetRootElement(subdoc);
        if (!(dom.def = virDomainDefParseNode(subdoc, root)))
            testNodeReportAt(subpath, root);
        else
            ret = testNodeParseDomainExtra(&dom, subpath, root);
        xmlFreeDoc(subdoc);
    } else {
        if (!(dom.def = virDomainDefParseNode(doc, node)))
            testNodeReportAt(path, node);
        else
            ret = testNodeParseDomainExtra(&dom, path, node);
    }

    if (ret < 0) {
        virDomainDefFree(dom.def);
        return -1;
    }
    VIR_APPEND_ELEMENT(cfg->domains, cfg->ndomains, dom);
    return 0;
}

int
testNodeConfigLoad(testNodeConfig *cfg, const char *path)
{
    xmlDocPtr doc;
    xmlNodePtr root;
    xmlNodePtr cur;
    int ret = -1;

    testNodeInfoDefaults(&cfg->info);
    if (!(doc = testNodeReadFile(path)))
        return -1;

    root = xmlDocGetRootElement(doc);
    if (!root || !testNodeIsElement(root, "node")) {
        virReportError(VIR_ERR_XML_ERROR, "%s: expected root element <node>, found <%s>",
                       path, root ? (const char *)root->name : "");
        goto cleanup;
    }

    for (cur = root->children; cur; cur = cur->next) {
        if (testNodeIsElement(cur, "cpu")) {
            if (testNodeParseCPU(cfg, path, cur) < 0)
                goto cleanup;
        } else if (testNodeIsElement(cur, "memory")) {
            if (testNodeParseMemory(cfg, path, cur) < 0)
                goto cleanup;
        } else if (testNodeIsElement(cur, "domain")) {
            if (testNodeParseDomain(cfg, path, doc, cur) < 0)
                goto cleanup;
        }
    }
    ret = 0;

 cleanup:
    if (ret < 0)
        testNodeConfigClear(cfg);
    xmlFreeDoc(doc);
    return ret;
}
