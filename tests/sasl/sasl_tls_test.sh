#!/bin/bash
# SASL over TLS (SCRAM-SHA-256; the TLS key size is the external SSF and
# SASL adds no layer of its own) with stock virsh and python3-libvirt:
# both the certificate DN and the SASL user are in the identity, so a
# policy can match either or both; PLAIN is offered here and only here.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/sasl/lib.sh"
sasl_init
tv_need_virsh
tv_need_python
MAKE_CERTS=$abs_top_srcdir/tests/rpc/make-certs.sh
command -v "${CERTTOOL:-certtool}" >/dev/null || tv_skip "no certtool (gnutls-bin)"
sh "$MAKE_CERTS" "$TV_DIR/pki" >"$TV_DIR/make-certs.out" 2>&1 ||
    tv_fail "make-certs.sh: $(cat "$TV_DIR/make-certs.out")"

sasl_add_user alice alicepw
sasl_add_user bob bobpw
sasl_add_user carol carolpw
sasl_add_user admin adminpw
sasl_add_user mallory mallorypw
for u in alice:alicepw bob:bobpw carol:carolpw admin:adminpw mallory:mallorypw; do
    sasl_auth_file "${u%%:*}" "${u#*:}"
done
cp "$SASL_SRCDIR/policy.conf" "$TV_DIR/policy.conf"

tv_write_conf <<END
listen_tls = 1
listen_tcp = 0
auth_tls = "sasl"
ca_file = "pki/pki-server/cacert.pem"
crl_file = "pki/pki-server/cacrl.pem"
cert_file = "pki/pki-server/servercert.pem"
key_file = "pki/pki-server/serverkey.pem"
sasl_conf_dir = "sasl"
sasl_allowed_username_list = [ "alice", "bob", "carol", "admin" ]
auth_fail_max = 0
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "policy.conf"
sasl_restrict_username = [ "alice", "name:cust1-*" ]
log_level = 2
log_outputs = "2:stderr"
END
tv_start_daemon
[ -n "$TV_TLS_PORT" ] || tv_fail "no TLS port in: $TV_READY_LINE"

tls_uri() {
    echo "test+tls://127.0.0.1:$TV_TLS_PORT$TV_NODE?pkipath=$TV_DIR/pki/pki-$1"
}

# TLS offers every configured mechanism, PLAIN included.
sasl_wire mechlist 127.0.0.1 "$TV_TLS_PORT" --tls "$TV_DIR/pki/pki-customer1"
tv_expect_out_re "^ok .*SCRAM-SHA-256" "^ok .*DIGEST-MD5" "^ok .*PLAIN"

# virsh picks SCRAM-SHA-256; the identity has the DN and the user.
sasl_virsh bob "$(tls_uri customer2)" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust2-db cust2-web " ] || { tv_show; tv_fail "bob's view"; }
tv_expect_log "authenticated as SASL user 'bob' (mechanism SCRAM-SHA-256, ssf 0)" \
    'identity=[transport=tls dn="C=GB,O=Example ISP,CN=customer2" sasl="bob"'

sasl_python "$(tls_uri customer1)" alice alicepw cust1-web cust2-web
tv_expect_rc 0
tv_expect_out "domains: cust1-db cust1-web" "cust1-web: found" "cust2-web: error 42"

sasl_virsh admin "$(tls_uri customer2)" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web cust2-db cust2-web " ] || { tv_show; tv_fail "admin's view"; }

# A rule on both: carol with customer1's certificate sees cust2-web ...
sasl_virsh carol "$(tls_uri customer1)" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust2-web " ] || { tv_show; tv_fail "carol with customer1's certificate"; }
# ... with another certificate nothing at all: refused at open.
sasl_virsh carol "$(tls_uri customer2)" list --all --name
tv_expect_rc 1
tv_expect_err "error: failed to connect to the hypervisor" "access denied"

# Outside sasl_allowed_username_list.
sasl_virsh mallory "$(tls_uri customer1)" list
tv_expect_rc 1
tv_expect_err "error: authentication failed: authentication failed"
tv_expect_log "user 'mallory' is not on sasl_allowed_username_list"

# tvsh over TLS + SASL.
sasl_tvsh alice "$(tls_uri customer1)" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web " ] || { tv_show; tv_fail "tvsh alice over TLS"; }

# Before authenticating, nothing else.
sasl_wire noauth 127.0.0.1 "$TV_TLS_PORT" --tls "$TV_DIR/pki/pki-customer1"
tv_expect_out "error 39 7 authentication required"

sasl_daemon_alive
tv_stop_daemon
tv_pass
