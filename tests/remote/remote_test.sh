#!/bin/bash
# remote_test.sh: the remote driver against a real libvirtd on loopback.
#
# Starts a private libvirtd (plain TCP, TLS with a throw-away PKI when
# certtool is there, and a UNIX socket; no authentication; everything
# under a temporary directory, as an unprivileged user so that
# the system's /run/libvirt and its qemu/network drivers stay untouched),
# runs the Check tests in tests/remote/remote_api_test against it, then
# compares `tvsh list --all` with `virsh list --all` if both exist.
#
# Skips (77) only if libvirtd is not installed. Environment:
#   LIBVIRTD             the daemon (default: /usr/sbin/libvirtd, then $PATH)
#   REMOTE_TEST_WRAPPER  command to run the test binary under, e.g.
#                        "valgrind --leak-check=full --error-exitcode=99"
#                        (Check's forking is then turned off)

set -u

builddir=${abs_top_builddir:-$(pwd)}
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}

LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}
if [ ! -x "$LIBVIRTD" ]; then
    LIBVIRTD=$(command -v libvirtd 2>/dev/null || true)
fi
if [ -z "$LIBVIRTD" ] || [ ! -x "$LIBVIRTD" ]; then
    echo "SKIP: libvirtd is not installed"
    exit 77
fi

tmp=$(mktemp -d /tmp/tenvirt-remote.XXXXXX) || exit 99
daemon_pid=
cleanup() {
    if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill "$daemon_pid" 2>/dev/null
        # libvirtd stops within a second or two; do not wait forever.
        for _ in $(seq 1 100); do
            kill -0 "$daemon_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$daemon_pid" 2>/dev/null
    fi
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM

fail() {
    echo "FAIL: $*"
    if [ -f "$tmp/libvirtd.log" ]; then
        echo "--- libvirtd log (last 40 lines) ---"
        tail -n 40 "$tmp/libvirtd.log"
    fi
    exit 1
}

# A TCP port nobody listens on now (bind to port 0, read it, release it).
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local p
    while :; do
        p=$(( (RANDOM % 30000) + 20000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}

port=$(free_port) || fail "no free port"
tls_port=$(free_port) || fail "no free port"
closed_port=$(free_port) || fail "no free port"
while [ "$tls_port" = "$port" ]; do
    tls_port=$(free_port)
done
while [ "$closed_port" = "$port" ] || [ "$closed_port" = "$tls_port" ]; do
    closed_port=$(free_port)
done

# As root, run the daemon as nobody: a privileged libvirtd would use the
# system's directories and start its stateful drivers (networks, qemu).
runas=()
if [ "$(id -u)" = 0 ]; then
    if ! command -v setpriv >/dev/null 2>&1; then
        fail "running as root needs setpriv (util-linux) to drop privileges for libvirtd"
    fi
    runas=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

mkdir -p "$tmp/sock" "$tmp/run" "$tmp/config" "$tmp/cache" "$tmp/home" "$tmp/data"

# TLS too, with a throw-away PKI, if certtool (gnutls-bin) is there. RSA
# keys: libvirtd insists on keyEncipherment in its own certificate, which
# certtool leaves out for ECDSA keys.
certtool=${CERTTOOL:-certtool}
make_pki() {
    local dir=$1 ca name dn kind
    mkdir -p "$dir" && cd "$dir" || return 1
    for ca in ca otherca; do
        "$certtool" --generate-privkey --key-type=rsa --bits=2048 --outfile "${ca}key.pem" &&
        printf 'cn = "Remote Test %s"\nca\ncert_signing_key\ncrl_signing_key\nexpiration_days = 30\n' \
            "$ca" > "$ca.tmpl" &&
        "$certtool" --generate-self-signed --load-privkey "${ca}key.pem" \
            --template "$ca.tmpl" --outfile "${ca}cert.pem" || return 1
    done
    "$certtool" --generate-crl --load-ca-privkey cakey.pem --load-ca-certificate cacert.pem \
        --template /dev/null --outfile cacrl.pem || return 1
    # name CA DN kind
    while read -r name ca dn kind; do
        "$certtool" --generate-privkey --key-type=rsa --bits=2048 --outfile "$name-key.pem" &&
        {
            echo "dn = \"$dn\""
            printf 'signing_key\nencryption_key\nexpiration_days = 30\n'
            if [ "$kind" = server ]; then
                printf 'tls_www_server\ndns_name = "localhost"\nip_address = "127.0.0.1"\n'
            else
                echo tls_www_client
            fi
        } > "$name.tmpl" &&
        "$certtool" --generate-certificate --load-privkey "$name-key.pem" \
            --load-ca-certificate "${ca}cert.pem" --load-ca-privkey "${ca}key.pem" \
            --template "$name.tmpl" --outfile "$name-cert.pem" || return 1
    done <<EOF
server ca CN=localhost,O=Tenvirt-Remote-Test server
client ca CN=client,O=Tenvirt-Remote-Test client
otherclient otherca CN=client,O=Tenvirt-Remote-Test client
EOF
    # pkipath directories as the remote driver (and virsh) read them.
    mkdir -p pki-server pki-client pki-otherca pki-trust-other &&
    cp cacert.pem cacrl.pem pki-server/ &&
    cp server-cert.pem pki-server/servercert.pem &&
    cp server-key.pem pki-server/serverkey.pem &&
    cp cacert.pem pki-client/ && cp cacert.pem pki-otherca/ &&
    cp othercacert.pem pki-trust-other/cacert.pem &&
    for d in pki-client pki-trust-other; do
        cp client-cert.pem "$d/clientcert.pem" && cp client-key.pem "$d/clientkey.pem" || return 1
    done &&
    cp otherclient-cert.pem pki-otherca/clientcert.pem &&
    cp otherclient-key.pem pki-otherca/clientkey.pem
}

tls=no
if command -v "$certtool" >/dev/null 2>&1; then
    (make_pki "$tmp/pki") >"$tmp/make-pki.log" 2>&1 ||
        fail "cannot make the test PKI: $(tail -n 5 "$tmp/make-pki.log")"
    chmod -R a+rX "$tmp/pki"
    tls=yes
else
    echo "NOTE: no certtool (gnutls-bin): the TLS tests are skipped"
fi

cat > "$tmp/libvirtd.conf" <<EOF
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$port"
auth_tcp = "none"
unix_sock_dir = "$tmp/sock"
unix_sock_rw_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
# Short, so that the keepalive test notices a client that ignores PINGs.
keepalive_interval = 2
keepalive_count = 3
EOF
if [ "$tls" = yes ]; then
    cat >> "$tmp/libvirtd.conf" <<EOF
listen_tls = 1
tls_port = "$tls_port"
ca_file = "$tmp/pki/pki-server/cacert.pem"
crl_file = "$tmp/pki/pki-server/cacrl.pem"
cert_file = "$tmp/pki/pki-server/servercert.pem"
key_file = "$tmp/pki/pki-server/serverkey.pem"
EOF
else
    echo "listen_tls = 0" >> "$tmp/libvirtd.conf"
fi
# A node file for test+tcp://HOST/ABS/PATH (read by the daemon's user).
cp "$srcdir/tests/test/data/node-customers.xml" "$srcdir/tests/test/data/cust1-db.xml" \
    "$tmp/data/" || fail "cannot copy node files"
chmod 755 "$tmp"
chmod -R a+rX "$tmp/data"
if [ ${#runas[@]} -gt 0 ]; then
    chown -R 65534:65534 "$tmp/sock" "$tmp/run" "$tmp/config" "$tmp/cache" "$tmp/home"
fi

# --timeout: a safety net should this script be killed before its trap runs.
(cd "$tmp" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME="$tmp/home" \
    XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
    "${runas[@]}" "$LIBVIRTD" --listen --config "$tmp/libvirtd.conf" \
    --pid-file "$tmp/run/libvirtd.pid" --timeout 600) >"$tmp/libvirtd.log" 2>&1 &
daemon_pid=$!

# Up to 60 s: a loaded machine starts libvirtd's drivers slowly.
ready=no
for _ in $(seq 1 600); do
    kill -0 "$daemon_pid" 2>/dev/null || fail "libvirtd exited during start-up"
    if [ -S "$tmp/sock/libvirt-sock" ] &&
       (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
       { [ "$tls" = no ] || (exec 3<>"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null; }; then
        ready=yes
        break
    fi
    sleep 0.1
done
[ "$ready" = yes ] || fail "libvirtd did not listen on 127.0.0.1:$port within 60 s"

export REMOTE_TEST_TCP_URI="test+tcp://127.0.0.1:$port/default"
export REMOTE_TEST_UNIX_URI="test+unix:///default?socket=$tmp/sock/libvirt-sock"
export REMOTE_TEST_CLOSED_URI="test+tcp://127.0.0.1:$closed_port/default"
export REMOTE_TEST_NODE_URI="test+tcp://127.0.0.1:$port$tmp/data/node-customers.xml"
export REMOTE_TEST_TMPDIR="$tmp"
if [ "$tls" = yes ]; then
    export REMOTE_TEST_TLS_PORT="$tls_port"
    export REMOTE_TEST_PKI="$tmp/pki"
fi
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}

rc=0
if [ -n "${REMOTE_TEST_WRAPPER:-}" ]; then
    # shellcheck disable=SC2086
    CK_FORK=no $REMOTE_TEST_WRAPPER "$builddir/tests/remote/remote_api_test" || rc=$?
else
    "$builddir/tests/remote/remote_api_test" || rc=$?
fi
[ "$rc" = 0 ] || fail "remote_api_test exited with $rc"

# tvsh against the same daemon prints what virsh prints.
tvsh="$builddir/tools/tvsh"
if [ -x "$tvsh" ] && command -v virsh >/dev/null 2>&1; then
    uris=("$REMOTE_TEST_TCP_URI" "$REMOTE_TEST_UNIX_URI")
    if [ "$tls" = yes ]; then
        uris+=("test+tls://127.0.0.1:$tls_port/default?pkipath=$tmp/pki/pki-client")
    fi
    for uri in "${uris[@]}"; do
        want=$(virsh -c "$uri" list --all 2>&1) || fail "virsh -c $uri list --all: $want"
        got=$("$tvsh" -c "$uri" list --all 2>&1) || fail "tvsh -c $uri list --all: $got"
        if [ "$got" != "$want" ]; then
            echo "virsh:"; echo "$want"; echo "tvsh:"; echo "$got"
            fail "tvsh list --all differs from virsh for $uri"
        fi
        echo "PASS: tvsh list --all matches virsh ($uri)"
    done
else
    echo "SKIP: tvsh/virsh comparison (tools/tvsh or virsh missing)"
fi

kill -0 "$daemon_pid" 2>/dev/null || fail "libvirtd died during the tests"
exit 0
