#!/usr/bin/env python3
"""Keep the generated tables of docs/acl.html in step with the code.

The permission table comes from src/access/viraccessperm.def and the
method table from src/access/viraccessapi.def. Each lives in docs/acl.html
between <!-- BEGIN NAME --> and <!-- END NAME --> markers.

  gen-acl-tables.py --update docs/acl.html   rewrite the tables in place
  gen-acl-tables.py --check docs/acl.html    exit 1 if they are out of date
"""
import html
import os
import re
import sys

TOP = os.environ.get("abs_top_srcdir") or os.path.join(os.path.dirname(__file__), "..")

PERM = re.compile(r'^VIR_ACCESS_PERM\((\w+), (\w+), (\w+), ([\w|]+), "([^"]*)"\)', re.M)
OBJECT = re.compile(r"^VIR_ACCESS_OBJECT\((\w+), (\w+), (\w+)\)", re.M)
API = re.compile(r"^VIR_ACCESS_API_(\w+)\((\w+)(?:, ([^)]*))?\)", re.M)


def read(rel):
    with open(os.path.join(TOP, rel)) as f:
        return f.read()


def perm_table():
    text = read("src/access/viraccessperm.def")
    objects = {enum: name for enum, name, hook in OBJECT.findall(text)}
    rows = ['<table class="perms">',
            "<tr><th>Permission</th><th>Read-only safe</th><th>Allows</th></tr>"]
    for obj, enum, name, flags, desc in PERM.findall(text):
        safe = "yes" if "VIR_ACCESS_PERM_SAFE" in flags else ""
        rows.append("<tr><td><code>%s:%s</code></td><td>%s</td><td>%s</td></tr>"
                    % (objects[obj], name, safe, html.escape(desc)))
    rows.append("</table>")
    return "\n".join(rows)


def perm_name(enum_suffix):
    obj, _, rest = enum_suffix.partition("_")
    return "%s:%s" % (obj.lower(), rest.lower())


def api_table():
    text = read("src/access/viraccessapi.def")
    rows = ['<table class="methods">',
            "<tr><th>Driver method (public API vir&hellip;)</th><th>Checks</th></tr>"]
    for kind, method, args in API.findall(text):
        args = [a.strip() for a in (args or "").split(",") if a.strip()]
        if kind == "NONE":
            checks = "none: " + html.escape(args[0].strip('"'))
        elif kind == "CONNECT":
            checks = "<code>%s</code>" % perm_name(args[0])
        elif kind == "SEARCH":
            checks = ("<code>%s</code>, then each domain is listed only with <code>%s</code>"
                      % (perm_name(args[0]), perm_name(args[1])))
        elif kind == "LOOKUP":
            checks = ("<code>%s</code> (without it the domain is reported missing)"
                      % perm_name(args[0]))
        elif kind == "DOMAIN":
            checks = "<code>domain:getattr</code>, <code>%s</code>" % perm_name(args[0])
        elif kind == "NEW_DOMAIN":
            checks = ("<code>domain:getattr</code>, <code>%s</code>, <code>%s</code> "
                      "on the new definition" % (perm_name(args[0]), perm_name(args[1])))
        elif kind == "DOMAIN_FLAG":
            checks = ("<code>domain:getattr</code>, <code>%s</code>; with %s also <code>%s</code>"
                      % (perm_name(args[0]), html.escape(args[1]), perm_name(args[2])))
        else:
            raise SystemExit("unknown row kind %s" % kind)
        rows.append("<tr><td><code>%s</code></td><td>%s</td></tr>" % (method, checks))
    rows.append("</table>")
    return "\n".join(rows)


TABLES = {"PERMISSIONS": perm_table, "METHODS": api_table}


def render(doc):
    for name, fn in TABLES.items():
        pattern = re.compile(r"(<!-- BEGIN %s -->\n).*?(<!-- END %s -->)" % (name, name), re.S)
        if not pattern.search(doc):
            raise SystemExit("docs: no <!-- BEGIN %s --> marker" % name)
        doc = pattern.sub(lambda m: m.group(1) + fn() + "\n" + m.group(2), doc)
    return doc


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("--update", "--check"):
        print(__doc__)
        return 2
    path = sys.argv[2]
    with open(path) as f:
        doc = f.read()
    fresh = render(doc)
    if sys.argv[1] == "--update":
        with open(path, "w") as f:
            f.write(fresh)
        return 0
    if fresh != doc:
        print("%s: generated tables are out of date; run scripts/gen-acl-tables.py --update %s"
              % (path, path))
        return 1
    print("ok: %s tables match viraccessperm.def and viraccessapi.def" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
