/*
 * virnetsocket.c: stream sockets for RPC with optional TLS and security layers.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetsocket.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netsocket");

/* How much raw data one read feeds to a security layer's decoder. */
#define VIR_NET_SOCKET_LAYER_READ 65536

struct _virNetSocket {
    int fd;
    bool isUNIX;
    char *unixPath;             /* listening UNIX socket: removed on free */
    int port;
    char *localAddrStr;
    char *remoteAddrStr;
    virNetTLSSession *tls;

    const virNetSocketLayer *layer;
    void *layerOpaque;
    size_t layerMaxInput;
    char *decoded;              /* plaintext decoded but not yet read */
    size_t decodedLen;
    size_t decodedOffset;
    char *encoded;              /* wire bytes of a chunk not yet fully sent */
    size_t encodedLen;
    size_t encodedOffset;
    size_t encodedPlainLen;     /* plaintext bytes that chunk carries */
};

static int
virNetSocketSetNonBlock(int fd, bool nonblock)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0)
        return -1;
    flags = nonblock ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags);
}

/* "IP;PORT" of a socket address, NULL for non-IP families. */
static char *
virNetSocketFormatAddr(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
        return NULL;
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return NULL;
    return virPrintf("%s;%s", host, serv);
}

static int
virNetSocketAddrPort(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)sa)->sin_port);
    if (sa->sa_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    return -1;
}

/* Wrap @fd, filling in the addresses from the kernel. */
static virNetSocket *
virNetSocketNew(int fd)
{
    virNetSocket *sock;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    VIR_ALLOC(sock);
    sock->fd = fd;
    sock->port = -1;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        sock->isUNIX = ss.ss_family == AF_UNIX;
        sock->port = virNetSocketAddrPort((struct sockaddr *)&ss);
        sock->localAddrStr = virNetSocketFormatAddr((struct sockaddr *)&ss, len);
    }
    len = sizeof(ss);
    if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
        sock->remoteAddrStr = virNetSocketFormatAddr((struct sockaddr *)&ss, len);
    return sock;
}

static void
virNetSocketSetNoDelay(int fd)
{
    int on = 1;

    /* Requests and replies are small and latency bound. */
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) < 0)
        VIR_DEBUG("TCP_NODELAY failed on fd %d", fd);
}

/* Bind and listen on every address of @ai; with @port0, the port the
 * kernel picks for the first one is used for the rest. */
static int
virNetSocketListenAddrs(struct addrinfo *ai, const char *nodename, const char *service,
                        bool port0, virNetSocket ***retsocks, size_t *nretsocks,
                        bool *retry)
{
    virNetSocket **socks = NULL;
    size_t nsocks = 0;
    int chosenPort = -1;
    int savedErrno = 0;
    struct addrinfo *cur;
    size_t i;

    *retry = false;
    for (cur = ai; cur; cur = cur->ai_next) {
        struct sockaddr_storage ss;
        int fd;
        int on = 1;

        if (cur->ai_family != AF_INET && cur->ai_family != AF_INET6)
            continue;
        memcpy(&ss, cur->ai_addr, cur->ai_addrlen);
        if (port0 && chosenPort > 0) {
            if (ss.ss_family == AF_INET)
                ((struct sockaddr_in *)&ss)->sin_port = htons(chosenPort);
            else
                ((struct sockaddr_in6 *)&ss)->sin6_port = htons(chosenPort);
        }

        fd = socket(cur->ai_family, cur->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    cur->ai_protocol);
        if (fd < 0) {
            /* A family the host lacks (no IPv6) is skipped. */
            if (errno == EAFNOSUPPORT)
                continue;
            virReportSystemError(errno, "%s", "Unable to create socket");
            goto error;
        }
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
            VIR_DEBUG("SO_REUSEADDR failed on fd %d", fd);
        /* So that "::" and "0.0.0.0" can both be bound. */
        if (cur->ai_family == AF_INET6 &&
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
            VIR_DEBUG("IPV6_V6ONLY failed on fd %d", fd);

        if (bind(fd, (struct sockaddr *)&ss, cur->ai_addrlen) < 0) {
            savedErrno = errno;
            close(fd);
            if (savedErrno == EADDRNOTAVAIL && !nodename)
                continue;
            if (savedErrno == EADDRINUSE && port0 && chosenPort > 0) {
                /* The port picked on one family is busy on another. */
                *retry = true;
                goto error;
            }
            virReportSystemError(savedErrno, "Unable to bind to %s:%s",
                                 NULLSTR(nodename ? nodename : "*"), service);
            goto error;
        }
        if (listen(fd, SOMAXCONN) < 0) {
            virReportSystemError(errno, "Unable to listen on %s:%s",
                                 NULLSTR(nodename ? nodename : "*"), service);
            close(fd);
            goto error;
        }
        VIR_APPEND_ELEMENT(socks, nsocks, virNetSocketNew(fd));
        if (port0 && chosenPort < 0)
            chosenPort = socks[nsocks - 1]->port;
    }

    if (nsocks == 0) {
        virReportSystemError(savedErrno ? savedErrno : EADDRNOTAVAIL,
                             "No address to listen on for %s:%s",
                             NULLSTR(nodename ? nodename : "*"), service);
        return -1;
    }
    *retsocks = socks;
    *nretsocks = nsocks;
    return 0;

 error:
    for (i = 0; i < nsocks; i++)
        virNetSocketFree(socks[i]);
    free(socks);
    return -1;
}

int
virNetSocketNewListenTCP(const char *nodename, const char *service,
                         virNetSocket ***retsocks, size_t *nretsocks)
{
    struct addrinfo hints = { 0 };
    struct addrinfo *ai = NULL;
    bool port0 = STREQ(service, "0");
    int attempts = 5;
    int rc;

    *retsocks = NULL;
    *nretsocks = 0;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((rc = getaddrinfo(nodename, service, &hints, &ai)) != 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to resolve address '%s' service '%s': %s",
                       NULLSTR(nodename), service, gai_strerror(rc));
        return -1;
    }
    for (;;) {
        bool retry;

        rc = virNetSocketListenAddrs(ai, nodename, service, port0,
                                     retsocks, nretsocks, &retry);
        if (rc == 0 || !retry)
            break;
        if (--attempts == 0) {
            virReportError(VIR_ERR_SYSTEM_ERROR,
                           "Unable to find a port free on every address of %s",
                           NULLSTR(nodename ? nodename : "*"));
            break;
        }
    }
    freeaddrinfo(ai);
    return rc;
}

virNetSocket *
virNetSocketNewListenUNIX(const char *path, mode_t mode, gid_t gid)
{
    struct sockaddr_un sun = { 0 };
    struct stat st;
    virNetSocket *sock;
    int fd;

    if (strlen(path) >= sizeof(sun.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "UNIX socket path '%s' too long", path);
        return NULL;
    }
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            virReportError(VIR_ERR_OPERATION_FAILED,
                           "refusing to replace '%s': it is not a socket", path);
            return NULL;
        }
        unlink(path);
    }

    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
        virReportSystemError(errno, "%s", "Unable to create UNIX socket");
        return NULL;
    }
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        virReportSystemError(errno, "Unable to bind to UNIX socket path '%s'", path);
        close(fd);
        return NULL;
    }
    /* Nobody can connect before listen(), so setting the permissions
     * between bind and listen leaves no window (and needs no umask). */
    if (chmod(path, mode) < 0 ||
        (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0)) {
        virReportSystemError(errno, "Unable to set permissions of '%s'", path);
        close(fd);
        unlink(path);
        return NULL;
    }
    if (listen(fd, SOMAXCONN) < 0) {
        virReportSystemError(errno, "Unable to listen on UNIX socket '%s'", path);
        close(fd);
        unlink(path);
        return NULL;
    }
    sock = virNetSocketNew(fd);
    sock->isUNIX = true;
    sock->unixPath = virStrdup(path);
    return sock;
}

int
virNetSocketAccept(virNetSocket *sock, virNetSocket **clientsock)
{
    virNetSocket *csock;
    int fd;

    *clientsock = NULL;
    for (;;) {
        fd = accept4(sock->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0)
            break;
        if (errno == EINTR)
            continue;
        /* Nothing pending, or the peer gave up before we got to it. */
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ||
            errno == EPROTO)
            return 0;
        virReportSystemError(errno, "%s", "Unable to accept client");
        return -1;
    }
    csock = virNetSocketNew(fd);
    if (!csock->isUNIX)
        virNetSocketSetNoDelay(fd);
    *clientsock = csock;
    return 0;
}

virNetSocket *
virNetSocketNewConnectTCP(const char *host, const char *port)
{
    struct addrinfo hints = { 0 };
    struct addrinfo *ai = NULL, *cur;
    int savedErrno = ECONNREFUSED;
    int fd = -1;
    int rc;

    hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
        virReportError(VIR_ERR_SYSTEM_ERROR, "Unable to resolve address '%s' service '%s': %s",
                       host, port, gai_strerror(rc));
        return NULL;
    }
    for (cur = ai; cur; cur = cur->ai_next) {
        fd = socket(cur->ai_family, cur->ai_socktype | SOCK_CLOEXEC, cur->ai_protocol);
        if (fd < 0) {
            savedErrno = errno;
            continue;
        }
        while ((rc = connect(fd, cur->ai_addr, cur->ai_addrlen)) < 0 && errno == EINTR)
            ;
        if (rc == 0)
            break;
        savedErrno = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    if (fd < 0) {
        virReportSystemError(savedErrno, "unable to connect to server at '%s:%s'", host, port);
        return NULL;
    }
    virNetSocketSetNoDelay(fd);
    virNetSocketSetNonBlock(fd, true);
    return virNetSocketNew(fd);
}

virNetSocket *
virNetSocketNewConnectUNIX(const char *path)
{
    struct sockaddr_un sun = { 0 };
    int fd;
    int rc;

    if (strlen(path) >= sizeof(sun.sun_path)) {
        virReportError(VIR_ERR_INTERNAL_ERROR, "UNIX socket path '%s' too long", path);
        return NULL;
    }
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        virReportSystemError(errno, "%s", "Unable to create UNIX socket");
        return NULL;
    }
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    while ((rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun))) < 0 && errno == EINTR)
        ;
    if (rc < 0) {
        virReportSystemError(errno, "unable to connect to server at '%s'", path);
        close(fd);
        return NULL;
    }
    virNetSocketSetNonBlock(fd, true);
    return virNetSocketNew(fd);
}

virNetSocket *
virNetSocketNewConnectedFD(int fd)
{
    virNetSocketSetNonBlock(fd, true);
    return virNetSocketNew(fd);
}

void
virNetSocketFree(virNetSocket *sock)
{
    if (!sock)
        return;
    /* The TLS session refers to the fd: it goes first. */
    virNetTLSSessionFree(sock->tls);
    if (sock->layer && sock->layer->free)
        sock->layer->free(sock->layerOpaque);
    if (sock->unixPath)
        unlink(sock->unixPath);
    if (sock->fd >= 0)
        close(sock->fd);
    free(sock->unixPath);
    free(sock->localAddrStr);
    free(sock->remoteAddrStr);
    free(sock->decoded);
    free(sock->encoded);
    free(sock);
}

void
virNetSocketShutdown(virNetSocket *sock)
{
    shutdown(sock->fd, SHUT_RDWR);
}

int
virNetSocketGetFD(virNetSocket *sock)
{
    return sock->fd;
}

bool
virNetSocketIsLocal(virNetSocket *sock)
{
    return sock->isUNIX;
}

int
virNetSocketGetPort(virNetSocket *sock)
{
    return sock->port;
}

int
virNetSocketGetUNIXIdentity(virNetSocket *sock, uid_t *uid, gid_t *gid, pid_t *pid)
{
    struct ucred cr;
    socklen_t len = sizeof(cr);

    if (getsockopt(sock->fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
        virReportSystemError(errno, "%s", "Failed to get client socket identity");
        return -1;
    }
    *uid = cr.uid;
    *gid = cr.gid;
    *pid = cr.pid;
    return 0;
}

const char *
virNetSocketLocalAddrString(virNetSocket *sock)
{
    return sock->localAddrStr;
}

const char *
virNetSocketRemoteAddrString(virNetSocket *sock)
{
    return sock->remoteAddrStr;
}

int
virNetSocketSetBlocking(virNetSocket *sock, bool blocking)
{
    if (virNetSocketSetNonBlock(sock->fd, !blocking) < 0) {
        virReportSystemError(errno, "%s", "Unable to change socket blocking mode");
        return -1;
    }
    return 0;
}

void
virNetSocketSetTLSSession(virNetSocket *sock, virNetTLSSession *sess)
{
    virNetTLSSessionFree(sock->tls);
    sock->tls = sess;
}

virNetTLSSession *
virNetSocketGetTLSSession(virNetSocket *sock)
{
    return sock->tls;
}

void
virNetSocketSetSecurityLayer(virNetSocket *sock, const virNetSocketLayer *layer,
                             size_t maxInput, void *opaque)
{
    if (sock->layer && sock->layer->free)
        sock->layer->free(sock->layerOpaque);
    sock->layer = layer;
    sock->layerOpaque = opaque;
    sock->layerMaxInput = maxInput ? maxInput : 65536;
}

/* The transport below any security layer: TLS or the bare socket. */
static ssize_t
virNetSocketReadWire(virNetSocket *sock, char *buf, size_t len)
{
    ssize_t rc;

    if (sock->tls)
        return virNetTLSSessionRead(sock->tls, buf, len);
    for (;;) {
        rc = recv(sock->fd, buf, len, 0);
        if (rc >= 0)
            return rc;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            errno = EAGAIN;
            return -1;
        }
        {
            int savedErrno = errno;

            virReportSystemError(savedErrno, "%s", "Cannot recv data");
            errno = savedErrno;
        }
        return -1;
    }
}

static ssize_t
virNetSocketWriteWire(virNetSocket *sock, const char *buf, size_t len)
{
    ssize_t rc;

    if (sock->tls)
        return virNetTLSSessionWrite(sock->tls, buf, len);
    for (;;) {
        rc = send(sock->fd, buf, len, MSG_NOSIGNAL);
        if (rc >= 0)
            return rc;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            errno = EAGAIN;
            return -1;
        }
        {
            int savedErrno = errno;

            virReportSystemError(savedErrno, "%s", "Cannot write data");
            errno = savedErrno;
        }
        return -1;
    }
}

static ssize_t
virNetSocketReadLayer(virNetSocket *sock, char *buf, size_t len)
{
    size_t avail;

    if (sock->decodedOffset >= sock->decodedLen) {
        VIR_AUTOFREE(char *) raw = NULL;
        const char *out = NULL;
        size_t outlen = 0;
        ssize_t got;

        VIR_ALLOC_N(raw, VIR_NET_SOCKET_LAYER_READ);
        if ((got = virNetSocketReadWire(sock, raw, VIR_NET_SOCKET_LAYER_READ)) <= 0)
            return got;
        if (sock->layer->decode(sock->layerOpaque, raw, got, &out, &outlen) < 0) {
            errno = EIO;
            return -1;
        }
        if (outlen == 0) {
            /* Only part of a chunk so far. */
            errno = EAGAIN;
            return -1;
        }
        free(sock->decoded);
        VIR_ALLOC_N(sock->decoded, outlen);
        memcpy(sock->decoded, out, outlen);
        sock->decodedLen = outlen;
        sock->decodedOffset = 0;
    }
    avail = sock->decodedLen - sock->decodedOffset;
    if (len > avail)
        len = avail;
    memcpy(buf, sock->decoded + sock->decodedOffset, len);
    sock->decodedOffset += len;
    return len;
}

static ssize_t
virNetSocketWriteLayer(virNetSocket *sock, const char *buf, size_t len)
{
    if (!sock->encoded) {
        const char *out = NULL;
        size_t outlen = 0;
        size_t n = len > sock->layerMaxInput ? sock->layerMaxInput : len;

        if (sock->layer->encode(sock->layerOpaque, buf, n, &out, &outlen) < 0) {
            errno = EIO;
            return -1;
        }
        VIR_ALLOC_N(sock->encoded, outlen ? outlen : 1);
        memcpy(sock->encoded, out, outlen);
        sock->encodedLen = outlen;
        sock->encodedOffset = 0;
        sock->encodedPlainLen = n;
    }
    /* The plaintext counts as written only once its whole chunk is out;
     * until then the caller retries with the same buffer. */
    while (sock->encodedOffset < sock->encodedLen) {
        ssize_t rc = virNetSocketWriteWire(sock, sock->encoded + sock->encodedOffset,
                                           sock->encodedLen - sock->encodedOffset);
        if (rc < 0)
            return -1;
        sock->encodedOffset += rc;
    }
    VIR_FREE(sock->encoded);
    return sock->encodedPlainLen;
}

ssize_t
virNetSocketRead(virNetSocket *sock, char *buf, size_t len)
{
    if (sock->layer)
        return virNetSocketReadLayer(sock, buf, len);
    return virNetSocketReadWire(sock, buf, len);
}

ssize_t
virNetSocketWrite(virNetSocket *sock, const char *buf, size_t len)
{
    if (sock->layer)
        return virNetSocketWriteLayer(sock, buf, len);
    return virNetSocketWriteWire(sock, buf, len);
}

bool
virNetSocketHasCachedData(virNetSocket *sock)
{
    if (sock->layer && sock->decodedOffset < sock->decodedLen)
        return true;
    if (sock->tls && virNetTLSSessionGetPending(sock->tls) > 0)
        return true;
    return false;
}
