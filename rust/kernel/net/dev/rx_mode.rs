// SPDX-License-Identifier: GPL-2.0

//! The receive filter handed to `ndo_set_rx_mode`.

use crate::bindings;
use core::marker::PhantomData;

/// The receive filter a driver must program, handed to
/// [`Driver::set_rx_mode`](super::Driver::set_rx_mode) while the device's address lists are
/// locked.
pub struct RxMode<'a> {
    pub(super) dev: *mut bindings::net_device,
    pub(super) _p: PhantomData<&'a ()>,
}

impl RxMode<'_> {
    fn flag(&self, flag: u32) -> bool {
        // SAFETY: The device is valid for the callback; `flags` is a word the core changes
        // under RTNL and readers elsewhere read with `READ_ONCE`.
        let flags = unsafe { core::ptr::read_volatile(&raw const (*self.dev).flags) };
        flags & flag != 0
    }

    /// Receive every frame (`IFF_PROMISC`).
    pub fn promisc(&self) -> bool {
        self.flag(bindings::net_device_flags_IFF_PROMISC)
    }

    /// Receive all multicast frames (`IFF_ALLMULTI`).
    pub fn allmulti(&self) -> bool {
        self.flag(bindings::net_device_flags_IFF_ALLMULTI)
    }

    /// Number of multicast addresses subscribed to.
    pub fn mc_count(&self) -> usize {
        // SAFETY: The device is valid and its address lists locked for the callback
        // (`netdev_mc_count`).
        let count = unsafe { (*self.dev).mc.count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Number of secondary unicast addresses (macvlan, `bridge fdb add ... self`).
    pub fn uc_count(&self) -> usize {
        // SAFETY: As in `mc_count` (`netdev_uc_count`).
        let count = unsafe { (*self.dev).uc.count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Calls `f` with each address of the multicast (`mc`) or unicast list
    /// (`netdev_for_each_mc_addr`/`netdev_for_each_uc_addr`).
    fn each<F: FnMut(&[u8; 6])>(&self, mc: bool, mut f: F) {
        // SAFETY: The device is valid; only the list head's address is computed.
        let head = unsafe {
            if mc {
                &raw mut (*self.dev).mc.list
            } else {
                &raw mut (*self.dev).uc.list
            }
        };
        // SAFETY: (for the whole block) The lists are locked (`netif_addr_lock`) for the
        // callback, so they do not change while we walk them; each entry is the `list` member
        // of a `netdev_hw_addr`, whose `addr` holds at least the 6 bytes of an Ethernet address.
        unsafe {
            let mut pos = (*head).next;
            while pos != head {
                let ha = crate::container_of!(pos, bindings::netdev_hw_addr, list);
                f(&*(&raw const (*ha).addr).cast::<[u8; 6]>());
                pos = (*pos).next;
            }
        }
    }

    /// Calls `f` for each multicast address.
    pub fn for_each_mc(&self, f: impl FnMut(&[u8; 6])) {
        self.each(true, f)
    }

    /// Calls `f` for each secondary unicast address.
    pub fn for_each_uc(&self, f: impl FnMut(&[u8; 6])) {
        self.each(false, f)
    }
}
