// SPDX-License-Identifier: GPL-2.0
/*
 * rnet: wrappers of the XDP and BPF static inlines (and the xdp_exception tracepoint) that
 * rust/kernel/net/xdp/ calls. Only one-line wrappers belong here; the logic lives in Rust.
 */

#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/xdp.h>
#include <trace/events/xdp.h>

#ifdef CONFIG_NET

__rust_helper void rust_helper_rnet_bpf_prog_inc(struct bpf_prog *prog)
{
	bpf_prog_inc(prog);
}

__rust_helper void rust_helper_rnet_bpf_prog_put(struct bpf_prog *prog)
{
	bpf_prog_put(prog);
}

__rust_helper u32 rust_helper_rnet_bpf_prog_id(const struct bpf_prog *prog)
{
	return prog->aux->id;
}

__rust_helper void rust_helper_rnet_xdp_init_buff(struct xdp_buff *xdp, u32 frame_sz,
						  struct xdp_rxq_info *rxq)
{
	xdp_init_buff(xdp, frame_sz, rxq);
}

__rust_helper void rust_helper_rnet_xdp_prepare_buff(struct xdp_buff *xdp,
						     unsigned char *hard_start, int headroom,
						     int data_len)
{
	xdp_prepare_buff(xdp, hard_start, headroom, data_len, true);
}

__rust_helper u32 rust_helper_rnet_bpf_prog_run_xdp(const struct bpf_prog *prog,
						    struct xdp_buff *xdp)
{
	return bpf_prog_run_xdp(prog, xdp);
}

__rust_helper struct xdp_frame *rust_helper_rnet_xdp_convert_buff_to_frame(struct xdp_buff *xdp)
{
	return xdp_convert_buff_to_frame(xdp);
}

__rust_helper void rust_helper_rnet_trace_xdp_exception(const struct net_device *dev,
							const struct bpf_prog *prog, u32 act)
{
	trace_xdp_exception(dev, prog, act);
}

__rust_helper bool rust_helper_rnet_xdp_frame_has_frags(const struct xdp_frame *frame)
{
	return xdp_frame_has_frags(frame);
}

__rust_helper void rust_helper_rnet_skb_metadata_set(struct sk_buff *skb, u8 meta_len)
{
	skb_metadata_set(skb, meta_len);
}

__rust_helper void rust_helper_rnet_xdp_set_return_frame_no_direct(void)
{
	xdp_set_return_frame_no_direct();
}

__rust_helper void rust_helper_rnet_xdp_clear_return_frame_no_direct(void)
{
	xdp_clear_return_frame_no_direct();
}

__rust_helper void rust_helper_rnet_txq_trans_cond_update(struct netdev_queue *txq)
{
	txq_trans_cond_update(txq);
}

#endif /* CONFIG_NET */
