#!/usr/bin/python3
"""Raw libvirt RPC over TCP/TLS for the SASL tests: things stock clients
never send (calls before authenticating, unknown mechanisms, oversized or
truncated SASL data, a client that stops half-way).

    saslwire.py SCENARIO HOST PORT [--tls PKIDIR] [ARG]

Prints one result line: "ok ..." / "error CODE DOMAIN MESSAGE" / "dropped".
Exit status 0 unless the scenario could not even be run.
"""
import os
import socket
import ssl
import struct
import sys
import time

REMOTE_PROGRAM = 0x20008086
CALL, REPLY = 0, 1
OK, ERROR = 0, 1
PROC_CONNECT_OPEN = 1
PROC_SUPPORTS_FEATURE = 60
PROC_AUTH_LIST = 66
PROC_SASL_INIT = 67
PROC_SASL_START = 68
PROC_SASL_STEP = 69


class Dropped(Exception):
    pass


def xdr_int(v):
    return struct.pack(">i", v)


def xdr_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def xdr_chars(data, count=None):
    """char<N>: a count, then every byte as a 4-byte int."""
    n = len(data) if count is None else count
    return struct.pack(">I", n) + b"".join(struct.pack(">i", c) for c in data)


class Wire:
    def __init__(self, host, port, pkidir=None):
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        if pkidir:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.load_verify_locations(os.path.join(pkidir, "cacert.pem"))
            ctx.load_cert_chain(os.path.join(pkidir, "clientcert.pem"),
                                os.path.join(pkidir, "clientkey.pem"))
            self.sock = ctx.wrap_socket(self.sock, server_hostname=host)
            if self.recv_exact(1) != b"\x01":
                raise SystemExit("no TLS confirmation byte")
        self.serial = 0

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            try:
                chunk = self.sock.recv(n - len(buf))
            except (ConnectionResetError, ssl.SSLError):
                chunk = b""
            if not chunk:
                raise Dropped()
            buf += chunk
        return buf

    def send_raw(self, data):
        self.sock.sendall(data)

    def send_call(self, proc, payload=b""):
        hdr = struct.pack(">IIiiIi", REMOTE_PROGRAM, 1, proc, CALL, self.serial, OK)
        self.serial += 1
        self.send_raw(struct.pack(">I", 4 + len(hdr) + len(payload)) + hdr + payload)

    def reply(self):
        (length,) = struct.unpack(">I", self.recv_exact(4))
        body = self.recv_exact(length - 4)
        prog, vers, proc, mtype, serial, status = struct.unpack(">IIiiIi", body[:24])
        return status, body[24:]

    def call(self, proc, payload=b""):
        self.send_call(proc, payload)
        return self.reply()

    def close(self):
        self.sock.close()


def error_line(payload):
    code, domain = struct.unpack(">ii", payload[:8])
    (present,) = struct.unpack(">I", payload[8:12])
    msg = ""
    if present:
        (n,) = struct.unpack(">I", payload[12:16])
        msg = payload[16:16 + n].decode()
    return "error %d %d %s" % (code, domain, msg)


def result(status, payload, okdesc="ok"):
    return error_line(payload) if status == ERROR else okdesc


def read_string(payload):
    (n,) = struct.unpack(">I", payload[:4])
    return payload[4:4 + n].decode()


def start_args(mech, data=None, count=None):
    if data is None:
        return xdr_string(mech) + xdr_int(1) + xdr_chars(b"")
    return xdr_string(mech) + xdr_int(0) + xdr_chars(data, count)


def init(w):
    status, payload = w.call(PROC_AUTH_LIST)
    if status != OK:
        raise SystemExit("AUTH_LIST failed: " + error_line(payload))
    status, payload = w.call(PROC_SASL_INIT)
    if status != OK:
        return None, error_line(payload)
    return read_string(payload), None


def main():
    args = sys.argv[1:]
    pkidir = None
    if "--tls" in args:
        i = args.index("--tls")
        pkidir = args[i + 1]
        del args[i:i + 2]
    scenario, host, port = args[:3]
    extra = args[3:]
    w = Wire(host, port, pkidir)
    try:
        if scenario == "mechlist":
            mechs, err = init(w)
            print(err or "ok " + mechs)
        elif scenario == "noauth":
            # Everything but AUTH_* before authenticating.
            w.call(PROC_AUTH_LIST)
            print(result(*w.call(PROC_CONNECT_OPEN, xdr_int(0) + xdr_int(0))))
            print(result(*w.call(PROC_SUPPORTS_FEATURE, xdr_int(10))))
        elif scenario == "badmech":
            mechs, err = init(w)
            print(result(*w.call(PROC_SASL_START, start_args("NO-SUCH-MECH"))))
            # A name no mechanism could have.
            print(result(*w.call(PROC_SASL_INIT)))
            print(result(*w.call(PROC_SASL_START, start_args("digest md5\n!"))))
        elif scenario == "start-before-init":
            w.call(PROC_AUTH_LIST)
            print(result(*w.call(PROC_SASL_START, start_args("DIGEST-MD5"))))
            print(result(*w.call(PROC_SASL_STEP, xdr_int(1) + xdr_chars(b""))))
        elif scenario == "oversized":
            init(w)
            # One more than char data<65536> allows.
            print(result(*w.call(PROC_SASL_START, start_args("DIGEST-MD5", b"A" * 65537))))
        elif scenario == "truncated":
            init(w)
            # The array says 100 chars, the message carries 10.
            print(result(*w.call(PROC_SASL_START,
                                 start_args("DIGEST-MD5", b"B" * 10, count=100))))
        elif scenario == "short-message":
            w.call(PROC_AUTH_LIST)
            # A length word promising more than ever comes, then hang up.
            w.send_raw(struct.pack(">I", 1000) + b"\0" * 40)
            time.sleep(0.2)
            print("ok sent")
        elif scenario == "garbage-step":
            init(w)
            status, payload = w.call(PROC_SASL_START, start_args("DIGEST-MD5"))
            if status != OK:
                print(error_line(payload))
            else:
                print(result(*w.call(PROC_SASL_STEP,
                                     xdr_int(0) + xdr_chars(os.urandom(64)))))
        elif scenario == "stall":
            init(w)
            status, payload = w.call(PROC_SASL_START, start_args("DIGEST-MD5"))
            print(result(status, payload, "ok challenge received"), flush=True)
            # Hold the connection half-negotiated until told to stop.
            deadline = time.time() + float(extra[0] if extra else 30)
            while time.time() < deadline and not os.path.exists(extra[1] if len(extra) > 1 else "/nonexistent"):
                time.sleep(0.1)
        else:
            raise SystemExit("unknown scenario " + scenario)
    except Dropped:
        print("dropped")
    finally:
        w.close()


if __name__ == "__main__":
    main()
