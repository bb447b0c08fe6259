#!/bin/bash
# SASL over plain TCP (DIGEST-MD5, security layer of >= 56 bits) with
# stock virsh, python3-libvirt and tvsh: each user sees what the policy
# gives it (sasl_restrict_username and a dnpolicy file), hidden domains
# look missing, sasl_allowed_username_list refuses outsiders; the layer
# really encrypts (a relay records the stream); bad input of every kind
# gets libvirt's error or a drop while the daemon carries on; repeated
# failed logins are throttled.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/sasl/lib.sh"
sasl_init
tv_need_virsh
tv_need_python

sasl_add_user alice alicepw
sasl_add_user bob bobpw
sasl_add_user admin adminpw
sasl_add_user ops-1 opspw
sasl_add_user mallory mallorypw
for u in alice:alicepw bob:bobpw admin:adminpw ops-1:opspw mallory:mallorypw; do
    sasl_auth_file "${u%%:*}" "${u#*:}"
done
sasl_auth_file wrong not-the-password
sed -i 's/^authname=wrong/authname=alice/' "$TV_DIR/auth-wrong.conf"
sasl_auth_file nosuch whatever
cp "$SASL_SRCDIR/policy.conf" "$TV_DIR/policy.conf"

tv_write_conf <<END
listen_tcp = 1
listen_tls = 0
auth_tcp = "sasl"
sasl_conf_dir = "sasl"
sasl_allowed_username_list = [ "alice", "bob", "admin", "ops-*", "nosuch" ]
auth_fail_max = 0
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "policy.conf"
sasl_restrict_username = [ "alice", "name:cust1-*", "ops-*", "*" ]
log_level = 2
log_outputs = "2:stderr"
END
tv_start_daemon
URI=$(tv_tcp_uri)

# ---- who sees what --------------------------------------------------------
sasl_virsh alice "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web " ] || { tv_show; tv_fail "alice's view"; }
tv_expect_log "authenticated as SASL user 'alice' (mechanism DIGEST-MD5, ssf 128)"

sasl_python "$URI" bob bobpw cust2-web cust1-web no-such-domain
tv_expect_rc 0
tv_expect_out "domains: cust2-db cust2-web" "cust2-web: found"
# Another tenant's domain is exactly as missing as one that does not exist.
tv_expect_out "cust1-web: error 42" "no-such-domain: error 42"

sasl_virsh admin "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web cust2-db cust2-web " ] || { tv_show; tv_fail "admin's view"; }
sasl_virsh ops-1 "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web cust2-db cust2-web " ] || { tv_show; tv_fail "ops-1's view"; }

sasl_virsh alice "$URI" dominfo cust2-web
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'cust2-web'"
sasl_virsh alice "$URI" start cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' started"
tv_expect_log 'identity=[transport=tcp sasl="alice"'

# ---- refusals ------------------------------------------------------------------
sasl_virsh mallory "$URI" list --all
tv_expect_rc 1
tv_expect_err "error: failed to connect to the hypervisor" \
    "error: authentication failed: authentication failed"
tv_expect_log "user 'mallory' is not on sasl_allowed_username_list"

sasl_virsh wrong "$URI" list --all
tv_expect_rc 1
tv_expect_err "error: authentication failed: authentication failed"
tv_expect_log "SASL authentication failed for client 127.0.0.1;" "mechanism DIGEST-MD5"
! grep -qF "not-the-password" "$TV_DIR/daemon.log" || tv_fail "a password reached the log"

sasl_virsh nosuch "$URI" list --all
tv_expect_rc 1
tv_expect_err "error: authentication failed: authentication failed"

# python without credentials for SASL: libvirt.open() cannot do it.
tv_run "$TV_PYTHON" -c "import libvirt; libvirt.open('$URI')"
[ "$TV_RC" != 0 ] || { tv_show; tv_fail "libvirt.open without credentials worked"; }

# ---- tvsh: auth file, environment, prompt ----------------------------------------
sasl_tvsh alice "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web " ] || { tv_show; tv_fail "tvsh alice's view"; }
TENVIRT_SASL_USERNAME=bob TENVIRT_SASL_PASSWORD=bobpw tv_run "$TV_TVSH" -c "$URI" list --all --name </dev/null
tv_expect_rc 0
[ "$(sasl_names)" = "cust2-db cust2-web " ] || { tv_show; tv_fail "tvsh bob (environment)"; }
# No terminal (setsid): the prompt reads standard input.
printf 'ops-1\nopspw\n' >"$TV_DIR/answers"
tv_run setsid "$TV_TVSH" -c "$URI" list --all --name <"$TV_DIR/answers"
tv_expect_rc 0
tv_expect_out "cust2-web" "cust1-web"
tv_expect_err "Please enter your authentication name for 127.0.0.1:" \
    "Please enter your password for 127.0.0.1:"
tv_run setsid "$TV_TVSH" -c "$URI" list --all </dev/null
tv_expect_rc 1
tv_expect_err "authentication cancelled"
TENVIRT_SASL_USERNAME=alice TENVIRT_SASL_PASSWORD=bad tv_run "$TV_TVSH" -c "$URI" list </dev/null
tv_expect_rc 1
tv_expect_err "authentication failed: authentication failed"

# ---- the wire: mechanisms, bad input ------------------------------------------------
# Only mechanisms with a security layer on TCP: no SCRAM, no PLAIN.
sasl_wire mechlist 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_exact "ok DIGEST-MD5"
sasl_wire noauth 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_exact "error 39 7 authentication required
error 39 7 authentication required"
sasl_wire badmech 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_exact "error 45 7 authentication failed: authentication failed
ok
error 45 7 authentication failed: authentication failed"
tv_expect_log "invalid mechanism name"
sasl_wire start-before-init 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_exact "error 45 7 authentication failed: authentication failed
error 45 7 authentication failed: authentication failed"
sasl_wire garbage-step 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_exact "error 45 7 authentication failed: authentication failed"
sasl_wire oversized 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_re "^(error 39 7 .*|dropped)$"
sasl_wire truncated 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out_re "^(error 39 7 .*|dropped)$"
sasl_wire short-message 127.0.0.1 "$TV_TCP_PORT"
tv_expect_out "ok sent"
sasl_daemon_alive

# A client stopping half-way holds its connection; everybody else goes on.
"$TV_PYTHON" "$SASL_SRCDIR/saslwire.py" stall 127.0.0.1 "$TV_TCP_PORT" 60 "$TV_DIR/stall.stop" \
    >"$TV_DIR/stall.out" 2>&1 &
stall_pid=$!
for _ in $(seq 1 300); do
    grep -q "challenge received" "$TV_DIR/stall.out" && break
    sleep 0.1
done
grep -q "ok challenge received" "$TV_DIR/stall.out" || tv_fail "stall: $(cat "$TV_DIR/stall.out")"
sasl_virsh bob "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust2-db cust2-web " ] || { tv_show; tv_fail "bob while another stalls"; }
touch "$TV_DIR/stall.stop"
wait "$stall_pid"

# ---- the security layer really encrypts ----------------------------------------------
relay_pid=
relay() {
    rm -f "$TV_DIR/relay.port" "$TV_DIR/$1"
    "$TV_PYTHON" "$SASL_SRCDIR/relay.py" "$TV_TCP_PORT" "$TV_DIR/$1" "$TV_DIR/relay.port" &
    relay_pid=$!
    for _ in $(seq 1 100); do
        [ -s "$TV_DIR/relay.port" ] && break
        sleep 0.1
    done
    [ -s "$TV_DIR/relay.port" ] || tv_fail "the relay did not start"
    RELAY_URI="test+tcp://127.0.0.1:$(cat "$TV_DIR/relay.port")$TV_NODE"
}
relay_stop() {
    kill "$relay_pid" 2>/dev/null
    wait "$relay_pid" 2>/dev/null
    relay_pid=
}
trap 'relay_stop; tv_cleanup' EXIT

relay sasl.capture
sasl_virsh alice "$RELAY_URI" list --all --name
tv_expect_rc 0
tv_expect_out "cust1-web"
sasl_virsh alice "$RELAY_URI" dumpxml cust1-web
tv_expect_rc 0
tv_expect_out "<name>cust1-web</name>"
relay_stop
# The negotiation itself is in clear (so the capture works) ...
grep -qa "DIGEST-MD5" "$TV_DIR/sasl.capture" || tv_fail "no SASL negotiation in the capture"
# ... what follows is not.
! grep -qa "cust1-web" "$TV_DIR/sasl.capture" || tv_fail "a domain name crossed the wire in clear"
! grep -qa "<domain" "$TV_DIR/sasl.capture" || tv_fail "domain XML crossed the wire in clear"

sasl_daemon_alive
tv_stop_daemon

# ---- control: the same over auth "none" shows the names ------------------------------------
tv_write_conf <<END
listen_tcp = 1
listen_tls = 0
auth_tcp = "none"
END
tv_start_daemon
relay clear.capture
tv_virsh "$RELAY_URI" list --all --name
tv_expect_rc 0
relay_stop
grep -qa "cust1-web" "$TV_DIR/clear.capture" || tv_fail "the control capture lacks the names"
tv_stop_daemon

# ---- the throttle ------------------------------------------------------------------------
tv_write_conf <<END
listen_tcp = 1
listen_tls = 0
auth_tcp = "sasl"
sasl_conf_dir = "sasl"
auth_fail_max = 3
auth_fail_window = 4
END
tv_start_daemon
URI=$(tv_tcp_uri)
for _ in 1 2 3; do
    sasl_virsh wrong "$URI" list
    tv_expect_rc 1
    tv_expect_err "error: authentication failed: authentication failed"
done
tv_expect_log "3 failed logins from 127.0.0.1 within 4 seconds: refusing authentication from it for 4 seconds"
# Now even the right password is refused, with a clear message.
sasl_virsh alice "$URI" list
tv_expect_rc 1
tv_expect_err "authentication failed: too many failed authentication attempts from this address, try again later"
tv_expect_log "refusing SASL authentication from 127.0.0.1 for"
# Until the window has passed.
sleep 4.5
sasl_virsh alice "$URI" list --all --name
tv_expect_rc 0
tv_expect_out "cust1-web"
tv_stop_daemon

tv_pass
