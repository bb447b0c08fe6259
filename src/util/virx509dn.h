/*
 * virx509dn.h: X.509 Distinguished Names in a normalised form.
 *
 * Certificates and configuration files spell the same DN in many ways:
 *   "CN=customer1,O=Example ISP,C=GB"         (RFC 4514, most specific first)
 *   "C=GB, O=Example ISP, CN=customer1"       (the reverse order, with spaces)
 *   "/C=GB/O=Example ISP/CN=customer1"        (OpenSSL's slash form)
 *   "cn=customer1,o=Example ISP,c=GB"         (lower-case attribute names)
 * All of these normalise to one string, so policies compare DNs exactly.
 *
 * The normal form: attribute names upper case (with common aliases mapped,
 * e.g. EMAIL and E to EMAILADDRESS), white space around names, '=' and
 * separators removed, RDNs ordered by a fixed attribute rank (C, ST, L, O,
 * OU, CN, then others by name; equal names keep RFC 4514 relative order),
 * joined with ',' and values escaped as in RFC 4514. Values keep their case.
 */
#ifndef TENVIRT_VIRX509DN_H
#define TENVIRT_VIRX509DN_H

#include "internal.h"

typedef struct {
    char *name;     /* upper-case attribute name */
    char *value;    /* unescaped value */
} virX509DNAttr;

typedef struct {
    virX509DNAttr *attrs;   /* in normal order */
    size_t nattrs;
} virX509DN;

/* Parse @str in either form into @dn (normal order). Returns 0, or -1 with
 * a message in *@errmsg (caller frees) describing what is wrong. */
int virX509DNParse(const char *str, virX509DN *dn, char **errmsg);
void virX509DNClear(virX509DN *dn);
/* The normal-form string of @dn. Caller frees. */
char *virX509DNFormat(const virX509DN *dn);
/* Parse and format in one step; NULL (with *@errmsg set) if malformed. */
char *virX509DNNormalize(const char *str, char **errmsg);
/* True if the normalised @subject matches @pattern: same attribute names in
 * the same normal order, each value matched with fnmatch(3) against the
 * pattern's value (so "CN=cust-*,O=Example ISP" matches any cust- CN of that O). */
bool virX509DNMatch(const virX509DN *pattern, const virX509DN *subject);
/* True if any value of @dn contains glob characters (* ? [). */
bool virX509DNHasGlob(const virX509DN *dn);
/* Read back a normal-form string (from virX509DNFormat) without allocating:
 * names and unescaped values are copied into @buf and @attrs point into it.
 * Returns the number of attributes, or -1 if it is not in normal form or
 * does not fit into @buflen bytes / @maxattrs attributes. For hot paths
 * (policy evaluation); anything else uses virX509DNParse. */
int virX509DNSplitNormal(const char *normal, char *buf, size_t buflen,
                         virX509DNAttr *attrs, size_t maxattrs);

#endif /* TENVIRT_VIRX509DN_H */
