#!/bin/bash
# TLS refusals, on both sides of the handshake, with stock virsh, tvsh and
# a raw TLS client (python ssl, which presents its certificate whatever
# its issuer, so the daemon's own checks are exercised):
#   server side: a DN in the policy but not in tls_allowed_dn_list, a DN in
#   tls_allowed_dn_list but in no policy rule, a certificate from another
#   CA, an expired certificate, a certificate revoked by crl_file, no
#   certificate at all;
#   client side: a server certificate without the iPAddress SAN of the URI
#   host ("Failed to verify peer's certificate"), accepted with no_verify=1;
#   and node files outside hypervisor_uris, for any certificate.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
it_init
it_need_virsh
it_need_tvsh
it_make_pki

# customer2 is in policy.conf but not in the list; stranger is in the list
# but in no rule.
it_write_isp_conf <<EOF
tls_allowed_dn_list = [ "CN=customer1,O=Example ISP,C=GB", "CN=admin,O=Example ISP,C=GB",
                        "CN=stranger,O=Example ISP,C=GB", "CN=expired,O=Example ISP,C=GB",
                        "CN=revoked,O=Example ISP,C=GB" ]
EOF
it_start_daemon

probe() { # PKI-NAME: the raw client's verdict in $PROBE
    PROBE=$(timeout "$IT_TIMEOUT" "$IT_PYTHON" "$IT_SRCDIR/itlib.py" tls-probe "$IT_TLS_PORT" \
        "$IT_PKI/pki-$1" 2>&1)
}

refused_at_connect() { # how: the client's stderr must say so
    it_expect_rc 1
    it_expect_err "error: failed to connect to the hypervisor" "$@"
    it_expect_not_out cust1 cust2
}

# Each log line must appear once more than before the client ran.
log_mark() {
    LOG_BEFORE=$(it_log_count "$1")
}
expect_new_log() {
    local n
    n=$(it_log_count "$1")
    [ "$n" -gt "$LOG_BEFORE" ] || { tail -n 20 "$IT_DIR/daemon.log" >&2; it_fail "daemon log: no new '$1'"; }
}

IT_WHO=virsh
it_virsh "$(it_tls_uri customer1)" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "control: customer1 (allowed DN, in the policy) connects and lists its domains"

# ---- DN in the policy, not in tls_allowed_dn_list --------------------------
for client in it_virsh it_tvsh; do
    log_mark "'CN=customer2,O=Example ISP,C=GB' is not on the list of allowed clients"
    $client "$(it_tls_uri customer2)" list --all
    refused_at_connect "error: Unable to read TLS confirmation"
    expect_new_log "'CN=customer2,O=Example ISP,C=GB' is not on the list of allowed clients"
    it_ok "${client#it_}: customer2 (not in tls_allowed_dn_list) refused: Unable to read TLS confirmation; log: not on the list of allowed clients"
done

# ---- DN allowed by the list, but in no policy rule --------------------------
for client in it_virsh it_tvsh; do
    log_mark 'dn="CN=stranger,O=Example ISP,C=GB": connect:getattr denied'
    $client "$(it_tls_uri stranger)" list --all
    refused_at_connect "error: Unable to read TLS confirmation"
    expect_new_log 'dn="CN=stranger,O=Example ISP,C=GB": connect:getattr denied'
    it_ok "${client#it_}: stranger (in no policy rule) refused: Unable to read TLS confirmation; log: connect:getattr denied"
done
it_expect_log 'decided-by=dnpolicy reason="no rule matched"'

# ---- a certificate from another CA (customer1's DN) ---------------------------
it_virsh "$(it_tls_uri otherca)" list --all
refused_at_connect "failed validation against" "The certificate hasn't got a known issuer"
it_ok "virsh refuses to present a certificate of another CA (checks its own certificate first)"
it_tvsh "$(it_tls_uri otherca)" list --all
refused_at_connect "error: Unable to read TLS confirmation"
it_ok "tvsh with a certificate of another CA: refused by the daemon"
log_mark "certificate hasn't got a known issuer (DN 'CN=customer1,O=Example ISP,C=GB')"
probe otherca
[[ $PROBE == refused:* ]] || it_fail "raw client with another CA's certificate: $PROBE"
expect_new_log "Failed to verify peer's certificate: the certificate hasn't got a known issuer (DN 'CN=customer1,O=Example ISP,C=GB')"
it_ok "raw client with another CA's certificate: $PROBE; log: hasn't got a known issuer"

# ---- an expired certificate ------------------------------------------------------
it_virsh "$(it_tls_uri expired)" list --all
refused_at_connect "error: The client certificate $IT_PKI/pki-expired/clientcert.pem has expired"
it_ok "virsh refuses to present an expired certificate"
log_mark "the certificate has expired (DN 'CN=expired,O=Example ISP,C=GB')"
it_tvsh "$(it_tls_uri expired)" list --all
refused_at_connect "error: Unable to read TLS confirmation"
expect_new_log "Failed to verify peer's certificate: the certificate has expired (DN 'CN=expired,O=Example ISP,C=GB')"
it_ok "tvsh with an expired certificate: refused by the daemon (log: has expired)"
probe expired
[[ $PROBE == refused:* ]] || it_fail "raw client with an expired certificate: $PROBE"
it_ok "raw client with an expired certificate: $PROBE"

# ---- a certificate revoked by crl_file ----------------------------------------------
for client in it_virsh it_tvsh; do
    log_mark "the certificate has been revoked (DN 'CN=revoked,O=Example ISP,C=GB')"
    $client "$(it_tls_uri revoked)" list --all
    refused_at_connect "error: Unable to read TLS confirmation"
    expect_new_log "Failed to verify peer's certificate: the certificate has been revoked (DN 'CN=revoked,O=Example ISP,C=GB')"
    it_ok "${client#it_}: revoked certificate refused; log: has been revoked"
done

# ---- no client certificate --------------------------------------------------------------
for client in it_virsh it_tvsh; do
    log_mark "Certificate is required"
    $client "$(it_tls_uri nocert)" list --all
    refused_at_connect "error: Unable to read TLS confirmation"
    expect_new_log "Certificate is required"
    it_ok "${client#it_}: no client certificate refused; log: Certificate is required"
done
probe nocert
[[ $PROBE == refused:* ]] || it_fail "raw client without a certificate: $PROBE"
it_ok "raw client without a certificate: $PROBE"

# ---- hypervisor URIs the daemon does not serve (hypervisor_uris) ---------------------
# A test-driver URI names a file on the server: only the listed ones open,
# for every certificate, the admin's included.
for path in /etc/passwd "$(dirname "$IT_ISP_NODE")/../isp/node.xml" "$IT_DIR/tenvirtd.conf"; do
    it_virsh "$(it_tls_uri admin "$path")" list --all
    refused_at_connect "URI 'test://$path' is not one of the hypervisor URIs this daemon serves"
    it_ok "virsh as admin: test://$path refused: not one of the hypervisor URIs this daemon serves"
done
it_virsh "$(it_tls_uri admin /default)" list --all --name
it_expect_rc 0
it_expect_out_lines test
it_ok "virsh as admin: test:///default (listed) opens and lists 'test'"

it_virsh "$(it_tls_uri customer1)" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "customer1 still works after all the refusals"
it_expect_daemon_alive "after the refusals"
it_stop_daemon

# ---- client side: the server certificate lacks the IP SAN ------------------------------
it_write_isp_conf </dev/null
sed -i -e 's|/server-cert.pem|/servernoip-cert.pem|' -e 's|/server-key.pem|/servernoip-key.pem|' \
    "$IT_DIR/tenvirtd.conf"
grep -q servernoip-cert.pem "$IT_DIR/tenvirtd.conf" || it_fail "could not switch the server certificate"
it_start_daemon
for client in it_virsh it_tvsh; do
    IT_WHO=${client#it_}
    $client "$(it_tls_uri customer1)" list --all
    refused_at_connect "error: authentication failed: Failed to verify peer's certificate"
    it_ok "$IT_WHO: server certificate without IP SAN 127.0.0.1: Failed to verify peer's certificate"
    $client "$(it_tls_uri customer1 "" no_verify=1)" list --all --name
    it_expect_rc 0
    it_expect_out_lines cust1-db cust1-web
    it_ok "$IT_WHO: the same with no_verify=1 connects and lists cust1-db cust1-web"
done
it_stop_daemon
it_pass
