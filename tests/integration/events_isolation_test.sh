#!/bin/bash
# Event isolation: customer1, customer2 and the admin each run stock
# "virsh event --all --loop" while the admin starts, stops, pauses and
# resumes domains of both customers and its own: each customer receives
# exactly the lifecycle events of its own domains, in order; the admin
# receives all of them.
#
# Synchronisation without sleeps: the watchers are ready once each has
# printed an event of a "sync" operation (pause/resume of cust1-db and
# cust2-shop, repeated until seen); the real sequence starts with events
# that the sync never produces, and ends with a marker each watcher waits
# for.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
it_init
it_need_virsh
it_make_pki
it_write_isp_conf </dev/null
it_start_daemon

ADMIN=$(it_tls_uri admin)
WATCHERS=(customer1 customer2 admin)
declare -A WPID

# --timeout is a safety net only: the watchers are interrupted (SIGINT,
# straight to virsh: no timeout(1) wrapper, which would signal virsh twice)
# as soon as the test is done, and killed at exit in any case.
for w in "${WATCHERS[@]}"; do
    "$IT_VIRSH" -c "$(it_tls_uri "$w")" event --all --loop --timeout 240 \
        >"$IT_DIR/events-$w.out" 2>"$IT_DIR/events-$w.err" </dev/null &
    WPID[$w]=$!
    IT_BG_PIDS+=($!)
done

admin_do() {
    it_virsh "$ADMIN" "$@"
    it_expect_rc 0
}

has_line() { # WATCHER FIXED-STRING
    grep -qF -- "$2" "$IT_DIR/events-$1.out"
}

watchers_alive() {
    local w
    for w in "${WATCHERS[@]}"; do
        kill -0 "${WPID[$w]}" 2>/dev/null ||
            { cat "$IT_DIR/events-$w.out" "$IT_DIR/events-$w.err" >&2; it_fail "the $w watcher died"; }
    done
}

synced() {
    has_line customer1 "for domain 'cust1-db'" && has_line customer2 "for domain 'cust2-shop'" &&
        has_line admin "for domain 'cust1-db'" && has_line admin "for domain 'cust2-shop'"
}

tries=0
until synced; do
    watchers_alive
    tries=$((tries + 1))
    [ "$tries" -le 60 ] || it_fail "the watchers never received the sync events"
    admin_do suspend cust1-db
    admin_do resume cust1-db
    admin_do suspend cust2-shop
    admin_do resume cust2-shop
    it_wait_for 2 synced || true
done
it_ok "all three watchers receive events (after $tries sync round(s))"

# The sequence. Its first events (cust1-web and cust2-mail started) never
# occur during the sync; cust2-extra is in nobody's rule but the admin's;
# the last four events are end markers for both customers.
admin_do start cust1-web
admin_do start cust2-mail
admin_do destroy cust2-mail
admin_do suspend cust2-shop
admin_do start isp-monitor
admin_do destroy isp-monitor
admin_do resume cust2-shop
admin_do destroy cust1-web
sed -n '/<name>cust2-mail</,/<\/domain>/p' "$IT_ISP_NODE" |
    sed -e '1s/^/<domain type="test">\n/' -e 's/cust2-mail/cust2-extra/' \
        -e 's/2b2c3d4e-0002-4000-8000-000000000002/2b2c3d4e-0002-4000-8000-0000000000e1/' \
        -e '/runstate/d' >"$IT_DIR/cust2-extra.xml"
admin_do define "$IT_DIR/cust2-extra.xml"
admin_do undefine cust2-extra
admin_do suspend cust1-db
admin_do resume cust1-db
admin_do suspend cust2-shop
admin_do resume cust2-shop
it_ok "admin ran 14 operations on cust1-*, cust2-*, isp-monitor and a new cust2-extra"

# The part of a watcher's output from the first line with $2 on.
segment() {
    sed -n "/$2/,\$p" "$IT_DIR/events-$1.out" | grep "^event '"
}

# Enough events arrived (more than expected fails the exact comparison).
ended() {
    [ "$(segment customer1 "'cust1-web': Started" | wc -l)" -ge 4 ] &&
        [ "$(segment customer2 "'cust2-mail': Started" | wc -l)" -ge 6 ] &&
        [ "$(segment admin "'cust1-web': Started" | wc -l)" -ge 14 ]
}
it_wait_for 60 ended ||
    { watchers_alive; head -n 100 "$IT_DIR"/events-*.out >&2; it_fail "not all events received in 60s"; }
it_ok "every watcher received at least as many events as expected"

for w in "${WATCHERS[@]}"; do
    kill -INT "${WPID[$w]}"
done
for w in "${WATCHERS[@]}"; do
    wait "${WPID[$w]}"
    rc=$?
    [ "$rc" = 0 ] || { cat "$IT_DIR/events-$w.out" "$IT_DIR/events-$w.err" >&2; it_fail "the $w watcher exited with $rc"; }
done
IT_BG_PIDS=()
it_ok "the watchers stopped on SIGINT with status 0"

expect_segment() { # WATCHER START-PATTERN EXPECTED-LINES...
    local w=$1 start=$2 got want

    shift 2
    got=$(segment "$w" "$start")
    want=$(printf '%s\n' "$@")
    if [ "$got" != "$want" ]; then
        echo "---- $w received (from the first /$start/):" >&2
        echo "$got" >&2
        echo "---- expected:" >&2
        echo "$want" >&2
        it_fail "$w's events"
    fi
    it_ok "$w received exactly, in order: $(printf '%s; ' "$@" | sed "s/event 'lifecycle' for domain //g")"
}

L="event 'lifecycle' for domain"
expect_segment customer1 "'cust1-web': Started" \
    "$L 'cust1-web': Started Booted" \
    "$L 'cust1-web': Stopped Destroyed" \
    "$L 'cust1-db': Suspended Paused" \
    "$L 'cust1-db': Resumed Unpaused"
expect_segment customer2 "'cust2-mail': Started" \
    "$L 'cust2-mail': Started Booted" \
    "$L 'cust2-mail': Stopped Destroyed" \
    "$L 'cust2-shop': Suspended Paused" \
    "$L 'cust2-shop': Resumed Unpaused" \
    "$L 'cust2-shop': Suspended Paused" \
    "$L 'cust2-shop': Resumed Unpaused"
expect_segment admin "'cust1-web': Started" \
    "$L 'cust1-web': Started Booted" \
    "$L 'cust2-mail': Started Booted" \
    "$L 'cust2-mail': Stopped Destroyed" \
    "$L 'cust2-shop': Suspended Paused" \
    "$L 'isp-monitor': Started Booted" \
    "$L 'isp-monitor': Stopped Destroyed" \
    "$L 'cust2-shop': Resumed Unpaused" \
    "$L 'cust1-web': Stopped Destroyed" \
    "$L 'cust2-extra': Defined Added" \
    "$L 'cust2-extra': Undefined Removed" \
    "$L 'cust1-db': Suspended Paused" \
    "$L 'cust1-db': Resumed Unpaused" \
    "$L 'cust2-shop': Suspended Paused" \
    "$L 'cust2-shop': Resumed Unpaused"
it_fail_if_mentions() { # WATCHER WORDS...
    local w=$1 word
    shift
    for word in "$@"; do
        ! grep -qF -- "$word" "$IT_DIR/events-$w.out" ||
            { grep -F -- "$word" "$IT_DIR/events-$w.out" >&2; it_fail "$w received events of $word"; }
    done
    it_ok "$w's whole output (sync included) never mentions: $*"
}
it_fail_if_mentions customer1 cust2- isp-monitor
it_fail_if_mentions customer2 cust1- isp-monitor cust2-extra

# virsh's own count agrees with the lines it printed.
for w in "${WATCHERS[@]}"; do
    n=$(grep -c "^event '" "$IT_DIR/events-$w.out")
    grep -qx "events received: $n" "$IT_DIR/events-$w.out" ||
        { cat "$IT_DIR/events-$w.out" >&2; it_fail "$w: no 'events received: $n'"; }
done
it_ok "each watcher's 'events received: N' matches the lines it printed"

# Registering for another tenant's domain fails like a missing domain.
IT_WHO="virsh as customer1"
it_same_as_missing it_virsh "$(it_tls_uri customer1)" cust2-shop no-such-domain \
    event --domain @ --event lifecycle --timeout 1

it_expect_daemon_alive "after the watchers left"
it_stop_daemon
it_pass
