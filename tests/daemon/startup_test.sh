#!/bin/bash
# tenvirtd's command line and start-up refusals: every one exits 1 with a
# message that says what to fix; --version/--help exit 0; without --listen
# only the UNIX sockets open; the pid file guards against a second daemon
# and is removed at exit; SIGINT stops cleanly.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/daemon/lib.sh"
tv_init

run_daemon() {
    tv_run "$TV_TENVIRTD" "$@"
}

# ---- command line -------------------------------------------------------
run_daemon --version
tv_expect_rc 0
tv_expect_out "tenvirtd ("
run_daemon --help
tv_expect_rc 0
tv_expect_out "--config FILE" "--listen" "--pid-file FILE" "SIGHUP reloads the access policy"
run_daemon --bogus
tv_expect_rc 1
tv_expect_err "Usage: tenvirtd"
run_daemon extra-argument
tv_expect_rc 1
tv_expect_err "unexpected argument 'extra-argument'"

# ---- configuration errors ------------------------------------------------
run_daemon --config "$TV_DIR/missing.conf"
tv_expect_rc 1
tv_expect_err "tenvirtd: cannot load the configuration:" "$TV_DIR/missing.conf"

# Every bad line, each with FILE:LINE.
cat >"$TV_DIR/bad.conf" <<EOF
listen_tcp = 1
no_such_key = 1
max_workers = "many"
EOF
run_daemon --config "$TV_DIR/bad.conf"
tv_expect_rc 1
tv_expect_err "tenvirtd: the configuration has errors:" "$TV_DIR/bad.conf:2:" "$TV_DIR/bad.conf:3:"

# libvirtd's default auth_tcp is "sasl": with TCP open, the SASL
# configuration must offer a mechanism with a security layer.
mkdir -p "$TV_DIR/sasl-weak"
echo "mech_list: scram-sha-256" >"$TV_DIR/sasl-weak/libvirt.conf"
cat >"$TV_DIR/tcp.conf" <<EOF
listen_tcp = 1
listen_tls = 0
listen_addr = "127.0.0.1"
tcp_port = "0"
sasl_conf_dir = "sasl-weak"
unix_sock_dir = "$TV_DIR/sock-tcp"
EOF
run_daemon --config "$TV_DIR/tcp.conf" --listen
tv_expect_rc 1
tv_expect_err "tenvirtd: cannot set up SASL:" \
    "auth_tcp = \"sasl\", but the SASL configuration ($TV_DIR/sasl-weak/libvirt.conf) offers no mechanism for it: plain TCP needs one with a security layer"
[ ! -e "$TV_DIR/sock-tcp/libvirt-sock" ] || tv_fail "a socket was opened before refusing"

# A security layer weaker than stock clients accept is refused outright.
cat >"$TV_DIR/weak-ssf.conf" <<EOF
listen_tcp = 1
listen_tls = 0
tcp_min_ssf = 40
unix_sock_dir = "$TV_DIR/sock-ssf"
EOF
run_daemon --config "$TV_DIR/weak-ssf.conf" --listen
tv_expect_rc 1
tv_expect_err "tenvirtd: refusing to start:" "tcp_min_ssf = 40 is below 56"

# A policy error: no daemon, and every FILE:LINE.
cat >"$TV_DIR/broken.policy" <<EOF
allow unix-user=root perms=*
allow flying=yes perms=*
deny perms=domain:nosuchperm
EOF
cat >"$TV_DIR/policy.conf" <<EOF
access_drivers = [ "dnpolicy" ]
access_dnpolicy_file = "broken.policy"
unix_sock_dir = "$TV_DIR/sock-policy"
EOF
run_daemon --config "$TV_DIR/policy.conf"
tv_expect_rc 1
tv_expect_err "tenvirtd: the access policy has errors:" "$TV_DIR/broken.policy:2:" \
    "$TV_DIR/broken.policy:3:"

cat >"$TV_DIR/driver.conf" <<EOF
access_drivers = [ "nop", "nosuchdriver" ]
unix_sock_dir = "$TV_DIR/sock-driver"
EOF
run_daemon --config "$TV_DIR/driver.conf"
tv_expect_rc 1
tv_expect_err "unknown access driver 'nosuchdriver'"

# TLS enabled without certificates: refused, naming the file.
cat >"$TV_DIR/tls.conf" <<EOF
listen_addr = "127.0.0.1"
tls_port = "0"
ca_file = "pki/cacert.pem"
cert_file = "pki/servercert.pem"
key_file = "pki/serverkey.pem"
unix_sock_dir = "$TV_DIR/sock-tls"
EOF
run_daemon --config "$TV_DIR/tls.conf" --listen
tv_expect_rc 1
tv_expect_err "tenvirtd: cannot set up TLS:" "$TV_DIR/pki/"

# ---- a running daemon ----------------------------------------------------
# Without --listen: the UNIX sockets only, though TCP is configured.
tv_write_conf <<EOF
listen_tcp = 1
auth_tcp = "none"
unix_sock_rw_perms = "0770"
unix_sock_ro_perms = "0777"
EOF
tv_start_daemon --verbose
[ -z "$TV_TCP_PORT" ] && [ -z "$TV_TLS_PORT" ] || tv_fail "listened without --listen: $TV_READY_LINE"
[ -S "$TV_SOCK" ] && [ -S "$TV_SOCK_RO" ] || tv_fail "no UNIX sockets: $TV_READY_LINE"
[ "$(stat -c %a "$TV_SOCK")" = 770 ] || tv_fail "rw socket mode $(stat -c %a "$TV_SOCK")"
[ "$(stat -c %a "$TV_SOCK_RO")" = 777 ] || tv_fail "ro socket mode $(stat -c %a "$TV_SOCK_RO")"
[ "$(cat "$TV_DIR/tenvirtd.pid")" = "$TV_DAEMON_PID" ] ||
    [ -n "${TENVIRTD_WRAPPER:-}" ] || tv_fail "pid file holds $(cat "$TV_DIR/tenvirtd.pid")"
tv_expect_log " debug : "

# A second daemon on the same pid file gives up before touching sockets.
run_daemon --config "$TV_DIR/tenvirtd.conf" --pid-file "$TV_DIR/tenvirtd.pid"
tv_expect_rc 1
tv_expect_err "is another tenvirtd running?"
[ -S "$TV_SOCK" ] || tv_fail "the second daemon removed the first one's socket"

tv_stop_daemon INT
[ ! -e "$TV_DIR/tenvirtd.pid" ] || tv_fail "pid file left behind"
tv_pass
