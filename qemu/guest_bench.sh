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

emit() { # pair impl metric round value
	printf '{"pair": "%s", "impl": "%s", "metric": "%s", "round": %s, "value": %s}\n' "$@"
}

tcp_mbps() { # server-addr bind-addr streams
	iperf3 -s -1 -B "$1" -D
	wait_for 10 sh -c "ss -ltn | grep -q '$1:5201'"
	iperf3 -c "$1" -B "$2" -t "$SECS" -P "$3" -J |
		python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6, 1))'
}

rtt_us() { # addr percentile...
	local addr=$1
	shift
	ping -c 200 -i 0.005 -q -I "$addr" "$addr" >/dev/null # warm up caches and the route
	ping -c 500 -i 0.002 -I "$addr" "$addr" | python3 -c '
import re, sys
v = sorted(float(m.group(1)) * 1000 for m in re.finditer(r"time=([\d.]+) ms", sys.stdin.read()))
print(" ".join(str(round(v[min(len(v) - 1, int(len(v) * p / 100))], 1)) for p in map(int, sys.argv[1:])))' "$@"
}

# --- rlo vs lo: the same addresses, with and without the rule that sends them through rlo0.
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
		emit rlo/lo "$impl" tcp_1stream_mbps "$round" "$(tcp_mbps $SRC $SRC 1)"
		emit rlo/lo "$impl" tcp_4stream_mbps "$round" "$(tcp_mbps $SRC $SRC 4)"
		read -r p50 p99 <<<"$(rtt_us $SRC 50 99)"
		emit rlo/lo "$impl" rtt_p50_us "$round" "$p50"
		emit rlo/lo "$impl" rtt_p99_us "$round" "$p99"
	done
done
route_local_reset
rmmod rlo
