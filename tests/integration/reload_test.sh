#!/bin/bash
# SIGHUP reloads the access policy:
#   * a changed policy (customer2 gains cust1-web) applies to new
#     connections and to new calls on connections already open (a virsh
#     shell held open across the reloads);
#   * a broken policy is refused: the daemon logs FILE:LINE and message of
#     every error and keeps the policy it had;
#   * a broken tenvirtd.conf is refused the same way;
#   * going back to the original policy takes the domain away again, and a
#     customer removed from the policy can no longer connect.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
it_init
it_need_virsh
it_make_pki
it_write_isp_conf </dev/null
it_start_daemon
POLICY=$IT_DIR/policy.conf
cp "$POLICY" "$IT_DIR/policy.orig"
C1=$(it_tls_uri customer1)
C2=$(it_tls_uri customer2)

# ---- a virsh shell of customer2, open across all the reloads -------------------------
coproc HELD { "$IT_VIRSH" -q -c "$C2" 2>&1; }
IT_BG_PIDS+=("$HELD_PID")
HELD_OUT=
HELD_IN=${HELD[1]}
HELD_OUT_FD=${HELD[0]}
MARK=0
# held CMD...: run one command in the held shell; its output (prompts
# and echoed commands removed) in $HELD_OUT. The end marker is an error
# of a purely local command: stderr is unbuffered, and the command's
# stdout was flushed when the marker's prompt was shown.
held() {
    local line

    MARK=$((MARK + 1))
    echo "$*" >&"$HELD_IN"
    echo "echo --END-MARK-$MARK" >&"$HELD_IN"
    HELD_OUT=
    while :; do
        IFS= read -r -t "$IT_TIMEOUT" line <&"$HELD_OUT_FD" ||
            it_fail "the held virsh shell did not answer '$*' (so far: $HELD_OUT)"
        [[ $line == *"option --END-MARK-$MARK" ]] && break
        [[ $line == "virsh # "* ]] && continue
        [ -n "$line" ] && HELD_OUT+="$line"$'\n'
    done
}
held_names() {
    held list --all --name
    sort <<<"$HELD_OUT" | grep -v '^$' | tr '\n' ' '
}

[ "$(held_names)" = "cust2-mail cust2-shop " ] || it_fail "held shell of customer2 lists: $HELD_OUT"
it_ok "held virsh shell of customer2 lists cust2-mail cust2-shop"
IT_WHO="virsh as customer2"
it_same_as_missing it_virsh "$C2" cust1-web no-such-domain dominfo @

# ---- customer2 gains cust1-web -----------------------------------------------------------
sed -i 's/^\(allow dn="CN=customer2,O=Example ISP,C=GB" domain=[^ ]*\)/\1,cust1-web/' "$POLICY"
grep -q 'cust2-mail,cust1-web' "$POLICY" || it_fail "could not edit the policy"
it_reload_daemon
[[ $IT_RELOAD_LINE == *"SIGHUP: access policy reloaded from $IT_DIR/tenvirtd.conf"* ]] ||
    it_fail "reload outcome: $IT_RELOAD_LINE"
it_ok "SIGHUP with customer2 granted cust1-web: log says: access policy reloaded"

it_virsh "$C2" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-web cust2-mail cust2-shop
it_ok "new connection of customer2 lists cust1-web cust2-mail cust2-shop"
it_virsh "$C2" start cust1-web
it_expect_rc 0
it_expect_out "Domain 'cust1-web' started"
it_ok "customer2 starts cust1-web"
[ "$(held_names)" = "cust1-web cust2-mail cust2-shop " ] || it_fail "held shell lists: $HELD_OUT"
it_ok "the held shell (opened before the reload) lists cust1-web too"
held destroy cust1-web
[[ $HELD_OUT != *error* ]] || it_fail "held destroy cust1-web: $HELD_OUT"
held domstate cust1-web
[ "$HELD_OUT" = $'shut off\n' ] || it_fail "held domstate cust1-web after destroy: $HELD_OUT"
it_ok "the held shell destroys cust1-web (then domstate: shut off)"
it_virsh "$C1" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "customer1 unaffected: lists cust1-db cust1-web"

# ---- a broken policy: refused, logged with file:line, the old one stays --------------------------
cp "$POLICY" "$IT_DIR/policy.good"
cat >>"$POLICY" <<'EOF'
allow dn="CN=customer3,O=Example ISP,C=GB" domain=cust3-* perms=domain:strat
allow dn="CN=customer4,O=Example ISP,C=GB" perms=@nosuchrole
EOF
bad1=$(($(wc -l <"$POLICY") - 1))
bad2=$(wc -l <"$POLICY")
it_reload_daemon
[[ $IT_RELOAD_LINE == *"SIGHUP: the new access policy does not load; keeping the current one"* ]] ||
    it_fail "reload outcome: $IT_RELOAD_LINE"
it_ok "SIGHUP with a broken policy: log says: the new access policy does not load; keeping the current one"
it_expect_log "$POLICY:$bad1: unknown permission 'domain:strat'" "$POLICY:$bad2: "
it_ok "daemon log: $(grep -F "$POLICY:$bad1:" "$IT_DIR/daemon.log" | tail -n 1 | sed 's/.*error : //')"
it_ok "daemon log: $(grep -F "$POLICY:$bad2:" "$IT_DIR/daemon.log" | tail -n 1 | sed 's/.*error : //')"
it_virsh "$C2" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-web cust2-mail cust2-shop
it_ok "customer2 keeps cust1-web (the last good policy is in force)"
[ "$(held_names)" = "cust1-web cust2-mail cust2-shop " ] || it_fail "held shell lists: $HELD_OUT"
it_ok "the held shell too"
it_virsh "$C1" destroy cust1-db
it_expect_rc 1
it_expect_err "error: access denied: domain:stop"
it_ok "customer1's deny rule still applies"

# ---- a broken tenvirtd.conf: refused the same way ----------------------------------------
cp "$IT_DIR/policy.good" "$POLICY"
cp "$IT_DIR/tenvirtd.conf" "$IT_DIR/tenvirtd.conf.good"
echo 'access_drivers = "dnpolicy"' >>"$IT_DIR/tenvirtd.conf"
echo 'no_such_setting = 1' >>"$IT_DIR/tenvirtd.conf"
bad2=$(wc -l <"$IT_DIR/tenvirtd.conf")
bad1=$((bad2 - 1))
it_reload_daemon
[[ $IT_RELOAD_LINE == *"SIGHUP: the configuration does not load; keeping the current access policy"* ]] ||
    it_fail "reload outcome: $IT_RELOAD_LINE"
it_ok "SIGHUP with a broken tenvirtd.conf: log says: the configuration does not load"
it_expect_log "$IT_DIR/tenvirtd.conf:$bad1: setting 'access_drivers'" \
    "$IT_DIR/tenvirtd.conf:$bad2: unknown setting 'no_such_setting'"
it_ok "daemon log names tenvirtd.conf:$bad1 and tenvirtd.conf:$bad2"
it_virsh "$C2" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-web cust2-mail cust2-shop
it_ok "customer2 still has cust1-web"
cp "$IT_DIR/tenvirtd.conf.good" "$IT_DIR/tenvirtd.conf"

# ---- back to the original: cust1-web is gone again -------------------------------------------
cp "$IT_DIR/policy.orig" "$POLICY"
it_reload_daemon
[[ $IT_RELOAD_LINE == *"SIGHUP: access policy reloaded"* ]] || it_fail "reload outcome: $IT_RELOAD_LINE"
it_ok "SIGHUP with the original policy: reloaded"
it_virsh "$C2" list --all --name
it_expect_rc 0
it_expect_out_lines cust2-mail cust2-shop
it_ok "customer2 lists cust2-mail cust2-shop again"
it_same_as_missing it_virsh "$C2" cust1-web no-such-domain dominfo @
[ "$(held_names)" = "cust2-mail cust2-shop " ] || it_fail "held shell lists: $HELD_OUT"
it_ok "the held shell lost cust1-web too"
held dominfo cust1-web
[[ $HELD_OUT == *"error: failed to get domain 'cust1-web'"* ]] || it_fail "held dominfo cust1-web: $HELD_OUT"
it_ok "held shell: dominfo cust1-web: error: failed to get domain 'cust1-web'"

# ---- customer2 removed from the policy ---------------------------------------------------
sed -i '/CN=customer2,/d' "$POLICY"
it_reload_daemon
[[ $IT_RELOAD_LINE == *"SIGHUP: access policy reloaded"* ]] || it_fail "reload outcome: $IT_RELOAD_LINE"
it_virsh "$C2" list --all
it_expect_rc 1
it_expect_err "error: failed to connect to the hypervisor" "Unable to read TLS confirmation"
it_ok "customer2 removed from the policy: a new connection is refused"
held list --all --name
[[ $HELD_OUT != *cust2-* ]] || it_fail "held shell of a removed customer still lists: $HELD_OUT"
[[ $HELD_OUT == *"access denied"* ]] || it_fail "held shell of a removed customer: $HELD_OUT"
it_ok "the held shell of the removed customer: $(head -n 2 <<<"$HELD_OUT" | tr '\n' ' ')"
it_virsh "$C1" list --all --name
it_expect_rc 0
it_expect_out_lines cust1-db cust1-web
it_ok "customer1 unaffected"

echo quit >&"$HELD_IN"
it_wait_pid "$HELD_PID" 30 || it_fail "the held virsh shell did not quit"
it_expect_daemon_alive "after 5 reloads"
it_stop_daemon
it_pass
