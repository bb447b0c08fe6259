#!/bin/sh
# tvsh_test.sh: tvsh against test:///default and a node file. Each case
# runs one tvsh command line and compares stdout, stderr and the exit
# status with what virsh 9.0 prints for the same command (where Tenvirt
# differs on purpose the expectation says so).

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${abs_top_builddir:-$(pwd)}
TVSH=${TVSH:-$builddir/tools/tvsh}
DATA=$srcdir/tests/test/data
NODE="test://$DATA/node-customers.xml"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tvsh_test.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT

# Keep the audit lines of the access manager out of the compared stderr.
unset LIBVIRT_DEFAULT_URI

failures=0
count=0

# check NAME RC STDOUT STDERR -- ARGS...: STDOUT/STDERR are the exact
# expected texts (printf %b escapes allowed).
check() {
    name=$1 rc=$2 out=$3 err=$4
    shift 5
    count=$((count + 1))
    "$TVSH" "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    printf '%b' "$out" >"$TMP/want.out"
    printf '%b' "$err" >"$TMP/want.err"
    if [ "$got" != "$rc" ] || ! cmp -s "$TMP/out" "$TMP/want.out" ||
       ! cmp -s "$TMP/err" "$TMP/want.err"; then
        failures=$((failures + 1))
        echo "FAIL: $name (exit $got, expected $rc): tvsh $*"
        diff -u "$TMP/want.out" "$TMP/out" | sed 's/^/    stdout /'
        diff -u "$TMP/want.err" "$TMP/err" | sed 's/^/    stderr /'
    else
        echo "ok: $name"
    fi
}

TEST_UUID=6695eb01-f6a4-8304-79aa-97f2502e193f
DEF="-c test:///default"

# ---- host ---------------------------------------------------------------------
check uri 0 'test:///default\n\n' '' -- $DEF uri
check echo 0 'step one\n\n' '' -- $DEF "echo 'step one'"
check hostname 0 "$(hostname)\n\n" '' -- $DEF hostname
check nodeinfo-default 0 \
'CPU model:           i686
CPU(s):              16
CPU frequency:       1400 MHz
CPU socket(s):       2
Core(s) per socket:  2
Thread(s) per core:  2
NUMA cell(s):        2
Memory size:         3145728 KiB\n\n' '' -- $DEF nodeinfo
check nodeinfo-file 0 \
'CPU model:           x86_64
CPU(s):              12
CPU frequency:       2400 MHz
CPU socket(s):       2
Core(s) per socket:  4
Thread(s) per core:  2
NUMA cell(s):        1
Memory size:         33554432 KiB\n\n' '' -- -c "$NODE" nodeinfo
num=$(sed -n 's/^#define TENVIRT_VERSION_NUMBER \([0-9]*\).*/\1/p' "$builddir/config.h")
ver="$((num / 1000000)).$((num / 1000 % 1000)).$((num % 1000))"
check version 0 \
"Compiled against library: tenvirt $ver
Using library: tenvirt $ver
Using API: TEST $ver
Running hypervisor: TEST 0.0.2\n\n" '' -- $DEF version

# ---- list -------------------------------------------------------------------------
check list-default 0 \
' Id   Name   State
----------------------
 1    test   running\n\n' '' -- $DEF list
check list-inactive-empty 0 \
' Id   Name   State
--------------------\n\n' '' -- $DEF list --inactive
check list-all-file 0 \
' Id   Name        State
----------------------------
 1    cust1-web   running
 2    cust1-db    running
 3    cust2-web   running
 4    cust2-db    paused
 -    cust1-dev   shut off
 -    cust2-old   shut off\n\n' '' -- -c "$NODE" list --all
check list-active-file 0 \
' Id   Name        State
---------------------------
 1    cust1-web   running
 2    cust1-db    running
 3    cust2-web   running
 4    cust2-db    paused\n\n' '' -- -c "$NODE" list
check list-inactive-file 0 \
' Id   Name        State
----------------------------
 -    cust1-dev   shut off
 -    cust2-old   shut off\n\n' '' -- -c "$NODE" list --inactive
check list-name 0 'cust1-web\ncust1-db\ncust2-web\ncust2-db\ncust1-dev\ncust2-old\n\n' '' -- \
    -c "$NODE" list --all --name
check list-uuid 0 'c2000000-0000-4000-8000-000000000002\n\n' '' -- -c "$NODE" list --uuid --state-paused
check list-uuid-name 0 'c2000000-0000-4000-8000-000000000002 cust2-db\n\n' '' -- \
    -c "$NODE" list --uuid --name --state-paused
check list-state-shutoff 0 'cust1-dev\ncust2-old\n\n' '' -- -c "$NODE" list --name --state-shutoff
check list-quiet 0 ' 1   test   running\n\n' '' -- -q $DEF list
check list-bad-option 1 '' "error: command 'list' doesn't support option --foo\n" -- $DEF list --foo

# ---- domain queries ------------------------------------------------------------------
check dominfo-inactive 0 \
'Id:             -
Name:           cust1-dev
UUID:           c1000000-0000-4000-8000-000000000003
OS Type:        hvm
State:          shut off
CPU(s):         1
Max memory:     524288 KiB
Used memory:    524288 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no\n\n' '' -- -c "$NODE" dominfo cust1-dev
check domstate 0 'running\n\n' '' -- $DEF domstate test
check domstate-reason 0 'paused (user)\n\n' '' -- -c "$NODE" domstate --reason cust2-db
check domstate-reason-destroyed 0 'Domain '\''test'\'' destroyed\n\nshut off (destroyed)\n\n' '' -- \
    $DEF "destroy test; domstate test --reason"
check domid 0 '1\n\n' '' -- $DEF domid test
check domid-uuid 0 '1\n\n' '' -- $DEF domid $TEST_UUID
check domid-inactive 0 '-\n\n' '' -- -c "$NODE" domid cust2-old
check domid-not-by-id 1 '\n' "error: failed to get domain '1'\n" -- $DEF domid 1
check domname 0 'test\n\n' '' -- $DEF domname 1
check domname-leading-zero 0 'test\n\n' '' -- $DEF domname 01
check domname-not-by-name 1 '\n' "error: failed to get domain 'test'\n" -- $DEF domname test
check domuuid 0 "$TEST_UUID\n\n" '' -- $DEF domuuid 1
check dumpxml-missing 1 '\n' "error: failed to get domain 'nosuch'\n" -- $DEF dumpxml nosuch
check dominfo-missing 1 '\n' "error: failed to get domain 'nosuch'\n" -- $DEF dominfo nosuch

"$TVSH" $DEF dumpxml test >"$TMP/xml" 2>&1
if grep -q "^<domain type='test' id='1'>" "$TMP/xml" && grep -q '<name>test</name>' "$TMP/xml"; then
    echo "ok: dumpxml"
else
    echo "FAIL: dumpxml"; cat "$TMP/xml"; failures=$((failures + 1))
fi
count=$((count + 1))
"$TVSH" $DEF dumpxml --inactive test >"$TMP/xml" 2>&1
if grep -q "^<domain type='test'>" "$TMP/xml"; then
    echo "ok: dumpxml --inactive"
else
    echo "FAIL: dumpxml --inactive"; cat "$TMP/xml"; failures=$((failures + 1))
fi
count=$((count + 1))

# ---- lifecycle ------------------------------------------------------------------------
check start-active 1 '\n' 'error: Domain is already active\n' -- $DEF start test
check start 0 "Domain 'cust1-dev' started\n\n" '' -- -c "$NODE" start cust1-dev
check start-missing 1 '\n' "error: failed to get domain 'nosuch'\n" -- $DEF start nosuch
check suspend-resume 0 "Domain '1' suspended\n\nDomain '1' resumed\n\n" '' -- $DEF "suspend 1; resume 1"
check suspend-twice 1 "Domain 'test' suspended\n\n\n" \
"error: Failed to suspend domain 'test'
error: Requested operation is not valid: domain is already paused\n" -- $DEF "suspend test; suspend test"
check resume-running 1 '\n' \
"error: Failed to resume domain 'test'
error: Requested operation is not valid: domain is not paused\n" -- $DEF resume test
check shutdown 0 "Domain 'test' is being shutdown\n\n" '' -- $DEF shutdown test
check reboot 0 "Domain 'test' is being rebooted\n\n" '' -- $DEF reboot test
check destroy 0 "Domain 'test' destroyed\n\n" '' -- $DEF destroy test
check destroy-inactive 1 '\n' \
"error: Failed to destroy domain 'cust2-old'
error: Requested operation is not valid: domain is not running\n" -- -c "$NODE" destroy cust2-old
check shutdown-inactive 1 '\n' \
"error: Failed to shutdown domain 'cust2-old'
error: Requested operation is not valid: domain is not running\n" -- -c "$NODE" shutdown cust2-old
check reboot-inactive 1 '\n' \
"error: Failed to reboot domain 'cust2-old'
error: Requested operation is not valid: domain is not running\n" -- -c "$NODE" reboot cust2-old
check undefine-running 0 \
"Domain 'test' has been undefined\n\n Id   Name   State
----------------------
 1    test   running\n\nDomain 'test' destroyed\n\n Id   Name   State
--------------------\n\n" '' -- $DEF "undefine test; list --transient; destroy test; list --all"
check undefine-transient 1 "Domain 'test' has been undefined\n\n\n" \
"error: Failed to undefine domain 'test'
error: Requested operation is not valid: cannot undefine transient domain\n" -- \
    $DEF "undefine test; undefine test"
check autostart 0 "Domain 'test' marked as autostarted\n\ntest\n\nDomain 'test' unmarked as autostarted\n\n\n" '' -- \
    $DEF "autostart test; list --autostart --name; autostart --disable test; list --autostart --name"

cp "$DATA/tvsh-new.xml" "$TMP/new.xml"
check define 0 \
"Domain 'tvsh-new' defined from $TMP/new.xml\n\n Id   Name       State
---------------------------
 1    test       running
 -    tvsh-new   shut off\n\nDomain 'tvsh-new' started\n\n" '' -- \
    $DEF "define $TMP/new.xml; list --all; start tvsh-new"
check define-missing-file 1 '\n' "error: Failed to open file '$TMP/nonexistent.xml': No such file or directory\n" -- \
    $DEF define "$TMP/nonexistent.xml"
printf '<domain type="test"><name>x</name>' >"$TMP/bad.xml"
"$TVSH" $DEF define "$TMP/bad.xml" >"$TMP/out" 2>"$TMP/err"
rc=$?
count=$((count + 1))
if [ $rc = 1 ] && head -1 "$TMP/err" | grep -qx "error: Failed to define domain from $TMP/bad.xml" &&
   [ "$(wc -l <"$TMP/err")" = 2 ]; then
    echo "ok: define-bad-xml"
else
    echo "FAIL: define-bad-xml"; cat "$TMP/err"; failures=$((failures + 1))
fi

# ---- read-only ----------------------------------------------------------------------------
check readonly-destroy 1 '\n' \
"error: Failed to destroy domain 'test'
error: operation forbidden: read only access prevents virDomainDestroy\n" -- -r $DEF destroy test
check readonly-list 0 ' Id   Name   State
----------------------
 1    test   running\n\n' '' -- -r $DEF list

# ---- command line errors --------------------------------------------------------------------
check unknown-command 1 '' "error: unknown command: 'bogus'\n" -- $DEF bogus
check missing-arg 1 '' "error: command 'start' requires <domain> option\n" -- $DEF start
check extra-arg 1 '' "error: unexpected data 'extra'\n" -- $DEF dominfo test extra
check missing-value 1 '' "error: expected syntax: --domain <string>\n" -- $DEF dominfo --domain
check option-value 0 'test\n\n' '' -- $DEF domname --domain=1
check quoting 0 'test\n\n' '' -- $DEF "domname '1'"
check help-unknown 1 '\n' "error: command or command group 'nosuch' doesn't exist\n" -- help nosuch
check connect-unknown 1 '' \
"error: failed to connect to the hypervisor
error: no connection driver available for foo:///bar\n" -- -c foo:///bar list
check connect-missing-node 1 '' \
"error: failed to connect to the hypervisor
error: XML error: failed to parse xml document '/nonexistent/node.xml'\n" -- \
    -c test:///nonexistent/node.xml list

# ---- interactive ---------------------------------------------------------------------------
count=$((count + 1))
printf 'domid test\nbogus\nsuspend test\ndomstate test\nquit\nlist\n' |
    "$TVSH" $DEF >"$TMP/out" 2>"$TMP/err"
rc=$?
printf "1\n\nDomain 'test' suspended\n\npaused\n\n\n" >"$TMP/want.out"
if [ $rc = 0 ] && cmp -s "$TMP/out" "$TMP/want.out" &&
   [ "$(cat "$TMP/err")" = "error: unknown command: 'bogus'" ]; then
    echo "ok: interactive"
else
    echo "FAIL: interactive (exit $rc)"; diff -u "$TMP/want.out" "$TMP/out"; cat "$TMP/err"
    failures=$((failures + 1))
fi

# ---- policy simulation -----------------------------------------------------------------------
cat >"$TMP/policy" <<'EOF'
role customer = connect:getattr,connect:read,connect:search_domains,domain:getattr,domain:read,domain:start,domain:stop,domain:suspend,domain:init_control
allow dn="CN=customer1,O=Example ISP,C=GB" domain=cust1-* perms=@customer
EOF
cat >"$TMP/tenvirtd.conf" <<EOF
access_drivers = [ "dnpolicy" ]
access_dnpolicy_file = "$TMP/policy"
log_level = 4
EOF
AS1_DN="CN=customer1,O=Example ISP,C=GB"
check policy-list 0 \
' Id   Name        State
----------------------------
 1    cust1-web   running
 2    cust1-db    running
 -    cust1-dev   shut off\n\n' '' -- -c "$NODE" --access-config "$TMP/tenvirtd.conf" \
    --as-dn "$AS1_DN" list --all
check policy-hidden 1 '\n' "error: failed to get domain 'cust2-web'\n" -- -c "$NODE" \
    --access-config "$TMP/tenvirtd.conf" --as-dn "$AS1_DN" dominfo cust2-web
check policy-allowed 0 "Domain 'cust1-web' suspended\n\n" '' -- -c "$NODE" \
    --access-config "$TMP/tenvirtd.conf" --as-dn "$AS1_DN" suspend cust1-web
check policy-denied 1 '\n' \
"error: Failed to mark domain 'cust1-web' as autostarted
error: access denied: domain:write\n" -- -c "$NODE" \
    --access-config "$TMP/tenvirtd.conf" --as-dn "$AS1_DN" autostart cust1-web
check policy-unknown-dn 1 '' \
"error: failed to connect to the hypervisor
error: access denied: connect:getattr\n" -- -c "$NODE" \
    --access-config "$TMP/tenvirtd.conf" --as-dn "CN=stranger,O=Elsewhere" list

echo "$((count - failures))/$count passed"
[ "$failures" = 0 ]
