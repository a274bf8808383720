// SPDX-License-Identifier: GPL-2.0

//! The device a driver's callbacks work on ([`Device`]) and its private area.

use super::{
    bus,
    work::{work_callback, DevWork},
    Driver, PcpuStats, Rtnl, WORKS,
};
use crate::{bindings, error::to_result, prelude::*, sync::rcu, types::Opaque};
use core::{
    marker::PhantomData,
    sync::atomic::{AtomicPtr, Ordering},
};

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
    pub(super) works: [DevWork; WORKS],
    /// The bus device the net device belongs to, if any (see
    /// [`BusRegistration`](crate::net::registration::BusRegistration)).
    pub(crate) bus: bus::BusState,
    /// The driver's data.
    pub(crate) data: T::Data,
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
        // Every NAPI instance, also one kept outside the driver data, is disabled and deleted
        // before the data is dropped: no poll runs while it is, and none outlives the device.
        // SAFETY: The private area is torn down once no callback or work item can run (works
        // disabled above); `dev` (recorded by `init_header`) is not freed yet.
        unsafe { crate::net::napi::detach_all(self.works[0].dev) };
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

/// A registered network device whose driver is `T`.
///
/// Handed to the [`Driver`] callbacks and reachable through a
/// [`Registration`](crate::net::registration::Registration). Only exists while the device's
/// private data is initialised.
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

    /// The bus-device state of the device (see
    /// [`BusRegistration`](crate::net::registration::BusRegistration)).
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

    /// The currently enabled features (see [`features`](super::features)).
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

    /// Changes what the user may turn on (`hw_features`): `off` leaves it, `on` joins it, and
    /// the active set is recomputed (`netdev_update_features`). veth takes software GSO away
    /// from its peer while an XDP program runs on it (a program sees at most what fits its
    /// buffers) and gives it back afterwards.
    ///
    /// Only software segmentation ([`features::GSO_SOFTWARE`]) can join: other features may
    /// need driver callbacks the core checked for at registration only (a VLAN filter without
    /// `ndo_vlan_rx_add_vid`), so their bits in `on` are ignored. Not for a driver's own
    /// `fix_features`/`set_features`, which the recomputation calls.
    ///
    /// [`features::GSO_SOFTWARE`]: super::features::GSO_SOFTWARE
    pub fn change_hw_features(&self, _rtnl: &Rtnl, off: u64, on: u64) {
        let on = on & super::features::GSO_SOFTWARE;
        let dev = self.as_raw();
        // SAFETY: The net_device is valid and RTNL, which serialises feature changes, is held;
        // the features joining need no driver callback.
        unsafe {
            (*dev).hw_features = ((*dev).hw_features & !off) | on;
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

    /// Marks the device as gone from the system (`netif_device_detach`), e.g. when the driver
    /// found its hardware removed (a surprise removal, a dead PCIe link): the core stops the
    /// transmit queues, its transmit watchdog leaves the device alone, and it refuses to open the
    /// device or to run ethtool operations on it (`ENODEV`). Callable from any context; the
    /// device stays detached until it is unregistered.
    pub fn device_detach(&self) {
        // SAFETY: The net_device is valid; the function only changes state bits atomically.
        unsafe { bindings::netif_device_detach(self.as_raw()) }
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

    /// Marks transmit queue `queue` as having made progress now (`txq_trans_cond_update`), for
    /// frames queued outside `start_xmit` (XDP) on a ring the stack shares: the transmit
    /// watchdog then does not take a queue stopped by the stack for hung. Out-of-range queues
    /// are ignored.
    pub fn tx_trans_update(&self, queue: u32) {
        if let Some(txq) = self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            unsafe { bindings::rnet_txq_trans_cond_update(txq) }
        }
    }

    /// Changes the largest MTU the core accepts (`max_mtu`, shown by `ip -d link`), e.g. while
    /// an XDP program limits frames to a page: the core then refuses larger MTUs with `EINVAL`
    /// and an extack message, before `change_mtu` runs. Under RTNL.
    pub fn set_max_mtu(&self, _rtnl: &Rtnl, max: u32) {
        // SAFETY: The device is valid; writers hold RTNL (the caller does), readers use
        // `READ_ONCE`, hence the volatile write.
        unsafe { core::ptr::write_volatile(&raw mut (*self.as_raw()).max_mtu, max) };
    }

    /// Changes the device's XDP features (bits of [`xdp::features`]) and notifies the netdev
    /// netlink family (`xdp_set_features_flag`). Under RTNL; not from a callback the core runs
    /// with the device's instance lock held (the function takes it). Bits the driver does not
    /// implement are left out, as in [`DeviceSetup::set_xdp_features`].
    ///
    /// [`xdp::features`]: crate::net::xdp::features
    /// [`DeviceSetup::set_xdp_features`]: super::DeviceSetup::set_xdp_features
    pub fn set_xdp_features(&self, _rtnl: &Rtnl, features: u32) {
        let features =
            super::driver::mask_xdp_features(features, super::xdp_features_supported::<T>());
        // SAFETY: The device is valid; the function takes the device's instance lock itself.
        // `features` only announces operations `T`'s callbacks implement.
        unsafe { bindings::xdp_set_features_flag(self.as_raw(), features) }
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

    /// Byte queue limits for a frame sent as part of a batch (`__netdev_tx_sent_queue`):
    /// accounts `bytes` on `queue` and returns whether the driver must tell the device now
    /// (write its tail register, the "doorbell"). That is when `xmit_more` is `false` (the
    /// stack has nothing more for the queue right now, [`TxSkb::xmit_more`]) or when the queue
    /// was stopped, by byte queue limits or by the driver: no further call would come to ring it
    /// later. An out-of-range queue is not accounted and asks for the doorbell.
    ///
    /// [`TxSkb::xmit_more`]: super::TxSkb::xmit_more
    pub fn tx_sent_queue_more(&self, queue: u32, bytes: u32, xmit_more: bool) -> bool {
        match self.txq(queue) {
            // SAFETY: `txq` is a queue of this valid device.
            Some(txq) => unsafe { bindings::__netdev_tx_sent_queue(txq, bytes, xmit_more) },
            None => true,
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
