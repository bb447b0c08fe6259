/*
 * viruuid.h: 128-bit UUIDs in raw and RFC 4122 string form.
 */
#ifndef TENVIRT_VIRUUID_H
#define TENVIRT_VIRUUID_H

#include "internal.h"

/* Fill @uuid (VIR_UUID_BUFLEN bytes) with a random version-4 UUID. 0 or -1 (error set). */
int virUUIDGenerate(unsigned char *uuid);
/* Parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (dashes optional, any case,
 * surrounding space allowed). 0 on success, -1 (no error set) if malformed. */
int virUUIDParse(const char *uuidstr, unsigned char *uuid);
/* Format into @buf of VIR_UUID_STRING_BUFLEN bytes, lower case; returns @buf. */
const char *virUUIDFormat(const unsigned char *uuid, char *buf);
/* True if @uuid is all zeros. */
bool virUUIDIsNull(const unsigned char *uuid);

#endif /* TENVIRT_VIRUUID_H */
