/*
 * datatypes.h: the public API's connection and domain handles.
 */
#ifndef TENVIRT_DATATYPES_H
#define TENVIRT_DATATYPES_H

#include "internal.h"
#include "driver.h"
#include "virthread.h"
#include "viruri.h"

struct _virConnect {
    int refs;                           /* atomic */
    const virHypervisorDriver *driver;
    void *privateData;                  /* the driver's, for this connection */
    virURI *uri;                        /* parsed name the connection was opened with */
    char *uriString;                    /* canonical form, for virConnectGetURI */
    unsigned int flags;                 /* VIR_CONNECT_RO */
};

struct _virDomain {
    int refs;                           /* atomic */
    virConnectPtr conn;                 /* holds a reference */
    char *name;                         /* points into nameStorage */
    unsigned char uuid[VIR_UUID_BUFLEN];
    int id;                             /* -1 when inactive */
    /* The name lives in the handle's own allocation: lists create
     * thousands of handles, and one allocation each halves the work. */
    char nameStorage[];
};

/* A new handle for a domain (takes a reference on @conn). */
virDomainPtr virGetDomain(virConnectPtr conn, const char *name,
                          const unsigned char *uuid, int id);
/* A new connection with one reference and no driver yet. */
virConnectPtr virGetConnect(void);

#endif /* TENVIRT_DATATYPES_H */
