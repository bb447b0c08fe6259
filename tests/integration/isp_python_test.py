#!/usr/bin/python3
"""The ISP access matrix (examples/isp) through python3-libvirt 9.0 against
a real tenvirtd over TLS: each customer sees and drives only their own
domains, another tenant's domain looks exactly like a missing one (same
error code, domain and message), the deny rule gives "access denied", the
admin sees everything, read-only connections change nothing, statistics and
lifecycle events are filtered, a hostile client naming another tenant's
domain on the wire fares no better, and an unknown certificate cannot
connect."""

import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itlib  # noqa: E402

itlib.use_system_python()

try:
    import libvirt
except ImportError:
    print("SKIP: no python3-libvirt for %s" % sys.executable)
    sys.exit(itlib.SKIP)

# Errors are checked through the exceptions; keep stderr quiet.
libvirt.registerErrorHandler(lambda ctx, err: None, None)

VIR_ERR_NO_DOMAIN = 42
VIR_ERR_ACCESS_DENIED = 88
VIR_FROM_ACCESS = 55
VIR_ERR_OPERATION_DENIED = 29

ALL = {"cust1-web": 5, "cust1-db": 1, "cust2-shop": 1, "cust2-mail": 5, "isp-monitor": 5}


def error_of(fn, *args):
    """(code, domain, message) of the libvirtError fn(*args) raises, or None."""
    try:
        fn(*args)
    except libvirt.libvirtError as e:
        return (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    return None


def run_event_loop():
    while True:
        libvirt.virEventRunDefaultImpl()


def raw_dom(name, uuid_str, id=-1):
    """remote_nonnull_domain: name, 16 UUID bytes, id."""
    import uuid
    return itlib.xdr_string(name) + uuid.UUID(uuid_str).bytes + itlib.xdr_i32(id)


def states(conn):
    return {d.name(): d.state()[0] for d in conn.listAllDomains(0)}


def main(t):
    # An event loop for the callbacks (and keepalive), before any open.
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=run_event_loop, daemon=True).start()
    t.make_pki()
    t.write_isp_conf()
    t.start_daemon()
    c1 = libvirt.open(t.tls_uri("customer1"))
    c2 = libvirt.open(t.tls_uri("customer2"))
    admin = libvirt.open(t.tls_uri("admin"))
    t.ok("customer1, customer2 and admin connect with their certificates")
    t.check_eq(c1.isSecure(), 1, "customer1's TLS connection isSecure()")

    # ---- lists -------------------------------------------------------------
    t.check_eq(states(c1), {"cust1-web": 5, "cust1-db": 1}, "customer1 listAllDomains (name: state)")
    t.check_eq(states(c2), {"cust2-shop": 1, "cust2-mail": 5}, "customer2 listAllDomains")
    t.check_eq(states(admin), ALL, "admin listAllDomains")
    t.check_eq((c1.numOfDomains(), c1.numOfDefinedDomains()), (1, 1),
               "customer1 numOfDomains, numOfDefinedDomains")
    t.check_eq(sorted(c1.listDefinedDomains()), ["cust1-web"], "customer1 listDefinedDomains")
    t.check_eq(len(c1.listDomainsID()), 1, "customer1 listDomainsID has one id")
    t.check_eq(c1.lookupByID(c1.listDomainsID()[0]).name(), "cust1-db",
               "customer1's one running id is cust1-db")
    t.check_eq(sorted(admin.listDefinedDomains()), ["cust1-web", "cust2-mail", "isp-monitor"],
               "admin listDefinedDomains")

    # ---- own domain: info works ---------------------------------------------
    web = c1.lookupByName("cust1-web")
    t.check_eq(web.UUIDString(), "1b2c3d4e-0001-4000-8000-000000000001", "cust1-web UUID")
    info = web.info()
    t.check_eq((info[0], info[1], info[3]), (5, 2097152, 2),
               "customer1 cust1-web info() state, maxMem KiB, vcpus")
    t.check_eq(web.OSType(), "hvm", "cust1-web OSType()")
    t.check("<name>cust1-web</name>" in web.XMLDesc(0), "customer1 reads cust1-web's XMLDesc")

    # ---- another tenant's domain looks missing -------------------------------
    shop_id = admin.lookupByName("cust2-shop").ID()
    pairs = [
        ("lookupByName", c1.lookupByName, "cust2-shop", "no-such-domain"),
        ("lookupByName", c1.lookupByName, "isp-monitor", "no-such-domain"),
        ("lookupByUUIDString", c1.lookupByUUIDString, "2b2c3d4e-0002-4000-8000-000000000001",
         "2b2c3d4e-0002-4000-8000-0000000000ff"),
        ("lookupByID", c1.lookupByID, shop_id, 99),
        ("lookupByName", c2.lookupByName, "cust1-db", "no-such-domain"),
    ]
    for what, fn, hidden, missing in pairs:
        eh = error_of(fn, hidden)
        em = error_of(fn, missing)
        t.check(eh is not None and eh[0] == VIR_ERR_NO_DOMAIN,
                "%s(%r) fails with VIR_ERR_NO_DOMAIN" % (what, hidden), eh)
        norm = (eh[0], eh[1], eh[2].replace(str(hidden), "<X>"))
        t.check_eq(norm, (em[0], em[1], em[2].replace(str(missing), "<X>")),
                   "%s(%r) fails exactly like %s(%r) (code, domain, message)"
                   % (what, hidden, what, missing))
    shop_as_admin = admin.lookupByName("cust2-shop")
    e = error_of(lambda: c1.lookupByUUID(shop_as_admin.UUID()))
    t.check(e is not None and e[0] == VIR_ERR_NO_DOMAIN, "lookupByUUID(raw bytes) of cust2-shop: missing", e)

    # ---- start / shutdown / destroy of own domain ----------------------------
    web.create()
    t.check_eq(web.state()[0], libvirt.VIR_DOMAIN_RUNNING, "customer1 create() cust1-web: running")
    t.check_eq(admin.lookupByName("cust1-web").state()[0], libvirt.VIR_DOMAIN_RUNNING,
               "the admin sees cust1-web running")
    web.shutdown()
    t.check(itlib_wait(lambda: web.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF),
            "customer1 shutdown() cust1-web: shut off")
    web.create()
    web.destroy()
    t.check_eq(web.state()[0], libvirt.VIR_DOMAIN_SHUTOFF, "customer1 create()+destroy() cust1-web: shut off")

    db = c1.lookupByName("cust1-db")
    t.check_eq(error_of(db.destroy),
               (VIR_ERR_ACCESS_DENIED, VIR_FROM_ACCESS, "access denied: domain:stop"),
               "customer1 destroy() cust1-db (the deny rule)")
    t.check_eq(admin.lookupByName("cust1-db").state()[0], libvirt.VIR_DOMAIN_RUNNING,
               "cust1-db still running")
    db.suspend()
    t.check_eq(db.state()[0], libvirt.VIR_DOMAIN_PAUSED, "customer1 suspend() cust1-db")
    db.resume()
    t.check_eq(db.state()[0], libvirt.VIR_DOMAIN_RUNNING, "customer1 resume() cust1-db")

    mail = c2.lookupByName("cust2-mail")
    mail.create()
    mail.destroy()
    t.ok("customer2 create() and destroy() cust2-mail")

    # The admin: everything.
    mon = admin.lookupByName("isp-monitor")
    mon.create()
    t.check_eq(mon.state()[0], libvirt.VIR_DOMAIN_RUNNING, "admin create() isp-monitor")
    mon.destroy()
    t.check_eq(mon.state()[0], libvirt.VIR_DOMAIN_SHUTOFF, "admin destroy() isp-monitor")

    # ---- read-only ------------------------------------------------------------
    ro = libvirt.openReadOnly(t.tls_uri("customer1"))
    t.check_eq(sorted(states(ro)), ["cust1-db", "cust1-web"], "customer1 read-only listAllDomains")
    e = error_of(ro.lookupByName("cust1-web").create)
    t.check(e is not None and e[0] == VIR_ERR_OPERATION_DENIED,
            "read-only create() of cust1-web refused (operation forbidden)", e)
    ro_admin = libvirt.openReadOnly(t.tls_uri("admin"))
    e = error_of(ro_admin.lookupByName("isp-monitor").create)
    t.check(e is not None, "admin read-only create() of isp-monitor refused", e)
    t.check_eq(states(admin), ALL, "no domain state changed")
    ro.close()
    ro_admin.close()

    # ---- statistics: only their own domains --------------------------------------
    st = c1.getAllDomainStats()
    t.check_eq(sorted(d.name() for d, _ in st), ["cust1-db", "cust1-web"],
               "customer1 getAllDomainStats() domains")
    t.check_eq(sorted(s["state.state"] for _, s in st), [1, 5], "customer1 stats state.state")
    st = c2.getAllDomainStats()
    t.check_eq(sorted(d.name() for d, _ in st), ["cust2-mail", "cust2-shop"],
               "customer2 getAllDomainStats() domains")
    t.check_eq(sorted(d.name() for d, _ in admin.getAllDomainStats()), sorted(ALL),
               "admin getAllDomainStats() domains")
    st = c1.domainListGetStats([c1.lookupByName("cust1-web")])
    t.check_eq([d.name() for d, _ in st], ["cust1-web"], "customer1 domainListGetStats([cust1-web])")

    # ---- the server side, without libvirt's client checks ----------------------
    # libvirt refuses read-only writes and foreign handles in the client
    # library; a hostile client skips that. A raw TLS client with
    # customer1's certificate sends calls naming cust2-shop by its real
    # name and UUID: each must fail exactly as for a domain that does not
    # exist.
    raw = itlib.RawClient(tls_port=t.tls_port, pki=t.pki("customer1"))
    raw.open("test://" + itlib.ISP_NODE)
    t.ok("raw TLS client opened as customer1")
    hidden = ("cust2-shop", "2b2c3d4e-0002-4000-8000-000000000001")
    missing = ("no-such-domain", "2b2c3d4e-0002-4000-8000-0000000000ff")
    calls = [("DOMAIN_GET_INFO", 16, lambda d: d), ("DOMAIN_GET_XML_DESC", 14, lambda d: d + itlib.xdr_u32(0)),
             ("DOMAIN_CREATE", 9, lambda d: d), ("DOMAIN_DESTROY", 12, lambda d: d),
             ("DOMAIN_SUSPEND", 34, lambda d: d),
             ("CONNECT_GET_ALL_DOMAIN_STATS", 344,
              lambda d: itlib.xdr_u32(1) + d + itlib.xdr_u32(0) + itlib.xdr_u32(0))]
    for name, proc, args in calls:
        out = []
        for dname, duuid in (hidden, missing):
            r = raw.call(proc, args(raw_dom(dname, duuid)))
            text = (r.message or "").replace(dname, "<N>").replace(duuid, "<U>")
            out.append((r.status, r.code, r.domain, text, r.payload if r.status == 0 else None))
        t.check_eq(out[0], out[1], "raw %s naming cust2-shop answers exactly as for a missing domain"
                   % name)
        if proc != 344:
            t.check_eq(out[0][1], VIR_ERR_NO_DOMAIN, "raw %s naming cust2-shop: code" % name)
    raw.close()
    t.check_eq(states(admin), ALL, "no domain state changed by the raw calls")

    # A read-only connection (CONNECT_OPEN flags=1) that still sends writes.
    raw = itlib.RawClient(tls_port=t.tls_port, pki=t.pki("admin"))
    raw.open("test://" + itlib.ISP_NODE, flags=1)
    for name, proc, dom in (("DOMAIN_CREATE", 9, ("isp-monitor", "9b2c3d4e-0009-4000-8000-000000000001")),
                            ("DOMAIN_DESTROY", 12, ("cust1-db", "1b2c3d4e-0001-4000-8000-000000000002"))):
        r = raw.call(proc, raw_dom(*dom))
        t.check(r.status == 1 and r.code in (VIR_ERR_OPERATION_DENIED, VIR_ERR_ACCESS_DENIED),
                "raw read-only admin %s %s refused by the daemon: %s" % (name, dom[0], r.message), r)
    r = raw.call(16, raw_dom("isp-monitor", "9b2c3d4e-0009-4000-8000-000000000001"))
    t.check_eq(r.status, 0, "raw read-only admin DOMAIN_GET_INFO isp-monitor works")
    raw.close()
    t.check_eq(states(admin), ALL, "no domain state changed by the read-only raw calls")

    # ---- events: customer1 hears only its own domains ---------------------------------
    # Registration is a synchronous call: everything after it is delivered.
    ev1 = libvirt.open(t.tls_uri("customer1"))
    heard = []
    cid = ev1.domainEventRegisterAny(
        None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        lambda conn, dom, event, detail, opaque: heard.append((dom.name(), event, detail)), None)
    for name, op in (("cust2-mail", "create"), ("cust1-web", "create"), ("isp-monitor", "create"),
                     ("cust2-mail", "destroy"), ("isp-monitor", "destroy"),
                     ("cust1-web", "destroy"), ("cust2-shop", "suspend"), ("cust2-shop", "resume"),
                     ("cust1-db", "suspend"), ("cust1-db", "resume")):
        getattr(admin.lookupByName(name), op)()
    t.ok("admin started/stopped cust2-mail, cust1-web, isp-monitor, paused/resumed cust2-shop, cust1-db")
    E = libvirt
    want = [("cust1-web", E.VIR_DOMAIN_EVENT_STARTED, E.VIR_DOMAIN_EVENT_STARTED_BOOTED),
            ("cust1-web", E.VIR_DOMAIN_EVENT_STOPPED, E.VIR_DOMAIN_EVENT_STOPPED_DESTROYED),
            ("cust1-db", E.VIR_DOMAIN_EVENT_SUSPENDED, E.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED),
            ("cust1-db", E.VIR_DOMAIN_EVENT_RESUMED, E.VIR_DOMAIN_EVENT_RESUMED_UNPAUSED)]
    itlib_wait(lambda: len(heard) >= len(want), 60)
    t.check_eq(heard, want, "customer1's lifecycle callback heard exactly (domain, event, detail)")
    ev1.domainEventDeregisterAny(cid)
    ev1.close()
    t.check_eq(states(admin), ALL, "every domain back in its initial state")

    # ---- an unknown certificate cannot connect ------------------------------------
    e = error_of(libvirt.open, t.tls_uri("stranger"))
    t.check(e is not None, "stranger's open() fails")
    t.check("Unable to read TLS confirmation" in e[2],
            "stranger's open() error: %s" % e[2], e)
    e = error_of(libvirt.openReadOnly, t.tls_uri("stranger"))
    t.check(e is not None, "stranger's openReadOnly() fails too", e)

    for c in (c1, c2, admin):
        c.close()
    t.check(t.daemon_alive(), "tenvirtd still running")
    t.stop_daemon()
    t.ok("tenvirtd stopped cleanly on SIGTERM")


def itlib_wait(cond, timeout=30):
    import time
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


if __name__ == "__main__":
    itlib.Test(os.path.basename(__file__)).run(main)
