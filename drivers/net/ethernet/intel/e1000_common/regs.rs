// SPDX-License-Identifier: GPL-2.0

//! Registers both the 8254x and the 82576 have at the same offsets with the same layout, as
//! typed `register!` definitions (e1000_hw.h of the C e1000 driver, e1000_regs.h and
//! e1000_defines.h of the C igb driver), and the accessors both drivers use.
//!
//! Registers whose value a driver composes from fields have those fields (the union of what
//! the two drivers use: every bit named here is at the same place in both families, and where
//! one family does not use it the field says so); registers
//! that hold an address, a count, a hash or a bitmap of causes are left raw (`from_raw` /
//! `into_raw`), with the bits as constants where they have names.

use kernel::io::register::{Array, Register, RegisterArray};
use kernel::io::{register, Io};
use kernel::num::Bounded;
use kernel::pci;

/// BAR0 maps 128 KiB of registers (both families, QEMU's models and the real parts).
pub(crate) const BAR0_SIZE: usize = 0x20000;

/// BAR0 with its size known at build time: fixed-register accesses are bounds-checked by the
/// compiler, register-array accesses at a runtime index by [`read_at`] and [`write_at`].
pub(crate) type Bar0<'a> = pci::Bar<'a, BAR0_SIZE>;

/// Link speed as encoded in `CTRL.SPEED` and `STATUS.SPEED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Speed {
    Mbps10,
    Mbps100,
    Mbps1000,
}

impl Speed {
    /// The speed in Mb/s, as ethtool reports it.
    pub(crate) fn mbps(self) -> u32 {
        match self {
            Self::Mbps10 => 10,
            Self::Mbps100 => 100,
            Self::Mbps1000 => 1000,
        }
    }
}

impl From<Bounded<u32, 2>> for Speed {
    fn from(v: Bounded<u32, 2>) -> Self {
        match v.get() {
            0 => Self::Mbps10,
            1 => Self::Mbps100,
            // 2, and 3 (which the datasheets also read as 1000 Mb/s).
            _ => Self::Mbps1000,
        }
    }
}

impl From<Speed> for Bounded<u32, 2> {
    fn from(s: Speed) -> Self {
        match s {
            Speed::Mbps10 => Bounded::<u32, 2>::new::<0>(),
            Speed::Mbps100 => Bounded::<u32, 2>::new::<1>(),
            Speed::Mbps1000 => Bounded::<u32, 2>::new::<2>(),
        }
    }
}

register! {
    /// Device control.
    pub(crate) CTRL(u32) @ 0x0000 {
        /// PHY reset.
        31:31 phy_rst => bool;
        /// Transmit flow control (pause frames) enabled.
        28:28 tfce => bool;
        /// Receive flow control enabled.
        27:27 rfce => bool;
        /// Device reset; self-clearing.
        26:26 rst => bool;
        /// Force duplex from `fd`.
        12:12 frcdpx => bool;
        /// Force speed from `speed`.
        11:11 frcspd => bool;
        9:8 speed => Speed;
        /// Set link up.
        6:6 slu => bool;
        /// Auto-speed detection.
        5:5 asde => bool;
        /// Full duplex.
        0:0 fd => bool;
    }

    /// Device status.
    pub(crate) STATUS(u32) @ 0x0008 {
        7:6 speed => Speed;
        /// Link up.
        1:1 lu => bool;
        /// Full duplex.
        0:0 fd => bool;
    }

    /// Extended device control.
    pub(crate) CTRL_EXT(u32) @ 0x0018 {
        /// Tells the firmware that a driver is loaded.
        28:28 drv_load => bool;
    }

    /// MDI control: PHY register access.
    pub(crate) MDIC(u32) @ 0x0020 {
        30:30 error => bool;
        28:28 ready => bool;
        /// 1: write, 2: read.
        27:26 op;
        25:21 phyadd;
        20:16 regadd;
        15:0 data => u16;
    }

    // Interrupt cause and mask registers (on the 82576 their e1000-compatible aliases, which
    // QEMU's igb model implements for the non-MSI-X modes). Values are sets of `ICR_*` causes.

    /// Interrupt cause read; reading acknowledges (clears) the causes.
    pub(crate) ICR(u32) @ 0x00C0 {}
    /// Interrupt cause set (raises causes by software).
    pub(crate) ICS(u32) @ 0x00C8 {}
    /// Interrupt mask set/read (enables causes).
    pub(crate) IMS(u32) @ 0x00D0 {}
    /// Interrupt mask clear (disables causes).
    pub(crate) IMC(u32) @ 0x00D8 {}

    /// Receive control.
    pub(crate) RCTL(u32) @ 0x0100 {
        /// Strip the Ethernet CRC.
        26:26 secrc => bool;
        /// Buffer size extension: `bsize` counts in 16x larger units (8254x; the 82576 sizes
        /// its buffers per queue in `SRRCTL` and leaves this and `bsize` at 0).
        25:25 bsex => bool;
        /// Buffer size (0: 2048, or with `bsex` 1: 16384, 2: 8192, 3: 4096).
        17:16 bsize;
        /// Accept broadcast.
        15:15 bam => bool;
        /// Multicast offset: which address bits index the MTA (0: bits 47:36).
        13:12 mo;
        /// Receive descriptor minimum threshold (0: half the ring).
        9:8 rdmts;
        /// Loopback mode (82576: 1 is MAC loopback; 8254x: 3).
        7:6 lbm;
        /// Long packets (beyond 1522 bytes).
        5:5 lpe => bool;
        /// Multicast promiscuous.
        4:4 mpe => bool;
        /// Unicast promiscuous.
        3:3 upe => bool;
        /// Store bad packets.
        2:2 sbp => bool;
        1:1 en => bool;
    }

    /// Flow control transmit timer value.
    pub(crate) FCTTV(u32) @ 0x0170 {}

    /// Transmit control.
    pub(crate) TCTL(u32) @ 0x0400 {
        /// Re-transmit on late collision.
        24:24 rtlc => bool;
        /// Collision distance.
        21:12 cold;
        /// Collision threshold.
        11:4 ct;
        /// Pad short packets.
        3:3 psp => bool;
        1:1 en => bool;
    }

    /// Flow control receive thresholds (low with `FCRTL_XONE`, high).
    pub(crate) FCRTL(u32) @ 0x2160 {}
    pub(crate) FCRTH(u32) @ 0x2168 {}

    // Statistics (clear on read).
    pub(crate) CRCERRS(u32) @ 0x4000 {}
    pub(crate) ALGNERRC(u32) @ 0x4004 {}
    pub(crate) SYMERRS(u32) @ 0x4008 {}
    pub(crate) RXERRC(u32) @ 0x400C {}
    pub(crate) MPC(u32) @ 0x4010 {}
    pub(crate) SCC(u32) @ 0x4014 {}
    pub(crate) ECOL(u32) @ 0x4018 {}
    pub(crate) MCC(u32) @ 0x401C {}
    pub(crate) LATECOL(u32) @ 0x4020 {}
    pub(crate) COLC(u32) @ 0x4028 {}
    pub(crate) RLEC(u32) @ 0x4040 {}
    pub(crate) XONRXC(u32) @ 0x4048 {}
    pub(crate) XONTXC(u32) @ 0x404C {}
    pub(crate) XOFFRXC(u32) @ 0x4050 {}
    pub(crate) XOFFTXC(u32) @ 0x4054 {}
    pub(crate) GPRC(u32) @ 0x4074 {}
    pub(crate) BPRC(u32) @ 0x4078 {}
    pub(crate) MPRC(u32) @ 0x407C {}
    pub(crate) GPTC(u32) @ 0x4080 {}
    pub(crate) GORCL(u32) @ 0x4088 {}
    pub(crate) GORCH(u32) @ 0x408C {}
    pub(crate) GOTCL(u32) @ 0x4090 {}
    pub(crate) GOTCH(u32) @ 0x4094 {}
    pub(crate) RNBC(u32) @ 0x40A0 {}
    pub(crate) RUC(u32) @ 0x40A4 {}
    pub(crate) ROC(u32) @ 0x40AC {}
    pub(crate) TORL(u32) @ 0x40C0 {}
    pub(crate) TORH(u32) @ 0x40C4 {}
    pub(crate) TOTL(u32) @ 0x40C8 {}
    pub(crate) TOTH(u32) @ 0x40CC {}
    pub(crate) TPR(u32) @ 0x40D0 {}
    pub(crate) TPT(u32) @ 0x40D4 {}
    pub(crate) MPTC(u32) @ 0x40F0 {}
    pub(crate) BPTC(u32) @ 0x40F4 {}
    /// TCP segmentation contexts transmitted, and failed.
    pub(crate) TSCTC(u32) @ 0x40F8 {}
    pub(crate) TSCTFC(u32) @ 0x40FC {}

    /// Multicast table: one bit per hash value (`RCTL.MO` = 0: address bits 47:36).
    pub(crate) MTA(u32)[128] @ 0x5200 {}

    /// Receive address low (bytes 0-3); entry 0 holds the device address.
    pub(crate) RAL(u32)[16, stride = 8] @ 0x5400 {}

    /// Receive address high (bytes 4-5).
    pub(crate) RAH(u32)[16, stride = 8] @ 0x5404 {
        /// Address valid.
        31:31 av => bool;
        15:0 addr => u16;
    }
}

/// Interrupt causes (`ICR`, `ICS`, `IMS`, `IMC`): transmit descriptor written back, link
/// status change, receive sequence error, receive descriptor minimum threshold, receive timer.
pub(crate) const ICR_TXDW: u32 = 1 << 0;
pub(crate) const ICR_LSC: u32 = 1 << 2;
pub(crate) const ICR_RXSEQ: u32 = 1 << 3;
pub(crate) const ICR_RXDMT0: u32 = 1 << 4;
pub(crate) const ICR_RXT0: u32 = 1 << 7;

/// `FCRTL`: send XON when the buffer drains below the low threshold.
pub(crate) const FCRTL_XONE: u32 = 1 << 31;

/// Entries of the receive address table.
pub(crate) const RAR_ENTRIES: usize = <RAL as RegisterArray>::SIZE;
/// Entries of the multicast table.
pub(crate) const MTA_ENTRIES: usize = <MTA as RegisterArray>::SIZE;

/// PHY registers (IEEE 802.3 clause 22) and the control register's bits.
pub(crate) const PHY_BMCR: u32 = 0;
pub(crate) const PHY_ID1: u32 = 2;
pub(crate) const PHY_ID2: u32 = 3;
/// Autonegotiation advertisement (10/100) and 1000BASE-T control registers.
pub(crate) const PHY_ANAR: u32 = 4;
pub(crate) const PHY_1000T_CTRL: u32 = 9;
/// ANAR's speed bits: 10 half, 10 full, 100 half, 100 full.
pub(crate) const ANAR_10_HALF: u16 = 0x0020;
pub(crate) const ANAR_10_FULL: u16 = 0x0040;
pub(crate) const ANAR_100_HALF: u16 = 0x0080;
pub(crate) const ANAR_100_FULL: u16 = 0x0100;
/// 1000BASE-T control: advertise 1000 half, 1000 full.
pub(crate) const GTCR_1000HALF: u16 = 0x0100;
pub(crate) const GTCR_1000FULL: u16 = 0x0200;
pub(crate) const BMCR_SPEED1000: u16 = 0x0040;
pub(crate) const BMCR_FULLDPLX: u16 = 0x0100;
pub(crate) const BMCR_ANRESTART: u16 = 0x0200;
pub(crate) const BMCR_ANENABLE: u16 = 0x1000;
pub(crate) const BMCR_SPEED100: u16 = 0x2000;
/// The MDIO address of the internal PHY (both families).
pub(crate) const PHY_ADDRESS: u32 = 1;

/// The NVM's checksum covers words 0..0x3F ...
pub(crate) const NVM_CHECKSUM_WORDS: usize = 0x40;
/// ... which sum to this when the checksum word is right.
pub(crate) const NVM_SUM: u16 = 0xBABA;

/// Offset of fixed register `R` (for tables: statistics, the register dump and test).
pub(crate) const fn offset<R: Register>() -> usize {
    R::OFFSET
}

/// Offset of entry `i` of register array `R`.
pub(crate) const fn offset_at<R: RegisterArray>(i: usize) -> usize {
    R::OFFSET + i * R::STRIDE
}

/// Reads entry `i` of register array `R` (a queue's register, a table entry). An index
/// outside the array reads as all ones, as a removed device would.
pub(crate) fn read_at<R>(bar: &Bar0<'_>, i: usize) -> R
where
    R: RegisterArray<Storage = u32> + Array + From<u32>,
{
    R::try_at(i)
        .and_then(|loc| bar.try_read(loc).ok())
        .unwrap_or_else(|| R::from(u32::MAX))
}

/// Writes entry `i` of register array `R`; an index outside the array writes nothing.
pub(crate) fn write_at<R>(bar: &Bar0<'_>, i: usize, value: R)
where
    R: RegisterArray<Storage = u32> + Array,
{
    if let Some(loc) = R::try_at(i) {
        let _ = bar.try_write(loc, value);
    }
}

/// Reads the register at `offset` (tables of offsets); all ones if it is outside BAR0.
pub(crate) fn read_offset(bar: &Bar0<'_>, offset: usize) -> u32 {
    bar.try_read32(offset).unwrap_or(u32::MAX)
}

/// Writes the register at `offset`; nothing if it is outside BAR0.
pub(crate) fn write_offset(bar: &Bar0<'_>, offset: usize, value: u32) {
    let _ = bar.try_write32(value, offset);
}

/// The low half of a bus address, for the low register of a pair (`TDBAL`, `RDBAL`).
pub(crate) fn lower_32_bits(addr: u64) -> u32 {
    addr as u32
}

/// The high half of a bus address, for the high register of a pair (`TDBAH`, `RDBAH`).
pub(crate) fn upper_32_bits(addr: u64) -> u32 {
    (addr >> 32) as u32
}
