/*
 * datatypes.c: the public API's connection and domain handles.
 *
 * Handles are reference counted with atomics so that a threaded daemon can
 * share one connection between workers. A domain handle is a name, UUID
 * and id captured at lookup time plus a reference on its connection; the
 * driver looks the domain up again by UUID on every call.
 */
#include <config.h>

#include <string.h>

#include "datatypes.h"
#include "viralloc.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_NONE

virConnectPtr
virGetConnect(void)
{
    virConnectPtr conn;

    VIR_ALLOC(conn);
    conn->refs = 1;
    return conn;
}

virDomainPtr
virGetDomain(virConnectPtr conn, const char *name, const unsigned char *uuid, int id)
{
    size_t nameLen = strlen(name) + 1;
    virDomainPtr dom = virAllocN(1, sizeof(*dom) + nameLen);

    dom->refs = 1;
    dom->conn = conn;
    __atomic_add_fetch(&conn->refs, 1, __ATOMIC_SEQ_CST);
    memcpy(dom->nameStorage, name, nameLen);
    dom->name = dom->nameStorage;
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = id;
    return dom;
}
