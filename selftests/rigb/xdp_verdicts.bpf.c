// SPDX-License-Identifier: GPL-2.0
/*
 * rigb's XDP test programs, one verdict each (attached with
 * `ip link set dev D xdpdrv obj xdp_verdicts.bpf.o sec S`). Each acts only on UDP/IPv4
 * datagrams to its port and passes everything else, so ARP, ping and TCP keep working.
 */
#include "xdp_common.h"

/* Everything goes to the stack. */
SEC("xdp_pass")
int xdp_pass_prog(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Datagrams to port 7777 are dropped. */
SEC("xdp_drop")
int xdp_drop_prog(struct xdp_md *ctx)
{
	return udp_to(ctx, 7777) ? XDP_DROP : XDP_PASS;
}

/* Datagrams to port 7778 are sent back to the sender's socket, through XDP_TX. */
SEC("xdp_tx")
int xdp_tx_prog(struct xdp_md *ctx)
{
	struct udp_frame *f = udp_to(ctx, 7778);

	if (!f)
		return XDP_PASS;
	turn_around(f);
	return XDP_TX;
}

/* Datagrams to port 7781 abort (xdp:xdp_exception), to 7782 get an action that does not exist. */
SEC("xdp_abort")
int xdp_abort_prog(struct xdp_md *ctx)
{
	if (udp_to(ctx, 7781))
		return XDP_ABORTED;
	if (udp_to(ctx, 7782))
		return 99;
	return XDP_PASS;
}
