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

# UDP 64-byte datagrams as fast as the sender can: prints the received rate (kpps), the
# guest CPU time per sent packet in ns (both ends run in this VM, so it covers both drivers)
# and the packets sent.
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
print(round(kpps, 1), round(cpu_ns, 1), s["packets"])
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

# --- XDP rows: a program on the receiving device (rigb's test programs, built on the host into
# RNET_BENCH_BPF), 60-byte UDP/IPv4 frames (64 on the wire) from trafgen on the sender for SECS:
# a packet socket, so no UDP stack on the sending side. drop: frames the program dropped;
# tx (XDP_TX) and redirect (through a devmap back out of the receiver itself): frames that made
# it back to the sender. Each as a rate (over the sending time) and guest CPU per frame.
want_xdp() { [ -r "${RNET_BENCH_BPF:-}/xdp_verdicts.bpf.o" ] && [ -r "$RNET_BENCH_BPF/xdp_redirect.bpf.o" ]; }

trafgen_conf() { # out dst-mac src-mac src-ip dst-ip dst-port
	python3 - "$@" <<'PY'
import sys
out, dmac, smac, sip, dip, port = sys.argv[1:]
mac = lambda m: ", ".join("0x" + x for x in m.split(":"))
ip = lambda a: ", ".join(a.split("."))
port = int(port)
# Ethernet, IPv4 (20 bytes, DF, TTL 64, checksum by trafgen), UDP from port 9 (no checksum),
# 18 bytes of payload.
open(out, "w").write(f"""{{
  {mac(dmac)},
  {mac(smac)},
  0x08, 0x00,
  0x45, 0, 0, 46, 0, 1, 0x40, 0, 64, 17, csumip(14, 33),
  {ip(sip)},
  {ip(dip)},
  0, 9, {port >> 8}, {port & 255}, 0, 26, 0, 0,
  fill(0x42, 18),
}}
""")
PY
}

sysstat() { $1 cat "/sys/class/net/$2/statistics/$3"; } # prefix dev counter
ethsum() { # prefix dev key: rx_queue_<n>_key of ethtool -S summed over the queues
	$1 ethtool -S "$2" | awk -v k="$3" '$1 ~ "^rx_queue_[0-9]+_" k ":$" {s += $2} END {print s + 0}'
}
ipv4_of() { $1 ip -4 -o addr show dev "$2" | awk '{split($4, a, "/"); print a[1]; exit}'; }
# veth_xdp_count VERDICT: frames by's program dropped, sent back or redirected (veth's and
# rveth's per-queue counters in ethtool -S); by sits in namespace bn2.
veth_xdp_count() {
	local key
	case $1 in drop) key=xdp_drops ;; tx) key=xdp_tx ;; redirect) key=xdp_redirect ;; esac
	ethsum "ip netns exec bn2" by $key
}
# igb_xdp_count VERDICT: dropped frames are counted as received by the receiver (both drivers,
# igb_clean_rx_irq); frames sent back, by the sender (nb, namespace bn2), across the hub.
igb_xdp_count() {
	if [ "$1" = drop ]; then sysstat "" "$na" rx_packets; else sysstat "ip netns exec bn2" "$nb" rx_packets; fi
}
le32() { printf '%d %d %d %d' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

# xdp_rate SENDER-PREFIX SENDER-DEV CONF COUNTER...: trafgen for SECS on SENDER-DEV; prints the
# rate at which COUNTER (a command printing a number) grew, in kpps over the sending time, the
# guest's busy CPU time per counted frame in ns and the frames counted.
xdp_rate() {
	local pre=$1 dev=$2 conf=$3 c0 c1 t0 t1 s0 s1
	shift 3
	c0=$("$@") t0=$(busy_ticks) s0=$(date +%s%N)
	# One sending process (-P 1), IRQ affinity left alone (-Q); in /tmp, as trafgen makes a
	# temporary file in its working directory (the guest's root is read-only).
	(cd /tmp && $pre timeout -s INT -k 5 "$SECS" trafgen --dev "$dev" --conf "$conf" -P 1 -Q -C >/tmp/bench-trafgen.log 2>&1)
	tail -n 5 /tmp/bench-trafgen.log | sed 's/^/bench: trafgen: /' >&2
	s1=$(date +%s%N)
	sleep 0.5 # the last frames' polls
	t1=$(busy_ticks) c1=$("$@")
	python3 -c '
import sys
c0, c1, t0, t1, s0, s1, hz = map(int, sys.argv[1:])
n = c1 - c0
if n <= 0:
    sys.exit("bench: the counter did not move")
print(round(n / ((s1 - s0) / 1e9) / 1000, 1), round((t1 - t0) * 1e9 / hz / n, 1), n)' \
		"$c0" "$c1" "$t0" "$t1" "$s0" "$s1" "$(getconf CLK_TCK)"
}

# xdp_run MODE RX-PREFIX RX-DEV TX-PREFIX TX-DEV COUNTER: one XDP row's run: the program for
# MODE (drop, tx or redirect) on the receiver, frames from the sender; prints xdp_rate's figures.
# COUNTER (a command taking the mode and printing a number) counts the frames the receiver's
# program dealt with that way.
xdp_run() {
	local mode=$1 rpre=$2 rdev=$3 tpre=$4 tdev=$5 counter=$6
	local conf=/tmp/bench-xdp.cfg port sec obj dmac smac sip dip
	dmac=$($rpre cat "/sys/class/net/$rdev/address") smac=$($tpre cat "/sys/class/net/$tdev/address")
	dip=$(ipv4_of "$rpre" "$rdev") sip=$(ipv4_of "$tpre" "$tdev")
	case $mode in
	drop) port=7777 sec=xdp_drop obj=xdp_verdicts ;;
	tx) port=7778 sec=xdp_tx obj=xdp_verdicts ;;
	redirect) port=7779 sec=xdp_redirect obj=xdp_redirect ;;
	esac
	trafgen_conf $conf "$dmac" "$smac" "$sip" "$dip" $port
	if ! $rpre ip link set dev "$rdev" xdpdrv obj "$RNET_BENCH_BPF/$obj.bpf.o" sec $sec; then
		echo "bench: attaching $sec to $rdev failed" >&2
		return
	fi
	# The devmap's slot 0: the receiver itself (ifindexes resolve in the caller's namespace).
	# shellcheck disable=SC2046
	[ $mode = redirect ] && $rpre bpftool map update name rigb_tx_port key 0 0 0 0 \
		value $(le32 "$($rpre cat "/sys/class/net/$rdev/ifindex")")
	xdp_rate "$tpre" "$tdev" $conf "$counter" $mode
	$rpre ip link set dev "$rdev" xdpdrv off
}

# xdp_rows PAIR IMPL ROUND RX-PREFIX RX-DEV TX-PREFIX TX-DEV COUNTER: the three XDP rows of one
# round (xdp_run's arguments).
xdp_rows() {
	local pair=$1 impl=$2 round=$3 rpre=$4 rdev=$5 tpre=$6 tdev=$7 counter=$8 mode kpps cpu
	for mode in drop tx redirect; do
		read -r kpps cpu _ <<<"$(xdp_run $mode "$rpre" "$rdev" "$tpre" "$tdev" "$counter")"
		# What else the receiver counted (errors, drops), to read a low figure by.
		echo "bench: $impl $mode round $round: $($rpre ethtool -S "$rdev" | awk '/xdp|drop|err/ && $2 > 0 {printf "%s %s ", $1, $2}')" >&2
		if [[ "$kpps" =~ ^[0-9.]+$ && "$cpu" =~ ^[0-9.]+$ ]]; then
			emit "$pair" "$impl" "xdp_${mode}_kpps" "$round" "$kpps"
			emit "$pair" "$impl" "xdp_${mode}_cpu_per_pkt_ns" "$round" "$cpu"
		else
			echo "bench: no XDP $mode figures for $impl in round $round" >&2
		fi
	done
}

# --- Profiles (RNET_BENCH_PROFILE=1): after a pair's measured rounds, one more run of a row per
# implementation under `perf record -a` (cpu-clock at PROFILE_HZ on every CPU), not counted in
# the figures: where each side spends its CPU time. Each profile goes to RNET_BENCH_PROFILE_DIR
# as <pair>_<impl>_<row>.txt (perf report: samples per object and symbol) and .packets (the
# packets of the run); qemu/profile_report.py turns them into CPU time per packet per symbol.
PROFILE_HZ=999
profiling() { [ "${RNET_BENCH_PROFILE:-0}" = 1 ] && [ -d "${RNET_BENCH_PROFILE_DIR:-}" ]; }
# The rounds of a pair: the measured ones, then "profile" when profiling.
rounds() {
	seq "$ROUNDS"
	profiling && echo profile
	return 0
}
# profile PAIR IMPL ROW COMMAND...: COMMAND runs the row and prints figures whose third field
# is the packets it sent or counted.
profile() {
	local name="${1%%/*}_$2_$3" pid figures
	shift 3
	perf record -a -e cpu-clock -F $PROFILE_HZ -o /tmp/bench-perf.data >/dev/null 2>/tmp/bench-perf.err &
	pid=$!
	sleep 2 # perf's start-up, so the run is sampled from its start
	figures=$("$@")
	kill -INT $pid
	wait $pid
	perf report -i /tmp/bench-perf.data --stdio -n --sort dso,sym 2>/dev/null >"$RNET_BENCH_PROFILE_DIR/$name.txt"
	read -r _ _ packets <<<"$figures"
	echo "${packets:-0} $PROFILE_HZ" >"$RNET_BENCH_PROFILE_DIR/$name.packets"
	echo "bench: profile $name: ${packets:-no} packets, $(grep -c . "$RNET_BENCH_PROFILE_DIR/$name.txt") report lines" >&2
}
if profiling; then
	# Kernel and module symbols for perf.
	sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
	command -v perf >/dev/null || { echo "bench: no perf in the guest: no profiles" >&2; RNET_BENCH_PROFILE=0; }
fi

# nic_rows PAIR: the rows of one measured round of a NIC pair (drv, round; the server, in
# namespace prefix s, at B; the client at A in the root namespace).
nic_rows() {
	emit "$1" "$drv" tcp_1stream_mbps "$round" "$(tcp_mbps "$s" "" $B $A 1)"
	emit "$1" "$drv" tcp_4stream_mbps "$round" "$(tcp_mbps "$s" "" $B $A 4)"
	read -r kpps cpu _ <<<"$(udp64 "$s" "" $B $A)"
	emit "$1" "$drv" udp64_kpps "$round" "$kpps"
	emit "$1" "$drv" udp64_cpu_per_pkt_ns "$round" "$cpu"
	read -r p50 p99 <<<"$(rtt_us "" $A $B 50 99)"
	emit "$1" "$drv" rtt_p50_us "$round" "$p50"
	emit "$1" "$drv" rtt_p99_us "$round" "$p99"
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
# rveth_rows: one measured round of the pair (kind, round, client and server prefixes c and s).
rveth_rows() {
	emit rveth/veth "$kind" tcp_1stream_mbps "$round" "$(tcp_mbps "$s" "$c" $B $A 1)"
	emit rveth/veth "$kind" tcp_4stream_mbps "$round" "$(tcp_mbps "$s" "$c" $B $A 4)"
	read -r kpps cpu _ <<<"$(udp64 "$s" "$c" $B $A)"
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
	if want_xdp; then
		# Frames sent back (XDP_TX, redirected into by) are received by bx, through its
		# NAPI, which an XDP_PASS program there turns on: with NAPI on through GRO only,
		# veth queues by's XDP_TX frames on bx's ring but schedules bx's NAPI only when bx
		# has a program (veth_xdp_flush), so the ring fills (256 sent, then every frame an
		# xdp_tx_error). Counted by by's own XDP counters, named alike by veth and rveth
		# (bx's rx_packets also counts by's ordinary transmissions).
		$c ip link set dev bx xdpdrv obj "$RNET_BENCH_BPF/xdp_verdicts.bpf.o" sec xdp_pass
		xdp_rows rveth/veth "$kind" "$round" "$s" by "$c" bx veth_xdp_count
		$c ip link set dev bx xdpdrv off
	fi
}
for round in $(rounds); do
	for kind in veth rveth; do
		ip netns add bn1
		ip netns add bn2
		ip link add bx netns bn1 type "$kind" peer name by netns bn2
		ip -n bn1 addr add $A/24 dev bx
		ip -n bn2 addr add $B/24 dev by
		ip -n bn1 link set bx up
		ip -n bn2 link set by up
		c="ip netns exec bn1" s="ip netns exec bn2"
		if [ "$round" = profile ]; then
			profile rveth/veth "$kind" udp64 udp64 "$s" "$c" $B $A
			if want_xdp; then
				$c ip link set dev bx xdpdrv obj "$RNET_BENCH_BPF/xdp_verdicts.bpf.o" sec xdp_pass
				profile rveth/veth "$kind" xdp_drop xdp_run drop "$s" by "$c" bx veth_xdp_count
				$c ip link set dev bx xdpdrv off
			fi
		else
			rveth_rows
		fi
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
# rigb_rows: one measured round of the pair (nic_rows, then the XDP rows on the devices na, nb).
rigb_rows() {
	nic_rows rigb/igb
	want_xdp && xdp_rows rigb/igb "$drv" "$round" "" "$na" "$s" "$nb" igb_xdp_count
}
for round in $(rounds); do
	for drv in igb rigb; do
		bind_to $drv
		na=$(ls /sys/bus/pci/devices/$PA/net/) nb=$(ls /sys/bus/pci/devices/$PB/net/)
		nic_pair_up bn2 "$na" $A/24 "$nb" $B/24
		s="ip netns exec bn2"
		if [ "$round" = profile ]; then
			profile rigb/igb "$drv" udp64 udp64 "$s" "" $B $A
			want_xdp && profile rigb/igb "$drv" xdp_drop xdp_run drop "" "$na" "$s" "$nb" igb_xdp_count
		else
			rigb_rows
		fi
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
for round in $(rounds); do
	for drv in e1000 re1000; do
		bind_e1000_to $drv
		na=$(ls /sys/bus/pci/devices/$EA/net/) nb=$(ls /sys/bus/pci/devices/$EB/net/)
		nic_pair_up bn3 "$na" $A/24 "$nb" $B/24
		s="ip netns exec bn3"
		if [ "$round" = profile ]; then
			profile re1000/e1000 "$drv" udp64 udp64 "$s" "" $B $A
		else
			nic_rows re1000/e1000
		fi
		ip netns del bn3
		ip addr flush dev "$na"
		sleep 1
	done
done
rmmod re1000
rmmod e1000
fi
