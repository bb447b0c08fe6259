/*
 * remote_events.c: domain events for remote clients.
 *
 * A client registers through the callback-style procedures (316/317, the
 * ones current clients use once feature 14 is answered 1) or the legacy
 * ones (105/106 and 167/168). Each registration is one
 * virConnectDomainEventRegisterAny on the client's own connection, made
 * while the client's identity is current: the driver remembers that
 * identity and delivers only events of domains it may see. The relay
 * below turns each event into a MESSAGE and queues it on the client.
 *
 * Relays run in whatever thread the driver delivers from. They hold a
 * reference to the client and touch nothing else of the daemon, so they
 * never wait for a lock a call or the close hook might hold.
 */
#include <config.h>

#include <limits.h>
#include <string.h>

#include "remote_dispatch.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("daemon.events");

/* What one registration's relay needs. */
typedef struct {
    virNetServerClient *client;     /* a reference, dropped by remoteEventTargetFree */
    int callbackID;                 /* the client's ID; -1 for the legacy message form */
} remoteEventTarget;

/* Callback IDs are unique in the daemon, like libvirtd's, so that a log
 * line naming one is unambiguous. */
static unsigned int remoteEventNextCallbackID;

static void
remoteEventTargetFree(void *opaque)
{
    remoteEventTarget *target = opaque;

    virNetServerClientUnref(target->client);
    free(target);
}

/* Point @out at @dom's name and UUID without copying: the message is
 * encoded before virNetServerClientSendMessage returns. */
static void
remoteEventDomain(remote_nonnull_domain *out, virDomainPtr dom)
{
    out->name = (char *)virDomainGetName(dom);
    virDomainGetUUID(dom, (unsigned char *)out->uuid);
    out->id = (int)virDomainGetID(dom);
}

static void
remoteEventSend(remoteEventTarget *target, int proc, xdrproc_t filter, void *msg)
{
    if (virNetServerClientSendMessage(target->client, REMOTE_PROGRAM, REMOTE_PROTOCOL_VERSION,
                                      proc, filter, msg) < 0)
        VIR_DEBUG("event %d for callback %d dropped: client is closing", proc,
                  target->callbackID);
}

static void
remoteRelayDomainEventLifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
                                void *opaque)
{
    remoteEventTarget *target = opaque;
    virErrorPtr saved;

    /* The driver may deliver from a thread that has an error to keep. */
    virErrorPreserveLast(&saved);
    if (target->callbackID < 0) {
        remote_domain_event_lifecycle_msg msg;

        memset(&msg, 0, sizeof(msg));
        remoteEventDomain(&msg.dom, dom);
        msg.event = event;
        msg.detail = detail;
        remoteEventSend(target, REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                        (xdrproc_t)xdr_remote_domain_event_lifecycle_msg, &msg);
    } else {
        remote_domain_event_callback_lifecycle_msg msg;

        memset(&msg, 0, sizeof(msg));
        msg.callbackID = target->callbackID;
        remoteEventDomain(&msg.msg.dom, dom);
        msg.msg.event = event;
        msg.msg.detail = detail;
        remoteEventSend(target, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                        (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, &msg);
    }
    virErrorRestore(&saved);
}

static void
remoteRelayDomainEventReboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    remoteEventTarget *target = opaque;
    remote_domain_event_callback_reboot_msg msg;
    virErrorPtr saved;

    virErrorPreserveLast(&saved);
    memset(&msg, 0, sizeof(msg));
    msg.callbackID = target->callbackID;
    remoteEventDomain(&msg.msg.dom, dom);
    remoteEventSend(target, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                    (xdrproc_t)xdr_remote_domain_event_callback_reboot_msg, &msg);
    virErrorRestore(&saved);
}

/* The relay of each event ID the daemon forwards; the others are not
 * supported (virsh tolerates that for every ID but LIFECYCLE). The
 * lifecycle relay goes through void (*)(void), the cast -Wextra accepts,
 * where VIR_DOMAIN_EVENT_CALLBACK's direct cast trips -Wcast-function-type. */
static const virConnectDomainEventGenericCallback remoteEventRelays[VIR_DOMAIN_EVENT_ID_LAST] = {
    [VIR_DOMAIN_EVENT_ID_LIFECYCLE] =
        (virConnectDomainEventGenericCallback)(void (*)(void))remoteRelayDomainEventLifecycle,
    [VIR_DOMAIN_EVENT_ID_REBOOT] = remoteRelayDomainEventReboot,
};

/* Register @eventID for @client on @conn (@dom NULL: every domain).
 * @callbackID -1 asks for the legacy message form, which exists only for
 * LIFECYCLE. Returns the driver's registration ID, or -1 with an error. */
static int
remoteEventRegister(virNetServerClient *client, virConnectPtr conn, virDomainPtr dom,
                    int eventID, int callbackID)
{
    remoteEventTarget *target;
    int driverID;

    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported event ID %d", eventID);
        return -1;
    }
    if (!remoteEventRelays[eventID] ||
        (callbackID < 0 && eventID != VIR_DOMAIN_EVENT_ID_LIFECYCLE)) {
        virReportError(VIR_ERR_NO_SUPPORT, "domain event %d", eventID);
        return -1;
    }

    VIR_ALLOC(target);
    target->client = virNetServerClientRef(client);
    target->callbackID = callbackID;
    driverID = virConnectDomainEventRegisterAny(conn, dom, eventID, remoteEventRelays[eventID],
                                                target, remoteEventTargetFree);
    if (driverID < 0) {
        /* Not registered, so the free callback was not taken over. */
        remoteEventTargetFree(target);
        return -1;
    }
    return driverID;
}

void
remoteEventsDeregisterAll(remoteClient *priv)
{
    virConnectPtr conn;
    remoteEventRegistration *events;
    size_t nevents;
    int legacy[VIR_DOMAIN_EVENT_ID_LAST];
    virErrorPtr saved;
    size_t i;

    /* Take the registrations out under the lock, deregister outside it:
     * a driver may wait for a relay in progress, and nothing here should
     * wait while holding the client's state. */
    virMutexLock(&priv->lock);
    conn = priv->conn;
    events = priv->events;
    nevents = priv->nevents;
    priv->events = NULL;
    priv->nevents = 0;
    memcpy(legacy, priv->legacyEvents, sizeof(legacy));
    for (i = 0; i < G_N_ELEMENTS(priv->legacyEvents); i++)
        priv->legacyEvents[i] = -1;
    virMutexUnlock(&priv->lock);

    virErrorPreserveLast(&saved);
    for (i = 0; conn && i < nevents; i++) {
        if (virConnectDomainEventDeregisterAny(conn, events[i].driverID) < 0)
            VIR_WARN("cannot deregister event callback %d: %s", events[i].callbackID,
                     virGetLastErrorMessage());
    }
    for (i = 0; conn && i < G_N_ELEMENTS(legacy); i++) {
        if (legacy[i] >= 0 && virConnectDomainEventDeregisterAny(conn, legacy[i]) < 0)
            VIR_WARN("cannot deregister legacy event %zu: %s", i, virGetLastErrorMessage());
    }
    virErrorRestore(&saved);
    free(events);
}

/* ---- callback style (316/317) ------------------------------------------- */

int
remoteDispatchConnectDomainEventCallbackRegisterAny(
    virNetServer *srv, virNetServerClient *client, const virNetMessageHeader *hdr,
    remote_connect_domain_event_callback_register_any_args *args,
    remote_connect_domain_event_callback_register_any_ret *ret)
{
    remoteClient *priv = remoteClientGet(client);
    virConnectPtr conn = remoteClientGetConn(client);
    virDomainPtr dom = NULL;
    remoteEventRegistration reg;
    int rv = -1;

    if (!conn)
        return -1;
    /* A filter domain the client may not see is missing, as everywhere. */
    if (args->dom && !(dom = remoteGetDomain(conn, args->dom)))
        return -1;

    reg.eventID = args->eventID;
    reg.callbackID = (int)(__atomic_fetch_add(&remoteEventNextCallbackID, 1, __ATOMIC_RELAXED) %
                           INT_MAX);
    if ((reg.driverID = remoteEventRegister(client, conn, dom, args->eventID,
                                            reg.callbackID)) < 0)
        goto cleanup;

    virMutexLock(&priv->lock);
    if (priv->closed) {
        /* CONNECT_CLOSE ran meanwhile and dropped everything else. */
        virMutexUnlock(&priv->lock);
        virConnectDomainEventDeregisterAny(conn, reg.driverID);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "hypervisor connection not open");
        goto cleanup;
    }
    VIR_APPEND_ELEMENT(priv->events, priv->nevents, reg);
    virMutexUnlock(&priv->lock);
    VIR_DEBUG("event %d registered as callback %d", reg.eventID, reg.callbackID);
    ret->callbackID = reg.callbackID;
    rv = 0;

 cleanup:
    remoteDomainFree(dom);
    return rv;
}

int
remoteDispatchConnectDomainEventCallbackDeregisterAny(
    virNetServer *srv, virNetServerClient *client, const virNetMessageHeader *hdr,
    remote_connect_domain_event_callback_deregister_any_args *args, remote_void *ret)
{
    remoteClient *priv = remoteClientGet(client);
    virConnectPtr conn = remoteClientGetConn(client);
    int driverID = -1;
    size_t i;

    if (!conn)
        return -1;
    virMutexLock(&priv->lock);
    for (i = 0; i < priv->nevents; i++) {
        if (priv->events[i].callbackID == args->callbackID) {
            driverID = priv->events[i].driverID;
            priv->events[i] = priv->events[--priv->nevents];
            break;
        }
    }
    virMutexUnlock(&priv->lock);

    if (driverID < 0) {
        virReportError(VIR_ERR_INVALID_ARG, "domain event callback %d is not registered",
                       args->callbackID);
        return -1;
    }
    return virConnectDomainEventDeregisterAny(conn, driverID) < 0 ? -1 : 0;
}

/* ---- legacy (105/106, 167/168) ------------------------------------------ */

/* One registration per event ID and client; 105 is 167 for LIFECYCLE. */
static int
remoteEventLegacyRegister(virNetServerClient *client, int eventID)
{
    remoteClient *priv = remoteClientGet(client);
    virConnectPtr conn = remoteClientGetConn(client);
    int rv = -1;

    if (!conn)
        return -1;
    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported event ID %d", eventID);
        return -1;
    }
    /* Held across the registration so two racing calls cannot both fill the slot. */
    virMutexLock(&priv->lock);
    if (priv->legacyEvents[eventID] >= 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain event %d already registered", eventID);
        goto cleanup;
    }
    if ((priv->legacyEvents[eventID] = remoteEventRegister(client, conn, NULL, eventID, -1)) < 0)
        goto cleanup;
    rv = 0;

 cleanup:
    virMutexUnlock(&priv->lock);
    return rv;
}

static int
remoteEventLegacyDeregister(virNetServerClient *client, int eventID)
{
    remoteClient *priv = remoteClientGet(client);
    virConnectPtr conn = remoteClientGetConn(client);
    int driverID = -1;

    if (!conn)
        return -1;
    if (eventID < 0 || eventID >= VIR_DOMAIN_EVENT_ID_LAST) {
        virReportError(VIR_ERR_INVALID_ARG, "unsupported event ID %d", eventID);
        return -1;
    }
    virMutexLock(&priv->lock);
    driverID = priv->legacyEvents[eventID];
    priv->legacyEvents[eventID] = -1;
    virMutexUnlock(&priv->lock);
    if (driverID < 0) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "domain event %d not registered", eventID);
        return -1;
    }
    return virConnectDomainEventDeregisterAny(conn, driverID) < 0 ? -1 : 0;
}

int
remoteDispatchConnectDomainEventRegister(virNetServer *srv, virNetServerClient *client,
                                         const virNetMessageHeader *hdr, remote_void *args,
                                         remote_connect_domain_event_register_ret *ret)
{
    /* cb_registered stays 0, as libvirtd sends it; clients ignore it. */
    return remoteEventLegacyRegister(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE);
}

int
remoteDispatchConnectDomainEventDeregister(virNetServer *srv, virNetServerClient *client,
                                           const virNetMessageHeader *hdr, remote_void *args,
                                           remote_connect_domain_event_deregister_ret *ret)
{
    return remoteEventLegacyDeregister(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE);
}

int
remoteDispatchConnectDomainEventRegisterAny(virNetServer *srv, virNetServerClient *client,
                                            const virNetMessageHeader *hdr,
                                            remote_connect_domain_event_register_any_args *args,
                                            remote_void *ret)
{
    return remoteEventLegacyRegister(client, args->eventID);
}

int
remoteDispatchConnectDomainEventDeregisterAny(
    virNetServer *srv, virNetServerClient *client, const virNetMessageHeader *hdr,
    remote_connect_domain_event_deregister_any_args *args, remote_void *ret)
{
    return remoteEventLegacyDeregister(client, args->eventID);
}
