// SPDX-License-Identifier: GPL-2.0

//! MAC and PHY pieces both families share: flushing, removal detection, link state, PHY access
//! through MDIC, the receive address registers, flow control state, the multicast hash and
//! the NVM's checksum and address words (e1000_hw.c of the C e1000 driver; e1000_mac.c,
//! e1000_phy.c and e1000_nvm.c of the C igb driver).
//!
//! [`phy_read`], [`phy_write`] and what uses them (the advertisement, [`report_link_modes`])
//! sleep; the rest does not.

use super::regs::{self, Bar0, Speed};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::io::poll::read_poll_timeout;
use kernel::io::Io;
use kernel::net::dev::{Device, Driver};
use kernel::net::ethtool::{LinkKsettings, LinkModes};
use kernel::prelude::*;
use kernel::time::Delta;

/// An Ethernet address printed as the kernel's `%pM` prints it: `52:54:00:12:34:56`.
pub(crate) struct MacAddr(pub(crate) [u8; 6]);

impl kernel::fmt::Display for MacAddr {
    fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// Flushes posted writes by reading `STATUS` (`E1000_WRITE_FLUSH`, igb's `wrfl()`).
pub(crate) fn flush(bar: &Bar0<'_>) {
    let _ = bar.read(regs::STATUS);
}

/// Checks a register value for a device that is gone (igb_rd32): a read of a device that was
/// surprise-removed, or whose PCIe link died, returns all ones. Some registers can hold all
/// ones, so a second read of `STATUS`, whose reserved bits read as zero, confirms it.
///
/// Returns `value` while the device is present. Once it is gone, `removed` (the driver's mark)
/// is set, and the first time with the log line `why`, the carrier goes off and the netdev is
/// detached, so the core stops transmitting, opening it and running ethtool on it; the
/// driver's watchdog, interrupt handlers and poll see the mark and leave the hardware alone.
/// Returns `None` then.
pub(crate) fn check_read<T: Driver>(
    dev: &Device<T>,
    removed: &AtomicBool,
    bar: &Bar0<'_>,
    value: u32,
    why: &str,
) -> Option<u32> {
    if removed.load(Ordering::Acquire) {
        return None;
    }
    if value != u32::MAX || bar.read(regs::STATUS).into_raw() != u32::MAX {
        return Some(value);
    }
    if !removed.swap(true, Ordering::AcqRel) {
        pr_err!("{}: {}\n", dev.name(), why);
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

/// Waits for an MDIC operation to finish, polling every 50 µs as both C drivers do, for up
/// to 100 ms; `EIO` if the PHY reported an error.
fn mdic_wait(bar: &Bar0<'_>) -> Result<regs::MDIC> {
    let mdic = read_poll_timeout(
        || Ok(bar.read(regs::MDIC)),
        |m| m.ready(),
        Delta::from_micros(50),
        Delta::from_millis(100),
    )?;
    if mdic.error() {
        return Err(EIO);
    }
    Ok(mdic)
}

/// Writes a register of the internal PHY through MDIC (e1000_write_phy_reg_ex,
/// igb_write_phy_reg_mdic).
pub(crate) fn phy_write(bar: &Bar0<'_>, reg: u32, value: u16) -> Result {
    bar.write_reg(
        regs::MDIC::zeroed()
            .with_data(value)
            .try_with_regadd(reg)?
            .try_with_phyadd(regs::PHY_ADDRESS)?
            .with_const_op::<1>(),
    );
    mdic_wait(bar).map(|_| ())
}

/// Reads a register of the internal PHY through MDIC (e1000_read_phy_reg_ex,
/// igb_read_phy_reg_mdic).
pub(crate) fn phy_read(bar: &Bar0<'_>, reg: u32) -> Result<u16> {
    bar.write_reg(
        regs::MDIC::zeroed()
            .try_with_regadd(reg)?
            .try_with_phyadd(regs::PHY_ADDRESS)?
            .with_const_op::<2>(),
    );
    Ok(mdic_wait(bar)?.data())
}

/// The PHY's identifier (`PHY_ID1` << 16 | `PHY_ID2`).
pub(crate) fn phy_id(bar: &Bar0<'_>) -> Result<u32> {
    Ok(u32::from(phy_read(bar, regs::PHY_ID1)?) << 16 | u32::from(phy_read(bar, regs::PHY_ID2)?))
}

/// The PHY control register (`BMCR`) value that forces `speed` and duplex (`full`), with
/// autonegotiation off.
pub(crate) fn forced_bmcr(speed: Speed, full: bool) -> u16 {
    let speed = match speed {
        Speed::Mbps10 => 0,
        Speed::Mbps100 => regs::BMCR_SPEED100,
        Speed::Mbps1000 => regs::BMCR_SPEED1000,
    };
    if full {
        speed | regs::BMCR_FULLDPLX
    } else {
        speed
    }
}

/// The speeds both families' copper PHYs do: 10/100 half and full, 1000 full (neither does
/// 1000 half, as the C drivers' `autoneg_mask`).
pub(crate) const COPPER_SPEEDS: LinkModes = LinkModes::BASE_T_10_HALF
    .union(LinkModes::BASE_T_10_FULL)
    .union(LinkModes::BASE_T_100_HALF)
    .union(LinkModes::BASE_T_100_FULL)
    .union(LinkModes::BASE_T_1000_FULL);
/// Modes an advertisement may name besides the speeds: they say nothing the PHY's speed bits
/// hold (pause is `ethtool -A`'s).
const ADVERTISE_OTHER: LinkModes = LinkModes::AUTONEG
    .union(LinkModes::TP)
    .union(LinkModes::PAUSE)
    .union(LinkModes::ASYM_PAUSE);
/// ANAR's speed bits, by mode.
const ANAR_SPEEDS: [(LinkModes, u16); 4] = [
    (LinkModes::BASE_T_10_HALF, regs::ANAR_10_HALF),
    (LinkModes::BASE_T_10_FULL, regs::ANAR_10_FULL),
    (LinkModes::BASE_T_100_HALF, regs::ANAR_100_HALF),
    (LinkModes::BASE_T_100_FULL, regs::ANAR_100_FULL),
];

/// The speeds the PHY advertises (`ANAR` and `1000T_CTRL`).
pub(crate) fn read_advertisement(bar: &Bar0<'_>) -> Result<LinkModes> {
    let anar = phy_read(bar, regs::PHY_ANAR)?;
    let gtcr = phy_read(bar, regs::PHY_1000T_CTRL)?;
    let mut modes = LinkModes::EMPTY;
    for (mode, bit) in ANAR_SPEEDS {
        if anar & bit != 0 {
            modes = modes.union(mode);
        }
    }
    if gtcr & regs::GTCR_1000FULL != 0 {
        modes = modes.union(LinkModes::BASE_T_1000_FULL);
    }
    Ok(modes)
}

/// Makes the PHY advertise `speeds` (of [`COPPER_SPEEDS`]) from the next autonegotiation on
/// (e1000_phy_setup_autoneg); `ANAR`'s selector and pause bits stay.
pub(crate) fn write_advertisement(bar: &Bar0<'_>, speeds: LinkModes) -> Result {
    let mut anar = phy_read(bar, regs::PHY_ANAR)?;
    for (mode, bit) in ANAR_SPEEDS {
        anar = if speeds.contains(mode) {
            anar | bit
        } else {
            anar & !bit
        };
    }
    let mut gtcr =
        phy_read(bar, regs::PHY_1000T_CTRL)? & !(regs::GTCR_1000HALF | regs::GTCR_1000FULL);
    if speeds.contains(LinkModes::BASE_T_1000_FULL) {
        gtcr |= regs::GTCR_1000FULL;
    }
    phy_write(bar, regs::PHY_ANAR, anar)?;
    phy_write(bar, regs::PHY_1000T_CTRL, gtcr)
}

/// Fills in the link modes of `ethtool DEV` as the C drivers report them: the supported
/// ones, and what the PHY advertises while autonegotiation is on (only the port type while the
/// link is forced).
pub(crate) fn report_link_modes(bar: &Bar0<'_>, ks: &mut LinkKsettings, autoneg: bool) -> Result {
    let port = LinkModes::TP;
    ks.set_supported(COPPER_SPEEDS.union(LinkModes::AUTONEG).union(port));
    let advertised = if autoneg {
        read_advertisement(bar)?
            .union(LinkModes::AUTONEG)
            .union(port)
    } else {
        port
    };
    ks.set_advertising(advertised);
    Ok(())
}

/// What an `ethtool -s` request asks of the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkRequest {
    /// Autonegotiation, advertising these speeds (of [`COPPER_SPEEDS`], never empty).
    Autoneg(LinkModes),
    /// Speed and duplex (full: `true`) forced.
    Forced(Speed, bool),
}

/// The link settings an `ethtool -s` request asks for. Both families force 10 and 100 Mb/s in
/// either duplex and 1000 Mb/s in full duplex only, and advertise the speeds of
/// [`COPPER_SPEEDS`]; an advertisement of any other speed is `EINVAL`, logged. One without
/// any speed (`autoneg on` after a forced link, which advertises only the port) advertises
/// them all, as the C drivers' e1000_copper_link_autoneg does.
pub(crate) fn requested_link<T: Driver>(
    dev: &Device<T>,
    ks: &LinkKsettings,
) -> Result<LinkRequest> {
    if ks.autoneg() {
        let asked = ks.advertising();
        let unsupported = asked.difference(COPPER_SPEEDS.union(ADVERTISE_OTHER));
        if !unsupported.is_empty() || ks.advertising_beyond_64() {
            pr_err!(
                "{}: cannot advertise link modes {:#x}: supported are {:#x}\n",
                dev.name(),
                unsupported.bits(),
                COPPER_SPEEDS.bits()
            );
            return Err(EINVAL);
        }
        let speeds = asked.intersection(COPPER_SPEEDS);
        return Ok(LinkRequest::Autoneg(if speeds.is_empty() {
            COPPER_SPEEDS
        } else {
            speeds
        }));
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
    Ok(LinkRequest::Forced(speed, full == Some(true)))
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

/// The address in receive address register 0 (what the NVM loaded there at reset).
pub(crate) fn read_mac(bar: &Bar0<'_>) -> [u8; 6] {
    let lo = regs::read_at::<regs::RAL>(bar, 0).into_raw().to_le_bytes();
    let hi = regs::read_at::<regs::RAH>(bar, 0).into_raw().to_le_bytes();
    [lo[0], lo[1], lo[2], lo[3], hi[0], hi[1]]
}

/// Flow control: pause frames honoured (`rx`) and sent (`tx`).
pub(crate) fn pause(bar: &Bar0<'_>) -> (bool, bool) {
    let ctrl = bar.read(regs::CTRL);
    (ctrl.rfce(), ctrl.tfce())
}

/// The multicast table bit for `addr` with `RCTL.MO` = 0 (e1000_hash_mc_addr: address bits
/// 47:36, 12 bits selecting one of the 4096 bits of the 128-word table).
pub(crate) fn mta_hash(addr: &[u8; 6]) -> u32 {
    ((u32::from(addr[5]) << 8 | u32::from(addr[4])) >> 4) & 0xFFF
}

/// Sets the multicast table bit of `addr` in `mta` (the table as it will be written).
pub(crate) fn mta_set(mta: &mut [u32], addr: &[u8; 6]) {
    let h = mta_hash(addr);
    if let Some(word) = mta.get_mut((h >> 5) as usize) {
        *word |= 1 << (h & 31);
    }
}

/// The sum of the NVM's checksummed words (`words` from word 0), which is [`regs::NVM_SUM`]
/// when the image is valid (e1000_validate_eeprom_checksum, igb_validate_nvm_checksum).
pub(crate) fn nvm_sum(words: &[u16]) -> u16 {
    words.iter().fold(0u16, |s, w| s.wrapping_add(*w))
}

/// The permanent address from NVM words 0..3 (e1000_read_mac_addr, igb_read_mac_addr).
pub(crate) fn nvm_mac(words: &[u16; 3]) -> [u8; 6] {
    let [a, b] = words[0].to_le_bytes();
    let [c, d] = words[1].to_le_bytes();
    let [e, f] = words[2].to_le_bytes();
    [a, b, c, d, e, f]
}
