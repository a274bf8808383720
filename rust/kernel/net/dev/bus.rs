// SPDX-License-Identifier: GPL-2.0

//! The bus device behind a net device (a PCI NIC's).
//!
//! A NIC driver registers its net device from `probe`. The net device must be gone before the
//! bus device unbinds: its callbacks touch the hardware, its rings live in DMA memory of the
//! bus device, its handlers run on the bus device's interrupt vectors.
//! [`BusRegistration`](crate::net::registration::BusRegistration) makes that hold by
//! construction rather than by driver discipline: the registration is a device resource
//! ([`Devres`](crate::devres::Devres)), so the net device is unregistered when the registration
//! is dropped or, at the latest, when the bus device unbinds — even if the driver leaked it.
//! While the net device exists its parent is therefore bound, which is what lets every callback
//! reach the parent as a `&Device<Bound>` ([`Device::parent`]) for DMA.
//!
//! This module keeps what the net device itself knows of its bus device (`BusState`, in its
//! private area); the registration is in [`net::registration`](crate::net::registration),
//! next to the one of software devices.

use super::{Device, Driver};
use crate::{
    device::{self, Bound},
    prelude::*,
};
use core::sync::atomic::{AtomicU32, Ordering};

/// Bus-device state of a net device, kept in its private area by the abstraction.
///
/// Software devices have the empty default: no parent, no vectors.
#[derive(Default)]
pub(crate) struct BusState {
    /// The net device was registered through a
    /// [`BusRegistration`](crate::net::registration::BusRegistration): its parent is bound.
    bound_parent: bool,
    /// Linux IRQ numbers of the vectors the registration holds.
    irqs: KVec<u32>,
    /// Outstanding [`super::NetIrq`]s, plus [`BusState::CLOSED`] once teardown began.
    irq_users: AtomicU32,
}

impl BusState {
    const CLOSED: u32 = 1 << 31;

    /// The state of a net device whose parent is a bound bus device, with the Linux IRQ numbers
    /// `irqs` of the vectors it was lent.
    ///
    /// # Safety
    ///
    /// The state must only be stored in a net device whose parent is a bound bus device and
    /// which is unregistered and freed no later than that device unbinds (a registration owned
    /// by a [`Devres`](crate::devres::Devres) of the parent); `irqs` must stay allocated until
    /// the net device is freed.
    pub(crate) unsafe fn bound(irqs: KVec<u32>) -> Self {
        Self {
            bound_parent: true,
            irqs,
            irq_users: AtomicU32::new(0),
        }
    }

    /// Refuses new interrupt handlers; called after the net device was unregistered.
    pub(crate) fn close(&self) {
        let prev = self.irq_users.fetch_or(Self::CLOSED, Ordering::SeqCst);
        // Every `NetIrq` holds a reference on the device, which unregistering waited for.
        crate::warn_on!(prev & !Self::CLOSED != 0);
    }
}

impl<T: Driver> Device<T> {
    /// The bus device this net device belongs to, for DMA and other bound-device operations.
    ///
    /// Fails with `ENODEV` for software devices (and devices registered without a bound
    /// parent).
    pub fn parent(&self) -> Result<&device::Device<Bound>> {
        if !self.bus().bound_parent {
            return Err(ENODEV);
        }
        // SAFETY: `bound_parent` is only set by `BusState::bound`, whose caller (the bus
        // registration) made the bound device the parent (`SET_NETDEV_DEV`) and owns the net
        // device through a `Devres` of that parent: the net device is freed no later than the
        // parent's unbind, so for as long as `self` exists the parent is a valid, bound device.
        Ok(unsafe { device::Device::<Bound>::from_raw((*self.as_raw()).dev.parent) })
    }

    pub(crate) fn irq_numbers(&self) -> &[u32] {
        &self.bus().irqs
    }

    pub(crate) fn irq_get(&self) -> Result {
        let users = &self.bus().irq_users;
        users
            .fetch_update(Ordering::SeqCst, Ordering::Relaxed, |cur| {
                (cur & BusState::CLOSED == 0).then_some(cur + 1)
            })
            .map(|_| ())
            .map_err(|_| ENODEV)
    }

    pub(crate) fn irq_put(&self) {
        self.bus().irq_users.fetch_sub(1, Ordering::SeqCst);
    }
}
