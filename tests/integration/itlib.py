"""itlib.py: the python side of the integration test harness.

The same conventions as lib.sh (which makes the certificates: itlib calls
its it_make_pki, so there is one PKI recipe): a private temporary
directory, a tenvirtd on 127.0.0.1 with ports "0", always stopped at exit.
Also a raw client of the libvirt wire protocol (no libvirt) for the
robustness test.

    import itlib
    t = itlib.Test("isp_python_test")      # temp dir, cleanup at exit
    t.make_pki()                            # t.pki("customer1") -> pkipath
    t.write_isp_conf()
    t.start_daemon()                        # t.tls_port, t.tcp_port, t.sock, t.sock_ro
    t.check(cond, "what was checked")       # prints "ok: ..." or fails
"""

import atexit
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

# Canonical (see lib.sh): hypervisor_uris refuse paths with ".." segments.
SRCDIR = os.path.realpath(os.environ.get("abs_top_srcdir") or
                          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILDDIR = os.path.realpath(os.environ.get("abs_top_builddir") or SRCDIR)
TENVIRTD = os.path.join(BUILDDIR, "daemon", "tenvirtd")
TVSH = os.path.join(BUILDDIR, "tools", "tvsh")
VIRSH = "/usr/bin/virsh"
SYSTEM_PYTHON = "/usr/bin/python3"
ISP_NODE = os.path.join(SRCDIR, "examples", "isp", "node.xml")
ISP_POLICY = os.path.join(SRCDIR, "examples", "isp", "policy.conf")
LIB_SH = os.path.join(SRCDIR, "tests", "integration", "lib.sh")
READY_TIMEOUT = float(os.environ.get("IT_READY_TIMEOUT", "60"))
CLIENT_TIMEOUT = float(os.environ.get("IT_TIMEOUT", "60"))

DN = {
    "customer1": "CN=customer1,O=Example ISP,C=GB",
    "customer2": "CN=customer2,O=Example ISP,C=GB",
    "admin": "CN=admin,O=Example ISP,C=GB",
    "stranger": "CN=stranger,O=Example ISP,C=GB",
}

SKIP = 77


def use_system_python():
    """Re-run this script with the system python3, which has the libvirt
    bindings (the python3 first in PATH may not)."""
    if os.path.realpath(sys.executable) == os.path.realpath(SYSTEM_PYTHON):
        return
    if not os.path.exists(SYSTEM_PYTHON):
        print("SKIP: no %s" % SYSTEM_PYTHON)
        sys.exit(SKIP)
    sys.stdout.flush()
    os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON] + sys.argv)


class Failure(Exception):
    pass


class Test:
    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.daemon = None
        self.procs = []
        if not os.access(TENVIRTD, os.X_OK):
            self.skip("no %s (build daemon/tenvirtd first)" % TENVIRTD)
        self.dir = tempfile.mkdtemp(prefix="tv-integ.", dir=os.environ.get("TMPDIR", "/tmp"))
        self.log = os.path.join(self.dir, "daemon.log")
        self.conf = os.path.join(self.dir, "tenvirtd.conf")
        home = os.path.join(self.dir, "home")
        os.mkdir(home)
        for k in ("LIBVIRT_DEFAULT_URI", "VIRSH_DEFAULT_CONNECT_URI", "LIBVIRT_LOG_OUTPUTS",
                  "LIBVIRT_DEBUG", "LIBVIRT_LOG_FILTERS"):
            os.environ.pop(k, None)
        os.environ.update(HOME=home, XDG_CONFIG_HOME=home + "/.config",
                          XDG_CACHE_HOME=home + "/.cache", XDG_RUNTIME_DIR=home,
                          LC_ALL="C", LANG="C")
        self.failed = True
        atexit.register(self.cleanup)
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
        self.tls_port = self.tcp_port = self.sock = self.sock_ro = None

    # ---- results -----------------------------------------------------
    def skip(self, why):
        print("SKIP: %s: %s" % (self.name, why))
        sys.stdout.flush()
        self.failed = False
        sys.exit(SKIP)

    def ok(self, what):
        self.checks += 1
        print("ok: " + what)
        sys.stdout.flush()

    def fail(self, what):
        print("FAIL: %s: %s" % (self.name, what), file=sys.stderr)
        sys.stderr.flush()
        raise Failure(what)

    def check(self, cond, what, detail=None):
        if not cond:
            self.fail(what + ("\n  " + str(detail) if detail is not None else ""))
        self.ok(what)

    def check_eq(self, got, want, what):
        if got != want:
            self.fail("%s:\n  got:      %r\n  expected: %r" % (what, got, want))
        self.ok("%s: %r" % (what, want) if len(repr(want)) < 100 else what)

    def passed(self):
        self.failed = False
        print("PASS: %s (%d checks)" % (self.name, self.checks))

    def run(self, main):
        """Run main(self); exit 0 on success, 1 on failure, 77 on skip."""
        try:
            main(self)
            self.passed()
            rc = 0
        except Failure:
            rc = 1
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
            if rc == 0:
                self.failed = False
        except BaseException:
            import traceback
            traceback.print_exc()
            rc = 1
        sys.stdout.flush()
        sys.exit(rc)

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.stop_daemon(check=False)
        if self.failed and os.path.exists(self.log):
            sys.stderr.write("---- daemon log (last 60 lines) ----\n")
            with open(self.log, errors="replace") as f:
                sys.stderr.write("".join(f.readlines()[-60:]))
        if os.environ.get("IT_KEEP") == "1":
            sys.stderr.write("kept %s\n" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    # ---- PKI and configuration ---------------------------------------
    def make_pki(self):
        """Certificates as lib.sh's it_make_pki makes them, in DIR/pki."""
        if not shutil.which(os.environ.get("CERTTOOL", "certtool")):
            self.skip("no certtool (gnutls-bin)")
        r = subprocess.run(
            ["bash", "-c", '. "$1"; IT_DIR=$2; it_make_pki', "_", LIB_SH, self.dir],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
            env=dict(os.environ, abs_top_srcdir=SRCDIR, abs_top_builddir=BUILDDIR))
        if r.returncode != 0:
            self.fail("it_make_pki failed (%d): %s" % (r.returncode, r.stdout))
        self.pkidir = os.path.join(self.dir, "pki")

    def pki(self, client):
        return os.path.join(self.pkidir, "pki-" + client)

    def tls_conf(self, server="server"):
        p = self.pkidir
        return ('ca_file = "%s/cacert.pem"\ncrl_file = "%s/cacrl.pem"\n'
                'cert_file = "%s/%s-cert.pem"\nkey_file = "%s/%s-key.pem"\n'
                % (p, p, p, server, p, server))

    def write_conf(self, text):
        lines = text.rstrip("\n") + "\n"
        defaults = (("unix_sock_dir", '"%s/sock"' % self.dir), ("listen_addr", '"127.0.0.1"'),
                    ("tcp_port", '"0"'), ("tls_port", '"0"'),
                    ("hypervisor_uris", '[ "test:///default", "test://%s" ]' % ISP_NODE))
        for key, value in defaults:
            if not re.search(r"^%s\b" % key, lines, re.M):
                lines += "%s = %s\n" % (key, value)
        with open(self.conf, "w") as f:
            f.write(lines)

    def write_isp_conf(self, extra=""):
        self.policy = os.path.join(self.dir, "policy.conf")
        shutil.copy(ISP_POLICY, self.policy)
        self.write_conf('listen_tls = 1\nlisten_tcp = 0\n'
                        'access_drivers = [ "readonly", "dnpolicy" ]\n'
                        'access_dnpolicy_file = "%s"\nlog_level = 3\n%s%s\n'
                        % (self.policy, self.tls_conf(), extra))

    # ---- the daemon ----------------------------------------------------
    def read_log(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def start_daemon(self, args=("--listen",)):
        if os.path.exists(self.log):
            with open(self.log, "rb") as f, open(self.log + ".old", "ab") as old:
                old.write(f.read())
        logf = open(self.log, "wb")
        wrapper = os.environ.get("TENVIRTD_WRAPPER", "").split()
        self.daemon = subprocess.Popen(
            wrapper + [TENVIRTD, "--config", self.conf, "--pid-file",
                       os.path.join(self.dir, "tenvirtd.pid")] + list(args),
            stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        logf.close()
        deadline = time.time() + READY_TIMEOUT
        while True:
            m = re.search(r"^tenvirtd: listening on (.*)$", self.read_log(), re.M)
            if m:
                break
            if self.daemon.poll() is not None:
                self.daemon = None
                self.fail("tenvirtd exited before it was ready:\n" + self.read_log())
            if time.time() > deadline:
                self.fail("tenvirtd not ready after %ds" % READY_TIMEOUT)
            time.sleep(0.1)
        line = m.group(1)
        print("daemon: tenvirtd: listening on " + line)

        def find(pat):
            mm = re.search(pat, line)
            return mm.group(1) if mm else None
        self.tcp_port = find(r"\btcp [^ ,]*:(\d+)")
        self.tls_port = find(r"\btls [^ ,]*:(\d+)")
        self.sock = find(r"\bunix ([^ ,]+)")
        self.sock_ro = find(r"\bunix-ro ([^ ,]+)")
        self.tcp_port = int(self.tcp_port) if self.tcp_port else None
        self.tls_port = int(self.tls_port) if self.tls_port else None

    def daemon_alive(self):
        return self.daemon is not None and self.daemon.poll() is None

    def stop_daemon(self, check=True):
        if self.daemon is None:
            return
        p, self.daemon = self.daemon, None
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(60 if check else 20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                if check:
                    self.fail("tenvirtd did not stop on SIGTERM")
        if check and p.returncode != 0:
            self.fail("tenvirtd exited with %d" % p.returncode)

    def log_contains(self, s):
        return s in self.read_log()

    # ---- URIs and clients -------------------------------------------
    def tls_uri(self, client, node=ISP_NODE, extra=""):
        return "test+tls://127.0.0.1:%d%s?pkipath=%s%s" % (
            self.tls_port, node, self.pki(client), ("&" + extra) if extra else "")

    def tcp_uri(self, node=ISP_NODE):
        return "test+tcp://127.0.0.1:%d%s" % (self.tcp_port, node)

    def unix_uri(self, sock=None, node=ISP_NODE):
        return "test+unix://%s?socket=%s" % (node, sock or self.sock)

    def cmd(self, argv, timeout=None):
        """Run a command: (rc, stdout, stderr). A timeout counts as rc 124."""
        try:
            r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, universal_newlines=True,
                               timeout=timeout or CLIENT_TIMEOUT)
        except subprocess.TimeoutExpired as e:
            return 124, e.stdout or "", e.stderr or ""
        return r.returncode, r.stdout, r.stderr

    def virsh(self, uri, *args):
        return self.cmd([VIRSH, "-c", uri] + list(args))


# ---------------------------------------------------------------------------
# A raw client of the wire protocol (no libvirt), for malformed traffic.

REMOTE_PROGRAM = 0x20008086
KEEPALIVE_PROGRAM = 0x6b656570
CALL, REPLY, MESSAGE = 0, 1, 2
OK, ERROR = 0, 1

PROC_CONNECT_OPEN = 1
PROC_DOMAIN_CREATE = 9
PROC_DOMAIN_LOOKUP_BY_NAME = 23
PROC_CONNECT_SUPPORTS_FEATURE = 60
PROC_AUTH_LIST = 66
PROC_CONNECT_LIST_ALL_DOMAINS = 273


def xdr_u32(v):
    return struct.pack(">I", v & 0xffffffff)


def xdr_i32(v):
    return struct.pack(">i", v)


def xdr_string(s):
    b = s.encode() if isinstance(s, str) else s
    return xdr_u32(len(b)) + b + b"\0" * ((4 - len(b) % 4) % 4)


def xdr_opt_string(s):
    return xdr_u32(0) if s is None else xdr_u32(1) + xdr_string(s)


def header(prog, vers, proc, typ, serial, status, payload_len=0):
    return struct.pack(">IIIiiIi", 28 + payload_len, prog, vers, proc, typ, serial, status)


def message(proc, serial, payload=b"", prog=REMOTE_PROGRAM, vers=1, typ=CALL, status=OK):
    return header(prog, vers, proc, typ, serial, status, len(payload)) + payload


class XDRReader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def u32(self):
        v = struct.unpack_from(">I", self.data, self.pos)[0]
        self.pos += 4
        return v

    def i32(self):
        v = struct.unpack_from(">i", self.data, self.pos)[0]
        self.pos += 4
        return v

    def string(self):
        n = self.u32()
        s = self.data[self.pos:self.pos + n].decode(errors="replace")
        self.pos += n + (4 - n % 4) % 4
        return s

    def opt_string(self):
        return self.string() if self.u32() else None

    def domain(self):
        name = self.string()
        uuid = self.data[self.pos:self.pos + 16]
        self.pos += 16
        return name, uuid, self.i32()


class Reply:
    def __init__(self, raw):
        (self.length, self.prog, self.vers, self.proc, self.type, self.serial,
         self.status) = struct.unpack_from(">IIIiiIi", raw)
        self.payload = raw[28:]
        self.code = self.domain = self.message = None
        if self.type == REPLY and self.status == ERROR:
            r = XDRReader(self.payload)
            self.code = r.i32()
            self.domain = r.i32()
            self.message = r.opt_string()

    def __repr__(self):
        return ("<reply prog=%#x vers=%d proc=%d type=%d serial=%d status=%d code=%s "
                "domain=%s message=%r>" % (self.prog, self.vers, self.proc, self.type,
                                           self.serial, self.status, self.code, self.domain,
                                           self.message))


class Closed(Exception):
    pass


class RawClient:
    """One connection: plain TCP, UNIX, or TLS (with a client cert)."""

    def __init__(self, tcp_port=None, unix_path=None, tls_port=None, pki=None, timeout=None,
                 cert=None, key=None, cafile=None):
        self.timeout = timeout or CLIENT_TIMEOUT
        if unix_path:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(self.timeout)
            s.connect(unix_path)
        else:
            s = socket.create_connection(("127.0.0.1", tls_port or tcp_port),
                                         timeout=self.timeout)
        if tls_port:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cafile or os.path.join(pki, "cacert.pem"))
            c = cert or (pki and os.path.join(pki, "clientcert.pem"))
            if c and os.path.exists(c):
                ctx.load_cert_chain(c, key or os.path.join(pki, "clientkey.pem"))
            s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
            s.do_handshake()
            b = self.recv_exact_sock(s, 1)
            if b != b"\x01":
                raise Closed("no TLS confirmation byte (got %r)" % b)
        self.sock = s
        self.serial = 0

    @staticmethod
    def recv_exact_sock(s, n):
        buf = b""
        while len(buf) < n:
            try:
                chunk = s.recv(n - len(buf))
            except (ConnectionResetError, ssl.SSLError, BrokenPipeError) as e:
                raise Closed(str(e))
            if not chunk:
                raise Closed("connection closed by the daemon after %d of %d bytes"
                             % (len(buf), n))
            buf += chunk
        return buf

    def send(self, data):
        self.sock.sendall(data)

    def recv(self):
        """The next REPLY (MESSAGEs such as keepalive pings are answered or
        skipped)."""
        while True:
            raw = self.recv_exact_sock(self.sock, 4)
            n = struct.unpack(">I", raw)[0]
            raw += self.recv_exact_sock(self.sock, n - 4)
            r = Reply(raw)
            if r.prog == KEEPALIVE_PROGRAM and r.proc == 1:
                self.send(message(2, 0, prog=KEEPALIVE_PROGRAM, typ=MESSAGE))
                continue
            if r.type == MESSAGE:
                continue
            return r

    def call(self, proc, payload=b"", **kw):
        serial = self.serial
        self.serial += 1
        self.send(message(proc, serial, payload, **kw))
        r = self.recv()
        if r.serial != serial:
            raise Failure("reply serial %d for call serial %d" % (r.serial, serial))
        return r

    def open(self, uri, flags=0):
        self.call(PROC_AUTH_LIST)
        r = self.call(PROC_CONNECT_OPEN, xdr_opt_string(uri) + xdr_u32(flags))
        if r.status != OK:
            raise Failure("CONNECT_OPEN failed: %r" % r)
        return r

    def is_closed(self, wait=None):
        """True if the daemon closes the connection (EOF) within wait s."""
        self.sock.settimeout(wait or self.timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, ssl.SSLError, OSError):
            return True
        finally:
            self.sock.settimeout(self.timeout)
        if data:
            return self.is_closed(wait)
        return True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------
# Command line, for the shell tests:
#   itlib.py tls-probe PORT PKIDIR   prints "accepted" (the daemon sent the
#       TLS confirmation byte) or "refused: REASON"; the client presents
#       PKIDIR/clientcert.pem whatever its issuer (unlike libvirt's client,
#       which checks its own certificate first).

def _main(argv):
    if len(argv) == 3 and argv[0] == "tls-probe":
        try:
            c = RawClient(tls_port=int(argv[1]), pki=argv[2])
            c.close()
            print("accepted")
        except (Closed, OSError, ssl.SSLError) as e:
            print("refused: %s" % e)
        return 0
    print("usage: itlib.py tls-probe PORT PKIDIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
