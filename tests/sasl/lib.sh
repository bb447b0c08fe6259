# lib.sh: the SASL script tests' harness on top of tests/daemon/lib.sh
# (sourced, bash): a sasldb made at test time with saslpasswd2, the
# cyrus configuration (sasl_conf_dir), auth files for virsh and tvsh.
#
#   . "$abs_top_srcdir/tests/sasl/lib.sh"
#   sasl_init                        # tv_init + skips + $SASL_DIR
#   sasl_add_user alice secret       # into $SASL_DIR/sasldb
#   sasl_auth_file alice secret      # $TV_DIR/auth-alice.conf for 127.0.0.1
#   sasl_virsh alice URI list ...    # virsh with that auth file
#   sasl_names                       # sorted names on stdout, one line

. "${abs_top_srcdir:-$(dirname "${BASH_SOURCE[0]}")/../..}/tests/daemon/lib.sh"

SASL_SRCDIR=$abs_top_srcdir/tests/sasl
SASLPASSWD2=${SASLPASSWD2:-/usr/sbin/saslpasswd2}
TV_TVSH=$abs_top_builddir/tools/tvsh

sasl_init() {
    tv_init
    [ -x "$SASLPASSWD2" ] || tv_skip "no $SASLPASSWD2 (sasl2-bin)"
    [ -e /usr/lib/x86_64-linux-gnu/sasl2/libdigestmd5.so ] || ls /usr/lib/*/sasl2/libdigestmd5.so* \
        >/dev/null 2>&1 || tv_skip "no DIGEST-MD5 plugin (libsasl2-modules)"
    SASL_DIR=$TV_DIR/sasl
    mkdir -p "$SASL_DIR"
    cat >"$SASL_DIR/libvirt.conf" <<EOC
mech_list: digest-md5 scram-sha-256 plain
sasldb_path: $SASL_DIR/sasldb
EOC
}

sasl_add_user() {
    printf '%s' "$2" | "$SASLPASSWD2" -a libvirt -f "$SASL_DIR/sasldb" -p "$1" ||
        tv_fail "saslpasswd2 $1"
}

sasl_auth_file() {
    cat >"$TV_DIR/auth-$1.conf" <<EOC
[credentials-$1]
authname=$1
password=$2

[auth-libvirt-127.0.0.1]
credentials=$1
EOC
}

sasl_virsh() {
    local user=$1
    shift
    LIBVIRT_AUTH_FILE=$TV_DIR/auth-$user.conf tv_virsh "$@"
}

sasl_tvsh() {
    local user=$1 uri=$2
    shift 2
    LIBVIRT_AUTH_FILE=$TV_DIR/auth-$user.conf tv_run "$TV_TVSH" -c "$uri" "$@"
}

sasl_python() {
    tv_run "$TV_PYTHON" "$SASL_SRCDIR/pyclient.py" "$@"
}

sasl_wire() {
    tv_run "$TV_PYTHON" "$SASL_SRCDIR/saslwire.py" "$@"
}

sasl_names() {
    grep -v '^$' "$TV_OUT" | sort | tr '\n' ' '
}

# The daemon must still be running and answering.
sasl_daemon_alive() {
    kill -0 "$TV_DAEMON_PID" 2>/dev/null || tv_fail "tenvirtd died"
}
