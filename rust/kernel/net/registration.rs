// SPDX-License-Identifier: GPL-2.0

//! Registering the network devices a driver creates itself (`register_netdev`).
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h).
//!
//! A device's driver implements two traits: [`Driver`] (`net_device_ops`, private data and
//! setup, in [`net::dev`](crate::net::dev)) and [`ethtool::Operations`] (`ethtool_ops`, in
//! [`net::ethtool`](crate::net::ethtool), which builds on `net::dev`). Registering a device
//! installs both ops tables, so it lives here, above the two modules, rather than in either.
//!
//! [`Registration`] allocates, sets up and registers one device and undoes all of it on drop, so
//! a failed probe or a module unload cannot leak a device. [`BusRegistration`] does the same for
//! the net device of a bound bus device (a PCI NIC) and ties it to that device's binding (see
//! [`Device::parent`]). Devices created through rtnetlink (`ip link add`) are allocated by the
//! core instead, and registered by [`net::rtnl`](crate::net::rtnl) with the same ops tables.

use crate::{
    bindings,
    device::{self, Bound},
    devres::Devres,
    net::{
        dev::{
            self, xdp_features_supported, BusState, Device, DeviceSetup, Driver, IrqVectors, Priv,
        },
        ethtool,
    },
    prelude::*,
};
use core::{marker::PhantomData, ptr::NonNull};

/// Installs the ops tables of driver `T` (`net_device_ops`, `ethtool_ops`, statistics ops) on
/// a freshly allocated device.
///
/// # Safety
///
/// `dev` must be valid, unregistered and exclusively owned by the caller.
pub(crate) unsafe fn install_ops<T: Driver + ethtool::Operations>(dev: *mut bindings::net_device) {
    // SAFETY: Guaranteed by the caller.
    unsafe {
        dev::Adapter::<T>::install(dev);
        (*dev).ethtool_ops = ethtool::ops::<T>();
    }
}

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
        Self::new_inner(name, txqs, rxqs, data, BusState::default(), setup)
    }

    /// Like [`Registration::new_with_setup`], for a device of the bound bus device `parent`
    /// (made its parent) with the bus state `bus` (see [`BusRegistration`]).
    fn new_on_bus<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        parent: &device::Device<Bound>,
        bus: BusState,
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
        bus: BusState,
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
        unsafe { install_ops::<T>(dev.as_ptr()) };
        // SAFETY: The device is valid, unregistered and exclusively ours during the calls.
        let mut dev_setup = unsafe { DeviceSetup::new(dev, xdp_features_supported::<T>()) };
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

/// A registered net device of a bound bus device, e.g. a PCI NIC's, registered from `probe`.
///
/// The net device must be gone before the bus device unbinds: its callbacks touch the hardware,
/// its rings live in DMA memory of the bus device, its handlers run on the bus device's
/// interrupt vectors. The registration is therefore a device resource ([`Devres`]) of the bus
/// device: the net device is unregistered when the registration is dropped or, at the latest,
/// when the bus device unbinds, even if the driver leaked the registration. While the net device
/// exists its parent is thus bound, which lets every callback reach it as a `&Device<Bound>`
/// ([`Device::parent`]) for DMA.
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
        // SAFETY: The state goes into a net device made a child of the bound `parent`
        // (`new_on_bus`) and owned by a `Devres` of `parent` below (or dropped at once if that
        // fails). `vectors` keeps the IRQs allocated while it lives (`IrqVectors` contract) and
        // is kept in `self` until after the net device is gone (field order).
        let bus = unsafe { BusState::bound(vectors.irqs()?) };
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
