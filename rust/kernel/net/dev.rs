// SPDX-License-Identifier: GPL-2.0

//! Network devices (`struct net_device`).
//!
//! C headers: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h),
//! [`include/linux/etherdevice.h`](srctree/include/linux/etherdevice.h).
//!
//! A driver describes its device with a [`Driver`] implementation: the `net_device_ops`
//! callbacks it supports (a `#[vtable]` trait: unimplemented callbacks stay NULL, so the core's
//! defaults apply), the private data each device carries, and how a fresh device is set up. A
//! [`Registration`] allocates, sets up and registers one device and undoes all of it on drop, so
//! a failed probe or a module unload cannot leak a device.

use crate::{
    bindings,
    error::{from_result, to_result, VTABLE_DEFAULT_ERROR},
    net::{ethtool, skbuff::SkBuff},
    prelude::*,
    sync::rcu,
    time::msecs_to_jiffies,
    types::Opaque,
};
use core::{
    marker::PhantomData,
    ptr::NonNull,
    sync::atomic::{AtomicPtr, Ordering},
};

mod bus;
mod irq;

pub use bus::BusRegistration;
pub use irq::{IrqHandler, IrqReturn, IrqVectors, NetIrq};

/// Interface flags (`IFF_*` of `enum net_device_flags`) for [`DeviceSetup::add_flags`].
pub mod flags {
    use crate::bindings;

    /// The device does not use ARP: neighbours resolve to the device's own address.
    pub const NOARP: u32 = bindings::net_device_flags_IFF_NOARP;
    /// The device supports broadcast.
    pub const BROADCAST: u32 = bindings::net_device_flags_IFF_BROADCAST;
    /// The device supports multicast.
    pub const MULTICAST: u32 = bindings::net_device_flags_IFF_MULTICAST;
    /// Point-to-point link.
    pub const POINTOPOINT: u32 = bindings::net_device_flags_IFF_POINTOPOINT;
}

/// Private interface flags (`enum netdev_priv_flags`) for [`DeviceSetup::add_priv_flags`].
pub mod priv_flags {
    use crate::bindings;

    /// The MAC address may change while the device is up.
    pub const LIVE_ADDR_CHANGE: u64 = bindings::netdev_priv_flags_IFF_LIVE_ADDR_CHANGE as u64;
    /// The device runs without a qdisc (software devices that never push back).
    pub const NO_QUEUE: u64 = bindings::netdev_priv_flags_IFF_NO_QUEUE as u64;
    /// The device does not share its skbs' data between transmit calls.
    pub const TX_SKB_SHARING: u64 = bindings::netdev_priv_flags_IFF_TX_SKB_SHARING as u64;
    /// Needed headroom is only a hint (`IFF_PHONY_HEADROOM`).
    pub const PHONY_HEADROOM: u64 = bindings::netdev_priv_flags_IFF_PHONY_HEADROOM as u64;
    /// netpoll (netconsole) is not supported on the device.
    pub const DISABLE_NETPOLL: u64 = bindings::netdev_priv_flags_IFF_DISABLE_NETPOLL as u64;
}

/// Offload features (`NETIF_F_*`), as bits of `netdev_features_t`.
pub mod features {
    use crate::bindings;

    macro_rules! feature {
        ($(#[$m:meta])* $name:ident = $bit:ident) => {
            $(#[$m])*
            pub const $name: u64 = 1u64 << bindings::$bit;
        };
    }

    feature!(/// Scatter/gather I/O.
        SG = NETIF_F_SG_BIT);
    feature!(/// Can checksum any protocol (`NETIF_F_HW_CSUM`).
        HW_CSUM = NETIF_F_HW_CSUM_BIT);
    feature!(/// Receive checksum offload.
        RXCSUM = NETIF_F_RXCSUM_BIT);
    feature!(/// Receive hashing offload (the device's flow hash in `skb->hash`).
        RXHASH = NETIF_F_RXHASH_BIT);
    feature!(/// Can checksum TCP/UDP over IPv4 (`NETIF_F_IP_CSUM`).
        IP_CSUM = NETIF_F_IP_CSUM_BIT);
    feature!(/// Can checksum TCP/UDP over IPv6 (`NETIF_F_IPV6_CSUM`).
        IPV6_CSUM = NETIF_F_IPV6_CSUM_BIT);
    feature!(/// Can DMA to high memory.
        HIGHDMA = NETIF_F_HIGHDMA_BIT);
    feature!(/// Handles frag lists (`NETIF_F_FRAGLIST`).
        FRAGLIST = NETIF_F_FRAGLIST_BIT);
    feature!(/// TCP segmentation offload for IPv4.
        TSO = NETIF_F_TSO_BIT);
    feature!(/// TCP segmentation offload for IPv6.
        TSO6 = NETIF_F_TSO6_BIT);
    feature!(/// TSO with ECN.
        TSO_ECN = NETIF_F_TSO_ECN_BIT);
    feature!(/// TSO may mangle the IPv4 ID.
        TSO_MANGLEID = NETIF_F_TSO_MANGLEID_BIT);
    feature!(/// TSO for TCP with accurate ECN, which must not clear CWR (`NETIF_F_GSO_ACCECN`).
        GSO_ACCECN = NETIF_F_GSO_ACCECN_BIT);
    feature!(/// UDP segmentation offload (`NETIF_F_GSO_UDP_L4`).
        GSO_UDP_L4 = NETIF_F_GSO_UDP_L4_BIT);
    feature!(/// SCTP GSO.
        GSO_SCTP = NETIF_F_GSO_SCTP_BIT);
    feature!(/// Frag-list GSO.
        GSO_FRAGLIST = NETIF_F_GSO_FRAGLIST_BIT);
    feature!(/// SCTP CRC32c offload.
        SCTP_CRC = NETIF_F_SCTP_CRC_BIT);
    feature!(/// Generic receive offload.
        GRO = NETIF_F_GRO_BIT);
    feature!(/// Cannot handle VLAN frames.
        VLAN_CHALLENGED = NETIF_F_VLAN_CHALLENGED_BIT);
    feature!(/// Loopback enabled (`NETIF_F_LOOPBACK`).
        LOOPBACK = NETIF_F_LOOPBACK_BIT);
    feature!(/// Transmit VLAN CTAG offload.
        HW_VLAN_CTAG_TX = NETIF_F_HW_VLAN_CTAG_TX_BIT);
    feature!(/// Receive VLAN CTAG offload.
        HW_VLAN_CTAG_RX = NETIF_F_HW_VLAN_CTAG_RX_BIT);
    feature!(/// Transmit VLAN STAG offload.
        HW_VLAN_STAG_TX = NETIF_F_HW_VLAN_STAG_TX_BIT);
    feature!(/// Receive VLAN STAG offload.
        HW_VLAN_STAG_RX = NETIF_F_HW_VLAN_STAG_RX_BIT);
    feature!(/// GRE segmentation.
        GSO_GRE = NETIF_F_GSO_GRE_BIT);
    feature!(/// GRE with checksum segmentation.
        GSO_GRE_CSUM = NETIF_F_GSO_GRE_CSUM_BIT);
    feature!(/// IP-in-IPv4 segmentation.
        GSO_IPXIP4 = NETIF_F_GSO_IPXIP4_BIT);
    feature!(/// IP-in-IPv6 segmentation.
        GSO_IPXIP6 = NETIF_F_GSO_IPXIP6_BIT);
    feature!(/// UDP tunnel segmentation.
        GSO_UDP_TUNNEL = NETIF_F_GSO_UDP_TUNNEL_BIT);
    feature!(/// UDP tunnel with checksum segmentation.
        GSO_UDP_TUNNEL_CSUM = NETIF_F_GSO_UDP_TUNNEL_CSUM_BIT);

    /// All encapsulation GSO types (`NETIF_F_GSO_ENCAP_ALL`).
    pub const GSO_ENCAP_ALL: u64 =
        GSO_GRE | GSO_GRE_CSUM | GSO_IPXIP4 | GSO_IPXIP6 | GSO_UDP_TUNNEL | GSO_UDP_TUNNEL_CSUM;

    /// The software GSO types the stack segments late if the device advertises them
    /// (`NETIF_F_GSO_SOFTWARE`).
    pub const GSO_SOFTWARE: u64 =
        TSO | TSO_ECN | TSO6 | TSO_MANGLEID | GSO_ACCECN | GSO_SCTP | GSO_UDP_L4 | GSO_FRAGLIST;
}

/// Which per-CPU statistics the core allocates (and frees) for a device
/// (`enum netdev_stat_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PcpuStats {
    /// None: the driver keeps its own counters.
    None,
    /// `struct pcpu_lstats` (packets and bytes, as loopback and veth count them): enables
    /// [`Device::lstats_add`] and [`Device::lstats_read`].
    Lstats,
}

/// Result of a transmit attempt, as returned from [`Driver::start_xmit`].
pub enum TxOutcome {
    /// The buffer was accepted (`NETDEV_TX_OK`); the driver consumed or queued it.
    Ok,
    /// The device cannot take the buffer now (`NETDEV_TX_BUSY`); it is handed back to the core,
    /// which requeues it. Only valid when the queue was stopped first.
    Busy(SkBuff),
}

/// Network device statistics, filled in by [`Driver::get_stats64`]
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

/// A socket address handed to [`Driver::set_mac_address`] (`struct sockaddr`).
#[repr(transparent)]
pub struct SockAddr(Opaque<bindings::sockaddr>);

impl SockAddr {
    /// The first `ETH_ALEN` bytes of the address data: the requested MAC address.
    pub fn mac(&self) -> [u8; 6] {
        let mut mac = [0u8; 6];
        // SAFETY: `self` wraps a valid `sockaddr`, whose address data (after the 2-byte family)
        // holds 14 bytes; the kernel's `c_char` is `u8`.
        let data = unsafe { &(*self.0.get()).sa_data };
        mac.copy_from_slice(&data[..6]);
        mac
    }
}

/// What the private area (`netdev_priv`) of a device created by these abstractions holds.
#[repr(C)]
pub(crate) struct Priv<T: Driver> {
    /// The other end of a paired device (see [`crate::net::rtnl`]), published with release
    /// semantics and read under RCU; null for unpaired devices.
    pub(crate) peer: AtomicPtr<bindings::net_device>,
    /// Deferred work items of the device (see [`Device::queue_work`]); cancelled before the
    /// driver's data is dropped.
    works: [DevWork; WORKS],
    /// The bus device the net device belongs to, if any (see [`BusRegistration`]).
    bus: bus::BusState,
    /// The driver's data.
    pub(crate) data: T::Data,
}

/// How many deferred work items (ids `0..WORKS`) each device has, see [`Device::queue_work`].
pub const WORKS: usize = 2;

/// A `delayed_work` that knows its device and id.
#[repr(C)]
struct DevWork {
    /// First member, so the `work_struct` (first member of `delayed_work`) leads here.
    dw: Opaque<bindings::delayed_work>,
    dev: *mut bindings::net_device,
    id: u32,
}

impl<T: Driver> Drop for Priv<T> {
    fn drop(&mut self) {
        for w in &self.works {
            // Disabled, not just cancelled: a work item may re-arm another (or itself) while
            // this loop runs; once disabled, queueing it is refused, so after the loop none is
            // queued or running.
            // SAFETY: Initialised in `init_header`. Waits for a running callback, which may
            // still use the driver data: that is why this runs before the data is dropped.
            unsafe { bindings::disable_delayed_work_sync(w.dw.get()) };
        }
    }
}

impl<T: Driver> Priv<T> {
    /// The private area of `dev`.
    ///
    /// # Safety
    ///
    /// `dev` must be a valid net_device whose private area was sized for `Priv<T>`.
    pub(crate) unsafe fn from_dev(dev: *mut bindings::net_device) -> *mut Self {
        // SAFETY: Guaranteed by the caller.
        unsafe { bindings::netdev_priv(dev) }.cast()
    }

    /// Initialises everything but the driver data: no peer, idle work items, no bus device.
    ///
    /// # Safety
    ///
    /// `dev` must be a valid net_device whose private area was sized for `Priv<T>` and is not
    /// in use yet.
    pub(crate) unsafe fn init_header(dev: *mut bindings::net_device) {
        // SAFETY: Guaranteed by the caller.
        let this = unsafe { Self::from_dev(dev) };
        // SAFETY: `this` is valid for writes (caller); fields are written before use.
        unsafe {
            core::ptr::addr_of_mut!((*this).peer).write(AtomicPtr::new(core::ptr::null_mut()));
            core::ptr::addr_of_mut!((*this).bus).write(bus::BusState::default());
            let works = core::ptr::addr_of_mut!((*this).works).cast::<DevWork>();
            for id in 0..WORKS {
                let w = works.add(id);
                core::ptr::addr_of_mut!((*w).dev).write(dev);
                core::ptr::addr_of_mut!((*w).id).write(id as u32);
                bindings::rnet_init_delayed_work(
                    Opaque::cast_into(core::ptr::addr_of!((*w).dw)),
                    Some(work_callback::<T>),
                );
            }
        }
    }

    /// Checks at compile time that the private area's alignment suffices.
    pub(crate) const ALIGN_OK: () = assert!(
        core::mem::align_of::<Self>() <= bindings::NETDEV_ALIGN as usize,
        "private data needs more than NETDEV_ALIGN"
    );
}

/// # Safety
///
/// Called by the workqueue for a work item initialised in [`Priv::init_header`].
unsafe extern "C" fn work_callback<T: Driver>(work: *mut bindings::work_struct) {
    // SAFETY: `work` is the first member of the `delayed_work`, the first member of a
    // `DevWork` (both `repr(C)`), which lives in the private area of its device.
    let w = unsafe { &*work.cast::<DevWork>() };
    // SAFETY: The work is cancelled (synchronously) before the data is dropped and the device
    // freed, so both are valid while it runs.
    let dev = unsafe { Device::<T>::from_raw(w.dev) };
    T::run_work(dev, w.id);
}

/// Holds the RTNL lock (`rtnl_lock`) until dropped; derefs to the [`Rtnl`] proof.
pub struct RtnlGuard(Rtnl);

/// Takes the RTNL lock, e.g. in a work item that reconfigures a device.
pub fn rtnl_lock() -> RtnlGuard {
    // SAFETY: Process context is required by the caller's context (work items are).
    unsafe { bindings::rtnl_lock() };
    RtnlGuard(Rtnl(PhantomData))
}

impl core::ops::Deref for RtnlGuard {
    type Target = Rtnl;
    fn deref(&self) -> &Rtnl {
        &self.0
    }
}

impl Drop for RtnlGuard {
    fn drop(&mut self) {
        // SAFETY: Taken in `rtnl_lock`.
        unsafe { bindings::rtnl_unlock() };
    }
}

/// Fills `key` with the system's random RSS hash key (`netdev_rss_key_fill`), the same for
/// every device so flows hash alike.
pub fn rss_key_fill(key: &mut [u8]) {
    // SAFETY: `key` is valid for `len` bytes of writes.
    unsafe { bindings::netdev_rss_key_fill(key.as_mut_ptr().cast(), key.len()) }
}

/// The default number of RSS queues (`netif_get_num_default_rss_queues`).
pub fn default_rss_queues() -> u32 {
    // SAFETY: No preconditions.
    let queues = unsafe { bindings::netif_get_num_default_rss_queues() };
    // The function returns at least 1.
    u32::try_from(queues).unwrap_or(1)
}

/// The receive filter a driver must program, handed to [`Driver::set_rx_mode`] while the
/// device's address lists are locked.
pub struct RxMode<'a> {
    dev: *mut bindings::net_device,
    _p: PhantomData<&'a ()>,
}

impl RxMode<'_> {
    fn flag(&self, flag: u32) -> bool {
        // SAFETY: The device is valid for the callback; `flags` is a word the core changes
        // under RTNL and readers elsewhere read with `READ_ONCE`.
        let flags = unsafe { core::ptr::read_volatile(&raw const (*self.dev).flags) };
        flags & flag != 0
    }

    /// Receive every frame (`IFF_PROMISC`).
    pub fn promisc(&self) -> bool {
        self.flag(bindings::net_device_flags_IFF_PROMISC)
    }

    /// Receive all multicast frames (`IFF_ALLMULTI`).
    pub fn allmulti(&self) -> bool {
        self.flag(bindings::net_device_flags_IFF_ALLMULTI)
    }

    /// Number of multicast addresses subscribed to.
    pub fn mc_count(&self) -> usize {
        // SAFETY: The device is valid and its address lists locked for the callback
        // (`netdev_mc_count`).
        let count = unsafe { (*self.dev).mc.count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Number of secondary unicast addresses (macvlan, `bridge fdb add ... self`).
    pub fn uc_count(&self) -> usize {
        // SAFETY: As in `mc_count` (`netdev_uc_count`).
        let count = unsafe { (*self.dev).uc.count };
        usize::try_from(count).unwrap_or(0)
    }

    /// Calls `f` with each address of the multicast (`mc`) or unicast list
    /// (`netdev_for_each_mc_addr`/`netdev_for_each_uc_addr`).
    fn each<F: FnMut(&[u8; 6])>(&self, mc: bool, mut f: F) {
        // SAFETY: The device is valid; only the list head's address is computed.
        let head = unsafe {
            if mc {
                &raw mut (*self.dev).mc.list
            } else {
                &raw mut (*self.dev).uc.list
            }
        };
        // SAFETY: (for the whole block) The lists are locked (`netif_addr_lock`) for the
        // callback, so they do not change while we walk them; each entry is the `list` member
        // of a `netdev_hw_addr`, whose `addr` holds at least the 6 bytes of an Ethernet address.
        unsafe {
            let mut pos = (*head).next;
            while pos != head {
                let ha = crate::container_of!(pos, bindings::netdev_hw_addr, list);
                f(&*(&raw const (*ha).addr).cast::<[u8; 6]>());
                pos = (*pos).next;
            }
        }
    }

    /// Calls `f` for each multicast address.
    pub fn for_each_mc(&self, f: impl FnMut(&[u8; 6])) {
        self.each(true, f)
    }

    /// Calls `f` for each secondary unicast address.
    pub fn for_each_uc(&self, f: impl FnMut(&[u8; 6])) {
        self.each(false, f)
    }
}

/// Proof that the caller holds the RTNL lock, handed to callbacks the core calls under it.
pub struct Rtnl(PhantomData<*mut ()>);

impl Rtnl {
    /// # Safety
    ///
    /// The caller must hold the RTNL lock for the lifetime of the returned token.
    pub(crate) unsafe fn assume_held() -> Self {
        Self(PhantomData)
    }
}

/// A registered network device whose driver is `T`.
///
/// Handed to the [`Driver`] callbacks and reachable through a [`Registration`]. Only exists
/// while the device's private data is initialised.
///
/// # Invariants
///
/// `self.0` is a valid `struct net_device` allocated by this module with a private area that
/// holds an initialised `T::Data`.
#[repr(transparent)]
pub struct Device<T: Driver>(Opaque<bindings::net_device>, PhantomData<T>);

// SAFETY: All methods of `Device` are callable from any thread: they use the C API's own locking
// or atomics, and the private data is `Sync`.
unsafe impl<T: Driver> Sync for Device<T> {}
// SAFETY: See `Sync` above; a `Device` reference can move between threads.
unsafe impl<T: Driver> Send for Device<T> {}

impl<T: Driver> Device<T> {
    /// Creates a reference from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid net_device of driver `T` whose private area holds an
    /// initialised `T::Data`, valid for `'a`.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::net_device) -> &'a Self {
        // SAFETY: `Device` is a transparent wrapper; validity is guaranteed by the caller.
        unsafe { &*ptr.cast() }
    }

    /// The raw `struct net_device` pointer.
    pub fn as_raw(&self) -> *mut bindings::net_device {
        self.0.get()
    }

    /// The driver's private data (`netdev_priv`).
    pub fn data(&self) -> &T::Data {
        // SAFETY: By the type invariant the private area holds an initialised `Priv<T>`, which
        // lives as long as the device.
        unsafe { &(*Priv::<T>::from_dev(self.as_raw())).data }
    }

    /// The other end of a paired device, if it has one and it still exists
    /// (`rcu_dereference(priv->peer)`). The reference cannot outlive the RCU critical section:
    /// once unlinked, a peer is only freed after a grace period.
    pub fn peer<'g>(&self, _guard: &'g rcu::Guard) -> Option<&'g Device<T>> {
        // SAFETY: The private area holds an initialised `Priv<T>`.
        let peer = unsafe { &(*Priv::<T>::from_dev(self.as_raw())).peer }.load(Ordering::Acquire);
        // SAFETY: Peers are only linked by `rtnl::NewLink::create_pair` to registered devices of
        // the same driver, and unlinked (in `dellink`) before they are unregistered, so a
        // non-null pointer read under RCU stays valid until the guard is dropped.
        (!peer.is_null()).then(|| unsafe { Device::from_raw(peer) })
    }

    /// The peer, under RTNL, which keeps it from being unlinked and freed.
    pub fn peer_rtnl<'r>(&self, _rtnl: &'r Rtnl) -> Option<&'r Device<T>> {
        // SAFETY: The private area holds an initialised `Priv<T>`.
        let peer = unsafe { &(*Priv::<T>::from_dev(self.as_raw())).peer }.load(Ordering::Acquire);
        // SAFETY: Unlinking and unregistration happen under RTNL, which the caller holds.
        (!peer.is_null()).then(|| unsafe { Device::from_raw(peer) })
    }

    /// The bus-device state of the device (see [`BusRegistration`]).
    pub(crate) fn bus(&self) -> &bus::BusState {
        // SAFETY: The private area holds an initialised `Priv<T>`.
        unsafe { &(*Priv::<T>::from_dev(self.as_raw())).bus }
    }

    /// Number of receive queues allocated (`num_rx_queues`), the maximum for
    /// [`Device::set_real_num_rx_queues`].
    pub fn num_rx_queues(&self) -> u32 {
        // SAFETY: The net_device is valid; the field is set at allocation.
        unsafe { (*self.as_raw()).num_rx_queues }
    }

    /// Number of transmit queues allocated (`num_tx_queues`).
    pub fn num_tx_queues(&self) -> u32 {
        // SAFETY: The net_device is valid; the field is set at allocation.
        unsafe { (*self.as_raw()).num_tx_queues }
    }

    /// Number of receive queues in use (`real_num_rx_queues`).
    pub fn real_num_rx_queues(&self) -> u32 {
        // SAFETY: The net_device is valid; a word read of a field changed under RTNL.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).real_num_rx_queues) }
    }

    /// Number of transmit queues in use (`real_num_tx_queues`).
    pub fn real_num_tx_queues(&self) -> u32 {
        // SAFETY: The net_device is valid; a word read of a field changed under RTNL, read with
        // `READ_ONCE` in C.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).real_num_tx_queues) }
    }

    /// Changes the number of receive queues in use (`netif_set_real_num_rx_queues`).
    pub fn set_real_num_rx_queues(&self, _rtnl: &Rtnl, count: u32) -> Result {
        // SAFETY: The net_device is valid and RTNL is held.
        to_result(unsafe { bindings::netif_set_real_num_rx_queues(self.as_raw(), count) })
    }

    /// Changes the number of transmit queues in use (`netif_set_real_num_tx_queues`).
    pub fn set_real_num_tx_queues(&self, _rtnl: &Rtnl, count: u32) -> Result {
        // SAFETY: The net_device is valid and RTNL is held.
        to_result(unsafe { bindings::netif_set_real_num_tx_queues(self.as_raw(), count) })
    }

    /// The currently enabled features (see [`features`]).
    pub fn features(&self) -> u64 {
        // SAFETY: The net_device is valid; `features` changes under RTNL and is read with
        // `READ_ONCE` elsewhere.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).features) }
    }

    /// Turns features off in both the active and the user-wanted sets and recomputes the
    /// active set (`netdev_update_features`), e.g. to start with GRO off as veth does.
    pub fn clear_wanted_features(&self, _rtnl: &Rtnl, features: u64) {
        let dev = self.as_raw();
        // SAFETY: The net_device is valid and RTNL, which serialises feature changes, is held.
        unsafe {
            (*dev).features &= !features;
            (*dev).wanted_features &= !features;
            bindings::netdev_update_features(dev);
        }
    }

    /// The interface name, e.g. `rlo0`.
    pub fn name(&self) -> &CStr {
        // SAFETY: `name` is a NUL-terminated array inside the valid net_device; renames happen
        // under RTNL in place and always keep it terminated.
        unsafe { CStr::from_char_ptr((*self.as_raw()).name.as_ptr()) }
    }

    /// The interface index.
    pub fn ifindex(&self) -> i32 {
        // SAFETY: The net_device is valid; `ifindex` is set at registration and stable.
        unsafe { (*self.as_raw()).ifindex }
    }

    /// The current MTU.
    pub fn mtu(&self) -> u32 {
        // SAFETY: The net_device is valid; the MTU is a word the core updates atomically.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).mtu) }
    }

    /// The current hardware address.
    pub fn dev_addr(&self) -> [u8; 6] {
        let mut mac = [0u8; 6];
        // SAFETY: `dev_addr` points to `addr_len` (6 for Ethernet) valid bytes while the device
        // exists.
        let src = unsafe { core::slice::from_raw_parts((*self.as_raw()).dev_addr, 6) };
        mac.copy_from_slice(src);
        mac
    }

    /// Whether the interface is administratively up (`netif_running`).
    pub fn is_running(&self) -> bool {
        // SAFETY: The net_device is valid.
        unsafe { bindings::netif_running(self.as_raw()) }
    }

    /// Signals that the link is up (`netif_carrier_on`).
    pub fn carrier_on(&self) {
        // SAFETY: The net_device is valid; the function does its own synchronisation.
        unsafe { bindings::netif_carrier_on(self.as_raw()) }
    }

    /// Signals that the link is down (`netif_carrier_off`).
    pub fn carrier_off(&self) {
        // SAFETY: The net_device is valid; the function does its own synchronisation.
        unsafe { bindings::netif_carrier_off(self.as_raw()) }
    }

    /// Whether the link is up (`netif_carrier_ok`).
    pub fn carrier_ok(&self) -> bool {
        // SAFETY: The net_device is valid.
        unsafe { bindings::netif_carrier_ok(self.as_raw()) }
    }

    /// Allows the core to call `start_xmit` (`netif_start_queue`).
    pub fn start_queue(&self) {
        // SAFETY: The net_device is valid and registered.
        unsafe { bindings::netif_start_queue(self.as_raw()) }
    }

    /// Stops the core from calling `start_xmit` (`netif_stop_queue`), e.g. when the ring is full.
    pub fn stop_queue(&self) {
        // SAFETY: The net_device is valid and registered.
        unsafe { bindings::netif_stop_queue(self.as_raw()) }
    }

    /// Restarts a stopped queue and reschedules transmission (`netif_wake_queue`).
    pub fn wake_queue(&self) {
        // SAFETY: The net_device is valid and registered.
        unsafe { bindings::netif_wake_queue(self.as_raw()) }
    }

    /// Whether the (first) transmit queue is stopped.
    pub fn queue_stopped(&self) -> bool {
        // SAFETY: The net_device is valid and registered.
        unsafe { bindings::netif_queue_stopped(self.as_raw()) }
    }

    /// Stops all transmit queues, waiting for running `start_xmit` calls (`netif_tx_disable`).
    pub fn tx_disable(&self) {
        // SAFETY: The net_device is valid and registered.
        unsafe { bindings::netif_tx_disable(self.as_raw()) }
    }

    /// Transmit queue `queue` (`netdev_get_tx_queue`), if the device has it.
    fn txq(&self, queue: u32) -> Option<*mut bindings::netdev_queue> {
        let dev = self.as_raw();
        // SAFETY: The net_device is valid; `_tx` is an array of `num_tx_queues` queues allocated
        // with the device, and `queue` is checked against that count.
        unsafe { (queue < (*dev).num_tx_queues).then(|| (*dev)._tx.add(queue as usize)) }
    }

    /// Stops transmit queue `queue` (`netif_tx_stop_queue`); out-of-range queues are ignored.
    pub fn stop_subqueue(&self, queue: u32) {
        if let Some(txq) = self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::netif_tx_stop_queue(txq) }
        }
    }

    /// Wakes transmit queue `queue` (`netif_tx_wake_queue`); out-of-range queues are ignored.
    pub fn wake_subqueue(&self, queue: u32) {
        if let Some(txq) = self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::netif_tx_wake_queue(txq) }
        }
    }

    /// Whether transmit queue `queue` is stopped (out-of-range queues count as stopped).
    pub fn subqueue_stopped(&self, queue: u32) -> bool {
        self.txq(queue).is_none_or(|txq| {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::netif_tx_queue_stopped(txq) }
        })
    }

    /// Allows transmission on all queues (`netif_tx_start_all_queues`).
    pub fn start_all_queues(&self) {
        // SAFETY: The net_device is valid.
        unsafe { bindings::netif_tx_start_all_queues(self.as_raw()) }
    }

    /// Wakes all transmit queues (`netif_tx_wake_all_queues`).
    pub fn wake_all_queues(&self) {
        // SAFETY: The net_device is valid.
        unsafe { bindings::netif_tx_wake_all_queues(self.as_raw()) }
    }

    /// Byte queue limits: `bytes` were handed to the device on transmit queue `queue`
    /// (`netdev_tx_sent_queue`); may stop the queue until completions catch up. Out-of-range
    /// queues are ignored.
    pub fn tx_sent_queue(&self, queue: u32, bytes: u32) {
        if let Some(txq) = self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::netdev_tx_sent_queue(txq, bytes) }
        }
    }

    /// Byte queue limits: the device completed `packets`/`bytes` on `queue`
    /// (`netdev_tx_completed_queue`); may wake the queue. Out-of-range queues are ignored.
    pub fn tx_completed_queue(&self, queue: u32, packets: u32, bytes: u32) {
        if let Some(txq) = self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::netdev_tx_completed_queue(txq, packets, bytes) }
        }
    }

    /// Byte queue limits: forgets what is in flight on `queue` (`netdev_tx_reset_queue`),
    /// after the ring was cleaned without completions. Out-of-range queues are ignored.
    pub fn tx_reset_queue(&self, queue: u32) {
        if let Some(txq) = self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::netdev_tx_reset_queue(txq) }
        }
    }

    /// Queues deferred work item `id` (`0..WORKS`) to run [`Driver::run_work`] after
    /// `delay_ms` on the system workqueue; no-op if already queued. Returns whether it was
    /// queued now. Pending work is cancelled before the device's data is dropped.
    pub fn queue_work(&self, id: u32, delay_ms: u32) -> bool {
        self.work(id).is_some_and(|w| {
            // SAFETY: The work was initialised in `Priv::init_header`; `system_percpu_wq` (what
            // `system_wq` was) exists from early boot on.
            unsafe {
                bindings::queue_delayed_work_on(
                    bindings::wq_misc_consts_WORK_CPU_UNBOUND as c_int,
                    bindings::system_percpu_wq,
                    w,
                    msecs_to_jiffies(delay_ms),
                )
            }
        })
    }

    /// Like [`Device::queue_work`], but moves the timer of an already queued item.
    pub fn mod_work(&self, id: u32, delay_ms: u32) -> bool {
        self.work(id).is_some_and(|w| {
            // SAFETY: As in `queue_work`.
            unsafe {
                bindings::mod_delayed_work_on(
                    bindings::wq_misc_consts_WORK_CPU_UNBOUND as c_int,
                    bindings::system_percpu_wq,
                    w,
                    msecs_to_jiffies(delay_ms),
                )
            }
        })
    }

    /// Cancels work item `id` and waits for a running instance to finish
    /// (`cancel_delayed_work_sync`). Must not be called from that work item itself.
    pub fn cancel_work_sync(&self, id: u32) -> bool {
        self.work(id).is_some_and(|w| {
            // SAFETY: The work was initialised in `Priv::init_header`.
            unsafe { bindings::cancel_delayed_work_sync(w) }
        })
    }

    fn work(&self, id: u32) -> Option<*mut bindings::delayed_work> {
        // SAFETY: The private area holds an initialised `Priv<T>`.
        let works = unsafe { &(*Priv::<T>::from_dev(self.as_raw())).works };
        works.get(id as usize).map(|w| w.dw.get())
    }

    /// Adds one packet of `len` bytes to this CPU's `pcpu_lstats` (`dev_lstats_add`).
    ///
    /// Only available to drivers with [`Driver::PCPU_STATS`] = [`PcpuStats::Lstats`]; using it
    /// elsewhere fails the build.
    #[inline]
    pub fn lstats_add(&self, len: u32) {
        build_assert!(matches!(T::PCPU_STATS, PcpuStats::Lstats));
        // SAFETY: The core allocated `dev->lstats` at registration because the driver asked for
        // `PcpuStats::Lstats` (asserted above); it lives until the device is freed.
        unsafe { bindings::dev_lstats_add(self.as_raw(), len) }
    }

    /// Sums the per-CPU `pcpu_lstats` (`dev_lstats_read`): `(packets, bytes)`.
    pub fn lstats_read(&self) -> (u64, u64) {
        build_assert!(matches!(T::PCPU_STATS, PcpuStats::Lstats));
        let (mut packets, mut bytes) = (0u64, 0u64);
        // SAFETY: As in `lstats_add`; the out pointers are valid locals.
        unsafe { bindings::dev_lstats_read(self.as_raw(), &mut packets, &mut bytes) };
        (packets, bytes)
    }

    /// Counts a received packet dropped by the driver in the core's per-CPU counters
    /// (`dev_core_stats_rx_dropped_inc`, reported as `rx_dropped`).
    pub fn rx_dropped_inc(&self) {
        // SAFETY: The net_device is valid; the core allocates its counters on demand.
        unsafe { bindings::dev_core_stats_rx_dropped_inc(self.as_raw()) }
    }

    /// Counts a transmitted packet dropped by the driver (`dev_core_stats_tx_dropped_inc`).
    pub fn tx_dropped_inc(&self) {
        // SAFETY: The net_device is valid; the core allocates its counters on demand.
        unsafe { bindings::dev_core_stats_tx_dropped_inc(self.as_raw()) }
    }

    /// Sets the Ethernet address from a `SIOCSIFHWADDR`/netlink request (`eth_mac_addr`):
    /// rejects invalid (multicast or zero) addresses with `EADDRNOTAVAIL` and a running device
    /// without `IFF_LIVE_ADDR_CHANGE` with `EBUSY`.
    pub fn eth_mac_addr(&self, addr: &SockAddr) -> Result {
        // SAFETY: The net_device is valid and we are called under RTNL from
        // `ndo_set_mac_address`; `addr` wraps a valid sockaddr.
        to_result(unsafe { bindings::eth_mac_addr(self.as_raw(), addr.0.get().cast()) })
    }
}

/// Access to a freshly allocated, not yet registered device, for [`Driver::setup`].
///
/// The private data is not initialised yet, so it cannot be reached from here.
pub struct DeviceSetup<'a> {
    dev: NonNull<bindings::net_device>,
    _p: PhantomData<&'a mut bindings::net_device>,
}

impl DeviceSetup<'_> {
    /// # Safety
    ///
    /// `dev` must be a valid, unregistered net_device exclusively owned by the caller for `'a`.
    pub(crate) unsafe fn new(dev: NonNull<bindings::net_device>) -> Self {
        Self {
            dev,
            _p: PhantomData,
        }
    }

    fn raw(&mut self) -> &mut bindings::net_device {
        // SAFETY: By the constructor's contract the device is valid and exclusively ours.
        unsafe { self.dev.as_mut() }
    }

    /// Sets the accepted MTU range; the core rejects other values with `EINVAL` before the
    /// driver sees them.
    pub fn set_mtu_range(&mut self, min: u32, max: u32) -> &mut Self {
        let dev = self.raw();
        dev.min_mtu = min;
        dev.max_mtu = max;
        self
    }

    /// Sets the initial MTU.
    pub fn set_mtu(&mut self, mtu: u32) -> &mut Self {
        self.raw().mtu = mtu;
        self
    }

    /// Adds interface flags (see [`flags`]).
    pub fn add_flags(&mut self, flags: u32) -> &mut Self {
        self.raw().flags |= flags;
        self
    }

    /// Removes interface flags (see [`flags`]).
    pub fn clear_flags(&mut self, flags: u32) -> &mut Self {
        self.raw().flags &= !flags;
        self
    }

    /// Adds private flags (see [`priv_flags`]).
    pub fn add_priv_flags(&mut self, flags: u64) -> &mut Self {
        let fast = self.priv_flags_fast();
        fast.set_priv_flags(fast.priv_flags() | flags as c_ulong);
        self
    }

    /// Removes private flags (see [`priv_flags`]).
    pub fn clear_priv_flags(&mut self, flags: u64) -> &mut Self {
        let fast = self.priv_flags_fast();
        fast.set_priv_flags(fast.priv_flags() & !(flags as c_ulong));
        self
    }

    /// The `priv_flags_fast` group (`priv_flags` and `lltx`).
    fn priv_flags_fast(&mut self) -> &mut bindings::net_device__bindgen_ty_1__bindgen_ty_2 {
        // SAFETY: Both members of the `struct_group()` union describe the same bits.
        unsafe { &mut self.raw().__bindgen_anon_1.priv_flags_fast }
    }

    /// Sets the features of encapsulated traffic (`hw_enc_features`).
    pub fn set_hw_enc_features(&mut self, features: u64) -> &mut Self {
        self.raw().hw_enc_features = features;
        self
    }

    /// Sets the largest TSO frame the device accepts (`netif_set_tso_max_size`).
    pub fn set_tso_max_size(&mut self, size: u32) -> &mut Self {
        // SAFETY: The device is valid, unregistered and exclusively ours.
        unsafe { bindings::netif_set_tso_max_size(self.dev.as_ptr(), size) };
        self
    }

    /// Sets the enabled features (see [`features`]).
    pub fn set_features(&mut self, features: u64) -> &mut Self {
        self.raw().features = features;
        self
    }

    /// Sets the features the user may toggle with `ethtool -K`.
    pub fn set_hw_features(&mut self, features: u64) -> &mut Self {
        self.raw().hw_features = features;
        self
    }

    /// Sets the features inherited by VLAN devices stacked on this one.
    pub fn set_vlan_features(&mut self, features: u64) -> &mut Self {
        self.raw().vlan_features = features;
        self
    }

    /// Declares lockless transmit (`lltx`): the core does not take the queue lock around
    /// `start_xmit`; software devices that keep per-CPU state use this.
    pub fn set_lltx(&mut self, lltx: bool) -> &mut Self {
        self.priv_flags_fast().set_lltx(lltx.into());
        self
    }

    /// Sets the default transmit queue length (`txqueuelen`).
    pub fn set_tx_queue_len(&mut self, len: u32) -> &mut Self {
        self.raw().tx_queue_len = len;
        self
    }

    /// How long a stopped transmit queue may make no progress before
    /// [`Driver::tx_timeout`] is called.
    pub fn set_watchdog_timeo_ms(&mut self, ms: u32) -> &mut Self {
        self.raw().watchdog_timeo = msecs_to_jiffies(ms).try_into().unwrap_or(c_int::MAX);
        self
    }

    /// Starts the device without carrier (`netif_carrier_off`), as drivers do before
    /// registration: `open` then turns it on once the link is really up, which makes the
    /// core report the operational state as `UP` rather than `UNKNOWN`.
    pub fn carrier_off(&mut self) -> &mut Self {
        // SAFETY: The device is valid; before registration this only sets the state bit.
        unsafe { bindings::netif_carrier_off(self.dev.as_ptr()) };
        self
    }

    /// Sets the permanent MAC address read from the hardware (`eth_hw_addr_set`).
    pub fn set_mac_address(&mut self, mac: &[u8; 6]) -> &mut Self {
        // SAFETY: The device is valid and not yet registered; `mac` has `ETH_ALEN` bytes.
        unsafe { bindings::eth_hw_addr_set(self.dev.as_ptr(), mac.as_ptr()) };
        self
    }

    /// Sets the parent device in sysfs (`SET_NETDEV_DEV`), e.g. the PCI function.
    pub fn set_parent(&mut self, parent: &crate::device::Device) -> &mut Self {
        self.raw().dev.parent = parent.as_raw();
        self
    }

    /// Gives the device a random locally administered MAC address (`eth_hw_addr_random`).
    pub fn eth_hw_addr_random(&mut self) -> &mut Self {
        // SAFETY: The device is valid and not yet registered, so nothing else reads the address.
        unsafe { bindings::eth_hw_addr_random(self.dev.as_ptr()) };
        self
    }
}

/// A network device driver: `net_device_ops` callbacks plus per-device data and setup.
///
/// Callbacks not implemented stay NULL in the ops table, so the core's default behaviour
/// applies (e.g. without `change_mtu` the core sets the MTU itself after checking it against
/// the range from [`DeviceSetup::set_mtu_range`]).
#[vtable]
pub trait Driver: Sized + 'static {
    /// Per-device private data, stored in the net_device's private area.
    type Data: Send + Sync;

    /// Per-CPU statistics the core allocates for the device.
    const PCPU_STATS: PcpuStats = PcpuStats::None;

    /// Fills in a freshly allocated device (after `ether_setup`), before its data is
    /// initialised and before registration.
    fn setup(_dev: &mut DeviceSetup<'_>) {}

    /// The interface is brought up (`ndo_open`).
    fn open(_dev: &Device<Self>, _rtnl: &Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// The interface is brought down (`ndo_stop`).
    fn stop(_dev: &Device<Self>, _rtnl: &Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Runs deferred work item `id`, queued with [`Device::queue_work`], in process context.
    fn run_work(_dev: &Device<Self>, _id: u32) {}

    /// Transmit queue `queue` made no progress for the watchdog timeout (`ndo_tx_timeout`),
    /// called from a timer: schedule a reset (e.g. with [`Device::queue_work`]).
    fn tx_timeout(_dev: &Device<Self>, _queue: u32) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Programs the receive filter: promiscuous/all-multicast flags and the address lists
    /// (`ndo_set_rx_mode`). Called in atomic context with the address lists locked.
    fn set_rx_mode(_dev: &Device<Self>, _mode: &RxMode<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Called once when the device is registered, before it can be opened (`ndo_init`): the
    /// place to allocate per-queue state, whose counts are known by then.
    fn init(_dev: &Device<Self>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits a buffer (`ndo_start_xmit`). Called with bottom halves disabled.
    fn start_xmit(skb: SkBuff, dev: &Device<Self>) -> TxOutcome;

    /// Reports statistics (`ndo_get_stats64`); `stats` starts zeroed.
    fn get_stats64(_dev: &Device<Self>, _stats: &mut Stats64) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the MTU (`ndo_change_mtu`). `new_mtu` is already within the device's range.
    /// On success the abstraction stores the new MTU in the device.
    fn change_mtu(_dev: &Device<Self>, _rtnl: &Rtnl, _new_mtu: u32) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the hardware address (`ndo_set_mac_address`), usually via
    /// [`Device::eth_mac_addr`].
    fn set_mac_address(_dev: &Device<Self>, _addr: &SockAddr) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Applies a new feature set (`ndo_set_features`), e.g. GRO switched with `ethtool -K`.
    /// `features` becomes active when this returns `Ok`.
    fn set_features(_dev: &Device<Self>, _rtnl: &Rtnl, _features: u64) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Per-queue receive statistics for the netdev netlink family (`qstats`,
    /// `netdev_stat_ops.get_queue_stats_rx`). Implementing it enables all of `netdev_stat_ops`.
    fn queue_stats_rx(_dev: &Device<Self>, _queue: u32, _stats: &mut QueueStatsRx) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Per-queue transmit statistics (`netdev_stat_ops.get_queue_stats_tx`).
    fn queue_stats_tx(_dev: &Device<Self>, _queue: u32, _stats: &mut QueueStatsTx) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// Builds the C ops tables for a driver `T` and holds the callback trampolines.
pub(crate) struct Adapter<T>(PhantomData<T>);

impl<T: Driver + ethtool::Operations> Adapter<T> {
    const NETDEV_OPS: bindings::net_device_ops = bindings::net_device_ops {
        ndo_open: if T::HAS_OPEN {
            Some(Self::open_callback)
        } else {
            None
        },
        ndo_stop: if T::HAS_STOP {
            Some(Self::stop_callback)
        } else {
            None
        },
        ndo_start_xmit: Some(Self::start_xmit_callback),
        ndo_get_stats64: if T::HAS_GET_STATS64 {
            Some(Self::get_stats64_callback)
        } else {
            None
        },
        ndo_change_mtu: if T::HAS_CHANGE_MTU {
            Some(Self::change_mtu_callback)
        } else {
            None
        },
        ndo_set_mac_address: if T::HAS_SET_MAC_ADDRESS {
            Some(Self::set_mac_address_callback)
        } else {
            None
        },
        ndo_validate_addr: Some(bindings::eth_validate_addr),
        ndo_init: if T::HAS_INIT {
            Some(Self::init_callback)
        } else {
            None
        },
        ndo_set_features: if T::HAS_SET_FEATURES {
            Some(Self::set_features_callback)
        } else {
            None
        },
        ndo_get_iflink: Some(Self::get_iflink_callback),
        ndo_tx_timeout: if T::HAS_TX_TIMEOUT {
            Some(Self::tx_timeout_callback)
        } else {
            None
        },
        ndo_set_rx_mode: if T::HAS_SET_RX_MODE {
            Some(Self::set_rx_mode_callback)
        } else {
            None
        },
        // SAFETY: All-zeroes is a valid `net_device_ops`: every other callback is NULL.
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    const STAT_OPS: bindings::netdev_stat_ops = bindings::netdev_stat_ops {
        get_queue_stats_rx: Some(Self::queue_stats_rx_callback),
        get_queue_stats_tx: Some(Self::queue_stats_tx_callback),
        get_base_stats: Some(Self::base_stats_callback),
    };

    /// Installs `T`'s ops tables and statistics type on a freshly allocated device.
    ///
    /// # Safety
    ///
    /// `dev` must be valid, unregistered and exclusively owned by the caller.
    pub(crate) unsafe fn install(dev: *mut bindings::net_device) {
        // SAFETY: Guaranteed by the caller.
        let netdev = unsafe { &mut *dev };
        netdev.netdev_ops = &Self::NETDEV_OPS;
        netdev.ethtool_ops = ethtool::ops::<T>();
        if T::PCPU_STATS == PcpuStats::Lstats {
            netdev.set_pcpu_stat_type(bindings::netdev_stat_type_NETDEV_PCPU_STAT_LSTATS);
        }
        if T::HAS_QUEUE_STATS_RX || T::HAS_QUEUE_STATS_TX {
            netdev.stat_ops = &Self::STAT_OPS;
        }
    }

    /// # Safety
    ///
    /// `dev` must be a device of driver `T` with initialised private data (the ops tables of
    /// `T` are only installed on those, by `Registration` and `rtnl`, which initialise the
    /// data before the device becomes reachable and drop it only after unregistration).
    unsafe fn device<'a>(dev: *const bindings::net_device) -> &'a Device<T> {
        // SAFETY: Guaranteed by the caller.
        unsafe { Device::from_raw(dev.cast_mut()) }
    }

    /// # Safety
    ///
    /// Called by the core as `ndo_init` on a device of driver `T`.
    unsafe extern "C" fn init_callback(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: Called by the core on a device of this driver.
        from_result(|| T::init(unsafe { Self::device(dev) }).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the core as `ndo_set_features`, under RTNL, on a device of driver `T`.
    unsafe extern "C" fn set_features_callback(
        dev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> c_int {
        // SAFETY: The core calls `ndo_set_features` under RTNL.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: Called by the core on a device of this driver.
        from_result(|| T::set_features(unsafe { Self::device(dev) }, &rtnl, features).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the core as `ndo_tx_timeout` on a device of driver `T`.
    unsafe extern "C" fn tx_timeout_callback(dev: *mut bindings::net_device, txqueue: u32) {
        // SAFETY: Called by the core on a device of this driver.
        T::tx_timeout(unsafe { Self::device(dev) }, txqueue)
    }

    /// # Safety
    ///
    /// Called by the core as `ndo_set_rx_mode`, with the address lists locked, on a device of
    /// driver `T`.
    unsafe extern "C" fn set_rx_mode_callback(dev: *mut bindings::net_device) {
        let mode = RxMode {
            dev,
            _p: PhantomData,
        };
        // SAFETY: Called by the core on a device of this driver.
        T::set_rx_mode(unsafe { Self::device(dev) }, &mode)
    }

    /// # Safety
    ///
    /// Called by the core as `ndo_get_iflink` on a device of driver `T`.
    unsafe extern "C" fn get_iflink_callback(dev: *const bindings::net_device) -> c_int {
        // SAFETY: Called by the core on a device of this driver.
        let device = unsafe { Self::device(dev) };
        let guard = rcu::read_lock();
        device
            .peer(&guard)
            .map_or(device.ifindex(), |peer| peer.ifindex())
    }

    /// # Safety
    ///
    /// Called by the core as `get_queue_stats_rx` on a device of driver `T`.
    unsafe extern "C" fn queue_stats_rx_callback(
        dev: *mut bindings::net_device,
        idx: c_int,
        stats: *mut bindings::netdev_queue_stats_rx,
    ) {
        if T::HAS_QUEUE_STATS_RX {
            // SAFETY: `stats` is valid for the call; `QueueStatsRx` is transparent.
            let stats = unsafe { &mut *stats.cast::<QueueStatsRx>() };
            // SAFETY: Called by the core on a device of this driver.
            T::queue_stats_rx(unsafe { Self::device(dev) }, idx as u32, stats)
        }
    }

    /// # Safety
    ///
    /// Called by the core as `get_queue_stats_tx` on a device of driver `T`.
    unsafe extern "C" fn queue_stats_tx_callback(
        dev: *mut bindings::net_device,
        idx: c_int,
        stats: *mut bindings::netdev_queue_stats_tx,
    ) {
        if T::HAS_QUEUE_STATS_TX {
            // SAFETY: `stats` is valid for the call; `QueueStatsTx` is transparent.
            let stats = unsafe { &mut *stats.cast::<QueueStatsTx>() };
            // SAFETY: Called by the core on a device of this driver.
            T::queue_stats_tx(unsafe { Self::device(dev) }, idx as u32, stats)
        }
    }

    /// # Safety
    ///
    /// Called by the core as `get_base_stats`; the pointers are valid for the call.
    unsafe extern "C" fn base_stats_callback(
        _dev: *mut bindings::net_device,
        rx: *mut bindings::netdev_queue_stats_rx,
        tx: *mut bindings::netdev_queue_stats_tx,
    ) {
        // Everything is counted per queue; nothing belongs to queues that no longer exist.
        // SAFETY: The pointers are valid for the call.
        unsafe {
            (*rx).packets = 0;
            (*rx).bytes = 0;
            (*tx).packets = 0;
            (*tx).bytes = 0;
        }
    }

    /// # Safety
    ///
    /// Called by the core through `T`'s `net_device_ops` on a device of driver `T`.
    unsafe extern "C" fn open_callback(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: The core calls `ndo_open` under RTNL.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: Called by the core on a registered device of this driver.
        let device = unsafe { Self::device(dev) };
        from_result(|| T::open(device, &rtnl).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the core through `T`'s `net_device_ops` on a device of driver `T`.
    unsafe extern "C" fn stop_callback(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: The core calls `ndo_stop` under RTNL.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: Called by the core on a registered device of this driver.
        let device = unsafe { Self::device(dev) };
        from_result(|| T::stop(device, &rtnl).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the core through `T`'s `net_device_ops` on a device of driver `T`.
    unsafe extern "C" fn start_xmit_callback(
        skb: *mut bindings::sk_buff,
        dev: *mut bindings::net_device,
    ) -> bindings::netdev_tx_t {
        // SAFETY: The core hands us the only reference to `skb` for transmission.
        let skb = unsafe { SkBuff::from_raw(skb) };
        // SAFETY: Called by the core on a registered device of this driver.
        match T::start_xmit(skb, unsafe { Self::device(dev) }) {
            TxOutcome::Ok => bindings::netdev_tx_NETDEV_TX_OK,
            TxOutcome::Busy(skb) => {
                // The core keeps ownership of a buffer returned with BUSY and requeues it.
                let _ = skb.into_raw();
                bindings::netdev_tx_NETDEV_TX_BUSY
            }
        }
    }

    /// # Safety
    ///
    /// Called by the core through `T`'s `net_device_ops` on a device of driver `T`.
    unsafe extern "C" fn get_stats64_callback(
        dev: *mut bindings::net_device,
        stats: *mut bindings::rtnl_link_stats64,
    ) {
        // SAFETY: `stats` points to a valid structure the core owns for the call; `Stats64` is
        // a transparent wrapper.
        let stats = unsafe { &mut *stats.cast::<Stats64>() };
        // SAFETY: Called by the core on a registered device of this driver.
        T::get_stats64(unsafe { Self::device(dev) }, stats)
    }

    /// # Safety
    ///
    /// Called by the core through `T`'s `net_device_ops` on a device of driver `T`.
    unsafe extern "C" fn change_mtu_callback(
        dev: *mut bindings::net_device,
        new_mtu: c_int,
    ) -> c_int {
        from_result(|| {
            let new_mtu = u32::try_from(new_mtu).map_err(|_| EINVAL)?;
            // SAFETY: Called by the core on a registered device of this driver.
            let device = unsafe { Self::device(dev) };
            // SAFETY: The core calls `ndo_change_mtu` under RTNL.
            let rtnl = unsafe { Rtnl::assume_held() };
            T::change_mtu(device, &rtnl, new_mtu)?;
            // SAFETY: Called under RTNL; readers use READ_ONCE semantics on `mtu`.
            unsafe { core::ptr::write_volatile(&mut (*dev).mtu, new_mtu) };
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// Called by the core through `T`'s `net_device_ops` on a device of driver `T`.
    unsafe extern "C" fn set_mac_address_callback(
        dev: *mut bindings::net_device,
        addr: *mut c_void,
    ) -> c_int {
        // SAFETY: The core passes a valid `struct sockaddr` for the call.
        let addr = unsafe { &*addr.cast::<SockAddr>() };
        // SAFETY: Called by the core on a registered device of this driver.
        from_result(|| T::set_mac_address(unsafe { Self::device(dev) }, addr).map(|()| 0))
    }
}

/// A registered network device of driver `T`: allocated, set up, its private data initialised
/// and registered by [`Registration::new`]; unregistered, its data dropped and freed on drop.
///
/// # Invariants
///
/// `dev` is a registered net_device with `T`'s ops and an initialised `T::Data`, owned by this
/// object.
pub struct Registration<T: Driver + ethtool::Operations> {
    dev: NonNull<bindings::net_device>,
    _p: PhantomData<T>,
}

// SAFETY: The registration only hands out `&Device<T>`, which is `Sync`, and unregisters from
// whichever thread drops it (process context, as module exit and remove are).
unsafe impl<T: Driver + ethtool::Operations> Send for Registration<T> {}
// SAFETY: See above.
unsafe impl<T: Driver + ethtool::Operations> Sync for Registration<T> {}

impl<T: Driver + ethtool::Operations> Registration<T> {
    /// Allocates an Ethernet device named after `name` (a `%d` pattern such as `c"rlo%d"`
    /// picks the first free number), with `txqs`/`rxqs` queues, runs `ether_setup` and
    /// [`Driver::setup`], initialises the private data from `data` (a value or a fallible or
    /// infallible initialiser) and registers the device.
    pub fn new<E>(name: &CStr, txqs: u32, rxqs: u32, data: impl PinInit<T::Data, E>) -> Result<Self>
    where
        Error: From<E>,
    {
        Self::new_with_setup(name, txqs, rxqs, data, |_| {})
    }

    /// Like [`Registration::new`], with `setup` run after [`Driver::setup`] for what only the
    /// caller knows, such as the MAC address read from the hardware or the parent device.
    pub fn new_with_setup<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        Self::new_inner(name, txqs, rxqs, data, bus::BusState::default(), setup)
    }

    /// Like [`Registration::new_with_setup`], for a device of the bound bus device `parent`
    /// (made its parent) with the bus state `bus` (see [`BusRegistration`]).
    pub(crate) fn new_on_bus<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        parent: &crate::device::Device<crate::device::Bound>,
        bus: bus::BusState,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        Self::new_inner(name, txqs, rxqs, data, bus, |dev_setup| {
            dev_setup.set_parent(parent);
            setup(dev_setup);
        })
    }

    fn new_inner<E>(
        name: &CStr,
        txqs: u32,
        rxqs: u32,
        data: impl PinInit<T::Data, E>,
        bus: bus::BusState,
        setup: impl FnOnce(&mut DeviceSetup<'_>),
    ) -> Result<Self>
    where
        Error: From<E>,
    {
        #[allow(clippy::let_unit_value)]
        let () = Priv::<T>::ALIGN_OK;
        if txqs == 0 || rxqs == 0 {
            return Err(EINVAL);
        }
        // SAFETY: `name` is NUL-terminated; `ether_setup` is a valid setup function.
        let raw = unsafe {
            bindings::alloc_netdev_mqs(
                core::mem::size_of::<Priv<T>>() as c_int,
                name.as_char_ptr(),
                bindings::NET_NAME_ENUM as u8,
                Some(bindings::ether_setup),
                txqs,
                rxqs,
            )
        };
        let dev = NonNull::new(raw).ok_or(ENOMEM)?;

        // Frees the device on every error path below.
        struct Alloc(NonNull<bindings::net_device>);
        impl Drop for Alloc {
            fn drop(&mut self) {
                // SAFETY: The device was allocated above and never registered.
                unsafe { bindings::free_netdev(self.0.as_ptr()) }
            }
        }
        let alloc = Alloc(dev);

        // SAFETY: The device was just allocated; nobody else knows about it.
        unsafe { Adapter::<T>::install(dev.as_ptr()) };
        // SAFETY: The device is valid, unregistered and exclusively ours during the calls.
        let mut dev_setup = unsafe { DeviceSetup::new(dev) };
        T::setup(&mut dev_setup);
        setup(&mut dev_setup);

        // SAFETY: The private area is `size_of::<Priv<T>>()` bytes, `NETDEV_ALIGN`-aligned
        // (checked against its alignment above), and never moves while the device lives.
        let priv_ = unsafe { Priv::<T>::from_dev(dev.as_ptr()) };
        // SAFETY: As above; the area is not in use yet.
        unsafe { Priv::<T>::init_header(dev.as_ptr()) };
        // SAFETY: `priv_` is valid; only the field's address is computed.
        let slot = unsafe { core::ptr::addr_of_mut!((*priv_).data) };
        // SAFETY: `slot` is valid for writes; on error nothing was initialised.
        unsafe { pin_init::raw_try_init(slot, data)? };
        // SAFETY: `priv_` is valid and its header initialised; the device is still ours alone.
        // (Stored only now, so that a failed data initialisation drops `bus` with the local.)
        unsafe { (*priv_).bus = bus };

        // SAFETY: The device is fully set up; its data is initialised.
        let ret = unsafe { bindings::register_netdev(dev.as_ptr()) };
        if ret != 0 {
            // SAFETY: The data was initialised above and the device never became visible, so
            // no work was queued.
            unsafe { core::ptr::drop_in_place(priv_) };
            return Err(Error::from_errno(ret));
        }
        core::mem::forget(alloc);
        // INVARIANT: registered with `T`'s ops and initialised data.
        Ok(Self {
            dev,
            _p: PhantomData,
        })
    }

    /// The registered device.
    pub fn device(&self) -> &Device<T> {
        // SAFETY: By the type invariant the device is registered with initialised data.
        unsafe { Device::from_raw(self.dev.as_ptr()) }
    }
}

impl<T: Driver + ethtool::Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        let dev = self.dev.as_ptr();
        // SAFETY: The device is registered (type invariant). `unregister_netdev` takes RTNL,
        // closes the device and waits until no callback can run any more.
        unsafe { bindings::unregister_netdev(dev) };
        // No interrupt handler can be requested any more.
        self.device().bus().close();
        // SAFETY: No callback can reach the private data any more; it was initialised.
        unsafe { core::ptr::drop_in_place(Priv::<T>::from_dev(dev)) };
        // SAFETY: Unregistered above; this object held the last driver reference.
        unsafe { bindings::free_netdev(dev) };
    }
}

