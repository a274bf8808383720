#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rigb selftests on QEMU's 82576 (-device igb): two NICs on one QEMU hub (0000:01:00.0 and
# 0000:02:00.0, the second moved into a namespace) and a third on slirp (0000:03:00.0).
# Probe/remove/rebind (DMA mask, function disabled on unbind), link and carrier, MSI-X and
# multiqueue, traffic across the hub (rigb to rigb, and rigb to the kernel's C igb), offloads,
# jumbo frames, filtering, every ethtool query, bad parameters, a transmit timeout and its reset,
# MSI and INTx mode, unload under traffic.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

KO=${RNET_MODDIR:-}/drivers/net/ethernet/intel/rigb/rigb.ko
A=0000:01:00.0
B=0000:02:00.0
S=0000:03:00.0

require_rnet_module "$KO"
require_ynl
require "needs 82576 NICs at $A and $B on one link (QEMU: -device igb, see qemu/vm.sh)" is_82576 $A $B
ktap_print_header
# Every check line runs once, except the three in the interrupt-mode loop, which run twice.
ktap_set_plan "$(($(grep -cE "^\s*(check|check_eq) " "$0") + 4 + $(checks_in check_copper_link_modes)))"

netdev_of() { ls "/sys/bus/pci/devices/$1/net/" 2>/dev/null | head -n1; }
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
devstat() { cat "/sys/class/net/$1/statistics/$2"; }
nsstat() { ip netns exec rgb cat "/sys/class/net/$1/statistics/$2"; }
estat() { ethtool -S "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
nsestat() { ip netns exec rgb ethtool -S "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
# Sum of a per-queue ethtool -S counter over all queues.
qsum() { ethtool -S "$1" | awk -v k="$2" '$1 ~ "^"k {s += $2} END {print s + 0}'; }
iperf_to() { # iperf_to SECONDS|BYTES ARGS...: a TCP run to the namespace's server, timed or
	local len=(-t "$1") # of a fixed size (a number with a K/M suffix)
	[[ $1 == *[KM] ]] && len=(-n "$1")
	shift
	ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2 >/dev/null
	wait_for 10 sh -c "ip netns exec rgb ss -ltn | grep -q 10.5.0.2:5201"
	iperf3 -c 10.5.0.2 "${len[@]}" "$@" >/dev/null
}
# A counter of the Tcp line of /proc/net/snmp in the namespace.
ns_tcp_stat() {
	ip netns exec rgb awk -v k="$1" '/^Tcp:/ && n++ {print $f[k]} /^Tcp:/ {for (i = 1; i <= NF; i++) f[$i] = i}' /proc/net/snmp
}
# Writes a 32-bit register of a function's BAR0 (as a misbehaving device would look).
bar0_write() {
	python3 - "$1" "$2" "$3" <<'PY'
import mmap, os, struct, sys
dev, off, val = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
fd = os.open(f"/sys/bus/pci/devices/{dev}/resource0", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 0x20000)
memoryview(m).cast("I")[off // 4] = val
PY
}
# A function's enable count and bus master bit (COMMAND bit 2), as "ENABLE MASTER".
pci_state() { echo "$(cat "/sys/bus/pci/devices/$1/enable") $((0x$(setpci -s "$1" COMMAND) >> 2 & 1))"; }
dma_bits() { echo "$(cat "/sys/bus/pci/devices/$1/dma_mask_bits") $(cat "/sys/bus/pci/devices/$1/consistent_dma_mask_bits")"; }

dma0=$(dma_bits $A)
check "insmod rigb" insmod "$KO"
# The receive descriptor parsing, as a pure function fed impossible write-backs (rx.rs).
check_kunit_suite rigb_rx_desc
check_eq "rigb bound to $A" rigb "$(driver_of $A)"
check_eq "rigb bound to $B" rigb "$(driver_of $B)"
check_eq "DMA masks (streaming, coherent) of $A: 32 bits before probe, 64 after" "32 32 64 64" "$dma0 $(dma_bits $A)"
ea=$(netdev_of $A)
eb=$(netdev_of $B)
es=$(netdev_of $S)
check "every function has a netdev" test -n "$ea" -a -n "$eb" -a -n "$es"
check_eq "ethtool -i: driver" "driver: rigb" "$(ethtool -i "$ea" | grep '^driver:')"
check_eq "ethtool -i: bus-info is the PCI address" "bus-info: $A" "$(ethtool -i "$ea" | grep '^bus-info:')"
check "ethtool -i: self-test, register dump and NVM announced" sh -c "ethtool -i $ea | grep -q 'supports-test: yes' && \
	ethtool -i $ea | grep -q 'supports-register-dump: yes' && ethtool -i $ea | grep -q 'supports-eeprom-access: yes'"
check_eq "MAC read from the NVM (QEMU's mac=)" 52:54:00:12:34:01 "$(cat /sys/class/net/$ea/address)"
check "MSI-X with 2 queue pairs (2 CPUs)" sh -c "dmesg | grep -q \"$ea: 82576 at $A, .*MSI-X interrupts, 2 queue pairs\""
check_eq "ethtool -e: the MAC is in NVM words 0-2" "52 54 00 12 34 01" \
	"$(ethtool -e "$ea" offset 0 length 6 | awk '/^0x0000:/ {print $2, $3, $4, $5, $6, $7}')"
check_eq "ethtool -e beyond the 2 KiB NVM refused" EINVAL "$(ethtool_errno ethtool -e "$ea" offset 2048 length 2)"

check_eq "carrier off before open" "Link detected: no" "$(ethtool "$ea" | grep -o 'Link detected: .*')"
ip link set "$ea" up
check "carrier on after open" wait_carrier "$ea"
check "one vector per queue pair plus one for link" sh -c "grep -q '$ea-other0' /proc/interrupts && \
	grep -q '$ea-TxRx-1' /proc/interrupts && grep -q '$ea-TxRx-2' /proc/interrupts"
check_eq "ethtool reports 1000Mb/s" "Speed: 1000Mb/s" "$(ethtool "$ea" | grep -o 'Speed: .*')"
check_eq "ethtool reports full duplex" "Duplex: Full" "$(ethtool "$ea" | grep -o 'Duplex: .*')"
check_eq "MTU 9199 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/$ea/mtu 9199)"
check_eq "MTU 67 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/$ea/mtu 67)"
check "ethtool -k: checksum, SG, TSO and receive hashing on" sh -c "ethtool -k $ea > /tmp/rigb.k && \
	grep -q 'tx-checksumming: on' /tmp/rigb.k && grep -q 'scatter-gather: on' /tmp/rigb.k && \
	grep -q 'tcp-segmentation-offload: on' /tmp/rigb.k && grep -q 'rx-checksumming: on' /tmp/rigb.k && \
	grep -q 'receive-hashing: on' /tmp/rigb.k"

# --- rigb <-> rigb across the hub, one end in a namespace ---------------------------------------
nic_pair_up rgb "$ea" 10.5.0.1/24 "$eb" 10.5.0.2/24
ip addr add fc00:5::1/64 dev "$ea" nodad
ip -n rgb addr add fc00:5::2/64 dev "$eb" nodad
rx0=$(nsstat "$eb" rx_packets)
check "ping rigb -> rigb across the hub" ping -q -c 10 -i 0.2 -W 5 10.5.0.2
check "ping back from the namespace" ip netns exec rgb ping -q -c 5 -i 0.2 -W 5 10.5.0.1
check "receiver counted the echoes" test $(($(nsstat "$eb" rx_packets) - rx0)) -ge 15
check "IPv6 ping across the hub" ping -6 -q -c 5 -i 0.2 -W 5 fc00:5::2
tso0=$(qsum "$ea" 'tx_queue_._tso')
rxb0=$(nsstat "$eb" rx_bytes)
# A fixed transfer, not a timed one: under a loaded host a few seconds may move little. Not all
# of it need reach the wire: the one-shot server exits when the client reports the end, and its
# reset discards what the client's socket still held (once a tenth, under TCG). Half is a clear pass.
check "iperf3 TCP rigb -> rigb (8 MiB)" iperf_to 8M
rxb=$(($(nsstat "$eb" rx_bytes) - rxb0))
echo "# the receiver counted $rxb bytes"
check "the receiver counted more than 4 MiB" test "$rxb" -gt 4194304
check "TSO used: tso counters moved" test "$(qsum "$ea" 'tx_queue_._tso')" -gt "$tso0"
check_eq "no receive checksum errors" 0 "$(ip netns exec rgb ethtool -S "$eb" | awk '/csum_err/ {s += $2} END {print s + 0}')"
check "iperf3 TCP over IPv6" sh -c "ip netns exec rgb iperf3 -s -1 -D -B fc00:5::2 >/dev/null; sleep 1; iperf3 -6 -c fc00:5::2 -t 2 >/dev/null"
# RSS: 8 TCP streams (their hashes spread over both queues) must each move both queues' counters.
# iperf3 itself can fail on a loaded TCG host (its server resets a slow test's streams): the
# traffic is what counts, so a failed run is reported and tried once more.
rx_queue_packets() { ip netns exec rgb ethtool -S "$eb" | awk -v q="rx_queue_$1_packets:" '$1 == q {print $2}'; }
rss_traffic() {
	local try
	for try in 1 2; do
		ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2 --logfile /tmp/rigb-iperf3-server.log
		wait_for 10 sh -c "ip netns exec rgb ss -ltn | grep -q 10.5.0.2:5201"
		iperf3 -c 10.5.0.2 -t 2 -P 8 >/tmp/rigb-iperf3-client.log 2>&1 && return 0
		ktap_print_msg "iperf3 -P 8 failed (try $try): $(tail -n 1 /tmp/rigb-iperf3-client.log)"
		tail -n 4 /tmp/rigb-iperf3-server.log | sed 's/^/# server: /'
		# Why a 2 s run can last far longer: retransmission timeouts, drops at either end.
		nstat -az TcpRetransSegs TcpExtTCPTimeouts | sed 's/^/# sender: /'
		for side in "" "ip netns exec rgb"; do
			$side ethtool -S "$([ -z "$side" ] && echo "$ea" || echo "$eb")" |
				awk '/drop|miss|err|fail|no_buf/ && $2 > 0' | sed 's/^/# nonzero: /'
		done
		pkill -f "iperf3 -s -1 -D -B 10.5.0.2" 2>/dev/null
		sleep 1
	done
	return 1
}
rxq0=$(rx_queue_packets 0) rxq1=$(rx_queue_packets 1)
rss_traffic
rxq0=$(($(rx_queue_packets 0) - rxq0)) rxq1=$(($(rx_queue_packets 1) - rxq1))
ktap_print_msg "8 streams: $rxq0 packets on rx queue 0, $rxq1 on rx queue 1"
check "8 streams spread over both receive queues (RSS)" test "$rxq0" -gt 100 -a "$rxq1" -gt 100
check "netdev netlink: queues linked to their NAPI instances" sh -c "$YNL --dump queue-get \
	--json '{\"ifindex\": $(cat /sys/class/net/$ea/ifindex)}' | python3 -c '
import ast, sys
rows = ast.literal_eval(sys.stdin.read())
sys.exit(0 if len(rows) == 4 and all(r.get(\"napi-id\", 0) > 0 for r in rows) else 1)'"
check "netdev netlink qstats: per-queue rx packets" sh -c "ip netns exec rgb $YNL --dump qstats-get \
	--json '{\"scope\": \"queue\"}' | python3 -c '
import ast, sys
rows = [r for r in ast.literal_eval(sys.stdin.read()) if r[\"queue-type\"] == \"rx\"]
sys.exit(0 if len(rows) == 2 and all(r[\"rx-packets\"] > 0 for r in rows) else 1)'"
check "netdev netlink: each NAPI instance reports its MSI-X vector" sh -c "$YNL --dump napi-get \
	--json '{\"ifindex\": $(cat /sys/class/net/$ea/ifindex)}' | python3 -c '
import ast, sys
rows = ast.literal_eval(sys.stdin.read())
names = {l.split(\":\")[0].strip(): l.split()[-1] for l in open(\"/proc/interrupts\") if \"$ea-TxRx-\" in l}
sys.exit(0 if len(rows) == 2 and all(names.get(str(r.get(\"irq\")), \"\").startswith(\"$ea-TxRx-\") for r in rows) else 1)'"

# RSS settings (rss.rs): the redirection table and key as ethtool shows and sets them, checked
# against where the receiver's traffic lands.
rss_table() { ip netns exec rgb ethtool -x "$eb" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) print $i}'; }
rss_key() { ip netns exec rgb ethtool -x "$eb" | awk '/^RSS hash key:/ {getline; print}'; }
check_eq "ethtool -x: 128 entries over queues 0 and 1" "128 0,1" "$(rss_table | wc -l) $(rss_table | sort -un | paste -sd,)"
check_eq "ethtool -x: a 40-byte Toeplitz key" "40 on" "$(rss_key | tr ':' '\n' | grep -c .) $(ip netns exec rgb ethtool -x "$eb" | awk '/toeplitz:/ {print $2}')"
check "ethtool -X equal 1: every entry queue 0" sh -c "ip netns exec rgb ethtool -X $eb equal 1 &&
	test \"\$(ip netns exec rgb ethtool -x $eb | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) print \$i}' | sort -u)\" = 0"
rxq1=$(rx_queue_packets 1)
rss_traffic
check_eq "8 streams with the table on queue 0: none on rx queue 1" 0 "$(($(rx_queue_packets 1) - rxq1))"
check_eq "ethtool -L combined 1 refused while the table uses queue 1" EINVAL \
	"$(ip netns exec rgb ethtool -X "$eb" weight 0 1 >/dev/null && ethtool_errno ip netns exec rgb ethtool -L "$eb" combined 1)"
check "ethtool -X default: the table over both queues again" sh -c "ip netns exec rgb ethtool -X $eb default &&
	test \"\$(ip netns exec rgb ethtool -x $eb | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) print \$i}' | sort -un | paste -sd,)\" = 0,1"
new_key=$(seq 1 40 | awk '{printf "%s%02x", (NR > 1 ? ":" : ""), $1}')
old_key=$(rss_key)
ip netns exec rgb ethtool -X "$eb" hkey "$new_key"
check_eq "ethtool -X hkey: the key reads back" "$new_key" "$(rss_key)"
ip netns exec rgb ethtool -X "$eb" hkey "$old_key"
check_eq "ethtool -X hfunc xor refused" EOPNOTSUPP "$(ethtool_errno ip netns exec rgb ethtool -X "$eb" hfunc xor)"
rx_flow_hash() { ip netns exec rgb ethtool -n "$eb" rx-flow-hash "$1" | grep -c -e 'IP SA' -e 'IP DA' -e 'L4 bytes'; }
check_eq "rx-flow-hash: tcp4 addresses and ports, udp4 addresses" "4 2" "$(rx_flow_hash tcp4) $(rx_flow_hash udp4)"
check "rx-flow-hash udp4 sdfn: UDP ports hashed too" sh -c "ip netns exec rgb ethtool -N $eb rx-flow-hash udp4 sdfn &&
	test \"\$(ip netns exec rgb ethtool -n $eb rx-flow-hash udp4 | grep -c 'L4 bytes')\" = 2 &&
	ip netns exec rgb ethtool -N $eb rx-flow-hash udp4 sd"
# (ethtool 6.1 exits 0 when -N rx-flow-hash fails: the errno is read from its message.)
check "rx-flow-hash tcp4 without ports refused with EINVAL" sh -c "ip netns exec rgb ethtool -N $eb rx-flow-hash tcp4 sd 2>&1 |
	grep -q 'Invalid argument' && ip netns exec rgb ethtool -n $eb rx-flow-hash tcp4 | grep -q 'L4 bytes 0 & 1'"

# Receive buffer allocation failures, injected as the kernel's pp_alloc_fail.py does
# (fail_function on page_pool_alloc_netmems, here every 8th call while TCP runs), are counted
# per queue (ethtool -S) and for the device (netlink rx-alloc-fail, which the device total only
# reports because the base statistics set it), and receiving goes on once allocations succeed.
rx_alloc_fail() {
	ip netns exec rgb $YNL --dump qstats-get \
		--json "{\"ifindex\": $(ip netns exec rgb cat "/sys/class/net/$eb/ifindex")}" |
		python3 -c 'import ast, sys; print(ast.literal_eval(sys.stdin.read())[0].get("rx-alloc-fail", -1))'
}
ns_alloc_failed() { ip netns exec rgb ethtool -S "$eb" | awk '/_alloc_failed:/ {s += $2} END {print s + 0}'; }
fail0=$(rx_alloc_fail)
qfail0=$(ns_alloc_failed)
check "netdev netlink qstats: the device total reports rx-alloc-fail" test "$fail0" -ge 0
function_faults page_pool_alloc_netmems 0 8 iperf_to 2
check "page-pool allocation failures counted in rx-alloc-fail" test "$(rx_alloc_fail)" -gt "$fail0"
check "and in the queues' alloc_failed (ethtool -S)" test "$(ns_alloc_failed)" -gt "$qfail0"
check "TCP is received again after the allocation failures" iperf_to 2
# Every allocation failing while pings flood in drains the ring: the slots left without a buffer
# keep their last write-back (DD set) and must not be read as new frames once the ring drains up
# to them; receiving resumes when allocations succeed (the watchdog's software interrupt polls).
function_faults page_pool_alloc_netmems 0 1 ping -q -f -c 2000 -W 1 10.5.0.2 >/dev/null 2>&1
check "receiving resumes after every allocation failed" iperf_to 2
check "no empty slot taken for a received frame" sh -c "! dmesg | grep -q 'receive descriptor done without a buffer'"

# Streaming DMA mapping failures (lib.sh dma_map_faults: every 8th mapping failing while TCP
# runs): a frame whose mapping fails is dropped and counted (tx_dropped), none of it stays
# mapped (DMA-API debugging checks at unload) and sending goes on once mappings succeed.
check "the kernel has the DMA mapping fault point ($RNET_DMA_FAULT)" dma_map_fault_point
txd0=$(cat "/sys/class/net/$ea/statistics/tx_dropped")
dma_map_faults 8 iperf_to 2 >/dev/null 2>&1
check "DMA mapping failures in xmit dropped and counted (tx_dropped)" \
	test "$(cat "/sys/class/net/$ea/statistics/tx_dropped")" -gt "$txd0"
check "TCP is sent again after the mapping failures" iperf_to 2

# Offloads off: the stack checksums and segments; traffic must still flow.
ethtool -K "$ea" tso off tx off >/dev/null
tso0=$(qsum "$ea" 'tx_queue_._tso')
csum0=$(qsum "$ea" 'tx_queue_._csum')
check "iperf3 with TSO and checksum offload off" iperf_to 2
check "no TSO or checksum offload used while off" test "$(qsum "$ea" 'tx_queue_._tso')" = "$tso0" -a "$(qsum "$ea" 'tx_queue_._csum')" = "$csum0"
ethtool -K "$ea" tso on tx on >/dev/null
check "iperf3 with offloads back on uses TSO" sh -c "t=\$(ethtool -S $ea | awk '/tso:/ {s += \$2} END {print s}'); \
	ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2 >/dev/null; sleep 1; iperf3 -c 10.5.0.2 -t 2 >/dev/null; \
	[ \$(ethtool -S $ea | awk '/tso:/ {s += \$2} END {print s}') -gt \$t ]"

check "BQL: a queue's byte limit grew under traffic" sh -c "cat /sys/class/net/$ea/queues/tx-*/byte_queue_limits/limit | grep -qv '^0$'"

# Counters of both ends agree (all multicast accepted so nothing is filtered in between).
ip -n rgb link set "$eb" allmulticast on
sleep 1
tx0=$(devstat "$ea" tx_packets)
rx0=$(nsstat "$eb" rx_packets)
htx0=$(estat "$ea" tx_packets)
hrx0=$(nsestat "$eb" rx_packets)
ping -q -c 100 -i 0.01 -W 5 10.5.0.2 >/dev/null
# Frames still on their way (interrupt moderation delays the receiver) are waited for.
same_delta() {
	[ $(($(devstat "$ea" tx_packets) - tx0)) = $(($(nsstat "$eb" rx_packets) - rx0)) ]
}
wait_for 5 same_delta
check_eq "sent = received (driver counters)" $(($(devstat "$ea" tx_packets) - tx0)) $(($(nsstat "$eb" rx_packets) - rx0))
same_hw_delta() {
	[ $(($(estat "$ea" tx_packets) - htx0)) = $(($(nsestat "$eb" rx_packets) - hrx0)) ]
}
wait_for 5 same_hw_delta
check_eq "sent = received (hardware counters, ethtool -S)" $(($(estat "$ea" tx_packets) - htx0)) $(($(nsestat "$eb" rx_packets) - hrx0))
ip -n rgb link set "$eb" allmulticast off

# Unicast filter: frames to an address that is not ours are dropped by the device unless
# promiscuous.
ip -n rgb neigh replace 10.5.0.1 lladdr 02:00:00:00:05:99 dev "$eb"
rx0=$(devstat "$ea" rx_packets)
ip netns exec rgb ping -q -c 5 -i 0.1 -W 1 10.5.0.1 >/dev/null 2>&1
check "frames to a foreign MAC filtered" test $(($(devstat "$ea" rx_packets) - rx0)) -lt 5
ip link set "$ea" promisc on
rx0=$(devstat "$ea" rx_packets)
ip netns exec rgb ping -q -c 5 -i 0.1 -W 1 10.5.0.1 >/dev/null 2>&1
check "promiscuous mode receives them" test $(($(devstat "$ea" rx_packets) - rx0)) -ge 5
ip link set "$ea" promisc off
ip -n rgb neigh del 10.5.0.1 dev "$eb"
# Multicast: a joined group's frames pass the hash filter.
ip addr add 239.1.2.3/32 dev "$ea" autojoin
rx0=$(devstat "$ea" rx_packets)
ip netns exec rgb sh -c "ip route add 239.0.0.0/8 dev $eb; ping -q -c 5 -i 0.1 -W 1 -t 1 239.1.2.3 >/dev/null 2>&1"
check "multicast to a joined group received" test $(($(devstat "$ea" rx_packets) - rx0)) -ge 5
ip addr del 239.1.2.3/32 dev "$ea"

# --- ethtool: channels, rings, coalescing, dumps, pause ---------------------------------------
check_eq "ethtool -l: 2 combined channels" "2 2" "$(ethtool -l "$ea" | awk '/^Combined:/ {printf "%s ", $2}' | sed 's/ $//')"
check_eq "ethtool -L combined 3 refused" EINVAL "$(ethtool_errno ethtool -L "$ea" combined 3)"
check_eq "ethtool -L rx 1 refused" EINVAL "$(ethtool_errno ethtool -L "$ea" rx 1)"
# The device totals keep what the removed queues counted: they never go backwards across -L or
# -G (C igb's do, after every -L, as issue 15's churn probe saw).
counters() { devstat "$1" rx_packets; devstat "$1" tx_packets; devstat "$1" rx_bytes; devstat "$1" tx_bytes; }
not_below() { # "earlier values" "later values"
	local a=($1) b=($2) i
	for i in "${!a[@]}"; do
		[ "${b[$i]}" -ge "${a[$i]}" ] || { ktap_print_msg "counter $i went from ${a[$i]} to ${b[$i]}"; return 1; }
	done
}
iperf_to 8 >/dev/null 2>&1 &
traffic=$!
sleep 2
cnt0=$(counters "$ea")
check "ethtool -L combined 1 under traffic" ethtool -L "$ea" combined 1
cnt1=$(counters "$ea")
check "ethtool -G rx 512 tx 128 under traffic" ethtool -G "$ea" rx 512 tx 128
wait $traffic
check_eq "ethtool -g shows the new sizes" "512 128" "$(ethtool -g "$ea" | awk '/^Current/ {c = 1} c && /^RX:/ {r = $2} c && /^TX:/ {t = $2} END {print r, t}')"
check_eq "one queue: one TxRx vector left" 1 "$(grep -c "$ea-TxRx" /proc/interrupts)"
check "traffic after the channel and ring changes" iperf_to 2
check "ethtool -L combined 2 and -G back to 256" sh -c "ethtool -L $ea combined 2 && ethtool -G $ea rx 256 tx 256"
counters_monotonic() { not_below "$cnt0" "$cnt1" && not_below "$cnt1" "$(counters "$ea")"; }
check "device counters never went backwards across -L 1, -G, -L 2" counters_monotonic
check_eq "ethtool -G rx 8192 refused" EINVAL "$(ethtool_errno ethtool -G "$ea" rx 8192)"
check_eq "ethtool -G rx 100 (not a multiple of 8) refused" EINVAL "$(ethtool_errno ethtool -G "$ea" rx 100)"
check_eq "ethtool -G tx 32 (below 64) refused" EINVAL "$(ethtool_errno ethtool -G "$ea" tx 32)"
check "refusals logged" sh -c "dmesg | grep -q 'ring size 100 invalid'"
check_eq "ethtool -c: adaptive moderation by default (rx-usecs 3, as igb)" "rx-usecs: 3" "$(ethtool -c "$ea" | grep '^rx-usecs:')"
# Sampled while bulk traffic runs: afterwards a few small frames bring it back to the floor.
eitr_above_floor() { # the larger queue-vector EITR interval exceeds the 50 us floor (196)
	ethtool -d "$ea" raw on | python3 -c '
import struct, sys
d = sys.stdin.buffer.read()
eitr = struct.unpack_from("<5I", d, 4 * 23)[1:3]
sys.exit(0 if max(v & 0x7FFC for v in eitr) > 196 else 1)'
}
iperf_to 4 >/dev/null 2>&1 &
traffic=$!
raised=no
for _ in $(seq 8); do
	sleep 0.5
	eitr_above_floor && raised=yes && break
done
wait $traffic
check_eq "adaptive moderation raised the interval under bulk traffic" yes "$raised"
check "ethtool -C rx-usecs 50" ethtool -C "$ea" rx-usecs 50
check_eq "ethtool -c shows it" "rx-usecs: 50" "$(ethtool -c "$ea" | grep '^rx-usecs:')"
check "traffic with interrupt moderation" ping -q -c 5 -i 0.1 -W 5 10.5.0.2
ethtool -C "$ea" rx-usecs 3
check_eq "ethtool -C rx-usecs 20000 refused" EINVAL "$(ethtool_errno ethtool -C "$ea" rx-usecs 20000)"
check_eq "ethtool -C tx-usecs refused (one vector per queue pair)" EINVAL "$(ethtool_errno ethtool -C "$ea" tx-usecs 10)"
check "ethtool -d dumps the registers" sh -c "[ \$(ethtool -d $ea raw on | wc -c) -gt 1000 ]"
check "ethtool -a: pause autonegotiated" sh -c "ethtool -a $ea | grep -q 'Autonegotiate:.*on'"
check "ethtool -A rx on tx on" sh -c "ethtool -A $ea rx on tx on && ethtool -a $ea | grep -q 'RX:.*on'"
check_eq "ethtool -A autoneg off refused" EINVAL "$(ethtool_errno ethtool -A "$ea" autoneg off)"
check "ethtool -I -a: pause frame statistics" sh -c "ethtool -I -a $ea | grep -q 'rx_pause_frames: 0'"
check "ethtool -S: hardware and per-queue counters" sh -c "ethtool -S $ea | grep -q rx_crc_errors && \
	ethtool -S $ea | grep -q tx_queue_1_packets"

check "ethtool -s speed 100 duplex full autoneg off" sh -c "ethtool -s $ea speed 100 duplex full autoneg off && \
	ethtool $ea | grep -q 'Speed: 100Mb/s' && ethtool $ea | grep -q 'Auto-negotiation: off'"
check_eq "ethtool -s speed 1000 duplex half refused" EINVAL "$(ethtool_errno ethtool -s "$ea" speed 1000 duplex half autoneg off)"
check "ethtool -s autoneg on: back to 1000Mb/s" sh -c "ethtool -s $ea autoneg on && sleep 2 && \
	ethtool $ea | grep -q 'Speed: 1000Mb/s' && ethtool $ea | grep -q 'Auto-negotiation: on'"
wait_carrier "$ea"
check_copper_link_modes "$ea"

# --- jumbo frames ------------------------------------------------------------------------------
check "MTU 9000 on both ends" sh -c "ip link set $ea mtu 9000 && ip -n rgb link set $eb mtu 9000"
wait_carrier "$eb" rgb
wait_carrier "$ea"
check "8972-byte ping, do not fragment" ping -q -c 3 -i 0.2 -W 5 -M "do" -s 8972 10.5.0.2
check "iperf3 TCP at MTU 9000" iperf_to 2
ip link set "$ea" mtu 1500
ip -n rgb link set "$eb" mtu 1500

# --- self-tests --------------------------------------------------------------------------------
wait_carrier "$ea"
check "ethtool -t online passes" sh -c "ethtool -t $ea online | grep -q 'result is PASS'"
check "ethtool -t offline passes (registers, NVM, interrupt, loopback, link)" sh -c "ethtool -t $ea offline > /tmp/rigb.t; \
	cat /tmp/rigb.t; grep -q 'result is PASS' /tmp/rigb.t"
wait_carrier "$ea"
check "traffic after the self-test" ping -q -c 3 -i 0.2 -W 5 10.5.0.2

# --- MAC change, link flap ---------------------------------------------------------------------
check "MAC change while up" ip link set "$ea" address 02:00:00:00:05:01
check "traffic after the MAC change" ping -q -c 3 -i 0.2 -W 5 10.5.0.2
ip link set "$ea" address 52:54:00:12:34:01
check "link down/up keeps working" sh -c "ip link set $ea down && ip link set $ea up && \
	for i in \$(seq 50); do [ \$(cat /sys/class/net/$ea/carrier) = 1 ] && break; sleep 0.2; done && \
	ping -q -c 3 -i 0.2 -W 5 10.5.0.2"

# --- a bring-up failing part-way releases what it got ------------------------------------------
# failslab's per-task fail-nth fails the N-th slab allocation of one bring-up, for N = 1, 2, ...
# until a bring-up reaches none; fault_walk.py (which sets failslab up and back) checks
# /proc/interrupts after each failure. One queue pair and the smallest rings keep the walk short;
# MSI-X still requests two handlers, so failures fall before, between and after them.
ip link set "$ea" down
ethtool -L "$ea" combined 1
ethtool -G "$ea" rx 64 tx 64
check "bring-up failing at each allocation in turn leaves no handler behind" \
	python3 "$(dirname "$0")/../fault_walk.py" up "$ea"
ip link set "$ea" down
ethtool -L "$ea" combined 2
ethtool -G "$ea" rx 256 tx 256
ip link set "$ea" up
wait_carrier "$ea"
check "traffic after the failed bring-ups" ping -q -c 3 -i 0.2 -W 5 10.5.0.2

# --- a transmit queue that stops: the stack's watchdog calls tx_timeout, the driver resets ----
ping -q -c 3 -i 0.2 10.5.0.2 >/dev/null
for q in 0 1; do bar0_write "$A" $((0xE028 + 0x40 * q)) 0; done
# Enough datagrams to fill the ring (the device no longer completes any), for 12 s.
python3 - <<'PY'
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
end = time.time() + 12
while time.time() < end:
    try:
        s.sendto(b"x" * 100, ("10.5.0.2", 9))
    except OSError:
        time.sleep(0.01)
PY
check "transmit timeout reported" sh -c "dmesg | grep -q '$ea: transmit queue .* timed out'"
check "reset after the timeout" sh -c "dmesg | grep -q '$ea: resetting after a transmit timeout'"
wait_carrier "$ea"
check "traffic flows again after the reset" ping -q -c 3 -i 0.2 -W 5 10.5.0.2
check "tx_timeout_count counted" test "$(estat "$ea" tx_timeout_count)" -ge 1
ip netns del rgb

# --- slirp: a stack nobody here wrote -----------------------------------------------------------
ip link set "$es" up
ip addr add 10.0.2.15/24 dev "$es"
wait_carrier "$es"
check "ping slirp's gateway 10.0.2.2" ping -q -c 3 -i 0.2 -W 5 10.0.2.2
ip link set "$es" down

# --- interop: the other NIC on the kernel's C igb ----------------------------------------------
check_eq "$B while bound: enabled, bus master" "1 1" "$(pci_state $B)"
check "unbind $B from rigb" sh -c "echo $B > /sys/bus/pci/drivers/rigb/unbind"
check_eq "unbind disabled $B and cleared bus mastering" "0 0" "$(pci_state $B)"
check "load the C igb" kernel_module igb drivers/net/ethernet/intel/igb/igb.ko
[ "$(driver_of $B)" = igb ] || echo $B >/sys/bus/pci/drivers/igb/bind 2>/dev/null
check_eq "$B now on igb" igb "$(driver_of $B)"
eb=$(netdev_of $B)
ip addr flush dev "$ea"
nic_pair_up rgb "$ea" 10.5.0.1/24 "$eb" 10.5.0.2/24
check "ping rigb -> C igb" ping -q -c 5 -i 0.2 -W 5 10.5.0.2
check "iperf3 TCP rigb -> C igb" iperf_to 2
check "iperf3 TCP C igb -> rigb (reverse)" iperf_to 2 -R
# Many-fragment TSO frames through the smallest transmit ring: sendfile() hands TCP page-cache
# pages, so a 64 KiB TSO frame carries 16 page fragments (about 20 descriptors), and the
# 64-descriptor ring, stopped below 21 free, runs full again and again. (TCP sizes TSO frames
# for about 1 ms at its pacing rate, a few segments at emulation speed: tcp_min_tso_segs makes
# them full size.) A frame the driver hands back as busy must be retried as the stack passed it
# (its TSO preparation once ran twice): the peer's TCP must count no checksum error, and the
# data must arrive intact.
check "ethtool -G tx 64 (the smallest transmit ring)" ethtool -G "$ea" tx 64
# Completions are cleaned only in the NAPI poll: with a few interrupts per millisecond under
# adaptive moderation the ring may drain before it fills (a quiet run once never stopped the
# queue). A 2 ms interval lets TCP fill the ring between two polls every time.
ethtool -C "$ea" rx-usecs 2000
# BQL would otherwise hold back what the ring could take: with completions 2 ms apart its limit
# can settle below three TSO frames, and the driver never sees the ring full (a CI run once
# failed so). A floor of 4 MiB leaves the ring as the only limit.
for q in /sys/class/net/"$ea"/queues/tx-*/byte_queue_limits/limit_min; do echo 4194304 >"$q"; done
min_tso_segs=$(sysctl -n net.ipv4.tcp_min_tso_segs)
sysctl -qw net.ipv4.tcp_min_tso_segs=44
head -c 16M /dev/urandom >/tmp/rigb-sendfile.bin
csum_err0=$(ns_tcp_stat InCsumErrors)
tso0=$(qsum "$ea" 'tx_queue_._tso')
bytes0=$(qsum "$ea" 'tx_queue_._bytes')
restart0=$(qsum "$ea" 'tx_queue_._restart')
check_eq "sendfile() of 16 MiB through the 64-descriptor ring arrives intact" \
	"$(stat -c %s /tmp/rigb-sendfile.bin) $(sha256sum </tmp/rigb-sendfile.bin | cut -d' ' -f1)" \
	"$(sendfile_to rgb /tmp/rigb-sendfile.bin 10.5.0.2)"
tso=$(($(qsum "$ea" 'tx_queue_._tso') - tso0))
check "TSO frames of 24 KiB or more on average (6+ page fragments)" \
	test $(($(qsum "$ea" 'tx_queue_._bytes') - bytes0)) -ge $((24576 * tso)) -a "$tso" -gt 0
# TCP small queues keep one stream's bytes in flight near a millisecond of its pacing rate,
# which at emulation speed is about what the ring holds (runs restarted the queue 14, 10 and 0
# times above): four zero-copy streams (iperf3 -Z: sendfile, many page fragments per frame)
# fill it whatever the pace.
iperf_to 3 -Z -P 4
# Frames handed back as busy in either phase were retried as the stack passed them.
check_eq "the peer's TCP counted no checksum errors (sendfile and the four streams)" 0 \
	$(($(ns_tcp_stat InCsumErrors) - csum_err0))
restart=$(($(qsum "$ea" 'tx_queue_._restart') - restart0))
echo "# the sendfile() check and four zero-copy streams restarted the queue $restart times"
check "the ring ran full: the queue was stopped and restarted" test "$restart" -gt 0
for q in /sys/class/net/"$ea"/queues/tx-*/byte_queue_limits/limit_min; do echo 0 >"$q"; done
sysctl -qw net.ipv4.tcp_min_tso_segs="$min_tso_segs"
ethtool -C "$ea" rx-usecs 3
ethtool -G "$ea" tx 256
rm -f /tmp/rigb-sendfile.bin
check "MTU 9000 rigb <-> C igb" sh -c "ip link set $ea mtu 9000 && ip -n rgb link set $eb mtu 9000 && sleep 3 && \
	ping -q -c 3 -i 0.2 -W 5 -M do -s 8972 10.5.0.2"
ip link set "$ea" mtu 1500
ip netns del rgb
rmmod igb

# --- MSI and INTx modes (module parameter int_mode) ---------------------------------------------
rmmod rigb
for mode in 1:MSI 0:INTx; do
	n=${mode%%:*}
	name=${mode#*:}
	insmod "$KO" int_mode="$n"
	ea=$(netdev_of $A)
	eb=$(netdev_of $B)
	check "int_mode=$n: $name with one queue pair" sh -c "dmesg | grep \"$ea: 82576 at $A\" | tail -n1 | grep -q '$name interrupts, 1 queue pairs'"
	nic_pair_up rgb "$ea" 10.5.0.1/24 "$eb" 10.5.0.2/24
	check "$name: ping and TCP across the hub" sh -c "ping -q -c 3 -i 0.2 -W 5 10.5.0.2 >/dev/null && \
		ip netns exec rgb iperf3 -s -1 -D -B 10.5.0.2 >/dev/null && sleep 1 && iperf3 -c 10.5.0.2 -t 2 >/dev/null"
	check "$name: ethtool -t offline passes" sh -c "ethtool -t $ea offline | grep -q 'result is PASS'"
	ip netns del rgb
	rmmod rigb
done
insmod "$KO" int_mode=3
check "int_mode=3 refused: logged, nothing bound" sh -c "dmesg | grep -q 'int_mode=3 out of range' && [ -z \"\$(ls /sys/bus/pci/devices/$A/net 2>/dev/null)\" ]"
check_eq "the failed probe left $A disabled, not bus master" "0 0" "$(pci_state $A)"
rmmod rigb

# --- unload under traffic, reload ---------------------------------------------------------------
insmod "$KO"
ea=$(netdev_of $A)
ip addr add 10.5.0.1/24 dev "$ea"
ip link set "$ea" up
wait_carrier "$ea"
ping -q -f 10.5.0.2 >/dev/null 2>&1 &
flood=$!
sleep 1
check "rmmod rigb with traffic running" rmmod rigb
kill $flood 2>/dev/null
wait $flood 2>/dev/null
check "no netdev left on $A" test -z "$(netdev_of $A)"
check "insmod rigb again binds all functions" sh -c "insmod $KO && [ \$(basename \$(readlink /sys/bus/pci/devices/$A/driver)) = rigb ] && [ \$(basename \$(readlink /sys/bus/pci/devices/$B/driver)) = rigb ]"
check "rmmod rigb" rmmod rigb

# --- module autoload by PCI alias (autoload.sh, a nested KTAP subtest; needs rigb unloaded) ----
echo "# Subtest: autoload"
bash "$(dirname "$0")/autoload.sh" 2>&1 | sed -u 's/^/    /'
check_eq "autoload" 0 "${PIPESTATUS[0]}"

ktap_finished
