/*
 * viraccessfilter.h: filtering a list of domains by one permission,
 * deciding once per list what can be decided once.
 *
 * Lists and counts (virConnectListAllDomains and friends) ask the same
 * question (this identity, this permission) about every domain. Begin asks
 * each driver of the stack once, through its optional prepareDomainList
 * hook (viraccessdriver.h), and combines the answers with the stacking
 * rule of viraccessmanager.h:
 *   - any driver denies every domain (or fails): the list is empty;
 *   - every driver allows every domain: every domain is kept;
 *   - otherwise each domain is asked of the drivers that need it, and
 *     only of those (a driver without the hook always needs it).
 * Keep then costs a few instructions for a whole-list decision. The
 * answers are exactly those of virAccessManagerFilterDomain for each
 * domain; errors deny (fail closed).
 *
 * The filter holds the identity and the driver stack it began with: a
 * reload during the list changes nothing for it, and the new policy
 * applies from the next list on.
 *
 * Audit: per-domain decisions are logged as by virAccessManagerFilterDomain
 * (info); End logs one line for the list with its decision and counts
 * (info; warning if an error emptied the list). See docs/acl.html.
 *
 *   virAccessDomainFilter filter;
 *
 *   virAccessDomainFilterBegin(&filter, mgr, NULL, "test", VIR_ACCESS_PERM_DOMAIN_GETATTR);
 *   for (each domain)
 *       if (virAccessDomainFilterKeep(&filter, def))
 *           ...
 *   virAccessDomainFilterEnd(&filter);
 *
 * Driver entry points use the generated vir<Method>FilterBegin of
 * viraccessapicheck.h instead of calling Begin directly. A filter is used
 * by one thread.
 */
#ifndef TENVIRT_VIRACCESSFILTER_H
#define TENVIRT_VIRACCESSFILTER_H

#include "internal.h"
#include "viraccessmanager.h"

typedef struct _virAccessDomainFilter virAccessDomainFilter;
typedef struct _virAccessDomainFilterStep virAccessDomainFilterStep;

/* On the caller's stack. Private: use only the functions below. */
struct _virAccessDomainFilter {
    virAccessListDecision decision;
    size_t kept;
    size_t dropped;
    struct _virAccessStack *stack;      /* a reference; NULL before Begin, after End */
    virIdentity *id;                    /* a reference */
    const char *driverName;             /* borrowed: the hypervisor driver's static name */
    virAccessPerm perm;
    virAccessDomainFilterStep *steps;   /* the drivers asked per domain, in stack order */
    size_t nsteps;
    bool auditEach;                     /* per-domain lines would be logged */
    bool failed;                        /* an error decided the whole list */
    const char *decider;                /* driver of the whole-list decision */
    virAccessReason reason;             /* and its reason */
};

/* Start filtering for @id (NULL: the thread's current identity) and domain
 * permission @perm with @mgr's current stack. Returns 0, or -1 with an
 * error reported if @perm is not a domain permission; the filter is then
 * already ended (logged, and it drops everything). Errors of drivers are
 * not errors of Begin: they empty the list (logged). After a successful
 * Begin, call End. */
int virAccessDomainFilterBegin(virAccessDomainFilter *filter, virAccessManager *mgr,
                               const virIdentity *id, const char *driverName,
                               virAccessPerm perm);

/* Slow path of virAccessDomainFilterKeep: ask the per-domain drivers. */
bool virAccessDomainFilterKeepEach(virAccessDomainFilter *filter, const virDomainDef *def);

/* Whether @def stays in the list. A NULL @def never does. */
static inline bool
virAccessDomainFilterKeep(virAccessDomainFilter *filter, const virDomainDef *def)
{
    if (filter->decision == VIR_ACCESS_LIST_ALLOW_ALL && def) {
        filter->kept++;
        return true;
    }
    if (filter->decision != VIR_ACCESS_LIST_PER_DOMAIN || !def) {
        filter->dropped++;
        return false;
    }
    return virAccessDomainFilterKeepEach(filter, def);
}

/* Audit the list and release what Begin took. Safe after a failed Begin
 * and a second time; the filter then drops everything. */
void virAccessDomainFilterEnd(virAccessDomainFilter *filter);

#endif /* TENVIRT_VIRACCESSFILTER_H */
