// SPDX-License-Identifier: GPL-2.0

//! 8254x registers used by re1000, as typed `register!` definitions (e1000_hw.h of the C e1000
//! driver and the PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's Manual).
//!
//! As in rigb's `regs.rs`: registers whose value the driver composes from fields have those
//! fields; registers holding an address, a count or a bitmap of causes are left raw.
//!
//! The 8254x has one transmit and one receive queue, at the register block the 82543 and later
//! use (0x2800/0x3800; the 82542's older aliases are not needed for the models supported).

use kernel::io::register::{Array, Register, RegisterArray};
use kernel::io::{register, Io};
use kernel::num::Bounded;
use kernel::pci;

/// BAR0 maps 128 KiB of registers (QEMU's model and the real parts).
pub(crate) const BAR0_SIZE: usize = 0x20000;

/// BAR0 with its size known at build time (see rigb's `regs.rs`).
pub(crate) type Bar0<'a> = pci::Bar<'a, BAR0_SIZE>;

/// Link speed as encoded in `CTRL.SPEED` and `STATUS.SPEED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Speed {
    Mbps10,
    Mbps100,
    Mbps1000,
}

impl Speed {
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

    /// EEPROM/flash control: the Microwire EEPROM's pins, driven by software (bit-banged).
    pub(crate) EECD(u32) @ 0x0010 {
        /// EEPROM size (Microwire: 256 words with 8 address bits, else 64 with 6).
        9:9 size => bool;
        /// An EEPROM is present.
        8:8 pres => bool;
        /// Access granted (after `req`, 82540 and later).
        7:7 gnt => bool;
        /// Access requested.
        6:6 req => bool;
        /// Data out of the EEPROM.
        3:3 dout => bool;
        /// Data into the EEPROM.
        2:2 din => bool;
        /// Chip select.
        1:1 cs => bool;
        /// Clock.
        0:0 sk => bool;
    }

    /// Extended device control.
    pub(crate) CTRL_EXT(u32) @ 0x0018 {}

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

    /// Flow control address (the 01:80:C2:00:00:01 pause address) and type.
    pub(crate) FCAL(u32) @ 0x0028 {}
    pub(crate) FCAH(u32) @ 0x002C {}
    pub(crate) FCT(u32) @ 0x0030 {}
    /// VLAN Ether type.
    pub(crate) VET(u32) @ 0x0038 {}

    /// Interrupt cause read; reading acknowledges (clears) the causes. Values are sets of
    /// `ICR_*` causes, as for the other interrupt registers.
    pub(crate) ICR(u32) @ 0x00C0 {}
    /// Interrupt throttling: the minimum interval between interrupts in 256 ns units.
    pub(crate) ITR(u32) @ 0x00C4 {}
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
        /// Buffer size extension: `bsize` counts in 16x larger units.
        25:25 bsex => bool;
        /// Accept broadcast.
        15:15 bam => bool;
        /// Buffer size (0: 2048, or with `bsex` 1: 16384, 2: 8192, 3: 4096).
        17:16 bsize;
        /// Multicast offset: which address bits index the MTA (0: bits 47:36).
        13:12 mo;
        /// Receive descriptor minimum threshold (0: half the ring).
        9:8 rdmts;
        /// Loopback mode (3: MAC loopback on the 8254x).
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
        22:22 rtlc => bool;
        /// Collision distance.
        21:12 cold;
        /// Collision threshold.
        11:4 ct;
        /// Pad short packets.
        3:3 psp => bool;
        1:1 en => bool;
    }

    /// Transmit inter-packet gap.
    pub(crate) TIPG(u32) @ 0x0410 {
        29:20 ipgr2;
        19:10 ipgr1;
        9:0 ipgt;
    }

    /// Packet buffer allocation: receive share in KiB (bits 15:0), the rest transmits.
    pub(crate) PBA(u32) @ 0x1000 {}

    /// Flow control receive thresholds (low with `FCRTL_XONE`, high).
    pub(crate) FCRTL(u32) @ 0x2160 {}
    pub(crate) FCRTH(u32) @ 0x2168 {}

    // The receive queue.
    pub(crate) RDBAL(u32) @ 0x2800 {}
    pub(crate) RDBAH(u32) @ 0x2804 {}
    /// Ring length in bytes (a multiple of 128).
    pub(crate) RDLEN(u32) @ 0x2808 {}
    pub(crate) RDH(u32) @ 0x2810 {}
    pub(crate) RDT(u32) @ 0x2818 {}
    /// Receive delay timer (1.024 µs units).
    pub(crate) RDTR(u32) @ 0x2820 {}
    /// Receive absolute interrupt delay (1.024 µs units; 82540 and later).
    pub(crate) RADV(u32) @ 0x282C {}

    // The transmit queue.
    pub(crate) TDBAL(u32) @ 0x3800 {}
    pub(crate) TDBAH(u32) @ 0x3804 {}
    /// Ring length in bytes (a multiple of 128).
    pub(crate) TDLEN(u32) @ 0x3808 {}
    pub(crate) TDH(u32) @ 0x3810 {}
    pub(crate) TDT(u32) @ 0x3818 {}
    /// Transmit interrupt delay (1.024 µs units).
    pub(crate) TIDV(u32) @ 0x3820 {}
    /// Transmit absolute interrupt delay (82540 and later).
    pub(crate) TADV(u32) @ 0x382C {}

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

    /// Receive checksum control.
    pub(crate) RXCSUM(u32) @ 0x5000 {
        /// TCP/UDP checksum offload.
        9:9 tuofl => bool;
        /// IP checksum offload.
        8:8 ipofl => bool;
        /// Where the packet checksum starts.
        7:0 pcss;
    }

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

    /// VLAN filter table (cleared at reset; re1000 leaves VLAN filtering off).
    pub(crate) VFTA(u32)[128] @ 0x5600 {}
}

/// Interrupt causes (`ICR`, `ICS`, `IMS`, `IMC`).
pub(crate) const ICR_TXDW: u32 = 1 << 0;
pub(crate) const ICR_LSC: u32 = 1 << 2;
pub(crate) const ICR_RXSEQ: u32 = 1 << 3;
pub(crate) const ICR_RXDMT0: u32 = 1 << 4;
pub(crate) const ICR_RXT0: u32 = 1 << 7;
/// The causes re1000 enables, as C e1000's `IMS_ENABLE_MASK`: receive timer, transmit done,
/// receive ring low, sequence error and link change.
pub(crate) const IMS_ENABLE: u32 = ICR_RXT0 | ICR_TXDW | ICR_RXDMT0 | ICR_RXSEQ | ICR_LSC;

/// `FCRTL`: send XON when the buffer drains below the low threshold.
pub(crate) const FCRTL_XONE: u32 = 1 << 31;

/// The flow control address and type (802.3x), as C e1000 programs them.
pub(crate) const FLOW_CONTROL_ADDRESS_LOW: u32 = 0x00C2_8001;
pub(crate) const FLOW_CONTROL_ADDRESS_HIGH: u32 = 0x0000_0100;
pub(crate) const FLOW_CONTROL_TYPE: u32 = 0x8808;
/// 802.1Q Ether type (`VET`).
pub(crate) const ETHERNET_IEEE_VLAN_TYPE: u32 = 0x8100;

/// Entries of the receive address table.
pub(crate) const RAR_ENTRIES: usize = <RAL as RegisterArray>::SIZE;
/// Entries of the multicast table and of the VLAN filter table.
pub(crate) const MTA_ENTRIES: usize = <MTA as RegisterArray>::SIZE;
pub(crate) const VFTA_ENTRIES: usize = <VFTA as RegisterArray>::SIZE;

/// PHY registers (IEEE 802.3 clause 22) and their bits.
pub(crate) const PHY_BMCR: u32 = 0;
pub(crate) const PHY_ID1: u32 = 2;
pub(crate) const PHY_ID2: u32 = 3;
pub(crate) const PHY_ANAR: u32 = 4;
pub(crate) const PHY_1000T_CTRL: u32 = 9;
pub(crate) const BMCR_SPEED1000: u16 = 0x0040;
pub(crate) const BMCR_FULLDPLX: u16 = 0x0100;
pub(crate) const BMCR_ANRESTART: u16 = 0x0200;
pub(crate) const BMCR_ANENABLE: u16 = 0x1000;
pub(crate) const BMCR_SPEED100: u16 = 0x2000;
/// ANAR: 10/100 half and full, IEEE 802.3 selector, symmetric and asymmetric pause.
pub(crate) const ANAR_ALL: u16 = 0x01E1 | 0x0C00;
/// 1000BASE-T control: advertise 1000 full (the 8254x does not advertise 1000 half, as C).
pub(crate) const GTCR_1000FULL: u16 = 0x0200;
/// The PHY address of the 8254x's internal PHY.
pub(crate) const PHY_ADDRESS: u32 = 1;

/// EEPROM layout: the MAC address in words 0..3, the checksum over words 0..0x3F.
pub(crate) const EEPROM_CHECKSUM_WORDS: u32 = 0x40;
/// The words 0..0x3F sum to this when the checksum word is right.
pub(crate) const EEPROM_SUM: u16 = 0xBABA;

/// Offset of fixed register `R` (for tables: statistics, the register dump and test).
pub(crate) const fn offset<R: Register>() -> usize {
    R::OFFSET
}

/// Offset of entry `i` of register array `R`.
pub(crate) const fn offset_at<R: RegisterArray>(i: usize) -> usize {
    R::OFFSET + i * R::STRIDE
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
