// SPDX-License-Identifier: GPL-2.0

use crate::bindings;

/// The MAC address may change while the device is up.
pub const LIVE_ADDR_CHANGE: u64 = bindings::netdev_priv_flags_IFF_LIVE_ADDR_CHANGE as u64;
/// The device runs without a qdisc (software devices that never push back).
pub const NO_QUEUE: u64 = bindings::netdev_priv_flags_IFF_NO_QUEUE as u64;
/// The device does not share its skbs' data between transmit calls.
pub const TX_SKB_SHARING: u64 = bindings::netdev_priv_flags_IFF_TX_SKB_SHARING as u64;
/// Needed headroom is only a hint (`IFF_PHONY_HEADROOM`).
pub const PHONY_HEADROOM: u64 = bindings::netdev_priv_flags_IFF_PHONY_HEADROOM as u64;
/// netpoll (netconsole) is not supported on the device.
pub const DISABLE_NETPOLL: u64 = bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL as u64;
/// The device filters secondary unicast addresses itself (`IFF_UNICAST_FLT`): the core hands
/// them to `set_rx_mode` (see [`super::RxMode::for_each_uc`]) instead of making the device
/// promiscuous as soon as one is added.
pub const UNICAST_FLT: u64 = bindings::netdev_priv_flags_IFF_UNICAST_FLT as u64;
