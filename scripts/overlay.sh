#!/usr/bin/env bash
# overlay.sh TOP TREE: copies rnet's new files (TOP/rust/, without the patch series) into TREE's
# rust/, writing only files whose content changed (rsync -c), so make sees minimal mtimes move.
# Files an earlier overlay added and rust/ no longer has (a module renamed or moved) are removed,
# or the build would keep compiling them: TREE/.rnet-overlay lists what the last overlay added.
set -euo pipefail
top=$1 tree=$2
manifest=$tree/.rnet-overlay
now=$(cd "$top/rust" && find . -path ./patches -prune -o -type f -print | LC_ALL=C sort)
if [ -f "$manifest" ]; then
	LC_ALL=C comm -23 "$manifest" <(echo "$now") | while read -r f; do
		echo "kernel: overlay removes stale ${f#./}"
		rm -f "$tree/rust/$f"
	done
fi
rsync -rc --exclude=/patches --out-format='kernel: overlay %n' "$top/rust/" "$tree/rust/"
echo "$now" >"$manifest"
