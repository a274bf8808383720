// SPDX-License-Identifier: GPL-2.0

//! re1000's ethtool operations (e1000_ethtool.c's counterpart): link settings, statistics,
//! rings, coalescing, register and EEPROM dumps, flow control and the self-tests.
//!
//! The register self-test tests what QEMU's models implement. C e1000's test starts with the
//! flow-control registers, which QEMU's model does not implement: C e1000 fails its own test on
//! every QEMU model. See `test_registers` and Documentation/re1000.rst.

use crate::e1000_common::selftest::{self, TESTS};
use crate::e1000_common::stats::XON_TX;
use crate::hw::{self, HW_STATS};
use crate::irq::{self, ITR_CONSERVATIVE, ITR_OFF, ITR_SIMPLIFIED, MAX_ITR_USECS, MIN_ITR_USECS};
use crate::re1000_main::{self as m, get, mmio, Re1000, MAX_RING, MIN_RING, RING_MULTIPLE};
use crate::regs::{self, offset, offset_at, Bar0, Speed};
use core::sync::atomic::Ordering;
use kernel::io::Io;
use kernel::net::dev::{Device, Rtnl};
use kernel::net::ethtool::{
    self, coalesce, sset, Coalesce, DrvInfo, LinkKsettings, PauseStats, Pauseparam, RingLimits,
    Ringparam, Strings,
};
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

/// Software counters of `ethtool -S`, after the hardware ones.
const SW_STATS: [&str; 15] = [
    "rx_queue_0_packets",
    "rx_queue_0_bytes",
    "rx_queue_0_errors",
    "rx_queue_0_long",
    "rx_queue_0_csum_err",
    "rx_queue_0_alloc_failed",
    "tx_queue_0_packets",
    "tx_queue_0_bytes",
    "tx_queue_0_dropped",
    "tx_queue_0_busy",
    "tx_queue_0_restart",
    "tx_queue_0_tso",
    "tx_queue_0_csum",
    "tx_timeout_count",
    "reset_count",
];

/// Version of the register dump layout (see Documentation/re1000.rst).
const REGS_VERSION: u32 = 1;

/// The registers `ethtool -d` dumps, in order, as offsets. Clear-on-read registers (causes,
/// statistics) are left out: reading them would lose events.
fn for_each_dump_reg(mut f: impl FnMut(usize)) {
    for r in [
        offset::<regs::CTRL>(),
        offset::<regs::STATUS>(),
        offset::<regs::EECD>(),
        offset::<regs::CTRL_EXT>(),
        offset::<regs::IMS>(),
        offset::<regs::ITR>(),
        offset::<regs::RCTL>(),
        offset::<regs::TCTL>(),
        offset::<regs::TIPG>(),
        offset::<regs::PBA>(),
        offset::<regs::FCRTL>(),
        offset::<regs::FCRTH>(),
        offset::<regs::FCTTV>(),
        offset::<regs::RDBAL>(),
        offset::<regs::RDBAH>(),
        offset::<regs::RDLEN>(),
        offset::<regs::RDH>(),
        offset::<regs::RDT>(),
        offset::<regs::RDTR>(),
        offset::<regs::RADV>(),
        offset::<regs::TDBAL>(),
        offset::<regs::TDBAH>(),
        offset::<regs::TDLEN>(),
        offset::<regs::TDH>(),
        offset::<regs::TDT>(),
        offset::<regs::TIDV>(),
        offset::<regs::TADV>(),
        offset::<regs::RXCSUM>(),
    ] {
        f(r);
    }
    for i in 0..regs::RAR_ENTRIES {
        f(offset_at::<regs::RAL>(i));
        f(offset_at::<regs::RAH>(i));
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

/// e1000_reg_test for the registers QEMU's 8254x models implement: `STATUS` is read-only; the
/// VLAN type, ring, timer, control and address registers hold what is written.
///
/// C e1000's list also has the flow-control registers (`FCAL`, `FCAH`, `FCT`, `FCRTH`,
/// `FCTTV`), the inter-packet gap (`TIPG`), the fiber/SerDes configuration word (`TXCW`) and the
/// transmit delay (`TIDV`). QEMU's model implements none of them (writes are ignored, reads
/// return 0: its register tables in hw/net/e1000.c, QEMU 10.0), so C e1000's test fails on
/// QEMU at `FCAL`, its first register. A VM's NIC has no pause frames, no wire timing and no
/// SerDes, and only the absolute transmit delay (`TADV`) is emulated: re1000 tests what the
/// model has, and the three timers only where the model has them (82540 and later).
fn test_registers(dev: &Device<Re1000>, bar: &Bar0<'_>) -> bool {
    let status_off = offset::<regs::STATUS>();
    let toggle = 0xFFFF_F833;
    let before = regs::read_offset(bar, status_off);
    regs::write_offset(bar, status_off, toggle);
    let after = regs::read_offset(bar, status_off);
    regs::write_offset(bar, status_off, before);
    let mut ok = before & toggle == after & toggle;
    if !ok {
        pr_err!("{}: register test: STATUS is writable\n", dev.name());
    }
    ok &= selftest::reg_pattern_tests(
        dev,
        bar,
        [
            (offset::<regs::VET>(), 0x0000_FFFF),
            (offset::<regs::RDTR>(), 0x0000_FFFF),
            (offset::<regs::RDBAH>(), 0xFFFF_FFFF),
            (offset::<regs::RDLEN>(), 0x000F_FF80),
            (offset::<regs::RDH>(), 0x0000_FFFF),
            (offset::<regs::RDT>(), 0x0000_FFFF),
            (offset::<regs::TDBAH>(), 0xFFFF_FFFF),
            (offset::<regs::TDLEN>(), 0x000F_FF80),
            (offset::<regs::RDBAL>(), 0xFFFF_FFF0),
            (offset::<regs::TDBAL>(), 0xFFFF_FFF0),
        ],
    );
    if dev.data().mac.has_itr() {
        ok &= selftest::reg_pattern_tests(
            dev,
            bar,
            [
                (offset::<regs::RADV>(), 0x0000_FFFF),
                (offset::<regs::TADV>(), 0x0000_FFFF),
                (offset::<regs::ITR>(), 0x0000_FFFF),
            ],
        );
    }
    // RCTL and TCTL take what is written; the receiver stays off (EN clear) so the device
    // does not start receiving into a ring that is not there.
    let rctl = offset::<regs::RCTL>();
    ok &= selftest::reg_set_and_check(dev, bar, rctl, 0xFFFF_FFFF, 0);
    ok &= selftest::reg_set_and_check(dev, bar, rctl, 0x003F_FFF9, 0x06DF_B3FC);
    ok &= selftest::reg_set_and_check(dev, bar, offset::<regs::TCTL>(), 0xFFFF_FFFF, 0);
    regs::write_offset(bar, rctl, 0);
    ok &= selftest::reg_pattern_tests(
        dev,
        bar,
        (0..regs::RAR_ENTRIES).map(|i| (offset_at::<regs::RAH>(i), 0x8003_FFFF)),
    );
    ok &= selftest::reg_pattern_tests(
        dev,
        bar,
        (0..regs::MTA_ENTRIES).map(|i| (offset_at::<regs::MTA>(i), 0xFFFF_FFFF)),
    );
    ok
}

/// The EEPROM checksum: words 0..0x3F sum to 0xBABA.
fn test_eeprom(dev: &Device<Re1000>, bar: &Bar0<'_>) -> bool {
    selftest::check_nvm_sum(dev, "EEPROM", hw::eeprom_checksum(bar, dev.data().mac))
}

/// Raises a link-change cause with ICS and checks the handler saw it (e1000_intr_test, for the
/// cause that matters most).
fn test_interrupt(dev: &Device<Re1000>, rtnl: &Rtnl, bar: &Bar0<'_>) -> bool {
    let data = dev.data();
    if irq::request(dev, rtnl).is_err() {
        pr_err!(
            "{}: interrupt test: cannot request the interrupt\n",
            dev.name()
        );
        return false;
    }
    let seen = selftest::raise_link_change(dev, bar, &data.test_icr);
    hw::irq_disable(bar);
    hw::flush(bar);
    irq::free(data);
    seen
}

/// PHY loopback (e1000_integrated_phy_loopback): the PHY loops frames back at 1000 Mb/s full
/// duplex, forced in the MAC too. QEMU's model loops a frame back when `BMCR.LOOPBACK` is set.
fn set_phy_loopback(bar: &Bar0<'_>) -> Result {
    const BMCR_LOOPBACK: u16 = 0x4000;
    hw::phy_write(
        bar,
        regs::PHY_BMCR,
        BMCR_LOOPBACK | regs::BMCR_SPEED1000 | regs::BMCR_FULLDPLX,
    )?;
    bar.update(regs::CTRL, |c| {
        c.with_frcspd(true)
            .with_frcdpx(true)
            .with_slu(true)
            .with_speed(Speed::Mbps1000)
            .with_fd(true)
    });
    Ok(())
}

/// Loopback: brings the interface up with the PHY looping back, sends frames to ourselves and
/// counts the intact ones that come back. The MAC only receives with the link up, so it first
/// waits for the autonegotiation the reset before it started.
fn test_loopback(dev: &Device<Re1000>, rtnl: &Rtnl, bar: &Bar0<'_>) -> bool {
    const FRAMES: u32 = 32;
    let data = dev.data();
    data.loopback.store(true, Ordering::Relaxed);
    data.loopback_ok.store(0, Ordering::Relaxed);
    let mut ok = m::up(dev, rtnl).is_ok() && set_phy_loopback(bar).is_ok();
    let mut waited = 0;
    while ok && !hw::link_up(bar) && waited < 4000 {
        fsleep(Delta::from_millis(20));
        waited += 20;
    }
    // QEMU's model holds receive for a second after every RCTL write (its flush-queue timer)
    // and drops what its PHY loops back meanwhile; a real PHY needs time to settle into
    // loopback too.
    fsleep(Delta::from_millis(1100));
    if ok {
        ok = ethtool::loopback_run(dev, FRAMES, &data.loopback_ok, |skb| {
            let _ = crate::tx::xmit(crate::tx::Frame::Own(skb), dev);
        });
    }
    if dev.data().running.load(Ordering::Acquire) {
        m::down(dev, rtnl);
    }
    data.loopback.store(false, Ordering::Relaxed);
    ok
}

/// The ring sizes `ethtool -G` may set: within C e1000's limits for the 82544 and later, and a
/// multiple of 8 (C e1000 rounds; re1000 refuses what it would not apply as asked).
const RING_LIMITS: RingLimits = RingLimits {
    min: MIN_RING,
    max: MAX_RING,
    multiple: RING_MULTIPLE,
};

#[vtable]
impl ethtool::Operations for Re1000 {
    fn get_drvinfo(dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c"re1000")
            .set_version(c"0.1")
            .set_bus_info(&dev.data().pci_name);
    }

    fn get_link_ksettings(dev: &Device<Self>, ks: &mut LinkKsettings) -> Result {
        let bar = mmio(dev)?;
        if let Some((speed, full)) = hw::link_speed(bar) {
            ks.set_speed(speed.mbps()).set_full_duplex(full);
        }
        let forced = hw::link_forced(bar);
        ks.set_port_tp().set_autoneg(!forced);
        crate::e1000_common::hw::report_link_modes(bar, ks, !forced)
    }

    /// e1000_set_link_ksettings / e1000_set_spd_dplx: autonegotiation, or 10/100 forced in
    /// either duplex, 1000 full; 1000 half is refused as C e1000 refuses it.
    fn set_link_ksettings(dev: &Device<Self>, _rtnl: &Rtnl, ks: &LinkKsettings) -> Result {
        let bar = mmio(dev)?;
        hw::set_link(bar, crate::e1000_common::hw::requested_link(dev, ks)?)
    }

    /// `ethtool -r`: restarts autonegotiation; refused while the link is forced.
    fn nway_reset(dev: &Device<Self>, _rtnl: &Rtnl) -> Result {
        let bar = mmio(dev)?;
        if hw::link_forced(bar) {
            pr_err!(
                "{}: cannot restart autonegotiation: speed and duplex are forced\n",
                dev.name()
            );
            return Err(EINVAL);
        }
        hw::restart_autoneg(bar)
    }

    fn get_link(dev: &Device<Self>) -> bool {
        dev.carrier_ok()
    }

    fn get_sset_count(_dev: &Device<Self>, set: u32) -> Result<u32> {
        match set {
            sset::STATS => Ok((HW_STATS.len() + SW_STATS.len()) as u32),
            sset::TEST => Ok(TESTS.len() as u32),
            _ => Err(EOPNOTSUPP),
        }
    }

    fn get_strings(_dev: &Device<Self>, set: u32, out: &mut Strings<'_>) {
        match set {
            sset::STATS => {
                for (name, _, _) in HW_STATS {
                    out.push(name);
                }
                for name in SW_STATS {
                    out.push(name);
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
        let mut slots = out.iter_mut();
        let mut push = |v: u64| {
            if let Some(slot) = slots.next() {
                *slot = v;
            }
        };
        for s in &data.hw_stats {
            push(get(s));
        }
        if let Some(qv) = data.queue() {
            let s = &qv.stats;
            for v in [
                &s.rx_packets,
                &s.rx_bytes,
                &s.rx_errors,
                &s.rx_long,
                &s.rx_csum_err,
                &s.rx_alloc_failed,
                &s.tx_packets,
                &s.tx_bytes,
                &s.tx_dropped,
                &s.tx_busy,
                &s.tx_restart,
                &s.tx_tso,
                &s.tx_csum,
            ] {
                push(get(v));
            }
        }
        push(get(&data.tx_timeouts));
        push(get(&data.resets));
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

    /// e1000_get_coalesce: the mode (0..=4) as is, a fixed rate as its interval in µs.
    fn get_coalesce(dev: &Device<Self>, c: &mut Coalesce) -> Result {
        let setting = dev.data().itr_setting.load(Ordering::Relaxed);
        let usecs = if setting <= ITR_SIMPLIFIED {
            setting
        } else {
            1_000_000 / setting
        };
        c.set_rx_usecs(usecs);
        Ok(())
    }

    /// e1000_set_coalesce: 0, 1, 3, 4 select a mode, 10..=10000 µs a fixed interval; 2 and
    /// 5..=9 are refused (C e1000's rule). The 82544 has no `ITR`.
    fn set_coalesce(dev: &Device<Self>, _rtnl: &Rtnl, c: &Coalesce) -> Result {
        let data = dev.data();
        let usecs = c.rx_usecs();
        if !data.mac.has_itr() {
            pr_err!(
                "{}: the {} has no interrupt throttling\n",
                dev.name(),
                data.mac.name()
            );
            return Err(EOPNOTSUPP);
        }
        let valid = usecs == ITR_OFF
            || usecs == 1
            || usecs == ITR_CONSERVATIVE
            || usecs == ITR_SIMPLIFIED
            || (MIN_ITR_USECS..=MAX_ITR_USECS).contains(&usecs);
        if !valid {
            pr_err!(
                "{}: rx-usecs {} invalid: 0, 1, 3, 4 or {}..={}\n",
                dev.name(),
                usecs,
                MIN_ITR_USECS,
                MAX_ITR_USECS
            );
            return Err(EINVAL);
        }
        let setting = if usecs <= ITR_SIMPLIFIED {
            usecs
        } else {
            1_000_000 / usecs
        };
        data.itr_setting.store(setting, Ordering::Relaxed);
        if data.running.load(Ordering::Acquire) {
            irq::apply_itr(mmio(dev)?, data);
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

    fn get_eeprom_len(dev: &Device<Self>) -> u32 {
        let words = mmio(dev).map_or(64, |bar| hw::eeprom_words(bar, dev.data().mac).0);
        words * 2
    }

    /// The EEPROM bytes `offset..offset + buf.len()`, read word by word (little endian, as C
    /// e1000 returns them); the magic is the vendor and device ID.
    fn get_eeprom(dev: &Device<Self>, offset: u32, buf: &mut [u8]) -> Result<u32> {
        let data = dev.data();
        let bar = mmio(dev)?;
        let len = u32::try_from(buf.len()).map_err(|_| EINVAL)?;
        if len > 0 {
            let first = offset / 2;
            let last = (offset + len - 1) / 2;
            let mut words = KVec::with_capacity((last - first + 1) as usize, GFP_KERNEL)?;
            for _ in first..=last {
                words.push(0u16, GFP_KERNEL)?;
            }
            hw::eeprom_read(bar, data.mac, first, &mut words)?;
            for (i, b) in buf.iter_mut().enumerate() {
                let byte = offset + i as u32;
                let word = words.get((byte / 2 - first) as usize).copied().unwrap_or(0);
                *b = word.to_le_bytes()[(byte % 2) as usize];
            }
        }
        Ok(0x8086 | (u32::from(data.device_id) << 16))
    }

    /// e1000_diag_test: the link test online; offline also the register, EEPROM, interrupt and
    /// loopback tests with the interface down, then a reset and the interface back up.
    fn self_test(dev: &Device<Self>, rtnl: &Rtnl, offline: bool, results: &mut [u64]) -> bool {
        let mut passed = selftest::Results::new();
        let Ok(bar) = mmio(dev) else {
            passed.fail_all();
            return passed.report(results);
        };
        passed.set(selftest::TEST_LINK, selftest::test_link(dev, bar));
        if offline {
            let mac = dev.data().mac;
            let ((), restored) = ethtool::run_offline(dev, rtnl, m::down, m::up, || {
                passed.set(selftest::TEST_REGISTERS, test_registers(dev, bar));
                // The register test leaves patterns behind.
                hw::reset(bar, mac);
                passed.set(selftest::TEST_NVM, test_eeprom(dev, bar));
                passed.set(selftest::TEST_INTERRUPT, test_interrupt(dev, rtnl, bar));
                passed.set(selftest::TEST_LOOPBACK, test_loopback(dev, rtnl, bar));
                hw::reset(bar, mac);
            });
            passed.set(selftest::TEST_REGISTERS, restored);
        }
        passed.report(results)
    }

    fn get_pauseparam(dev: &Device<Self>, p: &mut Pauseparam) {
        let (rx, tx) = mmio(dev).map_or((false, false), hw::pause);
        p.set(false, rx, tx);
    }

    fn set_pauseparam(dev: &Device<Self>, _rtnl: &Rtnl, p: &Pauseparam) -> Result {
        if p.autoneg() {
            pr_err!(
                "{}: pause autonegotiation is not supported; set rx/tx explicitly\n",
                dev.name()
            );
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
        stats.set(h(XON_TX) + h(XON_TX + 2), h(XON_TX + 1) + h(XON_TX + 3));
    }
}
