// SPDX-License-Identifier: GPL-2.0
/*
 * rigb's XDP redirect test program: datagrams to port 7779 are turned around (as XDP_TX does)
 * and redirected to the device in slot 0 of the devmap `rigb_tx_port` (which the test fills in
 * with bpftool): another rigb, or the receiving one itself, which sends them back to the sender.
 */
#include "xdp_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} rigb_tx_port SEC(".maps");

SEC("xdp_redirect")
int xdp_redirect_prog(struct xdp_md *ctx)
{
	struct udp_frame *f = udp_to(ctx, 7779);

	if (!f)
		return XDP_PASS;
	turn_around(f);
	return bpf_redirect_map(&rigb_tx_port, 0, 0);
}
