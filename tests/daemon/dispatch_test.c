/*
 * dispatch_test.c: tenvirtd's REMOTE procedures, driven through the real
 * procedure table over a stand-in server (fakeserver.c): arguments and
 * results go through XDR as on the wire, each call runs with the
 * client's identity current, and events arrive as recorded MESSAGEs.
 *
 * The daemon-level behaviour checked here: what virsh and python expect
 * of the handshake procedures, that every domain argument is resolved by
 * UUID under the client's identity (hidden = missing, in the same words),
 * read-only clients, event filtering per registering identity, and that
 * nothing leaks when a client goes away with registrations left.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fakeserver.h"
#include "libvirt_internal.h"
#include "viraccessmanager.h"
#include "viralloc.h"
#include "virerror.h"
#include "viridentity.h"
#include "viruuid.h"

#define NODE_URI "test://" ABS_TOP_SRCDIR "/tests/daemon/data/node.xml"
#define EVENT_WAIT_MS 5000

static const unsigned char cust1WebUUID[VIR_UUID_BUFLEN] = {
    0xc1, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x01 };
static const unsigned char cust2WebUUID[VIR_UUID_BUFLEN] = {
    0xc2, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x01 };

/* ---- fixtures ------------------------------------------------------------ */

static void
setupNop(void)
{
    virAccessManagerSetDefault(virAccessManagerNewNames((const char *const[]){ "nop", NULL }));
}

/* Two tenants by certificate DN, an admin, and read-only connections
 * refused changes. */
static void
setupPolicy(void)
{
    static char *pairs[] = {
        (char *)"CN=cust1,O=Test", (char *)"name:cust1-*",
        (char *)"CN=admin,O=Test", (char *)"*",
        NULL,
    };
    static char *drivers[] = { (char *)"readonly", (char *)"dnpolicy", NULL };
    virAccessConfig conf = { .drivers = drivers, .tlsRestrictDN = pairs,
                             .configFile = "dispatch_test" };
    virAccessManager *mgr = virAccessManagerNew(&conf);

    ck_assert_msg(mgr, "policy: %s", virGetLastErrorMessage());
    virAccessManagerSetDefault(mgr);
}

static void
teardown(void)
{
    virAccessManagerSetDefault(NULL);
    virStateCleanup();
    virResetLastError();
}

static virIdentity *
identityTLS(const char *dn)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TLS);
    virIdentitySetX509DName(id, dn);
    virIdentitySetClientAddress(id, "127.0.0.1;40000");
    return id;
}

static virIdentity *
identityTCP(void)
{
    virIdentity *id = virIdentityNew();

    virIdentitySetTransport(id, VIR_IDENTITY_TRANSPORT_TCP);
    virIdentitySetClientAddress(id, "127.0.0.1;40001");
    return id;
}

static virNetServerClient *
clientNew(virIdentity *id, bool readonly)
{
    virNetServerClient *client = fakeClientNew(id, readonly);

    virIdentityUnref(id);
    return client;
}

static int
callOpen(virNetServerClient *client, const char *uri, unsigned int flags)
{
    remote_connect_open_args args;
    remote_void ret = { 0 };
    char *name = (char *)uri;

    args.name = uri ? &name : NULL;
    args.flags = flags;
    return fakeCall(client, REMOTE_PROC_CONNECT_OPEN, &args, &ret);
}

static virNetServerClient *
openedClient(virIdentity *id, const char *uri)
{
    virNetServerClient *client = clientNew(id, false);

    ck_assert_msg(callOpen(client, uri, 0) == 0, "open: %s", virGetLastErrorMessage());
    return client;
}

static void
wireDomain(remote_nonnull_domain *dom, const char *name, const unsigned char *uuid)
{
    dom->name = (char *)name;
    memcpy(dom->uuid, uuid, VIR_UUID_BUFLEN);
    dom->id = -1;
}

static int
callDomainAction(virNetServerClient *client, int proc, const char *name,
                 const unsigned char *uuid)
{
    remote_domain_args args;
    remote_void ret = { 0 };

    wireDomain(&args.dom, name, uuid);
    return fakeCall(client, proc, &args, &ret);
}

static int
callGetState(virNetServerClient *client, const char *name, const unsigned char *uuid,
             int *state)
{
    remote_domain_flags_args args = { .flags = 0 };
    remote_domain_get_state_ret ret;
    int rv;

    memset(&ret, 0, sizeof(ret));
    wireDomain(&args.dom, name, uuid);
    rv = fakeCall(client, REMOTE_PROC_DOMAIN_GET_STATE, &args, &ret);
    *state = ret.state;
    return rv;
}

static void
assertLastError(int code, const char *message)
{
    virErrorPtr err = virGetLastError();

    ck_assert_msg(err, "no error set");
    ck_assert_int_eq(err->code, code);
    ck_assert_str_eq(err->message, message);
}

/* An in-process connection of the admin, to make things happen. */
static virConnectPtr
adminConnect(void)
{
    virIdentity *id = identityTLS("CN=admin,O=Test");
    virConnectPtr conn;

    virIdentitySetCurrent(id);
    conn = virConnectOpen(NODE_URI);
    virIdentitySetCurrent(NULL);
    virIdentityUnref(id);
    ck_assert_msg(conn, "admin open: %s", virGetLastErrorMessage());
    return conn;
}

static void
adminDo(virConnectPtr conn, const char *name, int (*action)(virDomainPtr))
{
    virIdentity *id = identityTLS("CN=admin,O=Test");
    virDomainPtr dom;

    virIdentitySetCurrent(id);
    dom = virDomainLookupByName(conn, name);
    ck_assert_msg(dom, "lookup %s: %s", name, virGetLastErrorMessage());
    ck_assert_msg(action(dom) == 0, "action on %s: %s", name, virGetLastErrorMessage());
    virDomainFree(dom);
    virIdentitySetCurrent(NULL);
    virIdentityUnref(id);
}

static int
adminReboot(virDomainPtr dom)
{
    return virDomainReboot(dom, 0);
}

/* ---- the table ----------------------------------------------------------- */

START_TEST(test_table_sorted_and_complete)
{
    /* What virsh 9.0 and python3-libvirt 9.0 call (spec sections 3-5). */
    static const int needed[] = {
        1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 14, 15, 16, 17, 19, 21, 22, 23, 24, 25, 27,
        28, 29, 33, 34, 35, 37, 51, 59, 60, 66, 67, 68, 69, 105, 106, 110, 122, 149, 150, 151,
        157, 167, 168, 183, 187, 196, 212, 231, 234, 258, 273, 316, 317, 344, 350,
        360, 361, 426,
    };
    size_t i;
    size_t j;

    for (i = 1; i < remoteNProcedures; i++)
        ck_assert_int_lt(remoteProcedures[i - 1].proc, remoteProcedures[i].proc);
    for (i = 0; i < G_N_ELEMENTS(needed); i++) {
        for (j = 0; j < remoteNProcedures && remoteProcedures[j].proc != needed[i]; j++)
            ;
        ck_assert_msg(j < remoteNProcedures, "procedure %d missing", needed[i]);
        ck_assert_ptr_nonnull(remoteProcedures[j].func);
        ck_assert_ptr_nonnull(remoteProcedures[j].name);
        ck_assert_ptr_nonnull(remoteProcedures[j].api);
    }
    ck_assert_int_eq(remoteNProcedures, G_N_ELEMENTS(needed));

    /* Only the handshake works before OPEN, only AUTH_* before auth. */
    for (i = 0; i < remoteNProcedures; i++) {
        int proc = remoteProcedures[i].proc;
        unsigned int flags = remoteProcedures[i].flags;
        bool auth = proc == REMOTE_PROC_AUTH_LIST || proc == REMOTE_PROC_AUTH_SASL_INIT ||
                    proc == REMOTE_PROC_AUTH_SASL_START || proc == REMOTE_PROC_AUTH_SASL_STEP;
        bool preOpen = proc == REMOTE_PROC_CONNECT_OPEN || proc == REMOTE_PROC_CONNECT_CLOSE ||
                       proc == REMOTE_PROC_CONNECT_SUPPORTS_FEATURE || auth;

        ck_assert_int_eq(!!(flags & VIR_NET_SERVER_PROC_NO_OPEN), preOpen);
        ck_assert_int_eq(!!(flags & VIR_NET_SERVER_PROC_NO_AUTH), auth);
    }
}
END_TEST

/* ---- handshake ----------------------------------------------------------- */

START_TEST(test_handshake)
{
    virNetServerClient *client = clientNew(identityTCP(), false);
    remote_auth_list_ret auth;
    remote_connect_supports_feature_args feat;
    remote_connect_supports_feature_ret supported;
    remote_void none = { 0 };
    static const int answers[][2] = { { 10, 1 }, { 14, 1 }, { 15, 1 }, { 9, 0 }, { 1, 0 },
                                      { 16, 0 }, { 9999, 0 } };
    size_t i;

    memset(&auth, 0, sizeof(auth));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_AUTH_LIST, &none, &auth), 0);
    ck_assert_int_eq(auth.types.types_len, 1);
    ck_assert_int_eq(auth.types.types_val[0], REMOTE_AUTH_NONE);
    fakeFreeRet(REMOTE_PROC_AUTH_LIST, &auth);

    for (i = 0; i < G_N_ELEMENTS(answers); i++) {
        feat.feature = answers[i][0];
        ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_SUPPORTS_FEATURE, &feat,
                                  &supported), 0);
        ck_assert_msg(supported.supported == answers[i][1], "feature %d", answers[i][0]);
    }
    ck_assert(fakeClientKeepaliveEnabled(client));

    /* Anything else before OPEN fails (the server's gate). */
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_HOSTNAME, &none, &none), -1);

    /* NULL name: the default URI. */
    ck_assert_int_eq(callOpen(client, NULL, 0), 0);
    ck_assert(virNetServerClientIsOpen(client));
    ck_assert_int_eq(callOpen(client, "test:///default", 0), -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "internal error: connection already open");

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK,
                              &none, &none), 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK,
                              &none, &none), 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_CLOSE, &none, &none), 0);
    /* Closed: no more calls, even though the socket is still there. */
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_URI, &none, &none), -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "internal error: hypervisor connection not open");
    fakeClientGone(client);
}
END_TEST

START_TEST(test_refuses_to_run_as_daemon)
{
    /* A call the server did not run as its client is refused, rather than
     * run as the daemon's own (system) identity. */
    virNetServerClient *client = openedClient(identityTCP(), "test:///default");
    virNetServerClient *fresh = clientNew(identityTCP(), false);
    remote_connect_get_hostname_ret host = { 0 };
    remote_void none = { 0 };

    virIdentitySetCurrent(NULL);
    ck_assert_int_eq(remoteDispatchConnectGetHostname(NULL, client, NULL, &none, &host), -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "internal error: call does not run as its client");
    ck_assert_ptr_null(host.hostname);
    ck_assert_int_eq(remoteDispatchConnectOpen(NULL, fresh, NULL,
                                               &(remote_connect_open_args){ 0 }, &none), -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "internal error: call does not run as its client");
    ck_assert(!virNetServerClientIsOpen(fresh));
    fakeClientGone(client);
    fakeClientGone(fresh);
}
END_TEST

START_TEST(test_open_refuses_remote_uris)
{
    static const char *const uris[] = {
        "test+tcp://127.0.0.1/default", "test://otherhost/default",
        "test+unix:///default", "test://user@/default", "qemu+ssh://root@h/system",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(uris); i++) {
        virNetServerClient *client = clientNew(identityTCP(), false);
        VIR_AUTOFREE(char *) expect = virPrintf(
            "invalid argument: URI '%s' names a transport or host; tenvirtd opens only "
            "local hypervisor URIs such as test:///default", uris[i]);

        ck_assert_int_eq(callOpen(client, uris[i], 0), -1);
        assertLastError(VIR_ERR_INVALID_ARG, expect);
        ck_assert(!virNetServerClientIsOpen(client));
        fakeClientGone(client);
    }
}
END_TEST

START_TEST(test_open_bad_flags)
{
    virNetServerClient *client = clientNew(identityTCP(), false);

    ck_assert_int_eq(callOpen(client, "test:///default", 0x10), -1);
    assertLastError(VIR_ERR_INVALID_ARG,
                    "invalid argument: unsupported flags (0x10) in function virConnectOpen");
    fakeClientGone(client);
}
END_TEST

/* ---- connection and host ----------------------------------------------- */

START_TEST(test_host_queries)
{
    virNetServerClient *client = openedClient(identityTCP(), "test:///default");
    remote_void none = { 0 };
    remote_connect_get_type_ret type = { 0 };
    remote_connect_get_version_ret ver = { 0 };
    remote_connect_get_lib_version_ret libver = { 0 };
    remote_connect_get_hostname_ret host = { 0 };
    remote_connect_get_uri_ret uri = { 0 };
    remote_connect_get_capabilities_ret caps = { 0 };
    remote_node_get_info_ret info;
    remote_node_get_security_model_ret secmodel;
    remote_connect_is_secure_ret secure = { 0 };
    remote_connect_get_max_vcpus_args maxArgs = { .type = NULL };
    remote_connect_get_max_vcpus_ret maxRet = { 0 };

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_TYPE, &none, &type), 0);
    ck_assert_str_eq(type.type, "TEST");
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_TYPE, &type);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_VERSION, &none, &ver), 0);
    ck_assert_uint_gt(ver.hv_ver, 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_LIB_VERSION, &none, &libver), 0);
    ck_assert_uint_gt(libver.lib_ver, 0);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_HOSTNAME, &none, &host), 0);
    ck_assert_ptr_nonnull(host.hostname);
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_HOSTNAME, &host);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_URI, &none, &uri), 0);
    ck_assert_str_eq(uri.uri, "test:///default");
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_URI, &uri);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_CAPABILITIES, &none, &caps), 0);
    ck_assert_ptr_nonnull(strstr(caps.capabilities, "<capabilities>"));
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_CAPABILITIES, &caps);

    memset(&info, 0, sizeof(info));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_NODE_GET_INFO, &none, &info), 0);
    ck_assert_uint_gt(info.memory, 0);
    ck_assert_int_gt(info.cpus, 0);
    ck_assert_int_gt(strnlen(info.model, sizeof(info.model)), 0);

    /* No security driver: empty arrays, so virsh prints no security lines. */
    memset(&secmodel, 0, sizeof(secmodel));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_NODE_GET_SECURITY_MODEL, &none, &secmodel), 0);
    ck_assert_int_eq(secmodel.model.model_len, 0);
    ck_assert_int_eq(secmodel.doi.doi_len, 0);
    fakeFreeRet(REMOTE_PROC_NODE_GET_SECURITY_MODEL, &secmodel);

    /* Plain TCP is not secure, whatever the hypervisor says. */
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_IS_SECURE, &none, &secure), 0);
    ck_assert_int_eq(secure.secure, 0);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_MAX_VCPUS, &maxArgs, &maxRet), 0);
    ck_assert_int_gt(maxRet.max_vcpus, 0);
    fakeClientGone(client);
}
END_TEST

/* ---- domains ------------------------------------------------------------- */

START_TEST(test_list_all_and_lookups)
{
    virNetServerClient *client = openedClient(identityTCP(), NODE_URI);
    remote_connect_list_all_domains_args args = { .need_results = 1, .flags = 3 };
    remote_connect_list_all_domains_ret ret;
    remote_domain_lookup_by_name_args byName = { .name = (char *)"cust1-db" };
    remote_domain_lookup_by_name_ret byNameRet;
    remote_domain_lookup_by_uuid_args byUUID;
    remote_domain_lookup_by_uuid_ret byUUIDRet;
    size_t i;
    bool seenInactive = false;

    memset(&ret, 0, sizeof(ret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, &args, &ret), 0);
    ck_assert_int_eq(ret.ret, 4);
    ck_assert_int_eq(ret.domains.domains_len, 4);
    for (i = 0; i < ret.domains.domains_len; i++) {
        /* Inactive domains carry id -1, or virsh refuses to start them. */
        if (STREQ(ret.domains.domains_val[i].name, "cust1-db")) {
            ck_assert_int_eq(ret.domains.domains_val[i].id, -1);
            seenInactive = true;
        }
    }
    ck_assert(seenInactive);
    fakeFreeRet(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, &ret);

    /* need_results = 0: only the count. */
    args.need_results = 0;
    memset(&ret, 0, sizeof(ret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, &args, &ret), 0);
    ck_assert_int_eq(ret.ret, 4);
    ck_assert_int_eq(ret.domains.domains_len, 0);
    fakeFreeRet(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, &ret);

    memset(&byNameRet, 0, sizeof(byNameRet));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, &byName, &byNameRet), 0);
    ck_assert_str_eq(byNameRet.dom.name, "cust1-db");
    ck_assert_int_eq(byNameRet.dom.id, -1);
    fakeFreeRet(REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, &byNameRet);

    memcpy(byUUID.uuid, cust2WebUUID, VIR_UUID_BUFLEN);
    memset(&byUUIDRet, 0, sizeof(byUUIDRet));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID, &byUUID, &byUUIDRet), 0);
    ck_assert_str_eq(byUUIDRet.dom.name, "cust2-web");
    ck_assert_int_gt(byUUIDRet.dom.id, 0);
    fakeFreeRet(REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID, &byUUIDRet);

    byName.name = (char *)"nosuch";
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_LOOKUP_BY_NAME, &byName, &byNameRet), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
    fakeClientGone(client);
}
END_TEST

START_TEST(test_legacy_lists)
{
    virNetServerClient *client = openedClient(identityTCP(), NODE_URI);
    remote_void none = { 0 };
    remote_connect_num_of_domains_ret num = { 0 };
    remote_connect_num_of_defined_domains_ret numDef = { 0 };
    remote_connect_list_domains_args idsArgs = { .maxids = 16 };
    remote_connect_list_domains_ret ids;
    remote_connect_list_defined_domains_args namesArgs = { .maxnames = 16 };
    remote_connect_list_defined_domains_ret names;

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_NUM_OF_DOMAINS, &none, &num), 0);
    ck_assert_int_eq(num.num, 2);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_NUM_OF_DEFINED_DOMAINS, &none,
                              &numDef), 0);
    ck_assert_int_eq(numDef.num, 2);

    memset(&ids, 0, sizeof(ids));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_DOMAINS, &idsArgs, &ids), 0);
    ck_assert_int_eq(ids.ids.ids_len, 2);
    fakeFreeRet(REMOTE_PROC_CONNECT_LIST_DOMAINS, &ids);

    memset(&names, 0, sizeof(names));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS, &namesArgs,
                              &names), 0);
    ck_assert_int_eq(names.names.names_len, 2);
    fakeFreeRet(REMOTE_PROC_CONNECT_LIST_DEFINED_DOMAINS, &names);

    /* A client cannot make the daemon allocate without bound. */
    idsArgs.maxids = REMOTE_DOMAIN_ID_LIST_MAX + 1;
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_DOMAINS, &idsArgs, &ids), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    idsArgs.maxids = -1;
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_DOMAINS, &idsArgs, &ids), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_RPC);
    fakeClientGone(client);
}
END_TEST

START_TEST(test_dominfo_sequence)
{
    /* The calls of `virsh dominfo cust1-web`, after its lookup. */
    virNetServerClient *client = openedClient(identityTCP(), NODE_URI);
    remote_domain_args dargs;
    remote_domain_flags_args fargs = { .flags = 0 };
    remote_domain_get_os_type_ret os = { 0 };
    remote_domain_get_info_ret info;
    remote_domain_is_persistent_ret persistent = { 0 };
    remote_domain_get_autostart_ret autostart = { 0 };
    remote_domain_has_managed_save_image_ret msave = { 0 };
    remote_domain_get_messages_ret msgs;
    remote_domain_get_max_memory_ret maxmem = { 0 };
    remote_domain_is_active_ret active = { 0 };
    remote_domain_snapshot_num_ret snaps = { 0 };
    remote_domain_get_xml_desc_ret xml = { 0 };

    wireDomain(&dargs.dom, "cust1-web", cust1WebUUID);
    wireDomain(&fargs.dom, "cust1-web", cust1WebUUID);
    /* The client's id is stale or wrong: only the UUID counts. */
    dargs.dom.id = 4711;

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_OS_TYPE, &dargs, &os), 0);
    ck_assert_str_eq(os.type, "hvm");
    fakeFreeRet(REMOTE_PROC_DOMAIN_GET_OS_TYPE, &os);

    memset(&info, 0, sizeof(info));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_INFO, &dargs, &info), 0);
    ck_assert_int_eq(info.state, VIR_DOMAIN_RUNNING);
    ck_assert_uint_eq(info.maxMem, 1048576);
    ck_assert_uint_eq(info.memory, 524288);
    ck_assert_int_eq(info.nrVirtCpu, 2);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_IS_PERSISTENT, &dargs, &persistent), 0);
    ck_assert_int_eq(persistent.persistent, 1);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_AUTOSTART, &dargs, &autostart), 0);
    ck_assert_int_eq(autostart.autostart, 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_HAS_MANAGED_SAVE_IMAGE, &fargs,
                              &msave), 0);
    ck_assert_int_eq(msave.result, 0);
    memset(&msgs, 0, sizeof(msgs));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_MESSAGES, &fargs, &msgs), 0);
    ck_assert_int_eq(msgs.msgs.msgs_len, 0);
    fakeFreeRet(REMOTE_PROC_DOMAIN_GET_MESSAGES, &msgs);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_MAX_MEMORY, &dargs, &maxmem), 0);
    ck_assert_uint_eq(maxmem.memory, 1048576);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_IS_ACTIVE, &dargs, &active), 0);
    ck_assert_int_eq(active.active, 1);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_SNAPSHOT_NUM, &fargs, &snaps), 0);
    ck_assert_int_eq(snaps.num, 0);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_XML_DESC, &fargs, &xml), 0);
    ck_assert_ptr_nonnull(strstr(xml.xml, "<name>cust1-web</name>"));
    fakeFreeRet(REMOTE_PROC_DOMAIN_GET_XML_DESC, &xml);
    fakeClientGone(client);
}
END_TEST

START_TEST(test_lifecycle)
{
    virNetServerClient *client = openedClient(identityTCP(), NODE_URI);
    static const unsigned char dbUUID[VIR_UUID_BUFLEN] = {
        0xc1, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x02 };
    remote_domain_flags_args fargs = { .flags = 0 };
    remote_domain_create_with_flags_ret created;
    remote_domain_set_autostart_args autoArgs;
    remote_domain_get_autostart_ret autostart = { 0 };
    remote_domain_args dargs;
    remote_void none = { 0 };
    int state;

    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_SUSPEND, "cust1-web",
                                      cust1WebUUID), 0);
    ck_assert_int_eq(callGetState(client, "cust1-web", cust1WebUUID, &state), 0);
    ck_assert_int_eq(state, VIR_DOMAIN_PAUSED);
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_RESUME, "cust1-web",
                                      cust1WebUUID), 0);
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_SHUTDOWN, "cust1-web",
                                      cust1WebUUID), 0);
    ck_assert_int_eq(callGetState(client, "cust1-web", cust1WebUUID, &state), 0);
    ck_assert_int_eq(state, VIR_DOMAIN_SHUTOFF);

    /* The driver's own words reach the client. */
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_DESTROY, "cust1-web",
                                      cust1WebUUID), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_OPERATION_INVALID);
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_CREATE, "cust1-web",
                                      cust1WebUUID), 0);
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_DESTROY, "cust1-web",
                                      cust1WebUUID), 0);

    /* CREATE_WITH_FLAGS answers with the id the domain has now. */
    wireDomain(&fargs.dom, "cust1-db", dbUUID);
    memset(&created, 0, sizeof(created));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, &fargs, &created), 0);
    ck_assert_str_eq(created.dom.name, "cust1-db");
    ck_assert_int_gt(created.dom.id, 0);
    fakeFreeRet(REMOTE_PROC_DOMAIN_CREATE_WITH_FLAGS, &created);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_REBOOT, &fargs, &none), 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_DESTROY_FLAGS, &fargs, &none), 0);

    wireDomain(&autoArgs.dom, "cust1-db", dbUUID);
    autoArgs.autostart = 1;
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_SET_AUTOSTART, &autoArgs, &none), 0);
    wireDomain(&dargs.dom, "cust1-db", dbUUID);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_AUTOSTART, &dargs, &autostart), 0);
    ck_assert_int_eq(autostart.autostart, 1);
    fakeClientGone(client);
}
END_TEST

START_TEST(test_define_undefine)
{
    virNetServerClient *client = openedClient(identityTCP(), NODE_URI);
    remote_domain_define_xml_args def = {
        .xml = (char *)"<domain type='test'><name>cust1-tmp</name>"
                       "<uuid>c1000000-0000-4000-8000-0000000000ff</uuid>"
                       "<memory>65536</memory><vcpu>1</vcpu>"
                       "<os><type>hvm</type></os></domain>",
    };
    remote_domain_define_xml_ret defRet;
    remote_domain_define_xml_flags_args defFlags = { .xml = (char *)"<domain", .flags = 0 };
    remote_domain_define_xml_flags_ret defFlagsRet;
    remote_domain_flags_args undef = { .flags = 0 };
    remote_void none = { 0 };
    unsigned char uuid[VIR_UUID_BUFLEN];

    memset(&defRet, 0, sizeof(defRet));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_DEFINE_XML, &def, &defRet), 0);
    ck_assert_str_eq(defRet.dom.name, "cust1-tmp");
    ck_assert_int_eq(defRet.dom.id, -1);
    memcpy(uuid, defRet.dom.uuid, VIR_UUID_BUFLEN);
    fakeFreeRet(REMOTE_PROC_DOMAIN_DEFINE_XML, &defRet);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_DEFINE_XML_FLAGS, &defFlags,
                              &defFlagsRet), -1);
    ck_assert_int_ne(virGetLastErrorCode(), VIR_ERR_OK);

    wireDomain(&undef.dom, "cust1-tmp", uuid);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &undef, &none), 0);
    /* Gone: by UUID, with the name the client used. */
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_UNDEFINE_FLAGS, &undef, &none), -1);
    assertLastError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching uuid "
                    "'c1000000-0000-4000-8000-0000000000ff' (cust1-tmp)");
    fakeClientGone(client);
}
END_TEST

START_TEST(test_stats)
{
    virNetServerClient *client = openedClient(identityTCP(), NODE_URI);
    remote_connect_get_all_domain_stats_args args;
    remote_connect_get_all_domain_stats_ret ret;
    remote_nonnull_domain one;
    size_t i;
    size_t j;
    bool seenState = false;

    memset(&args, 0, sizeof(args));
    memset(&ret, 0, sizeof(ret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &args, &ret), 0);
    ck_assert_int_eq(ret.retStats.retStats_len, 4);
    for (i = 0; i < ret.retStats.retStats_len; i++) {
        remote_domain_stats_record *rec = &ret.retStats.retStats_val[i];

        ck_assert_int_le(rec->params.params_len, REMOTE_DOMAIN_STATS_PARAMS_MAX);
        for (j = 0; j < rec->params.params_len; j++) {
            if (STREQ(rec->params.params_val[j].field, "state.state")) {
                ck_assert_int_eq(rec->params.params_val[j].value.type, VIR_TYPED_PARAM_INT);
                seenState = true;
            }
        }
    }
    ck_assert(seenState);
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &ret);

    /* One domain, state group only. */
    wireDomain(&one, "cust2-web", cust2WebUUID);
    args.doms.doms_len = 1;
    args.doms.doms_val = &one;
    args.stats = VIR_DOMAIN_STATS_STATE;
    memset(&ret, 0, sizeof(ret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &args, &ret), 0);
    ck_assert_int_eq(ret.retStats.retStats_len, 1);
    ck_assert_str_eq(ret.retStats.retStats_val[0].dom.name, "cust2-web");
    ck_assert_int_eq(ret.retStats.retStats_val[0].params.params_len, 2);
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &ret);
    fakeClientGone(client);
}
END_TEST

/* ---- tenants ------------------------------------------------------------- */

START_TEST(test_tenant_sees_only_own)
{
    virNetServerClient *client = openedClient(identityTLS("CN=cust1,O=Test"), NODE_URI);
    remote_connect_list_all_domains_args args = { .need_results = 1, .flags = 0 };
    remote_connect_list_all_domains_ret ret;
    remote_domain_lookup_by_uuid_args byUUID;
    remote_domain_lookup_by_uuid_ret byUUIDRet;
    remote_domain_args dargs;
    remote_domain_get_info_ret info;
    remote_connect_get_all_domain_stats_args sargs;
    remote_connect_get_all_domain_stats_ret sret;
    remote_nonnull_domain other;
    size_t i;

    memset(&ret, 0, sizeof(ret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, &args, &ret), 0);
    ck_assert_int_eq(ret.ret, 2);
    for (i = 0; i < ret.domains.domains_len; i++)
        ck_assert_msg(STRPREFIX(ret.domains.domains_val[i].name, "cust1-"), "saw %s",
                      ret.domains.domains_val[i].name);
    fakeFreeRet(REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS, &ret);

    /* Another tenant's domain is missing, in the words of a missing one,
     * whichever way it is named. */
    memcpy(byUUID.uuid, cust2WebUUID, VIR_UUID_BUFLEN);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_LOOKUP_BY_UUID, &byUUID, &byUUIDRet), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);
    ck_assert_ptr_null(strstr(virGetLastErrorMessage(), "cust2"));

    wireDomain(&dargs.dom, "guess", cust2WebUUID);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_INFO, &dargs, &info), -1);
    assertLastError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching uuid "
                    "'c2000000-0000-4000-8000-000000000001' (guess)");
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_DESTROY, "cust2-web",
                                      cust2WebUUID), -1);
    assertLastError(VIR_ERR_NO_DOMAIN, "Domain not found: no domain with matching uuid "
                    "'c2000000-0000-4000-8000-000000000001' (cust2-web)");
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_SUSPEND, "cust1-web",
                                      cust1WebUUID), 0);

    /* Statistics: own domains only; a listed foreign one is skipped. */
    memset(&sargs, 0, sizeof(sargs));
    memset(&sret, 0, sizeof(sret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &sargs, &sret), 0);
    ck_assert_int_eq(sret.retStats.retStats_len, 2);
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &sret);
    wireDomain(&other, "cust2-web", cust2WebUUID);
    sargs.doms.doms_len = 1;
    sargs.doms.doms_val = &other;
    memset(&sret, 0, sizeof(sret));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &sargs, &sret), 0);
    ck_assert_int_eq(sret.retStats.retStats_len, 0);
    fakeFreeRet(REMOTE_PROC_CONNECT_GET_ALL_DOMAIN_STATS, &sret);
    fakeClientGone(client);
}
END_TEST

START_TEST(test_unknown_dn_refused)
{
    virNetServerClient *client = clientNew(identityTLS("CN=mallory,O=Test"), false);
    virNetServerClient *tcp = clientNew(identityTCP(), false);
    virNetServerClient *cust1 = clientNew(identityTLS("CN=cust1,O=Test"), false);

    /* At the handshake for TLS clients; others are judged at OPEN, where
     * they get a readable error instead of a dropped connection. */
    ck_assert_int_eq(remoteClientInitHook(NULL, client, NULL), -1);
    ck_assert_int_eq(remoteClientInitHook(NULL, cust1, NULL), 0);
    ck_assert_int_eq(remoteClientInitHook(NULL, tcp, NULL), 0);

    ck_assert_int_eq(callOpen(tcp, NODE_URI, 0), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_ACCESS_DENIED);
    ck_assert_int_eq(callOpen(client, NODE_URI, 0), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_ACCESS_DENIED);
    fakeClientGone(client);
    fakeClientGone(tcp);
    fakeClientGone(cust1);
}
END_TEST

START_TEST(test_readonly_client)
{
    /* Asked for read-only: the identity is swapped before the open. */
    virNetServerClient *client = clientNew(identityTLS("CN=admin,O=Test"), false);
    virNetServerClient *socketRO = clientNew(identityTLS("CN=admin,O=Test"), true);
    remote_domain_args dargs;
    remote_domain_get_info_ret info;

    ck_assert_int_eq(callOpen(client, NODE_URI, VIR_CONNECT_RO), 0);
    ck_assert(virIdentityGetReadOnly(virNetServerClientGetIdentity(client)));
    ck_assert_int_eq(callDomainAction(client, REMOTE_PROC_DOMAIN_SUSPEND, "cust1-web",
                                      cust1WebUUID), -1);
    assertLastError(VIR_ERR_OPERATION_DENIED,
                    "operation forbidden: read only access prevents virDomainSuspend");
    wireDomain(&dargs.dom, "cust1-web", cust1WebUUID);
    memset(&info, 0, sizeof(info));
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_DOMAIN_GET_INFO, &dargs, &info), 0);

    /* On the read-only socket, whatever the client asks for. */
    ck_assert_int_eq(callOpen(socketRO, NODE_URI, 0), 0);
    ck_assert_int_eq(callDomainAction(socketRO, REMOTE_PROC_DOMAIN_CREATE, "cust1-web",
                                      cust1WebUUID), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_OPERATION_DENIED);
    fakeClientGone(client);
    fakeClientGone(socketRO);
}
END_TEST

/* ---- events -------------------------------------------------------------- */

static int
waitLifecycle(virNetServerClient *client, remote_domain_event_callback_lifecycle_msg *msg,
              int timeoutMs)
{
    return fakeClientWaitMessage(client, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE,
                                 (xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg,
                                 msg, timeoutMs);
}

static int
registerCallback(virNetServerClient *client, int eventID, remote_nonnull_domain *dom)
{
    remote_connect_domain_event_callback_register_any_args args = { .eventID = eventID,
                                                                     .dom = dom };
    remote_connect_domain_event_callback_register_any_ret ret = { .callbackID = -1 };

    if (fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY,
                 &args, &ret) < 0)
        return -1;
    return ret.callbackID;
}

START_TEST(test_events_callback)
{
    virNetServerClient *client = openedClient(identityTLS("CN=cust1,O=Test"), NODE_URI);
    virConnectPtr admin = adminConnect();
    remote_domain_event_callback_lifecycle_msg msg;
    remote_domain_event_callback_reboot_msg reboot;
    remote_connect_domain_event_callback_deregister_any_args dereg;
    remote_void none = { 0 };
    int lifecycle;
    int rebootID;
    int id;

    lifecycle = registerCallback(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL);
    ck_assert_int_ge(lifecycle, 0);
    rebootID = registerCallback(client, VIR_DOMAIN_EVENT_ID_REBOOT, NULL);
    ck_assert_int_ge(rebootID, 0);
    ck_assert_int_ne(lifecycle, rebootID);

    /* What `virsh event --all` does for the IDs we do not emit: refused,
     * with the code virsh tolerates. */
    for (id = 2; id < VIR_DOMAIN_EVENT_ID_LAST; id++) {
        ck_assert_int_eq(registerCallback(client, id, NULL), -1);
        ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);
    }
    ck_assert_int_eq(registerCallback(client, VIR_DOMAIN_EVENT_ID_LAST, NULL), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);

    /* Another tenant's domain first: nothing may arrive for it. */
    adminDo(admin, "cust2-web", virDomainSuspend);
    adminDo(admin, "cust1-web", virDomainSuspend);
    memset(&msg, 0, sizeof(msg));
    ck_assert_int_eq(waitLifecycle(client, &msg, EVENT_WAIT_MS), 0);
    ck_assert_int_eq(msg.callbackID, lifecycle);
    ck_assert_str_eq(msg.msg.dom.name, "cust1-web");
    ck_assert_int_eq(msg.msg.event, VIR_DOMAIN_EVENT_SUSPENDED);
    ck_assert_int_eq(msg.msg.detail, VIR_DOMAIN_EVENT_SUSPENDED_PAUSED);
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, (char *)&msg);

    adminDo(admin, "cust1-web", virDomainResume);
    memset(&msg, 0, sizeof(msg));
    ck_assert_int_eq(waitLifecycle(client, &msg, EVENT_WAIT_MS), 0);
    ck_assert_str_eq(msg.msg.dom.name, "cust1-web");
    ck_assert_int_eq(msg.msg.event, VIR_DOMAIN_EVENT_RESUMED);
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, (char *)&msg);

    /* Reboot comes in its own form, with its own callback ID. */
    adminDo(admin, "cust1-web", adminReboot);
    memset(&reboot, 0, sizeof(reboot));
    ck_assert_int_eq(fakeClientWaitMessage(client, REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT,
                                           (xdrproc_t)xdr_remote_domain_event_callback_reboot_msg,
                                           &reboot, EVENT_WAIT_MS), 0);
    ck_assert_int_eq(reboot.callbackID, rebootID);
    ck_assert_str_eq(reboot.msg.dom.name, "cust1-web");
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_reboot_msg, (char *)&reboot);

    dereg.callbackID = lifecycle;
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                              &dereg, &none), 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY,
                              &dereg, &none), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_INVALID_ARG);

    /* The reboot registration is left for the close hook to drop. */
    fakeClientGone(client);
    virConnectClose(admin);
}
END_TEST

START_TEST(test_events_domain_filter)
{
    virNetServerClient *client = openedClient(identityTLS("CN=cust1,O=Test"), NODE_URI);
    virConnectPtr admin = adminConnect();
    remote_nonnull_domain web;
    remote_nonnull_domain foreign;
    remote_domain_event_callback_lifecycle_msg msg;
    int cb;

    /* A foreign domain cannot even be named as a filter. */
    wireDomain(&foreign, "cust2-web", cust2WebUUID);
    ck_assert_int_eq(registerCallback(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE, &foreign), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_NO_DOMAIN);

    wireDomain(&web, "cust1-web", cust1WebUUID);
    cb = registerCallback(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE, &web);
    ck_assert_int_ge(cb, 0);
    adminDo(admin, "cust1-web", virDomainSuspend);
    memset(&msg, 0, sizeof(msg));
    ck_assert_int_eq(waitLifecycle(client, &msg, EVENT_WAIT_MS), 0);
    ck_assert_int_eq(msg.callbackID, cb);
    xdr_free((xdrproc_t)xdr_remote_domain_event_callback_lifecycle_msg, (char *)&msg);
    fakeClientGone(client);
    virConnectClose(admin);
}
END_TEST

START_TEST(test_events_legacy)
{
    virNetServerClient *client = openedClient(identityTLS("CN=admin,O=Test"), NODE_URI);
    virConnectPtr admin = adminConnect();
    remote_connect_domain_event_register_any_args any = { .eventID = 0 };
    remote_connect_domain_event_deregister_any_args anyDereg = { .eventID = 0 };
    remote_connect_domain_event_register_ret reg = { 0 };
    remote_connect_domain_event_deregister_ret dereg = { 0 };
    remote_domain_event_lifecycle_msg msg;
    remote_void none = { 0 };

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, &none, &reg), 0);
    /* 105 and 167 share the one legacy lifecycle registration. */
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, &any,
                              &none), -1);
    assertLastError(VIR_ERR_INTERNAL_ERROR, "internal error: domain event 0 already registered");
    any.eventID = VIR_DOMAIN_EVENT_ID_REBOOT;
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, &any,
                              &none), -1);
    ck_assert_int_eq(virGetLastErrorCode(), VIR_ERR_NO_SUPPORT);

    adminDo(admin, "cust2-web", virDomainSuspend);
    memset(&msg, 0, sizeof(msg));
    ck_assert_int_eq(fakeClientWaitMessage(client, REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE,
                                           (xdrproc_t)xdr_remote_domain_event_lifecycle_msg,
                                           &msg, EVENT_WAIT_MS), 0);
    ck_assert_str_eq(msg.dom.name, "cust2-web");
    ck_assert_int_eq(msg.event, VIR_DOMAIN_EVENT_SUSPENDED);
    xdr_free((xdrproc_t)xdr_remote_domain_event_lifecycle_msg, (char *)&msg);

    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, &none,
                              &dereg), 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY,
                              &anyDereg, &none), -1);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY,
                              &anyDereg, &none), 0);
    /* Left registered: the close hook drops it. */
    fakeClientGone(client);
    virConnectClose(admin);
}
END_TEST

START_TEST(test_events_stop_after_close)
{
    virNetServerClient *client = openedClient(identityTLS("CN=admin,O=Test"), NODE_URI);
    virConnectPtr admin = adminConnect();
    remote_domain_event_callback_lifecycle_msg msg;
    remote_void none = { 0 };

    ck_assert_int_ge(registerCallback(client, VIR_DOMAIN_EVENT_ID_LIFECYCLE, NULL), 0);
    ck_assert_int_eq(fakeCall(client, REMOTE_PROC_CONNECT_CLOSE, &none, &none), 0);
    adminDo(admin, "cust2-web", virDomainSuspend);
    ck_assert_int_eq(waitLifecycle(client, &msg, 300), -1);
    fakeClientGone(client);
    virConnectClose(admin);
}
END_TEST

static Suite *
dispatchSuite(void)
{
    Suite *s = suite_create("daemon_dispatch");
    TCase *tc;

    tc = tcase_create("table");
    tcase_add_test(tc, test_table_sorted_and_complete);
    suite_add_tcase(s, tc);

    tc = tcase_create("nop");
    tcase_add_checked_fixture(tc, setupNop, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_handshake);
    tcase_add_test(tc, test_refuses_to_run_as_daemon);
    tcase_add_test(tc, test_open_refuses_remote_uris);
    tcase_add_test(tc, test_open_bad_flags);
    tcase_add_test(tc, test_host_queries);
    tcase_add_test(tc, test_list_all_and_lookups);
    tcase_add_test(tc, test_legacy_lists);
    tcase_add_test(tc, test_dominfo_sequence);
    tcase_add_test(tc, test_lifecycle);
    tcase_add_test(tc, test_define_undefine);
    tcase_add_test(tc, test_stats);
    suite_add_tcase(s, tc);

    tc = tcase_create("policy");
    tcase_add_checked_fixture(tc, setupPolicy, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_tenant_sees_only_own);
    tcase_add_test(tc, test_unknown_dn_refused);
    tcase_add_test(tc, test_readonly_client);
    tcase_add_test(tc, test_events_callback);
    tcase_add_test(tc, test_events_domain_filter);
    tcase_add_test(tc, test_events_legacy);
    tcase_add_test(tc, test_events_stop_after_close);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(dispatchSuite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
