// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings of a NIC: the coherent memory holding the descriptors, the index arithmetic
//! of a ring, and the software bookkeeping of the buffers each descriptor points at.
//!
//! Nothing here knows a descriptor format. A driver defines its formats (the read and the
//! write-back layout of a transmit or receive descriptor, each 16 bytes) as `FromBytes +
//! IntoBytes` types and reads and writes them through [`DescRing`]; the status bits it polls
//! (descriptor done, end of packet) it reads with [`DescRing::read_word`].
//!
//! The index arithmetic is free of divisions and of indexing that can panic: a NAPI poll must
//! keep no panic path that objtool cannot follow.

use crate::{
    device::{Bound, Device},
    dma::{Coherent, CoherentView, DmaAddress},
    io::{io_project, io_read, Io},
    net::{
        skbuff::{FragMapping, MappedSkBuff},
        xdp::MappedXdpFrame,
    },
    prelude::*,
};

/// The descriptors of a ring, in coherent memory the device reads and writes.
///
/// A descriptor is 16 bytes; the allocation holds them as `[u64; 2]` and each access views one
/// as the format at hand. Accesses are volatile copies, as with memory the device writes.
pub struct DescRing(Coherent<[[u64; 2]]>);

impl DescRing {
    /// Allocates `count` zeroed descriptors for `dev`.
    pub fn new(dev: &Device<Bound>, count: usize) -> Result<Self> {
        Ok(Self(Coherent::zeroed_slice(dev, count, GFP_KERNEL)?))
    }

    /// Bus address of the ring (for the device's base address registers).
    pub fn dma_address(&self) -> DmaAddress {
        self.0.dma_address()
    }

    /// Length of the ring in bytes (for the device's ring length register).
    pub fn bytes(&self) -> usize {
        self.0.size()
    }

    /// Descriptor `i` viewed as `D`; `ERANGE` beyond the ring, `EINVAL` if `D` is larger than a
    /// descriptor.
    fn slot<D: FromBytes + IntoBytes>(&self, i: usize) -> Result<CoherentView<'_, D>> {
        io_project!(self.0, [try: i]).try_cast::<D>()
    }

    /// Writes descriptor `i` (ignored beyond the ring: indices come from the ring's own
    /// arithmetic).
    pub fn write<D: FromBytes + IntoBytes>(&self, i: usize, desc: D) {
        if let Ok(slot) = self.slot::<D>(i) {
            slot.copy_write(desc);
        }
    }

    /// Reads descriptor `i` as `D`; `None` beyond the ring.
    pub fn read<D: FromBytes + IntoBytes>(&self, i: usize) -> Option<D> {
        self.slot::<D>(i).ok().map(|slot| slot.copy_read())
    }

    /// Reads the 8-byte word `word` (0 or 1) of descriptor `i` alone, in one volatile access,
    /// converted from little endian. This is how a driver polls a status field the device
    /// writes back (descriptor done) before it reads the rest of the descriptor.
    pub fn read_word(&self, i: usize, word: usize) -> Option<u64> {
        let read = || -> Result<u64> { Ok(io_read!(self.0, [try: i][try: word])) };
        read().ok().map(u64::from_le)
    }
}

/// The ring index after `i` in a ring of `size` entries.
///
/// # Examples
///
/// ```
/// use kernel::net::ring::next_index;
///
/// assert_eq!(next_index(0, 8), 1);
/// assert_eq!(next_index(6, 8), 7);
/// assert_eq!(next_index(7, 8), 0);
/// // An index beyond the ring (never produced by the ring itself) wraps too.
/// assert_eq!(next_index(9, 8), 0);
/// ```
pub fn next_index(i: usize, size: usize) -> usize {
    if i.saturating_add(1) >= size {
        0
    } else {
        i + 1
    }
}

/// Entries in use from `next_to_clean` up to (not including) `next_to_use` in a ring of `size`
/// entries.
///
/// # Examples
///
/// ```
/// use kernel::net::ring::used_slots;
///
/// assert_eq!(used_slots(0, 0, 8), 0);
/// assert_eq!(used_slots(2, 5, 8), 3);
/// // `next_to_use` wrapped around the end.
/// assert_eq!(used_slots(6, 1, 8), 3);
/// assert_eq!(used_slots(1, 0, 8), 7);
/// ```
pub fn used_slots(next_to_clean: usize, next_to_use: usize, size: usize) -> usize {
    if next_to_use >= next_to_clean {
        next_to_use - next_to_clean
    } else {
        (next_to_use + size).saturating_sub(next_to_clean)
    }
}

/// A descriptor ring and what each of its descriptors holds until the device is done with it
/// (`B`: a mapped receive buffer, a transmit frame or fragment).
///
/// The driver produces at `next_to_use` and cleans at `next_to_clean`; both are always below
/// [`Ring::size`].
pub struct Ring<B> {
    /// The descriptors.
    pub desc: DescRing,
    /// The buffer of each descriptor, `None` while the descriptor holds none.
    pub bufs: KVec<Option<B>>,
    /// The next descriptor the driver fills.
    pub next_to_use: usize,
    /// The next descriptor the driver expects the device to complete.
    pub next_to_clean: usize,
}

impl<B> Ring<B> {
    /// A ring of `size` empty descriptors for `dev`.
    pub fn new(dev: &Device<Bound>, size: usize) -> Result<Self> {
        let mut bufs = KVec::with_capacity(size, GFP_KERNEL)?;
        for _ in 0..size {
            bufs.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            desc: DescRing::new(dev, size)?,
            bufs,
            next_to_use: 0,
            next_to_clean: 0,
        })
    }

    /// Number of descriptors.
    pub fn size(&self) -> usize {
        self.bufs.len()
    }

    /// The index after `i`.
    pub fn next(&self, i: usize) -> usize {
        next_index(i, self.size())
    }

    /// Descriptors that can be used; one stays free so that a full ring is not empty.
    pub fn free_slots(&self) -> usize {
        let size = self.size();
        size.saturating_sub(1 + used_slots(self.next_to_clean, self.next_to_use, size))
    }

    /// Empties the slots from `first` up to (not including) `end`, dropping their buffers.
    pub fn clear_slots(&mut self, first: usize, end: usize) {
        let mut j = first;
        while j != end {
            if let Some(buf) = self.bufs.get_mut(j) {
                *buf = None;
            }
            j = self.next(j);
            // An `end` outside the ring is never reached: stop after one round.
            if j == first {
                break;
            }
        }
    }
}

/// What a transmit ring slot holds until its descriptor is done.
pub enum TxBuf {
    /// The first descriptor of a frame: the frame (its head mapped), its last descriptor and
    /// what it counts for (segments and bytes on the wire, for statistics and BQL).
    Head {
        /// The frame, its head mapped for the device.
        skb: MappedSkBuff,
        /// Index of the frame's last descriptor, whose write-back says the frame was sent.
        eop: usize,
        /// Segments the device sends (more than one with segmentation offload).
        segs: u32,
        /// Bytes the device sends, headers of every segment included.
        bytes: u32,
    },
    /// A page fragment of the frame whose head sits in an earlier slot, unmapped on drop.
    Frag(FragMapping),
    /// An XDP frame (sent back with `XDP_TX` or redirected to the device) in one descriptor,
    /// its own last; unmapped and returned when done.
    Xdp {
        /// The frame, mapped for the device.
        frame: MappedXdpFrame,
        /// Bytes the device sends.
        bytes: u32,
    },
}

/// What one round of transmit cleaning completed.
#[derive(Clone, Copy, Default)]
pub struct TxCleaned {
    /// Frames whose descriptors were all done.
    pub frames: u32,
    /// Packets (segments) and bytes they counted for.
    pub packets: u32,
    /// See `packets`.
    pub bytes: u32,
}

impl Ring<TxBuf> {
    /// Cleans at most `budget` completed frames from `next_to_clean`: a frame is complete when
    /// `done(desc, eop)` says the device wrote its last descriptor back. The frames' heads are
    /// unmapped and consumed, their fragments unmapped, XDP frames unmapped and returned.
    pub fn clean(&mut self, budget: u32, done: impl Fn(&DescRing, usize) -> bool) -> TxCleaned {
        let mut cleaned = TxCleaned::default();
        let size = self.size();
        // Slots visited: indices are the driver's to set, so an `eop` or a `next_to_use`
        // outside the ring must not make this loop forever; one round of the ring at most.
        let mut visited = 0;
        while self.next_to_clean != self.next_to_use && cleaned.frames < budget && visited < size {
            let i = self.next_to_clean;
            let eop = match self.bufs.get(i) {
                Some(Some(TxBuf::Head { eop, .. })) if *eop < size => *eop,
                Some(Some(TxBuf::Xdp { .. })) => i,
                _ => {
                    visited += 1;
                    // Only the first slot of a frame (or a context descriptor, holding
                    // nothing) can be here; skip anything else.
                    if let Some(buf) = self.bufs.get_mut(i) {
                        *buf = None;
                    }
                    self.next_to_clean = self.next(i);
                    continue;
                }
            };
            if !done(&self.desc, eop) {
                break;
            }
            // The frame's slots run from `i` to `eop`; dropping them unmaps the fragments.
            let mut j = i;
            loop {
                match self.bufs.get_mut(j).and_then(Option::take) {
                    Some(TxBuf::Head {
                        skb, segs, bytes, ..
                    }) => {
                        cleaned.packets = cleaned.packets.saturating_add(segs);
                        cleaned.bytes = cleaned.bytes.saturating_add(bytes);
                        skb.unmap().consume();
                    }
                    // Dropping the frame unmaps and returns it.
                    Some(TxBuf::Xdp { bytes, .. }) => {
                        cleaned.packets = cleaned.packets.saturating_add(1);
                        cleaned.bytes = cleaned.bytes.saturating_add(bytes);
                    }
                    _ => {}
                }
                visited += 1;
                if j == eop || visited >= size {
                    break;
                }
                j = self.next(j);
            }
            self.next_to_clean = self.next(eop);
            cleaned.frames += 1;
        }
        cleaned
    }
}
