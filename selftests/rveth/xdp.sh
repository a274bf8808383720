#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# rveth's native XDP, as veth has it: the program runs on the receiving end's NAPI poll. A pair
# rxa (namespace rxn, the sender, 10.6.0.2) and rxb (the root namespace, 10.6.0.1, with the
# program). rigb's test programs (../rigb/xdp_verdicts.bpf.c, xdp_redirect.bpf.c) act only on
# UDP/IPv4 datagrams to their port:
#   7777 XDP_DROP, 7778 XDP_TX (turned around: back to the sender's socket through the peer),
#   7779 XDP_REDIRECT through a devmap (to rxb itself: ndo_xdp_xmit, received by the peer),
#   7781 XDP_ABORTED.
# Every verdict is checked by its effect at the sockets and by rveth's ethtool -S counters
# (named as veth's); then the refusals (peer MTU, channels; errno and extack), the peer's GSO and
# MTU limit while a program is attached, a swap under traffic, and deletion with a program.
set -u
# shellcheck source=selftests/lib.sh
. "$(dirname "$0")/../lib.sh"

DIR=$(dirname "$0")
KO=${RNET_MODDIR:-}/net/rveth.ko
VERDICTS=$DIR/xdp_verdicts.bpf.o
REDIRECT=$DIR/xdp_redirect.bpf.o
NS=rxn

require_rnet_module "$KO"
require "needs iproute2's rveth plugin (iproute2/link_rveth.so under RNET_MODDIR)" \
	test -r "${RNET_MODDIR:-}/iproute2/link_rveth.so"
require "needs the XDP test programs (built by the Makefile with clang -target bpf)" test -r "$VERDICTS" -a -r "$REDIRECT"
require "needs ip with libbpf to load XDP objects (ip -V: iproute2 built with libbpf)" sh -c "ip -V | grep -q libbpf"
require "needs bpftool (devmap updates)" bpftool version
require "needs xdp-loader (xdp-tools)" command -v xdp-loader
require "needs tcpdump (GRO after XDP_PASS)" tcpdump --version
require_ynl
ktap_print_header
ktap_set_plan "$(grep -cE "^\s*(check|check_eq) " "$0")"

export IP_LIB_DIR=$RNET_MODDIR/iproute2
rns() { ip netns exec "$NS" "$@"; }
# xsum DEV NAME [NETNS]: rx_queue_<n>_NAME of ethtool -S summed over the queues.
xsum() {
	${3:+ip netns exec "$3"} ethtool -S "$1" | awk -v k="$2" '$1 ~ "^rx_queue_[0-9]+_" k ":$" {s += $2} END {print s + 0}'
}
dstat() { ${3:+ip netns exec "$3"} ethtool -S "$1" | awk -v k="$2:" '$1 == k {print $2}'; }
attach() { ip -force link set dev rxb xdpdrv obj "${2:-$VERDICTS}" sec "$1"; }
detach() { ip link set dev rxb xdpdrv off; }
# udp_probe PORT COUNT WAIT: udp_echo_probe from the sender's namespace to 10.6.0.1.
udp_probe() { udp_echo_probe "$NS" 10.6.0.2 10.6.0.1 "$@"; }
# xfeat DEV [NETNS]: the device's xdp-features (netdev netlink family), sorted, space-separated.
xfeat() {
	${2:+ip netns exec "$2"} $YNL --do dev-get --output-json --json \
		"{\"ifindex\": $(${2:+ip netns exec "$2"} cat "/sys/class/net/$1/ifindex")}" |
		python3 -c 'import json, sys; print(" ".join(sorted(json.load(sys.stdin)["xdp-features"])))'
}
le32() { printf '%d %d %d %d' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# shellcheck disable=SC2046
set_redirect_target() { bpftool map update name rigb_tx_port key 0 0 0 0 value $(le32 "$(cat "/sys/class/net/$1/ifindex")"); }
# errno_of CMD...: the errno name a failed ip command printed (strerror text), or OK.
attach_err() { ip -force link set dev rxb xdpdrv obj "$VERDICTS" sec xdp_pass 2>&1 >/dev/null | head -n 3 | tr '\n' ' '; }

[ -e /sys/module/rveth ] || insmod "$KO"
ip netns del "$NS" 2>/dev/null
ip netns add "$NS"
check "ip link add rxb type rveth peer rxa (in $NS)" ip link add rxb type rveth peer name rxa netns "$NS"
ip addr add 10.6.0.1/24 dev rxb
rns ip addr add 10.6.0.2/24 dev rxa
ip link set rxb up
rns ip link set rxa up
check "ping across the pair" wait_for 10 rns ping -c 1 -W 1 10.6.0.1
# As veth: frames redirected into a device are received by its peer, so it takes them only
# while the peer's NAPI runs (a program or GRO there).
check_eq "xdp-features of rxb: basic, redirect; no ndo-xmit while rxa has no NAPI" "basic redirect" "$(xfeat rxb)"

# --- attach, XDP_PASS ---------------------------------------------------------------------------
check "attach xdp_pass in native mode (xdpdrv)" attach xdp_pass
check "ip -d link shows the program" sh -c "ip -d link show dev rxb | grep -q 'prog/xdp id'"
check_eq "xdp-features of rxa gain ndo-xmit (rxb's NAPI runs the program)" "basic ndo-xmit redirect" "$(xfeat rxa "$NS")"
check "the peer's software GSO is off while a program is attached" sh -c \
	"ip netns exec $NS ethtool -k rxa | grep -q 'tx-tcp-segmentation: off \[fixed\]'"
check_eq "the peer's maxmtu is what one page holds after the XDP headroom" 3506 \
	"$(rns ip -d -j link show dev rxa | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["max_mtu"])')"
check "ping through xdp_pass" rns ping -q -c 5 -i 0.2 -W 5 10.6.0.1
# GRO after XDP_PASS (veth's): the peer sends no GSO frames while a program is attached, so a
# TCP frame longer than the MTU at rxb's taps was merged by GRO after the program. GRO holds its
# packets across polls, as in rveth.sh (the sender manages a few hundred segments a second here).
check "GRO on rxb" ethtool -K rxb gro on
echo 10000000 >/sys/class/net/rxb/gro_flush_timeout
echo 10 >/sys/class/net/rxb/napi_defer_hard_irqs
capture_start rxb /tmp/rveth-xdp-gro.pcap
check "TCP through xdp_pass" sh -c "iperf3 -s -1 -D -B 10.6.0.1 >/dev/null; sleep 1; \
	ip netns exec $NS iperf3 -c 10.6.0.1 -n 4M >/dev/null"
check "GRO merged segments after XDP_PASS (a TCP frame above the MTU at rxb's taps)" \
	test "$(capture_stop /tmp/rveth-xdp-gro.pcap)" -gt 1500
echo 0 >/sys/class/net/rxb/gro_flush_timeout
echo 0 >/sys/class/net/rxb/napi_defer_hard_irqs
ethtool -K rxb gro off

# --- XDP_DROP -----------------------------------------------------------------------------------
check "replace with xdp_drop" attach xdp_drop
drop0=$(xsum rxb xdp_drops)
udp_probe 7777 50 0.5 >/dev/null
check_eq "50 datagrams to port 7777 dropped (xdp_drops)" 50 "$(($(xsum rxb xdp_drops) - drop0))"
check "other traffic passes xdp_drop" rns ping -q -c 3 -i 0.2 -W 5 10.6.0.1

# --- xdp-loader (xdp-tools) ---------------------------------------------------------------------
# The drop program loaded as xdp-tools users load programs: libxdp attaches it behind its
# dispatcher where the kernel allows (BTF, freplace), else alone; rxb runs it natively either way.
detach
check "xdp-loader load -m native -s xdp_drop rxb" xdp-loader load -m native -s xdp_drop rxb "$VERDICTS"
check "xdp-loader status: a native program on rxb" sh -c "xdp-loader status rxb | grep -q 'native'"
drop0=$(xsum rxb xdp_drops)
udp_probe 7777 20 0.5 >/dev/null
check_eq "20 datagrams dropped by xdp-loader's program" 20 "$(($(xsum rxb xdp_drops) - drop0))"
check "xdp-loader unload rxb --all" xdp-loader unload rxb --all
check "no program left on rxb" sh -c "! ip -d link show dev rxb | grep -q prog/xdp"

# --- XDP_TX -------------------------------------------------------------------------------------
check "replace with xdp_tx" attach xdp_tx
txe0=$(xsum rxb xdp_tx_errors)
check_eq "with the peer's NAPI off (GRO off, no program), XDP_TX has nowhere to go" 0 "$(udp_probe 7778 10 1)"
check_eq "... and the 10 failures are counted (xdp_tx_errors)" 10 "$(($(xsum rxb xdp_tx_errors) - txe0))"
check "GRO on the peer (its NAPI takes frames)" rns ethtool -K rxa gro on
check_eq "xdp-features of rxb gain ndo-xmit (rxa's NAPI on with GRO)" "basic ndo-xmit redirect" "$(xfeat rxb)"
# A datagram from rxa carries a partial checksum (the pair offers HW_CSUM, as veth); sent back
# as a raw frame it would fail the sender's checksum check, as with veth: full checksums.
check "checksums computed by the sender (tx off)" rns ethtool -K rxa tx off
tx0=$(xsum rxb xdp_tx)
check_eq "20 datagrams to port 7778 came back to the sender (XDP_TX)" 20 "$(udp_probe 7778 20 5)"
check_eq "xdp_tx counts them" 20 "$(($(xsum rxb xdp_tx) - tx0))"

# --- XDP_REDIRECT (out of rxb, into rxb: ndo_xdp_xmit, received by rxa) ---------------------------
check "attach xdp_redirect" attach xdp_redirect "$REDIRECT"
check "devmap slot 0: rxb itself" set_redirect_target rxb
red0=$(xsum rxb xdp_redirect)
xm0=$(dstat rxb xdp_xmit)
check_eq "20 datagrams to port 7779 redirected into rxb came back to the sender" 20 "$(udp_probe 7779 20 5)"
check_eq "xdp_redirect counts them" 20 "$(($(xsum rxb xdp_redirect) - red0))"
check_eq "rxb's xdp_xmit counts the frames redirected into it" 20 "$(($(dstat rxb xdp_xmit) - xm0))"

# --- XDP_ABORTED --------------------------------------------------------------------------------
check "replace with xdp_abort" attach xdp_abort
drop0=$(xsum rxb xdp_drops)
udp_probe 7781 10 0.5 >/dev/null
check_eq "10 aborted datagrams counted as XDP drops" 10 "$(($(xsum rxb xdp_drops) - drop0))"

# --- refusals -----------------------------------------------------------------------------------
check "a peer MTU beyond the limit is refused while attached (EINVAL)" sh -c \
	"! ip netns exec $NS ip link set dev rxa mtu 9000 2>/dev/null"
detach
check_eq "xdp-features of rxa lose ndo-xmit with the program (rxb: no GRO)" "basic redirect" "$(xfeat rxa "$NS")"
# (TSO needs the transmit checksums back.)
rns ethtool -K rxa tx on >/dev/null
check "the peer's software GSO is back after detaching" sh -c \
	"ip netns exec $NS ethtool -k rxa | grep -q 'tx-tcp-segmentation: on'"
rns ip link set dev rxa mtu 9000
check "attach with the peer's MTU at 9000: ERANGE, 'peer MTU is too large'" sh -c \
	"ip -force link set dev rxb xdpdrv obj $VERDICTS sec xdp_pass 2>&1 | grep -q 'peer MTU is too large'"
rns ip link set dev rxa mtu 1500
rns ethtool -L rxa tx 2 >/dev/null 2>&1
check "attach with more peer tx queues than rx queues: 'not less than peer tx queues'" sh -c \
	"ip -force link set dev rxb xdpdrv obj $VERDICTS sec xdp_pass 2>&1 | grep -q 'not less than peer tx queues'"
# Nor may channels change under a program so that it could no longer be run (veth_set_channels;
# the kernel's net/veth.sh "reducing RX nr below peer TX with XDP set").
ethtool -L rxb rx 2 >/dev/null 2>&1
check "attach with 2 rx queues for the peer's 2 tx queues" attach xdp_pass
check_eq "then rx channels below the peer's tx queues refused" EINVAL "$(ethtool_errno ethtool -L rxb rx 1)"
check_eq "and the 2 rx channels kept" 2 "$(ethtool -l rxb | awk '/^RX:/ {v = $2} END {print v}')"
detach
ethtool -L rxb rx 1 >/dev/null 2>&1
rns ethtool -L rxa tx 1 >/dev/null 2>&1

# --- swap under traffic, delete with a program ----------------------------------------------------
check "attach xdp_pass again" attach xdp_pass
rns ping -q -i 0.01 -c 300 10.6.0.1 >/dev/null 2>&1 &
pp=$!
for s in xdp_drop xdp_tx xdp_pass xdp_abort xdp_pass; do attach "$s"; done
wait $pp
check "ping after five swaps under traffic" rns ping -q -c 3 -i 0.2 -W 5 10.6.0.1
check "delete the pair with a program attached" ip link del rxb
ip netns del "$NS"
check "rmmod rveth" rmmod rveth
ktap_finished
