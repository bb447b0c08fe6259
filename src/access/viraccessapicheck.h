/*
 * viraccessapicheck.h: the access check of every hypervisor-driver method,
 * generated from viraccessapi.def.
 *
 * EnsureACL functions return 0 when allowed, or -1 with an error reported:
 * VIR_ERR_ACCESS_DENIED "access denied: PERM", or for a domain the caller
 * may not see (no domain:getattr) the same VIR_ERR_NO_DOMAIN error as for a
 * missing domain. CheckACL functions return true to keep / find the object
 * and report nothing. All use the thread's current identity and the
 * process's default access manager.
 *
 * A search method filters its result with either CheckACL on each domain
 * or, cheaper for whole lists, a filter that decides once per list what it
 * can (viraccessfilter.h); both give the same answers and audit lines:
 *
 *   virAccessDomainFilter filter;
 *
 *   if (virConnectListAllDomainsEnsureACL(conn) < 0)
 *       return -1;
 *   virConnectListAllDomainsFilterBegin(conn, &filter);
 *   for (each domain)
 *       if (virAccessDomainFilterKeep(&filter, obj->def) && ...)
 *           ...
 *   virAccessDomainFilterEnd(&filter);
 */
#ifndef TENVIRT_VIRACCESSAPICHECK_H
#define TENVIRT_VIRACCESSAPICHECK_H

#include "internal.h"
#include "domain_conf.h"
#include "viraccessfilter.h"

#define VIR_ACCESS_API_NONE(Method, why)
#define VIR_ACCESS_API_CONNECT(Method, PERM) \
    int vir##Method##EnsureACL(virConnectPtr conn);
#define VIR_ACCESS_API_SEARCH(Method, CPERM, DPERM) \
    int vir##Method##EnsureACL(virConnectPtr conn); \
    bool vir##Method##CheckACL(virConnectPtr conn, const virDomainDef *def); \
    int vir##Method##FilterBegin(virConnectPtr conn, virAccessDomainFilter *filter);
#define VIR_ACCESS_API_LOOKUP(Method, DPERM) \
    bool vir##Method##CheckACL(virConnectPtr conn, const virDomainDef *def);
#define VIR_ACCESS_API_DOMAIN(Method, PERM) \
    int vir##Method##EnsureACL(virConnectPtr conn, const virDomainDef *def);
#define VIR_ACCESS_API_NEW_DOMAIN(Method, PERM1, PERM2) \
    int vir##Method##EnsureACL(virConnectPtr conn, const virDomainDef *def);
#define VIR_ACCESS_API_DOMAIN_FLAG(Method, PERM, FLAG, FLAGPERM) \
    int vir##Method##EnsureACL(virConnectPtr conn, const virDomainDef *def, unsigned int flags);
#include "viraccessapi.def"
#undef VIR_ACCESS_API_NONE
#undef VIR_ACCESS_API_CONNECT
#undef VIR_ACCESS_API_SEARCH
#undef VIR_ACCESS_API_LOOKUP
#undef VIR_ACCESS_API_DOMAIN
#undef VIR_ACCESS_API_NEW_DOMAIN
#undef VIR_ACCESS_API_DOMAIN_FLAG

/* Whether the caller may see the existing domain @def (domain:getattr),
 * for drivers that must not reveal a hidden domain in an error message,
 * e.g. a name or UUID clash on define. Reports nothing. */
bool virAccessDomainIsVisible(virConnectPtr conn, const virDomainDef *def);

/* Report that no domain with this UUID (and name) exists. Driver code uses
 * the same function for a missing domain, so hidden and missing are
 * indistinguishable. */
void virReportDomainNotFoundUUID(const unsigned char *uuid, const char *name);
void virReportDomainNotFoundName(const char *name);
void virReportDomainNotFoundID(int id);

#endif /* TENVIRT_VIRACCESSAPICHECK_H */
