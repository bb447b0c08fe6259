/*
 * viraccessdriver.c: calling an access driver's hook for an object.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "viraccessdriver.h"

VIR_STATIC_ASSERT(VIR_ACCESS_OBJECT_LAST == 2,
                  "a new object type needs its hook in virAccessDriver and a case below");

int
virAccessDriverCheck(const virAccessDriver *drv, void *priv,
                     const virIdentity *id, const virAccessObject *obj,
                     virAccessPerm perm, virAccessReason *why)
{
    switch (obj->type) {
    case VIR_ACCESS_OBJECT_CONNECT:
        if (drv->checkConnect)
            return drv->checkConnect(priv, id, obj->driverName, perm, why);
        break;
    case VIR_ACCESS_OBJECT_DOMAIN:
        if (drv->checkDomain)
            return drv->checkDomain(priv, id, obj->driverName, obj->u.domain, perm, why);
        break;
    case VIR_ACCESS_OBJECT_LAST:
        break;
    }
    virAccessReasonSet(why, "driver has no check for %s objects",
                       NULLSTR(virAccessObjectTypeToString(obj->type)));
    return 0;
}

void
virAccessReasonSet(virAccessReason *why, const char *fmt, ...)
{
    va_list ap;

    if (!why)
        return;
    va_start(ap, fmt);
    vsnprintf(why->text, sizeof(why->text), fmt, ap);
    va_end(ap);
}
