// SPDX-License-Identifier: GPL-2.0

//! Transmit (e1000_xmit_frame, e1000_tso, e1000_tx_csum, e1000_tx_map, e1000_tx_queue,
//! e1000_clean_tx_irq, e1000_configure_tx).
//!
//! `xmit` maps the frame's head and page fragments, writes a context descriptor when the
//! device must checksum or segment (TSO), one extended data descriptor per 4 KiB piece (each
//! written once, the last one with EOP and RS), and moves the tail register. The NAPI poll
//! cleans what the device wrote back, unmapping and freeing the frames and waking the queue.

use crate::re1000_main::{add, QVector, Re1000, Re1000Data};
use crate::regs::{self, Bar0};
use crate::ring::{self, TxBuf, TxCtxDesc, TxDesc, TxRing};
use core::sync::atomic::Ordering;
use kernel::device::{Bound, Device as BusDevice};
use kernel::io::Io;
use kernel::net::dev::{Device, TxOutcome, TxSkb};
use kernel::net::skbuff::SkBuff;
use kernel::prelude::*;
use kernel::sync::barrier::{mb, Write};

/// One data descriptor carries at most this many bytes (C e1000's `E1000_MAX_DATA_PER_TXD`).
const MAX_PER_TXD: u32 = 1 << 12;
/// Descriptors to keep free before the queue stops (C e1000's `DESC_NEEDED`, `MAX_SKB_FRAGS +
/// 7`, rounded up for 64 KiB heads at 4 KiB per descriptor): a stopped queue wakes at twice
/// this. `xmit` still checks each frame's exact count.
pub(crate) const DESC_NEEDED: usize = 32;
/// Offset of the IPv4 header checksum and of the TCP checksum in their headers.
const IPV4_CHECK_OFFSET: u32 = 10;
const TCP_CHECK_OFFSET: u32 = 16;

/// Transmit inter-packet gap for copper (`DEFAULT_82543_TIPG_*`).
const TIPG_IPGT_COPPER: u32 = 8;
const TIPG_IPGR1: u32 = 8;
const TIPG_IPGR2: u32 = 6;
/// Collision threshold and full-duplex collision distance (`E1000_COLLISION_THRESHOLD`,
/// `E1000_COLLISION_DISTANCE`).
const COLLISION_THRESHOLD: u32 = 15;
const COLLISION_DISTANCE: u32 = 63;

/// Programs the transmit unit for ring `tx` (e1000_configure_tx) and enables it.
pub(crate) fn configure(bar: &Bar0<'_>, data: &Re1000Data, tx: &TxRing) -> Result {
    let base = tx.desc.dma_address();
    bar.write_reg(regs::TDLEN::from_raw(tx.desc.bytes() as u32));
    bar.write_reg(regs::TDBAH::from_raw(regs::upper_32_bits(base)));
    bar.write_reg(regs::TDBAL::from_raw(regs::lower_32_bits(base)));
    bar.write_reg(regs::TDT::zeroed());
    bar.write_reg(regs::TDH::zeroed());
    bar.write_reg(
        regs::TIPG::zeroed()
            .try_with_ipgt(TIPG_IPGT_COPPER)?
            .try_with_ipgr1(TIPG_IPGR1)?
            .try_with_ipgr2(TIPG_IPGR2)?,
    );
    bar.write_reg(regs::TIDV::from_raw(data.tx_int_delay));
    if data.mac.has_itr() {
        bar.write_reg(regs::TADV::from_raw(data.tx_abs_int_delay));
    }
    bar.write_reg(
        regs::TCTL::zeroed()
            .with_en(true)
            .with_psp(true)
            .with_rtlc(true)
            .try_with_ct(COLLISION_THRESHOLD)?
            .try_with_cold(COLLISION_DISTANCE)?,
    );
    Ok(())
}

/// Offload request for one frame: the context descriptor and the data descriptors' extra
/// command and option bits.
struct Offload {
    ctx: TxCtxDesc,
    cmd: u32,
    popts: u32,
    /// Header bytes repeated in each segment (TSO) and the segment count.
    hdr_len: u32,
    segs: u32,
}

/// Works out checksum or segmentation offload for `skb` (e1000_tso, e1000_tx_csum);
/// `Ok(None)` when nothing is offloaded.
///
/// The context descriptor's offsets are one byte wide: a frame whose checksum lies beyond
/// 255 bytes is checksummed here, a TSO frame whose headers do that is dropped (the stack
/// never builds one: at most 14 + 4 + 60 + 60 bytes of headers).
fn offload(skb: &mut SkBuff) -> Result<Option<Offload>> {
    let net = skb.network_offset();
    if skb.is_gso() {
        let tso = skb.tso_prepare()?;
        let hdr_len = tso.l4_offset + tso.l4_len;
        if hdr_len > 0xFF {
            return Err(EINVAL);
        }
        let mut cmd = TxCtxDesc::CMD_TCP | TxDesc::CMD_TSE | (skb.len() - hdr_len);
        // IPv4: the device rewrites each segment's header checksum; IPv6 has none (and is not
        // offered: the 8254x segments IPv4 only, C e1000 sets no NETIF_F_TSO6).
        let (ipcse, popts) = if tso.ipv4 {
            cmd |= TxCtxDesc::CMD_IP;
            (tso.l4_offset - 1, TxDesc::POPTS_TXSM | TxDesc::POPTS_IXSM)
        } else {
            (0, TxDesc::POPTS_TXSM)
        };
        return Ok(Some(Offload {
            ctx: TxCtxDesc::new(
                (net, net + IPV4_CHECK_OFFSET, ipcse),
                (tso.l4_offset, tso.l4_offset + TCP_CHECK_OFFSET),
                cmd,
                hdr_len,
                tso.mss,
            ),
            cmd: TxDesc::CMD_TSE,
            popts,
            hdr_len,
            segs: skb.gso_segs().max(1),
        }));
    }
    let Some((start, offset)) = skb.checksum_partial() else {
        return Ok(None);
    };
    let Some(tucso) = Some(start + offset).filter(|o| *o <= 0xFF) else {
        skb.checksum_help()?;
        return Ok(None);
    };
    // The device inserts a 16-bit ones' complement sum from `start` at `tucso`, whatever the
    // protocol (NETIF_F_HW_CSUM); TCP only matters to segmentation.
    let cmd = if offset == TCP_CHECK_OFFSET {
        TxCtxDesc::CMD_TCP
    } else {
        0
    };
    Ok(Some(Offload {
        ctx: TxCtxDesc::new((0, 0, 0), (start, tucso), cmd, 0, 0),
        cmd: 0,
        popts: TxDesc::POPTS_TXSM,
        hdr_len: 0,
        segs: 1,
    }))
}

/// Descriptors a buffer of `len` bytes takes.
fn descs_for(len: u32) -> usize {
    len.div_ceil(MAX_PER_TXD).max(1) as usize
}

/// Descriptors `skb` can take at most: its head and each page fragment at `MAX_PER_TXD` bytes
/// per descriptor, a context descriptor, and a gap of two so the tail never reaches the head.
fn descs_needed(skb: &SkBuff) -> usize {
    let frags: usize = (0..skb.nr_frags())
        .map(|f| descs_for(skb.frag_len(f).unwrap_or(0)))
        .sum();
    descs_for(skb.headlen()) + frags + 3
}

/// A frame to transmit: one the stack passed to `start_xmit` (which may still go back to it)
/// or one the driver made itself (the self-test's).
pub(crate) enum Frame<'call> {
    Stack(TxSkb<'call>),
    Own(SkBuff),
}

impl Frame<'_> {
    fn skb(&self) -> &SkBuff {
        match self {
            Frame::Stack(skb) => skb,
            Frame::Own(skb) => skb,
        }
    }
}

/// Transmits a frame (e1000_xmit_frame); called with bottom halves disabled.
///
/// The ring's room is checked before the frame is touched, so a frame handed back as busy is
/// retried exactly as the stack passed it.
pub(crate) fn xmit<'call>(frame: Frame<'call>, dev: &Device<Re1000>) -> TxOutcome<'call> {
    let data = dev.data();
    let Some(qv) = data.queue() else {
        dev.tx_dropped_inc();
        return TxOutcome::Ok;
    };
    // Nothing to send on once the device is unbound or found removed.
    let (Some(bar), Ok(pdev), false) = (data.bar.try_access(), dev.parent(), data.removed()) else {
        add(&qv.stats.tx_dropped, 1);
        return TxOutcome::Ok;
    };
    let mut guard = qv.tx.lock();
    let Some(tx) = (*guard).as_mut() else {
        add(&qv.stats.tx_dropped, 1);
        return TxOutcome::Ok;
    };
    if tx.free_slots() < descs_needed(frame.skb()) {
        dev.stop_subqueue(0);
        add(&qv.stats.tx_busy, 1);
        return match frame {
            Frame::Stack(skb) => skb.busy(),
            Frame::Own(_) => TxOutcome::Ok,
        };
    }
    let skb = match frame {
        Frame::Stack(skb) => skb.accept(),
        Frame::Own(skb) => skb,
    };
    let ide = if data.tx_int_delay != 0 {
        TxDesc::CMD_IDE
    } else {
        0
    };
    let Some(bytes) = map(skb, pdev, qv, tx, ide) else {
        add(&qv.stats.tx_dropped, 1);
        return TxOutcome::Ok;
    };
    dev.tx_sent_queue(0, bytes);
    if tx.free_slots() < DESC_NEEDED {
        dev.stop_subqueue(0);
    }
    // The descriptors must be visible before the tail moves.
    mb(Write);
    bar.write_reg(regs::TDT::from_raw(tx.next_to_use as u32));
    TxOutcome::Ok
}

/// Prepares the offloads of `skb`, maps it and writes its descriptors (e1000_tx_map,
/// e1000_tx_queue), advancing `next_to_use`. Returns the bytes the device will send, or
/// `None` if the frame was dropped (nothing handed to the device).
fn map(
    mut skb: SkBuff,
    pdev: &BusDevice<Bound>,
    qv: &QVector,
    tx: &mut TxRing,
    ide: u32,
) -> Option<u32> {
    if skb.headlen() == 0 {
        skb.linearize().ok()?;
    }
    let offload = offload(&mut skb).ok()?;
    skb.tx_timestamp();
    let len = skb.len();
    let (segs, hdr_len) = offload.as_ref().map_or((1, 0), |o| (o.segs, o.hdr_len));
    let bytes = len + (segs - 1) * hdr_len;
    let mapped = skb.map_tx(pdev).ok()?;
    let free = tx.free_slots();
    let first = tx.next_to_use;
    let mut i = first;
    let (cmd_extra, popts) = offload.as_ref().map_or((0, 0), |o| (o.cmd, o.popts));
    if let Some(o) = &offload {
        tx.desc.write(i, o.ctx);
        i = tx.next(i);
        add(
            if o.cmd != 0 {
                &qv.stats.tx_tso
            } else {
                &qv.stats.tx_csum
            },
            1,
        );
    }
    // Extended descriptors only when offloading, as C e1000 (legacy ones otherwise; the bits
    // below are the same in both formats).
    let base_cmd = if offload.is_some() {
        TxDesc::CMD_DEXT | TxDesc::DTYP_D | TxDesc::CMD_IFCS | cmd_extra | ide
    } else {
        TxDesc::CMD_IFCS | ide
    };
    let mut pending: Option<(usize, TxDesc)> = None;
    let mut write_buf = |tx: &mut TxRing, i: &mut usize, addr: u64, blen: u32| {
        let mut off = 0;
        while off < blen {
            let chunk = (blen - off).min(MAX_PER_TXD);
            if let Some((pi, desc)) = pending.take() {
                tx.desc.write(pi, desc);
            }
            pending = Some((
                *i,
                TxDesc::new(addr + u64::from(off), base_cmd | chunk, popts),
            ));
            *i = tx.next(*i);
            off += chunk;
        }
    };
    write_buf(tx, &mut i, mapped.dma_handle(), mapped.len() as u32);
    let mut failed = false;
    let mut used = usize::from(offload.is_some()) + descs_for(mapped.len() as u32);
    for f in 0..mapped.nr_frags() {
        let Ok(frag) = mapped.map_frag(pdev, f) else {
            failed = true;
            break;
        };
        // Linearizing or segmenting may have changed the layout since the room was checked.
        used += descs_for(frag.len());
        if used > free {
            failed = true;
            break;
        }
        let slot = i;
        write_buf(tx, &mut i, frag.dma_handle(), frag.len());
        if let Some(buf) = tx.bufs.get_mut(slot) {
            *buf = Some(TxBuf::Frag(frag));
        }
    }
    let Some((last, desc)) = pending.filter(|_| !failed) else {
        // Undo: unmap the fragments mapped so far; nothing was handed to the device.
        tx.clear_slots(first, i);
        return None;
    };
    tx.desc
        .write(last, desc.with_cmd(TxDesc::CMD_EOP | TxDesc::CMD_RS));
    if let Some(buf) = tx.bufs.get_mut(first) {
        *buf = Some(TxBuf::Head {
            skb: mapped,
            eop: last,
            segs,
            bytes,
        });
    }
    tx.next_to_use = i;
    Some(bytes)
}

/// Cleans completed transmit descriptors (e1000_clean_tx_irq); returns whether the ring is
/// clean up to what the device finished within the budget.
pub(crate) fn clean(dev: &Device<Re1000>, qv: &QVector, budget: u32) -> bool {
    let mut guard = qv.tx.lock();
    let Some(tx) = (*guard).as_mut() else {
        return true;
    };
    let cleaned = tx.clean(budget, ring::tx_done);
    let (packets, bytes) = (cleaned.packets, cleaned.bytes);
    let free = tx.free_slots();
    let done = tx.next_to_clean == tx.next_to_use || cleaned.frames < budget;
    drop(guard);
    if packets > 0 {
        qv.itr.add_tx(packets, bytes);
        add(&qv.stats.tx_packets, packets.into());
        add(&qv.stats.tx_bytes, bytes.into());
        dev.tx_completed_queue(0, packets, bytes);
        if dev.subqueue_stopped(0)
            && free >= 2 * DESC_NEEDED
            && dev.data().running.load(Ordering::Acquire)
        {
            dev.wake_subqueue(0);
            add(&qv.stats.tx_restart, 1);
        }
    }
    done
}
