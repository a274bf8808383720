// SPDX-License-Identifier: GPL-2.0

//! Socket buffers.
//!
//! C header: [`include/linux/skbuff.h`](srctree/include/linux/skbuff.h).

use crate::bindings;
use crate::error::to_result;
use crate::{prelude::*, types::Opaque};
use core::ptr::NonNull;

mod dma;
mod list;

pub use dma::{FragMapping, MappedSkBuff};
pub use list::SkBuffList;

/// Bytes a buffer's shared info takes at the end of its head, cache-line aligned
/// (`SKB_DATA_ALIGN(sizeof(struct skb_shared_info))`): what a driver building a socket buffer
/// around its own memory (`build_skb`) or sizing frames for XDP must leave free after the data.
pub const SHARED_INFO_SIZE: u32 = bindings::RNET_SKB_SHINFO_SIZE;

/// Page fragments one socket buffer can hold (`MAX_SKB_FRAGS`, `CONFIG_MAX_SKB_FRAGS`).
pub const MAX_FRAGS: u32 = bindings::MAX_SKB_FRAGS;

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

    /// The start of the data (`skb->data`).
    pub(crate) fn data_ptr(&self) -> *mut u8 {
        self.inner().data
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

    /// Sets the protocol field (`skb->protocol`, network byte order), e.g. to what
    /// `eth_type_trans` found.
    pub(crate) fn set_protocol(&mut self, protocol: u16) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::rnet_skb_set_protocol(self.as_raw(), protocol) }
    }

    /// The linear (head) part of the data, `skb->data[..skb_headlen(skb)]`.
    pub fn head_data(&self) -> &[u8] {
        let skb = self.inner();
        let headlen = (skb.len - skb.data_len) as usize;
        // SAFETY: `data` points to at least `len - data_len` valid bytes of the linear area
        // (the `sk_buff` invariant), which stay valid while we own the buffer.
        unsafe { core::slice::from_raw_parts(skb.data, headlen) }
    }

    /// Bytes available after the data (`skb_tailroom`).
    pub fn tailroom(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_tailroom(self.as_raw()) as u32 }
    }

    /// Extends the data by `len` bytes the device wrote (`skb_put`); `EINVAL` if they do not
    /// fit the buffer or the buffer is not linear.
    pub fn put(&mut self, len: u32) -> Result {
        if len > self.tailroom() || self.inner().data_len != 0 {
            return Err(EINVAL);
        }
        // SAFETY: Checked to fit the linear tailroom.
        unsafe { bindings::skb_put(self.as_raw(), len) };
        Ok(())
    }

    /// Appends `bytes` to the linear data (`skb_put_data`), e.g. to build a test frame;
    /// `EINVAL` if they do not fit the tailroom.
    pub fn put_slice(&mut self, bytes: &[u8]) -> Result {
        let len = u32::try_from(bytes.len()).map_err(|_| EINVAL)?;
        if len > self.tailroom() || self.inner().data_len != 0 {
            return Err(EINVAL);
        }
        // SAFETY: Checked to fit the linear tailroom; `bytes` is valid for reads.
        unsafe { bindings::skb_put_data(self.as_raw(), bytes.as_ptr().cast(), len) };
        Ok(())
    }

    /// Makes the data linear (`skb_linearize`), e.g. for a device without scatter/gather.
    pub fn linearize(&mut self) -> Result {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        to_result(unsafe { bindings::skb_linearize(self.as_raw()) })
    }

    // DMA mapping (`map_tx`, `map_rx`) lives in `skbuff/dma.rs`, on the upstream DMA API.

    /// Bytes in the linear part (`skb_headlen`).
    pub fn headlen(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_headlen(self.as_raw()) }
    }

    /// The shared info area after the data (`skb_shinfo`).
    fn shinfo(&self) -> &bindings::skb_shared_info {
        // SAFETY: By the type invariant the buffer is valid and owned by us; its shared info
        // lives at `skb_end_pointer` as long as the buffer does.
        unsafe { &*bindings::skb_shinfo(self.as_raw()) }
    }

    /// Number of page fragments (`skb_shinfo(skb)->nr_frags`).
    pub fn nr_frags(&self) -> u32 {
        self.shinfo().nr_frags.into()
    }

    /// Length of page fragment `index` (`skb_frag_size`), `None` past the last one.
    pub fn frag_len(&self, index: u32) -> Option<u32> {
        if index >= self.nr_frags() {
            return None;
        }
        // SAFETY: `index` is a fragment of the buffer we own (checked above).
        Some(unsafe { bindings::rnet_skb_frag_size(self.as_raw(), index) })
    }

    /// For a buffer whose checksum the device must insert (`CHECKSUM_PARTIAL`): the offset
    /// from the data of where checksumming starts and the offset of the checksum field from
    /// there (`csum_start`, `csum_offset`).
    pub fn checksum_partial(&self) -> Option<(u32, u32)> {
        if !self.is_csum_partial() {
            return None;
        }
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        let (start, offset) = unsafe {
            (
                bindings::skb_checksum_start_offset(self.as_raw()),
                bindings::rnet_skb_csum_offset(self.as_raw()),
            )
        };
        // A `CHECKSUM_PARTIAL` buffer's checksum starts within its data.
        Some((u32::try_from(start).ok()?, offset.into()))
    }

    /// Whether the device must insert the checksum (`ip_summed == CHECKSUM_PARTIAL`).
    fn is_csum_partial(&self) -> bool {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        let ip_summed = unsafe { bindings::rnet_skb_ip_summed(self.as_raw()) };
        u32::from(ip_summed) == bindings::CHECKSUM_PARTIAL
    }

    /// Offset of the network header from the data (`skb_network_offset`), i.e. the length
    /// of the link-layer header(s).
    pub fn network_offset(&self) -> u32 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_network_offset(self.as_raw()) as u32 }
    }

    /// Whether the network protocol (looking through a VLAN tag) is IPv4.
    pub fn is_ipv4(&self) -> bool {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        let proto = unsafe { bindings::vlan_get_protocol(self.as_raw()) };
        proto == (bindings::ETH_P_IP as u16).to_be()
    }

    /// Computes a pending checksum in software (`skb_checksum_help`), for offloads the
    /// device cannot do.
    pub fn checksum_help(&mut self) -> Result {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        to_result(unsafe { bindings::skb_checksum_help(self.as_raw()) })
    }

    /// Whether the buffer is a GSO super-frame to be segmented (`skb_is_gso`).
    pub fn is_gso(&self) -> bool {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_is_gso(self.as_raw()) }
    }

    /// Number of segments a GSO frame becomes (`gso_segs`).
    pub fn gso_segs(&self) -> u32 {
        self.shinfo().gso_segs.into()
    }

    /// Prepares a TCP GSO frame for segmentation by the device (TSO), as `igb_tso` does:
    /// unshares the headers, clears the per-segment IP length fields (and the IPv4 header
    /// checksum), which the device fills in per segment, and leaves the pseudo-header checksum
    /// without length in the TCP checksum field. `EPROTONOSUPPORT` for other GSO types,
    /// `EINVAL` for a frame without checksum offload or whose headers are not in the linear part.
    pub fn tso_prepare(&mut self) -> Result<Tso> {
        const TCP_GSO: u32 = (bindings::SKB_GSO_TCPV4 | bindings::SKB_GSO_TCPV6) as u32;
        let shinfo = self.shinfo();
        let (gso_type, mss) = (shinfo.gso_type, u32::from(shinfo.gso_size));
        if !self.is_gso() || gso_type & TCP_GSO == 0 {
            return Err(EPROTONOSUPPORT);
        }
        if !self.is_csum_partial() {
            return Err(EINVAL);
        }
        let skb = self.as_raw();
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        let (network, l4_offset) = unsafe {
            (
                bindings::skb_network_offset(skb),
                bindings::skb_transport_offset(skb),
            )
        };
        let headlen = self.headlen();
        let (Ok(network), Ok(l4_offset)) = (u32::try_from(network), u32::try_from(l4_offset))
        else {
            return Err(EINVAL);
        };
        let tcphdr_len = size_of::<bindings::tcphdr>() as u32;
        if network >= l4_offset || l4_offset + tcphdr_len > headlen {
            return Err(EINVAL);
        }
        // SAFETY: The buffer is valid and owned by us; the TCP header's fixed part is in the
        // linear data (checked above).
        let l4_len = unsafe { bindings::tcp_hdrlen(skb) };
        if l4_len < tcphdr_len || l4_offset + l4_len > headlen {
            return Err(EINVAL);
        }
        // The headers are rewritten below: make sure they are ours alone.
        // SAFETY: The buffer is valid and owned by us.
        to_result(unsafe { bindings::skb_cow_head(skb, 0) })?;
        // SAFETY: The buffer is valid and owned by us; `skb_cow_head` may have moved the head, so
        // the header pointers are taken afterwards. The offsets are unchanged.
        let (ip, th) = unsafe {
            (
                bindings::skb_network_header(skb),
                bindings::skb_transport_header(skb).cast::<bindings::tcphdr>(),
            )
        };
        // SAFETY: The network header starts in the linear data, before the transport header.
        let version = unsafe { ip.read() } >> 4;
        let ip_len = l4_offset - network;
        let check = match version {
            4 if ip_len >= size_of::<bindings::iphdr>() as u32 => {
                let iph = ip.cast::<bindings::iphdr>();
                // SAFETY: (for the whole block) The IPv4 header lies in the linear data, which is
                // private to this buffer after `skb_cow_head` (checked above); packet headers
                // may be unaligned, so they are accessed with unaligned reads and writes through
                // raw pointers.
                unsafe {
                    (&raw mut (*iph).tot_len).write_unaligned(0);
                    (&raw mut (*iph).check).write_unaligned(0);
                    let saddr = (&raw const (*iph).__bindgen_anon_1.addrs.saddr).read_unaligned();
                    let daddr = (&raw const (*iph).__bindgen_anon_1.addrs.daddr).read_unaligned();
                    bindings::csum_tcpudp_magic(saddr, daddr, 0, bindings::IPPROTO_TCP as u8, 0)
                }
            }
            6 if ip_len >= size_of::<bindings::ipv6hdr>() as u32 => {
                let ip6h = ip.cast::<bindings::ipv6hdr>();
                // SAFETY: (for the whole block) As above, for the IPv6 header; the addresses are
                // only read by the C function.
                unsafe {
                    (&raw mut (*ip6h).payload_len).write_unaligned(0);
                    bindings::rnet_csum_ipv6_magic(
                        &raw const (*ip6h).__bindgen_anon_1.addrs.saddr,
                        &raw const (*ip6h).__bindgen_anon_1.addrs.daddr,
                        0,
                        bindings::IPPROTO_TCP as u8,
                        0,
                    )
                }
            }
            _ => return Err(EINVAL),
        };
        // The device adds each segment's length to the pseudo-header sum.
        // SAFETY: The TCP header lies in the private linear data (checked above).
        unsafe { (&raw mut (*th).check).write_unaligned(!check) };
        Ok(Tso {
            l4_offset,
            l4_len,
            mss,
            ipv4: version == 4,
        })
    }

    /// Marks a received frame's checksum as verified by the device (`CHECKSUM_UNNECESSARY`).
    pub fn set_csum_unnecessary(&mut self) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe {
            bindings::rnet_skb_set_ip_summed(self.as_raw(), bindings::CHECKSUM_UNNECESSARY as u8)
        }
    }

    /// Records the device's flow hash (`skb_set_hash`); `l4` if it covered the ports.
    pub fn set_hash(&mut self, hash: u32, l4: bool) {
        let kind = if l4 {
            bindings::pkt_hash_types_PKT_HASH_TYPE_L4
        } else {
            bindings::pkt_hash_types_PKT_HASH_TYPE_L3
        };
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_set_hash(self.as_raw(), hash, kind) }
    }

    /// Records the receive queue (`skb_record_rx_queue`).
    pub fn record_rx_queue(&mut self, queue: u16) {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_record_rx_queue(self.as_raw(), queue) }
    }

    /// The transmit queue the stack picked for the buffer (`skb_get_queue_mapping`).
    pub fn queue_mapping(&self) -> u16 {
        // SAFETY: By the type invariant the buffer is valid and owned by us.
        unsafe { bindings::skb_get_queue_mapping(self.as_raw()) }
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

// `MappedSkBuff` (and its `map_frag`) lives in `skbuff/dma.rs`, on the upstream DMA API.

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

// `FragMapping` lives in `skbuff/dma.rs`, on the upstream DMA API.

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
