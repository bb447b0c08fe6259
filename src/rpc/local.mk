## src/rpc/local.mk
