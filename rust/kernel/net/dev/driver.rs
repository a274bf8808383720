// SPDX-License-Identifier: GPL-2.0

//! The [`Driver`] trait and the glue that turns an implementation into `net_device_ops`.

use super::{
    Device, DeviceSetup, PcpuStats, QueueStatsRx, QueueStatsTx, Rtnl, RxMode, SockAddr, Stats64,
};
use crate::{
    bindings,
    error::{from_result, VTABLE_DEFAULT_ERROR},
    net::{
        skbuff::SkBuff,
        xdp::{XdpSetup, XdpXmitFrames},
    },
    prelude::*,
    sync::rcu,
};
use core::marker::PhantomData;

/// The frame of one [`Driver::start_xmit`] call, not yet accepted by the driver.
///
/// The driver either takes the frame over with [`TxSkb::accept`] (the call then reports
/// `NETDEV_TX_OK`, and the driver transmits or frees it), or gives it back untouched with
/// [`TxSkb::busy`] (`NETDEV_TX_BUSY`: the core keeps the very buffer it passed and requeues it).
/// Dropping a `TxSkb` frees the frame as a drop.
///
/// Until it is accepted, the frame can only be read (through `Deref`), so a frame handed back
/// as busy is exactly the one the core passed, unmodified: preparing it for the device (e.g.
/// [`SkBuff::tso_prepare`], which rewrites checksums) requires accepting it first, and a retried
/// frame is never prepared twice.
///
/// `'call` brands the frame with its call: [`Driver::start_xmit`] is generic over it, so the
/// [`TxBusy`] a driver returns can only come from the `TxSkb` of that same call — never from an
/// earlier call's frame or one the driver allocated. Returning another buffer as busy (which
/// would make the core requeue a buffer it no longer owns) does not compile:
///
/// ```ignore
/// fn start_xmit<'call>(skb: TxSkb<'call>, dev: &Device<Self>) -> TxOutcome<'call> {
///     let stashed: TxSkb<'static> = /* from anywhere */;
///     stashed.busy() // error: lifetime mismatch, expected `TxOutcome<'call>`
/// }
/// ```
pub struct TxSkb<'call> {
    skb: SkBuff,
    _call: PhantomData<fn(&'call ()) -> &'call ()>,
}

impl<'call> TxSkb<'call> {
    /// Wraps the core's buffer for one call.
    fn new(skb: SkBuff) -> Self {
        Self {
            skb,
            _call: PhantomData,
        }
    }

    /// Whether the stack will pass another frame for this queue right after this one
    /// (`netdev_xmit_more`): the driver may then put off telling the device (the doorbell, an
    /// MMIO write that is costly, above all in a VM) until the last frame of the batch. Read it
    /// before [`TxSkb::accept`]; [`Device::tx_sent_queue_more`] says when the doorbell is due.
    ///
    /// [`Device::tx_sent_queue_more`]: super::Device::tx_sent_queue_more
    pub fn xmit_more(&self) -> bool {
        // SAFETY: A `TxSkb` exists only inside one `ndo_start_xmit` call, on the CPU the stack
        // set the per-CPU flag on for that call (bottom halves are disabled throughout).
        unsafe { bindings::netdev_xmit_more() }
    }

    /// Takes the frame over: the call will report `NETDEV_TX_OK` and the driver now owns the
    /// buffer (it transmits it, or frees it on error).
    pub fn accept(self) -> SkBuff {
        self.skb
    }

    /// Hands the frame back untouched (`NETDEV_TX_BUSY`): the core requeues it and retries.
    /// Only correct with the queue stopped first (the core would otherwise retry at once); C
    /// drivers treat it as a bug indication, a ring sized with room to spare never needs it.
    pub fn busy(self) -> TxOutcome<'call> {
        TxOutcome::Busy(TxBusy {
            skb: self.skb,
            _call: PhantomData,
        })
    }
}

impl core::ops::Deref for TxSkb<'_> {
    type Target = SkBuff;

    fn deref(&self) -> &SkBuff {
        &self.skb
    }
}

/// A frame handed back with [`TxSkb::busy`]; only [`TxOutcome::Busy`] uses it. Dropping it
/// frees the frame.
pub struct TxBusy<'call> {
    skb: SkBuff,
    _call: PhantomData<fn(&'call ()) -> &'call ()>,
}

/// Result of a transmit attempt, as returned from [`Driver::start_xmit`].
pub enum TxOutcome<'call> {
    /// The frame is the driver's (`NETDEV_TX_OK`): accepted with [`TxSkb::accept`], or freed.
    Ok,
    /// The device cannot take the frame now (`NETDEV_TX_BUSY`); it goes back to the core, which
    /// requeues it. Made by [`TxSkb::busy`].
    Busy(TxBusy<'call>),
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

    /// Transmits a frame (`ndo_start_xmit`). Called with bottom halves disabled. See [`TxSkb`]
    /// for how the frame is accepted or handed back.
    fn start_xmit<'call>(skb: TxSkb<'call>, dev: &Device<Self>) -> TxOutcome<'call>;

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

    /// Narrows a feature set the core is about to apply (`ndo_fix_features`), under RTNL: the
    /// driver returns `features` without what its current state cannot honour (veth turns off
    /// software GSO while its peer runs an XDP program). Only turning features off is taken:
    /// bits not in `features` are ignored.
    fn fix_features(_dev: &Device<Self>, _rtnl: &Rtnl, _features: u64) -> u64 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Applies a new feature set (`ndo_set_features`), e.g. GRO switched with `ethtool -K`.
    /// `features` becomes active when this returns `Ok`.
    fn set_features(_dev: &Device<Self>, _rtnl: &Rtnl, _features: u64) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Installs, replaces or removes the device's XDP program (`ndo_bpf` with
    /// `XDP_SETUP_PROG`), under RTNL. The driver keeps the program of `setup`
    /// ([`XdpSetup::take_prog`], usually into an [`XdpProgSlot`]) and drops the one it replaces;
    /// a refusal (a configuration XDP cannot work with) returns an error and explains it with
    /// [`XdpSetup::set_error`]. Called with no program when the device is unregistered.
    /// Implementing it makes the device take native XDP programs (`ip link set dev D xdp
    /// ...`); without it only generic XDP is available.
    ///
    /// [`XdpProgSlot`]: crate::net::xdp::XdpProgSlot
    fn xdp_setup(_dev: &Device<Self>, _rtnl: &Rtnl, _setup: XdpSetup<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Transmits frames other devices redirected to this one (`ndo_xdp_xmit`), in softirq
    /// context: the driver takes frames from `frames` in order while it has room, maps and
    /// queues each, and tells the device after the batch if [`XdpXmitFrames::flush`] asks for
    /// it. Frames it does not take are returned by the core. An error (device down: `ENETDOWN`)
    /// is reported only if no frame was taken; once one was, the call reports how many.
    fn xdp_xmit(_dev: &Device<Self>, _frames: &mut XdpXmitFrames<'_>) -> Result {
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

impl<T: Driver> Adapter<T> {
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
        ndo_fix_features: if T::HAS_FIX_FEATURES {
            Some(Self::fix_features_callback)
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
        ndo_bpf: if T::HAS_XDP_SETUP {
            Some(Self::bpf_callback)
        } else {
            None
        },
        ndo_xdp_xmit: if T::HAS_XDP_XMIT {
            Some(Self::xdp_xmit_callback)
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

    /// Installs `T`'s `net_device_ops`, statistics ops and statistics type on a freshly
    /// allocated device (`ethtool_ops` are installed next to it, by `net::registration`).
    ///
    /// # Safety
    ///
    /// `dev` must be valid, unregistered and exclusively owned by the caller.
    pub(crate) unsafe fn install(dev: *mut bindings::net_device) {
        // SAFETY: Guaranteed by the caller.
        let netdev = unsafe { &mut *dev };
        netdev.netdev_ops = &Self::NETDEV_OPS;
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
    /// Called by the core as `ndo_fix_features`, under RTNL, on a device of driver `T`.
    unsafe extern "C" fn fix_features_callback(
        dev: *mut bindings::net_device,
        features: bindings::netdev_features_t,
    ) -> bindings::netdev_features_t {
        // SAFETY: The core calls `ndo_fix_features` under RTNL.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: Called by the core on a device of this driver.
        features & T::fix_features(unsafe { Self::device(dev) }, &rtnl, features)
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
    /// Called by the core as `get_base_stats` on a device of driver `T`; the pointers are valid
    /// for the call.
    unsafe extern "C" fn base_stats_callback(
        dev: *mut bindings::net_device,
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
        if T::HAS_QUEUE_STATS_RX {
            // The other receive counters are reported for the device when its queues set them:
            // ask queue 0 which ones it sets.
            let mut probe = QueueStatsRx::not_set();
            // SAFETY: Called by the core on a device of this driver.
            T::queue_stats_rx(unsafe { Self::device(dev) }, 0, &mut probe);
            // SAFETY: `rx` is valid for the call.
            QueueStatsRx::zero_base_of(&probe, unsafe { &mut *rx });
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
        // SAFETY: The core hands us the only reference to `skb` for the duration of the call;
        // it gets it back below if the driver returns busy.
        let skb = TxSkb::new(unsafe { SkBuff::from_raw(skb) });
        // SAFETY: Called by the core on a registered device of this driver.
        match T::start_xmit(skb, unsafe { Self::device(dev) }) {
            TxOutcome::Ok => bindings::netdev_tx_NETDEV_TX_OK,
            TxOutcome::Busy(busy) => {
                // `busy` carries this call's brand, so it is the buffer the core passed (see
                // `TxSkb`): the core keeps it and requeues it.
                let _ = busy.skb.into_raw();
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
    /// Called by the core as `ndo_bpf`, under RTNL, on a device of driver `T`.
    unsafe extern "C" fn bpf_callback(
        dev: *mut bindings::net_device,
        bpf: *mut bindings::netdev_bpf,
    ) -> c_int {
        // SAFETY: The core passes a valid request for the call.
        let bpf = unsafe { &*bpf };
        if bpf.command != bindings::bpf_netdev_command_XDP_SETUP_PROG {
            // AF_XDP zero-copy pools and offloaded programs are not supported.
            return EOPNOTSUPP.to_errno();
        }
        // SAFETY: The core calls `ndo_bpf` under RTNL.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: Called by the core on a registered device of this driver.
        let device = unsafe { Self::device(dev) };
        // SAFETY: An `XDP_SETUP_PROG` request, valid for the call. `setup` owns a reference of
        // its own on the program (taken by `XdpSetup::new`), dropped if the driver does not
        // keep it.
        let setup = unsafe { XdpSetup::new(bpf) };
        let prog = bpf_prog_of(bpf);
        match T::xdp_setup(device, &rtnl, setup) {
            Ok(()) => {
                // The core moved a reference into the driver (`dev_xdp_install`); the driver
                // kept the one `XdpSetup` took instead, or none: put the core's.
                if let Some(prog) = prog {
                    // SAFETY: The core's reference, now ours to put.
                    unsafe { bindings::rnet_bpf_prog_put(prog) };
                }
                0
            }
            // On failure the core puts its reference itself.
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by the core as `ndo_xdp_xmit` on a device of driver `T`, with `n` valid frames.
    unsafe extern "C" fn xdp_xmit_callback(
        dev: *mut bindings::net_device,
        n: c_int,
        frames: *mut *mut bindings::xdp_frame,
        flags: u32,
    ) -> c_int {
        if flags & !bindings::XDP_XMIT_FLAGS_MASK != 0 || n < 0 {
            return EINVAL.to_errno();
        }
        // SAFETY: The core lends `n` valid frames for the call.
        let mut batch = unsafe { XdpXmitFrames::new(frames, n as usize, flags) };
        // SAFETY: Called by the core on a registered device of this driver.
        let result = T::xdp_xmit(unsafe { Self::device(dev) }, &mut batch);
        match result {
            // Frames taken are the driver's whatever it returned: report them, so the core
            // returns only the others.
            Err(e) if batch.taken() == 0 => e.to_errno(),
            _ => batch.taken() as c_int,
        }
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

/// The program of an `XDP_SETUP_PROG` request, if any.
fn bpf_prog_of(bpf: &bindings::netdev_bpf) -> Option<*mut bindings::bpf_prog> {
    // SAFETY: The caller checked the command: the first member of the union is active.
    let prog = unsafe { bpf.__bindgen_anon_1.__bindgen_anon_1.prog };
    (!prog.is_null()).then_some(prog)
}

/// The XDP features (bits of [`xdp::features`]) `T`'s callbacks implement: `BASIC` and
/// `REDIRECT` with [`Driver::xdp_setup`] (programs run in the driver's receive path, the
/// abstraction flushes redirects at the end of each poll), `NDO_XMIT` with
/// [`Driver::xdp_xmit`]. The core relies on the announced bits, e.g. it allocates a device's
/// redirect queues only when it has `ndo_xdp_xmit` but sends to any device announcing
/// `NDO_XMIT`.
///
/// [`xdp::features`]: crate::net::xdp::features
pub(crate) const fn xdp_features_supported<T: Driver>() -> u32 {
    use crate::net::xdp::features;
    let mut supported = 0;
    if T::HAS_XDP_SETUP {
        supported |= features::BASIC | features::REDIRECT;
    }
    if T::HAS_XDP_XMIT {
        supported |= features::NDO_XMIT;
    }
    supported
}

/// `features` without the bits outside `supported`, with a warning naming them.
pub(crate) fn mask_xdp_features(features: u32, supported: u32) -> u32 {
    let unsupported = features & !supported;
    if unsupported != 0 {
        pr_warn!(
            "net: XDP features {:#x} left out: the driver does not implement them\n",
            unsupported
        );
    }
    features & supported
}
