#!/usr/bin/env python3
"""Static check: every hypervisor-driver method calls its own access check.

The table src/access/viraccessapi.def names, for each method of
virHypervisorDriver (src/driver.h), the check it needs. For each driver
source listed in DRIVERS, this finds the driver's method table
(".domainGetInfo = testDomainGetInfo,") and the body of each method, and
fails when a method
  - has no row in the table, or a row names no driver method;
  - does not call vir<Method>EnsureACL / vir<Method>CheckACL as its row says;
    a SEARCH method may filter its result either with vir<Method>CheckACL
    per domain or with the per-list filter: vir<Method>FilterBegin, then
    virAccessDomainFilterKeep and virAccessDomainFilterEnd (all three);
  - calls the check of another method (the wrong permission).

Run with --self-test to check the checker against bad examples.
"""
import os
import re
import sys

# Driver sources that enforce access. The remote (client) driver forwards
# to a daemon, which enforces; it is deliberately not listed.
DRIVERS = ["src/test/test_driver.c"]

ROW = re.compile(r"^VIR_ACCESS_API_(\w+)\((\w+)", re.M)
FIELD = re.compile(r"\(\*(\w+)\)\s*\(")
INIT = re.compile(r"\.(\w+)\s*=\s*(\w+)\s*,")
CALL = re.compile(r"\bvir(\w+?)(EnsureACL|CheckACL|FilterBegin)\s*\(")
FILTER_CALL = re.compile(r"\bvirAccessDomainFilter(Keep|End)\s*\(")

NEEDS = {
    "NONE": set(),
    "CONNECT": {"EnsureACL"},
    "SEARCH": {"EnsureACL", "CheckACL"},    # or FilterBegin for CheckACL: see missing_checks
    "LOOKUP": {"CheckACL"},
    "DOMAIN": {"EnsureACL"},
    "NEW_DOMAIN": {"EnsureACL"},
    "DOMAIN_FLAG": {"EnsureACL"},
}


def missing_checks(kind, method, present, body):
    """The checks a method of this row kind fails to call, as messages."""
    needs = set(NEEDS[kind])
    errors = []
    if kind == "SEARCH" and "CheckACL" not in present:
        needs.discard("CheckACL")
        if "FilterBegin" not in present:
            errors.append("does not call vir%sCheckACL or vir%sFilterBegin" % (method, method))
        else:
            used = set(FILTER_CALL.findall(body))
            for step in ("Keep", "End"):
                if step not in used:
                    errors.append("calls vir%sFilterBegin but not virAccessDomainFilter%s"
                                  % (method, step))
    for missing in sorted(needs - present):
        errors.insert(0, "does not call vir%s%s" % (method, missing))
    return errors


def method_of(field):
    return field[0].upper() + field[1:]


def load_table(text):
    table = {}
    for kind, method in ROW.findall(text):
        if kind not in NEEDS:
            raise SystemExit("viraccessapi.def: unknown row kind %s" % kind)
        table[method] = kind
    return table


def driver_fields(text):
    body = text[text.index("struct _virHypervisorDriver"):]
    body = body[:body.index("};")]
    return [f for f in FIELD.findall(body)]


def function_body(source, name):
    m = re.search(r"^%s\s*\([^;{]*\)\s*\{" % re.escape(name), source, re.M)
    if not m:
        return None
    depth = 0
    for i in range(m.end() - 1, len(source)):
        if source[i] == "{":
            depth += 1
        elif source[i] == "}":
            depth -= 1
            if depth == 0:
                return source[m.end():i]
    return None


def check_driver(path, source, table, fields):
    errors = []
    assigned = INIT.findall(source)
    if not assigned:
        errors.append("%s: no driver method table found" % path)
    for field, func in assigned:
        if field not in fields:
            continue  # "name" and other non-method members
        method = method_of(field)
        kind = table.get(method)
        if kind is None:
            errors.append("%s: %s: method %s has no row in viraccessapi.def" % (path, func, method))
            continue
        body = function_body(source, func)
        if body is None:
            errors.append("%s: cannot find the body of %s" % (path, func))
            continue
        calls = CALL.findall(body)
        present = {suffix for callee, suffix in calls if callee == method}
        for message in missing_checks(kind, method, present, body):
            errors.append("%s: %s %s" % (path, func, message))
        for callee, suffix in calls:
            if callee != method:
                errors.append("%s: %s calls vir%s%s, the check of another method"
                              % (path, func, callee, suffix))
    return errors


def check_tree(top):
    with open(os.path.join(top, "src/access/viraccessapi.def")) as f:
        table = load_table(f.read())
    with open(os.path.join(top, "src/driver.h")) as f:
        fields = driver_fields(f.read())
    errors = []
    methods = {method_of(f) for f in fields}
    for f in fields:
        if method_of(f) not in table:
            errors.append("src/driver.h: method %s has no row in viraccessapi.def" % f)
    for method in table:
        if method not in methods:
            errors.append("viraccessapi.def: %s is not a method of virHypervisorDriver" % method)
    checked = 0
    for path in DRIVERS:
        with open(os.path.join(top, path)) as f:
            errors += check_driver(path, f.read(), table, fields)
        checked += 1
    return errors, checked, len(fields)


SELF_TEST_DRIVER = """
static int
fakeDomainGetInfo(virDomainPtr dom, virDomainInfoPtr info)
{
    if (virDomainGetStateEnsureACL(dom->conn, def) < 0)
        return -1;
    return 0;
}

static int
fakeDomainDestroy(virDomainPtr dom)
{
    return 0;
}

static int
fakeDomainSuspend(virDomainPtr dom)
{
    if (virDomainSuspendEnsureACL(dom->conn, def) < 0)
        return -1;
    return 0;
}

static int
fakeConnectListAllDomains(virConnectPtr conn)
{
    virAccessDomainFilter filter;

    if (virConnectListAllDomainsEnsureACL(conn) < 0)
        return -1;
    virConnectListAllDomainsFilterBegin(conn, &filter);
    if (virAccessDomainFilterKeep(&filter, def))
        n++;
    virAccessDomainFilterEnd(&filter);
    return n;
}

static int
fakeConnectNumOfDomains(virConnectPtr conn)
{
    if (virConnectNumOfDomainsEnsureACL(conn) < 0)
        return -1;
    if (virConnectNumOfDomainsCheckACL(conn, def))
        n++;
    return n;
}

static int
fakeConnectListDomains(virConnectPtr conn)
{
    virAccessDomainFilter filter;

    if (virConnectListDomainsEnsureACL(conn) < 0)
        return -1;
    virConnectListDomainsFilterBegin(conn, &filter);
    virAccessDomainFilterEnd(&filter);
    return n;
}

static int
fakeConnectNumOfDefinedDomains(virConnectPtr conn)
{
    virAccessDomainFilter filter;

    if (virConnectNumOfDefinedDomainsEnsureACL(conn) < 0)
        return -1;
    virConnectListAllDomainsFilterBegin(conn, &filter);
    if (virAccessDomainFilterKeep(&filter, def))
        n++;
    virAccessDomainFilterEnd(&filter);
    return n;
}

static int
fakeConnectListDefinedDomains(virConnectPtr conn)
{
    if (virConnectListDefinedDomainsEnsureACL(conn) < 0)
        return -1;
    return n;
}

static virHypervisorDriver fakeDriver = {
    .name = "fake",
    .domainGetInfo = fakeDomainGetInfo,
    .domainDestroy = fakeDomainDestroy,
    .domainSuspend = fakeDomainSuspend,
    .connectListAllDomains = fakeConnectListAllDomains,
    .connectNumOfDomains = fakeConnectNumOfDomains,
    .connectListDomains = fakeConnectListDomains,
    .connectNumOfDefinedDomains = fakeConnectNumOfDefinedDomains,
    .connectListDefinedDomains = fakeConnectListDefinedDomains,
};
"""


def self_test():
    searches = ["ConnectListAllDomains", "ConnectNumOfDomains", "ConnectListDomains",
                "ConnectNumOfDefinedDomains", "ConnectListDefinedDomains"]
    table = {"DomainGetInfo": "DOMAIN", "DomainDestroy": "DOMAIN",
             "DomainSuspend": "DOMAIN", "DomainGetState": "DOMAIN"}
    table.update({m: "SEARCH" for m in searches})
    fields = ["domainGetInfo", "domainDestroy", "domainSuspend", "domainGetState"]
    fields += [m[0].lower() + m[1:] for m in searches]
    errors = check_driver("fake.c", SELF_TEST_DRIVER, table, fields)
    expected = [
        "fake.c: fakeDomainGetInfo does not call virDomainGetInfoEnsureACL",
        "fake.c: fakeDomainGetInfo calls virDomainGetStateEnsureACL, the check of another method",
        "fake.c: fakeDomainDestroy does not call virDomainDestroyEnsureACL",
        # fakeConnectListAllDomains (filter) and fakeConnectNumOfDomains
        # (CheckACL per domain) are both correct.
        "fake.c: fakeConnectListDomains calls virConnectListDomainsFilterBegin "
        "but not virAccessDomainFilterKeep",
        "fake.c: fakeConnectNumOfDefinedDomains does not call "
        "virConnectNumOfDefinedDomainsCheckACL or virConnectNumOfDefinedDomainsFilterBegin",
        "fake.c: fakeConnectNumOfDefinedDomains calls virConnectListAllDomainsFilterBegin, "
        "the check of another method",
        "fake.c: fakeConnectListDefinedDomains does not call "
        "virConnectListDefinedDomainsCheckACL or virConnectListDefinedDomainsFilterBegin",
    ]
    if errors != expected:
        print("self-test FAILED:\n  got %r\n  want %r" % (errors, expected))
        return 1
    print("self-test: the checker reports missing and wrong checks, and accepts both ways of filtering lists")
    return 0


def main():
    top = os.environ.get("abs_top_srcdir") or os.path.join(os.path.dirname(__file__), "..", "..")
    if self_test() != 0:
        return 1
    if "--self-test" in sys.argv:
        return 0
    errors, ndrivers, nmethods = check_tree(top)
    for e in errors:
        print("FAIL: " + e)
    if errors:
        return 1
    print("ok: %d driver(s), %d methods, every method calls its own access check"
          % (ndrivers, nmethods))
    return 0


if __name__ == "__main__":
    sys.exit(main())
