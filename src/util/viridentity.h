/*
 * viridentity.h: who is asking.
 *
 * One identity is built per client from what authenticated it (TLS client
 * certificate DN, SASL user name, UNIX peer credentials) and never changes
 * after it is published: fill it in with the setters, then share it. It is
 * reference counted; every holder takes a reference.
 *
 * The dispatcher makes a client's identity the thread's *current identity*
 * for the duration of each call; access checks read it from there. A thread
 * with no current identity acts as the local process (virIdentityGetSystem).
 */
#ifndef TENVIRT_VIRIDENTITY_H
#define TENVIRT_VIRIDENTITY_H

#include <sys/types.h>
#include "internal.h"
#include "virbuffer.h"

typedef enum {
    VIR_IDENTITY_TRANSPORT_LOCAL = 0,   /* in-process connection */
    VIR_IDENTITY_TRANSPORT_UNIX,
    VIR_IDENTITY_TRANSPORT_TCP,
    VIR_IDENTITY_TRANSPORT_TLS,
    VIR_IDENTITY_TRANSPORT_LAST
} virIdentityTransport;

typedef struct _virIdentity virIdentity;

/* A new empty identity (transport local, no attributes), one reference. */
virIdentity *virIdentityNew(void);
/* A new, unshared identity with the same attributes as @src (for example
 * to derive a read-only identity from a client's). One reference. */
virIdentity *virIdentityCopy(const virIdentity *src);
/* Take / drop a reference. Unref of NULL is a no-op. Thread-safe. */
virIdentity *virIdentityRef(virIdentity *id);
void virIdentityUnref(virIdentity *id);

/* The local process: its uid, gid, pid, user and group names. Built once;
 * returns a new reference. */
virIdentity *virIdentityGetSystem(void);

/* The calling thread's current identity (borrowed: valid until the thread
 * changes it), or the system identity when none is set. Never NULL. */
const virIdentity *virIdentityGetCurrent(void);
/* Make @id (may be NULL) the thread's current identity; takes its own
 * reference and drops the previous one. */
void virIdentitySetCurrent(virIdentity *id);

/* Setters: only before the identity is shared. The DN is stored as given
 * and in normalised form (see virx509dn.h); a DN that does not parse keeps
 * no normalised form and so matches no DN rule. */
void virIdentitySetTransport(virIdentity *id, virIdentityTransport transport);
void virIdentitySetX509DName(virIdentity *id, const char *dn);
void virIdentitySetSASLUserName(virIdentity *id, const char *user);
void virIdentitySetUNIXUser(virIdentity *id, uid_t uid, const char *userName);
void virIdentitySetUNIXGroup(virIdentity *id, gid_t gid, const char *groupName);
/* Supplementary group names; the primary group is always included in matching. */
void virIdentityAddUNIXGroupName(virIdentity *id, const char *groupName);
void virIdentitySetProcessID(virIdentity *id, pid_t pid);
void virIdentitySetClientAddress(virIdentity *id, const char *addr);
void virIdentitySetReadOnly(virIdentity *id, bool readonly);
/* Fill user, group and supplementary group names from the password database. */
int virIdentityFillUNIXFromUID(virIdentity *id, uid_t uid, gid_t gid);

/* Getters: NULL / -1 / false when the attribute is absent. Strings are borrowed. */
virIdentityTransport virIdentityGetTransport(const virIdentity *id);
const char *virIdentityGetX509DName(const virIdentity *id);
const char *virIdentityGetX509DNameNormalized(const virIdentity *id);
const char *virIdentityGetSASLUserName(const virIdentity *id);
const char *virIdentityGetUNIXUserName(const virIdentity *id);
const char *virIdentityGetUNIXGroupName(const virIdentity *id);
/* NULL-terminated list of all group names (primary first); borrowed. */
char *const *virIdentityGetUNIXGroupNames(const virIdentity *id);
long long virIdentityGetUNIXUserID(const virIdentity *id);
long long virIdentityGetUNIXGroupID(const virIdentity *id);
long long virIdentityGetProcessID(const virIdentity *id);
const char *virIdentityGetClientAddress(const virIdentity *id);
bool virIdentityGetReadOnly(const virIdentity *id);

const char *virIdentityTransportTypeToString(virIdentityTransport t);
/* -1 if unknown. */
int virIdentityTransportTypeFromString(const char *s);

/* One-line description for logs: transport=tls dn="..." sasl=... uid=... */
void virIdentityFormat(const virIdentity *id, virBuffer *buf);

#endif /* TENVIRT_VIRIDENTITY_H */
