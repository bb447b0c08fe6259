/*
 * viraccessapicheck.c: the access check of every hypervisor-driver method,
 * generated from viraccessapi.def.
 */
#include <config.h>

#include "datatypes.h"
#include "viraccessapicheck.h"
#include "viraccessmanager.h"
#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_ACCESS

void
virReportDomainNotFoundUUID(const unsigned char *uuid, const char *name)
{
    char uuidstr[VIR_UUID_STRING_BUFLEN];

    if (name)
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                           "no domain with matching uuid '%s' (%s)",
                           virUUIDFormat(uuid, uuidstr), name);
    else
        virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                           "no domain with matching uuid '%s'", virUUIDFormat(uuid, uuidstr));
}

void
virReportDomainNotFoundName(const char *name)
{
    virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                       "no domain with matching name '%s'", name);
}

void
virReportDomainNotFoundID(int id)
{
    virReportErrorFull(VIR_FROM_DOMAIN, VIR_ERR_NO_DOMAIN, __FILE__, __func__, __LINE__,
                       "no domain with matching id %d", id);
}

static const char *
virAccessDriverNameOf(virConnectPtr conn)
{
    return conn && conn->driver ? conn->driver->name : NULL;
}

static int
virAccessEnsureConnect(virConnectPtr conn, virAccessPerm perm)
{
    virAccessManager *mgr = virAccessManagerGetDefault();

    if (virAccessManagerCheckConnect(mgr, virAccessDriverNameOf(conn), perm) > 0)
        return 0;
    virReportError(VIR_ERR_ACCESS_DENIED, "%s", virAccessPermToString(perm));
    return -1;
}

/* Visibility first (hidden = missing, for existing domains), then each
 * permission in turn. */
static int
virAccessEnsureDomain(virConnectPtr conn, const virDomainDef *def, bool existing,
                      const virAccessPerm *perms, size_t nperms)
{
    virAccessManager *mgr = virAccessManagerGetDefault();
    const char *driverName = virAccessDriverNameOf(conn);
    size_t i;

    if (virAccessManagerCheckDomain(mgr, driverName, def, VIR_ACCESS_PERM_DOMAIN_GETATTR) <= 0) {
        if (existing && virAccessManagerHidesDenied(mgr))
            virReportDomainNotFoundUUID(def->uuid, def->name);
        else
            virReportError(VIR_ERR_ACCESS_DENIED, "%s",
                           virAccessPermToString(VIR_ACCESS_PERM_DOMAIN_GETATTR));
        return -1;
    }
    for (i = 0; i < nperms; i++) {
        if (perms[i] == VIR_ACCESS_PERM_DOMAIN_GETATTR)
            continue;
        if (virAccessManagerCheckDomain(mgr, driverName, def, perms[i]) <= 0) {
            virReportError(VIR_ERR_ACCESS_DENIED, "%s", virAccessPermToString(perms[i]));
            return -1;
        }
    }
    return 0;
}

static bool
virAccessFilterDomain(virConnectPtr conn, const virDomainDef *def, virAccessPerm perm)
{
    return virAccessManagerFilterDomain(virAccessManagerGetDefault(),
                                        virAccessDriverNameOf(conn), def, perm) > 0;
}

bool
virAccessDomainIsVisible(virConnectPtr conn, const virDomainDef *def)
{
    return virAccessFilterDomain(conn, def, VIR_ACCESS_PERM_DOMAIN_GETATTR);
}

#define VIR_ACCESS_API_NONE(Method, why)
#define VIR_ACCESS_API_CONNECT(Method, PERM) \
    int vir##Method##EnsureACL(virConnectPtr conn) \
    { \
        return virAccessEnsureConnect(conn, VIR_ACCESS_PERM_##PERM); \
    }
#define VIR_ACCESS_API_SEARCH(Method, CPERM, DPERM) \
    int vir##Method##EnsureACL(virConnectPtr conn) \
    { \
        return virAccessEnsureConnect(conn, VIR_ACCESS_PERM_##CPERM); \
    } \
    bool vir##Method##CheckACL(virConnectPtr conn, const virDomainDef *def) \
    { \
        return virAccessFilterDomain(conn, def, VIR_ACCESS_PERM_##DPERM); \
    } \
    int vir##Method##FilterBegin(virConnectPtr conn, virAccessDomainFilter *filter) \
    { \
        return virAccessDomainFilterBegin(filter, virAccessManagerGetDefault(), NULL, \
                                          virAccessDriverNameOf(conn), \
                                          VIR_ACCESS_PERM_##DPERM); \
    }
#define VIR_ACCESS_API_LOOKUP(Method, DPERM) \
    bool vir##Method##CheckACL(virConnectPtr conn, const virDomainDef *def) \
    { \
        return virAccessFilterDomain(conn, def, VIR_ACCESS_PERM_##DPERM); \
    }
#define VIR_ACCESS_API_DOMAIN(Method, PERM) \
    int vir##Method##EnsureACL(virConnectPtr conn, const virDomainDef *def) \
    { \
        static const virAccessPerm perms[] = { VIR_ACCESS_PERM_##PERM }; \
        return virAccessEnsureDomain(conn, def, true, perms, G_N_ELEMENTS(perms)); \
    }
#define VIR_ACCESS_API_NEW_DOMAIN(Method, PERM1, PERM2) \
    int vir##Method##EnsureACL(virConnectPtr conn, const virDomainDef *def) \
    { \
        static const virAccessPerm perms[] = { VIR_ACCESS_PERM_##PERM1, VIR_ACCESS_PERM_##PERM2 }; \
        return virAccessEnsureDomain(conn, def, false, perms, G_N_ELEMENTS(perms)); \
    }
#define VIR_ACCESS_API_DOMAIN_FLAG(Method, PERM, FLAG, FLAGPERM) \
    int vir##Method##EnsureACL(virConnectPtr conn, const virDomainDef *def, unsigned int flags) \
    { \
        static const virAccessPerm perms[] = { VIR_ACCESS_PERM_##PERM, VIR_ACCESS_PERM_##FLAGPERM }; \
        return virAccessEnsureDomain(conn, def, true, perms, (flags & (FLAG)) ? 2 : 1); \
    }
#include "viraccessapi.def"
