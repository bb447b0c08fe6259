## src/test: the test hypervisor driver. Its sources are built into
## libtenvirt_driver.a by src/local.mk, next to the public API that
## registers it; nothing to add here.
