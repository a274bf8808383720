// SPDX-License-Identifier: GPL-2.0

//! Network devices of bus devices (PCI NICs).
//!
//! A NIC driver registers its net device from `probe`. The net device must be gone before the
//! bus device unbinds: its callbacks touch the hardware, its rings live in DMA memory of the
//! bus device, its handlers run on the bus device's interrupt vectors. [`BusRegistration`]
//! makes that hold by construction rather than by driver discipline: the registration is a
//! device resource ([`Devres`]), so the net device is unregistered when the registration is
//! dropped or, at the latest, when the bus device unbinds — even if the driver leaked it.
//! While the net device exists its parent is therefore bound, which is what lets every callback
//! reach the parent as a `&Device<Bound>` ([`Device::parent`]) for DMA.

use super::{Device, DeviceSetup, Driver, IrqVectors, Registration};
use crate::{
    device::{self, Bound},
    devres::Devres,
    net::ethtool,
    prelude::*,
    str::CStr,
};
use core::sync::atomic::{AtomicU32, Ordering};

/// Bus-device state of a net device, kept in its private area by the abstraction.
///
/// Software devices have the empty default: no parent, no vectors.
#[derive(Default)]
pub(crate) struct BusState {
    /// The net device was registered through a [`BusRegistration`]: its parent is bound.
    bound_parent: bool,
    /// Linux IRQ numbers of the vectors the registration holds.
    irqs: KVec<u32>,
    /// Outstanding [`super::NetIrq`]s, plus [`BusState::CLOSED`] once teardown began.
    irq_users: AtomicU32,
}

impl BusState {
    const CLOSED: u32 = 1 << 31;

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
        // SAFETY: `bound_parent` is only set by `BusRegistration::new`, which made the bound
        // device the parent (`SET_NETDEV_DEV`) and owns the net device through a `Devres`
        // of that parent: the net device is freed no later than the parent's unbind, so for as
        // long as `self` exists the parent is a valid, bound device.
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

/// A registered net device of a bound bus device (see the [module documentation](self)).
///
/// Dropping it unregisters the net device (which stops it: the driver frees its interrupt
/// handlers in `stop`), frees the net device and then the interrupt vectors it was lent.
pub struct BusRegistration<'a, T: Driver + ethtool::Operations> {
    // Field order is teardown order: the net device goes before the vectors it uses.
    netdev: Devres<Registration<T>>,
    _vectors: KBox<dyn IrqVectors + 'a>,
}

impl<'a, T: Driver + ethtool::Operations> BusRegistration<'a, T> {
    /// Allocates a net device with `txqs`/`rxqs` queues whose private data is `data`, lets
    /// `setup` configure it, makes `parent` its parent and registers it (`register_netdev`;
    /// `name` may hold `%d`). `vectors` are the interrupt vectors the driver may request
    /// handlers on with [`Device::request_irq`], by index.
    pub fn new<V: IrqVectors + 'a>(
        parent: &'a device::Device<Bound>,
        name: &'static CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, Error>,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
        vectors: V,
    ) -> Result<Self> {
        let bus = BusState {
            bound_parent: true,
            irqs: vectors.irqs()?,
            irq_users: AtomicU32::new(0),
        };
        let vectors: KBox<dyn IrqVectors + 'a> = KBox::new(vectors, GFP_KERNEL)?;
        let reg = Registration::<T>::new_on_bus(name, txqs, rxqs, data, parent, bus, setup)?;
        let netdev = Devres::new(parent, reg)?;
        Ok(Self {
            netdev,
            _vectors: vectors,
        })
    }

    /// Runs `f` on the net device, unless it is already gone (its parent unbound).
    pub fn with_device<R>(&self, f: impl FnOnce(&Device<T>) -> R) -> Option<R> {
        self.netdev.try_access_with(|reg| f(reg.device()))
    }
}
