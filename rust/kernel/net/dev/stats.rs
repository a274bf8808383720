// SPDX-License-Identifier: GPL-2.0

//! Statistics a driver reports: per-CPU counter types, `rtnl_link_stats64` and the per-queue
//! netlink `qstats`.

use crate::bindings;

/// Which per-CPU statistics the core allocates (and frees) for a device
/// (`enum netdev_stat_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PcpuStats {
    /// None: the driver keeps its own counters.
    None,
    /// `struct pcpu_lstats` (packets and bytes, as loopback and veth count them): enables
    /// [`Device::lstats_add`](super::Device::lstats_add) and
    /// [`Device::lstats_read`](super::Device::lstats_read).
    Lstats,
}

/// Network device statistics, filled in by [`Driver::get_stats64`](super::Driver::get_stats64)
/// (`struct rtnl_link_stats64`).
#[repr(transparent)]
pub struct Stats64(bindings::rtnl_link_stats64);

macro_rules! stats_setters {
    ($($(#[$m:meta])* $field:ident),* $(,)?) => {
        impl Stats64 {
            $(
                $(#[$m])*
                pub fn $field(&mut self, value: u64) -> &mut Self {
                    self.0.$field = value;
                    self
                }
            )*
        }
    };
}

stats_setters!(
    /// Sets packets received.
    rx_packets,
    /// Sets packets transmitted.
    tx_packets,
    /// Sets bytes received.
    rx_bytes,
    /// Sets bytes transmitted.
    tx_bytes,
    /// Sets bad packets received.
    rx_errors,
    /// Sets transmit errors.
    tx_errors,
    /// Sets received packets dropped by the device or driver.
    rx_dropped,
    /// Sets packets dropped on transmit.
    tx_dropped,
    /// Sets multicast packets received.
    multicast,
    /// Sets collisions.
    collisions,
    /// Sets received frames with a length error.
    rx_length_errors,
    /// Sets received frames with a CRC error.
    rx_crc_errors,
    /// Sets receiver FIFO overruns.
    rx_fifo_errors,
    /// Sets received frames missed by the device.
    rx_missed_errors,
);

macro_rules! queue_stats {
    ($(#[$m:meta])* $name:ident, $raw:ident, $dir:literal) => {
        $(#[$m])*
        #[repr(transparent)]
        pub struct $name(bindings::$raw);

        impl $name {
            #[doc = concat!("Sets packets and bytes ", $dir, " on the queue.")]
            pub fn set(&mut self, packets: u64, bytes: u64) -> &mut Self {
                self.0.packets = packets;
                self.0.bytes = bytes;
                self
            }

            /// Sets packets the driver dropped on the queue (`hw_drops`).
            pub fn set_drops(&mut self, drops: u64) -> &mut Self {
                self.0.hw_drops = drops;
                self
            }
        }
    };
}

/// A counter the driver did not set (`NETDEV_STAT_NOT_SET`): the core skips it.
const STAT_NOT_SET: u64 = !0;

impl QueueStatsRx {
    /// Sets receive buffer allocations that failed on the queue (`alloc_fail`, netlink
    /// `rx-alloc-fail`): the frames the device could not be given a buffer for.
    pub fn set_alloc_fail(&mut self, failures: u64) -> &mut Self {
        self.0.alloc_fail = failures;
        self
    }

    /// Counters not set, as the core hands them to a driver.
    pub(crate) fn not_set() -> Self {
        const SIZE: usize = size_of::<bindings::netdev_queue_stats_rx>();
        // SAFETY: `netdev_queue_stats_rx` holds only `u64` counters; all bits set is a valid
        // value of each (and means "not set").
        Self(unsafe {
            core::mem::transmute::<[u8; SIZE], bindings::netdev_queue_stats_rx>([0xff; SIZE])
        })
    }

    /// Zeroes in `base` every counter that `queue` has set: the base statistics of a device
    /// (counts of queues that no longer exist) must set the counters its queues report for the
    /// core to report them for the whole device.
    pub(crate) fn zero_base_of(queue: &Self, base: &mut bindings::netdev_queue_stats_rx) {
        let q = &queue.0;
        for (set, field) in [
            (q.packets, &mut base.packets),
            (q.bytes, &mut base.bytes),
            (q.alloc_fail, &mut base.alloc_fail),
            (q.hw_drops, &mut base.hw_drops),
        ] {
            if set != STAT_NOT_SET {
                *field = 0;
            }
        }
    }
}

queue_stats!(
    /// Per-queue receive counters reported through netlink `qstats`
    /// (`struct netdev_queue_stats_rx`). Counters the driver does not set are reported as not
    /// collected.
    QueueStatsRx,
    netdev_queue_stats_rx,
    "received"
);
queue_stats!(
    /// Per-queue transmit counters reported through netlink `qstats`
    /// (`struct netdev_queue_stats_tx`).
    QueueStatsTx,
    netdev_queue_stats_tx,
    "transmitted"
);
