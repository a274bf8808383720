// SPDX-License-Identifier: GPL-2.0

//! Socket buffers lent to a device for DMA.
//!
//! A NIC driver hands the data of a buffer to the hardware (transmit: the linear part and each
//! page fragment; receive: the tailroom the device writes into) through streaming DMA mappings.
//! [`MappedSkBuff`] keeps a buffer and the mapping of its data together, so the buffer can
//! neither be freed nor touched by the CPU while the device may still access it: the buffer is
//! only reachable again through [`MappedSkBuff::unmap`].

use super::SkBuff;
use crate::{
    bindings,
    device::{self, Bound},
    dma::{DataDirection, DmaAddress, SingleMapping},
    prelude::*,
};

impl SkBuff {
    /// Maps the linear part (`skb_headlen` bytes) for the device to read (transmit); the
    /// page fragments are mapped one by one with [`MappedSkBuff::map_frag`].
    ///
    /// On failure the buffer is handed back with the error, so the caller decides whether to
    /// drop it or retry.
    pub fn map_tx(self, dev: &device::Device<Bound>) -> Result<MappedSkBuff, (SkBuff, Error)> {
        let (ptr, len) = (self.data_ptr(), self.headlen() as usize);
        // SAFETY: The linear data of a buffer we own lives in the linear map (`kmalloc` or
        // page-frag memory) and is kept alive next to the mapping in `MappedSkBuff`, which also
        // keeps the CPU from writing it until it is unmapped.
        match unsafe { SingleMapping::new(dev, ptr, len, DataDirection::ToDevice) } {
            Ok(map) => Ok(MappedSkBuff { map, skb: self }),
            Err(e) => Err((self, e)),
        }
    }

    /// Maps `len` bytes of tailroom, starting at the data pointer, for the device to write
    /// (receive). Fails with `EINVAL` if the buffer has less tailroom than `len`.
    pub fn map_rx(
        self,
        dev: &device::Device<Bound>,
        len: u32,
    ) -> Result<MappedSkBuff, (SkBuff, Error)> {
        if len == 0 || len > self.tailroom() {
            return Err((self, EINVAL));
        }
        let ptr = self.data_ptr();
        // SAFETY: `len` bytes of tailroom of a buffer we own (linear map memory), kept alive
        // next to the mapping; the CPU reads them only after `MappedSkBuff::unmap`.
        match unsafe { SingleMapping::new(dev, ptr, len as usize, DataDirection::FromDevice) } {
            Ok(map) => Ok(MappedSkBuff { map, skb: self }),
            Err(e) => Err((self, e)),
        }
    }
}

/// A buffer mapped for DMA. Dropping it unmaps and then frees the buffer; the buffer itself
/// is only reachable again after unmapping ([`MappedSkBuff::unmap`]), so the CPU never
/// touches it while the device may.
pub struct MappedSkBuff {
    // Field order: the mapping is dropped (unmapped) before the buffer is freed.
    map: SingleMapping,
    skb: SkBuff,
}

impl MappedSkBuff {
    /// The bus address of the mapped data.
    pub fn dma_handle(&self) -> DmaAddress {
        self.map.dma_handle()
    }

    /// Mapped length in bytes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the mapping is empty (never: empty mappings are refused).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Length of the buffer's data (`skb->len`), readable while mapped.
    pub fn skb_len(&self) -> u32 {
        self.skb.len()
    }

    /// Number of page fragments of the mapped buffer.
    pub fn nr_frags(&self) -> u32 {
        self.skb.nr_frags()
    }

    /// Maps page fragment `index` for the device to read (`skb_frag_dma_map`). The returned
    /// mapping borrows nothing, so the driver must drop it before this buffer (it keeps both
    /// in its ring slot until the device is done; dropping the slot in field order does it).
    pub fn map_frag(&self, dev: &device::Device<Bound>, index: u32) -> Result<FragMapping> {
        if index >= self.skb.nr_frags() {
            return Err(EINVAL);
        }
        let raw = self.skb.as_raw();
        // SAFETY: `index` is a fragment of the buffer we own (checked above).
        let len = unsafe { bindings::rnet_skb_frag_size(raw, index) };
        // SAFETY: As above; `dev` is a valid, bound device.
        let addr = unsafe { bindings::rnet_skb_frag_dma_map(dev.as_raw(), raw, index) };
        // SAFETY: `addr` was just returned by `skb_frag_dma_map` for `len` bytes to the
        // device; the fragment's page is referenced by the buffer, which outlives the mapping
        // as documented above (and is not written by the CPU while it is mapped).
        let map = unsafe {
            SingleMapping::from_page_mapping(dev, addr, len as usize, DataDirection::ToDevice)
        }?;
        Ok(FragMapping(map))
    }

    /// Copies the first `len` bytes the device wrote into this (receive) buffer to the end of
    /// `dst` (`skb_put_data`), synced for the CPU before and handed back to the device after,
    /// so the buffer stays mapped and can be given to the device again: C drivers' "copybreak"
    /// for small frames, cheaper than a new buffer and a new mapping per frame.
    ///
    /// Fails with `EINVAL`, copying nothing, if `len` is 0, longer than the mapping, or longer
    /// than `dst`'s tailroom (or `dst` is not linear). Call it once the device reported the
    /// buffer complete: bytes the device were still writing would be copied as they happen to
    /// be (the copy is done by C code into memory the caller owns; no Rust reference to the
    /// buffer is ever formed).
    pub fn copy_to(&self, len: u32, dst: &mut SkBuff) -> Result {
        let n = len as usize;
        if len == 0 || n > self.map.len() || len > dst.tailroom() || dst.headlen() != dst.len() {
            return Err(EINVAL);
        }
        self.map.sync_for_cpu(n);
        // SAFETY: The mapping starts at the buffer's data pointer and covers `len` bytes
        // (checked), memory kept alive by `self`; `dst` is a different buffer, owned by the
        // caller (`&mut`), with `len` bytes of linear tailroom (checked).
        unsafe {
            bindings::skb_put_data(dst.as_raw(), self.skb.data_ptr().cast_const().cast(), len)
        };
        self.map.sync_for_device(n);
        Ok(())
    }

    /// Unmaps and returns the buffer.
    pub fn unmap(self) -> SkBuff {
        let MappedSkBuff { map, skb } = self;
        drop(map);
        skb
    }
}

/// A page fragment of a transmit buffer mapped for the device ([`MappedSkBuff::map_frag`]);
/// unmapped (`dma_unmap_page`) on drop.
pub struct FragMapping(SingleMapping);

impl FragMapping {
    /// Bus address of the fragment.
    pub fn dma_handle(&self) -> DmaAddress {
        self.0.dma_handle()
    }

    /// Length of the fragment in bytes.
    pub fn len(&self) -> u32 {
        // The length came from `skb_frag_size`, a `u32`.
        self.0.len() as u32
    }

    /// Whether the fragment is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
