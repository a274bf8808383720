// SPDX-License-Identifier: GPL-2.0

//! Direct memory access: coherent allocations (descriptor rings) and streaming mappings
//! (packet buffers).
//!
//! C header: [`include/linux/dma-mapping.h`](srctree/include/linux/dma-mapping.h).

use crate::{bindings, error::Result, ffi::c_void, prelude::*};
use core::{marker::PhantomData, ptr::NonNull};

/// A bus address the device uses to reach memory.
pub type DmaAddr = bindings::dma_addr_t;

/// Direction of a streaming mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The device reads the buffer (transmit).
    ToDevice,
    /// The device writes the buffer (receive).
    FromDevice,
}

impl Direction {
    fn raw(self) -> bindings::dma_data_direction {
        match self {
            Self::ToDevice => bindings::dma_data_direction_DMA_TO_DEVICE,
            Self::FromDevice => bindings::dma_data_direction_DMA_FROM_DEVICE,
        }
    }
}

/// Marker for types that may live in memory a device reads and writes: plain data with no
/// invalid bit patterns (e.g. descriptors made of integers).
///
/// # Safety
///
/// Every bit pattern must be a valid value of the type, and it must have no padding.
pub unsafe trait FromBytes: Copy {}

// SAFETY: Integers and arrays of them accept every bit pattern.
unsafe impl FromBytes for u32 {}
// SAFETY: As above.
unsafe impl FromBytes for u64 {}
// SAFETY: As above.
unsafe impl<const N: usize> FromBytes for [u64; N] {}

/// `count` elements of `T` in coherent DMA memory (`dma_alloc_coherent`), freed on drop.
/// Elements are accessed with volatile reads and writes, since the device changes them.
///
/// # Invariants
///
/// `cpu` points to `count` elements allocated for `dev` with bus address `handle`.
pub struct CoherentAllocation<T: FromBytes> {
    dev: NonNull<bindings::device>,
    cpu: NonNull<T>,
    handle: DmaAddr,
    count: usize,
    _p: PhantomData<T>,
}

// SAFETY: The memory is plain data reachable from any CPU.
unsafe impl<T: FromBytes + Send> Send for CoherentAllocation<T> {}
// SAFETY: Accesses are volatile element reads/writes; ordering is the driver's business.
unsafe impl<T: FromBytes + Sync> Sync for CoherentAllocation<T> {}

impl<T: FromBytes> CoherentAllocation<T> {
    /// Allocates `count` zeroed elements for `dev`.
    pub fn alloc(dev: &crate::device::Device, count: usize) -> Result<Self> {
        let size = core::mem::size_of::<T>().checked_mul(count).ok_or(EINVAL)?;
        if size == 0 {
            return Err(EINVAL);
        }
        let mut handle: DmaAddr = 0;
        // SAFETY: `dev` is a valid device; `handle` is a valid out pointer.
        let cpu = unsafe {
            bindings::dma_alloc_attrs(
                dev.as_raw(),
                size,
                &mut handle,
                bindings::GFP_KERNEL | bindings::__GFP_ZERO,
                0,
            )
        };
        let cpu = NonNull::new(cpu.cast::<T>()).ok_or(ENOMEM)?;
        // SAFETY: Keeps the device alive until the memory is freed.
        unsafe { bindings::get_device(dev.as_raw()) };
        Ok(Self {
            dev: NonNull::new(dev.as_raw()).ok_or(EINVAL)?,
            cpu,
            handle,
            count,
            _p: PhantomData,
        })
    }

    /// The bus address of element 0.
    pub fn dma_handle(&self) -> DmaAddr {
        self.handle
    }

    /// Number of elements.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Size in bytes.
    pub fn size(&self) -> usize {
        self.count * core::mem::size_of::<T>()
    }

    /// Reads element `index` (volatile); `None` if out of range.
    pub fn read(&self, index: usize) -> Option<T> {
        (index < self.count).then(|| {
            // SAFETY: In range; every bit pattern is a valid `T`.
            unsafe { self.cpu.as_ptr().add(index).read_volatile() }
        })
    }

    /// Writes element `index` (volatile); `EINVAL` if out of range.
    pub fn write(&self, index: usize, value: T) -> Result {
        if index >= self.count {
            return Err(EINVAL);
        }
        // SAFETY: In range; the memory is ours to write.
        unsafe { self.cpu.as_ptr().add(index).write_volatile(value) };
        Ok(())
    }
}

impl<T: FromBytes> Drop for CoherentAllocation<T> {
    fn drop(&mut self) {
        // SAFETY: Allocated in `alloc` with these parameters; the device holds no more
        // references to it (the driver stops the device's DMA before dropping its rings).
        unsafe {
            bindings::dma_free_attrs(
                self.dev.as_ptr(),
                self.size(),
                self.cpu.as_ptr().cast::<c_void>(),
                self.handle,
                0,
            );
            bindings::put_device(self.dev.as_ptr());
        }
    }
}

/// A streaming mapping of a buffer (`dma_map_single`), unmapped on drop. It does not own the
/// buffer: keep the buffer alive (e.g. the `SkBuff` next to it) for as long as the mapping.
pub struct SingleMapping {
    dev: NonNull<bindings::device>,
    handle: DmaAddr,
    len: usize,
    dir: Direction,
}

// SAFETY: Only bus addresses and a device pointer; unmapping works from any context.
unsafe impl Send for SingleMapping {}
// SAFETY: As above.
unsafe impl Sync for SingleMapping {}

impl SingleMapping {
    /// Maps `len` bytes at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr..ptr + len` must be a kernel-linear buffer (not vmalloc) that stays valid and is
    /// not freed until the mapping is dropped.
    pub unsafe fn new(
        dev: &crate::device::Device,
        ptr: *mut u8,
        len: usize,
        dir: Direction,
    ) -> Result<Self> {
        let (raw_dev, raw_dir) = (dev.as_raw(), dir.raw());
        // SAFETY: Per the safety requirements.
        let handle = unsafe { bindings::rnet_dma_map_single(raw_dev, ptr.cast(), len, raw_dir) };
        // SAFETY: `dev` is valid.
        if unsafe { bindings::rnet_dma_mapping_error(dev.as_raw(), handle) } != 0 {
            return Err(ENOMEM);
        }
        // SAFETY: Keeps the device alive until unmapped.
        unsafe { bindings::get_device(dev.as_raw()) };
        Ok(Self {
            dev: NonNull::new(dev.as_raw()).ok_or(EINVAL)?,
            handle,
            len,
            dir,
        })
    }

    /// The bus address.
    pub fn dma_handle(&self) -> DmaAddr {
        self.handle
    }

    /// Mapped length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the mapping is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Makes the device's writes visible to the CPU without unmapping
    /// (`dma_sync_single_for_cpu`), e.g. before reading a received frame in place.
    pub fn sync_for_cpu(&self) {
        // SAFETY: Mapped in `new` with these parameters.
        unsafe {
            bindings::rnet_dma_sync_single_for_cpu(
                self.dev.as_ptr(),
                self.handle,
                self.len,
                self.dir.raw(),
            )
        }
    }

    /// Gives the buffer back to the device after the CPU touched it
    /// (`dma_sync_single_for_device`).
    pub fn sync_for_device(&self) {
        // SAFETY: Mapped in `new` with these parameters.
        unsafe {
            bindings::rnet_dma_sync_single_for_device(
                self.dev.as_ptr(),
                self.handle,
                self.len,
                self.dir.raw(),
            )
        }
    }
}

impl Drop for SingleMapping {
    fn drop(&mut self) {
        // SAFETY: Mapped in `new` with these parameters.
        unsafe {
            bindings::rnet_dma_unmap_single(
                self.dev.as_ptr(),
                self.handle,
                self.len,
                self.dir.raw(),
            );
            bindings::put_device(self.dev.as_ptr());
        }
    }
}

/// Orders the CPU's reads of DMA memory: descriptor fields read after this happen after the
/// status read before it (`dma_rmb`).
pub fn dma_rmb() {
    // SAFETY: A barrier.
    unsafe { bindings::rnet_dma_rmb() }
}

/// Orders the CPU's writes to DMA memory before a later MMIO write that hands them to the
/// device (`wmb`).
pub fn wmb() {
    // SAFETY: A barrier.
    unsafe { bindings::rnet_wmb() }
}
