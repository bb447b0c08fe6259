# isp_matrix.sh: the ISP example's access matrix, driven through one
# command-line client (sourced by isp_virsh_test.sh and isp_tvsh_test.sh
# after setting IT_CLIENT to "virsh" or "tvsh").
#
# A real tenvirtd serves examples/isp/node.xml over TLS with
# examples/isp/policy.conf; each customer, the admin and a stranger
# connect with their own certificate.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
it_init
case $IT_CLIENT in
virsh) it_need_virsh ;;
tvsh) it_need_tvsh ;;
*) it_fail "IT_CLIENT must be virsh or tvsh" ;;
esac
it_make_pki
it_write_isp_conf </dev/null
it_start_daemon
[ -n "$IT_TLS_PORT" ] || it_fail "no TLS port in the ready line"

C1=$(it_tls_uri customer1)
C2=$(it_tls_uri customer2)
ADMIN=$(it_tls_uri admin)
STRANGER=$(it_tls_uri stranger)

cl() {
    "it_$IT_CLIENT" "$@"
}

cl_ro() {
    "it_${IT_CLIENT}_ro" "$@"
}

# as WHO: sets IT_WHO for the messages of the checks that follow.
as() {
    IT_WHO="$IT_CLIENT as $1"
}

expect_state() { # URI DOMAIN STATE
    cl "$1" domstate "$2"
    it_expect_rc 0
    [ "$(grep -v '^$' "$IT_OUT")" = "$3" ] || { it_show; it_fail "$2 is not '$3'"; }
    it_ok "$IT_WHO: domstate $2 = $3"
}

is_shut_off() { # URI DOMAIN
    cl "$1" domstate "$2"
    [ "$IT_RC" = 0 ] && [ "$(grep -v '^$' "$IT_OUT")" = "shut off" ]
}

# ---- what each one sees ------------------------------------------------
as customer1
cl "$C1" list --all
it_expect_rc 0
it_expect_states "cust1-db=running" "cust1-web=shut off"
cl "$C1" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "$IT_WHO: list --all --name is exactly cust1-db cust1-web"

as customer2
cl "$C2" list --all
it_expect_rc 0
it_expect_states "cust2-shop=running" "cust2-mail=shut off"

as admin
cl "$ADMIN" list --all
it_expect_rc 0
it_expect_states "cust1-db=running" "cust2-shop=running" "cust1-web=shut off" \
    "cust2-mail=shut off" "isp-monitor=shut off"

# ---- dominfo: own domain works, the others' look missing ---------------
as customer1
cl "$C1" dominfo cust1-web
it_expect_rc 0
it_expect_out_re '^Name: +cust1-web$' '^UUID: +1b2c3d4e-0001-4000-8000-000000000001$' \
    '^State: +shut off$' '^CPU\(s\): +2$' '^Max memory: +2097152 KiB$'
it_ok "$IT_WHO: dominfo cust1-web shows its name, UUID, state, CPUs and memory"

cl "$C1" dominfo cust2-shop
it_expect_rc 1
it_expect_err "error: failed to get domain 'cust2-shop'"
it_expect_not_err "access denied"
it_ok "$IT_WHO: dominfo cust2-shop: error: failed to get domain 'cust2-shop'"
it_same_as_missing cl "$C1" cust2-shop no-such-domain dominfo @
it_same_as_missing cl "$C1" isp-monitor no-such-domain dominfo @
# By UUID and by id (cust2-shop runs with id 2, as the admin saw).
it_same_as_missing cl "$C1" 2b2c3d4e-0002-4000-8000-000000000001 \
    2b2c3d4e-0002-4000-8000-0000000000ff dominfo @
it_same_as_missing cl "$C1" 2 99 dominfo @
# Actions on a hidden domain: reported missing, not denied.
it_same_as_missing cl "$C1" cust2-mail no-such-domain start @
it_same_as_missing cl "$C1" cust2-shop no-such-domain destroy @
it_same_as_missing cl "$C1" cust2-shop no-such-domain suspend @

as customer2
cl "$C2" dominfo cust2-shop
it_expect_rc 0
it_expect_out_re '^Name: +cust2-shop$' '^State: +running$'
it_ok "$IT_WHO: dominfo cust2-shop (granted by UUID) works"
it_same_as_missing cl "$C2" cust1-web no-such-domain dominfo @

# ---- start / shutdown / destroy of their own domain ----------------------
as customer1
cl "$C1" start cust1-web
it_expect_rc 0
it_expect_out "Domain 'cust1-web' started"
it_ok "$IT_WHO: start cust1-web: Domain 'cust1-web' started"
expect_state "$C1" cust1-web running
cl "$C1" shutdown cust1-web
it_expect_rc 0
it_expect_out "Domain 'cust1-web' is being shutdown"
it_ok "$IT_WHO: shutdown cust1-web: Domain 'cust1-web' is being shutdown"
it_wait_for 30 is_shut_off "$C1" cust1-web || { it_show; it_fail "cust1-web never shut off"; }
it_ok "$IT_WHO: cust1-web reached 'shut off' after shutdown"
cl "$C1" start cust1-web
it_expect_rc 0
cl "$C1" destroy cust1-web
it_expect_rc 0
it_expect_out "Domain 'cust1-web' destroyed"
it_ok "$IT_WHO: destroy cust1-web: Domain 'cust1-web' destroyed"
expect_state "$C1" cust1-web "shut off"

# The deny rule: customer1 may not force off cust1-db.
cl "$C1" destroy cust1-db
it_expect_rc 1
it_expect_err_exact "error: Failed to destroy domain 'cust1-db'
error: access denied: domain:stop"
it_ok "$IT_WHO: destroy cust1-db: error: access denied: domain:stop"
as admin
expect_state "$ADMIN" cust1-db running
deny_line=$(grep -n '^deny ' "$IT_DIR/policy.conf" | cut -d: -f1)
it_expect_log "access denied: perm=domain:stop" "name='cust1-db'" \
    "reason=\"$IT_DIR/policy.conf:$deny_line\""
it_ok "daemon audit log: domain:stop on cust1-db denied by policy.conf:$deny_line"

# What the role allows on cust1-db: pause and resume.
as customer1
cl "$C1" suspend cust1-db
it_expect_rc 0
expect_state "$C1" cust1-db paused
cl "$C1" resume cust1-db
it_expect_rc 0
expect_state "$C1" cust1-db running

# customer2 drives the domain it was given by name.
as customer2
cl "$C2" start cust2-mail
it_expect_rc 0
it_expect_out "Domain 'cust2-mail' started"
cl "$C2" destroy cust2-mail
it_expect_rc 0
it_expect_out "Domain 'cust2-mail' destroyed"
it_ok "$IT_WHO: start and destroy cust2-mail"

# ---- the admin does everything ------------------------------------------
as admin
cl "$ADMIN" start isp-monitor
it_expect_rc 0
it_expect_out "Domain 'isp-monitor' started"
cl "$ADMIN" destroy isp-monitor
it_expect_rc 0
it_ok "$IT_WHO: start and destroy isp-monitor"

# ---- read-only connections cannot start anything ---------------------------
as "customer1 (read-only)"
cl_ro "$C1" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "$IT_WHO: list works"
cl_ro "$C1" start cust1-web
it_expect_rc 1
it_expect_err "error: Failed to start domain 'cust1-web'" \
    "error: operation forbidden: read only access prevents virDomainCreate"
it_ok "$IT_WHO: start cust1-web refused: operation forbidden: read only access"
as "admin (read-only)"
cl_ro "$ADMIN" start isp-monitor
it_expect_rc 1
it_expect_err "error: Failed to start domain 'isp-monitor'"
it_ok "$IT_WHO: start isp-monitor refused"
as admin
expect_state "$ADMIN" cust1-web "shut off"
expect_state "$ADMIN" isp-monitor "shut off"

# ---- domstats: only their own domains --------------------------------------
domstats_names() {
    sed -n "s/^Domain: '\(.*\)'\$/\1/p" "$IT_OUT" | sort | tr '\n' ' '
}
if [ "$IT_CLIENT" = virsh ]; then
    as customer1
    cl "$C1" domstats
    it_expect_rc 0
    [ "$(domstats_names)" = "cust1-db cust1-web " ] || { it_show; it_fail "customer1's domstats"; }
    it_expect_out_re '^  state\.state=1$' '^  state\.state=5$'
    it_ok "$IT_WHO: domstats shows exactly cust1-db and cust1-web"
    it_same_as_missing cl "$C1" cust2-shop no-such-domain domstats @
    as customer2
    cl "$C2" domstats
    it_expect_rc 0
    [ "$(domstats_names)" = "cust2-mail cust2-shop " ] || { it_show; it_fail "customer2's domstats"; }
    it_ok "$IT_WHO: domstats shows exactly cust2-mail and cust2-shop"
    as admin
    cl "$ADMIN" domstats
    it_expect_rc 0
    [ "$(domstats_names)" = "cust1-db cust1-web cust2-mail cust2-shop isp-monitor " ] ||
        { it_show; it_fail "admin's domstats"; }
    it_ok "$IT_WHO: domstats shows all five domains"
else
    echo "(tvsh has no domstats command: domstats checked with virsh and python)"
fi

# ---- a certificate the policy does not know: refused at connect -------------
as stranger
cl "$STRANGER" list --all
it_expect_rc 1
it_expect_err "error: failed to connect to the hypervisor" \
    "error: Unable to read TLS confirmation"
it_expect_not_out cust1 cust2 isp-monitor
it_ok "$IT_WHO: refused at connect: failed to connect to the hypervisor / Unable to read TLS confirmation"
it_expect_log 'dn="CN=stranger,O=Example ISP,C=GB": connect:getattr denied'
it_ok "daemon log: stranger refused (connect:getattr denied)"

it_expect_daemon_alive "after the matrix"
it_stop_daemon
it_ok "tenvirtd stopped cleanly on SIGTERM"
it_pass
