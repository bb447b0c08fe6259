/*
 * virnetserverprogram.c: a program's procedure table and the dispatch of
 * one call: gating, argument decoding, the handler, the reply.
 */
#include <config.h>

#include <string.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetserverpriv.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserverprogram");

struct _virNetServerProgram {
    int refs;
    unsigned int prog;
    unsigned int vers;
    const virNetServerProcedure *procs;
    size_t nprocs;
};

virNetServerProgram *
virNetServerProgramNew(unsigned int prog, unsigned int vers,
                       const virNetServerProcedure *procs, size_t nprocs)
{
    virNetServerProgram *p;

    VIR_ALLOC(p);
    p->refs = 1;
    p->prog = prog;
    p->vers = vers;
    p->procs = procs;
    p->nprocs = nprocs;
    return p;
}

virNetServerProgram *
virNetServerProgramRef(virNetServerProgram *prog)
{
    __atomic_add_fetch(&prog->refs, 1, __ATOMIC_SEQ_CST);
    return prog;
}

void
virNetServerProgramFree(virNetServerProgram *prog)
{
    if (!prog)
        return;
    if (__atomic_sub_fetch(&prog->refs, 1, __ATOMIC_SEQ_CST) > 0)
        return;
    free(prog);
}

bool
virNetServerProgramMatches(virNetServerProgram *prog, const virNetMessageHeader *hdr)
{
    return prog->prog == hdr->prog && prog->vers == hdr->vers;
}

static const virNetServerProcedure *
virNetServerProgramGetProc(virNetServerProgram *prog, int proc)
{
    size_t i;

    for (i = 0; i < prog->nprocs; i++) {
        if (prog->procs[i].proc == proc)
            return &prog->procs[i];
    }
    return NULL;
}

bool
virNetServerProgramIsInline(virNetServerProgram *prog, const virNetMessageHeader *hdr)
{
    const virNetServerProcedure *proc;

    if (hdr->type != VIR_NET_CALL || hdr->status != VIR_NET_OK)
        return false;
    proc = virNetServerProgramGetProc(prog, hdr->proc);
    return proc && (proc->flags & VIR_NET_SERVER_PROC_INLINE);
}

int
virNetServerProgramFormatError(virNetMessage *msg, const virNetMessageHeader *call)
{
    remote_error rerr;
    int ret;

    virNetMessageSaveError(&rerr);
    virNetMessageClear(msg);
    msg->header = *call;
    msg->header.type = VIR_NET_REPLY;
    msg->header.status = VIR_NET_ERROR;
    ret = virNetMessageEncodeHeader(msg);
    if (ret == 0)
        ret = virNetMessageEncodePayload(msg, (xdrproc_t)xdr_remote_error, &rerr);
    xdr_free((xdrproc_t)xdr_remote_error, (char *)&rerr);
    return ret;
}

/* Turn the thread's last error into the reply; as a last resort (the
 * error itself too big to encode) a generic one. */
static void
virNetServerProgramReplyError(virNetMessage *msg, const virNetMessageHeader *call)
{
    if (virNetServerProgramFormatError(msg, call) == 0)
        return;
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "unable to encode the error reply");
    if (virNetServerProgramFormatError(msg, call) < 0)
        VIR_ERROR("Cannot encode even a generic error reply");
}

void
virNetServerProgramDispatch(virNetServerProgram *prog, virNetServer *srv,
                            virNetServerClient *client, virNetMessage *msg)
{
    const virNetServerProcedure *proc;
    virNetMessageHeader call = msg->header;
    VIR_AUTOFREE(void *) args = NULL;
    VIR_AUTOFREE(void *) ret = NULL;
    int rv;

    if (call.type != VIR_NET_CALL) {
        /* CALL_WITH_FDS and streams are not supported. */
        virReportError(VIR_ERR_RPC, "Unexpected message type %d", call.type);
        goto error;
    }
    if (call.status != VIR_NET_OK) {
        virReportError(VIR_ERR_RPC, "Unexpected message status %d", call.status);
        goto error;
    }
    if (!(proc = virNetServerProgramGetProc(prog, call.proc))) {
        virReportError(VIR_ERR_RPC, "unknown procedure: %d", call.proc);
        goto error;
    }
    if (!virNetServerClientIsAuthenticated(client) &&
        !(proc->flags & VIR_NET_SERVER_PROC_NO_AUTH)) {
        VIR_WARN("Client %s called %s before authenticating",
                 virNetServerClientGetName(client), NULLSTR(proc->name));
        virReportError(VIR_ERR_RPC, "%s", "authentication required");
        goto error;
    }
    if (!virNetServerClientIsOpen(client) &&
        !(proc->flags & VIR_NET_SERVER_PROC_NO_OPEN)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        goto error;
    }

    args = virAllocN(1, proc->argsSize ? proc->argsSize : 1);
    ret = virAllocN(1, proc->retSize ? proc->retSize : 1);
    if (virNetMessageDecodePayload(msg, proc->argsFilter, args) < 0) {
        VIR_DEBUG("Client %s sent undecodable arguments for %s",
                  virNetServerClientGetName(client), NULLSTR(proc->name));
        goto error;
    }

    VIR_DEBUG("Client %s: %s serial %u", virNetServerClientGetName(client),
              NULLSTR(proc->name), call.serial);
    rv = proc->func(srv, client, &call, args, ret);
    xdr_free(proc->argsFilter, args);
    if (rv < 0) {
        xdr_free(proc->retFilter, ret);
        goto error;
    }

    virNetMessageClear(msg);
    msg->header = call;
    msg->header.type = VIR_NET_REPLY;
    msg->header.status = VIR_NET_OK;
    rv = virNetMessageEncodeHeader(msg);
    if (rv == 0)
        rv = virNetMessageEncodePayload(msg, proc->retFilter, ret);
    xdr_free(proc->retFilter, ret);
    if (rv < 0)
        goto error;
    return;

 error:
    virNetServerProgramReplyError(msg, &call);
}
