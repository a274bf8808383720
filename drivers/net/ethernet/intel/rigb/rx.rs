// SPDX-License-Identifier: GPL-2.0

//! Receive, in the order a frame travels (see Documentation/rigb.rst): the 82576 DMAs a frame
//! into the buffer of the next receive descriptor of the queue RSS picked and raises that
//! queue's vector; the handler (`irq.rs`) masks the vector and schedules the queue pair's NAPI
//! instance; [`QVector::poll`] cleans completed transmit descriptors, then takes up to `budget`
//! frames off the receive ring ([`clean`]), builds an skb around each page-pool buffer with its
//! checksum state and hash ([`receive`]), refills the ring with buffers from the queue's page
//! pool ([`refill`]), hands the frames to `napi_gro_receive` once the ring is unlocked and, when
//! it did less than the budget, completes and unmasks the vector. The skbs are marked for
//! recycling: the stack returns their pages to the pool when it frees them. With an XDP
//! program, it runs on each good frame before an skb exists ([`run_xdp`]); frames it sends
//! back are queued on the pair's transmit ring and the device is told once, after the ring is
//! unlocked.

use crate::e1000_common::rx::{RxCsum, RxDrop};
use crate::irq;
use crate::regs::{self, Bar0};
use crate::rigb_main::{add, QVector, Rigb};
use crate::ring::{self, AdvRxDesc, AdvRxDescWb, RxRing};
use core::sync::atomic::Ordering;
use kernel::net::dev::{features, net_ratelimit};
use kernel::net::napi::{self, NapiPoll};
use kernel::net::page_pool::RxBuf;
use kernel::net::skbuff::{SkBuff, SkBuffList};
use kernel::net::xdp::{self, XdpPass, XdpProgRef, XdpVerdict};
use kernel::prelude::*;
use kernel::sync::barrier::{dma_mb, mb, Read, Write};
use kernel::sync::rcu;

/// Ethernet header, and what goes on top of an MTU to make a frame (header, VLAN tag, FCS).
const ETH_HLEN: u32 = 14;
pub(crate) const FRAME_OVERHEAD: u32 = 14 + 4 + 4;
/// Receive buffer size for standard frames (SRRCTL counts in KiB).
const RX_BUF_STD: u32 = 2048;

impl napi::Poll for QVector {
    type Driver = Rigb;

    /// igb_poll: transmit completions first, then receive within the budget.
    fn poll(ctx: NapiPoll<'_, Self>) {
        let napi = ctx.napi();
        let dev = ctx.device();
        let data = dev.data();
        let qv = napi.poller();
        let budget = ctx.budget();
        // The device is gone once unbound (igb's E1000_REMOVED) or found removed: stop
        // polling, stay masked.
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
        // Handed to the stack only now, with the ring unlocked: GRO and what follows it (IP,
        // TCP, socket wake-ups, the ACKs it transmits) do not run under the ring's lock.
        for skb in frames {
            ctx.gro_receive(skb);
        }
        // With completions still waiting, return without completing: the core polls again.
        if tx_done && ctx.complete_done(done) && data.running.load(Ordering::Acquire) {
            irq::update_itr(&bar, data, qv);
            irq::enable_queue(&bar, data, qv.index);
        }
    }
}

/// Receive buffers are handed back to the device in batches of this many during a poll.
const RX_BUFFER_WRITE: u32 = 16;

/// Takes up to the poll's budget of frames off the receive ring (igb_clean_rx_irq) into
/// `frames`, for the caller to hand to GRO once the ring is unlocked; returns how many
/// descriptors it consumed.
fn clean(ctx: &NapiPoll<'_, QVector>, bar: &Bar0<'_>, frames: &mut SkBuffList) -> u32 {
    let dev = ctx.device();
    let qv = ctx.poller();
    let budget = ctx.budget();
    // The program is read once per poll (igb reads `rx_ring->xdp_prog` per frame); a program
    // replaced meanwhile stays alive until this read-side section ends.
    let rcu = rcu::read_lock();
    let prog = dev.data().xdp_prog.get(&rcu);
    let mut guard = qv.rx.lock();
    let Some(rx) = (*guard).as_mut() else {
        return 0;
    };
    // Only on buffers laid out for it: rings built before the program came are rebuilt.
    let prog = prog.filter(|_| rx.xdp_ready());
    let mut totals = Totals::default();
    let mut done = 0;
    while done < budget {
        let i = rx.next_to_clean;
        let Some(status) = ring::rx_status(&rx.desc, i) else {
            break;
        };
        if status & AdvRxDescWb::STAT_DD == 0 {
            break;
        }
        // Read the rest of the descriptor only after seeing DD.
        dma_mb(Read);
        let Some(wb) = rx.desc.read::<AdvRxDescWb>(i) else {
            break;
        };
        let Some(buf) = rx.bufs.get_mut(i).and_then(Option::take) else {
            // A completed descriptor without a buffer: the device is confused; stop here.
            if net_ratelimit() {
                pr_warn!("{}: receive descriptor done without a buffer\n", dev.name());
            }
            break;
        };
        rx.next_to_clean = rx.next(i);
        done += 1;
        if let Some(skb) = receive(ctx, rx, &wb, buf, prog, &mut totals) {
            frames.push_back(skb);
        }
        // Buffers go back every few frames, not only at the end of the poll
        // (IGB_RX_BUFFER_WRITE): the device keeps receiving during a long poll.
        if done % RX_BUFFER_WRITE == 0 {
            refill(bar, qv, rx);
        }
    }
    refill(bar, qv, rx);
    drop(guard);
    drop(rcu);
    if totals.xdp_tx > 0 {
        // Frames sent back go out now, one doorbell for the poll (igb_finalize_xdp).
        crate::xdp::flush_tx(bar, qv);
    }
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
    /// Frames `XDP_TX` queued on the transmit ring, not yet announced to the device.
    xdp_tx: u64,
}

/// Turns a written-back descriptor and its buffer into an skb for the stack (built around the
/// buffer, igb_build_skb), with checksum state, hash and queue (igb_process_skb_fields); `None`
/// if it goes no further, the buffer then going back to the pool. The device is not trusted:
/// frames spread over several buffers (buffers are sized for the MTU, so these are oversized),
/// errored frames and impossible lengths are dropped and counted.
fn receive(
    ctx: &NapiPoll<'_, QVector>,
    rx: &mut RxRing,
    wb: &AdvRxDescWb,
    buf: RxBuf,
    prog: Option<XdpProgRef<'_>>,
    totals: &mut Totals,
) -> Option<SkBuff> {
    let dev = ctx.device();
    let qv = ctx.poller();
    let (len, csum) = match parse(
        wb.status_error(),
        wb.length(),
        rx.buf_len(),
        &mut rx.discarding,
    ) {
        RxWriteBack::Frame { len, csum } => (len, csum),
        RxWriteBack::Drop(_) => {
            add(&qv.stats.rx_errors, 1);
            buf.recycle(&rx.pool);
            return None;
        }
    };
    // The self-test's loopback frames bypass the program.
    let prog = prog.filter(|_| !dev.data().loopback.load(Ordering::Relaxed));
    let built = match prog {
        Some(prog) => {
            let pass = run_xdp(ctx, rx, prog, buf, len, totals)?;
            pass.build_skb(&rx.pool, ctx)
        }
        None => buf.build_skb(&rx.pool, len, ctx),
    };
    let mut skb = match built {
        Ok(skb) => skb,
        Err(e) => {
            let counter = if e == ENOMEM {
                &qv.stats.rx_alloc_failed
            } else {
                &qv.stats.rx_errors
            };
            add(counter, 1);
            return None;
        }
    };
    if dev.data().loopback.load(Ordering::Relaxed) {
        // The self-test's frames are checked and counted, not passed up.
        if kernel::net::ethtool::is_loopback_frame(skb.head_data()) {
            dev.data().loopback_ok.fetch_add(1, Ordering::Relaxed);
        }
        return None;
    }
    if dev.eth_type_trans(&mut skb).is_err() {
        add(&qv.stats.rx_errors, 1);
        return None;
    }
    let feats = dev.features();
    if feats & features::RXCSUM != 0 {
        match csum {
            // Left to the stack, which will count and drop it.
            RxCsum::Bad => add(&qv.stats.rx_csum_err, 1),
            RxCsum::Good => skb.set_csum_unnecessary(),
            RxCsum::Unchecked => {}
        }
    }
    if feats & features::RXHASH != 0 && wb.rss_type() != 0 {
        skb.set_hash(wb.rss_hash(), wb.rss_type_is_l4());
    }
    skb.record_rx_queue(qv.index as u16);
    totals.packets += 1;
    totals.bytes += u64::from(len);
    Some(skb)
}

/// What a receive descriptor the device wrote back holds, as [`parse`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RxWriteBack {
    /// A whole frame of `len` bytes in the descriptor's buffer.
    Frame { len: u32, csum: RxCsum },
    /// Nothing to pass up: dropped and counted as a receive error.
    Drop(RxDrop),
}

/// Reads a written-back receive descriptor's `status` (status and error bits) and `len`, given
/// the `buf_len` bytes its buffer holds and whether the ring is `discarding` the rest of an
/// oversized frame (updated). Nothing the device writes is trusted: every length and bit
/// pattern gives an answer, and a [`RxWriteBack::Frame`] always lies within the buffer.
pub(crate) fn parse(status: u32, len: u32, buf_len: u32, discarding: &mut bool) -> RxWriteBack {
    let eop = status & AdvRxDescWb::STAT_EOP != 0;
    if *discarding || !eop {
        *discarding = !eop;
        return RxWriteBack::Drop(RxDrop::Fragment);
    }
    if status & AdvRxDescWb::ERR_FRAME != 0 {
        return RxWriteBack::Drop(RxDrop::Errored);
    }
    if len < ETH_HLEN {
        return RxWriteBack::Drop(RxDrop::Runt);
    }
    if len > buf_len {
        return RxWriteBack::Drop(RxDrop::Overrun);
    }
    let csum = if status & AdvRxDescWb::STAT_IXSM != 0 {
        RxCsum::Unchecked
    } else if status & (AdvRxDescWb::ERR_L4E | AdvRxDescWb::ERR_IPE) != 0 {
        RxCsum::Bad
    } else if status & (AdvRxDescWb::STAT_TCPCS | AdvRxDescWb::STAT_UDPCS) != 0 {
        RxCsum::Good
    } else {
        RxCsum::Unchecked
    };
    RxWriteBack::Frame { len, csum }
}

/// Runs the XDP program on a good frame (igb_run_xdp) and counts the verdict; returns the frame
/// if the program passed it to the stack. Frames it consumed count as received, as in igb.
fn run_xdp(
    ctx: &NapiPoll<'_, QVector>,
    rx: &RxRing,
    prog: XdpProgRef<'_>,
    buf: RxBuf,
    len: u32,
    totals: &mut Totals,
) -> Option<XdpPass> {
    let dev = ctx.device();
    let qv = ctx.poller();
    let verdict = xdp::run(prog, &rx.xdp_rxq, &rx.pool, buf, len, ctx, |frame| {
        crate::xdp::xmit_back(dev, qv, frame)
    });
    let st = &qv.stats;
    let counter = match verdict {
        XdpVerdict::Pass(pass) => {
            add(&st.xdp_pass, 1);
            return Some(pass);
        }
        XdpVerdict::Drop => &st.xdp_drop,
        XdpVerdict::Tx => {
            totals.xdp_tx += 1;
            &st.xdp_tx
        }
        XdpVerdict::TxFailed => &st.xdp_tx_errors,
        XdpVerdict::Redirect => &st.xdp_redirect,
        XdpVerdict::RedirectFailed => &st.xdp_redirect_errors,
        XdpVerdict::Aborted => &st.xdp_aborted,
    };
    add(counter, 1);
    totals.packets += 1;
    totals.bytes += u64::from(len);
    None
}

/// Gives empty slots of the receive ring buffers from the queue's page pool and tells the
/// device (RDT) (igb_alloc_rx_buffers). A failed allocation is counted (`rx-alloc-fail`) and
/// retried at the next poll; the device drops frames while it has no buffer (SRRCTL.DROP_EN).
pub(crate) fn refill(bar: &Bar0<'_>, qv: &QVector, rx: &mut RxRing) {
    let mut filled = false;
    // One slot stays empty so that head == tail means "ring empty" to the device.
    while rx.next(rx.next_to_use) != rx.next_to_clean {
        let i = rx.next_to_use;
        let Some(buf) = rx.pool.alloc() else {
            add(&qv.stats.rx_alloc_failed, 1);
            // The slot stays empty until a later refill: clear its last write-back (DD set),
            // or `clean` takes it for a new frame once the ring drains up to it.
            rx.desc.write(i, AdvRxDesc::new(0));
            break;
        };
        rx.desc.write(i, AdvRxDesc::new(buf.dma_address()));
        if let Some(slot) = rx.bufs.get_mut(i) {
            *slot = Some(buf);
        }
        rx.next_to_use = rx.next(i);
        filled = true;
    }
    if filled {
        // Descriptors must be in memory before the device sees the new tail.
        mb(Write);
        regs::write_at(
            bar,
            qv.index as usize,
            regs::RDT::from_raw(rx.next_to_use as u32),
        );
    }
}

/// Receive buffer size for an MTU: 2 KiB for standard frames, else the frame rounded up to
/// whole KiB (SRRCTL's unit).
pub(crate) fn buf_len(mtu: u32) -> u32 {
    if mtu <= 1500 {
        RX_BUF_STD
    } else {
        (mtu + FRAME_OVERHEAD).div_ceil(1024) * 1024
    }
}

/// Programs receive queue `q` for ring `rx` (igb_configure_rx_ring).
pub(crate) fn configure(bar: &Bar0<'_>, q: usize, rx: &RxRing) -> Result {
    let base = rx.desc.dma_address();
    regs::write_at(bar, q, regs::RXDCTL::zeroed());
    regs::write_at(bar, q, regs::RDBAL::from_raw(regs::lower_32_bits(base)));
    regs::write_at(bar, q, regs::RDBAH::from_raw(regs::upper_32_bits(base)));
    regs::write_at(bar, q, regs::RDLEN::from_raw(rx.desc.bytes() as u32));
    regs::write_at(
        bar,
        q,
        regs::SRRCTL::zeroed()
            .try_with_bsizepacket(rx.buf_len() / 1024)?
            .with_const_desctype::<1>()
            .with_drop_en(true),
    );
    regs::write_at(bar, q, regs::RDH::zeroed());
    regs::write_at(bar, q, regs::RDT::zeroed());
    regs::write_at(bar, q, regs::RXDCTL::zeroed().with_enable(true));
    Ok(())
}

#[kernel::macros::kunit_tests(rigb_rx_desc)]
mod tests {
    use super::*;

    const DD: u32 = AdvRxDescWb::STAT_DD;
    const EOP: u32 = AdvRxDescWb::STAT_EOP;
    const BUF: u32 = 2048;

    /// One descriptor on a ring not discarding; `None` if it left the ring discarding.
    fn parse_one(status: u32, len: u32) -> Option<RxWriteBack> {
        let mut discarding = false;
        let desc = parse(status, len, BUF, &mut discarding);
        (!discarding).then_some(desc)
    }

    fn frame(len: u32) -> Option<RxWriteBack> {
        Some(RxWriteBack::Frame {
            len,
            csum: RxCsum::Unchecked,
        })
    }

    fn dropped(why: RxDrop) -> Option<RxWriteBack> {
        Some(RxWriteBack::Drop(why))
    }

    /// The checksum state of a good 60-byte frame with `status` bits added.
    fn csum(status: u32) -> Option<RxCsum> {
        match parse_one(DD | EOP | status, 60)? {
            RxWriteBack::Frame { csum, .. } => Some(csum),
            RxWriteBack::Drop(_) => None,
        }
    }

    #[test]
    fn whole_frame_passes() {
        assert_eq!(parse_one(DD | EOP, 60), frame(60));
        assert_eq!(parse_one(DD | EOP, ETH_HLEN), frame(ETH_HLEN));
        assert_eq!(parse_one(DD | EOP, BUF), frame(BUF));
    }

    #[test]
    fn impossible_lengths_dropped() {
        assert_eq!(parse_one(DD | EOP, 0), dropped(RxDrop::Runt));
        assert_eq!(parse_one(DD | EOP, ETH_HLEN - 1), dropped(RxDrop::Runt));
        assert_eq!(parse_one(DD | EOP, BUF + 1), dropped(RxDrop::Overrun));
        assert_eq!(parse_one(DD | EOP, 0xffff), dropped(RxDrop::Overrun));
    }

    #[test]
    fn error_bits_dropped() {
        for bit in 24..32 {
            if AdvRxDescWb::ERR_FRAME & (1 << bit) != 0 {
                assert_eq!(
                    parse_one(DD | EOP | (1 << bit), 60),
                    dropped(RxDrop::Errored)
                );
            }
        }
        // Even with a length that would be fine otherwise, and the checksum bits set.
        let all = DD | EOP | AdvRxDescWb::ERR_FRAME | AdvRxDescWb::STAT_TCPCS;
        assert_eq!(parse_one(all, 1514), dropped(RxDrop::Errored));
    }

    #[test]
    fn frame_without_end_discarded_up_to_its_end() {
        let mut discarding = false;
        let fragment = RxWriteBack::Drop(RxDrop::Fragment);
        assert_eq!(parse(DD, 2048, BUF, &mut discarding), fragment);
        assert!(discarding);
        // A middle piece, then the last one: both dropped, whatever their length says.
        assert_eq!(parse(DD, 0xffff, BUF, &mut discarding), fragment);
        assert!(discarding);
        assert_eq!(parse(DD | EOP, 100, BUF, &mut discarding), fragment);
        assert!(!discarding);
        // The next frame is received again.
        assert_eq!(Some(parse(DD | EOP, 100, BUF, &mut discarding)), frame(100));
    }

    #[test]
    fn checksum_state() {
        assert_eq!(csum(AdvRxDescWb::STAT_TCPCS), Some(RxCsum::Good));
        assert_eq!(csum(AdvRxDescWb::STAT_UDPCS), Some(RxCsum::Good));
        assert_eq!(csum(0), Some(RxCsum::Unchecked));
        let l4_error = AdvRxDescWb::STAT_TCPCS | AdvRxDescWb::ERR_L4E;
        assert_eq!(csum(l4_error), Some(RxCsum::Bad));
        assert_eq!(csum(AdvRxDescWb::ERR_IPE), Some(RxCsum::Bad));
        // IXSM: the device says to ignore its checksum bits, errors included.
        let ignored = AdvRxDescWb::STAT_IXSM | AdvRxDescWb::STAT_TCPCS | AdvRxDescWb::ERR_L4E;
        assert_eq!(csum(ignored), Some(RxCsum::Unchecked));
    }
}
