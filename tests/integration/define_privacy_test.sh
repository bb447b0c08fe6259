#!/bin/bash
# Privacy of "define" for a customer who may define domains (the ISP
# policy plus domain:write, domain:save, domain:delete on cust1-*), with
# stock virsh:
#   * defining and undefining their own new domain works;
#   * a name they may not use is "access denied", the same whether a
#     domain of that name exists (another tenant's) or not;
#   * a definition that reuses the UUID of a domain they cannot see must
#     fail without revealing anything about that domain (its name), and
#     must leave it alone.

. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"
it_init
it_need_virsh
it_make_pki
it_write_isp_conf </dev/null
sed -i 's/^\(allow dn="CN=customer1,O=Example ISP,C=GB" domain=cust1-\*  *perms=@customer\)$/\1,domain:write,domain:save,domain:delete/' \
    "$IT_DIR/policy.conf"
grep -q 'perms=@customer,domain:write,domain:save,domain:delete' "$IT_DIR/policy.conf" ||
    it_fail "could not edit the policy"
it_start_daemon
C1=$(it_tls_uri customer1)
ADMIN=$(it_tls_uri admin)
IT_WHO="virsh as customer1 (may define cust1-*)"

xml() { # NAME UUID -> file
    local f=$IT_DIR/def-$1-$2.xml
    cat >"$f" <<EOF
<domain type='test'>
  <name>$1</name>
  <uuid>$2</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
EOF
    echo "$f"
}

admin_view() {
    it_virsh "$ADMIN" list --all --uuid --name
    it_expect_rc 0
    sort "$IT_OUT" | grep -v '^$'
}
before=$(admin_view)

# ---- their own new domain ---------------------------------------------------------------
f=$(xml cust1-new 1b2c3d4e-0001-4000-8000-0000000000a1)
it_virsh "$C1" define "$f"
it_expect_rc 0
it_expect_out "Domain 'cust1-new' defined from $f"
it_ok "$IT_WHO: define cust1-new: Domain 'cust1-new' defined"
it_virsh "$C1" list --all --name
it_expect_out_lines cust1-db cust1-new cust1-web
it_ok "$IT_WHO: list shows cust1-db cust1-new cust1-web"
it_virsh "$C1" undefine cust1-new
it_expect_rc 0
it_expect_out "Domain 'cust1-new' has been undefined"
it_ok "$IT_WHO: undefine cust1-new"

# ---- a name they may not use: the same answer whether it exists or not -------------------
it_virsh "$C1" define "$(xml cust2-shop 2b2c3d4e-0002-4000-8000-0000000000a2)"
it_expect_rc 1
it_expect_err "access denied"
o1=$(it_outcome cust2-shop | sed 's/def-<NAME>-[^ ]*\.xml/F/')
it_virsh "$C1" define "$(xml cust2-zzz 2b2c3d4e-0002-4000-8000-0000000000a2)"
it_expect_rc 1
o2=$(it_outcome cust2-zzz | sed 's/def-<NAME>-[^ ]*\.xml/F/')
[ "$o1" = "$o2" ] || { echo "$o1" >&2; echo "$o2" >&2; it_fail "define cust2-shop (exists) and cust2-zzz (does not) differ"; }
it_ok "$IT_WHO: define as cust2-shop (exists) and as cust2-zzz (does not) fail alike: $(grep -m1 'access denied' "$IT_ERR")"

# ---- a hidden domain's UUID under a name they may use ----------------------------------------
FAILED_CHECKS=()
for victim in "cust2-shop 2b2c3d4e-0002-4000-8000-000000000001" \
    "cust2-mail 2b2c3d4e-0002-4000-8000-000000000002" \
    "isp-monitor 9b2c3d4e-0009-4000-8000-000000000001"; do
    read -r vname vuuid <<<"$victim"
    it_virsh "$C1" define "$(xml cust1-probe "$vuuid")"
    it_expect_fail
    it_expect_err "error: Failed to define domain from"
    if grep -qF -- "$vname" "$IT_ERR" "$IT_OUT"; then
        echo "LEAK: define cust1-probe with the UUID of $vname:" >&2
        cat "$IT_ERR" >&2
        FAILED_CHECKS+=("define with the UUID of hidden $vname reveals its name: $(grep -m1 -F "$vname" "$IT_ERR")")
    else
        it_ok "$IT_WHO: define cust1-probe with the UUID of hidden $vname fails without naming it: $(tail -n 1 "$IT_ERR")"
    fi
done
after=$(admin_view)
[ "$before" = "$after" ] || { echo "$before" >&2; echo "$after" >&2; it_fail "the admin's view changed"; }
it_ok "the admin's view (names and UUIDs) is unchanged"

it_expect_daemon_alive "after the defines"
it_stop_daemon
if [ ${#FAILED_CHECKS[@]} -gt 0 ]; then
    printf 'FAIL: %s\n' "${FAILED_CHECKS[@]}" >&2
    it_fail "${#FAILED_CHECKS[@]} privacy check(s) failed"
fi
it_pass
