#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench`: interleaved runs of each Rust device and its C counterpart in
# the same VM, one JSON record per measurement on stdout:
#   {"pair": "rlo/lo", "impl": "rlo", "metric": "tcp_1stream_mbps", "round": 1, "value": 953.1}
set -u
. "$RNET_TOP/selftests/lib.sh"
ROUNDS=${RNET_BENCH_ROUNDS:-3}
SECS=${RNET_BENCH_SECONDS:-3}
SRC=10.99.0.1
# Which pairs to measure (RNET_BENCH_PAIRS="rigb" for one).
want() { [[ " ${RNET_BENCH_PAIRS:-rlo rveth rigb re1000} " == *" $1 "* ]]; }

emit() { # pair impl metric round value
	printf '{"pair": "%s", "impl": "%s", "metric": "%s", "round": %s, "value": %s}\n' "$@"
}

# Each helper takes the server's and the client's command prefix (e.g. "ip netns exec b2"), so the
# same code measures within one namespace (rlo/lo) and across two (rveth/veth).
start_server() { # server-prefix addr
	$1 iperf3 -s -1 -B "$2" -D
	wait_for 10 sh -c "$1 ss -ltnu | grep -q '$2:5201'"
}

tcp_mbps() { # server-prefix client-prefix server-addr bind-addr streams
	start_server "$1" "$3"
	$2 iperf3 -c "$3" -B "$4" -t "$SECS" -P "$5" -J |
		python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6, 1))'
}

busy_ticks() { # CPU time (all CPUs, USER_HZ ticks) spent outside idle and iowait
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

# UDP 64-byte datagrams as fast as the sender can: prints the received rate (kpps) and the
# guest CPU time per sent packet in ns (both ends run in this VM, so it covers both drivers).
udp64() { # server-prefix client-prefix server-addr bind-addr
	start_server "$1" "$3"
	local t0
	t0=$(busy_ticks)
	$2 iperf3 -c "$3" -B "$4" -u -l 64 -b 0 -t "$SECS" -J >/tmp/bench-udp.json
	python3 - "$t0" "$(busy_ticks)" "$(getconf CLK_TCK)" <<'PY'
import json, sys
t0, t1, hz = map(int, sys.argv[1:])
s = json.load(open("/tmp/bench-udp.json"))["end"]["sum"]
kpps = (s["packets"] - s["lost_packets"]) / s["seconds"] / 1000
cpu_ns = (t1 - t0) * 1e9 / hz / max(s["packets"], 1)
print(round(kpps, 1), round(cpu_ns, 1))
PY
}

rtt_us() { # client-prefix bind-addr dst percentile...
	local pre=$1 src=$2 dst=$3
	shift 3
	$pre ping -c 200 -i 0.005 -q -I "$src" "$dst" >/dev/null # warm up caches and the route
	$pre ping -c 500 -i 0.002 -I "$src" "$dst" | python3 -c '
import re, sys
v = sorted(float(m.group(1)) * 1000 for m in re.finditer(r"time=([\d.]+) ms", sys.stdin.read()))
print(" ".join(str(round(v[min(len(v) - 1, int(len(v) * p / 100))], 1)) for p in map(int, sys.argv[1:])))' "$@"
}

# --- rlo vs lo: the same addresses, with and without the rule that sends them through rlo0.
if want rlo; then
insmod "$RNET_MODDIR/net/rlo.ko"
ip link set rlo0 up
ip addr add $SRC/24 dev rlo0
sysctl -qw net.ipv6.conf.rlo0.disable_ipv6=1
route_local_via rlo0 $SRC $SRC/32
use_lo() { ip rule del pref 100 2>/dev/null || true; }
use_rlo() { ip rule add pref 100 iif lo from $SRC lookup 100 2>/dev/null || true; }
for round in $(seq "$ROUNDS"); do
	for impl in lo rlo; do
		"use_$impl"
		emit rlo/lo "$impl" tcp_1stream_mbps "$round" "$(tcp_mbps "" "" $SRC $SRC 1)"
		emit rlo/lo "$impl" tcp_4stream_mbps "$round" "$(tcp_mbps "" "" $SRC $SRC 4)"
		read -r p50 p99 <<<"$(rtt_us "" $SRC $SRC 50 99)"
		emit rlo/lo "$impl" rtt_p50_us "$round" "$p50"
		emit rlo/lo "$impl" rtt_p99_us "$round" "$p99"
	done
done
route_local_reset
rmmod rlo
fi

# --- rveth vs veth: a pair between two namespaces, created anew for each run.
if want rveth; then
insmod "$RNET_MODDIR/net/rveth.ko"
insmod "$RNET_KTREE/drivers/net/veth.ko"
export IP_LIB_DIR=$RNET_MODDIR/iproute2
A=10.3.0.1 B=10.3.0.2
for round in $(seq "$ROUNDS"); do
	for kind in veth rveth; do
		ip netns add bn1
		ip netns add bn2
		ip link add bx netns bn1 type "$kind" peer name by netns bn2
		ip -n bn1 addr add $A/24 dev bx
		ip -n bn2 addr add $B/24 dev by
		ip -n bn1 link set bx up
		ip -n bn2 link set by up
		c="ip netns exec bn1" s="ip netns exec bn2"
		emit rveth/veth "$kind" tcp_1stream_mbps "$round" "$(tcp_mbps "$s" "$c" $B $A 1)"
		emit rveth/veth "$kind" tcp_4stream_mbps "$round" "$(tcp_mbps "$s" "$c" $B $A 4)"
		read -r kpps cpu <<<"$(udp64 "$s" "$c" $B $A)"
		emit rveth/veth "$kind" udp64_kpps "$round" "$kpps"
		emit rveth/veth "$kind" udp64_cpu_per_pkt_ns "$round" "$cpu"
		# The NAPI/GRO receive path: GRO on at the receiver, segmentation off at the sender so
		# GRO has MTU-sized frames to merge.
		$s ethtool -K by gro on
		$c ethtool -K bx tso off gso off
		emit rveth/veth "$kind" tcp_gro_napi_mbps "$round" "$(tcp_mbps "$s" "$c" $B $A 1)"
		$s ethtool -K by gro off
		$c ethtool -K bx tso on gso on
		read -r p50 p99 <<<"$(rtt_us "$c" $A $B 50 99)"
		emit rveth/veth "$kind" rtt_p50_us "$round" "$p50"
		emit rveth/veth "$kind" rtt_p99_us "$round" "$p99"
		ip netns del bn1
		ip netns del bn2
		sleep 1
	done
done
rmmod rveth
rmmod veth
fi

# --- rigb vs igb: the two 82576 on one QEMU hub, one of them in a namespace; both functions
# are rebound to the driver under test before each run.
PA=0000:01:00.0 PB=0000:02:00.0
if want rigb; then
insmod "$RNET_MODDIR/drivers/net/ethernet/intel/rigb/rigb.ko"
insmod "$RNET_KTREE/drivers/net/ethernet/intel/igb/igb.ko"
bind_to() { # driver
	local f cur
	for f in $PA $PB; do
		cur=$(basename "$(readlink /sys/bus/pci/devices/$f/driver 2>/dev/null)" 2>/dev/null)
		[ "$cur" = "$1" ] && continue
		[ -n "$cur" ] && echo $f >/sys/bus/pci/drivers/$cur/unbind
		echo $f >/sys/bus/pci/drivers/$1/bind
	done
}
A=10.6.0.1 B=10.6.0.2
for round in $(seq "$ROUNDS"); do
	for drv in igb rigb; do
		bind_to $drv
		na=$(ls /sys/bus/pci/devices/$PA/net/) nb=$(ls /sys/bus/pci/devices/$PB/net/)
		nic_pair_up bn2 "$na" $A/24 "$nb" $B/24
		s="ip netns exec bn2"
		emit rigb/igb "$drv" tcp_1stream_mbps "$round" "$(tcp_mbps "$s" "" $B $A 1)"
		emit rigb/igb "$drv" tcp_4stream_mbps "$round" "$(tcp_mbps "$s" "" $B $A 4)"
		read -r kpps cpu <<<"$(udp64 "$s" "" $B $A)"
		emit rigb/igb "$drv" udp64_kpps "$round" "$kpps"
		emit rigb/igb "$drv" udp64_cpu_per_pkt_ns "$round" "$cpu"
		read -r p50 p99 <<<"$(rtt_us "" $A $B 50 99)"
		emit rigb/igb "$drv" rtt_p50_us "$round" "$p50"
		emit rigb/igb "$drv" rtt_p99_us "$round" "$p99"
		ip netns del bn2
		ip addr flush dev "$na"
		sleep 1
	done
done
rmmod rigb
rmmod igb
fi

# --- re1000 vs e1000: the hub's 82540EM and 82545EM (both with ITR; qemu/vm.sh's
# re1000_extra_nics), one of them in a namespace; both rebound to the driver under test before
# each run, as for rigb.
if want re1000; then
pci_by_id() { # the Intel functions with device ID $1, except the slirp one
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x8086 ] && [ "$(cat "$d/device")" = "$1" ] &&
			[ "$(basename "$d")" != 0000:04:00.0 ] && basename "$d"
	done
	return 0
}
EA=$(pci_by_id 0x100e | head -n1) EB=$(pci_by_id 0x100f | head -n1)
# RNET_BENCH_RE1000_PARAMS: module parameters for an A/B of one setting (e.g. itr=8000).
# shellcheck disable=SC2086
insmod "$RNET_MODDIR/drivers/net/ethernet/intel/re1000/re1000.ko" ${RNET_BENCH_RE1000_PARAMS:-}
insmod "$RNET_KTREE/drivers/net/ethernet/intel/e1000/e1000.ko"
bind_e1000_to() { # driver
	local f cur
	for f in $EA $EB; do
		cur=$(basename "$(readlink /sys/bus/pci/devices/$f/driver 2>/dev/null)" 2>/dev/null)
		[ "$cur" = "$1" ] && continue
		[ -n "$cur" ] && echo $f >/sys/bus/pci/drivers/$cur/unbind
		echo $f >/sys/bus/pci/drivers/$1/bind
	done
}
A=10.7.0.1 B=10.7.0.2
for round in $(seq "$ROUNDS"); do
	for drv in e1000 re1000; do
		bind_e1000_to $drv
		na=$(ls /sys/bus/pci/devices/$EA/net/) nb=$(ls /sys/bus/pci/devices/$EB/net/)
		nic_pair_up bn3 "$na" $A/24 "$nb" $B/24
		s="ip netns exec bn3"
		emit re1000/e1000 "$drv" tcp_1stream_mbps "$round" "$(tcp_mbps "$s" "" $B $A 1)"
		emit re1000/e1000 "$drv" tcp_4stream_mbps "$round" "$(tcp_mbps "$s" "" $B $A 4)"
		read -r kpps cpu <<<"$(udp64 "$s" "" $B $A)"
		emit re1000/e1000 "$drv" udp64_kpps "$round" "$kpps"
		emit re1000/e1000 "$drv" udp64_cpu_per_pkt_ns "$round" "$cpu"
		read -r p50 p99 <<<"$(rtt_us "" $A $B 50 99)"
		emit re1000/e1000 "$drv" rtt_p50_us "$round" "$p50"
		emit re1000/e1000 "$drv" rtt_p99_us "$round" "$p99"
		ip netns del bn3
		ip addr flush dev "$na"
		sleep 1
	done
done
rmmod re1000
rmmod e1000
fi
