#!/bin/bash
# SASL on the UNIX sockets (auth_unix_rw = auth_unix_ro = "sasl") with
# stock virsh: the peer's uid alone no longer lets anybody in; each SASL
# user sees what the policy gives it; the read-only socket stays
# read-only after login; a wrong password and an outsider are refused.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/sasl/lib.sh"
sasl_init
tv_need_virsh

sasl_add_user alice alicepw
sasl_add_user admin adminpw
sasl_add_user mallory mallorypw
# virsh looks credentials up under the host name "localhost" for a socket.
unix_auth_file() {
    cat >"$TV_DIR/auth-$1.conf" <<EOC
[credentials-$1]
authname=$1
password=$2

[auth-libvirt-localhost]
credentials=$1
EOC
}
unix_auth_file alice alicepw
unix_auth_file admin adminpw
unix_auth_file mallory mallorypw
unix_auth_file wrong not-the-password
sed -i 's/^authname=wrong/authname=alice/' "$TV_DIR/auth-wrong.conf"
cp "$SASL_SRCDIR/policy.conf" "$TV_DIR/policy.conf"

tv_write_conf <<END
listen_tcp = 0
listen_tls = 0
auth_unix_rw = "sasl"
auth_unix_ro = "sasl"
sasl_conf_dir = "sasl"
sasl_allowed_username_list = [ "alice", "admin" ]
auth_fail_max = 0
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "policy.conf"
sasl_restrict_username = [ "alice", "name:cust1-*" ]
log_level = 2
log_outputs = "2:stderr"
END
tv_start_daemon
URI=$(tv_unix_uri)
RO_URI=$(tv_unix_uri "" "$TV_SOCK_RO")

# Without credentials the socket's uid is not enough any more.
LIBVIRT_AUTH_FILE=/dev/null tv_virsh "$URI" list --all --name </dev/null
tv_expect_rc 1
tv_expect_err "error: failed to connect to the hypervisor"
tv_expect_not_out "cust1-web"

sasl_virsh alice "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web " ] || { tv_show; tv_fail "alice's view"; }
tv_expect_log "authenticated as SASL user 'alice'"
tv_expect_log 'transport=unix'

sasl_virsh alice "$URI" dominfo cust2-web
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'cust2-web'"

sasl_virsh admin "$URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web cust2-db cust2-web " ] || { tv_show; tv_fail "admin's view"; }

# The read-only socket: logged in, still read-only.
sasl_virsh admin "$RO_URI" list --all --name
tv_expect_rc 0
[ "$(sasl_names)" = "cust1-db cust1-web cust2-db cust2-web " ] || { tv_show; tv_fail "admin's ro view"; }
sasl_virsh admin "$RO_URI" start cust2-db
tv_expect_rc 1

sasl_virsh mallory "$URI" list --all
tv_expect_rc 1
tv_expect_err "error: authentication failed: authentication failed"
tv_expect_log "user 'mallory' is not on sasl_allowed_username_list"

sasl_virsh wrong "$URI" list --all
tv_expect_rc 1
tv_expect_err "error: authentication failed: authentication failed"

sasl_daemon_alive
tv_pass
