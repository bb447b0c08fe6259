/*
 * remote_stats.c: domain statistics (CONNECT_GET_ALL_DOMAIN_STATS).
 *
 * The public API decides which domains and values a client gets (only
 * those it may read); this file only turns the records into typed
 * parameters on the wire.
 */
#include <config.h>

#include <string.h>

#include "remote_dispatch.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.stats");

static int
remoteSerializeTypedParam(remote_typed_param *out, const virTypedParameter *in)
{
    remote_typed_param_value *val = &out->value;

    switch (in->type) {
    case VIR_TYPED_PARAM_INT:
        val->remote_typed_param_value_u.i = in->value.i;
        break;
    case VIR_TYPED_PARAM_UINT:
        val->remote_typed_param_value_u.ui = in->value.ui;
        break;
    case VIR_TYPED_PARAM_LLONG:
        val->remote_typed_param_value_u.l = in->value.l;
        break;
    case VIR_TYPED_PARAM_ULLONG:
        val->remote_typed_param_value_u.ul = in->value.ul;
        break;
    case VIR_TYPED_PARAM_DOUBLE:
        val->remote_typed_param_value_u.d = in->value.d;
        break;
    case VIR_TYPED_PARAM_BOOLEAN:
        val->remote_typed_param_value_u.b = in->value.b != 0;
        break;
    case VIR_TYPED_PARAM_STRING:
        val->remote_typed_param_value_u.s = virStrdup(in->value.s ? in->value.s : "");
        break;
    default:
        virReportError(VIR_ERR_RPC, "statistic '%.*s' has unknown type %d",
                       VIR_TYPED_PARAM_FIELD_LENGTH, in->field, in->type);
        return -1;
    }
    /* Only now: xdr_free must never meet a string arm it did not fill. */
    val->type = in->type;
    out->field = virStrndup(in->field, VIR_TYPED_PARAM_FIELD_LENGTH);
    return 0;
}

static int
remoteSerializeStatsRecord(remote_domain_stats_record *out, const virDomainStatsRecord *in)
{
    int i;

    remoteMakeDomain(&out->dom, in->dom);
    if (in->nparams < 0 || in->nparams > REMOTE_DOMAIN_STATS_PARAMS_MAX) {
        virReportError(VIR_ERR_RPC, "too many statistics (%d) of domain '%s' for the "
                       "protocol limit (%d)", in->nparams, out->dom.name,
                       REMOTE_DOMAIN_STATS_PARAMS_MAX);
        return -1;
    }
    out->params.params_val = virAllocN(in->nparams ? in->nparams : 1,
                                       sizeof(*out->params.params_val));
    for (i = 0; i < in->nparams; i++) {
        if (remoteSerializeTypedParam(&out->params.params_val[i], &in->params[i]) < 0)
            return -1;
        out->params.params_len = i + 1;
    }
    return 0;
}

int
remoteDispatchConnectGetAllDomainStats(virNetServer *srv, virNetServerClient *client,
                                       const virNetMessageHeader *hdr,
                                       remote_connect_get_all_domain_stats_args *args,
                                       remote_connect_get_all_domain_stats_ret *ret)
{
    virConnectPtr conn = remoteClientGetConn(client);
    u_int ndoms = args->doms.doms_len;
    virDomainPtr *doms = NULL;
    virDomainStatsRecordPtr *records = NULL;
    int n = -1;
    int i;
    int rv = -1;

    if (!conn)
        return -1;

    if (ndoms > 0) {
        size_t found = 0;

        /* NULL-terminated, as virDomainListGetStats wants it. A listed
         * domain that is gone or hidden is skipped, as the API skips it. */
        doms = virAllocN(ndoms + 1, sizeof(*doms));
        for (i = 0; i < (int)ndoms; i++) {
            virDomainPtr dom = remoteGetDomain(conn, &args->doms.doms_val[i]);

            if (dom)
                doms[found++] = dom;
            else if (virGetLastErrorCode() != VIR_ERR_NO_DOMAIN)
                goto cleanup;
        }
        virResetLastError();
        if (found)
            n = virDomainListGetStats(doms, args->stats, &records, args->flags);
        else
            n = 0;
    } else {
        n = virConnectGetAllDomainStats(conn, args->stats, &records, args->flags);
    }
    if (n < 0)
        goto cleanup;
    if (n > REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX) {
        virReportError(VIR_ERR_RPC, "too many statistics records (%d) for the protocol "
                       "limit (%d)", n, REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX);
        goto cleanup;
    }

    ret->retStats.retStats_val = virAllocN(n ? n : 1, sizeof(*ret->retStats.retStats_val));
    for (i = 0; i < n; i++) {
        ret->retStats.retStats_len = i + 1;
        if (remoteSerializeStatsRecord(&ret->retStats.retStats_val[i], records[i]) < 0)
            goto cleanup;
    }
    rv = 0;

 cleanup:
    if (rv < 0) {
        /* Whatever was filled in goes now; the server then frees an empty result. */
        xdr_free((xdrproc_t)xdr_remote_connect_get_all_domain_stats_ret, (char *)ret);
        memset(ret, 0, sizeof(*ret));
    }
    if (records) {
        virErrorPtr saved;

        virErrorPreserveLast(&saved);
        virDomainStatsRecordListFree(records);
        virErrorRestore(&saved);
    }
    for (i = 0; doms && doms[i]; i++)
        remoteDomainFree(doms[i]);
    free(doms);
    return rv;
}
