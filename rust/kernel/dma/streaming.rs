// SPDX-License-Identifier: GPL-2.0

//! Streaming DMA mappings of single buffers.
//!
//! C header: [`include/linux/dma-mapping.h`](srctree/include/linux/dma-mapping.h)
//!
//! A [`Coherent`](super::Coherent) allocation is shared by the CPU and the device for its whole
//! life (descriptor rings). A *streaming* mapping instead lends an existing buffer — the data of
//! a network packet, a page fragment — to the device for one transfer: `dma_map_single` /
//! `dma_map_page` hand it over, `dma_unmap_*` gives it back. [`SingleMapping`] is such a loan:
//! it is unmapped when dropped.
//!
//! Every mapping made here passes a fault-injection point, `rust_helper_dma_map_fault` (the
//! DMA API has none): with `fail_function` set on it
//! (`Documentation/fault-injection/fault-injection.rst`), mappings fail with `ENOMEM` as they
//! would on a `dma_mapping_error`, so drivers' mapping-failure paths can be tested.
//!
//! Mapping is `unsafe` because the mapping does not own the memory it maps: the caller
//! (typically another abstraction such as `net::skbuff::MappedSkBuff`, which keeps the buffer
//! next to its mapping) promises that the memory outlives the mapping.

use crate::{
    bindings,
    device::{self, Bound},
    dma::{DataDirection, DmaAddress},
    error::code::*,
    prelude::*,
    sync::aref::ARef,
};

/// What was mapped: a kernel virtual address range, or (part of) a page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Page,
}

/// A streaming DMA mapping of one buffer for one device, unmapped on drop.
///
/// # Invariants
///
/// `addr` is the DMA address returned by a successful `dma_map_single_attrs` (for
/// `Kind::Single`) or `dma_map_page_attrs` (for `Kind::Page`) of `len` bytes for `dev` in
/// direction `dir`, and it has not been unmapped yet.
pub struct SingleMapping {
    dev: ARef<device::Device>,
    addr: DmaAddress,
    len: usize,
    dir: DataDirection,
    kind: Kind,
}

impl SingleMapping {
    /// Maps `len` bytes at `ptr` for `dev` (`dma_map_single`).
    ///
    /// Fails with `EINVAL` for an empty buffer and with `ENOMEM` when the mapping fails
    /// (`dma_mapping_error`, e.g. no IOMMU/bounce space left) or a failure is injected (see
    /// the module documentation).
    ///
    /// # Safety
    ///
    /// - `ptr..ptr + len` is memory of the kernel's linear map (not vmalloc, not the stack)
    ///   that stays allocated until the returned mapping is dropped.
    /// - While mapped, the CPU does not write the buffer if `dir` lets the device read it, and
    ///   does not read it if `dir` lets the device write it, except after
    ///   [`SingleMapping::sync_for_cpu`] (and before [`SingleMapping::sync_for_device`]).
    pub unsafe fn new(
        dev: &device::Device<Bound>,
        ptr: *mut u8,
        len: usize,
        dir: DataDirection,
    ) -> Result<Self> {
        if len == 0 {
            return Err(EINVAL);
        }
        let addr =
            // SAFETY: `dev` is a valid, bound device; the buffer requirements are the caller's.
            unsafe { bindings::dma_map_single_attrs(dev.as_raw(), ptr.cast(), len, dir.into(), 0) };
        Self::checked(dev, addr, len, dir, Kind::Single)
    }

    /// Maps `len` bytes at `offset` into `page` for `dev` (`dma_map_page`).
    ///
    /// # Safety
    ///
    /// - `page` is a valid page (or compound page) that holds `offset + len` bytes and stays
    ///   allocated until the returned mapping is dropped.
    /// - The CPU access rules of [`SingleMapping::new`] apply to the mapped range.
    pub unsafe fn new_page(
        dev: &device::Device<Bound>,
        page: *mut bindings::page,
        offset: usize,
        len: usize,
        dir: DataDirection,
    ) -> Result<Self> {
        if len == 0 {
            return Err(EINVAL);
        }
        let addr =
            // SAFETY: `dev` is a valid, bound device; the page requirements are the caller's.
            unsafe { bindings::dma_map_page_attrs(dev.as_raw(), page, offset, len, dir.into(), 0) };
        Self::checked(dev, addr, len, dir, Kind::Page)
    }

    /// Takes over a page mapping that C code made (e.g. `skb_frag_dma_map`), checking it with
    /// `dma_mapping_error`.
    ///
    /// # Safety
    ///
    /// `addr` was just returned by a `dma_map_page_attrs`-equivalent call for `dev` that mapped
    /// `len` bytes in direction `dir`, nothing else unmaps it, and the mapped memory satisfies
    /// the requirements of [`SingleMapping::new_page`].
    pub unsafe fn from_page_mapping(
        dev: &device::Device<Bound>,
        addr: DmaAddress,
        len: usize,
        dir: DataDirection,
    ) -> Result<Self> {
        Self::checked(dev, addr, len, dir, Kind::Page)
    }

    fn checked(
        dev: &device::Device<Bound>,
        addr: DmaAddress,
        len: usize,
        dir: DataDirection,
        kind: Kind,
    ) -> Result<Self> {
        // SAFETY: `addr` was just returned by a mapping call for `dev`.
        if unsafe { bindings::dma_mapping_error(dev.as_raw(), addr) } != 0 {
            return Err(ENOMEM);
        }
        // INVARIANT: A successful mapping of `len` bytes in direction `dir`.
        let mapping = Self {
            dev: dev.into(),
            addr,
            len,
            dir,
            kind,
        };
        // The fault-injection point of streaming mappings (fail_function: the DMA API has
        // none): an injected failure undoes the mapping (drop) and fails as the mapping would.
        // SAFETY: `dev` is a valid device; the function does not touch it and returns 0 unless
        // a failure is injected.
        if unsafe { bindings::dma_map_fault(dev.as_raw()) } != 0 {
            drop(mapping);
            return Err(ENOMEM);
        }
        Ok(mapping)
    }

    /// The address the device uses for the buffer.
    pub fn dma_handle(&self) -> DmaAddress {
        self.addr
    }

    /// The length of the mapping in bytes (never 0).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always `false`: empty mappings are refused. Present for the `len`/`is_empty` pair.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Gives the first `len` bytes (at most the mapping's length) back to the CPU
    /// (`dma_sync_single_for_cpu`), e.g. to read a received frame before unmapping.
    pub fn sync_for_cpu(&self, len: usize) {
        let len = len.min(self.len);
        // SAFETY: By the type invariant `addr` is a live mapping of at least `len` bytes.
        unsafe {
            bindings::dma_sync_single_for_cpu(self.dev.as_raw(), self.addr, len, self.dir.into())
        };
    }

    /// Hands the first `len` bytes (at most the mapping's length) back to the device
    /// (`dma_sync_single_for_device`) after a [`SingleMapping::sync_for_cpu`].
    pub fn sync_for_device(&self, len: usize) {
        let len = len.min(self.len);
        // SAFETY: By the type invariant `addr` is a live mapping of at least `len` bytes.
        unsafe {
            bindings::dma_sync_single_for_device(self.dev.as_raw(), self.addr, len, self.dir.into())
        };
    }
}

impl Drop for SingleMapping {
    fn drop(&mut self) {
        // SAFETY: By the type invariant `addr` is a live mapping of `len` bytes in `dir`, made
        // by the call that `kind` names; it is unmapped exactly once, here.
        unsafe {
            match self.kind {
                Kind::Single => bindings::dma_unmap_single_attrs(
                    self.dev.as_raw(),
                    self.addr,
                    self.len,
                    self.dir.into(),
                    0,
                ),
                Kind::Page => bindings::dma_unmap_page_attrs(
                    self.dev.as_raw(),
                    self.addr,
                    self.len,
                    self.dir.into(),
                    0,
                ),
            }
        }
    }
}

// SAFETY: The mapping is a DMA address plus a device reference; unmapping and syncing may be
// done from any thread.
unsafe impl Send for SingleMapping {}
// SAFETY: `&SingleMapping` only allows syncing, which the DMA API allows concurrently.
unsafe impl Sync for SingleMapping {}
