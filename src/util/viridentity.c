/*
 * viridentity.c: who is asking.
 */
#include <config.h>

#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "virstring.h"
#include "virx509dn.h"

#define VIR_FROM_THIS VIR_FROM_IDENTITY

struct _virIdentity {
    int refs;                       /* atomic */
    virIdentityTransport transport;
    char *x509dn;
    char *x509dnNormalized;
    char *saslUserName;
    long long uid;                  /* -1 when unknown */
    long long gid;
    long long pid;
    char *userName;
    char **groupNames;              /* NULL-terminated, primary group first if known */
    size_t ngroupNames;
    bool primaryGroupNamed;         /* groupNames[0] is the primary group */
    char *clientAddress;
    bool readonly;
};

static const char *const transportNames[VIR_IDENTITY_TRANSPORT_LAST] = {
    [VIR_IDENTITY_TRANSPORT_LOCAL] = "local",
    [VIR_IDENTITY_TRANSPORT_UNIX] = "unix",
    [VIR_IDENTITY_TRANSPORT_TCP] = "tcp",
    [VIR_IDENTITY_TRANSPORT_TLS] = "tls",
};

/* The current identity is read on every access check, so it lives in a
 * __thread variable; a pthread key with a destructor mirrors it only to drop
 * the reference when a thread exits with an identity still set. */
static __thread virIdentity *currentIdentity;
static pthread_key_t currentIdentityKey;
static pthread_once_t currentIdentityKeyOnce = PTHREAD_ONCE_INIT;
static virIdentity *systemIdentity;
static pthread_once_t systemIdentityOnce = PTHREAD_ONCE_INIT;

virIdentity *
virIdentityNew(void)
{
    virIdentity *id;

    VIR_ALLOC(id);
    id->refs = 1;
    id->uid = id->gid = id->pid = -1;
    VIR_ALLOC_N(id->groupNames, 1);
    return id;
}

virIdentity *
virIdentityCopy(const virIdentity *src)
{
    virIdentity *id = virIdentityNew();
    size_t i;

    id->transport = src->transport;
    id->x509dn = virStrdup(src->x509dn);
    id->x509dnNormalized = virStrdup(src->x509dnNormalized);
    id->saslUserName = virStrdup(src->saslUserName);
    id->uid = src->uid;
    id->gid = src->gid;
    id->pid = src->pid;
    id->userName = virStrdup(src->userName);
    virStringListFree(id->groupNames);
    VIR_ALLOC_N(id->groupNames, src->ngroupNames + 1);
    for (i = 0; i < src->ngroupNames; i++)
        id->groupNames[i] = virStrdup(src->groupNames[i]);
    id->ngroupNames = src->ngroupNames;
    id->primaryGroupNamed = src->primaryGroupNamed;
    id->clientAddress = virStrdup(src->clientAddress);
    id->readonly = src->readonly;
    return id;
}

virIdentity *
virIdentityRef(virIdentity *id)
{
    if (id)
        __atomic_add_fetch(&id->refs, 1, __ATOMIC_RELAXED);
    return id;
}

void
virIdentityUnref(virIdentity *id)
{
    if (!id || __atomic_sub_fetch(&id->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    free(id->x509dn);
    free(id->x509dnNormalized);
    free(id->saslUserName);
    free(id->userName);
    virStringListFree(id->groupNames);
    free(id->clientAddress);
    free(id);
}

static void
virIdentitySystemInit(void)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetProcessID(id, getpid());
    virIdentityFillUNIXFromUID(id, getuid(), getgid());
    systemIdentity = id;
}

/* The system identity lives for the whole process: it is the fallback of
 * every thread without a current identity. */
virIdentity *
virIdentityGetSystem(void)
{
    pthread_once(&systemIdentityOnce, virIdentitySystemInit);
    return virIdentityRef(systemIdentity);
}

const virIdentity *
virIdentityGetCurrent(void)
{
    if (currentIdentity)
        return currentIdentity;
    pthread_once(&systemIdentityOnce, virIdentitySystemInit);
    return systemIdentity;
}

static void
virIdentityThreadExit(void *opaque)
{
    virIdentityUnref(opaque);
    currentIdentity = NULL;
}

static void
virIdentityKeyInit(void)
{
    pthread_key_create(&currentIdentityKey, virIdentityThreadExit);
}

void
virIdentitySetCurrent(virIdentity *id)
{
    virIdentity *old = currentIdentity;

    pthread_once(&currentIdentityKeyOnce, virIdentityKeyInit);
    currentIdentity = virIdentityRef(id);
    pthread_setspecific(currentIdentityKey, currentIdentity);
    virIdentityUnref(old);
}

void
virIdentitySetTransport(virIdentity *id, virIdentityTransport transport)
{
    id->transport = transport;
}

void
virIdentitySetX509DName(virIdentity *id, const char *dn)
{
    char *err = NULL;

    free(id->x509dn);
    free(id->x509dnNormalized);
    id->x509dn = virStrdup(dn);
    id->x509dnNormalized = dn ? virX509DNNormalize(dn, &err) : NULL;
    free(err);
}

void
virIdentitySetSASLUserName(virIdentity *id, const char *user)
{
    free(id->saslUserName);
    id->saslUserName = virStrdup(user);
}

void
virIdentitySetUNIXUser(virIdentity *id, uid_t uid, const char *userName)
{
    id->uid = uid;
    free(id->userName);
    id->userName = virStrdup(userName);
}

void
virIdentitySetUNIXGroup(virIdentity *id, gid_t gid, const char *groupName)
{
    char **names;
    size_t i, n = 0;

    id->gid = gid;
    id->primaryGroupNamed = groupName != NULL;
    if (!groupName)
        return;
    /* The primary group goes first; drop it if it was listed already. */
    VIR_ALLOC_N(names, id->ngroupNames + 2);
    names[n++] = virStrdup(groupName);
    for (i = 0; i < id->ngroupNames; i++) {
        if (STREQ(id->groupNames[i], groupName))
            free(id->groupNames[i]);
        else
            names[n++] = id->groupNames[i];
    }
    free(id->groupNames);
    id->groupNames = names;
    id->ngroupNames = n;
}

void
virIdentityAddUNIXGroupName(virIdentity *id, const char *groupName)
{
    size_t i;

    for (i = 0; i < id->ngroupNames; i++) {
        if (STREQ(id->groupNames[i], groupName))
            return;
    }
    VIR_REALLOC_N(id->groupNames, id->ngroupNames + 2);
    id->groupNames[id->ngroupNames++] = virStrdup(groupName);
    id->groupNames[id->ngroupNames] = NULL;
}

void
virIdentitySetProcessID(virIdentity *id, pid_t pid)
{
    id->pid = pid;
}

void
virIdentitySetClientAddress(virIdentity *id, const char *addr)
{
    free(id->clientAddress);
    id->clientAddress = virStrdup(addr);
}

void
virIdentitySetReadOnly(virIdentity *id, bool readonly)
{
    id->readonly = readonly;
}

int
virIdentityFillUNIXFromUID(virIdentity *id, uid_t uid, gid_t gid)
{
    struct passwd pwbuf, *pw = NULL;
    struct group grbuf, *gr = NULL;
    char buf[16384];
    gid_t groups[256];
    int ngroups = G_N_ELEMENTS(groups);
    int i;

    if (getpwuid_r(uid, &pwbuf, buf, sizeof(buf), &pw) != 0 || !pw) {
        virIdentitySetUNIXUser(id, uid, NULL);
    } else {
        virIdentitySetUNIXUser(id, uid, pw->pw_name);
        if (getgrouplist(pw->pw_name, gid, groups, &ngroups) < 0)
            ngroups = 0;
        for (i = 0; i < ngroups; i++) {
            struct group gb, *g = NULL;
            char gbuf[16384];

            if (groups[i] != gid &&
                getgrgid_r(groups[i], &gb, gbuf, sizeof(gbuf), &g) == 0 && g)
                virIdentityAddUNIXGroupName(id, g->gr_name);
        }
    }
    if (getgrgid_r(gid, &grbuf, buf, sizeof(buf), &gr) != 0 || !gr)
        virIdentitySetUNIXGroup(id, gid, NULL);
    else
        virIdentitySetUNIXGroup(id, gid, gr->gr_name);
    return 0;
}

virIdentityTransport virIdentityGetTransport(const virIdentity *id) { return id->transport; }
const char *virIdentityGetX509DName(const virIdentity *id) { return id->x509dn; }
const char *virIdentityGetX509DNameNormalized(const virIdentity *id) { return id->x509dnNormalized; }
const char *virIdentityGetSASLUserName(const virIdentity *id) { return id->saslUserName; }
const char *virIdentityGetUNIXUserName(const virIdentity *id) { return id->userName; }
char *const *virIdentityGetUNIXGroupNames(const virIdentity *id) { return id->groupNames; }
long long virIdentityGetUNIXUserID(const virIdentity *id) { return id->uid; }
long long virIdentityGetUNIXGroupID(const virIdentity *id) { return id->gid; }
long long virIdentityGetProcessID(const virIdentity *id) { return id->pid; }
const char *virIdentityGetClientAddress(const virIdentity *id) { return id->clientAddress; }
bool virIdentityGetReadOnly(const virIdentity *id) { return id->readonly; }

const char *
virIdentityGetUNIXGroupName(const virIdentity *id)
{
    return id->primaryGroupNamed ? id->groupNames[0] : NULL;
}

const char *
virIdentityTransportTypeToString(virIdentityTransport t)
{
    return t < VIR_IDENTITY_TRANSPORT_LAST ? transportNames[t] : NULL;
}

int
virIdentityTransportTypeFromString(const char *s)
{
    size_t i;

    for (i = 0; i < VIR_IDENTITY_TRANSPORT_LAST; i++) {
        if (STREQ(transportNames[i], s))
            return i;
    }
    return -1;
}

void
virIdentityFormat(const virIdentity *id, virBuffer *buf)
{
    virBufferAsprintf(buf, "transport=%s",
                      NULLSTR(virIdentityTransportTypeToString(id->transport)));
    if (id->x509dn)
        virBufferAsprintf(buf, " dn=\"%s\"", id->x509dnNormalized ? id->x509dnNormalized : id->x509dn);
    if (id->saslUserName)
        virBufferAsprintf(buf, " sasl=\"%s\"", id->saslUserName);
    if (id->uid >= 0)
        virBufferAsprintf(buf, " uid=%lld", id->uid);
    if (id->userName)
        virBufferAsprintf(buf, " user=%s", id->userName);
    if (id->gid >= 0)
        virBufferAsprintf(buf, " gid=%lld", id->gid);
    if (id->pid >= 0)
        virBufferAsprintf(buf, " pid=%lld", id->pid);
    if (id->clientAddress)
        virBufferAsprintf(buf, " addr=%s", id->clientAddress);
    if (id->readonly)
        virBufferAddLit(buf, " readonly");
}
