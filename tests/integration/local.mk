## tests/integration/local.mk: end-to-end tests. Each starts a real
## tenvirtd on 127.0.0.1 (ports "0", UNIX sockets in a private temporary
## directory, certificates made at test time) and drives it with stock
## virsh, python3-libvirt, our tvsh, or raw sockets; each skips (77) what
## the host lacks. They need daemon/tenvirtd and tools/tvsh built.

INTEGRATION_TESTS = \
	tests/integration/isp_virsh_test.sh \
	tests/integration/isp_python_test.py \
	tests/integration/isp_tvsh_test.sh \
	tests/integration/tls_refusals_test.sh \
	tests/integration/unix_tcp_test.sh \
	tests/integration/events_isolation_test.sh \
	tests/integration/robustness_test.py \
	tests/integration/keepalive_test.py \
	tests/integration/reload_test.sh \
	tests/integration/define_privacy_test.sh
TESTS += $(INTEGRATION_TESTS)

EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/lib.sh \
	tests/integration/itlib.py \
	tests/integration/isp_matrix.sh

