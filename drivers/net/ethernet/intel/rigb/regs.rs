// SPDX-License-Identifier: GPL-2.0

//! 82576 registers used by rigb, as typed `register!` definitions (e1000_regs.h and
//! e1000_defines.h of the C igb driver, and the 82576 datasheet).
//!
//! Registers whose value the driver composes from fields have those fields; registers that hold
//! an address, a count, a hash or a bitmap of causes or vectors are left raw (`from_raw` /
//! `into_raw`), with the bits as constants where they have names.

use kernel::io::register::{Array, Register, RegisterArray};
use kernel::io::{register, Io};
use kernel::num::Bounded;
use kernel::pci;

/// BAR0 maps 128 KiB of registers.
pub(crate) const BAR0_SIZE: usize = 0x20000;

/// BAR0 with its size known at build time: fixed-register accesses are bounds-checked by the
/// compiler, register-array accesses at a runtime index by [`read_at`] and [`write_at`].
pub(crate) type Bar0<'a> = pci::Bar<'a, BAR0_SIZE>;

/// Queues of the 82576 (rigb uses at most `MAX_QUEUES` of them).
pub(crate) const HW_QUEUES: usize = 16;
/// Per-queue registers repeat every 0x40 bytes.
const QUEUE_STRIDE: usize = 0x40;
/// MSI-X vectors of the 82576, each with its throttle register.
pub(crate) const HW_VECTORS: usize = 25;

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
            // 2, and 3 (which the datasheet also reads as 1000 Mb/s).
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

    /// NVM (EEPROM) read.
    pub(crate) EERD(u32) @ 0x0014 {
        31:16 data => u16;
        /// Word address.
        15:2 addr;
        1:1 done => bool;
        0:0 start => bool;
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

    // Interrupt cause/mask registers at their e1000-compatible aliases (the 82576 maps them at
    // both 0x00C0.. and 0x1500..). QEMU's igb model implements only the aliases for the
    // non-MSI-X (MSI and INTx) mode rigb uses. Values are sets of `ICR_*` causes.

    /// Interrupt cause read; reading acknowledges (clears) the causes.
    pub(crate) ICR(u32) @ 0x00C0 {}
    /// Interrupt throttling in non-MSI-X mode (same format as `EITR`).
    pub(crate) ITR(u32) @ 0x00C4 {}
    /// Interrupt cause set (raises causes by software).
    pub(crate) ICS(u32) @ 0x00C8 {}
    /// Interrupt mask set (enables causes).
    pub(crate) IMS(u32) @ 0x00D0 {}
    /// Interrupt mask clear (disables causes).
    pub(crate) IMC(u32) @ 0x00D8 {}

    /// Receive control.
    pub(crate) RCTL(u32) @ 0x0100 {
        /// Strip the Ethernet CRC.
        26:26 secrc => bool;
        /// Accept broadcast.
        15:15 bam => bool;
        /// Loopback mode (1: MAC loopback).
        7:6 lbm;
        /// Long packets (beyond 1522 bytes).
        5:5 lpe => bool;
        /// Multicast promiscuous.
        4:4 mpe => bool;
        /// Unicast promiscuous.
        3:3 upe => bool;
        1:1 en => bool;
    }

    /// Flow control transmit timer value.
    pub(crate) FCTTV(u32) @ 0x0170 {}

    /// Transmit control.
    pub(crate) TCTL(u32) @ 0x0400 {
        /// Collision distance.
        21:12 cold;
        /// Collision threshold.
        11:4 ct;
        /// Pad short packets.
        3:3 psp => bool;
        1:1 en => bool;
    }

    /// General purpose interrupt enable: the MSI-X mode switches.
    pub(crate) GPIE(u32) @ 0x1514 {
        /// Pending bit array support.
        31:31 pba => bool;
        /// Extended interrupt auto-mask enable.
        30:30 eiame => bool;
        4:4 msix_mode => bool;
        /// Non-selective ICR clear on read (in MSI-X mode).
        0:0 nsicr => bool;
    }

    // MSI-X mode ("extended") interrupt registers: one bit per vector.

    /// Extended interrupt cause set.
    pub(crate) EICS(u32) @ 0x1520 {}
    /// Extended interrupt mask set.
    pub(crate) EIMS(u32) @ 0x1524 {}
    /// Extended interrupt mask clear.
    pub(crate) EIMC(u32) @ 0x1528 {}
    /// Extended interrupt auto-clear.
    pub(crate) EIAC(u32) @ 0x152C {}

    /// Interrupt throttle of each MSI-X vector: an interval in `EITR_INTERVAL_MASK` (µs × 4).
    pub(crate) EITR(u32)[HW_VECTORS] @ 0x1680 {}

    /// Interrupt vector allocation of queue pair `q` (82576: queues 8..15 in the upper half).
    pub(crate) IVAR0(u32)[8] @ 0x1700 {
        15:15 tx_valid => bool;
        12:8 tx_vector;
        7:7 rx_valid => bool;
        4:0 rx_vector;
    }

    /// Vector of the "other" causes (link change).
    pub(crate) IVAR_MISC(u32) @ 0x1740 {
        15:15 other_valid => bool;
        12:8 other_vector;
    }

    /// Flow control receive thresholds (low with `FCRTL_XONE`, high).
    pub(crate) FCRTL(u32) @ 0x2160 {}
    pub(crate) FCRTH(u32) @ 0x2168 {}

    // Statistics (clear on read).
    pub(crate) CRCERRS(u32) @ 0x4000 {}
    pub(crate) MPC(u32) @ 0x4010 {}
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

    /// Receive checksum control.
    pub(crate) RXCSUM(u32) @ 0x5000 {
        /// Packet checksum disabled: the descriptor carries the RSS hash instead.
        13:13 pcsd => bool;
        /// CRC offload.
        11:11 crcofl => bool;
        /// TCP/UDP checksum offload.
        9:9 tuofld => bool;
        /// IP checksum offload.
        8:8 ipofld => bool;
    }

    /// Receive long packet maximal length.
    pub(crate) RLPML(u32) @ 0x5004 {}

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

    /// Multiple receive queues command.
    pub(crate) MRQC(u32) @ 0x5818 {
        /// Hash TCP over IPv6.
        21:21 rss_ipv6_tcp => bool;
        /// Hash IPv6 addresses.
        20:20 rss_ipv6 => bool;
        /// Hash IPv4 addresses.
        17:17 rss_ipv4 => bool;
        /// Hash TCP over IPv4.
        16:16 rss_ipv4_tcp => bool;
        /// Multiple receive queues enable (2: RSS).
        2:0 mrqe;
    }

    /// Redirection table: 128 one-byte queue indices.
    pub(crate) RETA(u32)[32] @ 0x5C00 {}

    /// RSS hash key: 40 bytes.
    pub(crate) RSSRK(u32)[10] @ 0x5C80 {}

    // Receive queues.
    pub(crate) RDBAL(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC000 {}
    pub(crate) RDBAH(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC004 {}
    /// Ring length in bytes.
    pub(crate) RDLEN(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC008 {}

    /// Split and replication receive control.
    pub(crate) SRRCTL(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC00C {
        /// Drop frames when no descriptor is available.
        31:31 drop_en => bool;
        /// Descriptor type (1: advanced, one buffer).
        27:25 desctype;
        /// Packet buffer size in KiB.
        6:0 bsizepacket;
    }

    pub(crate) RDH(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC010 {}
    pub(crate) RDT(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC018 {}

    /// Receive descriptor control.
    pub(crate) RXDCTL(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xC028 {
        25:25 enable => bool;
    }

    // Transmit queues.
    pub(crate) TDBAL(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xE000 {}
    pub(crate) TDBAH(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xE004 {}
    /// Ring length in bytes.
    pub(crate) TDLEN(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xE008 {}
    pub(crate) TDH(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xE010 {}
    pub(crate) TDT(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xE018 {}

    /// Transmit descriptor control.
    pub(crate) TXDCTL(u32)[HW_QUEUES, stride = QUEUE_STRIDE] @ 0xE028 {
        25:25 enable => bool;
    }
}

/// Interrupt causes (`ICR`, `ICS`, `IMS`, `IMC`): transmit descriptor written back, link
/// status change, receive descriptor minimum threshold, receive timer.
pub(crate) const ICR_TXDW: u32 = 1 << 0;
pub(crate) const ICR_LSC: u32 = 1 << 2;
pub(crate) const ICR_RXDMT0: u32 = 1 << 4;
pub(crate) const ICR_RXT0: u32 = 1 << 7;
/// The causes rigb enables without MSI-X: transmit done, link change, receive.
pub(crate) const IMS_ENABLE: u32 = ICR_TXDW | ICR_LSC | ICR_RXDMT0 | ICR_RXT0;

/// Interval field of `EITR`/`ITR`: microseconds × 4 in bits 14:2.
pub(crate) const EITR_INTERVAL_MASK: u32 = 0x7FFC;
/// Writing `EITR` does not reset its counter (82576 and later).
pub(crate) const EITR_CNT_IGNR: u32 = 1 << 31;

/// `FCRTL`: send XON when the buffer drains below the low threshold.
pub(crate) const FCRTL_XONE: u32 = 1 << 31;

/// Entries of the receive address table.
pub(crate) const RAR_ENTRIES: usize = <RAL as RegisterArray>::SIZE;
/// Entries of the multicast table.
pub(crate) const MTA_ENTRIES: usize = <MTA as RegisterArray>::SIZE;
/// Registers of the redirection table and of the RSS key.
pub(crate) const RETA_REGS: usize = <RETA as RegisterArray>::SIZE;
pub(crate) const RSS_KEY_LEN: usize = 4 * <RSSRK as RegisterArray>::SIZE;

/// PHY control register (MII BMCR) and its bits.
pub(crate) const PHY_BMCR: u32 = 0;
pub(crate) const BMCR_SPEED1000: u16 = 0x0040;
pub(crate) const BMCR_FULLDPLX: u16 = 0x0100;
pub(crate) const BMCR_ANRESTART: u16 = 0x0200;
pub(crate) const BMCR_ANENABLE: u16 = 0x1000;
pub(crate) const BMCR_SPEED100: u16 = 0x2000;

/// The NVM words 0..0x3F sum to this when the checksum word is right.
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
