#!/bin/bash
# python3-libvirt 9.0 (the system's /usr/bin/python3) against tenvirtd:
# lists, queries, create, statistics and events (client.py), over TCP as
# an admin and over the UNIX socket as a tenant limited to cust1-*.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/daemon/lib.sh"
tv_init
tv_need_python

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
EOF
tv_start_daemon

tv_run "$TV_PYTHON" "$TV_SRCDIR/client.py" "$(tv_tcp_uri)" "$(tv_unix_uri)"
tv_expect_rc 0
tv_expect_out "PASS"

# python may drop the socket without CONNECT_CLOSE; the daemon copes and
# stops cleanly afterwards.
tv_run "$TV_PYTHON" -c "
import libvirt, os
c = libvirt.open('$(tv_tcp_uri)')
c.listAllDomains(0)
os._exit(0)
"
tv_expect_rc 0
tv_stop_daemon
tv_pass
