// SPDX-License-Identifier: GPL-2.0

//! Setting up a freshly allocated device ([`DeviceSetup`]).

use crate::{bindings, prelude::*, time::msecs_to_jiffies};
use core::{marker::PhantomData, ptr::NonNull};

/// Access to a freshly allocated, not yet registered device, for
/// [`Driver::setup`](super::Driver::setup).
///
/// The private data is not initialised yet, so it cannot be reached from here.
pub struct DeviceSetup<'a> {
    dev: NonNull<bindings::net_device>,
    /// The XDP features the driver's callbacks can honour ([`xdp_features_supported`]).
    ///
    /// [`xdp_features_supported`]: super::driver::xdp_features_supported
    xdp_supported: u32,
    _p: PhantomData<&'a mut bindings::net_device>,
}

impl DeviceSetup<'_> {
    /// # Safety
    ///
    /// `dev` must be a valid, unregistered net_device exclusively owned by the caller for `'a`.
    /// `xdp_supported` must not claim more than the callbacks installed on `dev` implement.
    pub(crate) unsafe fn new(dev: NonNull<bindings::net_device>, xdp_supported: u32) -> Self {
        Self {
            dev,
            xdp_supported,
            _p: PhantomData,
        }
    }

    fn raw(&mut self) -> &mut bindings::net_device {
        // SAFETY: By the constructor's contract the device is valid and exclusively ours.
        unsafe { self.dev.as_mut() }
    }

    /// Announces the device's XDP features (bits of [`xdp::features`]), which the netdev
    /// netlink family reports.
    ///
    /// The core trusts these bits: it sends redirected frames to a device announcing
    /// `NDO_XMIT` without checking that it has `ndo_xdp_xmit`. Bits the driver's callbacks do
    /// not implement (`NDO_XMIT` without [`Driver::xdp_xmit`], `BASIC` or `REDIRECT` without
    /// [`Driver::xdp_setup`], anything the abstraction does not support) are left out, with a
    /// warning.
    ///
    /// [`xdp::features`]: crate::net::xdp::features
    /// [`Driver::xdp_xmit`]: super::Driver::xdp_xmit
    /// [`Driver::xdp_setup`]: super::Driver::xdp_setup
    pub fn set_xdp_features(&mut self, features: u32) -> &mut Self {
        let supported = self.xdp_supported;
        self.raw().xdp_features = super::driver::mask_xdp_features(features, supported);
        self
    }

    /// Sets the accepted MTU range; the core rejects other values with `EINVAL` before the
    /// driver sees them.
    pub fn set_mtu_range(&mut self, min: u32, max: u32) -> &mut Self {
        let dev = self.raw();
        dev.min_mtu = min;
        dev.max_mtu = max;
        self
    }

    /// Sets the initial MTU.
    pub fn set_mtu(&mut self, mtu: u32) -> &mut Self {
        self.raw().mtu = mtu;
        self
    }

    /// Adds interface flags (see [`flags`](super::flags)).
    pub fn add_flags(&mut self, flags: u32) -> &mut Self {
        self.raw().flags |= flags;
        self
    }

    /// Removes interface flags (see [`flags`](super::flags)).
    pub fn clear_flags(&mut self, flags: u32) -> &mut Self {
        self.raw().flags &= !flags;
        self
    }

    /// Adds private flags (see [`priv_flags`](super::priv_flags)).
    pub fn add_priv_flags(&mut self, flags: u64) -> &mut Self {
        let fast = self.priv_flags_fast();
        fast.set_priv_flags(fast.priv_flags() | flags as c_ulong);
        self
    }

    /// Removes private flags (see [`priv_flags`](super::priv_flags)).
    pub fn clear_priv_flags(&mut self, flags: u64) -> &mut Self {
        let fast = self.priv_flags_fast();
        fast.set_priv_flags(fast.priv_flags() & !(flags as c_ulong));
        self
    }

    /// The `priv_flags_fast` group (`priv_flags` and `lltx`).
    fn priv_flags_fast(&mut self) -> &mut bindings::net_device__bindgen_ty_1__bindgen_ty_2 {
        // SAFETY: Both members of the `struct_group()` union describe the same bits.
        unsafe { &mut self.raw().__bindgen_anon_1.priv_flags_fast }
    }

    /// Sets the features of encapsulated traffic (`hw_enc_features`).
    pub fn set_hw_enc_features(&mut self, features: u64) -> &mut Self {
        self.raw().hw_enc_features = features;
        self
    }

    /// Sets the largest TSO frame the device accepts (`netif_set_tso_max_size`).
    pub fn set_tso_max_size(&mut self, size: u32) -> &mut Self {
        // SAFETY: The device is valid, unregistered and exclusively ours.
        unsafe { bindings::netif_set_tso_max_size(self.dev.as_ptr(), size) };
        self
    }

    /// Sets the enabled features (see [`features`](super::features)).
    pub fn set_features(&mut self, features: u64) -> &mut Self {
        self.raw().features = features;
        self
    }

    /// Sets the features the user may toggle with `ethtool -K`.
    pub fn set_hw_features(&mut self, features: u64) -> &mut Self {
        self.raw().hw_features = features;
        self
    }

    /// Sets the features inherited by VLAN devices stacked on this one.
    pub fn set_vlan_features(&mut self, features: u64) -> &mut Self {
        self.raw().vlan_features = features;
        self
    }

    /// Declares lockless transmit (`lltx`): the core does not take the queue lock around
    /// `start_xmit`; software devices that keep per-CPU state use this.
    pub fn set_lltx(&mut self, lltx: bool) -> &mut Self {
        self.priv_flags_fast().set_lltx(lltx.into());
        self
    }

    /// Sets the default transmit queue length (`txqueuelen`).
    pub fn set_tx_queue_len(&mut self, len: u32) -> &mut Self {
        self.raw().tx_queue_len = len;
        self
    }

    /// How long a stopped transmit queue may make no progress before
    /// [`Driver::tx_timeout`](super::Driver::tx_timeout) is called.
    pub fn set_watchdog_timeo_ms(&mut self, ms: u32) -> &mut Self {
        self.raw().watchdog_timeo = msecs_to_jiffies(ms).try_into().unwrap_or(c_int::MAX);
        self
    }

    /// Starts the device without carrier (`netif_carrier_off`), as drivers do before
    /// registration: `open` then turns it on once the link is really up, which makes the
    /// core report the operational state as `UP` rather than `UNKNOWN`.
    pub fn carrier_off(&mut self) -> &mut Self {
        // SAFETY: The device is valid; before registration this only sets the state bit.
        unsafe { bindings::netif_carrier_off(self.dev.as_ptr()) };
        self
    }

    /// Sets the permanent MAC address read from the hardware (`eth_hw_addr_set`).
    pub fn set_mac_address(&mut self, mac: &[u8; 6]) -> &mut Self {
        // SAFETY: The device is valid and not yet registered; `mac` has `ETH_ALEN` bytes.
        unsafe { bindings::eth_hw_addr_set(self.dev.as_ptr(), mac.as_ptr()) };
        self
    }

    /// Sets the parent device in sysfs (`SET_NETDEV_DEV`), e.g. the PCI function.
    pub fn set_parent(&mut self, parent: &crate::device::Device) -> &mut Self {
        self.raw().dev.parent = parent.as_raw();
        self
    }

    /// Gives the device a random locally administered MAC address (`eth_hw_addr_random`).
    pub fn eth_hw_addr_random(&mut self) -> &mut Self {
        // SAFETY: The device is valid and not yet registered, so nothing else reads the address.
        unsafe { bindings::eth_hw_addr_random(self.dev.as_ptr()) };
        self
    }
}
