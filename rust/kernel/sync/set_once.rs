// SPDX-License-Identifier: GPL-2.0

//! A container that can be written once and read lock-free afterwards.

use core::{
    cell::UnsafeCell,
    mem::MaybeUninit,
    sync::atomic::{AtomicU8, Ordering},
};

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const SET: u8 = 2;

/// A value that is set at most once (e.g. per-queue state allocated in `ndo_init`) and then
/// read without locks from any context.
///
/// ```
/// use kernel::sync::SetOnce;
/// let cell = SetOnce::new();
/// assert!(cell.as_ref().is_none());
/// assert!(cell.populate(3u32));
/// assert!(!cell.populate(4u32));
/// assert_eq!(cell.as_ref(), Some(&3));
/// ```
pub struct SetOnce<T> {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<T>>,
}

// SAFETY: The value is written once, before `state` becomes `SET` with release ordering, and
// only read after observing `SET` with acquire ordering; `T: Sync` makes sharing `&T` fine.
unsafe impl<T: Send + Sync> Sync for SetOnce<T> {}
// SAFETY: Moving the container moves the value, which is `Send`.
unsafe impl<T: Send> Send for SetOnce<T> {}

impl<T> SetOnce<T> {
    /// An empty container.
    pub const fn new() -> Self {
        Self {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    /// Stores `value` if the container is empty; returns whether it did (otherwise `value` is
    /// dropped).
    pub fn populate(&self, value: T) -> bool {
        if self
            .state
            .compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return false;
        }
        // SAFETY: The state machine gives this thread exclusive access while `WRITING`.
        unsafe { (*self.value.get()).write(value) };
        self.state.store(SET, Ordering::Release);
        true
    }

    /// The value, once set.
    pub fn as_ref(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) == SET {
            // SAFETY: `SET` is only stored after the value was written; it is never changed
            // again while `&self` lives.
            Some(unsafe { (*self.value.get()).assume_init_ref() })
        } else {
            None
        }
    }
}

impl<T> Default for SetOnce<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for SetOnce<T> {
    fn drop(&mut self) {
        if *self.state.get_mut() == SET {
            // SAFETY: The value was initialised and is dropped exactly once.
            unsafe { self.value.get_mut().assume_init_drop() };
        }
    }
}
