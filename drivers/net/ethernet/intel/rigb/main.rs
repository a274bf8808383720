// SPDX-License-Identifier: GPL-2.0

//! rigb: probe/remove, open/stop, the transmit routine, the interrupt handlers and the NAPI
//! poll (igb_main.c's counterparts).
//!
//! Packet path (see Documentation/rigb.rst): the 82576 DMAs a received frame into the buffer
//! of the next receive descriptor of the queue RSS picked and raises that queue's MSI-X
//! vector; the handler only masks the vector and schedules the queue pair's NAPI instance;
//! `poll` cleans completed transmit descriptors, then takes up to `budget` frames off the
//! receive ring into `napi_gro_receive`, refills the ring and, when it did less than the
//! budget, completes and unmasks the vector. Transmit maps the frame's head and page
//! fragments, writes a context descriptor when the device must checksum or segment (TSO),
//! one data descriptor per buffer, and moves the tail register.

use crate::regs::{self, Hw, Reg};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel::device;
use kernel::dma::{self, CoherentAllocation};
use kernel::net::dev::{
    self, features, Device, DeviceSetup, IrqHandler, IrqReturn, NetIrq, Registration, Rtnl, RxMode,
    SockAddr, Stats64, TxOutcome,
};
use kernel::net::napi::{self, Napi, QueueKind};
use kernel::net::skbuff::{FragMapping, MappedSkBuff, SkBuff};
use kernel::pci::{self, Bar, EnabledDevice, IrqKinds, IrqVectors};
use kernel::sync::{Mutex, SetOnce, SpinLock};
use kernel::types::ARef;
use kernel::{c_str, new_mutex, new_spinlock, prelude::*, str::CString};

/// Queue pairs at most (igb uses up to 8 RSS queues; the 82576 has 16).
pub(crate) const MAX_QUEUES: u32 = 4;
/// Ring sizes: igb's default and limits; sizes must be multiples of 8 (descriptor fetches
/// are done in cache lines of 8 descriptors).
pub(crate) const DEFAULT_RING: u32 = 256;
pub(crate) const MIN_RING: u32 = 64;
pub(crate) const MAX_RING: u32 = 4096;
pub(crate) const RING_MULTIPLE: u32 = 8;
/// Receive buffer size for standard frames (SRRCTL counts in KiB).
const RX_BUF_STD: u32 = 2048;
const MIN_MTU: u32 = 68;
/// igb's limit: a 9216-byte jumbo frame less Ethernet header and FCS.
pub(crate) const MAX_MTU: u32 = 9216 - 14 - 4;
/// Ethernet header, and what goes on top of an MTU to make a frame (header, VLAN tag, FCS).
const ETH_HLEN: u32 = 14;
const FRAME_OVERHEAD: u32 = 14 + 4 + 4;
/// One data descriptor carries at most this many bytes.
const MAX_PER_TXD: u32 = 1 << 15;
/// Descriptors a worst-case frame needs (MAX_SKB_FRAGS + head + context + slack, as igb's
/// DESC_NEEDED): stop the queue below this, wake it at twice this.
const DESC_NEEDED: usize = 17 + 4;
/// Interrupt moderation bound for `ethtool -C rx-usecs` (igb's). As in igb, 0 turns
/// moderation off, 1 and 2 select adaptive moderation, 3 (the default) adaptive moderation
/// that never goes below 50 µs, larger values a fixed interval.
pub(crate) const MAX_ITR_USECS: u32 = 10000;
pub(crate) const ITR_CONSERVATIVE: u32 = 3;
/// EITR interval values (µs × 4): where adaptive moderation starts, and its floor in
/// conservative mode (20000 interrupts/s).
const EITR_START: u32 = 648;
const EITR_20K: u32 = 196;

/// Deferred work items (ids of `Device::queue_work`).
pub(crate) const WORK_WATCHDOG: u32 = 0;
pub(crate) const WORK_RESET: u32 = 1;
const WATCHDOG_MS: u32 = 2000;

kernel::module_param!(
    INT_MODE,
    int_mode,
    u32,
    2,
    "Interrupt mode: 0 = INTx, 1 = MSI, 2 = MSI-X (falls back to the next lower)"
);

/// An advanced descriptor: two little-endian quadwords.
type Desc = [u64; 2];

/// What a transmit ring slot holds until its descriptor is done.
enum TxBuf {
    /// The first descriptor of a frame: the frame (its head mapped), its last descriptor and
    /// what it counts for (segments and bytes on the wire, for statistics and BQL).
    Head {
        skb: MappedSkBuff,
        eop: usize,
        segs: u32,
        bytes: u32,
    },
    /// A page fragment of the frame whose head sits in an earlier slot, unmapped on drop.
    Frag { _mapping: FragMapping },
}

struct TxRing {
    desc: CoherentAllocation<Desc>,
    bufs: KVec<Option<TxBuf>>,
    next_to_use: usize,
    next_to_clean: usize,
}

impl TxRing {
    fn new(pdev: &device::Device, size: usize) -> Result<Self> {
        Ok(Self {
            desc: CoherentAllocation::alloc(pdev, size)?,
            bufs: empty_slots(size)?,
            next_to_use: 0,
            next_to_clean: 0,
        })
    }

    fn size(&self) -> usize {
        self.bufs.len()
    }

    fn free_slots(&self) -> usize {
        let size = self.size();
        let used = if self.next_to_use >= self.next_to_clean {
            self.next_to_use - self.next_to_clean
        } else {
            self.next_to_use + size - self.next_to_clean
        };
        size - 1 - used
    }

    fn next(&self, i: usize) -> usize {
        ring_next(i, self.size())
    }
}

struct RxRing {
    desc: CoherentAllocation<Desc>,
    bufs: KVec<Option<MappedSkBuff>>,
    next_to_clean: usize,
    next_to_use: usize,
    buf_len: u32,
    /// Dropping the descriptors of a frame that did not fit one buffer, up to its end.
    discarding: bool,
}

impl RxRing {
    fn new(pdev: &device::Device, size: usize, buf_len: u32) -> Result<Self> {
        Ok(Self {
            desc: CoherentAllocation::alloc(pdev, size)?,
            bufs: empty_slots(size)?,
            next_to_clean: 0,
            next_to_use: 0,
            buf_len,
            discarding: false,
        })
    }

    fn size(&self) -> usize {
        self.bufs.len()
    }
}

/// The ring index after `i` (without a division: the poll routine keeps no panic paths).
fn ring_next(i: usize, size: usize) -> usize {
    if i + 1 >= size {
        0
    } else {
        i + 1
    }
}

fn empty_slots<T>(size: usize) -> Result<KVec<Option<T>>> {
    let mut v = KVec::with_capacity(size, GFP_KERNEL)?;
    for _ in 0..size {
        v.push(None, GFP_KERNEL)?;
    }
    Ok(v)
}

/// Per-queue-pair software counters (`ethtool -S` and the netdev qstats).
#[derive(Default)]
pub(crate) struct QueueStats {
    pub(crate) rx_packets: AtomicU64,
    pub(crate) rx_bytes: AtomicU64,
    pub(crate) rx_errors: AtomicU64,
    pub(crate) rx_csum_err: AtomicU64,
    pub(crate) rx_alloc_failed: AtomicU64,
    pub(crate) tx_packets: AtomicU64,
    pub(crate) tx_bytes: AtomicU64,
    pub(crate) tx_dropped: AtomicU64,
    pub(crate) tx_busy: AtomicU64,
    pub(crate) tx_restart: AtomicU64,
    pub(crate) tx_tso: AtomicU64,
    pub(crate) tx_csum: AtomicU64,
}

pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

pub(crate) fn get(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// A queue pair, served by one interrupt vector and one NAPI instance. The rings exist while
/// the interface is up.
#[pin_data]
pub(crate) struct QVector {
    index: u32,
    #[pin]
    tx: SpinLock<Option<TxRing>>,
    #[pin]
    rx: SpinLock<Option<RxRing>>,
    pub(crate) stats: QueueStats,
    itr: ItrState,
}

/// What adaptive interrupt moderation works from: traffic since the last update (touched by
/// the poll only) and the interval in force.
#[derive(Default)]
struct ItrState {
    rx_packets: AtomicU32,
    rx_bytes: AtomicU32,
    tx_packets: AtomicU32,
    tx_bytes: AtomicU32,
    eitr: AtomicU32,
}

/// Hardware statistics registers (clear on read), accumulated by the watchdog and by
/// `ethtool -S`: name, low register, high register of 64-bit byte counters.
pub(crate) const HW_STATS: [(&str, Reg, Option<Reg>); 22] = [
    ("rx_packets", regs::GPRC, None),
    ("tx_packets", regs::GPTC, None),
    ("rx_bytes", regs::GORCL, Some(regs::GORCH)),
    ("tx_bytes", regs::GOTCL, Some(regs::GOTCH)),
    ("rx_broadcast", regs::BPRC, None),
    ("tx_broadcast", regs::BPTC, None),
    ("rx_multicast", regs::MPRC, None),
    ("tx_multicast", regs::MPTC, None),
    ("rx_total_packets", regs::TPR, None),
    ("tx_total_packets", regs::TPT, None),
    ("rx_total_bytes", regs::TORL, Some(regs::TORH)),
    ("tx_total_bytes", regs::TOTL, Some(regs::TOTH)),
    ("rx_crc_errors", regs::CRCERRS, None),
    ("rx_missed_errors", regs::MPC, None),
    ("rx_no_buffer_count", regs::RNBC, None),
    ("rx_long_length_errors", regs::ROC, None),
    ("rx_short_length_errors", regs::RUC, None),
    ("rx_length_errors", regs::RLEC, None),
    ("tx_flow_control_xon", regs::XONTXC, None),
    ("rx_flow_control_xon", regs::XONRXC, None),
    ("tx_flow_control_xoff", regs::XOFFTXC, None),
    ("rx_flow_control_xoff", regs::XOFFRXC, None),
];
pub(crate) const HW_CRCERRS: usize = 12;
pub(crate) const HW_MPC: usize = 13;
pub(crate) const HW_ROC: usize = 15;
pub(crate) const HW_RLEC: usize = 17;
pub(crate) const HW_MPRC: usize = 6;
pub(crate) const HW_XON_TX: usize = 18;

/// Per-netdev state (the netdev's private data).
#[pin_data]
pub(crate) struct RigbData {
    pub(crate) hw: Hw,
    pub(crate) pdev: ARef<device::Device>,
    pub(crate) pci_name: CString,
    pub(crate) device_id: u16,
    vectors: IrqVectors,
    pub(crate) msix: bool,
    /// Queue pairs the interrupt setup allows (1 without MSI-X).
    pub(crate) max_queues: u32,
    qv: SetOnce<KVec<Pin<KBox<Napi<QVector>>>>>,
    #[pin]
    pub(crate) irqs: Mutex<KVec<NetIrq<Rigb>>>,
    /// Configuration, changed under RTNL and applied on the next bring-up.
    pub(crate) num_queues: AtomicU32,
    pub(crate) tx_ring_size: AtomicU32,
    pub(crate) rx_ring_size: AtomicU32,
    pub(crate) itr_usecs: AtomicU32,
    mtu: AtomicU32,
    /// RCTL filter bits (UPE/MPE) from the last `set_rx_mode`.
    rx_filter: AtomicU32,
    /// The hardware is configured and running (between `up` and `down`).
    pub(crate) running: AtomicBool,
    #[pin]
    stats_lock: SpinLock<()>,
    pub(crate) hw_stats: [AtomicU64; HW_STATS.len()],
    pub(crate) tx_timeouts: AtomicU64,
    pub(crate) resets: AtomicU64,
    /// Interrupt causes seen by the self-test's interrupt check.
    pub(crate) test_icr: AtomicU32,
    /// Self-test MAC loopback: frames sent to ourselves are checked and counted, not passed up.
    pub(crate) loopback: AtomicBool,
    pub(crate) loopback_ok: AtomicU32,
}

pub(crate) struct Rigb;

impl RigbData {
    pub(crate) fn queues(&self) -> &[Pin<KBox<Napi<QVector>>>] {
        self.qv.as_ref().map_or(&[], |v| &v[..])
    }

    /// Reads the clear-on-read statistics registers into the running totals.
    pub(crate) fn update_hw_stats(&self) {
        let _guard = self.stats_lock.lock();
        for (i, (_, lo, hi)) in HW_STATS.iter().enumerate() {
            // Low first: reading the high half clears both.
            let mut v = u64::from(self.hw.rd(*lo));
            if let Some(hi) = hi {
                v |= u64::from(self.hw.rd(*hi)) << 32;
            }
            add(&self.hw_stats[i], v);
        }
    }
}

fn low(addr: u64) -> u32 {
    addr as u32
}

fn high(addr: u64) -> u32 {
    (addr >> 32) as u32
}

/// Receive buffer size for an MTU: 2 KiB for standard frames, else the frame rounded up to
/// whole KiB (SRRCTL's unit).
fn rx_buf_len(mtu: u32) -> u32 {
    if mtu <= 1500 {
        RX_BUF_STD
    } else {
        (mtu + FRAME_OVERHEAD).div_ceil(1024) * 1024
    }
}

/// Gives empty slots of the receive ring fresh buffers and tells the device (RDT).
fn rx_refill(dev: &Device<Rigb>, qv: &QVector, rx: &mut RxRing) {
    let data = dev.data();
    let size = rx.size();
    let mut filled = false;
    // One slot stays empty so that head == tail means "ring empty" to the device.
    while ring_next(rx.next_to_use, size) != rx.next_to_clean {
        let i = rx.next_to_use;
        let Some(skb) = SkBuff::alloc_rx(dev, rx.buf_len) else {
            add(&qv.stats.rx_alloc_failed, 1);
            break;
        };
        let mapped = match skb.map_rx(&data.pdev, rx.buf_len) {
            Ok(m) => m,
            Err((_skb, _e)) => {
                add(&qv.stats.rx_alloc_failed, 1);
                break;
            }
        };
        // Read format: packet buffer address, header buffer address (unused: one buffer).
        let _ = rx.desc.write(i, [mapped.dma_handle().to_le(), 0]);
        rx.bufs[i] = Some(mapped);
        rx.next_to_use = ring_next(i, size);
        filled = true;
    }
    if filled {
        // Descriptors must be in memory before the device sees the new tail.
        dma::wmb();
        data.hw.wr(regs::RDT.at(qv.index), rx.next_to_use as u32);
    }
}

/// Reflects the link state in the carrier (from STATUS.LU).
pub(crate) fn update_link(dev: &Device<Rigb>) {
    let up = dev.data().hw.rd(regs::STATUS) & regs::STATUS_LU != 0;
    if up && !dev.carrier_ok() {
        dev.carrier_on();
    } else if !up && dev.carrier_ok() {
        dev.carrier_off();
    }
}

/// Cleans completed transmit descriptors; returns whether the ring is clean up to what the
/// device finished within the budget.
fn tx_clean(dev: &Device<Rigb>, qv: &QVector, budget: u32) -> bool {
    let mut guard = qv.tx.lock();
    let Some(tx) = guard.as_mut() else {
        return true;
    };
    let (mut packets, mut bytes) = (0u32, 0u32);
    let mut frames = 0;
    while tx.next_to_clean != tx.next_to_use && frames < budget {
        let i = tx.next_to_clean;
        let eop = match &tx.bufs[i] {
            Some(TxBuf::Head { eop, .. }) => *eop,
            _ => {
                // Only the first slot of a frame can be at next_to_clean; skip anything else.
                tx.bufs[i] = None;
                tx.next_to_clean = tx.next(i);
                continue;
            }
        };
        let Some(desc) = tx.desc.read(eop) else { break };
        // Write-back format: the status dword is the upper half of the second quadword.
        let status = (u64::from_le(desc[1]) >> 32) as u32;
        if status & regs::TXD_STAT_DD == 0 {
            break;
        }
        // The frame's slots run from `i` to `eop`; dropping them unmaps the fragments.
        let mut j = i;
        loop {
            if let Some(TxBuf::Head {
                skb,
                segs,
                bytes: b,
                ..
            }) = tx.bufs[j].take()
            {
                packets += segs;
                bytes += b;
                skb.unmap().consume();
            }
            if j == eop {
                break;
            }
            j = tx.next(j);
        }
        tx.next_to_clean = tx.next(eop);
        frames += 1;
    }
    let free = tx.free_slots();
    let done = tx.next_to_clean == tx.next_to_use || frames < budget;
    drop(guard);
    if packets > 0 {
        qv.itr.tx_packets.fetch_add(packets, Ordering::Relaxed);
        qv.itr.tx_bytes.fetch_add(bytes, Ordering::Relaxed);
        add(&qv.stats.tx_packets, packets.into());
        add(&qv.stats.tx_bytes, bytes.into());
        dev.tx_completed_queue(qv.index, packets, bytes);
        if dev.subqueue_stopped(qv.index)
            && free >= 2 * DESC_NEEDED
            && dev.data().running.load(Ordering::Acquire)
        {
            dev.wake_subqueue(qv.index);
            add(&qv.stats.tx_restart, 1);
        }
    }
    done
}

/// Receives up to `budget` frames; returns how many descriptors it consumed.
fn rx_clean(napi: &Napi<QVector>, budget: u32) -> u32 {
    let dev = napi.device();
    let qv = napi.poller();
    let feats = dev.features();
    let (rxcsum, rxhash) = (feats & features::RXCSUM != 0, feats & features::RXHASH != 0);
    let mut guard = qv.rx.lock();
    let Some(rx) = guard.as_mut() else {
        return 0;
    };
    let (mut packets, mut bytes) = (0u64, 0u64);
    let loopback = dev.data().loopback.load(Ordering::Relaxed);
    let mut done = 0;
    while done < budget {
        let i = rx.next_to_clean;
        let Some(desc) = rx.desc.read(i) else { break };
        let status = u64::from_le(desc[1]) as u32;
        if status & regs::RXD_STAT_DD == 0 {
            break;
        }
        // Read the rest of the descriptor only after seeing DD.
        dma::dma_rmb();
        let Some(desc) = rx.desc.read(i) else { break };
        let (lo, wb) = (u64::from_le(desc[0]), u64::from_le(desc[1]));
        let status = wb as u32;
        let len = ((wb >> 32) & 0xffff) as u32;
        let Some(mapped) = rx.bufs[i].take() else {
            // A completed descriptor without a buffer: the device is confused; stop here.
            pr_warn!("{}: receive descriptor done without a buffer\n", dev.name());
            break;
        };
        rx.next_to_clean = ring_next(i, rx.size());
        done += 1;
        let mut skb = mapped.unmap();
        // Never trust the device: frames spread over several buffers (we size buffers for
        // the MTU, so these are oversized), errored frames and impossible lengths are
        // dropped and counted.
        if rx.discarding || status & regs::RXD_STAT_EOP == 0 {
            rx.discarding = status & regs::RXD_STAT_EOP == 0;
            add(&qv.stats.rx_errors, 1);
            continue;
        }
        if status & regs::RXD_ERR_FRAME != 0
            || !(ETH_HLEN..=rx.buf_len).contains(&len)
            || skb.put(len).is_err()
        {
            add(&qv.stats.rx_errors, 1);
            continue;
        }
        if loopback {
            if crate::ethtool::is_loopback_frame(skb.head_data()) {
                dev.data().loopback_ok.fetch_add(1, Ordering::Relaxed);
            }
            continue;
        }
        if skb.eth_type_trans(dev).is_err() {
            add(&qv.stats.rx_errors, 1);
            continue;
        }
        if rxcsum && status & regs::RXD_STAT_IXSM == 0 {
            if status & (regs::RXD_ERR_L4E | regs::RXD_ERR_IPE) != 0 {
                // Leave it to the stack, which will count and drop it.
                add(&qv.stats.rx_csum_err, 1);
            } else if status & (regs::RXD_STAT_TCPCS | regs::RXD_STAT_UDPCS) != 0 {
                skb.set_csum_unnecessary();
            }
        }
        let rss_type = (lo as u32) & regs::RSS_TYPE_MASK;
        if rxhash && rss_type != 0 {
            skb.set_hash((lo >> 32) as u32, regs::rss_type_is_l4(rss_type));
        }
        skb.record_rx_queue(qv.index as u16);
        packets += 1;
        bytes += u64::from(len);
        napi.gro_receive(skb);
    }
    rx_refill(dev, qv, rx);
    drop(guard);
    add(&qv.stats.rx_packets, packets);
    add(&qv.stats.rx_bytes, bytes);
    qv.itr
        .rx_packets
        .fetch_add(packets as u32, Ordering::Relaxed);
    qv.itr.rx_bytes.fetch_add(bytes as u32, Ordering::Relaxed);
    done
}

/// Adaptive interrupt moderation (igb_update_ring_itr): the larger the average frame since
/// the last update, the longer the interval; conservative mode keeps it at 50 µs or more.
fn update_itr(data: &RigbData, qv: &QVector) {
    let setting = data.itr_usecs.load(Ordering::Relaxed);
    if setting == 0 || setting > ITR_CONSERVATIVE {
        return;
    }
    let it = &qv.itr;
    let take = |a: &AtomicU32| a.swap(0, Ordering::Relaxed);
    let (rp, rb, tp, tb) = (
        take(&it.rx_packets),
        take(&it.rx_bytes),
        take(&it.tx_packets),
        take(&it.tx_bytes),
    );
    let avg = |bytes: u32, packets: u32| bytes.checked_div(packets).unwrap_or(0);
    if rp == 0 && tp == 0 {
        return;
    }
    // Preamble, CRC and inter-frame gap; jumbo frames are not starved.
    // (Saturating: no overflow-panic path in the poll routine.)
    let wire = avg(rb, rp).max(avg(tb, tp)).saturating_add(24).min(3000);
    let mut new = if wire > 300 && wire < 1200 {
        wire / 3
    } else {
        wire / 2
    };
    if setting == ITR_CONSERVATIVE {
        new = new.max(EITR_20K);
    }
    if it.eitr.swap(new, Ordering::Relaxed) != new {
        write_itr(data, qv.index, new);
    }
}

/// Writes an interval (µs × 4) to the throttle register of queue vector `q`.
fn write_itr(data: &RigbData, q: u32, eitr: u32) {
    let value = (eitr & regs::EITR_INTERVAL_MASK) | regs::EITR_CNT_IGNR;
    if data.msix {
        data.hw.wr(regs::eitr(q.saturating_add(1)), value);
    } else {
        data.hw.wr(regs::ITR, value);
    }
}

/// The interval a moderation setting starts with (µs × 4).
fn initial_itr(setting: u32) -> u32 {
    if (1..=ITR_CONSERVATIVE).contains(&setting) {
        EITR_START
    } else {
        setting * 4
    }
}

/// Applies a moderation setting to the first `n` queue vectors.
pub(crate) fn apply_itr(data: &RigbData, n: u32) {
    let eitr = initial_itr(data.itr_usecs.load(Ordering::Relaxed));
    for qv in data.queues().iter().take(n as usize) {
        qv.poller().itr.eitr.store(eitr, Ordering::Relaxed);
        write_itr(data, qv.poller().index, eitr);
    }
}

/// Unmasks the interrupt of queue vector `q`.
fn irq_enable_queue(data: &RigbData, q: u32) {
    if data.msix {
        data.hw.wr(regs::EIMS, 1 << (q + 1));
    } else {
        data.hw.wr(regs::IMS, regs::IMS_ENABLE);
    }
}

impl napi::Poll for QVector {
    type Driver = Rigb;

    fn poll(napi: &Napi<Self>, budget: u32) -> u32 {
        let dev = napi.device();
        let qv = napi.poller();
        let tx_done = tx_clean(dev, qv, budget);
        let done = rx_clean(napi, budget);
        if !tx_done {
            // More completions waiting: poll again.
            return budget;
        }
        if done < budget && napi.complete_done(done) && dev.data().running.load(Ordering::Acquire) {
            update_itr(dev.data(), qv);
            irq_enable_queue(dev.data(), qv.index);
        }
        done
    }
}

/// Programs transmit queue `q` for ring `tx`.
fn configure_tx(hw: &Hw, q: u32, tx: &TxRing) {
    let base = tx.desc.dma_handle();
    hw.wr(regs::TXDCTL.at(q), 0);
    hw.wr(regs::TDBAL.at(q), low(base));
    hw.wr(regs::TDBAH.at(q), high(base));
    hw.wr(regs::TDLEN.at(q), tx.desc.size() as u32);
    hw.wr(regs::TDH.at(q), 0);
    // Enable before touching the tail: the device ignores tail writes to a disabled queue.
    hw.wr(regs::TXDCTL.at(q), regs::XDCTL_ENABLE);
    hw.wr(regs::TDT.at(q), 0);
}

/// Programs receive queue `q` for ring `rx`.
fn configure_rx(hw: &Hw, q: u32, rx: &RxRing) {
    let base = rx.desc.dma_handle();
    hw.wr(regs::RXDCTL.at(q), 0);
    hw.wr(regs::RDBAL.at(q), low(base));
    hw.wr(regs::RDBAH.at(q), high(base));
    hw.wr(regs::RDLEN.at(q), rx.desc.size() as u32);
    hw.wr(
        regs::SRRCTL.at(q),
        (rx.buf_len / 1024) | regs::SRRCTL_DESCTYPE_ADV_ONEBUF | regs::SRRCTL_DROP_EN,
    );
    hw.wr(regs::RDH.at(q), 0);
    hw.wr(regs::RDT.at(q), 0);
    hw.wr(regs::RXDCTL.at(q), regs::XDCTL_ENABLE);
}

/// Spreads flows over `n` receive queues: RSS key, redirection table, hashed fields.
fn configure_rss(hw: &Hw, n: u32) {
    let mut key = [0u8; regs::RSS_KEY_LEN];
    dev::rss_key_fill(&mut key);
    for (i, k) in key.chunks_exact(4).enumerate() {
        hw.wr(regs::rssrk(i), u32::from_le_bytes([k[0], k[1], k[2], k[3]]));
    }
    for i in 0..regs::RETA_REGS {
        let entry = |j: usize| ((4 * i + j) as u32 % n) << (8 * j);
        hw.wr(regs::reta(i), entry(0) | entry(1) | entry(2) | entry(3));
    }
    let mrqc = if n > 1 {
        regs::MRQC_ENABLE_RSS | regs::MRQC_RSS_FIELDS
    } else {
        0
    };
    hw.wr(regs::MRQC, mrqc);
}

/// Receive control: enabled, broadcast, CRC stripped, the filter from `set_rx_mode`, long
/// packets when the MTU needs them.
fn rctl_value(data: &RigbData) -> u32 {
    let mut rctl =
        regs::RCTL_EN | regs::RCTL_BAM | regs::RCTL_SECRC | data.rx_filter.load(Ordering::Relaxed);
    if data.mtu.load(Ordering::Relaxed) > 1500 {
        rctl |= regs::RCTL_LPE;
    }
    if data.loopback.load(Ordering::Relaxed) {
        rctl |= regs::RCTL_LBM_MAC;
    }
    rctl
}

/// Routes the causes to vectors: MSI-X vector 0 for link and other causes, vector q + 1 for
/// queue pair q; without MSI-X everything on the one vector.
pub(crate) fn configure_interrupts(data: &RigbData, n: u32) {
    let hw = &data.hw;
    if data.msix {
        // GPIE first: the extended registers are masked by the mode. NSICR makes an ICR
        // read clear the causes in MSI-X mode.
        hw.wr(
            regs::GPIE,
            regs::GPIE_MSIX_MODE | regs::GPIE_NSICR | regs::GPIE_EIAME | regs::GPIE_PBA,
        );
        for q in 0..8 {
            let v = if q < n {
                let vec = regs::IVAR_VALID | (q + 1);
                vec | (vec << 8)
            } else {
                0
            };
            hw.wr(regs::ivar(q), v);
        }
        // Vector 0.
        hw.wr(regs::IVAR_MISC, regs::IVAR_VALID << 8);
        hw.wr(regs::eitr(0), 0);
        // Auto-clear each vector's cause bit when it fires.
        hw.wr(regs::EIAC, (1 << (n + 1)) - 1);
    } else {
        hw.wr(regs::GPIE, 0);
        // The 82576 uses IVAR in MSI and INTx mode too (as igb's igb_assign_vector does);
        // without a valid entry no TXDW cause is raised on completion.
        hw.wr(regs::IVAR0, regs::IVAR_VALID | (regs::IVAR_VALID << 8));
    }
    apply_itr(data, if data.msix { n } else { 1 });
}

pub(crate) fn irq_enable_all(data: &RigbData, n: u32) {
    if data.msix {
        data.hw.wr(regs::EIMS, (1 << (n + 1)) - 1);
        data.hw.wr(regs::IMS, regs::ICR_LSC);
    } else {
        data.hw.wr(regs::IMS, regs::IMS_ENABLE);
    }
}

pub(crate) fn hw_quiesce(hw: &Hw) {
    hw.wr(regs::IMC, u32::MAX);
    hw.wr(regs::EIMC, u32::MAX);
    hw.wr(regs::RCTL, 0);
    hw.wr(regs::TCTL, regs::TCTL_PSP);
    for q in 0..MAX_QUEUES {
        hw.wr(regs::RXDCTL.at(q), 0);
        hw.wr(regs::TXDCTL.at(q), 0);
    }
    hw.flush();
    // Let in-flight DMA finish before buffers are unmapped.
    kernel::delay::msleep(10);
}

/// Frees the rings of the first `n` queue pairs (device quiesced, NAPI disabled).
fn rings_free(dev: &Device<Rigb>, n: usize) {
    let data = dev.data();
    for (q, qv) in data.queues().iter().enumerate().take(n) {
        let qv = qv.poller();
        // The ring locks are also taken by the NAPI poll, in softirq context.
        let _bh = kernel::sync::bh::disable();
        let tx = qv.tx.lock().take();
        let rx = qv.rx.lock().take();
        drop(_bh);
        // Dropping the rings unmaps and frees their buffers, then the descriptor memory.
        drop((tx, rx));
        dev.tx_reset_queue(q as u32);
    }
}

/// Brings the hardware up with the current configuration (igb_up and __igb_open): rings,
/// receive and transmit units, RSS, interrupts, NAPI. Under RTNL.
pub(crate) fn up(dev: &Device<Rigb>, rtnl: &Rtnl) -> Result {
    let data = dev.data();
    let hw = &data.hw;
    let n = data
        .num_queues
        .load(Ordering::Relaxed)
        .clamp(1, data.max_queues) as usize;
    let tx_size = data.tx_ring_size.load(Ordering::Relaxed) as usize;
    let rx_size = data.rx_ring_size.load(Ordering::Relaxed) as usize;
    let buf_len = rx_buf_len(data.mtu.load(Ordering::Relaxed));
    let queues = data.queues();
    if queues.len() < n {
        return Err(ENODEV);
    }
    for (q, qv) in queues.iter().enumerate().take(n) {
        let (tx, rx) = match (
            TxRing::new(&data.pdev, tx_size),
            RxRing::new(&data.pdev, rx_size, buf_len),
        ) {
            (Ok(tx), Ok(rx)) => (tx, rx),
            (Err(e), _) | (_, Err(e)) => {
                pr_err!("{}: cannot allocate rings for queue {}\n", dev.name(), q);
                rings_free(dev, q);
                return Err(e);
            }
        };
        let qv = qv.poller();
        let _bh = kernel::sync::bh::disable();
        *qv.tx.lock() = Some(tx);
        *qv.rx.lock() = Some(rx);
    }
    if let Err(e) = dev
        .set_real_num_tx_queues(rtnl, n as u32)
        .and_then(|()| dev.set_real_num_rx_queues(rtnl, n as u32))
    {
        rings_free(dev, n);
        return Err(e);
    }

    // Transmit unit.
    for (q, qv) in queues.iter().enumerate().take(n) {
        // (Guards are locals so the lock is released before bottom halves are enabled.)
        let _bh = kernel::sync::bh::disable();
        let tx = qv.poller().tx.lock();
        if let Some(tx) = tx.as_ref() {
            configure_tx(hw, q as u32, tx);
        }
    }
    hw.wr(
        regs::TCTL,
        regs::TCTL_EN
            | regs::TCTL_PSP
            | (0xf << regs::TCTL_CT_SHIFT)
            | (0x3f << regs::TCTL_COLD_SHIFT),
    );
    // Receive unit: checksums and the RSS hash in the descriptor (PCSD), frame size limit.
    hw.wr(regs::RCTL, 0);
    hw.wr(
        regs::RXCSUM,
        regs::RXCSUM_IPOFLD | regs::RXCSUM_TUOFLD | regs::RXCSUM_CRCOFL | regs::RXCSUM_PCSD,
    );
    configure_rss(hw, n as u32);
    hw.wr(
        regs::RLPML,
        data.mtu.load(Ordering::Relaxed) + FRAME_OVERHEAD,
    );
    for (q, qv) in queues.iter().enumerate().take(n) {
        let qv = qv.poller();
        let _bh = kernel::sync::bh::disable();
        let mut rx = qv.rx.lock();
        if let Some(rx) = rx.as_mut() {
            configure_rx(hw, q as u32, rx);
            rx_refill(dev, qv, rx);
        }
    }
    hw.wr(regs::RCTL, rctl_value(data));
    configure_interrupts(data, n as u32);
    hw.flush();

    if let Err(e) = request_irqs(dev, n as u32) {
        hw_quiesce(hw);
        rings_free(dev, n);
        return Err(e);
    }
    for (q, qv) in queues.iter().enumerate().take(n) {
        let _ = qv.link_queue(rtnl, QueueKind::Rx, q as u32);
        let _ = qv.link_queue(rtnl, QueueKind::Tx, q as u32);
        qv.enable();
    }
    data.running.store(true, Ordering::Release);
    irq_enable_all(data, n as u32);
    update_link(dev);
    dev.start_all_queues();
    dev.queue_work(WORK_WATCHDOG, WATCHDOG_MS);
    Ok(())
}

pub(crate) fn request_irqs(dev: &Device<Rigb>, n: u32) -> Result {
    let data = dev.data();
    let mut irqs = data.irqs.lock();
    let shared = !data.vectors.is_msi() && !data.vectors.is_msix();
    let wanted = if data.msix { n + 1 } else { 1 };
    for v in 0..wanted {
        let suffix = if !data.msix {
            "q"
        } else if v == 0 {
            "other"
        } else {
            "TxRx-"
        };
        let irq = data.vectors.irq(v)?;
        match dev.request_irq(irq, v, suffix, shared) {
            Ok(h) => irqs.push(h, GFP_KERNEL)?,
            Err(e) => {
                *irqs = KVec::new();
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Stops the hardware and frees the rings (igb_down). Under RTNL.
pub(crate) fn down(dev: &Device<Rigb>, rtnl: &Rtnl) {
    let data = dev.data();
    data.running.store(false, Ordering::Release);
    // The watchdog touches the link state and registers; it must not run across the teardown.
    dev.cancel_work_sync(WORK_WATCHDOG);
    dev.tx_disable();
    dev.carrier_off();
    hw_quiesce(&data.hw);
    // Free the handlers first: no interrupt may schedule NAPI after it is disabled.
    *data.irqs.lock() = KVec::new();
    for (q, qv) in data.queues().iter().enumerate() {
        qv.disable();
        qv.unlink_queue(rtnl, QueueKind::Rx, q as u32);
        qv.unlink_queue(rtnl, QueueKind::Tx, q as u32);
    }
    rings_free(dev, data.queues().len());
    data.update_hw_stats();
}

/// Takes the interface down and up again to apply a configuration change, restoring
/// `undo` (the previous configuration) if the new one cannot be brought up.
pub(crate) fn reconfigure(
    dev: &Device<Rigb>,
    rtnl: &Rtnl,
    apply: impl Fn(&RigbData),
    undo: impl Fn(&RigbData),
) -> Result {
    let running = dev.is_running();
    if running {
        down(dev, rtnl);
    }
    apply(dev.data());
    if running {
        if let Err(e) = up(dev, rtnl) {
            pr_err!(
                "{}: reconfiguration failed ({:?}), restoring\n",
                dev.name(),
                e
            );
            undo(dev.data());
            up(dev, rtnl)?;
            return Err(e);
        }
    }
    Ok(())
}

/// The watchdog (igb_watchdog_task): link state, statistics, and a software interrupt on
/// every queue so that a lost interrupt cannot leave a ring uncleaned.
fn watchdog(dev: &Device<Rigb>) {
    let data = dev.data();
    if !data.running.load(Ordering::Acquire) {
        return;
    }
    update_link(dev);
    data.update_hw_stats();
    let n = dev.real_num_rx_queues();
    if data.msix {
        data.hw.wr(regs::EICS, ((1 << (n + 1)) - 1) & !1);
    } else {
        data.hw.wr(regs::ICS, regs::ICR_RXT0);
    }
    dev.queue_work(WORK_WATCHDOG, WATCHDOG_MS);
}

/// The reset after a transmit timeout (igb_reset_task): down and up under RTNL.
fn reset_task(dev: &Device<Rigb>) {
    let rtnl = dev::rtnl_lock();
    if !dev.is_running() {
        return;
    }
    pr_warn!("{}: resetting after a transmit timeout\n", dev.name());
    add(&dev.data().resets, 1);
    down(dev, &rtnl);
    if let Err(e) = up(dev, &rtnl) {
        pr_err!("{}: reset failed: {:?}\n", dev.name(), e);
    }
}

/// Offload request for one frame: the context descriptor fields and the data descriptor's
/// extra command and option bits.
struct Offload {
    vlan_macip_lens: u32,
    type_tucmd: u32,
    mss_l4len: u32,
    cmd: u32,
    popts: u32,
    /// Header bytes repeated in each segment (TSO) and the segment count.
    hdr_len: u32,
    segs: u32,
}

/// Works out checksum/segmentation offload for `skb`; `Ok(None)` when nothing is offloaded.
fn tx_offload(skb: &mut SkBuff) -> Result<Option<Offload>> {
    let net = skb.network_offset();
    if skb.is_gso() {
        let tso = skb.tso_prepare()?;
        let mut type_tucmd = regs::TXD_TUCMD_L4T_TCP;
        // IXSM only for IPv4: the device would rewrite an IPv6 header as IPv4.
        let mut popts = regs::TXD_POPTS_TXSM;
        if tso.ipv4 {
            type_tucmd |= regs::TXD_TUCMD_IPV4;
            popts |= regs::TXD_POPTS_IXSM;
        }
        return Ok(Some(Offload {
            vlan_macip_lens: (tso.l4_offset - net) | (net << regs::TXD_MACLEN_SHIFT),
            type_tucmd,
            mss_l4len: (tso.mss << regs::TXD_MSS_SHIFT) | (tso.l4_len << regs::TXD_L4LEN_SHIFT),
            cmd: regs::TXD_DCMD_TSE,
            popts,
            hdr_len: tso.l4_offset + tso.l4_len,
            segs: skb.gso_segs().max(1),
        }));
    }
    let Some((start, offset)) = skb.checksum_partial() else {
        return Ok(None);
    };
    // The checksum field's offset tells TCP (16) from UDP (6); anything else is done here.
    let l4t = match offset {
        16 => regs::TXD_TUCMD_L4T_TCP,
        6 => regs::TXD_TUCMD_L4T_UDP,
        _ => {
            skb.checksum_help()?;
            return Ok(None);
        }
    };
    let ipv4 = if skb.is_ipv4() {
        regs::TXD_TUCMD_IPV4
    } else {
        0
    };
    Ok(Some(Offload {
        vlan_macip_lens: (start.saturating_sub(net)) | (net << regs::TXD_MACLEN_SHIFT),
        type_tucmd: l4t | ipv4,
        mss_l4len: 0,
        cmd: 0,
        popts: regs::TXD_POPTS_TXSM,
        hdr_len: 0,
        segs: 1,
    }))
}

/// Descriptors a buffer of `len` bytes takes.
fn descs_for(len: u32) -> usize {
    len.div_ceil(MAX_PER_TXD).max(1) as usize
}

pub(crate) fn xmit(mut skb: SkBuff, dev: &Device<Rigb>) -> TxOutcome {
    let data = dev.data();
    let queues = data.queues();
    let n = dev.real_num_tx_queues().max(1) as usize;
    let q = skb.queue_mapping() as usize % n;
    let Some(qv) = queues.get(q) else {
        dev.tx_dropped_inc();
        return TxOutcome::Ok;
    };
    let qv = qv.poller();
    // The head must have data to map; a frame that is all fragments is made linear.
    if skb.headlen() == 0 && skb.linearize().is_err() {
        add(&qv.stats.tx_dropped, 1);
        return TxOutcome::Ok;
    }
    let offload = match tx_offload(&mut skb) {
        Ok(o) => o,
        Err(_) => {
            add(&qv.stats.tx_dropped, 1);
            return TxOutcome::Ok;
        }
    };
    skb.tx_timestamp();
    let len = skb.len();
    let (segs, hdr_len) = offload.as_ref().map_or((1, 0), |o| (o.segs, o.hdr_len));
    let bytes = len + (segs - 1) * hdr_len;
    let mapped = match skb.map_tx(&data.pdev) {
        Ok(m) => m,
        Err((_skb, _e)) => {
            add(&qv.stats.tx_dropped, 1);
            return TxOutcome::Ok;
        }
    };

    let mut guard = qv.tx.lock();
    let Some(tx) = guard.as_mut() else {
        add(&qv.stats.tx_dropped, 1);
        return TxOutcome::Ok;
    };
    let needed = 1 + descs_for(mapped.len() as u32) + mapped.nr_frags() as usize * 2;
    if tx.free_slots() < needed {
        // Cannot happen while the queue is stopped in time; hand the frame back.
        dev.stop_subqueue(q as u32);
        add(&qv.stats.tx_busy, 1);
        return TxOutcome::Busy(mapped.unmap());
    }
    let first = tx.next_to_use;
    let mut i = first;
    let (cmd_extra, popts) = offload.as_ref().map_or((0, 0), |o| (o.cmd, o.popts));
    if let Some(o) = &offload {
        let ctx = [
            u64::from(o.vlan_macip_lens).to_le(),
            (u64::from(o.type_tucmd | regs::TXD_DCMD_DEXT | regs::TXD_DTYP_CTXT)
                | (u64::from(o.mss_l4len) << 32))
                .to_le(),
        ];
        let _ = tx.desc.write(i, ctx);
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
    // PAYLEN: the payload the device sends, without the headers it repeats per segment.
    let olinfo = ((len - hdr_len) << regs::TXD_PAYLEN_SHIFT) | popts;
    let base_cmd = regs::TXD_DTYP_DATA | regs::TXD_DCMD_DEXT | regs::TXD_DCMD_IFCS | cmd_extra;
    // Each descriptor is written once its successor is known, so the last one can carry EOP
    // and RS from the start (values in CPU order until written).
    let mut pending: Option<(usize, Desc)> = None;
    let mut write_buf = |tx: &mut TxRing, i: &mut usize, addr: u64, blen: u32| {
        let mut off = 0;
        while off < blen {
            let chunk = (blen - off).min(MAX_PER_TXD);
            if let Some((pi, [pa, pc])) = pending.take() {
                let _ = tx.desc.write(pi, [pa.to_le(), pc.to_le()]);
            }
            let cmd_len = u64::from(base_cmd | chunk) | (u64::from(olinfo) << 32);
            pending = Some((*i, [addr + u64::from(off), cmd_len]));
            *i = tx.next(*i);
            off += chunk;
        }
    };
    write_buf(tx, &mut i, mapped.dma_handle(), mapped.len() as u32);
    let mut failed = false;
    for f in 0..mapped.nr_frags() {
        let frag = match mapped.map_frag(&data.pdev, f) {
            Ok(frag) => frag,
            Err(_) => {
                failed = true;
                break;
            }
        };
        let slot = i;
        write_buf(tx, &mut i, frag.dma_handle(), frag.len());
        tx.bufs[slot] = Some(TxBuf::Frag { _mapping: frag });
    }
    let Some((last, [addr, cmd_len])) = pending.filter(|_| !failed) else {
        // Undo: unmap the fragments mapped so far; nothing was handed to the device.
        let mut j = first;
        while j != i {
            tx.bufs[j] = None;
            j = tx.next(j);
        }
        drop(guard);
        add(&qv.stats.tx_dropped, 1);
        drop(mapped);
        return TxOutcome::Ok;
    };
    // The last descriptor ends the frame and asks for a status write-back.
    let eop = u64::from(regs::TXD_DCMD_EOP | regs::TXD_DCMD_RS);
    let _ = tx.desc.write(last, [addr.to_le(), (cmd_len | eop).to_le()]);
    tx.bufs[first] = Some(TxBuf::Head {
        skb: mapped,
        eop: last,
        segs,
        bytes,
    });
    tx.next_to_use = i;
    dev.tx_sent_queue(q as u32, bytes);
    if tx.free_slots() < DESC_NEEDED {
        dev.stop_subqueue(q as u32);
    }
    // The descriptors must be visible before the tail moves.
    dma::wmb();
    data.hw.wr(regs::TDT.at(q as u32), tx.next_to_use as u32);
    TxOutcome::Ok
}

/// The multicast table bit for `addr` (RCTL.MO = 0: address bits 47:36).
fn mta_hash(addr: &[u8; 6]) -> u32 {
    ((u32::from(addr[5]) << 8 | u32::from(addr[4])) >> 4) & 0xFFF
}

#[vtable]
impl dev::Driver for Rigb {
    type Data = RigbData;

    fn setup(dev: &mut DeviceSetup<'_>) {
        let offloads = features::SG
            | features::HW_CSUM
            | features::TSO
            | features::TSO6
            | features::RXCSUM
            | features::RXHASH;
        // RAR0 is rewritten on a MAC change, which works while the device runs.
        dev.set_mtu_range(MIN_MTU, MAX_MTU)
            .add_priv_flags(dev::priv_flags::LIVE_ADDR_CHANGE)
            .set_features(offloads | features::HIGHDMA)
            .set_hw_features(offloads)
            .set_vlan_features(offloads)
            .set_watchdog_timeo_ms(5000)
            .carrier_off();
    }

    fn init(dev: &Device<Self>) -> Result {
        let data = dev.data();
        let mut qvs = KVec::with_capacity(data.max_queues as usize, GFP_KERNEL)?;
        for index in 0..data.max_queues {
            let qv = try_pin_init!(QVector {
                index,
                tx <- new_spinlock!(None),
                rx <- new_spinlock!(None),
                stats: QueueStats::default(),
                itr: ItrState::default(),
            }? Error);
            qvs.push(KBox::pin_init(Napi::new(dev, qv), GFP_KERNEL)?, GFP_KERNEL)?;
        }
        data.qv.populate(qvs);
        Ok(())
    }

    fn open(dev: &Device<Self>, rtnl: &Rtnl) -> Result {
        up(dev, rtnl)
    }

    fn stop(dev: &Device<Self>, rtnl: &Rtnl) -> Result {
        down(dev, rtnl);
        Ok(())
    }

    fn start_xmit(skb: SkBuff, dev: &Device<Self>) -> TxOutcome {
        xmit(skb, dev)
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut Stats64) {
        let data = dev.data();
        let mut s = [0u64; 6];
        for qv in data.queues() {
            let st = &qv.poller().stats;
            s[0] += get(&st.rx_packets);
            s[1] += get(&st.rx_bytes);
            s[2] += get(&st.tx_packets);
            s[3] += get(&st.tx_bytes);
            s[4] += get(&st.rx_errors);
            s[5] += get(&st.tx_dropped);
        }
        let rx_dropped: u64 = data
            .queues()
            .iter()
            .map(|qv| get(&qv.poller().stats.rx_alloc_failed))
            .sum();
        let hw = |i: usize| get(&data.hw_stats[i]);
        let length_errors = hw(HW_RLEC) + hw(HW_ROC);
        stats
            .rx_packets(s[0])
            .rx_bytes(s[1])
            .tx_packets(s[2])
            .tx_bytes(s[3])
            .rx_errors(s[4] + hw(HW_CRCERRS) + length_errors)
            .rx_crc_errors(hw(HW_CRCERRS))
            .rx_length_errors(length_errors)
            .rx_missed_errors(hw(HW_MPC))
            .multicast(hw(HW_MPRC))
            .rx_dropped(rx_dropped)
            .tx_dropped(s[5]);
    }

    fn change_mtu(dev: &Device<Self>, rtnl: &Rtnl, new_mtu: u32) -> Result {
        let old = dev.data().mtu.load(Ordering::Relaxed);
        reconfigure(
            dev,
            rtnl,
            |d| d.mtu.store(new_mtu, Ordering::Relaxed),
            |d| d.mtu.store(old, Ordering::Relaxed),
        )
    }

    fn set_mac_address(dev: &Device<Self>, addr: &SockAddr) -> Result {
        dev.eth_mac_addr(addr)?;
        write_rar(&dev.data().hw, 0, &dev.dev_addr());
        Ok(())
    }

    fn set_rx_mode(dev: &Device<Self>, mode: &RxMode<'_>) {
        let data = dev.data();
        let hw = &data.hw;
        let mut filter = 0;
        if mode.promisc() {
            filter |= regs::RCTL_UPE | regs::RCTL_MPE;
        }
        if mode.allmulti() {
            filter |= regs::RCTL_MPE;
        }
        // Secondary unicast addresses in RAR[1..]; too many means unicast promiscuous.
        if mode.uc_count() > regs::RAR_ENTRIES - 1 {
            filter |= regs::RCTL_UPE;
        } else {
            let mut i = 1;
            mode.for_each_uc(|a| {
                write_rar(hw, i, a);
                i += 1;
            });
            for j in i..regs::RAR_ENTRIES {
                hw.wr(regs::rah(j), 0);
                hw.wr(regs::ral(j), 0);
            }
        }
        // Multicast: the hash table (which the device also applies to unicast).
        let mut mta = [0u32; regs::MTA_ENTRIES];
        mode.for_each_mc(|a| {
            let h = mta_hash(a);
            mta[(h >> 5) as usize] |= 1 << (h & 31);
        });
        for (i, v) in mta.iter().enumerate() {
            hw.wr(Reg(regs::MTA.0 + 4 * i), *v);
        }
        data.rx_filter.store(filter, Ordering::Relaxed);
        if data.running.load(Ordering::Acquire) {
            let rctl = hw.rd(regs::RCTL) & !(regs::RCTL_UPE | regs::RCTL_MPE);
            hw.wr(regs::RCTL, rctl | filter);
        }
    }

    fn tx_timeout(dev: &Device<Self>, queue: u32) {
        pr_warn!("{}: transmit queue {} timed out\n", dev.name(), queue);
        add(&dev.data().tx_timeouts, 1);
        dev.queue_work(WORK_RESET, 0);
    }

    fn run_work(dev: &Device<Self>, id: u32) {
        match id {
            WORK_WATCHDOG => watchdog(dev),
            WORK_RESET => reset_task(dev),
            _ => {}
        }
    }

    fn queue_stats_rx(dev: &Device<Self>, queue: u32, stats: &mut dev::QueueStatsRx) {
        if let Some(qv) = dev.data().queues().get(queue as usize) {
            let st = &qv.poller().stats;
            stats
                .set(get(&st.rx_packets), get(&st.rx_bytes))
                .set_drops(get(&st.rx_alloc_failed));
        }
    }

    fn queue_stats_tx(dev: &Device<Self>, queue: u32, stats: &mut dev::QueueStatsTx) {
        if let Some(qv) = dev.data().queues().get(queue as usize) {
            let st = &qv.poller().stats;
            stats.set(get(&st.tx_packets), get(&st.tx_bytes));
        }
    }
}

impl IrqHandler for Rigb {
    fn handle_irq(dev: &Device<Self>, vector: u32) -> IrqReturn {
        let data = dev.data();
        if data.msix && vector > 0 {
            // A queue vector: mask it until the poll is done (the device does not auto-mask).
            data.hw.wr(regs::EIMC, 1 << vector);
            if let Some(qv) = data.queues().get(vector as usize - 1) {
                qv.schedule();
            }
            return IrqReturn::Handled;
        }
        // The legacy cause register: reading it acknowledges (clears) the causes.
        let icr = data.hw.rd(regs::ICR);
        if icr == u32::MAX || (icr == 0 && !data.msix) {
            return IrqReturn::None;
        }
        data.test_icr.fetch_or(icr, Ordering::Relaxed);
        if icr & regs::ICR_LSC != 0 {
            update_link(dev);
        }
        if !data.msix {
            if let Some(qv) = data.queues().first() {
                if data.running.load(Ordering::Acquire) {
                    // Masked until the poll is done.
                    data.hw.wr(regs::IMC, u32::MAX);
                    qv.schedule();
                }
            }
        }
        IrqReturn::Handled
    }
}

pub(crate) fn write_rar(hw: &Hw, i: usize, mac: &[u8; 6]) {
    hw.wr(
        regs::ral(i),
        u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]),
    );
    hw.wr(
        regs::rah(i),
        u32::from(mac[4]) | (u32::from(mac[5]) << 8) | regs::RAH_AV,
    );
}

/// Resets the MAC and starts autonegotiation (igb_reset); the address registers reload
/// from the NVM.
pub(crate) fn hw_reset(hw: &Hw) {
    hw.wr(regs::IMC, u32::MAX);
    hw.wr(regs::EIMC, u32::MAX);
    hw.wr(regs::RCTL, 0);
    hw.wr(regs::TCTL, regs::TCTL_PSP);
    hw.flush();
    kernel::delay::msleep(10);
    hw.wr(regs::CTRL, hw.rd(regs::CTRL) | regs::CTRL_RST);
    kernel::delay::msleep(20);
    hw.wr(regs::IMC, u32::MAX);
    let _ = hw.rd(regs::ICR);
    // Clear the multicast table; set link up; tell the firmware a driver is loaded.
    for i in 0..regs::MTA_ENTRIES {
        hw.wr(Reg(regs::MTA.0 + 4 * i), 0);
    }
    hw.wr(regs::CTRL, hw.rd(regs::CTRL) | regs::CTRL_SLU);
    // (Re)start autonegotiation; the link comes up when it completes (an LSC interrupt).
    let bmcr =
        regs::BMCR_ANENABLE | regs::BMCR_ANRESTART | regs::BMCR_SPEED1000 | regs::BMCR_FULLDPLX;
    if let Err(e) = hw.phy_write(regs::PHY_BMCR, bmcr as u16) {
        pr_warn!("rigb: PHY write failed ({:?}); link may stay down\n", e);
    }
    hw.wr(
        regs::CTRL_EXT,
        hw.rd(regs::CTRL_EXT) | regs::CTRL_EXT_DRV_LOAD,
    );
    // Statistics registers clear on read: start from zero.
    for (_, lo, hi) in HW_STATS.iter() {
        let _ = hw.rd(*lo);
        if let Some(hi) = hi {
            let _ = hw.rd(*hi);
        }
    }
    hw.flush();
}

/// The address the NVM loaded into receive address register 0 at reset.
fn read_mac(hw: &Hw) -> [u8; 6] {
    let lo = hw.rd(regs::ral(0)).to_le_bytes();
    let hi = hw.rd(regs::rah(0)).to_le_bytes();
    [lo[0], lo[1], lo[2], lo[3], hi[0], hi[1]]
}

/// Interrupt vectors as `int_mode` asks, falling back MSI-X → MSI → INTx: (vectors, MSI-X?).
fn alloc_vectors(pdev: &pci::Device) -> Result<(IrqVectors, bool)> {
    let mode = INT_MODE.get();
    if mode > 2 {
        pr_err!("rigb: int_mode={} out of range 0..=2\n", mode);
        return Err(EINVAL);
    }
    if mode == 2 {
        let want = MAX_QUEUES.min(dev::default_rss_queues().max(1)) + 1;
        match pdev.alloc_irq_vectors(2, want.max(2), IrqKinds::MSIX) {
            Ok(v) => return Ok((v, true)),
            Err(e) => pr_info!("rigb {}: no MSI-X ({:?}), trying MSI\n", pdev.name(), e),
        }
    }
    let kinds = if mode >= 1 {
        IrqKinds::MSI_OR_INTX
    } else {
        IrqKinds::INTX
    };
    Ok((pdev.alloc_irq_vectors(1, 1, kinds)?, false))
}

/// What probe leaves bound to the PCI function. Field order is teardown order: the netdev
/// is unregistered (closing it frees IRQs and buffers) and its data dropped (unmapping BAR0,
/// freeing vectors and rings) before the function is disabled.
pub(crate) struct RigbPci {
    _netdev: Registration<Rigb>,
    _enabled: EnabledDevice,
}

impl pci::Driver for RigbPci {
    const ID_TABLE: &'static [pci::DeviceId] = &[pci::DeviceId::new(0x8086, 0x10c9)];

    fn probe(pdev: &pci::Device, _id: &pci::DeviceId) -> Result<Pin<KBox<Self>>> {
        let enabled = pdev.enable()?;
        pdev.set_dma_mask(64)?;
        let bar: Bar = pdev.iomap_region(0, c_str!("rigb"))?;
        Hw::check_size(&bar)?;
        let hw = Hw { bar };
        hw_reset(&hw);
        let mut mac = read_mac(&hw);
        let valid = mac[0] & 1 == 0 && mac.iter().any(|b| *b != 0);
        if !valid {
            pr_warn!(
                "rigb {}: invalid MAC {:02x?} in NVM, using a random one\n",
                pdev.name(),
                mac
            );
            mac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
        }
        write_rar(&hw, 0, &mac);
        let (vectors, msix) = alloc_vectors(pdev)?;
        let max_queues = if msix { vectors.count() - 1 } else { 1 };
        // `try_pin_init!` fields shadow locals of the same name: copy what later fields use.
        let queues = max_queues;
        let pci_name = CString::try_from_fmt(format_args!("{}", pdev.name()))?;
        let device_id = pdev.device_id();
        let kind = if msix {
            "MSI-X"
        } else if vectors.is_msi() {
            "MSI"
        } else {
            "INTx"
        };
        let data = try_pin_init!(RigbData {
            hw,
            pdev: ARef::from(pdev.as_dev()),
            pci_name,
            device_id,
            vectors,
            msix,
            max_queues,
            qv: SetOnce::new(),
            irqs <- new_mutex!(KVec::new()),
            num_queues: AtomicU32::new(queues),
            tx_ring_size: AtomicU32::new(DEFAULT_RING),
            rx_ring_size: AtomicU32::new(DEFAULT_RING),
            itr_usecs: AtomicU32::new(ITR_CONSERVATIVE),
            mtu: AtomicU32::new(1500),
            rx_filter: AtomicU32::new(0),
            running: AtomicBool::new(false),
            stats_lock <- new_spinlock!(()),
            hw_stats: Default::default(),
            tx_timeouts: AtomicU64::new(0),
            resets: AtomicU64::new(0),
            test_icr: AtomicU32::new(0),
            loopback: AtomicBool::new(false),
            loopback_ok: AtomicU32::new(0),
        }? Error);
        let netdev = Registration::<Rigb>::new_with_setup(
            c_str!("eth%d"),
            max_queues,
            max_queues,
            data,
            |s| {
                s.set_mac_address(&mac).set_parent(pdev.as_dev());
            },
        )?;
        pr_info!(
            "{}: 82576 at {}, MAC {:02x?}, {} interrupts, {} queue pairs\n",
            netdev.device().name(),
            pdev.name(),
            mac,
            kind,
            max_queues
        );
        Ok(KBox::pin(
            RigbPci {
                _netdev: netdev,
                _enabled: enabled,
            },
            GFP_KERNEL,
        )?)
    }
}
