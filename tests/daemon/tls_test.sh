#!/bin/bash
# The ISP case over TLS with stock virsh: tls_restrict_dn gives each
# customer certificate its domains, an admin DN everything, and refuses
# every other DN at the handshake ("Unable to read TLS confirmation").

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/daemon/lib.sh"
tv_init
tv_need_virsh
MAKE_CERTS=$abs_top_srcdir/tests/rpc/make-certs.sh
[ -f "$MAKE_CERTS" ] || tv_skip "no $MAKE_CERTS"
command -v "${CERTTOOL:-certtool}" >/dev/null || tv_skip "no certtool (gnutls-bin)"

sh "$MAKE_CERTS" "$TV_DIR/pki" \
    admin "CN=admin,OU=Admins,O=Example ISP,C=GB" \
    stranger "CN=stranger,O=Example ISP,C=GB" >"$TV_DIR/make-certs.out" 2>&1 ||
    tv_fail "make-certs.sh: $(cat "$TV_DIR/make-certs.out")"

tv_write_conf <<EOF
listen_tls = 1
listen_tcp = 0
ca_file = "pki/pki-server/cacert.pem"
crl_file = "pki/pki-server/cacrl.pem"
cert_file = "pki/pki-server/servercert.pem"
key_file = "pki/pki-server/serverkey.pem"
access_drivers = [ "readonly", "dnpolicy" ]
tls_restrict_dn = [
    "CN=customer1,O=Example ISP,C=GB", "name:cust1-*",
    "CN=customer2,O=Example ISP,C=GB", "uuid:c2000000-0000-4000-8000-000000000001",
    "CN=admin,OU=Admins,O=Example ISP,C=GB", "*",
]
EOF
tv_start_daemon
[ -n "$TV_TLS_PORT" ] || tv_fail "no TLS port in: $TV_READY_LINE"

tls_uri() {
    echo "test+tls://127.0.0.1:$TV_TLS_PORT$TV_NODE?pkipath=$TV_DIR/pki/pki-$1"
}

names() {
    grep -v '^$' "$TV_OUT" | sort | tr '\n' ' '
}

tv_virsh "$(tls_uri customer1)" list --all --name
tv_expect_rc 0
[ "$(names)" = "cust1-db cust1-web " ] || { tv_show; tv_fail "customer1's view"; }

tv_virsh "$(tls_uri customer2)" list --all --name
tv_expect_rc 0
[ "$(names)" = "cust2-web " ] || { tv_show; tv_fail "customer2's view"; }

tv_virsh "$(tls_uri admin)" list --all --name
tv_expect_rc 0
[ "$(names)" = "cust1-db cust1-web cust2-db cust2-web " ] || { tv_show; tv_fail "admin's view"; }

# A customer drives its own domains and cannot reach the others'.
tv_virsh "$(tls_uri customer1)" start cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' started"
tv_virsh "$(tls_uri customer1)" destroy cust2-web
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'cust2-web'"
tv_virsh "$(tls_uri customer2)" dominfo cust2-db
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'cust2-db'"

# TLS is secure, as libvirt reports it.
tv_run "$TV_PYTHON" -c "import libvirt; print(libvirt.openReadOnly('$(tls_uri customer1)').isSecure())"
[ "$TV_RC" != 0 ] && tv_need_python
tv_expect_rc 0
tv_expect_out_exact "1"

# A verified certificate whose DN has no rule: refused at the handshake.
tv_virsh "$(tls_uri stranger)" list --all
tv_expect_rc 1
tv_expect_err "error: failed to connect to the hypervisor" "Unable to read TLS confirmation"
tv_expect_log 'refusing TLS client 127.0.0.1;' 'dn="CN=stranger,O=Example ISP,C=GB"' \
    'connect:getattr denied'
# Revoked and foreign-CA certificates never get that far.
tv_virsh "$(tls_uri revoked)" list --all
tv_expect_rc 1
tv_virsh "$(tls_uri otherca)" list --all
tv_expect_rc 1

tv_stop_daemon
tv_pass
