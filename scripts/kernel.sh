#!/usr/bin/env bash
# Prepare and build the guest kernel of one flavour (check|bench) in a cache
# directory outside the repo, with the project's rust/ overlay applied.
#
# The tree is keyed on the kernel package version and the kconfig fragments:
# an unchanged key reuses the tree, and an overlay change only copies the
# changed files so that make rebuilds incrementally. A stamp keyed on the
# overlay too says whether anything needs building at all.
#
# Prints the tree's path on its last line of stdout.
set -euo pipefail

flavour=${1:?usage: kernel.sh check|bench}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${RNET_CACHE:-$HOME/.cache/rnet}
# shellcheck source=scripts/toolchain.sh
. "$top/scripts/toolchain.sh"
tarball=$cache/src-$RNET_KERNEL_SERIES/linux-source.tar.xz
jobs=$(nproc)

log() { echo "kernel[$flavour]: $*" >&2; }

pkgver=$(cat "$cache/src-$RNET_KERNEL_SERIES/version")
frags=("$top/qemu/kernel.config" "$top/qemu/kernel-$flavour.config")
tree_key=$( { echo "$pkgver $LLVM"; cat "${frags[@]}"; } | sha256sum | cut -c1-16)
overlay_key=$( { echo "$tree_key"; cd "$top" && find rust -type f | LC_ALL=C sort | xargs -r sha256sum; } | sha256sum | cut -c1-16)
tree=$cache/linux-$flavour-$tree_key
mkdir -p "$cache"
# One build at a time per cache (make check, clippy and scripts/dev-rust.sh share the trees).
exec 9>"$cache/.build.lock"
flock 9

if [ -f "$tree/.rnet-built" ] && [ "$(cat "$tree/.rnet-built")" = "$overlay_key" ]; then
	echo "$tree"
	exit 0
fi

if [ ! -f "$tree/.rnet-extracted" ]; then
	log "extracting $pkgver into $tree"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -C "$tree.tmp" --strip-components=1 -xf "$tarball"
	touch "$tree.tmp/.rnet-extracted"
	mv "$tree.tmp" "$tree"
	# Keep the previous tree of the flavour (switching back is then free), drop older ones:
	# a built tree is a few GB.
	ls -1dt "$cache"/linux-"$flavour"-* 2>/dev/null | grep -v -e '\.tmp$' | tail -n +3 | xargs -r rm -rf
fi

mk() { make -C "$tree" LLVM="$LLVM" -j"$jobs" "$@"; }

if [ ! -f "$tree/.config" ] || [ "$tree/.rnet-config-key" -ot "$tree/.rnet-extracted" ] ||
	[ "$(cat "$tree/.rnet-config-key" 2>/dev/null)" != "$tree_key" ]; then
	log "configuring (allnoconfig + fragments)"
	cat "${frags[@]}" >"$tree/.rnet-fragment"
	mk -s KCONFIG_ALLCONFIG="$tree/.rnet-fragment" allnoconfig >&2
	# Every symbol the fragments ask for must have survived dependency resolution.
	missing=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qx -- "$line" "$tree/.config" || { log "fragment option not applied: $line"; missing=1; } ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }; sym=${sym%% *}
			grep -q "^$sym=" "$tree/.config" && { log "fragment option not applied: $line"; missing=1; } ;;
		esac
	done <"$tree/.rnet-fragment"
	[ "$missing" = 0 ] || { log "kconfig fragment does not apply cleanly"; exit 1; }
	echo "$tree_key" >"$tree/.rnet-config-key"
fi
# RNET_KERNEL_PRISTINE=1: build upstream's tree as configured, without rnet's overlay.
if [ "${RNET_KERNEL_PRISTINE:-0}" = 1 ]; then
	log "building bzImage and modules without the overlay"
	mk -s bzImage modules >&2
	echo "$tree"
	exit 0
fi

# Overlay: rnet's own files are copied in (scripts/overlay.sh), and rust/patches/*.patch (changes
# to upstream files: module lists, bindings and helper includes) are applied to pristine copies
# of what they touch. Only files whose content changed are written, so make sees minimal mtimes
# moving.
bash "$top/scripts/overlay.sh" "$top" "$tree" >&2
bash "$top/scripts/apply_patches.sh" "$tree" "$top"/rust/patches/*.patch >&2

log "building bzImage and modules"
mk -s bzImage modules >&2
rm -rf "$tree/.rnet-mods"
mk -s INSTALL_MOD_PATH="$tree/.rnet-mods" modules_install >&2
echo "$overlay_key" >"$tree/.rnet-built"
echo "$tree"
