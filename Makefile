# SPDX-License-Identifier: GPL-2.0
# rnet: Rust network drivers for Linux 7.3 (the kernel and LLVM versions are in
# scripts/toolchain.sh), built out of tree and tested in QEMU.
#
#   make run     build what is missing, boot the VM, show the devices and traffic through them
#   make check   build and run every selftest in QEMU (KTAP), ends with "N passed, N failed"
#   make bench   Rust drivers vs their C counterparts, ratios in a table and in JSON
#   make parity  the kernel's own driver tests (drivers/net, drivers/net/hw) on each rnet NIC
#                driver and its C counterpart: KTAP, and a table of both results per test
#
# Kbuild (the file `Kbuild`) describes the modules; this Makefile only drives the scripts.

ifneq ($(KERNELRELEASE),)
# Invoked by the kernel's build system (make -C <tree> M=...): Kbuild does the work.
else

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export RNET_CACHE ?= $(HOME)/.cache/rnet

.PHONY: all setup kernel modules run check parity stress bench clippy fmt fmt-check clean install-iproute2

all: modules

setup:
	@bash $(TOP)/scripts/setup.sh

kernel: setup
	@bash $(TOP)/scripts/kernel.sh check >/dev/null

modules: setup
	@bash $(TOP)/scripts/modules.sh check >/dev/null

run: setup
	@bash $(TOP)/qemu/run.sh

check: setup
	@bash $(TOP)/qemu/check.sh

# make check with the drivers_net suite only (selftests/drivers_net), every kernel driver test on
# every driver family (about an hour under TCG): ends with the parity table.
parity: setup
	@RNET_SUITES=drivers_net RNET_NIPA_TESTS="$${RNET_NIPA_TESTS:-*}" \
		RNET_NIPA_DRIVERS="$${RNET_NIPA_DRIVERS:-rigb,re1000,rveth,rlo}" \
		RNET_NIPA_BUDGET="$${RNET_NIPA_BUDGET:-1500}" RNET_SUITE_TIMEOUT="$${RNET_SUITE_TIMEOUT:-9000}" \
		RNET_CHECK_TIMEOUT="$${RNET_CHECK_TIMEOUT:-9600}" bash $(TOP)/qemu/check.sh

# Robustness probes (selftests/stress) on the rnet drivers and their C counterparts, on the
# check kernel: fault injection, unbind/remove/reload under traffic, seeded churn.
stress: setup
	@RNET_SUITES=stress RNET_KUNIT=0 RNET_CHECK_TIMEOUT="$${RNET_CHECK_TIMEOUT:-15000}" \
		bash $(TOP)/qemu/check.sh

bench: setup
	@bash $(TOP)/qemu/bench.sh

# Lints: rustfmt, and clippy on the modules (CLIPPY=1 as the kernel build spells it).
clippy: setup
	@bash $(TOP)/scripts/clippy.sh

fmt:
	@bash $(TOP)/scripts/rustfmt.sh fix

fmt-check:
	@bash $(TOP)/scripts/rustfmt.sh check

# Install the rveth plugin where Debian's iproute2 looks for link plugins (/usr/lib/ip), so
# `ip link add A type rveth peer name B` works without IP_LIB_DIR.
install-iproute2: modules
	install -D -m 0644 $(RNET_CACHE)/modules-check/iproute2/link_rveth.so /usr/lib/ip/link_rveth.so

clean:
	rm -rf $(RNET_CACHE)/modules-*

endif
