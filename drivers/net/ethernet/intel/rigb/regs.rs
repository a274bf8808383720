// SPDX-License-Identifier: GPL-2.0

//! 82576 registers used by rigb, as typed `register!` definitions (e1000_regs.h and
//! e1000_defines.h of the C igb driver, and the 82576 datasheet).
//!
//! The registers the 82576 shares with the 8254x (device control and status, MDIC, interrupt
//! causes, the receive address and multicast tables, statistics) and the accessors are
//! `e1000_common`'s, re-exported here; this file adds the 82576's own: the NVM through `EERD`,
//! MSI-X, RSS and the per-queue blocks.
//!
//! Registers whose value the driver composes from fields have those fields; registers that hold
//! an address, a count, a hash or a bitmap of causes or vectors are left raw (`from_raw` /
//! `into_raw`), with the bits as constants where they have names.

pub(crate) use crate::e1000_common::regs::*;
use kernel::io::register;
use kernel::io::register::RegisterArray;

/// Queues of the 82576 (rigb uses at most `MAX_QUEUES` of them).
pub(crate) const HW_QUEUES: usize = 16;
/// Per-queue registers repeat every 0x40 bytes.
const QUEUE_STRIDE: usize = 0x40;
/// MSI-X vectors of the 82576, each with its throttle register.
pub(crate) const HW_VECTORS: usize = 25;

register! {
    /// NVM (EEPROM) read.
    pub(crate) EERD(u32) @ 0x0014 {
        31:16 data => u16;
        /// Word address.
        15:2 addr;
        1:1 done => bool;
        0:0 start => bool;
    }

    /// Interrupt throttling in non-MSI-X mode (same format as `EITR`).
    pub(crate) ITR(u32) @ 0x00C4 {}

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
    /// Extended interrupt auto-mask: vectors masked as they fire (with `GPIE.EIAME`).
    pub(crate) EIAM(u32) @ 0x1530 {}

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

    /// Multiple receive queues command.
    pub(crate) MRQC(u32) @ 0x5818 {
        /// Hash UDP ports over IPv6.
        23:23 rss_ipv6_udp => bool;
        /// Hash UDP ports over IPv4.
        22:22 rss_ipv4_udp => bool;
        /// Hash TCP over IPv6.
        21:21 rss_ipv6_tcp => bool;
        /// Hash IPv6 addresses.
        20:20 rss_ipv6 => bool;
        /// Hash TCP over IPv6 with extension headers (the addresses they carry, if any).
        18:18 rss_ipv6_tcp_ex => bool;
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

/// The causes rigb enables without MSI-X: transmit done, link change, receive.
pub(crate) const IMS_ENABLE: u32 = ICR_TXDW | ICR_LSC | ICR_RXDMT0 | ICR_RXT0;

/// Interval field of `EITR`/`ITR`: microseconds × 4 in bits 14:2.
pub(crate) const EITR_INTERVAL_MASK: u32 = 0x7FFC;
/// Writing `EITR` does not reset its counter (82576 and later).
pub(crate) const EITR_CNT_IGNR: u32 = 1 << 31;

/// Registers of the redirection table and of the RSS key.
pub(crate) const RETA_REGS: usize = <RETA as RegisterArray>::SIZE;
pub(crate) const RSS_KEY_LEN: usize = 4 * <RSSRK as RegisterArray>::SIZE;
