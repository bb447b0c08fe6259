# lib.sh: shared harness of the integration tests (sourced by bash).
#
# Every test runs its own tenvirtd on 127.0.0.1 with ports "0" (the daemon
# picks free ports and prints them in its ready line) and UNIX sockets in
# a private temporary directory, with certificates made at test time; the
# daemon is always stopped when the test exits. Tests can therefore run in
# parallel, with each other and with themselves.
#
#   . "$abs_top_srcdir/tests/integration/lib.sh"
#   it_init                      # $IT_DIR, traps, private $HOME
#   it_make_pki                  # $IT_PKI/pki-NAME/ for every client
#   it_write_conf <<EOF ... EOF  # $IT_DIR/tenvirtd.conf (+ defaults)
#   it_start_daemon              # IT_TLS_PORT, IT_TCP_PORT, IT_SOCK, IT_SOCK_RO
#   it_virsh "$(it_tls_uri customer1)" list --all --name
#   it_expect_rc 0; it_expect_out_lines "cust1-db" "cust1-web"
#
# Each it_expect_* prints "ok: ..." when it holds, and fails the test
# (with the command, its output and the end of the daemon log) when not.
#
# Environment: TENVIRTD_WRAPPER runs the daemon under a tool (valgrind,
# ...); IT_TIMEOUT is the per-client timeout in seconds (default 60);
# IT_KEEP=1 keeps the temporary directory.

set -u

: "${abs_top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
# Canonical: a build configured as ../configure gets "BUILD/.." here, and
# the daemon's hypervisor_uris refuse paths with ".." segments.
abs_top_srcdir=$(cd "$abs_top_srcdir" && pwd -P)
abs_top_builddir=$(cd "$abs_top_builddir" && pwd -P)
IT_SRCDIR=$abs_top_srcdir/tests/integration
IT_TENVIRTD=$abs_top_builddir/daemon/tenvirtd
IT_TVSH=$abs_top_builddir/tools/tvsh
IT_ISP_NODE=$abs_top_srcdir/examples/isp/node.xml
IT_ISP_POLICY=$abs_top_srcdir/examples/isp/policy.conf
# The system's clients: the python3 first in PATH may lack libvirt.
IT_VIRSH=/usr/bin/virsh
IT_PYTHON=/usr/bin/python3
CERTTOOL=${CERTTOOL:-certtool}
# Generous: a loaded 2-core machine, valgrind.
IT_READY_TIMEOUT=${IT_READY_TIMEOUT:-60}
IT_TIMEOUT=${IT_TIMEOUT:-60}

# The DNs of the ISP example (policy.conf).
IT_DN_customer1="CN=customer1,O=Example ISP,C=GB"
IT_DN_customer2="CN=customer2,O=Example ISP,C=GB"
IT_DN_admin="CN=admin,O=Example ISP,C=GB"
IT_DN_stranger="CN=stranger,O=Example ISP,C=GB"

IT_DIR=
IT_DAEMON_PID=
IT_BG_PIDS=()
IT_CHECKS=0
IT_WHO=client

it_log() {
    echo "$*"
}

it_skip() {
    echo "SKIP: $(basename "$0"): $*"
    exit 77
}

it_fail() {
    echo "FAIL: $(basename "$0"): $*" >&2
    exit 1
}

it_ok() {
    IT_CHECKS=$((IT_CHECKS + 1))
    echo "ok: $*"
}

it_pass() {
    echo "PASS: $(basename "$0") ($IT_CHECKS checks)"
}

it_cleanup() {
    local rc=$? pid

    trap - EXIT
    for pid in "${IT_BG_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -n "$IT_DAEMON_PID" ]; then
        kill -TERM "$IT_DAEMON_PID" 2>/dev/null
        it_wait_pid "$IT_DAEMON_PID" 20 || kill -KILL "$IT_DAEMON_PID" 2>/dev/null
        wait "$IT_DAEMON_PID" 2>/dev/null
        IT_DAEMON_PID=
    fi
    if [ -n "$IT_DIR" ]; then
        if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -f "$IT_DIR/daemon.log" ]; then
            echo "---- daemon log ($IT_DIR/daemon.log, last 60 lines) ----" >&2
            tail -n 60 "$IT_DIR/daemon.log" >&2
        fi
        if [ "${IT_KEEP:-0}" = 1 ]; then
            echo "kept $IT_DIR" >&2
        else
            rm -rf "$IT_DIR"
        fi
    fi
    exit "$rc"
}

# Wait up to $2 seconds for process $1 to end. 0 if it did.
it_wait_pid() {
    local pid=$1 tries=$(($2 * 10))

    while [ "$tries" -gt 0 ]; do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}

# Wait up to $1 seconds for the command "$2..." to succeed. 0 if it did.
it_wait_for() {
    local tries=$(($1 * 10))

    shift
    while ! "$@"; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || return 1
        sleep 0.1
    done
    return 0
}

it_init() {
    [ -x "$IT_TENVIRTD" ] || it_skip "no $IT_TENVIRTD (build daemon/tenvirtd first)"
    IT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tv-integ.XXXXXX") || it_fail "mktemp"
    trap it_cleanup EXIT
    trap 'exit 1' INT TERM
    # Clients must neither read nor write the invoking user's files.
    mkdir -p "$IT_DIR/home"
    export HOME=$IT_DIR/home XDG_CONFIG_HOME=$IT_DIR/home/.config \
        XDG_CACHE_HOME=$IT_DIR/home/.cache XDG_RUNTIME_DIR=$IT_DIR/home
    unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_LOG_OUTPUTS LIBVIRT_DEBUG \
        LIBVIRT_LOG_FILTERS
    # Stable English messages from every client.
    export LC_ALL=C LANG=C
}

it_need_virsh() {
    [ -x "$IT_VIRSH" ] || it_skip "no $IT_VIRSH"
}

it_need_python() {
    "$IT_PYTHON" -c 'import libvirt' 2>/dev/null || it_skip "no python3-libvirt for $IT_PYTHON"
}

it_need_tvsh() {
    [ -x "$IT_TVSH" ] || it_skip "no $IT_TVSH"
}

it_need_certtool() {
    command -v "$CERTTOOL" >/dev/null 2>&1 || it_skip "no certtool (gnutls-bin)"
}

# ---------------------------------------------------------------------------
# PKI. RSA keys: certtool omits keyEncipherment for ECDSA keys, which stock
# libvirt checks on server certificates.

it_certtool() {
    "$CERTTOOL" "$@" >>"$IT_PKI/certtool.log" 2>&1 ||
        it_fail "certtool $* failed: $(tail -n 5 "$IT_PKI/certtool.log")"
}

it_genkey() {
    it_certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$1"
}

# it_ca PREFIX "CN": self-signed CA PREFIXcert.pem / PREFIXkey.pem
it_ca() {
    it_genkey "$IT_PKI/$1key.pem"
    cat >"$IT_PKI/$1.tmpl" <<EOF
cn = "$2"
organization = "Tenvirt Integration Tests"
serial = 1
expiration_days = 3650
ca
cert_signing_key
crl_signing_key
EOF
    it_certtool --generate-self-signed --load-privkey "$IT_PKI/$1key.pem" \
        --template "$IT_PKI/$1.tmpl" --outfile "$IT_PKI/$1cert.pem"
}

IT_SERIAL=100
# it_leaf NAME CAPREFIX server|client "DN" [template lines]...
# makes NAME-cert.pem and NAME-key.pem
it_leaf() {
    local name=$1 ca=$2 kind=$3 dn=$4 line

    shift 4
    it_genkey "$IT_PKI/$name-key.pem"
    IT_SERIAL=$((IT_SERIAL + 1))
    {
        echo "dn = \"$dn\""
        echo "serial = $IT_SERIAL"
        echo "signing_key"
        echo "encryption_key"
        if [ "$kind" = server ]; then echo "tls_www_server"; else echo "tls_www_client"; fi
        for line in "$@"; do echo "$line"; done
        case "$*" in
        *expiration_date*) ;;
        *) echo "expiration_days = 3650" ;;
        esac
    } >"$IT_PKI/$name.tmpl"
    it_certtool --generate-certificate --load-privkey "$IT_PKI/$name-key.pem" \
        --load-ca-certificate "$IT_PKI/${ca}cert.pem" --load-ca-privkey "$IT_PKI/${ca}key.pem" \
        --template "$IT_PKI/$name.tmpl" --outfile "$IT_PKI/$name-cert.pem"
}

# A pkipath directory as stock virsh wants it: cacert.pem, clientcert.pem,
# clientkey.pem (no CRL: the client side checks only the server).
it_pkidir() {
    local name=$1 cert=${2:-$1}

    mkdir -p "$IT_PKI/pki-$name"
    cp "$IT_PKI/cacert.pem" "$IT_PKI/pki-$name/cacert.pem"
    if [ -n "$cert" ] && [ "$cert" != none ]; then
        cp "$IT_PKI/$cert-cert.pem" "$IT_PKI/pki-$name/clientcert.pem"
        cp "$IT_PKI/$cert-key.pem" "$IT_PKI/pki-$name/clientkey.pem"
    fi
}

# it_make_pki: in $IT_DIR/pki ($IT_PKI):
#   cacert.pem cakey.pem cacrl.pem (revokes "revoked")
#   server-cert.pem server-key.pem           CN=localhost, DNS:localhost, IP:127.0.0.1
#   servernoip-cert.pem servernoip-key.pem   DNS:localhost only
#   pki-NAME/ for customer1 customer2 admin stranger (see IT_DN_*), expired
#     (valid 2000..2001), revoked, otherca (customer1's DN from another CA),
#     nocert (only cacert.pem)
# plus any NAME "DN" pairs given as arguments.
it_make_pki() {
    local name

    it_need_certtool
    IT_PKI=$IT_DIR/pki
    mkdir -p "$IT_PKI"
    : >"$IT_PKI/certtool.log"
    it_ca ca "Tenvirt Integration CA"
    it_ca otherca "Tenvirt Integration Other CA"
    it_leaf server ca server "CN=localhost,O=Tenvirt Integration Tests" \
        'dns_name = "localhost"' 'ip_address = "127.0.0.1"'
    it_leaf servernoip ca server "CN=localhost,O=Tenvirt Integration Tests" \
        'dns_name = "localhost"'
    for name in customer1 customer2 admin stranger; do
        eval "it_leaf $name ca client \"\$IT_DN_$name\""
        it_pkidir "$name"
    done
    it_leaf expired ca client "CN=expired,O=Example ISP,C=GB" \
        'activation_date = "2000-01-01 00:00:00 UTC"' 'expiration_date = "2001-01-01 00:00:00 UTC"'
    it_pkidir expired
    it_leaf revoked ca client "CN=revoked,O=Example ISP,C=GB"
    it_pkidir revoked
    it_leaf otherca otherca client "$IT_DN_customer1"
    it_pkidir otherca
    it_pkidir nocert none
    while [ $# -ge 2 ]; do
        it_leaf "$1" ca client "$2"
        it_pkidir "$1"
        shift 2
    done
    cat >"$IT_PKI/crl.tmpl" <<EOF
crl_next_update = 3650
crl_number = 1
EOF
    it_certtool --generate-crl --load-ca-privkey "$IT_PKI/cakey.pem" \
        --load-ca-certificate "$IT_PKI/cacert.pem" \
        --load-certificate "$IT_PKI/revoked-cert.pem" --template "$IT_PKI/crl.tmpl" \
        --outfile "$IT_PKI/cacrl.pem"
}

# The TLS settings of a daemon using the PKI ($1: server or servernoip).
it_tls_conf() {
    local server=${1:-server}
    cat <<EOF
ca_file = "$IT_PKI/cacert.pem"
crl_file = "$IT_PKI/cacrl.pem"
cert_file = "$IT_PKI/$server-cert.pem"
key_file = "$IT_PKI/$server-key.pem"
EOF
}

# ---------------------------------------------------------------------------
# The daemon.

# The configuration on stdin, completed with the test's socket directory,
# loopback listeners on ports "0" and hypervisor_uris allowing
# test:///default and the ISP node file, unless the text sets them.
it_write_conf() {
    local conf=$IT_DIR/tenvirtd.conf

    cat >"$conf"
    grep -q '^unix_sock_dir' "$conf" || echo "unix_sock_dir = \"$IT_DIR/sock\"" >>"$conf"
    grep -q '^listen_addr' "$conf" || echo 'listen_addr = "127.0.0.1"' >>"$conf"
    grep -q '^tcp_port' "$conf" || echo 'tcp_port = "0"' >>"$conf"
    grep -q '^tls_port' "$conf" || echo 'tls_port = "0"' >>"$conf"
    grep -q '^hypervisor_uris' "$conf" ||
        echo "hypervisor_uris = [ \"test:///default\", \"test://$IT_ISP_NODE\" ]" >>"$conf"
}

# The ISP example's configuration: TLS, [readonly, dnpolicy], a copy of
# examples/isp/policy.conf in $IT_DIR/policy.conf. Extra lines on stdin
# (if any) are appended.
it_write_isp_conf() {
    local extra=

    cp "$IT_ISP_POLICY" "$IT_DIR/policy.conf"
    [ -t 0 ] || extra=$(cat)
    it_write_conf <<EOF
listen_tls = 1
listen_tcp = 0
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "$IT_DIR/policy.conf"
log_level = 3
$(it_tls_conf server)
$extra
EOF
}

# Start the daemon with $IT_DIR/tenvirtd.conf (arguments are passed on;
# default --listen) and wait for its ready line, then parse it.
it_start_daemon() {
    local args=("$@") tries line log

    [ ${#args[@]} -gt 0 ] || args=(--listen)
    log=$IT_DIR/daemon.log
    [ -f "$log" ] && cat "$log" >>"$IT_DIR/daemon.log.old"
    # shellcheck disable=SC2086
    ${TENVIRTD_WRAPPER:-} "$IT_TENVIRTD" --config "$IT_DIR/tenvirtd.conf" \
        --pid-file "$IT_DIR/tenvirtd.pid" "${args[@]}" >"$log" 2>&1 &
    IT_DAEMON_PID=$!

    tries=$((IT_READY_TIMEOUT * 10))
    while ! line=$(grep -m1 '^tenvirtd: listening on ' "$log" 2>/dev/null); do
        if ! kill -0 "$IT_DAEMON_PID" 2>/dev/null; then
            wait "$IT_DAEMON_PID"
            IT_DAEMON_PID=
            cat "$log" >&2
            it_fail "tenvirtd exited before it was ready"
        fi
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || it_fail "tenvirtd not ready after ${IT_READY_TIMEOUT}s"
        sleep 0.1
    done
    IT_READY_LINE=$line
    IT_TCP_PORT=$(sed -n 's/.*, tcp [^ ,]*:\([0-9]*\).*/\1/p' <<<"$line")
    IT_TLS_PORT=$(sed -n 's/.*, tls [^ ,]*:\([0-9]*\).*/\1/p' <<<"$line")
    IT_SOCK=$(sed -n 's/.*listening on unix \([^ ,]*\).*/\1/p' <<<"$line")
    IT_SOCK_RO=$(sed -n 's/.*, unix-ro \([^ ,]*\).*/\1/p' <<<"$line")
    echo "daemon: $line"
}

# Stop the daemon with signal $1 (default TERM); fail unless it exits 0.
it_stop_daemon() {
    local sig=${1:-TERM} rc

    [ -n "$IT_DAEMON_PID" ] || return 0
    kill -"$sig" "$IT_DAEMON_PID" || it_fail "cannot signal tenvirtd"
    it_wait_pid "$IT_DAEMON_PID" 60 || it_fail "tenvirtd did not stop on SIG$sig"
    wait "$IT_DAEMON_PID"
    rc=$?
    IT_DAEMON_PID=
    [ "$rc" = 0 ] || it_fail "tenvirtd exited with $rc after SIG$sig"
}

it_daemon_alive() {
    [ -n "$IT_DAEMON_PID" ] && kill -0 "$IT_DAEMON_PID" 2>/dev/null
}

it_expect_daemon_alive() {
    it_daemon_alive || it_fail "tenvirtd is not running any more"
    it_ok "tenvirtd still running ($*)"
}

# Lines of the daemon log matching the fixed string $1.
it_log_count() {
    grep -cF -- "$1" "$IT_DIR/daemon.log"
}

# Send SIGHUP and wait until the log shows one more reload outcome. The
# outcome's line is in IT_RELOAD_LINE.
IT_RELOAD_OUTCOMES='SIGHUP: (access policy reloaded|the configuration does not load|the new access policy does not load)'
it_reload_daemon() {
    local before

    before=$(it__count_re "$IT_RELOAD_OUTCOMES")
    kill -HUP "$IT_DAEMON_PID" || it_fail "cannot signal tenvirtd"
    it_wait_for "$IT_READY_TIMEOUT" it__more_re "$IT_RELOAD_OUTCOMES" "$before" ||
        it_fail "no reload outcome logged within ${IT_READY_TIMEOUT}s after SIGHUP"
    IT_RELOAD_LINE=$(grep -E "$IT_RELOAD_OUTCOMES" "$IT_DIR/daemon.log" | tail -n 1)
}

it__count_re() {
    grep -cE -- "$1" "$IT_DIR/daemon.log"
}

it__more_re() {
    [ "$(it__count_re "$1")" -gt "$2" ]
}

# ---------------------------------------------------------------------------
# URIs and clients.

# it_tls_uri CLIENT [NODE] [EXTRA_QUERY]
it_tls_uri() {
    local q=
    [ -n "${3:-}" ] && q="&$3"
    echo "test+tls://127.0.0.1:$IT_TLS_PORT${2:-$IT_ISP_NODE}?pkipath=$IT_PKI/pki-$1$q"
}

it_tcp_uri() {
    echo "test+tcp://127.0.0.1:$IT_TCP_PORT${1:-$IT_ISP_NODE}"
}

it_unix_uri() {
    echo "test+unix://${2:-$IT_ISP_NODE}?socket=${1:-$IT_SOCK}"
}

# Run a client; IT_RC, IT_OUT (file), IT_ERR (file), IT_CMD say what it did.
it_run() {
    IT_OUT=$IT_DIR/out IT_ERR=$IT_DIR/err
    timeout "$IT_TIMEOUT" "$@" >"$IT_OUT" 2>"$IT_ERR" </dev/null
    IT_RC=$?
    IT_CMD="$*"
}

it_virsh() {
    local uri=$1
    shift
    it_run "$IT_VIRSH" -c "$uri" "$@"
}

it_virsh_ro() {
    local uri=$1
    shift
    it_run "$IT_VIRSH" -r -c "$uri" "$@"
}

it_tvsh() {
    local uri=$1
    shift
    it_run "$IT_TVSH" -c "$uri" "$@"
}

it_tvsh_ro() {
    local uri=$1
    shift
    it_run "$IT_TVSH" -r -c "$uri" "$@"
}

it_show() {
    {
        echo "---- command: $IT_CMD (rc $IT_RC)"
        echo "---- stdout:"
        cat "$IT_OUT"
        echo "---- stderr:"
        cat "$IT_ERR"
    } >&2
}

# Assertions. The optional last-but-not-fixed argument style is avoided:
# each function checks one thing and prints what it checked.

it_expect_rc() {
    [ "$IT_RC" = "$1" ] || { it_show; it_fail "exit status $IT_RC, expected $1"; }
}

it_expect_fail() {
    [ "$IT_RC" != 0 ] && [ "$IT_RC" != 124 ] ||
        { it_show; it_fail "exit status $IT_RC, expected a failure (not a timeout)"; }
}

# Fixed strings, each contained in stdout.
it_expect_out() {
    local s
    for s in "$@"; do
        grep -qF -- "$s" "$IT_OUT" || { it_show; it_fail "stdout lacks '$s'"; }
    done
}

it_expect_out_re() {
    local s
    for s in "$@"; do
        grep -qE -- "$s" "$IT_OUT" || { it_show; it_fail "stdout has no line matching /$s/"; }
    done
}

it_expect_not_out() {
    local s
    for s in "$@"; do
        ! grep -qF -- "$s" "$IT_OUT" || { it_show; it_fail "stdout has '$s'"; }
    done
}

it_expect_err() {
    local s
    for s in "$@"; do
        grep -qF -- "$s" "$IT_ERR" || { it_show; it_fail "stderr lacks '$s'"; }
    done
}

it_expect_not_err() {
    local s
    for s in "$@"; do
        ! grep -qF -- "$s" "$IT_ERR" || { it_show; it_fail "stderr has '$s'"; }
    done
}

# The non-empty lines of stdout, sorted, must be exactly the arguments.
it_expect_out_lines() {
    local got want

    got=$(grep -v '^[[:space:]]*$' "$IT_OUT" | sed 's/[[:space:]]*$//' | sort | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || { it_show; it_fail "stdout lines are [$got], expected [$want]"; }
}

# stderr must be exactly $1 (after removing empty lines).
it_expect_err_exact() {
    local got

    got=$(grep -v '^[[:space:]]*$' "$IT_ERR")
    [ "$got" = "$1" ] || { it_show; it_fail "stderr is not exactly: $1"; }
}

it_expect_log() {
    local s
    for s in "$@"; do
        grep -qF -- "$s" "$IT_DIR/daemon.log" ||
            { tail -n 40 "$IT_DIR/daemon.log" >&2; it_fail "daemon log lacks '$s'"; }
    done
}

# "virsh list" style output (Id, Name, State columns) as sorted
# "name=state" lines.
it_list_states() {
    awk 'NF >= 3 && $1 != "Id" {
             n = $2; $1 = ""; $2 = ""; sub(/^ +/, ""); print n "=" $0 }' "$IT_OUT" | sort
}

# The listed domains and states must be exactly the "name=state" arguments.
it_expect_states() {
    local got want

    got=$(it_list_states | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    [ "$got" = "$want" ] || { it_show; it_fail "listed [$got], expected [$want]"; }
    it_ok "$IT_WHO lists exactly: $*"
}

# What a command did (exit status, stdout, stderr) with every occurrence
# of $1 replaced by "<NAME>": two commands that differ only in the name
# they were given can then be compared.
it_outcome() {
    {
        echo "rc=$IT_RC"
        echo "stdout:"
        cat "$IT_OUT"
        echo "stderr:"
        grep -v -e '^[0-9-]* [0-9:.+]*: [0-9]*: info : ' "$IT_ERR"
    } | sed "s/$1/<NAME>/g"
}

# it_same_as_missing CLIENT-FUNC URI HIDDEN MISSING ARGS...: running ARGS
# with HIDDEN (another tenant's domain) and with MISSING (no such domain)
# in place of the word "@" must give identical results, and fail.
it_same_as_missing() {
    local fn=$1 uri=$2 hidden=$3 missing=$4 a1=() a2=() a o1 o2

    shift 4
    for a in "$@"; do
        if [ "$a" = @ ]; then a1+=("$hidden"); a2+=("$missing"); else a1+=("$a"); a2+=("$a"); fi
    done
    "$fn" "$uri" "${a1[@]}"
    it_expect_fail
    o1=$(it_outcome "$hidden")
    "$fn" "$uri" "${a2[@]}"
    it_expect_fail
    o2=$(it_outcome "$missing")
    if [ "$o1" != "$o2" ]; then
        echo "---- with hidden '$hidden':" >&2
        echo "$o1" >&2
        echo "---- with missing '$missing':" >&2
        echo "$o2" >&2
        it_fail "'${a1[*]}' does not fail exactly like '${a2[*]}'"
    fi
    it_ok "$IT_WHO: '${a1[*]}' fails exactly like '${a2[*]}': $(grep -m1 . "$IT_ERR")"
}

# Run a background job whose pid is killed at exit.
it_bg() {
    "$@" &
    IT_BG_PIDS+=($!)
    IT_BG_PID=$!
}
