#!/bin/bash
# Stock virsh 9.0 against tenvirtd over plain TCP (no authentication):
# every command of the interop list, with its output and exit status, and
# the error text virsh prints when the daemon refuses.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/daemon/lib.sh"
tv_init
tv_need_virsh

tv_write_conf <<EOF
listen_tcp = 1
listen_tls = 0
auth_tcp = "none"
EOF
tv_start_daemon
[ -n "$TV_TCP_PORT" ] && [ "$TV_TCP_PORT" != 0 ] || tv_fail "no TCP port in: $TV_READY_LINE"
URI=$(tv_tcp_uri)

# ---- connection and host ------------------------------------------------
tv_virsh "$URI" uri
tv_expect_rc 0
tv_expect_out_exact "$URI"

tv_virsh "$URI" hostname
tv_expect_rc 0
[ -s "$TV_OUT" ] || tv_fail "empty hostname"

tv_virsh "$URI" version
tv_expect_rc 0
tv_expect_out "Using API: TEST" "Running hypervisor: TEST"

tv_virsh "$URI" version --daemon
tv_expect_rc 0
tv_expect_out "Running against daemon:"

tv_virsh "$URI" nodeinfo
tv_expect_rc 0
tv_expect_out "CPU model:           x86_64" "CPU frequency:       2400 MHz" \
    "Memory size:         16777216 KiB"

tv_virsh "$URI" capabilities
tv_expect_rc 0
tv_expect_out "<capabilities>"

# ---- lists --------------------------------------------------------------
tv_virsh "$URI" list --all
tv_expect_rc 0
tv_expect_out_re '^ *1 +cust1-web +running$' '^ *2 +cust2-web +running$' \
    '^ *- +cust1-db +shut off$' '^ *- +cust2-db +shut off$'

tv_virsh "$URI" list
tv_expect_rc 0
tv_expect_out "cust1-web" "cust2-web"
tv_expect_not_out "cust1-db"

tv_virsh "$URI" list --all --name
tv_expect_rc 0
[ "$(sort "$TV_OUT" | grep -v '^$' | tr '\n' ' ')" = "cust1-db cust1-web cust2-db cust2-web " ] ||
    { tv_show; tv_fail "list --name"; }

tv_virsh "$URI" list --all --uuid
tv_expect_rc 0
tv_expect_out "c1000000-0000-4000-8000-000000000001" "c2000000-0000-4000-8000-000000000002"

# ---- one domain ---------------------------------------------------------
tv_virsh "$URI" dominfo cust1-web
tv_expect_rc 0
tv_expect_out "Name:           cust1-web" "UUID:           c1000000-0000-4000-8000-000000000001" \
    "OS Type:        hvm" "State:          running" "CPU(s):         2" \
    "Max memory:     1048576 KiB" "Used memory:    524288 KiB" "Persistent:     yes" \
    "Autostart:      disable" "Managed save:   no"
tv_expect_not_out "Security model"

tv_virsh "$URI" domstate --reason cust1-db
tv_expect_rc 0
tv_expect_out "shut off"

tv_virsh "$URI" domid cust1-db
tv_expect_rc 0
tv_expect_out_exact "-"

tv_virsh "$URI" domname c1000000-0000-4000-8000-000000000001
tv_expect_rc 0
tv_expect_out_exact "cust1-web"

tv_virsh "$URI" domuuid cust2-web
tv_expect_rc 0
tv_expect_out_exact "c2000000-0000-4000-8000-000000000001"

tv_virsh "$URI" dumpxml cust1-web
tv_expect_rc 0
tv_expect_out "<name>cust1-web</name>" "<uuid>c1000000-0000-4000-8000-000000000001</uuid>"

tv_virsh "$URI" dominfo nosuch
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'nosuch'"

# ---- life cycle ---------------------------------------------------------
tv_virsh "$URI" start cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' started"
tv_virsh "$URI" domstate --reason cust1-db
tv_expect_out_exact "running (booted)"
tv_virsh "$URI" start cust1-db
tv_expect_rc 1
tv_expect_err "error: Domain is already active"

tv_virsh "$URI" suspend cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' suspended"
tv_virsh "$URI" domstate --reason cust1-db
tv_expect_out_exact "paused (user)"
tv_virsh "$URI" resume cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' resumed"

tv_virsh "$URI" reboot cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' is being rebooted"

tv_virsh "$URI" shutdown cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' is being shutdown"
tv_virsh "$URI" domstate --reason cust1-db
tv_expect_out_exact "shut off (shutdown)"

tv_virsh "$URI" start cust1-db
tv_expect_rc 0
tv_virsh "$URI" destroy cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' destroyed"
tv_virsh "$URI" domstate --reason cust1-db
tv_expect_out_exact "shut off (destroyed)"

tv_virsh "$URI" start --paused cust1-db
tv_expect_rc 0
tv_expect_out "Domain 'cust1-db' started"
tv_virsh "$URI" domstate --reason cust1-db
tv_expect_out_exact "paused (user)"
tv_virsh "$URI" destroy cust1-db
tv_expect_rc 0

# The driver's refusal, in libvirt's words.
tv_virsh "$URI" destroy cust1-db
tv_expect_rc 1
tv_expect_err "error: Failed to destroy domain 'cust1-db'" \
    "error: Requested operation is not valid: domain is not running"
tv_virsh "$URI" suspend cust1-db
tv_expect_rc 1
tv_expect_err "error: Failed to suspend domain 'cust1-db'"

# ---- define, autostart, undefine ----------------------------------------
tv_virsh "$URI" define "$TV_SRCDIR/data/newdom.xml"
tv_expect_rc 0
tv_expect_out "Domain 'cust1-new' defined from $TV_SRCDIR/data/newdom.xml"
tv_virsh "$URI" autostart cust1-new
tv_expect_rc 0
tv_expect_out "Domain 'cust1-new' marked as autostarted"
tv_virsh "$URI" dominfo cust1-new
tv_expect_out "Autostart:      enable" "State:          shut off"
tv_virsh "$URI" autostart --disable cust1-new
tv_expect_rc 0
tv_expect_out "Domain 'cust1-new' unmarked as autostarted"
tv_virsh "$URI" undefine cust1-new
tv_expect_rc 0
tv_expect_out "Domain 'cust1-new' has been undefined"
tv_virsh "$URI" dominfo cust1-new
tv_expect_rc 1
tv_expect_err "error: failed to get domain 'cust1-new'"

printf '<domain type="test"><name>broken</name>\n' >"$TV_DIR/broken.xml"
tv_virsh "$URI" define "$TV_DIR/broken.xml"
tv_expect_rc 1
tv_expect_err "error: Failed to define domain from $TV_DIR/broken.xml"

# ---- statistics ---------------------------------------------------------
tv_virsh "$URI" domstats
tv_expect_rc 0
tv_expect_out "Domain: 'cust1-web'" "Domain: 'cust2-db'" "state.state=1" "state.state=5" \
    "balloon.maximum=1048576" "vcpu.current=2"
tv_virsh "$URI" domstats --state cust2-web
tv_expect_rc 0
tv_expect_out "Domain: 'cust2-web'" "state.state=1" "state.reason=1"
tv_expect_not_out "cust1-web" "balloon."

# ---- read-only and the UNIX sockets --------------------------------------
tv_virsh "$(tv_unix_uri)" list --all --name
tv_expect_rc 0
tv_expect_out "cust1-web"
tv_run "$TV_VIRSH" -r -c "$URI" suspend cust2-web
tv_expect_rc 1
tv_expect_err "error: Failed to suspend domain 'cust2-web'" \
    "error: operation forbidden: read only access prevents virDomainSuspend"

# ---- only the configured hypervisor URIs can be opened --------------------
# A test-driver URI names a file on the daemon's host: clients must not pick
# arbitrary files, nor walk out of an allowed directory.
for path in /etc/passwd "$TV_SRCDIR/data/../../../README.md" "$TV_SRCDIR/data/./node.xml"; do
    tv_virsh "$(tv_tcp_uri "$path")" list --all
    tv_expect_rc 1
    tv_expect_err "error: failed to connect to the hypervisor" \
        "error: operation forbidden: URI 'test://$path' is not one of the hypervisor URIs this daemon serves"
done

# A clean stop with clients gone, and the pid file removed.
[ -f "$TV_DIR/tenvirtd.pid" ] || tv_fail "no pid file"
tv_stop_daemon TERM
[ ! -e "$TV_DIR/tenvirtd.pid" ] || tv_fail "pid file left behind"
[ ! -e "$TV_SOCK" ] || tv_fail "socket left behind"
tv_pass
