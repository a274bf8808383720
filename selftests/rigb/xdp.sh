#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rigb's native XDP on QEMU's 82576: the two NICs on one hub (0000:01:00.0 in the root namespace
# and 0000:02:00.0 in namespace rgb, the sender) and the third on slirp (0000:03:00.0, a
# redirect target). The programs (xdp_verdicts.bpf.c, xdp_redirect.bpf.c) act only on UDP/IPv4
# datagrams to their port and pass everything else:
#   7777 XDP_DROP, 7778 XDP_TX (turned around to the sender's socket), 7779 XDP_REDIRECT through
#   a devmap (turned around too), 7781 XDP_ABORTED, 7782 an action that does not exist.
# Every verdict is checked by its effect (datagrams back at the sender's socket, nothing at a
# listener) and by rigb's ethtool -S counters; then program swaps under traffic, the MTU limits
# with a program (errno and extack), removal, and rmmod with a program attached.
# Needs iproute2 with libbpf (`ip -V` names it) and bpftool.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

DIR=$(dirname "$0")
KO=${RNET_MODDIR:-}/drivers/net/ethernet/intel/rigb/rigb.ko
RVETH=${RNET_MODDIR:-}/net/rveth.ko
A=0000:01:00.0
B=0000:02:00.0
S=0000:03:00.0
VERDICTS=$DIR/xdp_verdicts.bpf.o
REDIRECT=$DIR/xdp_redirect.bpf.o
PIN=/sys/fs/bpf/rigb_xdp

require_rnet_module "$KO"
require_rnet_module "$RVETH"
require "needs iproute2's rveth plugin (iproute2/link_rveth.so under RNET_MODDIR)" \
	test -r "${RNET_MODDIR:-}/iproute2/link_rveth.so"
require_ynl
require "needs 82576 NICs at $A, $B (one link) and $S (QEMU: -device igb, see qemu/vm.sh)" is_82576 $A $B $S
require "needs the XDP test programs (built by the Makefile with clang -target bpf)" test -r "$VERDICTS" -a -r "$REDIRECT"
require "needs ip with libbpf to load XDP objects (ip -V: iproute2 built with libbpf)" sh -c "ip -V | grep -q libbpf"
require "needs bpftool (devmap updates, errno of a refused attach)" bpftool version
require "needs xdp-loader (xdp-tools)" command -v xdp-loader
ktap_print_header
ktap_set_plan "$(grep -cE "^\s*(check|check_eq) " "$0")"

netdev_of() { ls "/sys/bus/pci/devices/$1/net/" 2>/dev/null | head -n1; }
# xsum DEV NAME: a per-queue counter of ethtool -S (rx_queue_<n>_NAME or tx_queue_<n>_NAME)
# summed over the queues.
xsum() { ethtool -S "$1" | awk -v k="$2" '$1 ~ "^(rx|tx)_queue_[0-9]+_" k ":$" {s += $2} END {print s + 0}'; }
# attach DEV SECTION [OBJECT]: native mode only (xdpdrv: no fallback to generic XDP); -force
# replaces a program already attached.
attach() { ip -force link set dev "$1" xdpdrv obj "${3:-$VERDICTS}" sec "$2"; }
detach() { ip link set dev "$1" xdpdrv off; }
prog_attached() { ip -d link show dev "$1" | grep -q "prog/xdp id"; }
# udp_probe PORT COUNT WAIT: udp_echo_probe from the sender's namespace to 10.5.0.1.
udp_probe() { udp_echo_probe rgb 10.5.0.2 10.5.0.1 "$@"; }
# listen PORT SECONDS: a socket on 10.5.0.1:PORT in the root namespace; prints how many
# datagrams reached it. Run in the background, ready when the port shows in ss.
listen() {
	python3 - "$@" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.5.0.1", int(sys.argv[1])))
n, end = 0, time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    s.settimeout(max(end - time.monotonic(), 0.01))
    try:
        s.recv(2048)
        n += 1
    except socket.timeout:
        break
print(n)
PY
}
# sniff NETNS DEV PORT SECONDS READY: counts the UDP/IPv4 frames from source port PORT that a
# packet socket on DEV (in NETNS, "" for the root namespace) sees, addressed to any host; touches
# READY once the socket is bound. Run in the background.
sniff() {
	${1:+ip netns exec "$1"} python3 - "${@:2}" <<'PY'
import pathlib, socket, struct, sys, time
dev, port, secs, ready = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind((dev, 0))
pathlib.Path(ready).touch()
n, end = 0, time.monotonic() + secs
while time.monotonic() < end:
    s.settimeout(max(end - time.monotonic(), 0.01))
    try:
        f = s.recv(4096)
    except socket.timeout:
        break
    ihl = (f[14] & 15) * 4
    if len(f) >= 14 + ihl + 8 and f[23] == 17 and struct.unpack("!H", f[14 + ihl:16 + ihl])[0] == port:
        n += 1
print(n)
PY
}
# sniff_start NETNS DEV PORT SECONDS OUT: sniff in the background into OUT (its pid in
# SNIFF_PID), back once it listens.
sniff_start() {
	rm -f /tmp/rigb-xdp-sniff.ready
	sniff "$1" "$2" "$3" "$4" /tmp/rigb-xdp-sniff.ready >"$5" &
	SNIFF_PID=$!
	wait_for 10 test -e /tmp/rigb-xdp-sniff.ready
}
le32() { printf '%d %d %d %d' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# The four value bytes are separate words.
# shellcheck disable=SC2046
set_redirect_target() { bpftool map update name rigb_tx_port key 0 0 0 0 value $(le32 "$(cat "/sys/class/net/$1/ifindex")"); }

# rigb.sh, which runs before, ends with rigb unloaded; a leftover would keep insmod from working.
[ -e /sys/module/rigb ] && rmmod rigb
check "insmod rigb" insmod "$KO"
ea=$(netdev_of $A)
eb=$(netdev_of $B)
es=$(netdev_of $S)
check "the netdevs of $A, $B and $S" test -n "$ea" -a -n "$eb" -a -n "$es"
check "rigb <-> rigb across the hub, $eb in namespace rgb" nic_pair_up rgb "$ea" 10.5.0.1/24 "$eb" 10.5.0.2/24
ping -q -c 3 -i 0.2 -W 5 10.5.0.2 >/dev/null

# --- features, attach, XDP_PASS -------------------------------------------------------------------
check_eq "netdev netlink: xdp-features basic, ndo-xmit, redirect" "basic ndo-xmit redirect" \
	"$($YNL --do dev-get --output-json --json "{\"ifindex\": $(cat "/sys/class/net/$ea/ifindex")}" |
		python3 -c 'import json, sys; print(" ".join(json.load(sys.stdin)["xdp-features"]))')"
check "attach xdp_pass in native mode (xdpdrv)" attach "$ea" xdp_pass
check "ip -d link shows the program" prog_attached "$ea"
check_eq "maxmtu lowered to what one page holds with the XDP headroom" 3050 \
	"$(ip -d -j link show dev "$ea" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["max_mtu"])')"
pass0=$(xsum "$ea" xdp_pass)
check "ping through xdp_pass" ip netns exec rgb ping -q -c 5 -i 0.2 -W 5 10.5.0.1
check "xdp_pass counts the pings" test "$(($(xsum "$ea" xdp_pass) - pass0))" -ge 5
check "TCP through xdp_pass" sh -c "iperf3 -s -1 -D -B 10.5.0.1 >/dev/null; sleep 1; \
	ip netns exec rgb iperf3 -c 10.5.0.1 -n 2M >/dev/null"

# --- XDP_DROP ------------------------------------------------------------------------------------
check "replace with xdp_drop" attach "$ea" xdp_drop
drop0=$(xsum "$ea" xdp_drop)
listen 7777 6 >/tmp/rigb-xdp-listen.txt &
lpid=$!
wait_for 5 sh -c "ss -lun | grep -q 10.5.0.1:7777"
udp_probe 7777 50 0.5 >/dev/null
wait $lpid
check_eq "50 datagrams to port 7777 dropped (xdp_drop)" 50 "$(($(xsum "$ea" xdp_drop) - drop0))"
check_eq "none of them reached the listening socket" 0 "$(cat /tmp/rigb-xdp-listen.txt)"
check "other traffic passes xdp_drop" ip netns exec rgb ping -q -c 3 -i 0.2 -W 5 10.5.0.1

# --- xdp-loader (xdp-tools) ----------------------------------------------------------------------
# The drop program loaded as xdp-tools users load programs: libxdp attaches it behind its
# dispatcher where the kernel allows (BTF, freplace), else alone; rigb runs it natively either
# way. Attaching and removing rebuild the rings: traffic is waited for after each.
check "remove the program" detach "$ea"
check "xdp-loader load -m native -s xdp_drop $ea" xdp-loader load -m native -s xdp_drop "$ea" "$VERDICTS"
check "xdp-loader status: a native program on $ea" sh -c "xdp-loader status $ea | grep -q 'native'"
check "traffic passes xdp-loader's program" ip netns exec rgb ping -q -c 3 -i 0.2 -W 5 10.5.0.1
drop0=$(xsum "$ea" xdp_drop)
udp_probe 7777 20 0.5 >/dev/null
check_eq "20 datagrams dropped by xdp-loader's program" 20 "$(($(xsum "$ea" xdp_drop) - drop0))"
check "xdp-loader unload $ea --all" xdp-loader unload "$ea" --all
check "no program left on $ea" sh -c "! ip -d link show dev $ea | grep -q prog/xdp"
check "attach xdp_drop again" attach "$ea" xdp_drop
check "traffic passes it" ip netns exec rgb ping -q -c 3 -i 0.2 -W 5 10.5.0.1

# --- XDP_TX --------------------------------------------------------------------------------------
check "replace with xdp_tx" attach "$ea" xdp_tx
tx0=$(xsum "$ea" xdp_tx)
txp0=$(stat_of "$ea" tx_packets)
check_eq "20 datagrams to port 7778 came back to the sender (XDP_TX)" 20 "$(udp_probe 7778 20 5)"
check_eq "xdp_tx counts them" 20 "$(($(xsum "$ea" xdp_tx) - tx0))"
check_eq "no failed XDP_TX" 0 "$(xsum "$ea" xdp_tx_errors)"
check "the device counts them as sent" wait_for 5 sh -c "test \$((\$(cat /sys/class/net/$ea/statistics/tx_packets) - $txp0)) -ge 20"

# --- XDP_ABORTED, an unknown action ---------------------------------------------------------------
check "replace with xdp_abort" attach "$ea" xdp_abort
ab0=$(xsum "$ea" xdp_aborted)
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
if [ -w $T/events/xdp/xdp_exception/enable ]; then
	echo >$T/trace
	echo 1 >$T/events/xdp/xdp_exception/enable
fi
udp_probe 7781 10 0.5 >/dev/null
check_eq "10 datagrams aborted (xdp_aborted)" 10 "$(($(xsum "$ea" xdp_aborted) - ab0))"
if [ -w $T/events/xdp/xdp_exception/enable ]; then
	echo 0 >$T/events/xdp/xdp_exception/enable
	check_eq "each fired the xdp:xdp_exception tracepoint (action=ABORTED, ifindex of $ea)" 10 \
		"$(grep -c "xdp_exception: prog_id=[0-9]* action=ABORTED ifindex=$(cat "/sys/class/net/$ea/ifindex")\$" $T/trace)"
else
	ktap_test_skip "xdp:xdp_exception tracepoint (no tracefs events: CONFIG_EVENT_TRACING)"
fi
udp_probe 7782 5 0.5 >/dev/null
check_eq "an unknown action counts as aborted" 15 "$(($(xsum "$ea" xdp_aborted) - ab0))"
check "and is warned about (bpf_warn_invalid_xdp_action)" sh -c "dmesg | grep -q 'Illegal XDP return value 99 on prog xdp_abort_prog'"

# --- XDP_REDIRECT: to another rigb, to itself, to a device that is down ---------------------------
check "attach xdp_redirect" attach "$ea" xdp_redirect "$REDIRECT"
ip link set "$es" up
wait_carrier "$es"
check "devmap slot 0: $es" set_redirect_target "$es"
red0=$(xsum "$ea" xdp_redirect)
xmit0=$(xsum "$es" xdp_xmit)
estx0=$(stat_of "$es" tx_packets)
udp_probe 7779 20 0.5 >/dev/null
check_eq "20 datagrams redirected ($ea -> $es)" 20 "$(($(xsum "$ea" xdp_redirect) - red0))"
check_eq "$es queued them (ndo_xdp_xmit)" 20 "$(($(xsum "$es" xdp_xmit) - xmit0))"
check "$es sent them" wait_for 5 sh -c "test \$((\$(cat /sys/class/net/$es/statistics/tx_packets) - $estx0)) -ge 20"
check "devmap slot 0: $ea itself" set_redirect_target "$ea"
xmit0=$(xsum "$ea" xdp_xmit)
check_eq "20 datagrams redirected back out of $ea reached the sender" 20 "$(udp_probe 7779 20 5)"
check_eq "$ea queued them (ndo_xdp_xmit)" 20 "$(($(xsum "$ea" xdp_xmit) - xmit0))"
check "devmap slot 0: $es again" set_redirect_target "$es"
ip link set "$es" down
rerr0=$(xsum "$ea" xdp_redirect_errors)
udp_probe 7779 10 0.5 >/dev/null
check_eq "redirects to $es while it is down fail and are counted" 10 "$(($(xsum "$ea" xdp_redirect_errors) - rerr0))"

# --- XDP_REDIRECT between rigb and rveth ----------------------------------------------------------
# rigb -> rveth: the datagrams turned around on $ea go out of rvx (ndo_xdp_xmit), which means its
# peer rvy receives them (on rvy's NAPI: GRO on). rveth -> rigb: a program on rvx turns around
# what rvy sends and redirects it out of $ea, across the hub to $eb (promiscuous: the frames are
# addressed to rvy). Counted by the drivers and seen by packet sockets at the far end.
[ -e /sys/module/rveth ] || insmod "$RVETH"
export IP_LIB_DIR=$RNET_MODDIR/iproute2
ip netns del rvn 2>/dev/null
ip netns add rvn
check "an rveth pair: rvx (root namespace) and rvy (namespace rvn)" ip link add rvx type rveth peer name rvy netns rvn
ip addr add 10.7.0.1/24 dev rvx
ip -n rvn addr add 10.7.0.2/24 dev rvy
ip link set rvx up
ip -n rvn link set rvy up
ip netns exec rvn ethtool -K rvy gro on tx off >/dev/null
check "devmap slot 0: rvx" set_redirect_target rvx
red0=$(xsum "$ea" xdp_redirect)
rvxm0=$(ethtool -S rvx | awk '$1 == "xdp_xmit:" {print $2}')
sniff_start rvn rvy 7779 8 /tmp/rigb-xdp-rvy.txt
udp_probe 7779 20 0.5 >/dev/null
wait "$SNIFF_PID"
check_eq "rigb -> rveth: 20 datagrams redirected out of $ea" 20 "$(($(xsum "$ea" xdp_redirect) - red0))"
check_eq "rvx took them (its xdp_xmit)" 20 "$(($(ethtool -S rvx | awk '$1 == "xdp_xmit:" {print $2}') - rvxm0))"
check_eq "rvy received them (a packet socket on rvy)" 20 "$(cat /tmp/rigb-xdp-rvy.txt)"
detach "$ea"
check "attach xdp_redirect to rvx" attach rvx xdp_redirect "$REDIRECT"
check "devmap slot 0: $ea" set_redirect_target "$ea"
ip -n rgb link set "$eb" promisc on
rvred0=$(ethtool -S rvx | awk '$1 == "rx_queue_0_xdp_redirect:" {print $2}')
xmit0=$(xsum "$ea" xdp_xmit)
sniff_start rgb "$eb" 7779 8 /tmp/rigb-xdp-eb.txt
ip netns exec rvn python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.7.0.2", 0))
for i in range(20):
    s.sendto(b"rveth-rigb-%04d" % i + bytes(50), ("10.7.0.1", 7779))
    time.sleep(0.005)'
wait "$SNIFF_PID"
check_eq "rveth -> rigb: 20 datagrams redirected out of rvx" 20 \
	"$(($(ethtool -S rvx | awk '$1 == "rx_queue_0_xdp_redirect:" {print $2}') - rvred0))"
check_eq "$ea took them (ndo_xdp_xmit)" 20 "$(($(xsum "$ea" xdp_xmit) - xmit0))"
check_eq "they crossed the hub to $eb (a packet socket there)" 20 "$(cat /tmp/rigb-xdp-eb.txt)"
ip -n rgb link set "$eb" promisc off
check "delete the rveth pair with a program attached" ip link del rvx
ip netns del rvn
check "rmmod rveth" rmmod rveth

# --- program swaps under traffic ------------------------------------------------------------------
# Replacing a program only exchanges the pointer; attaching and removing one rebuilds the rings.
# Both, repeatedly, while datagrams and pings arrive on both receive queues.
ip netns exec rgb python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 20
i = 0
while time.monotonic() < end:
    s.sendto(bytes(64), ("10.5.0.1", 7777 + i % 2))
    i += 1
    if i % 64 == 0:
        time.sleep(0.001)' &
flood=$!
ip netns exec rgb ping -q -i 0.05 -w 20 10.5.0.1 >/dev/null 2>&1 &
pinger=$!
swaps=0
for i in $(seq 12); do
	attach "$ea" xdp_drop && attach "$ea" xdp_tx && attach "$ea" xdp_pass && swaps=$((swaps + 3))
	if [ $((i % 4)) = 0 ]; then
		detach "$ea" && attach "$ea" xdp_drop && swaps=$((swaps + 2))
	fi
done
wait $flood $pinger 2>/dev/null
check_eq "42 program swaps and removals under traffic" 42 "$swaps"
check "traffic after the swaps" ip netns exec rgb ping -q -c 3 -i 0.2 -W 5 10.5.0.1
check_eq "no frame aborted by the swaps (a program seen on a ring not laid out for it)" 15 "$(($(xsum "$ea" xdp_aborted) - ab0))"

# --- MTU limits with a program ------------------------------------------------------------------
attach "$ea" xdp_pass
check "MTU 3050 accepted with a program" ip link set dev "$ea" mtu 3050
check "replace with xdp_tx at MTU 3050" attach "$ea" xdp_tx
check_eq "datagrams come back at MTU 3050" 5 "$(udp_probe 7778 5 5)"
check_eq "MTU 3051 refused with a program (EINVAL)" EINVAL "$(errno_of write "/sys/class/net/$ea/mtu" 3051)"
check "... with the core's extack message" sh -c "ip link set dev $ea mtu 9000 2>&1 | grep -q 'mtu greater than device maximum'"
check_eq "the MTU stayed 3050" 3050 "$(cat "/sys/class/net/$ea/mtu")"
check "remove the program" detach "$ea"
check "ip -d link shows none" sh -c "! ip -d link show dev $ea | grep -q prog/xdp"
check "MTU 9000 without a program" ip link set dev "$ea" mtu 9000
check "attaching at MTU 9000 refused with rigb's extack message" sh -c "ip -force link set dev $ea xdpdrv obj $VERDICTS sec xdp_pass 2>&1 | \
	grep -q 'rigb: MTU too large for XDP'"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
rm -rf "$PIN"
bpftool prog loadall "$VERDICTS" "$PIN" type xdp
check "... and EINVAL (bpftool net attach)" sh -c "bpftool net attach xdpdrv pinned $PIN/\$(ls $PIN | grep pass) dev $ea 2>&1 | \
	grep -q 'Invalid argument'"
rm -rf "$PIN"
check "nothing attached after the refusals" sh -c "! ip -d link show dev $ea | grep -q prog/xdp"
ip link set dev "$ea" mtu 1500
check "traffic at MTU 1500 again" ip netns exec rgb ping -q -c 3 -i 0.2 -W 5 10.5.0.1

# --- ring and channel changes with a program, rmmod with one attached ----------------------------
attach "$ea" xdp_tx
check "ethtool -L combined 1 with a program" ethtool -L "$ea" combined 1
check_eq "XDP_TX with one queue pair" 10 "$(udp_probe 7778 10 5)"
check "ethtool -G rx 128 with a program" ethtool -G "$ea" rx 128
check_eq "XDP_TX with 128 receive descriptors" 10 "$(udp_probe 7778 10 5)"
ip netns del rgb
check "rmmod rigb with a program attached" rmmod rigb

ktap_finished
