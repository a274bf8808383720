// SPDX-License-Identifier: GPL-2.0

//! PCI devices and drivers.
//!
//! C header: [`include/linux/pci.h`](srctree/include/linux/pci.h).
//!
//! A [`Driver`] names the devices it handles in [`Driver::ID_TABLE`]; [`Registration`]
//! registers it with the PCI core (`module_pci_driver!` registers one for a module). `probe`
//! returns the driver's pinned per-device data, which the abstraction keeps as the device's
//! drvdata and drops on `remove`. Resources taken in `probe` ([`Device::enable`],
//! [`Device::iomap_region`], [`Device::alloc_irq_vectors`], DMA allocations) are guards that
//! release themselves on drop, so a probe failing halfway, and a remove, release exactly what
//! was taken, in reverse order of the fields holding them.

use crate::{
    bindings, device,
    error::{from_result, to_result, Result},
    ffi::{c_int, c_void},
    prelude::*,
    str::CStr,
    types::Opaque,
    ThisModule,
};
use core::{marker::PhantomData, ptr::NonNull};

/// A PCI vendor/device id pair matched by a driver (`PCI_DEVICE(vendor, device)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeviceId {
    /// Vendor id, e.g. 0x8086 for Intel.
    pub vendor: u16,
    /// Device id.
    pub device: u16,
}

impl DeviceId {
    /// `PCI_DEVICE(vendor, device)`.
    pub const fn new(vendor: u16, device: u16) -> Self {
        Self { vendor, device }
    }
}

/// A PCI device bound (or being bound) to a driver (`struct pci_dev`).
///
/// # Invariants
///
/// Wraps a valid `struct pci_dev` for as long as the reference is handed out: during `probe`
/// and `remove`, or while a guard obtained from it holds a device reference.
#[repr(transparent)]
pub struct Device(Opaque<bindings::pci_dev>);

// SAFETY: The PCI functions used here do their own locking.
unsafe impl Sync for Device {}
// SAFETY: As above.
unsafe impl Send for Device {}

impl Device {
    /// # Safety
    ///
    /// `ptr` must point to a valid `pci_dev` for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::pci_dev) -> &'a Self {
        // SAFETY: Transparent wrapper; validity guaranteed by the caller.
        unsafe { &*ptr.cast() }
    }

    /// The raw `struct pci_dev` pointer.
    pub fn as_raw(&self) -> *mut bindings::pci_dev {
        self.0.get()
    }

    /// The generic device (`&pdev->dev`), e.g. for DMA and logging.
    pub fn as_dev(&self) -> &device::Device {
        // SAFETY: `dev` is embedded in the valid `pci_dev`.
        unsafe { device::Device::as_ref(core::ptr::addr_of_mut!((*self.as_raw()).dev)) }
    }

    /// The vendor id.
    pub fn vendor_id(&self) -> u16 {
        // SAFETY: The device is valid; the field is set at enumeration.
        unsafe { (*self.as_raw()).vendor }
    }

    /// The device id.
    pub fn device_id(&self) -> u16 {
        // SAFETY: As above.
        unsafe { (*self.as_raw()).device }
    }

    /// The bus address as the kernel prints it, e.g. `0000:01:00.0` (`pci_name`).
    pub fn name(&self) -> &CStr {
        // SAFETY: `pci_name` returns the device's NUL-terminated name, valid as long as it.
        unsafe { CStr::from_char_ptr(bindings::rnet_pci_name(self.as_raw())) }
    }

    /// Enables memory decoding (`pci_enable_device_mem`) and bus mastering
    /// (`pci_set_master`); disabled again when the guard drops.
    pub fn enable(&self) -> Result<EnabledDevice> {
        // SAFETY: The device is valid.
        to_result(unsafe { bindings::pci_enable_device_mem(self.as_raw()) })?;
        // SAFETY: The device is enabled.
        unsafe { bindings::pci_set_master(self.as_raw()) };
        // SAFETY: Holds a reference for the guard's lifetime.
        unsafe { bindings::pci_dev_get(self.as_raw()) };
        Ok(EnabledDevice(NonNull::from(self).cast()))
    }

    /// Sets the DMA addressing limit for streaming and coherent mappings
    /// (`dma_set_mask_and_coherent`).
    pub fn set_dma_mask(&self, bits: u32) -> Result {
        let mask = if bits >= 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        // SAFETY: The device is valid.
        to_result(unsafe {
            bindings::rnet_dma_set_mask_and_coherent(
                core::ptr::addr_of_mut!((*self.as_raw()).dev),
                mask,
            )
        })
    }

    /// Claims the memory BARs (`pci_request_mem_regions`) and maps BAR `bar` (`pci_iomap`).
    pub fn iomap_region(&self, bar: u32, name: &'static CStr) -> Result<Bar> {
        // SAFETY: The device is valid; `name` lives forever.
        to_result(unsafe {
            bindings::rnet_pci_request_mem_regions(self.as_raw(), name.as_char_ptr())
        })?;
        // SAFETY: The device is valid and `bar` is checked by `pci_iomap`.
        let addr = unsafe { bindings::pci_iomap(self.as_raw(), bar as c_int, 0) };
        let Some(addr) = NonNull::new(addr) else {
            // SAFETY: Requested above.
            unsafe { bindings::rnet_pci_release_mem_regions(self.as_raw()) };
            return Err(ENOMEM);
        };
        // SAFETY: The device is valid.
        let len = unsafe { bindings::rnet_pci_resource_len(self.as_raw(), bar as c_int) } as usize;
        // SAFETY: Keeps the device alive while the mapping exists.
        unsafe { bindings::pci_dev_get(self.as_raw()) };
        // INVARIANT: `addr` maps `len` bytes of the BAR.
        Ok(Bar {
            pdev: NonNull::from(self).cast(),
            addr: addr.cast(),
            len,
        })
    }

    /// Allocates between `min` and `max` interrupt vectors, preferring MSI-X, then MSI, then
    /// the legacy INTx line as `kinds` allows (`pci_alloc_irq_vectors`).
    pub fn alloc_irq_vectors(&self, min: u32, max: u32, kinds: IrqKinds) -> Result<IrqVectors> {
        // SAFETY: The device is valid.
        let n = unsafe { bindings::pci_alloc_irq_vectors(self.as_raw(), min, max, kinds.0) };
        if n < 0 {
            return Err(Error::from_errno(n));
        }
        // SAFETY: Keeps the device alive while the vectors exist.
        unsafe { bindings::pci_dev_get(self.as_raw()) };
        Ok(IrqVectors {
            pdev: NonNull::from(self).cast(),
            count: n as u32,
        })
    }
}

/// Interrupt kinds [`Device::alloc_irq_vectors`] may use (`PCI_IRQ_*`).
#[derive(Clone, Copy)]
pub struct IrqKinds(u32);

impl IrqKinds {
    /// MSI-X.
    pub const MSIX: Self = Self(bindings::PCI_IRQ_MSIX);
    /// MSI.
    pub const MSI: Self = Self(bindings::PCI_IRQ_MSI);
    /// The legacy INTx line.
    pub const INTX: Self = Self(bindings::PCI_IRQ_INTX);
    /// MSI, else the INTx line.
    pub const MSI_OR_INTX: Self = Self(bindings::PCI_IRQ_MSI | bindings::PCI_IRQ_INTX);
    /// Any of them, best first.
    pub const ALL: Self =
        Self(bindings::PCI_IRQ_MSIX | bindings::PCI_IRQ_MSI | bindings::PCI_IRQ_INTX);
}

/// An enabled PCI device; disabled (`pci_disable_device`) on drop.
pub struct EnabledDevice(NonNull<bindings::pci_dev>);

// SAFETY: Only used to disable the device, from any thread.
unsafe impl Send for EnabledDevice {}
// SAFETY: No shared access.
unsafe impl Sync for EnabledDevice {}

impl Drop for EnabledDevice {
    fn drop(&mut self) {
        // SAFETY: Enabled and referenced in `Device::enable`.
        unsafe {
            bindings::pci_clear_master(self.0.as_ptr());
            bindings::pci_disable_device(self.0.as_ptr());
            bindings::pci_dev_put(self.0.as_ptr());
        }
    }
}

/// Interrupt vectors of a device; freed (`pci_free_irq_vectors`) on drop. Drop every
/// interrupt handler registered on them first.
pub struct IrqVectors {
    pdev: NonNull<bindings::pci_dev>,
    count: u32,
}

// SAFETY: Only used from process context to look up and free vectors.
unsafe impl Send for IrqVectors {}
// SAFETY: Lookups are read-only.
unsafe impl Sync for IrqVectors {}

impl IrqVectors {
    /// Number of vectors allocated.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Whether they are MSI-X vectors.
    pub fn is_msix(&self) -> bool {
        // SAFETY: The device is valid (we hold a reference).
        unsafe { (*self.pdev.as_ptr()).msix_enabled() != 0 }
    }

    /// Whether it is a single MSI vector.
    pub fn is_msi(&self) -> bool {
        // SAFETY: As above.
        unsafe { (*self.pdev.as_ptr()).msi_enabled() != 0 }
    }

    /// The Linux IRQ number of vector `index` (`pci_irq_vector`).
    pub fn irq(&self, index: u32) -> Result<u32> {
        if index >= self.count {
            return Err(EINVAL);
        }
        // SAFETY: The device is valid and `index` is in range.
        let irq = unsafe { bindings::pci_irq_vector(self.pdev.as_ptr(), index) };
        if irq < 0 {
            Err(Error::from_errno(irq))
        } else {
            Ok(irq as u32)
        }
    }
}

impl Drop for IrqVectors {
    fn drop(&mut self) {
        // SAFETY: Allocated and referenced in `Device::alloc_irq_vectors`.
        unsafe {
            bindings::pci_free_irq_vectors(self.pdev.as_ptr());
            bindings::pci_dev_put(self.pdev.as_ptr());
        }
    }
}

/// A mapped memory BAR with bounds-checked 32-bit register access; unmapped and its regions
/// released on drop.
///
/// # Invariants
///
/// `addr` maps `len` bytes of MMIO space of `pdev`, whose memory regions we requested.
pub struct Bar {
    pdev: NonNull<bindings::pci_dev>,
    addr: NonNull<u8>,
    len: usize,
}

// SAFETY: MMIO accessors are usable from any context.
unsafe impl Send for Bar {}
// SAFETY: As above; register-level synchronisation is the driver's business.
unsafe impl Sync for Bar {}

impl Bar {
    /// Length of the mapping in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the mapping is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn check(&self, offset: usize) -> Result<*mut c_void> {
        if offset % 4 != 0 || offset.checked_add(4).map_or(true, |end| end > self.len) {
            return Err(EINVAL);
        }
        // SAFETY: In bounds by the check above.
        Ok(unsafe { self.addr.as_ptr().add(offset) }.cast())
    }

    /// Reads the 32-bit register at `offset` (`readl`); `EINVAL` if out of bounds or unaligned.
    pub fn try_read32(&self, offset: usize) -> Result<u32> {
        let p = self.check(offset)?;
        // SAFETY: `p` is an aligned address inside the mapping.
        Ok(unsafe { bindings::readl(p) })
    }

    /// Writes the 32-bit register at `offset` (`writel`); `EINVAL` if out of bounds or
    /// unaligned.
    pub fn try_write32(&self, offset: usize, value: u32) -> Result {
        let p = self.check(offset)?;
        // SAFETY: `p` is an aligned address inside the mapping.
        unsafe { bindings::writel(value, p) };
        Ok(())
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        // SAFETY: Mapped and requested in `Device::iomap_region`.
        unsafe {
            bindings::pci_iounmap(self.pdev.as_ptr(), self.addr.as_ptr().cast());
            bindings::rnet_pci_release_mem_regions(self.pdev.as_ptr());
            bindings::pci_dev_put(self.pdev.as_ptr());
        }
    }
}

/// A PCI driver.
pub trait Driver: Send + Sync + Sized + 'static {
    /// The devices the driver handles.
    const ID_TABLE: &'static [DeviceId];

    /// Binds to `dev`; the returned data lives until [`Driver::remove`] (or until the driver
    /// is unregistered) and is then dropped.
    fn probe(dev: &Device, id: &DeviceId) -> Result<Pin<KBox<Self>>>;

    /// Called before the data returned by `probe` is dropped.
    fn remove(_this: Pin<&Self>, _dev: &Device) {}
}

struct Adapter<T>(PhantomData<T>);

impl<T: Driver> Adapter<T> {
    /// # Safety
    ///
    /// Called by the PCI core with a valid device and an entry of our id table.
    unsafe extern "C" fn probe_callback(
        pdev: *mut bindings::pci_dev,
        id: *const bindings::pci_device_id,
    ) -> c_int {
        // SAFETY: Valid for the call.
        let dev = unsafe { Device::from_raw(pdev) };
        // SAFETY: `id` points into our table.
        let id = unsafe { DeviceId::new((*id).vendor as u16, (*id).device as u16) };
        from_result(|| {
            let data = T::probe(dev, &id)?;
            // SAFETY: `data` is pinned; it is turned back into a box in `remove_callback`.
            let ptr = KBox::into_raw(unsafe { Pin::into_inner_unchecked(data) });
            // SAFETY: The device is valid.
            unsafe { bindings::rnet_pci_set_drvdata(pdev, ptr.cast()) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// Called by the PCI core for a device whose `probe` succeeded.
    unsafe extern "C" fn remove_callback(pdev: *mut bindings::pci_dev) {
        // SAFETY: Set in `probe_callback` from `KBox::into_raw`.
        let data = unsafe { KBox::from_raw(bindings::rnet_pci_get_drvdata(pdev).cast::<T>()) };
        // SAFETY: The data was pinned before and is dropped without moving.
        let data = unsafe { Pin::new_unchecked(data) };
        // SAFETY: Valid for the call.
        T::remove(data.as_ref(), unsafe { Device::from_raw(pdev) });
        drop(data);
    }
}

/// A registered PCI driver; unregistered on drop, which removes it from all its devices.
pub struct Registration<T: Driver> {
    drv: Pin<KBox<Opaque<bindings::pci_driver>>>,
    _ids: KVec<bindings::pci_device_id>,
    _p: PhantomData<T>,
}

// SAFETY: The driver structure is only used by the PCI core.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: As above.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers the driver under `name` (`__pci_register_driver`).
    pub fn new(name: &'static CStr, module: &'static ThisModule) -> Result<Self> {
        let mut ids = KVec::with_capacity(T::ID_TABLE.len() + 1, GFP_KERNEL)?;
        for id in T::ID_TABLE {
            // SAFETY: All-zeroes is a valid `pci_device_id`.
            let mut raw: bindings::pci_device_id = unsafe { core::mem::zeroed() };
            raw.vendor = id.vendor.into();
            raw.device = id.device.into();
            raw.subvendor = !0;
            raw.subdevice = !0;
            ids.push(raw, GFP_KERNEL)?;
        }
        // SAFETY: The zeroed terminator.
        ids.push(unsafe { core::mem::zeroed() }, GFP_KERNEL)?;
        // SAFETY: All-zeroes is a valid `pci_driver`.
        let mut drv: bindings::pci_driver = unsafe { core::mem::zeroed() };
        drv.name = name.as_char_ptr();
        drv.id_table = ids.as_ptr();
        drv.probe = Some(Adapter::<T>::probe_callback);
        drv.remove = Some(Adapter::<T>::remove_callback);
        let drv = KBox::pin(Opaque::new(drv), GFP_KERNEL)?;
        // SAFETY: `drv` and the id table are on the heap and outlive the registration.
        to_result(unsafe {
            bindings::__pci_register_driver(drv.get(), module.as_ptr(), name.as_char_ptr())
        })?;
        Ok(Self {
            drv,
            _ids: ids,
            _p: PhantomData,
        })
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: Registered in `new`; this calls `remove` on every bound device.
        unsafe { bindings::pci_unregister_driver(self.drv.get()) };
    }
}

/// Declares a module whose only job is to register one PCI driver.
///
/// ```ignore
/// kernel::module_pci_driver! {
///     type: MyDriver,
///     name: "my_driver",
///     author: "...",
///     description: "...",
///     license: "GPL",
/// }
/// ```
#[macro_export]
macro_rules! module_pci_driver {
    (type: $type:ty, name: $name:tt, $($f:tt)*) => {
        struct __PciModule {
            _reg: $crate::pci::Registration<$type>,
        }

        impl $crate::Module for __PciModule {
            fn init(module: &'static $crate::ThisModule) -> $crate::error::Result<Self> {
                Ok(Self {
                    _reg: $crate::pci::Registration::new($crate::c_str!($name), module)?,
                })
            }
        }

        $crate::prelude::module! {
            type: __PciModule,
            name: $name,
            $($f)*
        }
    };
}
