// SPDX-License-Identifier: GPL-2.0

//! Receive, in the order a frame travels (see Documentation/re1000.rst): the 8254x DMAs a
//! frame into the buffer of the next receive descriptor (several, for a jumbo frame larger than
//! one buffer) and raises the one interrupt; the handler (`irq.rs`) masks every cause and
//! schedules NAPI; [`QVector::poll`] cleans completed transmit descriptors, then takes up to
//! `budget` descriptors off the receive ring ([`clean`]), turns frames into skbs with their
//! checksum state ([`receive`]), refills the ring ([`refill`]), hands the frames to
//! `napi_gro_receive` once the ring is unlocked and, when it did less than the budget,
//! completes, updates the interrupt rate and unmasks (e1000_clean, e1000_clean_rx_irq,
//! e1000_clean_jumbo_rx_irq, e1000_alloc_rx_buffers, e1000_configure_rx).

use crate::e1000_common::rx::{RxCsum, RxDrop};
use crate::irq;
use crate::re1000_main::{add, QVector, Re1000};
use crate::regs::{self, Bar0};
use crate::ring::{self, RxDesc, RxRing};
use core::sync::atomic::Ordering;
use kernel::io::Io;
use kernel::net::dev::{features, net_ratelimit, Device};
use kernel::net::napi::{self, NapiPoll};
use kernel::net::skbuff::{SkBuff, SkBuffList};
use kernel::prelude::*;
use kernel::sync::barrier::{dma_mb, mb, Read, Write};

/// Ethernet header; what goes on top of an MTU to make the largest frame the device accepts
/// (header, FCS, and a VLAN tag).
const ETH_HLEN: u32 = 14;
pub(crate) const FRAME_OVERHEAD: u32 = 14 + 4 + 4;
/// Receive buffer sizes, as C e1000 picks them: 2 KiB while a frame fits, else a page's 4 KiB
/// with jumbo frames spanning several descriptors.
const RX_BUF_STD: u32 = 2048;
const RX_BUF_JUMBO: u32 = 4096;

impl napi::Poll for QVector {
    type Driver = Re1000;

    /// e1000_clean: transmit completions first, then receive within the budget.
    fn poll(ctx: NapiPoll<'_, Self>) {
        let napi = ctx.napi();
        let dev = ctx.device();
        let data = dev.data();
        let qv = napi.poller();
        let budget = ctx.budget();
        // The device is gone once unbound or found removed: stop polling, stay masked.
        let bar = match data.bar.try_access() {
            Some(bar) if !data.removed() => bar,
            _ => {
                ctx.complete_done(0);
                return;
            }
        };
        let tx_done = crate::tx::clean(dev, qv, budget);
        let mut frames = SkBuffList::new();
        let done = clean(&ctx, &bar, &mut frames);
        // Handed to the stack only now, with the ring unlocked (as rigb).
        for skb in frames {
            ctx.gro_receive(skb);
        }
        // With completions still waiting, return without completing: the core polls again.
        if tx_done && ctx.complete_done(done) && data.running.load(Ordering::Acquire) {
            irq::update_itr(&bar, data, qv);
            irq::enable(&bar);
        }
    }
}

/// Takes up to the poll's budget of descriptors off the receive ring into `frames`, for the
/// caller to hand to GRO once the ring is unlocked; returns how many it consumed.
fn clean(ctx: &NapiPoll<'_, QVector>, bar: &Bar0<'_>, frames: &mut SkBuffList) -> u32 {
    let dev = ctx.device();
    let qv = ctx.poller();
    let budget = ctx.budget();
    let mut guard = qv.rx.lock();
    let Some(rx) = (*guard).as_mut() else {
        return 0;
    };
    let mut totals = Totals::default();
    let mut done = 0;
    while done < budget {
        let i = rx.next_to_clean;
        let Some(status) = ring::rx_status(&rx.desc, i) else {
            break;
        };
        if status & RxDesc::STAT_DD == 0 {
            break;
        }
        // Read the rest of the descriptor only after seeing DD.
        dma_mb(Read);
        let Some(wb) = rx.desc.read::<RxDesc>(i) else {
            break;
        };
        let Some(mapped) = rx.bufs.get_mut(i).and_then(Option::take) else {
            // A completed descriptor without a buffer: the device is confused; stop here.
            if net_ratelimit() {
                pr_warn!("{}: receive descriptor done without a buffer\n", dev.name());
            }
            break;
        };
        rx.next_to_clean = rx.next(i);
        done += 1;
        if let Some(skb) = receive(ctx, rx, &wb, mapped.unmap(), &mut totals) {
            frames.push_back(skb);
        }
    }
    refill(dev, bar, qv, rx);
    drop(guard);
    add(&qv.stats.rx_packets, totals.packets);
    add(&qv.stats.rx_bytes, totals.bytes);
    qv.itr.add_rx(totals.packets as u32, totals.bytes as u32);
    done
}

/// Frames and bytes passed up by one poll.
#[derive(Default)]
struct Totals {
    packets: u64,
    bytes: u64,
}

/// Drops the frame being received: counts it, throws away what was gathered of it and, if its
/// last descriptor is still to come, skips descriptors up to that one.
fn drop_frame(qv: &QVector, rx: &mut RxRing, eop: bool) -> Option<SkBuff> {
    add(&qv.stats.rx_errors, 1);
    rx.partial = None;
    rx.discarding = !eop;
    None
}

/// Turns a written-back descriptor and its buffer into an skb for the stack, with checksum
/// state; `None` if it goes no further (yet: the first pieces of a multi-buffer frame).
///
/// The device is not trusted: a length beyond the buffer, an errored frame, a frame longer
/// than the MTU allows in total or shorter than an Ethernet header are dropped and counted;
/// after a bad piece the rest of its frame is skipped up to its end of packet.
fn receive(
    ctx: &NapiPoll<'_, QVector>,
    rx: &mut RxRing,
    wb: &RxDesc,
    mut skb: SkBuff,
    totals: &mut Totals,
) -> Option<SkBuff> {
    let dev = ctx.device();
    let data = dev.data();
    let qv = ctx.poller();
    let status = wb.status();
    let errors = wb.errors();
    let eop = status & RxDesc::STAT_EOP != 0;
    let len = match parse(status, errors, wb.length(), rx.buf_len, &mut rx.discarding) {
        RxPiece::Piece { len, .. } => len,
        RxPiece::Skipped => return None,
        RxPiece::Drop(_) => return drop_frame(qv, rx, eop),
    };
    if skb.put(len).is_err() {
        return drop_frame(qv, rx, eop);
    }
    if rx.partial.is_some() || !eop {
        // A frame spanning buffers (e1000_clean_jumbo_rx_irq): gathered by copying into one
        // skb sized for the largest frame the MTU allows, which also bounds its length.
        let mut whole = match rx.partial.take() {
            Some(whole) => whole,
            None => match dev.alloc_rx_skb(data.max_frame()) {
                Some(whole) => whole,
                None => {
                    add(&qv.stats.rx_alloc_failed, 1);
                    rx.discarding = !eop;
                    return None;
                }
            },
        };
        if whole.put_slice(skb.head_data()).is_err() {
            add(&qv.stats.rx_long, 1);
            return drop_frame(qv, rx, eop);
        }
        if !eop {
            rx.partial = Some(whole);
            return None;
        }
        skb = whole;
    }
    let len = skb.len();
    match check_frame(len, data.max_frame()) {
        Ok(()) => {}
        Err(RxDrop::TooLong) => {
            add(&qv.stats.rx_long, 1);
            return drop_frame(qv, rx, true);
        }
        Err(_) => return drop_frame(qv, rx, true),
    }
    if data.loopback.load(Ordering::Relaxed) {
        // The self-test's frames are checked and counted, not passed up.
        if kernel::net::ethtool::is_loopback_frame(skb.head_data()) {
            data.loopback_ok.fetch_add(1, Ordering::Relaxed);
        }
        return None;
    }
    if dev.eth_type_trans(&mut skb).is_err() {
        add(&qv.stats.rx_errors, 1);
        return None;
    }
    // e1000_rx_checksum: the last descriptor's status covers the frame.
    if dev.features() & features::RXCSUM != 0 {
        match rx_csum(status, errors) {
            // Left to the stack, which will count and drop it.
            RxCsum::Bad => add(&qv.stats.rx_csum_err, 1),
            RxCsum::Good => skb.set_csum_unnecessary(),
            RxCsum::Unchecked => {}
        }
    }
    totals.packets += 1;
    totals.bytes += u64::from(len);
    Some(skb)
}

/// One written-back receive descriptor, as [`parse`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RxPiece {
    /// `len` bytes of a frame in the descriptor's buffer, its last piece if `eop`.
    Piece { len: u32, eop: bool },
    /// A piece of a frame already dropped: skipped, not counted again.
    Skipped,
    /// The frame this piece belongs to is dropped and counted; its later pieces are skipped.
    Drop(RxDrop),
}

/// Reads a written-back receive descriptor's `status`, `errors` and `len`, given the `buf_len`
/// bytes its buffer holds and whether the ring is `discarding` the rest of a dropped frame
/// (updated). Nothing the device writes is trusted: every length and bit pattern gives an
/// answer, and a [`RxPiece::Piece`] always lies within the buffer.
pub(crate) fn parse(
    status: u8,
    errors: u8,
    len: u32,
    buf_len: u32,
    discarding: &mut bool,
) -> RxPiece {
    let eop = status & RxDesc::STAT_EOP != 0;
    if *discarding {
        *discarding = !eop;
        return RxPiece::Skipped;
    }
    let why = if errors & RxDesc::ERR_FRAME != 0 {
        RxDrop::Errored
    } else if len > buf_len {
        RxDrop::Overrun
    } else {
        return RxPiece::Piece { len, eop };
    };
    *discarding = !eop;
    RxPiece::Drop(why)
}

/// Checks the length of a whole frame (all its pieces) against the largest `max_frame` the MTU
/// allows.
pub(crate) fn check_frame(len: u32, max_frame: u32) -> Result<(), RxDrop> {
    if len < ETH_HLEN {
        Err(RxDrop::Runt)
    } else if len > max_frame {
        Err(RxDrop::TooLong)
    } else {
        Ok(())
    }
}

/// The checksum state of a frame from its last descriptor's `status` and `errors`
/// (e1000_rx_checksum).
pub(crate) fn rx_csum(status: u8, errors: u8) -> RxCsum {
    if status & RxDesc::STAT_IXSM != 0 {
        RxCsum::Unchecked
    } else if errors & (RxDesc::ERR_TCPE | RxDesc::ERR_IPE) != 0 {
        RxCsum::Bad
    } else if status & RxDesc::STAT_TCPCS != 0 {
        // (IPCS alone, the IP header checked but not TCP/UDP, lets the stack skip nothing.)
        RxCsum::Good
    } else {
        RxCsum::Unchecked
    }
}

/// Gives empty slots of the receive ring fresh buffers and tells the device (RDT)
/// (e1000_alloc_rx_buffers).
pub(crate) fn refill(dev: &Device<Re1000>, bar: &Bar0<'_>, qv: &QVector, rx: &mut RxRing) {
    let Ok(pdev) = dev.parent() else {
        return;
    };
    let mut filled = false;
    // One slot stays empty so that head == tail means "ring empty" to the device.
    while rx.next(rx.next_to_use) != rx.next_to_clean {
        let i = rx.next_to_use;
        let Some(mapped) = dev
            .alloc_rx_skb(rx.buf_len)
            .and_then(|skb| skb.map_rx(pdev, rx.buf_len).ok())
        else {
            add(&qv.stats.rx_alloc_failed, 1);
            // The slot stays empty until a later refill: clear its last write-back (DD set),
            // or `clean` takes it for a new frame once the ring drains up to it.
            rx.desc.write(i, RxDesc::new(0));
            break;
        };
        rx.desc.write(i, RxDesc::new(mapped.dma_handle()));
        if let Some(buf) = rx.bufs.get_mut(i) {
            *buf = Some(mapped);
        }
        rx.next_to_use = rx.next(i);
        filled = true;
    }
    if filled {
        // Descriptors must be in memory before the device sees the new tail.
        mb(Write);
        bar.write_reg(regs::RDT::from_raw(rx.next_to_use as u32));
    }
}

/// Receive buffer size for an MTU (e1000_change_mtu's choice).
pub(crate) fn buf_len(mtu: u32) -> u32 {
    if mtu + FRAME_OVERHEAD <= RX_BUF_STD {
        RX_BUF_STD
    } else {
        RX_BUF_JUMBO
    }
}

/// `RCTL` buffer size bits for a buffer length: `(bsex, bsize)` (e1000_setup_rctl).
pub(crate) fn rctl_bsize(buf_len: u32) -> (bool, u32) {
    match buf_len {
        RX_BUF_JUMBO => (true, 3),
        _ => (false, 0),
    }
}

/// Programs the receive ring and its interrupt delays (e1000_configure_rx); the receiver stays
/// disabled until `RCTL` is written.
pub(crate) fn configure(bar: &Bar0<'_>, data: &crate::re1000_main::Re1000Data, rx: &RxRing) {
    let base = rx.desc.dma_address();
    bar.write_reg(regs::RCTL::zeroed());
    bar.write_reg(regs::RDTR::from_raw(data.rx_int_delay));
    if data.mac.has_itr() {
        bar.write_reg(regs::RADV::from_raw(data.rx_abs_int_delay));
    }
    bar.write_reg(regs::RDLEN::from_raw(rx.desc.bytes() as u32));
    bar.write_reg(regs::RDBAH::from_raw(regs::upper_32_bits(base)));
    bar.write_reg(regs::RDBAL::from_raw(regs::lower_32_bits(base)));
    bar.write_reg(regs::RDT::zeroed());
    bar.write_reg(regs::RDH::zeroed());
    // TCP/UDP checksum offload (and the IP header's, which the descriptor reports apart).
    bar.write_reg(regs::RXCSUM::zeroed().with_tuofl(true).with_ipofl(true));
}

#[kernel::macros::kunit_tests(re1000_rx_desc)]
mod tests {
    use super::*;

    const DD: u8 = RxDesc::STAT_DD;
    const EOP: u8 = RxDesc::STAT_EOP;
    const BUF: u32 = 2048;

    /// A sequence of descriptors as `(status, errors, len)`, parsed in order from a ring not
    /// discarding: what each was read as, and whether the ring is discarding after the last.
    fn parse_all(descs: &[(u8, u8, u32)]) -> (KVec<RxPiece>, bool) {
        let mut discarding = false;
        let mut out = KVec::new();
        for &(status, errors, len) in descs {
            // Tests keep to a handful of descriptors; an allocation failure shows as a mismatch.
            let _ = out.push(parse(status, errors, len, BUF, &mut discarding), GFP_KERNEL);
        }
        (out, discarding)
    }

    fn piece(len: u32, eop: bool) -> RxPiece {
        RxPiece::Piece { len, eop }
    }

    #[test]
    fn pieces_within_the_buffer_pass() {
        let (got, discarding) = parse_all(&[(DD | EOP, 0, 60), (DD, 0, BUF), (DD | EOP, 0, 0)]);
        assert_eq!(
            &got[..],
            &[piece(60, true), piece(BUF, false), piece(0, true)][..]
        );
        assert!(!discarding);
    }

    #[test]
    fn overrun_dropped_and_rest_of_frame_skipped() {
        let (got, discarding) = parse_all(&[
            (DD, 0, BUF + 1),
            (DD, 0, 100),
            (DD | EOP, 0, 100),
            (DD | EOP, 0, 100),
        ]);
        let want = [
            RxPiece::Drop(RxDrop::Overrun),
            RxPiece::Skipped,
            RxPiece::Skipped,
            piece(100, true),
        ];
        assert_eq!(&got[..], &want[..]);
        assert!(!discarding);
        let (got, _) = parse_all(&[(DD | EOP, 0, 0xffff)]);
        assert_eq!(&got[..], &[RxPiece::Drop(RxDrop::Overrun)][..]);
    }

    #[test]
    fn error_bits_drop_the_frame() {
        for bit in 0..8 {
            let err = 1u8 << bit;
            if RxDesc::ERR_FRAME & err != 0 {
                let (got, discarding) = parse_all(&[(DD | EOP, err, 60)]);
                assert_eq!(&got[..], &[RxPiece::Drop(RxDrop::Errored)][..]);
                assert!(!discarding);
            }
        }
        // A bad middle piece: the frame's first piece came, the rest up to its end is skipped.
        let (got, discarding) = parse_all(&[(DD, 0, BUF), (DD, 0x01, BUF), (DD, 0, BUF)]);
        let want = [
            piece(BUF, false),
            RxPiece::Drop(RxDrop::Errored),
            RxPiece::Skipped,
        ];
        assert_eq!(&got[..], &want[..]);
        assert!(discarding);
    }

    #[test]
    fn frame_lengths_checked() {
        assert_eq!(check_frame(0, 1522), Err(RxDrop::Runt));
        assert_eq!(check_frame(ETH_HLEN - 1, 1522), Err(RxDrop::Runt));
        assert_eq!(check_frame(ETH_HLEN, 1522), Ok(()));
        assert_eq!(check_frame(1522, 1522), Ok(()));
        assert_eq!(check_frame(1523, 1522), Err(RxDrop::TooLong));
        assert_eq!(check_frame(u32::MAX, 1522), Err(RxDrop::TooLong));
    }

    #[test]
    fn checksum_state() {
        assert_eq!(rx_csum(DD | EOP | RxDesc::STAT_TCPCS, 0), RxCsum::Good);
        assert_eq!(rx_csum(DD | EOP, 0), RxCsum::Unchecked);
        assert_eq!(
            rx_csum(DD | EOP | RxDesc::STAT_TCPCS, RxDesc::ERR_TCPE),
            RxCsum::Bad
        );
        assert_eq!(rx_csum(DD | EOP, RxDesc::ERR_IPE), RxCsum::Bad);
        // IXSM: the device says to ignore its checksum bits, errors included.
        let ignored = DD | EOP | RxDesc::STAT_IXSM | RxDesc::STAT_TCPCS;
        assert_eq!(rx_csum(ignored, RxDesc::ERR_TCPE), RxCsum::Unchecked);
    }
}
