#!/bin/bash
# run-rpc-bench.sh: tenvirtd against Debian's libvirtd 9.0, over the libvirt
# wire protocol, with the same load client (bench/rpc_bench*) and the same
# test-driver host files. See bench/README.md, "RPC: tenvirtd vs libvirtd 9.0".
#
# Usage: bench/run-rpc-bench.sh [options]
#   -b DIR      build directory (default: the current directory if it has
#               bench/rpc_bench, else $abs_top_builddir, else the source tree)
#   -o DIR      keep results, logs and the report here (default: a temporary
#               directory, removed; results.tsv and report.md are printed)
#   -d SEC      measured seconds per cell (default 2)
#   -w SEC      warm-up seconds per cell (default 0.5)
#   -t LIST     thread counts (default 1,4)
#   -p LIST     phases (default all): libvirtd tenvirtd access callgrind pingpong
#               xclient
#   -q          quick: -d 0.5 -w 0.2, for trying the script out
# As root, everything runs at nice -10 (RPC_BENCH_RENICE=no to keep nice 0).
#
# What runs (one daemon at a time, except in the access phase):
#   libvirtd   /usr/sbin/libvirtd as nobody (private sockets, TCP, TLS, no
#              auth, its default access control, i.e. none), stock client
#              bench/rpc_bench_libvirt
#   tenvirtd   daemon/tenvirtd with access_drivers = ["readonly", "dnpolicy"]
#              and a generated 100,000-rule policy, once with the stock client
#              and once with Tenvirt's own (bench/rpc_bench)
#   access     tenvirtd with access_drivers = ["nop"] and tenvirtd with the
#              policy, both running, cells alternating between them (four
#              rounds of 1 s cells), Tenvirt's client, one thread, unix and
#              tls: the cost of the access checks
#   callgrind  tenvirtd under callgrind, nop and policy, tls, one thread:
#              daemon instructions per op, and the access code's share
#   pingpong   bench/tls_pingpong: bare gnutls (and TCP) round trips and
#              handshakes with the same certificates
#   xclient    libvirtd with Tenvirt's client (how much is the client library)
# Every workload (bench/rpc_bench: version, lookup, list of the 1,000- and of
# the 10,000-domain host, connect+close) x transport (unix, tcp, tls) x
# thread count, in each of the client/daemon pairs of the first two phases.
#
# Needs: libvirtd (libvirt-daemon), certtool (gnutls-bin), python3 (for the
# report), setpriv when run as root, and `make bench` done in the build dir.
# About 10 minutes with the defaults on 2 cores.

set -u

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=
outdir=
duration=2
warmup=0.5
threads=1,4
phases="libvirtd tenvirtd access callgrind pingpong xclient"
SMALL=1000
LARGE=10000
RULES=100000
BENCH_DN="CN=bench,O=Example ISP,C=GB"
quick=no

while getopts "b:o:d:w:t:p:qh" o; do
    case $o in
    b) builddir=$OPTARG ;;
    o) outdir=$OPTARG ;;
    d) duration=$OPTARG ;;
    w) warmup=$OPTARG ;;
    t) threads=$OPTARG ;;
    p) phases=$OPTARG ;;
    q) duration=0.5 warmup=0.2 quick=yes ;;
    h) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) exit 2 ;;
    esac
done
if [ -z "$builddir" ]; then
    if [ -x bench/rpc_bench ]; then
        builddir=$(pwd)
    else
        builddir=${abs_top_builddir:-$srcdir}
    fi
fi
builddir=$(cd "$builddir" && pwd) || exit 2
# The access cells are shorter, and four rounds of each.
access_duration=1
[ "$quick" = no ] || access_duration=0.3

die() {
    echo "run-rpc-bench: $*" >&2
    exit 1
}
note() {
    echo "run-rpc-bench: $*" >&2
}
has_phase() {
    case " $phases " in *" $1 "*) return 0 ;; esac
    return 1
}

TENVIRTD=$builddir/daemon/tenvirtd
TVCLIENT=$builddir/bench/rpc_bench
LVCLIENT=$builddir/bench/rpc_bench_libvirt
PINGPONG=$builddir/bench/tls_pingpong
ACL=$builddir/tools/tenvirt-acl
LIBVIRTD=${LIBVIRTD:-/usr/sbin/libvirtd}
CERTTOOL=${CERTTOOL:-certtool}

for f in "$TENVIRTD" "$TVCLIENT" "$PINGPONG"; do
    [ -x "$f" ] || die "no $f: run 'make bench' in $builddir"
done
if has_phase libvirtd || has_phase xclient; then
    [ -x "$LIBVIRTD" ] || die "no $LIBVIRTD (apt-get install libvirt-daemon), or drop the libvirtd/xclient phases (-p)"
fi
if has_phase libvirtd || has_phase tenvirtd; then
    [ -x "$LVCLIENT" ] || die "no $LVCLIENT: install libvirt-dev and run 'make bench'"
fi
command -v "$CERTTOOL" >/dev/null 2>&1 || die "no certtool (gnutls-bin)"
command -v python3 >/dev/null 2>&1 || die "no python3"

runas=()
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null 2>&1 || die "as root, libvirtd is run as nobody with setpriv"
    runas=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

if [ -n "$outdir" ]; then
    mkdir -p "$outdir" || die "cannot make $outdir"
    T=$(cd "$outdir" && pwd) || die "cannot use $outdir"
    keep=yes
else
    T=$(mktemp -d /tmp/tenvirt-rpcbench.XXXXXX) || die "mktemp"
    keep=no
fi
chmod 755 "$T"
RESULTS=$T/results.tsv
: >"$RESULTS"
DAEMON_PID=
EXTRA_PID=
started=$(date +%s)

stop_daemon() {
    local pid=$DAEMON_PID

    DAEMON_PID=
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
    stop_daemon
    DAEMON_PID=$EXTRA_PID
    stop_daemon
    [ "$keep" = yes ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# As root, run everything (daemons, clients: children inherit it) at nice
# -10, so that other work on the machine (builds) disturbs the cells less.
# Both daemons get the same treatment.
if [ "$(id -u)" = 0 ] && [ "${RPC_BENCH_RENICE:-yes}" = yes ]; then
    renice -n -10 -p $$ >/dev/null 2>&1 && note "running at nice -10"
fi

# Clients read no configuration of the invoking user.
mkdir -p "$T/home"
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_CACHE_HOME=$T/home/.cache \
    XDG_RUNTIME_DIR=$T/home LC_ALL=C
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI LIBVIRT_LOG_OUTPUTS LIBVIRT_DEBUG \
    LIBVIRT_LOG_FILTERS

# ---------------------------------------------------------------------------
# Inputs: hosts, PKI, policy

# node_xml N: libvirt's test-driver node format, N domains custK-vmJ, ten per
# customer; every fourth one shut off.
node_xml() {
    awk -v n="$1" 'BEGIN {
        q = sprintf("%c", 39);
        print "<!-- run-rpc-bench.sh: " n " domains, custK-vmJ, ten per customer -->";
        print "<node>";
        print "  <cpu><mhz>2400</mhz><model>x86_64</model><active>64</active><nodes>1</nodes>";
        print "       <sockets>2</sockets><cores>16</cores><threads>2</threads></cpu>";
        print "  <memory>536870912</memory>";
        for (i = 0; i < n; i++) {
            k = int(i / 10) + 1; j = i % 10 + 1;
            print "  <domain type=" q "test" q " xmlns:test=" q "http://libvirt.org/schemas/domain/test/1.0" q ">";
            printf "    <name>cust%d-vm%d</name>\n", k, j;
            printf "    <uuid>%08x-%04x-4000-8000-%012x</uuid>\n", k, j, i + 1;
            print "    <memory>1048576</memory>";
            print "    <vcpu>2</vcpu>";
            print "    <os><type arch=" q "x86_64" q ">hvm</type></os>";
            if (j % 4 == 0)
                print "    <test:runstate>5</test:runstate>";
            print "  </domain>";
        }
        print "</node>";
    }'
}

# policy RULES USER: RULES rules. Generic ones first (as in policy_bench), one
# rule per customer (custK's certificate, custK-* domains, the customer
# role), and, in the middle of the file, the benchmark client's three: its
# certificate DN (tls), its UNIX user (unix) and plain TCP (tcp has no
# identity but the transport). Each gives the viewer role on every domain.
policy() {
    awk -v n="$1" -v user="$2" -v dn="$BENCH_DN" 'BEGIN {
        print "# run-rpc-bench.sh: " n " rules";
        print "role viewer = connect:getattr,connect:read,connect:search_domains,domain:getattr,domain:read";
        print "role customer = @viewer,domain:start,domain:stop,domain:init_control,domain:suspend";
        print "deny sasl=mallory perms=*";
        print "allow unix-group=wheel perms=*";
        print "allow transport=unix unix-user=\"ops-*\" perms=*";
        ncust = n - 6;
        for (k = 1; k <= ncust; k++) {
            if (k == int(ncust / 2)) {
                print "allow dn=\"" dn "\" perms=@viewer";
                print "allow transport=unix unix-user=" user " perms=@viewer";
                print "allow transport=tcp perms=@viewer";
            }
            printf "allow dn=\"CN=cust%d,O=Example ISP,C=GB\" domain=cust%d-* perms=@customer\n", k, k;
        }
    }'
}

mkdir -p "$T/data"
node_xml "$SMALL" >"$T/data/node-$SMALL.xml" || die "cannot write the node files"
node_xml "$LARGE" >"$T/data/node-$LARGE.xml" || die "cannot write the node files"
chmod -R a+rX "$T/data"
me=$(id -un)
policy "$RULES" "$me" >"$T/policy.conf" || die "cannot write the policy"
if [ -x "$ACL" ]; then
    "$ACL" lint "$T/policy.conf" >"$T/policy-lint.txt" 2>&1 || die "policy: $(tail -n 3 "$T/policy-lint.txt")"
    {
        "$ACL" explain --policy "$T/policy.conf" --dn "$BENCH_DN" --domain cust7-vm3 domain:read
        "$ACL" explain --policy "$T/policy.conf" --unix-user "$me" --domain cust7-vm3 domain:read
        "$ACL" explain --policy "$T/policy.conf" --transport tcp --domain cust7-vm3 domain:read
    } >>"$T/policy-lint.txt" 2>&1
fi
note "made $SMALL- and $LARGE-domain hosts and a $RULES-rule policy in $T"

note "making a test PKI (certtool, a few seconds)"
"$srcdir/tests/rpc/make-certs.sh" "$T/pki" bench "$BENCH_DN" >"$T/make-certs.out" 2>&1 ||
    die "make-certs.sh failed: $(tail -n 3 "$T/make-certs.out")"
chmod -R a+rX "$T/pki"
PKI=$T/pki/pki-bench

# ---------------------------------------------------------------------------
# Daemons. Each start sets DAEMON_PID, SOCK, TCP_PORT and TLS_PORT.

start_libvirtd() {
    local d=$T/libvirtd

    rm -rf "$d"
    mkdir -p "$d/sock" "$d/run" "$d/config" "$d/cache" "$d/home"
    [ ${#runas[@]} -eq 0 ] || chown -R 65534:65534 "$d/sock" "$d/run" "$d/config" "$d/cache" "$d/home"
    TCP_PORT=$(free_port) || die "no free port"
    TLS_PORT=$(free_port) || die "no free port"
    while [ "$TLS_PORT" = "$TCP_PORT" ]; do TLS_PORT=$(free_port); done
    cat >"$d/libvirtd.conf" <<EOF
listen_tcp = 1
listen_tls = 1
listen_addr = "127.0.0.1"
tcp_port = "$TCP_PORT"
tls_port = "$TLS_PORT"
auth_tcp = "none"
auth_tls = "none"
unix_sock_dir = "$d/sock"
unix_sock_rw_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
ca_file = "$T/pki/pki-server/cacert.pem"
crl_file = "$T/pki/pki-server/cacrl.pem"
cert_file = "$T/pki/pki-server/servercert.pem"
key_file = "$T/pki/pki-server/serverkey.pem"
EOF
    (cd "$d" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C HOME="$d/home" \
        XDG_RUNTIME_DIR="$d/run" XDG_CONFIG_HOME="$d/config" XDG_CACHE_HOME="$d/cache" \
        "${runas[@]}" "$LIBVIRTD" --listen --config "$d/libvirtd.conf" \
        --pid-file "$d/run/libvirtd.pid" --timeout 3600) >"$d/libvirtd.log" 2>&1 &
    DAEMON_PID=$!
    SOCK=$d/sock/libvirt-sock
    for _ in $(seq 1 600); do
        kill -0 "$DAEMON_PID" 2>/dev/null || die "libvirtd exited: $(tail -n 5 "$d/libvirtd.log")"
        if [ -S "$SOCK" ] && (exec 3<>"/dev/tcp/127.0.0.1/$TCP_PORT") 2>/dev/null &&
           (exec 3<>"/dev/tcp/127.0.0.1/$TLS_PORT") 2>/dev/null; then
            note "libvirtd $("$LIBVIRTD" --version | awk '{print $NF}') (pid $DAEMON_PID) on $SOCK, tcp $TCP_PORT, tls $TLS_PORT"
            return 0
        fi
        sleep 0.1
    done
    die "libvirtd did not start within 60 s"
}

# start_tenvirtd NAME ACCESS: ACCESS is "nop" or "policy".
start_tenvirtd() {
    local access=$2 d=$T/$1 line

    rm -rf "$d"
    mkdir -p "$d"
    {
        echo 'listen_tcp = 1'
        echo 'listen_tls = 1'
        echo 'auth_tcp = "none"'
        echo 'listen_addr = "127.0.0.1"'
        echo 'tcp_port = "0"'
        echo 'tls_port = "0"'
        echo "unix_sock_dir = \"$d/sock\""
        echo 'unix_sock_rw_perms = "0777"'
        echo "ca_file = \"$T/pki/pki-server/cacert.pem\""
        echo "crl_file = \"$T/pki/pki-server/cacrl.pem\""
        echo "cert_file = \"$T/pki/pki-server/servercert.pem\""
        echo "key_file = \"$T/pki/pki-server/serverkey.pem\""
        echo "hypervisor_uris = [ \"test:///default\", \"test://$T/data/*.xml\" ]"
        if [ "$access" = nop ]; then
            echo 'access_drivers = [ "nop" ]'
        else
            echo 'access_drivers = [ "readonly", "dnpolicy" ]'
            echo "access_dnpolicy_file = \"$T/policy.conf\""
        fi
    } >"$d/tenvirtd.conf"
    # shellcheck disable=SC2086
    ${TENVIRTD_WRAPPER:-} "$TENVIRTD" --config "$d/tenvirtd.conf" --pid-file "$d/tenvirtd.pid" \
        --listen >"$d/tenvirtd.log" 2>&1 &
    DAEMON_PID=$!
    for _ in $(seq 1 1200); do
        kill -0 "$DAEMON_PID" 2>/dev/null || die "tenvirtd exited: $(tail -n 5 "$d/tenvirtd.log")"
        if line=$(grep -m1 '^tenvirtd: listening on ' "$d/tenvirtd.log"); then
            TCP_PORT=$(sed -n 's/.*, tcp [^ ,]*:\([0-9]*\).*/\1/p' <<<"$line")
            TLS_PORT=$(sed -n 's/.*, tls [^ ,]*:\([0-9]*\).*/\1/p' <<<"$line")
            SOCK=$(sed -n 's/.*listening on unix \([^ ,]*\),.*/\1/p' <<<"$line")
            note "tenvirtd ($access, pid $DAEMON_PID) on $SOCK, tcp $TCP_PORT, tls $TLS_PORT"
            return 0
        fi
        sleep 0.1
    done
    die "tenvirtd did not start within 120 s"
}

daemon_rss() {
    awk '/^VmHWM|^VmRSS/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$DAEMON_PID/status"
}

# uri TRANSPORT PATH: the client URI of the running daemon.
uri() {
    case $1 in
    unix) echo "test+unix://$2?socket=$SOCK" ;;
    tcp) echo "test+tcp://127.0.0.1:$TCP_PORT$2" ;;
    tls) echo "test+tls://127.0.0.1:$TLS_PORT$2?pkipath=$PKI" ;;
    esac
}

# run_client CLIENT LABEL TRANSPORT [rpc_bench options]...
run_client() {
    local client=$1 label=$2 t=$3

    shift 3
    "$client" --label "$label" --transport "$t" \
        --uri-small "$(uri "$t" "$T/data/node-$SMALL.xml")" \
        --uri-large "$(uri "$t" "$T/data/node-$LARGE.xml")" \
        --uri-conn "$(uri "$t" /default)" \
        --small-n "$SMALL" --large-n "$LARGE" --pid "$DAEMON_PID" \
        --duration "$duration" --warmup "$warmup" --threads "$threads" "$@" \
        >>"$RESULTS" 2>>"$T/client.log" || die "$label $t failed: $(tail -n 3 "$T/client.log")"
}

# matrix CLIENT LABEL: every workload, transport and thread count.
matrix() {
    local t

    for t in unix tcp tls; do
        run_client "$1" "$2" "$t"
    done
    note "$2 done ($(daemon_rss)); $(($(date +%s) - started)) s so far"
    echo "MEM	$2	$(daemon_rss)" >>"$T/memory.tsv"
}

# ---------------------------------------------------------------------------

{
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "# kernel $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# duration $duration s, warm-up $warmup s, threads $threads"
} >"$T/machine.txt"

if has_phase libvirtd; then
    start_libvirtd
    matrix "$LVCLIENT" "libvirtd+libvirt"
    stop_daemon
fi
if has_phase xclient; then
    start_libvirtd
    matrix "$TVCLIENT" "libvirtd+tenvirt"
    stop_daemon
fi
if has_phase tenvirtd; then
    start_tenvirtd tenvirtd-policy policy
    matrix "$LVCLIENT" "tenvirtd+libvirt"
    matrix "$TVCLIENT" "tenvirtd+tenvirt"
    stop_daemon
fi
if has_phase access; then
    # Both daemons run at once and the cells alternate between them, so that
    # a change in the machine's background load hits both alike.
    start_tenvirtd tenvirtd-nop nop
    NOP=("$DAEMON_PID" "$SOCK" "$TCP_PORT" "$TLS_PORT")
    EXTRA_PID=$DAEMON_PID
    DAEMON_PID=
    start_tenvirtd tenvirtd-policy policy
    POL=("$DAEMON_PID" "$SOCK" "$TCP_PORT" "$TLS_PORT")
    for _ in 1 2 3 4; do
        for access in nop policy; do
            if [ "$access" = nop ]; then
                DAEMON_PID=${NOP[0]} SOCK=${NOP[1]} TCP_PORT=${NOP[2]} TLS_PORT=${NOP[3]}
            else
                DAEMON_PID=${POL[0]} SOCK=${POL[1]} TCP_PORT=${POL[2]} TLS_PORT=${POL[3]}
            fi
            for t in unix tls; do
                run_client "$TVCLIENT" "access-$access" "$t" --threads 1 \
                    --workloads version,lookup,list-small,list-large --duration "$access_duration"
            done
        done
    done
    DAEMON_PID=${POL[0]}
    stop_daemon
    DAEMON_PID=$EXTRA_PID
    EXTRA_PID=
    stop_daemon
    note "access done; $(($(date +%s) - started)) s so far"
fi
if has_phase callgrind; then
    # Instructions per op in the daemon, nop against the policy: exact and
    # immune to the machine's load (user space only: the kernel's share of a
    # call, which is most of a small one, is not counted). Instrumentation
    # is on only while the client runs its cells, after it has connected
    # (--pause) and after a first, uninstrumented run has loaded the hosts.
    if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_control >/dev/null 2>&1; then
        note "no valgrind: callgrind phase skipped"
    else
        for access in nop policy; do
            TENVIRTD_WRAPPER="valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$T/callgrind-$access.out" \
                start_tenvirtd "tenvirtd-cg-$access" "$access"
            RESULTS_SAVE=$RESULTS RESULTS=/dev/null
            run_client "$TVCLIENT" "cg-load" tls --threads 1 --duration 0.1 --warmup 0 \
                --workloads list-small,list-large
            RESULTS=$RESULTS_SAVE
            for wl in version lookup list-small list-large; do
                : >"$T/cg-cell.tsv"
                RESULTS_SAVE=$RESULTS RESULTS=$T/cg-cell.tsv
                run_client "$TVCLIENT" "cg-$access" tls --threads 1 --duration 3 --warmup 0 \
                    --workloads "$wl" --pause 2 &
                cpid=$!
                sleep 1.5
                callgrind_control -i on "$DAEMON_PID" >/dev/null
                wait "$cpid" || die "callgrind cell $access $wl failed"
                callgrind_control -d "$access-$wl" "$DAEMON_PID" >/dev/null
                callgrind_control -i off "$DAEMON_PID" >/dev/null
                RESULTS=$RESULTS_SAVE
                dump=$(grep -l "^desc: Trigger: dump $access-$wl\$" \
                    "$T/callgrind-$access.out".* 2>/dev/null | head -n 1)
                [ -n "$dump" ] || die "no callgrind dump for $access $wl"
                ops=$(awk -F'\t' '/^RESULT/ { print $6 }' "$T/cg-cell.tsv")
                callgrind_annotate --threshold=100 --auto=no "$dump" 2>/dev/null |
                    awk -v a="$access" -v w="$wl" -v ops="$ops" '
                        /^ *[0-9,]+ \( *-?[0-9.]+%\) / && !/PROGRAM TOTALS/ {
                            ir = $1; gsub(",", "", ir);
                            total += ir;
                            if ($0 ~ /\/src\/access\//) acc += ir;
                        }
                        END { printf "CG\t%s\ttls\t%s\t%d\t%.0f\t%.0f\n", a, w, ops, total / ops, acc / ops }' \
                    >>"$RESULTS"
            done
            stop_daemon
        done
        note "callgrind done; $(($(date +%s) - started)) s so far"
    fi
fi
if has_phase pingpong; then
    "$PINGPONG" --ca "$T/pki/cacert.pem" --cert "$T/pki/servercert.pem" \
        --key "$T/pki/serverkey.pem" --client-cert "$PKI/clientcert.pem" \
        --client-key "$PKI/clientkey.pem" --duration "$duration" --warmup "$warmup" \
        --threads "$threads" >>"$RESULTS" 2>>"$T/client.log" || die "tls_pingpong failed"
    "$PINGPONG" --plain --duration "$duration" --warmup "$warmup" --threads "$threads" \
        --workloads pingpong >>"$RESULTS" 2>>"$T/client.log" || die "tls_pingpong --plain failed"
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg); wall time $(($(date +%s) - started)) s" \
    >>"$T/machine.txt"

python3 - "$T" >"$T/report.md" <<'PYEOF'
import sys, collections
T = sys.argv[1]
R = {}
order = []
CG = {}
for line in open(T + "/results.tsv"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "CG":
        CG[(f[1], f[3])] = (int(f[4]), float(f[5]), float(f[6]))
        continue
    if f[0] != "RESULT":
        continue
    label, tr, wl, th = f[1], f[2], f[3], int(f[4])
    v = dict(ops=int(f[5]), rate=float(f[7]), p50=float(f[8]), p99=float(f[9]),
             mean=float(f[10]), dcpu=float(f[11]), ccpu=float(f[12]))
    R.setdefault((label, tr, wl, th), []).append(v)
    if (tr, wl, th) not in order and not label.startswith(("access", "tls-", "tcp-")):
        order.append((tr, wl, th))

def get(label, tr, wl, th):
    v = R.get((label, tr, wl, th))
    return v[0] if v else None

def us(x):
    return "%.0f" % x if x >= 100 else "%.1f" % x

def cell(v):
    return "%s | %s/%s" % ("%.0f" % v["rate"], us(v["p50"]), us(v["p99"])) if v else "- | -"

out = []
p = out.append
p("Machine: " + " ".join(l.strip("# \n") for l in open(T + "/machine.txt")))
p("")
wls = ["version", "lookup", "list1000", "list10000", "connect"]
names = {"version": "GetLibVersion", "lookup": "LookupByName+GetInfo",
         "list1000": "ListAllDomains, 1,000", "list10000": "ListAllDomains, 10,000",
         "connect": "connect+close"}
cols = [("libvirtd+libvirt", "libvirtd"), ("tenvirtd+libvirt", "tenvirtd"),
        ("tenvirtd+tenvirt", "tenvirtd, Tenvirt client"), ("libvirtd+tenvirt", "libvirtd, Tenvirt client")]
cols = [c for c in cols if any(k[0] == c[0] for k in R)]
p("calls/s | p50/p99 µs; ratio = calls/s against libvirtd with the same (stock) client")
p("")
hdr = "| workload | tr | thr | " + " | ".join("%s calls/s | p50/p99" % c[1] for c in cols)
if any(c[0] == "tenvirtd+libvirt" for c in cols):
    hdr += " | ratio"
if any(c[0] == "tenvirtd+tenvirt" for c in cols):
    hdr += " | ratio (Tenvirt client)"
p(hdr + " |")
p("|" + "---|" * (hdr.count("|")))
for wl in wls:
    for tr in ["unix", "tcp", "tls"]:
        for th in sorted({k[3] for k in R}):
            if not any(get(c[0], tr, wl, th) for c in cols):
                continue
            row = "| %s | %s | %d | " % (names.get(wl, wl), tr, th)
            row += " | ".join(cell(get(c[0], tr, wl, th)) for c in cols)
            base = get("libvirtd+libvirt", tr, wl, th)
            for lab in ("tenvirtd+libvirt", "tenvirtd+tenvirt"):
                if any(c[0] == lab for c in cols):
                    v = get(lab, tr, wl, th)
                    row += " | " + ("%.2f×" % (v["rate"] / base["rate"]) if v and base else "-")
            p(row + " |")
p("")
p("Daemon and client CPU per op (µs), from /proc/PID/stat and getrusage:")
p("")
p("| workload | tr | thr | " + " | ".join("%s daemon | client" % c[1] for c in cols) + " |")
p("|" + "---|" * (3 + 2 * len(cols)))
for wl in wls:
    for tr in ["unix", "tcp", "tls"]:
        for th in sorted({k[3] for k in R}):
            vs = [get(c[0], tr, wl, th) for c in cols]
            if not any(vs):
                continue
            p("| %s | %s | %d | " % (names.get(wl, wl), tr, th) +
              " | ".join("%s | %s" % (us(v["dcpu"]), us(v["ccpu"])) if v else "- | -" for v in vs) + " |")
p("")
acc = [k for k in R if k[0].startswith("access-")]
if acc:
    import statistics
    p("Access checks: tenvirtd with access_drivers = [\"nop\"] against tenvirtd with [\"readonly\", "
      "\"dnpolicy\"] and the %s-rule policy, Tenvirt client, 1 thread; both daemons up, cells "
      "alternating, %d rounds: medians of the rounds' p50 and mean, mean daemon CPU per op." % ("100,000", len(R[acc[0]])))
    p("")
    p("| workload | tr | p50 nop / policy µs | Δ p50 | mean nop / policy µs | Δ mean | daemon CPU nop / policy µs | Δ CPU µs | Δ CPU / call |")
    p("|---|---|---|---|---|---|---|---|---|")
    med = lambda xs, k: statistics.median(x[k] for x in xs)
    avg = lambda xs, k: sum(x[k] for x in xs) / len(xs)
    for wl in wls:
        for tr in ["unix", "tls"]:
            a, b = R.get(("access-nop", tr, wl, 1)), R.get(("access-policy", tr, wl, 1))
            if not a or not b:
                continue
            p("| %s | %s | %s / %s | %+.1f%% | %s / %s | %+.1f%% | %s / %s | %+.1f | %+.1f%% |" % (
                names[wl], tr, us(med(a, "p50")), us(med(b, "p50")),
                100 * (med(b, "p50") - med(a, "p50")) / med(a, "p50"),
                us(med(a, "mean")), us(med(b, "mean")),
                100 * (med(b, "mean") - med(a, "mean")) / med(a, "mean"),
                us(avg(a, "dcpu")), us(avg(b, "dcpu")), avg(b, "dcpu") - avg(a, "dcpu"),
                100 * (avg(b, "dcpu") - avg(a, "dcpu")) / med(a, "mean")))
    p("")
pp = [k for k in R if k[0] in ("tls-pingpong", "tcp-pingpong")]
if pp:
    p("Bare round trips and handshakes (bench/tls_pingpong, 28-byte messages):")
    p("")
    p("| what | thr | calls/s | p50/p99 µs | server CPU µs/op |")
    p("|---|---|---|---|---|")
    for k in sorted(pp):
        v = R[k][0]
        p("| %s %s | %d | %.0f | %s/%s | %s |" % (k[0], k[2], k[3], v["rate"], us(v["p50"]),
                                                 us(v["p99"]), us(v["dcpu"])))
    p("")
if CG:
    p("Daemon user-space instructions per op under callgrind (tls, 1 thread, Tenvirt client): "
      "nop against readonly+dnpolicy with the policy; \"access code\" is the self cost of src/access/.")
    p("")
    p("| workload | nop Ir/op | policy Ir/op | Δ Ir/op | Δ / policy | access code Ir/op, policy | share |")
    p("|---|---|---|---|---|---|---|")
    cgn = {"version": "version", "lookup": "lookup", "list-small": "list1000", "list-large": "list10000"}
    for wl in ["version", "lookup", "list-small", "list-large"]:
        a, b = CG.get(("nop", wl)), CG.get(("policy", wl))
        if not a or not b:
            continue
        p("| %s | %.0f | %.0f | %+.0f | %+.1f%% | %.0f | %.1f%% |" % (
            names[cgn[wl]], a[1], b[1], b[1] - a[1], 100 * (b[1] - a[1]) / b[1], b[2], 100 * b[2] / b[1]))
    p("")

# The targets, mechanically.
p("Targets (stock client against both daemons unless noted):")
p("")
miss = []
compared = 0
for wl in ["version", "lookup", "list1000", "list10000"]:
    for tr in ["unix", "tcp", "tls"]:
        for th in sorted({k[3] for k in R}):
            a, b = get("libvirtd+libvirt", tr, wl, th), get("tenvirtd+libvirt", tr, wl, th)
            compared += 1 if a and b else 0
            if a and b and b["rate"] < 1.5 * a["rate"]:
                miss.append("%s/%s/%d: %.2f×" % (names[wl], tr, th, b["rate"] / a["rate"]))
if compared:
    p("- tenvirtd ≥ 1.5× libvirtd calls/s on every call workload: %s" %
      ("met" if not miss else "MISSED in %d of %d cells: %s" % (len(miss), compared, "; ".join(miss))))
pp1 = R.get(("tls-pingpong", "tls", "pingpong", 1))
for lab, what in (("tenvirtd+libvirt", "stock client"), ("tenvirtd+tenvirt", "Tenvirt client")):
    v = get(lab, "tls", "version", 1)
    if pp1 and v:
        r = v["p50"] / pp1[0]["p50"]
        p("- trivial call over TLS within 2× of a bare TLS round trip (p50, 1 thread, %s): "
          "%s µs against %s µs = %.1f× — %s" % (what, us(v["p50"]), us(pp1[0]["p50"]), r,
                                               "met" if r <= 2 else "MISSED"))
if CG:
    worst = max((100 * (CG[("policy", w)][1] - CG[("nop", w)][1]) / CG[("policy", w)][1], w)
                for w in ["version", "lookup", "list-small", "list-large"]
                if ("policy", w) in CG and ("nop", w) in CG)
    p("- access checks < 2%% of a call: worst Δ of daemon instructions %.1f%% (%s) — see the tables" % worst)
for tr in ["unix", "tcp", "tls"]:
    for th in sorted({k[3] for k in R}):
        a, b = get("libvirtd+libvirt", tr, "connect", th), get("tenvirtd+libvirt", tr, "connect", th)
        if a and b:
            ok = b["rate"] >= a["rate"] and b["dcpu"] < a["dcpu"]
            p("- connect+close %s/%d: %.0f against %.0f /s, daemon CPU %s against %s µs — %s" % (
                tr, th, b["rate"], a["rate"], us(b["dcpu"]), us(a["dcpu"]), "met" if ok else "MISSED"))
p("")
try:
    for l in open(T + "/memory.tsv"):
        f = l.rstrip("\n").split("\t")
        p("Daemon memory after %s: %s" % (f[1], f[2]))
except OSError:
    pass
print("\n".join(out))
PYEOF

cat "$T/report.md"
echo
if [ "$keep" = yes ]; then
    echo "results: $T/results.tsv, $T/report.md; wall time $(($(date +%s) - started)) s"
else
    echo "$(wc -l <"$RESULTS") cells; wall time $(($(date +%s) - started)) s (-o DIR keeps the results)"
fi
exit 0
