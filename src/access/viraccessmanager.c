/*
 * viraccessmanager.c: the stack of access drivers that decides every call.
 *
 * See viraccessmanager.h for the stacking rule. The stack is immutable once
 * built; the manager only ever swaps whole stacks, under a write lock that
 * waits for checks in progress (each holds the read lock for microseconds).
 * A list filter (viraccessfilter.c) holds a reference to its stack instead
 * of the lock, for as long as the list takes.
 */
#include <config.h>

#include <pthread.h>
#include <string.h>

#include "viraccessmanagerpriv.h"
#include "viraccessregistry.h"
#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virthread.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

VIR_LOG_INIT("access.manager");

/* Decisions go to their own log source so they can be routed and read apart. */
virLogSource virAccessAuditLog = { .name = "access.audit" };

struct _virAccessManager {
    pthread_rwlock_t lock;
    virAccessStack *stack;
};

static virAccessManager *defaultManager;
static virMutex defaultManagerLock = { PTHREAD_MUTEX_INITIALIZER };

static void
virAccessStackFree(virAccessStack *stack)
{
    size_t i;

    for (i = 0; i < stack->nentries; i++) {
        virAccessStackEntry *e = &stack->entries[i];

        if (e->driver->cleanup)
            e->driver->cleanup(e->priv);
        free(e->priv);
    }
    free(stack->entries);
    free(stack);
}

void
virAccessStackUnref(virAccessStack *stack)
{
    if (stack && __atomic_sub_fetch(&stack->refs, 1, __ATOMIC_ACQ_REL) == 0)
        virAccessStackFree(stack);
}

virAccessStack *
virAccessManagerAcquireStack(virAccessManager *mgr)
{
    virAccessStack *stack;

    pthread_rwlock_rdlock(&mgr->lock);
    stack = mgr->stack;
    __atomic_add_fetch(&stack->refs, 1, __ATOMIC_RELAXED);
    pthread_rwlock_unlock(&mgr->lock);
    return stack;
}

static virAccessStack *
virAccessStackNew(const virAccessConfig *conf)
{
    static const char *const defaultDrivers[] = { "nop", NULL };
    static const virAccessConfig emptyConf = { 0 };
    const char *const *names;
    virAccessStack *stack;
    size_t i;

    if (!conf)
        conf = &emptyConf;
    names = conf->drivers ? (const char *const *)conf->drivers : defaultDrivers;
    if (!names[0]) {
        virReportError(VIR_ERR_CONF_SYNTAX, "%s",
                       "access_drivers is empty: at least one access driver is required");
        return NULL;
    }

    VIR_ALLOC(stack);
    stack->refs = 1;
    stack->showDenied = conf->showDenied;
    for (i = 0; names[i]; i++) {
        const virAccessDriver *drv = virAccessRegistryLookup(names[i]);
        virAccessStackEntry entry;

        if (!drv) {
            virReportError(VIR_ERR_CONF_SYNTAX,
                           "unknown access driver '%s' (available: %s)",
                           names[i], virAccessRegistryNames());
            virAccessStackUnref(stack);
            return NULL;
        }
        entry.driver = drv;
        entry.priv = virAllocN(1, drv->privateDataLen ? drv->privateDataLen : 1);
        if (drv->init && drv->init(entry.priv, conf) < 0) {
            virErrorEnsureSet();
            if (drv->cleanup)
                drv->cleanup(entry.priv);
            free(entry.priv);
            virAccessStackUnref(stack);
            return NULL;
        }
        VIR_APPEND_ELEMENT(stack->entries, stack->nentries, entry);
    }
    return stack;
}

virAccessManager *
virAccessManagerNew(const virAccessConfig *conf)
{
    virAccessManager *mgr;
    virAccessStack *stack;
    pthread_rwlockattr_t attr;

    if (!(stack = virAccessStackNew(conf)))
        return NULL;
    VIR_ALLOC(mgr);
    /* Prefer the writer, so a reload is not starved by a steady stream of checks. */
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&mgr->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    mgr->stack = stack;
    return mgr;
}

virAccessManager *
virAccessManagerNewNames(const char *const *names)
{
    virAccessConfig conf = { .drivers = (char **)names };

    return virAccessManagerNew(&conf);
}

void
virAccessManagerFree(virAccessManager *mgr)
{
    if (!mgr)
        return;
    virAccessStackUnref(mgr->stack);
    pthread_rwlock_destroy(&mgr->lock);
    free(mgr);
}

int
virAccessManagerReload(virAccessManager *mgr, const virAccessConfig *conf)
{
    virAccessStack *fresh;
    virAccessStack *old;
    VIR_AUTOFREE(char *) before = NULL;
    VIR_AUTOFREE(char *) after = NULL;

    if (!(fresh = virAccessStackNew(conf))) {
        VIR_ERROR("access policy reload failed, keeping the current policy: %s",
                  virGetLastErrorMessage());
        return -1;
    }
    before = virAccessManagerDescribe(mgr);
    pthread_rwlock_wrlock(&mgr->lock);
    old = mgr->stack;
    mgr->stack = fresh;
    pthread_rwlock_unlock(&mgr->lock);
    /* Lists still filtering with the old stack keep it alive until they end. */
    virAccessStackUnref(old);
    after = virAccessManagerDescribe(mgr);
    VIR_INFO("access policy reloaded: drivers [%s] replaced by [%s]", before, after);
    return 0;
}

void
virAccessManagerSetDefault(virAccessManager *mgr)
{
    virAccessManager *old;

    virMutexLock(&defaultManagerLock);
    old = defaultManager;
    defaultManager = mgr;
    virMutexUnlock(&defaultManagerLock);
    virAccessManagerFree(old);
}

virAccessManager *
virAccessManagerGetDefault(void)
{
    virAccessManager *mgr;

    virMutexLock(&defaultManagerLock);
    if (!defaultManager)
        defaultManager = virAccessManagerNew(NULL);
    mgr = defaultManager;
    virMutexUnlock(&defaultManagerLock);
    return mgr;
}

bool
virAccessManagerHidesDenied(virAccessManager *mgr)
{
    bool hides;

    pthread_rwlock_rdlock(&mgr->lock);
    hides = !mgr->stack->showDenied;
    pthread_rwlock_unlock(&mgr->lock);
    return hides;
}

static void
virAccessObjectFormat(const virAccessObject *obj, virBuffer *buf)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    virBufferAsprintf(buf, "object=%s driver=%s",
                      virAccessObjectTypeToString(obj->type), NULLSTR(obj->driverName));
    if (obj->type == VIR_ACCESS_OBJECT_DOMAIN && obj->u.domain) {
        virBufferAsprintf(buf, " name='%s' uuid=%s", NULLSTR(obj->u.domain->name),
                          virUUIDFormat(obj->u.domain->uuid, uuidstr));
    }
}

void
virAccessManagerAudit(virLogPriority prio, bool allowed, const virIdentity *id,
                      const virAccessObject *obj, virAccessPerm perm,
                      const char *driverName, const virAccessReason *why)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    VIR_AUTOFREE(char *) text = NULL;

    if (!virLogWouldLog(prio))
        return;
    virBufferAsprintf(&buf, "access %s: perm=%s ", allowed ? "allowed" : "denied",
                      virAccessPermToString(perm));
    virAccessObjectFormat(obj, &buf);
    virBufferAddLit(&buf, " identity=[");
    virIdentityFormat(id, &buf);
    virBufferAsprintf(&buf, "] decided-by=%s reason=\"%s\"", driverName, why->text);
    text = virBufferContentAndReset(&buf);
    virLogMessage(&virAccessAuditLog, prio, __FILE__, __LINE__, __func__, "%s", text);
}

/* The one loop over the stack, for every object type. @denyPrio is the
 * audit priority of a denial: warning for a refused operation, info for
 * an object silently filtered out of a list. */
static int
virAccessManagerDecide(virAccessManager *mgr, const virIdentity *id,
                       const virAccessObject *obj, virAccessPerm perm,
                       virAccessReason *why, virLogPriority denyPrio)
{
    virAccessReason reason = { "" };
    /* Formatting a reason costs about as much as deciding, so drivers are
     * asked for one only when it will be read: by @why, or by the audit
     * log when it takes allows (info). Denials are logged at @denyPrio,
     * normally on; a denial decided without a reason is asked again of the
     * deciding driver, under the same lock, for its reason. */
    bool reasonAlways = why || virLogWouldLog(VIR_LOG_INFO);
    virAccessReason *reasonp = reasonAlways ? &reason : NULL;
    virAccessStackEntry *deciding = NULL;
    const char *decider = "none";
    int ret = 1;
    size_t i;

    if (!id)
        id = virIdentityGetCurrent();
    if (perm >= VIR_ACCESS_PERM_LAST || virAccessPermObjectType(perm) != obj->type) {
        virAccessReasonSet(&reason, "permission %d does not apply to %s objects",
                           (int)perm, NULLSTR(virAccessObjectTypeToString(obj->type)));
        ret = 0;
        goto done;
    }

    pthread_rwlock_rdlock(&mgr->lock);
    for (i = 0; i < mgr->stack->nentries; i++) {
        virAccessStackEntry *e = &mgr->stack->entries[i];
        int r;

        reason.text[0] = '\0';
        r = virAccessDriverCheck(e->driver, e->priv, id, obj, perm, reasonp);
        decider = e->driver->name;
        if (r < 0) {
            /* The driver's error is for the log only; the client sees a denial. */
            if (!reason.text[0])
                virAccessReasonSet(&reason, "error: %s", virGetLastErrorMessage());
            virResetLastError();
            ret = 0;
            break;
        }
        if (r == 0) {
            deciding = e;
            ret = 0;
            break;
        }
    }
    if (deciding && !reasonAlways && virLogWouldLog(denyPrio) &&
        virAccessDriverCheck(deciding->driver, deciding->priv, id, obj, perm, &reason) != 0) {
        /* Drivers are deterministic for one stack; this would be a bug. */
        virAccessReasonSet(&reason, "denied, but allowed when asked for the reason");
        virResetLastError();
    }
    pthread_rwlock_unlock(&mgr->lock);

 done:
    virAccessManagerAudit(ret ? VIR_LOG_INFO : denyPrio, ret, id, obj, perm, decider, &reason);
    if (why)
        virAccessReasonSet(why, "%s: %s", decider, reason.text);
    return ret;
}

int
virAccessManagerCheck(virAccessManager *mgr, const virIdentity *id,
                      const virAccessObject *obj, virAccessPerm perm,
                      virAccessReason *why)
{
    return virAccessManagerDecide(mgr, id, obj, perm, why, VIR_LOG_WARN);
}

int
virAccessManagerCheckConnect(virAccessManager *mgr, const char *driverName,
                             virAccessPerm perm)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_CONNECT, .driverName = driverName };

    return virAccessManagerDecide(mgr, NULL, &obj, perm, NULL, VIR_LOG_WARN);
}

int
virAccessManagerCheckDomain(virAccessManager *mgr, const char *driverName,
                            const virDomainDef *def, virAccessPerm perm)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = driverName,
                            .u.domain = def };

    return virAccessManagerDecide(mgr, NULL, &obj, perm, NULL, VIR_LOG_WARN);
}

int
virAccessManagerFilterDomain(virAccessManager *mgr, const char *driverName,
                             const virDomainDef *def, virAccessPerm perm)
{
    virAccessObject obj = { .type = VIR_ACCESS_OBJECT_DOMAIN, .driverName = driverName,
                            .u.domain = def };

    return virAccessManagerDecide(mgr, NULL, &obj, perm, NULL, VIR_LOG_INFO);
}

char *
virAccessManagerDescribe(virAccessManager *mgr)
{
    virBuffer buf = VIR_BUFFER_INITIALIZER;
    size_t i;

    pthread_rwlock_rdlock(&mgr->lock);
    for (i = 0; i < mgr->stack->nentries; i++)
        virBufferAsprintf(&buf, "%s%s", i ? "," : "", mgr->stack->entries[i].driver->name);
    pthread_rwlock_unlock(&mgr->lock);
    return virBufferContentAndReset(&buf);
}
