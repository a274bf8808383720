// SPDX-License-Identifier: GPL-2.0

//! What the Intel gigabit drivers rigb (82576, the C igb's family) and re1000 (8254x, the C
//! e1000's) have in common: the register lineage both families keep from the 8254x (device
//! control and status, MDIC, the receive address and multicast tables, the statistics block),
//! PHY access through MDIC, the NVM checksum and the address stored in it, the multicast hash,
//! the statistics registers, removal detection and the register and NVM self-tests. The C
//! drivers share the same lineage through their `e1000_*.c` files.
//!
//! Each driver compiles this directory as a module of its own crate (`#[path =
//! "../e1000_common/mod.rs"] mod e1000_common;` in its crate root): out-of-tree Rust modules of
//! Linux 7.3 cannot link to each other's Rust symbols, so the code is shared as source. Nothing
//! here names an item of either driver (`crate::...`): a driver hands in what is its own (its
//! removal flag, its log prefix, the registers to test).
//!
//! Device-independent pieces (descriptor rings, the ethtool self-test plumbing) are not here
//! but in the kernel crate (`kernel::net::ring`, `kernel::net::ethtool`).

// Each driver uses a different subset of what is shared (rigb has no EEPROM bit-banging and
// fewer statistics, re1000 no register arrays per queue): what one of them leaves unused is
// not dead code.
#![allow(dead_code)]

pub(crate) mod hw;
pub(crate) mod regs;
pub(crate) mod rx;
pub(crate) mod selftest;
pub(crate) mod stats;
