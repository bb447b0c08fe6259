/*
 * remote_auth.c: authentication procedures.
 *
 * Only AUTH_LIST so far: a client of a service with auth "none" is told
 * [NONE] and proceeds; SASL (AUTH_SASL_INIT/START/STEP) comes next, and
 * until then tenvirtd refuses to open a listener configured for it.
 */
#include <config.h>

#include "remote_dispatch.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.auth");

int
remoteDispatchAuthList(virNetServer *srv, virNetServerClient *client,
                       const virNetMessageHeader *hdr,
                       remote_void *args, remote_auth_list_ret *ret)
{
    remote_auth_type type;

    switch (virNetServerClientGetAuth(client)) {
    case VIR_NET_SERVER_AUTH_NONE:
        type = REMOTE_AUTH_NONE;
        break;
    case VIR_NET_SERVER_AUTH_SASL:
        type = REMOTE_AUTH_SASL;
        break;
    default:
        /* Never tell a client "none" for a scheme we do not know. */
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "unknown authentication scheme");
        return -1;
    }
    ret->types.types_len = 1;
    ret->types.types_val = virAllocN(1, sizeof(*ret->types.types_val));
    ret->types.types_val[0] = type;
    return 0;
}
