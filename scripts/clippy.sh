#!/usr/bin/env bash
# make clippy: lint the overlaid kernel crate and the project's modules with CLIPPY=1 (the
# kernel's clippy-driver integration). Fails if clippy or rustc warn.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/toolchain.sh
. "$top/scripts/toolchain.sh"
tree=$(bash "$top/scripts/kernel.sh" check | tail -n1)
log=$(mktemp)
# Force the crates to be rebuilt through clippy-driver.
(cd "$top" && find rust -name '*.rs') | while read -r f; do touch "$tree/$f"; done
make -C "$tree" LLVM="$LLVM" CLIPPY=1 -j"$(nproc)" rust/ 2>&1 | tee "$log" >&2
moddir=$RNET_CACHE/modules-check
find "$moddir" -name '*.rs' -exec touch {} +
# Symbols of the clippy-built kernel crate do not match vmlinux: only warn at modpost.
KBUILD_MODPOST_WARN=1 RNET_CLIPPY=1 bash "$top/scripts/modules.sh" check 2>&1 >/dev/null |
	grep -v 'modpost: "_R' | tee -a "$log" >&2 || true
# Rebuild normally so vmlinux, its symbol list and the modules agree again.
(cd "$top" && find rust -name '*.rs') | while read -r f; do touch "$tree/$f"; done
make -C "$tree" LLVM="$LLVM" -j"$(nproc)" -s bzImage modules >&2
find "$moddir" -name '*.rs' -exec touch {} +
bash "$top/scripts/modules.sh" check >/dev/null 2>&1
if grep -qE '^(warning|error)' "$log"; then
	echo "clippy: $(grep -cE '^(warning|error)' "$log") diagnostics" >&2
	exit 1
fi
echo "clippy: clean" >&2
