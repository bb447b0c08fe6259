#!/bin/sh
# Configure and build Tenvirt out of tree: scripts/build.sh BUILDDIR [configure args...]
# Re-running it only rebuilds what changed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$1
shift

if [ ! -x "$top/configure" ] || [ "$top/configure.ac" -nt "$top/configure" ]; then
    (cd "$top" && NOCONFIGURE=1 ./autogen.sh >/dev/null)
fi
mkdir -p "$builddir"
cd "$builddir"
if [ ! -f Makefile ]; then
    "$top/configure" "$@" >configure.log || { cat configure.log; exit 1; }
fi
make -j"$(nproc)" >make.log 2>&1 || { tail -50 make.log; exit 1; }
