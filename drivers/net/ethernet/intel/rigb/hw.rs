// SPDX-License-Identifier: GPL-2.0

//! The MAC, the PHY and the NVM: reset, receive addresses, MDIC and EERD access, link state,
//! statistics registers (e1000_82575.c, e1000_mac.c, e1000_phy.c and e1000_nvm.c of the C igb
//! driver, and igb_reset/igb_update_stats).
//!
//! Functions here that sleep (`reset`, `quiesce`, `phy_write`) take BAR0 through the bound
//! parent device, never through the revocable guard of the atomic paths.

use crate::regs::{self, Bar0, Speed};
use crate::rigb_main::Rigb;
use core::sync::atomic::Ordering;
use kernel::io::poll::{read_poll_timeout, read_poll_timeout_atomic};
use kernel::io::Io;
use kernel::net::dev::Device;
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

/// Flushes posted writes by reading `STATUS` (`wrfl()` in igb).
pub(crate) fn flush(bar: &Bar0<'_>) {
    let _ = bar.read(regs::STATUS);
}

/// Checks a register value for a device that is gone (igb_rd32): a read of a device that was
/// surprise-removed, or whose PCIe link died, returns all ones. Some registers can hold all
/// ones, so a second read of `STATUS`, whose reserved bits read as zero, confirms it.
///
/// Returns `value` while the device is present. Once it is gone the device is marked removed
/// (once, with a log line), the carrier goes off and the netdev is detached, so the core stops
/// transmitting, opening it and running ethtool on it; the watchdog, the interrupt handlers and
/// the poll see the mark and leave the hardware alone. Returns `None` then.
pub(crate) fn check_read(dev: &Device<Rigb>, bar: &Bar0<'_>, value: u32) -> Option<u32> {
    let data = dev.data();
    if data.removed() {
        return None;
    }
    if value != u32::MAX || bar.read(regs::STATUS).into_raw() != u32::MAX {
        return Some(value);
    }
    if !data.removed.swap(true, Ordering::AcqRel) {
        pr_err!("{}: PCIe link lost: device removed\n", dev.name());
        dev.carrier_off();
        dev.device_detach();
    }
    None
}

/// Whether the link is up (`STATUS.LU`).
pub(crate) fn link_up(bar: &Bar0<'_>) -> bool {
    bar.read(regs::STATUS).lu()
}

/// Link speed and duplex, if the link is up.
pub(crate) fn link_speed(bar: &Bar0<'_>) -> Option<(Speed, bool)> {
    let status = bar.read(regs::STATUS);
    status.lu().then(|| (status.speed(), status.fd()))
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
    // (Re)start autonegotiation; the link comes up when it completes (an LSC interrupt).
    if let Err(e) = restart_autoneg(bar) {
        pr_warn!("rigb: PHY write failed ({:?}); link may stay down\n", e);
    }
    bar.update(regs::CTRL_EXT, |c| c.with_drv_load(true));
    // Statistics registers clear on read: start from zero.
    for (_, lo, hi) in HW_STATS {
        let _ = regs::read_offset(bar, lo);
        if let Some(hi) = hi {
            let _ = regs::read_offset(bar, hi);
        }
    }
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

/// Writes a PHY register through MDIC and waits for completion (igb_write_phy_reg_mdic).
pub(crate) fn phy_write(bar: &Bar0<'_>, reg: u32, value: u16) -> Result {
    bar.write_reg(
        regs::MDIC::zeroed()
            .with_data(value)
            .try_with_regadd(reg)?
            .with_const_phyadd::<1>()
            .with_const_op::<1>(),
    );
    let mdic = read_poll_timeout(
        || Ok(bar.read(regs::MDIC)),
        |m| m.ready(),
        Delta::from_millis(1),
        Delta::from_millis(100),
    )?;
    if mdic.error() {
        return Err(EIO);
    }
    Ok(())
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

/// Receive address register pair `i` set to `mac`, valid.
pub(crate) fn write_rar(bar: &Bar0<'_>, i: usize, mac: &[u8; 6]) {
    let low = u32::from_le_bytes([mac[0], mac[1], mac[2], mac[3]]);
    regs::write_at(bar, i, regs::RAL::from_raw(low));
    regs::write_at(
        bar,
        i,
        regs::RAH::zeroed()
            .with_addr(u16::from_le_bytes([mac[4], mac[5]]))
            .with_av(true),
    );
}

/// Receive address register pair `i` cleared (not valid).
pub(crate) fn clear_rar(bar: &Bar0<'_>, i: usize) {
    regs::write_at(bar, i, regs::RAH::zeroed());
    regs::write_at(bar, i, regs::RAL::zeroed());
}

/// The address the NVM loaded into receive address register 0 at reset.
pub(crate) fn read_mac(bar: &Bar0<'_>) -> [u8; 6] {
    let lo = regs::read_at::<regs::RAL>(bar, 0).into_raw().to_le_bytes();
    let hi = regs::read_at::<regs::RAH>(bar, 0).into_raw().to_le_bytes();
    [lo[0], lo[1], lo[2], lo[3], hi[0], hi[1]]
}

/// Forces speed and duplex, or (`None`) returns to autonegotiation. The 82576 does 1000 Mb/s
/// in full duplex only; the caller checked that.
pub(crate) fn set_link(bar: &Bar0<'_>, forced: Option<(Speed, bool)>) -> Result {
    let ctrl = bar
        .read(regs::CTRL)
        .with_frcspd(false)
        .with_frcdpx(false)
        .with_speed(Speed::Mbps10)
        .with_fd(false);
    let Some((speed, full)) = forced else {
        // Back to autonegotiation: the link drops and comes back when it completes.
        bar.write_reg(ctrl.with_slu(true));
        return restart_autoneg(bar);
    };
    let mut bmcr = match speed {
        Speed::Mbps10 => 0,
        Speed::Mbps100 => regs::BMCR_SPEED100,
        Speed::Mbps1000 => regs::BMCR_SPEED1000,
    };
    if full {
        bmcr |= regs::BMCR_FULLDPLX;
    }
    phy_write(bar, regs::PHY_BMCR, bmcr)?;
    bar.write_reg(
        ctrl.with_frcspd(true)
            .with_frcdpx(true)
            .with_slu(true)
            .with_speed(speed)
            .with_fd(full),
    );
    Ok(())
}

/// Flow control: pause frames honoured (`rx`) and sent (`tx`).
pub(crate) fn pause(bar: &Bar0<'_>) -> (bool, bool) {
    let ctrl = bar.read(regs::CTRL);
    (ctrl.rfce(), ctrl.tfce())
}

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
/// `ethtool -S`: name, offset of the register, offset of the high half of 64-bit counters.
pub(crate) const HW_STATS: [(&str, usize, Option<usize>); 22] = {
    use regs::offset as o;
    [
        ("rx_packets", o::<regs::GPRC>(), None),
        ("tx_packets", o::<regs::GPTC>(), None),
        ("rx_bytes", o::<regs::GORCL>(), Some(o::<regs::GORCH>())),
        ("tx_bytes", o::<regs::GOTCL>(), Some(o::<regs::GOTCH>())),
        ("rx_broadcast", o::<regs::BPRC>(), None),
        ("tx_broadcast", o::<regs::BPTC>(), None),
        ("rx_multicast", o::<regs::MPRC>(), None),
        ("tx_multicast", o::<regs::MPTC>(), None),
        ("rx_total_packets", o::<regs::TPR>(), None),
        ("tx_total_packets", o::<regs::TPT>(), None),
        ("rx_total_bytes", o::<regs::TORL>(), Some(o::<regs::TORH>())),
        ("tx_total_bytes", o::<regs::TOTL>(), Some(o::<regs::TOTH>())),
        ("rx_crc_errors", o::<regs::CRCERRS>(), None),
        ("rx_missed_errors", o::<regs::MPC>(), None),
        ("rx_no_buffer_count", o::<regs::RNBC>(), None),
        ("rx_long_length_errors", o::<regs::ROC>(), None),
        ("rx_short_length_errors", o::<regs::RUC>(), None),
        ("rx_length_errors", o::<regs::RLEC>(), None),
        ("tx_flow_control_xon", o::<regs::XONTXC>(), None),
        ("rx_flow_control_xon", o::<regs::XONRXC>(), None),
        ("tx_flow_control_xoff", o::<regs::XOFFTXC>(), None),
        ("rx_flow_control_xoff", o::<regs::XOFFRXC>(), None),
    ]
};
/// Positions in `HW_STATS` of the counters the netdev statistics use.
pub(crate) const HW_MPRC: usize = 6;
pub(crate) const HW_CRCERRS: usize = 12;
pub(crate) const HW_MPC: usize = 13;
pub(crate) const HW_ROC: usize = 15;
pub(crate) const HW_RLEC: usize = 17;
/// XON sent; XON received, XOFF sent and XOFF received follow.
pub(crate) const HW_XON_TX: usize = 18;

/// Reads the statistics registers (clearing them): `f(index in HW_STATS, value)`.
pub(crate) fn read_stats(bar: &Bar0<'_>, mut f: impl FnMut(usize, u64)) {
    for (i, (_, lo, hi)) in HW_STATS.iter().enumerate() {
        // Low first: reading the high half clears both.
        let mut v = u64::from(regs::read_offset(bar, *lo));
        if let Some(hi) = hi {
            v |= u64::from(regs::read_offset(bar, *hi)) << 32;
        }
        f(i, v);
    }
}
