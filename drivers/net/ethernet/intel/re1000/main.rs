// SPDX-License-Identifier: GPL-2.0

//! re1000: probe and remove, bringing the interface up and down, the watchdog and the
//! net_device operations (e1000_main.c's counterpart; the packet path is in `tx.rs` and
//! `rx.rs`, the interrupt in `irq.rs`, the MAC, PHY and EEPROM in `hw.rs`).
//!
//! As in rigb, BAR0 lives in the netdev's private data as a device-managed mapping: the
//! interrupt, NAPI and transmit paths take its revocable guard; process-context callbacks,
//! which may sleep, reach it through the bound parent device ([`mmio`]).

use crate::e1000_common::hw::MacAddr;
use crate::e1000_common::stats::{self, CRCERRS, MPC, MPRC, RLEC, ROC};
use crate::hw::{self, MacType, HW_ALGNERRC, HW_COLC, HW_STATS};
use crate::irq::{self, IrqMode, ItrState};
use crate::regs::{self, Bar0, BAR0_SIZE};
use crate::ring::{RxRing, TxRing};
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
use kernel::pci;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::{new_mutex, new_spinlock, Mutex, SetOnce, SpinLock};

/// Ring sizes: C e1000's default and its limits for the 82544 and later; sizes are rounded to
/// multiples of 8 by C e1000 (`REQ_TX_DESCRIPTOR_MULTIPLE`), refused here (a 128-byte
/// `RDLEN`/`TDLEN` granularity is 8 descriptors).
pub(crate) const DEFAULT_RING: u32 = 256;
pub(crate) const MIN_RING: u32 = 48;
pub(crate) const MAX_RING: u32 = 4096;
pub(crate) const RING_MULTIPLE: u32 = 8;
/// C e1000's MTU range: 46 (ETH_ZLEN - ETH_HLEN) to 16110 (a 16128-byte frame, `0x3F00`,
/// less header and FCS).
const MIN_MTU: u32 = 46;
pub(crate) const MAX_MTU: u32 = 0x3F00 - 14 - 4;

/// Deferred work items (ids of `Device::queue_work`).
pub(crate) const WORK_WATCHDOG: u32 = 0;
pub(crate) const WORK_RESET: u32 = 1;
const WATCHDOG_MS: u32 = 2000;

/// Software counters (`ethtool -S` and the netdev statistics).
#[derive(Default)]
pub(crate) struct QueueStats {
    pub(crate) rx_packets: AtomicU64,
    pub(crate) rx_bytes: AtomicU64,
    pub(crate) rx_errors: AtomicU64,
    pub(crate) rx_long: AtomicU64,
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

/// The queue pair and its NAPI instance (C e1000 keeps one of each in the adapter). The rings
/// exist while the interface is up.
#[pin_data]
pub(crate) struct QVector {
    #[pin]
    pub(crate) tx: SpinLock<Option<TxRing>>,
    #[pin]
    pub(crate) rx: SpinLock<Option<RxRing>>,
    pub(crate) stats: QueueStats,
    pub(crate) itr: ItrState,
}

/// Per-netdev state (the netdev's private data, `struct e1000_adapter`).
#[pin_data]
pub(crate) struct Re1000Data {
    /// BAR0, revoked when the PCI function is unbound.
    pub(crate) bar: pci::DevresBar<BAR0_SIZE>,
    pub(crate) pci_name: CString,
    pub(crate) device_id: u16,
    pub(crate) mac: MacType,
    pub(crate) irq_mode: IrqMode,
    qv: SetOnce<Pin<KBox<Napi<QVector>>>>,
    #[pin]
    pub(crate) irq: Mutex<Option<NetIrq<Re1000>>>,
    /// Interrupt delays from the module parameters (1.024 µs units).
    pub(crate) rx_int_delay: u32,
    pub(crate) rx_abs_int_delay: u32,
    pub(crate) tx_int_delay: u32,
    pub(crate) tx_abs_int_delay: u32,
    /// Configuration, changed under RTNL and applied on the next bring-up.
    pub(crate) tx_ring_size: AtomicU32,
    pub(crate) rx_ring_size: AtomicU32,
    /// The interrupt moderation setting (see `irq.rs`).
    pub(crate) itr_setting: AtomicU32,
    mtu: AtomicU32,
    /// `RCTL` filter bits (UPE/MPE) from the last `set_rx_mode`.
    rx_filter: AtomicU32,
    /// The address tables from the last `set_rx_mode`; taken with bottom halves disabled (the
    /// core calls `set_rx_mode` from softirq context too, e.g. for a multicast join).
    #[pin]
    rx_tables: SpinLock<RxTables>,
    /// Link speed in Mb/s while the link is up (0 while down).
    pub(crate) link_mbps: AtomicU32,
    /// The hardware is configured and running (between `up` and `down`).
    pub(crate) running: AtomicBool,
    /// The device was found gone (see [`hw::check_read`]).
    pub(crate) removed: AtomicBool,
    #[pin]
    stats_lock: SpinLock<()>,
    pub(crate) hw_stats: [AtomicU64; HW_STATS.len()],
    pub(crate) tx_timeouts: AtomicU64,
    pub(crate) resets: AtomicU64,
    /// Interrupt causes seen by the self-test's interrupt check.
    pub(crate) test_icr: AtomicU32,
    /// Self-test PHY loopback: frames sent to ourselves are checked and counted, not passed up.
    pub(crate) loopback: AtomicBool,
    pub(crate) loopback_ok: AtomicU32,
}

/// The address filters `set_rx_mode` computed: secondary unicast addresses for RAR[1..15] and
/// the multicast hash table. Kept to be written again after a MAC reset, which clears both
/// (the transmit-timeout reset and the self-test reset the MAC; C e1000's `e1000_configure`
/// calls `e1000_set_rx_mode` for the same reason).
pub(crate) struct RxTables {
    mta: [u32; regs::MTA_ENTRIES],
    uc: [[u8; 6]; regs::RAR_ENTRIES - 1],
    uc_count: usize,
}

impl RxTables {
    const EMPTY: Self = Self {
        mta: [0; regs::MTA_ENTRIES],
        uc: [[0; 6]; regs::RAR_ENTRIES - 1],
        uc_count: 0,
    };

    /// Writes the tables to RAR[1..15] (unused entries invalid) and the MTA.
    fn write(&self, bar: &Bar0<'_>) {
        for (i, addr) in self.uc.iter().enumerate() {
            if i < self.uc_count {
                hw::write_rar(bar, i + 1, addr);
            } else {
                hw::clear_rar(bar, i + 1);
            }
        }
        for (i, v) in self.mta.iter().enumerate() {
            regs::write_at(bar, i, regs::MTA::from_raw(*v));
        }
    }
}

/// The net_device driver.
pub(crate) struct Re1000;

impl Re1000Data {
    /// The NAPI instance, once `init` created it.
    pub(crate) fn queue_napi(&self) -> Option<&Napi<QVector>> {
        self.qv.as_ref().map(|q| &**q)
    }

    /// The queue pair, once `init` created it.
    pub(crate) fn queue(&self) -> Option<&QVector> {
        self.queue_napi().map(|q| q.poller())
    }

    /// Whether the device was found removed (see [`hw::check_read`]).
    pub(crate) fn removed(&self) -> bool {
        self.removed.load(Ordering::Acquire)
    }

    /// The largest frame the MTU allows (with a VLAN tag, without FCS: `RCTL.SECRC` strips it).
    pub(crate) fn max_frame(&self) -> u32 {
        self.mtu.load(Ordering::Relaxed) + rx::FRAME_OVERHEAD
    }

    /// Reads the clear-on-read statistics registers into the running totals
    /// (e1000_update_stats); returns the good bytes received and sent since the last read.
    pub(crate) fn update_hw_stats(&self, bar: &Bar0<'_>) -> (u64, u64) {
        let _guard = self.stats_lock.lock();
        stats::accumulate(bar, &HW_STATS, &self.hw_stats)
    }
}

/// BAR0 for process-context callbacks (which may sleep): the bound parent proves the mapping
/// is alive. `ENODEV` once the device was found removed.
pub(crate) fn mmio(dev: &Device<Re1000>) -> Result<&Bar0<'_>> {
    if dev.data().removed() {
        return Err(ENODEV);
    }
    dev.data().bar.access(dev.parent()?)
}

/// Reflects the link state in the carrier (`STATUS.LU`), and records the speed for interrupt
/// moderation. A `STATUS` of all ones is a device that is gone, not "link up".
pub(crate) fn update_link(dev: &Device<Re1000>, bar: &Bar0<'_>) {
    let Some(status) = hw::check_read(dev, bar, bar.read(regs::STATUS).into_raw()) else {
        return;
    };
    let status = regs::STATUS::from_raw(status);
    let up = status.lu();
    let mbps = if up { status.speed().mbps() } else { 0 };
    dev.data().link_mbps.store(mbps, Ordering::Relaxed);
    if up && !dev.carrier_ok() {
        dev.carrier_on();
    } else if !up && dev.carrier_ok() {
        dev.carrier_off();
    }
}

/// Receive control (e1000_setup_rctl): enabled, broadcast, CRC stripped, descriptor minimum
/// threshold at half the ring, `MO` = 0, buffer size, long packets for jumbo MTUs, the filter
/// from `set_rx_mode`.
fn rctl_value(data: &Re1000Data, buf_len: u32) -> Result<regs::RCTL> {
    let filter = regs::RCTL::from_raw(data.rx_filter.load(Ordering::Relaxed));
    let (bsex, bsize) = rx::rctl_bsize(buf_len);
    regs::RCTL::zeroed()
        .with_en(true)
        .with_bam(true)
        .with_secrc(true)
        .with_upe(filter.upe())
        .with_mpe(filter.mpe())
        .with_lpe(data.mtu.load(Ordering::Relaxed) > 1500)
        .with_bsex(bsex)
        .try_with_bsize(bsize)
}

/// Frees the rings (device quiesced, NAPI disabled).
fn rings_free(dev: &Device<Re1000>) {
    let Some(qv) = dev.data().queue() else {
        return;
    };
    // The ring locks are also taken by the NAPI poll, in softirq context.
    let bh = kernel::sync::bh::disable();
    let tx = qv.tx.lock().take();
    let rx = qv.rx.lock().take();
    drop(bh);
    // Dropping the rings unmaps and frees their buffers, then the descriptor memory.
    drop((tx, rx));
    dev.tx_reset_queue(0);
}

/// Programs the transmit and receive units and the interrupt rate for the allocated rings
/// (e1000_configure).
fn configure(dev: &Device<Re1000>, bar: &Bar0<'_>, qv: &QVector) -> Result {
    let data = dev.data();
    {
        let _bh = kernel::sync::bh::disable();
        let tx = qv.tx.lock();
        if let Some(tx) = tx.as_ref() {
            tx::configure(bar, data, tx)?;
        }
    }
    // The device's own address (the EEPROM's, or one set while the interface was down), and
    // the rx_mode tables a MAC reset may have cleared.
    hw::write_rar(bar, 0, &dev.dev_addr());
    {
        let _bh = kernel::sync::bh::disable();
        data.rx_tables.lock().write(bar);
    }
    irq::apply_itr(bar, data);
    let _bh = kernel::sync::bh::disable();
    let mut rx = qv.rx.lock();
    let Some(rx) = (*rx).as_mut() else {
        return Err(EINVAL);
    };
    rx::configure(bar, data, rx);
    rx::refill(dev, bar, qv, rx);
    bar.write_reg(rctl_value(data, rx.buf_len)?);
    hw::flush(bar);
    Ok(())
}

/// Brings the hardware up with the current configuration (e1000_open, e1000_up): rings, the
/// transmit and receive units, the interrupt handler, NAPI. Under RTNL.
pub(crate) fn up(dev: &Device<Re1000>, rtnl: &Rtnl) -> Result {
    let data = dev.data();
    let pdev = dev.parent()?;
    let bar = mmio(dev)?;
    let napi = data.queue_napi().ok_or(ENODEV)?;
    let qv = napi.poller();
    let tx_size = data.tx_ring_size.load(Ordering::Relaxed) as usize;
    let rx_size = data.rx_ring_size.load(Ordering::Relaxed) as usize;
    let buf_len = rx::buf_len(data.mtu.load(Ordering::Relaxed));
    let (tx, rx) = match (
        TxRing::new(pdev, tx_size),
        RxRing::new(pdev, rx_size, buf_len),
    ) {
        (Ok(tx), Ok(rx)) => (tx, rx),
        (Err(e), _) | (_, Err(e)) => {
            pr_err!("{}: cannot allocate the rings\n", dev.name());
            return Err(e);
        }
    };
    {
        let _bh = kernel::sync::bh::disable();
        *qv.tx.lock() = Some(tx);
        *qv.rx.lock() = Some(rx);
    }
    if let Err(e) = configure(dev, bar, qv).and_then(|()| irq::request(dev, rtnl)) {
        hw::quiesce(bar);
        rings_free(dev);
        return Err(e);
    }
    let _ = napi.link_queue(rtnl, QueueKind::Rx, 0);
    let _ = napi.link_queue(rtnl, QueueKind::Tx, 0);
    napi.enable(rtnl);
    data.running.store(true, Ordering::Release);
    irq::enable(bar);
    update_link(dev, bar);
    dev.start_all_queues();
    dev.queue_work(WORK_WATCHDOG, WATCHDOG_MS);
    Ok(())
}

/// Stops the hardware and frees the rings (e1000_down). Under RTNL.
pub(crate) fn down(dev: &Device<Re1000>, rtnl: &Rtnl) {
    let data = dev.data();
    data.running.store(false, Ordering::Release);
    // The watchdog touches the link state and registers; it must not run across the teardown.
    dev.cancel_work_sync(WORK_WATCHDOG);
    dev.tx_disable();
    dev.carrier_off();
    let bar = mmio(dev);
    if let Ok(bar) = bar {
        hw::quiesce(bar);
    }
    // Free the handler first: no interrupt may schedule NAPI after it is disabled.
    irq::free(data);
    if let Some(napi) = data.queue_napi() {
        napi.disable(rtnl);
        napi.unlink_queue(rtnl, QueueKind::Rx, 0);
        napi.unlink_queue(rtnl, QueueKind::Tx, 0);
    }
    rings_free(dev);
    if let Ok(bar) = bar {
        data.update_hw_stats(bar);
    }
}

/// Takes the interface down and up again to apply a configuration change, restoring `undo`
/// (the previous configuration) if the new one cannot be brought up.
pub(crate) fn reconfigure(
    dev: &Device<Re1000>,
    rtnl: &Rtnl,
    apply: impl Fn(&Re1000Data),
    undo: impl Fn(&Re1000Data),
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

/// The watchdog (e1000_watchdog): link state and speed, statistics, the simplified interrupt
/// rate, and a receive-timer interrupt so that a lost interrupt cannot leave a ring uncleaned.
fn watchdog(dev: &Device<Re1000>) {
    let data = dev.data();
    if !data.running.load(Ordering::Acquire) {
        return;
    }
    let Ok(bar) = mmio(dev) else {
        return;
    };
    update_link(dev, bar);
    if data.removed() {
        return;
    }
    let (rx_bytes, tx_bytes) = data.update_hw_stats(bar);
    irq::simplified_update(bar, data, rx_bytes, tx_bytes);
    bar.write_reg(regs::ICS::from_raw(regs::ICR_RXT0));
    dev.queue_work(WORK_WATCHDOG, WATCHDOG_MS);
}

/// The reset after a transmit timeout (e1000_reset_task): down, MAC reset, up, under RTNL.
fn reset_task(dev: &Device<Re1000>) {
    let rtnl = dev::rtnl_lock();
    if !dev.is_running() {
        return;
    }
    pr_warn!("{}: resetting after a transmit timeout\n", dev.name());
    add(&dev.data().resets, 1);
    down(dev, &rtnl);
    if let Ok(bar) = mmio(dev) {
        hw::reset(bar, dev.data().mac);
    }
    if let Err(e) = up(dev, &rtnl) {
        pr_err!("{}: reset failed: {:?}\n", dev.name(), e);
    }
}

#[vtable]
impl dev::Driver for Re1000 {
    type Data = Re1000Data;

    fn setup(dev: &mut DeviceSetup<'_>) {
        // C e1000 on the 82544 and later: SG and HW_CSUM, TSO (IPv4 only: the 8254x cannot
        // segment IPv6), RXCSUM. RAR0 is rewritten on a MAC change, which works while the device
        // runs; secondary unicast addresses go to RAR[1..15] (`set_rx_mode`), as C e1000 (which
        // sets IFF_UNICAST_FLT except on VMware's 82545EM).
        let offloads = features::SG | features::HW_CSUM | features::TSO;
        dev.set_mtu_range(MIN_MTU, MAX_MTU)
            .add_priv_flags(dev::priv_flags::LIVE_ADDR_CHANGE | dev::priv_flags::UNICAST_FLT)
            .set_features(offloads | features::RXCSUM | features::HIGHDMA)
            .set_hw_features(offloads | features::RXCSUM)
            .set_vlan_features(offloads)
            .set_watchdog_timeo_ms(5000)
            .carrier_off();
    }

    fn init(dev: &Device<Self>) -> Result {
        let qv = try_pin_init!(QVector {
            tx <- new_spinlock!(None),
            rx <- new_spinlock!(None),
            stats: QueueStats::default(),
            itr: ItrState::default(),
        });
        dev.data()
            .qv
            .populate(KBox::pin_init(Napi::new(dev, qv), GFP_KERNEL)?);
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
        let Some(qv) = data.queue() else {
            return;
        };
        let st = &qv.stats;
        let hw = |i: usize| get(&data.hw_stats[i]);
        let length_errors = hw(RLEC) + hw(ROC);
        stats
            .rx_packets(get(&st.rx_packets))
            .rx_bytes(get(&st.rx_bytes))
            .tx_packets(get(&st.tx_packets))
            .tx_bytes(get(&st.tx_bytes))
            .rx_errors(get(&st.rx_errors) + hw(CRCERRS) + hw(HW_ALGNERRC) + length_errors)
            .rx_crc_errors(hw(CRCERRS))
            .rx_length_errors(length_errors)
            .rx_missed_errors(hw(MPC))
            .multicast(hw(MPRC))
            .collisions(hw(HW_COLC))
            .rx_dropped(get(&st.rx_alloc_failed))
            .tx_dropped(get(&st.tx_dropped));
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
        let bar = mmio(dev)?;
        dev.eth_mac_addr(addr)?;
        hw::write_rar(bar, 0, &dev.dev_addr());
        Ok(())
    }

    /// e1000_set_rx_mode: promiscuous and all-multicast through `RCTL`, secondary unicast
    /// addresses in RAR[1..15] (unicast promiscuous when they do not fit), multicast through
    /// the 4096-bit hash table.
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
        let mut tables = RxTables::EMPTY;
        if mode.uc_count() > tables.uc.len() {
            filter = filter.with_upe(true);
        } else {
            mode.for_each_uc(|a| {
                if let Some(slot) = tables.uc.get_mut(tables.uc_count) {
                    *slot = *a;
                    tables.uc_count += 1;
                }
            });
        }
        mode.for_each_mc(|a| hw::mta_set(&mut tables.mta, a));
        tables.write(bar);
        *data.rx_tables.lock() = tables;
        data.rx_filter.store(filter.into_raw(), Ordering::Relaxed);
        if data.running.load(Ordering::Acquire) {
            // Only when the filter bits change: QEMU's model holds receive for a second after
            // every RCTL write, and address changes come often (multicast joins).
            let rctl = bar.read(regs::RCTL);
            let new = rctl.with_upe(filter.upe()).with_mpe(filter.mpe());
            if new.into_raw() != rctl.into_raw() {
                bar.write_reg(new);
            }
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
        if let (0, Some(qv)) = (queue, dev.data().queue()) {
            let st = &qv.stats;
            stats
                .set(get(&st.rx_packets), get(&st.rx_bytes))
                .set_drops(get(&st.rx_alloc_failed));
        }
    }

    fn queue_stats_tx(dev: &Device<Self>, queue: u32, stats: &mut dev::QueueStatsTx) {
        if let (0, Some(qv)) = (queue, dev.data().queue()) {
            stats.set(get(&qv.stats.tx_packets), get(&qv.stats.tx_bytes));
        }
    }
}

/// The PCI driver (`e1000_driver`).
pub(crate) struct Re1000Driver;

/// What probe leaves bound to the PCI function (as rigb's `RigbPci`).
pub(crate) struct Re1000Pci<'bound> {
    _netdev: BusRegistration<'bound, Re1000>,
}

kernel::pci_device_table!(
    PCI_TABLE,
    <Re1000Driver as pci::Driver>::IdInfo,
    [
        // QEMU's -device e1000-82544gc.
        (pci::DeviceId::from_id(pci::Vendor::INTEL, 0x100C), ()),
        // QEMU's -device e1000 (the default e1000 of most VMs and clouds).
        (pci::DeviceId::from_id(pci::Vendor::INTEL, 0x100E), ()),
        // QEMU's -device e1000-82545em.
        (pci::DeviceId::from_id(pci::Vendor::INTEL, 0x100F), ()),
    ]
);

impl pci::Driver for Re1000Driver {
    type IdInfo = ();
    type Data<'bound> = Re1000Pci<'bound>;
    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;
    /// The 8254x addresses 64 bits (C e1000: `DMA_BIT_MASK(64)` for the 82544 and later).
    const DMA_MASK: Option<DmaMask> = Some(DmaMask::new::<64>());

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        probe(pdev)
    }
}

/// The interrupt delay module parameters, checked against C e1000's range (0..=65535).
fn delay_param(name: &str, value: u32) -> Result<u32> {
    if value > 0xFFFF {
        pr_err!("re1000: {}={} out of range 0..=65535\n", name, value);
        return Err(EINVAL);
    }
    Ok(value)
}

/// The `itr` module parameter: 0, 1, 3, 4 or a rate of 100..=100000 interrupts/s (C e1000's
/// `InterruptThrottleRate`; 2 is refused as there).
fn itr_param() -> Result<u32> {
    let v = crate::module_parameters::itr.value();
    if matches!(v, 0 | 1 | 3 | 4) || (irq::MIN_ITR_RATE..=irq::MAX_ITR_RATE).contains(&v) {
        return Ok(v);
    }
    pr_err!(
        "re1000: itr={} invalid: 0, 1, 3, 4 or {}..={} interrupts/s\n",
        v,
        irq::MIN_ITR_RATE,
        irq::MAX_ITR_RATE
    );
    Err(EINVAL)
}

/// e1000_probe: checks the parameters, enables the function, maps BAR0, resets the MAC,
/// validates the EEPROM and reads the address from it, allocates the interrupt vector and
/// registers the netdev.
fn probe<'bound>(pdev: &'bound pci::Device<Core<'_>>) -> Result<Re1000Pci<'bound>> {
    let p = crate::module_parameters::rx_int_delay.value();
    let rx_int_delay = delay_param("rx_int_delay", p)?;
    let p = crate::module_parameters::rx_abs_int_delay.value();
    let rx_abs_int_delay = delay_param("rx_abs_int_delay", p)?;
    let p = crate::module_parameters::tx_int_delay.value();
    let tx_int_delay = delay_param("tx_int_delay", p)?;
    let p = crate::module_parameters::tx_abs_int_delay.value();
    let tx_abs_int_delay = delay_param("tx_abs_int_delay", p)?;
    let itr_setting = itr_param()?;
    let device_id = pdev.device_id();
    let pci_name = pdev.as_ref().name();
    let Some(mac) = MacType::from_device_id(device_id) else {
        pr_err!("re1000 {}: unknown device {:#06x}\n", pci_name, device_id);
        return Err(ENODEV);
    };
    pdev.enable_device_mem_managed()?;
    pdev.set_master_managed()?;
    let len = pdev.resource_len(0)?;
    if len < BAR0_SIZE as u64 {
        pr_err!(
            "re1000 {}: BAR0 is {} bytes, expected 128 KiB\n",
            pci_name,
            len
        );
        return Err(ENODEV);
    }
    let bar = pdev.iomap_region_sized::<BAR0_SIZE>(0, c"re1000")?;
    hw::reset(&bar, mac);
    // A bad checksum means the image (and its address) cannot be trusted: refuse the device,
    // as C e1000 does.
    let sum = hw::eeprom_checksum(&bar, mac)?;
    if sum != regs::NVM_SUM {
        pr_err!(
            "re1000 {}: EEPROM checksum is not valid ({:#06x}, expected {:#06x})\n",
            pci_name,
            sum,
            regs::NVM_SUM
        );
        return Err(EIO);
    }
    let addr = hw::eeprom_mac(&bar, mac)?;
    if addr[0] & 1 != 0 || addr.iter().all(|b| *b == 0) {
        pr_err!(
            "re1000 {}: invalid MAC address {:02x?} in EEPROM\n",
            pci_name,
            addr
        );
        return Err(EIO);
    }
    let phy_id = hw::phy_id(&bar).unwrap_or(0);
    let (vectors, irq_mode) = irq::alloc_vectors(pdev)?;
    let bar = bar.into_devres()?;
    let data = try_pin_init!(Re1000Data {
        bar,
        pci_name: pci_name.to_cstring()?,
        device_id,
        mac,
        irq_mode,
        qv: SetOnce::new(),
        irq <- new_mutex!(None),
        rx_int_delay,
        rx_abs_int_delay,
        tx_int_delay,
        tx_abs_int_delay,
        tx_ring_size: AtomicU32::new(DEFAULT_RING),
        rx_ring_size: AtomicU32::new(DEFAULT_RING),
        itr_setting: AtomicU32::new(itr_setting),
        mtu: AtomicU32::new(1500),
        rx_filter: AtomicU32::new(0),
        rx_tables <- new_spinlock!(RxTables::EMPTY),
        link_mbps: AtomicU32::new(0),
        running: AtomicBool::new(false),
        removed: AtomicBool::new(false),
        stats_lock <- new_spinlock!(()),
        hw_stats: Default::default(),
        tx_timeouts: AtomicU64::new(0),
        resets: AtomicU64::new(0),
        test_icr: AtomicU32::new(0),
        loopback: AtomicBool::new(false),
        loopback_ok: AtomicU32::new(0),
    });
    let netdev = BusRegistration::<Re1000>::new(
        pdev.as_ref(),
        c"eth%d",
        1,
        1,
        data,
        |s| {
            s.set_mac_address(&addr);
        },
        vectors,
    )?;
    netdev.with_device(|dev| {
        pr_info!(
            "{}: Intel {} ({:#06x}) at {}, MAC {}, PHY {:#010x}, {} interrupt\n",
            dev.name(),
            mac.name(),
            device_id,
            pci_name,
            MacAddr(dev.dev_addr()),
            phy_id,
            irq_mode.name()
        )
    });
    Ok(Re1000Pci { _netdev: netdev })
}
