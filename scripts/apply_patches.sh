#!/usr/bin/env bash
# apply_patches.sh TREE PATCH...: apply rnet's patches to upstream files of TREE, idempotently.
# The first run saves a pristine copy of every file a patch touches (TREE/.rnet-orig); each
# run applies the whole series to those copies and writes back only the files that differ,
# so an unchanged series leaves mtimes (and the build) alone, and a changed one is applied to
# pristine sources instead of on top of its earlier self.
set -euo pipefail
tree=$1; shift
orig=$tree/.rnet-orig
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=$(sed -n 's@^+++ b/\([^[:space:]]*\).*@\1@p' "$@" | sort -u)
for f in $files; do
	if [ ! -e "$orig/$f" ]; then
		mkdir -p "$(dirname "$orig/$f")"
		if [ -e "$tree/$f" ]; then cp -p "$tree/$f" "$orig/$f"; else : >"$orig/$f.absent"; fi
	fi
	mkdir -p "$(dirname "$work/$f")"
	[ -e "$orig/$f" ] && cp -p "$orig/$f" "$work/$f"
done
for p in "$@"; do
	patch -s -p1 -d "$work" --no-backup-if-mismatch <"$p" ||
		{ echo "apply_patches: $p does not apply" >&2; exit 1; }
done
for f in $files; do
	if ! cmp -s "$work/$f" "$tree/$f"; then
		echo "kernel: patched $f"
		cp "$work/$f" "$tree/$f"
	fi
done
