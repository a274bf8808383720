// SPDX-License-Identifier: GPL-2.0

//! rveth: a veth-like virtual Ethernet pair.
//!
//! `ip link add a type rveth peer name b` creates two devices; a frame transmitted on one is
//! received on the other (`veth_xmit` in drivers/net/veth.c). Transmit takes the peer under
//! RCU, prepares the buffer for the peer's receive path (`__dev_forward_skb`: MTU check, scrub,
//! `eth_type_trans`) and hands it over:
//!
//! * GRO off (the default, as on veth): `netif_rx` onto this CPU's backlog;
//! * GRO on (`ethtool -K dev gro on` on the receiving end): onto the peer's per-queue ring,
//!   drained by that queue's NAPI poll into `napi_gro_receive`, so TCP segments coalesce.
//!
//! Counters live per queue: the sender counts its transmit queue, and the receive counters of
//! the peer's queue are counted as the frame is handed over.

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::net::dev::{
    self, features, priv_flags, Device, DeviceSetup, QueueStatsRx, QueueStatsTx, Rtnl, SockAddr,
    Stats64, TxOutcome, TxSkb,
};
use kernel::net::napi::{self, Napi, NapiPoll};
use kernel::net::rtnl::{self, ifla, Attrs, NewLink, Policy, VETH_INFO_PEER};
use kernel::net::skbuff::{RxResult, SkbQueue};
use kernel::net::xdp::{
    self, CopyPool, XdpFrame, XdpFrameVerdict, XdpProgSlot, XdpRxq, XdpSetup, XdpSkbVerdict,
    XdpXmitFrames,
};
use kernel::prelude::*;
use kernel::sync::{bh, new_spinlock, rcu, SetOnce, SpinLock, SpinLockGuard};

#[path = "rveth/ethtool_ops.rs"]
mod ethtool_ops;
#[path = "rveth/xdp_path.rs"]
mod xdp_path;
use xdp_path::{count_verdict, frame_kind, skb_kind, xdp_max_mtu, FrameRing, QueueXdp, XdpStats};

module! {
    type: RvethModule,
    name: "rveth",
    authors: ["rnet developers"],
    description: "Virtual Ethernet pair (veth in Rust)",
    license: "GPL",
    alias: ["rtnl-link-rveth"],
}

/// Frames a receive queue may hold for its NAPI poll before new ones are dropped (veth's ring
/// has 256 entries too).
const RING_SIZE: u32 = 256;
/// MTU bounds, as veth: `ETH_MIN_MTU..=ETH_MAX_MTU`.
const MIN_MTU: u32 = 68;
const MAX_MTU: u32 = 65535;
/// veth allows TSO frames up to `GSO_MAX_SIZE` (512 KiB).
const TSO_MAX_SIZE: u32 = 512 * 1024;
const ETH_ALEN: usize = 6;
/// The offloads veth advertises (`VETH_FEATURES`): a frame never touches a wire, so the
/// receiver can take checksums and segmentation as done.
const RVETH_FEATURES: u64 = features::SG
    | features::FRAGLIST
    | features::HW_CSUM
    | features::RXCSUM
    | features::SCTP_CRC
    | features::HIGHDMA
    | features::GSO_SOFTWARE
    | features::GSO_ENCAP_ALL
    | features::HW_VLAN_CTAG_TX
    | features::HW_VLAN_CTAG_RX
    | features::HW_VLAN_STAG_TX
    | features::HW_VLAN_STAG_RX;

/// Bytes of an Ethernet header.
const ETH_HLEN: u32 = 14;

/// Packet, byte and drop counters of one queue.
#[derive(Default)]
struct QueueStats {
    packets: AtomicU64,
    bytes: AtomicU64,
    drops: AtomicU64,
}

impl QueueStats {
    fn add(&self, len: u32) {
        self.packets.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len.into(), Ordering::Relaxed);
    }

    fn drop_one(&self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }

    fn read(&self) -> (u64, u64, u64) {
        (
            self.packets.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.drops.load(Ordering::Relaxed),
        )
    }
}

/// One receive queue: the frames the peer queued for NAPI, and the queue's counters.
#[pin_data]
struct RxRing {
    #[pin]
    backlog: SkbQueue,
    /// XDP frames for the poll. Taken in softirq context (polls, `ndo_xdp_xmit`) and, with
    /// bottom halves off, from process context.
    #[pin]
    frames: SpinLock<FrameRing>,
    /// Set while NAPI is enabled; taken once per poll, and under RTNL with NAPI disabled.
    #[pin]
    xdp: SpinLock<Option<QueueXdp>>,
    /// Whether the peer may queue here (NAPI enabled), rather than use `netif_rx`.
    active: AtomicBool,
    stats: QueueStats,
    xdp_stats: XdpStats,
}

impl RxRing {
    /// Queues `frame` for this queue's poll and schedules it (`XDP_TX` from the peer,
    /// `ndo_xdp_xmit` on the peer). The frame comes back if NAPI is off or the ring is full.
    fn queue_frame(napi: &Napi<RxRing>, frame: XdpFrame) -> core::result::Result<(), XdpFrame> {
        let ring = napi.poller();
        if !ring.active.load(Ordering::Acquire) {
            return Err(frame);
        }
        ring.frames.lock().push(frame)?;
        napi.schedule();
        Ok(())
    }
}

impl napi::Poll for RxRing {
    type Driver = Rveth;

    fn poll(ctx: NapiPoll<'_, Self>) {
        let napi = ctx.napi();
        let ring = napi.poller();
        let dev = ctx.device();
        let guard = rcu::read_lock();
        let prog = dev.data().xdp_prog.get(&guard);
        // The peer's queue that `XDP_TX` sends back to (veth_xdp_tx: the peer receives what
        // this end transmits).
        let peer_rq = dev.peer(&guard).and_then(|peer| {
            let queues = peer.data().rxq();
            let active = (peer.real_num_rx_queues() as usize).max(1);
            queues.get(queue_index(dev, napi) % active)
        });
        let send_back = |frame: XdpFrame| match peer_rq {
            Some(rq) => RxRing::queue_frame(rq, frame),
            None => Err(frame),
        };
        let xdp = ring.xdp.lock();
        let mut done = 0;
        while done < ctx.budget() {
            // Frames first: they were queued for a program, or redirected here.
            let frame = ring.frames.lock().pop();
            if let Some(frame) = frame {
                done += 1;
                let frame = match (prog, xdp.as_ref()) {
                    (Some(prog), Some(q)) => {
                        match xdp::run_frame(prog, &q.rxq, frame, &ctx, send_back) {
                            XdpFrameVerdict::Pass(frame) => frame,
                            verdict => {
                                count_verdict(&ring.xdp_stats, &ring.stats, frame_kind(&verdict));
                                continue;
                            }
                        }
                    }
                    _ => frame,
                };
                let len = frame.len();
                match xdp::frame_to_skb(frame, dev) {
                    Some(skb) => {
                        ring.stats.add(len);
                        ctx.gro_receive(skb);
                    }
                    None => ring.stats.drop_one(),
                }
                continue;
            }
            let Some(skb) = ring.backlog.pop_front() else {
                break;
            };
            done += 1;
            let skb = match (prog, xdp.as_ref()) {
                (Some(prog), Some(q)) => {
                    match xdp::run_skb(prog, &q.rxq, &q.pool, skb, &ctx, send_back) {
                        XdpSkbVerdict::Pass(skb) => skb,
                        verdict => {
                            count_verdict(&ring.xdp_stats, &ring.stats, skb_kind(&verdict));
                            continue;
                        }
                    }
                }
                _ => skb,
            };
            ctx.gro_receive(skb);
        }
        drop(xdp);
        // A frame queued after the last pop found NAPI still scheduled and did not schedule
        // it again: look once more after completing.
        if ctx.complete_done(done) && (!ring.backlog.is_empty() || ring.frames.lock().len != 0) {
            napi.schedule();
        }
    }
}

/// The index of receive queue `napi` of `dev`.
fn queue_index(dev: &Device<Rveth>, napi: &Napi<RxRing>) -> usize {
    dev.data()
        .rxq()
        .iter()
        .position(|q| core::ptr::eq::<Napi<RxRing>>(&**q, napi))
        .unwrap_or(0)
}

type RxQueue = Pin<KBox<Napi<RxRing>>>;

#[derive(Default)]
struct RvethData {
    /// One per allocated receive queue, created in `init`.
    rxq: SetOnce<KVec<RxQueue>>,
    /// One per allocated transmit queue, created in `init`.
    txq: SetOnce<KVec<QueueStats>>,
    /// Frames dropped because there was no peer to take them.
    no_peer_drops: AtomicU64,
    /// The XDP program of every receive queue.
    xdp_prog: XdpProgSlot,
    /// Frames redirected to this device (`ndo_xdp_xmit`, received by the peer) and those
    /// refused (veth's `tx_queue_*_xdp_xmit` and `_xdp_xmit_errors`, summed over queues).
    xdp_xmit: AtomicU64,
    xdp_xmit_errors: AtomicU64,
}

impl RvethData {
    fn rxq(&self) -> &[RxQueue] {
        self.rxq.as_ref().map_or(&[], |v| v)
    }

    fn txq(&self) -> &[QueueStats] {
        self.txq.as_ref().map_or(&[], |v| v)
    }
}

struct Rveth;

/// Enables NAPI on the first `count` receive queues, with their XDP registration and copy
/// pool, and lets the peer use them. On failure nothing is enabled.
fn napi_enable(dev: &Device<Rveth>, rtnl: &Rtnl, count: u32) -> Result {
    let rxq = dev.data().rxq();
    let count = (count as usize).min(rxq.len());
    for (i, rq) in rxq.iter().take(count).enumerate() {
        let q = XdpRxq::new_shared(dev, i as u32).and_then(|rxq| {
            Ok(QueueXdp {
                rxq,
                pool: CopyPool::new(RING_SIZE)?,
            })
        });
        match q {
            Ok(q) => {
                let old = lock_bh(&rq.poller().xdp).replace(q);
                drop(old);
            }
            Err(e) => {
                for rq in rxq.iter().take(i) {
                    let q = lock_bh(&rq.poller().xdp).take();
                    drop(q);
                }
                pr_info!(
                    "{}: no memory for the receive queues' XDP state\n",
                    dev.name()
                );
                return Err(e);
            }
        }
    }
    for rq in rxq.iter().take(count) {
        rq.enable(rtnl);
        rq.poller().active.store(true, Ordering::Release);
    }
    Ok(())
}

/// Takes `lock` with bottom halves off: polls take it in softirq context.
fn lock_bh<T>(lock: &SpinLock<T>) -> BhGuard<'_, T> {
    let bh = bh::disable();
    BhGuard {
        guard: lock.lock(),
        _bh: bh,
    }
}

/// A lock guard taken with bottom halves off; unlocks before enabling them (fields drop in
/// order).
struct BhGuard<'a, T> {
    guard: SpinLockGuard<'a, T>,
    _bh: bh::Guard,
}

impl<T> core::ops::Deref for BhGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: Unpin> core::ops::DerefMut for BhGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

/// Stops the peer from queueing to NAPI, disables it, hands socket buffers still queued to the
/// regular receive path, returns queued XDP frames, and drops the queues' XDP state.
fn napi_disable(dev: &Device<Rveth>, rtnl: &Rtnl) {
    let rxq = dev.data().rxq();
    for rq in rxq {
        rq.poller().active.store(false, Ordering::Release);
    }
    // Transmitters on the peer check `active` under RCU: after this, none can still be queueing.
    rcu::synchronize_rcu();
    for rq in rxq {
        rq.disable(rtnl);
        let ring = rq.poller();
        while let Some(skb) = ring.backlog.pop_front() {
            skb.netif_rx();
        }
        loop {
            let frame = lock_bh(&ring.frames).pop();
            let Some(frame) = frame else { break };
            ring.stats.drop_one();
            drop(frame);
        }
        let q = lock_bh(&ring.xdp).take();
        drop(q);
    }
}

/// Announces `dev`'s XDP features as veth does (veth_set_xdp_features): none without a peer or
/// while the peer has more transmit queues than `dev` has receive queues (a program would not
/// see every frame); the basic actions and redirection out of `dev` otherwise; and frames
/// redirected into `dev` (`ndo_xdp_xmit`, received by the peer) only while the peer's receive
/// queues run NAPI, with a program or GRO. `peer_features` are the peer's features when they
/// are about to change (its `set_features`), else its current ones count.
fn update_xdp_features(dev: &Device<Rveth>, rtnl: &Rtnl, peer_features: Option<u64>) {
    let features = match dev.peer_rtnl(rtnl) {
        Some(peer) if peer.real_num_tx_queues() <= dev.real_num_rx_queues() => {
            let basic = xdp::features::BASIC | xdp::features::REDIRECT;
            if napi_wanted(peer, peer_features.unwrap_or_else(|| peer.features())) {
                basic | xdp::features::NDO_XMIT
            } else {
                basic
            }
        }
        _ => 0,
    };
    dev.set_xdp_features(rtnl, features);
}

/// [`update_xdp_features`] for both ends.
fn update_pair_xdp_features(dev: &Device<Rveth>, rtnl: &Rtnl) {
    update_xdp_features(dev, rtnl, None);
    if let Some(peer) = dev.peer_rtnl(rtnl) {
        update_xdp_features(peer, rtnl, None);
    }
}

fn gro_requested(features: u64) -> bool {
    features & features::GRO != 0
}

/// Whether the receive queues run NAPI (GRO asked for, or an XDP program attached).
fn napi_wanted(dev: &Device<Rveth>, features: u64) -> bool {
    gro_requested(features) || dev.data().xdp_prog.is_set()
}

#[vtable]
impl dev::Driver for Rveth {
    type Data = RvethData;

    fn setup(dev: &mut DeviceSetup<'_>) {
        dev.clear_priv_flags(priv_flags::TX_SKB_SHARING)
            .add_priv_flags(
                priv_flags::LIVE_ADDR_CHANGE
                    | priv_flags::NO_QUEUE
                    | priv_flags::PHONY_HEADROOM
                    | priv_flags::DISABLE_NETPOLL,
            )
            .set_lltx(true)
            .set_features(RVETH_FEATURES)
            .set_hw_features(RVETH_FEATURES)
            .set_hw_enc_features(RVETH_FEATURES)
            .set_vlan_features(
                RVETH_FEATURES
                    & !(features::HW_VLAN_CTAG_TX
                        | features::HW_VLAN_STAG_TX
                        | features::HW_VLAN_CTAG_RX
                        | features::HW_VLAN_STAG_RX),
            )
            .set_mtu_range(MIN_MTU, MAX_MTU)
            .set_tso_max_size(TSO_MAX_SIZE);
    }

    fn init(dev: &Device<Self>) -> Result {
        let mut rxq = KVec::with_capacity(dev.num_rx_queues() as usize, GFP_KERNEL)?;
        for _ in 0..dev.num_rx_queues() {
            let frames = FrameRing::new()?;
            let ring = try_pin_init!(RxRing {
                backlog <- SkbQueue::new(),
                frames <- new_spinlock!(frames),
                xdp <- new_spinlock!(None),
                active: AtomicBool::new(false),
                stats: QueueStats::default(),
                xdp_stats: XdpStats::default(),
            }? Error);
            rxq.push(
                KBox::pin_init(Napi::new(dev, ring), GFP_KERNEL)?,
                GFP_KERNEL,
            )?;
        }
        let mut txq = KVec::with_capacity(dev.num_tx_queues() as usize, GFP_KERNEL)?;
        for _ in 0..dev.num_tx_queues() {
            txq.push(QueueStats::default(), GFP_KERNEL)?;
        }
        // `ndo_init` runs once per device, so both are still empty.
        if !dev.data().rxq.populate(rxq) || !dev.data().txq.populate(txq) {
            return Err(EBUSY);
        }
        Ok(())
    }

    fn open(dev: &Device<Self>, rtnl: &Rtnl) -> Result {
        let Some(peer) = dev.peer_rtnl(rtnl) else {
            return Err(ENOTCONN);
        };
        if napi_wanted(dev, dev.features()) {
            napi_enable(dev, rtnl, dev.real_num_rx_queues())?;
        }
        // Like veth, the link is up only while both ends are.
        if peer.is_running() {
            dev.carrier_on();
            peer.carrier_on();
        }
        update_pair_xdp_features(dev, rtnl);
        Ok(())
    }

    fn stop(dev: &Device<Self>, rtnl: &Rtnl) -> Result {
        dev.carrier_off();
        {
            let guard = rcu::read_lock();
            if let Some(peer) = dev.peer(&guard) {
                peer.carrier_off();
            }
        }
        napi_disable(dev, rtnl);
        Ok(())
    }

    fn start_xmit<'call>(skb: TxSkb<'call>, dev: &Device<Self>) -> TxOutcome<'call> {
        let mut skb = skb.accept();
        let data = dev.data();
        let txq = data.txq().get(usize::from(skb.queue_mapping()));
        let guard = rcu::read_lock();
        let Some(peer) = dev.peer(&guard) else {
            data.no_peer_drops.fetch_add(1, Ordering::Relaxed);
            drop(skb);
            return TxOutcome::Ok;
        };
        let len = skb.len();
        skb.tx_timestamp();
        // The receive queue mirrors the transmit queue, folded onto the peer's active queues.
        let peer_rxq = peer.data().rxq();
        let active = peer.real_num_rx_queues().max(1) as usize;
        let ring = peer_rxq.get(usize::from(skb.queue_mapping()) % active);
        let Some(skb) = peer.forward_prepare(skb) else {
            // Peer down, frame too big for its MTU or malformed: the core counted the drop on
            // the peer (rx_dropped); count ours.
            if let Some(q) = txq {
                q.drop_one();
            }
            return TxOutcome::Ok;
        };
        let delivered = match ring {
            Some(rq) if rq.poller().active.load(Ordering::Acquire) => {
                let ring = rq.poller();
                if ring.backlog.len() < RING_SIZE {
                    ring.backlog.push_back(skb);
                    rq.schedule();
                    true
                } else {
                    drop(skb);
                    false
                }
            }
            _ => skb.netif_rx() == RxResult::Success,
        };
        if delivered {
            if let Some(rq) = ring {
                rq.poller().stats.add(len);
            }
            if let Some(q) = txq {
                q.add(len);
            }
        } else {
            if let Some(rq) = ring {
                rq.poller().stats.drop_one();
            }
            if let Some(q) = txq {
                q.drop_one();
            }
        }
        TxOutcome::Ok
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut Stats64) {
        let data = dev.data();
        let sum = |qs: &mut dyn Iterator<Item = (u64, u64, u64)>| {
            qs.fold((0, 0, 0), |a, q| (a.0 + q.0, a.1 + q.1, a.2 + q.2))
        };
        let rx = sum(&mut data.rxq().iter().map(|rq| rq.poller().stats.read()));
        let tx = sum(&mut data.txq().iter().map(QueueStats::read));
        let no_peer = data.no_peer_drops.load(Ordering::Relaxed);
        stats
            .rx_packets(rx.0)
            .rx_bytes(rx.1)
            .rx_dropped(rx.2)
            .tx_packets(tx.0)
            .tx_bytes(tx.1)
            .tx_dropped(tx.2 + no_peer);
    }

    /// eth_mac_addr, as veth: any valid unicast address, also while the device is up
    /// (`IFF_LIVE_ADDR_CHANGE`); `EADDRNOTAVAIL` otherwise.
    fn set_mac_address(dev: &Device<Self>, addr: &SockAddr) -> Result {
        dev.eth_mac_addr(addr)
    }

    /// While the peer runs an XDP program, no software GSO: the program sees each frame in
    /// one buffer (veth_fix_features).
    fn fix_features(dev: &Device<Self>, rtnl: &Rtnl, features: u64) -> u64 {
        match dev.peer_rtnl(rtnl) {
            Some(peer) if peer.data().xdp_prog.is_set() => features & !features::GSO_SOFTWARE,
            _ => features,
        }
    }

    fn set_features(dev: &Device<Self>, rtnl: &Rtnl, features: u64) -> Result {
        let was = napi_wanted(dev, dev.features());
        let wants = napi_wanted(dev, features);
        if dev.is_running() && was != wants {
            if wants {
                napi_enable(dev, rtnl, dev.real_num_rx_queues())?;
            } else {
                napi_disable(dev, rtnl);
            }
        }
        // Whether the peer may redirect frames here follows this end's NAPI.
        if let Some(peer) = dev.peer_rtnl(rtnl) {
            update_xdp_features(peer, rtnl, Some(features));
        }
        Ok(())
    }

    /// Attaches, replaces or detaches the XDP program of the receive queues (veth_xdp_set):
    /// the peer must exist, its MTU fit the program's buffers (one page after the headroom,
    /// or `MAX_SKB_FRAGS` more pages for a program that handles fragments), and its transmit
    /// queues not outnumber these receive queues. While a program is attached, the peer builds
    /// no software GSO frames and its MTU is capped to what the program can see.
    fn xdp_setup(dev: &Device<Self>, rtnl: &Rtnl, mut setup: XdpSetup<'_>) -> Result {
        let data = dev.data();
        let peer = dev.peer_rtnl(rtnl);
        let max_mtu = xdp_max_mtu(setup.prog().is_some_and(|p| p.has_frags()));
        if setup.has_prog() {
            let Some(peer) = peer else {
                setup.set_error(c"rveth: cannot set XDP when the peer is detached");
                return Err(ENOTCONN);
            };
            if peer.mtu() > max_mtu {
                setup.set_error(c"rveth: peer MTU is too large to set XDP");
                pr_info!(
                    "{}: peer MTU {} too large for XDP (at most {})\n",
                    dev.name(),
                    peer.mtu(),
                    max_mtu
                );
                return Err(ERANGE);
            }
            if dev.real_num_rx_queues() < peer.real_num_tx_queues() {
                setup.set_error(
                    c"rveth: XDP expects number of rx queues not less than peer tx queues",
                );
                return Err(ENOSPC);
            }
        }
        let was = data.xdp_prog.is_set();
        let napi_was = dev.is_running() && napi_wanted(dev, dev.features());
        let old = data.xdp_prog.replace(rtnl, setup.take_prog());
        let attached = data.xdp_prog.is_set();
        let napi_wants = dev.is_running() && napi_wanted(dev, dev.features());
        if napi_wants && !napi_was {
            if let Err(e) = napi_enable(dev, rtnl, dev.real_num_rx_queues()) {
                setup.set_error(c"rveth: setup for XDP failed");
                drop(data.xdp_prog.replace(rtnl, old));
                return Err(e);
            }
        } else if napi_was && !napi_wants {
            napi_disable(dev, rtnl);
        }
        // The peer's software GSO goes while a program runs (its fix_features reads the slot),
        // and its MTU is capped to what the program's buffers hold.
        if let Some(peer) = peer {
            if attached {
                if !was {
                    peer.change_hw_features(rtnl, features::GSO_SOFTWARE, 0);
                }
                peer.set_max_mtu(rtnl, max_mtu);
            } else if was {
                peer.change_hw_features(rtnl, 0, features::GSO_SOFTWARE);
                peer.set_max_mtu(rtnl, MAX_MTU);
            }
            // Frames redirected to the peer arrive here, through NAPI: on with a program.
            update_xdp_features(peer, rtnl, None);
        }
        drop(old);
        Ok(())
    }

    /// Frames redirected to this device (veth_ndo_xdp_xmit) are received by the peer: queued
    /// for its NAPI poll (on while the peer has GRO on or a program), up to its MTU.
    fn xdp_xmit(dev: &Device<Self>, frames: &mut XdpXmitFrames<'_>) -> Result {
        let data = dev.data();
        let guard = rcu::read_lock();
        let Some(peer) = dev.peer(&guard) else {
            return Err(ENXIO);
        };
        let queues = peer.data().rxq();
        let active = (peer.real_num_rx_queues() as usize).max(1);
        let cpu = kernel::cpu::CpuId::current().as_u32() as usize;
        let Some(rq) = queues.get(cpu % active) else {
            return Err(ENXIO);
        };
        if !rq.poller().active.load(Ordering::Acquire) {
            return Err(ENXIO);
        }
        let max_len = peer.mtu() + ETH_HLEN + 4;
        let mut taken = 0u64;
        let total = frames.remaining() as u64;
        // One lock for the batch (veth takes the ring's producer lock once per batch too).
        let mut ring = rq.poller().frames.lock();
        while let Some(frame) = frames.next() {
            if frame.len() > max_len {
                let _ = frames.give_back(frame);
                break;
            }
            if let Err(frame) = ring.push(frame) {
                let _ = frames.give_back(frame);
                break;
            }
            taken += 1;
        }
        drop(ring);
        if taken > 0 {
            rq.schedule();
        }
        data.xdp_xmit.fetch_add(taken, Ordering::Relaxed);
        data.xdp_xmit_errors
            .fetch_add(total - taken, Ordering::Relaxed);
        Ok(())
    }

    fn queue_stats_rx(dev: &Device<Self>, queue: u32, stats: &mut QueueStatsRx) {
        if let Some(rq) = dev.data().rxq().get(queue as usize) {
            let (packets, bytes, drops) = rq.poller().stats.read();
            stats.set(packets, bytes).set_drops(drops);
        }
    }

    fn queue_stats_tx(dev: &Device<Self>, queue: u32, stats: &mut QueueStatsTx) {
        if let Some(q) = dev.data().txq().get(queue as usize) {
            let (packets, bytes, drops) = q.read();
            stats.set(packets, bytes).set_drops(drops);
        }
    }
}

/// `IFLA_INFO_DATA` policy: like veth, only `VETH_INFO_PEER`, holding at least an ifinfomsg.
static POLICY: [Policy; 2] = [Policy::unspec(), Policy::ifinfomsg()];
const _: () = assert!(VETH_INFO_PEER == 1);

#[vtable]
impl rtnl::LinkOps for Rveth {
    const KIND: &'static CStr = c"rveth";
    const DATA_POLICY: &'static [Policy] = &POLICY;
    const PEER_TYPE: u16 = VETH_INFO_PEER as u16;

    fn max_queues() -> u32 {
        rtnl::num_possible_cpus()
    }

    fn validate(tb: &Attrs<'_>, _data: Option<&Attrs<'_>>) -> Result {
        if let Some(addr) = tb.get(ifla::ADDRESS) {
            let mac = addr.data();
            if mac.len() != ETH_ALEN {
                pr_info!(
                    "rveth: address must be {} bytes, got {}\n",
                    ETH_ALEN,
                    mac.len()
                );
                return Err(EINVAL);
            }
            // Multicast (I/G bit) or all-zero addresses cannot name a device.
            if mac[0] & 1 != 0 || mac.iter().all(|b| *b == 0) {
                return Err(EADDRNOTAVAIL);
            }
        }
        if let Some(mtu) = tb.get(ifla::MTU) {
            let mtu = mtu.get_u32()?;
            if !(MIN_MTU..=MAX_MTU).contains(&mtu) {
                pr_info!("rveth: MTU {} outside {}..={}\n", mtu, MIN_MTU, MAX_MTU);
                return Err(EINVAL);
            }
        }
        Ok(())
    }

    fn newlink(link: &mut NewLink<'_, Self>) -> Result {
        let peer = link.data().and_then(|d| d.get(VETH_INFO_PEER));
        link.create_pair(peer)?;
        update_pair_xdp_features(link.dev(), link.rtnl());
        Ok(())
    }
}

struct RvethModule {
    _link: rtnl::Registration<Rveth>,
}

impl kernel::Module for RvethModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(RvethModule {
            _link: rtnl::Registration::new()?,
        })
    }
}
