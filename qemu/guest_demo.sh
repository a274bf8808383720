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
