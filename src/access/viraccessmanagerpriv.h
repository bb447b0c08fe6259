/*
 * viraccessmanagerpriv.h: the inside of the access manager, shared with
 * the list filter (viraccessfilter.c). Nothing else includes this file.
 */
#ifndef TENVIRT_VIRACCESSMANAGERPRIV_H
#define TENVIRT_VIRACCESSMANAGERPRIV_H

#include "viraccessmanager.h"
#include "virlog.h"

typedef struct {
    const virAccessDriver *driver;
    void *priv;
} virAccessStackEntry;

/* One built stack of driver instances, immutable. Reference counted: the
 * manager holds one reference for the stack in force, and a list filter
 * holds one for the stack it started with, so a reload during a list
 * neither frees that stack nor changes the list's answers half-way. */
typedef struct _virAccessStack virAccessStack;
struct _virAccessStack {
    int refs;
    virAccessStackEntry *entries;
    size_t nentries;
    bool showDenied;
};

/* A new reference to the stack in force in @mgr. */
virAccessStack *virAccessManagerAcquireStack(virAccessManager *mgr);
/* Drop a reference; the last one frees the stack and its driver instances. */
void virAccessStackUnref(virAccessStack *stack);

/* Write one decision to the audit log at @prio, in the one format every
 * decision uses (see docs/acl.html, "The audit log"). Formats nothing
 * unless the line would be logged. */
void virAccessManagerAudit(virLogPriority prio, bool allowed, const virIdentity *id,
                           const virAccessObject *obj, virAccessPerm perm,
                           const char *driverName, const virAccessReason *why);
/* The audit log's source, for lines of other formats. */
extern virLogSource virAccessAuditLog;

#endif /* TENVIRT_VIRACCESSMANAGERPRIV_H */
