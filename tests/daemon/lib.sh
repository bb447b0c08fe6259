# lib.sh: shared harness of the tenvirtd script tests (sourced, bash).
#
# Each test gets a private temporary directory and its own daemon on
# 127.0.0.1 with port "0" (the daemon picks free ports and prints them in
# its ready line), so tests run in parallel with each other and with
# themselves. The daemon is always stopped when the test exits.
#
#   . "$abs_top_srcdir/tests/daemon/lib.sh"
#   tv_init
#   tv_write_conf <<EOF ... EOF          # $TV_DIR/tenvirtd.conf
#   tv_start_daemon                      # sets TV_TCP_PORT, TV_TLS_PORT, TV_SOCK, TV_SOCK_RO
#   tv_virsh "$URI" list --all           # sets TV_RC, TV_OUT, TV_ERR
#   tv_expect_rc 0; tv_expect_out "cust1-web"; tv_expect_err "error: ..."
#
# Environment: TENVIRTD_WRAPPER runs the daemon under a tool, e.g.
#   TENVIRTD_WRAPPER="valgrind --error-exitcode=99 --leak-check=full"
# (its exit status is checked when the daemon is stopped).

set -u

: "${abs_top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
TV_SRCDIR=$(cd "$abs_top_srcdir/tests/daemon" && pwd -P)
TV_TENVIRTD=$abs_top_builddir/daemon/tenvirtd
TV_NODE=$TV_SRCDIR/data/node.xml
# The system's clients, not whatever python3 comes first in PATH.
TV_VIRSH=/usr/bin/virsh
TV_PYTHON=/usr/bin/python3
# Generous: a loaded 2-core machine, valgrind.
TV_READY_TIMEOUT=${TV_READY_TIMEOUT:-60}
TV_CLIENT_TIMEOUT=${TV_CLIENT_TIMEOUT:-60}

TV_DIR=
TV_DAEMON_PID=
TV_FAILED=0

tv_skip() {
    echo "SKIP: $*"
    exit 77
}

tv_fail() {
    echo "FAIL: $*" >&2
    TV_FAILED=1
    exit 1
}

tv_cleanup() {
    local rc=$?

    if [ -n "$TV_DAEMON_PID" ]; then
        kill -TERM "$TV_DAEMON_PID" 2>/dev/null
        tv_wait_pid "$TV_DAEMON_PID" 20 || kill -KILL "$TV_DAEMON_PID" 2>/dev/null
        wait "$TV_DAEMON_PID" 2>/dev/null
        TV_DAEMON_PID=
    fi
    if [ -n "$TV_DIR" ]; then
        if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -f "$TV_DIR/daemon.log" ]; then
            echo "---- daemon log ($TV_DIR/daemon.log, last 60 lines) ----" >&2
            tail -n 60 "$TV_DIR/daemon.log" >&2
        fi
        rm -rf "$TV_DIR"
    fi
    exit "$rc"
}

# Wait up to $2 seconds for process $1 to end. 0 if it did.
tv_wait_pid() {
    local pid=$1 tries=$(($2 * 10))

    while [ "$tries" -gt 0 ]; do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
        tries=$((tries - 1))
    done
    return 1
}

tv_init() {
    [ -x "$TV_TENVIRTD" ] || tv_skip "no $TV_TENVIRTD (build daemon/tenvirtd first)"
    TV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tenvirtd-test.XXXXXX") || tv_fail "mktemp"
    trap tv_cleanup EXIT
    trap 'exit 1' INT TERM
    # Clients must not read or write the invoking user's files.
    mkdir -p "$TV_DIR/home"
    export HOME=$TV_DIR/home XDG_CONFIG_HOME=$TV_DIR/home/.config \
        XDG_CACHE_HOME=$TV_DIR/home/.cache XDG_RUNTIME_DIR=$TV_DIR/home
    unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_LOG_OUTPUTS LIBVIRT_DEBUG
}

tv_need_virsh() {
    [ -x "$TV_VIRSH" ] || tv_skip "no $TV_VIRSH"
}

tv_need_python() {
    "$TV_PYTHON" -c 'import libvirt' 2>/dev/null || tv_skip "no python3-libvirt for $TV_PYTHON"
}

# The configuration on stdin, with the test's socket directory and
# loopback-only listeners on free ports unless the text sets them.
tv_write_conf() {
    local conf=$TV_DIR/tenvirtd.conf

    cat >"$conf"
    grep -q '^unix_sock_dir' "$conf" || echo "unix_sock_dir = \"$TV_DIR/sock\"" >>"$conf"
    grep -q '^listen_addr' "$conf" || echo 'listen_addr = "127.0.0.1"' >>"$conf"
    grep -q '^tcp_port' "$conf" || echo 'tcp_port = "0"' >>"$conf"
    grep -q '^tls_port' "$conf" || echo 'tls_port = "0"' >>"$conf"
    # The tests serve node files from their data directory too.
    grep -q '^hypervisor_uris' "$conf" ||
        echo "hypervisor_uris = [ \"test:///default\", \"test://$TV_SRCDIR/data/*.xml\", \"test://$TV_DIR/*.xml\" ]" >>"$conf"
}

# Start the daemon with $TV_DIR/tenvirtd.conf (extra arguments are passed
# on; without any, --listen) and wait for its ready line.
tv_start_daemon() {
    local args=("$@") tries line

    [ ${#args[@]} -gt 0 ] || args=(--listen)
    # shellcheck disable=SC2086
    ${TENVIRTD_WRAPPER:-} "$TV_TENVIRTD" --config "$TV_DIR/tenvirtd.conf" \
        --pid-file "$TV_DIR/tenvirtd.pid" "${args[@]}" >"$TV_DIR/daemon.log" 2>&1 &
    TV_DAEMON_PID=$!

    tries=$((TV_READY_TIMEOUT * 10))
    while ! line=$(grep -m1 '^tenvirtd: listening on ' "$TV_DIR/daemon.log" 2>/dev/null); do
        if ! kill -0 "$TV_DAEMON_PID" 2>/dev/null; then
            wait "$TV_DAEMON_PID"
            TV_DAEMON_PID=
            tv_fail "tenvirtd exited before it was ready"
        fi
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || tv_fail "tenvirtd not ready after ${TV_READY_TIMEOUT}s"
        sleep 0.1
    done
    TV_READY_LINE=$line
    TV_TCP_PORT=$(sed -n 's/.*, tcp [^ ,]*:\([0-9]*\).*/\1/p' <<<"$line")
    TV_TLS_PORT=$(sed -n 's/.*, tls [^ ,]*:\([0-9]*\).*/\1/p' <<<"$line")
    TV_SOCK=$(sed -n 's/.*listening on unix \([^ ,]*\),.*/\1/p' <<<"$line")
    TV_SOCK_RO=$(sed -n 's/.*, unix-ro \([^ ,]*\).*/\1/p' <<<"$line")
}

# Stop the daemon with signal $1 (default TERM); fail unless it exits 0.
tv_stop_daemon() {
    local sig=${1:-TERM} rc

    [ -n "$TV_DAEMON_PID" ] || return 0
    kill -"$sig" "$TV_DAEMON_PID" || tv_fail "cannot signal tenvirtd"
    tv_wait_pid "$TV_DAEMON_PID" 60 || tv_fail "tenvirtd did not stop on SIG$sig"
    wait "$TV_DAEMON_PID"
    rc=$?
    TV_DAEMON_PID=
    [ "$rc" = 0 ] || tv_fail "tenvirtd exited with $rc after SIG$sig"
}

# Send SIGHUP and wait until the daemon logged the outcome of the reload.
tv_reload_daemon() {
    local before tries=$((TV_READY_TIMEOUT * 10))

    before=$(tv_count_reloads)
    kill -HUP "$TV_DAEMON_PID" || tv_fail "cannot signal tenvirtd"
    while [ "$(tv_count_reloads)" -le "$before" ]; do
        tries=$((tries - 1))
        [ "$tries" -gt 0 ] || tv_fail "no reload outcome logged after SIGHUP"
        sleep 0.1
    done
}

tv_count_reloads() {
    grep -c -e 'SIGHUP: access policy reloaded' -e 'SIGHUP: the configuration does not load' \
        -e 'SIGHUP: the new access policy does not load' "$TV_DIR/daemon.log"
}

tv_tcp_uri() {
    echo "test+tcp://127.0.0.1:$TV_TCP_PORT${1:-$TV_NODE}"
}

tv_unix_uri() {
    echo "test+unix://${1:-$TV_NODE}?socket=${2:-$TV_SOCK}"
}

# Run a client; TV_RC, TV_OUT and TV_ERR hold what it did.
tv_run() {
    TV_OUT=$TV_DIR/out TV_ERR=$TV_DIR/err
    timeout "$TV_CLIENT_TIMEOUT" "$@" >"$TV_OUT" 2>"$TV_ERR"
    TV_RC=$?
    TV_CMD="$*"
}

tv_virsh() {
    local uri=$1

    shift
    tv_run "$TV_VIRSH" -c "$uri" "$@"
}

tv_show() {
    echo "---- command: $TV_CMD (rc $TV_RC)" >&2
    echo "---- stdout:" >&2
    cat "$TV_OUT" >&2
    echo "---- stderr:" >&2
    cat "$TV_ERR" >&2
}

tv_expect_rc() {
    [ "$TV_RC" = "$1" ] || { tv_show; tv_fail "exit status $TV_RC, expected $1"; }
}

# Fixed strings, each a whole line or part of one.
tv_expect_out() {
    local s
    for s in "$@"; do
        grep -qF -- "$s" "$TV_OUT" || { tv_show; tv_fail "stdout lacks '$s'"; }
    done
}

# Extended regular expressions, each matching some line.
tv_expect_out_re() {
    local s
    for s in "$@"; do
        grep -qE -- "$s" "$TV_OUT" || { tv_show; tv_fail "stdout has no line matching '$s'"; }
    done
}

tv_expect_not_out() {
    local s
    for s in "$@"; do
        ! grep -qF -- "$s" "$TV_OUT" || { tv_show; tv_fail "stdout has '$s'"; }
    done
}

tv_expect_err() {
    local s
    for s in "$@"; do
        grep -qF -- "$s" "$TV_ERR" || { tv_show; tv_fail "stderr lacks '$s'"; }
    done
}

# stdout, without surrounding blank lines, must be exactly $1.
tv_expect_out_exact() {
    local got

    got=$(sed -e '/./,$!d' "$TV_OUT" | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')
    [ "$got" = "$1" ] || { tv_show; tv_fail "stdout is not exactly: $1"; }
}

tv_expect_log() {
    local s
    for s in "$@"; do
        grep -qF -- "$s" "$TV_DIR/daemon.log" ||
            { tail -n 40 "$TV_DIR/daemon.log" >&2; tv_fail "daemon log lacks '$s'"; }
    done
}

tv_pass() {
    echo "PASS: $(basename "$0")"
}
