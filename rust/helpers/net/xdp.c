// SPDX-License-Identifier: GPL-2.0
/*
 * rnet: wrappers of the XDP and BPF static inlines (and the xdp_exception tracepoint) that
 * rust/kernel/net/xdp/ calls. Only one-line wrappers belong here; the logic lives in Rust.
 */

#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/skbuff_ref.h>
#include <net/sock.h>
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

__rust_helper bool rust_helper_rnet_bpf_prog_xdp_has_frags(const struct bpf_prog *prog)
{
	return prog->aux->xdp_has_frags;
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

/* XDP on socket buffers (rust/kernel/net/xdp/skb.rs, veth_xdp_rcv_skb's steps). */

__rust_helper void rust_helper_rnet_skb_prepare_for_gro(struct sk_buff *skb)
{
	skb_prepare_for_gro(skb);
}

__rust_helper bool rust_helper_rnet_skb_mac_header_was_set(const struct sk_buff *skb)
{
	return skb_mac_header_was_set(skb);
}

__rust_helper int rust_helper_rnet_skb_mac_offset(const struct sk_buff *skb)
{
	return skb_mac_offset(skb);
}

__rust_helper void rust_helper_rnet___skb_push(struct sk_buff *skb, unsigned int len)
{
	__skb_push(skb, len);
}

__rust_helper void rust_helper_rnet___skb_pull(struct sk_buff *skb, unsigned int len)
{
	__skb_pull(skb, len);
}

__rust_helper void rust_helper_rnet_skb_reset_mac_header(struct sk_buff *skb)
{
	skb_reset_mac_header(skb);
}

__rust_helper void rust_helper_rnet_skb_set_tail_pointer(struct sk_buff *skb, int offset)
{
	skb_set_tail_pointer(skb, offset);
}

__rust_helper bool rust_helper_rnet_skb_shared(const struct sk_buff *skb)
{
	return skb_shared(skb);
}

__rust_helper bool rust_helper_rnet_skb_head_is_locked(const struct sk_buff *skb)
{
	return skb_head_is_locked(skb);
}

__rust_helper bool rust_helper_rnet_skb_is_nonlinear(const struct sk_buff *skb)
{
	return skb_is_nonlinear(skb);
}

__rust_helper unsigned int rust_helper_rnet_skb_headroom(const struct sk_buff *skb)
{
	return skb_headroom(skb);
}

/* The skb head's size as an XDP frame: up to its end, with the shared info after it. */
__rust_helper u32 rust_helper_rnet_skb_xdp_frame_sz(const struct sk_buff *skb)
{
	return skb_end_pointer(skb) - skb->head + SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
}

__rust_helper void rust_helper_rnet_skb_set_xdp_frags_size(struct sk_buff *skb)
{
	skb_shinfo(skb)->xdp_frags_size = skb->data_len;
}

__rust_helper u32 rust_helper_rnet_skb_xdp_frags_size(struct sk_buff *skb)
{
	return skb_shinfo(skb)->xdp_frags_size;
}

__rust_helper u32 rust_helper_rnet_skb_nr_frags(struct sk_buff *skb)
{
	return skb_shinfo(skb)->nr_frags;
}

__rust_helper void rust_helper_rnet_xdp_buff_set_frags_flag(struct xdp_buff *xdp)
{
	xdp_buff_set_frags_flag(xdp);
}

__rust_helper void rust_helper_rnet_xdp_buff_clear_frags_flag(struct xdp_buff *xdp)
{
	xdp_buff_clear_frags_flag(xdp);
}

__rust_helper bool rust_helper_rnet_xdp_buff_has_frags(const struct xdp_buff *xdp)
{
	return xdp_buff_has_frags(xdp);
}

__rust_helper u32 rust_helper_rnet_xdp_buff_nr_frags(struct xdp_buff *xdp)
{
	return xdp_get_shared_info_from_buff(xdp)->nr_frags;
}

__rust_helper void rust_helper_rnet_xdp_buff_frag_ref(struct xdp_buff *xdp, u32 i)
{
	__skb_frag_ref(&xdp_get_shared_info_from_buff(xdp)->frags[i]);
}

__rust_helper void rust_helper_rnet_get_page_of(const void *addr)
{
	get_page(virt_to_page(addr));
}

__rust_helper void rust_helper_rnet_xdp_convert_frame_to_buff(const struct xdp_frame *frame,
							      struct xdp_buff *xdp)
{
	xdp_convert_frame_to_buff(frame, xdp);
}

__rust_helper int rust_helper_rnet_xdp_update_frame_from_buff(const struct xdp_buff *xdp,
							      struct xdp_frame *frame)
{
	return xdp_update_frame_from_buff(xdp, frame);
}

__rust_helper u32 rust_helper_rnet_xdp_get_frame_len(const struct xdp_frame *frame)
{
	return xdp_get_frame_len(frame);
}

__rust_helper u32 rust_helper_rnet_xdp_frame_mem_type(const struct xdp_frame *frame)
{
	return frame->mem_type;
}

#endif /* CONFIG_NET */
