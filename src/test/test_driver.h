/*
 * test_driver.h: the "test" hypervisor driver, an in-memory host.
 *
 *   test:///default            a built-in host with one running domain "test"
 *   test:///ABS/PATH/node.xml  a host described by a node file (the format
 *                              of libvirt's test driver; see test_node.c)
 *
 * Every connection of the process to the same URI path shares one host,
 * which lives until testStateCleanup.
 */
#ifndef TENVIRT_TEST_DRIVER_H
#define TENVIRT_TEST_DRIVER_H

#include "internal.h"
#include "domain_conf.h"

/* Add the test driver to the hypervisor drivers virConnectOpen tries. */
int testRegister(void);

/* Free every host (call only when no connection is open). */
void testStateCleanup(void);

/* What a node file describes, handed from the loader to the driver. */
typedef struct _testNodeDomain testNodeDomain;
struct _testNodeDomain {
    virDomainDef *def;      /* owned */
    int state;              /* virDomainState to start in: RUNNING, PAUSED or SHUTOFF */
    bool persistent;
};

typedef struct _testNodeConfig testNodeConfig;
struct _testNodeConfig {
    virNodeInfo info;
    testNodeDomain *domains;
    size_t ndomains;
};

/* Fill @info with the built-in host's hardware (also the defaults of a node file). */
void testNodeInfoDefaults(virNodeInfo *info);

/* Load the node file @path into @cfg (zeroed by the caller). 0, or -1 with
 * an error reported (the file name and, where known, the line). On
 * success free with testNodeConfigClear. */
int testNodeConfigLoad(testNodeConfig *cfg, const char *path);
void testNodeConfigClear(testNodeConfig *cfg);

#endif /* TENVIRT_TEST_DRIVER_H */
