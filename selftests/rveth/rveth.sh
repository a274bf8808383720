#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rveth selftests: pairs created with stock iproute2 (through the link plugin) and with raw
# netlink, traffic between namespaces, counters on both ends, carrier semantics, namespace
# moves and deletion, channels, offloads compared with the kernel's veth, GRO through NAPI,
# malformed requests answered like veth, and unload under traffic.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

KO=${RNET_MODDIR:-}/net/rveth.ko
NEWLINK="python3 $(dirname "$0")/rtnl_newlink.py"
export IP_LIB_DIR=${RNET_MODDIR:-}/iproute2

require_rnet_module "$KO"
require_ynl
ktap_print_header
ktap_set_plan "$(($(grep -cE "^\s*(check|check_eq) " "$0") + $(grep -cE '^\s"(bad|like) ' "$0")))"

exists() { ip "${@:2}" link show "$1" >/dev/null 2>&1; }
gone() { ! exists "$@"; }
ifindex() { # NAME [-n NETNS]
	if [ "${2:-}" = -n ]; then
		ip netns exec "$3" cat "/sys/class/net/$1/ifindex"
	else
		cat "/sys/class/net/$1/ifindex"
	fi
}
iflink() { cat "/sys/class/net/$1/iflink"; }
nstat_of() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }

check "insmod rveth" insmod "$KO"
check "load the kernel's veth for comparison" kernel_module veth drivers/net/veth.ko

# --- creation, naming, deletion -----------------------------------------------------------
check "ip link add rva type rveth peer name rvb (iproute2 plugin)" \
	ip link add rva type rveth peer name rvb
check "both ends exist" sh -c 'ip link show rva && ip link show rvb' 
check_eq "rva's iflink is rvb" "$(ifindex rvb)" "$(iflink rva)"
check_eq "rvb's iflink is rva" "$(ifindex rva)" "$(iflink rvb)"
check "ip link shows rva@rvb" sh -c 'ip link show rva | grep -q "rva@rvb:"'
check_eq "ethtool -i reports driver rveth" "driver: rveth" "$(ethtool -i rva | grep '^driver:')"
check "peer auto-named when no peer attribute is sent" sh -c \
	'ip link add rvc type rveth && ip link show rveth0 | grep -q "rveth0@rvc:"'
ip link del rvc
check "deleting one end deletes the other" gone rveth0
check_eq "duplicate name refused with EEXIST" EEXIST "$($NEWLINK rveth rva --peer rvz)"
check "no leftover peer after the refused request" gone rvz

# --- carrier follows the peer's admin state -----------------------------------------------
ip link set rva up
check_eq "one end up, peer down: no carrier" 0 "$(cat /sys/class/net/rva/carrier)"
ip link set rvb up
check_eq "both up: carrier on rva" 1 "$(cat /sys/class/net/rva/carrier)"
check_eq "both up: carrier on rvb" 1 "$(cat /sys/class/net/rvb/carrier)"
ip link set rvb down
check_eq "peer down again: rva loses carrier" 0 "$(cat /sys/class/net/rva/carrier)"
ip addr add 10.4.0.1/24 dev rva
drops0=$(stat_of rva tx_dropped)
peer_rx0=$(stat_of rvb rx_packets)
ping -q -c 2 -i 0.2 -W 1 10.4.0.2 >/dev/null 2>&1
check "frames sent while the peer is down are dropped and counted" \
	test "$(stat_of rva tx_dropped)" -gt "$drops0"
check_eq "nothing was received by the downed peer" 0 $(($(stat_of rvb rx_packets) - peer_rx0))

# --- MTU ----------------------------------------------------------------------------------
check_eq "MTU 67 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/rva/mtu 67)"
check_eq "MTU 65536 refused with EINVAL" EINVAL "$(errno_of write /sys/class/net/rva/mtu 65536)"
check "MTU 9000 accepted" ip link set rva mtu 9000
ip link set rva mtu 1500

# --- offloads and link settings as veth ----------------------------------------------------
ip link add vta type veth peer name vtb
check_eq "ethtool -k identical to veth's" "$(ethtool -k vta | tail -n +2)" "$(ethtool -k rva | tail -n +2)"
check_eq "ethtool reports 10000Mb/s" "Speed: 10000Mb/s" "$(ethtool rva | grep -o 'Speed: .*')"
check_eq "ethtool reports full duplex" "Duplex: Full" "$(ethtool rva | grep -o 'Duplex: .*')"
check_eq "channel maxima equal the CPU count, as veth" \
	"$(ethtool -l vta | sed -n '/maximums/,/Current/p')" "$(ethtool -l rva | sed -n '/maximums/,/Current/p')"
ip link del vta
ip link del rva

# --- traffic between two namespaces --------------------------------------------------------
ip netns add rns1
ip netns add rns2
check "pair created straight into two namespaces" \
	ip link add rv1 netns rns1 type rveth peer name rv2 netns rns2
ip -n rns1 addr add 10.2.0.1/24 dev rv1
ip -n rns2 addr add 10.2.0.2/24 dev rv2
ip -n rns1 addr add fd00:2::1/64 dev rv1 nodad
ip -n rns2 addr add fd00:2::2/64 dev rv2 nodad
ip -n rns1 link set rv1 up
ip -n rns2 link set rv2 up
check "ping rns1 -> rns2" ip netns exec rns1 ping -q -c 5 -i 0.2 -W 5 10.2.0.2
check "ping rns2 -> rns1" ip netns exec rns2 ping -q -c 5 -i 0.2 -W 5 10.2.0.1
check "ping -6 rns1 -> rns2" ip netns exec rns1 ping -6 -q -c 3 -i 0.2 -W 5 fd00:2::2
ip netns exec rns2 iperf3 -s -1 -D -B 10.2.0.2
wait_for 10 sh -c "ip netns exec rns2 ss -ltn | grep -q 10.2.0.2:5201"
check "iperf3 TCP rns1 -> rns2" ip netns exec rns1 iperf3 -c 10.2.0.2 -t 2
# A live address change, as containers do it on veth: the peer learns the new address (ARP)
# and traffic goes on; a multicast address is refused as by veth.
check "ip link set address on a running rveth" \
	ip -n rns1 link set rv1 address 02:00:00:00:02:11
check_eq "the new address is in place" 02:00:00:00:02:11 "$(ip netns exec rns1 cat /sys/class/net/rv1/address)"
ip -n rns2 neigh flush dev rv2
check "ping after the address change (the peer resolved the new one)" sh -c \
	"ip netns exec rns2 ping -q -c 3 -i 0.2 -W 5 10.2.0.1 >/dev/null && \
	ip -n rns2 neigh show 10.2.0.1 dev rv2 | grep -q 02:00:00:00:02:11"
check_eq "a multicast address refused with EADDRNOTAVAIL" \
	"RTNETLINK answers: Cannot assign requested address" \
	"$(ip -n rns1 link set rv1 address 03:00:00:00:02:11 2>&1)"
# IPv6 housekeeping (router solicitations, MLD) may still be crossing: compare the counters of
# both ends at the same moment, retrying until a reading has nothing in flight.
same_counters() { # ns-a dev-a counter-a ns-b dev-b counter-b
	local _
	for _ in $(seq 25); do
		[ "$(nstat_of "$1" "$2" "$3")" = "$(nstat_of "$4" "$5" "$6")" ] && return 0
		sleep 0.2
	done
	ktap_print_msg "$2 $3=$(nstat_of "$1" "$2" "$3"), $5 $6=$(nstat_of "$4" "$5" "$6")"
	return 1
}
check "tx packets of rv1 = rx packets of rv2" same_counters rns1 rv1 tx_packets rns2 rv2 rx_packets
check "tx bytes of rv1 = rx bytes of rv2" same_counters rns1 rv1 tx_bytes rns2 rv2 rx_bytes
check "tx packets of rv2 = rx packets of rv1" same_counters rns2 rv2 tx_packets rns1 rv1 rx_packets
check "rv2 received more than 1 MB" test "$(nstat_of rns2 rv2 rx_bytes)" -gt 1000000
check_eq "ethtool -S peer_ifindex names the peer" "$(ifindex rv2 -n rns2)" \
	"$(ip netns exec rns1 ethtool -S rv1 | awk '/peer_ifindex/ {print $2}')"
check_eq "ethtool -S per-queue rx matches the device counter" "$(nstat_of rns2 rv2 rx_packets)" \
	"$(ip netns exec rns2 ethtool -S rv2 | awk '/rx_queue_0_packets/ {print $2}')"
check "netdev netlink qstats report rv2's queue" sh -c "ip netns exec rns2 $YNL --dump qstats-get \
	--json '{\"scope\": \"queue\"}' | python3 -c '
import ast, sys
rows = ast.literal_eval(sys.stdin.read())
ok = [r for r in rows if r[\"ifindex\"] == $(ifindex rv2 -n rns2) and r[\"queue-type\"] == \"rx\" and r[\"rx-packets\"] > 0]
sys.exit(0 if ok else 1)'"

# --- GRO through NAPI: with TSO/GSO off on the sender, only GRO can build frames > MTU ------
ip netns exec rns1 ethtool -K rv1 tso off gso off >/dev/null
gro_max_len() { # largest frame the receiver's stack saw during a short TCP run
	# The whole run is captured: the first few hundred frames (handshake, slow start) may
	# all arrive one per poll on a loaded host.
	capture_start rv2 /tmp/rveth.pcap rns2
	ip netns exec rns2 iperf3 -s -1 -D -B 10.2.0.2
	wait_for 10 sh -c "ip netns exec rns2 ss -ltn | grep -q 10.2.0.2:5201"
	# Long enough for several segments to queue up between two polls even on a slow TCG host.
	ip netns exec rns1 iperf3 -c 10.2.0.2 -t 3 >/dev/null
	capture_stop /tmp/rveth.pcap
}
check "GRO is off by default, as on veth" sh -c \
	'ip netns exec rns2 ethtool -k rv2 | grep -q "generic-receive-offload: off"'
check "without GRO the receiver sees no frame above the MTU" test "$(gro_max_len)" -le 1500
check "ethtool -K rv2 gro on" ip netns exec rns2 ethtool -K rv2 gro on
# A poll that finds one segment flushes it alone, and on 2 vCPUs the receiver often polls after
# every segment: hold GRO's packets across polls (as the kernel's own gro tests do on veth) so
# that segments in flight together are merged whatever the timing. In the KASAN guest under TCG
# the sender manages a few hundred segments a second: 1 ms merged 2 segments now and then
# (483 frames, the largest 2896 bytes); hold them 10 ms.
ip netns exec rns2 sh -c 'echo 10000000 >/sys/class/net/rv2/gro_flush_timeout &&
	echo 10 >/sys/class/net/rv2/napi_defer_hard_irqs'
check "with GRO (NAPI path) the receiver sees merged frames" test "$(gro_max_len)" -gt 1500
ip netns exec rns2 sh -c 'echo 0 >/sys/class/net/rv2/gro_flush_timeout &&
	echo 0 >/sys/class/net/rv2/napi_defer_hard_irqs'
check "ethtool -K rv2 gro off" ip netns exec rns2 ethtool -K rv2 gro off
check "traffic still flows after switching GRO off" ip netns exec rns1 ping -q -c 3 -i 0.2 -W 5 10.2.0.2

# --- a raw netlink client: named peer in another namespace -------------------------------
check_eq "netlink VETH_INFO_PEER with name and netns fd" OK \
	"$($NEWLINK rveth rnl0 --peer rnl1 --peer-netns-fd /run/netns/rns1)"
check "named peer created in the namespace given by fd" exists rnl1 -n rns1
check_eq "its iflink is the local end" "$(ifindex rnl0)" "$(ip netns exec rns1 cat /sys/class/net/rnl1/iflink)"
ip link del rnl0

# --- moving an end, deleting its namespace -------------------------------------------------
ip netns add rns3
check "move rv2 to another namespace" ip -n rns2 link set rv2 netns rns3
check "rv2 arrived in rns3" exists rv2 -n rns3
check "deleting the namespace holding one end removes the pair" sh -c \
	'ip netns del rns3; for i in $(seq 50); do ip -n rns1 link show rv1 >/dev/null 2>&1 || exit 0; sleep 0.2; done; exit 1'

# --- multiqueue -----------------------------------------------------------------------------
check "pair with 2 tx and 2 rx queues" ip link add rq1 numtxqueues 2 numrxqueues 2 type rveth \
	peer name rq2 numtxqueues 2 numrxqueues 2
check_eq "ethtool -l: 2 rx channels in use" 2 "$(ethtool -l rq1 | sed -n '/Current/,$p' | awk '/^RX:/ {print $2}')"
check "ethtool -L rq1 rx 1 tx 1" ethtool -L rq1 rx 1 tx 1
check_eq "ethtool -l: 1 rx channel after -L" 1 "$(ethtool -l rq1 | sed -n '/Current/,$p' | awk '/^RX:/ {print $2}')"
check "ethtool -L rx 3 (above maximum) refused" sh -c '! ethtool -L rq1 rx 3 2>/dev/null'
check "ethtool -L combined 1 refused" sh -c '! ethtool -L rq1 combined 1 2>/dev/null'
check "ethtool -S follows the channel count" sh -c \
	'ethtool -L rq1 rx 2 tx 2 && ethtool -S rq1 | grep -q rx_queue_1_packets'
ip link del rq1

# --- malformed requests: same errno as veth, nothing left behind ----------------------------
# Each case is one request to rveth (rbad, peer rpeer) and the same to veth (vbad, vpeer), all
# of one kind in one rtnl_newlink.py --batch run (one Python start per kind, not per request).
# A case is "bad DESCRIPTION|OPTIONS" (refused with veth's errno, nothing left behind) or
# "like MTU DESCRIPTION|OPTIONS" (what rtnetlink's liberal parsing lets through, taken as veth
# takes it: created, the peer's MTU as given).
newlink_cases=(
	"bad peer attribute shorter than an ifinfomsg|--peer-raw 00000000"
	"bad peer address of 3 bytes|--peer rpeer --peer-addr 020000"
	"bad multicast peer address|--peer rpeer --peer-addr 010000000001"
	"bad peer MTU 10|--peer rpeer --peer-mtu 10"
	"bad peer named like an existing device|--peer lo"
	"bad peer netns fd that is not open|--peer rpeer --peer-netns-fd 999"
	"bad peer netns fd that is not a namespace|--peer rpeer --peer-netns-fd /dev/null"
	"bad peer MTU in a 2-byte attribute|--peer rpeer --peer-mtu 1400 --peer-mtu-bytes 2"
	"like 1400 peer MTU 1400 in an 8-byte attribute accepted, as by veth|--peer rpeer --peer-mtu 1400 --peer-mtu-bytes 8"
)
newlink_batch() { # KIND NAME PEER: every case's request for that kind, answers one per line
	local c
	for c in "${newlink_cases[@]}"; do
		echo "$1 $2 ${c#*|}" | sed "s/rpeer/$3/g"
	done | $NEWLINK --batch 2>&1
}
mapfile -t rveth_answers < <(newlink_batch rveth rbad rpeer)
mapfile -t veth_answers < <(newlink_batch veth vbad vpeer)
for i in "${!newlink_cases[@]}"; do
	c=${newlink_cases[$i]%%|*}
	read -r rv r_name r_peer r_mtu <<<"${rveth_answers[$i]:-none}"
	read -r v v_name v_peer v_mtu <<<"${veth_answers[$i]:-none}"
	case $c in
	bad\ *)
		desc=${c#bad }
		if [ "$rv" != OK ] && [ "$rv" = "$v" ] && [ "$r_name$r_peer$v_name$v_peer" = 0000 ]; then
			ktap_test_pass "$desc ($rv, as veth)"
		else
			ktap_print_msg "rveth: ${rveth_answers[$i]:-no answer}; veth: ${veth_answers[$i]:-no answer} (answer, name left, peer left, peer MTU)"
			ktap_test_fail "$desc"
		fi
		;;
	like\ *)
		c=${c#like }
		mtu=${c%% *} desc=${c#* }
		if [ "$rv" = OK ] && [ "$v" = OK ] && [ "$r_mtu" = "$mtu" ] && [ "$v_mtu" = "$mtu" ]; then
			ktap_test_pass "$desc"
		else
			ktap_print_msg "rveth: ${rveth_answers[$i]:-no answer}; veth: ${veth_answers[$i]:-no answer} (answer, name left, peer left, peer MTU)"
			ktap_test_fail "$desc"
		fi
		;;
	esac
done

# --- unload under traffic, then reload ---------------------------------------------------------
ip link add rv1 netns rns1 type rveth peer name rv2 netns rns2
ip -n rns1 addr add 10.2.0.1/24 dev rv1
ip -n rns2 addr add 10.2.0.2/24 dev rv2
ip -n rns1 link set rv1 up
ip -n rns2 link set rv2 up
ip link add rvx type rveth peer name rvy
ip netns exec rns1 ping -q -f 10.2.0.2 >/dev/null 2>&1 &
flood=$!
sleep 1
check "rmmod rveth with pairs present and a ping flood running" rmmod rveth
kill $flood 2>/dev/null
wait $flood 2>/dev/null
check "all pairs gone after rmmod" sh -c '! ip -n rns1 link show rv1 2>/dev/null && ! ip link show rvx 2>/dev/null'
check "insmod rveth again" insmod "$KO"
check "a pair works after reload" sh -c 'ip link add rvr type rveth peer name rvs && ip link del rvr'
rmmod rveth
rmmod veth
ip netns del rns1
ip netns del rns2

ktap_finished
