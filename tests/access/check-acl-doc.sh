#!/bin/sh
# docs/acl.html lists every permission and every method's checks, generated
# from the .def tables: fail if someone changed a table and not the doc.
top=${abs_top_srcdir:-$(dirname "$0")/../..}
exec python3 "$top/scripts/gen-acl-tables.py" --check "$top/docs/acl.html"
