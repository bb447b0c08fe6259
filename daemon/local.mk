## daemon/local.mk: tenvirtd: configuration, listeners, the REMOTE
## procedure table and its handlers.

DAEMON_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/rpc -I$(top_srcdir)/daemon

# Everything but main(), so that tests link the handlers and the set-up code.
noinst_LIBRARIES += libtenvirt_daemon.a
libtenvirt_daemon_a_SOURCES = \
	daemon/remote_procedures.def \
	daemon/remote_dispatch.c daemon/remote_dispatch.h \
	daemon/remote_connect.c \
	daemon/remote_domain.c \
	daemon/remote_events.c \
	daemon/remote_stats.c \
	daemon/remote_auth.c daemon/remote_auth.h \
	daemon/tenvirtd_setup.c daemon/tenvirtd_setup.h
libtenvirt_daemon_a_CPPFLAGS = $(DAEMON_CPPFLAGS)
# The handlers include the rpcgen header, which BUILT_SOURCES makes only
# for "make all"; say so for builds of single targets.
$(libtenvirt_daemon_a_OBJECTS): src/remote/remote_protocol.h

sbin_PROGRAMS += daemon/tenvirtd
daemon_tenvirtd_SOURCES = daemon/tenvirtd.c
daemon_tenvirtd_CPPFLAGS = $(DAEMON_CPPFLAGS)
daemon_tenvirtd_LDADD = libtenvirt_daemon.a $(TENVIRT_LIBS)
$(daemon_tenvirtd_OBJECTS): src/remote/remote_protocol.h

# The commented sample configuration, installed where tenvirtd looks.
daemonconfdir = $(sysconfdir)/tenvirt
dist_daemonconf_DATA = daemon/tenvirtd.conf
# A sample cyrus-sasl configuration for sasl_conf_dir (not installed:
# its database path is the operator's choice).
EXTRA_DIST += daemon/tenvirtd-sasl.conf
