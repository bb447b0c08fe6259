#!/bin/sh
# Install everything Tenvirt needs to build, test and run its demo on Debian 12.
# Idempotent: when every package is already present it does no apt work at all.
set -eu

PACKAGES="
build-essential autoconf automake libtool pkg-config
libgnutls28-dev libsasl2-dev libxml2-dev libtirpc-dev check
rpcsvc-proto libxen-dev
gnutls-bin sasl2-bin libsasl2-modules libsasl2-modules-db
libvirt-clients python3-libvirt libvirt-daemon libvirt-dev
valgrind python3 procps iproute2
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: run this script as root to install them" >&2
    exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
