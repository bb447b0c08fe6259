## src/access/dnpolicy.mk: the dnpolicy driver and its rule-table engine
## (shared with tools/tenvirt-acl and the tests).
libtenvirt_access_a_SOURCES += \
	src/access/viraccesspolicy.c src/access/viraccesspolicy.h \
	src/access/viraccesspolicypriv.h \
	src/access/viraccesspolicyparse.c \
	src/access/viraccessdriverdnpolicy.c
