# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers for rnet's selftests, on top of the kernel's own KTAP helpers
# (tools/testing/selftests/kselftest/ktap_helpers.sh). Installed with every suite (each
# suite's Makefile lists it in TEST_INCLUDES), next to the suite directories.
#
# Environment: RNET_MODDIR, the rnet module build directory (net/rlo.ko, ...; tests that do
# not find their module there are skipped); RNET_KTREE, the kernel tree (the YNL CLI, the
# netlink specs and the C drivers compared with rnet's).

# In a kselftest install, and in a kernel tree with rnet's selftests/ at
# tools/testing/selftests/rnet, the kernel's helpers are beside this directory; run from rnet's
# own tree (qemu/guest_bench.sh), they come from RNET_KTREE.
rnet_lib_dir=$(dirname "${BASH_SOURCE[0]}")
if [ -r "$rnet_lib_dir/../kselftest/ktap_helpers.sh" ]; then
	# shellcheck source=/dev/null
	. "$rnet_lib_dir/../kselftest/ktap_helpers.sh"
else
	# shellcheck source=/dev/null
	. "${RNET_KTREE:?RNET_KTREE must name the kernel tree}/tools/testing/selftests/kselftest/ktap_helpers.sh"
fi

# require REASON COMMAND...: what a test needs from the machine, checked before its plan:
# unless COMMAND succeeds the whole test is skipped ("1..0 # SKIP REASON" and kselftest's exit
# code 4, which the runner reports as "ok N ... # SKIP").
require() {
	local reason=$1
	shift
	"$@" >/dev/null 2>&1 && return 0
	ktap_print_header
	ktap_skip_all "$reason"
	exit "$KSFT_SKIP"
}

# YNL: the kernel tree's netlink CLI (tools/net/ynl) with the netdev family's spec, for
# queue-get, qstats-get and dev-get. --no-schema: the spec is the tree's own, and validating it
# with jsonschema on every call costs the guest more than the call itself under TCG.
YNL="/usr/bin/python3 ${RNET_KTREE:-}/tools/net/ynl/pyynl/cli.py --no-schema --spec ${RNET_KTREE:-}/Documentation/netlink/specs/netdev.yaml"

# require_ynl: skips the test unless the kernel tree's YNL CLI and spec are there.
require_ynl() {
	require "needs RNET_KTREE (the kernel tree: YNL's cli.py and the netdev spec)" \
		test -r "${RNET_KTREE:-}/tools/net/ynl/pyynl/cli.py"
}

# require_rnet_module KO: skips the test unless it runs as root and the module file KO (under
# RNET_MODDIR) is there.
require_rnet_module() {
	require "needs root" test "$(id -u)" = 0
	require "needs $(basename "$1") from RNET_MODDIR, rnet's module build directory (now '${RNET_MODDIR:-}')" \
		test -r "$1"
}

# is_82576 PCI-FUNCTION...: every one of these PCI functions is an Intel 82576 (QEMU's
# -device igb), e.g. is_82576 0000:01:00.0 0000:02:00.0
is_82576() {
	local fn vendor device
	for fn; do
		read -r vendor 2>/dev/null <"/sys/bus/pci/devices/$fn/vendor" &&
			read -r device <"/sys/bus/pci/devices/$fn/device" &&
			[ "$vendor $device" = "0x8086 0x10c9" ] || return 1
	done
}

# kernel_module NAME PATH: loads the kernel's own module NAME (a C driver compared with rnet's):
# from the kernel build tree (PATH inside RNET_KTREE) if it has one, else with modprobe.
kernel_module() {
	if [ -r "${RNET_KTREE:-}/$2" ]; then
		insmod "$RNET_KTREE/$2"
	else
		modprobe "$1"
	fi
}

# check DESCRIPTION COMMAND...: one test point, passing when COMMAND succeeds. On failure the
# command's output is printed as KTAP diagnostics so the log says why.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ktap_test_pass "$desc"
	else
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
		ktap_test_fail "$desc"
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "expected '$2', got '$3'"
		ktap_test_fail "$1"
	fi
}

# pci_by_id ID: the functions with PCI device ID $1 (Intel), one per line.
pci_by_id() {
	local d vendor device
	# bash's read, not cat: a process costs ~0.5 s in the check kernel under TCG, and the bus
	# has ~20 functions.
	for d in /sys/bus/pci/devices/*; do
		read -r vendor <"$d/vendor" && read -r device <"$d/device" || continue
		[ "$vendor" = 0x8086 ] && [ "$device" = "$1" ] && echo "${d##*/}"
	done
	return 0
}

# ethtool_errno CMD...: OK, or the errno an ethtool command failed with (EINVAL, EOPNOTSUPP).
ethtool_errno() {
	local out
	if out=$("$@" 2>&1); then echo OK; return; fi
	case "$out" in
	*"Invalid argument"*) echo EINVAL ;;
	*"Operation not supported"*) echo EOPNOTSUPP ;;
	*) echo "other: $out" ;;
	esac
}

# link_modes DEV Supported|Advertised: the link modes `ethtool DEV` lists under that heading,
# on one line.
link_modes() {
	ethtool "$1" | awk -v h="$2 link modes:" 'index($0, h) { f = 1 } f && /pause|auto-negotiation|FEC/ { f = 0 } f' |
		grep -o '[0-9]*base[A-Za-z0-9]*/[A-Za-z]*' | tr '\n' ' ' | sed 's/ $//'
}

RNET_LIB_SH=${BASH_SOURCE[0]}
# checks_in FUNCTION: the check/check_eq lines of FUNCTION, one of this file's (for the plan of
# a suite that calls it, which counts its own lines the same way).
checks_in() {
	sed -n "/^$1() {/,/^}/p" "$RNET_LIB_SH" | grep -cE "^\s*(check|check_eq) "
}

# check_copper_link_modes DEV: the 8254x/82576 copper link modes reported as the C drivers
# report them, `ethtool -s advertise` applied (and the link back at the highest common speed),
# a mode outside them refused with EINVAL and a log line; DEV ends advertising every speed.
check_copper_link_modes() {
	local dev=$1 all="10baseT/Half 10baseT/Full 100baseT/Half 100baseT/Full 1000baseT/Full"
	check_eq "ethtool: supported link modes" "$all" "$(link_modes "$dev" Supported)"
	check_eq "ethtool: every speed advertised" "$all" "$(link_modes "$dev" Advertised)"
	check "ethtool -s advertise 0x28 (100 and 1000 full) applied" ethtool -s "$dev" advertise 0x28
	check_eq "ethtool: 100 and 1000 full advertised" "100baseT/Full 1000baseT/Full" "$(link_modes "$dev" Advertised)"
	wait_carrier "$dev"
	check "link back at 1000Mb/s, the highest speed advertised" sh -c "ethtool $dev | grep -q 'Speed: 1000Mb/s'"
	check_eq "ethtool -s advertise 0x10 (1000baseT/Half) refused" EINVAL "$(ethtool_errno ethtool -s "$dev" advertise 0x10)"
	check "advertise refusal logged" sh -c "dmesg | grep -q '$dev: cannot advertise link modes 0x10'"
	check "ethtool -s advertise 0x2f: every speed again" ethtool -s "$dev" advertise 0x2f
	check_eq "ethtool: every speed advertised again" "$all" "$(link_modes "$dev" Advertised)"
	wait_carrier "$dev"
}

# errno_of COMMAND...: runs COMMAND under python and prints the errno name it fails with
# (or OK). Used where a tool would only print a message: the test wants the errno itself.
#   errno_of write /sys/class/net/rlo0/mtu 67
errno_of() {
	python3 - "$@" <<'PY'
import errno, os, sys
op, args = sys.argv[1], sys.argv[2:]
try:
    if op == "write":
        fd = os.open(args[0], os.O_WRONLY)
        try:
            os.write(fd, args[1].encode())
        finally:
            os.close(fd)
    elif op == "insmod":
        fd = os.open(args[0], os.O_RDONLY)
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syscall(313, fd, " ".join(args[1:]).encode(), 0) != 0:  # finit_module
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    else:
        raise SystemExit("errno_of: unknown op " + op)
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
PY
}

# stat_of DEV COUNTER: one counter from /sys/class/net/DEV/statistics.
stat_of() {
	cat "/sys/class/net/$1/statistics/$2"
}

# sendfile_to NETNS FILE ADDR: sends FILE with sendfile() over TCP to ADDR:5300 in NETNS,
# where a receiver counts and hashes what arrives; prints "<bytes> <sha256>" of what arrived.
sendfile_to() {
	ip netns exec "$1" python3 -c '
import hashlib, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5300))
s.listen(1)
s.settimeout(60)
c, _ = s.accept()
c.settimeout(60)
h, n = hashlib.sha256(), 0
while b := c.recv(1 << 16):
    h.update(b)
    n += len(b)
print(n, h.hexdigest())' "$3" >/tmp/sendfile-recv.txt &
	local recv=$!
	wait_for 10 sh -c "ip netns exec $1 ss -ltn | grep -q $3:5300"
	python3 -c '
import os, socket, struct, sys
f = os.open(sys.argv[1], os.O_RDONLY)
size, off = os.fstat(f).st_size, 0
s = socket.create_connection((sys.argv[2], 5300), timeout=60)
# Blocking (sendfile() fails with EAGAIN on a socket in timeout mode), with a send timeout.
s.settimeout(None)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 60, 0))
while off < size:
    off += os.sendfile(s.fileno(), f, off, size - off)
s.close()' "$2" "$3"
	wait $recv
	cat /tmp/sendfile-recv.txt
}

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}

# udp_echo_probe NETNS SRC DST PORT COUNT WAIT: from NETNS, COUNT datagrams from one socket on SRC
# to DST:PORT; prints how many distinct ones came back to that socket from DST:PORT within WAIT
# seconds (the XDP suites' programs turn datagrams to their ports around).
udp_echo_probe() {
	ip netns exec "$1" python3 - "${@:2}" <<'PY'
import socket, sys, time
src, dst, port, n, wait = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 0))
for i in range(n):
    s.sendto(b"xdp-probe-%04d" % i + bytes(50), (dst, port))
    time.sleep(0.005)
got, end = set(), time.monotonic() + wait
while len(got) < n and time.monotonic() < end:
    s.settimeout(max(end - time.monotonic(), 0.01))
    try:
        data, addr = s.recvfrom(2048)
    except socket.timeout:
        break
    if addr == (dst, port) and data.startswith(b"xdp-probe-"):
        got.add(data[:14])
print(len(got))
PY
}

# capture_start DEV PCAP [NETNS]: captures DEV's incoming TCP frames (their first 96 bytes) into
# PCAP until capture_stop; returns once the capture runs.
capture_start() {
	rm -f "$2"
	${3:+ip netns exec "$3"} timeout 120 tcpdump -i "$1" -Q in -n -s 96 -w "$2" tcp 2>"$2.err" &
	capture_pid=$!
	wait_for 10 grep -q listening "$2.err"
	sleep 1 # "listening" comes before the capture sees every frame
}

# capture_stop PCAP: ends capture_start's capture; prints the largest frame length in PCAP
# (what the stack saw after GRO) and, on stderr, how many frames there were.
capture_stop() {
	kill -INT "$capture_pid" 2>/dev/null
	# Not always this shell's child (called in a command substitution): wait for it to go.
	wait_for 10 sh -c "! kill -0 $capture_pid"
	wait "$capture_pid" 2>/dev/null
	tcpdump -r "$1" -n 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "length") l = $(i + 1); if (l + 0 > m) m = l + 0}
		END {print m + 0; printf "%d TCP frames captured, the largest %d bytes\n", NR, m > "/dev/stderr"}'
}

# Make locally generated IPv4 traffic from SRC leave through DEV instead of `lo`: locally
# generated packets (iif lo) from SRC use table 100, whose routes point at DEV; the `local`
# table moves below that rule, and DEV accepts packets with a local source address.
route_local_via() {
	local dev=$1 src=$2 dst=$3
	ip rule show | grep -q "^1000:.*lookup local" || ip rule add pref 1000 lookup local
	ip rule del pref 0 lookup local 2>/dev/null || true
	ip rule show | grep -q "^100:.*from $src iif lo lookup 100" ||
		ip rule add pref 100 iif lo from "$src" lookup 100
	ip route replace "$dst" dev "$dev" table 100
	sysctl -qw "net.ipv4.conf.$dev.accept_local=1" "net.ipv4.conf.$dev.rp_filter=0" \
		net.ipv4.conf.all.rp_filter=0
}

# Undo route_local_via (the rules; the routes go with the device).
route_local_reset() {
	ip rule del pref 100 2>/dev/null || true
	ip rule show | grep -q "^0:.*lookup local" || ip rule add pref 0 lookup local
	ip rule del pref 1000 2>/dev/null || true
	ip route flush table 100 2>/dev/null || true
}

# wait_carrier DEV [NETNS]: waits up to 10 s for DEV (in NETNS, if given) to have carrier
# (IFF_LOWER_UP: up and the carrier on, as sysfs's carrier reads 1 only then).
wait_carrier() {
	local i carrier
	for ((i = 0; i < 50; i++)); do
		if [ -n "${2:-}" ]; then
			[[ $(ip -n "$2" link show "$1" 2>/dev/null) == *LOWER_UP* ]] && return 0
		else
			read -r carrier 2>/dev/null <"/sys/class/net/$1/carrier" && [ "$carrier" = 1 ] && return 0
		fi
		sleep 0.2
	done
	return 1
}

# nic_pair_up NETNS DEV_A ADDR_A DEV_B ADDR_B: the two-NIC topology of the PCI driver tests:
# DEV_B moves into a new namespace NETNS, both get an address (with prefix) and go up; waits
# for carrier on both ends.
nic_pair_up() {
	local ns=$1 a=$2 addr_a=$3 b=$4 addr_b=$5
	ip netns add "$ns"
	ip link set "$b" netns "$ns"
	ip addr add "$addr_a" dev "$a"
	ip -n "$ns" addr add "$addr_b" dev "$b"
	ip link set "$a" up
	ip -n "$ns" link set "$b" up
	wait_carrier "$a" && wait_carrier "$b" "$ns"
}

# pci_driver_of FUNCTION: the driver FUNCTION is bound to (empty when none).
pci_driver_of() {
	local link
	link=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) && echo "${link##*/}"
	return 0
}

# pci_bind FUNCTION DRIVER: FUNCTION on DRIVER (loaded) and nothing else, through
# driver_override; pci_unbind FUNCTION: on no driver, the override cleared.
pci_bind() {
	local cur
	cur=$(pci_driver_of "$1")
	[ "$cur" = "$2" ] && return 0
	[ -n "$cur" ] && echo "$1" >"/sys/bus/pci/drivers/$cur/unbind"
	echo "$2" >"/sys/bus/pci/devices/$1/driver_override"
	echo "$1" >/sys/bus/pci/drivers_probe
	[ "$(pci_driver_of "$1")" = "$2" ]
}
pci_unbind() {
	local cur
	cur=$(pci_driver_of "$1")
	[ -n "$cur" ] && echo "$1" >"/sys/bus/pci/drivers/$cur/unbind"
	echo >"/sys/bus/pci/devices/$1/driver_override"
}

# pci_netdev FUNCTION: the network interface of a PCI function (empty when it has none).
pci_netdev() {
	local n
	for n in "/sys/bus/pci/devices/$1/net/"*; do
		[ -e "$n" ] && echo "${n##*/}" && return 0
	done
	return 0
}
# ns_pci_netdev NETNS PCI: the netdev of PCI function PCI in namespace NETNS (sysfs shows a
# function's netdev only in the namespace it is in; `ip netns exec` mounts that one). Not "the
# first device there but lo": built-in tunnel drivers give every namespace fallback devices
# (tunl0, gre0, gretap0, sit0, ip6tnl0, ...).
ns_pci_netdev() {
	ip netns exec "$1" bash -c "$(declare -f pci_netdev); pci_netdev $2"
}

# check_kunit_suite SUITE: one test point: the KUnit suite SUITE, built into a module this
# test loaded (KUnit runs a module's suites as it loads), passed every case, as the kernel log
# says; skipped when the guest booted with KUnit disabled.
check_kunit_suite() {
	local suite=$1 log result totals
	log=$(dmesg | sed 's/^\[[ 0-9.]*\] //')
	result=$(printf '%s\n' "$log" | grep -E "^(not )?ok [0-9]+ $suite\$" | tail -n1)
	totals=$(printf '%s\n' "$log" | grep -E "^ *# $suite: pass:" | tail -n1 | sed 's/^ *# //')
	if [ -z "$result" ] && printf '%s\n' "$log" | grep -q '^kunit: disabled'; then
		ktap_skip_why "KUnit suite $suite" "KUnit is disabled (kunit.enable=0)"
	elif [ "${result%% *}" = ok ]; then
		ktap_test_pass "KUnit suite ${totals:-$suite: passed}"
	else
		printf '%s\n' "$log" | grep -E "^ +(not ok|# .*(ASSERTION|Expected))" | tail -n 20 | sed 's/^ */# /'
		ktap_test_fail "KUnit suite ${totals:-$suite: no result in the kernel log}"
	fi
}

# KTAP lines with the reason after the directive ("ok 3 name # SKIP reason"), which
# ktap_helpers.sh's ktap_test_skip/ktap_test_xfail have no room for.
ktap_skip_why() {
	__ktap_test ok "$1" "SKIP $2"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}
ktap_xfail_why() {
	__ktap_test ok "$1" "XFAIL $2"
	KTAP_CNT_XFAIL=$((KTAP_CNT_XFAIL + 1))
}

# --- the kernel log around fault injection --------------------------------------------------
# A walk of injected allocation failures (fault_walk.py) makes the kernel report some of them
# itself: warn_alloc's "page allocation failure" / "vmalloc error" with a stack dump, which
# the run's final kernel-log check (run_tests.sh) would take for a splat. So a walk's log is
# checked on its own: log_keep before it, kernel_log_splats on its log after it, then
# log_clear.

# The splats of a kernel log, as run_tests.sh's final check sees them.
rnet_splat_re='WARNING:|BUG:|BUG |Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|rcu: INFO|KASAN|UBSAN|Call Trace:'

# log_keep: the kernel log so far goes to the file the run's final kernel-log check reads too
# (run_tests.sh), and the log is cleared for what comes next: nothing is lost to that check
# but what a test checks itself.
RNET_KERNEL_LOG_KEPT=${RNET_KERNEL_LOG_KEPT:-/tmp/rnet-kernel-log-kept.txt}
log_keep() {
	dmesg >>"$RNET_KERNEL_LOG_KEPT"
	dmesg -C
}

# kernel_log_splats FILE: the splat lines of the kernel log in FILE, without the reports of
# allocations that failed because a test injected the failure (warn_alloc: "page allocation
# failure", "vmalloc error", then a stack dump). Reports of the kernel's own that do not involve
# the driver are printed as "known: ..." lines instead: pciehp's lockdep report
# (ctrl->reset_lock vs pci_rescan_remove_lock, taken in both orders by
# pciehp_unconfigure_device on any hot-unplug, whatever the driver).
kernel_log_splats() {
	python3 - "$1" "$rnet_splat_re" <<'PY'
import re, sys
lines = open(sys.argv[1], errors="replace").read().splitlines()
splat = re.compile(sys.argv[2])
alloc_report = re.compile("page allocation failure|vmalloc error|allocation failure")
i, last_alloc = 0, -100
while i < len(lines):
    line = lines[i]
    if "possible circular locking dependency" in line:
        end = next((j for j in range(i, len(lines)) if "</TASK>" in lines[j]), len(lines) - 1)
        block = "\n".join(lines[i:end + 1])
        if "ctrl->reset_lock" in block and "pci_rescan_remove_lock" in block:
            print("known: pciehp's lockdep report (reset_lock vs pci_rescan_remove_lock)")
            i = end + 1
            continue
    if alloc_report.search(line):
        last_alloc = i
    if splat.search(line) and not ("Call Trace:" in line and i - last_alloc < 40):
        print(line)
    i += 1
PY
}

# check_walk_log NAME: a test point NAME: the kernel log since the last log_keep has no splat
# but the injected allocation failures' own reports (its splat lines printed otherwise); the
# log is cleared after it.
check_walk_log() {
	local log splats
	log=$(mktemp)
	dmesg >"$log"
	splats=$(kernel_log_splats "$log")
	rm -f "$log"
	dmesg -C
	[ -n "$splats" ] && echo "$splats" | head -n 10 | sed 's/^/# /'
	check_eq "$1" "" "$splats"
}

# --- streaming DMA mapping faults -----------------------------------------------------------
# The DMA API has no fault-injection point; rnet's DMA abstraction (kernel::dma::SingleMapping,
# which maps every transmitted frame and re1000's receive buffers) passes one after each
# mapping, rust_helper_dma_map_fault, which fail_function can make fail.
RNET_DMA_FAULT=rust_helper_dma_map_fault

# function_faults FUNCTION RETVAL INTERVAL COMMAND...: runs COMMAND with every INTERVAL-th call of
# FUNCTION (an error-injection point: /sys/kernel/debug/error_injection/list) returning RETVAL
# (1: every call; RETVAL -12 for an ERRNO point, 0 for a NULL one), through fail_function, then
# lets the calls succeed again; COMMAND's status. The retval file takes an unsigned number
# (`echo -12` is refused with EINVAL, leaving fail_function's default, -EINVAL, in place), so
# RETVAL is written as printf %#x makes it (0xfffffffffffffff4), as fault-injection.rst does.
function_faults() {
	local ff=/sys/kernel/debug/fail_function func=$1 retval=$2 interval=$3 rc
	shift 3
	echo "$func" >"$ff/inject" || return 1
	printf '%#x\n' "$retval" >"$ff/$func/retval" || { echo "!$func" >"$ff/inject"; return 1; }
	echo 0 >"$ff/verbose"; echo "$interval" >"$ff/interval"; echo -1 >"$ff/times"
	echo 100 >"$ff/probability"
	"$@"
	rc=$?
	echo 0 >"$ff/probability"; echo 1 >"$ff/times"; echo 1 >"$ff/interval"; echo 2 >"$ff/verbose"
	echo "!$func" >"$ff/inject"
	return $rc
}
# dma_map_faults INTERVAL COMMAND...: COMMAND with every INTERVAL-th streaming mapping of rnet's
# drivers failing (ENOMEM).
dma_map_faults() { function_faults "$RNET_DMA_FAULT" -12 "$@"; }
# dma_map_fault_point: whether the kernel has the injection point (rnet's rust/ overlay).
dma_map_fault_point() { grep -q "^$RNET_DMA_FAULT\b" /sys/kernel/debug/error_injection/list; }
