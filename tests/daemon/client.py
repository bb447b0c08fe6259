#!/usr/bin/python3
"""python3-libvirt 9.0 against tenvirtd (run by python_test.sh).

client.py URI TENANT_URI: every check below; prints one line per check
and exits 1 at the first failure. URI sees every domain of the test
node; TENANT_URI only cust1-*.
"""
import sys
import threading
import time

import libvirt


def check(cond, what):
    if not cond:
        print("FAIL: " + what)
        sys.exit(1)
    print("ok: " + what)


def expect_error(func, code, what):
    try:
        func()
    except libvirt.libvirtError as e:
        check(e.get_error_code() == code,
              "%s: error code %d (%s)" % (what, e.get_error_code(), e.get_error_message()))
        return e
    check(False, what + ": no error")
    return None


def main():
    uri, tenant_uri = sys.argv[1], sys.argv[2]

    # Events need the client's event loop, in a thread of its own.
    libvirt.virEventRegisterDefaultImpl()
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            libvirt.virEventRunDefaultImpl()

    threading.Thread(target=loop, daemon=True).start()

    conn = libvirt.open(uri)
    check(conn is not None, "open")
    check(conn.getURI() == uri, "getURI")
    check(conn.getType() == "TEST", "getType")
    check(conn.getLibVersion() > 0, "getLibVersion")
    check(conn.isSecure() == 0, "isSecure over plain TCP is 0")
    check(conn.getInfo()[0] == "x86_64", "getInfo model")

    doms = conn.listAllDomains(0)
    names = sorted(d.name() for d in doms)
    check(names == ["cust1-db", "cust1-web", "cust2-db", "cust2-web"], "listAllDomains")
    check(len(conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)) == 2,
          "listAllDomains(ACTIVE)")
    check(sorted(conn.listDefinedDomains()) == ["cust1-db", "cust2-db"], "listDefinedDomains")
    check(len(conn.listDomainsID()) == 2, "listDomainsID")

    web = conn.lookupByName("cust1-web")
    info = web.info()
    check(info[0] == libvirt.VIR_DOMAIN_RUNNING and info[1] == 1048576 and info[3] == 2,
          "info %r" % (info,))
    check(web.state() == [libvirt.VIR_DOMAIN_RUNNING, 1], "state %r" % (web.state(),))
    check(web.isActive() == 1 and web.isPersistent() == 1, "isActive/isPersistent")
    check(web.OSType() == "hvm", "OSType")
    check(web.maxMemory() == 1048576, "maxMemory")
    check(web.autostart() == 0, "autostart")
    check("<name>cust1-web</name>" in web.XMLDesc(0), "XMLDesc")

    # Events: register, cause one from a second connection, see it here.
    seen = []
    got = threading.Event()

    def lifecycle(c, dom, event, detail, opaque):
        seen.append((dom.name(), event, detail))
        got.set()

    cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lifecycle, None)
    check(cb >= 0, "domainEventRegisterAny")
    other = libvirt.open(uri)
    db = other.lookupByName("cust1-db")
    check(db.create() == 0, "create")
    check(db.ID() > 0, "create gave the domain an id")
    check(got.wait(20), "lifecycle event arrived")
    check(seen[0] == ("cust1-db", libvirt.VIR_DOMAIN_EVENT_STARTED,
                      libvirt.VIR_DOMAIN_EVENT_STARTED_BOOTED), "event %r" % (seen[0],))
    conn.domainEventDeregisterAny(cb)
    other.close()

    stats = conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE | libvirt.VIR_DOMAIN_STATS_BALLOON)
    by_name = {d.name(): s for d, s in stats}
    check(len(by_name) == 4, "getAllDomainStats count")
    check(by_name["cust1-db"]["state.state"] == libvirt.VIR_DOMAIN_RUNNING,
          "getAllDomainStats state")
    check(by_name["cust2-web"]["balloon.maximum"] == 1048576, "getAllDomainStats balloon")
    one = conn.domainListGetStats([web], libvirt.VIR_DOMAIN_STATS_VCPU)
    check(len(one) == 1 and one[0][1]["vcpu.current"] == 2, "domainListGetStats")

    expect_error(lambda: conn.lookupByName("nosuch"), libvirt.VIR_ERR_NO_DOMAIN,
                 "lookupByName of a missing domain")
    conn.close()

    # The tenant: only cust1-*; a foreign UUID is simply not there.
    tenant = libvirt.open(tenant_uri)
    check(sorted(d.name() for d in tenant.listAllDomains(0)) == ["cust1-db", "cust1-web"],
          "tenant listAllDomains")
    check(sorted(d.name() for d, s in tenant.getAllDomainStats(0)) == ["cust1-db", "cust1-web"],
          "tenant getAllDomainStats")
    e = expect_error(lambda: tenant.lookupByUUIDString("c2000000-0000-4000-8000-000000000001"),
                     libvirt.VIR_ERR_NO_DOMAIN, "tenant lookupByUUID of a foreign domain")
    check("cust2" not in e.get_error_message(), "the error names no foreign domain")
    tenant.close()
    stop.set()
    print("PASS")


if __name__ == "__main__":
    main()
