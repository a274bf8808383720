// SPDX-License-Identifier: GPL-2.0

//! ethtool operations (`struct ethtool_ops`).
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h).
//!
//! A driver implements [`Operations`] for the `ethtool` commands it supports; the callbacks work
//! on the [`Device`](crate::net::dev::Device) of `net::dev` and the parameter types of this
//! module. The ops table is installed when the device is registered, by
//! [`net::registration`](crate::net::registration) or [`net::rtnl`](crate::net::rtnl).

mod adapter;
mod drvinfo;
mod link;
mod operations;
mod params;
pub mod rss;
mod selftest;
mod strings;

pub use drvinfo::DrvInfo;
pub use link::{LinkKsettings, LinkModes, PauseStats, Pauseparam};
pub use operations::Operations;
pub use params::{coalesce, Channels, Coalesce, RingLimits, Ringparam};
pub use rss::{RxfhFields, RxfhGet, RxfhSet};
pub use selftest::{
    is_loopback_frame, loopback_frame, loopback_run, run_offline, SelfTestResults,
    LOOPBACK_FRAME_LEN,
};
pub use strings::{sset, Strings, GSTRING_LEN};

pub(crate) use adapter::ops;
