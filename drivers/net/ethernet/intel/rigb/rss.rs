// SPDX-License-Identifier: GPL-2.0

//! Receive-side scaling (igb_setup_mrqc, igb_write_rss_indir_tbl, igb_write_rss_key and the
//! rxfh operations of igb_ethtool.c): the 82576 hashes a frame's addresses (and ports) with the
//! Toeplitz function under a 40-byte key and picks its receive queue from a 128-entry
//! redirection table (RETA) by the hash's low 7 bits. The key, the table and the hashed fields
//! live in the driver data and are written to the device at every bring-up and, while it runs,
//! whenever `ethtool -X` / `-N rx-flow-hash` change them.

use crate::regs::{self, Bar0};
use crate::rigb_main::{mmio, Rigb};
use core::sync::atomic::Ordering;
use kernel::io::Io;
use kernel::net::dev::{self, Device};
use kernel::net::ethtool::rss::{flow, rxh, HASH_NO_CHANGE, HASH_TOP};
use kernel::net::ethtool::{RxfhFields, RxfhGet, RxfhSet};
use kernel::prelude::*;

/// Entries of the redirection table (IGB_RETA_SIZE): four one-byte entries per RETA register.
pub(crate) const RETA_ENTRIES: usize = 4 * regs::RETA_REGS;

/// The RSS settings (igb's `rss_indir_tbl`, `rss_key` and RSS UDP flags).
pub(crate) struct RssConfig {
    key: [u8; regs::RSS_KEY_LEN],
    indir: [u8; RETA_ENTRIES],
    /// The queue count `indir` was made for: at a bring-up with another count the table is
    /// spread over the new queues again (igb's `rss_indir_tbl_init`); the core keeps `ethtool
    /// -L` from dropping a queue a table set by the user still uses.
    indir_queues: u32,
    udp4: bool,
    udp6: bool,
}

impl RssConfig {
    /// The stack's RSS key, no table yet (made at the first bring-up), addresses and TCP ports
    /// hashed.
    pub(crate) fn new() -> Self {
        let mut key = [0u8; regs::RSS_KEY_LEN];
        dev::rss_key_fill(&mut key);
        Self {
            key,
            indir: [0; RETA_ENTRIES],
            indir_queues: 0,
            udp4: false,
            udp6: false,
        }
    }

    /// Spreads the table over `n` queues unless it was made for `n` (round robin, as the
    /// core's default table, `ethtool_rxfh_indir_default`).
    fn fit(&mut self, n: u32) {
        if self.indir_queues != n {
            for (i, q) in (0u32..).zip(self.indir.iter_mut()) {
                // (`n` >= 1: the callers' queue counts are.)
                *q = (i % n.max(1)) as u8;
            }
            self.indir_queues = n;
        }
    }
}

fn write_key(bar: &Bar0<'_>, cfg: &RssConfig) {
    for (i, k) in cfg.key.chunks_exact(4).enumerate() {
        regs::write_at(
            bar,
            i,
            regs::RSSRK::from_raw(u32::from_le_bytes([k[0], k[1], k[2], k[3]])),
        );
    }
}

fn write_indir(bar: &Bar0<'_>, cfg: &RssConfig) {
    for (i, e) in cfg.indir.chunks_exact(4).enumerate() {
        regs::write_at(
            bar,
            i,
            regs::RETA::from_raw(u32::from_le_bytes([e[0], e[1], e[2], e[3]])),
        );
    }
}

fn write_mrqc(bar: &Bar0<'_>, cfg: &RssConfig, n: u32) {
    let mrqc = if n > 1 {
        regs::MRQC::zeroed()
            .with_const_mrqe::<2>()
            .with_rss_ipv4_tcp(true)
            .with_rss_ipv4(true)
            .with_rss_ipv6(true)
            .with_rss_ipv6_tcp(true)
            // As igb sets it: QEMU's model hashes IPv6 TCP as the Toeplitz function over the
            // addresses and ports (what `ethtool -x`'s key predicts) only with this bit.
            .with_rss_ipv6_tcp_ex(true)
            .with_rss_ipv4_udp(cfg.udp4)
            .with_rss_ipv6_udp(cfg.udp6)
    } else {
        regs::MRQC::zeroed()
    };
    bar.write_reg(mrqc);
}

/// Programs RSS for `n` receive queues at a bring-up (igb_setup_mrqc).
pub(crate) fn configure(dev: &Device<Rigb>, bar: &Bar0<'_>, n: u32) {
    let mut cfg = dev.data().rss.lock();
    cfg.fit(n);
    write_key(bar, &cfg);
    write_indir(bar, &cfg);
    write_mrqc(bar, &cfg, n);
}

/// `f` on the registers, if the device runs (else the next bring-up writes the settings).
fn if_running(dev: &Device<Rigb>, f: impl FnOnce(&Bar0<'_>)) {
    if dev.data().running.load(Ordering::Acquire) {
        if let Ok(bar) = mmio(dev) {
            f(bar);
        }
    }
}

/// igb_get_rxfh.
pub(crate) fn get_rxfh(dev: &Device<Rigb>, rxfh: &mut RxfhGet<'_>) -> Result {
    let data = dev.data();
    let mut cfg = data.rss.lock();
    cfg.fit(data.num_queues.load(Ordering::Relaxed));
    rxfh.set_hfunc(HASH_TOP);
    if let Some(indir) = rxfh.indir() {
        for (out, q) in indir.iter_mut().zip(cfg.indir.iter()) {
            *out = u32::from(*q);
        }
    }
    if let Some(key) = rxfh.key() {
        key.copy_from_slice(&cfg.key[..key.len()]);
    }
    Ok(())
}

/// igb_set_rxfh: the Toeplitz hash only; table entries were checked by the core against the
/// queue count, and are checked again here.
pub(crate) fn set_rxfh(dev: &Device<Rigb>, rxfh: &RxfhSet<'_>) -> Result {
    let data = dev.data();
    if rxfh.hfunc() != HASH_NO_CHANGE && rxfh.hfunc() != HASH_TOP {
        pr_err!("{}: only the Toeplitz RSS hash is supported\n", dev.name());
        return Err(EOPNOTSUPP);
    }
    let n = data.num_queues.load(Ordering::Relaxed);
    let mut cfg = data.rss.lock();
    if let Some(indir) = rxfh.indir() {
        if let Some(bad) = indir.iter().find(|&&q| q >= n) {
            pr_err!(
                "{}: RSS table entry {} beyond the {} queues\n",
                dev.name(),
                bad,
                n
            );
            return Err(EINVAL);
        }
        for (q, new) in cfg.indir.iter_mut().zip(indir.iter()) {
            // (Below `n` <= MAX_QUEUES: fits a byte.)
            *q = *new as u8;
        }
        cfg.indir_queues = n;
        if_running(dev, |bar| write_indir(bar, &cfg));
    }
    if let Some(key) = rxfh.key() {
        if key.len() != cfg.key.len() {
            return Err(EINVAL);
        }
        cfg.key.copy_from_slice(key);
        if_running(dev, |bar| write_key(bar, &cfg));
    }
    Ok(())
}

const IP: u32 = rxh::IP_SRC | rxh::IP_DST;
const PORTS: u32 = rxh::L4_B_0_1 | rxh::L4_B_2_3;

/// The flow types hashed on their addresses only, ports never.
const ADDRESSES_ONLY: [u32; 10] = [
    flow::SCTP_V4,
    flow::AH_ESP_V4,
    flow::AH_V4,
    flow::ESP_V4,
    flow::IPV4,
    flow::SCTP_V6,
    flow::AH_ESP_V6,
    flow::AH_V6,
    flow::ESP_V6,
    flow::IPV6,
];

/// igb_get_rxfh_fields: addresses for every IP flow type, ports for TCP, and for UDP when
/// enabled.
pub(crate) fn get_rxfh_fields(dev: &Device<Rigb>, f: &mut RxfhFields) -> Result {
    let cfg = dev.data().rss.lock();
    let data = match f.flow_type() {
        flow::TCP_V4 | flow::TCP_V6 => IP | PORTS,
        flow::UDP_V4 => IP | if cfg.udp4 { PORTS } else { 0 },
        flow::UDP_V6 => IP | if cfg.udp6 { PORTS } else { 0 },
        t if ADDRESSES_ONLY.contains(&t) => IP,
        _ => return Err(EINVAL),
    };
    f.set_data(data);
    Ok(())
}

/// igb_set_rxfh_fields: addresses always; ports always for TCP, never for the others but UDP,
/// where they are the one choice.
pub(crate) fn set_rxfh_fields(dev: &Device<Rigb>, f: &RxfhFields) -> Result {
    let data = dev.data();
    let fields = f.data();
    let refuse = |why: &str| {
        pr_err!(
            "{}: rx-flow-hash {:#x} for flow type {}: {}\n",
            dev.name(),
            fields,
            f.flow_type(),
            why
        );
        Err(EINVAL)
    };
    if fields & !(IP | PORTS) != 0 {
        return refuse("only addresses and ports can be hashed");
    }
    if fields & IP != IP {
        return refuse("both addresses are always hashed");
    }
    let ports = fields & PORTS;
    let mut cfg = data.rss.lock();
    match f.flow_type() {
        flow::TCP_V4 | flow::TCP_V6 if ports != PORTS => {
            return refuse("TCP ports are always hashed")
        }
        flow::UDP_V4 | flow::UDP_V6 if ports != 0 && ports != PORTS => {
            return refuse("both UDP ports or none")
        }
        flow::UDP_V4 => cfg.udp4 = ports == PORTS,
        flow::UDP_V6 => cfg.udp6 = ports == PORTS,
        t if ADDRESSES_ONLY.contains(&t) && ports != 0 => {
            return refuse("only addresses are hashed for this flow type")
        }
        t if t == flow::TCP_V4 || t == flow::TCP_V6 || ADDRESSES_ONLY.contains(&t) => return Ok(()),
        _ => return refuse("unknown flow type"),
    }
    let n = data.num_queues.load(Ordering::Relaxed);
    if_running(dev, |bar| write_mrqc(bar, &cfg, n));
    Ok(())
}
