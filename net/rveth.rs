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
use kernel::net::ethtool::{self, sset, Channels, DrvInfo, LinkKsettings, Strings};
use kernel::net::napi::{self, Napi, NapiPoll};
use kernel::net::rtnl::{self, ifla, Attrs, NewLink, Policy, VETH_INFO_PEER};
use kernel::net::skbuff::{RxResult, SkbQueue};
use kernel::prelude::*;
use kernel::sync::{rcu, SetOnce};

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
    /// Whether the peer may queue here (NAPI enabled), rather than use `netif_rx`.
    active: AtomicBool,
    stats: QueueStats,
}

impl napi::Poll for RxRing {
    type Driver = Rveth;

    fn poll(ctx: NapiPoll<'_, Self>) {
        let napi = ctx.napi();
        let ring = napi.poller();
        let mut done = 0;
        while done < ctx.budget() {
            let Some(skb) = ring.backlog.pop_front() else {
                break;
            };
            ctx.gro_receive(skb);
            done += 1;
        }
        // A frame queued after the last pop found NAPI still scheduled and did not schedule
        // it again: look once more after completing.
        if ctx.complete_done(done) && !ring.backlog.is_empty() {
            napi.schedule();
        }
    }
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

/// Enables NAPI on the first `count` receive queues and lets the peer use them.
fn napi_enable(dev: &Device<Rveth>, rtnl: &Rtnl, count: u32) {
    for rq in dev.data().rxq().iter().take(count as usize) {
        rq.enable(rtnl);
        rq.poller().active.store(true, Ordering::Release);
    }
}

/// Stops the peer from queueing to NAPI, disables it, and hands frames still queued to the
/// regular receive path.
fn napi_disable(dev: &Device<Rveth>, rtnl: &Rtnl) {
    let rxq = dev.data().rxq();
    for rq in rxq {
        rq.poller().active.store(false, Ordering::Release);
    }
    // Transmitters on the peer check `active` under RCU: after this, none can still be queueing.
    rcu::synchronize_rcu();
    for rq in rxq {
        rq.disable(rtnl);
        while let Some(skb) = rq.poller().backlog.pop_front() {
            skb.netif_rx();
        }
    }
}

fn gro_requested(features: u64) -> bool {
    features & features::GRO != 0
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
            let ring = try_pin_init!(RxRing {
                backlog <- SkbQueue::new(),
                active: AtomicBool::new(false),
                stats: QueueStats::default(),
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
        if gro_requested(dev.features()) {
            napi_enable(dev, rtnl, dev.real_num_rx_queues());
        }
        let guard = rcu::read_lock();
        let Some(peer) = dev.peer(&guard) else {
            return Err(ENOTCONN);
        };
        // Like veth, the link is up only while both ends are.
        if peer.is_running() {
            dev.carrier_on();
            peer.carrier_on();
        }
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

    fn set_features(dev: &Device<Self>, rtnl: &Rtnl, features: u64) -> Result {
        let was = gro_requested(dev.features());
        let wants = gro_requested(features);
        if dev.is_running() && was != wants {
            if wants {
                napi_enable(dev, rtnl, dev.real_num_rx_queues());
            } else {
                napi_disable(dev, rtnl);
            }
        }
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

/// Per-queue statistics names of `ethtool -S`, after `peer_ifindex`.
const RX_STATS: [&str; 3] = ["packets", "bytes", "drops"];
const TX_STATS: [&str; 3] = ["packets", "bytes", "drops"];

#[vtable]
impl ethtool::Operations for Rveth {
    fn get_drvinfo(_dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c"rveth").set_version(c"1.0");
    }

    fn get_sset_count(dev: &Device<Self>, set: u32) -> Result<u32> {
        match set {
            sset::STATS => Ok(1
                + dev.real_num_rx_queues() * RX_STATS.len() as u32
                + dev.real_num_tx_queues() * TX_STATS.len() as u32),
            _ => Err(EOPNOTSUPP),
        }
    }

    fn get_strings(dev: &Device<Self>, set: u32, out: &mut Strings<'_>) {
        if set != sset::STATS {
            return;
        }
        out.push("peer_ifindex");
        for i in 0..dev.real_num_rx_queues() {
            for name in RX_STATS {
                out.push_fmt(format_args!("rx_queue_{i}_{name}"));
            }
        }
        for i in 0..dev.real_num_tx_queues() {
            for name in TX_STATS {
                out.push_fmt(format_args!("tx_queue_{i}_{name}"));
            }
        }
    }

    fn get_ethtool_stats(dev: &Device<Self>, data: &mut [u64]) {
        let mut values = data.iter_mut();
        let peer_ifindex = {
            let guard = rcu::read_lock();
            dev.peer(&guard).map_or(0, |p| p.ifindex())
        };
        if let Some(v) = values.next() {
            *v = peer_ifindex as u64;
        }
        let priv_data = dev.data();
        let rx = priv_data
            .rxq()
            .iter()
            .take(dev.real_num_rx_queues() as usize)
            .map(|rq| rq.poller().stats.read());
        let tx = priv_data
            .txq()
            .iter()
            .take(dev.real_num_tx_queues() as usize)
            .map(QueueStats::read);
        for (packets, bytes, drops) in Iterator::chain(rx, tx) {
            for value in [packets, bytes, drops] {
                if let Some(v) = values.next() {
                    *v = value;
                }
            }
        }
    }

    fn get_channels(dev: &Device<Self>, ch: &mut Channels) {
        ch.set_max(dev.num_rx_queues(), dev.num_tx_queues(), 0)
            .set_count(dev.real_num_rx_queues(), dev.real_num_tx_queues(), 0);
    }

    fn set_channels(dev: &Device<Self>, rtnl: &Rtnl, ch: &Channels) -> Result {
        if ch.combined_count() != 0 || ch.other_count() != 0 {
            pr_info!("{}: only separate rx/tx channels exist\n", dev.name());
            return Err(EINVAL);
        }
        if ch.rx_count() == 0 || ch.tx_count() == 0 {
            pr_info!(
                "{}: at least one rx and one tx channel needed\n",
                dev.name()
            );
            return Err(EINVAL);
        }
        let napi_on = dev.is_running() && gro_requested(dev.features());
        if napi_on {
            napi_disable(dev, rtnl);
        }
        let res = dev
            .set_real_num_rx_queues(rtnl, ch.rx_count())
            .and_then(|()| dev.set_real_num_tx_queues(rtnl, ch.tx_count()));
        if napi_on {
            napi_enable(dev, rtnl, dev.real_num_rx_queues());
        }
        res
    }

    fn get_link_ksettings(_dev: &Device<Self>, ks: &mut LinkKsettings) -> Result {
        ks.set_speed(10000)
            .set_full_duplex(true)
            .set_port_tp()
            .set_autoneg(false);
        Ok(())
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
        link.create_pair(peer)
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
