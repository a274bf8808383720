// SPDX-License-Identifier: GPL-2.0

//! The one interrupt of the 8254x (INTx, or MSI where the platform has it; the family has no
//! MSI-X): vector allocation, requesting and freeing the handler, the handler (e1000_intr),
//! masking, and interrupt moderation through `ITR` (e1000_set_itr, e1000_update_itr).

use crate::re1000_main::{self as m, QVector, Re1000, Re1000Data};
use crate::regs::{self, Bar0};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::device::Bound;
use kernel::io::Io;
use kernel::net::dev::{Device, IrqHandler, IrqReturn, Rtnl};
use kernel::pci::{self, IrqType, IrqTypes, IrqVectorRegistration};
use kernel::prelude::*;

/// `ethtool -C rx-usecs` and the `itr` parameter, as C e1000's `InterruptThrottleRate`: 0 no
/// moderation, 1 adaptive, 3 adaptive without the lowest-latency step (the default), 4
/// "simplified" (set by the watchdog from the traffic); larger values are a fixed rate in
/// interrupts per second for the parameter, an interval in µs for `ethtool -C`.
pub(crate) const ITR_OFF: u32 = 0;
pub(crate) const ITR_DYNAMIC: u32 = 1;
pub(crate) const ITR_CONSERVATIVE: u32 = 3;
pub(crate) const ITR_SIMPLIFIED: u32 = 4;
/// Fixed rates the parameter accepts (C e1000's bounds), interrupts per second.
pub(crate) const MIN_ITR_RATE: u32 = 100;
pub(crate) const MAX_ITR_RATE: u32 = 100_000;
/// `ethtool -C rx-usecs` bounds for a fixed interval (`E1000_MIN_ITR_USECS`, `..._MAX_...`).
pub(crate) const MIN_ITR_USECS: u32 = 10;
pub(crate) const MAX_ITR_USECS: u32 = 10_000;
/// Rates of the adaptive steps (interrupts per second).
const RATE_LOWEST_LATENCY: u32 = 70_000;
const RATE_LOW_LATENCY: u32 = 20_000;
const RATE_BULK: u32 = 4_000;

/// How the device interrupts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IrqMode {
    /// The shared legacy line.
    Intx,
    Msi,
}

impl IrqMode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Intx => "INTx",
            Self::Msi => "MSI",
        }
    }
}

/// The interrupt vector as `int_mode` asks (0: INTx, as C e1000; 1: MSI, falling back to
/// INTx). `EINVAL` with a log line for another value.
pub(crate) fn alloc_vectors<'a>(
    pdev: &'a pci::Device<Bound>,
) -> Result<(IrqVectorRegistration<'a>, IrqMode)> {
    let mode = crate::module_parameters::int_mode.value();
    if mode > 1 {
        pr_err!("re1000: int_mode={} out of range 0..=1\n", mode);
        return Err(EINVAL);
    }
    let mut types = IrqTypes::default().with(IrqType::Intx);
    if mode == 1 {
        types = types.with(IrqType::Msi);
    }
    let vectors = pdev.alloc_irq_vectors(1, 1, types)?;
    let mode = match vectors.irq_type() {
        IrqType::MsiX | IrqType::Msi => IrqMode::Msi,
        IrqType::Intx => IrqMode::Intx,
    };
    Ok((vectors, mode))
}

/// Requests the handler (`<ifname>-q`), shared on the INTx line (e1000_request_irq).
pub(crate) fn request(dev: &Device<Re1000>, rtnl: &Rtnl) -> Result {
    let data = dev.data();
    let handler = dev.request_irq(0, "q", data.irq_mode == IrqMode::Intx)?;
    // The NAPI instance reports its interrupt (e1000_open's netif_napi_set_irq).
    if let Some(napi) = data.queue_napi() {
        napi.set_irq(rtnl, &handler);
    }
    *data.irq.lock() = Some(handler);
    Ok(())
}

/// Frees the handler; a running handler is waited for.
pub(crate) fn free(data: &Re1000Data) {
    *data.irq.lock() = None;
}

/// Unmasks the causes re1000 handles (e1000_irq_enable).
pub(crate) fn enable(bar: &Bar0<'_>) {
    bar.write_reg(regs::IMS::from_raw(regs::IMS_ENABLE));
}

impl IrqHandler for Re1000 {
    /// e1000_intr. `None` ("not mine") when `ICR` reads 0 — on the shared INTx line another
    /// device raised it — and when the device is unbound or found removed, so the IRQ core's
    /// spurious-interrupt accounting can shut a storm off.
    fn handle_irq(dev: &Device<Self>, _vector: u32) -> IrqReturn {
        let data = dev.data();
        let Some(bar) = data.bar.try_access() else {
            return IrqReturn::None;
        };
        if data.removed() {
            return IrqReturn::None;
        }
        // Reading ICR acknowledges (clears) the causes; all ones is a device that is gone.
        let Some(icr) = crate::hw::check_read(dev, &bar, bar.read(regs::ICR).into_raw()) else {
            return IrqReturn::None;
        };
        if icr == 0 {
            return IrqReturn::None;
        }
        data.test_icr.fetch_or(icr, Ordering::Relaxed);
        if !data.running.load(Ordering::Acquire) {
            // Ours, but the interface is going down (or the self-test raised it).
            return IrqReturn::Handled;
        }
        if icr & (regs::ICR_LSC | regs::ICR_RXSEQ) != 0 {
            // The carrier follows at once; the watchdog does the rest (speed, rate) now.
            m::update_link(dev, &bar);
            dev.queue_work(m::WORK_WATCHDOG, 0);
        }
        // Masked until the poll is done.
        bar.write_reg(regs::IMC::from_raw(u32::MAX));
        if let Some(qv) = data.queue_napi() {
            qv.schedule();
        }
        IrqReturn::Handled
    }
}

/// Traffic since the last update (touched by the poll only) and the adaptive state.
#[derive(Default)]
pub(crate) struct ItrState {
    rx_packets: AtomicU32,
    rx_bytes: AtomicU32,
    tx_packets: AtomicU32,
    tx_bytes: AtomicU32,
    /// Latency class of each direction (`LOWEST`, `LOW`, `BULK`).
    rx_class: AtomicU32,
    tx_class: AtomicU32,
    /// The rate in force, interrupts per second (0: none written yet).
    rate: AtomicU32,
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

/// Latency classes of e1000_update_itr.
const LOWEST: u32 = 0;
const LOW: u32 = 1;
const BULK: u32 = 2;

/// e1000_update_itr: the next latency class from the current one and the traffic.
fn next_class(class: u32, packets: u32, bytes: u32) -> u32 {
    if packets == 0 {
        return class;
    }
    let avg = bytes / packets;
    match class {
        LOWEST if avg > 8000 => BULK,
        LOWEST if packets < 5 && bytes > 512 => LOW,
        LOW if bytes > 10000 && (avg > 8000 || packets < 10 || avg > 1200) => BULK,
        LOW if bytes > 10000 && packets > 35 => LOWEST,
        LOW if bytes <= 10000 && avg > 2000 => BULK,
        LOW if bytes <= 10000 && packets <= 2 && bytes < 512 => LOWEST,
        BULK if bytes > 25000 && packets > 35 => LOW,
        BULK if bytes < 6000 => LOW,
        c => c,
    }
}

/// Adaptive moderation after a poll (e1000_set_itr): a class per direction from the traffic,
/// the busier one sets the rate, which rises in steps towards a higher target. Below gigabit
/// the rate stays at 4000/s, as C e1000.
pub(crate) fn update_itr(bar: &Bar0<'_>, data: &Re1000Data, qv: &QVector) {
    let setting = data.itr_setting.load(Ordering::Relaxed);
    if !data.mac.has_itr() || !(setting == ITR_DYNAMIC || setting == ITR_CONSERVATIVE) {
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
    let target = if data.link_mbps.load(Ordering::Relaxed) != 1000 {
        RATE_BULK
    } else {
        let floor = |c: u32| {
            if setting == ITR_CONSERVATIVE && c == LOWEST {
                LOW
            } else {
                c
            }
        };
        let tx = floor(next_class(it.tx_class.load(Ordering::Relaxed), tp, tb));
        let rx = floor(next_class(it.rx_class.load(Ordering::Relaxed), rp, rb));
        it.tx_class.store(tx, Ordering::Relaxed);
        it.rx_class.store(rx, Ordering::Relaxed);
        match tx.max(rx) {
            LOWEST => RATE_LOWEST_LATENCY,
            LOW => RATE_LOW_LATENCY,
            _ => RATE_BULK,
        }
    };
    let current = it.rate.load(Ordering::Relaxed);
    if target != current {
        // Towards a higher rate in quarter steps, biasing towards bulk.
        let new = if target > current {
            (current + (target >> 2)).min(target)
        } else {
            target
        };
        it.rate.store(new, Ordering::Relaxed);
        write_rate(bar, new);
    }
}

/// Writes a rate (interrupts per second) as `ITR`'s interval in 256 ns units; 0 turns
/// moderation off.
pub(crate) fn write_rate(bar: &Bar0<'_>, rate: u32) {
    let itr = 1_000_000_000u32
        .checked_div(rate.saturating_mul(256))
        .unwrap_or(0);
    bar.write_reg(regs::ITR::from_raw(itr));
}

/// The rate a moderation setting starts with (e1000_configure_rx): 20000/s for the adaptive
/// modes, the fixed rate otherwise.
pub(crate) fn initial_rate(setting: u32) -> u32 {
    match setting {
        ITR_OFF => 0,
        ITR_DYNAMIC | ITR_CONSERVATIVE | ITR_SIMPLIFIED => RATE_LOW_LATENCY,
        rate => rate,
    }
}

/// Applies the moderation setting (models with `ITR` only).
pub(crate) fn apply_itr(bar: &Bar0<'_>, data: &Re1000Data) {
    if !data.mac.has_itr() {
        return;
    }
    let rate = initial_rate(data.itr_setting.load(Ordering::Relaxed));
    if let Some(qv) = data.queue() {
        qv.itr.rate.store(rate, Ordering::Relaxed);
        qv.itr.rx_class.store(LOW, Ordering::Relaxed);
        qv.itr.tx_class.store(LOW, Ordering::Relaxed);
    }
    write_rate(bar, rate);
}

/// The watchdog's "simplified" mode (setting 4, e1000_watchdog): a rate from the share of
/// small frames in the bytes moved since the last run (`good` bytes over the two seconds, and
/// the difference between the directions).
pub(crate) fn simplified_update(bar: &Bar0<'_>, data: &Re1000Data, rx_bytes: u64, tx_bytes: u64) {
    if !data.mac.has_itr() || data.itr_setting.load(Ordering::Relaxed) != ITR_SIMPLIFIED {
        return;
    }
    let goc = (rx_bytes + tx_bytes) / 10000;
    let dif = rx_bytes.abs_diff(tx_bytes) / 10000;
    let rate = (dif * 6000)
        .checked_div(goc)
        .map_or(8000, |r| (r + 2000).min(u64::from(u32::MAX)) as u32);
    write_rate(bar, rate);
}
