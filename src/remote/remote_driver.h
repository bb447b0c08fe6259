/*
 * remote_driver.h: the "remote" hypervisor driver, libvirt's RPC client.
 *
 * It claims URIs that name a transport or a host and forwards every driver
 * method to the daemon there over the libvirt wire protocol:
 *
 *   test+unix:///default?socket=PATH   UNIX socket (default
 *                                      /var/run/libvirt/libvirt-sock, or
 *                                      libvirt-sock-ro when read-only)
 *   test+tcp://HOST[:PORT]/default     plain TCP (port 16509)
 *   test+tls://HOST[:PORT]/default     TLS (port 16514); pkipath=DIR,
 *   test://HOST/default                no_verify=1
 *
 * Local URIs (test:///default) are declined so the in-process drivers get
 * them, which also keeps a daemon from connecting to itself.
 */
#ifndef TENVIRT_REMOTE_DRIVER_H
#define TENVIRT_REMOTE_DRIVER_H

#include "internal.h"
#include "viruri.h"

#define REMOTE_TCP_PORT "16509"
#define REMOTE_TLS_PORT "16514"
#define REMOTE_UNIX_SOCKET "/var/run/libvirt/libvirt-sock"
#define REMOTE_UNIX_SOCKET_RO "/var/run/libvirt/libvirt-sock-ro"

/* Add the remote driver to the hypervisor drivers virConnectOpen tries.
 * Register it after the in-process drivers. 0, or -1 with an error set. */
int remoteRegister(void);

/* The name to send in CONNECT_OPEN for the connection URI @uri: the URI
 * without transport, user, host, port and the query parameters only the
 * client uses ("test+tcp://h:1/default?socket=x" gives "test:///default"),
 * or the value of its "name" parameter. NULL when the server should pick
 * its default ("remote://host/"). Caller frees. Exposed for tests. */
char *remoteServerName(const virURI *uri);

#endif /* TENVIRT_REMOTE_DRIVER_H */
