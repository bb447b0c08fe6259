#!/bin/sh
# make-certs.sh: a throw-away X.509 PKI for TLS tests, made with certtool
# (gnutls-bin). Nothing here is secret; never use it outside tests.
#
# Usage: make-certs.sh OUTDIR [NAME "DN"]...
#
# Creates in OUTDIR (created if missing):
#   cacert.pem cakey.pem            the test CA ("CN=Tenvirt Test CA,O=Tenvirt Tests")
#   cacrl.pem                       CRL of that CA revoking client-revoked
#   servercert.pem serverkey.pem    server: CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1
#   servercert-noip.pem serverkey-noip.pem
#                                   server without IP SAN (DNS:localhost only)
#   client-NAME-cert.pem client-NAME-key.pem for these clients:
#     customer1   DN "CN=customer1,O=Example ISP,C=GB"
#     customer2   DN "CN=customer2,O=Example ISP,C=GB"
#     expired     DN "CN=expired,O=Example ISP,C=GB", valid 2000-01-01..2001-01-01
#     revoked     DN "CN=revoked,O=Example ISP,C=GB", listed in cacrl.pem
#     otherca     DN "CN=customer1,O=Example ISP,C=GB" but signed by another CA
#                 (othercacert.pem othercakey.pem)
#     plus one per NAME "DN" pair given on the command line; DN is written
#     most specific first, as gnutls prints it: "CN=x,OU=y,O=z,C=GB".
#   pki-NAME/  a libvirt pkipath directory per client (cacert.pem,
#              clientcert.pem, clientkey.pem; cacrl.pem too), so stock
#              virsh works with "test+tls://127.0.0.1:PORT/default?pkipath=OUTDIR/pki-NAME"
#   pki-server/  cacert.pem cacrl.pem servercert.pem serverkey.pem
#
# Certificates carry the usages libvirt checks: CA:FALSE, digitalSignature
# and keyEncipherment, and the TLS server or client purpose.
# Takes a few seconds: keys are RSA, because certtool omits keyEncipherment
# from ECDSA certificates and stock libvirt then refuses them. Exit status
# non-zero on any failure.
set -eu

if [ $# -lt 1 ] || [ $(( ($# - 1) % 2 )) -ne 0 ]; then
    echo "usage: $0 OUTDIR [NAME \"DN\"]..." >&2
    exit 2
fi
out=$1
shift
mkdir -p "$out"
cd "$out"

CERTTOOL=${CERTTOOL:-certtool}
# Quiet unless it fails; the log stays behind for a look.
log=make-certs.log
: >"$log"

run() {
    "$CERTTOOL" "$@" >>"$log" 2>&1 || {
        echo "make-certs.sh: certtool $* failed, see $out/$log" >&2
        exit 1
    }
}

genkey() {
    run --generate-privkey --key-type=rsa --bits=2048 --outfile "$1"
}

# ca NAME "CN": a self-signed CA as NAMEcert.pem / NAMEkey.pem
ca() {
    genkey "$1key.pem"
    cat >"$1.tmpl" <<EOF
cn = "$2"
organization = "Tenvirt Tests"
serial = 1
expiration_days = 3650
ca
cert_signing_key
crl_signing_key
EOF
    run --generate-self-signed --load-privkey "$1key.pem" --template "$1.tmpl" \
        --outfile "$1cert.pem"
}

# leaf CERT KEY CAPREFIX SERIAL "DN" server|client [extra template lines]
leaf() {
    cert=$1 key=$2 caprefix=$3 serial=$4 dn=$5 kind=$6
    shift 6
    genkey "$key"
    {
        echo "dn = \"$dn\""
        echo "serial = $serial"
        echo "signing_key"
        echo "encryption_key"
        if [ "$kind" = server ]; then
            echo "tls_www_server"
        else
            echo "tls_www_client"
        fi
        for line in "$@"; do
            echo "$line"
        done
        case "$*" in
        *expiration_date*) ;;
        *) echo "expiration_days = 3650" ;;
        esac
    } >"$cert.tmpl"
    run --generate-certificate --load-privkey "$key" \
        --load-ca-certificate "${caprefix}cert.pem" --load-ca-privkey "${caprefix}key.pem" \
        --template "$cert.tmpl" --outfile "$cert"
}

ca ca "Tenvirt Test CA"
ca otherca "Tenvirt Other CA"

leaf servercert.pem serverkey.pem ca 10 "CN=localhost,O=Tenvirt Tests" server \
    'dns_name = "localhost"' 'ip_address = "127.0.0.1"' 'ip_address = "::1"'
leaf servercert-noip.pem serverkey-noip.pem ca 11 "CN=localhost,O=Tenvirt Tests" server \
    'dns_name = "localhost"'

serial=20
client() {
    name=$1
    shift
    leaf "client-$name-cert.pem" "client-$name-key.pem" "$@"
    serial=$((serial + 1))
}

client customer1 ca $serial "CN=customer1,O=Example ISP,C=GB" client
client customer2 ca $serial "CN=customer2,O=Example ISP,C=GB" client
client expired ca $serial "CN=expired,O=Example ISP,C=GB" client \
    'activation_date = "2000-01-01 00:00:00 UTC"' 'expiration_date = "2001-01-01 00:00:00 UTC"'
client revoked ca $serial "CN=revoked,O=Example ISP,C=GB" client
client otherca otherca $serial "CN=customer1,O=Example ISP,C=GB" client

clients="customer1 customer2 expired revoked otherca"
while [ $# -ge 2 ]; do
    client "$1" ca $serial "$2" client
    clients="$clients $1"
    shift 2
done

cat >crl.tmpl <<EOF
crl_next_update = 3650
crl_number = 1
EOF
run --generate-crl --load-ca-privkey cakey.pem --load-ca-certificate cacert.pem \
    --load-certificate client-revoked-cert.pem --template crl.tmpl --outfile cacrl.pem

for name in $clients; do
    mkdir -p "pki-$name"
    cp cacert.pem cacrl.pem "pki-$name/"
    cp "client-$name-cert.pem" "pki-$name/clientcert.pem"
    cp "client-$name-key.pem" "pki-$name/clientkey.pem"
done
mkdir -p pki-server
cp cacert.pem cacrl.pem servercert.pem serverkey.pem pki-server/
rm -f ./*.tmpl
