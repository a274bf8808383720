// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings: the advanced descriptor formats (`union e1000_adv_tx_desc`,
//! `struct e1000_adv_tx_context_desc`, `union e1000_adv_rx_desc` of the C igb driver), the
//! coherent memory holding them, and the software state of a transmit and a receive ring.
//!
//! Ring index arithmetic is free of divisions: the NAPI poll must keep no panic path that
//! objtool cannot follow.

use kernel::device::{self, Bound};
use kernel::dma::{Coherent, CoherentView, DmaAddress};
use kernel::io::{io_project, io_read, Io};
use kernel::net::skbuff::{FragMapping, MappedSkBuff};
use kernel::prelude::*;

/// Advanced transmit data descriptor, read format: a buffer and how to send it.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct AdvTxDesc {
    buffer_addr: u64,
    cmd_type_len: u32,
    olinfo_status: u32,
}

impl AdvTxDesc {
    /// Descriptor type of a data descriptor (`cmd_type_len`).
    pub(crate) const DTYP_DATA: u32 = 0x3 << 20;
    /// End of packet: the last descriptor of a frame.
    pub(crate) const DCMD_EOP: u32 = 1 << 24;
    /// Insert the Ethernet CRC.
    pub(crate) const DCMD_IFCS: u32 = 1 << 25;
    /// Report status: write DD back when done.
    pub(crate) const DCMD_RS: u32 = 1 << 27;
    /// Advanced (extended) descriptor.
    pub(crate) const DCMD_DEXT: u32 = 1 << 29;
    /// TCP segmentation.
    pub(crate) const DCMD_TSE: u32 = 1 << 31;
    /// Insert the IP (IXSM) and the TCP/UDP (TXSM) checksum (`olinfo_status`).
    pub(crate) const POPTS_IXSM: u32 = 1 << 8;
    pub(crate) const POPTS_TXSM: u32 = 2 << 8;
    /// Payload length in `olinfo_status`.
    pub(crate) const PAYLEN_SHIFT: u32 = 14;

    pub(crate) fn new(addr: DmaAddress, cmd_type_len: u32, olinfo_status: u32) -> Self {
        Self {
            buffer_addr: addr.to_le(),
            cmd_type_len: cmd_type_len.to_le(),
            olinfo_status: olinfo_status.to_le(),
        }
    }

    /// The same descriptor with `cmd` bits added.
    pub(crate) fn with_cmd(self, cmd: u32) -> Self {
        Self {
            cmd_type_len: (u32::from_le(self.cmd_type_len) | cmd).to_le(),
            ..self
        }
    }
}

/// Advanced transmit descriptor, write-back format.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct AdvTxDescWb {
    rsvd: u64,
    nxtseq_seed: u32,
    status: u32,
}

impl AdvTxDescWb {
    /// Descriptor done.
    pub(crate) const STAT_DD: u32 = 1 << 0;
}

/// Advanced transmit context descriptor: the offsets and offload commands the data
/// descriptors of the next frame use.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct AdvTxCtxDesc {
    vlan_macip_lens: u32,
    seqnum_seed: u32,
    type_tucmd_mlhl: u32,
    mss_l4len_idx: u32,
}

impl AdvTxCtxDesc {
    /// Descriptor type of a context descriptor (`type_tucmd_mlhl`).
    pub(crate) const DTYP_CTXT: u32 = 0x2 << 20;
    /// `vlan_macip_lens`: MAC header length shift (IP header length in bits 8:0).
    pub(crate) const MACLEN_SHIFT: u32 = 9;
    /// `type_tucmd_mlhl`: IPv4 (else IPv6), L4 type TCP (else UDP).
    pub(crate) const TUCMD_IPV4: u32 = 0x400;
    pub(crate) const TUCMD_L4T_TCP: u32 = 0x800;
    pub(crate) const TUCMD_L4T_UDP: u32 = 0;
    /// `mss_l4len_idx`: L4 header length and segment size shifts.
    pub(crate) const L4LEN_SHIFT: u32 = 8;
    pub(crate) const MSS_SHIFT: u32 = 16;

    /// A context descriptor (`DEXT` and its type are added here).
    pub(crate) fn new(vlan_macip_lens: u32, type_tucmd: u32, mss_l4len_idx: u32) -> Self {
        let type_tucmd = type_tucmd | AdvTxDesc::DCMD_DEXT | Self::DTYP_CTXT;
        Self {
            vlan_macip_lens: vlan_macip_lens.to_le(),
            seqnum_seed: 0,
            type_tucmd_mlhl: type_tucmd.to_le(),
            mss_l4len_idx: mss_l4len_idx.to_le(),
        }
    }
}

/// Advanced receive descriptor, read format: where the device puts the frame.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct AdvRxDesc {
    pkt_addr: u64,
    /// Header buffer (unused: one buffer per frame).
    hdr_addr: u64,
}

impl AdvRxDesc {
    pub(crate) fn new(addr: DmaAddress) -> Self {
        Self {
            pkt_addr: addr.to_le(),
            hdr_addr: 0,
        }
    }
}

/// Advanced receive descriptor, write-back format: what the device received.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct AdvRxDescWb {
    /// RSS type (bits 3:0) and packet type.
    pkt_info: u16,
    hdr_info: u16,
    /// RSS hash (`RXCSUM.PCSD` is set).
    rss_hash: u32,
    status_error: u32,
    length: u16,
    vlan: u16,
}

impl AdvRxDescWb {
    /// Descriptor done, end of packet.
    pub(crate) const STAT_DD: u32 = 1 << 0;
    pub(crate) const STAT_EOP: u32 = 1 << 1;
    /// Checksum indication ignored (IXSM), UDP and TCP checksums verified.
    pub(crate) const STAT_IXSM: u32 = 1 << 2;
    pub(crate) const STAT_UDPCS: u32 = 1 << 4;
    pub(crate) const STAT_TCPCS: u32 = 1 << 5;
    /// L4 (TCP/UDP) and IP checksum errors.
    pub(crate) const ERR_L4E: u32 = 1 << 29;
    pub(crate) const ERR_IPE: u32 = 1 << 30;
    /// CE | SE | SEQ | CXE | RXE: the frame is bad.
    pub(crate) const ERR_FRAME: u32 =
        0x0100_0000 | 0x0200_0000 | 0x0400_0000 | 0x1000_0000 | 0x8000_0000;

    pub(crate) fn status_error(&self) -> u32 {
        u32::from_le(self.status_error)
    }

    pub(crate) fn length(&self) -> u32 {
        u16::from_le(self.length).into()
    }

    /// RSS type (0: no hash).
    pub(crate) fn rss_type(&self) -> u32 {
        u32::from(u16::from_le(self.pkt_info) & 0xF)
    }

    /// Whether the RSS type hashed over TCP/UDP ports.
    pub(crate) fn rss_type_is_l4(&self) -> bool {
        matches!(self.rss_type(), 1 | 3 | 4 | 7 | 8 | 9)
    }

    pub(crate) fn rss_hash(&self) -> u32 {
        u32::from_le(self.rss_hash)
    }
}

/// The descriptors of a ring, in coherent memory the device reads and writes.
///
/// A descriptor is 16 bytes; the allocation holds them as `[u64; 2]` and each access views one
/// as the format at hand. Accesses are volatile copies, as with memory the device writes.
pub(crate) struct DescRing(Coherent<[[u64; 2]]>);

impl DescRing {
    fn new(dev: &device::Device<Bound>, count: usize) -> Result<Self> {
        Ok(Self(Coherent::zeroed_slice(dev, count, GFP_KERNEL)?))
    }

    /// Bus address of the ring (for `TDBAL`/`RDBAL` and their high halves).
    pub(crate) fn dma_address(&self) -> DmaAddress {
        self.0.dma_address()
    }

    /// Length of the ring in bytes (`TDLEN`/`RDLEN`).
    pub(crate) fn bytes(&self) -> usize {
        self.0.size()
    }

    /// Descriptor `i` viewed as `D`.
    fn slot<D: FromBytes + IntoBytes>(&self, i: usize) -> Result<CoherentView<'_, D>> {
        io_project!(self.0, [try: i]).try_cast::<D>()
    }

    /// Writes descriptor `i` (ignored beyond the ring: indices come from the ring's own
    /// arithmetic).
    pub(crate) fn write<D: FromBytes + IntoBytes>(&self, i: usize, desc: D) {
        if let Ok(slot) = self.slot::<D>(i) {
            slot.copy_write(desc);
        }
    }

    /// Reads descriptor `i`.
    pub(crate) fn read<D: FromBytes + IntoBytes>(&self, i: usize) -> Option<D> {
        self.slot::<D>(i).ok().map(|slot| slot.copy_read())
    }

    /// Whether the device wrote transmit descriptor `i` back (`DD`).
    pub(crate) fn tx_done(&self, i: usize) -> bool {
        self.slot::<AdvTxDescWb>(i)
            .is_ok_and(|wb| u32::from_le(io_read!(wb, .status)) & AdvTxDescWb::STAT_DD != 0)
    }

    /// The status and error word of receive descriptor `i`, alone (read it before the rest).
    pub(crate) fn rx_status(&self, i: usize) -> Option<u32> {
        self.slot::<AdvRxDescWb>(i)
            .ok()
            .map(|wb| u32::from_le(io_read!(wb, .status_error)))
    }
}

/// The ring index after `i`.
pub(crate) fn next(i: usize, size: usize) -> usize {
    if i + 1 >= size {
        0
    } else {
        i + 1
    }
}

/// Slots in use between `clean` and `used` (the next to clean and the next to use).
fn used(clean: usize, next_to_use: usize, size: usize) -> usize {
    if next_to_use >= clean {
        next_to_use - clean
    } else {
        next_to_use + size - clean
    }
}

fn empty_slots<T>(size: usize) -> Result<KVec<Option<T>>> {
    let mut v = KVec::with_capacity(size, GFP_KERNEL)?;
    for _ in 0..size {
        v.push(None, GFP_KERNEL)?;
    }
    Ok(v)
}

/// What a transmit ring slot holds until its descriptor is done.
pub(crate) enum TxBuf {
    /// The first descriptor of a frame: the frame (its head mapped), its last descriptor and
    /// what it counts for (segments and bytes on the wire, for statistics and BQL).
    Head {
        skb: MappedSkBuff,
        eop: usize,
        segs: u32,
        bytes: u32,
    },
    /// A page fragment of the frame whose head sits in an earlier slot, unmapped on drop.
    Frag { _mapping: FragMapping },
}

/// A transmit ring (`struct igb_ring` for transmit).
pub(crate) struct TxRing {
    pub(crate) desc: DescRing,
    pub(crate) bufs: KVec<Option<TxBuf>>,
    pub(crate) next_to_use: usize,
    pub(crate) next_to_clean: usize,
}

impl TxRing {
    pub(crate) fn new(dev: &device::Device<Bound>, size: usize) -> Result<Self> {
        Ok(Self {
            desc: DescRing::new(dev, size)?,
            bufs: empty_slots(size)?,
            next_to_use: 0,
            next_to_clean: 0,
        })
    }

    pub(crate) fn size(&self) -> usize {
        self.bufs.len()
    }

    /// Descriptors that can be used; one stays free so that a full ring is not empty.
    pub(crate) fn free_slots(&self) -> usize {
        let size = self.size();
        size - 1 - used(self.next_to_clean, self.next_to_use, size)
    }

    pub(crate) fn next(&self, i: usize) -> usize {
        next(i, self.size())
    }
}

/// A receive ring (`struct igb_ring` for receive).
pub(crate) struct RxRing {
    pub(crate) desc: DescRing,
    pub(crate) bufs: KVec<Option<MappedSkBuff>>,
    pub(crate) next_to_clean: usize,
    pub(crate) next_to_use: usize,
    /// Size of each receive buffer.
    pub(crate) buf_len: u32,
    /// Dropping the descriptors of a frame that did not fit one buffer, up to its end.
    pub(crate) discarding: bool,
}

impl RxRing {
    pub(crate) fn new(dev: &device::Device<Bound>, size: usize, buf_len: u32) -> Result<Self> {
        Ok(Self {
            desc: DescRing::new(dev, size)?,
            bufs: empty_slots(size)?,
            next_to_clean: 0,
            next_to_use: 0,
            buf_len,
            discarding: false,
        })
    }

    pub(crate) fn size(&self) -> usize {
        self.bufs.len()
    }

    pub(crate) fn next(&self, i: usize) -> usize {
        next(i, self.size())
    }
}

/// The low and high halves of a bus address, for register pairs.
pub(crate) fn lower_32_bits(addr: DmaAddress) -> u32 {
    addr as u32
}

pub(crate) fn upper_32_bits(addr: DmaAddress) -> u32 {
    (addr >> 32) as u32
}
