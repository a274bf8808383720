// SPDX-License-Identifier: GPL-2.0

//! rlo: Ethernet-type loopback devices.
//!
//! The transmit routine does what `loopback_xmit` (drivers/net/loopback.c) does: every frame
//! sent on `rloN` is received on `rloN`. It takes the timestamp, orphans the buffer (so the
//! sending socket's memory is released now), makes sure the route it carries is refcounted,
//! classifies it with `eth_type_trans`, counts it per CPU and queues it with `netif_rx` on this
//! CPU's backlog, from where the `NET_RX` softirq (`process_backlog` → `__netif_receive_skb`)
//! delivers it to the protocol handlers.
//!
//! Unlike `lo` the devices are Ethernet devices (`ether_setup`), without `IFF_LOOPBACK`, so the
//! routing code treats them as ordinary interfaces; `IFF_NOARP` makes neighbours resolve to the
//! device's own address, so every frame is addressed to the device itself (`PACKET_HOST`).

use kernel::net::dev::{
    self, features, flags, priv_flags, Device, DeviceSetup, PcpuStats, QueueStatsRx, QueueStatsTx,
    Rtnl, SockAddr, Stats64, TxOutcome, TxSkb,
};
use kernel::net::ethtool::{self, Channels, DrvInfo};
use kernel::net::registration::Registration;
use kernel::net::skbuff::RxResult;
use kernel::prelude::*;

module! {
    type: RloModule,
    name: "rlo",
    authors: ["rnet developers"],
    description: "Ethernet-type loopback devices (loopback_xmit in Rust)",
    license: "GPL",
    params: {
        numdevs: u32 {
            default: 1,
            description: "Number of rlo devices to create (1-64)",
        },
    },
}

/// Bounds for `numdevs`: at least one device, and few enough that a typo cannot exhaust memory.
const MAX_DEVS: u32 = 64;
/// Like `lo`, accept frames up to 64 KiB; the lower bound is the IPv4 minimum (`ETH_MIN_MTU`).
const MIN_MTU: u32 = 68;
const MAX_MTU: u32 = 65535;

struct Rlo;

#[vtable]
impl dev::Driver for Rlo {
    type Data = ();

    const PCPU_STATS: PcpuStats = PcpuStats::Lstats;

    fn setup(dev: &mut DeviceSetup<'_>) {
        // The offloads loopback advertises: the frame never leaves memory, so checksums and
        // segmentation need not be computed at all.
        let offloads = features::SG
            | features::FRAGLIST
            | features::GSO_SOFTWARE
            | features::HW_CSUM
            | features::RXCSUM
            | features::SCTP_CRC
            | features::HIGHDMA
            | features::VLAN_CHALLENGED
            | features::LOOPBACK;
        dev.set_mtu_range(MIN_MTU, MAX_MTU)
            .set_mtu(MAX_MTU)
            .add_flags(flags::NOARP)
            .add_priv_flags(priv_flags::LIVE_ADDR_CHANGE | priv_flags::NO_QUEUE)
            .set_tx_queue_len(0)
            .set_features(offloads)
            .set_hw_features(features::GSO_SOFTWARE)
            .set_vlan_features(offloads & !(features::VLAN_CHALLENGED | features::LOOPBACK))
            // Per-CPU counters and no queue state: transmit needs no lock.
            .set_lltx(true)
            .carrier_off()
            .eth_hw_addr_random();
    }

    fn open(dev: &Device<Self>, _rtnl: &Rtnl) -> Result {
        dev.carrier_on();
        Ok(())
    }

    fn stop(dev: &Device<Self>, _rtnl: &Rtnl) -> Result {
        dev.carrier_off();
        Ok(())
    }

    fn start_xmit<'call>(skb: TxSkb<'call>, dev: &Device<Self>) -> TxOutcome<'call> {
        let mut skb = skb.accept();
        skb.tx_timestamp();
        // Do not fool net_timestamp_check() with a transmit-side clock base.
        skb.clear_tstamp();
        skb.orphan();
        // The buffer outlives this RCU section on the backlog queue: hold its route.
        skb.dst_force();
        // Count the whole Ethernet frame, as veth and NICs do (loopback counts after the pull).
        let len = skb.len();
        if dev.eth_type_trans(&mut skb).is_err() {
            // Shorter than an Ethernet header: nothing sane to deliver.
            dev.tx_dropped_inc();
            drop(skb);
            return TxOutcome::Ok;
        }
        if skb.netif_rx() == RxResult::Success {
            dev.lstats_add(len);
        }
        TxOutcome::Ok
    }

    fn get_stats64(dev: &Device<Self>, stats: &mut Stats64) {
        // Each frame is transmitted and received once, as on `lo`.
        let (packets, bytes) = dev.lstats_read();
        stats
            .rx_packets(packets)
            .tx_packets(packets)
            .rx_bytes(bytes)
            .tx_bytes(bytes);
    }

    fn set_mac_address(dev: &Device<Self>, addr: &SockAddr) -> Result {
        dev.eth_mac_addr(addr)
    }

    // The netdev netlink family's qstats (which `lo` does not report): the one queue of each
    // direction carries every frame, so both report the per-CPU totals.
    fn queue_stats_rx(dev: &Device<Self>, queue: u32, stats: &mut QueueStatsRx) {
        if queue == 0 {
            let (packets, bytes) = dev.lstats_read();
            stats.set(packets, bytes);
        }
    }

    fn queue_stats_tx(dev: &Device<Self>, queue: u32, stats: &mut QueueStatsTx) {
        if queue == 0 {
            let (packets, bytes) = dev.lstats_read();
            stats.set(packets, bytes);
        }
    }
}

#[vtable]
impl ethtool::Operations for Rlo {
    fn get_drvinfo(_dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c"rlo").set_bus_info(c"virtual");
    }

    /// One combined channel, the device's one queue of each direction (`ethtool -l`).
    fn get_channels(_dev: &Device<Self>, ch: &mut Channels) {
        ch.set_max(0, 0, 1).set_count(0, 0, 1);
    }

    /// `ethtool -L`: the core refuses anything beyond the maxima above and an empty setting, so
    /// the only request that arrives is the one combined channel there already is.
    fn set_channels(_dev: &Device<Self>, _rtnl: &Rtnl, _ch: &Channels) -> Result {
        Ok(())
    }
}

struct RloModule {
    _devs: KVec<Registration<Rlo>>,
}

impl kernel::Module for RloModule {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count = module_parameters::numdevs.value();
        if count == 0 || count > MAX_DEVS {
            pr_err!("numdevs={} out of range 1..={}\n", count, MAX_DEVS);
            return Err(EINVAL);
        }
        let mut devs = KVec::with_capacity(count as usize, GFP_KERNEL)?;
        for _ in 0..count {
            // On error the devices registered so far are unregistered as `devs` drops.
            devs.push(Registration::new(c"rlo%d", 1, 1, ())?, GFP_KERNEL)?;
        }
        pr_info!("created {} device(s)\n", count);
        Ok(RloModule { _devs: devs })
    }
}
