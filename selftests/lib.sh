# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared helpers for rnet's guest-side selftests, on top of the kernel's own KTAP helpers
# (tools/testing/selftests/kselftest/ktap_helpers.sh from the kernel tree the VM booted).
#
# Environment (set by qemu/check.sh and selftests/run_tests.sh): RNET_KTREE (kernel tree),
# RNET_MODDIR (built project modules), RNET_TOP (repository).

# shellcheck source=/dev/null
. "$RNET_KTREE/tools/testing/selftests/kselftest/ktap_helpers.sh"

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

# wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
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

# wait_carrier DEV [NETNS]: waits up to 10 s for DEV (in NETNS, if given) to have carrier.
wait_carrier() {
	local _
	for _ in $(seq 50); do
		[ "$(ip ${2:+-n "$2"} link show "$1" 2>/dev/null | grep -c LOWER_UP)" = 1 ] && return 0
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
