#!/usr/bin/env bash
# Boot a built kernel under QEMU with virtme-ng (the host's root filesystem, read-only, over
# 9p) and run one command in the guest. Sourced by run.sh, check.sh and bench.sh.
#
#   vm_run <kernel tree> <timeout seconds> <console log> <guest command...>
#
# The VM carries the NICs the drivers need: two 82576 (-device igb) on one QEMU hub, each on
# its own pcie-root-port (an igb reserves VF slots on its bus), and an 82540EM
# (-device e1000) on slirp user networking. VM_EXTRA_NICS adds QEMU options for more devices.
# The NICs of the hubs have QEMU ids (nic-a, nic-b, nic-e7..9) for QMP's set_link and
# device_del/device_add (make stress).

RNET_CACHE=${RNET_CACHE:-$HOME/.cache/rnet}

vm_qemu_nics() {
	printf '%s ' \
		-netdev hubport,id=ha,hubid=0 \
		-device pcie-root-port,id=rp1,chassis=1,addr=0x10 \
		-device igb,id=nic-a,netdev=ha,bus=rp1,mac=52:54:00:12:34:01 \
		-netdev hubport,id=hb,hubid=0 \
		-device pcie-root-port,id=rp2,chassis=2,addr=0x11 \
		-device igb,id=nic-b,netdev=hb,bus=rp2,mac=52:54:00:12:34:02 \
		-netdev user,id=slirp \
		-device pcie-root-port,id=rp3,chassis=3,addr=0x12 \
		-device igb,netdev=slirp,bus=rp3,mac=52:54:00:12:34:03 \
		-netdev user,id=slirp2 \
		-device pcie-root-port,id=rp4,chassis=4,addr=0x13 \
		-device e1000,netdev=slirp2,bus=rp4,mac=52:54:00:12:34:04
	# shellcheck disable=SC2086
	[ -n "${VM_EXTRA_NICS:-}" ] && printf '%s ' $VM_EXTRA_NICS
	# VM_QMP: a QMP socket (qemu/qmp_relay.py passes the guest's requests on to it), and
	# native PCIe hotplug of the root ports (pciehp) for QMP's device_del/device_add: Q35 hands
	# hotplug to ACPI by default, which the test kernel has no driver for.
	[ -n "${VM_QMP:-}" ] && printf '%s ' -qmp "unix:$VM_QMP,server=on,wait=off" \
		-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	return 0
}

# The three 8254x models QEMU emulates, on hub 2, for re1000's suite and bench pair (given to
# vm_run as VM_EXTRA_NICS): an 82540EM (-device e1000), an 82544GC and an 82545EM, each on its own root port after the four every boot has, so they
# enumerate as 0000:05:00.0, 0000:06:00.0 and 0000:07:00.0 (the suite finds them by device ID).
re1000_extra_nics() {
	local i model
	for i in 7 8 9; do
		case $i in
		7) model=e1000 ;;
		8) model=e1000-82544gc ;;
		*) model=e1000-82545em ;;
		esac
		printf '%s ' -netdev "hubport,id=he$i,hubid=2" \
			-device "pcie-root-port,id=rp$i,chassis=$i,addr=0x1$((i - 1))" \
			-device "$model,id=nic-e$i,netdev=he$i,bus=rp$i,mac=52:54:00:12:35:0$i"
	done
}

# KVM is used only if a guest really boots with it (nested KVM fails on some hosts even
# though /dev/kvm exists); the answer is remembered per host kernel.
vm_accel_args() {
	local tree=$1 memo
	memo=$RNET_CACHE/kvm-works-$(uname -r)
	if [ ! -f "$memo" ]; then
		local ok=no
		if [ -w /dev/kvm ] && [ "${RNET_NO_KVM:-0}" != 1 ]; then
			if timeout 60 vng -r "$tree/arch/x86/boot/bzImage" --disable-microvm \
				--exec 'echo rnet-kvm-ok' </dev/null 2>/dev/null | grep -q rnet-kvm-ok; then
				ok=yes
			fi
		fi
		echo "$ok" >"$memo"
	fi
	if [ "$(cat "$memo")" = yes ] && [ "${RNET_NO_KVM:-0}" != 1 ]; then
		echo ""
	else
		echo "--disable-kvm"
	fi
}

# VM_QEMU_EXTRA adds QEMU options (make bench's -icount); VM_APPEND adds kernel parameters (e.g.
# pci=nomsi); VM_KUNIT=0 skips the boot-time KUnit run; VM_KUNIT_GLOB runs only the KUnit suites
# it matches (kunit.filter_glob), built in or in modules (the drivers' own suites run at module
# load, which needs autorun too).
# kunit.autorun=1: the fragments leave CONFIG_KUNIT_AUTORUN_ENABLED to its default, which the
# allnoconfig base turns off, so the doctests would otherwise never run at boot.
# no5lvl: with 5-level paging (QEMU's TCG CPU has LA57) the 7.3 KASAN kernel reports a
# wild-memory-access in the first timer interrupt (handle_edge_irq, before any rnet code), and
# that first report turns lockdep off for the rest of the run. 4-level paging avoids it.
#
# The root filesystem (the host's, over 9p) is mounted with cache=loose: vng's own rootflags
# leave 9p uncached, so every exec reads the binary and its libraries from the host again and
# every path lookup is a round trip through QEMU (under TCG with KASAN, 7-10 s for a `grep`
# while two VMs run; 2-3 s cached). The host does not change what the guest reads from the
# root during a run (the kernel trees, modules and scripts); the shared --rwdir is a mount of
# its own, uncached. The last rootflags= on the command line wins; the rest repeats vng's.
vm_root_flags="rootflags=version=9p2000.L,trans=virtio,access=any,msize=524288,cache=loose"
vm_run() {
	local tree=$1 tmo=$2 console=$3
	shift 3
	local accel
	accel=$(vm_accel_args "$tree")
	# shellcheck disable=SC2046
	timeout --foreground -k 10 "$tmo" vng -r "$tree/arch/x86/boot/bzImage" $accel \
		--disable-microvm --force-9p --cpus 2 --memory 2G --verbose \
		--rwdir="$VM_SHARE" \
		--qemu-opts="$(vm_qemu_nics) ${VM_QEMU_EXTRA:-}" \
		--append "panic=-1 oops=panic softlockup_panic=1 nmi_watchdog=0 log_buf_len=8M kunit.enable=${VM_KUNIT:-1} kunit.autorun=${VM_KUNIT:-1}${VM_KUNIT_GLOB:+ kunit.filter_glob=$VM_KUNIT_GLOB} no5lvl $vm_root_flags ${VM_APPEND:-}" \
		--exec "$*" </dev/null >"$console" 2>&1
}
