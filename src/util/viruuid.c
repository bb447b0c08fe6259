/*
 * viruuid.c: 128-bit UUIDs in raw and RFC 4122 string form.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "virerror.h"
#include "viruuid.h"

#define VIR_FROM_THIS VIR_FROM_NONE

int
virUUIDGenerate(unsigned char *uuid)
{
    size_t got = 0;

    while (got < VIR_UUID_BUFLEN) {
        ssize_t r = getrandom(uuid + got, VIR_UUID_BUFLEN - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            virReportSystemError(errno, "%s", "cannot read random bytes for a UUID");
            return -1;
        }
        got += r;
    }
    uuid[6] = (uuid[6] & 0x0F) | 0x40;  /* version 4 */
    uuid[8] = (uuid[8] & 0x3F) | 0x80;  /* RFC 4122 variant */
    return 0;
}

static int
virHexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int
virUUIDParse(const char *s, unsigned char *uuid)
{
    size_t i = 0;

    while (isspace((unsigned char)*s))
        s++;
    while (i < VIR_UUID_BUFLEN) {
        int hi, lo;

        if (*s == '-') {
            s++;
            continue;
        }
        if ((hi = virHexValue(s[0])) < 0 || (lo = virHexValue(s[1])) < 0)
            return -1;
        uuid[i++] = (hi << 4) | lo;
        s += 2;
    }
    while (isspace((unsigned char)*s))
        s++;
    return *s ? -1 : 0;
}

const char *
virUUIDFormat(const unsigned char *u, char *buf)
{
    snprintf(buf, VIR_UUID_STRING_BUFLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
             u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
    return buf;
}

bool
virUUIDIsNull(const unsigned char *uuid)
{
    size_t i;

    for (i = 0; i < VIR_UUID_BUFLEN; i++) {
        if (uuid[i])
            return false;
    }
    return true;
}
