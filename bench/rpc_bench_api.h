/*
 * rpc_bench_api.h: the one place where bench/rpc_bench.c chooses which
 * client library it is compiled against. The public API has the same names
 * in both, so nothing else in the program differs.
 *
 *   -DRPC_BENCH_LIBVIRT   Debian's libvirt.so (<libvirt/libvirt.h>,
 *                         `pkg-config --cflags --libs libvirt`)
 *   (default)             Tenvirt's client library (include/tenvirt/,
 *                         linked with $(TENVIRT_LIBS))
 */
#ifndef RPC_BENCH_API_H
#define RPC_BENCH_API_H

#ifdef RPC_BENCH_LIBVIRT
# include <libvirt/libvirt.h>
# include <libvirt/virterror.h>
# define RPC_BENCH_CLIENT_NAME "libvirt"
#else
# include <tenvirt/libvirt.h>
# include <tenvirt/virterror.h>
# define RPC_BENCH_CLIENT_NAME "tenvirt"
#endif

#endif /* RPC_BENCH_API_H */
