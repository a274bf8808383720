// SPDX-License-Identifier: GPL-2.0

//! The RTNL lock: the [`Rtnl`] proof handed to callbacks that run under it, and [`rtnl_lock`]
//! for code that takes it itself.

use crate::bindings;
use core::marker::PhantomData;

/// Proof that the caller holds the RTNL lock, handed to callbacks the core calls under it.
pub struct Rtnl(PhantomData<*mut ()>);

impl Rtnl {
    /// # Safety
    ///
    /// The caller must hold the RTNL lock for the lifetime of the returned token.
    pub(crate) unsafe fn assume_held() -> Self {
        Self(PhantomData)
    }
}

/// Holds the RTNL lock (`rtnl_lock`) until dropped; derefs to the [`Rtnl`] proof.
pub struct RtnlGuard(Rtnl);

/// Takes the RTNL lock, e.g. in a work item that reconfigures a device. Sleeps: a call from
/// atomic context is reported by `might_sleep` (with `CONFIG_DEBUG_ATOMIC_SLEEP`).
pub fn rtnl_lock() -> RtnlGuard {
    crate::task::might_sleep();
    // SAFETY: `rtnl_lock` has no memory-safety precondition; the guard returned unlocks it
    // exactly once, on drop.
    unsafe { bindings::rtnl_lock() };
    RtnlGuard(Rtnl(PhantomData))
}

impl core::ops::Deref for RtnlGuard {
    type Target = Rtnl;
    fn deref(&self) -> &Rtnl {
        &self.0
    }
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: Taken in `rtnl_lock`.
        unsafe { bindings::rtnl_unlock() };
    }
}
