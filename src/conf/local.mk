## src/conf: domain XML and the daemon's configuration keys.
noinst_LIBRARIES += libtenvirt_conf.a
libtenvirt_conf_a_SOURCES = \
	src/conf/domain_conf.c src/conf/domain_conf.h \
	src/conf/virdaemonconf.c src/conf/virdaemonconf.h
