#!/bin/sh
# Regenerate the build system, then run ./configure with the given arguments
# (set NOCONFIGURE=1 to stop after regenerating).
set -e
cd "$(dirname "$0")"
autoreconf --install --force
if [ -z "${NOCONFIGURE:-}" ]; then
    ./configure "$@"
fi
