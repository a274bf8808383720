// SPDX-License-Identifier: GPL-2.0

//! Sleeping delays.
//!
//! C header: [`include/linux/delay.h`](srctree/include/linux/delay.h).

/// Sleeps for at least `ms` milliseconds (`msleep`). Process context only.
pub fn msleep(ms: u32) {
    // SAFETY: Sleeping is allowed in process context, where callers of this function are.
    unsafe { crate::bindings::msleep(ms) }
}

/// Busy-waits for at least `us` microseconds (`udelay`); usable in atomic context. Keep it
/// short: it burns the CPU.
pub fn udelay(us: u32) {
    // SAFETY: Busy-waiting has no preconditions.
    unsafe { crate::bindings::rnet_udelay(us as _) }
}
