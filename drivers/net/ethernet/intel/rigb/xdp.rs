// SPDX-License-Identifier: GPL-2.0

//! Native XDP (igb_xdp_setup, igb_run_xdp's transmit side, igb_xdp_xmit_back, igb_xdp_xmit,
//! igb_xmit_xdp_ring, igb_finalize_xdp).
//!
//! One program serves every receive queue ([`RigbData::xdp_prog`]). Attaching or removing it
//! while the interface runs rebuilds the rings (down and up, as igb closes and reopens): with a
//! program, receive buffers carry `XDP_PACKET_HEADROOM` in front of the frame and take a page
//! each; without one, standard frames share a page as in igb. Replacing a program by another
//! is only an exchange of the pointer: polls read it once each, under RCU, and the old program
//! lives until they are done.
//!
//! `XDP_TX` sends the frame back on the transmit ring of the queue pair that received it, and
//! frames redirected to the device (`ndo_xdp_xmit`) go to the ring of the current CPU's queue
//! pair; both take the ring's lock, as `start_xmit` does, so the three share a ring safely
//! (igb takes the netdev queue's lock for the same reason). With a program, the MTU is limited
//! to what one page holds after the headroom ([`max_mtu`]).

use crate::regs::Bar0;
use crate::rigb_main::{add, QVector, Rigb, RigbData};
use crate::ring::{AdvTxDesc, TxBuf, TxRing};
use crate::rx::{self, FRAME_OVERHEAD};
use crate::tx::{self, DESC_NEEDED};
use core::sync::atomic::Ordering;
use kernel::cpu::CpuId;
use kernel::device::{Bound, Device as BusDevice};
use kernel::net::dev::{Device, Rtnl};
use kernel::net::page_pool::BufLayout;
use kernel::net::xdp::{self, XdpFrame, XdpSetup, XdpXmitFrames};
use kernel::prelude::*;

/// Whether frames of an `mtu` fit a receive buffer that XDP can use: one page, with
/// `XDP_PACKET_HEADROOM` in front (igb_xdp_setup's frame size check).
pub(crate) fn fits(mtu: u32) -> bool {
    BufLayout::new(
        rx::buf_len(mtu),
        xdp::PACKET_HEADROOM,
        mtu + FRAME_OVERHEAD,
        1,
    )
    .is_ok_and(|layout| layout.order == 0)
}

/// The largest MTU XDP works with (3050 on 4 KiB pages).
pub(crate) fn max_mtu() -> u32 {
    // `fits` holds for the minimum and is monotonic: the largest MTU for which it holds.
    let (mut lo, mut hi) = (crate::rigb_main::MIN_MTU, crate::rigb_main::MAX_MTU);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// Installs, replaces or removes the program (igb_xdp_setup).
pub(crate) fn setup(dev: &Device<Rigb>, rtnl: &Rtnl, mut setup: XdpSetup<'_>) -> Result {
    let data = dev.data();
    if setup.has_prog() && !fits(dev.mtu()) {
        setup.set_error(
            c"rigb: MTU too large for XDP: a frame must fit one page after the XDP headroom",
        );
        pr_warn!(
            "{}: MTU {} too large for XDP (at most {})\n",
            dev.name(),
            dev.mtu(),
            max_mtu()
        );
        return Err(EINVAL);
    }
    let prog = setup.take_prog();
    let attaching = prog.is_some();
    if attaching == data.xdp_prog.is_set() || !dev.is_running() {
        // A program replaced by another (the buffers already have the headroom), or rings
        // that do not exist: only the pointer changes. The old program is put on return, and
        // freed after the polls still running it are done.
        drop(data.xdp_prog.replace(rtnl, prog));
        set_mtu_limit(dev, rtnl, attaching);
        return Ok(());
    }
    // The buffer layout changes: rebuild the rings around the new program (igb closes and
    // reopens the device).
    crate::rigb_main::down(dev, rtnl);
    let old = data.xdp_prog.replace(rtnl, prog);
    if let Err(e) = crate::rigb_main::up(dev, rtnl) {
        pr_err!(
            "{}: cannot bring the rings up for XDP ({:?}), restoring\n",
            dev.name(),
            e
        );
        setup.set_error(c"rigb: cannot allocate the receive rings for XDP");
        let new = data.xdp_prog.replace(rtnl, old);
        crate::rigb_main::up(dev, rtnl)?;
        drop(new);
        return Err(e);
    }
    drop(old);
    set_mtu_limit(dev, rtnl, attaching);
    Ok(())
}

/// While a program is attached, the core refuses MTUs XDP cannot receive, with its own extack
/// message ("mtu greater than device maximum").
fn set_mtu_limit(dev: &Device<Rigb>, rtnl: &Rtnl, xdp: bool) {
    let max = if xdp {
        max_mtu()
    } else {
        crate::rigb_main::MAX_MTU
    };
    dev.set_max_mtu(rtnl, max);
}

/// Writes one XDP frame to transmit ring `tx` of queue pair `qv` (igb_xmit_xdp_ring) without
/// telling the device (the caller rings once per batch). The caller holds the ring's lock.
/// The frame comes back if the ring is full or it cannot be mapped.
fn xmit_frame(
    dev: &Device<Rigb>,
    pdev: &BusDevice<Bound>,
    qv: &QVector,
    tx: &mut TxRing,
    frame: XdpFrame,
) -> core::result::Result<(), XdpFrame> {
    // One data descriptor, plus the gap of two igb keeps (igb_maybe_stop_tx(count + 3)).
    if tx.free_slots() < 3 {
        return Err(frame);
    }
    let frame = frame.map(pdev)?;
    let bytes = frame.len();
    let i = tx.next_to_use;
    tx.desc.write(
        i,
        AdvTxDesc::new(
            frame.dma_handle(),
            AdvTxDesc::DTYP_DATA
                | AdvTxDesc::DCMD_DEXT
                | AdvTxDesc::DCMD_IFCS
                | AdvTxDesc::DCMD_EOP
                | AdvTxDesc::DCMD_RS
                | bytes,
            bytes << AdvTxDesc::PAYLEN_SHIFT,
        ),
    );
    if let Some(slot) = tx.bufs.get_mut(i) {
        *slot = Some(TxBuf::Xdp { frame, bytes });
    }
    tx.next_to_use = tx.next(i);
    tx::publish_tail(qv, tx);
    // XDP frames share the ring, hence the byte queue limits, with the stack's frames.
    dev.tx_sent_queue(qv.index, bytes);
    // The stack's queue stops while a worst-case frame would not fit (igb_maybe_stop_tx).
    if tx.free_slots() < DESC_NEEDED {
        dev.stop_subqueue(qv.index);
    }
    Ok(())
}

/// `XDP_TX` from the poll of queue pair `qv`: queues `frame` on the pair's transmit ring
/// (igb_xdp_xmit_back); the poll rings the doorbell once at its end ([`flush_tx`]). Gives the
/// frame back if the ring is full.
pub(crate) fn xmit_back(
    dev: &Device<Rigb>,
    qv: &QVector,
    frame: XdpFrame,
) -> core::result::Result<(), XdpFrame> {
    let Ok(pdev) = dev.parent() else {
        return Err(frame);
    };
    let mut guard = qv.tx.lock();
    let Some(tx) = (*guard).as_mut() else {
        return Err(frame);
    };
    // The stack may have stopped this queue; XDP keeps it busy (igb: txq_trans_cond_update).
    dev.tx_trans_update(qv.index);
    xmit_frame(dev, pdev, qv, tx, frame)
}

/// Tells the device about the frames `XDP_TX` queued on `qv`'s ring during a poll
/// (igb_finalize_xdp).
pub(crate) fn flush_tx(bar: &Bar0<'_>, qv: &QVector) {
    tx::ring_doorbell(bar, qv);
}

/// Frames redirected to the device (igb_xdp_xmit): queued on the ring of the current CPU's
/// queue pair while it has room; the rest go back to the core.
pub(crate) fn xmit(dev: &Device<Rigb>, frames: &mut XdpXmitFrames<'_>) -> Result {
    let data: &RigbData = dev.data();
    if !data.running.load(Ordering::Acquire) || data.removed() {
        return Err(ENETDOWN);
    }
    let n = dev.real_num_tx_queues().max(1);
    let q = CpuId::current().as_u32() % n;
    let Some(qv) = data.queues().get(q as usize) else {
        return Err(ENXIO);
    };
    let qv = qv.poller();
    let (Some(bar), Ok(pdev)) = (data.bar.try_access(), dev.parent()) else {
        return Err(ENETDOWN);
    };
    let mut guard = qv.tx.lock();
    let Some(tx) = (*guard).as_mut() else {
        return Err(ENETDOWN);
    };
    dev.tx_trans_update(q);
    let (mut sent, mut errors) = (0, 0);
    // Take a frame only while the ring has room for it: what is left goes back to the core.
    while tx.free_slots() >= 3 {
        let Some(frame) = frames.next() else {
            break;
        };
        match xmit_frame(dev, pdev, qv, tx, frame) {
            Ok(()) => sent += 1,
            // Not queued (no mapping): back to the core, which counts it and the rest as
            // dropped (igb stops at the first failure too).
            Err(frame) => {
                if frames.give_back(frame).is_err() {
                    errors += 1;
                }
                break;
            }
        }
    }
    drop(guard);
    if frames.flush() {
        tx::ring_doorbell(&bar, qv);
    }
    add(&qv.stats.xdp_xmit, sent);
    add(
        &qv.stats.xdp_xmit_errors,
        errors + frames.remaining() as u64,
    );
    Ok(())
}
