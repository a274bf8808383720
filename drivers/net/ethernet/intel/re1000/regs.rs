// SPDX-License-Identifier: GPL-2.0

//! 8254x registers used by re1000, as typed `register!` definitions (e1000_hw.h of the C e1000
//! driver and the PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's Manual).
//!
//! The registers the 8254x shares with the 82576 (device control and status, MDIC, interrupt
//! causes, the receive address and multicast tables, statistics) and the accessors are
//! `e1000_common`'s, re-exported here; this file adds the 8254x's own.
//!
//! As in rigb's `regs.rs`: registers whose value the driver composes from fields have those
//! fields; registers holding an address, a count or a bitmap of causes are left raw.
//!
//! The 8254x has one transmit and one receive queue, at the register block the 82543 and later
//! use (0x2800/0x3800; the 82542's older aliases are not needed for the models supported).

pub(crate) use crate::e1000_common::regs::*;
use kernel::io::register;
use kernel::io::register::RegisterArray;

register! {
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

    /// Flow control address (the 01:80:C2:00:00:01 pause address) and type.
    pub(crate) FCAL(u32) @ 0x0028 {}
    pub(crate) FCAH(u32) @ 0x002C {}
    pub(crate) FCT(u32) @ 0x0030 {}
    /// VLAN Ether type.
    pub(crate) VET(u32) @ 0x0038 {}

    /// Interrupt throttling: the minimum interval between interrupts in 256 ns units.
    pub(crate) ITR(u32) @ 0x00C4 {}

    /// Transmit inter-packet gap.
    pub(crate) TIPG(u32) @ 0x0410 {
        29:20 ipgr2;
        19:10 ipgr1;
        9:0 ipgt;
    }

    /// Packet buffer allocation: receive share in KiB (bits 15:0), the rest transmits.
    pub(crate) PBA(u32) @ 0x1000 {}

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

    /// Receive checksum control.
    pub(crate) RXCSUM(u32) @ 0x5000 {
        /// TCP/UDP checksum offload.
        9:9 tuofl => bool;
        /// IP checksum offload.
        8:8 ipofl => bool;
        /// Where the packet checksum starts.
        7:0 pcss;
    }

    /// VLAN filter table (cleared at reset; re1000 leaves VLAN filtering off).
    pub(crate) VFTA(u32)[128] @ 0x5600 {}
}

/// The causes re1000 enables, as C e1000's `IMS_ENABLE_MASK`: receive timer, transmit done,
/// receive ring low, sequence error and link change.
pub(crate) const IMS_ENABLE: u32 = ICR_RXT0 | ICR_TXDW | ICR_RXDMT0 | ICR_RXSEQ | ICR_LSC;

/// The flow control address and type (802.3x), as C e1000 programs them.
pub(crate) const FLOW_CONTROL_ADDRESS_LOW: u32 = 0x00C2_8001;
pub(crate) const FLOW_CONTROL_ADDRESS_HIGH: u32 = 0x0000_0100;
pub(crate) const FLOW_CONTROL_TYPE: u32 = 0x8808;
/// 802.1Q Ether type (`VET`).
pub(crate) const ETHERNET_IEEE_VLAN_TYPE: u32 = 0x8100;

/// Entries of the VLAN filter table.
pub(crate) const VFTA_ENTRIES: usize = <VFTA as RegisterArray>::SIZE;

/// ANAR: 10/100 half and full, IEEE 802.3 selector, symmetric and asymmetric pause.
pub(crate) const ANAR_ALL: u16 = 0x01E1 | 0x0C00;
