// SPDX-License-Identifier: GPL-2.0

//! Interrupts: vector allocation with the MSI-X → MSI → INTx fallback
//! (igb_set_interrupt_capability), requesting and freeing the handlers (igb_request_irq,
//! igb_free_irq), routing causes to vectors (igb_configure_msix, igb_assign_vector), the
//! handlers (igb_msix_ring, igb_msix_other, igb_intr), masking, and adaptive interrupt
//! moderation through EITR (igb_update_ring_itr, igb_write_itr).
//!
//! With MSI-X, vector 0 takes the link ("other") causes and vector q + 1 queue pair q; with MSI
//! or INTx one vector takes everything.

use crate::regs::{self, Bar0};
use crate::rigb_main::{QVector, Rigb, RigbData, MAX_QUEUES};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::device::Bound;
use kernel::io::Io;
use kernel::net::dev::{self, Device, IrqHandler, IrqReturn, Rtnl};
use kernel::pci::{self, IrqType, IrqTypes, IrqVectorRegistration};
use kernel::prelude::*;

/// Interrupt moderation bound for `ethtool -C rx-usecs` (igb's). As in igb, 0 turns
/// moderation off, 1 and 2 select adaptive moderation, 3 (the default) adaptive moderation
/// that never goes below 50 µs, larger values a fixed interval.
pub(crate) const MAX_ITR_USECS: u32 = 10000;
pub(crate) const ITR_CONSERVATIVE: u32 = 3;
/// EITR interval values (µs × 4): where adaptive moderation starts, and its floor in
/// conservative mode (20000 interrupts/s).
const EITR_START: u32 = 648;
const EITR_20K: u32 = 196;

/// How the device interrupts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IrqMode {
    /// The shared legacy line: one vector for everything.
    Intx,
    /// One MSI vector for everything.
    Msi,
    /// A vector for the link causes and one per queue pair.
    MsiX,
}

impl IrqMode {
    /// As the probe message names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Intx => "INTx",
            Self::Msi => "MSI",
            Self::MsiX => "MSI-X",
        }
    }
}

/// Interrupt vectors as `int_mode` asks, falling back MSI-X → MSI → INTx.
pub(crate) fn alloc_vectors<'a>(
    pdev: &'a pci::Device<Bound>,
) -> Result<(IrqVectorRegistration<'a>, IrqMode)> {
    let mode = crate::module_parameters::int_mode.value();
    if mode > 2 {
        pr_err!("rigb: int_mode={} out of range 0..=2\n", mode);
        return Err(EINVAL);
    }
    if mode == 2 {
        let want = MAX_QUEUES.min(dev::default_rss_queues().max(1)) + 1;
        let msix = IrqTypes::default().with(IrqType::MsiX);
        match pdev.alloc_irq_vectors(2, want.max(2), msix) {
            Ok(v) => return Ok((v, IrqMode::MsiX)),
            Err(e) => pr_info!(
                "rigb {}: no MSI-X ({:?}), trying MSI\n",
                pdev.as_ref().name(),
                e
            ),
        }
    }
    let mut types = IrqTypes::default().with(IrqType::Intx);
    if mode >= 1 {
        types = types.with(IrqType::Msi);
    }
    let vectors = pdev.alloc_irq_vectors(1, 1, types)?;
    let mode = match vectors.irq_type() {
        IrqType::MsiX | IrqType::Msi => IrqMode::Msi,
        IrqType::Intx => IrqMode::Intx,
    };
    Ok((vectors, mode))
}

/// Requests the handlers for `n` queue pairs (igb_request_irq): with MSI-X `other0` and
/// `TxRx-1`..`TxRx-n`, else `q0`, on the shared line with INTx.
///
/// All or nothing: the handlers are gathered in a vector sized up front, so keeping one cannot
/// fail, and stored only once every one was granted; on a failure the ones granted so far are
/// freed with the vector. (A handler left behind would stay registered and keep the netdev
/// held, and unregistering it, e.g. `rmmod`, would wait for it forever.)
pub(crate) fn request(dev: &Device<Rigb>, rtnl: &Rtnl, n: u32) -> Result {
    let data = dev.data();
    let msix = data.msix();
    let shared = data.irq_mode == IrqMode::Intx;
    let wanted = if msix { n + 1 } else { 1 };
    let mut granted = KVec::with_capacity(wanted as usize, GFP_KERNEL)?;
    for v in 0..wanted {
        let suffix = if !msix {
            "q"
        } else if v == 0 {
            "other"
        } else {
            "TxRx-"
        };
        let handler = dev.request_irq(v, suffix, shared)?;
        // Within the capacity reserved above.
        granted.push_within_capacity(handler).map_err(|_| ENOMEM)?;
    }
    // Each queue pair's NAPI instance reports the vector that schedules it (igb_request_msix).
    if msix {
        for (qv, handler) in data.queues().iter().zip(granted.iter().skip(1)) {
            qv.set_irq(rtnl, handler);
        }
    }
    *data.irqs.lock() = granted;
    Ok(())
}

/// Frees the handlers (igb_free_irq); a running handler is waited for.
pub(crate) fn free(data: &RigbData) {
    *data.irqs.lock() = KVec::new();
}

/// Bits of the first `vectors` MSI-X vectors.
fn vector_bits(vectors: u32) -> u32 {
    (1 << vectors) - 1
}

/// Routes the causes to vectors for `n` queue pairs and applies the moderation setting
/// (igb_configure_msix / igb_assign_vector).
pub(crate) fn configure(bar: &Bar0<'_>, data: &RigbData, n: u32) -> Result {
    if data.msix() {
        // GPIE first: the extended registers are masked by the mode. NSICR makes an ICR
        // read clear the causes in MSI-X mode.
        bar.write_reg(
            regs::GPIE::zeroed()
                .with_msix_mode(true)
                .with_nsicr(true)
                .with_eiame(true)
                .with_pba(true),
        );
        for q in 0..8u32 {
            let ivar = if q < n {
                let vector = q + 1;
                regs::IVAR0::zeroed()
                    .try_with_rx_vector(vector)?
                    .with_rx_valid(true)
                    .try_with_tx_vector(vector)?
                    .with_tx_valid(true)
            } else {
                regs::IVAR0::zeroed()
            };
            regs::write_at(bar, q as usize, ivar);
        }
        // Vector 0.
        bar.write_reg(
            regs::IVAR_MISC::zeroed()
                .with_const_other_vector::<0>()
                .with_other_valid(true),
        );
        regs::write_at(bar, 0, regs::EITR::zeroed());
        // Auto-clear each vector's cause bit when it fires, and auto-mask the queue vectors
        // (igb_irq_enable's EIAC and EIAM): the poll unmasks its vector when done, and the
        // handler writes nothing (an MMIO write per interrupt costs an exit to the hypervisor).
        bar.write_reg(regs::EIAC::from_raw(vector_bits(n + 1)));
        bar.write_reg(regs::EIAM::from_raw(vector_bits(n + 1) & !1));
    } else {
        bar.write_reg(regs::GPIE::zeroed());
        // The 82576 uses IVAR in MSI and INTx mode too (as igb's igb_assign_vector does);
        // without a valid entry no TXDW cause is raised on completion.
        regs::write_at(
            bar,
            0,
            regs::IVAR0::zeroed()
                .with_rx_valid(true)
                .with_tx_valid(true),
        );
    }
    apply_itr(bar, data, if data.msix() { n } else { 1 });
    Ok(())
}

/// Unmasks the causes of `n` queue pairs and the link (igb_irq_enable).
pub(crate) fn enable_all(bar: &Bar0<'_>, data: &RigbData, n: u32) {
    if data.msix() {
        bar.write_reg(regs::EIMS::from_raw(vector_bits(n + 1)));
        bar.write_reg(regs::IMS::from_raw(regs::ICR_LSC));
    } else {
        bar.write_reg(regs::IMS::from_raw(regs::IMS_ENABLE));
    }
}

/// Unmasks the interrupt of queue vector `q` (igb_ring_irq_enable).
pub(crate) fn enable_queue(bar: &Bar0<'_>, data: &RigbData, q: u32) {
    if data.msix() {
        bar.write_reg(regs::EIMS::from_raw(1 << (q + 1)));
    } else {
        bar.write_reg(regs::IMS::from_raw(regs::IMS_ENABLE));
    }
}

/// Raises a software interrupt on the first `n` queue vectors (the watchdog's guard against
/// a lost interrupt leaving a ring uncleaned).
pub(crate) fn kick_queues(bar: &Bar0<'_>, data: &RigbData, n: u32) {
    if data.msix() {
        bar.write_reg(regs::EICS::from_raw(vector_bits(n + 1) & !1));
    } else {
        bar.write_reg(regs::ICS::from_raw(regs::ICR_RXT0));
    }
}

impl IrqHandler for Rigb {
    /// Returns `None` ("not mine") when the device is unbound or found removed: the interrupt
    /// cannot be its doing and nothing was done, so the IRQ core's spurious-interrupt
    /// accounting can shut a storm off. igb_msix_ring returns "handled" unconditionally, which
    /// holds for a present device (an MSI-X message is never shared).
    fn handle_irq(dev: &Device<Self>, vector: u32) -> IrqReturn {
        let data = dev.data();
        // The BAR is gone once the device is unbound (igb's E1000_REMOVED): not ours.
        let Some(bar) = data.bar.try_access() else {
            return IrqReturn::None;
        };
        if data.removed() {
            return IrqReturn::None;
        }
        if data.msix() && vector > 0 {
            return msix_ring(data, vector);
        }
        // The legacy cause register: reading it acknowledges (clears) the causes. All ones is a
        // device that is gone (then it is marked removed), not every cause at once.
        let Some(icr) = crate::hw::check_read(dev, &bar, bar.read(regs::ICR).into_raw()) else {
            return IrqReturn::None;
        };
        if icr == 0 && !data.msix() {
            return IrqReturn::None;
        }
        data.test_icr.fetch_or(icr, Ordering::Relaxed);
        if icr & regs::ICR_LSC != 0 {
            crate::rigb_main::update_link(dev, &bar);
        }
        if !data.msix() {
            if let Some(qv) = data.queues().first() {
                if data.running.load(Ordering::Acquire) {
                    // Masked until the poll is done.
                    bar.write_reg(regs::IMC::from_raw(u32::MAX));
                    qv.schedule();
                }
            }
        }
        IrqReturn::Handled
    }
}

/// A queue vector (igb_msix_ring): schedule the queue pair's NAPI instance. The vector masked
/// itself as it fired (EIAM, set in `configure`) and the poll unmasks it when done; on a model
/// that does not auto-mask (QEMU's, as C igb meets it) it may fire again during the poll, which
/// finds the instance scheduled, at most at the EITR rate. `None` for a vector without a queue
/// pair behind it.
fn msix_ring(data: &RigbData, vector: u32) -> IrqReturn {
    let Some(qv) = data.queues().get(vector as usize - 1) else {
        return IrqReturn::None;
    };
    qv.schedule();
    IrqReturn::Handled
}

/// What adaptive interrupt moderation works from: traffic since the last update (touched by
/// the poll only) and the interval in force.
#[derive(Default)]
pub(crate) struct ItrState {
    rx_packets: AtomicU32,
    rx_bytes: AtomicU32,
    tx_packets: AtomicU32,
    tx_bytes: AtomicU32,
    eitr: AtomicU32,
}

impl ItrState {
    pub(crate) fn add_rx(&self, packets: u32, bytes: u32) {
        self.rx_packets.fetch_add(packets, Ordering::Relaxed);
        self.rx_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(crate) fn add_tx(&self, packets: u32, bytes: u32) {
        self.tx_packets.fetch_add(packets, Ordering::Relaxed);
        self.tx_bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// Adaptive interrupt moderation (igb_update_ring_itr): the larger the average frame since
/// the last update, the longer the interval; conservative mode keeps it at 50 µs or more.
pub(crate) fn update_itr(bar: &Bar0<'_>, data: &RigbData, qv: &QVector) {
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
        write_itr(bar, data, qv.index, new);
    }
}

/// Writes an interval (µs × 4) to the throttle register of queue vector `q` (igb_write_itr).
fn write_itr(bar: &Bar0<'_>, data: &RigbData, q: u32, eitr: u32) {
    let value = (eitr & regs::EITR_INTERVAL_MASK) | regs::EITR_CNT_IGNR;
    if data.msix() {
        regs::write_at(
            bar,
            q.saturating_add(1) as usize,
            regs::EITR::from_raw(value),
        );
    } else {
        bar.write_reg(regs::ITR::from_raw(value));
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
pub(crate) fn apply_itr(bar: &Bar0<'_>, data: &RigbData, n: u32) {
    let eitr = initial_itr(data.itr_usecs.load(Ordering::Relaxed));
    for qv in data.queues().iter().take(n as usize) {
        qv.poller().itr.eitr.store(eitr, Ordering::Relaxed);
        write_itr(bar, data, qv.poller().index, eitr);
    }
}
