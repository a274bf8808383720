// SPDX-License-Identifier: GPL-2.0

//! The MAC, the PHY and the EEPROM of the 8254x: reset, the Microwire EEPROM (bit-banged
//! through `EECD`), copper link setup and autonegotiation, the 8254x's statistics registers
//! (e1000_hw.c of the C e1000 driver, and e1000_reset/e1000_update_stats of e1000_main.c).
//! What the 82576 shares (MDIC, receive addresses, link state, the statistics block, the
//! EEPROM checksum) is `e1000_common`'s, re-exported here.
//!
//! Everything here may sleep except [`check_read`], [`link_up`], [`link_speed`], [`flush`],
//! [`irq_disable`], [`write_rar`] and [`read_stats`]: the sleeping functions take BAR0 through
//! the bound parent device, never through the revocable guard of the atomic paths.

use crate::e1000_common::hw::LinkRequest;
use crate::e1000_common::{hw as common, stats};
use crate::re1000_main::Re1000;
use crate::regs::{self, Bar0};
pub(crate) use common::{
    clear_rar, flush, link_speed, link_up, mta_set, pause, phy_id, phy_write, write_advertisement,
    write_rar,
};
use kernel::io::poll::read_poll_timeout;
use kernel::io::Io;
use kernel::net::dev::Device;
use kernel::net::ethtool::LinkModes;
use kernel::prelude::*;
use kernel::time::{
    delay::{fsleep, udelay},
    Delta,
};

/// The 8254x models re1000 drives (C e1000's `mac_type` for them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacType {
    /// 82544GC/EI: no EEPROM request/grant handshake, no absolute interrupt delays, no ITR.
    M82544,
    /// 82540EM/EP.
    M82540,
    /// 82545EM/GM.
    M82545,
}

impl MacType {
    /// The model of a PCI device ID (e1000_set_mac_type), for the IDs in the driver's table.
    pub(crate) fn from_device_id(id: u16) -> Option<Self> {
        match id {
            0x1008 | 0x1009 | 0x100C | 0x100D => Some(Self::M82544),
            0x100E | 0x1015 | 0x1016 | 0x1017 | 0x101E => Some(Self::M82540),
            0x100F | 0x1011 | 0x1026 | 0x1027 | 0x1028 => Some(Self::M82545),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::M82544 => "82544",
            Self::M82540 => "82540",
            Self::M82545 => "82545",
        }
    }

    /// Whether the model has `ITR`, `RADV` and `TADV` (82540 and later, as C e1000 checks).
    pub(crate) fn has_itr(self) -> bool {
        self != Self::M82544
    }

    /// Whether the EEPROM must be requested (`EECD.REQ`/`GNT`) before software drives it: the
    /// 82540 and later share it with the hardware's own loader (e1000_acquire_eeprom).
    fn eeprom_handshake(self) -> bool {
        self != Self::M82544
    }
}

/// Checks a register value for a device that is gone (as rigb's `check_read`): all ones from a
/// read, confirmed by a `STATUS` of all ones (its reserved bits read as zero), marks the device
/// removed, once with a log line, turns the carrier off and detaches the netdev. `None` then.
pub(crate) fn check_read(dev: &Device<Re1000>, bar: &Bar0<'_>, value: u32) -> Option<u32> {
    common::check_read(
        dev,
        &dev.data().removed,
        bar,
        value,
        "device not responding: removed",
    )
}

/// Masks every interrupt cause.
pub(crate) fn irq_disable(bar: &Bar0<'_>) {
    bar.write_reg(regs::IMC::from_raw(u32::MAX));
}

/// Stops receive and transmit (e1000_down's hardware part): interrupts masked, both units
/// off, then a pause for DMA in flight to finish before buffers are unmapped.
pub(crate) fn quiesce(bar: &Bar0<'_>) {
    irq_disable(bar);
    bar.write_reg(regs::RCTL::zeroed());
    bar.write_reg(regs::TCTL::zeroed().with_psp(true));
    flush(bar);
    fsleep(Delta::from_millis(10));
}

/// Resets the MAC (e1000_reset_hw) and initialises it (e1000_init_hw): address and multicast
/// tables, VLAN filter, flow control registers, copper link with autonegotiation.
///
/// C e1000 issues the reset bit through the I/O BAR on these models because on a 64-bit
/// PCI-X bus they cannot acknowledge the memory write that resets them; QEMU's model (and a
/// 32-bit PCI slot) takes the memory write, which is what re1000 does (there is no I/O-port
/// BAR abstraction; see Documentation/re1000.rst).
pub(crate) fn reset(bar: &Bar0<'_>, mac: MacType) {
    // What `ethtool -s ... advertise` set survives the reset (C e1000's `autoneg_advertised`);
    // a PHY that cannot be read, or advertises nothing, gets every speed.
    let advertised = common::read_advertisement(bar)
        .ok()
        .filter(|m| !m.is_empty())
        .unwrap_or(common::COPPER_SPEEDS);
    irq_disable(bar);
    bar.write_reg(regs::RCTL::zeroed());
    bar.write_reg(regs::TCTL::zeroed().with_psp(true));
    flush(bar);
    // Let pending transactions complete before the reset.
    fsleep(Delta::from_millis(10));
    bar.update(regs::CTRL, |c| c.with_rst(true));
    // The reset reloads the EEPROM's settings: the 82544 needs a nudge (EE_RST) and 2 ms, the
    // later parts finish the auto-read within 5 ms (e1000_get_auto_rd_done).
    fsleep(Delta::from_millis(if mac == MacType::M82544 {
        2
    } else {
        5
    }));
    if mac == MacType::M82544 {
        const CTRL_EXT_EE_RST: u32 = 1 << 13;
        bar.update(regs::CTRL_EXT, |c| {
            regs::CTRL_EXT::from_raw(c.into_raw() | CTRL_EXT_EE_RST)
        });
        flush(bar);
        fsleep(Delta::from_millis(2));
    }
    irq_disable(bar);
    let _ = bar.read(regs::ICR);
    // e1000_init_hw: empty VLAN filter, no secondary addresses, empty multicast table.
    for i in 0..regs::VFTA_ENTRIES {
        regs::write_at(bar, i, regs::VFTA::zeroed());
    }
    for i in 1..regs::RAR_ENTRIES {
        clear_rar(bar, i);
    }
    for i in 0..regs::MTA_ENTRIES {
        regs::write_at(bar, i, regs::MTA::zeroed());
    }
    // Flow control: the pause address and type, the pause time (e1000_setup_link).
    bar.write_reg(regs::FCAL::from_raw(regs::FLOW_CONTROL_ADDRESS_LOW));
    bar.write_reg(regs::FCAH::from_raw(regs::FLOW_CONTROL_ADDRESS_HIGH));
    bar.write_reg(regs::FCT::from_raw(regs::FLOW_CONTROL_TYPE));
    bar.write_reg(regs::FCTTV::from_raw(0xFFFF));
    bar.write_reg(regs::VET::from_raw(regs::ETHERNET_IEEE_VLAN_TYPE));
    if let Err(e) = setup_copper_link(bar, advertised) {
        pr_warn!("re1000: PHY setup failed ({:?}); link may stay down\n", e);
    }
    // Statistics registers clear on read: start from zero.
    read_stats(bar, |_, _| {});
    flush(bar);
}

/// Copper link bring-up (e1000_setup_copper_link): the MAC takes speed and duplex from the
/// PHY (`SLU`, nothing forced), the PHY advertises `speeds` (C e1000's default
/// `autoneg_advertised` is all of [`common::COPPER_SPEEDS`]) with pause and autonegotiates.
/// The link comes up when it completes (an LSC interrupt).
pub(crate) fn setup_copper_link(bar: &Bar0<'_>, speeds: LinkModes) -> Result {
    bar.update(regs::CTRL, |c| {
        c.with_slu(true)
            .with_frcspd(false)
            .with_frcdpx(false)
            .with_asde(false)
    });
    phy_write(bar, regs::PHY_ANAR, regs::ANAR_ALL)?;
    write_advertisement(bar, speeds)?;
    restart_autoneg(bar)
}

/// Autonegotiation (re)started.
pub(crate) fn restart_autoneg(bar: &Bar0<'_>) -> Result {
    phy_write(
        bar,
        regs::PHY_BMCR,
        regs::BMCR_ANENABLE | regs::BMCR_ANRESTART,
    )
}

/// Half a Microwire clock period (C e1000's `delay_usec` for these EEPROMs).
const EEPROM_DELAY: Delta = Delta::from_micros(50);
/// Microwire opcode of a read and its width.
const MICROWIRE_READ: u32 = 0b110;
const MICROWIRE_OPCODE_BITS: u32 = 3;

/// The EEPROM geometry: number of words and address bits (e1000_init_eeprom_params). The
/// 82544's is 64 words; the 82540/82545 report a 256-word part in `EECD.SIZE`.
pub(crate) fn eeprom_words(bar: &Bar0<'_>, mac: MacType) -> (u32, u32) {
    if mac != MacType::M82544 && bar.read(regs::EECD).size() {
        (256, 8)
    } else {
        (64, 6)
    }
}

/// A bit-banged Microwire session on the EEPROM: owned from [`Eeprom::acquire`] to drop (which
/// deselects the chip and gives the EEPROM back to the hardware).
struct Eeprom<'a, 'b> {
    bar: &'a Bar0<'b>,
    mac: MacType,
    eecd: regs::EECD,
}

impl<'a, 'b> Eeprom<'a, 'b> {
    /// Requests the EEPROM from the hardware (82540 and later) and selects it
    /// (e1000_acquire_eeprom). `EBUSY` if access is not granted within 5 ms.
    fn acquire(bar: &'a Bar0<'b>, mac: MacType) -> Result<Self> {
        let mut eecd = bar.read(regs::EECD);
        if mac.eeprom_handshake() {
            eecd = eecd.with_req(true);
            bar.write_reg(eecd);
            if read_poll_timeout(
                || Ok(bar.read(regs::EECD)),
                |e| e.gnt(),
                Delta::from_micros(5),
                Delta::from_millis(5),
            )
            .is_err()
            {
                bar.write_reg(eecd.with_req(false));
                pr_err!("re1000: EEPROM access not granted\n");
                return Err(EBUSY);
            }
        }
        let mut this = Self { bar, mac, eecd };
        this.set(|e| e.with_din(false).with_sk(false));
        this.set(|e| e.with_cs(true));
        Ok(this)
    }

    /// Drives the pins and waits half a clock period, busy (as C e1000's `udelay`: a sleep per
    /// edge would stretch a word's 64 edges to milliseconds); `eeprom_read` sleeps between
    /// words instead.
    fn set(&mut self, f: impl FnOnce(regs::EECD) -> regs::EECD) {
        self.eecd = f(self.eecd);
        self.bar.write_reg(self.eecd);
        flush(self.bar);
        udelay(EEPROM_DELAY);
    }

    fn clock(&mut self) {
        self.set(|e| e.with_sk(true));
        self.set(|e| e.with_sk(false));
    }

    /// Shifts the low `count` bits of `data` out, most significant first
    /// (e1000_shift_out_ee_bits).
    fn shift_out(&mut self, data: u32, count: u32) {
        for bit in (0..count).rev() {
            let one = data >> bit & 1 != 0;
            self.set(|e| e.with_din(one));
            self.clock();
        }
        self.set(|e| e.with_din(false));
    }

    /// Shifts 16 bits in, most significant first (e1000_shift_in_ee_bits).
    fn shift_in(&mut self) -> u16 {
        let mut data = 0u16;
        for _ in 0..16 {
            self.set(|e| e.with_sk(true));
            let dout = self.bar.read(regs::EECD).dout();
            data = data << 1 | u16::from(dout);
            self.set(|e| e.with_sk(false));
        }
        data
    }

    /// Deselects and reselects the chip between commands (e1000_standby_eeprom).
    fn standby(&mut self) {
        self.set(|e| e.with_cs(false).with_sk(false));
        self.set(|e| e.with_sk(true));
        self.set(|e| e.with_cs(true));
        self.set(|e| e.with_sk(false));
    }

    /// Reads word `addr` (e1000_read_eeprom, Microwire branch).
    fn read(&mut self, addr: u32, addr_bits: u32) -> u16 {
        self.shift_out(MICROWIRE_READ, MICROWIRE_OPCODE_BITS);
        self.shift_out(addr, addr_bits);
        let word = self.shift_in();
        self.standby();
        word
    }
}

impl Drop for Eeprom<'_, '_> {
    /// e1000_release_eeprom: deselect, one more clock, give the EEPROM back.
    fn drop(&mut self) {
        self.set(|e| e.with_cs(false).with_din(false));
        self.clock();
        if self.mac.eeprom_handshake() {
            self.set(|e| e.with_req(false));
        }
    }
}

/// Reads `out.len()` EEPROM words from word `first`. `EINVAL` for a range beyond the EEPROM.
pub(crate) fn eeprom_read(bar: &Bar0<'_>, mac: MacType, first: u32, out: &mut [u16]) -> Result {
    let (words, addr_bits) = eeprom_words(bar, mac);
    let n = u32::try_from(out.len()).map_err(|_| EINVAL)?;
    if first.checked_add(n).is_none_or(|end| end > words) {
        return Err(EINVAL);
    }
    let mut ee = Eeprom::acquire(bar, mac)?;
    for (addr, word) in (first..).zip(out.iter_mut()) {
        *word = ee.read(addr, addr_bits);
        // A scheduling point between words (C e1000's cond_resched): a word busy-waits ~3 ms.
        fsleep(EEPROM_DELAY);
    }
    Ok(())
}

/// The sum of EEPROM words 0..0x3F, which is [`regs::NVM_SUM`] when the image is valid
/// (e1000_validate_eeprom_checksum).
pub(crate) fn eeprom_checksum(bar: &Bar0<'_>, mac: MacType) -> Result<u16> {
    let mut words = [0u16; regs::NVM_CHECKSUM_WORDS];
    eeprom_read(bar, mac, 0, &mut words)?;
    Ok(common::nvm_sum(&words))
}

/// The permanent address from EEPROM words 0..3 (e1000_read_mac_addr; the dual-port 82546's
/// second function, which flips the last bit, is not among the supported models).
pub(crate) fn eeprom_mac(bar: &Bar0<'_>, mac: MacType) -> Result<[u8; 6]> {
    let mut words = [0u16; 3];
    eeprom_read(bar, mac, 0, &mut words)?;
    Ok(common::nvm_mac(&words))
}

/// Forces speed and duplex, or (`None`) returns to autonegotiation (e1000_set_spd_dplx,
/// e1000_phy_force_speed_duplex). The caller checked the combination.
pub(crate) fn set_link(bar: &Bar0<'_>, request: LinkRequest) -> Result {
    let (speed, full) = match request {
        LinkRequest::Forced(speed, full) => (speed, full),
        // Back to autonegotiation: the link drops and comes back when it completes.
        LinkRequest::Autoneg(speeds) => return setup_copper_link(bar, speeds),
    };
    phy_write(bar, regs::PHY_BMCR, common::forced_bmcr(speed, full))?;
    bar.update(regs::CTRL, |c| {
        c.with_frcspd(true)
            .with_frcdpx(true)
            .with_slu(true)
            .with_asde(false)
            .with_speed(speed)
            .with_fd(full)
    });
    Ok(())
}

/// Whether the link settings are forced (`CTRL.FRCSPD`).
pub(crate) fn link_forced(bar: &Bar0<'_>) -> bool {
    bar.read(regs::CTRL).frcspd()
}

/// Sets flow control (e1000_force_mac_fc), with thresholds as C e1000 programs them for the
/// 8254x's 48 KiB receive packet buffer (`PBA` = 48 KiB for standard frames).
pub(crate) fn set_pause(bar: &Bar0<'_>, rx: bool, tx: bool) {
    if tx {
        bar.write_reg(regs::FCRTH::from_raw(0xA000));
        bar.write_reg(regs::FCRTL::from_raw(0x9800 | regs::FCRTL_XONE));
    } else {
        bar.write_reg(regs::FCRTH::zeroed());
        bar.write_reg(regs::FCRTL::zeroed());
    }
    bar.update(regs::CTRL, |c| c.with_rfce(rx).with_tfce(tx));
}

/// Hardware statistics registers (clear on read), accumulated by the watchdog and by
/// `ethtool -S`: the counters the 8254x shares with the 82576, then the collision and TSO
/// counters of its own.
pub(crate) const HW_STATS: [stats::HwStat; 30] = {
    use regs::offset as o;
    stats::with_common([
        ("rx_align_errors", o::<regs::ALGNERRC>(), None),
        ("rx_symbol_errors", o::<regs::SYMERRS>(), None),
        ("rx_errors", o::<regs::RXERRC>(), None),
        ("collisions", o::<regs::COLC>(), None),
        ("tx_single_coll_ok", o::<regs::SCC>(), None),
        ("tx_multi_coll_ok", o::<regs::MCC>(), None),
        ("tx_abort_late_coll", o::<regs::LATECOL>(), None),
        ("tx_tcp_seg_good", o::<regs::TSCTC>(), None),
    ])
};
/// Positions in `HW_STATS` of the 8254x's counters the netdev statistics use.
pub(crate) const HW_ALGNERRC: usize = stats::COMMON.len();
pub(crate) const HW_COLC: usize = stats::COMMON.len() + 3;

/// Reads the statistics registers (clearing them): `f(index in HW_STATS, value)`.
pub(crate) fn read_stats(bar: &Bar0<'_>, f: impl FnMut(usize, u64)) {
    stats::read(bar, &HW_STATS, f)
}
