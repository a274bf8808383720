#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rigb on a kernel booted with pci=nomsi: the driver asks for MSI-X (its default), gets
# neither MSI-X nor MSI and must fall back to the shared INTx line, with one queue pair;
# traffic and the offline self-test (its interrupt test included) must work there.
set -u
. "$(dirname "$0")/../lib.sh"

KO=$RNET_MODDIR/drivers/net/ethernet/intel/rigb/rigb.ko
A=0000:01:00.0
B=0000:02:00.0

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
check "rmmod rigb" rmmod rigb

ktap_finished
