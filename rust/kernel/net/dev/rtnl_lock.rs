// SPDX-License-Identifier: GPL-2.0

//! The RTNL lock: the [`Rtnl`] proof handed to callbacks that run under it, and [`rtnl_lock`]
//! for code that takes it itself.

use crate::{bindings, task::Task};
use core::{
    marker::PhantomData,
    mem::ManuallyDrop,
    ptr::null_mut,
    sync::atomic::{AtomicPtr, Ordering},
};

/// The task that holds RTNL while an [`Rtnl`] proof of it exists, else null (or the task that
/// held it before, while proofs nest).
///
/// Only the task that holds RTNL writes it, and proofs are dropped in the reverse order of
/// their creation, before RTNL is released: they are scoped to the callbacks the core calls
/// under RTNL, or owned by an [`RtnlGuard`] (not `Send`), so a task finds itself here only
/// while it holds RTNL. Code that may or may not run under RTNL, such as a destructor, uses it
/// to take the lock only when the current task does not hold it ([`with_rtnl`]).
static OWNER: AtomicPtr<bindings::task_struct> = AtomicPtr::new(null_mut());

/// Proof that the caller holds the RTNL lock, handed to callbacks the core calls under it.
pub struct Rtnl {
    /// [`OWNER`] before this proof was created, restored on drop.
    prev_owner: *mut bindings::task_struct,
    /// Not `Send`: the proof is about the current task.
    _p: PhantomData<*mut ()>,
}

impl Rtnl {
    /// # Safety
    ///
    /// The caller must hold the RTNL lock for the lifetime of the returned token, and drop
    /// tokens in the reverse order of their creation.
    pub(crate) unsafe fn assume_held() -> Self {
        let prev_owner = OWNER.swap(Task::current_raw(), Ordering::Relaxed);
        Self {
            prev_owner,
            _p: PhantomData,
        }
    }
}

impl Drop for Rtnl {
    fn drop(&mut self) {
        OWNER.store(self.prev_owner, Ordering::Relaxed);
    }
}

/// Holds the RTNL lock (`rtnl_lock`) until dropped; derefs to the [`Rtnl`] proof.
pub struct RtnlGuard(ManuallyDrop<Rtnl>);

/// Takes the RTNL lock, e.g. in a work item that reconfigures a device. Sleeps: a call from
/// atomic context is reported by `might_sleep` (with `CONFIG_DEBUG_ATOMIC_SLEEP`).
pub fn rtnl_lock() -> RtnlGuard {
    crate::task::might_sleep();
    // SAFETY: `rtnl_lock` has no memory-safety precondition; the guard returned unlocks it
    // exactly once, on drop.
    unsafe { bindings::rtnl_lock() };
    // SAFETY: RTNL is held until the guard drops the proof (first) and unlocks.
    RtnlGuard(ManuallyDrop::new(unsafe { Rtnl::assume_held() }))
}

/// Runs `f` under RTNL: directly if the current task holds it (an [`Rtnl`] proof of it
/// exists), else between [`rtnl_lock`] and its release.
pub(crate) fn with_rtnl<R>(f: impl FnOnce(&Rtnl) -> R) -> R {
    if OWNER.load(Ordering::Relaxed) == Task::current_raw() {
        // SAFETY: Only a task holding RTNL finds itself in `OWNER` (see there); the nested
        // proof is dropped before the one that recorded the task.
        let rtnl = unsafe { Rtnl::assume_held() };
        f(&rtnl)
    } else {
        f(&rtnl_lock())
    }
}

impl core::ops::Deref for RtnlGuard {
    type Target = Rtnl;
    fn deref(&self) -> &Rtnl {
        &self.0
    }
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // The owner is reset while the lock is still held (the next holder records itself).
        // SAFETY: Dropped once, here.
        unsafe { ManuallyDrop::drop(&mut self.0) };
        // SAFETY: Taken in `rtnl_lock`.
        unsafe { bindings::rtnl_unlock() };
    }
}
