// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings: the 8254x's legacy receive descriptor, its extended transmit data and
//! context descriptors (`struct e1000_rx_desc`, `e1000_tx_desc`, `e1000_context_desc` of the
//! C e1000 driver) and the status bits the driver polls, on the rings of `kernel::net::ring`
//! (the coherent memory, the index arithmetic and the buffer bookkeeping, which rigb uses
//! too: only the descriptor formats are the 8254x's own).

use core::ops::{Deref, DerefMut};
use kernel::device::{self, Bound};
use kernel::dma::DmaAddress;
pub(crate) use kernel::net::ring::{DescRing, Ring, TxBuf};
use kernel::net::skbuff::{MappedSkBuff, SkBuff};
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

/// Whether the device wrote transmit descriptor `i` back (`DD` in `upper`, the high half of
/// its second word).
pub(crate) fn tx_done(desc: &DescRing, i: usize) -> bool {
    desc.read_word(i, 1)
        .is_some_and(|w| (w >> 32) as u32 & TxDesc::STAT_DD != 0)
}

/// The status byte of receive descriptor `i` (byte 4 of its second word), alone: read it
/// before the rest.
pub(crate) fn rx_status(desc: &DescRing, i: usize) -> Option<u8> {
    desc.read_word(i, 1).map(|w| (w >> 32) as u8)
}

/// A transmit ring (`struct e1000_tx_ring`).
pub(crate) type TxRing = Ring<TxBuf>;

/// A receive ring (`struct e1000_rx_ring`): the ring of mapped buffers, and how the driver
/// receives into it.
pub(crate) struct RxRing {
    ring: Ring<MappedSkBuff>,
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
            ring: Ring::new(dev, size)?,
            buf_len,
            partial: None,
            discarding: false,
        })
    }
}

impl Deref for RxRing {
    type Target = Ring<MappedSkBuff>;

    fn deref(&self) -> &Self::Target {
        &self.ring
    }
}

impl DerefMut for RxRing {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.ring
    }
}
