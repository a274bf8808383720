#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# re1000 selftests on the three 8254x models QEMU emulates: an 82540EM (-device e1000), an
# 82544GC and an 82545EM on one QEMU hub of their own (qemu/check.sh's re1000_extra_nics; the
# 82544GC is moved into a namespace), and the slirp 82540EM every boot has (0000:04:00.0).
# Probe of each model, the EEPROM (address, checksum), link and carrier, traffic across the hub
# (re1000 to re1000 between two different models, and re1000 to the kernel's C e1000), offload
# and hardware counters, filtering, jumbo frames to the maximum MTU, every ethtool query and its
# refusals, the self-tests on every model, a transmit stall and its reset, bad module
# parameters, unload under traffic.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

KO=${RNET_MODDIR:-}/drivers/net/ethernet/intel/re1000/re1000.ko
S=0000:04:00.0

require_rnet_module "$KO"
require "needs the three 8254x models on one link (QEMU: qemu/vm.sh's re1000_extra_nics)" \
	sh -c 'grep -qx 0x100c /sys/bus/pci/devices/*/device && grep -qx 0x100f /sys/bus/pci/devices/*/device'
ktap_print_header
# Every check line runs once, except the two in the per-model loop, which run three times.
ktap_set_plan "$(($(grep -cE "^\s*(check|check_eq) " "$0") + 5 + $(checks_in check_copper_link_modes)))"

A=$(pci_by_id 0x100e | grep -vx "$S" | head -n1) # 82540EM on the hub
B=$(pci_by_id 0x100c | head -n1)                  # 82544GC on the hub
C=$(pci_by_id 0x100f | head -n1)                  # 82545EM on the hub
netdev_of() { ls "/sys/bus/pci/devices/$1/net/" 2>/dev/null | head -n1; }
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
devstat() { cat "/sys/class/net/$1/statistics/$2"; }
nsstat() { ip netns exec re1 cat "/sys/class/net/$1/statistics/$2"; }
estat() { ethtool -S "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
nsestat() { ip netns exec re1 ethtool -S "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
iperf_to() { # iperf_to SECONDS|BYTES ARGS...: TCP to the namespace's server (timed or sized)
	local len=(-t "$1")
	[[ $1 == *[KM] ]] && len=(-n "$1")
	shift
	ip netns exec re1 iperf3 -s -1 -D -B 10.6.0.2 >/dev/null
	wait_for 10 sh -c "ip netns exec re1 ss -ltn | grep -q 10.6.0.2:5201"
	iperf3 -c 10.6.0.2 "${len[@]}" "$@" >/dev/null
}
# Writes a 32-bit register of a function's BAR0 (as a misbehaving device would look).
bar0_write() {
	python3 - "$1" "$2" "$3" <<'PY'
import mmap, os, sys
dev, off, val = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
fd = os.open(f"/sys/bus/pci/devices/{dev}/resource0", os.O_RDWR | os.O_SYNC)
m = mmap.mmap(fd, 0x20000)
memoryview(m).cast("I")[off // 4] = val
PY
}
# The sum of EEPROM words 0..0x3F as ethtool -e dumps them (0xbaba when the image is valid).
eeprom_sum() {
	ethtool -e "$1" raw on offset 0 length 128 | python3 -c '
import struct, sys
d = sys.stdin.buffer.read()
print(hex(sum(struct.unpack("<64H", d)) & 0xFFFF) if len(d) == 128 else "short read")'
}

check "the hub's 82540EM, 82544GC and 82545EM and the slirp 82540EM are there" \
	test -n "$A" -a -n "$B" -a -n "$C" -a -e "/sys/bus/pci/devices/$S"
# A driver that took the functions at boot (udev, where the guest runs it, may have loaded the
# C e1000 for them) lets go of them.
for f in $A $B $C $S; do
	d=$(driver_of "$f")
	[ -n "$d" ] && echo "$f" >"/sys/bus/pci/drivers/$d/unbind"
done
check "insmod re1000" insmod "$KO"
# The receive descriptor parsing, as a pure function fed impossible write-backs (rx.rs).
check_kunit_suite re1000_rx_desc
check_eq "re1000 bound to all four functions" "re1000 re1000 re1000 re1000" \
	"$(driver_of "$A") $(driver_of "$B") $(driver_of "$C") $(driver_of $S)"
ea=$(netdev_of "$A")
eb=$(netdev_of "$B")
ec=$(netdev_of "$C")
es=$(netdev_of $S)
check "every function has a netdev" test -n "$ea" -a -n "$eb" -a -n "$ec" -a -n "$es"
check "probe names each model" sh -c "dmesg | grep -q '$ea: Intel 82540 (0x100e)' && \
	dmesg | grep -q '$eb: Intel 82544 (0x100c)' && dmesg | grep -q '$ec: Intel 82545 (0x100f)'"
check_eq "ethtool -i: driver" "driver: re1000" "$(ethtool -i "$ea" | grep '^driver:')"
check_eq "ethtool -i: bus-info is the PCI address" "bus-info: $A" "$(ethtool -i "$ea" | grep '^bus-info:')"
check_eq "MACs read from the EEPROMs (QEMU's mac=)" \
	"52:54:00:12:35:07 52:54:00:12:35:08 52:54:00:12:35:09 52:54:00:12:34:04" \
	"$(cat /sys/class/net/{$ea,$eb,$ec,$es}/address | tr '\n' ' ' | sed 's/ $//')"
check_eq "ethtool -e: the MAC is in EEPROM words 0-2" "52 54 00 12 35 08" \
	"$(ethtool -e "$eb" offset 0 length 6 | awk '/^0x0000:/ {print $2, $3, $4, $5, $6, $7}')"
check_eq "ethtool -e: words 0..0x3F sum to 0xBABA (82540EM)" 0xbaba "$(eeprom_sum "$ea")"
check_eq "ethtool -e: words 0..0x3F sum to 0xBABA (82544GC)" 0xbaba "$(eeprom_sum "$eb")"
check_eq "ethtool -e beyond the 64-word EEPROM refused" EINVAL "$(ethtool_errno ethtool -e "$ea" offset 128 length 2)"

check_eq "carrier off before open" "Link detected: no" "$(ethtool "$ea" | grep -o 'Link detected: .*')"
ip link set "$ea" up
check "carrier on after open (autonegotiation, LSC)" wait_carrier "$ea"
check "one shared INTx handler" sh -c "grep -q '$ea-q' /proc/interrupts"
check_eq "ethtool reports 1000Mb/s full duplex" "Speed: 1000Mb/s Duplex: Full" \
	"$(ethtool "$ea" | grep -oE '(Speed|Duplex): .*' | tr '\n' ' ' | sed 's/ $//')"
check_eq "MTU 16111 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/$ea/mtu 16111)"
check_eq "MTU 45 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/$ea/mtu 45)"
check "ethtool -k: checksum, SG and TSO on" sh -c "ethtool -k $ea > /tmp/re1000.k && \
	grep -q 'tx-checksumming: on' /tmp/re1000.k && grep -q 'scatter-gather: on' /tmp/re1000.k && \
	grep -q 'tcp-segmentation-offload: on' /tmp/re1000.k && grep -q 'rx-checksumming: on' /tmp/re1000.k"

# --- re1000 (82540EM) <-> re1000 (82544GC) across the hub ----------------------------------------
nic_pair_up re1 "$ea" 10.6.0.1/24 "$eb" 10.6.0.2/24
ip addr add fc00:6::1/64 dev "$ea" nodad
ip -n re1 addr add fc00:6::2/64 dev "$eb" nodad
rx0=$(nsstat "$eb" rx_packets)
check "ping 82540EM -> 82544GC across the hub" ping -q -c 10 -i 0.2 -W 5 10.6.0.2
check "ping back from the namespace" ip netns exec re1 ping -q -c 5 -i 0.2 -W 5 10.6.0.1
check "receiver counted the echoes" test $(($(nsstat "$eb" rx_packets) - rx0)) -ge 15
check "IPv6 ping across the hub" ping -6 -q -c 5 -i 0.2 -W 5 fc00:6::2
tso0=$(estat "$ea" tx_queue_0_tso)
csum0=$(nsestat "$eb" tx_queue_0_csum)
rxb0=$(nsstat "$eb" rx_bytes)
# A transfer whose end means every byte was read by the receiver (iperf3 -n ends once the bytes
# are written: its server may stop reading with some still in flight, and a run on a slow host
# counted 6.97 of the 8 MiB at the receiver).
head -c 8M /dev/urandom >/tmp/re1000-8m.bin
check_eq "8 MiB over TCP 82540EM -> 82544GC arrive intact" \
	"8388608 $(sha256sum </tmp/re1000-8m.bin | cut -d' ' -f1)" "$(sendfile_to re1 /tmp/re1000-8m.bin 10.6.0.2)"
rm -f /tmp/re1000-8m.bin
check "the receiver counted the 8 MiB (rx_bytes)" test $(($(nsstat "$eb" rx_bytes) - rxb0)) -gt 8388608
check "TSO used: tx_queue_0_tso moved" test "$(estat "$ea" tx_queue_0_tso)" -gt "$tso0"
check "checksum offload used by the receiver's ACKs: tx_queue_0_csum moved" \
	test "$(nsestat "$eb" tx_queue_0_csum)" -gt "$csum0"
check_eq "no receive checksum errors" 0 "$(nsestat "$eb" rx_queue_0_csum_err)"
check "iperf3 TCP 82544GC -> 82540EM (reverse)" iperf_to 2 -R
check "iperf3 TCP over IPv6 (checksum offload, software segmentation)" sh -c \
	"ip netns exec re1 iperf3 -s -1 -D -B fc00:6::2 >/dev/null; sleep 1; iperf3 -6 -c fc00:6::2 -t 2 >/dev/null"
check "BQL: the byte limit grew under traffic" sh -c "grep -qv '^0$' /sys/class/net/$ea/queues/tx-0/byte_queue_limits/limit"

# Counters of both ends agree (all multicast accepted so nothing is filtered in between). The four
# counters are read one after the other and the stack may send a frame of its own (ARP, neighbour
# discovery) meanwhile, so a round whose baselines were read while a frame crossed is repeated:
# a driver that loses or double-counts frames disagrees in every round (each round is printed).
ip -n re1 link set "$eb" allmulticast on
# Permanent neighbour entries: no ARP or neighbour-discovery probe of the ping's destination
# falls between the counters' reads (each an `ethtool -S` that takes a second in a slow guest).
ip neigh replace 10.6.0.2 lladdr "$(ip netns exec re1 cat "/sys/class/net/$eb/address")" dev "$ea" nud permanent
ip -n re1 neigh replace 10.6.0.1 lladdr "$(cat "/sys/class/net/$ea/address")" dev "$eb" nud permanent
sleep 1
count_round() { # prints "driver-sent driver-received hw-sent hw-received"
	local tx0 rx0 htx0 hrx0
	tx0=$(devstat "$ea" tx_packets)
	rx0=$(nsstat "$eb" rx_packets)
	htx0=$(estat "$ea" tx_packets)
	hrx0=$(nsestat "$eb" rx_packets)
	ping -q -c 100 -i 0.01 -W 5 10.6.0.2 >/dev/null
	# Wait for the last completions and receptions to be counted.
	same_delta() { [ $(($(devstat "$ea" tx_packets) - tx0)) = $(($(nsstat "$eb" rx_packets) - rx0)) ]; }
	wait_for 3 same_delta
	echo $(($(devstat "$ea" tx_packets) - tx0)) $(($(nsstat "$eb" rx_packets) - rx0)) \
		$(($(estat "$ea" tx_packets) - htx0)) $(($(nsestat "$eb" rx_packets) - hrx0))
}
for round in 1 2 3 4 5; do
	read -r dtx drx htx hrx < <(count_round)
	ktap_print_msg "round $round: driver sent $dtx, received $drx; hardware sent $htx, received $hrx"
	[ "$dtx" = "$drx" ] && [ "$htx" = "$hrx" ] && break
	sleep 1
done
check "the ping burst was counted (at least 100 frames sent)" test "$dtx" -ge 100
check_eq "sent = received (driver counters)" "$dtx" "$drx"
check_eq "sent = received (hardware counters, ethtool -S)" "$htx" "$hrx"
ip -n re1 link set "$eb" allmulticast off
ip neigh del 10.6.0.2 dev "$ea"
ip -n re1 neigh del 10.6.0.1 dev "$eb"

# --- filtering -----------------------------------------------------------------------------------
ip -n re1 neigh replace 10.6.0.1 lladdr 02:00:00:00:06:99 dev "$eb"
rx0=$(devstat "$ea" rx_packets)
ip netns exec re1 ping -q -c 5 -i 0.1 -W 1 10.6.0.1 >/dev/null 2>&1
check "frames to a foreign MAC filtered" test $(($(devstat "$ea" rx_packets) - rx0)) -lt 5
ip link set "$ea" promisc on
rx0=$(devstat "$ea" rx_packets)
ip netns exec re1 ping -q -c 5 -i 0.1 -W 1 10.6.0.1 >/dev/null 2>&1
check "promiscuous mode receives them" test $(($(devstat "$ea" rx_packets) - rx0)) -ge 5
ip link set "$ea" promisc off
ip -n re1 neigh del 10.6.0.1 dev "$eb"
# A secondary unicast address (the core's default fdb handler adds it to the device's unicast
# list) goes to RAR[1]: frames to it pass the filter without promiscuous mode (IFF_UNICAST_FLT).
ip -n re1 neigh replace 10.6.0.1 lladdr 02:00:00:00:06:07 dev "$eb"
check "bridge fdb add: a secondary unicast address" bridge fdb add 02:00:00:00:06:07 dev "$ea" self permanent
check "the device stays out of promiscuous mode" sh -c "ip -d link show $ea | grep -q 'promiscuity 0'"
rx0=$(devstat "$ea" rx_packets)
ip netns exec re1 ping -q -c 5 -i 0.1 -W 1 10.6.0.1 >/dev/null 2>&1
check "frames to the secondary address received (RAR[1])" test $(($(devstat "$ea" rx_packets) - rx0)) -ge 5
bridge fdb del 02:00:00:00:06:07 dev "$ea" self
rx0=$(devstat "$ea" rx_packets)
ip netns exec re1 ping -q -c 5 -i 0.1 -W 1 10.6.0.1 >/dev/null 2>&1
check "filtered again once removed" test $(($(devstat "$ea" rx_packets) - rx0)) -lt 5
ip -n re1 neigh del 10.6.0.1 dev "$eb"
ip addr add 239.1.2.3/32 dev "$ea" autojoin
rx0=$(devstat "$ea" rx_packets)
ip netns exec re1 sh -c "ip route add 239.0.0.0/8 dev $eb; ping -q -c 5 -i 0.1 -W 1 -t 1 239.1.2.3 >/dev/null 2>&1"
check "multicast to a joined group received (MTA hash)" test $(($(devstat "$ea" rx_packets) - rx0)) -ge 5
ip addr del 239.1.2.3/32 dev "$ea"

# --- ethtool: rings, coalescing, dumps, pause, link ----------------------------------------------
iperf_to 8 >/dev/null 2>&1 &
traffic=$!
sleep 2
check "ethtool -G rx 512 tx 128 under traffic" ethtool -G "$ea" rx 512 tx 128
wait $traffic
check_eq "ethtool -g shows the new sizes" "512 128" "$(ethtool -g "$ea" | awk '/^Current/ {c = 1} c && /^RX:/ {r = $2} c && /^TX:/ {t = $2} END {print r, t}')"
check "traffic after the ring change" iperf_to 2
check "ethtool -G back to 256" ethtool -G "$ea" rx 256 tx 256
check_eq "ethtool -G rx 8192 refused" EINVAL "$(ethtool_errno ethtool -G "$ea" rx 8192)"
check_eq "ethtool -G rx 100 (not a multiple of 8) refused" EINVAL "$(ethtool_errno ethtool -G "$ea" rx 100)"
check_eq "ethtool -G tx 40 (below 48) refused" EINVAL "$(ethtool_errno ethtool -G "$ea" tx 40)"
check "refusals logged" sh -c "dmesg | grep -q '$ea: rx ring size 100 invalid' && dmesg | grep -q '$ea: tx ring size 40 invalid'"
check_eq "ethtool -c: adaptive conservative moderation by default (rx-usecs 3)" "rx-usecs: 3" "$(ethtool -c "$ea" | grep '^rx-usecs:')"
iperf_to 4 >/dev/null 2>&1 &
traffic=$!
check "ethtool -C rx-usecs 50 under traffic" ethtool -C "$ea" rx-usecs 50
wait $traffic
check_eq "ethtool -c shows it" "rx-usecs: 50" "$(ethtool -c "$ea" | grep '^rx-usecs:')"
check_eq "ITR holds 50 us (195 x 256 ns)" 195 "$(ethtool -d "$ea" raw on | python3 -c '
import struct, sys
print(struct.unpack_from("<I", sys.stdin.buffer.read(), 4 * 5)[0])')"
check "traffic with fixed moderation" ping -q -c 5 -i 0.1 -W 5 10.6.0.2
ethtool -C "$ea" rx-usecs 3
check_eq "ethtool -C rx-usecs 2 refused (as C e1000)" EINVAL "$(ethtool_errno ethtool -C "$ea" rx-usecs 2)"
check_eq "ethtool -C rx-usecs 20000 refused" EINVAL "$(ethtool_errno ethtool -C "$ea" rx-usecs 20000)"
check_eq "ethtool -C on the 82544GC (no ITR) refused" EOPNOTSUPP \
	"$(ethtool_errno ip netns exec re1 ethtool -C "$eb" rx-usecs 50)"
check "coalescing refusals logged" sh -c "dmesg | grep -q '$ea: rx-usecs 2 invalid' && dmesg | grep -q 'has no interrupt throttling'"
check "ethtool -d dumps the registers" sh -c "[ \$(ethtool -d $ea raw on | wc -c) -gt 500 ]"
check "ethtool -A rx on tx on" sh -c "ethtool -A $ea rx on tx on && ethtool -a $ea | grep -q 'RX:.*on'"
check_eq "ethtool -A autoneg on refused" EINVAL "$(ethtool_errno ethtool -A "$ea" autoneg on)"
ethtool -A "$ea" rx off tx off
check "ethtool -S: hardware and queue counters" sh -c "ethtool -S $ea | grep -q rx_crc_errors && \
	ethtool -S $ea | grep -q tx_queue_0_packets && ethtool -S $ea | grep -q collisions"
check "ethtool -r: autonegotiation restarted, carrier back" sh -c "ethtool -r $ea && sleep 0.3 && \
	for i in \$(seq 50); do [ \$(cat /sys/class/net/$ea/carrier) = 1 ] && exit 0; sleep 0.2; done; exit 1"
check "ethtool -s speed 100 duplex full autoneg off accepted" ethtool -s "$ea" speed 100 duplex full autoneg off
check_eq "ethtool -r refused while the link is forced" EINVAL "$(ethtool_errno ethtool -r "$ea")"
check "ethtool -r refusal logged" sh -c "dmesg | grep -q '$ea: cannot restart autonegotiation'"
check_eq "ethtool -s speed 1000 duplex half refused" EINVAL "$(ethtool_errno ethtool -s "$ea" speed 1000 duplex half autoneg off)"
check "ethtool -s autoneg on: link back at 1000Mb/s" sh -c "ethtool -s $ea autoneg on && sleep 2 && \
	ethtool $ea | grep -q 'Speed: 1000Mb/s' && ethtool $ea | grep -q 'Auto-negotiation: on'"
wait_carrier "$ea"
check_copper_link_modes "$ea"

# --- jumbo frames: 4 KiB receive buffers, frames spanning several descriptors ---------------------
check "MTU 9000 on both ends" sh -c "ip link set $ea mtu 9000 && ip -n re1 link set $eb mtu 9000"
wait_carrier "$eb" re1
wait_carrier "$ea"
check "8972-byte ping, do not fragment" ping -q -c 3 -i 0.2 -W 5 -M "do" -s 8972 10.6.0.2
check "iperf3 TCP at MTU 9000" iperf_to 2
check "the maximum MTU 16110 on both ends" sh -c "ip link set $ea mtu 16110 && ip -n re1 link set $eb mtu 16110"
wait_carrier "$eb" re1
wait_carrier "$ea"
check "16082-byte ping (a 16124-byte frame over 4 descriptors)" ping -q -c 3 -i 0.2 -W 5 -M "do" -s 16082 10.6.0.2
check_eq "no receive errors on the jumbo frames" 0 "$(nsestat "$eb" rx_queue_0_errors)"
ip link set "$ea" mtu 1500
ip -n re1 link set "$eb" mtu 1500
# A peer at a larger MTU sends frames longer than ours allows: the device drops them (LPE off,
# counted in ROC), or if it passed them the driver would (rx_queue_0_long); nothing reaches the
# stack either way.
ip -n re1 link set "$eb" mtu 9000
wait_carrier "$ea"
long0=$(($(estat "$ea" rx_long_length_errors) + $(estat "$ea" rx_queue_0_long)))
rx0=$(devstat "$ea" rx_packets)
check "4000-byte pings from a 9000-MTU peer get no answer" sh -c "! ip netns exec re1 ping -q -c 3 -i 0.2 -W 1 -M do -s 4000 10.6.0.1"
check "the oversized frames were counted as too long, not received" \
	test $(($(estat "$ea" rx_long_length_errors) + $(estat "$ea" rx_queue_0_long) - long0)) -ge 3 \
	-a $(($(devstat "$ea" rx_packets) - rx0)) -lt 3
ip -n re1 link set "$eb" mtu 1500

# --- self-tests on every model -------------------------------------------------------------------
wait_carrier "$ea"
check "ethtool -t online passes" sh -c "ethtool -t $ea online | grep -q 'result is PASS'"
for dev in "$ea" "ip netns exec re1 $eb" "$ec"; do
	ifc=${dev##* }
	ns=${dev% *}
	[ "$ns" = "$dev" ] && ns=
	$ns ip link set "$ifc" up
	wait_carrier "$ifc" ${ns:+re1}
	check "ethtool -t $ifc offline passes (registers, EEPROM, interrupt, loopback, link)" \
		sh -c "$ns ethtool -t $ifc offline > /tmp/re1000.t; cat /tmp/re1000.t; grep -q 'result is PASS' /tmp/re1000.t"
	check "$ifc: carrier back after the self-test" wait_carrier "$ifc" ${ns:+re1}
done
ip link set "$ec" down
check "traffic after the self-tests" ping -q -c 3 -i 0.2 -W 5 10.6.0.2

# --- MAC change, link flap -----------------------------------------------------------------------
check "MAC change while up" ip link set "$ea" address 02:00:00:00:06:01
check "traffic after the MAC change" ping -q -c 3 -i 0.2 -W 5 10.6.0.2
ip link set "$ea" address 52:54:00:12:35:07
check "link down/up keeps working" sh -c "ip link set $ea down && ip link set $ea up && \
	for i in \$(seq 50); do [ \$(cat /sys/class/net/$ea/carrier) = 1 ] && break; sleep 0.2; done && \
	ping -q -c 3 -i 0.2 -W 5 10.6.0.2"

# --- a transmit unit that stops: the stack's watchdog calls tx_timeout, the driver resets --------
ping -q -c 3 -i 0.2 10.6.0.2 >/dev/null
bar0_write "$A" 0x400 0 # TCTL: transmit disabled
python3 - <<'PY'
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setblocking(False)
end = time.time() + 12
while time.time() < end:
    try:
        s.sendto(b"x" * 100, ("10.6.0.2", 9))
    except OSError:
        time.sleep(0.01)
PY
check "transmit timeout reported" sh -c "dmesg | grep -q '$ea: transmit queue .* timed out'"
check "reset after the timeout" sh -c "dmesg | grep -q '$ea: resetting after a transmit timeout'"
wait_carrier "$ea"
check "traffic flows again after the reset" ping -q -c 3 -i 0.2 -W 5 10.6.0.2
check "tx_timeout_count counted" test "$(estat "$ea" tx_timeout_count)" -ge 1
ip netns del re1

# --- slirp: the 82540EM every VM has -------------------------------------------------------------
ip link set "$es" up
ip addr add 10.0.2.15/24 dev "$es"
wait_carrier "$es"
check "ping slirp's gateway 10.0.2.2" ping -q -c 3 -i 0.2 -W 5 10.0.2.2
ip link set "$es" down

# --- interop: the 82544GC on the kernel's C e1000 ------------------------------------------------
check "unbind $B from re1000" sh -c "echo $B > /sys/bus/pci/drivers/re1000/unbind"
load_c_e1000() {
	grep -q '^e1000 ' /proc/modules || kernel_module e1000 drivers/net/ethernet/intel/e1000/e1000.ko
}
check "the C e1000 loaded" load_c_e1000
[ "$(driver_of "$B")" = e1000 ] || echo "$B" >/sys/bus/pci/drivers/e1000/bind 2>/dev/null
check_eq "$B now on e1000" e1000 "$(driver_of "$B")"
eb=$(netdev_of "$B")
ip addr flush dev "$ea"
nic_pair_up re1 "$ea" 10.6.0.1/24 "$eb" 10.6.0.2/24
check "ping re1000 -> C e1000" ping -q -c 5 -i 0.2 -W 5 10.6.0.2
check "iperf3 TCP re1000 -> C e1000" iperf_to 2
check "iperf3 TCP C e1000 -> re1000 (reverse)" iperf_to 2 -R
# Streaming DMA mapping failures (lib.sh dma_map_faults; the peer's C e1000 maps without the
# fault point): every 8th mapping failing under TCP both ways drops frames (tx_dropped) and
# leaves receive slots unfilled (alloc_failed). Then every mapping failing while the peer
# floods pings empties the receive ring (QEMU holds frames while the ring has no buffer, so no
# receive interrupt comes): receiving must resume once mappings succeed (the watchdog's
# interrupt polls, the poll refills).
check "the kernel has the DMA mapping fault point ($RNET_DMA_FAULT)" dma_map_fault_point
txd0=$(devstat "$ea" tx_dropped)
af0=$(estat "$ea" rx_queue_0_alloc_failed)
tcp_both_ways() { iperf_to 2; iperf_to 2 -R; }
dma_map_faults 8 tcp_both_ways >/dev/null 2>&1
check "DMA mapping failures in xmit dropped and counted (tx_dropped)" test "$(devstat "$ea" tx_dropped)" -gt "$txd0"
check "DMA mapping failures in refill counted (rx_queue_0_alloc_failed)" \
	test "$(estat "$ea" rx_queue_0_alloc_failed)" -gt "$af0"
dma_map_faults 1 ip netns exec re1 ping -q -f -c 600 -W 1 10.6.0.1 >/dev/null 2>&1
check "receiving resumes after every mapping failed (TCP C e1000 -> re1000)" iperf_to 2 -R
# A slot left without a buffer keeps its last write-back until refilled: it must not be read as
# a new frame when the ring drains up to it (a run logged this 16 times before the fix).
check "no empty slot taken for a received frame" sh -c "! dmesg | grep -q '$ea: receive descriptor done without a buffer'"
check "MTU 9000 re1000 <-> C e1000" sh -c "ip link set $ea mtu 9000 && ip -n re1 link set $eb mtu 9000 && sleep 3 && \
	ping -q -c 3 -i 0.2 -W 5 -M do -s 8972 10.6.0.2"
ip link set "$ea" mtu 1500
ip netns del re1
rmmod e1000

# --- module parameters ---------------------------------------------------------------------------
rmmod re1000
# A bad value fails each probe (the module itself loads: probe errors do not fail insmod).
refused() { # refused PARAM=VALUE LOG: nothing bound, the reason logged
	insmod "$KO" "$1" || return 1
	local bound
	bound=$(ls "/sys/bus/pci/devices/$A/net" 2>/dev/null)
	rmmod re1000
	[ -z "$bound" ] && dmesg | grep -q "$2"
}
check "itr=2 refused: logged, nothing bound" refused itr=2 'itr=2 invalid'
check "rx_int_delay=70000 refused" refused rx_int_delay=70000 'rx_int_delay=70000 out of range'
check "int_mode=2 refused" refused int_mode=2 'int_mode=2 out of range'
check "itr=8000 (a fixed rate) and int_mode=1 accepted" insmod "$KO" itr=8000 int_mode=1
ea=$(netdev_of "$A")
check_eq "ethtool -c shows 125 us for 8000/s" "rx-usecs: 125" "$(ethtool -c "$ea" | grep '^rx-usecs:')"
rmmod re1000

# --- unload under traffic, reload ----------------------------------------------------------------
insmod "$KO"
ea=$(netdev_of "$A")
eb=$(netdev_of "$B")
nic_pair_up re1 "$ea" 10.6.0.1/24 "$eb" 10.6.0.2/24
ping -q -f 10.6.0.2 >/dev/null 2>&1 &
flood=$!
sleep 1
check "rmmod re1000 with traffic running" rmmod re1000
kill $flood 2>/dev/null
wait $flood 2>/dev/null
ip netns del re1
check "no netdev left on $A" test -z "$(netdev_of "$A")"
check "insmod re1000 again binds the hub's functions" sh -c "insmod $KO && [ \"\$(basename \$(readlink /sys/bus/pci/devices/$A/driver))\" = re1000 ] && \
	[ \"\$(basename \$(readlink /sys/bus/pci/devices/$C/driver))\" = re1000 ]"
check "rmmod re1000" rmmod re1000

ktap_finished
