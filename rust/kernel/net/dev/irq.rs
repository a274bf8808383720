// SPDX-License-Identifier: GPL-2.0

//! Hardware interrupts of a network device.
//!
//! A NIC's interrupt vectors belong to its bus device (allocated with, e.g.,
//! [`pci::Device::alloc_irq_vectors`]), but its handlers work on the net device: acknowledge the
//! hardware, schedule NAPI. Like igb, drivers request the handlers in `open` (so that
//! `/proc/interrupts` names them after the interface) and free them in `stop`.
//!
//! The vectors are handed to the net device's [`BusRegistration`], which keeps them allocated
//! until the net device is unregistered and every [`NetIrq`] is gone; a driver names a vector by
//! its index, so it can only ever request an interrupt line that belongs to its own device and
//! is still allocated.
//!
//! [`pci::Device::alloc_irq_vectors`]: crate::pci::Device::alloc_irq_vectors
//! [`BusRegistration`]: crate::net::registration::BusRegistration

use super::{Device, Driver};
use crate::{bindings, prelude::*};
use core::{marker::PhantomData, ptr::NonNull};

pub use crate::irq::IrqReturn;

/// Interrupt vectors of a bound bus device, lent to a network device.
///
/// # Safety
///
/// [`IrqVectors::irqs`] returns Linux IRQ numbers that belong to the bound device the vectors
/// were allocated for, and they stay allocated for as long as `self` is alive.
pub unsafe trait IrqVectors: Send {
    /// The Linux IRQ number of every vector, in vector order.
    fn irqs(&self) -> Result<KVec<u32>>;
}

#[cfg(CONFIG_PCI)]
// SAFETY: `IrqVectorRegistration::index` returns the IRQ numbers of vectors it allocated for its
// bound device; they are freed (`pci_free_irq_vectors`) only when it is dropped.
unsafe impl IrqVectors for crate::pci::IrqVectorRegistration<'_> {
    fn irqs(&self) -> Result<KVec<u32>> {
        let mut irqs = KVec::with_capacity(self.len(), GFP_KERNEL)?;
        for i in 0..self.len() {
            let request: crate::irq::IrqRequest<'_> = self.index(i)?.into();
            irqs.push(request.irq(), GFP_KERNEL)?;
        }
        Ok(irqs)
    }
}

/// Hardware interrupt handling for a network driver (see [`Device::request_irq`]).
pub trait IrqHandler: Driver {
    /// Handles an interrupt of vector `vector` in hard-IRQ context: acknowledge the device
    /// and schedule NAPI; the real work belongs in the poll routine.
    fn handle_irq(dev: &Device<Self>, vector: u32) -> IrqReturn;
}

struct IrqCookie {
    dev: NonNull<bindings::net_device>,
    vector: u32,
    name: [u8; 32],
}

/// A registered interrupt handler of a network device; freed (`free_irq`, which waits for a
/// running handler) on drop.
///
/// It holds a reference on the device (`dev_hold`) and counts as an outstanding handler of
/// the vectors: drop it in `stop`, or unregistering the device waits for it.
pub struct NetIrq<T: IrqHandler> {
    irq: u32,
    cookie: KBox<IrqCookie>,
    _p: PhantomData<T>,
}

// SAFETY: Freeing an IRQ works from any process context.
unsafe impl<T: IrqHandler> Send for NetIrq<T> {}
// SAFETY: `&NetIrq` only reads the IRQ number.
unsafe impl<T: IrqHandler> Sync for NetIrq<T> {}

impl<T: IrqHandler> NetIrq<T> {
    /// The Linux IRQ number.
    pub fn irq(&self) -> u32 {
        self.irq
    }

    /// # Safety
    ///
    /// Called by the IRQ core with the cookie registered in [`Device::request_irq`].
    unsafe extern "C" fn handler(_irq: c_int, cookie: *mut c_void) -> bindings::irqreturn_t {
        // SAFETY: The cookie lives until `free_irq` returned.
        let cookie = unsafe { &*cookie.cast::<IrqCookie>() };
        // SAFETY: The device is held (`dev_hold`) while the handler is registered, and its
        // private data is initialised (the handler was requested through a `Device<T>`).
        let dev = unsafe { Device::<T>::from_raw(cookie.dev.as_ptr()) };
        bindings::irqreturn_t(T::handle_irq(dev, cookie.vector) as c_uint)
    }
}

impl<T: IrqHandler> Drop for NetIrq<T> {
    fn drop(&mut self) {
        // `free_irq` waits for a running handler.
        crate::task::might_sleep();
        let cookie: *mut IrqCookie = &mut *self.cookie;
        // SAFETY: Registered with this cookie in `request_irq`; `free_irq` waits for a running
        // handler, after which the cookie and the device reference can go.
        unsafe { bindings::free_irq(self.irq, cookie.cast()) };
        // SAFETY: The device is alive: we hold a reference on it until the next statement.
        let dev = unsafe { Device::<T>::from_raw(self.cookie.dev.as_ptr()) };
        dev.irq_put();
        // SAFETY: Taken in `request_irq`.
        unsafe { bindings::dev_put(self.cookie.dev.as_ptr()) };
    }
}

/// Writes `<ifname>-<suffix><vector>` into a NUL-terminated buffer, truncating.
fn irq_name(buf: &mut [u8; 32], ifname: &[u8], suffix: &str, vector: u32) {
    struct W<'b>(&'b mut [u8], usize);
    impl core::fmt::Write for W<'_> {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            for b in s.bytes() {
                // Keep the last byte for the terminating NUL.
                if self.1 + 1 < self.0.len() {
                    self.0[self.1] = b;
                    self.1 += 1;
                }
            }
            Ok(())
        }
    }
    let ifname = core::str::from_utf8(ifname).unwrap_or("?");
    let _ = core::fmt::Write::write_fmt(&mut W(buf, 0), format_args!("{ifname}-{suffix}{vector}"));
}

impl<T: IrqHandler> Device<T> {
    /// Number of interrupt vectors the device was registered with (0 for software devices).
    pub fn irq_vector_count(&self) -> u32 {
        self.irq_numbers().len() as u32
    }

    /// Registers [`IrqHandler::handle_irq`] for vector `vector` (an index into the vectors
    /// the device was registered with), named `<ifname>-<suffix><vector>` in
    /// `/proc/interrupts`. `shared` allows a shared (INTx) line.
    ///
    /// Fails with `EINVAL` for a vector the device does not have and with `ENODEV` once the
    /// device is being torn down.
    pub fn request_irq(&self, vector: u32, suffix: &str, shared: bool) -> Result<NetIrq<T>> {
        crate::task::might_sleep();
        let irq = *self.irq_numbers().get(vector as usize).ok_or(EINVAL)?;
        let mut name = [0u8; 32];
        irq_name(&mut name, self.name().to_bytes(), suffix, vector);
        let mut cookie = KBox::new(
            IrqCookie {
                dev: NonNull::new(self.as_raw()).ok_or(EINVAL)?,
                vector,
                name,
            },
            GFP_KERNEL,
        )?;
        // Counted before the request so that teardown sees it; refused once teardown began.
        self.irq_get()?;
        // SAFETY: Keeps the device alive while the handler is registered.
        unsafe { bindings::dev_hold(self.as_raw()) };
        let cookie_ptr: *mut IrqCookie = &mut *cookie;
        let flags = if shared {
            bindings::IRQF_SHARED as c_ulong
        } else {
            0
        };
        // SAFETY: `irq` is a vector of the bound parent device, allocated while the device's
        // registration lives (see `IrqVectors`), which outlasts every outstanding `NetIrq`
        // (counted above). The cookie (and the name inside it) lives on the heap until
        // `free_irq`.
        let ret = unsafe {
            bindings::request_threaded_irq(
                irq,
                Some(NetIrq::<T>::handler),
                None,
                flags,
                (*cookie_ptr).name.as_ptr().cast(),
                cookie_ptr.cast(),
            )
        };
        if ret != 0 {
            self.irq_put();
            // SAFETY: Taken above.
            unsafe { bindings::dev_put(self.as_raw()) };
            return Err(Error::from_errno(ret));
        }
        Ok(NetIrq {
            irq,
            cookie,
            _p: PhantomData,
        })
    }
}
