#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Stages what the kernel's own driver tests (the kselftest targets drivers/net, drivers/net/hw
# and the net/lib they pull in) need to build, next to the kselftest core that ../Makefile
# stages, so that the kernel's kselftest Makefile builds them in STAGING without writing to
# the kernel tree:
#
#   stage_kernel_tests.sh KDIR STAGING
#
# KDIR is a configured kernel tree (include/generated/uapi exists once it was built);
# STAGING mirrors its layout. What the build needs from the tree:
#   tools/testing/selftests   the targets themselves and what they include (net/lib,
#                             net/forwarding, kselftest.h, ...)
#   tools/{net,lib,include,scripts,build,arch}
#                             YNL's C library and code generator (built in place, hence a
#                             copy) and libbpf (for the XDP programs of net/lib)
#   Documentation/netlink     the YNL specs and their schemas
#   include/uapi              YNL's generated code includes the uapi headers from there
#   usr/include               the exported uapi headers (lib.mk's KHDR_INCLUDES): what
#                             `make headers` makes, made here with the kernel's own
#                             scripts/headers_install.sh so the tree is not touched
#   MAINTAINERS               YNL's generator finds the kernel's root by this file
#   scripts/bpf_doc.py        libbpf generates bpf_helper_defs.h with it
set -euo pipefail
kdir=$1
staging=$2
case $(uname -m) in
x86_64 | i?86) arch=x86 ;;
aarch64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac

mkdir -p "$staging/tools/testing" "$staging/scripts" "$staging/Documentation" \
	"$staging/include" "$staging/usr"
rsync -a --exclude=/selftests/rnet "$kdir/tools/testing/selftests" "$staging/tools/testing/"
for d in net lib include scripts build arch; do
	rsync -a "$kdir/tools/$d" "$staging/tools/"
done
rsync -a "$kdir/Documentation/netlink" "$staging/Documentation/"
rsync -a "$kdir/include/uapi" "$staging/include/"
cp "$kdir/scripts/bpf_doc.py" "$kdir/scripts/headers_install.sh" "$staging/scripts/"
cp "$kdir/MAINTAINERS" "$staging/" 2>/dev/null || : >"$staging/MAINTAINERS"

# usr/include: every header of the four uapi directories, as scripts/Makefile.headersinst
# exports them (the source copy wins over a generated one of the same name).
[ -x "$staging/scripts/unifdef" ] || ${HOSTCC:-cc} -O2 -o "$staging/scripts/unifdef" "$kdir/scripts/unifdef.c"
hdr=$staging/usr/include
if [ ! -e "$hdr/.rnet-done" ] || [ "$kdir/include/generated/uapi" -nt "$hdr/.rnet-done" ]; then
	rm -rf "$hdr"
	for src in "$kdir/include/uapi" "$kdir/arch/$arch/include/uapi" \
		"$kdir/include/generated/uapi" "$kdir/arch/$arch/include/generated/uapi"; do
		[ -d "$src" ] || continue
		(cd "$src" && find . -name '*.h') | while read -r h; do
			[ -e "$hdr/$h" ] && continue
			mkdir -p "$hdr/$(dirname "$h")"
			(cd "$staging" && sh scripts/headers_install.sh "$src/$h" "$hdr/$h")
		done
	done
	touch "$hdr/.rnet-done"
fi
