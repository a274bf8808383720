// SPDX-License-Identifier: GPL-2.0

//! Bottom-half (softirq) disabling.
//!
//! C header: [`include/linux/bottom_half.h`](srctree/include/linux/bottom_half.h).

use crate::bindings;
use core::marker::PhantomData;

/// Softirqs are disabled on this CPU while the guard lives (`local_bh_disable()` /
/// `local_bh_enable()`). Process-context code takes locks shared with NAPI polls (which run
/// in softirq context) under it, as `spin_lock_bh()` does in C.
pub struct Guard(PhantomData<*mut ()>);

impl Guard {
    /// Disables bottom halves.
    pub fn new() -> Self {
        // SAFETY: May be called from process and softirq context; paired in `Drop` on the
        // same CPU since the guard is neither `Send` nor `Sync`.
        unsafe { bindings::local_bh_disable() };
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
        // SAFETY: Disabled in `new` on this CPU.
        unsafe { bindings::local_bh_enable() };
    }
}

/// Disables bottom halves until the returned guard is dropped.
pub fn disable() -> Guard {
    Guard::new()
}
