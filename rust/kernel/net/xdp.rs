// SPDX-License-Identifier: GPL-2.0

//! XDP: BPF programs run on received frames in the driver, before an skb exists.
//!
//! C headers: [`include/net/xdp.h`](srctree/include/net/xdp.h),
//! [`include/linux/filter.h`](srctree/include/linux/filter.h); see also
//! `Documentation/networking/xdp-rx-metadata.rst` and `Documentation/bpf/redirect.rst`.
//!
//! A driver with native XDP implements three things:
//!
//! * [`Driver::xdp_setup`] (`ndo_bpf` with `XDP_SETUP_PROG`): the core hands it a program (or
//!   none, to detach) as an [`XdpSetup`]; the driver keeps the [`BpfProg`] in an
//!   [`XdpProgSlot`] and explains refusals with [`XdpSetup::set_error`] (the netlink extack
//!   message `ip link` prints).
//! * the receive path: each receive queue registers an [`XdpRxq`] (`xdp_rxq_info`, with the
//!   queue's page pool as its memory model, `MEM_TYPE_PAGE_POOL`); in the NAPI poll the driver
//!   reads the program from the slot ([`XdpProgSlot::get`]) and runs it on each completed
//!   page-pool buffer ([`run`]), which carries out the verdict: `XDP_PASS` gives an
//!   [`XdpPass`] to build the skb from, `XDP_TX` gives the driver an [`XdpFrame`] to send back,
//!   `XDP_REDIRECT` goes to `xdp_do_redirect` (flushed by the NAPI abstraction before the
//!   poll ends), `XDP_DROP` recycles the buffer, `XDP_ABORTED`, unknown actions and failed
//!   transmissions or redirects fire the `xdp:xdp_exception` tracepoint. The driver counts
//!   the [`XdpVerdict`] it gets back.
//! * [`Driver::xdp_xmit`] (`ndo_xdp_xmit`): frames other devices redirect to this one, as an
//!   [`XdpXmitFrames`] batch of [`XdpFrame`]s, which the driver maps for the device
//!   ([`XdpFrame::map`]).
//!
//! What the device supports is announced in `xdp_features` ([`features`]), which the netdev
//! netlink family (`ynl --family netdev --dump dev-get`) reports.
//!
//! # Soundness notes
//!
//! - A program is referenced, never borrowed from the core: [`BpfProg`] owns a reference
//!   (`bpf_prog_put` on drop). `bpf_prog_put` frees the program after an RCU grace period
//!   (`call_rcu` in `__bpf_prog_put_noref`), so a reader that loaded the pointer inside an RCU
//!   read-side critical section ([`XdpProgSlot::get`] takes an [`rcu::Guard`]) may keep running
//!   it while the slot is swapped and the old reference dropped: the swap is an atomic
//!   exchange (igb's `xchg`), the put happens after it.
//! - Buffers keep their page-pool fragment reference through every verdict: an [`XdpFrame`]
//!   (`XDP_TX`, `ndo_xdp_xmit`) owns it and returns it on drop (`xdp_return_frame`); a
//!   successful `xdp_do_redirect` hands it to the redirect target; everything else returns it
//!   to the pool.
//!
//! [`Driver::xdp_setup`]: crate::net::dev::Driver::xdp_setup
//! [`Driver::xdp_xmit`]: crate::net::dev::Driver::xdp_xmit
//! [`rcu::Guard`]: crate::sync::rcu::Guard

mod frame;
mod prog;
#[cfg(CONFIG_PAGE_POOL)]
mod run;
#[cfg(CONFIG_PAGE_POOL)]
mod rxq;
#[cfg(CONFIG_PAGE_POOL)]
mod skb;

pub use frame::{MappedXdpFrame, XdpFrame, XdpXmitFrames};
pub use prog::{BpfProg, XdpProgRef, XdpProgSlot, XdpSetup};
#[cfg(CONFIG_PAGE_POOL)]
pub use run::{run, XdpPass, XdpVerdict};
#[cfg(CONFIG_PAGE_POOL)]
pub use rxq::XdpRxq;
#[cfg(CONFIG_PAGE_POOL)]
pub use skb::{frame_to_skb, run_frame, run_skb, CopyPool, XdpFrameVerdict, XdpSkbVerdict};

/// Headroom an XDP program gets in front of a frame (`XDP_PACKET_HEADROOM`): room for
/// `bpf_xdp_adjust_head` (encapsulation) and for the `struct xdp_frame` that `XDP_TX` and
/// `XDP_REDIRECT` write there.
pub const PACKET_HEADROOM: u32 = crate::bindings::XDP_PACKET_HEADROOM;

/// XDP features a device announces (`enum netdev_xdp_act`, bits of `xdp_features_t`), for
/// [`DeviceSetup::set_xdp_features`] and [`Device::set_xdp_features`].
///
/// [`DeviceSetup::set_xdp_features`]: crate::net::dev::DeviceSetup::set_xdp_features
/// [`Device::set_xdp_features`]: crate::net::dev::Device::set_xdp_features
pub mod features {
    use crate::bindings;

    /// `XDP_ABORTED`, `XDP_DROP`, `XDP_PASS` and `XDP_TX` (`NETDEV_XDP_ACT_BASIC`).
    pub const BASIC: u32 = bindings::netdev_xdp_act_NETDEV_XDP_ACT_BASIC;
    /// `XDP_REDIRECT` out of the device's receive path (`NETDEV_XDP_ACT_REDIRECT`).
    pub const REDIRECT: u32 = bindings::netdev_xdp_act_NETDEV_XDP_ACT_REDIRECT;
    /// The device takes redirected frames (`ndo_xdp_xmit`, `NETDEV_XDP_ACT_NDO_XMIT`).
    pub const NDO_XMIT: u32 = bindings::netdev_xdp_act_NETDEV_XDP_ACT_NDO_XMIT;
}
