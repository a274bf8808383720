#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rigb on a kernel booted with pci=nomsi: the driver asks for MSI-X (its default), gets
# neither MSI-X nor MSI and must fall back to the shared INTx line, with one queue pair;
# traffic and the offline self-test (its interrupt test included) must work there.
# Two more 82576 (X and Y, on a hub of their own; qemu/check.sh adds them to this boot) have the
# same multicast MAC in their NVM: each must get a random address of its own, with a warning.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

KO=${RNET_MODDIR:-}/drivers/net/ethernet/intel/rigb/rigb.ko
A=0000:01:00.0
B=0000:02:00.0
X=0000:05:00.0
Y=0000:06:00.0

require_rnet_module "$KO"
require "needs a kernel booted with pci=nomsi" grep -qw pci=nomsi /proc/cmdline
require "needs 82576 NICs at $A, $B, $X and $Y (qemu/check.sh's pci=nomsi boot)" is_82576 $A $B $X $Y
ktap_print_header
ktap_set_plan "$(grep -cE "^\s*(check|check_eq) " "$0")"

netdev_of() { ls "/sys/bus/pci/devices/$1/net/" 2>/dev/null | head -n1; }

check "kernel booted with pci=nomsi" grep -qw pci=nomsi /proc/cmdline
check "insmod rigb" insmod "$KO"
ea=$(netdev_of $A)
eb=$(netdev_of $B)
check "fell back to INTx with one queue pair" sh -c "dmesg | grep -q \"$ea: 82576 at $A, .*INTx interrupts, 1 queue pairs\""
nic_pair_up rgb "$ea" 10.5.0.1/24 "$eb" 10.5.0.2/24
check "the INTx line is shared-capable and named" grep -q "$ea-q0" /proc/interrupts
check "ping over INTx" ping -q -c 5 -i 0.2 -W 5 10.5.0.2
check "iperf3 TCP over INTx" sh -c "ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2 >/dev/null && sleep 1 && \
	iperf3 -c 10.5.0.2 -t 2 >/dev/null"
check "ethtool -t offline passes over INTx" sh -c "ethtool -t $ea offline | tee /dev/stderr | grep -q 'result is PASS'"
wait_carrier "$ea"
check "traffic after the self-test" ping -q -c 3 -i 0.2 -W 5 10.5.0.2
ip netns del rgb

# --- an invalid address in the NVM: a random one instead (eth_hw_addr_random) -----------------
ex=$(netdev_of $X)
ey=$(netdev_of $Y)
check "invalid NVM address reported for both" sh -c "dmesg | grep -q 'rigb $X: invalid MAC' && \
	dmesg | grep -q 'rigb $Y: invalid MAC'"
check_eq "address marked random (NET_ADDR_RANDOM)" "1 1" \
	"$(cat /sys/class/net/$ex/addr_assign_type) $(cat /sys/class/net/$ey/addr_assign_type)"
check "random addresses: valid, locally administered and different" python3 -c '
import sys
a, b = (bytes.fromhex(open(f"/sys/class/net/{n}/address").read().strip().replace(":", ""))
        for n in sys.argv[1:])
ok = lambda m: m[0] & 1 == 0 and m[0] & 2 and any(m)
sys.exit(0 if ok(a) and ok(b) and a != b else f"{a.hex()} {b.hex()}")' "$ex" "$ey"
# RAR0, the device's own-address filter, is programmed from the netdev's address at bring-up.
ip link set "$ex" up
check_eq "receive address register 0 holds the random address, valid" \
	"$(cat /sys/class/net/$ex/address) valid" "$(python3 -c '
import mmap, os, struct, sys
fd = os.open(f"/sys/bus/pci/devices/{sys.argv[1]}/resource0", os.O_RDONLY | os.O_SYNC)
m = mmap.mmap(fd, 0x20000, prot=mmap.PROT_READ)
ral, rah = memoryview(m).cast("I")[0x5400 // 4 : 0x5408 // 4]
mac = struct.pack("<IH", ral, rah & 0xFFFF)
print(":".join(f"{b:02x}" for b in mac), "valid" if rah >> 31 else "invalid")' "$X")"
ip link set "$ex" down
check "rmmod rigb" rmmod rigb

ktap_finished
