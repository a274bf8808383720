// SPDX-License-Identifier: GPL-2.0

//! A batch of socket buffers linked through their own `next` pointers.

use super::SkBuff;
use crate::bindings;
use core::ptr;

/// An owned, unlocked first-in first-out list of buffers, linked through the buffers' own
/// `skb->next` pointers (as the stack's `skb_list` batches are), so adding and taking never
/// allocates.
///
/// It is meant for a batch one context builds and then drains, e.g. a NAPI poll that takes
/// frames off its ring under the ring's lock and hands them to the stack once the lock is
/// dropped. Unlike [`SkbQueue`](super::SkbQueue) it has no lock and needs no pinning: it lives
/// on the stack and can be moved. Buffers still on the list when it is dropped are freed as
/// drops (like dropping each [`SkBuff`]).
///
/// # Invariants
///
/// Either `head` and `tail` are null and `len` is 0, or `head` is the first of `len` buffers
/// the list owns, each linked to the next through `next`, and `tail` is the last one, whose
/// `next` is null.
pub struct SkBuffList {
    head: *mut bindings::sk_buff,
    tail: *mut bindings::sk_buff,
    len: u32,
}

// SAFETY: The list owns its buffers, and an owned buffer may move to and be freed on any CPU
// (`SkBuff` is `Send`).
unsafe impl Send for SkBuffList {}

/// The `next` link of a buffer.
///
/// # Safety
///
/// `skb` must be a valid buffer owned by the caller.
unsafe fn next_of(skb: *mut bindings::sk_buff) -> *mut *mut bindings::sk_buff {
    // SAFETY: `skb` is valid (caller); `next` is the first member of the anonymous struct
    // inside the first union of `struct sk_buff`.
    unsafe { &raw mut (*skb).__bindgen_anon_1.__bindgen_anon_1.next }
}

impl SkBuffList {
    /// An empty list.
    pub const fn new() -> Self {
        Self {
            head: ptr::null_mut(),
            tail: ptr::null_mut(),
            len: 0,
        }
    }

    /// Appends a buffer.
    pub fn push_back(&mut self, skb: SkBuff) {
        let skb = skb.into_raw();
        // SAFETY: `skb` is a valid buffer whose ownership moved into the list just above; an
        // owned buffer is on no other list, so its link is ours to set.
        unsafe { next_of(skb).write(ptr::null_mut()) };
        if self.tail.is_null() {
            self.head = skb;
        } else {
            // SAFETY: `tail` is the last buffer the list owns (type invariant).
            unsafe { next_of(self.tail).write(skb) };
        }
        self.tail = skb;
        self.len += 1;
    }

    /// Takes the first buffer off the list.
    pub fn pop_front(&mut self) -> Option<SkBuff> {
        let skb = self.head;
        if skb.is_null() {
            return None;
        }
        // SAFETY: `head` is a buffer the list owns (type invariant); its link is cleared before
        // it leaves the list (`skb_mark_not_on_list`).
        let next = unsafe { next_of(skb).replace(ptr::null_mut()) };
        self.head = next;
        if next.is_null() {
            self.tail = ptr::null_mut();
        }
        self.len -= 1;
        // SAFETY: The list owned `skb` and gives that ownership to the caller.
        Some(unsafe { SkBuff::from_raw(skb) })
    }

    /// Number of buffers on the list.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.head.is_null()
    }
}

impl Default for SkBuffList {
    fn default() -> Self {
        Self::new()
    }
}

impl Iterator for SkBuffList {
    type Item = SkBuff;

    /// Takes the buffers off the list in order, see [`SkBuffList::pop_front`].
    fn next(&mut self) -> Option<SkBuff> {
        self.pop_front()
    }
}

impl Drop for SkBuffList {
    fn drop(&mut self) {
        while let Some(skb) = self.pop_front() {
            drop(skb);
        }
    }
}
