#!/usr/bin/python3
"""python3-libvirt with SASL: pyclient.py URI USER PASSWORD [LOOKUP...]

Opens URI with libvirt.openAuth, answering VIR_CRED_AUTHNAME and
VIR_CRED_PASSPHRASE, and prints the sorted names of every domain it sees
on one line ("domains: a b"); then for each LOOKUP name one line
"LOOKUP: found" or "LOOKUP: error CODE". An open that fails prints
"open: error CODE MESSAGE" and exits 1.
"""
import sys

import libvirt


def main():
    uri, user, password = sys.argv[1:4]

    def cb(creds, opaque):
        for cred in creds:
            if cred[0] == libvirt.VIR_CRED_AUTHNAME:
                cred[4] = user
            elif cred[0] == libvirt.VIR_CRED_PASSPHRASE:
                cred[4] = password
            else:
                return -1
        return 0

    # Keep libvirt's own error printing off stderr.
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    try:
        conn = libvirt.openAuth(uri, [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE],
                                      cb, None], 0)
    except libvirt.libvirtError as e:
        print("open: error %d %s" % (e.get_error_code(), e.get_error_message()))
        sys.exit(1)
    names = sorted(d.name() for d in conn.listAllDomains(0))
    print("domains: " + " ".join(names))
    for name in sys.argv[4:]:
        try:
            conn.lookupByName(name)
            print("%s: found" % name)
        except libvirt.libvirtError as e:
            print("%s: error %d" % (name, e.get_error_code()))
    conn.close()


if __name__ == "__main__":
    main()
