/*
 * remote_domain.c: the REMOTE procedures about domains: lists, lookups,
 * queries and the life cycle.
 *
 * A domain argument is resolved by its UUID on the client's connection;
 * the name and id the client sent are not trusted. A domain the client
 * may not see is therefore missing for it, in exactly the words the
 * driver uses for a domain that does not exist.
 */
#include <config.h>

#include <string.h>

#include "remote_dispatch.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.domain");

/* ---- shapes shared by many procedures ------------------------------------ */

typedef int (*remoteDomainActionFunc)(virDomainPtr dom);
typedef int (*remoteDomainFlagsActionFunc)(virDomainPtr dom, unsigned int flags);

/* Resolve @wire and run @func on it (the procedures without a result). */
static int
remoteDomainAction(virNetServerClient *client, const remote_nonnull_domain *wire,
                   remoteDomainActionFunc func)
{
    virConnectPtr conn = remoteClientGetConn(client);
    virDomainPtr dom;
    int rv;

    if (!conn || !(dom = remoteGetDomain(conn, wire)))
        return -1;
    rv = func(dom) < 0 ? -1 : 0;
    remoteDomainFree(dom);
    return rv;
}

static int
remoteDomainFlagsAction(virNetServerClient *client, const remote_nonnull_domain *wire,
                        unsigned int flags, remoteDomainFlagsActionFunc func)
{
    virConnectPtr conn = remoteClientGetConn(client);
    virDomainPtr dom;
    int rv;

    if (!conn || !(dom = remoteGetDomain(conn, wire)))
        return -1;
    rv = func(dom, flags) < 0 ? -1 : 0;
    remoteDomainFree(dom);
    return rv;
}

/* The handle for @wire, for procedures with a result. NULL with an error
 * reported. */
static virDomainPtr
remoteDomainFromWire(virNetServerClient *client, const remote_nonnull_domain *wire)
{
    virConnectPtr conn = remoteClientGetConn(client);

    return conn ? remoteGetDomain(conn, wire) : NULL;
}

/* Wire arrays have a maximum the client enforces when decoding; a
 * result above it would only make the client drop the connection. */
static int
remoteCheckListMax(int n, int max, const char *what)
{
    if (n <= max)
        return 0;
    virReportError(VIR_ERR_RPC, "too many %s (%d) for the protocol limit (%d)", what, n, max);
    return -1;
}

/* A client's "at most N" argument, which sizes a result array. */
static int
remoteCheckMaxArg(int n, int max, const char *what)
{
    if (n >= 0 && n <= max)
        return 0;
    virReportError(VIR_ERR_RPC, "%s %d out of range 0..%d", what, n, max);
    return -1;
}

/* ---- lists and counts ------------------------------------------------------ */

int
remoteDispatchConnectListAllDomains(virNetServer *srv, virNetServerClient *client,
                                    const virNetMessageHeader *hdr,
                                    remote_connect_list_all_domains_args *args,
                                    remote_connect_list_all_domains_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    virDomainPtr *doms = NULL;
    int n;
    int i;
    int rv = -1;

    if (!conn)
        return -1;
    if ((n = virConnectListAllDomains(conn, args->need_results ? &doms : NULL,
                                      args->flags)) < 0)
        return -1;
    if (doms) {
        if (remoteCheckListMax(n, REMOTE_DOMAIN_LIST_MAX, "domains") < 0)
            goto cleanup;
        ret->domains.domains_len = n;
        ret->domains.domains_val = virAllocN(n ? n : 1, sizeof(*ret->domains.domains_val));
        for (i = 0; i < n; i++)
            remoteMakeDomain(&ret->domains.domains_val[i], doms[i]);
    }
    ret->ret = n;
    rv = 0;

 cleanup:
    if (doms) {
        for (i = 0; i < n; i++)
            remoteDomainFree(doms[i]);
        free(doms);
    }
    return rv;
}

int
remoteDispatchConnectNumOfDomains(virNetServer *srv, virNetServerClient *client,
                                  const virNetMessageHeader *hdr,
                                  remote_void *args, remote_connect_num_of_domains_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    if (!conn || (ret->num = virConnectNumOfDomains(conn)) < 0)
        return -1;
    return 0;
}

int
remoteDispatchConnectListDomains(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_connect_list_domains_args *args,
                                 remote_connect_list_domains_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    int *ids;
    int n;

    if (!conn)
        return -1;
    if (remoteCheckMaxArg(args->maxids, REMOTE_DOMAIN_ID_LIST_MAX, "maxids") < 0)
        return -1;
    ids = virAllocN(args->maxids ? args->maxids : 1, sizeof(*ids));
    if ((n = virConnectListDomains(conn, ids, args->maxids)) < 0) {
        free(ids);
        return -1;
    }
    ret->ids.ids_len = n;
    ret->ids.ids_val = ids;
    return 0;
}

int
remoteDispatchConnectNumOfDefinedDomains(virNetServer *srv, virNetServerClient *client,
                                         const virNetMessageHeader *hdr,
                                         remote_void *args,
                                         remote_connect_num_of_defined_domains_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    if (!conn || (ret->num = virConnectNumOfDefinedDomains(conn)) < 0)
        return -1;
    return 0;
}

int
remoteDispatchConnectListDefinedDomains(virNetServer *srv, virNetServerClient *client,
                                        const virNetMessageHeader *hdr,
                                        remote_connect_list_defined_domains_args *args,
                                        remote_connect_list_defined_domains_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    char **names;
    int n;

    if (!conn)
        return -1;
    if (remoteCheckMaxArg(args->maxnames, REMOTE_DOMAIN_NAME_LIST_MAX, "maxnames") < 0)
        return -1;
    names = virAllocN(args->maxnames ? args->maxnames : 1, sizeof(*names));
    if ((n = virConnectListDefinedDomains(conn, names, args->maxnames)) < 0) {
        free(names);
        return -1;
    }
    ret->names.names_len = n;
    ret->names.names_val = names;
    return 0;
}

/* ---- lookups --------------------------------------------------------------- */

/* Hand a looked-up handle to the client (NULL: the lookup's error). */
static int
remoteReturnDomain(virDomainPtr dom, remote_nonnull_domain *out)
{
    if (!dom)
        return -1;
    remoteMakeDomain(out, dom);
    remoteDomainFree(dom);
    return 0;
}

int
remoteDispatchDomainLookupByID(virNetServer *srv, virNetServerClient *client,
                               const virNetMessageHeader *hdr,
                               remote_domain_lookup_by_id_args *args,
                               remote_domain_lookup_by_id_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    return conn ? remoteReturnDomain(virDomainLookupByID(conn, args->id), &ret->dom) : -1;
}

int
remoteDispatchDomainLookupByName(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_lookup_by_name_args *args,
                                 remote_domain_lookup_by_name_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    return conn ? remoteReturnDomain(virDomainLookupByName(conn, args->name), &ret->dom) : -1;
}

int
remoteDispatchDomainLookupByUUID(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_lookup_by_uuid_args *args,
                                 remote_domain_lookup_by_uuid_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    return conn ? remoteReturnDomain(virDomainLookupByUUID(conn, (unsigned char *)args->uuid),
                                     &ret->dom) : -1;
}

/* ---- queries --------------------------------------------------------------- */

int
remoteDispatchDomainGetInfo(virNetServer *srv, virNetServerClient *client,
                            const virNetMessageHeader *hdr,
                            remote_domain_args *args, remote_domain_get_info_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);
    virDomainInfo info;
    int rv = -1;

    memset(&info, 0, sizeof(info));
    if (!dom)
        return -1;
    if (virDomainGetInfo(dom, &info) == 0) {
        ret->state = info.state;
        ret->maxMem = info.maxMem;
        ret->memory = info.memory;
        ret->nrVirtCpu = info.nrVirtCpu;
        ret->cpuTime = info.cpuTime;
        rv = 0;
    }
    remoteDomainFree(dom);
    return rv;
}

int
remoteDispatchDomainGetState(virNetServer *srv, virNetServerClient *client,
                             const virNetMessageHeader *hdr,
                             remote_domain_flags_args *args, remote_domain_get_state_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);
    int rv;

    if (!dom)
        return -1;
    rv = virDomainGetState(dom, &ret->state, &ret->reason, args->flags) < 0 ? -1 : 0;
    remoteDomainFree(dom);
    return rv;
}

int
remoteDispatchDomainGetXMLDesc(virNetServer *srv, virNetServerClient *client,
                               const virNetMessageHeader *hdr,
                               remote_domain_flags_args *args,
                               remote_domain_get_xml_desc_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    ret->xml = virDomainGetXMLDesc(dom, args->flags);
    remoteDomainFree(dom);
    return ret->xml ? 0 : -1;
}

int
remoteDispatchDomainGetOSType(virNetServer *srv, virNetServerClient *client,
                              const virNetMessageHeader *hdr,
                              remote_domain_args *args, remote_domain_get_os_type_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    ret->type = virDomainGetOSType(dom);
    remoteDomainFree(dom);
    return ret->type ? 0 : -1;
}

int
remoteDispatchDomainGetMaxMemory(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_args *args,
                                 remote_domain_get_max_memory_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    /* 0 is the API's error value. */
    ret->memory = virDomainGetMaxMemory(dom);
    remoteDomainFree(dom);
    return ret->memory ? 0 : -1;
}

int
remoteDispatchDomainGetAutostart(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_args *args, remote_domain_get_autostart_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);
    int rv;

    if (!dom)
        return -1;
    rv = virDomainGetAutostart(dom, &ret->autostart) < 0 ? -1 : 0;
    remoteDomainFree(dom);
    return rv;
}

int
remoteDispatchDomainIsActive(virNetServer *srv, virNetServerClient *client,
                             const virNetMessageHeader *hdr,
                             remote_domain_args *args, remote_domain_is_active_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    ret->active = virDomainIsActive(dom);
    remoteDomainFree(dom);
    return ret->active < 0 ? -1 : 0;
}

int
remoteDispatchDomainIsPersistent(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_args *args, remote_domain_is_persistent_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    ret->persistent = virDomainIsPersistent(dom);
    remoteDomainFree(dom);
    return ret->persistent < 0 ? -1 : 0;
}

int
remoteDispatchDomainHasManagedSaveImage(virNetServer *srv, virNetServerClient *client,
                                        const virNetMessageHeader *hdr,
                                        remote_domain_flags_args *args,
                                        remote_domain_has_managed_save_image_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    ret->result = virDomainHasManagedSaveImage(dom, args->flags);
    remoteDomainFree(dom);
    return ret->result < 0 ? -1 : 0;
}

int
remoteDispatchDomainSnapshotNum(virNetServer *srv, virNetServerClient *client,
                                const virNetMessageHeader *hdr,
                                remote_domain_flags_args *args,
                                remote_domain_snapshot_num_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);

    if (!dom)
        return -1;
    ret->num = virDomainSnapshotNum(dom, args->flags);
    remoteDomainFree(dom);
    return ret->num < 0 ? -1 : 0;
}

int
remoteDispatchDomainGetMessages(virNetServer *srv, virNetServerClient *client,
                                const virNetMessageHeader *hdr,
                                remote_domain_flags_args *args,
                                remote_domain_get_messages_ret *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);
    char **msgs = NULL;
    int n;
    int i;
    int rv = -1;

    if (!dom)
        return -1;
    if ((n = virDomainGetMessages(dom, &msgs, args->flags)) < 0)
        goto cleanup;
    if (remoteCheckListMax(n, REMOTE_DOMAIN_MESSAGES_MAX, "domain messages") < 0)
        goto cleanup;
    if (n > 0) {
        /* Ownership of the strings passes to the reply. */
        ret->msgs.msgs_len = n;
        ret->msgs.msgs_val = virAllocN(n, sizeof(char *));
        for (i = 0; i < n; i++) {
            ret->msgs.msgs_val[i] = msgs[i];
            msgs[i] = NULL;
        }
    }
    rv = 0;

 cleanup:
    for (i = 0; msgs && i < n; i++)
        free(msgs[i]);
    free(msgs);
    remoteDomainFree(dom);
    return rv;
}

/* ---- life cycle ------------------------------------------------------------ */

int
remoteDispatchDomainCreate(virNetServer *srv, virNetServerClient *client,
                           const virNetMessageHeader *hdr,
                           remote_domain_args *args, remote_void *ret)
{
    return remoteDomainAction(client, &args->dom, virDomainCreate);
}

int
remoteDispatchDomainCreateWithFlags(virNetServer *srv, virNetServerClient *client,
                                    const virNetMessageHeader *hdr,
                                    remote_domain_flags_args *args,
                                    remote_domain_create_with_flags_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    virDomainPtr dom;
    virDomainPtr fresh;

    if (!conn || !(dom = remoteGetDomain(conn, &args->dom)))
        return -1;
    if (virDomainCreateWithFlags(dom, args->flags) < 0) {
        remoteDomainFree(dom);
        return -1;
    }
    /* The reply carries the id the domain has now that it runs. */
    fresh = virDomainLookupByUUID(conn, (unsigned char *)args->dom.uuid);
    remoteDomainFree(dom);
    return remoteReturnDomain(fresh, &ret->dom);
}

int
remoteDispatchDomainSuspend(virNetServer *srv, virNetServerClient *client,
                            const virNetMessageHeader *hdr,
                            remote_domain_args *args, remote_void *ret)
{
    return remoteDomainAction(client, &args->dom, virDomainSuspend);
}

int
remoteDispatchDomainResume(virNetServer *srv, virNetServerClient *client,
                           const virNetMessageHeader *hdr,
                           remote_domain_args *args, remote_void *ret)
{
    return remoteDomainAction(client, &args->dom, virDomainResume);
}

int
remoteDispatchDomainShutdown(virNetServer *srv, virNetServerClient *client,
                             const virNetMessageHeader *hdr,
                             remote_domain_args *args, remote_void *ret)
{
    return remoteDomainAction(client, &args->dom, virDomainShutdown);
}

int
remoteDispatchDomainShutdownFlags(virNetServer *srv, virNetServerClient *client,
                                  const virNetMessageHeader *hdr,
                                  remote_domain_flags_args *args, remote_void *ret)
{
    return remoteDomainFlagsAction(client, &args->dom, args->flags, virDomainShutdownFlags);
}

int
remoteDispatchDomainReboot(virNetServer *srv, virNetServerClient *client,
                           const virNetMessageHeader *hdr,
                           remote_domain_flags_args *args, remote_void *ret)
{
    return remoteDomainFlagsAction(client, &args->dom, args->flags, virDomainReboot);
}

int
remoteDispatchDomainDestroy(virNetServer *srv, virNetServerClient *client,
                            const virNetMessageHeader *hdr,
                            remote_domain_args *args, remote_void *ret)
{
    return remoteDomainAction(client, &args->dom, virDomainDestroy);
}

int
remoteDispatchDomainDestroyFlags(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_flags_args *args, remote_void *ret)
{
    return remoteDomainFlagsAction(client, &args->dom, args->flags, virDomainDestroyFlags);
}

int
remoteDispatchDomainUndefine(virNetServer *srv, virNetServerClient *client,
                             const virNetMessageHeader *hdr,
                             remote_domain_args *args, remote_void *ret)
{
    return remoteDomainAction(client, &args->dom, virDomainUndefine);
}

int
remoteDispatchDomainUndefineFlags(virNetServer *srv, virNetServerClient *client,
                                  const virNetMessageHeader *hdr,
                                  remote_domain_flags_args *args, remote_void *ret)
{
    return remoteDomainFlagsAction(client, &args->dom, args->flags, virDomainUndefineFlags);
}

int
remoteDispatchDomainSetAutostart(virNetServer *srv, virNetServerClient *client,
                                 const virNetMessageHeader *hdr,
                                 remote_domain_set_autostart_args *args, remote_void *ret)
{
    virDomainPtr dom = remoteDomainFromWire(client, &args->dom);
    int rv;

    if (!dom)
        return -1;
    rv = virDomainSetAutostart(dom, args->autostart) < 0 ? -1 : 0;
    remoteDomainFree(dom);
    return rv;
}

int
remoteDispatchDomainDefineXML(virNetServer *srv, virNetServerClient *client,
                              const virNetMessageHeader *hdr,
                              remote_domain_define_xml_args *args,
                              remote_domain_define_xml_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    return conn ? remoteReturnDomain(virDomainDefineXML(conn, args->xml), &ret->dom) : -1;
}

int
remoteDispatchDomainDefineXMLFlags(virNetServer *srv, virNetServerClient *client,
                                   const virNetMessageHeader *hdr,
                                   remote_domain_define_xml_flags_args *args,
                                   remote_domain_define_xml_flags_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);

    return conn ? remoteReturnDomain(virDomainDefineXMLFlags(conn, args->xml, args->flags),
                                     &ret->dom) : -1;
}
