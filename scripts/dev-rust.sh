#!/usr/bin/env bash
# Developer loop for the overlay: copy rust/ into the check tree, apply the patch series and
# build only the Rust crates (`make rust/`), without relinking the kernel. Serialised with a lock
# so that several people (or agents) can share one tree. `make kernel` does the full build.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/toolchain.sh
. "$top/scripts/toolchain.sh"
cache=${RNET_CACHE:-$HOME/.cache/rnet}
tree=$(ls -1dt "$cache"/linux-check-* | grep -v '\.tmp$' | head -n1)
exec 9>"$cache/.build.lock"
flock 9
bash "$top/scripts/overlay.sh" "$top" "$tree"
# The tree's rust/ may now differ from what vmlinux was linked with: the next kernel.sh must
# overlay and relink instead of trusting its record of the last build.
rm -f "$tree/.rnet-built"
bash "$top/scripts/apply_patches.sh" "$tree" "$top"/rust/patches/*.patch
make -C "$tree" LLVM="$LLVM" -j"$(nproc)" -s rust/ "$@"
