#!/bin/sh
# The ISP demo: install what is needed, build, then show per-tenant access
# control on a small hosting node served by tenvirtd over TLS.
#
# Two customers and the provider's admin share one host. Each customer uses
# the stock virsh client with their own certificate and may see and run only
# their own domains; the admin sees everything; unknown certificates are
# refused. Everything runs on 127.0.0.1 with throw-away certificates.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TENVIRT_BUILD_DIR:-$top/build}

"$top/scripts/install-deps.sh"
echo "== building Tenvirt in $build"
"$top/scripts/build.sh" "$build" --enable-werror

work=$(mktemp -d /tmp/tenvirt-demo.XXXXXX)
tenvirtd="$build/daemon/tenvirtd"
acl="$build/tools/tenvirt-acl"
tvsh="$build/tools/tvsh"
if command -v virsh >/dev/null 2>&1; then
    client=virsh
    client_cmd=virsh
else
    client=tvsh
    client_cmd=$tvsh
fi

say() {
    printf '\n\033[1m# %s\033[0m\n' "$*"
}

echo "== making a throw-away CA, a server certificate and client certificates"
"$top/tests/rpc/make-certs.sh" "$work/pki" \
    admin "CN=admin,O=Example ISP,C=GB" \
    mallory "CN=mallory,O=Elsewhere,C=XX" >/dev/null
cp "$top"/examples/isp/node.xml "$top"/examples/isp/policy.conf "$work"/

cat >"$work/tenvirtd.conf" <<EOF
# Written by scripts/demo.sh: TLS on 127.0.0.1, a free port, this demo's files.
listen_tls = 1
listen_tcp = 0
listen_addr = "127.0.0.1"
tls_port = "0"
unix_sock_dir = "$work/sock"
ca_file = "$work/pki/cacert.pem"
cert_file = "$work/pki/servercert.pem"
key_file = "$work/pki/serverkey.pem"
hypervisor_uris = [ "test://$work/node.xml" ]
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "policy.conf"
log_level = 3
log_outputs = "3:file:$work/tenvirtd.log"
EOF

echo "== starting tenvirtd"
"$tenvirtd" --listen --config "$work/tenvirtd.conf" --pid-file "$work/tenvirtd.pid" \
    2>"$work/tenvirtd.stderr" &
daemon=$!
cleanup() {
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
}
trap cleanup EXIT
port=
tries=0
while [ -z "$port" ] && [ "$tries" -lt 100 ]; do
    port=$(sed -n 's/.*tls 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/tenvirtd.stderr" | head -1)
    kill -0 "$daemon" 2>/dev/null || { cat "$work/tenvirtd.stderr"; exit 1; }
    [ -n "$port" ] || sleep 0.1
    tries=$((tries + 1))
done
[ -n "$port" ] || { echo "tenvirtd did not start"; cat "$work/tenvirtd.stderr"; exit 1; }
sed 's/^/   /' "$work/tenvirtd.stderr"

uri_for() {
    echo "test+tls://127.0.0.1:$port$work/node.xml?pkipath=$work/pki/pki-$1"
}

# as CLIENT [-r] COMMAND...: run one $client command as that client.
as() {
    who=$1
    shift
    ro=
    if [ "$1" = "-r" ]; then
        ro=-r
        shift
    fi
    echo "  [$who] \$ $client $ro$([ -n "$ro" ] && echo ' ')$*"
    # shellcheck disable=SC2086
    "$client_cmd" $ro -c "$(uri_for "$who")" "$@" 2>&1 | sed -e '/^$/d' -e 's/^/      /' || true
}

say "The rule table (policy.conf): the first matching rule wins; no match denies"
grep -v '^#' "$work/policy.conf" | grep -v '^$' | sed 's/^/    /'
"$acl" lint "$work/policy.conf" | sed 's/^/    /'

say "Each customer connects with $client and their own certificate and sees only their domains"
as customer1 list --all
as customer2 list --all

say "customer1 asks about customer2's domain: for them it does not exist"
as customer1 dominfo cust2-shop
as customer1 dominfo no-such-domain

say "customer1 starts their web server and looks at it"
as customer1 start cust1-web
as customer1 domstate cust1-web
as customer1 dominfo cust1-web

say "customer1 may shut down cust1-db but not force it off (a deny rule above the grant)"
as customer1 destroy cust1-db
as customer1 shutdown cust1-db

say "a read-only connection (virsh -r) may look but not change anything"
as customer2 -r list --all
as customer2 -r start cust2-mail

say "a certificate that no rule mentions is refused during the TLS handshake"
as mallory list --all

say "the admin sees every domain of every customer"
as admin list --all

say "the audit log records every denial with the rule that decided it"
sed -n 's/.*access\.audit: //p' "$work/tenvirtd.log" | sed 's/^/    /' | tail -6

say "tenvirt-acl explains a decision with the daemon's exact driver stack"
echo "  \$ tenvirt-acl explain --config tenvirtd.conf --dn \"CN=customer1,O=Example ISP,C=GB\" --domain cust1-db domain:stop"
"$acl" explain --config "$work/tenvirtd.conf" --dn "CN=customer1,O=Example ISP,C=GB" \
    --domain cust1-db domain:stop 2>&1 | sed 's/^/      /' || true

say "done: tenvirtd stopped"
cleanup
trap - EXIT
echo "  The files of this demo are in $work:"
echo "    tenvirtd.conf   the daemon's settings      policy.conf   the rule table"
echo "    node.xml        the host and its domains   tenvirtd.log  the daemon's log with the audit lines"
echo "    pki/            the CA, the server's and each client's certificates (pki/pki-NAME for virsh)"
echo "  Read docs/acl.html for the policy language and how to write an access driver."
