// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings: the 8254x's legacy receive descriptor, its extended transmit data and
//! context descriptors (`struct e1000_rx_desc`, `e1000_tx_desc`, `e1000_context_desc` of the
//! C e1000 driver), the coherent memory holding them, and the software state of a transmit and
//! a receive ring.
//!
//! The ring memory and its buffer bookkeeping are the same as rigb's (`rigb/ring.rs`): only
//! the descriptor formats differ. They belong in one shared place (see
//! Documentation/re1000.rst, "What is left"); until then this file carries a copy.
//!
//! Ring index arithmetic is free of divisions: the NAPI poll must keep no panic path that
//! objtool cannot follow.

use kernel::device::{self, Bound};
use kernel::dma::{Coherent, CoherentView, DmaAddress};
use kernel::io::{io_project, io_read, Io};
use kernel::net::skbuff::{FragMapping, MappedSkBuff, SkBuff};
use kernel::prelude::*;

/// Transmit data descriptor (extended format, `DEXT` with `DTYP` = data): a buffer and how to
/// send it. The legacy format is not used: the extended one carries the same bits plus the
/// offload options.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct TxDesc {
    buffer_addr: u64,
    /// Length (bits 19:0), type (23:20), command (31:24).
    lower: u32,
    /// Status (bits 3:0), packet options (15:8), VLAN tag (31:16).
    upper: u32,
}

impl TxDesc {
    /// Descriptor type of a data descriptor.
    pub(crate) const DTYP_D: u32 = 0x0010_0000;
    /// End of packet: the last descriptor of a frame.
    pub(crate) const CMD_EOP: u32 = 0x0100_0000;
    /// Insert the Ethernet CRC.
    pub(crate) const CMD_IFCS: u32 = 0x0200_0000;
    /// Report status: write DD back when done.
    pub(crate) const CMD_RS: u32 = 0x0800_0000;
    /// Extended descriptor.
    pub(crate) const CMD_DEXT: u32 = 0x2000_0000;
    /// Interrupt delay enable: completions wait for `TIDV`/`TADV`.
    pub(crate) const CMD_IDE: u32 = 0x8000_0000;
    /// TCP segmentation (in a data descriptor).
    pub(crate) const CMD_TSE: u32 = 0x0400_0000;
    /// Insert the IP (IXSM) and the TCP/UDP (TXSM) checksum (`upper`).
    pub(crate) const POPTS_IXSM: u32 = 0x01 << 8;
    pub(crate) const POPTS_TXSM: u32 = 0x02 << 8;
    /// Descriptor done (write-back, `upper`).
    pub(crate) const STAT_DD: u32 = 0x01;

    pub(crate) fn new(addr: DmaAddress, lower: u32, upper: u32) -> Self {
        Self {
            buffer_addr: addr.to_le(),
            lower: lower.to_le(),
            upper: upper.to_le(),
        }
    }

    /// The same descriptor with `cmd` bits added.
    pub(crate) fn with_cmd(self, cmd: u32) -> Self {
        Self {
            lower: (u32::from_le(self.lower) | cmd).to_le(),
            ..self
        }
    }
}

/// Transmit context descriptor: where the checksums go and how to segment, for the data
/// descriptors that follow.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct TxCtxDesc {
    /// IP checksum start (7:0), offset (15:8), end (31:16, inclusive; 0: to the end).
    ip_setup: u32,
    /// TCP/UDP checksum start (7:0), offset (15:8), end (31:16).
    tu_setup: u32,
    /// Payload length for TSO (19:0), type (23:20, 0: context), command (31:24).
    cmd_and_length: u32,
    /// Status (7:0), header length (15:8), MSS (31:16).
    seg_setup: u32,
}

impl TxCtxDesc {
    /// The packet is TCP (else UDP), IPv4 (else IPv6): which checksums TSO fixes up.
    pub(crate) const CMD_TCP: u32 = 0x0100_0000;
    pub(crate) const CMD_IP: u32 = 0x0200_0000;

    /// A context descriptor: the IP checksum at `ipcso` over `ipcss..=ipcse`, the TCP/UDP one
    /// at `tucso` from `tucss`; `cmd` with the payload length, `hdr_len` and `mss` for TSO.
    pub(crate) fn new(
        ip: (u32, u32, u32),
        tu: (u32, u32),
        cmd: u32,
        hdr_len: u32,
        mss: u32,
    ) -> Self {
        let (ipcss, ipcso, ipcse) = ip;
        let (tucss, tucso) = tu;
        let cmd = cmd | TxDesc::CMD_DEXT;
        Self {
            ip_setup: ((ipcss & 0xFF) | (ipcso & 0xFF) << 8 | (ipcse & 0xFFFF) << 16).to_le(),
            tu_setup: ((tucss & 0xFF) | (tucso & 0xFF) << 8).to_le(),
            cmd_and_length: cmd.to_le(),
            seg_setup: ((hdr_len & 0xFF) << 8 | (mss & 0xFFFF) << 16).to_le(),
        }
    }
}

/// Receive descriptor (legacy format, the only one the 8254x has): the buffer, and what the
/// device wrote back.
#[repr(C)]
#[derive(Clone, Copy, FromBytes, IntoBytes)]
pub(crate) struct RxDesc {
    buffer_addr: u64,
    length: u16,
    csum: u16,
    status: u8,
    errors: u8,
    special: u16,
}

impl RxDesc {
    /// Status: descriptor done, end of packet, checksum indication ignored, TCP/UDP checksum
    /// calculated.
    pub(crate) const STAT_DD: u8 = 0x01;
    pub(crate) const STAT_EOP: u8 = 0x02;
    pub(crate) const STAT_IXSM: u8 = 0x04;
    pub(crate) const STAT_TCPCS: u8 = 0x20;
    /// Errors: TCP/UDP and IP checksum.
    pub(crate) const ERR_TCPE: u8 = 0x20;
    pub(crate) const ERR_IPE: u8 = 0x40;
    /// CE | SE | SEQ | CXE | RXE: the frame is bad (`E1000_RXD_ERR_FRAME_ERR_MASK`).
    pub(crate) const ERR_FRAME: u8 = 0x01 | 0x02 | 0x04 | 0x10 | 0x80;

    /// A descriptor handed to the device: the buffer, status cleared.
    pub(crate) fn new(addr: DmaAddress) -> Self {
        Self {
            buffer_addr: addr.to_le(),
            length: 0,
            csum: 0,
            status: 0,
            errors: 0,
            special: 0,
        }
    }

    pub(crate) fn status(&self) -> u8 {
        self.status
    }

    pub(crate) fn errors(&self) -> u8 {
        self.errors
    }

    pub(crate) fn length(&self) -> u32 {
        u16::from_le(self.length).into()
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
        self.slot::<TxDesc>(i)
            .is_ok_and(|wb| u32::from_le(io_read!(wb, .upper)) & TxDesc::STAT_DD != 0)
    }

    /// The status byte of receive descriptor `i`, alone (read it before the rest).
    pub(crate) fn rx_status(&self, i: usize) -> Option<u8> {
        self.slot::<RxDesc>(i).ok().map(|wb| io_read!(wb, .status))
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

/// A transmit ring (`struct e1000_tx_ring`).
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

/// A receive ring (`struct e1000_rx_ring`).
pub(crate) struct RxRing {
    pub(crate) desc: DescRing,
    pub(crate) bufs: KVec<Option<MappedSkBuff>>,
    pub(crate) next_to_clean: usize,
    pub(crate) next_to_use: usize,
    /// Size of each receive buffer.
    pub(crate) buf_len: u32,
    /// A frame spanning several buffers, copied together until its last descriptor (jumbo
    /// frames larger than one buffer; see `rx.rs`).
    pub(crate) partial: Option<SkBuff>,
    /// Dropping the descriptors of a bad multi-buffer frame, up to its end.
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
            partial: None,
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
