// SPDX-License-Identifier: GPL-2.0

//! Running a device's XDP program on a received page-pool buffer and carrying out its verdict
//! (igb's `igb_run_xdp`).

use super::{XdpFrame, XdpProgRef, XdpRxq};
use crate::{
    bindings,
    net::{
        napi::{NapiPoll, Poll},
        page_pool::{PagePool, RxBuf},
        skbuff::SkBuff,
    },
    prelude::*,
};
use core::ptr::NonNull;

/// What became of a frame the XDP program saw ([`run`]). Everything but [`XdpVerdict::Pass`]
/// has consumed the buffer; drivers count each kind (`ethtool -S`).
pub enum XdpVerdict {
    /// `XDP_PASS`: the frame goes to the stack; build its skb with [`XdpPass::build_skb`].
    Pass(XdpPass),
    /// `XDP_DROP`: the buffer went back to the pool.
    Drop,
    /// `XDP_TX`: the driver's transmit closure queued the frame on its ring.
    Tx,
    /// `XDP_TX` that failed (no room for the `struct xdp_frame` in the headroom, or the
    /// transmit closure refused the frame): traced as an exception, the buffer returned.
    TxFailed,
    /// `XDP_REDIRECT`: the frame went to `xdp_do_redirect`; it is flushed before the poll ends.
    Redirect,
    /// `XDP_REDIRECT` that `xdp_do_redirect` refused (no target, target down, ...): traced as
    /// an exception, the buffer returned.
    RedirectFailed,
    /// `XDP_ABORTED` or an action the kernel does not know (warned about once,
    /// `bpf_warn_invalid_xdp_action`): traced as an exception, the buffer returned.
    Aborted,
}

/// A frame the program passed to the stack: the buffer and where the frame now lies in it
/// (the program may have moved its start, its end, and put metadata in front of it).
pub struct XdpPass {
    buf: RxBuf,
    data_offset: u32,
    len: u32,
    meta_len: u32,
}

impl XdpPass {
    /// Bytes of the frame, as the program left it.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether the frame is empty (never: the program cannot shrink a frame below a header).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Builds the skb around the buffer, with the program's metadata (`skb_metadata_set`), as
    /// [`RxBuf::build_skb`] does: `ENOMEM` if no skb could be allocated, `EINVAL` if `pool`
    /// is not the buffer's; the buffer is returned to its pool on error.
    pub fn build_skb<P: Poll>(self, pool: &PagePool, ctx: &NapiPoll<'_, P>) -> Result<SkBuff> {
        // SAFETY: The device completed the buffer. The received bytes were synced for the CPU
        // before the program ran (`run`); whatever else the frame covers now (headroom taken
        // with `bpf_xdp_adjust_head`, metadata, a tail grown with `bpf_xdp_adjust_tail`, which
        // zeroes it) was written by the program or its helpers, on this CPU.
        unsafe {
            self.buf
                .build_skb_at(pool, self.data_offset, self.len, self.meta_len, ctx)
        }
    }
}

/// Runs `prog` on the buffer `buf` of receive queue `rxq` that the device completed with `len`
/// bytes (igb's `igb_run_xdp`), from the queue's NAPI poll `ctx`, and carries out the verdict.
///
/// The received bytes are synced for the CPU and the program sees them after the pool's
/// headroom, in a frame as large as the buffer's fragment (`frame_sz`: room to grow with
/// `bpf_xdp_adjust_tail`, short of the skb's shared info). `XDP_TX` hands the frame, converted
/// to an [`XdpFrame`] in its headroom, to `tx`, which queues it on the driver's transmit ring or
/// gives it back (ring full). `XDP_REDIRECT` calls `xdp_do_redirect`; the NAPI abstraction
/// flushes before the poll ends.
///
/// `len` comes from the device and is checked as by [`RxBuf::build_skb`]; a buffer of another
/// pool, an `rxq` of another device than the poll's, or a zero-budget poll (netpoll), where
/// no program may run, is refused. Refused buffers are
/// returned to their pool and reported as [`XdpVerdict::Aborted`] (without running the
/// program).
pub fn run<P: Poll>(
    prog: XdpProgRef<'_>,
    rxq: &XdpRxq,
    pool: &PagePool,
    buf: RxBuf,
    len: u32,
    ctx: &NapiPoll<'_, P>,
    tx: impl FnOnce(XdpFrame) -> core::result::Result<(), XdpFrame>,
) -> XdpVerdict {
    let dev = ctx.device().as_raw();
    // A zero-budget poll (netpoll) has no `bpf_net_context` and may run outside softirq
    // context: no program may run there (napi.rst).
    // A queue with shared pages would hand pool pages out as shared ones: never returned to
    // their pool.
    if !rxq.is_of(dev) || !rxq.has_pool() || ctx.budget() == 0 {
        return XdpVerdict::Aborted;
    }
    let Ok(frag) = buf.sync_for_cpu(pool, len) else {
        return XdpVerdict::Aborted;
    };
    let mut xdp = bindings::xdp_buff::default();
    // SAFETY: `xdp` is ours; `rxq` is registered and outlives the program run (borrowed);
    // `frag` is the start of `truesize` bytes of the buffer, which the device completed, with
    // the frame's `len` bytes after `headroom` (both within the fragment: `sync_for_cpu`
    // checked `len` against the pool's layout).
    unsafe {
        bindings::rnet_xdp_init_buff(&mut xdp, pool.truesize(), rxq.as_raw());
        bindings::rnet_xdp_prepare_buff(
            &mut xdp,
            frag.as_ptr(),
            pool.headroom() as c_int,
            len as c_int,
        );
    }
    // SAFETY: `prog` is valid for the call (`XdpProgRef`); we are in a NAPI poll, with bottom
    // halves disabled (the RCU protection programs and maps need) and the core's
    // `bpf_net_context` set (`net_rx_action`, busy polling and threaded NAPI set it); `xdp`
    // describes memory the CPU owns, whose bounds the program's helpers respect.
    let act = unsafe { bindings::rnet_bpf_prog_run_xdp(prog.as_raw(), &mut xdp) };
    let exception = |act: u32| {
        // SAFETY: `dev` and `prog` are valid for the call.
        unsafe { bindings::rnet_trace_xdp_exception(dev, prog.as_raw(), act) }
    };
    match act {
        bindings::xdp_action_XDP_PASS => {
            let base = frag.as_ptr() as usize;
            let (data, end, meta) = (
                xdp.data as usize,
                xdp.data_end as usize,
                xdp.data_meta as usize,
            );
            // The program's helpers keep these within the fragment, in order; check anyway
            // (the offsets are recomputed into a checked skb layout by `build_skb_at`).
            if data < base || end < data || meta > data {
                buf.recycle(pool);
                exception(act);
                return XdpVerdict::Aborted;
            }
            XdpVerdict::Pass(XdpPass {
                buf,
                data_offset: (data - base) as u32,
                len: (end - data) as u32,
                meta_len: (data - meta) as u32,
            })
        }
        bindings::xdp_action_XDP_DROP => {
            buf.recycle(pool);
            XdpVerdict::Drop
        }
        bindings::xdp_action_XDP_TX => {
            // SAFETY: `xdp` is the buffer the program ran on; the frame is written into its
            // headroom (or NULL if it does not fit).
            let frame = unsafe { bindings::rnet_xdp_convert_buff_to_frame(&mut xdp) };
            let Some(frame) = NonNull::new(frame) else {
                buf.recycle(pool);
                exception(act);
                return XdpVerdict::TxFailed;
            };
            // The fragment reference moves to the frame, which returns it when dropped.
            buf.forget();
            // SAFETY: A frame just made from the buffer, whose reference it now owns.
            let frame = unsafe { XdpFrame::from_raw(frame) };
            match tx(frame) {
                Ok(()) => XdpVerdict::Tx,
                Err(frame) => {
                    drop(frame);
                    exception(act);
                    XdpVerdict::TxFailed
                }
            }
        }
        bindings::xdp_action_XDP_REDIRECT => {
            // SAFETY: As for the program run; on success the target owns the buffer.
            let err = unsafe { bindings::xdp_do_redirect(dev, &mut xdp, prog.as_raw()) };
            // Even a failed redirect may have queued frames (a broadcast that failed on a later
            // target): the flush is due either way.
            ctx.note_xdp_redirect();
            if err == 0 {
                buf.forget();
                XdpVerdict::Redirect
            } else {
                buf.recycle(pool);
                exception(act);
                XdpVerdict::RedirectFailed
            }
        }
        _ => {
            if act != bindings::xdp_action_XDP_ABORTED {
                // SAFETY: `dev` and `prog` are valid for the call.
                unsafe { bindings::bpf_warn_invalid_xdp_action(dev, prog.as_raw(), act) };
            }
            buf.recycle(pool);
            exception(act);
            XdpVerdict::Aborted
        }
    }
}
