## tools/tenvirt-acl.mk: lint a dnpolicy file, explain a decision, list permissions.
bin_PROGRAMS += tools/tenvirt-acl
tools_tenvirt_acl_SOURCES = tools/tenvirt-acl.c
# Only what the tool uses (access, daemon config, util), so it builds on
# hosts and at times where the hypervisor drivers do not.
tools_tenvirt_acl_LDADD = libtenvirt_access.a libtenvirt_conf.a libtenvirt_util.a \
	$(LIBXML_LIBS) -lpthread
