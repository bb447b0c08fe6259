#!/bin/sh
# tenvirt-acl-test.sh: the tenvirt-acl tool as an administrator uses it:
# lint a policy, explain decisions (with --policy and with the daemon's
# tenvirtd.conf), list permissions; exact output and exit codes.
set -u

srcdir=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
acl=${abs_top_builddir:+$abs_top_builddir/tools/}tenvirt-acl
data=$srcdir/tests/access/data/dnpolicy
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

# The first line of a command's output, keeping its exit status.
firstline() {
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out" | head -n 1
    return $rc
}

# expect NAME STATUS EXPECTED-OUTPUT -- COMMAND...: stdout and stderr together.
expect() {
    name=$1 status=$2 want=$3
    shift 4
    got=$("$@" 2>&1)
    rc=$?
    if [ "$rc" != "$status" ] || [ "$got" != "$want" ]; then
        echo "FAIL: $name (exit $rc, expected $status)"
        printf '  got:      %s\n  expected: %s\n' "$got" "$want"
        failed=1
    else
        echo "ok: $name"
    fi
}

expect "lint a good policy" 0 "$data/example.conf: OK, 6 rules, 2 roles" -- \
    "$acl" lint "$data/example.conf"

expect "lint reports every bad line" 1 "$data/broken.conf:3: role 'viewer' already defined at line 2
$data/broken.conf:5: unknown action 'alow' (expected allow, deny or role)
$data/broken.conf:6: unknown permission 'domain:strat'" -- \
    "$acl" lint "$data/broken.conf"

expect "lint an unreadable file" 1 \
    "tenvirt-acl: cannot open policy file '$tmp/none.conf': No such file or directory" -- \
    "$acl" lint "$tmp/none.conf"

expect "explain: customer1 starts its own domain" 0 "allow (dnpolicy: $data/example.conf:6)
  rule:     $data/example.conf:6: allow dn=\"CN=customer1,O=Example ISP,C=GB\" domain=cust1-*          perms=@customer
  identity: transport=tls dn=\"C=GB,O=Example ISP,CN=customer1\"
  drivers:  dnpolicy
  request:  domain:start on domain 'cust1-web' (uuid 00000000-0000-0000-0000-000000000000)" -- \
    "$acl" explain --policy "$data/example.conf" --dn "/C=GB/O=Example ISP/CN=customer1" \
        --domain cust1-web domain:start

expect "explain: customer1 may not delete" 1 "deny (dnpolicy: no rule matched)
  identity: transport=tls dn=\"C=GB,O=Example ISP,CN=customer1\"
  drivers:  dnpolicy
  request:  domain:delete on domain 'cust1-web' (uuid 00000000-0000-0000-0000-000000000000)" -- \
    "$acl" explain --policy "$data/example.conf" --dn "CN=customer1,O=Example ISP,C=GB" \
        --domain cust1-web domain:delete

expect "explain: customer2's domain by UUID" 0 "allow (dnpolicy: $data/example.conf:7)" -- \
    firstline "$acl" explain --policy "$data/example.conf" --dn "CN=customer2,O=Example ISP,C=GB" \
        --domain renamed --uuid 0b8f4a3e-2c1d-4e5f-9a8b-7c6d5e4f3a2b domain:stop

expect "explain: an explicit deny" 1 "deny (dnpolicy: $data/example.conf:9)" -- \
    firstline "$acl" explain --policy "$data/example.conf" --sasl mallory --connect connect:getattr

cat > "$tmp/tenvirtd.conf" <<CONF
access_drivers = [ "readonly", "dnpolicy" ]
access_dnpolicy_file = "$data/example.conf"
tls_restrict_dn = [ "CN=customer3,O=Example ISP,C=GB", "name:customer3" ]
CONF

expect "explain --config: an inline rule" 0 "allow (dnpolicy: $tmp/tenvirtd.conf:tls_restrict_dn[0])" -- \
    firstline "$acl" explain --config "$tmp/tenvirtd.conf" --dn "CN=customer3,O=Example ISP,C=GB" \
        --domain customer3 domain:stop

expect "explain --config: the readonly driver comes first" 1 "deny (readonly: read-only connection)" -- \
    firstline "$acl" explain --config "$tmp/tenvirtd.conf" --dn "CN=customer3,O=Example ISP,C=GB" \
        --readonly --domain customer3 domain:stop

expect "explain: unknown permission" 2 \
    "tenvirt-acl: unknown permission 'domain:strat' (see 'tenvirt-acl perms')" -- \
    "$acl" explain --policy "$data/example.conf" --domain x domain:strat

expect "explain: a domain permission needs a domain" 2 \
    "tenvirt-acl: 'domain:start' is a permission on domain objects: name the domain with --domain" -- \
    "$acl" explain --policy "$data/example.conf" --dn "CN=a" domain:start

expect "explain: a broken policy is a configuration error" 2 \
    "tenvirt-acl: $data/broken.conf:3: role 'viewer' already defined at line 2
$data/broken.conf:5: unknown action 'alow' (expected allow, deny or role)
$data/broken.conf:6: unknown permission 'domain:strat'" -- \
    "$acl" explain --policy "$data/broken.conf" --connect connect:getattr

expect "perms lists the table" 0 \
    "domain:start                     no        start the domain" -- \
    sh -c '"$0" perms | grep "^domain:start "' "$acl"

exit $failed
