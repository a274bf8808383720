// SPDX-License-Identifier: GPL-2.0

//! Socket buffers.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h).

use crate::bindings;
use crate::net::dev::{Device, Driver};
use crate::{
    init::PinInit,
    prelude::*,
    types::{ARef, Opaque},
};
use core::ptr::NonNull;

/// An owned socket buffer (`struct sk_buff`).
///
/// Exactly one `SkBuff` exists for each buffer the driver owns: handing it on (to the stack with
/// [`SkBuff::netif_rx`], or freeing it with [`SkBuff::consume`]) moves it, so the type system
/// rules out both double frees and uses after hand-off. Dropping an `SkBuff` frees it as a
/// *drop* (`kfree_skb`, visible to drop monitors and `skb:kfree_skb` tracing); a buffer whose
/// journey ended normally (e.g. transmitted) is released with [`SkBuff::consume`] instead.
///
/// # Invariants
///
/// `self.0` points to a valid `struct sk_buff` that this object owns (holds the only reference
/// the driver has to it).
pub struct SkBuff(NonNull<bindings::sk_buff>);

// SAFETY: An owned `sk_buff` may be handed to and freed on any CPU; the kernel moves them between
// contexts all the time.
unsafe impl Send for SkBuff {}

/// What the receive path did with a buffer handed to [`SkBuff::netif_rx`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RxResult {
    /// Queued on the per-CPU backlog (`NET_RX_SUCCESS`).
    Success,
    /// Dropped, e.g. because the backlog was full (`NET_RX_DROP`); the stack freed the buffer.
    Dropped,
}

impl SkBuff {
    /// Takes ownership of a raw `sk_buff`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `sk_buff` whose reference the caller gives to the new object.
    pub unsafe fn from_raw(ptr: *mut bindings::sk_buff) -> Self {
        // INVARIANT: guaranteed by the safety requirements; `ptr` is valid hence non-null.
        // SAFETY: `ptr` is non-null per the safety requirements.
        Self(unsafe { NonNull::new_unchecked(ptr) })
    }

    /// Gives up ownership and returns the raw pointer, e.g. to hand the buffer to C.
    pub fn into_raw(self) -> *mut bindings::sk_buff {
        let ptr = self.0.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// Returns the raw pointer without giving up ownership.
    pub fn as_raw(&self) -> *mut bindings::sk_buff {
        self.0.as_ptr()
    }

    fn inner(&self) -> &bindings::sk_buff {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { self.0.as_ref() }
    }

    /// Total length of the data (linear part plus fragments), `skb->len`.
    pub fn len(&self) -> u32 {
        self.inner().len
    }

    /// Returns `true` if the buffer carries no data.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The protocol field (`skb->protocol`, network byte order as in C).
    pub fn protocol(&self) -> u16 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_protocol(self.as_raw()) }
    }

    /// The linear (head) part of the data, `skb->data[..skb_headlen(skb)]`.
    pub fn head_data(&self) -> &[u8] {
        let skb = self.inner();
        let headlen = (skb.len - skb.data_len) as usize;
        // SAFETY: `data` points to at least `len - data_len` valid bytes of the linear area
        // (the `sk_buff` invariant), which stay valid while we own the buffer.
        unsafe { core::slice::from_raw_parts(skb.data, headlen) }
    }

    /// Allocates a receive buffer with room for `len` bytes of frame for `dev`
    /// (`netdev_alloc_skb_ip_align`, atomic).
    pub fn alloc_rx<T: Driver>(dev: &Device<T>, len: u32) -> Option<Self> {
        // SAFETY: `dev` is valid.
        let skb = unsafe { bindings::rnet_netdev_alloc_skb_ip_align(dev.as_raw(), len) };
        // SAFETY: A fresh buffer, owned by us.
        (!skb.is_null()).then(|| unsafe { Self::from_raw(skb) })
    }

    /// Bytes available after the data (`skb_tailroom`).
    pub fn tailroom(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_tailroom(self.as_raw()) as u32 }
    }

    /// Extends the data by `len` bytes the device wrote (`skb_put`); `EINVAL` if they do not
    /// fit the buffer or the buffer is not linear.
    pub fn put(&mut self, len: u32) -> crate::error::Result {
        if len > self.tailroom() || self.inner().data_len != 0 {
            return Err(crate::error::code::EINVAL);
        }
        // SAFETY: Checked to fit the linear tailroom.
        unsafe { bindings::skb_put(self.as_raw(), len) };
        Ok(())
    }

    /// Appends `bytes` to the linear data (`skb_put_data`), e.g. to build a test frame;
    /// `EINVAL` if they do not fit the tailroom.
    pub fn put_slice(&mut self, bytes: &[u8]) -> crate::error::Result {
        let len = u32::try_from(bytes.len()).map_err(|_| EINVAL)?;
        if len > self.tailroom() || self.inner().data_len != 0 {
            return Err(EINVAL);
        }
        // SAFETY: Checked to fit the linear tailroom; `bytes` is valid for reads.
        unsafe { bindings::skb_put_data(self.as_raw(), bytes.as_ptr().cast(), len) };
        Ok(())
    }

    /// Makes the data linear (`skb_linearize`), e.g. for a device without scatter/gather.
    pub fn linearize(&mut self) -> crate::error::Result {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        crate::error::to_result(unsafe { bindings::rnet_skb_linearize(self.as_raw()) })
    }

    /// Maps the linear part (`skb_headlen` bytes) for the device to read (transmit); the
    /// page fragments are mapped one by one with [`MappedSkBuff::map_frag`].
    pub fn map_tx(self, dev: &crate::device::Device) -> Result<MappedSkBuff, (SkBuff, Error)> {
        let (ptr, len) = (self.inner().data, self.headlen() as usize);
        // SAFETY: The linear data of a buffer we own, kept alive next to the mapping.
        match unsafe {
            crate::dma::SingleMapping::new(dev, ptr, len, crate::dma::Direction::ToDevice)
        } {
            Ok(map) => Ok(MappedSkBuff { map, skb: self }),
            Err(e) => Err((self, e)),
        }
    }

    /// Maps `len` bytes of tailroom for the device to write (receive).
    pub fn map_rx(
        self,
        dev: &crate::device::Device,
        len: u32,
    ) -> Result<MappedSkBuff, (SkBuff, Error)> {
        if len > self.tailroom() {
            return Err((self, EINVAL));
        }
        let ptr = self.inner().data;
        // SAFETY: `len` bytes of tailroom of a buffer we own, kept alive next to the mapping.
        match unsafe {
            crate::dma::SingleMapping::new(
                dev,
                ptr,
                len as usize,
                crate::dma::Direction::FromDevice,
            )
        } {
            Ok(map) => Ok(MappedSkBuff { map, skb: self }),
            Err(e) => Err((self, e)),
        }
    }

    /// Bytes in the linear part (`skb_headlen`).
    pub fn headlen(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_headlen(self.as_raw()) }
    }

    /// Number of page fragments (`skb_shinfo(skb)->nr_frags`).
    pub fn nr_frags(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_nr_frags(self.as_raw()) }
    }

    /// For a buffer whose checksum the device must insert (`CHECKSUM_PARTIAL`): the offset
    /// from the data of where checksumming starts and the offset of the checksum field from
    /// there (`csum_start`, `csum_offset`).
    pub fn checksum_partial(&self) -> Option<(u32, u32)> {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe {
            bindings::rnet_skb_csum_partial(self.as_raw()).then(|| {
                (
                    bindings::rnet_skb_csum_start_offset(self.as_raw()),
                    bindings::rnet_skb_csum_offset(self.as_raw()),
                )
            })
        }
    }

    /// Offset of the network header from the data (`skb_network_offset`), i.e. the length
    /// of the link-layer header(s).
    pub fn network_offset(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_network_offset(self.as_raw()) as u32 }
    }

    /// Whether the network protocol (looking through a VLAN tag) is IPv4.
    pub fn is_ipv4(&self) -> bool {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_is_ipv4(self.as_raw()) }
    }

    /// Computes a pending checksum in software (`skb_checksum_help`), for offloads the
    /// device cannot do.
    pub fn checksum_help(&mut self) -> crate::error::Result {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        crate::error::to_result(unsafe { bindings::rnet_skb_checksum_help(self.as_raw()) })
    }

    /// Whether the buffer is a GSO super-frame to be segmented (`skb_is_gso`).
    pub fn is_gso(&self) -> bool {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_is_gso(self.as_raw()) }
    }

    /// Number of segments a GSO frame becomes (`gso_segs`).
    pub fn gso_segs(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_gso_segs(self.as_raw()) }
    }

    /// Prepares a TCP GSO frame for segmentation by the device (TSO): unshares the headers
    /// and clears the per-segment IP length fields, leaving the pseudo-header checksum
    /// without length in the TCP checksum field, as TSO hardware expects. `EPROTONOSUPPORT`
    /// for other GSO types.
    pub fn tso_prepare(&mut self) -> crate::error::Result<Tso> {
        let mut tso = Tso::default();
        // SAFETY: By the type invariant the buffer is valid and owned by us; the out
        // pointers are valid.
        crate::error::to_result(unsafe {
            bindings::rnet_skb_tso_prepare(
                self.as_raw(),
                &mut tso.l4_offset,
                &mut tso.l4_len,
                &mut tso.mss,
                &mut tso.ipv4,
            )
        })?;
        Ok(tso)
    }

    /// Marks a received frame's checksum as verified by the device (`CHECKSUM_UNNECESSARY`).
    pub fn set_csum_unnecessary(&mut self) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_csum_unnecessary(self.as_raw()) }
    }

    /// Records the device's flow hash (`skb_set_hash`); `l4` if it covered the ports.
    pub fn set_hash(&mut self, hash: u32, l4: bool) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_set_hash(self.as_raw(), hash, l4) }
    }

    /// Records the receive queue (`skb_record_rx_queue`).
    pub fn record_rx_queue(&mut self, queue: u16) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_record_rx_queue(self.as_raw(), queue) }
    }

    /// The transmit queue the stack picked for the buffer (`skb_get_queue_mapping`).
    pub fn queue_mapping(&self) -> u16 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_get_queue_mapping(self.as_raw()) }
    }

    /// Prepares the buffer to be received by `dev` as if it had arrived on its wire
    /// (`__dev_forward_skb`): checks that `dev` is up and the frame fits its MTU, scrubs
    /// state that must not cross devices (and namespaces), and runs `eth_type_trans`.
    ///
    /// On failure the buffer has been freed (and counted as dropped on `dev`) and `None` is
    /// returned.
    pub fn forward_prepare<T: Driver>(self, dev: &Device<T>) -> Option<Self> {
        // `eth_type_trans` inside needs a whole Ethernet header in the linear area.
        // SAFETY: We own the buffer.
        if !unsafe { bindings::pskb_may_pull(self.as_raw(), bindings::ETH_HLEN) } {
            dev.rx_dropped_inc();
            return None;
        }
        let skb = self.into_raw();
        // SAFETY: We own the buffer; on failure the function frees it, on success it is
        // still ours; `dev` is valid.
        if unsafe { bindings::__dev_forward_skb(dev.as_raw(), skb) } == 0 {
            // SAFETY: On success the reference was not consumed.
            Some(unsafe { Self::from_raw(skb) })
        } else {
            None
        }
    }

    /// Records the software transmit timestamp if the socket asked for one
    /// (`skb_tx_timestamp`). Drivers call it right before the buffer leaves for the wire.
    pub fn tx_timestamp(&mut self) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_tx_timestamp(self.as_raw()) }
    }

    /// Clears the timestamp (`skb_clear_tstamp`), so a looped-back buffer does not carry a
    /// transmit-side clock base into the receive path.
    pub fn clear_tstamp(&mut self) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_clear_tstamp(self.as_raw()) }
    }

    /// Detaches the buffer from its socket (`skb_orphan`), running the destructor that returns
    /// its memory to the sender's socket accounting.
    pub fn orphan(&mut self) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_orphan(self.as_raw()) }
    }

    /// Makes sure the attached route (dst) is reference-counted (`skb_dst_force`), which is
    /// required before the buffer is queued beyond the current RCU read-side section.
    ///
    /// Returns `false` if the dst was dropped because it was being released.
    pub fn dst_force(&mut self) -> bool {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_dst_force(self.as_raw()) }
    }

    /// Prepares an Ethernet frame for the receive path (`eth_type_trans`): sets `skb->dev`,
    /// the packet type (host/broadcast/multicast/other host), pulls the Ethernet header and
    /// stores the protocol in `skb->protocol`.
    ///
    /// Returns [`crate::error::code::EINVAL`] (and leaves the buffer alone) if it is shorter
    /// than an Ethernet header.
    pub fn eth_type_trans<T: Driver>(&mut self, dev: &Device<T>) -> crate::error::Result {
        if self.inner().len < bindings::ETH_HLEN {
            return Err(crate::error::code::EINVAL);
        }
        // SAFETY: The buffer is valid, owned, and holds at least `ETH_HLEN` bytes; `dev` is a
        // valid net_device by its type invariant.
        let proto = unsafe { bindings::eth_type_trans(self.as_raw(), dev.as_raw()) };
        // SAFETY: The buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_set_protocol(self.as_raw(), proto) };
        Ok(())
    }

    /// Hands the buffer to the receive path of the device it was prepared for (`netif_rx`):
    /// it is queued on this CPU's backlog and processed in the `NET_RX` softirq by
    /// `process_backlog` → `__netif_receive_skb`.
    pub fn netif_rx(self) -> RxResult {
        // SAFETY: We own the buffer and give the reference to the stack.
        let ret = unsafe { bindings::netif_rx(self.into_raw()) };
        if ret == bindings::NET_RX_SUCCESS as i32 {
            RxResult::Success
        } else {
            RxResult::Dropped
        }
    }

    /// Frees a buffer whose journey ended normally (`consume_skb`): not counted as a drop.
    pub fn consume(self) {
        // SAFETY: We own the buffer and give the reference up.
        unsafe { bindings::rnet_consume_skb(self.into_raw()) }
    }
}

impl Drop for SkBuff {
    /// Frees the buffer as a drop (`kfree_skb`): use [`SkBuff::consume`] when it was not one.
    fn drop(&mut self) {
        // SAFETY: By the type invariant we own the buffer; it is not used after this.
        unsafe { bindings::kfree_skb(self.0.as_ptr()) }
    }
}

/// A buffer mapped for DMA. Dropping it unmaps and then frees the buffer; the buffer itself
/// is only reachable again after unmapping ([`MappedSkBuff::unmap`]), so the CPU never
/// touches it while the device may.
pub struct MappedSkBuff {
    // Field order: the mapping is dropped (unmapped) before the buffer is freed.
    map: crate::dma::SingleMapping,
    skb: SkBuff,
}

impl MappedSkBuff {
    /// The bus address of the mapped data.
    pub fn dma_handle(&self) -> crate::dma::DmaAddr {
        self.map.dma_handle()
    }

    /// Mapped length.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the mapping is empty.
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

    /// Maps page fragment `index` for the device to read (`skb_frag_dma_map`). The mapping
    /// must be dropped before the buffer is (the driver keeps both until the device is done).
    pub fn map_frag(&self, dev: &crate::device::Device, index: u32) -> Result<FragMapping> {
        if index >= self.skb.nr_frags() {
            return Err(EINVAL);
        }
        let raw = self.skb.as_raw();
        // SAFETY: `index` is a valid fragment of the buffer we own; the device is valid.
        let (addr, len) = unsafe {
            (
                bindings::rnet_skb_frag_dma_map(dev.as_raw(), raw, index),
                bindings::rnet_skb_frag_size(raw, index),
            )
        };
        // SAFETY: The device is valid; `addr` came from the mapping call above.
        if unsafe { bindings::rnet_dma_mapping_error(dev.as_raw(), addr) } != 0 {
            return Err(ENOMEM);
        }
        Ok(FragMapping {
            dev: ARef::from(dev),
            addr,
            len,
        })
    }

    /// Unmaps and returns the buffer.
    pub fn unmap(self) -> SkBuff {
        let MappedSkBuff { map, skb } = self;
        drop(map);
        skb
    }
}

/// How a TCP GSO frame is laid out, from [`SkBuff::tso_prepare`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Tso {
    /// Offset of the TCP header from the data.
    pub l4_offset: u32,
    /// Length of the TCP header with options.
    pub l4_len: u32,
    /// Segment payload size (`gso_size`).
    pub mss: u32,
    /// IPv4 (else IPv6).
    pub ipv4: bool,
}

/// A page fragment of a transmit buffer mapped for the device ([`MappedSkBuff::map_frag`]);
/// unmapped (`dma_unmap_page`) on drop.
pub struct FragMapping {
    dev: ARef<crate::device::Device>,
    addr: crate::dma::DmaAddr,
    len: u32,
}

impl FragMapping {
    /// Bus address of the fragment.
    pub fn dma_handle(&self) -> crate::dma::DmaAddr {
        self.addr
    }

    /// Length of the fragment in bytes.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether the fragment is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for FragMapping {
    fn drop(&mut self) {
        // SAFETY: Mapped in `map_frag` on this device with this length, unmapped once.
        unsafe { bindings::rnet_dma_unmap_page(self.dev.as_raw(), self.addr, self.len as usize) }
    }
}

/// A queue of buffers with its own lock (`struct sk_buff_head`), usable from any context.
///
/// # Invariants
///
/// `head` is initialised by `skb_queue_head_init` and owns the buffers queued on it.
#[pin_data(PinnedDrop)]
pub struct SkbQueue {
    #[pin]
    head: Opaque<bindings::sk_buff_head>,
}

// SAFETY: All accesses go through the queue's spinlock (or are lockless reads of the length).
unsafe impl Sync for SkbQueue {}
// SAFETY: The queue owns its buffers, which may be freed on any CPU.
unsafe impl Send for SkbQueue {}

impl SkbQueue {
    /// An empty queue.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(Self {
            head <- Opaque::ffi_init(|slot: *mut bindings::sk_buff_head| {
                // SAFETY: `slot` is valid for writes and pinned.
                unsafe { bindings::skb_queue_head_init(slot) }
            }),
        })
    }

    /// Appends a buffer (`skb_queue_tail`).
    pub fn push_back(&self, skb: SkBuff) {
        // SAFETY: The queue is initialised; the buffer's ownership moves into it.
        unsafe { bindings::skb_queue_tail(self.head.get(), skb.into_raw()) }
    }

    /// Removes the first buffer (`skb_dequeue`).
    pub fn pop_front(&self) -> Option<SkBuff> {
        // SAFETY: The queue is initialised.
        let skb = unsafe { bindings::skb_dequeue(self.head.get()) };
        // SAFETY: A dequeued buffer is owned by the caller.
        (!skb.is_null()).then(|| unsafe { SkBuff::from_raw(skb) })
    }

    /// Number of queued buffers, read without the lock (`skb_queue_len_lockless`).
    pub fn len(&self) -> u32 {
        // SAFETY: The queue is initialised.
        unsafe { bindings::skb_queue_len_lockless(self.head.get()) }
    }

    /// Whether the queue is empty (lockless).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Frees every queued buffer as a drop (`skb_queue_purge`).
    pub fn purge(&self) {
        // SAFETY: The queue is initialised.
        unsafe { bindings::skb_queue_purge(self.head.get()) }
    }
}

#[pinned_drop]
impl PinnedDrop for SkbQueue {
    fn drop(self: Pin<&mut Self>) {
        self.purge();
    }
}
