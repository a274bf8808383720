#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make run`: load each rnet module, show the devices and push traffic through
# them, printing the counters before and after.
set -u
. "$RNET_TOP/selftests/lib.sh" 2>/dev/null || true

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "guest $(uname -r), $(nproc) CPUs; NICs on the PCI bus"
lspci -nn | grep -i ethernet

step "rlo: Ethernet-type loopback (net/rlo.rs)"
run insmod "$RNET_MODDIR/net/rlo.ko"
run ip link set rlo0 up
run ip addr add 10.99.0.1/24 dev rlo0
sysctl -qw net.ipv6.conf.rlo0.disable_ipv6=1
route_local_via rlo0 10.99.0.1 10.99.0.1/32
run ip -d link show rlo0
run ethtool -i rlo0
run ip rule show
run ip route show table 100
run ip -s link show rlo0
run ping -c 5 -i 0.2 -I 10.99.0.1 10.99.0.1
run iperf3 -s -1 -B 10.99.0.1 -D
sleep 1
run iperf3 -c 10.99.0.1 -B 10.99.0.1 -t 3
run ip -s link show rlo0
route_local_reset
run rmmod rlo

step "rveth: a veth-like pair between two namespaces (net/rveth.rs)"
run insmod "$RNET_MODDIR/net/rveth.ko"
export IP_LIB_DIR=$RNET_MODDIR/iproute2
ip netns add demo1
ip netns add demo2
run ip link add h0 netns demo1 type rveth peer name c0 netns demo2
ip -n demo1 addr add 10.7.0.1/24 dev h0
ip -n demo2 addr add 10.7.0.2/24 dev c0
ip -n demo1 link set h0 up
ip -n demo2 link set c0 up
run ip -n demo1 -d link show h0
run ip netns exec demo1 ethtool -i h0
run ip netns exec demo1 ping -c 3 -i 0.2 10.7.0.2
run ip netns exec demo1 ethtool -S h0
run ip -n demo2 -s link show c0
ip netns del demo1
ip netns del demo2
run rmmod rveth

step "rigb: the two emulated 82576 on one hub (drivers/net/ethernet/intel/rigb)"
run insmod "$RNET_MODDIR/drivers/net/ethernet/intel/rigb/rigb.ko"
ea=$(ls /sys/bus/pci/devices/0000:01:00.0/net/)
eb=$(ls /sys/bus/pci/devices/0000:02:00.0/net/)
nic_pair_up demo3 "$ea" 10.8.0.1/24 "$eb" 10.8.0.2/24
run ethtool -i "$ea"
run ethtool "$ea"
run ping -c 3 -i 0.2 10.8.0.2
run ip -s link show "$ea"
grep "$ea" /proc/interrupts
ip netns del demo3
run rmmod rigb
