#!/bin/bash
# `virsh event --all --loop` against tenvirtd: lifecycle and reboot events
# caused by another client arrive, and each listener gets only the events
# of domains its identity may see (a TCP admin sees all, the local UNIX
# user only cust1-*).

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/daemon/lib.sh"
tv_init
tv_need_virsh

ME=$(id -un)
cat >"$TV_DIR/policy.conf" <<EOF
allow transport=tcp perms=*
allow transport=unix unix-user=$ME domain=cust1-* perms=connect:*,domain:*
EOF
tv_write_conf <<EOF
listen_tcp = 1
listen_tls = 0
auth_tcp = "none"
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "policy.conf"
log_level = 1
log_outputs = "3:stderr 1:file:$TV_DIR/debug.log"
EOF
tv_start_daemon
TCP=$(tv_tcp_uri)
UNIX=$(tv_unix_uri)

# Start a listener; wait until the daemon has its lifecycle registration.
start_listener() {
    local name=$1 uri=$2 before tries=$((TV_READY_TIMEOUT * 10))

    before=$(grep -c 'event 0 registered as callback' "$TV_DIR/debug.log" 2>/dev/null)
    timeout "$TV_CLIENT_TIMEOUT" "$TV_VIRSH" -c "$uri" event --all --loop --timeout 8 \
        >"$TV_DIR/$name.out" 2>"$TV_DIR/$name.err" &
    eval "${name}_PID=$!"
    until [ "$(grep -c 'event 0 registered as callback' "$TV_DIR/debug.log")" -gt "$before" ]; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || tv_fail "$name never registered for events"
        sleep 0.1
    done
}

start_listener admin "$TCP"
start_listener tenant "$UNIX"

tv_virsh "$TCP" suspend cust2-web
tv_expect_rc 0
tv_virsh "$TCP" suspend cust1-web
tv_expect_rc 0
tv_virsh "$TCP" resume cust1-web
tv_expect_rc 0
tv_virsh "$TCP" reboot cust1-web
tv_expect_rc 0

wait "$admin_PID" || tv_fail "admin listener: rc $? $(cat "$TV_DIR/admin.err")"
wait "$tenant_PID" || tv_fail "tenant listener: rc $? $(cat "$TV_DIR/tenant.err")"

TV_OUT=$TV_DIR/admin.out TV_ERR=$TV_DIR/admin.err TV_RC=0 TV_CMD="virsh event (admin)"
tv_expect_out "event 'lifecycle' for domain 'cust2-web': Suspended Paused" \
    "event 'lifecycle' for domain 'cust1-web': Suspended Paused" \
    "event 'lifecycle' for domain 'cust1-web': Resumed Unpaused" \
    "event 'reboot' for domain 'cust1-web'" \
    "event loop timed out" "events received: 4"

# The tenant heard nothing of cust2-web: not even that it exists.
TV_OUT=$TV_DIR/tenant.out TV_ERR=$TV_DIR/tenant.err TV_RC=0 TV_CMD="virsh event (tenant)"
tv_expect_out "event 'lifecycle' for domain 'cust1-web': Suspended Paused" \
    "event 'lifecycle' for domain 'cust1-web': Resumed Unpaused" \
    "event 'reboot' for domain 'cust1-web'" "events received: 3"
tv_expect_not_out "cust2"
# Neither listener complained about the event IDs tenvirtd does not emit.
[ ! -s "$TV_DIR/admin.err" ] || tv_fail "admin listener stderr: $(cat "$TV_DIR/admin.err")"
[ ! -s "$TV_DIR/tenant.err" ] || tv_fail "tenant listener stderr: $(cat "$TV_DIR/tenant.err")"

tv_stop_daemon
tv_pass
