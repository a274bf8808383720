// SPDX-License-Identifier: GPL-2.0

//! The statistics registers (clear on read): the counters the 82576 kept from the 8254x's
//! statistics block, as a table a driver extends with its family's own, and their reading into
//! running totals (e1000_update_stats, igb_update_stats).

use super::regs::{self, offset as o, Bar0};
use core::sync::atomic::{AtomicU64, Ordering};

/// A statistics counter: its `ethtool -S` name, the offset of its register, and the offset of
/// the high half of a 64-bit counter.
pub(crate) type HwStat = (&'static str, usize, Option<usize>);

/// The counters both families have, at the same offsets.
pub(crate) const COMMON: [HwStat; 22] = [
    ("rx_packets", o::<regs::GPRC>(), None),
    ("tx_packets", o::<regs::GPTC>(), None),
    ("rx_bytes", o::<regs::GORCL>(), Some(o::<regs::GORCH>())),
    ("tx_bytes", o::<regs::GOTCL>(), Some(o::<regs::GOTCH>())),
    ("rx_broadcast", o::<regs::BPRC>(), None),
    ("tx_broadcast", o::<regs::BPTC>(), None),
    ("rx_multicast", o::<regs::MPRC>(), None),
    ("tx_multicast", o::<regs::MPTC>(), None),
    ("rx_total_packets", o::<regs::TPR>(), None),
    ("tx_total_packets", o::<regs::TPT>(), None),
    ("rx_total_bytes", o::<regs::TORL>(), Some(o::<regs::TORH>())),
    ("tx_total_bytes", o::<regs::TOTL>(), Some(o::<regs::TOTH>())),
    ("rx_crc_errors", o::<regs::CRCERRS>(), None),
    ("rx_missed_errors", o::<regs::MPC>(), None),
    ("rx_no_buffer_count", o::<regs::RNBC>(), None),
    ("rx_long_length_errors", o::<regs::ROC>(), None),
    ("rx_short_length_errors", o::<regs::RUC>(), None),
    ("rx_length_errors", o::<regs::RLEC>(), None),
    ("tx_flow_control_xon", o::<regs::XONTXC>(), None),
    ("rx_flow_control_xon", o::<regs::XONRXC>(), None),
    ("tx_flow_control_xoff", o::<regs::XOFFTXC>(), None),
    ("rx_flow_control_xoff", o::<regs::XOFFRXC>(), None),
];

/// Positions in [`COMMON`] (and in a table that starts with it) of the counters the netdev
/// statistics use.
pub(crate) const RX_BYTES: usize = 2;
pub(crate) const TX_BYTES: usize = 3;
pub(crate) const MPRC: usize = 6;
pub(crate) const CRCERRS: usize = 12;
pub(crate) const MPC: usize = 13;
pub(crate) const ROC: usize = 15;
pub(crate) const RLEC: usize = 17;
/// XON sent; XON received, XOFF sent and XOFF received follow.
pub(crate) const XON_TX: usize = 18;

/// [`COMMON`] followed by a family's own counters `extra` (`N` is their total length).
pub(crate) const fn with_common<const E: usize, const N: usize>(extra: [HwStat; E]) -> [HwStat; N] {
    assert!(COMMON.len() + E == N);
    let mut out: [HwStat; N] = [("", 0, None); N];
    let mut i = 0;
    while i < COMMON.len() {
        out[i] = COMMON[i];
        i += 1;
    }
    while i < N {
        out[i] = extra[i - COMMON.len()];
        i += 1;
    }
    out
}

/// Reads the registers of `table` (clearing them): `f(index in table, value)`.
pub(crate) fn read(bar: &Bar0<'_>, table: &[HwStat], mut f: impl FnMut(usize, u64)) {
    for (i, (_, lo, hi)) in table.iter().enumerate() {
        // Low first: reading the high half clears both.
        let mut v = u64::from(regs::read_offset(bar, *lo));
        if let Some(hi) = hi {
            v |= u64::from(regs::read_offset(bar, *hi)) << 32;
        }
        f(i, v);
    }
}

/// Reads the registers of `table` into the running `totals` (one per entry); returns the
/// good bytes received and sent since the last read. The caller serialises readers.
pub(crate) fn accumulate(bar: &Bar0<'_>, table: &[HwStat], totals: &[AtomicU64]) -> (u64, u64) {
    let mut bytes = (0, 0);
    read(bar, table, |i, v| {
        match i {
            RX_BYTES => bytes.0 = v,
            TX_BYTES => bytes.1 = v,
            _ => {}
        }
        if let Some(total) = totals.get(i) {
            total.fetch_add(v, Ordering::Relaxed);
        }
    });
    bytes
}
