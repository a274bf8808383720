// SPDX-License-Identifier: GPL-2.0

//! re1000's ethtool operations (e1000_ethtool.c's counterpart): link settings, statistics,
//! rings, coalescing, register and EEPROM dumps, flow control and the self-tests.
//!
//! The register self-test tests what QEMU's models implement. C e1000's test starts with the
//! flow-control registers, which QEMU's model does not implement: C e1000 fails its own test on
//! every QEMU model. See `test_registers` and Documentation/re1000.rst.

use crate::hw::{self, HW_STATS, HW_XON_TX};
use crate::irq::{self, ITR_CONSERVATIVE, ITR_OFF, ITR_SIMPLIFIED, MAX_ITR_USECS, MIN_ITR_USECS};
use crate::re1000_main::{self as m, get, mmio, Re1000, MAX_RING, MIN_RING, RING_MULTIPLE};
use crate::regs::{self, offset, offset_at, Bar0, Speed};
use core::sync::atomic::Ordering;
use kernel::io::Io;
use kernel::net::dev::{Device, Rtnl};
use kernel::net::ethtool::{
    self, coalesce, sset, Coalesce, DrvInfo, LinkKsettings, PauseStats, Pauseparam, Ringparam,
    Strings,
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

/// The self-tests, in C e1000's order and with its names.
const TESTS: [&str; 5] = [
    "Register test  (offline)",
    "Eeprom test    (offline)",
    "Interrupt test (offline)",
    "Loopback test  (offline)",
    "Link test   (on/offline)",
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

/// The self-test's loopback frame: to and from ourselves, a local experimental EtherType, a
/// counting payload.
const LOOPBACK_LEN: usize = 256;
const LOOPBACK_ETHERTYPE: [u8; 2] = [0x88, 0xB5];

fn loopback_byte(i: usize) -> u8 {
    (i as u8).wrapping_mul(7) ^ 0xA5
}

/// Whether a received frame is the self-test's loopback frame, intact.
pub(crate) fn is_loopback_frame(frame: &[u8]) -> bool {
    frame.len() == LOOPBACK_LEN
        && frame[12..14] == LOOPBACK_ETHERTYPE
        && frame[14..]
            .iter()
            .enumerate()
            .all(|(i, b)| *b == loopback_byte(i + 14))
}

/// Writes four patterns (masked by `mask`) to a read/write register and reads them back
/// (C's REG_PATTERN_TEST); restores it. Logs the first mismatch.
fn reg_pattern_test(dev: &Device<Re1000>, bar: &Bar0<'_>, r: usize, mask: u32) -> bool {
    let saved = regs::read_offset(bar, r);
    let mut ok = true;
    for p in [0x5A5A_5A5A, 0xA5A5_A5A5, 0x0000_0000, 0xFFFF_FFFF] {
        regs::write_offset(bar, r, p & mask);
        let got = regs::read_offset(bar, r) & mask;
        if ok && got != p & mask {
            pr_err!(
                "{}: register test: {:#06x} reads {:#010x}, wrote {:#010x}\n",
                dev.name(),
                r,
                got,
                p & mask
            );
            ok = false;
        }
    }
    regs::write_offset(bar, r, saved);
    ok
}

/// Writes `value` and checks the `mask` bits read back (C's REG_SET_AND_CHECK).
fn reg_set_and_check(
    dev: &Device<Re1000>,
    bar: &Bar0<'_>,
    r: usize,
    mask: u32,
    value: u32,
) -> bool {
    regs::write_offset(bar, r, value & mask);
    let got = regs::read_offset(bar, r) & mask;
    if got != value & mask {
        pr_err!(
            "{}: register test: {:#06x} reads {:#010x}, set {:#010x}\n",
            dev.name(),
            r,
            got,
            value & mask
        );
        return false;
    }
    true
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
    for (r, mask) in [
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
    ] {
        ok &= reg_pattern_test(dev, bar, r, mask);
    }
    if dev.data().mac.has_itr() {
        for r in [
            offset::<regs::RADV>(),
            offset::<regs::TADV>(),
            offset::<regs::ITR>(),
        ] {
            ok &= reg_pattern_test(dev, bar, r, 0x0000_FFFF);
        }
    }
    // RCTL and TCTL take what is written; the receiver stays off (EN clear) so the device
    // does not start receiving into a ring that is not there.
    let rctl = offset::<regs::RCTL>();
    ok &= reg_set_and_check(dev, bar, rctl, 0xFFFF_FFFF, 0);
    ok &= reg_set_and_check(dev, bar, rctl, 0x003F_FFF9, 0x06DF_B3FC);
    ok &= reg_set_and_check(dev, bar, offset::<regs::TCTL>(), 0xFFFF_FFFF, 0);
    regs::write_offset(bar, rctl, 0);
    for i in 0..regs::RAR_ENTRIES {
        ok &= reg_pattern_test(dev, bar, offset_at::<regs::RAH>(i), 0x8003_FFFF);
    }
    for i in 0..regs::MTA_ENTRIES {
        ok &= reg_pattern_test(dev, bar, offset_at::<regs::MTA>(i), 0xFFFF_FFFF);
    }
    ok
}

/// The EEPROM checksum: words 0..0x3F sum to 0xBABA.
fn test_eeprom(dev: &Device<Re1000>, bar: &Bar0<'_>) -> bool {
    match hw::eeprom_checksum(bar, dev.data().mac) {
        Ok(regs::EEPROM_SUM) => true,
        Ok(sum) => {
            pr_err!(
                "{}: EEPROM checksum {:#06x}, expected {:#06x}\n",
                dev.name(),
                sum,
                regs::EEPROM_SUM
            );
            false
        }
        Err(e) => {
            pr_err!("{}: EEPROM read failed: {:?}\n", dev.name(), e);
            false
        }
    }
}

/// Raises a link-change cause with ICS and checks the handler saw it (e1000_intr_test, for the
/// cause that matters most).
fn test_interrupt(dev: &Device<Re1000>, bar: &Bar0<'_>) -> bool {
    let data = dev.data();
    if irq::request(dev).is_err() {
        pr_err!(
            "{}: interrupt test: cannot request the interrupt\n",
            dev.name()
        );
        return false;
    }
    data.test_icr.store(0, Ordering::Relaxed);
    bar.write_reg(regs::IMS::from_raw(regs::ICR_LSC));
    bar.write_reg(regs::ICS::from_raw(regs::ICR_LSC));
    let mut seen = false;
    for _ in 0..100 {
        fsleep(Delta::from_millis(2));
        if data.test_icr.load(Ordering::Relaxed) & regs::ICR_LSC != 0 {
            seen = true;
            break;
        }
    }
    hw::irq_disable(bar);
    hw::flush(bar);
    irq::free(data);
    if !seen {
        pr_err!("{}: interrupt test: no interrupt for ICS\n", dev.name());
    }
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
        let mac = dev.dev_addr();
        for _ in 0..FRAMES {
            let Some(mut skb) = dev.alloc_rx_skb(LOOPBACK_LEN as u32) else {
                ok = false;
                break;
            };
            let mut frame = [0u8; LOOPBACK_LEN];
            frame[0..6].copy_from_slice(&mac);
            frame[6..12].copy_from_slice(&mac);
            frame[12..14].copy_from_slice(&LOOPBACK_ETHERTYPE);
            for (i, b) in frame.iter_mut().enumerate().skip(14) {
                *b = loopback_byte(i);
            }
            if skb.put_slice(&frame).is_err() {
                ok = false;
                break;
            }
            // The transmit path runs with bottom halves disabled, as the stack calls it.
            let bh = kernel::sync::bh::disable();
            let _ = crate::tx::xmit(crate::tx::Frame::Own(skb), dev);
            drop(bh);
        }
        let mut waited = 0;
        while data.loopback_ok.load(Ordering::Relaxed) < FRAMES && waited < 2000 {
            fsleep(Delta::from_millis(10));
            waited += 10;
        }
        let got = data.loopback_ok.load(Ordering::Relaxed);
        if got != FRAMES {
            pr_err!(
                "{}: loopback test: {} of {} frames back\n",
                dev.name(),
                got,
                FRAMES
            );
            ok = false;
        }
    }
    if dev.data().running.load(Ordering::Acquire) {
        m::down(dev, rtnl);
    }
    data.loopback.store(false, Ordering::Relaxed);
    ok
}

fn test_link(dev: &Device<Re1000>, bar: &Bar0<'_>) -> bool {
    let up = hw::link_up(bar);
    if !up {
        pr_err!("{}: link test: no link\n", dev.name());
    }
    up
}

/// Validates a ring size request: within C e1000's limits for the 82544 and later, and a
/// multiple of 8 (C e1000 rounds; re1000 refuses what it would not apply as asked).
fn check_ring(dev: &Device<Re1000>, what: &str, n: u32) -> Result {
    if !(MIN_RING..=MAX_RING).contains(&n) || n % RING_MULTIPLE != 0 {
        pr_err!(
            "{}: {} ring size {} invalid: must be {}..={} and a multiple of {}\n",
            dev.name(),
            what,
            n,
            MIN_RING,
            MAX_RING,
            RING_MULTIPLE
        );
        return Err(EINVAL);
    }
    Ok(())
}

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
        ks.set_port_tp().set_autoneg(!hw::link_forced(bar));
        Ok(())
    }

    /// e1000_set_link_ksettings / e1000_set_spd_dplx: autonegotiation, or 10/100 forced in
    /// either duplex, 1000 full; 1000 half is refused as C e1000 refuses it.
    fn set_link_ksettings(dev: &Device<Self>, _rtnl: &Rtnl, ks: &LinkKsettings) -> Result {
        let bar = mmio(dev)?;
        if ks.autoneg() {
            return hw::set_link(bar, None);
        }
        let full = ks.full_duplex();
        let speed = match (ks.speed(), full) {
            (10, Some(_)) => Speed::Mbps10,
            (100, Some(_)) => Speed::Mbps100,
            (1000, Some(true)) => Speed::Mbps1000,
            (s, _) => {
                pr_err!(
                    "{}: cannot force speed {} duplex {:?}: 10/100 half or full, 1000 full\n",
                    dev.name(),
                    s,
                    full
                );
                return Err(EINVAL);
            }
        };
        hw::set_link(bar, Some((speed, full == Some(true))))
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
        check_ring(dev, "rx", rx)?;
        check_ring(dev, "tx", tx)?;
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
        let mut passed = [true; TESTS.len()];
        let Ok(bar) = mmio(dev) else {
            results.iter_mut().for_each(|r| *r = 1);
            return true;
        };
        passed[4] = test_link(dev, bar);
        if offline {
            let running = dev.is_running();
            if running {
                m::down(dev, rtnl);
            }
            let mac = dev.data().mac;
            passed[0] = test_registers(dev, bar);
            // The register test leaves patterns behind.
            hw::reset(bar, mac);
            passed[1] = test_eeprom(dev, bar);
            passed[2] = test_interrupt(dev, bar);
            passed[3] = test_loopback(dev, rtnl, bar);
            hw::reset(bar, mac);
            if running {
                if let Err(e) = m::up(dev, rtnl) {
                    pr_err!(
                        "{}: cannot bring up after the self-test: {:?}\n",
                        dev.name(),
                        e
                    );
                    passed[0] = false;
                }
            }
        }
        for (r, p) in results.iter_mut().zip(passed.iter()) {
            *r = u64::from(!*p);
        }
        passed.iter().any(|p| !p)
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
        stats.set(
            h(HW_XON_TX) + h(HW_XON_TX + 2),
            h(HW_XON_TX + 1) + h(HW_XON_TX + 3),
        );
    }
}
