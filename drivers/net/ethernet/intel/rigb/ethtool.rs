// SPDX-License-Identifier: GPL-2.0

//! rigb's ethtool operations (igb_ethtool.c's counterpart): statistics, channels, rings,
//! coalescing, register and NVM dumps, flow control and the self-tests.

use crate::e1000_common::selftest::{self, PatternTest, TESTS};
use crate::e1000_common::stats::XON_TX;
use crate::hw::{self, HW_STATS};
use crate::irq::{self, MAX_ITR_USECS};
use crate::regs::{self, offset, offset_at, Bar0};
use crate::rigb_main::{self as m, get, mmio, Rigb, MAX_QUEUES, MAX_RING, MIN_RING, RING_MULTIPLE};
use crate::rss;
use core::sync::atomic::Ordering;
use kernel::io::Io;
use kernel::net::dev::{Device, Rtnl};
use kernel::net::ethtool::{
    self, coalesce, sset, Channels, Coalesce, DrvInfo, LinkKsettings, PauseStats, Pauseparam,
    RingLimits, Ringparam, RxfhFields, RxfhGet, RxfhSet, Strings,
};
use kernel::prelude::*;

/// Per-queue counters of `ethtool -S`, as `rx_queue_<n>_<name>` / `tx_queue_<n>_<name>`.
const RX_QUEUE_STATS: [&str; 12] = [
    "packets",
    "bytes",
    "errors",
    "csum_err",
    "alloc_failed",
    "xdp_pass",
    "xdp_drop",
    "xdp_tx",
    "xdp_tx_errors",
    "xdp_redirect",
    "xdp_redirect_errors",
    "xdp_aborted",
];
const TX_QUEUE_STATS: [&str; 9] = [
    "packets",
    "bytes",
    "dropped",
    "busy",
    "restart",
    "tso",
    "csum",
    "xdp_xmit",
    "xdp_xmit_errors",
];
/// Driver counters.
const DRIVER_STATS: [&str; 2] = ["tx_timeout_count", "reset_count"];

/// NVM size of the 82576 in 16-bit words (QEMU's model has the full 1024).
const NVM_WORDS: u32 = 1024;
/// Version of the register dump layout (see Documentation/rigb.rst).
const REGS_VERSION: u32 = 1;

/// The registers `ethtool -d` dumps, in order, as offsets. Clear-on-read registers (causes,
/// statistics) are left out: reading them would lose events.
fn for_each_dump_reg(mut f: impl FnMut(usize)) {
    for r in [
        offset::<regs::CTRL>(),
        offset::<regs::STATUS>(),
        offset::<regs::CTRL_EXT>(),
        offset::<regs::RCTL>(),
        offset::<regs::TCTL>(),
        offset::<regs::RXCSUM>(),
        offset::<regs::RLPML>(),
        offset::<regs::MRQC>(),
        offset::<regs::GPIE>(),
        offset::<regs::EIMS>(),
        offset::<regs::IMS>(),
        offset::<regs::IVAR_MISC>(),
        offset::<regs::FCRTL>(),
        offset::<regs::FCRTH>(),
        offset::<regs::FCTTV>(),
    ] {
        f(r);
    }
    for q in 0..8 {
        f(offset_at::<regs::IVAR0>(q));
    }
    for v in 0..=MAX_QUEUES as usize {
        f(offset_at::<regs::EITR>(v));
    }
    for q in 0..MAX_QUEUES as usize {
        for r in [
            offset_at::<regs::RDBAL>(q),
            offset_at::<regs::RDBAH>(q),
            offset_at::<regs::RDLEN>(q),
            offset_at::<regs::SRRCTL>(q),
            offset_at::<regs::RDH>(q),
            offset_at::<regs::RDT>(q),
            offset_at::<regs::RXDCTL>(q),
            offset_at::<regs::TDBAL>(q),
            offset_at::<regs::TDBAH>(q),
            offset_at::<regs::TDLEN>(q),
            offset_at::<regs::TDH>(q),
            offset_at::<regs::TDT>(q),
            offset_at::<regs::TXDCTL>(q),
        ] {
            f(r);
        }
    }
    for i in 0..regs::RAR_ENTRIES {
        f(offset_at::<regs::RAL>(i));
        f(offset_at::<regs::RAH>(i));
    }
    for i in 0..regs::RETA_REGS {
        f(offset_at::<regs::RETA>(i));
    }
    for i in 0..regs::RSS_KEY_LEN / 4 {
        f(offset_at::<regs::RSSRK>(i));
    }
    for i in 0..regs::MTA_ENTRIES {
        f(offset_at::<regs::MTA>(i));
    }
}

fn dump_len() -> usize {
    let mut n = 0;
    for_each_dump_reg(|_| n += 1);
    n * 4
}

/// igb's register test, for the registers rigb programs: the ring registers of every queue
/// and the address registers.
fn test_registers(dev: &Device<Rigb>, bar: &Bar0<'_>) -> bool {
    let queues = (0..MAX_QUEUES as usize).flat_map(|q| -> [PatternTest; 7] {
        [
            (offset_at::<regs::RDBAL>(q), 0xFFFF_FF80),
            (offset_at::<regs::RDBAH>(q), 0xFFFF_FFFF),
            (offset_at::<regs::RDLEN>(q), 0x000F_FF80),
            (offset_at::<regs::RDT>(q), 0x0000_FFFF),
            (offset_at::<regs::TDBAL>(q), 0xFFFF_FF80),
            (offset_at::<regs::TDBAH>(q), 0xFFFF_FFFF),
            (offset_at::<regs::TDLEN>(q), 0x000F_FF80),
        ]
    });
    let addresses = (1..regs::RAR_ENTRIES).flat_map(|i| -> [PatternTest; 2] {
        [
            (offset_at::<regs::RAL>(i), 0xFFFF_FFFF),
            (offset_at::<regs::RAH>(i), 0x8003_FFFF),
        ]
    });
    // The queues', flow control's and addresses' registers, in that order, all tested.
    let mut ok = selftest::reg_pattern_tests(dev, bar, queues);
    ok &= selftest::reg_pattern_test(dev, bar, offset::<regs::FCTTV>(), 0x0000_FFFF);
    ok &= selftest::reg_pattern_tests(dev, bar, addresses);
    if !ok {
        pr_err!("{}: register test failed\n", dev.name());
    }
    ok
}

/// The NVM checksum: words 0..0x3F sum to 0xBABA.
fn test_nvm(dev: &Device<Rigb>, bar: &Bar0<'_>) -> bool {
    let mut words = [0u16; regs::NVM_CHECKSUM_WORDS];
    let read = (0u32..)
        .zip(words.iter_mut())
        .try_for_each(|(w, word)| hw::nvm_read(bar, w).map(|v| *word = v));
    let sum = read.map(|()| hw::nvm_sum(&words));
    selftest::check_nvm_sum(dev, "NVM", sum)
}

/// Raises a link-change cause with ICS and checks the interrupt handler saw it (on the
/// "other" MSI-X vector, or the one MSI/INTx vector).
fn test_interrupt(dev: &Device<Rigb>, rtnl: &Rtnl, bar: &Bar0<'_>) -> bool {
    let data = dev.data();
    if irq::configure(bar, data, 1).is_err() || irq::request(dev, rtnl, 0).is_err() {
        return false;
    }
    if data.msix() {
        bar.write_reg(regs::EIMS::from_raw(1));
    }
    let seen = selftest::raise_link_change(dev, bar, &data.test_icr);
    hw::irq_disable(bar);
    hw::flush(bar);
    irq::free(data);
    seen
}

/// MAC loopback: brings one queue pair up with RCTL.LBM set, sends frames to ourselves and
/// counts the intact ones that come back.
fn test_loopback(dev: &Device<Rigb>, rtnl: &Rtnl) -> bool {
    const FRAMES: u32 = 32;
    let data = dev.data();
    let queues = data.num_queues.load(Ordering::Relaxed);
    data.num_queues.store(1, Ordering::Relaxed);
    data.loopback.store(true, Ordering::Relaxed);
    data.loopback_ok.store(0, Ordering::Relaxed);
    let ok = m::up(dev, rtnl).is_ok();
    let ok = ok && {
        // A frame the ring has no room for is dropped (and missing from the count).
        let ok = ethtool::loopback_run(dev, FRAMES, &data.loopback_ok, |skb| {
            let _ = crate::tx::xmit(crate::tx::Frame::Own(skb), dev);
        });
        m::down(dev, rtnl);
        ok
    };
    data.loopback.store(false, Ordering::Relaxed);
    data.num_queues.store(queues, Ordering::Relaxed);
    ok
}

/// The ring sizes `ethtool -G` may set: within limits and a multiple of 8.
const RING_LIMITS: RingLimits = RingLimits {
    min: MIN_RING,
    max: MAX_RING,
    multiple: RING_MULTIPLE,
};

#[vtable]
impl ethtool::Operations for Rigb {
    fn get_drvinfo(dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c"rigb")
            .set_version(c"0.2")
            .set_bus_info(&dev.data().pci_name);
    }

    fn get_link_ksettings(dev: &Device<Self>, ks: &mut LinkKsettings) -> Result {
        let bar = mmio(dev)?;
        if let Some((speed, full)) = hw::link_speed(bar) {
            ks.set_speed(speed.mbps()).set_full_duplex(full);
        }
        let forced = bar.read(regs::CTRL).frcspd();
        ks.set_port_tp().set_autoneg(!forced);
        crate::e1000_common::hw::report_link_modes(bar, ks, !forced)
    }

    fn set_link_ksettings(dev: &Device<Self>, _rtnl: &Rtnl, ks: &LinkKsettings) -> Result {
        let bar = mmio(dev)?;
        hw::set_link(bar, crate::e1000_common::hw::requested_link(dev, ks)?)
    }

    fn get_sset_count(dev: &Device<Self>, set: u32) -> Result<u32> {
        let n = dev.data().queues().len() as u32;
        match set {
            sset::STATS => Ok((HW_STATS.len()
                + DRIVER_STATS.len()
                + n as usize * (RX_QUEUE_STATS.len() + TX_QUEUE_STATS.len()))
                as u32),
            sset::TEST => Ok(TESTS.len() as u32),
            _ => Err(EOPNOTSUPP),
        }
    }

    fn get_strings(dev: &Device<Self>, set: u32, out: &mut Strings<'_>) {
        match set {
            sset::STATS => {
                for (name, _, _) in HW_STATS {
                    out.push(name);
                }
                for name in DRIVER_STATS {
                    out.push(name);
                }
                for q in 0..dev.data().queues().len() {
                    for name in RX_QUEUE_STATS {
                        out.push_fmt(format_args!("rx_queue_{q}_{name}"));
                    }
                    for name in TX_QUEUE_STATS {
                        out.push_fmt(format_args!("tx_queue_{q}_{name}"));
                    }
                }
            }
            sset::TEST => {
                for name in TESTS {
                    out.push(name);
                }
            }
            _ => {}
        }
    }

    fn get_ethtool_stats(dev: &Device<Self>, out: &mut [u64]) {
        let data = dev.data();
        if let Ok(bar) = mmio(dev) {
            data.update_hw_stats(bar);
        }
        // Straight into the core's buffer (sized by `get_sset_count`); extra values are ignored.
        let mut slots = out.iter_mut();
        let mut push = |v: u64| {
            if let Some(slot) = slots.next() {
                *slot = v;
            }
        };
        for s in &data.hw_stats {
            push(get(s));
        }
        push(get(&data.tx_timeouts));
        push(get(&data.resets));
        for qv in data.queues() {
            let s = &qv.poller().stats;
            for v in [
                &s.rx_packets,
                &s.rx_bytes,
                &s.rx_errors,
                &s.rx_csum_err,
                &s.rx_alloc_failed,
                &s.xdp_pass,
                &s.xdp_drop,
                &s.xdp_tx,
                &s.xdp_tx_errors,
                &s.xdp_redirect,
                &s.xdp_redirect_errors,
                &s.xdp_aborted,
            ] {
                push(get(v));
            }
            for v in [
                &s.tx_packets,
                &s.tx_bytes,
                &s.tx_dropped,
                &s.tx_busy,
                &s.tx_restart,
                &s.tx_tso,
                &s.tx_csum,
                &s.xdp_xmit,
                &s.xdp_xmit_errors,
            ] {
                push(get(v));
            }
        }
    }

    fn get_channels(dev: &Device<Self>, ch: &mut Channels) {
        let data = dev.data();
        ch.set_max(0, 0, data.max_queues)
            .set_count(0, 0, data.num_queues.load(Ordering::Relaxed));
    }

    fn set_channels(dev: &Device<Self>, rtnl: &Rtnl, ch: &Channels) -> Result {
        let data = dev.data();
        let n = ch.combined_count();
        if ch.rx_count() != 0 || ch.tx_count() != 0 || ch.other_count() != 0 {
            pr_err!("{}: only combined channels are supported\n", dev.name());
            return Err(EINVAL);
        }
        if n == 0 || n > data.max_queues {
            pr_err!(
                "{}: {} channels invalid: 1..={}\n",
                dev.name(),
                n,
                data.max_queues
            );
            return Err(EINVAL);
        }
        let old = data.num_queues.load(Ordering::Relaxed);
        m::reconfigure(
            dev,
            rtnl,
            |d| d.num_queues.store(n, Ordering::Relaxed),
            |d| d.num_queues.store(old, Ordering::Relaxed),
        )
    }

    const RXFH_INDIR_SIZE: u32 = rss::RETA_ENTRIES as u32;
    const RXFH_KEY_SIZE: u32 = regs::RSS_KEY_LEN as u32;

    fn get_rx_ring_count(dev: &Device<Self>) -> u32 {
        dev.data().num_queues.load(Ordering::Relaxed)
    }

    fn get_rxfh(dev: &Device<Self>, rxfh: &mut RxfhGet<'_>) -> Result {
        rss::get_rxfh(dev, rxfh)
    }

    fn set_rxfh(dev: &Device<Self>, _rtnl: &Rtnl, rxfh: &RxfhSet<'_>) -> Result {
        rss::set_rxfh(dev, rxfh)
    }

    fn get_rxfh_fields(dev: &Device<Self>, fields: &mut RxfhFields) -> Result {
        rss::get_rxfh_fields(dev, fields)
    }

    fn set_rxfh_fields(dev: &Device<Self>, _rtnl: &Rtnl, fields: &RxfhFields) -> Result {
        rss::set_rxfh_fields(dev, fields)
    }

    fn get_ringparam(dev: &Device<Self>, ring: &mut Ringparam) {
        let data = dev.data();
        ring.set_max(MAX_RING, MAX_RING).set_pending(
            data.rx_ring_size.load(Ordering::Relaxed),
            data.tx_ring_size.load(Ordering::Relaxed),
        );
    }

    fn set_ringparam(dev: &Device<Self>, rtnl: &Rtnl, ring: &Ringparam) -> Result {
        let data = dev.data();
        let (rx, tx) = (ring.rx_pending(), ring.tx_pending());
        RING_LIMITS.check(dev, "rx", rx)?;
        RING_LIMITS.check(dev, "tx", tx)?;
        let (old_rx, old_tx) = (
            data.rx_ring_size.load(Ordering::Relaxed),
            data.tx_ring_size.load(Ordering::Relaxed),
        );
        if (rx, tx) == (old_rx, old_tx) {
            return Ok(());
        }
        m::reconfigure(
            dev,
            rtnl,
            |d| {
                d.rx_ring_size.store(rx, Ordering::Relaxed);
                d.tx_ring_size.store(tx, Ordering::Relaxed);
            },
            |d| {
                d.rx_ring_size.store(old_rx, Ordering::Relaxed);
                d.tx_ring_size.store(old_tx, Ordering::Relaxed);
            },
        )
    }

    const SUPPORTED_COALESCE_PARAMS: u32 = coalesce::RX_USECS;

    fn get_coalesce(dev: &Device<Self>, c: &mut Coalesce) -> Result {
        c.set_rx_usecs(dev.data().itr_usecs.load(Ordering::Relaxed));
        Ok(())
    }

    fn set_coalesce(dev: &Device<Self>, _rtnl: &Rtnl, c: &Coalesce) -> Result {
        let data = dev.data();
        let usecs = c.rx_usecs();
        if usecs > MAX_ITR_USECS {
            pr_err!(
                "{}: rx-usecs {} out of range 0..={}\n",
                dev.name(),
                usecs,
                MAX_ITR_USECS
            );
            return Err(EINVAL);
        }
        data.itr_usecs.store(usecs, Ordering::Relaxed);
        if data.running.load(Ordering::Acquire) {
            irq::apply_itr(mmio(dev)?, data, dev.real_num_rx_queues());
        }
        Ok(())
    }

    fn get_regs_len(_dev: &Device<Self>) -> usize {
        dump_len()
    }

    fn get_regs(dev: &Device<Self>, buf: &mut [u8]) -> u32 {
        let Ok(bar) = mmio(dev) else {
            return REGS_VERSION;
        };
        let mut chunks = buf.chunks_exact_mut(4);
        for_each_dump_reg(|r| {
            if let Some(c) = chunks.next() {
                c.copy_from_slice(&regs::read_offset(bar, r).to_le_bytes());
            }
        });
        REGS_VERSION
    }

    fn get_eeprom_len(_dev: &Device<Self>) -> u32 {
        NVM_WORDS * 2
    }

    fn get_eeprom(dev: &Device<Self>, offset: u32, buf: &mut [u8]) -> Result<u32> {
        let data = dev.data();
        let bar = mmio(dev)?;
        for (i, b) in buf.iter_mut().enumerate() {
            let byte = offset + i as u32;
            if byte >= NVM_WORDS * 2 {
                return Err(EINVAL);
            }
            let word = hw::nvm_read(bar, byte / 2)?;
            *b = word.to_le_bytes()[(byte % 2) as usize];
        }
        Ok(0x8086 | (u32::from(data.device_id) << 16))
    }

    fn self_test(dev: &Device<Self>, rtnl: &Rtnl, offline: bool, results: &mut [u64]) -> bool {
        let mut passed = selftest::Results::new();
        let Ok(bar) = mmio(dev) else {
            passed.fail_all();
            return passed.report(results);
        };
        // The link test first: the offline tests take the interface down.
        passed.set(selftest::TEST_LINK, selftest::test_link(dev, bar));
        if offline {
            let ((), restored) = ethtool::run_offline(dev, rtnl, m::down, m::up, || {
                passed.set(selftest::TEST_REGISTERS, test_registers(dev, bar));
                passed.set(selftest::TEST_NVM, test_nvm(dev, bar));
                passed.set(selftest::TEST_INTERRUPT, test_interrupt(dev, rtnl, bar));
                passed.set(selftest::TEST_LOOPBACK, test_loopback(dev, rtnl));
            });
            passed.set(selftest::TEST_REGISTERS, restored);
        }
        passed.report(results)
    }

    fn get_pauseparam(dev: &Device<Self>, p: &mut Pauseparam) {
        let (rx, tx) = mmio(dev).map_or((false, false), hw::pause);
        p.set(true, rx, tx);
    }

    fn set_pauseparam(dev: &Device<Self>, _rtnl: &Rtnl, p: &Pauseparam) -> Result {
        if !p.autoneg() {
            pr_err!("{}: pause settings are always autonegotiated\n", dev.name());
            return Err(EINVAL);
        }
        hw::set_pause(mmio(dev)?, p.rx(), p.tx());
        Ok(())
    }

    fn get_pause_stats(dev: &Device<Self>, stats: &mut PauseStats) {
        let data = dev.data();
        if let Ok(bar) = mmio(dev) {
            data.update_hw_stats(bar);
        }
        let h = |i: usize| get(&data.hw_stats[i]);
        // XON and XOFF frames, sent and received.
        stats.set(h(XON_TX) + h(XON_TX + 2), h(XON_TX + 1) + h(XON_TX + 3));
    }
}
