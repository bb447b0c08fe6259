#!/bin/sh
# The ISP demo: install what is needed, build, then show per-tenant access
# control on a small hosting node.
#
# Two customers and the provider's admin share one host. Each customer may
# see and run only their own domains; the admin sees everything. The demo
# runs tvsh in-process with the daemon's access configuration
# (examples/isp/), acting as each client in turn, and asks tenvirt-acl to
# explain decisions.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TENVIRT_BUILD_DIR:-$top/build}

"$top/scripts/install-deps.sh"
echo "== building Tenvirt in $build"
"$top/scripts/build.sh" "$build" --enable-werror

work=$(mktemp -d /tmp/tenvirt-demo.XXXXXX)
cp "$top"/examples/isp/node.xml "$top"/examples/isp/policy.conf "$top"/examples/isp/tenvirtd.conf "$work"/
tvsh="$build/tools/tvsh"
acl="$build/tools/tenvirt-acl"
uri="test://$work/node.xml"
conf="$work/tenvirtd.conf"

CUST1="CN=customer1,O=Example ISP,C=GB"
CUST2="CN=customer2,O=Example ISP,C=GB"
ADMIN="CN=admin,O=Example ISP,C=GB"
STRANGER="CN=mallory,O=Elsewhere,C=XX"

say() {
    printf '\n\033[1m# %s\033[0m\n' "$*"
}

# Run one tvsh session as the client with certificate DN $1; the remaining
# arguments are tvsh commands, run in that one session (so the host's state
# carries from one to the next), each announced before its output.
as() {
    who=$1
    shift
    label=$(echo "$who" | sed 's/,.*//; s/CN=//')
    for cmd in "$@"; do
        printf 'echo "  [%s] $ tvsh %s"\n%s\n' "$label" "$cmd" "$cmd"
    done > "$work/cmds"
    "$tvsh" -c "$uri" --access-config "$conf" --as-dn "$who" $TVSH_FLAGS < "$work/cmds" 2>&1 |
        sed -e '/^$/d' -e 's/^[0-9-]* [0-9:.]*+0000: [0-9]*: //' -e '/^  \[/!s/^/      /' || true
}
TVSH_FLAGS=

say "The rule table (examples/isp/policy.conf): first match wins, no match denies"
grep -v '^#' "$work/policy.conf" | grep -v '^$' | sed 's/^/    /'
"$acl" lint "$work/policy.conf" | sed 's/^/    /'

say "customer1 lists all domains: only cust1-*"
as "$CUST1" "list --all"

say "customer2 lists all domains: the one granted by UUID and the one by name"
as "$CUST2" "list --all"

say "customer1 asks about customer2's domain: it simply does not exist for them"
as "$CUST1" "dominfo cust2-shop" "dominfo no-such-domain"

say "customer1 starts and inspects their own domain"
as "$CUST1" "start cust1-web" "domstate cust1-web" "dominfo cust1-web"

say "customer1 may shut down cust1-db but not force it off (a deny rule above the grant); the audit log says why"
as "$CUST1" "destroy cust1-db" "shutdown cust1-db"

say "the admin sees and runs everything"
as "$ADMIN" "list --all" "start isp-monitor" "list"

say "a certificate that no rule mentions cannot even connect"
as "$STRANGER" "list --all"

say "a read-only connection (tvsh -r) may look but not start anything"
TVSH_FLAGS=-r
as "$CUST1" "list --all" "start cust1-web"
TVSH_FLAGS=

say "tenvirt-acl explains any decision with the daemon's exact driver stack"
for q in "--dn|$CUST1|--domain|cust1-db|domain:stop" \
         "--dn|$CUST2|--domain|cust1-web|domain:getattr" \
         "--dn|$ADMIN|--domain|cust2-mail|domain:stop"; do
    old_ifs=$IFS
    IFS='|'
    # shellcheck disable=SC2086
    set -- $q
    IFS=$old_ifs
    echo "  \$ tenvirt-acl explain --config tenvirtd.conf $1 \"$2\" $3 $4 $5"
    "$acl" explain --config "$conf" "$@" 2>&1 | sed 's/^/      /' || true
done

say "done"
echo "  The files of this demo are in $work"
echo "  (node.xml: the host; policy.conf: the rules; tenvirtd.conf: the access settings)."
echo "  Read docs/acl.html for the policy language and how to write an access driver."
