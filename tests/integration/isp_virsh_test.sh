#!/bin/bash
# The ISP access matrix (examples/isp) through stock virsh, against a
# real tenvirtd over TLS: see isp_matrix.sh.
IT_CLIENT=virsh
. "${abs_top_srcdir:-$(dirname "$0")/../..}/tests/integration/isp_matrix.sh"
