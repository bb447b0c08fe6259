#!/bin/bash
# The UNIX sockets and plain TCP with auth_tcp = "none":
#   libvirt-sock-ro: every client is read-only whatever it asks; it can
#   list and read, start/destroy fail (stock virsh connects to it without
#   -r, so the refusal comes from the daemon); libvirt-sock: read-write;
#   TCP: identified by transport only, the policy gives it the cust1-*
#   domains; a transport with no rule (TLS here) gets "access denied".

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
it_init
it_need_virsh

cat >"$IT_DIR/policy.conf" <<'EOF'
role viewer = connect:getattr,connect:read,connect:search_domains,domain:getattr,domain:read
# Local clients: everything (the readonly driver still guards the -ro socket).
allow transport=unix perms=*
# Unauthenticated TCP: look at and start/stop the cust1-* domains only.
allow transport=tcp domain=cust1-* perms=@viewer,domain:start,domain:stop
EOF
it_write_conf <<EOF
listen_tls = 0
listen_tcp = 1
auth_tcp = "none"
auth_unix_ro = "none"
auth_unix_rw = "none"
unix_sock_ro_perms = "0777"
unix_sock_rw_perms = "0700"
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "$IT_DIR/policy.conf"
EOF
it_start_daemon
[ -n "$IT_TCP_PORT" ] || it_fail "no TCP port in the ready line"
[ "$IT_SOCK" = "$IT_DIR/sock/libvirt-sock" ] && [ "$IT_SOCK_RO" = "$IT_DIR/sock/libvirt-sock-ro" ] ||
    it_fail "sockets not where unix_sock_dir says: $IT_READY_LINE"
[[ $IT_READY_LINE != *", tls "* ]] || it_fail "a TLS listener although listen_tls = 0"
it_ok "ready line: both UNIX sockets in unix_sock_dir, a tcp listener, no tls"

perm_of() {
    stat -c '%a %F' "$1"
}
[ "$(perm_of "$IT_SOCK_RO")" = "777 socket" ] || it_fail "libvirt-sock-ro is $(perm_of "$IT_SOCK_RO")"
[ "$(perm_of "$IT_SOCK")" = "700 socket" ] || it_fail "libvirt-sock is $(perm_of "$IT_SOCK")"
it_ok "socket modes: libvirt-sock-ro 777, libvirt-sock 700"

RO=$(it_unix_uri "$IT_SOCK_RO")
RW=$(it_unix_uri "$IT_SOCK")
TCP=$(it_tcp_uri)
ALL_STATES=("cust1-db=running" "cust2-shop=running" "cust1-web=shut off" "cust2-mail=shut off"
    "isp-monitor=shut off")

# ---- the read-only socket ------------------------------------------------------
IT_WHO="virsh on libvirt-sock-ro"
it_virsh "$RO" list --all
it_expect_rc 0
it_expect_states "${ALL_STATES[@]}"
it_virsh "$RO" dominfo cust2-shop
it_expect_rc 0
it_expect_out_re '^State: +running$'
it_ok "$IT_WHO: dominfo cust2-shop works"
it_virsh "$RO" start cust1-web
it_expect_rc 1
it_expect_err_exact "error: Failed to start domain 'cust1-web'
error: operation forbidden: read only access prevents virDomainCreate"
it_ok "$IT_WHO: start cust1-web: operation forbidden: read only access prevents virDomainCreate"
it_virsh "$RO" destroy cust1-db
it_expect_rc 1
it_expect_err "error: Failed to destroy domain 'cust1-db'" "read only access"
it_ok "$IT_WHO: destroy cust1-db refused (read only access)"
it_virsh "$RO" suspend cust2-shop
it_expect_rc 1
it_expect_err "error: Failed to suspend domain 'cust2-shop'" "read only access"
it_ok "$IT_WHO: suspend cust2-shop refused (read only access)"
if [ -x "$IT_TVSH" ]; then
    IT_WHO="tvsh on libvirt-sock-ro"
    it_tvsh "$RO" start cust1-web
    it_expect_rc 1
    it_expect_err "error: Failed to start domain 'cust1-web'" "read only access"
    it_ok "$IT_WHO: start cust1-web refused (read only access)"
fi
if "$IT_PYTHON" -c 'import libvirt' 2>/dev/null; then
    it_run "$IT_PYTHON" -c '
import sys, libvirt
libvirt.registerErrorHandler(lambda c, e: None, None)
c = libvirt.open(sys.argv[1])
print("names", " ".join(sorted(d.name() for d in c.listAllDomains(0))))
try:
    c.lookupByName("cust1-web").create()
    print("create succeeded")
except libvirt.libvirtError as e:
    print("create", e.get_error_code(), e.get_error_message())
' "$RO"
    it_expect_rc 0
    it_expect_out "names cust1-db cust1-web cust2-mail cust2-shop isp-monitor" \
        "create 29 operation forbidden: read only access prevents virDomainCreate"
    it_ok "python3-libvirt on libvirt-sock-ro: lists all five, create() fails with code 29"
fi
# The built-in default host, as in the docs' example URI.
IT_WHO="virsh on libvirt-sock-ro, test:///default"
it_virsh "test+unix:///default?socket=$IT_SOCK_RO" list --all
it_expect_rc 0
it_expect_states "test=running"
it_virsh "test+unix:///default?socket=$IT_SOCK_RO" destroy test
it_expect_rc 1
it_expect_err "error: Failed to destroy domain 'test'" \
    "error: operation forbidden: read only access prevents virDomainDestroy"
it_ok "$IT_WHO: destroy test refused (read only access)"
IT_WHO="virsh on libvirt-sock (read-write)"
it_virsh "$RW" list --all
it_expect_rc 0
it_expect_states "${ALL_STATES[@]}"
it_ok "nothing changed through the read-only socket"

# ---- the read-write socket -------------------------------------------------------
it_virsh "$RW" start isp-monitor
it_expect_rc 0
it_expect_out "Domain 'isp-monitor' started"
it_virsh "$RW" destroy isp-monitor
it_expect_rc 0
it_expect_out "Domain 'isp-monitor' destroyed"
it_ok "$IT_WHO: start and destroy isp-monitor"
it_virsh_ro "$RW" start isp-monitor
it_expect_rc 1
it_expect_err "read only access"
it_ok "virsh -r on libvirt-sock: start refused"

# ---- TCP, auth none --------------------------------------------------------------------
IT_WHO="virsh over tcp (auth none)"
it_virsh "$TCP" list --all
it_expect_rc 0
it_expect_states "cust1-db=running" "cust1-web=shut off"
it_virsh "$TCP" start cust1-web
it_expect_rc 0
it_expect_out "Domain 'cust1-web' started"
it_virsh "$TCP" destroy cust1-web
it_expect_rc 0
it_expect_out "Domain 'cust1-web' destroyed"
it_ok "$IT_WHO: start and destroy cust1-web"
it_virsh "$TCP" suspend cust1-db
it_expect_rc 1
it_expect_err_exact "error: Failed to suspend domain 'cust1-db'
error: access denied: domain:suspend"
it_ok "$IT_WHO: suspend cust1-db: access denied: domain:suspend (not in the tcp rule)"
it_same_as_missing it_virsh "$TCP" cust2-shop no-such-domain dominfo @
it_virsh_ro "$TCP" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "virsh -r over tcp lists cust1-db cust1-web"
if [ -x "$IT_TVSH" ]; then
    IT_WHO="tvsh over tcp"
    it_tvsh "$TCP" list --all
    it_expect_rc 0
    it_expect_states "cust1-db=running" "cust1-web=shut off"
fi
if "$IT_PYTHON" -c 'import libvirt' 2>/dev/null; then
    it_run "$IT_PYTHON" -c '
import sys, libvirt
c = libvirt.open(sys.argv[1])
print("secure", c.isSecure(), "encrypted", c.isEncrypted())
' "$TCP"
    it_expect_rc 0
    it_expect_out "secure 0 encrypted 0"
    it_ok "python3-libvirt over tcp: isSecure() 0, isEncrypted() 0"
fi
IT_WHO="virsh on libvirt-sock"
it_virsh "$RW" list --all
it_expect_rc 0
it_expect_states "${ALL_STATES[@]}"
it_expect_daemon_alive "after the UNIX and TCP clients"
it_stop_daemon
[ ! -e "$IT_SOCK" ] && [ ! -e "$IT_SOCK_RO" ] || it_fail "sockets left behind after SIGTERM"
it_ok "tenvirtd stopped cleanly and removed its sockets"
it_pass
