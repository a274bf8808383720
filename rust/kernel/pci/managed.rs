// SPDX-License-Identifier: GPL-2.0

//! Device-managed enabling and bus mastering of PCI functions.
//!
//! [`Device::enable_device_mem`] and [`Device::set_master`] are never undone: the Rust PCI
//! abstraction has no `pci_disable_device()` or `pci_clear_master()`, so a function a driver
//! enabled stays enabled and may still master the bus after the driver unbound. The managed
//! variants here register the undo as a device resource, released when the driver unbinds or
//! its probe fails, as C's `pcim_enable_device()` does. Unlike `pcim_enable_device()` they do
//! not mark the device managed (`pci_dev->is_managed`), which would silently make
//! `pci_alloc_irq_vectors()` device-managed too while [`Device::alloc_irq_vectors`] already
//! frees the vectors itself.
//!
//! The device resources of a driver are released after its bus device private data is
//! dropped, and in the reverse order of their registration: interrupt vectors and mappings
//! the driver data owns are gone, and BAR mappings registered after enabling are unmapped,
//! before bus mastering is cleared and the function is disabled.
//!
//! C header: [`include/linux/pci.h`](srctree/include/linux/pci.h)

use super::Device;
use crate::{bindings, device, error::to_result, prelude::*};

/// Disables the function: the device resource registered by [`Device::enable_device_mem_managed`].
///
/// # Safety
///
/// `pdev` must be a valid `struct pci_dev` enabled once on behalf of this device resource
/// (which the driver core releases exactly once).
unsafe extern "C" fn disable_device(pdev: *mut c_void) {
    // SAFETY: By the safety requirements of this function, `pdev` is a valid `struct pci_dev`
    // whose enable count includes the enable this call releases.
    unsafe { bindings::pci_disable_device(pdev.cast()) };
}

/// Clears bus mastering: the device resource registered by [`Device::set_master_managed`].
///
/// # Safety
///
/// `pdev` must be a valid `struct pci_dev`.
unsafe extern "C" fn clear_master(pdev: *mut c_void) {
    // SAFETY: By the safety requirements of this function, `pdev` is a valid `struct pci_dev`.
    unsafe { bindings::pci_clear_master(pdev.cast()) };
}

impl<'a> Device<device::Core<'a>> {
    /// Enables memory resources for this device until the driver is unbound.
    ///
    /// The managed form of [`Device::enable_device_mem`]: `pci_enable_device_mem()` now, and
    /// `pci_disable_device()` (which also clears bus mastering once the last enable is
    /// released) when the driver unbinds or probe fails.
    ///
    /// # Examples
    ///
    /// ```
    /// # use kernel::{device::Core, pci, prelude::*};
    /// fn probe_start(pdev: &pci::Device<Core<'_>>) -> Result {
    ///     pdev.enable_device_mem_managed()?;
    ///     pdev.set_master_managed()?;
    ///     // Map BARs, allocate DMA memory and interrupt vectors ...
    ///     Ok(())
    /// }
    /// ```
    pub fn enable_device_mem_managed(&self) -> Result {
        self.enable_device_mem()?;
        // SAFETY:
        // - `self.as_ref().as_raw()` is a valid `struct device`, the one embedded in the
        //   `struct pci_dev` at `self.as_raw()`, so the devres action runs while the
        //   `struct pci_dev` is valid.
        // - The function was enabled just above, once, for this action to release.
        // - `devm_add_action_or_reset()` runs the action right away if it cannot register it.
        to_result(unsafe {
            bindings::devm_add_action_or_reset(
                self.as_ref().as_raw(),
                Some(disable_device),
                self.as_raw().cast(),
            )
        })
    }

    /// Enables bus mastering for this device until the driver is unbound.
    ///
    /// The managed form of [`Device::set_master`]: `pci_set_master()` now, and
    /// `pci_clear_master()` when the driver unbinds or probe fails, even if the function stays
    /// enabled (another user such as the sysfs `enable` attribute holds an enable).
    ///
    /// Call it after [`Device::enable_device_mem_managed`], so that bus mastering is cleared
    /// before the function is disabled.
    pub fn set_master_managed(&self) -> Result {
        self.set_master();
        // SAFETY:
        // - `self.as_ref().as_raw()` is a valid `struct device`, the one embedded in the
        //   `struct pci_dev` at `self.as_raw()`, so the devres action runs while the
        //   `struct pci_dev` is valid.
        // - `devm_add_action_or_reset()` runs the action right away if it cannot register it.
        to_result(unsafe {
            bindings::devm_add_action_or_reset(
                self.as_ref().as_raw(),
                Some(clear_master),
                self.as_raw().cast(),
            )
        })
    }
}
