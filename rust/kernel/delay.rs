// SPDX-License-Identifier: GPL-2.0

//! Sleeping delays.
//!
//! C header: [`include/linux/delay.h`](srctree/include/linux/delay.h).

/// Sleeps for at least `ms` milliseconds (`msleep`). Process context only.
pub fn msleep(ms: u32) {
    // SAFETY: Sleeping is allowed in process context, where callers of this function are.
    unsafe { crate::bindings::msleep(ms) }
}
