## tools/tvsh.mk: tvsh, the virsh-like shell.
bin_PROGRAMS += tools/tvsh
tools_tvsh_SOURCES = tools/tvsh.c
tools_tvsh_LDADD = $(TENVIRT_LIBS)
