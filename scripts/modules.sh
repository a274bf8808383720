#!/usr/bin/env bash
# Build the project's modules against the kernel of one flavour (check|bench).
# Sources are mirrored into the cache so the repo stays free of build products and the two
# flavours do not overwrite each other's objects. Prints the module directory on stdout.
set -euo pipefail

flavour=${1:?usage: modules.sh check|bench}
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/toolchain.sh
. "$top/scripts/toolchain.sh"
cache=${RNET_CACHE:-$HOME/.cache/rnet}
tree=$(bash "$top/scripts/kernel.sh" "$flavour" | tail -n1)
out=$cache/modules-$flavour
mkdir -p "$out"
exec 9>"$cache/.build.lock"
flock 9
rsync -rc --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' --exclude='.*' \
	--exclude='modules.order' --exclude='Module.symvers' \
	--include='*/' --include='Kbuild' --include='*.rs' --include='*.c' --include='*.h' --exclude='*' \
	"$top/" "$out/"
extra=()
[ "${RNET_CLIPPY:-0}" = 1 ] && extra+=(CLIPPY=1)
[ -n "${KBUILD_MODPOST_WARN:-}" ] && extra+=(KBUILD_MODPOST_WARN=1)
make -C "$tree" M="$out" LLVM="$LLVM" -j"$(nproc)" "${extra[@]}" modules >&2
# The iproute2 link plugin for rveth (`ip link add A type rveth peer name B`).
mkdir -p "$out/iproute2"
if [ "$top/net/iproute2/link_rveth.c" -nt "$out/iproute2/link_rveth.so" ]; then
	cc -O2 -Wall -fPIC -shared -o "$out/iproute2/link_rveth.so" "$top/net/iproute2/link_rveth.c" >&2
fi
echo "$out"
