#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make stress: robustness probes, each run against an rnet driver and against its C
# counterpart on the same device, with the figures of what it did.
#
# Families (RNET_STRESS_FAMILIES, default "igb,e1000,veth"):
#   igb    rigb vs igb on the 82576 at 0000:01:00.0; peer the 82576 at 0000:02:00.0 (hub 0)
#   e1000  re1000 vs e1000 on the hub's 82540EM; peer the hub's 82545EM (re1000_extra_nics)
#   veth   an rveth pair vs a veth pair
# The peer is on the C driver in namespace "st" (for `reload`, on the other driver of the
# family, since the module under test goes away).
#
# Probes (RNET_STRESS_PROBES, default all that apply to the family but fault_bind and
# fault_up_pages, which are asked for by name: their walks take many minutes per driver):
#   fault_up        fault_walk.py up: the bring-up with its N-th allocation failing, N = 1, 2, ...
#   fault_up_pages  the same with page allocations failing too (descriptor rings, buffers)
#   fault_ring      fault_walk.py ring: ethtool -G 256 <-> 128 while up, the same way
#   fault_channels  fault_walk.py channels: ethtool -L combined 1 <-> 2 (igb)
#   fault_mtu       fault_walk.py mtu: 1500 <-> 9000 while up
#   fault_newlink   fault_walk.py newlink: ip link add ... type <kind> peer ... (veth)
#   fault_bind      fault_walk.py bind: the driver's probe (a sysfs bind) with its N-th
#                   allocation failing: each failure must leave the function without a driver,
#                   disabled, with no interface and no vectors (PCI)
#   unbind_bind     RNET_STRESS_CYCLES unbind/bind cycles with traffic in both directions
#   remove_rescan   the same with sysfs PCI remove and rescan
#   reload          rmmod/insmod with traffic, tcpdump and a route holding the device
#   netns_rmmod     the device under test in a namespace of its own, under traffic; the
#                   namespace deleted and the module removed at the same time (pairs: the
#                   namespace's end goes with it, PCI: the device goes back to the initial
#                   namespace unless rmmod got it first); both finish, nothing is left, and
#                   insmod brings the device back
#   link_flap       QEMU takes the NIC's link away and gives it back (QMP set_link), under
#                   traffic: carrier follows, traffic resumes
#   hot_unplug      QEMU unplugs the NIC under traffic (QMP device_del on its PCIe root port;
#                   the guest's pciehp removes it) and plugs a new one in (device_add)
#   churn           RNET_STRESS_OPS (default 200) seeded random configuration operations under traffic
#                   (ring sizes, channels, coalescing, offloads, MTU, MAC address, promisc,
#                   allmulti, link down/up, a trip to another namespace, and on igb XDP
#                   programs attached, swapped and detached: pass, drop, tx, abort); the
#                   traffic checked every 10 operations and the interface counters never
#                   going backwards.
#                   RNET_STRESS_SEED replays a run; RNET_STRESS_MINUTES=N keeps churning for N
#                   minutes instead.
# After every probe, traffic must pass again. A probe fails on a failed check, on a splat in
# the kernel log while it ran (allocation-failure reports of injected faults aside), or a hang
# (an operation over 60 s; the check kernel's hung-task detector reports the rest). After each
# side, kmemleak is scanned: one more test per side, "no leak".
#
# RNET_STRESS_SIDES (default "rnet,c"): the drivers each probe runs on, rnet's and the C one;
# "rnet" leaves the C column out ("not run"). RNET_STRESS_KMEMLEAK=0 leaves out the scans after
# each side and after hot_unplug (each takes minutes under TCG): leaks then count only in the
# run's final kernel-log check (run_tests.sh), not against a driver. A scan before the probes
# (with the scans on) keeps what it finds for that final check: leaks of earlier suites.
#
# KTAP: one line per (family, probe, driver): rnet's drivers pass or fail; a C driver's failure
# is reported as XFAIL with its figures (the probe found a weakness of the C driver, not a
# defect of the suite). The table (rnet and C columns) ends the output and is written to
# stress.txt in RNET_STRESS_RESULTS (default: results/ beside this script).
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
walk=$here/../fault_walk.py
# rigb's XDP test programs (selftests/rigb/xdp_verdicts.bpf.c, built here too): churn on igb
# attaches them.
xdp_obj=$here/xdp_verdicts.bpf.o
results=${RNET_STRESS_RESULTS:-$here/results}
families=${RNET_STRESS_FAMILIES:-igb,e1000,veth}
cycles=${RNET_STRESS_CYCLES:-3}
churn_ops=${RNET_STRESS_OPS:-200}
minutes=${RNET_STRESS_MINUTES:-0}
seed=${RNET_STRESS_SEED:-$(($(date +%s) % 100000))}
IFS=, read -r -a sides <<<"${RNET_STRESS_SIDES:-rnet,c}"
kmemleak_each=${RNET_STRESS_KMEMLEAK:-1}
ns=st
LOCAL=10.77.0.1
REMOTE=10.77.0.2

require "needs root" test "$(id -u)" = 0
require "needs fault injection (FAILSLAB, FAULT_INJECTION_DEBUG_FS: the check kernel)" \
	test -d /sys/kernel/debug/failslab
require "needs rnet's modules in RNET_MODDIR (now '${RNET_MODDIR:-}')" test -d "${RNET_MODDIR:-/nonexistent}"
rm -rf "$results"
mkdir -p "$results"

# family_setup NAME: the family's drivers, devices and probes.
family_setup() {
	why=""
	optional=
	case $1 in
	igb)
		kind=pci rnet=rigb c=igb
		rnet_ko=drivers/net/ethernet/intel/rigb/rigb.ko c_ko=drivers/net/ethernet/intel/igb/igb.ko
		dut=0000:01:00.0 peer=0000:02:00.0
		spare=$(pci_by_id 0x10c9 | grep -vx -e "$dut" -e "$peer")
		probes="fault_up fault_ring fault_channels fault_mtu unbind_bind remove_rescan reload netns_rmmod link_flap hot_unplug churn"
		optional="fault_bind fault_up_pages"
		qid=nic-a qdev='{"driver": "igb", "id": "nic-a", "netdev": "ha", "bus": "rp1", "mac": "52:54:00:12:34:01"}'
		is_82576 "$dut" "$peer" || why="needs 82576 NICs at $dut and $peer on one link (qemu/vm.sh)"
		;;
	e1000)
		kind=pci rnet=re1000 c=e1000
		rnet_ko=drivers/net/ethernet/intel/re1000/re1000.ko c_ko=drivers/net/ethernet/intel/e1000/e1000.ko
		# The hub's 82540EM and 82545EM; 0000:04:00.0 is the slirp 82540EM.
		dut=$(pci_by_id 0x100e | grep -vx 0000:04:00.0 | head -n1)
		peer=$(pci_by_id 0x100f | head -n1)
		spare=$(for id in 0x100e 0x100c 0x100f; do pci_by_id $id; done | grep -vx -e "$dut" -e "$peer")
		probes="fault_up fault_ring fault_mtu unbind_bind remove_rescan reload netns_rmmod link_flap hot_unplug churn"
		optional="fault_bind fault_up_pages"
		qid=nic-e7 qdev='{"driver": "e1000", "id": "nic-e7", "netdev": "he7", "bus": "rp7", "mac": "52:54:00:12:35:07"}'
		[ -n "$dut" ] && [ -n "$peer" ] || why="needs the 82540EM and 82545EM of qemu/vm.sh's re1000_extra_nics"
		;;
	veth)
		kind=pair rnet=rveth c=veth rnet_ko=net/rveth.ko c_ko=drivers/net/veth.ko
		dut=st0 peer=st1 spare=
		probes="fault_newlink fault_up fault_mtu reload netns_rmmod churn"
		[ -r "$RNET_MODDIR/iproute2/link_rveth.so" ] || why="needs iproute2/link_rveth.so under RNET_MODDIR"
		;;
	*) why="unknown family '$1' in RNET_STRESS_FAMILIES" probes= ;;
	esac
	if [ -n "${RNET_STRESS_PROBES:-}" ]; then
		local p keep=
		for p in $optional $probes; do
			[[ ",$RNET_STRESS_PROBES," == *",$p,"* ]] && keep+="$p "
		done
		probes=$keep
	fi
	[ -r "$RNET_MODDIR/$rnet_ko" ] || why="needs $rnet_ko under RNET_MODDIR"
}

load() { # load DRIVER: rnet's module from RNET_MODDIR, the C one from the kernel tree
	grep -q "^$1 " /proc/modules && return 0
	if [ "$1" = "$rnet" ]; then insmod "$RNET_MODDIR/$rnet_ko"; else kernel_module "$c" "$c_ko"; fi
}
other_of() { if [ "$1" = "$rnet" ]; then echo "$c"; else echo "$rnet"; fi; }
# park FUNCTION: on no driver, and kept off any driver a module load would bind.
park() {
	local cur
	cur=$(pci_driver_of "$1")
	[ -n "$cur" ] && echo "$1" >"/sys/bus/pci/drivers/$cur/unbind"
	echo none >"/sys/bus/pci/devices/$1/driver_override"
}
rip() { ip -n "$ns" "$@"; }

# link_up: the device under test (dut_if) on $drv with $LOCAL, its peer (peer_if) in $ns with
# $REMOTE, both up with carrier, ping working. For PCI, the peer is on $peer_drv.
link_up() {
	local p
	ip netns list | grep -qw "$ns" || ip netns add "$ns"
	if [ "$kind" = pair ]; then
		if [ ! -e "/sys/class/net/$dut" ]; then
			IP_LIB_DIR=$RNET_MODDIR/iproute2 ip link add "$dut" type "$drv" peer name "$peer" netns "$ns" || return 1
		fi
		dut_if=$dut peer_if=$peer
	else
		load "$drv" && load "$peer_drv" || return 1
		pci_bind "$dut" "$drv" && pci_bind "$peer" "$peer_drv" || return 1
		dut_if=$(pci_netdev "$dut")
		p=$(pci_netdev "$peer")
		[ -n "$p" ] && ip link set "$p" netns "$ns"
		peer_if=$(ns_pci_netdev "$ns" "$peer")
		[ -n "$dut_if" ] && [ -n "$peer_if" ] || return 1
	fi
	ip link set "$dut_if" mtu 1500 2>/dev/null
	rip link set "$peer_if" mtu 1500
	ip addr replace "$LOCAL/24" dev "$dut_if" &&
		rip addr replace "$REMOTE/24" dev "$peer_if" &&
		ip link set "$dut_if" up && rip link set "$peer_if" up &&
		wait_carrier "$dut_if" && wait_carrier "$peer_if" "$ns" && traffic_ok
}
link_down() {
	ip netns del "$ns" 2>/dev/null
	ip netns del st2 2>/dev/null
	sleep 1
	if [ "$kind" = pair ]; then
		ip link del "$dut" 2>/dev/null
	else
		park "$dut"
		park "$peer"
	fi
	return 0
}
traffic_ok() {
	ip neigh flush dev "$dut_if" >/dev/null 2>&1
	rip neigh flush dev "$peer_if" >/dev/null 2>&1
	wait_for 20 ping -c 1 -W 1 "$REMOTE"
}
# Pings both ways in the background, every RNET_STRESS_PING_INTERVAL seconds (they outlive a
# vanishing device). Every 50 ms by default: at 10 ms the pings took most of the check kernel's
# CPU under TCG and each churn operation 5-10 s instead of 2-5.
ping_interval=${RNET_STRESS_PING_INTERVAL:-0.05}
traffic_start() {
	ping -q -i "$ping_interval" "$REMOTE" >/dev/null 2>&1 &
	tpids="$!"
	ip netns exec "$ns" ping -q -i "$ping_interval" "$LOCAL" >/dev/null 2>&1 &
	tpids+=" $!"
}
traffic_stop() {
	# shellcheck disable=SC2086
	kill $tpids 2>/dev/null
	# shellcheck disable=SC2086
	wait $tpids 2>/dev/null
	tpids=
}
# reconf: the device under test back on the link after it was re-created or moved.
reconf() {
	dut_if=$( [ "$kind" = pair ] && echo "$dut" || pci_netdev "$dut")
	[ -n "$dut_if" ] || return 1
	ip addr replace "$LOCAL/24" dev "$dut_if" && ip link set "$dut_if" up &&
		wait_carrier "$dut_if" && traffic_ok
}

# --- probes: each prints its figures on one line and returns 0 when it passed ------------------
fault_probe() { # fault_probe OP ARGS...: one fault walk, then traffic must pass
	local out rc
	out=$(python3 "$walk" "$@" 2>&1)
	rc=$?
	printf '%s' "$(echo "$out" | tail -n1)"
	return $rc
}
probe_fault_up() {
	local rc
	ip link set "$dut_if" down
	fault_probe up "$dut_if" "$@"
	rc=$?
	ip link set "$dut_if" up
	return $rc
}
probe_fault_up_pages() { probe_fault_up --pages; }
probe_fault_ring() {
	local rc rx tx
	read -r rx tx < <(ethtool -g "$dut_if" | awk '/^Current/ {c = 1} c && /^RX:/ {r = $2} c && /^TX:/ {t = $2} END {print r, t}')
	fault_probe ring "$dut_if" 256 128
	rc=$?
	ethtool -G "$dut_if" rx "$rx" tx "$tx" 2>/dev/null
	return $rc
}
probe_fault_channels() {
	local rc n
	n=$(ethtool -l "$dut_if" | awk '/^Current/ {c = 1} c && /^Combined:/ {print $2}')
	fault_probe channels "$dut_if" 1 2
	rc=$?
	ethtool -L "$dut_if" combined "$n" 2>/dev/null
	return $rc
}
probe_fault_mtu() {
	local rc
	fault_probe mtu "$dut_if" 1500 9000
	rc=$?
	ip link set "$dut_if" mtu 1500
	return $rc
}
probe_fault_newlink() {
	fault_probe newlink "$drv" stf0 stf1
}
probe_fault_bind() {
	local rc
	pci_unbind "$dut"
	echo "$drv" >"/sys/bus/pci/devices/$dut/driver_override"
	fault_probe bind "$drv" "$dut"
	rc=$?
	pci_bind "$dut" "$drv" && reconf >/dev/null 2>&1 || { printf '; no link after it'; rc=1; }
	return $rc
}

cycle_probe() { # cycle_probe NAME: $cycles times: disrupt, bring back, traffic again
	local i ok=0 t0=$SECONDS
	for i in $(seq "$cycles"); do
		traffic_start
		sleep 0.5
		"cycle_$1" || { traffic_stop; printf "cycle %s: %s failed; " "$i" "$1"; break; }
		reconf && ok=$((ok + 1))
		traffic_stop
	done
	printf '%s/%s cycles, traffic resumed in %s, %s s' "$ok" "$cycles" "$ok" $((SECONDS - t0))
	[ "$ok" = "$cycles" ]
}
cycle_unbind_bind() {
	echo "$dut" >"/sys/bus/pci/drivers/$drv/unbind" && echo "$dut" >/sys/bus/pci/drivers_probe &&
		[ "$(pci_driver_of "$dut")" = "$drv" ]
}
cycle_remove_rescan() {
	echo 0 >/sys/bus/pci/drivers_autoprobe
	echo 1 >"/sys/bus/pci/devices/$dut/remove"
	echo 1 >/sys/bus/pci/rescan
	echo 1 >/sys/bus/pci/drivers_autoprobe
	[ -e "/sys/bus/pci/devices/$dut" ] || return 1
	echo "$drv" >"/sys/bus/pci/devices/$dut/driver_override"
	echo "$dut" >/sys/bus/pci/drivers_probe
	[ "$(pci_driver_of "$dut")" = "$drv" ]
}
# reload: rmmod with the device held by tcpdump (a packet socket), a route and traffic; insmod
# must bring it back.
cycle_reload() {
	local dump
	ip route replace 10.78.0.0/24 dev "$dut_if"
	tcpdump -q -i "$dut_if" -w /dev/null >/dev/null 2>&1 &
	dump=$!
	sleep 0.5
	timeout 60 rmmod "$drv" || { kill "$dump"; return 1; }
	wait "$dump" 2>/dev/null
	back_after_rmmod
}
# back_after_rmmod: after rmmod $drv, no interface of it is left (pairs: the peer end neither);
# insmod brings the device back (PCI: the module binds it again; pairs: created again).
back_after_rmmod() {
	! grep -q "^$drv " /proc/modules || { echo "$drv still loaded" >&2; return 1; }
	[ ! -e "/sys/class/net/$dut_if" ] || { echo "$dut_if outlived its module" >&2; return 1; }
	if [ "$kind" = pair ] && rip link show "$peer" >/dev/null 2>&1; then
		echo "$peer outlived its module" >&2
		return 1
	fi
	load "$drv" || return 1
	if [ "$kind" = pair ]; then
		IP_LIB_DIR=$RNET_MODDIR/iproute2 ip link add "$dut" type "$drv" peer name "$peer" netns "$ns" &&
			rip addr replace "$REMOTE/24" dev "$peer_if" && rip link set "$peer_if" up
	else
		[ "$(pci_driver_of "$dut")" = "$drv" ]
	fi
}
# netns_rmmod: the device under test moves to namespace st2 (its address with it) and takes
# the peer's pings there; then `ip netns del st2` and rmmod race (namespace cleanup runs in a
# worker: PCI devices go back to the initial namespace, a pair's end is deleted, while the
# module unregisters them). Both must finish within 60 s, the module and every interface of
# it must be gone, and insmod must bring the device back.
cycle_netns_rmmod() {
	local del mod rc=0
	ip netns del st2 2>/dev/null
	ip netns add st2 && ip link set "$dut_if" netns st2 &&
		ip -n st2 addr replace "$LOCAL/24" dev "$dut_if" && ip -n st2 link set "$dut_if" up ||
		return 1
	wait_for 10 ip netns exec "$ns" ping -c 1 -W 1 "$LOCAL" >/dev/null || echo "no traffic in st2" >&2
	timeout 60 ip netns del st2 &
	del=$!
	timeout 60 rmmod "$drv" &
	mod=$!
	wait "$del" || { echo "ip netns del: exit $?" >&2; rc=1; }
	wait "$mod" || { echo "rmmod: exit $?" >&2; rc=1; }
	[ $rc = 0 ] && back_after_rmmod
}
probe_unbind_bind() { cycle_probe unbind_bind; }
probe_remove_rescan() { cycle_probe remove_rescan; }
# probe_reload, probe_netns_rmmod: PCI: the peer leaves the module that goes away for the
# cycles and comes back after them.
probe_reload() { cycle_probe_peer_aside reload; }
probe_netns_rmmod() { cycle_probe_peer_aside netns_rmmod; }
cycle_probe_peer_aside() {
	local rc
	if [ "$kind" = pci ]; then
		# The peer leaves the module that goes away.
		park "$peer"
		ip netns del "$ns"
		sleep 1
		peer_drv=$(other_of "$drv")
		link_up || { echo "no link with the peer on $peer_drv"; peer_drv=$c; return 1; }
	fi
	cycle_probe "$1"
	rc=$?
	if [ "$kind" = pci ]; then
		link_down
		peer_drv=$c
		link_up || { echo "; no link after moving the peer back to $c"; return 1; }
	fi
	return $rc
}

# qmp COMMAND-JSON: QEMU's answer through qemu/qmp_relay.py on the host (RNET_QMP_DIR, on the
# VM's shared directory); fails after 30 s without one. Names sort in the order written.
qmp() {
	local name
	name=$(date +%s%N)-$BASHPID
	echo "$1" >"$RNET_QMP_DIR/req-$name.json.tmp" &&
		mv "$RNET_QMP_DIR/req-$name.json.tmp" "$RNET_QMP_DIR/req-$name.json" &&
		wait_for 30 test -e "$RNET_QMP_DIR/resp-$name.json" &&
		cat "$RNET_QMP_DIR/resp-$name.json" && rm -f "$RNET_QMP_DIR/resp-$name.json"
}
qmp_ok() { qmp "$1" | grep -q '"return"'; }
no_carrier() { ! ip link show "$dut_if" | grep -q LOWER_UP; }
# link_flap: QEMU takes the link away (set_link off) under traffic: carrier must follow within
# 10 s each way, and traffic resume.
probe_link_flap() {
	local i ok=0 t0=$SECONDS
	for i in $(seq "$cycles"); do
		traffic_start
		sleep 0.5
		qmp_ok "{\"execute\": \"set_link\", \"arguments\": {\"name\": \"$qid\", \"up\": false}}" ||
			{ traffic_stop; echo "cycle $i: set_link off refused; "; break; }
		wait_for 10 no_carrier || echo "cycle $i: carrier stayed on with the link off; " >&2
		if no_carrier && qmp_ok "{\"execute\": \"set_link\", \"arguments\": {\"name\": \"$qid\", \"up\": true}}" &&
			wait_carrier "$dut_if" && traffic_ok; then
			ok=$((ok + 1))
		fi
		traffic_stop
	done
	qmp_ok "{\"execute\": \"set_link\", \"arguments\": {\"name\": \"$qid\", \"up\": true}}"
	printf '%s/%s link flaps: carrier followed and traffic resumed in %s, %s s' "$ok" "$cycles" "$ok" $((SECONDS - t0))
	[ "$ok" = "$cycles" ]
}
# hot_unplug: QEMU unplugs the NIC under traffic (device_del: the PCIe slot's attention button,
# the guest's pciehp removes the function), then plugs a new one in its slot (device_add).
cycle_hot_unplug() {
	local i
	qmp_ok "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"$qid\"}}" || return 1
	wait_for 60 test ! -e "/sys/bus/pci/devices/$dut" || return 1
	echo 0 >/sys/bus/pci/drivers_autoprobe
	# QEMU finishes the unplug (DEVICE_DELETED) a little after the guest let go of the slot.
	for i in $(seq 20); do
		qmp_ok "{\"execute\": \"device_add\", \"arguments\": $qdev}" && break
		sleep 1
	done
	wait_for 60 test -e "/sys/bus/pci/devices/$dut"
	echo 1 >/sys/bus/pci/drivers_autoprobe
	[ -e "/sys/bus/pci/devices/$dut" ] || return 1
	echo "$drv" >"/sys/bus/pci/devices/$dut/driver_override"
	echo "$dut" >/sys/bus/pci/drivers_probe
	[ "$(pci_driver_of "$dut")" = "$drv" ]
}
probe_hot_unplug() { cycle_probe hot_unplug; }

onoff() { if ((coin)); then echo on; else echo off; fi; }
# counters DEV VAR: DEV's rx/tx packets and bytes into VAR, on one line (bash's read, no
# subshell: a process costs ~0.5 s in the check kernel under TCG).
counters() {
	local f v out=
	for f in rx_packets tx_packets rx_bytes tx_bytes; do
		read -r v 2>/dev/null <"/sys/class/net/$1/statistics/$f" && out+="$v "
	done
	printf -v "$2" '%s' "$out"
}
not_below() { # "earlier values" "later values"
	local a=($1) b=($2) i
	[ ${#a[@]} = 4 ] && [ ${#b[@]} = 4 ] || return 0
	for i in 0 1 2 3; do [ "${b[$i]}" -ge "${a[$i]}" ] || return 1; done
}
# churn_op: sets op to one random operation on the device under test (pairs: on either end).
# No subshell: $RANDOM's sequence, and so the seed's replay, lives in this shell.
churn_op() {
	local v dev=$dut_if
	if [ "$kind" = pair ] && [ $((RANDOM % 2)) = 1 ]; then dev=$peer_if; fi
	case $((RANDOM % 13)) in
	0) v=(128 256 512 1024)
	   if [ "$kind" = pci ]; then op="ethtool -G $dev rx ${v[RANDOM % 4]} tx ${v[RANDOM % 4]}"
	   else op="ethtool -L $dev rx $((RANDOM % 2 + 1)) tx $((RANDOM % 2 + 1))"; fi ;;
	1) if [ "$family" = igb ]; then op="ethtool -L $dev combined $((RANDOM % 2 + 1))"
	   else op="ethtool -K $dev gro $(onoff)"; fi ;;
	2) v=(0 3 10 50 100); op="ethtool -C $dev rx-usecs ${v[RANDOM % 5]}" ;;
	3) v=(gro tso rx tx sg); op="ethtool -K $dev ${v[RANDOM % 5]} $(onoff)" ;;
	4) v=(1280 1500 3000 9000); op="link set $dev mtu ${v[RANDOM % 4]}" ;;
	5) op="link set $dev address 02$(for _ in 1 2 3 4 5; do printf ':%02x' $((RANDOM % 256)); done)" ;;
	6) op="link set $dev promisc $(onoff)" ;;
	7) op="link set $dev allmulticast $(onoff)" ;;
	8 | 9) op="link set $dev down" ;;
	10) op="link set $dev up" ;;
	11) op="netns-trip $dev" ;;
	12) if [ "$family" = igb ] && [ -r "$xdp_obj" ]; then
	   	v=(pass drop tx abort off); v=${v[RANDOM % 5]}
	   	if [ "$v" = off ]; then op="link set $dev xdpdrv off"
	   	else op="link set $dev xdpdrv obj $xdp_obj sec xdp_$v"; fi
	   else op="link set $dev promisc $(onoff)"; fi ;;
	esac
}
run_churn_op() { # run_churn_op "OP": the operation's exit status (124: it hung)
	local op=$1 w=ip dev
	case $op in
	"ethtool "*) read -r -a a <<<"$op"; dev=${a[2]}
		[ "$dev" = "$peer_if" ] && [ "$kind" = pair ] && w=rip
		if [ "$w" = rip ]; then timeout 60 ip netns exec "$ns" "${a[@]}"; else timeout 60 "${a[@]}"; fi ;;
	"netns-trip "*) dev=${op#netns-trip }
		if [ "$dev" = "$dut_if" ]; then
			ip netns add st2 2>/dev/null
			timeout 60 ip link set "$dev" netns st2 && timeout 60 ip -n st2 link set "$dev" netns 1 &&
				ip addr replace "$LOCAL/24" dev "$dev"
		else
			timeout 60 rip link set "$dev" netns 1 && timeout 60 ip link set "$dev" netns "$ns" &&
				rip addr replace "$REMOTE/24" dev "$dev"
		fi ;;
	*) read -r -a a <<<"$op"; dev=${a[2]}
		# -force: a program replaces the one attached.
		[[ $op == *" xdpdrv obj "* ]] && a=(-force "${a[@]}")
		if [ "$kind" = pair ] && [ "$dev" = "$peer_if" ]; then timeout 60 ip -n "$ns" "${a[@]}"; else timeout 60 ip "${a[@]}"; fi ;;
	esac
}
probe_churn() {
	local i=0 refused=0 hung=0 back=0 checks=0 passed=0 before after op rc t_op end=$((SECONDS + minutes * 60)) t0=$SECONDS
	RANDOM=$seed
	traffic_start
	while :; do
		if [ "$minutes" -gt 0 ]; then [ $SECONDS -lt $end ] || break; else [ $i -lt "$churn_ops" ] || break; fi
		i=$((i + 1))
		coin=$((RANDOM % 2))
		churn_op
		counters "$dut_if" before
		t_op=$SECONDS
		run_churn_op "$op" >/dev/null 2>&1
		rc=$?
		[ $rc = 124 ] && { hung=$((hung + 1)); echo "op $i hung: $op" >>"$base.log"; }
		[ $rc != 0 ] && [ $rc != 124 ] && refused=$((refused + 1))
		counters "$dut_if" after
		if ! not_below "$before" "$after"; then
			back=$((back + 1))
			echo "op $i ($op): counters went backwards: $before -> $after" >>"$base.log"
		fi
		echo "op $i rc $rc, $((SECONDS - t_op)) s: $op" >>"$base.log"
		if [ $((i % 10)) = 0 ]; then
			checks=$((checks + 1))
			# The programs act on UDP to their own ports only: ping passes through them.
			ip link set "$dut_if" mtu 1500 up 2>/dev/null
			rip link set "$peer_if" mtu 1500 up 2>/dev/null
			wait_carrier "$dut_if" && wait_carrier "$peer_if" "$ns" && traffic_ok && passed=$((passed + 1))
			[ $passed = $checks ] || echo "op $i: traffic check failed" >>"$base.log"
		fi
	done
	traffic_stop
	ip link set "$dut_if" xdpdrv off 2>/dev/null
	ip link set "$dut_if" mtu 1500 promisc off allmulticast off up 2>/dev/null
	rip link set "$peer_if" mtu 1500 up 2>/dev/null
	[ "$kind" = pci ] && ethtool -K "$dut_if" gro on tso on rx on tx on sg on >/dev/null 2>&1
	checks=$((checks + 1))
	wait_carrier "$dut_if" && traffic_ok && passed=$((passed + 1))
	printf 'seed %s: %s ops in %s s (%s refused), %s hung, counters backwards %s times, traffic checks %s/%s' \
		"$seed" "$i" $((SECONDS - t0)) "$refused" "$hung" "$back" "$passed" "$checks"
	[ $hung = 0 ] && [ $back = 0 ] && [ $passed = $checks ]
}

kmemleak_scan() {
	log_keep
	[ -w /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
	# The scan's "new suspected memory leaks" line is this suite's to report, not the run's
	# final kernel-log check's.
	dmesg -C
}

# run_probe: $probe on $drv ($side of $family): a working link first, the probe, traffic
# after it, the kernel log; one KTAP line and the table cell. With $leak_check, kmemleak is
# scanned after the probe and its leaks count against it.
run_probe() {
	local splats known leaks
	base=$results/$family.$probe.$drv
	log_keep
	echo "rnet-stress: $family $probe on $drv" >/dev/kmsg
	ok=1
	if [[ $probe == link_flap || $probe == hot_unplug ]] && [ ! -d "${RNET_QMP_DIR:-/nonexistent}" ]; then
		ktap_skip_why "$family.$probe.$drv" "needs QEMU's monitor (RNET_QMP_DIR: make stress relays QMP)"
		col[$probe.$side]="SKIP: no QMP"
		return
	fi
	if ! link_up >"$base.log" 2>&1 && ! { link_down && link_up >>"$base.log" 2>&1; }; then
		fig="no working link before the probe"
		ok=0
	else
		fig=$("probe_$probe" 2>>"$base.log")
		[ $? = 0 ] || ok=0
		if ! traffic_ok; then
			fig+="; traffic does not pass after the probe"
			ok=0
		fi
	fi
	dmesg >"$base.dmesg"
	splats=$(kernel_log_splats "$base.dmesg")
	known=$(echo "$splats" | grep '^known: ' | sort -u | sed 's/^known: //')
	splats=$(echo "$splats" | grep -v '^known: ')
	if [ -n "$splats" ]; then
		ok=0
		fig+="; $(echo "$splats" | wc -l) splat lines"
		echo "$splats" | head -n 5 | sed "s/^/# $drv| /"
	fi
	[ -n "$known" ] && fig+="; the kernel's own, not counted: $known"
	dmesg -C
	if [ "${leak_check:-0}" = 1 ]; then
		link_down
		leaks=$(kmemleak_scan | tee "$base.kmemleak" | grep -c 'unreferenced object')
		[ "$leaks" = 0 ] || head -n 20 "$base.kmemleak" | sed "s/^/# $drv| /"
		fig+="; $leaks leaks"
		[ "$leaks" = 0 ] || ok=0
	fi
	[ "$ok" = 1 ] || sed "s/^/# $drv| /" "$base.log" | tail -n 15
	report "$side" "$ok" "$fig"
	col[$probe.$side]="$([ $ok = 1 ] && echo PASS || echo FAIL): $fig"
}

not_run="not run (RNET_STRESS_SIDES)"
table=$results/stress.txt
printf '%-7s %-15s | %-60s | %s\n' family probe "rnet driver" "C driver" >"$table"
report() { # report SIDE PASSED FIGURES
	local name="$family.$probe.$drv"
	if [ "$2" = 1 ]; then
		ktap_test_pass "$name: $3"
	elif [ "$1" = rnet ]; then
		ktap_test_fail "$name: $3"
	else
		ktap_xfail_why "$name" "the C driver $drv fails this probe: $3"
	fi
}

# Plan: per family, every probe on each side plus a leak check per side (with the scans on).
IFS=, read -r -a fams <<<"$families"
plan=0
for family in "${fams[@]}"; do
	family_setup "$family"
	set -- $probes
	plan=$((plan + ${#sides[@]} * ($# + kmemleak_each)))
done
ktap_print_header
ktap_print_msg "seed $seed (RNET_STRESS_SEED), $cycles cycles (RNET_STRESS_CYCLES), $churn_ops churn operations (RNET_STRESS_OPS)$([ "$minutes" -gt 0 ] && echo ", $minutes minutes of churn (RNET_STRESS_MINUTES)")"
ktap_set_plan "$plan"
tpids=
[ "$kmemleak_each" = 1 ] && kmemleak_scan >>"$RNET_KERNEL_LOG_KEPT"
for family in "${fams[@]}"; do
	family_setup "$family"
	if [ -n "$why" ]; then
		for _ in $(seq $(( ($(set -- ${probes/hot_unplug/}; echo $#) + kmemleak_each) * ${#sides[@]}))); do ktap_skip_why "$family" "$why"; done
		continue
	fi
	for f in $dut $peer $spare; do [ "$kind" = pci ] && park "$f"; done
	declare -A col=()
	for side in "${sides[@]}"; do
		drv=${!side}
		peer_drv=$c
		[ "$kind" = pair ] && peer_drv=$drv
		load "$drv"
		for probe in $probes; do
			[ "$probe" = hot_unplug ] && continue
			run_probe
		done
		link_down
		[ "$kind" = pair ] && ip link del stf0 2>/dev/null
		[ "$kmemleak_each" = 1 ] || continue
		leaks=$(kmemleak_scan | tee "$results/$family.$drv.kmemleak" | grep -c 'unreferenced object')
		[ "$leaks" = 0 ] || head -n 20 "$results/$family.$drv.kmemleak" | sed "s/^/# $drv| /"
		probe=kmemleak
		if [ "$leaks" = 0 ]; then
			report "$side" 1 "no leak after the probes on $drv"
		else
			report "$side" 0 "$leaks objects leaked during the probes on $drv"
		fi
		col[kmemleak.$side]="$([ "$leaks" = 0 ] && echo PASS || echo FAIL): $leaks leaks"
	done
	rmmod "$rnet" "$c" 2>/dev/null
	for probe in $probes $([ "$kmemleak_each" = 1 ] && echo kmemleak); do
		[ "$probe" = hot_unplug ] && continue
		printf '%-7s %-15s | %-60s | %s\n' "$family" "$probe" "${col[$probe.rnet]:-$not_run}" "${col[$probe.c]:-$not_run}" >>"$table"
	done
	unset col
done
# hot_unplug last, family after family: the first hot-unplug of the boot makes pciehp report
# its own lock-order problem (see kernel_log_splats in lib.sh), and lockdep switches itself off after
# its first report, which would leave the other probes without it.
leak_check=$kmemleak_each
for family in "${fams[@]}"; do
	family_setup "$family"
	[[ " $probes " == *" hot_unplug "* ]] || continue
	if [ -n "$why" ]; then
		for _ in "${sides[@]}"; do ktap_skip_why "$family" "$why"; done
		continue
	fi
	for f in $dut $peer $spare; do park "$f"; done
	declare -A col=()
	probe=hot_unplug
	for side in "${sides[@]}"; do
		drv=${!side}
		peer_drv=$c
		load "$drv"
		run_probe
	done
	link_down
	rmmod "$rnet" "$c" 2>/dev/null
	printf '%-7s %-15s | %-60s | %s\n' "$family" "$probe" "${col[$probe.rnet]:-$not_run}" "${col[$probe.c]:-$not_run}" >>"$table"
	unset col
done
for f in /sys/bus/pci/devices/*/driver_override; do
	[ "$(cat "$f")" = none ] && echo >"$f"
done
sed 's/^/# /' "$table"
ktap_finished
