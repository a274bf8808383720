// SPDX-License-Identifier: GPL-2.0

//! rigb: probe and remove, bringing the interface up and down, and the net_device operations
//! (igb_main.c's counterpart; the packet path is in `tx.rs` and `rx.rs`, interrupts in
//! `irq.rs`, the MAC, PHY and NVM in `hw.rs`).
//!
//! BAR0 lives in the netdev's private data as a device-managed mapping. The paths that run in
//! interrupt, NAPI or transmit context take its revocable guard once and pass `&Bar0` down;
//! process-context callbacks, which may sleep, reach it through the bound parent device
//! ([`mmio`]).

use crate::e1000_common::hw::MacAddr;
use crate::e1000_common::stats::{self, CRCERRS, MPC, MPRC, RLEC, ROC};
use crate::hw::{self, HW_STATS};
use crate::irq::{self, IrqMode, ItrState, ITR_CONSERVATIVE};
use crate::regs::{self, Bar0, BAR0_SIZE};
use crate::ring::{RxRing, TxRing};
use crate::rss::RssConfig;
use crate::{rx, tx};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel::device::Core;
use kernel::dma::DmaMask;
use kernel::io::Io;
use kernel::net::dev::{
    self, features, Device, DeviceSetup, NetIrq, Rtnl, RxMode, SockAddr, Stats64, TxOutcome, TxSkb,
};
use kernel::net::napi::{Napi, QueueKind};
use kernel::net::registration::BusRegistration;
use kernel::net::xdp::{self, XdpProgSlot, XdpSetup, XdpXmitFrames};
use kernel::pci;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::{new_mutex, new_spinlock, Mutex, SetOnce, SpinLock};

/// Queue pairs at most (igb uses up to 8 RSS queues; the 82576 has 16).
pub(crate) const MAX_QUEUES: u32 = 4;
/// Ring sizes: igb's default and limits; sizes must be multiples of 8 (descriptor fetches
/// are done in cache lines of 8 descriptors).
pub(crate) const DEFAULT_RING: u32 = 256;
pub(crate) const MIN_RING: u32 = 64;
pub(crate) const MAX_RING: u32 = 4096;
pub(crate) const RING_MULTIPLE: u32 = 8;
pub(crate) const MIN_MTU: u32 = 68;
/// igb's limit: a 9216-byte jumbo frame less Ethernet header and FCS.
pub(crate) const MAX_MTU: u32 = 9216 - 14 - 4;

/// Deferred work items (ids of `Device::queue_work`).
pub(crate) const WORK_WATCHDOG: u32 = 0;
pub(crate) const WORK_RESET: u32 = 1;
const WATCHDOG_MS: u32 = 2000;

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
    /// XDP verdicts on this queue's receive ring.
    pub(crate) xdp_pass: AtomicU64,
    pub(crate) xdp_drop: AtomicU64,
    pub(crate) xdp_tx: AtomicU64,
    pub(crate) xdp_tx_errors: AtomicU64,
    pub(crate) xdp_redirect: AtomicU64,
    pub(crate) xdp_redirect_errors: AtomicU64,
    pub(crate) xdp_aborted: AtomicU64,
    /// Frames redirected to the device and queued on this pair's transmit ring, or refused.
    pub(crate) xdp_xmit: AtomicU64,
    pub(crate) xdp_xmit_errors: AtomicU64,
}

pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

pub(crate) fn get(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// A queue pair, served by one interrupt vector and one NAPI instance (`struct
/// igb_q_vector`). The rings exist while the interface is up.
#[pin_data]
pub(crate) struct QVector {
    pub(crate) index: u32,
    #[pin]
    pub(crate) tx: SpinLock<Option<TxRing>>,
    /// The transmit ring's `next_to_use` as last published ([`tx::publish_tail`]): what the
    /// doorbell tells the device.
    pub(crate) tx_tail: AtomicU32,
    /// Orders the doorbell's writes of the tail register, which happen outside the ring's lock
    /// ([`tx::ring_doorbell`]).
    #[pin]
    pub(crate) doorbell: SpinLock<()>,
    #[pin]
    pub(crate) rx: SpinLock<Option<RxRing>>,
    pub(crate) stats: QueueStats,
    pub(crate) itr: ItrState,
}

/// Per-netdev state (the netdev's private data, `struct igb_adapter`).
#[pin_data]
pub(crate) struct RigbData {
    /// BAR0, revoked when the PCI function is unbound.
    pub(crate) bar: pci::DevresBar<BAR0_SIZE>,
    pub(crate) pci_name: CString,
    pub(crate) device_id: u16,
    pub(crate) irq_mode: IrqMode,
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
    /// `RCTL` filter bits (UPE/MPE) from the last `set_rx_mode`.
    rx_filter: AtomicU32,
    /// The hardware is configured and running (between `up` and `down`).
    pub(crate) running: AtomicBool,
    /// The device was found gone (surprise removal, see [`hw::check_read`]): nothing touches
    /// the hardware any more, until the driver is unbound.
    pub(crate) removed: AtomicBool,
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
    /// The XDP program of every receive queue (`xdp.rs`).
    pub(crate) xdp_prog: XdpProgSlot,
    /// RSS key, redirection table and hashed fields, changed under RTNL (`rss.rs`).
    #[pin]
    pub(crate) rss: Mutex<RssConfig>,
}

/// The net_device driver.
pub(crate) struct Rigb;

impl RigbData {
    pub(crate) fn queues(&self) -> &[Pin<KBox<Napi<QVector>>>] {
        self.qv.as_ref().map_or(&[], |v| &v[..])
    }

    pub(crate) fn msix(&self) -> bool {
        self.irq_mode == IrqMode::MsiX
    }

    /// Whether the device was found removed (see [`hw::check_read`]).
    pub(crate) fn removed(&self) -> bool {
        self.removed.load(Ordering::Acquire)
    }

    /// Reads the clear-on-read statistics registers into the running totals
    /// (igb_update_stats).
    pub(crate) fn update_hw_stats(&self, bar: &Bar0<'_>) {
        let _guard = self.stats_lock.lock();
        stats::accumulate(bar, &HW_STATS, &self.hw_stats);
    }
}

/// BAR0 for process-context callbacks (which may sleep): the bound parent proves the mapping
/// is alive, and the netdev cannot outlive the binding. `ENODEV` once the device was found
/// removed: its registers read all ones and writes go nowhere.
pub(crate) fn mmio(dev: &Device<Rigb>) -> Result<&Bar0<'_>> {
    if dev.data().removed() {
        return Err(ENODEV);
    }
    dev.data().bar.access(dev.parent()?)
}

/// Reflects the link state in the carrier (from `STATUS.LU`). A `STATUS` of all ones is not
/// "link up" but, confirmed, a device that is gone: the carrier goes off with it.
pub(crate) fn update_link(dev: &Device<Rigb>, bar: &Bar0<'_>) {
    let Some(status) = hw::check_read(dev, bar, bar.read(regs::STATUS).into_raw()) else {
        return;
    };
    let up = regs::STATUS::from_raw(status).lu();
    if up && !dev.carrier_ok() {
        dev.carrier_on();
    } else if !up && dev.carrier_ok() {
        dev.carrier_off();
    }
}

/// Receive control (igb_setup_rctl): enabled, broadcast, CRC stripped, the filter from
/// `set_rx_mode`, long packets when the MTU needs them, MAC loopback for the self-test.
fn rctl_value(data: &RigbData) -> regs::RCTL {
    let filter = regs::RCTL::from_raw(data.rx_filter.load(Ordering::Relaxed));
    let rctl = regs::RCTL::zeroed()
        .with_en(true)
        .with_bam(true)
        .with_secrc(true)
        .with_upe(filter.upe())
        .with_mpe(filter.mpe())
        .with_lpe(data.mtu.load(Ordering::Relaxed) > 1500);
    if data.loopback.load(Ordering::Relaxed) {
        rctl.with_const_lbm::<1>()
    } else {
        rctl
    }
}

/// Frees the rings of the first `n` queue pairs (device quiesced, NAPI disabled).
fn rings_free(dev: &Device<Rigb>, n: usize) {
    for (q, qv) in dev.data().queues().iter().enumerate().take(n) {
        let qv = qv.poller();
        // The ring locks are also taken by the NAPI poll, in softirq context.
        let bh = kernel::sync::bh::disable();
        let tx = qv.tx.lock().take();
        let rx = qv.rx.lock().take();
        drop(bh);
        // Dropping the rings unmaps and frees their buffers, then the descriptor memory.
        drop((tx, rx));
        dev.tx_reset_queue(q as u32);
    }
}

/// Programs the transmit and receive units, RSS and the interrupt routing for `n` queue pairs
/// whose rings are allocated (igb_configure).
fn configure(dev: &Device<Rigb>, bar: &Bar0<'_>, n: usize) -> Result {
    let data = dev.data();
    let queues = data.queues();
    // Transmit unit.
    for qv in queues.iter().take(n) {
        // (Guards are locals so the lock is released before bottom halves are enabled.)
        let _bh = kernel::sync::bh::disable();
        let tx = qv.poller().tx.lock();
        if let Some(tx) = tx.as_ref() {
            tx::configure(bar, qv.poller(), tx);
        }
    }
    bar.write_reg(
        regs::TCTL::zeroed()
            .with_en(true)
            .with_psp(true)
            .with_const_ct::<0xf>()
            .with_const_cold::<0x3f>(),
    );
    // Receive unit: checksums and the RSS hash in the descriptor (PCSD), frame size limit.
    bar.write_reg(regs::RCTL::zeroed());
    bar.write_reg(
        regs::RXCSUM::zeroed()
            .with_ipofld(true)
            .with_tuofld(true)
            .with_crcofl(true)
            .with_pcsd(true),
    );
    crate::rss::configure(dev, bar, (n as u32).max(1));
    bar.write_reg(regs::RLPML::from_raw(
        data.mtu.load(Ordering::Relaxed) + rx::FRAME_OVERHEAD,
    ));
    for (q, qv) in queues.iter().enumerate().take(n) {
        let qv = qv.poller();
        let _bh = kernel::sync::bh::disable();
        let mut rx = qv.rx.lock();
        if let Some(rx) = (*rx).as_mut() {
            rx::configure(bar, q, rx)?;
            rx::refill(bar, qv, rx);
        }
    }
    // The device's own address (the NVM's, a random one if that was invalid, or one set since
    // while the interface was down) in the first receive address register (as
    // igb_set_default_mac_filter).
    hw::write_rar(bar, 0, &dev.dev_addr());
    bar.write_reg(rctl_value(data));
    irq::configure(bar, data, n as u32)?;
    hw::flush(bar);
    Ok(())
}

/// Brings the hardware up with the current configuration (igb_up and __igb_open): rings,
/// receive and transmit units, RSS, interrupts, NAPI. Under RTNL.
pub(crate) fn up(dev: &Device<Rigb>, rtnl: &Rtnl) -> Result {
    let data = dev.data();
    let pdev = dev.parent()?;
    let bar = mmio(dev)?;
    // (Not `clamp`: no panic path, even for a bound below 1.)
    let n = data
        .num_queues
        .load(Ordering::Relaxed)
        .min(data.max_queues)
        .max(1) as usize;
    let tx_size = data.tx_ring_size.load(Ordering::Relaxed) as usize;
    let rx_size = data.rx_ring_size.load(Ordering::Relaxed) as usize;
    let mtu = data.mtu.load(Ordering::Relaxed);
    let buf_len = rx::buf_len(mtu);
    // With an XDP program, buffers get its headroom (the layout is fixed until the next `up`).
    let with_xdp = data.xdp_prog.is_set();
    let queues = data.queues();
    if queues.len() < n {
        return Err(ENODEV);
    }
    for (q, qv) in queues.iter().enumerate().take(n) {
        let (tx, rx) = match (
            TxRing::new(pdev, tx_size),
            RxRing::new(
                dev,
                pdev,
                q as u32,
                rx_size,
                buf_len,
                mtu + rx::FRAME_OVERHEAD,
                with_xdp,
            ),
        ) {
            (Ok(tx), Ok(rx)) => (tx, rx),
            (Err(e), _) | (_, Err(e)) => {
                pr_err!("{}: cannot allocate rings for queue {}\n", dev.name(), q);
                rings_free(dev, q);
                return Err(e);
            }
        };
        let qv = qv.poller();
        let bh = kernel::sync::bh::disable();
        let old_tx = qv.tx.lock().replace(tx);
        let old_rx = qv.rx.lock().replace(rx);
        drop(bh);
        // (None after `down`; dropped here anyway, outside the lock: a receive ring's page pool
        // is destroyed in process context.)
        drop((old_tx, old_rx));
    }
    if let Err(e) = dev
        .set_real_num_tx_queues(rtnl, n as u32)
        .and_then(|()| dev.set_real_num_rx_queues(rtnl, n as u32))
    {
        rings_free(dev, n);
        return Err(e);
    }
    if let Err(e) = configure(dev, bar, n).and_then(|()| irq::request(dev, rtnl, n as u32)) {
        hw::quiesce(bar, MAX_QUEUES as usize);
        rings_free(dev, n);
        return Err(e);
    }
    for (q, qv) in queues.iter().enumerate().take(n) {
        let _ = qv.link_queue(rtnl, QueueKind::Rx, q as u32);
        let _ = qv.link_queue(rtnl, QueueKind::Tx, q as u32);
        qv.enable(rtnl);
    }
    data.running.store(true, Ordering::Release);
    irq::enable_all(bar, data, n as u32);
    update_link(dev, bar);
    dev.start_all_queues();
    dev.queue_work(WORK_WATCHDOG, WATCHDOG_MS);
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
    let bar = mmio(dev);
    if let Ok(bar) = bar {
        hw::quiesce(bar, MAX_QUEUES as usize);
    }
    // Free the handlers first: no interrupt may schedule NAPI after it is disabled.
    irq::free(data);
    for (q, qv) in data.queues().iter().enumerate() {
        qv.disable(rtnl);
        qv.unlink_queue(rtnl, QueueKind::Rx, q as u32);
        qv.unlink_queue(rtnl, QueueKind::Tx, q as u32);
    }
    rings_free(dev, data.queues().len());
    if let Ok(bar) = bar {
        data.update_hw_stats(bar);
    }
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
    let Ok(bar) = mmio(dev) else {
        return;
    };
    update_link(dev, bar);
    if data.removed() {
        // Found gone: no statistics (they would read all ones) and no further runs.
        return;
    }
    data.update_hw_stats(bar);
    irq::kick_queues(bar, data, dev.real_num_rx_queues());
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
            .set_xdp_features(
                xdp::features::BASIC | xdp::features::REDIRECT | xdp::features::NDO_XMIT,
            )
            .carrier_off();
    }

    fn init(dev: &Device<Self>) -> Result {
        let data = dev.data();
        let mut qvs = KVec::with_capacity(data.max_queues as usize, GFP_KERNEL)?;
        for index in 0..data.max_queues {
            let qv = try_pin_init!(QVector {
                index,
                tx <- new_spinlock!(None),
                tx_tail: AtomicU32::new(0),
                doorbell <- new_spinlock!(()),
                rx <- new_spinlock!(None),
                stats: QueueStats::default(),
                itr: ItrState::default(),
            });
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

    fn start_xmit<'call>(skb: TxSkb<'call>, dev: &Device<Self>) -> TxOutcome<'call> {
        tx::xmit(tx::Frame::Stack(skb), dev)
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
        let length_errors = hw(RLEC) + hw(ROC);
        stats
            .rx_packets(s[0])
            .rx_bytes(s[1])
            .tx_packets(s[2])
            .tx_bytes(s[3])
            .rx_errors(s[4] + hw(CRCERRS) + length_errors)
            .rx_crc_errors(hw(CRCERRS))
            .rx_length_errors(length_errors)
            .rx_missed_errors(hw(MPC))
            .multicast(hw(MPRC))
            .rx_dropped(rx_dropped)
            .tx_dropped(s[5]);
    }

    fn change_mtu(dev: &Device<Self>, rtnl: &Rtnl, new_mtu: u32) -> Result {
        // The core already refuses these while a program is attached (`max_mtu`, lowered by
        // `xdp::setup`), with an extack message; igb_change_mtu checks here.
        if dev.data().xdp_prog.is_set() && !crate::xdp::fits(new_mtu) {
            pr_warn!(
                "{}: MTU {} is not supported with XDP (at most {})\n",
                dev.name(),
                new_mtu,
                crate::xdp::max_mtu()
            );
            return Err(EINVAL);
        }
        let old = dev.data().mtu.load(Ordering::Relaxed);
        reconfigure(
            dev,
            rtnl,
            |d| d.mtu.store(new_mtu, Ordering::Relaxed),
            |d| d.mtu.store(old, Ordering::Relaxed),
        )
    }

    fn set_mac_address(dev: &Device<Self>, addr: &SockAddr) -> Result {
        let bar = mmio(dev)?;
        dev.eth_mac_addr(addr)?;
        hw::write_rar(bar, 0, &dev.dev_addr());
        Ok(())
    }

    fn set_rx_mode(dev: &Device<Self>, mode: &RxMode<'_>) {
        let data = dev.data();
        let Ok(bar) = mmio(dev) else {
            return;
        };
        let mut filter = regs::RCTL::zeroed();
        if mode.promisc() {
            filter = filter.with_upe(true).with_mpe(true);
        }
        if mode.allmulti() {
            filter = filter.with_mpe(true);
        }
        // Secondary unicast addresses in RAR[1..]; too many means unicast promiscuous.
        if mode.uc_count() > regs::RAR_ENTRIES - 1 {
            filter = filter.with_upe(true);
        } else {
            let mut i = 1;
            mode.for_each_uc(|a| {
                hw::write_rar(bar, i, a);
                i += 1;
            });
            for j in i..regs::RAR_ENTRIES {
                hw::clear_rar(bar, j);
            }
        }
        // Multicast: the hash table (which the device also applies to unicast).
        let mut mta = [0u32; regs::MTA_ENTRIES];
        mode.for_each_mc(|a| hw::mta_set(&mut mta, a));
        for (i, v) in mta.iter().enumerate() {
            regs::write_at(bar, i, regs::MTA::from_raw(*v));
        }
        data.rx_filter.store(filter.into_raw(), Ordering::Relaxed);
        if data.running.load(Ordering::Acquire) {
            bar.update(regs::RCTL, |r| {
                r.with_upe(filter.upe()).with_mpe(filter.mpe())
            });
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

    fn xdp_setup(dev: &Device<Self>, rtnl: &Rtnl, setup: XdpSetup<'_>) -> Result {
        crate::xdp::setup(dev, rtnl, setup)
    }

    fn xdp_xmit(dev: &Device<Self>, frames: &mut XdpXmitFrames<'_>) -> Result {
        crate::xdp::xmit(dev, frames)
    }

    fn queue_stats_rx(dev: &Device<Self>, queue: u32, stats: &mut dev::QueueStatsRx) {
        if let Some(qv) = dev.data().queues().get(queue as usize) {
            let st = &qv.poller().stats;
            stats
                .set(get(&st.rx_packets), get(&st.rx_bytes))
                .set_alloc_fail(get(&st.rx_alloc_failed));
        }
    }

    fn queue_stats_tx(dev: &Device<Self>, queue: u32, stats: &mut dev::QueueStatsTx) {
        if let Some(qv) = dev.data().queues().get(queue as usize) {
            let st = &qv.poller().stats;
            stats.set(get(&st.tx_packets), get(&st.tx_bytes));
        }
    }
}

/// The PCI driver (`igb_driver`).
pub(crate) struct RigbDriver;

/// What probe leaves bound to the PCI function: the netdev, which is unregistered on unbind
/// (closing it frees its IRQs and buffers), then its interrupt vectors are freed; the
/// device-managed resources are released after that: BAR0 is unmapped, bus mastering cleared
/// and the function disabled.
pub(crate) struct RigbPci<'bound> {
    _netdev: BusRegistration<'bound, Rigb>,
}

kernel::pci_device_table!(
    PCI_TABLE,
    <RigbDriver as pci::Driver>::IdInfo,
    [(pci::DeviceId::from_id(pci::Vendor::INTEL, 0x10c9), ())]
);

impl pci::Driver for RigbDriver {
    type IdInfo = ();
    type Data<'bound> = RigbPci<'bound>;
    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;
    /// The 82576 addresses all 64 bits (igb: `dma_set_mask_and_coherent(DMA_BIT_MASK(64))`);
    /// applied by the PCI driver glue before `probe` runs.
    const DMA_MASK: Option<DmaMask> = Some(DmaMask::new::<64>());

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        probe(pdev)
    }
}

/// igb_probe: enables the function, maps BAR0, resets the MAC, reads its address, allocates
/// the interrupt vectors and registers the netdev. Enabling and bus mastering are
/// device-managed: unbinding (or a failed probe) clears bus mastering and disables the
/// function after everything else is released, as igb_remove's pci_disable_device does.
fn probe<'bound>(pdev: &'bound pci::Device<Core<'_>>) -> Result<RigbPci<'bound>> {
    pdev.enable_device_mem_managed()?;
    pdev.set_master_managed()?;
    let len = pdev.resource_len(0)?;
    if len < BAR0_SIZE as u64 {
        pr_err!("rigb: BAR0 is {} bytes, expected 128 KiB\n", len);
        return Err(ENODEV);
    }
    let bar = pdev.iomap_region_sized::<BAR0_SIZE>(0, c"rigb")?;
    hw::reset(&bar);
    let mac = hw::read_mac(&bar);
    // A valid address is unicast and not all zeroes (`is_valid_ether_addr`).
    let valid = mac[0] & 1 == 0 && mac.iter().any(|b| *b != 0);
    let pci_name = pdev.as_ref().name();
    if !valid {
        // A fixed fallback would collide with the next NIC that has the same problem.
        pr_warn!(
            "rigb {}: invalid MAC {} in NVM, using a random one\n",
            pci_name,
            MacAddr(mac)
        );
    }
    let (vectors, irq_mode) = irq::alloc_vectors(pdev)?;
    let max_queues = if irq_mode == IrqMode::MsiX {
        vectors.len() as u32 - 1
    } else {
        1
    };
    let bar = bar.into_devres()?;
    // `try_pin_init!` fields shadow locals of the same name: copy what later fields use.
    let queues = max_queues;
    let data = try_pin_init!(RigbData {
        bar,
        pci_name: pci_name.to_cstring()?,
        device_id: pdev.device_id(),
        irq_mode,
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
        removed: AtomicBool::new(false),
        stats_lock <- new_spinlock!(()),
        hw_stats: Default::default(),
        tx_timeouts: AtomicU64::new(0),
        resets: AtomicU64::new(0),
        test_icr: AtomicU32::new(0),
        loopback: AtomicBool::new(false),
        loopback_ok: AtomicU32::new(0),
        xdp_prog: XdpProgSlot::new(),
        rss <- new_mutex!(RssConfig::new()),
    });
    let netdev = BusRegistration::<Rigb>::new(
        pdev.as_ref(),
        c"eth%d",
        max_queues,
        max_queues,
        data,
        |s| {
            // RAR0 is programmed from the device's address on every bring-up (`configure`).
            if valid {
                s.set_mac_address(&mac);
            } else {
                s.eth_hw_addr_random();
            }
        },
        vectors,
    )?;
    netdev.with_device(|dev| {
        pr_info!(
            "{}: 82576 at {}, MAC {}, {} interrupts, {} queue pairs\n",
            dev.name(),
            pci_name,
            MacAddr(dev.dev_addr()),
            irq_mode.name(),
            max_queues
        )
    });
    Ok(RigbPci { _netdev: netdev })
}
