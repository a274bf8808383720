// SPDX-License-Identifier: GPL-2.0

//! Networking.

#[cfg(CONFIG_RUST_PHYLIB_ABSTRACTIONS)]
pub mod phy;

pub mod dev;
pub mod ethtool;
pub mod napi;
pub mod rtnl;
pub mod skbuff;
