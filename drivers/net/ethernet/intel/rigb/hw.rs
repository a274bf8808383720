// SPDX-License-Identifier: GPL-2.0

//! The MAC, the PHY and the NVM of the 82576: reset, EERD access, forced link settings, flow
//! control thresholds (e1000_82575.c, e1000_mac.c and e1000_nvm.c of the C igb driver, and
//! igb_reset). What the 8254x shares (MDIC, receive addresses, link state, statistics
//! registers) is `e1000_common`'s, re-exported here.
//!
//! Functions here that sleep (`reset`, `quiesce`, `phy_write`) take BAR0 through the bound
//! parent device, never through the revocable guard of the atomic paths.

pub(crate) use crate::e1000_common::hw::{
    clear_rar, flush, link_speed, mta_set, nvm_sum, pause, phy_write, read_mac, write_rar,
};
use crate::e1000_common::hw::{read_advertisement, write_advertisement, LinkRequest};
use crate::e1000_common::stats;
use crate::regs::{self, Bar0, Speed};
use crate::rigb_main::Rigb;
use kernel::io::poll::read_poll_timeout_atomic;
use kernel::io::Io;
use kernel::net::dev::Device;
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

/// Checks a register value for a device that is gone (igb_rd32): a read of a device that was
/// surprise-removed, or whose PCIe link died, returns all ones. Some registers can hold all
/// ones, so a second read of `STATUS`, whose reserved bits read as zero, confirms it.
///
/// Returns `value` while the device is present. Once it is gone the device is marked removed
/// (once, with a log line), the carrier goes off and the netdev is detached, so the core stops
/// transmitting, opening it and running ethtool on it; the watchdog, the interrupt handlers and
/// the poll see the mark and leave the hardware alone. Returns `None` then.
pub(crate) fn check_read(dev: &Device<Rigb>, bar: &Bar0<'_>, value: u32) -> Option<u32> {
    crate::e1000_common::hw::check_read(
        dev,
        &dev.data().removed,
        bar,
        value,
        "PCIe link lost: device removed",
    )
}

/// Masks every interrupt cause, legacy and extended.
pub(crate) fn irq_disable(bar: &Bar0<'_>) {
    bar.write_reg(regs::IMC::from_raw(u32::MAX));
    bar.write_reg(regs::EIMC::from_raw(u32::MAX));
}

/// Stops receive and transmit (igb_down's hardware part): interrupts masked, the units and
/// every queue disabled, then a pause for DMA in flight to finish before buffers are unmapped.
pub(crate) fn quiesce(bar: &Bar0<'_>, queues: usize) {
    irq_disable(bar);
    bar.write_reg(regs::RCTL::zeroed());
    bar.write_reg(regs::TCTL::zeroed().with_psp(true));
    for q in 0..queues {
        regs::write_at(bar, q, regs::RXDCTL::zeroed());
        regs::write_at(bar, q, regs::TXDCTL::zeroed());
    }
    flush(bar);
    fsleep(Delta::from_millis(10));
}

/// Resets the MAC and starts autonegotiation (igb_reset); the address registers reload
/// from the NVM.
pub(crate) fn reset(bar: &Bar0<'_>) {
    // What `ethtool -s ... advertise` set survives the reset, as igb's `autoneg_advertised`.
    let advertised = read_advertisement(bar).ok().filter(|m| !m.is_empty());
    irq_disable(bar);
    bar.write_reg(regs::RCTL::zeroed());
    bar.write_reg(regs::TCTL::zeroed().with_psp(true));
    flush(bar);
    fsleep(Delta::from_millis(10));
    bar.update(regs::CTRL, |c| c.with_rst(true));
    fsleep(Delta::from_millis(20));
    bar.write_reg(regs::IMC::from_raw(u32::MAX));
    let _ = bar.read(regs::ICR);
    // Clear the multicast table; set link up; tell the firmware a driver is loaded.
    for i in 0..regs::MTA_ENTRIES {
        regs::write_at(bar, i, regs::MTA::zeroed());
    }
    bar.update(regs::CTRL, |c| c.with_slu(true));
    if let Some(speeds) = advertised {
        if let Err(e) = write_advertisement(bar, speeds) {
            pr_warn!(
                "rigb: PHY write failed ({:?}); advertising the defaults\n",
                e
            );
        }
    }
    // (Re)start autonegotiation; the link comes up when it completes (an LSC interrupt).
    if let Err(e) = restart_autoneg(bar) {
        pr_warn!("rigb: PHY write failed ({:?}); link may stay down\n", e);
    }
    bar.update(regs::CTRL_EXT, |c| c.with_drv_load(true));
    // Statistics registers clear on read: start from zero.
    read_stats(bar, |_, _| {});
    flush(bar);
}

/// Autonegotiation of 1000 Mb/s full duplex, (re)started.
pub(crate) fn restart_autoneg(bar: &Bar0<'_>) -> Result {
    phy_write(
        bar,
        regs::PHY_BMCR,
        regs::BMCR_ANENABLE | regs::BMCR_ANRESTART | regs::BMCR_SPEED1000 | regs::BMCR_FULLDPLX,
    )
}

/// Reads 16-bit NVM word `word` through EERD (igb_read_nvm_eerd).
pub(crate) fn nvm_read(bar: &Bar0<'_>, word: u32) -> Result<u16> {
    bar.write_reg(regs::EERD::zeroed().try_with_addr(word)?.with_start(true));
    let eerd = read_poll_timeout_atomic(
        || Ok(bar.read(regs::EERD)),
        |e| e.done(),
        Delta::from_micros(5),
        1000,
    )?;
    Ok(eerd.data())
}

/// Forces speed and duplex, or returns to autonegotiation advertising the speeds asked for.
/// The 82576 does 1000 Mb/s in full duplex only; the caller checked that.
pub(crate) fn set_link(bar: &Bar0<'_>, request: LinkRequest) -> Result {
    let ctrl = bar
        .read(regs::CTRL)
        .with_frcspd(false)
        .with_frcdpx(false)
        .with_speed(Speed::Mbps10)
        .with_fd(false);
    let (speed, full) = match request {
        LinkRequest::Forced(speed, full) => (speed, full),
        LinkRequest::Autoneg(speeds) => {
            // Back to autonegotiation: the link drops and comes back when it completes.
            write_advertisement(bar, speeds)?;
            bar.write_reg(ctrl.with_slu(true));
            return restart_autoneg(bar);
        }
    };
    phy_write(
        bar,
        regs::PHY_BMCR,
        crate::e1000_common::hw::forced_bmcr(speed, full),
    )?;
    bar.write_reg(
        ctrl.with_frcspd(true)
            .with_frcdpx(true)
            .with_slu(true)
            .with_speed(speed)
            .with_fd(full),
    );
    Ok(())
}

/// Sets flow control: pause frames honoured (`rx`) and sent (`tx`).
pub(crate) fn set_pause(bar: &Bar0<'_>, rx: bool, tx: bool) {
    if tx {
        // Thresholds and pause time as igb programs them for a 64 KiB packet buffer.
        bar.write_reg(regs::FCRTH::from_raw(0xE000));
        bar.write_reg(regs::FCRTL::from_raw(0xD000 | regs::FCRTL_XONE));
        bar.write_reg(regs::FCTTV::from_raw(0xFFFF));
    }
    bar.update(regs::CTRL, |c| c.with_rfce(rx).with_tfce(tx));
}

/// Hardware statistics registers (clear on read), accumulated by the watchdog and by
/// `ethtool -S`: the counters the 82576 kept from the 8254x.
pub(crate) const HW_STATS: [stats::HwStat; 22] = stats::COMMON;

/// Reads the statistics registers (clearing them): `f(index in HW_STATS, value)`.
pub(crate) fn read_stats(bar: &Bar0<'_>, f: impl FnMut(usize, u64)) {
    stats::read(bar, &HW_STATS, f)
}
