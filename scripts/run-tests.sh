#!/bin/sh
# Set everything up and run Tenvirt's whole test suite:
#   1. install the Debian packages it needs (scripts/install-deps.sh),
#   2. build with warnings as errors and run `make check`,
#   3. build with AddressSanitizer + UBSan and run `make check` again,
#   4. build with ThreadSanitizer and run `make check` again: the daemon
#      and the unit tests with threads run instrumented, and any race
#      report fails the run (tests/tsan.supp lists the known outside ones),
#   5. run the unit tests under valgrind.
# Build trees go to build/, build-asan/, build-tsan/ (override with
# TENVIRT_BUILD_ROOT).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=${TENVIRT_BUILD_ROOT:-$top}

"$top/scripts/install-deps.sh"

status=0
passed=0
failed=0
run_suite() {
    name=$1
    dir=$2
    shift 2
    echo "== $name: building in $dir"
    "$top/scripts/build.sh" "$dir" "$@"
    echo "== $name: make check"
    if ! make -C "$dir" -j"$(nproc)" check >"$dir/check.log" 2>&1; then
        status=1
        echo "== $name: FAILED"
        grep -E '^(FAIL|ERROR|XPASS)' "$dir/check.log" || true
        for log in $(grep -lE '^(:test-result: FAIL|:test-result: ERROR)' "$dir"/tests/*/*.trs 2>/dev/null); do
            echo "--- ${log%.trs}.log"
            tail -40 "${log%.trs}.log"
        done
    fi
    sed -n '/^# TOTAL/,/^# ERROR/p' "$dir/check.log"
    p=$(sed -n 's/^# PASS: *//p' "$dir/check.log" | tail -1)
    f=$(sed -n 's/^# FAIL: *//p' "$dir/check.log" | tail -1)
    e=$(sed -n 's/^# ERROR: *//p' "$dir/check.log" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
    if [ -z "$p" ]; then
        failed=$((failed + 1))   # the suite did not even run
    fi
}

run_suite "plain build" "$root/build" --enable-werror
run_suite "sanitizers (ASan+UBSan)" "$root/build-asan" --enable-werror --enable-sanitizers

# A race in a daemon started by a test script ends that daemon
# (halt_on_error), which the script may not notice: every report also goes
# to a file, and any file fails the run.
tsan_reports="$root/build-tsan/tsan-reports"
rm -rf "$tsan_reports"
mkdir -p "$tsan_reports"
export TSAN_OPTIONS="log_path=$tsan_reports/report"
run_suite "ThreadSanitizer" "$root/build-tsan" --enable-werror --enable-sanitizers=thread
unset TSAN_OPTIONS
if ls "$tsan_reports"/report.* >/dev/null 2>&1; then
    status=1
    failed=$((failed + 1))
    echo "== ThreadSanitizer: race reports in $tsan_reports"
    for report in "$tsan_reports"/report.*; do
        echo "--- $report"
        head -60 "$report"
    done
fi

echo "== valgrind: unit tests"
if ! make -C "$root/build" check-valgrind; then
    status=1
    echo "== valgrind: FAILED"
fi

echo "$passed passed, $failed failed"
if [ "$status" -eq 0 ]; then
    echo "== all test suites passed"
else
    echo "== some tests FAILED"
fi
exit "$status"
