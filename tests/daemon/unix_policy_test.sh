#!/bin/bash
# A dnpolicy over UNIX users and transports, with stock virsh: a tenant
# sees and drives only its domains, gets "access denied" for what its role
# lacks and "failed to get domain" for other tenants' domains; the
# read-only socket refuses changes; decisions are audited in the daemon's
# log, never sent to clients; SIGHUP swaps the policy, and a broken one
# is refused with its FILE:LINE errors while the old one stays in force.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/daemon/lib.sh"
tv_init
tv_need_virsh

ME=$(id -un)
write_policy() {
    cat >"$TV_DIR/policy.conf" <<EOF
role viewer   = connect:getattr,connect:read,connect:search_domains,domain:getattr,domain:read
role customer = @viewer,domain:start,domain:stop,domain:init_control,domain:suspend
allow transport=tcp perms=*
allow transport=unix unix-user=$ME domain=$1 perms=@customer
EOF
}
write_policy 'cust1-*'
tv_write_conf <<EOF
listen_tcp = 1
listen_tls = 0
auth_tcp = "none"
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "policy.conf"
log_level = 2
EOF
tv_start_daemon
ADMIN=$(tv_tcp_uri)
TENANT=$(tv_unix_uri)
RO=$(tv_unix_uri "$TV_NODE" "$TV_SOCK_RO")

# ---- the tenant's view -----------------------------------------------------
tv_virsh "$TENANT" list --all --name
tv_expect_rc 0
[ "$(grep -v '^$' "$TV_OUT" | sort | tr '\n' ' ')" = "cust1-db cust1-web " ] ||
    { tv_show; tv_fail "tenant sees other domains"; }

tv_virsh "$TENANT" domstats
tv_expect_rc 0
tv_expect_out "Domain: 'cust1-web'"
tv_expect_not_out "cust2"

# Another tenant's domain does not exist, by name or by UUID.
tv_virsh "$TENANT" dominfo cust2-web
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'cust2-web'"
tv_virsh "$TENANT" destroy c2000000-0000-4000-8000-000000000001
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'c2000000-0000-4000-8000-000000000001'"
tv_virsh "$ADMIN" domstate cust2-web
tv_expect_out_exact "running"

# What the role allows works; what it lacks is denied, and audited.
tv_virsh "$TENANT" start cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' started"
tv_virsh "$TENANT" suspend cust1-db
tv_expect_rc 0
tv_virsh "$TENANT" destroy cust1-db
tv_expect_rc 0
tv_virsh "$TENANT" undefine cust1-db
tv_expect_rc 1
tv_expect_err "error: access denied"
tv_virsh "$TENANT" autostart cust1-web
tv_expect_rc 1
tv_expect_err "error: Failed to mark domain 'cust1-web' as autostarted" "error: access denied"
tv_expect_log "access.audit" "perm=domain:write" "decided-by=dnpolicy"
# The reason stays in the log.
! grep -q "no rule matched" "$TV_ERR" || tv_fail "the audit reason reached the client"

# ---- the read-only socket ----------------------------------------------------
tv_virsh "$RO" list --all --name
tv_expect_rc 0
tv_expect_out "cust1-web"
tv_virsh "$RO" start cust1-db
tv_expect_rc 1
tv_expect_err "error: Failed to start domain 'cust1-db'" \
    "error: operation forbidden: read only access prevents virDomainCreate"
tv_virsh "$ADMIN" domstate cust1-db
tv_expect_out_exact "shut off"

# ---- SIGHUP -------------------------------------------------------------------
# A broken policy: every bad line is logged, the old policy stays.
cat >"$TV_DIR/policy.conf" <<EOF
allow transport=unix unix-user=$ME domain=cust2-* perms=*
allow frobnicate=1 perms=*
allow transport=unix perms=domain:fly
EOF
tv_reload_daemon
tv_expect_log "policy.conf:2:" "policy.conf:3:" "keeping the current one"
tv_virsh "$TENANT" list --all --name
tv_expect_out "cust1-web"
tv_expect_not_out "cust2-web"

# A good one takes over at once, for new and for connected clients.
write_policy 'cust2-*'
sed -i 's/^listen_tls = 0/listen_tls = 1/' "$TV_DIR/tenvirtd.conf"
tv_reload_daemon
tv_expect_log "SIGHUP: access policy reloaded" "'listen_tls' changed; it takes effect only"
tv_virsh "$TENANT" list --all --name
[ "$(grep -v '^$' "$TV_OUT" | sort | tr '\n' ' ')" = "cust2-db cust2-web " ] ||
    { tv_show; tv_fail "reloaded policy not in force"; }

tv_stop_daemon INT
tv_pass
