// SPDX-License-Identifier: GPL-2.0

//! rveth's ethtool operations (veth_ethtool_ops): driver info, statistics named as veth's,
//! channels and link settings.

use super::{napi_disable, napi_enable, napi_wanted, update_pair_xdp_features, Rveth};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::net::dev::{Device, Rtnl};
use kernel::net::ethtool::{self, sset, Channels, DrvInfo, LinkKsettings, Strings};
use kernel::prelude::*;
use kernel::sync::rcu;

/// Device statistics of `ethtool -S` (frames redirected to the device, received by the peer),
/// then per-queue ones, named as veth's.
const DEV_STATS: [&str; 3] = ["peer_ifindex", "xdp_xmit", "xdp_xmit_errors"];
const RX_STATS: [&str; 7] = [
    "packets",
    "bytes",
    "drops",
    "xdp_redirect",
    "xdp_drops",
    "xdp_tx",
    "xdp_tx_errors",
];
const TX_STATS: [&str; 3] = ["packets", "bytes", "drops"];

#[vtable]
impl ethtool::Operations for Rveth {
    fn get_drvinfo(_dev: &Device<Self>, info: &mut DrvInfo) {
        info.set_driver(c"rveth").set_version(c"1.0");
    }

    fn get_sset_count(dev: &Device<Self>, set: u32) -> Result<u32> {
        match set {
            sset::STATS => Ok(DEV_STATS.len() as u32
                + dev.real_num_rx_queues() * RX_STATS.len() as u32
                + dev.real_num_tx_queues() * TX_STATS.len() as u32),
            _ => Err(EOPNOTSUPP),
        }
    }

    fn get_strings(dev: &Device<Self>, set: u32, out: &mut Strings<'_>) {
        if set != sset::STATS {
            return;
        }
        for name in DEV_STATS {
            out.push(name);
        }
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
        let priv_data = dev.data();
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let dev_stats = [
            peer_ifindex as u64,
            load(&priv_data.xdp_xmit),
            load(&priv_data.xdp_xmit_errors),
        ];
        let rx = priv_data
            .rxq()
            .iter()
            .take(dev.real_num_rx_queues() as usize)
            .flat_map(|rq| {
                let ring = rq.poller();
                let (packets, bytes, drops) = ring.stats.read();
                let x = &ring.xdp_stats;
                [
                    packets,
                    bytes,
                    drops,
                    load(&x.redirect),
                    load(&x.drops),
                    load(&x.tx),
                    load(&x.tx_errors),
                ]
            });
        let tx = priv_data
            .txq()
            .iter()
            .take(dev.real_num_tx_queues() as usize)
            .flat_map(|q| {
                let (packets, bytes, drops) = q.read();
                [packets, bytes, drops]
            });
        let all = Iterator::chain(Iterator::chain(dev_stats.into_iter(), rx), tx);
        for (v, value) in values.by_ref().zip(all) {
            *v = value;
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
        // Do not break a program (veth_set_channels): an XDP program here needs a receive queue
        // for each of the peer's transmit queues, and one on the peer a receive queue there for
        // each of these transmit queues.
        if let Some(peer) = dev.peer_rtnl(rtnl) {
            if dev.data().xdp_prog.is_set() && ch.rx_count() < peer.real_num_tx_queues() {
                pr_info!(
                    "{}: with XDP set, rx channels ({}) cannot be fewer than the peer's tx queues ({})\n",
                    dev.name(),
                    ch.rx_count(),
                    peer.real_num_tx_queues()
                );
                return Err(EINVAL);
            }
            if peer.data().xdp_prog.is_set() && ch.tx_count() > peer.real_num_rx_queues() {
                pr_info!(
                    "{}: with XDP set on the peer, tx channels ({}) cannot outnumber its rx queues ({})\n",
                    dev.name(),
                    ch.tx_count(),
                    peer.real_num_rx_queues()
                );
                return Err(EINVAL);
            }
        }
        let napi_on = dev.is_running() && napi_wanted(dev, dev.features());
        if napi_on {
            napi_disable(dev, rtnl);
        }
        let res = dev
            .set_real_num_rx_queues(rtnl, ch.rx_count())
            .and_then(|()| dev.set_real_num_tx_queues(rtnl, ch.tx_count()));
        if napi_on {
            napi_enable(dev, rtnl, dev.real_num_rx_queues())?;
        }
        update_pair_xdp_features(dev, rtnl);
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
