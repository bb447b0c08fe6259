#!/usr/bin/python3
"""Robustness of tenvirtd against malformed and hostile traffic, with raw
sockets (no libvirt): oversized and undersized length words, unknown
program / version / procedure, truncated and garbage XDR arguments, garbage
instead of a TLS handshake, disconnects in the middle of a message or a
call, pipelined and concurrent calls, and more clients than max_clients. Each gets the error reply the
wire spec documents (code 39 VIR_ERR_RPC, domain 7 VIR_FROM_RPC, the
documented message) or is dropped; meanwhile a well-behaved client (stock
virsh, and a python3-libvirt connection held open throughout) keeps
working, the daemon keeps running and no domain changes state."""

import os
import socket
import ssl
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itlib  # noqa: E402
from itlib import RawClient, message, xdr_u32, xdr_i32, xdr_opt_string  # noqa: E402

itlib.use_system_python()

try:
    import libvirt
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
except ImportError:
    libvirt = None

VIR_ERR_RPC = 39
VIR_FROM_RPC = 7
MAX_CLIENTS = 10
REMOTE = itlib.REMOTE_PROGRAM


def main(t):
    t.make_pki()
    policy_extra = ("allow transport=tcp perms=connect:getattr,connect:read,"
                    "connect:search_domains,domain:getattr,domain:read\n")
    t.write_isp_conf('listen_tcp = 1\nauth_tcp = "none"\nmax_clients = %d\n' % MAX_CLIENTS)
    with open(t.policy, "a") as f:
        f.write(policy_extra)
    # listen_tcp was set twice: keep the last (ours).
    with open(t.conf) as f:
        text = f.read().replace("listen_tcp = 0\n", "", 1)
    with open(t.conf, "w") as f:
        f.write(text)
    t.start_daemon()
    t.check(t.tcp_port and t.tls_port, "daemon listens on tcp %s and tls %s" % (t.tcp_port, t.tls_port))

    node_uri = "test://" + itlib.ISP_NODE

    def admin_states():
        rc, out, err = t.virsh(t.tls_uri("admin"), "list", "--all")
        if rc != 0:
            t.fail("admin list failed (%d): %s" % (rc, err))
        return sorted(" ".join(l.split()[1:]) for l in out.splitlines()[2:] if l.strip())

    baseline = admin_states()
    t.check_eq(len(baseline), 5, "baseline: the admin lists 5 domains")

    held = None
    if libvirt:
        held = libvirt.open(t.tls_uri("customer1"))
        t.check_eq(sorted(d.name() for d in held.listAllDomains(0)), ["cust1-db", "cust1-web"],
                   "python3-libvirt connection of customer1 opened, held for the whole test")

    def well_behaved(after):
        t.check(t.daemon_alive(), "tenvirtd still running after %s" % after)
        rc, out, err = t.virsh(t.tls_uri("customer1"), "list", "--all", "--name")
        names = sorted(l for l in out.split() if l)
        if rc != 0 or names != ["cust1-db", "cust1-web"]:
            t.fail("virsh as customer1 after %s: rc %d, out %r, err %r" % (after, rc, out, err))
        if held is not None:
            try:
                names = sorted(d.name() for d in held.listAllDomains(0))
            except libvirt.libvirtError as e:
                t.fail("the held python3-libvirt connection broke after %s: %s" % (after, e))
            if names != ["cust1-db", "cust1-web"]:
                t.fail("held connection lists %r after %s" % (names, after))
        t.ok("a well-behaved client still works after %s" % after)

    def tcp():
        return RawClient(tcp_port=t.tcp_port)

    def expect_dropped(c, what):
        t.check(c.is_closed(wait=30), "%s: the daemon closes the connection" % what)
        c.close()

    def expect_rpc_error(r, message, what, exact=True):
        ok = (r.type == itlib.REPLY and r.status == itlib.ERROR and r.code == VIR_ERR_RPC
              and r.domain == VIR_FROM_RPC
              and (r.message == message if exact else message.lower() in (r.message or "").lower()))
        t.check(ok, "%s: ERROR reply code 39 domain 7 %r" % (what, r.message if ok else message), r)

    def still_usable(c, what):
        r = c.call(itlib.PROC_AUTH_LIST)
        t.check(r.status == itlib.OK and r.payload == xdr_u32(1) + xdr_u32(0),
                "%s: the same connection still answers AUTH_LIST ([none])" % what, r)

    # ---- length word --------------------------------------------------------------
    for length, what in ((0x7fffffff, "length word 0x7fffffff"),
                         (33554432 + 4 + 1, "length word 32 MiB + 5 (one byte over the limit)"),
                         (0xffffffff, "length word 0xffffffff")):
        c = tcp()
        c.send(struct.pack(">I", length) + message(itlib.PROC_AUTH_LIST, 0)[4:])
        expect_dropped(c, what)
    for length in (27, 4, 0):
        c = tcp()
        c.send(struct.pack(">I", length) + b"\0" * 24)
        expect_dropped(c, "length word %d (< 28)" % length)
    # The largest message allowed: len - 4 = 32 MiB exactly. Accepted, and
    # answered (an unknown procedure, so nothing is decoded).
    c = tcp()
    big = 33554432 + 4
    c.send(struct.pack(">IIIiiIi", big, REMOTE, 1, 9999, itlib.CALL, 5, itlib.OK))
    c.send(b"\0" * (big - 28))
    r = c.recv()
    expect_rpc_error(r, "unknown procedure: 9999", "a message of exactly the 32 MiB limit")
    c.close()
    well_behaved("bad length words")
    t.check(t.log_contains("too large") and t.log_contains("too small"),
            "daemon log reports the too large / too small packets")

    # ---- unknown program, version, procedure ------------------------------------------
    c = tcp()
    c.send(message(1, 7, prog=0x12345678))
    r = c.recv()
    expect_rpc_error(r, "Cannot find program 305419896 version 1", "unknown program 0x12345678")
    t.check_eq((r.prog, r.vers, r.proc, r.serial), (0x12345678, 1, 1, 7),
               "the error reply echoes prog, vers, proc, serial")
    still_usable(c, "after an unknown program")
    c.send(message(1, 8, vers=2))
    r = c.recv()
    expect_rpc_error(r, "Cannot find program %d version 2" % REMOTE, "REMOTE program version 2")
    for proc in (9999, 0, -1):
        c.send(message(proc, 20, prog=REMOTE))
        r = c.recv()
        expect_rpc_error(r, "unknown procedure: %d" % proc, "unknown procedure %d" % proc)
    still_usable(c, "after unknown procedures")
    c.close()

    # ---- truncated and garbage arguments --------------------------------------------------
    c = tcp()
    c.call(itlib.PROC_AUTH_LIST)
    cases = [
        ("CONNECT_OPEN with a string length of 0xffffffff",
         itlib.PROC_CONNECT_OPEN, xdr_u32(1) + xdr_u32(0xffffffff) + b"test"),
        ("CONNECT_OPEN truncated in its string", itlib.PROC_CONNECT_OPEN,
         xdr_u32(1) + xdr_u32(100) + b"test:///"),
        ("CONNECT_OPEN without its flags", itlib.PROC_CONNECT_OPEN, xdr_opt_string(node_uri)),
        ("CONNECT_SUPPORTS_FEATURE with 2 bytes of arguments",
         itlib.PROC_CONNECT_SUPPORTS_FEATURE, b"\0\0"),
    ]
    for what, proc, payload in cases:
        r = c.call(proc, payload)
        expect_rpc_error(r, "decode message payload", what, exact=False)
    r = c.call(itlib.PROC_CONNECT_OPEN, xdr_opt_string(node_uri) + xdr_u32(0))
    t.check_eq(r.status, itlib.OK, "then a well-formed CONNECT_OPEN on the same connection works")
    r = c.call(itlib.PROC_CONNECT_LIST_ALL_DOMAINS, xdr_i32(1) + xdr_u32(0), )
    t.check(r.status == itlib.OK and struct.unpack(">I", r.payload[-4:])[0] == 5,
            "and CONNECT_LIST_ALL_DOMAINS returns the 5 domains (tcp: viewer of all)", r)
    # Arguments longer than the procedure takes.
    r = c.call(itlib.PROC_CONNECT_SUPPORTS_FEATURE, xdr_i32(10) + b"\xde\xad\xbe\xef" * 4)
    t.check(r.status in (itlib.OK, itlib.ERROR),
            "SUPPORTS_FEATURE with 16 trailing bytes: a reply (status %d)" % r.status, r)
    c.close()
    well_behaved("garbage arguments")

    # ---- many calls at once: pipelined, and from concurrent clients -----------------------------
    # Each call runs as its own client: with customer1 and customer2
    # interleaved on several workers, nobody may ever see the other's list.
    c = RawClient(tls_port=t.tls_port, pki=t.pki("customer1"))
    c.open(node_uri)
    n = 300
    sender = threading.Thread(target=c.send, args=(b"".join(
        message(itlib.PROC_CONNECT_LIST_ALL_DOMAINS, 1000 + i, xdr_i32(1) + xdr_u32(0))
        for i in range(n)),))
    sender.start()
    got, bad = [], []
    for i in range(n):
        r = c.recv()
        got.append(r.serial)
        if r.status != itlib.OK or list_names(r) != ["cust1-db", "cust1-web"]:
            bad.append(r)
    sender.join()
    c.close()
    t.check(sorted(got) == list(range(1000, 1000 + n)) and not bad,
            "%d pipelined CONNECT_LIST_ALL_DOMAINS on one connection: one reply per serial, "
            "each listing cust1-db cust1-web" % n, bad[:3])
    wrong = []

    def worker(k):
        who = ("customer1", "customer2")[k % 2]
        want = (["cust1-db", "cust1-web"], ["cust2-mail", "cust2-shop"])[k % 2]
        try:
            cc = RawClient(tls_port=t.tls_port, pki=t.pki(who))
            cc.open(node_uri)
            for i in range(60):
                r = cc.call(itlib.PROC_CONNECT_LIST_ALL_DOMAINS, xdr_i32(1) + xdr_u32(0))
                if r.status != itlib.OK or list_names(r) != want:
                    wrong.append((who, i, r, list_names(r) if r.status == itlib.OK else None))
            cc.close()
        except Exception as e:  # noqa: B902 (any failure of a worker fails the check)
            wrong.append((who, "exception", repr(e)))
    workers = [threading.Thread(target=worker, args=(k,)) for k in range(MAX_CLIENTS - 4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    t.check(not wrong, "%d concurrent clients (customer1 and customer2 alternating) x 60 calls: "
            "each always lists exactly its own domains" % len(workers), wrong[:3])
    well_behaved("pipelined and concurrent calls")

    # ---- a REPLY or a MESSAGE sent by the client ----------------------------------------
    c = tcp()
    c.send(message(itlib.PROC_AUTH_LIST, 3, typ=itlib.REPLY))
    c.send(message(1, 0, prog=itlib.KEEPALIVE_PROGRAM, typ=itlib.MESSAGE))  # a PING
    c.send(message(itlib.PROC_AUTH_LIST, 4))
    r = c.recv()
    t.check(r.serial == 4 and r.status == itlib.OK or
            (r.serial == 3 and r.status == itlib.ERROR),
            "a stray REPLY and a PING from the client do not derail the next call", r)
    c.close()

    # ---- garbage instead of a TLS handshake --------------------------------------------------
    s = socket.create_connection(("127.0.0.1", t.tls_port), timeout=30)
    s.sendall(b"GET / HTTP/1.0\r\n\r\n" + bytes(range(256)) * 4)
    t.check(closes(s), "TLS port, HTTP request and binary garbage: connection closed")
    s = socket.create_connection(("127.0.0.1", t.tls_port), timeout=30)
    s.sendall(message(itlib.PROC_AUTH_LIST, 0))
    t.check(closes(s), "TLS port, a plain RPC call instead of a handshake: connection closed")
    # A TLS record header claiming a handshake, then nothing: the daemon
    # must not wait forever with its event loop blocked.
    s = socket.create_connection(("127.0.0.1", t.tls_port), timeout=30)
    s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
    well_behaved("a half-sent TLS ClientHello (still open)")
    s.close()
    well_behaved("garbage on the TLS port")

    # ---- disconnects -------------------------------------------------------------------------------
    full = message(itlib.PROC_CONNECT_OPEN, 0, xdr_opt_string(node_uri) + xdr_u32(0))
    for cut in (2, 10, 30, len(full) - 1):
        c = tcp()
        c.send(full[:cut])
        c.close()
    t.ok("4 clients disconnected in the middle of a message (after 2, 10, 30, %d bytes)"
         % (len(full) - 1))
    for i in range(3):
        c = tcp()
        c.call(itlib.PROC_AUTH_LIST)
        c.send(message(itlib.PROC_CONNECT_OPEN, 1, xdr_opt_string(node_uri) + xdr_u32(0)))
        c.send(message(itlib.PROC_CONNECT_LIST_ALL_DOMAINS, 2, xdr_i32(1) + xdr_u32(0)))
        c.close()
    t.ok("3 clients disconnected right after sending calls, without reading the replies")
    for i in range(3):
        raw = RawClient(tls_port=t.tls_port, pki=t.pki("customer1"))
        raw.send(message(itlib.PROC_AUTH_LIST, 0)[:13])
        raw.close()
    t.ok("3 TLS clients disconnected in the middle of a message")
    # A TLS client that vanishes in the middle of the handshake.
    s = socket.create_connection(("127.0.0.1", t.tls_port), timeout=30)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    tls = ctx.wrap_socket(s, server_hostname="127.0.0.1", do_handshake_on_connect=False)
    tls.setblocking(False)
    try:
        tls.do_handshake()
    except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
        pass
    tls.close()  # the SSLSocket owns the descriptor now
    t.ok("a TLS client disconnected in the middle of the handshake")
    well_behaved("disconnects in the middle of messages and calls")

    # ---- more clients than max_clients ---------------------------------------------------------
    # Wait until the daemon has let go of the clients above: a fill of
    # max_clients then means exactly what it says.
    extra = 1 if held is not None else 0
    fill = []
    deadline = time.time() + 60
    while True:
        for c in fill:
            c.close()
        fill = []
        ok = True
        for i in range(MAX_CLIENTS - extra):
            try:
                c = tcp()
                c.call(itlib.PROC_AUTH_LIST)
                fill.append(c)
            except (itlib.Closed, OSError):
                ok = False
                break
        if ok:
            break
        if time.time() > deadline:
            t.fail("cannot even open %d clients" % (MAX_CLIENTS - extra))
        time.sleep(0.2)
    t.ok("%d raw clients + %d held connection = max_clients (%d) connected and answered"
         % (len(fill), extra, MAX_CLIENTS))
    over = tcp()
    t.check(over.is_closed(wait=30), "client number %d (over max_clients) is dropped" % (MAX_CLIENTS + 1))
    over.close()
    t.check(t.log_contains("Too many active clients"), "daemon log: Too many active clients")
    rc, out, err = t.virsh(t.tls_uri("customer1"), "list", "--all")
    t.check(rc == 1 and "failed to connect to the hypervisor" in err,
            "virsh while the daemon is full: error: failed to connect to the hypervisor", (rc, err))
    for c in fill:
        still_usable(c, "a client admitted before the limit") if c is fill[0] else None
    if held is not None:
        t.check_eq(sorted(d.name() for d in held.listAllDomains(0)), ["cust1-db", "cust1-web"],
                   "the held connection works while the daemon is full")
    for c in fill:
        c.close()
    # The daemon notices the closes asynchronously: wait for a free slot.
    deadline = time.time() + 60
    while True:
        rc, out, err = t.virsh(t.tls_uri("customer1"), "list", "--all", "--name")
        if rc == 0:
            break
        if time.time() > deadline:
            t.fail("virsh still refused 60 s after the raw clients left: %s" % err)
        time.sleep(0.2)
    well_behaved("the clients over max_clients left")

    # ---- nothing changed ------------------------------------------------------------------------
    t.check_eq(admin_states(), baseline, "no domain changed state")
    if held is not None:
        held.close()
    t.stop_daemon()
    t.ok("tenvirtd stopped cleanly on SIGTERM")


def list_names(r):
    """The sorted domain names of a CONNECT_LIST_ALL_DOMAINS reply."""
    x = itlib.XDRReader(r.payload)
    names = [x.domain()[0] for _ in range(x.u32())]
    return sorted(names)


def closes(s, wait=30):
    """True if the peer closes s (EOF or reset) within wait seconds."""
    s.settimeout(wait)
    try:
        while True:
            if not s.recv(65536):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True
    finally:
        s.close()


if __name__ == "__main__":
    itlib.Test(os.path.basename(__file__)).run(main)
