#!/usr/bin/env bash
# rustfmt over the project's Rust files (kernel .rustfmt.toml). Files are fed on stdin so
# rustfmt does not try to follow `mod` declarations of the overlaid upstream files into
# modules that only exist in the kernel tree.
#   rustfmt.sh check   list files that need formatting, exit 1 if any
#   rustfmt.sh fix     rewrite them
set -euo pipefail
mode=${1:-check}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bad=0
while IFS= read -r f; do
	formatted=$(rustfmt --edition 2021 --config-path .rustfmt.toml <"$f")
	if [ "$formatted" != "$(cat "$f")" ]; then
		if [ "$mode" = fix ]; then
			printf '%s\n' "$formatted" >"$f"
			echo "rustfmt: formatted $f"
		else
			echo "rustfmt: $f needs formatting"
			bad=1
		fi
	fi
done < <(find rust net drivers -name '*.rs' 2>/dev/null | sort)
exit $bad
