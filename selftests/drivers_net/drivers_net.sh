#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own driver tests, NIPA style, on rnet's NIC drivers and on their C counterparts:
# every test of the kernel's kselftest targets drivers/net and drivers/net/hw (installed beside
# this suite: TARGETS="rnet/drivers_net drivers/net drivers/net/hw"), run once with the C
# driver and once with rnet's on the same NIC, the other end of the link always on the C driver
# in a namespace, as drivers/net/README.rst describes (NETIF, LOCAL_V4/6, REMOTE_V4/6,
# REMOTE_TYPE=netns, REMOTE_ARGS=<namespace>; also written to net.config where the install is
# writable).
#
# Families (RNET_NIPA_DRIVERS, default "rigb,re1000"):
#   rigb    rigb vs the C igb on the 82576 at 0000:01:00.0, peer the 82576 at 0000:02:00.0
#           (QEMU hub 0, qemu/vm.sh)
#   re1000  re1000 vs the C e1000 on the hub's 82540EM, peer the hub's 82545EM
#           (qemu/vm.sh's re1000_extra_nics)
#   rveth   (on request) an rveth pair vs a veth pair, one end in the namespace
#   rlo     (on request) an rlo device vs lo, alone in a namespace: only the tests that need no
#           remote end (the kernel's NetDrvEnv tests: stats.py, queues.py, ...)
# The net/forwarding-style tests that take two local ports (ethtool.sh, loopback.sh, ...) get
# the device under test and the peer as arguments, both in the initial namespace.
#
# One KTAP line per (test, rnet driver): ok when rnet's driver passes; SKIP when the test
# skipped itself; XFAIL when it fails and the C driver fails it too (the reason says how);
# not ok when rnet's driver fails where the C driver does not. Every test's own output stays in
# the log, each line prefixed with "# <driver>| ". The parity table (parity.py) ends the output
# and is written to parity.txt/parity.json in RNET_NIPA_RESULTS (default: results/ beside this
# script).
#
# RNET_NIPA_TESTS picks the tests and their order: comma-separated names ("ping.py",
# "hw/csum.py"), "*" for all the others (default: the tests drivers/net/README.rst and the
# issue name first, then all the others, so that a spent budget cuts the least telling ones),
# RNET_NIPA_TIMEOUT is each test's time limit in seconds (default 180) and RNET_NIPA_BUDGET
# that of one driver's run of all the tests (default 600): tests not started by then are
# reported as not run (a failure).
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
ksft=$(cd "$here/../.." && pwd)
results=${RNET_NIPA_RESULTS:-$here/results}
tmo=${RNET_NIPA_TIMEOUT:-180}
budget=${RNET_NIPA_BUDGET:-600}
families=${RNET_NIPA_DRIVERS:-rigb,re1000}
splat_re='WARNING:|BUG:|BUG |Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|KASAN|UBSAN|Call Trace:'

# The addresses of net.config: the device under test and the peer, in their own subnets so they
# do not meet the 192.0.2.0/24 the net/forwarding tests put on the ports themselves.
LOCAL_V4=198.51.100.1
REMOTE_V4=198.51.100.2
LOCAL_V6=2001:db8:51::1
REMOTE_V6=2001:db8:51::2

require "needs root" test "$(id -u)" = 0
require "needs the kernel's drivers/net selftests installed beside rnet's (make -C selftests SUITES=drivers_net install, or TARGETS=\"rnet/drivers_net drivers/net drivers/net/hw\" in a kernel tree)" \
	test -x "$ksft/drivers/net/ping.py"

# The kernel's tests, as drivers/net/ping.py, drivers/net/hw/csum.py, ...: from the install's
# list, or, in a kselftest tree (make run_tests), from the two targets' Makefiles.
list_tests() {
	if [ -r "$ksft/kselftest-list.txt" ]; then
		cat "$ksft/kselftest-list.txt"
	else
		make -s --no-print-directory -C "$ksft/drivers/net" COLLECTION=drivers/net emit_tests
		make -s --no-print-directory -C "$ksft/drivers/net/hw" COLLECTION=drivers/net/hw emit_tests
	fi
}
all_tests=()
while IFS=: read -r coll prog; do
	case $coll in drivers/net | drivers/net/hw) all_tests+=("$coll/$prog") ;; esac
done < <(list_tests 2>/dev/null)
tests=()
IFS=, read -r -a picks <<<"${RNET_NIPA_TESTS:-ping.py,stats.py,queues.py,hw/csum.py,hw/loopback.sh,hw/ethtool.sh,hw/ethtool_rmon.sh,hw/rss_ctx.py,hw/pp_alloc_fail.py,*}"
for pick in "${picks[@]}"; do
	for t in "${all_tests[@]}"; do
		case " ${tests[*]} " in *" $t "*) continue ;; esac
		case $pick in "*" | "${t##*/}" | "${t#drivers/net/}" | "$t") tests+=("$t") ;; esac
	done
done
IFS=, read -r -a fams <<<"$families"

# The kernel's net/veth.sh, the veth driver's own test, runs for rveth too: on a veth pair,
# then on an rveth pair (a copy whose `ip link add ... type veth` says rveth), when the kernel
# tree has it and its UDP helpers were built (Makefile).
veth_sh=${RNET_KTREE:-}/tools/testing/selftests/net/veth.sh
# family_tests FAMILY: the tests of FAMILY, one a line.
family_tests() {
	local t
	if [ "$1" = rlo ]; then
		# A loopback device has no other end: the tests whose environment is NetDrvEnv (one
		# device, no remote) and not NetDrvEpEnv.
		for t in "${tests[@]}"; do
			[[ $t == *.py ]] && grep -q 'NetDrvEnv(' "$ksft/$t" && ! grep -q 'NetDrvEpEnv(' "$ksft/$t" &&
				echo "$t"
		done
		return 0
	fi
	[ ${#tests[@]} -gt 0 ] && printf '%s\n' "${tests[@]}"
	if [ "$1" = rveth ] && [ -r "$veth_sh" ] && [ -x "$here/udpgso_bench_rx" ]; then
		case ",${RNET_NIPA_TESTS:-*}," in *",*,"* | *",veth.sh,"* | *",net/veth.sh,"*) echo net/veth.sh ;; esac
	fi
	return 0
}
plan=0
for family in "${fams[@]}"; do
	plan=$((plan + $(family_tests "$family" | wc -l)))
done
require "no kernel driver test matches RNET_NIPA_TESTS='${RNET_NIPA_TESTS:-}'" test "$plan" -gt 0

ktap_print_header
ktap_set_plan "$plan"

# The netdev of the device under test or of the peer: a PCI function's, or (pair families) the
# name itself, while it exists in the initial namespace.
netdev_of() {
	if [ "$kind" = local ]; then
		ip -n "$ns" link show "$1" >/dev/null 2>&1 && echo "$1"
	elif [ "$kind" = pair ]; then
		[ -e "/sys/class/net/$1" ] && echo "$1"
	else
		pci_netdev "$1"
	fi
}
driver_of() { pci_driver_of "$1"; }
bind() { pci_bind "$@"; }
unbind() { pci_unbind "$@"; }

# The link of the current side: DUT on the driver under test in the initial namespace, PEER on
# the C driver in namespace $ns; both with net.config's addresses, up, with carrier.
link_up() {
	local p
	ip netns list | grep -qw "$ns" || ip netns add "$ns"
	if [ "$kind" = local ]; then
		dut_if=$(netdev_of "$dut")
		[ -n "$dut_if" ] && ip -n "$ns" link set "$dut_if" up && wait_carrier "$dut_if" "$ns"
		return
	fi
	dut_if=$(netdev_of "$dut")
	p=$(netdev_of "$peer")
	[ -n "$p" ] && ip link set "$p" netns "$ns"
	if [ "$kind" = pair ]; then
		peer_if=$peer
	else
		peer_if=$(ns_pci_netdev "$ns" "$peer")
	fi
	[ -n "$dut_if" ] && [ -n "$peer_if" ] || return 1
	ip addr replace "$LOCAL_V4/24" dev "$dut_if"
	ip addr replace "$LOCAL_V6/64" dev "$dut_if" nodad
	ip -n "$ns" addr replace "$REMOTE_V4/24" dev "$peer_if"
	ip -n "$ns" addr replace "$REMOTE_V6/64" dev "$peer_if" nodad
	ip link set "$dut_if" up
	ip -n "$ns" link set "$peer_if" up
	wait_carrier "$dut_if" && wait_carrier "$peer_if" "$ns" &&
		wait_for 10 ping -c 1 -W 1 "$REMOTE_V4" && wait_for 10 ping -6 -c 1 -W 1 "$REMOTE_V6"
}
# Both address families: a test that takes a link down (stats.py, queues.py) takes its IPv6
# addresses with it (keep_addr_on_down is 0), and the next test would find none to bind to.
link_works() {
	if [ "$kind" = local ]; then
		[ -n "$dut_if" ] && [ "$(netdev_of "$dut")" = "$dut_if" ] &&
			ip -n "$ns" link show "$dut_if" | grep -q LOWER_UP
		return
	fi
	[ -n "$dut_if" ] && [ "$(netdev_of "$dut")" = "$dut_if" ] &&
		ip -n "$ns" link show "$peer_if" >/dev/null 2>&1 &&
		ping -c 1 -W 2 "$REMOTE_V4" >/dev/null 2>&1 &&
		ping -6 -c 1 -W 2 "$REMOTE_V6" >/dev/null 2>&1
}
# side_up DRIVER: binds DUT to DRIVER and PEER to the C driver (pair families: creates the
# pair of DRIVER, its peer end in the namespace) and brings the link up.
side_up() {
	if [ "$kind" = local ]; then
		# lo is the namespace's own; rlo's device moves in (and back to the initial namespace
		# when the namespace goes).
		dut=lo
		[ "$1" = "$rnet_mod" ] && dut=$rnet_dev
		ip netns add "$ns" && { [ "$dut" = lo ] || ip link set "$dut" netns "$ns"; } && link_up
	elif [ "$kind" = pair ]; then
		ip netns add "$ns" &&
			IP_LIB_DIR=$RNET_MODDIR/iproute2 ip link add "$dut" type "$1" peer name "$peer" netns "$ns" &&
			link_up
	else
		bind "$dut" "$1" && bind "$peer" "$c_mod" && link_up
	fi
}
side_down() {
	ip netns del "$ns" 2>/dev/null
	# The netdev in the namespace returns to the initial one (or goes, with its pair).
	sleep 1
	case $kind in
	pair)
		ip link del "$dut" 2>/dev/null
		ip link del "$peer" 2>/dev/null
		;;
	pci)
		unbind "$dut"
		unbind "$peer"
		;;
	esac
	dut_if=
	peer_if=
}
# Each test starts on a working link: one a test left broken is brought up again (rebinding
# the drivers if need be). Once that failed, the side's remaining tests fail at once.
link_restore() {
	[ "$link_dead" = 1 ] && return 1
	link_works && return 0
	echo "# the link does not work after the last test; bringing it up again"
	link_up >/dev/null 2>&1 && link_works && return 0
	side_down
	side_up "$1" >/dev/null 2>&1 && link_works && return 0
	link_dead=1
	return 1
}

# run_test SIDE DRIVER TEST: runs TEST with the device under test on DRIVER; its output goes to
# the log (prefixed with DRIVER) and to RESULTS/<family>/<side>/<test>.{out,rc,secs}.
run_test() {
	local side=$1 drv=$2 t=$3 base args=() start rc lines prog pid rundir attempt why
	# As kselftest's runner.sh: a test that is not executable runs through its #! interpreter
	# (xdp_metadata.py comes without the x bit).
	rundir=$ksft/$(dirname "$t")
	prog=("./$(basename "$t")")
	if [ "$t" = net/veth.sh ]; then
		rundir=$(veth_sh_copy "$side" "$drv")
		prog=(sh ./veth.sh)
	elif [ ! -x "$ksft/$t" ]; then
		read -r -a prog <<<"$(head -n1 "$ksft/$t" | sed -n 's/^#!//p') ./$(basename "$t")"
	fi
	base=$results/$family/$side/${t//\//_}
	mkdir -p "$(dirname "$base")"
	if [ $((SECONDS - side_start)) -ge "$budget" ]; then
		echo "not run: the $budget s (RNET_NIPA_BUDGET) for all the tests on $drv are spent" |
			tee "$base.out" | sed "s/^/# $drv| /"
		return
	fi
	if ! link_restore "$drv"; then
		echo "the link ($dut on $drv, $peer on $peer_drv) could not be brought up" >"$base.out"
		echo 125 >"$base.rc" # parity.py: no link, the driver failed before the test
		echo 0 >"$base.secs"
		sed "s/^/# $drv| /" "$base.out"
		return
	fi
	# The net/forwarding-style tests take both ports, in the initial namespace, as arguments.
	if [[ $t == drivers/*.sh ]] && grep -q '^NUM_NETIFS=' "$ksft/$t" && ! grep -q DRIVER_TEST_CONFORMANT "$ksft/$t"; then
		ip -n "$ns" link set "$peer_if" netns 1
		ip addr flush dev "$dut_if"
		ip addr flush dev "$peer_if"
		args=("$dut_if" "$peer_if")
	fi
	if [ "$kind" = local ]; then
		# A local family's device is alone in its namespace: the test runs there.
		prog=(ip netns exec "$ns" "${prog[@]}")
		echo "# --- $t on $drv ($dut_if, alone in netns $ns)"
	else
		echo "# --- $t on $drv ($dut_if; peer $peer_if on $peer_drv in netns $ns${args[*]:+, both local})"
	fi
	lines=$(dmesg | wc -l)
	for attempt in 1 2; do
		start=$SECONDS
		# KSFT_MACHINE_SLOW: a TCG guest with KASAN and lockdep is one (the net/forwarding library
		# and some tests relax their timing for it). The output goes to a file that tail follows
		# until the test ends: a helper the test left running cannot hold the log's pipe open.
		: >"$base.out"
		(cd "$rundir" && IP_LIB_DIR=${RNET_MODDIR:-}/iproute2 NETIF=$dut_if LOCAL_V4=$LOCAL_V4 REMOTE_V4=$REMOTE_V4 \
			LOCAL_V6=$LOCAL_V6 REMOTE_V6=$REMOTE_V6 REMOTE_TYPE=netns REMOTE_ARGS=$ns \
			KSFT_MACHINE_SLOW=${KSFT_MACHINE_SLOW:-yes} exec timeout -k 10 "$tmo" "${prog[@]}" "${args[@]}" \
			</dev/null >>"$base.out" 2>&1) &
		pid=$!
		tail -n +1 -s 0.5 --pid="$pid" -f "$base.out" | sed -u -E "s/^(.{400}).+/\1 [...]/; s/^/# $drv| /"
		wait "$pid"
		rc=$?
		# A failure that is the test tool's own, not the driver's, earns one more run; the first
		# one's output is kept beside it.
		[ "$rc" != 0 ] && [ "$attempt" = 1 ] && why=$(python3 "$here/parity.py" misfire "$base.out") || break
		mv "$base.out" "$base.misfire.out"
		echo "# $drv| the failure is the test tool's own ($why): running $t again"
	done
	echo "$rc" >"$base.rc"
	echo $((SECONDS - start)) >"$base.secs"
	# A splat in the kernel log while the test ran counts against that driver's run.
	dmesg | tail -n +"$((lines + 1))" | grep -E "$splat_re" | head -n 5 | sed 's/^/KERNEL-SPLAT: /' |
		tee -a "$base.out" | sed "s/^/# $drv| /"
	if [ ${#args[@]} -gt 0 ]; then
		ip addr flush dev "$peer_if" 2>/dev/null
		ip link set "$peer_if" netns "$ns" 2>/dev/null
		link_up >/dev/null 2>&1
	fi
}

# veth_sh_copy SIDE DRIVER: a copy of the kernel's net/veth.sh whose pair is of DRIVER, in a
# tree of its own where what it finds relative to itself is there: lib/ (the XDP programs of
# the install's net/lib), the UDP helpers, ../../../net/ynl (the kernel tree's YNL). Prints the
# directory to run it in.
veth_sh_copy() {
	local w=$results/$family/$1/veth-sh/tools
	mkdir -p "$w/testing/selftests/net"
	ln -sfn "$RNET_KTREE/tools/net" "$w/net"
	ln -sfn "$ksft/net/lib" "$w/testing/selftests/net/lib"
	cp "$here/udpgso_bench_rx" "$here/udpgso_bench_tx" "$w/testing/selftests/net/"
	sed "s/ type veth / type $2 /" "$veth_sh" >"$w/testing/selftests/net/veth.sh"
	echo "$w/testing/selftests/net"
}

write_net_config() {
	local d
	for d in "$ksft/drivers/net" "$ksft/drivers/net/hw"; do
		[ -w "$d" ] || continue
		if [ "$kind" = local ]; then
			printf '# drivers_net.sh: %s, %s on %s, alone in netns %s\nNETIF=%s\n' \
				"$family" "$1" "$dut_if" "$ns" "$dut_if" >"$d/net.config"
			continue
		fi
		cat >"$d/net.config" <<-EOF
			# drivers_net.sh: $family, $1 on $dut_if ($dut), the peer in netns $ns
			NETIF=$dut_if
			LOCAL_V4=$LOCAL_V4
			REMOTE_V4=$REMOTE_V4
			LOCAL_V6=$LOCAL_V6
			REMOTE_V6=$REMOTE_V6
			REMOTE_TYPE=netns
			REMOTE_ARGS=$ns
		EOF
	done
}
remove_net_config() {
	rm -f "$ksft/drivers/net/net.config" "$ksft/drivers/net/hw/net.config"
}

# run_family FAMILY: both sides of every test, then one KTAP line per test.
run_family() {
	local why="" loaded_c=0 loaded_rnet=0 t v name reason note d0="" p0="" rnet_ko c_ko where ftests
	family=$1
	mapfile -t ftests < <(family_tests "$family")
	kind=pci
	case $family in
	rigb)
		rnet_mod=rigb rnet_ko=drivers/net/ethernet/intel/rigb/rigb.ko
		c_mod=igb c_ko=drivers/net/ethernet/intel/igb/igb.ko
		dut=0000:01:00.0 peer=0000:02:00.0
		is_82576 "$dut" "$peer" || why="needs 82576 NICs at $dut and $peer on one link (QEMU: -device igb, see qemu/vm.sh)"
		;;
	re1000)
		rnet_mod=re1000 rnet_ko=drivers/net/ethernet/intel/re1000/re1000.ko
		c_mod=e1000 c_ko=drivers/net/ethernet/intel/e1000/e1000.ko
		# The 82540EM and the 82545EM of the hub; 0000:04:00.0 is the slirp 82540EM.
		dut=$(pci_by_id 0x100e | grep -vx 0000:04:00.0 | head -n1)
		peer=$(pci_by_id 0x100f | head -n1)
		[ -n "$dut" ] && [ -n "$peer" ] || why="needs the 82540EM and 82545EM of qemu/vm.sh's re1000_extra_nics"
		;;
	rveth)
		# A pair, not a NIC: both ends on the driver under test, the peer end in the namespace.
		kind=pair
		rnet_mod=rveth rnet_ko=net/rveth.ko
		c_mod=veth c_ko=drivers/net/veth.ko
		dut=nipa0 peer=nipa1
		[ -r "${RNET_MODDIR:-}/iproute2/link_rveth.so" ] ||
			why="needs the rveth plugin of iproute2 (iproute2/link_rveth.so under RNET_MODDIR)"
		;;
	rlo)
		# No peer: rlo's device (module parameter numdevs=1: rlo0) and lo, each alone in the
		# namespace, with the tests that need no remote end.
		kind=local
		rnet_mod=rlo rnet_ko=net/rlo.ko rnet_dev=rlo0
		c_mod=loopback c_ko=
		dut=lo peer=
		;;
	*) why="unknown driver family '$family' in RNET_NIPA_DRIVERS" ;;
	esac
	[ -z "$why" ] && [ ! -r "${RNET_MODDIR:-}/$rnet_ko" ] &&
		why="needs $(basename "$rnet_ko") from RNET_MODDIR, rnet's module build directory (now '${RNET_MODDIR:-}')"
	if [ -n "$why" ]; then
		for t in "${ftests[@]}"; do ktap_skip_why "$family: $t" "$why"; done
		return
	fi
	ns=nipa-$family
	if [ "$kind" = pci ]; then
		d0=$(driver_of "$dut")
		p0=$(driver_of "$peer")
		where="$dut on the hub, peer $peer on C $c_mod"
	elif [ "$kind" = local ]; then
		where="$rnet_dev or lo, alone in netns $ns, no remote end"
	else
		where="a pair $dut/$peer of the driver, $peer in netns $ns"
	fi
	# lo is built in (c_ko empty).
	[ -z "$c_ko" ] || grep -q "^$c_mod " /proc/modules || { kernel_module "$c_mod" "$c_ko" && loaded_c=1; }
	grep -q "^$rnet_mod " /proc/modules || { insmod "$RNET_MODDIR/$rnet_ko" && loaded_rnet=1; }
	mkdir -p "$results/$family"
	printf 'c=C %s\nrnet=%s\ndut=%s\n' "$c_mod" "$rnet_mod" "$where" >"$results/$family/meta"
	printf '%s\n' "${ftests[@]}" >"$results/$family/tests"

	local s drv
	for s in c rnet; do
		drv=$c_mod
		[ $s = rnet ] && drv=$rnet_mod
		peer_drv=$c_mod
		[ "$kind" = pair ] && peer_drv=$drv
		echo "# === $family: the kernel's driver tests with $dut on $drv"
		dut_if=
		peer_if=
		link_dead=0
		side_start=$SECONDS
		if ! side_up "$drv"; then
			echo "# could not put $dut on $drv and $peer on $peer_drv, or the link did not come up"
			link_dead=1
		fi
		write_net_config "$drv"
		for t in "${ftests[@]}"; do
			run_test "$s" "$drv" "$t"
		done
		side_down
	done
	remove_net_config

	while IFS=$'\x1f' read -r v t reason note; do
		name="$rnet_mod: $t"
		[ -n "$note" ] && ktap_print_msg "$t: $rnet_mod $note"
		case $v in
		pass) ktap_test_pass "$name" ;;
		skip) ktap_skip_why "$name" "$reason" ;;
		xfail) ktap_xfail_why "$name" "$reason" ;;
		*)
			ktap_print_msg "$t: $reason"
			ktap_test_fail "$name"
			;;
		esac
	done < <(python3 "$here/parity.py" verdicts "$results" "$family")

	# Leave the modules and bindings as they were found.
	[ "$loaded_rnet" = 1 ] && rmmod "$rnet_mod"
	[ "$loaded_c" = 1 ] && rmmod "$c_mod"
	[ -n "$d0" ] && [ -d "/sys/bus/pci/drivers/$d0" ] && echo "$dut" >"/sys/bus/pci/drivers/$d0/bind" 2>/dev/null
	[ -n "$p0" ] && [ -d "/sys/bus/pci/drivers/$p0" ] && echo "$peer" >"/sys/bus/pci/drivers/$p0/bind" 2>/dev/null
	return 0
}

rm -rf "$results"
mkdir -p "$results"
for family in "${fams[@]}"; do
	run_family "$family"
done
echo "# parity of the kernel's driver tests: C driver vs rnet's (also in $results/parity.txt)"
python3 "$here/parity.py" table "$results" | sed 's/^/# /'
ktap_finished
