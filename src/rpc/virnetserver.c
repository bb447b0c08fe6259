/*
 * virnetserver.c: the RPC server: its event loop, services, client list,
 * worker pool, programs, signals and the once-a-second housekeeping tick.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "viralloc.h"
#include "virerror.h"
#include "virlog.h"
#include "virnetserverpriv.h"
#include "virnetworkerpool.h"
#include "virthread.h"

#define VIR_FROM_THIS VIR_FROM_RPC

VIR_LOG_INIT("rpc.netserver");

#define VIR_NET_SERVER_TICK_MS 1000

typedef struct {
    int signum;
    void (*func)(virNetServer *srv, int signum, void *opaque);
    void *opaque;
    struct sigaction old;
    bool installed;
} virNetServerSignal;

struct _virNetServer {
    virMutex lock;
    virNetServerConfig cfg;
    virEventLoop *loop;
    virNetWorkerPool *workers;
    int tickTimer;

    virNetServerProgram **programs;
    size_t nprograms;
    virNetServerService **services;
    size_t nservices;
    virNetServerClient **clients;
    size_t nclients;
    unsigned int nanonymous;        /* atomic: clients not yet through TLS and auth */

    virNetServerClientInitHook initHook;
    virNetServerClientCloseHook closeHook;
    void *hookOpaque;

    virNetServerSignal *signals;
    size_t nsignals;
    int signalWatch;
    bool running;
    int quit;                       /* atomic */
};

typedef struct {
    virNetServerClient *client;
    virNetMessage *msg;
    virNetServerProgram *prog;      /* a reference; NULL: no such program */
} virNetServerJob;

static unsigned long long
virNetServerNowMs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* ---- workers ------------------------------------------------------------ */

static virNetServerProgram *
virNetServerFindProgram(virNetServer *srv, const virNetMessageHeader *hdr)
{
    virNetServerProgram *prog = NULL;
    size_t i;

    virMutexLock(&srv->lock);
    for (i = 0; i < srv->nprograms; i++) {
        if (virNetServerProgramMatches(srv->programs[i], hdr)) {
            prog = virNetServerProgramRef(srv->programs[i]);
            break;
        }
    }
    virMutexUnlock(&srv->lock);
    return prog;
}

static void
virNetServerHandleJob(void *data, void *opaque)
{
    virNetServer *srv = opaque;
    virNetServerJob *job = data;
    virNetServerClient *client = job->client;
    virNetMessage *msg = job->msg;
    virNetServerProgram *prog = job->prog;
    virIdentity *id;

    free(job);
    if (virNetServerClientIsClosed(client)) {
        virNetServerProgramFree(prog);
        virNetMessageFree(msg);
        virNetServerClientFinishCall(client, NULL);
        virNetServerClientUnref(client);
        return;
    }

    /* The call acts as the client: access checks read this identity. */
    id = virNetServerClientGetIdentityRef(client);
    virIdentitySetCurrent(id);
    virResetLastError();

    if (prog) {
        virNetServerProgramDispatch(prog, srv, client, msg);
        virNetServerProgramFree(prog);
    } else {
        virNetMessageHeader call = msg->header;

        VIR_DEBUG("Client %s called unknown program %u version %u",
                  virNetServerClientGetName(client), call.prog, call.vers);
        virReportError(VIR_ERR_RPC, "Cannot find program %u version %u", call.prog, call.vers);
        if (virNetServerProgramFormatError(msg, &call) < 0) {
            virNetMessageFree(msg);
            msg = NULL;
        }
    }

    virIdentitySetCurrent(NULL);
    virIdentityUnref(id);
    virResetLastError();
    virNetServerClientFinishCall(client, msg);
    virNetServerClientUnref(client);
}

void
virNetServerDispatchCall(virNetServer *srv, virNetServerClient *client, virNetMessage *msg)
{
    virNetServerJob *job;

    VIR_ALLOC(job);
    job->client = virNetServerClientRef(client);
    job->msg = msg;
    /* Found once, here: it also says whether the call runs inline. */
    job->prog = virNetServerFindProgram(srv, &msg->header);
    if (job->prog && virNetServerProgramIsInline(job->prog, &msg->header))
        virNetServerHandleJob(job, srv);
    else
        virNetWorkerPoolPush(srv->workers, job);
}

/* ---- the server ---------------------------------------------------------- */

/* Snapshot of the client list, each with a reference. */
static virNetServerClient **
virNetServerGetClients(virNetServer *srv, size_t *nclients)
{
    virNetServerClient **list = NULL;
    size_t i;

    virMutexLock(&srv->lock);
    *nclients = srv->nclients;
    if (srv->nclients) {
        VIR_ALLOC_N(list, srv->nclients);
        for (i = 0; i < srv->nclients; i++)
            list[i] = virNetServerClientRef(srv->clients[i]);
    }
    virMutexUnlock(&srv->lock);
    return list;
}

static void
virNetServerPutClients(virNetServerClient **list, size_t nclients)
{
    size_t i;

    for (i = 0; i < nclients; i++)
        virNetServerClientUnref(list[i]);
    free(list);
}

static void
virNetServerTick(int timer, void *opaque)
{
    virNetServer *srv = opaque;
    unsigned long long now = virNetServerNowMs();
    virNetServerClient **clients;
    size_t nclients;
    size_t i;

    clients = virNetServerGetClients(srv, &nclients);
    for (i = 0; i < nclients; i++)
        virNetServerClientTick(clients[i], now);
    virNetServerPutClients(clients, nclients);
}

virNetServer *
virNetServerNew(const virNetServerConfig *cfg)
{
    virNetServer *srv;

    VIR_ALLOC(srv);
    virMutexInit(&srv->lock);
    srv->cfg = *cfg;
    srv->signalWatch = -1;
    if (srv->cfg.maxWorkers == 0)
        srv->cfg.maxWorkers = 20;
    if (srv->cfg.minWorkers > srv->cfg.maxWorkers)
        srv->cfg.minWorkers = srv->cfg.maxWorkers;
    if (srv->cfg.maxClientRequests == 0)
        srv->cfg.maxClientRequests = 5;

    if (!(srv->loop = virEventLoopNew()))
        goto error;
    if (!(srv->workers = virNetWorkerPoolNew(srv->cfg.minWorkers, srv->cfg.maxWorkers,
                                             virNetServerHandleJob, srv)))
        goto error;
    srv->tickTimer = virEventLoopAddTimeout(srv->loop, VIR_NET_SERVER_TICK_MS,
                                            virNetServerTick, srv, NULL);
    return srv;

 error:
    virNetServerFree(srv);
    return NULL;
}

void
virNetServerFree(virNetServer *srv)
{
    virNetServerClient **clients;
    size_t nclients;
    size_t i;

    if (!srv)
        return;

    for (i = 0; i < srv->nservices; i++)
        virNetServerServiceClose(srv->services[i]);

    /* Idle clients finish here; those with calls running finish in the
     * worker that completes their last call. */
    clients = virNetServerGetClients(srv, &nclients);
    for (i = 0; i < nclients; i++)
        virNetServerClientCloseNow(clients[i]);
    virNetServerPutClients(clients, nclients);

    virNetWorkerPoolFree(srv->workers);
    srv->workers = NULL;

    /* Only a client stuck in its init hook could be left; not possible
     * once the loop has stopped, but never leak the list. */
    for (i = 0; i < srv->nclients; i++)
        virNetServerClientUnref(srv->clients[i]);
    free(srv->clients);

    /* Releases the references the client watches hold. */
    virEventLoopFree(srv->loop);

    for (i = 0; i < srv->nservices; i++)
        virNetServerServiceFree(srv->services[i]);
    free(srv->services);
    for (i = 0; i < srv->nprograms; i++)
        virNetServerProgramFree(srv->programs[i]);
    free(srv->programs);
    free(srv->signals);
    virMutexDestroy(&srv->lock);
    free(srv);
}

void
virNetServerAddProgram(virNetServer *srv, virNetServerProgram *prog)
{
    virMutexLock(&srv->lock);
    VIR_APPEND_ELEMENT(srv->programs, srv->nprograms, virNetServerProgramRef(prog));
    virMutexUnlock(&srv->lock);
}

void
virNetServerSetClientHooks(virNetServer *srv, virNetServerClientInitHook init,
                           virNetServerClientCloseHook close, void *opaque)
{
    virMutexLock(&srv->lock);
    srv->initHook = init;
    srv->closeHook = close;
    srv->hookOpaque = opaque;
    virMutexUnlock(&srv->lock);
}

static int
virNetServerAddService(virNetServer *srv, virNetServerService *svc)
{
    if (!svc)
        return -1;
    virMutexLock(&srv->lock);
    VIR_APPEND_ELEMENT(srv->services, srv->nservices, svc);
    virMutexUnlock(&srv->lock);
    return 0;
}

int
virNetServerAddServiceUNIX(virNetServer *srv, const char *path, mode_t mode,
                           gid_t gid, bool readonly, virNetServerAuthType auth)
{
    return virNetServerAddService(srv, virNetServerServiceNewUNIX(srv, path, mode, gid,
                                                                  readonly, auth));
}

int
virNetServerAddServiceTCP(virNetServer *srv, const char *addr, const char *port,
                          virNetTLSContext *tls, virNetServerAuthType auth)
{
    return virNetServerAddService(srv, virNetServerServiceNewTCP(srv, addr, port, tls, auth));
}

int
virNetServerGetPort(virNetServer *srv, size_t serviceIndex)
{
    int port = -1;

    virMutexLock(&srv->lock);
    if (serviceIndex < srv->nservices)
        port = virNetServerServiceGetPort(srv->services[serviceIndex]);
    virMutexUnlock(&srv->lock);
    return port;
}

virEventLoop *
virNetServerGetEventLoop(virNetServer *srv)
{
    return srv->loop;
}

const virNetServerConfig *
virNetServerGetConfig(virNetServer *srv)
{
    return &srv->cfg;
}

void
virNetServerAnonymousDone(virNetServer *srv)
{
    __atomic_sub_fetch(&srv->nanonymous, 1, __ATOMIC_SEQ_CST);
}

size_t
virNetServerGetClientCount(virNetServer *srv)
{
    size_t n;

    virMutexLock(&srv->lock);
    n = srv->nclients;
    virMutexUnlock(&srv->lock);
    return n;
}

/* ---- clients --------------------------------------------------------------- */

void
virNetServerAddClient(virNetServer *srv, virNetSocket *sock, virNetTLSContext *tls,
                      virNetServerAuthType auth, bool readonly)
{
    virNetServerClient *client;

    virMutexLock(&srv->lock);
    if (srv->cfg.maxClients && srv->nclients >= srv->cfg.maxClients) {
        virMutexUnlock(&srv->lock);
        VIR_WARN("Too many active clients (%u), dropping connection from %s",
                 srv->cfg.maxClients,
                 NULLSTR(virNetSocketRemoteAddrString(sock) ?
                         virNetSocketRemoteAddrString(sock) : "a local process"));
        virNetSocketFree(sock);
        return;
    }
    /* Until it is through its TLS handshake and authentication a client is
     * anonymous: those get a quota of their own, so that connections that
     * never finish cannot take every slot while they wait for their time
     * limit. Clients leave the count themselves (virNetServerAnonymousDone). */
    if (tls || auth != VIR_NET_SERVER_AUTH_NONE) {
        if (srv->cfg.maxAnonymousClients &&
            __atomic_load_n(&srv->nanonymous, __ATOMIC_SEQ_CST) >= srv->cfg.maxAnonymousClients) {
            virMutexUnlock(&srv->lock);
            VIR_WARN("Too many clients still authenticating (%u, max_anonymous_clients), "
                     "dropping connection from %s", srv->cfg.maxAnonymousClients,
                     NULLSTR(virNetSocketRemoteAddrString(sock)));
            virNetSocketFree(sock);
            return;
        }
        __atomic_add_fetch(&srv->nanonymous, 1, __ATOMIC_SEQ_CST);
    }
    client = virNetServerClientNew(srv, sock, tls, auth, readonly);
    VIR_APPEND_ELEMENT(srv->clients, srv->nclients, client);
    virMutexUnlock(&srv->lock);

    VIR_DEBUG("New client %s", virNetServerClientGetName(client));
    /* The list's reference may go during Start if the client is refused. */
    virNetServerClientRef(client);
    virNetServerClientStart(client);
    virNetServerClientUnref(client);
}

int
virNetServerRunInitHook(virNetServer *srv, virNetServerClient *client)
{
    virNetServerClientInitHook hook;
    void *opaque;

    virMutexLock(&srv->lock);
    hook = srv->initHook;
    opaque = srv->hookOpaque;
    virMutexUnlock(&srv->lock);
    return hook ? hook(srv, client, opaque) : 0;
}

void
virNetServerClientGone(virNetServer *srv, virNetServerClient *client, bool runHook)
{
    virNetServerClientCloseHook hook;
    void *opaque;
    bool found = false;
    size_t i;

    virMutexLock(&srv->lock);
    hook = srv->closeHook;
    opaque = srv->hookOpaque;
    virMutexUnlock(&srv->lock);
    if (runHook && hook)
        hook(srv, client, opaque);

    virMutexLock(&srv->lock);
    for (i = 0; i < srv->nclients; i++) {
        if (srv->clients[i] == client) {
            memmove(srv->clients + i, srv->clients + i + 1,
                    (srv->nclients - i - 1) * sizeof(*srv->clients));
            srv->nclients--;
            found = true;
            break;
        }
    }
    virMutexUnlock(&srv->lock);
    VIR_DEBUG("Client %s gone", virNetServerClientGetName(client));
    if (found)
        virNetServerClientUnref(client);
}

/* ---- signals and running ------------------------------------------------- */

/* Signal dispositions are per process, so one pipe serves whichever server
 * runs; only one server at a time handles signals. */
static int virNetServerSignalPipe[2] = { -1, -1 };
static pthread_once_t virNetServerSignalOnce = PTHREAD_ONCE_INIT;
static pthread_mutex_t virNetServerSignalLock = PTHREAD_MUTEX_INITIALIZER;
static virNetServer *virNetServerSignalOwner;

static void
virNetServerSignalPipeInit(void)
{
    if (pipe2(virNetServerSignalPipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        virNetServerSignalPipe[0] = virNetServerSignalPipe[1] = -1;
        VIR_ERROR("Cannot create the signal pipe: %s", strerror(errno));
    }
}

static void
virNetServerSignalCatch(int signum)
{
    int savedErrno = errno;
    unsigned char c = signum;

    /* Only async-signal-safe work here; a full pipe loses the signal,
     * which is harmless as many are already waiting. */
    if (write(virNetServerSignalPipe[1], &c, 1) < 0) {
        /* nothing to do */
    }
    errno = savedErrno;
}

static void
virNetServerSignalEvent(int watch, int fd, int events, void *opaque)
{
    virNetServer *srv = opaque;
    unsigned char sigs[32];
    ssize_t n;
    ssize_t i;

    while ((n = read(fd, sigs, sizeof(sigs))) > 0) {
        for (i = 0; i < n; i++) {
            void (*func)(virNetServer *, int, void *) = NULL;
            void *fopaque = NULL;
            size_t j;

            virMutexLock(&srv->lock);
            for (j = 0; j < srv->nsignals; j++) {
                if (srv->signals[j].signum == sigs[i] && srv->signals[j].func) {
                    func = srv->signals[j].func;
                    fopaque = srv->signals[j].opaque;
                }
            }
            virMutexUnlock(&srv->lock);

            if (func) {
                func(srv, sigs[i], fopaque);
            } else if (sigs[i] == SIGTERM || sigs[i] == SIGINT) {
                VIR_INFO("Signal %d received, shutting down", sigs[i]);
                virNetServerQuit(srv);
            }
        }
    }
}

/* Lock held. */
static void
virNetServerInstallSignalLocked(virNetServer *srv, virNetServerSignal *sig)
{
    struct sigaction sa;

    if (sig->installed)
        return;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = virNetServerSignalCatch;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig->signum, &sa, &sig->old) == 0)
        sig->installed = true;
}

static void
virNetServerSetupSignals(virNetServer *srv)
{
    static const int defaults[] = { SIGTERM, SIGINT };
    size_t i, j;

    pthread_once(&virNetServerSignalOnce, virNetServerSignalPipeInit);
    if (virNetServerSignalPipe[0] < 0)
        return;
    pthread_mutex_lock(&virNetServerSignalLock);
    if (virNetServerSignalOwner) {
        pthread_mutex_unlock(&virNetServerSignalLock);
        VIR_DEBUG("Another server handles signals");
        return;
    }
    virNetServerSignalOwner = srv;
    pthread_mutex_unlock(&virNetServerSignalLock);

    virMutexLock(&srv->lock);
    for (i = 0; i < G_N_ELEMENTS(defaults); i++) {
        bool found = false;

        for (j = 0; j < srv->nsignals; j++)
            found |= srv->signals[j].signum == defaults[i];
        if (!found) {
            virNetServerSignal sig = { .signum = defaults[i] };

            VIR_APPEND_ELEMENT(srv->signals, srv->nsignals, sig);
        }
    }
    for (i = 0; i < srv->nsignals; i++)
        virNetServerInstallSignalLocked(srv, &srv->signals[i]);
    srv->signalWatch = virEventLoopAddHandle(srv->loop, virNetServerSignalPipe[0],
                                             VIR_EVENT_HANDLE_READABLE,
                                             virNetServerSignalEvent, srv, NULL);
    virMutexUnlock(&srv->lock);
}

static void
virNetServerTeardownSignals(virNetServer *srv)
{
    size_t i;

    pthread_mutex_lock(&virNetServerSignalLock);
    if (virNetServerSignalOwner != srv) {
        pthread_mutex_unlock(&virNetServerSignalLock);
        return;
    }
    virMutexLock(&srv->lock);
    for (i = 0; i < srv->nsignals; i++) {
        if (srv->signals[i].installed)
            sigaction(srv->signals[i].signum, &srv->signals[i].old, NULL);
        srv->signals[i].installed = false;
    }
    if (srv->signalWatch > 0)
        virEventLoopRemoveHandle(srv->loop, srv->signalWatch);
    srv->signalWatch = -1;
    virMutexUnlock(&srv->lock);
    virNetServerSignalOwner = NULL;
    pthread_mutex_unlock(&virNetServerSignalLock);
}

int
virNetServerAddSignalHandler(virNetServer *srv, int signum,
                             void (*func)(virNetServer *srv, int signum, void *opaque),
                             void *opaque)
{
    virNetServerSignal sig = { .signum = signum, .func = func, .opaque = opaque };
    size_t i;

    if (signum <= 0 || signum > 255 || signum == SIGKILL || signum == SIGSTOP) {
        virReportError(VIR_ERR_INVALID_ARG, "cannot handle signal %d", signum);
        return -1;
    }
    virMutexLock(&srv->lock);
    for (i = 0; i < srv->nsignals; i++) {
        if (srv->signals[i].signum == signum) {
            srv->signals[i].func = func;
            srv->signals[i].opaque = opaque;
            virMutexUnlock(&srv->lock);
            return 0;
        }
    }
    VIR_APPEND_ELEMENT(srv->signals, srv->nsignals, sig);
    virMutexUnlock(&srv->lock);

    /* Added while running: start catching it at once. */
    pthread_mutex_lock(&virNetServerSignalLock);
    if (virNetServerSignalOwner == srv) {
        virMutexLock(&srv->lock);
        virNetServerInstallSignalLocked(srv, &srv->signals[srv->nsignals - 1]);
        virMutexUnlock(&srv->lock);
    }
    pthread_mutex_unlock(&virNetServerSignalLock);
    return 0;
}

int
virNetServerRun(virNetServer *srv)
{
    int ret = 0;

    virMutexLock(&srv->lock);
    if (srv->running) {
        virMutexUnlock(&srv->lock);
        virReportError(VIR_ERR_INTERNAL_ERROR, "%s", "the server is already running");
        return -1;
    }
    srv->running = true;
    virMutexUnlock(&srv->lock);

    virNetServerSetupSignals(srv);
    while (!__atomic_load_n(&srv->quit, __ATOMIC_SEQ_CST)) {
        if (virEventLoopRunOnce(srv->loop) < 0) {
            VIR_ERROR("Event loop failed: %s", virGetLastErrorMessage());
            ret = -1;
            break;
        }
    }
    virNetServerTeardownSignals(srv);

    virMutexLock(&srv->lock);
    srv->running = false;
    __atomic_store_n(&srv->quit, 0, __ATOMIC_SEQ_CST);
    virMutexUnlock(&srv->lock);
    return ret;
}

void
virNetServerQuit(virNetServer *srv)
{
    __atomic_store_n(&srv->quit, 1, __ATOMIC_SEQ_CST);
    virEventLoopInterrupt(srv->loop);
}
