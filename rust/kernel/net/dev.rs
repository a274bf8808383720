// SPDX-License-Identifier: GPL-2.0

//! Network devices (`struct net_device`).
//!
//! C headers: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h),
//! [`include/linux/etherdevice.h`](srctree/include/linux/etherdevice.h).
//!
//! A driver describes its device with a [`Driver`] implementation: the `net_device_ops`
//! callbacks it supports (a `#[vtable]` trait: unimplemented callbacks stay NULL, so the core's
//! defaults apply), the private data each device carries, and how a fresh device is set up.
//! Its callbacks work on a [`Device`].
//!
//! This module is the base the other net abstractions build on: it depends only on
//! [`net::skbuff`](crate::net::skbuff) (the buffers `start_xmit` takes). The ethtool callbacks
//! ([`net::ethtool`](crate::net::ethtool)) take a [`Device`]; registering a device, which
//! installs both ops tables, is done by [`net::registration`](crate::net::registration) (devices
//! a driver creates) and [`net::rtnl`](crate::net::rtnl) (devices created by `ip link add`).
//!
//! Execution context: each callback's documentation says where the core calls it (under RTNL,
//! with bottom halves disabled, in atomic context with the address lists locked, ...). Methods
//! that sleep say so and call `might_sleep()` first, so a call from atomic or RCU read-side
//! context is reported deterministically (`CONFIG_DEBUG_ATOMIC_SLEEP`) even when the call would
//! not have slept that time. Like the rest of the kernel crate, the types do not prove the
//! context (that is what klint-style checking is for); what they do prove is RTNL where a
//! method requires it ([`Rtnl`]).

use crate::bindings;

mod bus;
mod device;
mod driver;
mod irq;
mod rtnl_lock;
mod rx;
mod rx_mode;
mod setup;
mod stats;
mod work;

/// Offload features (`NETIF_F_*`), as bits of `netdev_features_t`.
pub mod features;
/// Interface flags (`IFF_*` of `enum net_device_flags`) for [`DeviceSetup::add_flags`].
pub mod flags;
/// Private interface flags (`enum netdev_priv_flags`) for [`DeviceSetup::add_priv_flags`].
pub mod priv_flags;

pub use device::{Device, SockAddr};
pub(crate) use driver::xdp_features_supported;
pub use driver::{Driver, TxBusy, TxOutcome, TxSkb};
pub use irq::{IrqHandler, IrqReturn, IrqVectors, NetIrq};
pub(crate) use rtnl_lock::with_rtnl;
pub use rtnl_lock::{rtnl_lock, Rtnl, RtnlGuard};
pub use rx_mode::RxMode;
pub use setup::DeviceSetup;
pub use stats::{PcpuStats, QueueStatsRx, QueueStatsTx, Stats64};
pub use work::WORKS;

pub(crate) use bus::BusState;
pub(crate) use device::Priv;
pub(crate) use driver::Adapter;

/// Fills `key` with the system's random RSS hash key (`netdev_rss_key_fill`), the same for
/// every device so flows hash alike.
pub fn rss_key_fill(key: &mut [u8]) {
    // SAFETY: `key` is valid for `len` bytes of writes.
    unsafe { bindings::netdev_rss_key_fill(key.as_mut_ptr().cast(), key.len()) }
}

/// The default number of RSS queues (`netif_get_num_default_rss_queues`).
pub fn default_rss_queues() -> u32 {
    // SAFETY: No preconditions.
    let queues = unsafe { bindings::netif_get_num_default_rss_queues() };
    // The function returns at least 1.
    u32::try_from(queues).unwrap_or(1)
}

/// Whether a message of the packet path may be printed now (`net_ratelimit`): the networking
/// stack's shared budget of 10 messages per 5 seconds.
///
/// Warnings that a received frame, a transmitted frame or an interrupt can trigger go through
/// it, so a misbehaving device or peer cannot flood the kernel log:
///
/// ```ignore
/// if kernel::net::dev::net_ratelimit() {
///     pr_warn!("{}: receive descriptor done without a buffer\n", dev.name());
/// }
/// ```
pub fn net_ratelimit() -> bool {
    // SAFETY: No preconditions; the C function takes its own lock and works in any context.
    unsafe { bindings::net_ratelimit() != 0 }
}
