/*
 * viraccessfilter.c: filtering a list of domains, deciding once per list
 * what can be decided once. See viraccessfilter.h.
 */
#include <config.h>

#include <string.h>

#include "viraccessfilter.h"
#include "viraccessmanagerpriv.h"
#include "viralloc.h"
#include "virerror.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

/* A driver that decides each domain of the list. */
struct _virAccessDomainFilterStep {
    const virAccessStackEntry *entry;
    virAccessDriverDomainList list;
};

static const char *const virAccessListDecisionNames[] = {
    [VIR_ACCESS_LIST_DENY_ALL] = "deny-all",
    [VIR_ACCESS_LIST_ALLOW_ALL] = "allow-all",
    [VIR_ACCESS_LIST_PER_DOMAIN] = "per-domain",
};

static void
virAccessDomainFilterReleaseSteps(virAccessDomainFilter *filter)
{
    size_t i;

    for (i = 0; i < filter->nsteps; i++) {
        virAccessDomainFilterStep *step = &filter->steps[i];

        if (step->list.release)
            step->list.release(step->entry->priv, step->list.data);
    }
    VIR_FREE(filter->steps);
    filter->nsteps = 0;
}

/* The whole list is denied by @decider, from now on. */
static void
virAccessDomainFilterDenyAll(virAccessDomainFilter *filter, const char *decider)
{
    filter->decision = VIR_ACCESS_LIST_DENY_ALL;
    filter->decider = decider;
    virAccessDomainFilterReleaseSteps(filter);
}

/* Ask one driver about the whole list: false if that decided the list. */
static bool
virAccessDomainFilterPrepare(virAccessDomainFilter *filter, const virAccessStackEntry *entry,
                             virAccessReason *reasonp)
{
    const virAccessDriver *drv = entry->driver;
    virAccessDomainFilterStep step = { .entry = entry };
    int r;

    if (!drv->prepareDomainList) {
        if (!drv->checkDomain) {
            /* As virAccessDriverCheck: a missing hook denies every domain. */
            virAccessReasonSet(reasonp, "driver has no check for domain objects");
            virAccessDomainFilterDenyAll(filter, drv->name);
            return false;
        }
        VIR_APPEND_ELEMENT(filter->steps, filter->nsteps, step);
        return true;
    }

    if (reasonp)
        reasonp->text[0] = '\0';
    r = drv->prepareDomainList(entry->priv, filter->id, filter->driverName, filter->perm,
                               &step.list, reasonp);
    if (r == VIR_ACCESS_LIST_PER_DOMAIN && (step.list.checkDomain || drv->checkDomain)) {
        VIR_APPEND_ELEMENT(filter->steps, filter->nsteps, step);
        return true;
    }
    if (step.list.release)
        step.list.release(entry->priv, step.list.data);
    if (r == VIR_ACCESS_LIST_ALLOW_ALL) {
        filter->decider = drv->name;
        return true;
    }
    if (r == VIR_ACCESS_LIST_DENY_ALL) {
        virAccessDomainFilterDenyAll(filter, drv->name);
        return false;
    }
    /* An error, or an answer the contract does not allow: fail closed. The
     * reason must be written even when nobody asked for one, because an
     * error empties the list and End always logs that. */
    filter->reason.text[0] = '\0';
    if (r < 0)
        virAccessReasonSet(&filter->reason, "error: %s", virGetLastErrorMessage());
    else if (r == VIR_ACCESS_LIST_PER_DOMAIN)
        virAccessReasonSet(&filter->reason, "driver has no check for domain objects");
    else
        virAccessReasonSet(&filter->reason, "error: invalid list decision %d", r);
    virResetLastError();
    filter->failed = r != VIR_ACCESS_LIST_PER_DOMAIN;
    virAccessDomainFilterDenyAll(filter, drv->name);
    return false;
}

int
virAccessDomainFilterBegin(virAccessDomainFilter *filter, virAccessManager *mgr,
                           const virIdentity *id, const char *driverName,
                           virAccessPerm perm)
{
    virAccessStack *stack;
    virAccessReason *reasonp;
    size_t i;

    memset(filter, 0, sizeof(*filter));     /* DENY_ALL until decided */
    filter->driverName = driverName;
    filter->perm = perm;
    filter->decider = "none";
    /* The identity is immutable; the reference only keeps it alive. */
    filter->id = virIdentityRef((virIdentity *)(id ? id : virIdentityGetCurrent()));
    if (perm >= VIR_ACCESS_PERM_LAST ||
        virAccessPermObjectType(perm) != VIR_ACCESS_OBJECT_DOMAIN) {
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "permission %d does not apply to domain objects", (int)perm);
        virAccessReasonSet(&filter->reason, "error: %s", virGetLastErrorMessage());
        filter->failed = true;
        /* Ended here, so that callers need no clean-up of their own. */
        virAccessDomainFilterEnd(filter);
        return -1;
    }

    /* Decided now, so formatting reasons costs nothing when nobody reads them. */
    filter->auditEach = virLogWouldLog(VIR_LOG_INFO);
    reasonp = filter->auditEach ? &filter->reason : NULL;
    filter->stack = stack = virAccessManagerAcquireStack(mgr);
    for (i = 0; i < stack->nentries; i++) {
        if (!virAccessDomainFilterPrepare(filter, &stack->entries[i], reasonp))
            return 0;
    }
    filter->decision = filter->nsteps ? VIR_ACCESS_LIST_PER_DOMAIN : VIR_ACCESS_LIST_ALLOW_ALL;
    return 0;
}

bool
virAccessDomainFilterKeepEach(virAccessDomainFilter *filter, const virDomainDef *def)
{
    virAccessReason reason;
    virAccessReason *reasonp = filter->auditEach ? &reason : NULL;
    const char *decider = "none";
    bool keep = true;
    size_t i;

    for (i = 0; i < filter->nsteps && keep; i++) {
        const virAccessDomainFilterStep *step = &filter->steps[i];
        void *priv = step->entry->priv;
        int r;

        reason.text[0] = '\0';
        decider = step->entry->driver->name;
        if (step->list.checkDomain)
            r = step->list.checkDomain(priv, step->list.data, filter->id, filter->driverName,
                                       def, filter->perm, reasonp);
        else
            r = step->entry->driver->checkDomain(priv, filter->id, filter->driverName,
                                                 def, filter->perm, reasonp);
        if (r < 0) {
            /* As virAccessManagerFilterDomain: logged, then a denial. */
            if (reasonp && !reason.text[0])
                virAccessReasonSet(&reason, "error: %s", virGetLastErrorMessage());
            virResetLastError();
        }
        keep = r > 0;
    }
    if (keep)
        filter->kept++;
    else
        filter->dropped++;
    if (filter->auditEach) {
        virAccessObject obj = { .type = VIR_ACCESS_OBJECT_DOMAIN,
                                .driverName = filter->driverName, .u.domain = def };

        virAccessManagerAudit(VIR_LOG_INFO, keep, filter->id, &obj, filter->perm,
                              decider, &reason);
    }
    return keep;
}

/* One line for the whole list: what decided it and how many were kept. */
static void
virAccessDomainFilterAudit(const virAccessDomainFilter *filter)
{
    virLogPriority prio = filter->failed ? VIR_LOG_WARN : VIR_LOG_INFO;
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) text = NULL;
    size_t i;

    if (!virLogWouldLog(prio))
        return;
    virBufferAsprintf(&buf, "access list filtered: perm=%s object=domain driver=%s identity=[",
                      filter->perm < VIR_ACCESS_PERM_LAST ?
                      virAccessPermToString(filter->perm) : "?",
                      NULLSTR(filter->driverName));
    virIdentityFormat(filter->id, &buf);
    virBufferAsprintf(&buf, "] decision=%s kept=%zu dropped=%zu decided-by=",
                      virAccessListDecisionNames[filter->decision],
                      filter->kept, filter->dropped);
    if (filter->decision == VIR_ACCESS_LIST_PER_DOMAIN) {
        for (i = 0; i < filter->nsteps; i++)
            virBufferAsprintf(&buf, "%s%s", i ? "," : "", filter->steps[i].entry->driver->name);
        virBufferAddLit(&buf, " reason=\"each domain decided and logged on its own\"");
    } else {
        virBufferAsprintf(&buf, "%s reason=\"%s\"", filter->decider, filter->reason.text);
    }
    text = virBufferContentAndReset(&buf);
    virLogMessage(&virAccessAuditLog, prio, __FILE__, __LINE__, __func__, "%s", text);
}

void
virAccessDomainFilterEnd(virAccessDomainFilter *filter)
{
    if (!filter->id)
        return;     /* already ended */
    virAccessDomainFilterAudit(filter);
    virAccessDomainFilterReleaseSteps(filter);
    virAccessStackUnref(filter->stack);
    virIdentityUnref(filter->id);
    memset(filter, 0, sizeof(*filter));
}
