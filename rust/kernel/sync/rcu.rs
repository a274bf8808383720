// SPDX-License-Identifier: GPL-2.0

//! RCU read-side critical sections.
//!
//! C header: [`include/linux/rcupdate.h`](srctree/include/linux/rcupdate.h).

use crate::bindings;
use core::marker::PhantomData;

/// An RCU read-side critical section: `rcu_read_lock()` on creation, `rcu_read_unlock()` on
/// drop. References obtained from RCU-protected pointers borrow from the guard, so they cannot
/// outlive the critical section.
pub struct Guard(PhantomData<*mut ()>);

impl Guard {
    /// Enters a read-side critical section.
    pub fn new() -> Self {
        // SAFETY: `rcu_read_lock` may be called from any context; the matching unlock is in
        // `Drop`, on the same CPU/task since `Guard` is neither `Send` nor `Sync`.
        unsafe { bindings::rcu_read_lock() };
        Self(PhantomData)
    }
}

impl Default for Guard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // SAFETY: The guard was created by `rcu_read_lock` in this task.
        unsafe { bindings::rcu_read_unlock() };
    }
}

/// Enters an RCU read-side critical section; see [`Guard`].
pub fn read_lock() -> Guard {
    Guard::new()
}

/// Waits until every RCU read-side critical section that started before the call has ended
/// (`synchronize_rcu`). Sleeps.
pub fn synchronize() {
    // SAFETY: Called from process context, outside any read-side critical section (a `Guard`
    // is not `Send` and cannot be held across this call by the same task without a borrow).
    unsafe { bindings::synchronize_rcu() }
}
