#!/usr/bin/env bash
# Install everything rnet needs on a fresh Debian bookworm machine.
# Idempotent and quiet when already done; run by the make targets themselves.
set -euo pipefail

BINDGEN_VERSION=0.73.2
STAMP_DIR=${RNET_CACHE:-$HOME/.cache/rnet}
mkdir -p "$STAMP_DIR"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

need_pkgs=()
pkgs=(linux-source-6.12 clang lld llvm libelf-dev libssl-dev bc flex bison cpio kmod
      busybox-static iproute2 ethtool iperf3 tcpdump socat iputils-ping python3
      pahole dwarves rsync qemu-system-x86 procps psmisc pciutils gcc libc6-dev
      python3-yaml python3-jsonschema)
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
	# linux-source-6.12 and qemu >= 8 (with -device igb) come from backports.
	$SUDO apt-get install -y -qq -t bookworm-backports linux-source-6.12 qemu-system-x86 >/dev/null
	$SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
	qemu_ok || { echo "setup: qemu-system-x86_64 lacks -device igb" >&2; exit 1; }
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
