#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rigb module autoload: the module carries the 82576's PCI alias (7.3's `pci_device_table!`
# puts a MODULE_DEVICE_TABLE into the .ko), and a module installed the way a user installs one
# is loaded for an unbound 82576 by the device's uevent, without anybody naming the module.
#
#   1. `modinfo -F alias rigb.ko` has pci:v00008086d000010C9sv*sd*bc*sc*i*.
#   2. A writable module tree takes the place of /lib/modules/$(uname -r) for the test (under
#      virtme-ng that path is a symlink into the kernel tree's .virtme_mods, on the host's
#      read-only root; the test points it at a tmpfs directory): the kernel's modules, plus
#      rigb.ko in extra/ (where `make modules_install` puts external modules), then
#      `depmod -a`. The C igb matches the same alias; `blacklist igb` in /run/modprobe.d keeps
#      it from being picked, as a user who prefers rigb would configure it.
#   3. PCI remove + rescan of the 82576 makes the kernel send an `add` uevent with
#      MODALIAS=pci:v00008086d000010C9...; the device must end up bound to rigb.
#
# Who answers the uevent: virtme-ng starts systemd-udevd in the guest only if the host has one
# (rnet's setup does not install udev). With udevd running, udevd does it (its kmod builtin).
# Without, this test runs a minimal stand-in: `busybox uevent` (a listener on the kernel's
# uevent netlink socket) with a handler that runs `modprobe -b "$MODALIAS"` for every `add`
# uevent with a MODALIAS — the action of udev's `kmod load` builtin (80-drivers.rules), nothing
# more (no rules, no renaming). Either way the kernel's uevent, modules.alias, the blacklist and
# modprobe are the real ones; the path taken is printed as a KTAP diagnostic. rigb is never
# insmod'ed here.
#
# Runs at the end of rigb.sh (rigb and igb unloaded, every 82576 unbound), as a subtest of its
# own; can also run alone in the guest (RNET_KTREE and RNET_MODDIR as for the other suites).
set -u
# One compound command, parsed whole before it runs (the guest reads the working tree; an edit
# during a run must not change what the running copy executes).
{
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

KO=$RNET_MODDIR/drivers/net/ethernet/intel/rigb/rigb.ko
A=0000:01:00.0
ALIAS='pci:v00008086d000010C9sv*sd*bc*sc*i*'
kver=$(uname -r)
mods=/lib/modules/$kver
conf=/run/modprobe.d/rnet-autoload.conf
stage=""
saved_link=""
tmpfs_mounted=0
listener=""
handler=""
uevlog=/tmp/rnet-autoload-uevents.txt

driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
netdev_of() { ls "/sys/bus/pci/devices/$1/net/" 2>/dev/null | head -n1; }
# The driver link appears before probe runs; the netdev once probe registered it.
bound_to_rigb() { [ "$(driver_of $A)" = rigb ]; }
has_netdev() { [ -n "$(netdev_of $A)" ]; }
udevd_running() { pgrep -x systemd-udevd >/dev/null || pgrep -x udevd >/dev/null; }

# check_here DESCRIPTION COMMAND...: lib.sh's check, but COMMAND runs in this shell instead of
# a command substitution, for steps that set state the cleanup needs or start a background
# process; its output goes to a file, shown as diagnostics on failure.
check_here() {
	local desc=$1 log
	shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		ktap_test_pass "$desc"
	else
		sed 's/^/# /' "$log"
		ktap_test_fail "$desc"
	fi
	rm -f "$log"
}

cleanup() {
	if [ -n "$listener" ]; then
		kill "$listener" 2>/dev/null
		wait "$listener" 2>/dev/null
	fi
	[ -e /sys/module/rigb ] && rmmod rigb 2>/dev/null
	if [ "$tmpfs_mounted" = 1 ]; then
		umount /lib/modules
	elif [ -n "$saved_link" ]; then
		ln -sfnT "$saved_link" "$mods"
	fi
	[ -e "/sys/bus/pci/devices/$A" ] || echo 1 >/sys/bus/pci/rescan
	rm -f "$conf" ${handler:+"$handler"}
	[ -n "$stage" ] && rm -rf "$stage"
}
trap cleanup EXIT

# Module aliases of the built rigb.ko, printed; succeeds if the 82576's is among them.
has_alias() {
	local aliases
	aliases=$(modinfo -F alias "$KO") || return 1
	printf 'aliases: %s\n' "${aliases:-(none)}"
	printf '%s\n' "$aliases" | grep -qxF "$ALIAS"
}

# The device's modalias matches the alias (glob match, as modprobe does).
modalias_matches() {
	local m
	m=$(cat "/sys/bus/pci/devices/$A/modalias") || return 1
	echo "modalias of $A: $m"
	# shellcheck disable=SC2053 # $ALIAS is a glob on purpose
	[[ $m == $ALIAS ]]
}

nothing_bound() {
	rmmod rigb 2>/dev/null
	rmmod igb 2>/dev/null
	[ ! -e /sys/module/rigb ] || { echo "rigb still loaded"; return 1; }
	[ ! -e /sys/module/igb ] || { echo "igb still loaded"; return 1; }
	[ -z "$(driver_of $A)" ] || { echo "$A bound to $(driver_of $A)"; return 1; }
}

# A writable module tree in place of $mods: a tmpfs directory with links to the kernel's
# modules where they are (no copying: 9p under TCG is slow), depmod's inputs, and rigb.ko in
# extra/. virtme-ng makes $mods a symlink on a tmpfs /lib/modules, which is pointed at the new
# tree; anywhere else a tmpfs is mounted on /lib/modules first.
install_tree() {
	local orig f
	orig=$(readlink -f "$mods")
	[ -d "$orig" ] || { echo "no $mods"; return 1; }
	echo "$mods -> $orig"
	stage=$(mktemp -d /run/rnet-modules.XXXXXX) || return 1
	cp -rs "$orig/kernel" "$stage/" || return 1
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -e "$orig/$f" ] && cp -L "$orig/$f" "$stage/"
	done
	install -D -m 0644 "$KO" "$stage/extra/rigb.ko" || return 1
	if [ -L "$mods" ] && [ -w /lib/modules ]; then
		saved_link=$(readlink "$mods")
	else
		mount -t tmpfs rnet-modules /lib/modules || return 1
		tmpfs_mounted=1
	fi
	ln -sfnT "$stage" "$mods" || return 1
	echo "$mods -> $(readlink "$mods"): $(find -L "$mods/" -name '*.ko' | wc -l) modules"
}

depmod_maps_alias() {
	depmod -a || return 1
	grep -F "alias $ALIAS " "$mods/modules.alias"
	grep -qxF "alias $ALIAS rigb" "$mods/modules.alias"
}

# With igb blacklisted, the device's modalias resolves to extra/rigb.ko and nothing else.
resolves_to_rigb() {
	local m out
	mkdir -p /run/modprobe.d && echo "blacklist igb" >"$conf" || return 1
	m=$(cat "/sys/bus/pci/devices/$A/modalias")
	echo "modprobe -R: $(modprobe -R "$m" | tr '\n' ' ')"
	out=$(modprobe -b -D "$m") || return 1
	echo "modprobe -b -D: $out"
	printf '%s\n' "$out" | grep -q "^insmod $mods/extra/rigb.ko" &&
		! printf '%s\n' "$out" | grep -q '/igb\.ko'
}

rescan() {
	echo 1 >"/sys/bus/pci/devices/$A/remove" || return 1
	wait_for 10 test ! -e "/sys/bus/pci/devices/$A" || { echo "$A not removed"; return 1; }
	echo 1 >/sys/bus/pci/rescan || return 1
	wait_for 10 test -e "/sys/bus/pci/devices/$A" || { echo "$A not back after rescan"; return 1; }
}

# Control: the same remove + rescan with nobody answering uevents binds nothing, so the
# binding below is the uevent handler's doing (and not, say, a module left loaded).
control_unbound() {
	rescan || return 1
	sleep 2
	[ -z "$(driver_of $A)" ] || { echo "$A bound to $(driver_of $A)"; return 1; }
	[ ! -e /sys/module/rigb ] || { echo "rigb got loaded"; return 1; }
}

# The stand-in for udevd's `kmod load` builtin: busybox's `uevent` applet (the netlink listener
# of busybox/mdev hotplug setups) runs a handler for every kernel uevent, with the uevent's
# variables in its environment. Absolute paths: busybox-static would otherwise run its own
# `sh` and `modprobe` applets, and busybox's modprobe knows no /run/modprobe.d blacklist.
# Ready once a synthetic `change` uevent of lo came through.
start_listener() {
	local _ sh modprobe
	sh=$(command -v sh) && modprobe=$(command -v modprobe) || return 1
	handler=$(mktemp /run/rnet-uevent.XXXXXX) || return 1
	cat >"$handler" <<HANDLER
read -r up _ </proc/uptime
echo "uevent \$ACTION \$DEVPATH \${MODALIAS:-} [\$up]"
if [ "\$ACTION" = add ] && [ -n "\${MODALIAS:-}" ]; then
	err=\$($modprobe -b "\$MODALIAS" 2>&1)
	echo "modprobe -b \$MODALIAS: exit \$? \$err"
fi
HANDLER
	echo "handler ($sh):"
	cat "$handler"
	: >"$uevlog"
	busybox uevent "$sh" "$handler" >>"$uevlog" 2>&1 &
	listener=$!
	for _ in $(seq 60); do
		kill -0 "$listener" 2>/dev/null || { echo "busybox uevent exited"; return 1; }
		echo change >/sys/class/net/lo/uevent
		sleep 2
		grep -q "^uevent change /devices/virtual/net/lo" "$uevlog" && return 0
	done
	return 1
}

# Remove + rescan; the uevent handler must load rigb, which binds the device.
autoload() {
	if [ "$path" = udevd ]; then
		udevadm control --reload
		rescan || return 1
		udevadm settle --timeout=60
	else
		if ! start_listener; then
			echo "uevent listener not ready:"
			cat "$uevlog"
			return 1
		fi
		rescan || return 1
	fi
	wait_for 120 bound_to_rigb
	local rc=$?
	if [ "$path" = listener ]; then
		# modprobe returns once the module's init (probing every unbound 82576) is done.
		wait_for 60 grep -q "^modprobe -b pci:v00008086d000010C9.*: exit" "$uevlog"
		kill "$listener" && wait "$listener"
		listener=""
		cat "$uevlog"
	fi
	echo "$A bound to: $(driver_of $A)"
	return $rc
}

listener_loaded_rigb() {
	cat "$uevlog"
	grep -q "^uevent add /devices/.*/$A pci:v00008086d000010C9" "$uevlog" &&
		grep -q "^modprobe -b pci:v00008086d000010C9.*: exit 0" "$uevlog" &&
		[ -e /sys/module/rigb ]
}

ktap_print_header
ktap_set_plan "$(grep -cE "^\s*(check|check_eq|check_here) " "$0")"
if udevd_running; then
	path=udevd
	ktap_print_msg "autoload path: kernel uevent -> systemd-udevd (kmod builtin) -> modprobe"
else
	path=listener
	ktap_print_msg "autoload path: kernel uevent -> busybox uevent -> 'modprobe -b \$MODALIAS'" \
		"(udev's kmod builtin action; no udevd in the guest)"
fi

check "modinfo: rigb.ko has the alias $ALIAS" has_alias
check "$A's modalias matches it" modalias_matches
check "start: rigb and igb unloaded, $A unbound" nothing_bound
check_here "writable $mods with rigb.ko in extra/" install_tree
check "depmod -a: modules.alias maps the 82576 to rigb" depmod_maps_alias
check "igb blacklisted: modprobe -b resolves the modalias to extra/rigb.ko only" resolves_to_rigb
if [ "$path" = listener ]; then
	check "control: remove + rescan with no uevent handler leaves $A unbound" control_unbound
else
	ktap_test_skip "control: remove + rescan with no uevent handler (udevd is running)"
fi
check_here "remove + rescan: $A bound to rigb through its uevent ($path)" autoload
if [ "$path" = listener ]; then
	check "the add uevent carried the MODALIAS; modprobe -b loaded rigb" listener_loaded_rigb
else
	ktap_test_skip "listener log (udevd answered the uevent)"
fi
check "the blacklisted igb was not loaded" test ! -e /sys/module/igb
check "rigb registered a netdev on $A" wait_for 30 has_netdev
check "rmmod the autoloaded rigb" rmmod rigb

ktap_finished
}
