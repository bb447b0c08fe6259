#!/bin/bash
# tvsh with SASL against a real libvirtd (interop of the client side):
# a private libvirtd as nobody, auth_tcp = "sasl", its cyrus configuration
# through SASL_CONF_PATH; tvsh authenticates with DIGEST-MD5 and runs over
# its security layer, and a wrong password fails as with virsh.
# Skips (77) without libvirtd, saslpasswd2 or setpriv (as root).

set -u
srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${abs_top_builddir:-$srcdir}
TVSH=$builddir/tools/tvsh
LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}
SASLPASSWD2=${SASLPASSWD2:-/usr/sbin/saslpasswd2}

skip() { echo "SKIP: $*"; exit 77; }
[ -x "$LIBVIRTD" ] || skip "no $LIBVIRTD"
[ -x "$SASLPASSWD2" ] || skip "no $SASLPASSWD2"
[ -x "$TVSH" ] || skip "no $TVSH"
runas=()
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || skip "no setpriv to run libvirtd unprivileged"
    runas=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

tmp=$(mktemp -d /tmp/tenvirt-sasl-libvirtd.XXXXXX) || exit 99
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' INT TERM
fail() {
    echo "FAIL: $*"
    [ -f "$tmp/libvirtd.log" ] && tail -n 20 "$tmp/libvirtd.log"
    exit 1
}

chmod 755 "$tmp"
mkdir -p "$tmp/sasl" "$tmp/sock" "$tmp/run" "$tmp/config" "$tmp/cache" "$tmp/home"
printf 'alicepw' | "$SASLPASSWD2" -a libvirt -f "$tmp/sasl/sasldb" -p alice || fail "saslpasswd2"
printf 'mech_list: digest-md5 scram-sha-256\nsasldb_path: %s/sasl/sasldb\n' "$tmp" \
    >"$tmp/sasl/libvirt.conf"
chmod -R a+rX "$tmp/sasl"
[ ${#runas[@]} -eq 0 ] ||
    chown -R 65534:65534 "$tmp/sock" "$tmp/run" "$tmp/config" "$tmp/cache" "$tmp/home"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
    fail "no free port"
cat >"$tmp/libvirtd.conf" <<END
listen_tcp = 1
listen_tls = 0
listen_addr = "127.0.0.1"
tcp_port = "$port"
auth_tcp = "sasl"
unix_sock_dir = "$tmp/sock"
unix_sock_rw_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
END
(cd "$tmp" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME="$tmp/home" \
    XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
    SASL_CONF_PATH="$tmp/sasl" "${runas[@]}" "$LIBVIRTD" --listen --config "$tmp/libvirtd.conf" \
    --timeout 300) >"$tmp/libvirtd.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || fail "libvirtd exited during start-up"
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

printf '[credentials-a]\nauthname=alice\npassword=alicepw\n\n[auth-libvirt-127.0.0.1]\ncredentials=a\n' \
    >"$tmp/auth.conf"
sed 's/^password=.*/password=wrong/' "$tmp/auth.conf" >"$tmp/bad.conf"
uri="test+tcp://127.0.0.1:$port/default"

out=$(LIBVIRT_AUTH_FILE=$tmp/auth.conf timeout 60 "$TVSH" -c "$uri" list --all 2>&1) ||
    fail "tvsh with SASL against libvirtd: $out"
echo "$out" | grep -q " test " || fail "tvsh list: $out"
out=$(LIBVIRT_AUTH_FILE=$tmp/auth.conf timeout 60 "$TVSH" -c "$uri" dominfo test 2>&1) ||
    fail "tvsh dominfo: $out"
out=$(LIBVIRT_AUTH_FILE=$tmp/bad.conf timeout 60 "$TVSH" -c "$uri" list --all 2>&1) &&
    fail "a wrong password worked: $out"
echo "$out" | grep -q "authentication failed" || fail "wrong password: $out"
echo "PASS: $(basename "$0")"
