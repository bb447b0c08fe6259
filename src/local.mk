## src/local.mk: the public API (libvirt.c), its handles, connection URIs
## and the in-process hypervisor drivers, in one library. The test driver
## lives here rather than in its own library so that virConnectOpen can
## register it without a link-order cycle (see src/test/local.mk).
noinst_LIBRARIES += libtenvirt_driver.a
libtenvirt_driver_a_SOURCES = \
	src/libvirt.c src/libvirt_internal.h \
	src/datatypes.c src/datatypes.h \
	src/driver.h \
	src/util/viruri.c src/util/viruri.h \
	src/test/test_driver.c src/test/test_driver.h \
	src/test/test_node.c
