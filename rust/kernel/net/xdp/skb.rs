// SPDX-License-Identifier: GPL-2.0

//! XDP for software devices: the receiving end of a pair runs its program on the socket
//! buffers the other end transmitted ([`run_skb`], veth's `veth_xdp_rcv_skb`) and on the XDP
//! frames sent back or redirected to it ([`run_frame`], `veth_xdp_rcv_one`), in its receive
//! queue's NAPI poll.
//!
//! A socket buffer is run in place when the program may write it (the only reference to a
//! linear head in a page fragment, with [`PACKET_HEADROOM`] in front of the frame); otherwise
//! its data is first copied into pages of the queue's [`CopyPool`] (`skb_pp_cow_data`). A frame
//! that leaves with `XDP_TX` or `XDP_REDIRECT` takes references of its own on the pages and the
//! socket buffer is consumed: the queue's [`XdpRxq`] is registered with shared pages
//! ([`XdpRxq::new_shared`]), so the frame is returned with `page_frag_free`.
//!
//! [`PACKET_HEADROOM`]: super::PACKET_HEADROOM

use super::{XdpFrame, XdpProgRef, XdpRxq, PACKET_HEADROOM};
use crate::{
    bindings,
    error::from_err_ptr,
    net::{
        dev::{Device, Driver},
        napi::{NapiPoll, Poll},
        skbuff::SkBuff,
    },
    prelude::*,
};
use core::{cell::Cell, marker::PhantomData, ptr::NonNull};

/// Bytes of an Ethernet header: the least a frame the stack receives may have.
const ETH_HLEN: usize = bindings::ETH_HLEN as usize;

/// A page pool of order-0 pages without DMA (veth's per-queue `page_pool`), into which
/// [`run_skb`] copies socket buffers an XDP program may not write in place. Destroyed on drop
/// (`page_pool_destroy`; pages still in flight keep it alive until they come back).
///
/// Like any page pool, it hands out pages to one consumer at a time: it is not `Sync`, so it
/// lives in one receive queue and is used from that queue's NAPI poll. Dropping it sleeps.
///
/// # Invariants
///
/// `pool` was returned by a successful `page_pool_create` with no flags (no DMA, so no device:
/// the pool touches `dev` only to map and sync) and order 0, and is destroyed only by the drop.
pub struct CopyPool {
    pool: NonNull<bindings::page_pool>,
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: A pool may be used from, and destroyed on, any CPU; it is only used from one at a
// time (it is not `Sync`).
unsafe impl Send for CopyPool {}

impl CopyPool {
    /// Creates a pool for a receive queue, keeping up to `pool_size` pages for reuse (the
    /// queue's ring size is a good value). Fails with the error of `page_pool_create`
    /// (`ENOMEM`). Sleeps.
    pub fn new(pool_size: u32) -> Result<Self> {
        crate::task::might_sleep();
        // SAFETY: All-zero `page_pool_params` is valid: no flags, no device, no NAPI, no netdev.
        let mut params: bindings::page_pool_params = unsafe { core::mem::zeroed() };
        params.__bindgen_anon_1.__bindgen_anon_1.order = 0;
        params.__bindgen_anon_1.__bindgen_anon_1.pool_size = pool_size.max(1);
        params.__bindgen_anon_1.__bindgen_anon_1.nid = bindings::NUMA_NO_NODE;
        // SAFETY: `params` is valid for the call (the pool copies it).
        let pool = from_err_ptr(unsafe { bindings::page_pool_create(&params) })?;
        let pool = NonNull::new(pool).ok_or(ENOMEM)?;
        // INVARIANT: Created as documented.
        Ok(Self {
            pool,
            _not_sync: PhantomData,
        })
    }
}

impl Drop for CopyPool {
    fn drop(&mut self) {
        // `page_pool_destroy` takes mutexes.
        crate::task::might_sleep();
        // SAFETY: The pool is valid and destroyed once (type invariant).
        unsafe { bindings::page_pool_destroy(self.pool.as_ptr()) }
    }
}

/// What became of a socket buffer the program saw ([`run_skb`]). Everything but
/// [`XdpSkbVerdict::Pass`] has consumed it; drivers count each kind (veth's `xdp_*` stats).
pub enum XdpSkbVerdict {
    /// `XDP_PASS`: the buffer as the program left it, classified again (`eth_type_trans`), for
    /// the stack.
    Pass(SkBuff),
    /// `XDP_DROP`: freed.
    Drop,
    /// `XDP_TX`: the driver's transmit closure took the frame.
    Tx,
    /// `XDP_TX` that failed (no room for the `struct xdp_frame`, or the closure gave the frame
    /// back): traced as an exception, freed.
    TxFailed,
    /// `XDP_REDIRECT`: the frame went to `xdp_do_redirect`, flushed before the poll ends.
    Redirect,
    /// `XDP_REDIRECT` refused by `xdp_do_redirect`: freed.
    RedirectFailed,
    /// `XDP_ABORTED`, an unknown action (traced), or a buffer refused before the program ran
    /// (no MAC header in front of its data, a queue of another device or memory model, a
    /// zero-budget poll): freed.
    Aborted,
    /// No memory to copy a buffer the program may not write in place: freed, not run.
    CopyFailed,
}

/// What became of a frame the program saw ([`run_frame`]). Everything but
/// [`XdpFrameVerdict::Pass`] has consumed it.
pub enum XdpFrameVerdict {
    /// `XDP_PASS`: the frame as the program left it; build its skb with [`frame_to_skb`].
    Pass(XdpFrame),
    /// `XDP_DROP`: returned.
    Drop,
    /// `XDP_TX`: the driver's transmit closure took the frame.
    Tx,
    /// `XDP_TX` that failed: traced as an exception, returned.
    TxFailed,
    /// `XDP_REDIRECT`: the frame went to `xdp_do_redirect`.
    Redirect,
    /// `XDP_REDIRECT` refused by `xdp_do_redirect`: returned.
    RedirectFailed,
    /// `XDP_ABORTED`, an unknown action (traced), or a frame refused before the program ran
    /// (see [`XdpSkbVerdict::Aborted`]): returned.
    Aborted,
}

/// Whether `rxq` and `ctx` allow a program run: a queue of the poll's device with shared pages,
/// and a poll with a budget (netpoll's zero-budget poll has no `bpf_net_context` and may run
/// outside softirq context).
fn may_run<P: Poll>(rxq: &XdpRxq, ctx: &NapiPoll<'_, P>) -> bool {
    rxq.is_of(ctx.device().as_raw()) && !rxq.has_pool() && ctx.budget() > 0
}

/// Runs `prog` on `skb`, received on queue `rxq` (registered with [`XdpRxq::new_shared`]) from
/// its NAPI poll `ctx`, copying it into `pool` first if the program may not write it in place,
/// and carries out the verdict (veth's `veth_xdp_rcv_skb`). `XDP_TX` hands the frame to `tx`
/// (which queues it, or gives it back); `XDP_REDIRECT` goes to `xdp_do_redirect`, flushed by the
/// NAPI abstraction before the poll ends.
///
/// `skb` is a received frame whose Ethernet header was pulled (`eth_type_trans`): the program
/// sees it from that header on. A buffer whose MAC header is not in front of its data is
/// refused ([`XdpSkbVerdict::Aborted`]).
pub fn run_skb<P: Poll>(
    prog: XdpProgRef<'_>,
    rxq: &XdpRxq,
    pool: &CopyPool,
    skb: SkBuff,
    ctx: &NapiPoll<'_, P>,
    tx: impl FnOnce(XdpFrame) -> core::result::Result<(), XdpFrame>,
) -> XdpSkbVerdict {
    let dev = ctx.device().as_raw();
    if !may_run(rxq, ctx) {
        return XdpSkbVerdict::Aborted;
    }
    let mut raw = skb.into_raw();
    // SAFETY: `raw` is a valid skb we own, until it is consumed or handed on below.
    let mac_offset = unsafe {
        bindings::rnet_skb_prepare_for_gro(raw);
        if bindings::rnet_skb_mac_header_was_set(raw) {
            bindings::rnet_skb_mac_offset(raw)
        } else {
            1
        }
    };
    if mac_offset > 0 {
        // SAFETY: Ours; freed once.
        unsafe { bindings::kfree_skb(raw) };
        return XdpSkbVerdict::Aborted;
    }
    // SAFETY: Ours; the MAC header lies `-mac_offset` bytes in front of the data, within the
    // head (its offset is counted from the head).
    unsafe { bindings::rnet___skb_push(raw, mac_offset.unsigned_abs()) };
    // SAFETY: Ours.
    let in_place = unsafe {
        !bindings::rnet_skb_shared(raw)
            && !bindings::rnet_skb_head_is_locked(raw)
            && !bindings::rnet_skb_is_nonlinear(raw)
            && bindings::rnet_skb_headroom(raw) >= PACKET_HEADROOM
    };
    if !in_place {
        let pool = pool.pool.as_ptr();
        // SAFETY: `raw` is ours and `pool` valid; the pool is used from this poll only (it is
        // not `Sync`, and the poll runs on one CPU at a time). On success the copy replaces
        // `raw`, whose reference the function consumed; on failure `raw` is unchanged.
        let err = unsafe { bindings::skb_pp_cow_data(pool, &mut raw, PACKET_HEADROOM) };
        if err != 0 {
            // SAFETY: Still ours.
            unsafe { bindings::rnet_consume_skb(raw) };
            return XdpSkbVerdict::CopyFailed;
        }
    }
    let mut xdp = bindings::xdp_buff::default();
    // SAFETY: `raw` is ours, writable in place (checked or copied above): a linear part in a
    // page fragment that nobody else references, `frame_sz` bytes from its head with the shared
    // info at the end, and the frame `headlen` bytes long after `headroom` bytes.
    let has_frags = unsafe {
        bindings::rnet_xdp_init_buff(&mut xdp, bindings::rnet_skb_xdp_frame_sz(raw), rxq.as_raw());
        bindings::rnet_xdp_prepare_buff(
            &mut xdp,
            (*raw).head,
            bindings::rnet_skb_headroom(raw) as c_int,
            bindings::skb_headlen(raw) as c_int,
        );
        if bindings::rnet_skb_nr_frags(raw) != 0 {
            bindings::rnet_skb_set_xdp_frags_size(raw);
            bindings::rnet_xdp_buff_set_frags_flag(&mut xdp);
            true
        } else {
            bindings::rnet_xdp_buff_clear_frags_flag(&mut xdp);
            false
        }
    };
    let (orig_data, orig_end) = (xdp.data as usize, xdp.data_end as usize);
    // SAFETY: `prog` is valid for the call; in a NAPI poll (bottom halves off, the poll's
    // `bpf_net_context` set, `may_run`); `xdp` describes memory we own.
    let act = unsafe { bindings::rnet_bpf_prog_run_xdp(prog.as_raw(), &mut xdp) };
    let exception = |act: u32| {
        // SAFETY: `dev` and `prog` are valid for the call.
        unsafe { bindings::rnet_trace_xdp_exception(dev, prog.as_raw(), act) }
    };
    match act {
        bindings::xdp_action_XDP_PASS => {
            let (data, end, meta) = (
                xdp.data as usize,
                xdp.data_end as usize,
                xdp.data_meta as usize,
            );
            // The helpers keep the frame within the buffer, at least a header long; check.
            if end < data + ETH_HLEN || meta > data {
                // SAFETY: Ours.
                unsafe { bindings::kfree_skb(raw) };
                exception(act);
                return XdpSkbVerdict::Aborted;
            }
            // SAFETY: `raw` is ours; the program moved the frame's start and end within the
            // head (and the fragments' sizes in the shared info): the skb follows, as veth's.
            unsafe {
                if orig_data > data {
                    bindings::rnet___skb_push(raw, (orig_data - data) as u32);
                } else if orig_data < data {
                    bindings::rnet___skb_pull(raw, (data - orig_data) as u32);
                }
                bindings::rnet_skb_reset_mac_header(raw);
                (*raw).len = (*raw).len.wrapping_sub((*raw).data_len);
                if bindings::rnet_xdp_buff_has_frags(&xdp) {
                    (*raw).data_len = bindings::rnet_skb_xdp_frags_size(raw);
                    (*raw).len = (*raw).len.wrapping_add((*raw).data_len);
                } else {
                    (*raw).data_len = 0;
                }
                if end != orig_end {
                    bindings::rnet_skb_set_tail_pointer(raw, (end - data) as c_int);
                    (*raw).len = (*raw)
                        .len
                        .wrapping_add((end as u32).wrapping_sub(orig_end as u32));
                }
                bindings::rnet_skb_set_protocol(raw, bindings::eth_type_trans(raw, dev));
                if data > meta {
                    bindings::rnet_skb_metadata_set(raw, (data - meta) as u8);
                }
                XdpSkbVerdict::Pass(SkBuff::from_raw(raw))
            }
        }
        bindings::xdp_action_XDP_TX | bindings::xdp_action_XDP_REDIRECT => {
            // The frame takes page references of its own; the skb goes (veth_xdp_get).
            // SAFETY: `xdp.data` lies in the skb's head, a page fragment (in place) or a pool
            // page (copied); the fragments are the skb's, described by the shared info.
            unsafe {
                bindings::rnet_get_page_of(xdp.data);
                if has_frags {
                    for i in 0..bindings::rnet_xdp_buff_nr_frags(&mut xdp) {
                        bindings::rnet_xdp_buff_frag_ref(&mut xdp, i);
                    }
                }
                bindings::rnet_consume_skb(raw);
            }
            if act == bindings::xdp_action_XDP_REDIRECT {
                // SAFETY: As for the program run; on success the target owns the frame.
                let err = unsafe { redirect(dev, &mut xdp, prog) };
                ctx.note_xdp_redirect();
                if err == 0 {
                    return XdpSkbVerdict::Redirect;
                }
                // SAFETY: The references taken above, returned once (shared pages).
                unsafe { bindings::xdp_return_buff(&mut xdp) };
                return XdpSkbVerdict::RedirectFailed;
            }
            // SAFETY: `xdp` is ours; the frame is written into its headroom (or NULL).
            let frame = unsafe { bindings::rnet_xdp_convert_buff_to_frame(&mut xdp) };
            let Some(frame) = NonNull::new(frame) else {
                // SAFETY: As above.
                unsafe { bindings::xdp_return_buff(&mut xdp) };
                exception(act);
                return XdpSkbVerdict::TxFailed;
            };
            // SAFETY: A frame just made from the buffer, owning the references taken above.
            let frame = unsafe { XdpFrame::from_raw(frame) };
            match tx(frame) {
                Ok(()) => XdpSkbVerdict::Tx,
                Err(frame) => {
                    drop(frame);
                    exception(act);
                    XdpSkbVerdict::TxFailed
                }
            }
        }
        bindings::xdp_action_XDP_DROP => {
            // SAFETY: Ours.
            unsafe { bindings::kfree_skb(raw) };
            XdpSkbVerdict::Drop
        }
        _ => {
            if act != bindings::xdp_action_XDP_ABORTED {
                // SAFETY: `dev` and `prog` are valid for the call.
                unsafe { bindings::bpf_warn_invalid_xdp_action(dev, prog.as_raw(), act) };
            }
            exception(act);
            // SAFETY: Ours.
            unsafe { bindings::kfree_skb(raw) };
            XdpSkbVerdict::Aborted
        }
    }
}

/// `xdp_do_redirect`, with buffers it frees on the spot (an AF_XDP socket in copy mode copies
/// and returns them at once) going back through their page pool's ring, never into its
/// NAPI-local cache: a frame may come from another device's page pool, whose NAPI may be
/// running on another CPU (veth sets the same flag around its whole poll).
///
/// # Safety
///
/// As for `xdp_do_redirect`: called from a NAPI poll of `dev`, `xdp` a buffer the caller owns
/// and `prog` the program that asked for the redirect.
unsafe fn redirect(
    dev: *mut bindings::net_device,
    xdp: &mut bindings::xdp_buff,
    prog: XdpProgRef<'_>,
) -> i32 {
    // SAFETY: In a NAPI poll, whose `bpf_net_context` the core set; the rest is the caller's.
    unsafe {
        bindings::rnet_xdp_set_return_frame_no_direct();
        let err = bindings::xdp_do_redirect(dev, xdp, prog.as_raw());
        bindings::rnet_xdp_clear_return_frame_no_direct();
        err
    }
}

/// Runs `prog` on `frame`, sent back or redirected to queue `rxq` (registered with
/// [`XdpRxq::new_shared`]) and received in its NAPI poll `ctx`, and carries out the verdict
/// (veth's `veth_xdp_rcv_one`). A frame leaving again is returned as the memory it came in
/// (its own memory model, e.g. another device's page pool).
pub fn run_frame<P: Poll>(
    prog: XdpProgRef<'_>,
    rxq: &XdpRxq,
    frame: XdpFrame,
    ctx: &NapiPoll<'_, P>,
    tx: impl FnOnce(XdpFrame) -> core::result::Result<(), XdpFrame>,
) -> XdpFrameVerdict {
    let dev = ctx.device().as_raw();
    if !may_run(rxq, ctx) {
        return XdpFrameVerdict::Aborted;
    }
    let raw = frame.as_raw();
    // The queue's registration with the frame's memory model, for the frame made again from the
    // buffer (veth rewrites its queue's registration; a copy leaves it alone). Nothing keeps
    // the registration's address beyond the calls below.
    // SAFETY: The registration is valid and only read after registration (`XdpRxq`).
    let mut rxq_info = unsafe { core::ptr::read(rxq.as_raw()) };
    // SAFETY: `raw` is a valid frame we own.
    rxq_info.mem.type_ = unsafe { bindings::rnet_xdp_frame_mem_type(raw) };
    let mut xdp = bindings::xdp_buff::default();
    // SAFETY: As above; the buffer is the frame's (its headroom holds the frame itself).
    unsafe { bindings::rnet_xdp_convert_frame_to_buff(raw, &mut xdp) };
    xdp.rxq = &mut rxq_info;
    // SAFETY: As in `run_skb`.
    let act = unsafe { bindings::rnet_bpf_prog_run_xdp(prog.as_raw(), &mut xdp) };
    let exception = |act: u32| {
        // SAFETY: `dev` and `prog` are valid for the call.
        unsafe { bindings::rnet_trace_xdp_exception(dev, prog.as_raw(), act) }
    };
    match act {
        bindings::xdp_action_XDP_PASS => {
            // SAFETY: `xdp` describes the frame's buffer, `raw` is ours.
            if unsafe { bindings::rnet_xdp_update_frame_from_buff(&xdp, raw) } != 0 {
                drop(frame);
                exception(act);
                return XdpFrameVerdict::Aborted;
            }
            XdpFrameVerdict::Pass(frame)
        }
        bindings::xdp_action_XDP_TX | bindings::xdp_action_XDP_REDIRECT => {
            // The buffer leaves as a new frame written over the old one; keep a copy to
            // return it by if that fails (the program cannot reach the frame's bytes: its
            // helpers keep `data` behind them).
            // SAFETY: `raw` is valid; a plain copy of the structure.
            let mut orig = unsafe { core::ptr::read(raw) };
            core::mem::forget(frame);
            if act == bindings::xdp_action_XDP_REDIRECT {
                // SAFETY: As for the program run; on success the target owns the buffer.
                let err = unsafe { redirect(dev, &mut xdp, prog) };
                ctx.note_xdp_redirect();
                if err == 0 {
                    return XdpFrameVerdict::Redirect;
                }
                // SAFETY: The buffer is still ours, described by `orig`; returned once.
                unsafe { bindings::xdp_return_frame(&mut orig) };
                return XdpFrameVerdict::RedirectFailed;
            }
            // SAFETY: `xdp` is ours; the frame is written into its headroom (or NULL).
            let new = unsafe { bindings::rnet_xdp_convert_buff_to_frame(&mut xdp) };
            let Some(new) = NonNull::new(new) else {
                // SAFETY: As above.
                unsafe { bindings::xdp_return_frame(&mut orig) };
                exception(act);
                return XdpFrameVerdict::TxFailed;
            };
            // SAFETY: The buffer's frame, whose ownership moved from `frame`.
            let new = unsafe { XdpFrame::from_raw(new) };
            match tx(new) {
                Ok(()) => XdpFrameVerdict::Tx,
                Err(new) => {
                    drop(new);
                    exception(act);
                    XdpFrameVerdict::TxFailed
                }
            }
        }
        bindings::xdp_action_XDP_DROP => {
            drop(frame);
            XdpFrameVerdict::Drop
        }
        _ => {
            if act != bindings::xdp_action_XDP_ABORTED {
                // SAFETY: `dev` and `prog` are valid for the call.
                unsafe { bindings::bpf_warn_invalid_xdp_action(dev, prog.as_raw(), act) };
            }
            exception(act);
            drop(frame);
            XdpFrameVerdict::Aborted
        }
    }
}

/// Builds the skb of `frame` for the stack on `dev` (`xdp_build_skb_from_frame`: the frame's
/// memory becomes the skb's, classified with `eth_type_trans`). `None` if no skb could be
/// allocated; the frame is returned then.
pub fn frame_to_skb<T: Driver>(frame: XdpFrame, dev: &Device<T>) -> Option<SkBuff> {
    let raw = frame.as_raw();
    // SAFETY: `raw` is a valid frame we own and `dev` a valid device; on success the skb owns
    // the frame's memory (the frame structure, in its headroom, is not used again).
    let skb = unsafe { bindings::xdp_build_skb_from_frame(raw, dev.as_raw()) };
    let skb = NonNull::new(skb)?;
    core::mem::forget(frame);
    // SAFETY: A new skb whose reference is ours.
    Some(unsafe { SkBuff::from_raw(skb.as_ptr()) })
}
