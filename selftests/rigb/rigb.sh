#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rigb selftests on QEMU's 82576 (-device igb): two NICs on one QEMU hub, 0000:01:00.0 and
# 0000:02:00.0. Probe/remove/rebind, link and carrier, traffic across the hub (rigb to rigb,
# and rigb to the kernel's C igb), MTU and MAC handling, unload under traffic.
set -u
. "$(dirname "$0")/../lib.sh"

KO=$RNET_MODDIR/drivers/net/ethernet/intel/rigb/rigb.ko
A=0000:01:00.0
B=0000:02:00.0

ktap_print_header
ktap_set_plan "$(grep -cE "^\s*(check|check_eq) " "$0")"

netdev_of() { ls "/sys/bus/pci/devices/$1/net/" 2>/dev/null | head -n1; }
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
nsstat() { ip netns exec rgb cat "/sys/class/net/$1/statistics/$2"; }

check "insmod rigb" insmod "$KO"
check_eq "rigb bound to $A" rigb "$(driver_of $A)"
check_eq "rigb bound to $B" rigb "$(driver_of $B)"
ea=$(netdev_of $A)
eb=$(netdev_of $B)
check "both functions have a netdev" test -n "$ea" -a -n "$eb"
check_eq "ethtool -i: driver" "driver: rigb" "$(ethtool -i "$ea" | grep '^driver:')"
check_eq "ethtool -i: bus-info is the PCI address" "bus-info: $A" "$(ethtool -i "$ea" | grep '^bus-info:')"
check_eq "MAC read from the NVM (QEMU's mac=)" 52:54:00:12:34:01 "$(cat /sys/class/net/$ea/address)"
check "interrupts allocated (MSI or INTx)" sh -c "dmesg | grep -q \"$ea: 82576 at $A\""

check_eq "carrier off before open" "Link detected: no" "$(ethtool "$ea" | grep -o 'Link detected: .*')"
ip link set "$ea" up
check "carrier on after open" wait_for 10 grep -qx 1 "/sys/class/net/$ea/carrier"
check_eq "ethtool reports 1000Mb/s" "Speed: 1000Mb/s" "$(ethtool "$ea" | grep -o 'Speed: .*')"
check_eq "MTU 1501 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/$ea/mtu 1501)"
check_eq "MTU 67 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/$ea/mtu 67)"

# --- rigb <-> rigb across the hub, one end in a namespace ---------------------------------------
ip netns add rgb
ip link set "$eb" netns rgb
ip addr add 10.5.0.1/24 dev "$ea"
ip -n rgb addr add 10.5.0.2/24 dev "$eb"
ip -n rgb link set "$eb" up
ip netns exec rgb sh -c "for i in \$(seq 50); do [ \$(cat /sys/class/net/$eb/carrier 2>/dev/null) = 1 ] && exit 0; sleep 0.2; done"
rx0=$(nsstat "$eb" rx_packets)
check "ping rigb -> rigb across the hub" ping -q -c 10 -i 0.2 -W 5 10.5.0.2
check "ping back from the namespace" ip netns exec rgb ping -q -c 5 -i 0.2 -W 5 10.5.0.1
check "receiver counted the echoes" test $(($(nsstat "$eb" rx_packets) - rx0)) -ge 15
ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2
wait_for 10 sh -c "ip netns exec rgb ss -ltn | grep -q 10.5.0.2:5201"
check "iperf3 TCP rigb -> rigb" iperf3 -c 10.5.0.2 -t 3
check "TCP moved more than 1 MB" test "$(nsstat "$eb" rx_bytes)" -gt 1000000
check "MAC change while up" ip link set "$ea" address 02:00:00:00:05:01
check "traffic after the MAC change" ping -q -c 3 -i 0.2 -W 5 10.5.0.2
ip link set "$ea" address 52:54:00:12:34:01
check "link down/up keeps working" sh -c "ip link set $ea down && ip link set $ea up && \
	for i in \$(seq 50); do [ \$(cat /sys/class/net/$ea/carrier) = 1 ] && break; sleep 0.2; done && \
	ping -q -c 3 -i 0.2 -W 5 10.5.0.2"
ip netns del rgb

# --- interop: the other NIC on the kernel's C igb ----------------------------------------------
check "unbind $B from rigb" sh -c "echo $B > /sys/bus/pci/drivers/rigb/unbind"
check "insmod the C igb" insmod "$RNET_KTREE/drivers/net/ethernet/intel/igb/igb.ko"
[ "$(driver_of $B)" = igb ] || echo $B >/sys/bus/pci/drivers/igb/bind 2>/dev/null
check_eq "$B now on igb" igb "$(driver_of $B)"
eb=$(netdev_of $B)
ip netns add rgb
ip link set "$eb" netns rgb
ip -n rgb addr add 10.5.0.2/24 dev "$eb"
ip -n rgb link set "$eb" up
ip netns exec rgb sh -c "for i in \$(seq 50); do [ \$(cat /sys/class/net/$eb/carrier 2>/dev/null) = 1 ] && exit 0; sleep 0.2; done"
check "ping rigb -> C igb" ping -q -c 5 -i 0.2 -W 5 10.5.0.2
ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2
wait_for 10 sh -c "ip netns exec rgb ss -ltn | grep -q 10.5.0.2:5201"
check "iperf3 TCP rigb -> C igb" iperf3 -c 10.5.0.2 -t 2
ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2
wait_for 10 sh -c "ip netns exec rgb ss -ltn | grep -q 10.5.0.2:5201"
check "iperf3 TCP C igb -> rigb (reverse)" iperf3 -c 10.5.0.2 -t 2 -R
ip netns del rgb
rmmod igb

# --- unload under traffic, reload ---------------------------------------------------------------
ping -q -f 10.5.0.2 >/dev/null 2>&1 &
flood=$!
sleep 1
check "rmmod rigb with traffic running" rmmod rigb
kill $flood 2>/dev/null
wait $flood 2>/dev/null
check "no netdev left on $A" test -z "$(netdev_of $A)"
check "insmod rigb again binds both functions" sh -c "insmod $KO && [ \$(basename \$(readlink /sys/bus/pci/devices/$A/driver)) = rigb ] && [ \$(basename \$(readlink /sys/bus/pci/devices/$B/driver)) = rigb ]"
check "rmmod rigb" rmmod rigb

ktap_finished
