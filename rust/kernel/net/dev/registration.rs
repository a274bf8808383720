// SPDX-License-Identifier: GPL-2.0

//! Allocating, registering and tearing down a device ([`Registration`]).

use super::{bus, Adapter, Device, DeviceSetup, Driver, Priv};
use crate::{bindings, net::ethtool, prelude::*};
use core::{marker::PhantomData, ptr::NonNull};

/// A registered network device of driver `T`: allocated, set up, its private data initialised
/// and registered by [`Registration::new`]; unregistered, its data dropped and freed on drop.
///
/// # Invariants
///
/// `dev` is a registered net_device with `T`'s ops and an initialised `T::Data`, owned by this
/// object.
pub struct Registration<T: Driver + ethtool::Operations> {
    dev: NonNull<bindings::net_device>,
    _p: PhantomData<T>,
}

// SAFETY: The registration only hands out `&Device<T>`, which is `Sync`, and unregisters from
// whichever thread drops it (process context, as module exit and remove are).
unsafe impl<T: Driver + ethtool::Operations> Send for Registration<T> {}
// SAFETY: See above.
unsafe impl<T: Driver + ethtool::Operations> Sync for Registration<T> {}

impl<T: Driver + ethtool::Operations> Registration<T> {
    /// Allocates an Ethernet device named after `name` (a `%d` pattern such as `c"rlo%d"`
    /// picks the first free number), with `txqs`/`rxqs` queues, runs `ether_setup` and
    /// [`Driver::setup`], initialises the private data from `data` (a value or a fallible or
    /// infallible initialiser) and registers the device.
    pub fn new<E>(name: &CStr, txqs: u32, rxqs: u32, data: impl PinInit<T::Data, E>) -> Result<Self>
    where
        Error: From<E>,
    {
        Self::new_with_setup(name, txqs, rxqs, data, |_| {})
    }

    /// Like [`Registration::new`], with `setup` run after [`Driver::setup`] for what only the
    /// caller knows, such as the MAC address read from the hardware or the parent device.
    pub fn new_with_setup<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        Self::new_inner(name, txqs, rxqs, data, bus::BusState::default(), setup)
    }

    /// Like [`Registration::new_with_setup`], for a device of the bound bus device `parent`
    /// (made its parent) with the bus state `bus` (see
    /// [`BusRegistration`](super::BusRegistration)).
    pub(crate) fn new_on_bus<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        parent: &crate::device::Device<crate::device::Bound>,
        bus: bus::BusState,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        Self::new_inner(name, txqs, rxqs, data, bus, |dev_setup| {
            dev_setup.set_parent(parent);
            setup(dev_setup);
        })
    }

    fn new_inner<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        bus: bus::BusState,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        #[allow(clippy::let_unit_value)]
        let () = Priv::<T>::ALIGN_OK;
        if txqs == 0 || rxqs == 0 {
            return Err(EINVAL);
        }
        // SAFETY: `name` is NUL-terminated; `ether_setup` is a valid setup function.
        let raw = unsafe {
            bindings::alloc_netdev_mqs(
                core::mem::size_of::<Priv<T>>() as c_int,
                name.as_char_ptr(),
                bindings::NET_NAME_ENUM as u8,
                Some(bindings::ether_setup),
                txqs,
                rxqs,
            )
        };
        let dev = NonNull::new(raw).ok_or(ENOMEM)?;

        // Frees the device on every error path below.
        struct Alloc(NonNull<bindings::net_device>);
        impl Drop for Alloc {
            fn drop(&mut self) {
                // SAFETY: The device was allocated above and never registered.
                unsafe { bindings::free_netdev(self.0.as_ptr()) }
            }
        }
        let alloc = Alloc(dev);

        // SAFETY: The device was just allocated; nobody else knows about it.
        unsafe { Adapter::<T>::install(dev.as_ptr()) };
        // SAFETY: The device is valid, unregistered and exclusively ours during the calls.
        let mut dev_setup = unsafe { DeviceSetup::new(dev) };
        T::setup(&mut dev_setup);
        setup(&mut dev_setup);

        // SAFETY: The private area is `size_of::<Priv<T>>()` bytes, `NETDEV_ALIGN`-aligned
        // (checked against its alignment above), and never moves while the device lives.
        let priv_ = unsafe { Priv::<T>::from_dev(dev.as_ptr()) };
        // SAFETY: As above; the area is not in use yet.
        unsafe { Priv::<T>::init_header(dev.as_ptr()) };
        // SAFETY: `priv_` is valid; only the field's address is computed.
        let slot = unsafe { core::ptr::addr_of_mut!((*priv_).data) };
        // SAFETY: `slot` is valid for writes; on error nothing was initialised.
        unsafe { pin_init::raw_try_init(slot, data)? };
        // SAFETY: `priv_` is valid and its header initialised; the device is still ours alone.
        // (Stored only now, so that a failed data initialisation drops `bus` with the local.)
        unsafe { (*priv_).bus = bus };

        // SAFETY: The device is fully set up; its data is initialised.
        let ret = unsafe { bindings::register_netdev(dev.as_ptr()) };
        if ret != 0 {
            // SAFETY: The data was initialised above and the device never became visible, so
            // no work was queued.
            unsafe { core::ptr::drop_in_place(priv_) };
            return Err(Error::from_errno(ret));
        }
        core::mem::forget(alloc);
        // INVARIANT: registered with `T`'s ops and initialised data.
        Ok(Self {
            dev,
            _p: PhantomData,
        })
    }

    /// The registered device.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: By the type invariant the device is registered with initialised data.
        unsafe { Device::from_raw(self.dev.as_ptr()) }
    }
}

impl<T: Driver + ethtool::Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        let dev = self.dev.as_ptr();
        // SAFETY: The device is registered (type invariant). `unregister_netdev` takes RTNL,
        // closes the device and waits until no callback can run any more.
        unsafe { bindings::unregister_netdev(dev) };
        // No interrupt handler can be requested any more.
        self.device().bus().close();
        // SAFETY: No callback can reach the private data any more; it was initialised.
        unsafe { core::ptr::drop_in_place(Priv::<T>::from_dev(dev)) };
        // SAFETY: Unregistered above; this object held the last driver reference.
        unsafe { bindings::free_netdev(dev) };
    }
}
