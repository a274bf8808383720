// SPDX-License-Identifier: GPL-2.0

//! Descriptor rings: the advanced descriptor formats (`union e1000_adv_tx_desc`,
//! `struct e1000_adv_tx_context_desc`, `union e1000_adv_rx_desc` of the C igb driver) and the
//! status bits the driver polls, on the rings of `kernel::net::ring` (the coherent memory, the
//! index arithmetic and the buffer bookkeeping, which are not the 82576's own).

use core::ops::{Deref, DerefMut};
use kernel::device::{self, Bound};
use kernel::dma::DmaAddress;
use kernel::net::dev::Device;
use kernel::net::page_pool::{rx_headroom, PagePool, RxBuf};
pub(crate) use kernel::net::ring::{DescRing, Ring, TxBuf};
use kernel::net::xdp::{self, XdpRxq};
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
    /// Descriptor done, in the write-back format's `status` (where `olinfo_status` was).
    pub(crate) const WB_STAT_DD: u32 = 1 << 0;

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

/// Whether the device wrote transmit descriptor `i` back (`DD` in the write-back's `status`,
/// the high half of its second word).
pub(crate) fn tx_done(desc: &DescRing, i: usize) -> bool {
    desc.read_word(i, 1)
        .is_some_and(|w| (w >> 32) as u32 & AdvTxDesc::WB_STAT_DD != 0)
}

/// The status and error word of receive descriptor `i` (the low half of the write-back's second
/// word), alone: read it before the rest.
pub(crate) fn rx_status(desc: &DescRing, i: usize) -> Option<u32> {
    desc.read_word(i, 1).map(|w| w as u32)
}

/// A transmit ring (`struct igb_ring` for transmit).
pub(crate) type TxRing = Ring<TxBuf>;

/// A receive ring (`struct igb_ring` for receive): the ring of page-pool buffers, the pool they
/// come from, its XDP registration, and how the driver receives into them.
pub(crate) struct RxRing {
    // Field order: the ring's buffers go back to the pool before the pool is destroyed (the
    // other order is sound too, but leaves the pool's release to a deferred work item).
    ring: Ring<RxBuf>,
    /// The queue's XDP registration (`igb_ring.xdp_rxq`), with the pool as its memory model.
    pub(crate) xdp_rxq: XdpRxq,
    /// The queue's page pool (`igb_ring`'s half-page reuse, done by the kernel's page_pool).
    pub(crate) pool: PagePool,
    /// Dropping the descriptors of a frame that did not fit one buffer, up to its end.
    pub(crate) discarding: bool,
}

impl RxRing {
    /// Receive ring `queue` of `netdev`, of `size` descriptors whose buffers take `buf_len`
    /// bytes from the device (what SRRCTL says) and frames of up to `max_frame` bytes. With
    /// `xdp`, buffers get the XDP headroom; otherwise standard 2 KiB buffers go without
    /// headroom, so that two share a page as in igb, and larger ones get the stack's usual
    /// headroom.
    pub(crate) fn new(
        netdev: &Device<crate::rigb_main::Rigb>,
        dev: &device::Device<Bound>,
        queue: u32,
        size: usize,
        buf_len: u32,
        max_frame: u32,
        xdp: bool,
    ) -> Result<Self> {
        let headroom = if xdp {
            xdp::PACKET_HEADROOM
        } else if buf_len <= 2048 {
            0
        } else {
            rx_headroom()
        };
        let pool = PagePool::new(dev, size as u32, buf_len, headroom, max_frame)?;
        Ok(Self {
            ring: Ring::new(dev, size)?,
            xdp_rxq: XdpRxq::new(netdev, queue, &pool)?,
            pool,
            discarding: false,
        })
    }

    /// Whether the buffers were laid out for XDP (with its headroom): the program runs only on
    /// those, not on a ring built before the program was attached.
    pub(crate) fn xdp_ready(&self) -> bool {
        self.pool.headroom() >= xdp::PACKET_HEADROOM
    }

    /// Bytes the device may write into each buffer (SRRCTL's packet buffer size).
    pub(crate) fn buf_len(&self) -> u32 {
        self.pool.buf_len()
    }
}

impl Deref for RxRing {
    type Target = Ring<RxBuf>;

    fn deref(&self) -> &Self::Target {
        &self.ring
    }
}

impl DerefMut for RxRing {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.ring
    }
}
