#!/usr/bin/python3
"""Keepalive, both ways, with short intervals so the test stays quick
(daemon: keepalive_interval = 1, keepalive_count = 3):
  * stock virsh with a 1 s / 2 pings client keepalive ("virsh -k 1 -K 2")
    idles in "event --loop" for 8 s: the daemon answers its PINGs with
    PONGs, so virsh is not "Disconnected ... due to keepalive timeout";
  * a raw client that asked for keepalive (feature 10) and then never
    answers is pinged keepalive_count times and dropped;
  * a raw client that answers the PINGs stays connected, and so does one
    that never asked for keepalive (as with libvirtd, which pings only
    clients that asked)."""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import itlib  # noqa: E402
from itlib import RawClient, Reply, xdr_i32, xdr_u32  # noqa: E402

itlib.use_system_python()


def main(t):
    if not os.access(itlib.VIRSH, os.X_OK):
        t.skip("no " + itlib.VIRSH)
    t.make_pki()
    t.write_isp_conf("keepalive_interval = 1\nkeepalive_count = 3\n")
    t.start_daemon()
    node = "test://" + itlib.ISP_NODE

    result = {}

    def run_virsh():
        result["virsh"] = t.cmd([itlib.VIRSH, "-k", "1", "-K", "2", "-c", t.tls_uri("customer1"),
                                 "event", "--all", "--loop", "--timeout", "8"], timeout=120)
    vt = threading.Thread(target=run_virsh)
    vt.start()

    def client(keepalive):
        c = RawClient(tls_port=t.tls_port, pki=t.pki("customer1"))
        c.call(itlib.PROC_AUTH_LIST)
        if keepalive:
            r = c.call(itlib.PROC_CONNECT_SUPPORTS_FEATURE, xdr_i32(10))
            t.check_eq(r.payload, xdr_u32(1), "CONNECT_SUPPORTS_FEATURE(10 PROGRAM_KEEPALIVE)")
        c.open(node)
        return c

    silent = client(True)
    answering = client(True)
    unaware = client(False)
    t.ok("three raw clients: one silent, one answering PINGs, one that never asked for keepalive")

    # Read the silent client's traffic (never answering), and let the
    # answering one answer, until the silent one is dropped.
    pings = 0
    dropped_after = None
    start = time.time()
    silent.sock.settimeout(0.2)
    answering.sock.settimeout(0.2)
    while time.time() - start < 30 and dropped_after is None:
        try:
            answering.recv()  # answers PINGs; no REPLY ever comes
        except (OSError, itlib.Closed):
            pass
        try:
            raw = silent.recv_exact_sock(silent.sock, 4)
            raw += silent.recv_exact_sock(silent.sock, int.from_bytes(raw, "big") - 4)
            m = Reply(raw)
            if (m.prog, m.proc, m.type) == (itlib.KEEPALIVE_PROGRAM, 1, itlib.MESSAGE):
                pings += 1
        except itlib.Closed:
            dropped_after = time.time() - start
        except OSError:
            pass
    t.check(dropped_after is not None, "the silent client is dropped (after %.1f s)" % (dropped_after or -1))
    t.check(pings >= 1, "it received %d keepalive PING(s) first (keepalive_count = 3)" % pings)
    t.check("after 3 keepalive messages" in t.read_log(),
            "daemon log: No response from client ... after 3 keepalive messages")

    for name, c in (("the client answering PINGs", answering),
                    ("the client that never asked for keepalive", unaware)):
        c.sock.settimeout(30)
        r = c.call(itlib.PROC_CONNECT_LIST_ALL_DOMAINS, xdr_i32(1) + xdr_u32(0))
        t.check(r.status == itlib.OK, "%s is still connected and served" % name, r)
        c.close()

    vt.join()
    rc, out, err = result["virsh"]
    t.check("event loop timed out" in out and "keepalive" not in err and "Disconnected" not in err,
            "virsh -k 1 -K 2 event --loop --timeout 8 ran to its timeout: %r" % out.strip().splitlines()[:1],
            (rc, out, err))
    t.check(t.daemon_alive(), "tenvirtd still running")
    t.stop_daemon()
    t.ok("tenvirtd stopped cleanly on SIGTERM")


if __name__ == "__main__":
    itlib.Test(os.path.basename(__file__)).run(main)
