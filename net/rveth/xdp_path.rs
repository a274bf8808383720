// SPDX-License-Identifier: GPL-2.0

//! rveth's XDP pieces: the MTU a program's buffers allow the peer, the frame ring of a receive
//! queue, its XDP state and counters, and how each verdict counts (veth's names).

use super::{QueueStats, ETH_HLEN, RING_SIZE};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::net::skbuff;
use kernel::net::xdp::{self, CopyPool, XdpFrame, XdpFrameVerdict, XdpRxq, XdpSkbVerdict};
use kernel::prelude::*;

/// Room in front of a frame XDP programs get, and the largest MTU of the peer whose frames fit
/// one page after it with the shared info (veth's `VETH_XDP_HEADROOM`, `NET_IP_ALIGN` being 0
/// on x86, and max_mtu): 3506 on 4 KiB pages; a program that handles fragments takes
/// `MAX_SKB_FRAGS` pages more.
const XDP_HEADROOM: u32 = xdp::PACKET_HEADROOM;
pub(super) fn xdp_max_mtu(frags: bool) -> u32 {
    let page = kernel::page::PAGE_SIZE as u32;
    let one_page = page - XDP_HEADROOM - skbuff::SHARED_INFO_SIZE - ETH_HLEN;
    if frags {
        one_page + page * skbuff::MAX_FRAGS
    } else {
        one_page
    }
}

/// XDP counters of a receive queue, named as veth's in `ethtool -S`.
#[derive(Default)]
pub(super) struct XdpStats {
    pub(super) redirect: AtomicU64,
    pub(super) drops: AtomicU64,
    pub(super) tx: AtomicU64,
    pub(super) tx_errors: AtomicU64,
}

fn inc(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// XDP frames queued for a receive queue's poll (the peer's `XDP_TX`, frames redirected to the
/// peer), in a ring of `RING_SIZE` slots allocated with the queue.
pub(super) struct FrameRing {
    pub(super) slots: KVec<Option<XdpFrame>>,
    pub(super) head: usize,
    pub(super) len: usize,
}

impl FrameRing {
    pub(super) fn new() -> Result<Self> {
        let mut slots = KVec::with_capacity(RING_SIZE as usize, GFP_KERNEL)?;
        for _ in 0..RING_SIZE {
            slots.push(None, GFP_KERNEL)?;
        }
        Ok(Self {
            slots,
            head: 0,
            len: 0,
        })
    }

    pub(super) fn push(&mut self, frame: XdpFrame) -> core::result::Result<(), XdpFrame> {
        let cap = self.slots.len();
        if self.len >= cap {
            return Err(frame);
        }
        match self.slots.get_mut((self.head + self.len) % cap) {
            Some(slot) => {
                *slot = Some(frame);
                self.len += 1;
                Ok(())
            }
            None => Err(frame),
        }
    }

    pub(super) fn pop(&mut self) -> Option<XdpFrame> {
        if self.len == 0 {
            return None;
        }
        let frame = self.slots.get_mut(self.head).and_then(Option::take);
        self.head = (self.head + 1) % self.slots.len().max(1);
        self.len -= 1;
        frame
    }
}

/// A receive queue's XDP registration and the pool socket buffers are copied into for a
/// program (veth's `xdp_rxq` and `page_pool`), while its NAPI is enabled.
pub(super) struct QueueXdp {
    pub(super) rxq: XdpRxq,
    pub(super) pool: CopyPool,
}

/// How a frame the program did not pass counts.
pub(super) enum Outcome {
    Redirect,
    /// Dropped by the program or aborted (veth's `xdp_drops`).
    XdpDrop,
    Tx,
    TxError,
    /// Lost on the way (no memory, refused redirect): veth's `drops`.
    Drop,
}

pub(super) fn count_verdict(x: &XdpStats, stats: &QueueStats, outcome: Outcome) {
    match outcome {
        Outcome::Redirect => inc(&x.redirect),
        Outcome::XdpDrop => inc(&x.drops),
        Outcome::Tx => inc(&x.tx),
        Outcome::TxError => {
            inc(&x.tx_errors);
            stats.drop_one();
        }
        Outcome::Drop => stats.drop_one(),
    }
}

pub(super) fn skb_kind(v: &XdpSkbVerdict) -> Outcome {
    match v {
        XdpSkbVerdict::Redirect => Outcome::Redirect,
        XdpSkbVerdict::Tx => Outcome::Tx,
        XdpSkbVerdict::TxFailed => Outcome::TxError,
        XdpSkbVerdict::Drop | XdpSkbVerdict::Aborted => Outcome::XdpDrop,
        XdpSkbVerdict::RedirectFailed | XdpSkbVerdict::CopyFailed | XdpSkbVerdict::Pass(_) => {
            Outcome::Drop
        }
    }
}

pub(super) fn frame_kind(v: &XdpFrameVerdict) -> Outcome {
    match v {
        XdpFrameVerdict::Redirect => Outcome::Redirect,
        XdpFrameVerdict::Tx => Outcome::Tx,
        XdpFrameVerdict::TxFailed => Outcome::TxError,
        XdpFrameVerdict::Drop | XdpFrameVerdict::Aborted => Outcome::XdpDrop,
        XdpFrameVerdict::RedirectFailed | XdpFrameVerdict::Pass(_) => Outcome::Drop,
    }
}
