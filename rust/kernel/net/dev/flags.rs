// SPDX-License-Identifier: GPL-2.0

use crate::bindings;

/// The device does not use ARP: neighbours resolve to the device's own address.
pub const NOARP: u32 = bindings::net_device_flags_IFF_NOARP;
/// The device supports broadcast.
pub const BROADCAST: u32 = bindings::net_device_flags_IFF_BROADCAST;
/// The device supports multicast.
pub const MULTICAST: u32 = bindings::net_device_flags_IFF_MULTICAST;
/// Point-to-point link.
pub const POINTOPOINT: u32 = bindings::net_device_flags_IFF_POINTOPOINT;
