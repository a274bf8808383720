#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: build the check kernel and the modules, install the selftests with the kernel's
# kselftest Makefile (selftests/Makefile), boot the VM, run every suite there with kselftest's
# run_kselftest.sh (selftests/run_tests.sh) and summarise the guest's KTAP as "N passed,
# N failed, N skipped".
#
#   RNET_SUITES="rlo" make check     run a subset
#   RNET_SUITE_TIMEOUT=<s>           overrides each test's time limit from its suite's settings
#   RNET_CHECK_TIMEOUT=<s>           time limit of a VM boot (default 4800: a lane's boot
#                                    takes 35-50 min under TCG, the machine's speed varying)
#   RNET_PARALLEL=0                  one VM at a time (default: two lanes, see below)
#   RNET_BOOT_STALL=<s>              a boot whose console stays silent this long (default 600)
#                                    before the guest's first KTAP line hung: retried once
#
# make stress is this script with RNET_SUITES=stress (selftests/stress/stress.sh; its
# RNET_STRESS_* settings reach the guest) and RNET_KUNIT=0 (no KUnit run at boot).
#
# When re1000 or stress is among a boot's suites, the boot gains three 8254x on a QEMU hub of
# their own (see re1000_extra_nics), next to the slirp 82540EM every boot has.
#
# drivers_net runs the kernel's own drivers/net and drivers/net/hw tests with each rnet NIC
# driver and its C counterpart, in boots of their own at the end of the lanes (the families
# taking turns between lane A and lane B), on the test kernel without debug options
# (RNET_NIPA_FLAVOUR, default bench) with the same extra NICs; its parity table, over every
# family, is printed at the end and kept in RNET_PARITY_OUT (default /tmp/rnet-last-parity.txt).
# RNET_NIPA_TESTS (comma-separated test names; make check's default is the slice below, make
# parity's "*", every test), RNET_NIPA_DRIVERS (make check's default rigb,re1000,rveth,rlo), RNET_NIPA_TIMEOUT and
# RNET_NIPA_BUDGET reach the suite in the guest (see selftests/drivers_net/drivers_net.sh).
#
# When rigb is among the suites, a short boot with pci=nomsi runs rigb_nomsi after them: the
# driver's fallback from MSI-X to the INTx line (RNET_NOMSI=0 skips it, =1 forces it). That boot
# has two more 82576 whose NVM holds a multicast (invalid) MAC address, for the random fallback.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/qemu/vm.sh"
suites=${RNET_SUITES:-rlo rveth rigb re1000 stress drivers_net}
# make check's slice of make stress: two of its probes on rigb (a fault walk of a ring resize
# and a hot-unplug cycle under traffic), on rnet's driver only; make stress runs them all, on
# every family, against the C drivers too (CI's time: the reloads took 2.5 min for rigb alone,
# the C columns ~10 min).
if [ -z "${RNET_SUITES:-}" ]; then
	export RNET_STRESS_FAMILIES=${RNET_STRESS_FAMILIES:-igb}
	export RNET_STRESS_PROBES=${RNET_STRESS_PROBES:-fault_ring,hot_unplug}
	export RNET_STRESS_CYCLES=${RNET_STRESS_CYCLES:-1} RNET_STRESS_SEED=${RNET_STRESS_SEED:-1}
	export RNET_STRESS_SIDES=${RNET_STRESS_SIDES:-rnet}
	# No kmemleak scan per driver (minutes each under TCG): the boot's final kernel-log check
	# scans once for everything (run_tests.sh).
	export RNET_STRESS_KMEMLEAK=${RNET_STRESS_KMEMLEAK:-0}
	# The slice below without the tests that skip or fail with C igb too on QEMU (loopback,
	# rmon, rss_ctx, pp_alloc_fail: make parity runs them), with the interrupt and RSS API tests
	# (irq, rss_api, toeplitz: what rigb's NAPI and RSS report), and the veth driver's own test
	# (net/veth.sh) for rveth; on every family: rlo gets those of them that need no remote end.
	export RNET_NIPA_TESTS=${RNET_NIPA_TESTS:-ping.py,stats.py,queues.py,hw/csum.py,hw/irq.py,hw/rss_api.py,hw/toeplitz.py,veth.sh}
	export RNET_NIPA_DRIVERS=${RNET_NIPA_DRIVERS:-rigb,re1000,rveth,rlo}
fi
# The kernel's driver tests for a RNET_SUITES run: the ones drivers/net/README.rst and NIPA
# lean on for NIC drivers (make check's own slice, above, drops those that skip or fail with
# the C drivers too); all of them, on both sides of both families, take ~45 minutes, more than
# CI's budget leaves (make parity runs them all).
# hw/ethtool.sh is left to make parity: its "force of different speeds autoneg off" forces a
# speed on the peer (C e1000) right after the peer restarted autonegotiation, which C e1000
# refuses while its link is down (duplex unknown), so the case passes or fails with how long
# the driver under test takes to apply its own setting (C e1000 resets the MAC, re1000 only
# writes the PHY); the suites rigb and re1000 test ethtool -s and advertise themselves.
export RNET_NIPA_TESTS=${RNET_NIPA_TESTS:-ping.py,stats.py,queues.py,hw/csum.py,hw/loopback.sh,hw/ethtool_rmon.sh,hw/rss_ctx.py,hw/pp_alloc_fail.py}
selftests=${RNET_SELFTESTS:-$top/selftests}
start=$SECONDS

tree=$(bash "$top/scripts/kernel.sh" check | tail -n1) || { echo "0 passed, 1 failed"; exit 1; }
moddir=$(bash "$top/scripts/modules.sh" check | tail -n1) || { echo "0 passed, 1 failed"; exit 1; }
echo "check: kernel and modules ready after $((SECONDS - start)) s"

VM_SHARE=$(mktemp -d /tmp/rnet-check.XXXXXX)
export VM_SHARE
# The kselftest install the guest runs, built by the kernel tree's own kselftest Makefile.
# Only the suites that run (rigb_nomsi for the second boot): drivers_net's install builds the
# kernel's own driver tests, which the others do not need.
ksft=$VM_SHARE/kselftest
llvm_version=$(. "$top/scripts/toolchain.sh" && echo "$RNET_LLVM_VERSION")
if ! make -C "$selftests" KDIR="$tree" STAGING="$VM_SHARE/kselftest-build" INSTALL_PATH="$ksft" \
	SUITES="$suites rigb_nomsi" CLANG="clang-$llvm_version" \
	install >"$VM_SHARE/kselftest-install.log" 2>&1; then
	tail -n 30 "$VM_SHARE/kselftest-install.log"
	echo "check: the kselftest install failed"
	echo "0 passed, 1 failed"
	exit 1
fi
ktap=$VM_SHARE/ktap.txt
: >"$ktap"

# kill_tree PID: PID and every process below it, the deepest first (a VM: QEMU, then vng and
# timeout, so no QEMU is left behind).
kill_tree() {
	local child
	for child in $(pgrep -P "$1"); do
		kill_tree "$child"
	done
	kill -TERM "$1" 2>/dev/null
}

# guest_watch PID CONSOLE KTAP: watches the boot PID's guest until it ends. Before the guest
# writes KTAP, RNET_BOOT_STALL seconds (default 600) without a byte on its console mean the boot
# hung (seen after SMP bring-up, with two VMs and a build sharing two cores); afterwards,
# RNET_HANG_STALL seconds (default 600) without the guest's heartbeat (KTAP.alive, rewritten
# every 15 s by run_tests.sh) mean it hung mid-run (seen: an RCU stall of a TCG vCPU starved by
# the other lane, 24 s into a boot). Either way it kills the boot, sets guest_hang to "boot" or
# "run" and returns 0; returns 1 when the boot ends by itself.
guest_hang=
guest_watch() {
	local pid=$1 console=$2 ktap=$3 stall=${RNET_BOOT_STALL:-600} hang=${RNET_HANG_STALL:-600}
	local size last=-1 since=$SECONDS beat
	guest_hang=
	while kill -0 "$pid" 2>/dev/null; do
		if [ -s "$ktap" ]; then
			beat=$(stat -c %Y "$ktap.alive" 2>/dev/null || stat -c %Y "$ktap")
			if [ $(($(date +%s) - beat)) -ge "$hang" ]; then
				guest_hang=run
				kill_tree "$pid"
				return 0
			fi
		else
			size=$(stat -c %s "$console" 2>/dev/null || echo 0)
			if [ "$size" != "$last" ]; then
				last=$size since=$SECONDS
			elif [ $((SECONDS - since)) -ge "$stall" ]; then
				guest_hang=boot
				kill_tree "$pid"
				return 0
			fi
		fi
		sleep 5
	done
	return 1
}

# rnet_in_trace CONSOLE: whether a call trace on CONSOLE runs through one of rnet's modules (a
# hang there is rnet's bug, reported, not retried away).
rnet_in_trace() {
	grep -Eq '\[(rigb|re1000|rveth|rlo)\]' "$1"
}

# run_suites KTAP-FILE SUITE...: one VM boot running the suites; the guest's KTAP streams to
# the terminal and lands in KTAP-FILE, with failures added for a guest that never finished.
# A guest that hangs (guest_watch) is retried once, unless a call trace on its console runs
# through rnet's code; its console is kept as KTAP-FILE.console.hung, its KTAP as KTAP-FILE.hung.
run_suites() {
	local out=$1 console=$1.console tailer vm_rc guest_done=1 attempt vm_pid
	shift
	: >"$out"
	# RUN_LABEL marks the lines of a lane running next to another.
	tail -n +1 -F "$out" 2>/dev/null > >(sed -u "s/^/${RUN_LABEL:-}/") &
	tailer=$!
	local v passenv=""
	for v in RNET_SUITE_TIMEOUT RNET_NIPA_TESTS RNET_NIPA_DRIVERS RNET_NIPA_TIMEOUT RNET_NIPA_BUDGET \
		RNET_STRESS_FAMILIES RNET_STRESS_PROBES RNET_STRESS_CYCLES RNET_STRESS_OPS RNET_STRESS_SEED \
		RNET_STRESS_MINUTES RNET_STRESS_SIDES RNET_STRESS_KMEMLEAK RNET_STRESS_PING_INTERVAL RNET_QMP_DIR RNET_NIPA_RESULTS; do
		[ -n "${!v:-}" ] && passenv+=" $v=${!v}"
	done
	for attempt in 1 2; do
		vm_run "${VM_TREE:-$tree}" "${RNET_CHECK_TIMEOUT:-4800}" "$console" \
			"RNET_KTREE=${VM_TREE:-$tree} RNET_MODDIR=${VM_MODDIR:-$moddir} RNET_KSFT=${VM_KSFT:-$ksft}$passenv bash $selftests/run_tests.sh $out $*" &
		vm_pid=$!
		if guest_watch "$vm_pid" "$console" "$out"; then
			wait "$vm_pid" 2>/dev/null
			cp "$console" "$console.hung"
			cp "$out" "$out.hung"
			if [ "$guest_hang" = boot ]; then
				echo "${RUN_LABEL:-}check: VM ($*) silent for ${RNET_BOOT_STALL:-600} s before its first test: the boot hung (console in $console.hung)"
			else
				echo "${RUN_LABEL:-}check: VM ($*) without a heartbeat for ${RNET_HANG_STALL:-600} s: the guest hung mid-run (console in $console.hung, its KTAP so far in $out.hung); console tail:"
				tail -n 40 "$console" | sed "s/^/${RUN_LABEL:-}    /"
			fi
			if [ "$attempt" = 1 ] && ! rnet_in_trace "$console"; then
				echo "${RUN_LABEL:-}check: booting it again"
				: >"$out"
				rm -f "$out.alive"
				continue
			fi
			[ "$attempt" = 1 ] && echo "${RUN_LABEL:-}check: a call trace runs through an rnet module: not retried"
			vm_rc=124
			break
		fi
		wait "$vm_pid"
		vm_rc=$?
		break
	done
	sleep 1
	kill "$tailer" 2>/dev/null
	wait "$tailer" 2>/dev/null
	echo "${RUN_LABEL:-}check: VM ($*${VM_APPEND:+, $VM_APPEND}) finished after $((SECONDS - start)) s"
	[ "$vm_rc" = 124 ] && [ -z "$guest_hang" ] && echo "${RUN_LABEL:-}check: the VM hit its time limit"
	if ! grep -q '^# rnet: done' "$out"; then
		guest_done=0
		echo "${RUN_LABEL:-}check: the guest never finished reporting (timeout or panic); console tail:"
		tail -n 60 "$console" | sed "s/^/${RUN_LABEL:-}    /"
	fi
	# make stress's C column: a kernel crash in a probe of a C driver is that driver failing
	# the probe (XFAIL, with the oops, in the KTAP and the table; stress_crash.py), not rnet's.
	if [ "$guest_done" = 0 ] && [ "${RNET_STRESS_SIDES:-}" = c ] && [[ " $* " == *" stress "* ]] &&
		python3 "$top/selftests/stress/stress_crash.py" "$console" "$out" \
			"${VM_KSFT:-$ksft}/rnet/stress/results/stress.txt"; then
		guest_done=1
	fi
	# Splats seen on the console count even when the guest could not report them itself.
	if grep -Eq 'Kernel panic|BUG:|Oops|WARNING:' "$console" && [ "$guest_done" = 0 ]; then
		echo "not ok 999 kernel_console_clean" >>"$out"
	fi
	[ "$guest_done" = 1 ] || echo "not ok 1000 guest_reported" >>"$out"
}

# Two 82576 with the same invalid (multicast) NVM address, on a hub of their own (functions
# 0000:05:00.0 and 0000:06:00.0).
nomsi_extra_nics() {
	local i
	for i in 5 6; do
		printf '%s ' -netdev "hubport,id=hx$i,hubid=1" \
			-device "pcie-root-port,id=rp$i,chassis=$i,addr=0x1$((i - 1))" \
			-device "igb,netdev=hx$i,bus=rp$i,mac=03:00:00:00:00:01"
	done
}

# The suites run in two lanes at once, each a VM of its own (one vCPU busy under TCG, so the
# two take the machine's two cores): lane A boots with KUnit's doctests and every suite but
# rigb and stress, then drivers_net's kernel; lane B boots with rigb and stress (and QMP),
# then the pci=nomsi boot if asked. RNET_PARALLEL=0 (or a single core) runs one lane: the
# suites in one boot, then the others, one after the other.
lane_a= lane_b=
for s in $suites; do
	case $s in
	drivers_net) ;;
	rigb | stress) lane_b+="$s " ;;
	*) lane_a+="$s " ;;
	esac
done
parallel=${RNET_PARALLEL:-auto}
[ "$parallel" = auto ] && { [ "$(nproc)" -ge 2 ] && parallel=1 || parallel=0; }
# drivers_net's families (RNET_NIPA_DRIVERS): one boot per lane when
# both lanes run, the families taking turns (the first, third, ... in lane A, the second,
# fourth, ... in lane B).
nipa_a= nipa_b=
if [[ " $suites " == *" drivers_net "* ]]; then
	nipa_a=${RNET_NIPA_DRIVERS:-rigb,re1000}
	if [ "$parallel" = 1 ] && [[ $nipa_a == *,* ]]; then
		IFS=, read -r -a nipa_all <<<"$nipa_a"
		nipa_a=
		for i in "${!nipa_all[@]}"; do
			if [ $((i % 2)) = 0 ]; then nipa_a+=${nipa_a:+,}${nipa_all[i]}; else nipa_b+=${nipa_b:+,}${nipa_all[i]}; fi
		done
	fi
fi
# make stress alone (stress the only suite, two lanes) splits over the lanes: with both sides
# (RNET_STRESS_SIDES rnet,c, the default) rnet's drivers in lane A and the C drivers in lane B,
# every family, the same seed (the two columns of the table from two VMs: equal work in each);
# with one side, the families (the first in lane B, the others in lane A).
stress_a= stress_b=
if [ "$parallel" = 1 ] && [ -z "$lane_a$nipa_a$nipa_b" ] && [ "$lane_b" = "stress " ]; then
	stress_families=${RNET_STRESS_FAMILIES:-igb,e1000,veth}
	case ${RNET_STRESS_SIDES:-rnet,c} in
	rnet,c | c,rnet)
		lane_a="stress "
		stress_a=RNET_STRESS_SIDES=rnet stress_b=RNET_STRESS_SIDES=c
		export RNET_STRESS_SEED=${RNET_STRESS_SEED:-$(($(date +%s) % 100000))}
		;;
	*)
		if [[ $stress_families == *,* ]]; then
			lane_a="stress "
			stress_b=RNET_STRESS_FAMILIES=${stress_families%%,*}
			stress_a=RNET_STRESS_FAMILIES=${stress_families#*,}
		fi
		;;
	esac
fi
if [ "$parallel" != 1 ] || [ -z "$lane_a$nipa_a" ] || [ -z "$lane_b$nipa_b" ]; then
	lane_a+=$lane_b
	lane_b=
	nipa_a+=${nipa_b:+,$nipa_b}
	nipa_a=${nipa_a#,}
	nipa_b=
fi
# The 8254x on their own hub for re1000 and stress's e1000 family.
lane_nics() {
	[[ " $* " == *" re1000 "* || " $* " == *" stress "* ]] && re1000_extra_nics
	return 0
}
# stress asks QEMU for link changes and hot-unplugs: QMP, relayed from the shared directory
# (one socket and directory per lane: each lane is a QEMU of its own).
qmp_relays=
qmp_start() { # LANE SUITES...: the lane's relay when stress is among its suites
	local lane=$1
	shift
	[[ " $* " == *" stress "* ]] || return 0
	mkdir -p "$VM_SHARE/qmp-$lane"
	python3 "$top/qemu/qmp_relay.py" "/tmp/rnet-qmp-$$-$lane.sock" "$VM_SHARE/qmp-$lane" &
	qmp_relays+=" $!"
}
qmp_start a $lane_a
qmp_start b $lane_b
# qmp_env LANE SUITES...: VM_QMP and RNET_QMP_DIR for the lane's boot (empty without stress).
qmp_env() {
	local lane=$1
	shift
	[[ " $* " == *" stress "* ]] || return 0
	echo "VM_QMP=/tmp/rnet-qmp-$$-$lane.sock RNET_QMP_DIR=$VM_SHARE/qmp-$lane"
}
nomsi=${RNET_NOMSI:-auto}
run_nomsi=0
if [ "$nomsi" = 1 ] || { [ "$nomsi" = auto ] && [[ " $suites " == *" rigb "* ]]; }; then
	run_nomsi=1
fi

# The pci=nomsi boot. No KUnit the second time: the doctests already ran (and would be counted
# twice).
nomsi_boot() {
	VM_APPEND="pci=nomsi" VM_KUNIT=0 VM_EXTRA_NICS="$(nomsi_extra_nics)" \
		run_suites "$VM_SHARE/ktap-nomsi.txt" rigb_nomsi
}
# drivers_net's boot: the kernel's driver tests run on the test kernel without the debug
# options (the bench flavour, as users run: KASAN and lockdep under TCG make the kernel's Python
# tests several times slower than their own time limits allow); rnet's suites had the debug
# kernel.
drivers_net_boot() { # DRIVERS LANE: the families of DRIVERS, KTAP and results of lane LANE
	local nipa_flavour=${RNET_NIPA_FLAVOUR:-bench} nipa_tree nipa_moddir out=$VM_SHARE/ktap-nipa-$2.txt
	if nipa_tree=$(bash "$top/scripts/kernel.sh" "$nipa_flavour" | tail -n1) &&
		nipa_moddir=$(bash "$top/scripts/modules.sh" "$nipa_flavour" | tail -n1); then
		RNET_NIPA_DRIVERS=$1 RNET_NIPA_RESULTS=$VM_SHARE/nipa-$2 \
			VM_TREE=$nipa_tree VM_MODDIR=$nipa_moddir VM_KUNIT=0 VM_EXTRA_NICS="$(re1000_extra_nics)" \
			run_suites "$out" drivers_net
	else
		echo "check: the $nipa_flavour kernel for drivers_net could not be built"
		printf 'TAP version 13\n1..1\nnot ok 1 drivers_net_kernel_built\n' >"$out"
	fi
}
# env_run NAME=VALUE... -- FUNCTION ARGS...: FUNCTION with the variables set for its run (the
# lanes' settings, some computed, as the prefix assignments of a function call).
env_run() {
	local kv
	while [ "$1" != -- ]; do
		kv=$1
		shift
		# shellcheck disable=SC2163
		local "$kv"
		# shellcheck disable=SC2163
		export "${kv%%=*}"
	done
	shift
	"$@"
}
# Lane A: its suites with the boot-time KUnit run, then drivers_net; lane B (when parallel):
# its suites with only the drivers' own KUnit suites (run at module load, checked by their
# selftests), then the nomsi boot, then drivers_net's other families.
lane_a_run() {
	if [ -n "$lane_a" ]; then
		# shellcheck disable=SC2086,SC2046
		env_run $(qmp_env a $lane_a) $stress_a \
			VM_KUNIT=${RNET_KUNIT:-1} VM_EXTRA_NICS="$(lane_nics $lane_a)" -- run_suites "$ktap" $lane_a
	fi
	[ -n "$lane_b$nipa_b" ] || [ "$run_nomsi" = 0 ] || nomsi_boot
	[ -z "$nipa_a" ] || drivers_net_boot "$nipa_a" a
}
lane_b_run() {
	if [ -n "$lane_b" ]; then
		# shellcheck disable=SC2086,SC2046
		env_run $(qmp_env b $lane_b) $stress_b \
			VM_KUNIT=${RNET_KUNIT:-1} VM_KUNIT_GLOB='*_rx_desc' VM_EXTRA_NICS="$(lane_nics $lane_b)" \
			-- run_suites "$VM_SHARE/ktap-b.txt" $lane_b
	fi
	[ "$run_nomsi" = 0 ] || nomsi_boot
	[ -z "$nipa_b" ] || drivers_net_boot "$nipa_b" b
}
if [ -n "$lane_b$nipa_b" ]; then
	# Lane B's boots get a kselftest install of their own: the suites write into theirs
	# (drivers_net its net.config, stress its results).
	cp -a "$ksft" "$VM_SHARE/kselftest-b"
	nomsi_b=
	[ "$run_nomsi" = 1 ] && nomsi_b="rigb_nomsi (pci=nomsi) "
	echo "check: two VMs at once: lane A (${lane_a}${stress_a:+$stress_a }${nipa_a:+drivers_net on $nipa_a}), lane B (${lane_b}${stress_b:+$stress_b }${nomsi_b}${nipa_b:+drivers_net on $nipa_b}); B's lines marked [B]"
	lane_a_run &
	lane_a_pid=$!
	RUN_LABEL='[B] ' VM_KSFT=$VM_SHARE/kselftest-b lane_b_run
	wait "$lane_a_pid"
else
	lane_a_run
fi
if [ -n "$qmp_relays" ]; then
	# shellcheck disable=SC2086
	kill $qmp_relays 2>/dev/null
	rm -f /tmp/rnet-qmp-$$-[ab].sock
fi
all=
for f in "$ktap" "$VM_SHARE"/ktap-b.txt "$VM_SHARE"/ktap-nomsi.txt "$VM_SHARE"/ktap-nipa-[ab].txt; do
	[ -s "$f" ] && all+=" $f"
done
# shellcheck disable=SC2086
cat $all >"${RNET_KTAP_OUT:-/tmp/rnet-last-ktap.txt}" 2>/dev/null
# drivers_net's parity table (C driver vs rnet's, per kernel driver test) over the families of
# both lanes, also kept on the host.
parity_out=${RNET_PARITY_OUT:-/tmp/rnet-last-parity.txt}
if compgen -G "$VM_SHARE/nipa-[ab]/*/tests" >/dev/null; then
	mkdir -p "$VM_SHARE/nipa"
	for family in "$VM_SHARE"/nipa-[ab]/*/; do
		[ -f "$family/tests" ] && ln -sfn "$family" "$VM_SHARE/nipa/$(basename "$family")"
	done
	echo "check: parity of the kernel's driver tests (also in $parity_out and ${parity_out%.txt}.json):"
	python3 "$top/selftests/drivers_net/parity.py" table "$VM_SHARE/nipa" "${parity_out%.txt}"
fi
# make stress's table (rnet and C driver per probe), merged over both lanes (stress_table.py), also
# kept on the host.
stress_out=${RNET_STRESS_OUT:-/tmp/rnet-last-stress.txt}
stress_tables=()
for stress in "$ksft" "$VM_SHARE/kselftest-b"; do
	stress+=/rnet/stress/results/stress.txt
	[ -s "$stress" ] && stress_tables+=("$stress")
done
if [ ${#stress_tables[@]} -gt 0 ] &&
	python3 "$top/selftests/stress/stress_table.py" "${stress_tables[@]}" >"$stress_out"; then
	echo "check: make stress, rnet vs C drivers (also in $stress_out):"
	cat "$stress_out"
fi
# shellcheck disable=SC2086
cat $all | python3 "$top/qemu/ktap_summary.py" /dev/stdin
