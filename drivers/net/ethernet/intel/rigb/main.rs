// SPDX-License-Identifier: GPL-2.0

//! rigb: probe/remove, open/stop, the transmit routine, the interrupt handler and the NAPI
//! poll (igb_main.c's counterparts).
//!
//! Packet path (see Documentation/rigb.rst): the 82576 DMAs a received frame into the buffer
//! of the next receive descriptor and raises an interrupt; the handler only masks the device's
//! interrupts and schedules NAPI; `poll` cleans completed transmit descriptors, then takes up
//! to `budget` frames off the receive ring into `napi_gro_receive`, refills the ring and,
//! when it did less than the budget, completes and unmasks interrupts. Transmit maps the
//! frame, fills one advanced data descriptor and moves the tail register.

use crate::regs::{self, Hw};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::device;
use kernel::dma::{self, CoherentAllocation};
use kernel::net::dev::{
    self, Device, DeviceSetup, IrqHandler, IrqReturn, NetIrq, Registration, SockAddr, Stats64,
    TxOutcome,
};
use kernel::net::ethtool::{self, DrvInfo, LinkKsettings};
use kernel::net::napi::{self, Napi};
use kernel::net::skbuff::{MappedSkBuff, SkBuff};
use kernel::pci::{self, Bar, EnabledDevice, IrqKinds, IrqVectors};
use kernel::sync::{Mutex, SetOnce, SpinLock};
use kernel::types::ARef;
use kernel::{c_str, new_mutex, new_spinlock, prelude::*, str::CString};

/// Descriptors per ring (igb's default).
const RING_SIZE: usize = 256;
/// Receive buffer size programmed in SRRCTL (in KiB units there): a standard frame fits.
const RX_BUF_LEN: u32 = 2048;
/// Stop the transmit queue when fewer descriptors than this are free; wake it above twice.
const TX_STOP_THRESHOLD: usize = 2;
const MIN_MTU: u32 = 68;
/// An Ethernet header: the shortest frame worth passing up.
const ETH_HLEN: u32 = 14;
/// Frames must fit one 2 KiB receive buffer (jumbo frames would need larger ones).
const MAX_MTU: u32 = 1500;

/// An advanced descriptor: two little-endian quadwords.
type Desc = [u64; 2];

struct TxRing {
    desc: CoherentAllocation<Desc>,
    bufs: KVec<Option<MappedSkBuff>>,
    next_to_use: usize,
    next_to_clean: usize,
}

impl TxRing {
    fn free_slots(&self) -> usize {
        RING_SIZE - 1 - (self.next_to_use + RING_SIZE - self.next_to_clean) % RING_SIZE
    }
}

struct RxRing {
    desc: CoherentAllocation<Desc>,
    bufs: KVec<Option<MappedSkBuff>>,
    next_to_clean: usize,
    next_to_use: usize,
}

/// The queue pair served by one interrupt vector and one NAPI instance.
#[pin_data]
struct QVector {
    #[pin]
    tx: SpinLock<TxRing>,
    #[pin]
    rx: SpinLock<RxRing>,
}

#[derive(Default)]
struct Counters {
    rx_packets: AtomicU64,
    rx_bytes: AtomicU64,
    tx_packets: AtomicU64,
    tx_bytes: AtomicU64,
    rx_errors: AtomicU64,
    rx_dropped: AtomicU64,
    tx_dropped: AtomicU64,
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

/// Per-netdev state (the netdev's private data).
#[pin_data]
pub(crate) struct RigbData {
    hw: Hw,
    pdev: ARef<device::Device>,
    pci_name: CString,
    vectors: IrqVectors,
    qv: SetOnce<Pin<KBox<Napi<QVector>>>>,
    #[pin]
    irq: Mutex<Option<NetIrq<Rigb>>>,
    counters: Counters,
}

pub(crate) struct Rigb;

fn ring_alloc(
    pdev: &device::Device,
) -> Result<(CoherentAllocation<Desc>, KVec<Option<MappedSkBuff>>)> {
    let desc = CoherentAllocation::alloc(pdev, RING_SIZE)?;
    let mut bufs = KVec::with_capacity(RING_SIZE, GFP_KERNEL)?;
    for _ in 0..RING_SIZE {
        bufs.push(None, GFP_KERNEL)?;
    }
    Ok((desc, bufs))
}

fn low(addr: u64) -> u32 {
    addr as u32
}

fn high(addr: u64) -> u32 {
    (addr >> 32) as u32
}

/// Gives empty slots of the receive ring fresh buffers and tells the device (RDT).
fn rx_refill(dev: &Device<Rigb>, rx: &mut RxRing) {
    let data = dev.data();
    let mut filled = false;
    // One slot stays empty so that head == tail means "ring empty" to the device.
    while (rx.next_to_use + 1) % RING_SIZE != rx.next_to_clean {
        let i = rx.next_to_use;
        let Some(skb) = SkBuff::alloc_rx(dev, RX_BUF_LEN) else {
            add(&data.counters.rx_dropped, 1);
            break;
        };
        let mapped = match skb.map_rx(&data.pdev, RX_BUF_LEN) {
            Ok(m) => m,
            Err((_skb, _e)) => {
                add(&data.counters.rx_dropped, 1);
                break;
            }
        };
        // Read format: packet buffer address, header buffer address (unused: one buffer).
        let _ = rx.desc.write(i, [mapped.dma_handle().to_le(), 0]);
        rx.bufs[i] = Some(mapped);
        rx.next_to_use = (i + 1) % RING_SIZE;
        filled = true;
    }
    if filled {
        // Descriptors must be in memory before the device sees the new tail.
        dma::wmb();
        data.hw.wr(regs::RDT.at(0), rx.next_to_use as u32);
    }
}

/// Frees the buffers of both rings and resets their indices (device stopped).
fn rings_clean(qv: &QVector) {
    // The ring locks are also taken by the NAPI poll, in softirq context.
    let _bh = kernel::sync::bh::disable();
    let mut tx = qv.tx.lock();
    for b in tx.bufs.iter_mut() {
        drop(b.take());
    }
    tx.next_to_use = 0;
    tx.next_to_clean = 0;
    drop(tx);
    let mut rx = qv.rx.lock();
    for b in rx.bufs.iter_mut() {
        drop(b.take());
    }
    rx.next_to_use = 0;
    rx.next_to_clean = 0;
}

/// Reflects the link state in the carrier (from STATUS.LU).
fn update_link(dev: &Device<Rigb>) {
    let up = dev.data().hw.rd(regs::STATUS) & regs::STATUS_LU != 0;
    if up && !dev.carrier_ok() {
        dev.carrier_on();
    } else if !up && dev.carrier_ok() {
        dev.carrier_off();
    }
}

/// Cleans completed transmit descriptors; returns how many.
fn tx_clean(dev: &Device<Rigb>, qv: &QVector) -> usize {
    let data = dev.data();
    let mut tx = qv.tx.lock();
    let mut cleaned = 0;
    while tx.next_to_clean != tx.next_to_use {
        let i = tx.next_to_clean;
        let Some(desc) = tx.desc.read(i) else { break };
        // Write-back format: the status dword is the upper half of the second quadword.
        let status = (u64::from_le(desc[1]) >> 32) as u32;
        if status & regs::TXD_STAT_DD == 0 {
            break;
        }
        if let Some(mapped) = tx.bufs[i].take() {
            add(&data.counters.tx_packets, 1);
            add(&data.counters.tx_bytes, mapped.skb_len().into());
            mapped.unmap().consume();
        }
        tx.next_to_clean = (i + 1) % RING_SIZE;
        cleaned += 1;
    }
    let free = tx.free_slots();
    drop(tx);
    if cleaned > 0 && dev.queue_stopped() && free >= 2 * TX_STOP_THRESHOLD {
        dev.wake_queue();
    }
    cleaned
}

/// Receives up to `budget` frames; returns how many descriptors it consumed.
fn rx_clean(napi: &Napi<QVector>, budget: u32) -> u32 {
    let dev = napi.device();
    let data = dev.data();
    let mut rx = napi.poller().rx.lock();
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
        let wb = u64::from_le(desc[1]);
        let status = wb as u32;
        let len = ((wb >> 32) & 0xffff) as u32;
        let Some(mapped) = rx.bufs[i].take() else {
            // A completed descriptor without a buffer: the device is confused; stop here.
            pr_warn_ratelimited(dev);
            break;
        };
        rx.next_to_clean = (i + 1) % RING_SIZE;
        done += 1;
        let mut skb = mapped.unmap();
        // Never trust the device: multi-buffer or errored frames and impossible lengths are
        // dropped and counted.
        if status & regs::RXD_STAT_EOP == 0
            || status & regs::RXD_ERR_FRAME != 0
            || !(ETH_HLEN..=RX_BUF_LEN).contains(&len)
            || skb.put(len).is_err()
            || skb.eth_type_trans(dev).is_err()
        {
            add(&data.counters.rx_errors, 1);
            continue;
        }
        add(&data.counters.rx_packets, 1);
        add(&data.counters.rx_bytes, len.into());
        napi.gro_receive(skb);
    }
    rx_refill(dev, &mut rx);
    done
}

fn pr_warn_ratelimited(dev: &Device<Rigb>) {
    pr_warn!("{}: receive descriptor done without a buffer\n", dev.name());
}

impl napi::Poll for QVector {
    type Driver = Rigb;

    fn poll(napi: &Napi<Self>, budget: u32) -> u32 {
        let dev = napi.device();
        tx_clean(dev, napi.poller());
        let done = rx_clean(napi, budget);
        if done < budget && napi.complete_done(done) {
            dev.data().hw.wr(regs::IMS, regs::IMS_ENABLE);
        }
        done
    }
}

impl RigbData {
    fn qv(&self) -> Result<&Pin<KBox<Napi<QVector>>>> {
        self.qv.as_ref().ok_or(ENODEV)
    }
}

/// Brings the receive and transmit units up with the rings of `qv`.
fn hw_configure(dev: &Device<Rigb>, qv: &QVector) {
    let hw = &dev.data().hw;
    // The ring locks are also taken by the NAPI poll, in softirq context.
    let _bh = kernel::sync::bh::disable();
    {
        let tx = qv.tx.lock();
        let base = tx.desc.dma_handle();
        hw.wr(regs::TXDCTL.at(0), 0);
        hw.wr(regs::TDBAL.at(0), low(base));
        hw.wr(regs::TDBAH.at(0), high(base));
        hw.wr(regs::TDLEN.at(0), tx.desc.size() as u32);
        hw.wr(regs::TDH.at(0), 0);
        hw.wr(regs::TDT.at(0), 0);
        hw.wr(regs::TXDCTL.at(0), regs::XDCTL_ENABLE);
    }
    hw.wr(
        regs::TCTL,
        regs::TCTL_EN
            | regs::TCTL_PSP
            | (0xf << regs::TCTL_CT_SHIFT)
            | (0x3f << regs::TCTL_COLD_SHIFT),
    );
    {
        let mut rx = qv.rx.lock();
        let base = rx.desc.dma_handle();
        hw.wr(regs::RXDCTL.at(0), 0);
        hw.wr(regs::RDBAL.at(0), low(base));
        hw.wr(regs::RDBAH.at(0), high(base));
        hw.wr(regs::RDLEN.at(0), rx.desc.size() as u32);
        hw.wr(
            regs::SRRCTL.at(0),
            (RX_BUF_LEN / 1024) | regs::SRRCTL_DESCTYPE_ADV_ONEBUF | regs::SRRCTL_DROP_EN,
        );
        hw.wr(regs::RDH.at(0), 0);
        hw.wr(regs::RDT.at(0), 0);
        hw.wr(regs::RXDCTL.at(0), regs::XDCTL_ENABLE);
        rx_refill(dev, &mut rx);
    }
    // Map both queues to vector 0. The 82576 uses IVAR in MSI and INTx mode too (as igb's
    // igb_assign_vector does); without a valid entry no TXDW cause is raised on completion.
    hw.wr(regs::IVAR0, regs::IVAR_VALID | (regs::IVAR_VALID << 8));
    hw.wr(regs::RXCSUM, regs::RXCSUM_IPOFLD | regs::RXCSUM_TUOFLD);
    // Accept broadcast and all multicast (no MTA programming yet), strip the CRC.
    hw.wr(
        regs::RCTL,
        regs::RCTL_EN | regs::RCTL_BAM | regs::RCTL_MPE | regs::RCTL_SECRC,
    );
    hw.flush();
}

fn hw_quiesce(hw: &Hw) {
    hw.wr(regs::IMC, u32::MAX);
    hw.wr(regs::RCTL, 0);
    hw.wr(regs::TCTL, regs::TCTL_PSP);
    hw.wr(regs::RXDCTL.at(0), 0);
    hw.wr(regs::TXDCTL.at(0), 0);
    hw.flush();
    // Let in-flight DMA finish before buffers are unmapped.
    kernel::delay::msleep(10);
}

#[vtable]
impl dev::Driver for Rigb {
    type Data = RigbData;

    fn setup(dev: &mut DeviceSetup<'_>) {
        // RAR0 is rewritten on a MAC change, which works while the device runs.
        dev.set_mtu_range(MIN_MTU, MAX_MTU)
            .add_priv_flags(dev::priv_flags::LIVE_ADDR_CHANGE)
            .carrier_off();
    }

    fn init(dev: &Device<Self>) -> Result {
        let data = dev.data();
        let (tdesc, tbufs) = ring_alloc(&data.pdev)?;
        let (rdesc, rbufs) = ring_alloc(&data.pdev)?;
        let qv = try_pin_init!(QVector {
            tx <- new_spinlock!(TxRing { desc: tdesc, bufs: tbufs, next_to_use: 0, next_to_clean: 0 }),
            rx <- new_spinlock!(RxRing { desc: rdesc, bufs: rbufs, next_to_clean: 0, next_to_use: 0 }),
        }? Error);
        data.qv
            .populate(KBox::pin_init(Napi::new(dev, qv), GFP_KERNEL)?);
        Ok(())
    }

    fn open(dev: &Device<Self>) -> Result {
        let data = dev.data();
        let qv = data.qv()?;
        hw_configure(dev, qv.poller());
        let irq = data.vectors.irq(0)?;
        let shared = !data.vectors.is_msi() && !data.vectors.is_msix();
        let handler = match dev.request_irq(irq, 0, "q", shared) {
            Ok(h) => h,
            Err(e) => {
                hw_quiesce(&data.hw);
                rings_clean(qv.poller());
                return Err(e);
            }
        };
        *data.irq.lock() = Some(handler);
        qv.enable();
        data.hw.wr(regs::IMS, regs::IMS_ENABLE);
        update_link(dev);
        dev.start_queue();
        Ok(())
    }

    fn stop(dev: &Device<Self>) -> Result {
        let data = dev.data();
        dev.tx_disable();
        dev.carrier_off();
        hw_quiesce(&data.hw);
        // Free the handler first: no interrupt may schedule NAPI after it is disabled.
        drop(data.irq.lock().take());
        if let Ok(qv) = data.qv() {
            qv.disable();
            rings_clean(qv.poller());
        }
        Ok(())
    }

    fn start_xmit(mut skb: SkBuff, dev: &Device<Self>) -> TxOutcome {
        let data = dev.data();
        let Ok(qv) = data.qv() else {
            add(&data.counters.tx_dropped, 1);
            return TxOutcome::Ok;
        };
        if skb.linearize().is_err() {
            add(&data.counters.tx_dropped, 1);
            return TxOutcome::Ok;
        }
        skb.tx_timestamp();
        let len = skb.len();
        let mapped = match skb.map_tx(&data.pdev) {
            Ok(m) => m,
            Err((_skb, _e)) => {
                add(&data.counters.tx_dropped, 1);
                return TxOutcome::Ok;
            }
        };
        let mut tx = qv.poller().tx.lock();
        let i = tx.next_to_use;
        if tx.free_slots() == 0 || tx.bufs[i].is_some() {
            // Cannot happen while the queue is stopped in time; hand the frame back.
            dev.stop_queue();
            return TxOutcome::Busy(mapped.unmap());
        }
        let cmd = len
            | regs::TXD_DTYP_DATA
            | regs::TXD_DCMD_DEXT
            | regs::TXD_DCMD_IFCS
            | regs::TXD_DCMD_EOP
            | regs::TXD_DCMD_RS;
        let olinfo = len << regs::TXD_PAYLEN_SHIFT;
        let desc = [
            mapped.dma_handle().to_le(),
            (u64::from(cmd) | (u64::from(olinfo) << 32)).to_le(),
        ];
        let _ = tx.desc.write(i, desc);
        tx.bufs[i] = Some(mapped);
        tx.next_to_use = (i + 1) % RING_SIZE;
        if tx.free_slots() < TX_STOP_THRESHOLD {
            dev.stop_queue();
        }
        // The descriptor must be visible before the tail moves.
        dma::wmb();
        data.hw.wr(regs::TDT.at(0), tx.next_to_use as u32);
        TxOutcome::Ok
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut Stats64) {
        let c = &dev.data().counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        stats
            .rx_packets(get(&c.rx_packets))
            .rx_bytes(get(&c.rx_bytes))
            .tx_packets(get(&c.tx_packets))
            .tx_bytes(get(&c.tx_bytes))
            .rx_errors(get(&c.rx_errors))
            .rx_dropped(get(&c.rx_dropped))
            .tx_dropped(get(&c.tx_dropped));
    }

    fn set_mac_address(dev: &Device<Self>, addr: &SockAddr) -> Result {
        dev.eth_mac_addr(addr)?;
        write_rar0(&dev.data().hw, &dev.dev_addr());
        Ok(())
    }
}

impl IrqHandler for Rigb {
    fn handle_irq(dev: &Device<Self>, _vector: u32) -> IrqReturn {
        let data = dev.data();
        // Reading ICR acknowledges (clears) the causes.
        let icr = data.hw.rd(regs::ICR);
        if icr == 0 || icr == u32::MAX {
            return IrqReturn::None;
        }
        if icr & regs::ICR_LSC != 0 {
            update_link(dev);
        }
        match data.qv.as_ref() {
            Some(qv) => {
                // Masked until the poll is done.
                data.hw.wr(regs::IMC, u32::MAX);
                qv.schedule();
            }
            None => data.hw.wr(regs::IMS, regs::IMS_ENABLE),
        }
        IrqReturn::Handled
    }
}

#[vtable]
impl ethtool::Operations for Rigb {
    fn get_drvinfo(dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c_str!("rigb"))
            .set_version(c_str!("0.1"))
            .set_bus_info(&dev.data().pci_name);
    }

    fn get_link_ksettings(dev: &Device<Self>, ks: &mut LinkKsettings) -> Result {
        let status = dev.data().hw.rd(regs::STATUS);
        if status & regs::STATUS_LU != 0 {
            let speed = match (status >> regs::STATUS_SPEED_SHIFT) & 3 {
                0 => 10,
                1 => 100,
                _ => 1000,
            };
            ks.set_speed(speed)
                .set_full_duplex(status & regs::STATUS_FD != 0);
        }
        ks.set_port_tp().set_autoneg(true);
        Ok(())
    }
}

fn write_rar0(hw: &Hw, mac: &[u8; 6]) {
    hw.wr(
        regs::RAL0,
        u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]),
    );
    hw.wr(
        regs::RAH0,
        u32::from(mac[4]) | (u32::from(mac[5]) << 8) | regs::RAH_AV,
    );
}

fn hw_reset(hw: &Hw) {
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
        hw.wr(regs::Reg(regs::MTA.0 + 4 * i), 0);
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
    for r in [
        regs::CRCERRS,
        regs::MPC,
        regs::GPRC,
        regs::GPTC,
        regs::GORCL,
        regs::GORCH,
        regs::GOTCL,
        regs::GOTCH,
        regs::MPRC,
    ] {
        let _ = hw.rd(r);
    }
    hw.flush();
}

/// The address the NVM loaded into receive address register 0 at reset.
fn read_mac(hw: &Hw) -> [u8; 6] {
    let lo = hw.rd(regs::RAL0).to_le_bytes();
    let hi = hw.rd(regs::RAH0).to_le_bytes();
    [lo[0], lo[1], lo[2], lo[3], hi[0], hi[1]]
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
        write_rar0(&hw, &mac);
        // One vector with the legacy cause register (ICR): MSI, else the INTx line.
        let vectors = pdev.alloc_irq_vectors(1, 1, IrqKinds::MSI_OR_INTX)?;
        let pci_name = CString::try_from_fmt(format_args!("{}", pdev.name()))?;
        let kind = if vectors.is_msix() {
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
            vectors,
            qv: SetOnce::new(),
            irq <- new_mutex!(None),
            counters: Counters::default(),
        }? Error);
        let netdev = Registration::<Rigb>::new_with_setup(c_str!("eth%d"), 1, 1, data, |s| {
            s.set_mac_address(&mac).set_parent(pdev.as_dev());
        })?;
        pr_info!(
            "{}: {} at {}, MAC {:02x?}, {} interrupts\n",
            netdev.device().name(),
            "82576",
            pdev.name(),
            mac,
            kind
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
