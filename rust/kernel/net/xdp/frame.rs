// SPDX-License-Identifier: GPL-2.0

//! XDP frames a driver transmits: sent back with `XDP_TX` or redirected to it by another
//! device (`ndo_xdp_xmit`). Uses nothing of `net`.

use crate::{
    bindings,
    device::{self, Bound},
    dma::{DataDirection, DmaAddress, SingleMapping},
    prelude::*,
};
use core::{marker::PhantomData, ptr::NonNull};

/// An XDP frame (`struct xdp_frame`, stored in the headroom of its buffer) owned by the driver.
///
/// Dropping it returns the buffer to where it came from (`xdp_return_frame`: a page pool's
/// page goes back to its pool). Only single-buffer frames are mapped for transmission
/// ([`XdpFrame::map`]); devices announce no `NETDEV_XDP_ACT_NDO_XMIT_SG`.
///
/// # Invariants
///
/// `frame` is a valid frame owned by this object: nobody else returns or frees it.
pub struct XdpFrame {
    frame: NonNull<bindings::xdp_frame>,
}

// SAFETY: A frame may be transmitted and returned on any CPU (`xdp_return_frame` does not
// recycle directly into a NAPI-local cache).
unsafe impl Send for XdpFrame {}

impl XdpFrame {
    /// Takes ownership of `frame`.
    ///
    /// # Safety
    ///
    /// `frame` is a valid frame whose ownership the caller transfers.
    pub(crate) unsafe fn from_raw(frame: NonNull<bindings::xdp_frame>) -> Self {
        // INVARIANT: Ownership transferred by the caller.
        Self { frame }
    }

    pub(crate) fn as_raw(&self) -> *mut bindings::xdp_frame {
        self.frame.as_ptr()
    }

    fn raw(&self) -> &bindings::xdp_frame {
        // SAFETY: The frame is valid and ours (type invariant).
        unsafe { self.frame.as_ref() }
    }

    /// Bytes of the frame (its linear part; the whole frame when it has no fragments).
    pub fn len(&self) -> u32 {
        self.raw().len
    }

    /// Whether the frame is empty (never, for a frame the stack built).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the frame has fragments beyond its linear part (multi-buffer XDP).
    pub fn has_frags(&self) -> bool {
        // SAFETY: The frame is valid (type invariant).
        unsafe { bindings::rnet_xdp_frame_has_frags(self.frame.as_ptr()) }
    }

    /// Maps the frame for the device to read (`dma_map_single`, `DMA_TO_DEVICE`). A frame
    /// with fragments, or one the DMA API cannot map, is handed back.
    pub fn map(self, dev: &device::Device<Bound>) -> Result<MappedXdpFrame, Self> {
        if self.has_frags() {
            return Err(self);
        }
        let raw = self.raw();
        // SAFETY: `data..data + len` is the frame's linear part, in a page of the linear map (XDP
        // buffers are pages or page fragments); the frame is owned by the `MappedXdpFrame`,
        // which drops the mapping first, so the memory outlives it; the CPU does not write
        // the frame while the device reads it (nothing else has it).
        let mapping = unsafe {
            SingleMapping::new(
                dev,
                raw.data.cast(),
                raw.len as usize,
                DataDirection::ToDevice,
            )
        };
        let Ok(mapping) = mapping else {
            return Err(self);
        };
        Ok(MappedXdpFrame {
            mapping,
            frame: self,
        })
    }
}

impl Drop for XdpFrame {
    fn drop(&mut self) {
        // SAFETY: The frame is valid and ours (type invariant); it is returned once.
        unsafe { bindings::xdp_return_frame(self.frame.as_ptr()) }
    }
}

/// An [`XdpFrame`] mapped for the device to read; dropping it unmaps the frame, then returns
/// it.
pub struct MappedXdpFrame {
    // Field order: unmapped before the frame is returned.
    mapping: SingleMapping,
    frame: XdpFrame,
}

impl MappedXdpFrame {
    /// The address the device reads the frame from.
    pub fn dma_handle(&self) -> DmaAddress {
        self.mapping.dma_handle()
    }

    /// Bytes the device sends.
    pub fn len(&self) -> u32 {
        self.frame.len()
    }

    /// Whether the frame is empty (never: empty buffers are not mapped).
    pub fn is_empty(&self) -> bool {
        self.frame.is_empty()
    }
}

/// The frames of one `ndo_xdp_xmit` call, for
/// [`Driver::xdp_xmit`](crate::net::dev::Driver::xdp_xmit).
///
/// The driver takes frames in order (`Iterator`), each one its own from then on (sent, or
/// dropped, which returns it); the call reports how many it took, and the core returns the
/// rest (`bq_xmit_all`). So a driver that runs out of room simply stops taking frames, and one
/// that could not queue the frame it took last gives it back ([`XdpXmitFrames::give_back`]),
/// so that the core counts it as dropped rather than sent.
///
/// # Invariants
///
/// `frames[taken..n]` are valid frames still owned by the core; `frames[..taken]` were handed
/// out as [`XdpFrame`]s.
pub struct XdpXmitFrames<'a> {
    frames: *mut *mut bindings::xdp_frame,
    n: usize,
    taken: usize,
    flags: u32,
    _p: PhantomData<&'a mut [*mut bindings::xdp_frame]>,
}

impl XdpXmitFrames<'_> {
    /// # Safety
    ///
    /// `frames` points to `n` valid frames the core lends for one `ndo_xdp_xmit` call, and
    /// `'a` does not outlive the call.
    pub(crate) unsafe fn new(frames: *mut *mut bindings::xdp_frame, n: usize, flags: u32) -> Self {
        // INVARIANT: Nothing taken yet; the frames are valid (caller).
        Self {
            frames,
            n,
            taken: 0,
            flags,
            _p: PhantomData,
        }
    }

    /// Frames not taken yet.
    pub fn remaining(&self) -> usize {
        self.n - self.taken
    }

    /// Frames taken so far (what the call reports as sent).
    pub fn taken(&self) -> usize {
        self.taken
    }

    /// Hands the frame taken last back to the core, untouched: the call reports it as not
    /// sent, and the core counts it as dropped and returns it (as igb, which stops at the
    /// first frame it cannot map). A driver that failed to queue a frame calls this and stops
    /// taking frames. Any other frame is given back to the caller (`Err`), which may drop it.
    pub fn give_back(&mut self, frame: XdpFrame) -> core::result::Result<(), XdpFrame> {
        let last = self.taken.checked_sub(1);
        // SAFETY: `taken - 1 < n`, within the array (type invariant).
        let is_last = last.is_some_and(|i| unsafe { *self.frames.add(i) } == frame.frame.as_ptr());
        let Some(i) = last.filter(|_| is_last) else {
            return Err(frame);
        };
        // INVARIANT: `frames[i]` goes back to the core, which owns `frames[taken..]` again.
        self.taken = i;
        core::mem::forget(frame);
        Ok(())
    }

    /// Whether the caller asks for the device to be told now (`XDP_XMIT_FLUSH`): the driver
    /// writes its doorbell after the batch.
    pub fn flush(&self) -> bool {
        self.flags & bindings::XDP_XMIT_FLUSH != 0
    }
}

impl Iterator for XdpXmitFrames<'_> {
    type Item = XdpFrame;

    fn next(&mut self) -> Option<XdpFrame> {
        if self.taken >= self.n {
            return None;
        }
        // SAFETY: `taken < n`, within the array (type invariant).
        let frame = unsafe { *self.frames.add(self.taken) };
        self.taken += 1;
        // INVARIANT: `frames[taken - 1]` is handed out, and never again (`taken` only grows).
        // SAFETY: The frame is valid and the core's until now; the call will report it taken,
        // so the core does not return it.
        NonNull::new(frame).map(|f| unsafe { XdpFrame::from_raw(f) })
    }
}
