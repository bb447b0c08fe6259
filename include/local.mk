## Public headers.
tenvirtincludedir = $(includedir)/tenvirt
tenvirtinclude_HEADERS = include/tenvirt/libvirt.h include/tenvirt/virterror.h
