## docs: user and driver-author documentation.
dist_doc_DATA += docs/acl.html
EXTRA_DIST += scripts/gen-acl-tables.py

# The generated tables of acl.html match the permission and method tables.
TESTS += tests/access/check-acl-doc.sh
EXTRA_DIST += tests/access/check-acl-doc.sh
