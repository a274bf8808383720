// SPDX-License-Identifier: GPL-2.0

//! Deferred work items of a device: each device has [`WORKS`] `delayed_work`s that run
//! [`Driver::run_work`] in process context.

use super::{Device, Driver, Priv};
use crate::{bindings, prelude::*, time::msecs_to_jiffies, types::Opaque};

/// How many deferred work items (ids `0..WORKS`) each device has, see [`Device::queue_work`].
pub const WORKS: usize = 2;

/// A `delayed_work` that knows its device and id.
#[repr(C)]
pub(super) struct DevWork {
    /// First member, so the `work_struct` (first member of `delayed_work`) leads here.
    pub(super) dw: Opaque<bindings::delayed_work>,
    pub(super) dev: *mut bindings::net_device,
    pub(super) id: u32,
}

/// # Safety
///
/// Called by the workqueue for a work item initialised in [`Priv::init_header`].
pub(super) unsafe extern "C" fn work_callback<T: Driver>(work: *mut bindings::work_struct) {
    // SAFETY: `work` is the first member of the `delayed_work`, the first member of a
    // `DevWork` (both `repr(C)`), which lives in the private area of its device.
    let w = unsafe { &*work.cast::<DevWork>() };
    // SAFETY: The work is cancelled (synchronously) before the data is dropped and the device
    // freed, so both are valid while it runs.
    let dev = unsafe { Device::<T>::from_raw(w.dev) };
    T::run_work(dev, w.id);
}

impl<T: Driver> Device<T> {
    /// Queues deferred work item `id` (`0..WORKS`) to run [`Driver::run_work`] after
    /// `delay_ms` on the system workqueue; no-op if already queued. Returns whether it was
    /// queued now. Pending work is cancelled before the device's data is dropped.
    pub fn queue_work(&self, id: u32, delay_ms: u32) -> bool {
        self.work(id).is_some_and(|w| {
            // SAFETY: The work was initialised in `Priv::init_header`; `system_percpu_wq` (what
            // `system_wq` was) exists from early boot on.
            unsafe {
                bindings::queue_delayed_work_on(
                    bindings::wq_misc_consts_WORK_CPU_UNBOUND as c_int,
                    bindings::system_percpu_wq,
                    w,
                    msecs_to_jiffies(delay_ms),
                )
            }
        })
    }

    /// Like [`Device::queue_work`], but moves the timer of an already queued item.
    pub fn mod_work(&self, id: u32, delay_ms: u32) -> bool {
        self.work(id).is_some_and(|w| {
            // SAFETY: As in `queue_work`.
            unsafe {
                bindings::mod_delayed_work_on(
                    bindings::wq_misc_consts_WORK_CPU_UNBOUND as c_int,
                    bindings::system_percpu_wq,
                    w,
                    msecs_to_jiffies(delay_ms),
                )
            }
        })
    }

    /// Cancels work item `id` and waits for a running instance to finish
    /// (`cancel_delayed_work_sync`). Sleeps. Must not be called from that work item itself
    /// (it would wait for itself: a hang, which lockdep reports).
    pub fn cancel_work_sync(&self, id: u32) -> bool {
        crate::task::might_sleep();
        self.work(id).is_some_and(|w| {
            // SAFETY: The work was initialised in `Priv::init_header`.
            unsafe { bindings::cancel_delayed_work_sync(w) }
        })
    }

    fn work(&self, id: u32) -> Option<*mut bindings::delayed_work> {
        // SAFETY: The private area holds an initialised `Priv<T>`.
        let works = unsafe { &(*Priv::<T>::from_dev(self.as_raw())).works };
        works.get(id as usize).map(|w| w.dw.get())
    }
}
