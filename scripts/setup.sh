#!/usr/bin/env bash
# Install everything rnet needs on a fresh Debian bookworm machine.
# Idempotent and quiet when already done; run by the make targets themselves.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/toolchain.sh
. "$top/scripts/toolchain.sh"

BINDGEN_VERSION=0.73.2
cache=${RNET_CACHE:-$HOME/.cache/rnet}
mkdir -p "$cache"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

need_pkgs=()
pkgs=("clang-$RNET_LLVM_VERSION" "lld-$RNET_LLVM_VERSION" "llvm-$RNET_LLVM_VERSION"
      "libclang-$RNET_LLVM_VERSION-dev" libelf-dev libssl-dev bc flex bison cpio kmod
      busybox-static iproute2 bpftool ethtool iperf3 tcpdump socat iputils-ping python3
      pahole dwarves rsync qemu-system-x86 procps psmisc pciutils gcc libc6-dev
      python3-yaml python3-jsonschema xz-utils
      netsniff-ng # mausezahn: the kernel's driver tests (selftests/drivers_net)
      xdp-tools # xdp-loader: the XDP suites
      linux-perf binutils) # perf, c++filt: make bench's profiles (RNET_BENCH_PROFILE=1)
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_pkgs+=("$p")
done

qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null &&
		qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'
}

if [ ${#need_pkgs[@]} -gt 0 ] || ! qemu_ok; then
	echo "setup: installing Debian packages: ${need_pkgs[*]:-qemu from backports}"
	if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
		echo "deb http://deb.debian.org/debian bookworm-backports main" |
			$SUDO tee /etc/apt/sources.list.d/rnet-backports.list >/dev/null
	fi
	$SUDO apt-get update -qq
	export DEBIAN_FRONTEND=noninteractive
	# qemu >= 8 (with -device igb) comes from backports.
	$SUDO apt-get install -y -qq -t bookworm-backports qemu-system-x86 >/dev/null
	$SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
	qemu_ok || { echo "setup: qemu-system-x86_64 lacks -device igb" >&2; exit 1; }
fi

# The kernel source: Debian's linux-source-$RNET_KERNEL_SERIES from trixie-backports. The
# package is architecture-independent, so it is downloaded and unpacked into the cache with a
# private apt configuration instead of adding trixie to this bookworm system's sources.
# One source directory per kernel series, so a version bump downloads the new one.
src=$cache/src-$RNET_KERNEL_SERIES
if [ ! -f "$src/linux-source.tar.xz" ] || [ ! -f "$src/version" ]; then
	echo "setup: downloading linux-source-$RNET_KERNEL_SERIES from trixie-backports"
	apt_dir=$src/apt
	rm -rf "$apt_dir"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$src"
	echo "deb http://deb.debian.org/debian trixie-backports main" >"$apt_dir/sources.list"
	apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
		-o APT::Sandbox::User=root)
	apt-get "${apt_opts[@]}" update -qq
	ver=$(apt-cache "${apt_opts[@]}" show "linux-source-$RNET_KERNEL_SERIES" |
		sed -n 's/^Version: //p' | head -n1)
	[ -n "$ver" ] || { echo "setup: linux-source-$RNET_KERNEL_SERIES not found" >&2; exit 1; }
	case "$ver" in
	"$RNET_KERNEL_VERSION"-*) ;;
	*) echo "setup: note: trixie-backports has linux-source $ver, rnet is tested on $RNET_KERNEL_VERSION" >&2 ;;
	esac
	(cd "$apt_dir" && apt-get "${apt_opts[@]}" download -qq "linux-source-$RNET_KERNEL_SERIES=$ver")
	rm -rf "$apt_dir/x"
	dpkg-deb -x "$apt_dir"/linux-source-*.deb "$apt_dir/x"
	mv "$apt_dir/x/usr/src/linux-source-$RNET_KERNEL_SERIES.tar.xz" "$src/linux-source.tar.xz"
	echo "$ver" >"$src/version"
	rm -rf "$apt_dir"
fi

# Rust toolchain pieces the kernel needs.
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	echo "setup: rustup component add rust-src"
	rustup component add rust-src >/dev/null
fi
if ! command -v bindgen >/dev/null || ! bindgen --version | grep -q "$BINDGEN_VERSION"; then
	echo "setup: cargo install bindgen-cli $BINDGEN_VERSION"
	cargo install --quiet --locked bindgen-cli --version "$BINDGEN_VERSION"
fi

# virtme-ng boots the kernel with the host's root filesystem over 9p/virtiofs.
if ! command -v vng >/dev/null; then
	echo "setup: pip install virtme-ng"
	pip3 install --quiet virtme-ng
fi
