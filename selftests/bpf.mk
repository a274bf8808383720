# SPDX-License-Identifier: GPL-2.0
# XDP test programs for a suite's TEST_GEN_FILES (included after lib.mk, which sets OUTPUT):
# $(OUTPUT)/NAME.bpf.o from NAME.bpf.c, found in the suite's directory or in rigb/ (whose
# programs stress/ attaches too). They need only the kernel's uapi <linux/bpf.h>
# (KDIR/tools/include/uapi; no libbpf headers) and clang.

# The kernel tree: rnet's selftests/Makefile passes KDIR; in a kernel tree it is top_srcdir.
KDIR ?= $(top_srcdir)
# LLVM=-19 (scripts/toolchain.sh) makes lib.mk's CLANG clang-19; else a clang on the PATH.
BPF_CLANG ?= $(or $(CLANG),$(shell command -v clang || command -v clang-19),clang)
# <asm/types.h>, which <linux/types.h> includes, comes from the host's multiarch directory.
BPF_CFLAGS := -O2 -g -Wall -target bpf -I$(KDIR)/tools/include/uapi \
	-idirafter /usr/include/$(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

vpath %.bpf.c ../rigb
vpath %.h ../rigb

$(OUTPUT)/%.bpf.o: %.bpf.c xdp_common.h
	$(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@
