## src/access: permissions, the driver interface, the manager and its drivers.
noinst_LIBRARIES += libtenvirt_access.a
libtenvirt_access_a_SOURCES = \
	src/access/viraccessperm.def \
	src/access/viraccessperm.c src/access/viraccessperm.h \
	src/access/viraccessdriver.c src/access/viraccessdriver.h \
	src/access/viraccessmanager.c src/access/viraccessmanager.h \
	src/access/viraccessmanagerpriv.h \
	src/access/viraccessfilter.c src/access/viraccessfilter.h \
	src/access/viraccessregistry.c src/access/viraccessregistry.h \
	src/access/viraccessapi.def \
	src/access/viraccessapicheck.c src/access/viraccessapicheck.h \
	src/access/viraccessdrivernop.c \
	src/access/viraccessdriverreadonly.c
