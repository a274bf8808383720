// SPDX-License-Identifier: GPL-2.0

//! NAPI: interrupt mitigation by polling (`struct napi_struct`).
//!
//! C header: [`include/linux/netdevice.h`](srctree/include/linux/netdevice.h).
//!
//! A driver's interrupt (or, for software devices, its producer) only calls
//! [`Napi::schedule`]; the `NET_RX` softirq then calls [`Poll::poll`] with a [`NapiPoll`]
//! context, and the poll routine hands at most [`NapiPoll::budget`] packets to the stack
//! ([`NapiPoll::gro_receive`]) and ends with [`NapiPoll::complete_done`] when it did less than
//! the budget. The context exists only inside the poll routine, so frames can only be handed
//! to GRO, and the instance only completed, while this CPU owns the instance; and an instance
//! is only reported done to the core after it was completed.

use crate::{
    bindings,
    net::{
        dev::{Device, Driver, IrqHandler, NetIrq, Rtnl},
        skbuff::SkBuff,
    },
    prelude::*,
    types::Opaque,
};
use core::{
    cell::Cell,
    marker::PhantomData,
    sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
};

/// The poll routine of a NAPI instance and the state it works on.
pub trait Poll: Send + Sync + Sized {
    /// The driver of the device the instance belongs to.
    type Driver: Driver;

    /// Processes up to [`NapiPoll::budget`] packets. When it did less, it calls
    /// [`NapiPoll::complete_done`] with the count, which ends the poll; otherwise (the budget
    /// is used up, or more work is pending) it returns without completing and the core polls
    /// the instance again.
    fn poll(ctx: NapiPoll<'_, Self>);
}

/// The context of one [`Poll::poll`] call: the instance being polled, its budget, and the
/// operations only valid while this CPU owns the instance.
///
/// It is created by the abstraction for each poll and cannot be sent to another thread or kept
/// past the call; [`NapiPoll::complete_done`] consumes it, so nothing can be handed to GRO
/// once the instance was released.
pub struct NapiPoll<'a, P: Poll> {
    napi: &'a Napi<P>,
    budget: u32,
    /// Set to the work count by a successful [`NapiPoll::complete_done`].
    completed: &'a Cell<Option<u32>>,
    /// Set when an XDP program redirected a frame: `xdp_do_flush` is due before the poll ends.
    xdp_flush: &'a Cell<bool>,
    /// Polls run in softirq context on one CPU.
    _not_send: PhantomData<*mut ()>,
}

impl<'a, P: Poll> NapiPoll<'a, P> {
    /// The instance being polled.
    pub fn napi(&self) -> &'a Napi<P> {
        self.napi
    }

    /// The device the instance belongs to.
    pub fn device(&self) -> &'a Device<P::Driver> {
        // SAFETY: `netif_napi_add` stored the device given to `Napi::new`, a
        // `Device<P::Driver>` with initialised data. A poll runs only while the instance is
        // enabled, hence attached; the device's teardown detaches it (disabling it waits for
        // this poll) before the device's data is dropped and the device freed.
        unsafe { Device::from_raw(self.napi.core.dev()) }
    }

    /// How many packets this poll may process.
    pub fn budget(&self) -> u32 {
        self.budget
    }

    /// Allocates a buffer for a received frame of up to `len` bytes (`napi_alloc_skb`): from
    /// this CPU's NAPI page-fragment cache, with the stack's usual headroom reserved, cheaper
    /// than a device allocation. `None` if no memory is available (atomic allocation).
    pub fn alloc_skb(&self, len: u32) -> Option<SkBuff> {
        // SAFETY: We are in this instance's poll routine (see `gro_receive`), in softirq context
        // or with bottom halves disabled, as `napi_alloc_skb` requires.
        let skb = unsafe { bindings::napi_alloc_skb(self.napi.raw(), len) };
        // SAFETY: A new buffer, now owned by us, if not null.
        (!skb.is_null()).then(|| unsafe { SkBuff::from_raw(skb) })
    }

    /// Hands a received frame to GRO, which merges it with others of its flow or passes it up
    /// (`napi_gro_receive`). `skb->protocol` must be set (`eth_type_trans`).
    pub fn gro_receive(&self, skb: SkBuff) {
        // SAFETY: The context exists only inside this instance's poll routine (it is created
        // by `poll_callback` and cannot outlive or leave the call), and completing consumes it,
        // so the instance is owned by this CPU; the buffer is given to the stack.
        unsafe { bindings::napi_gro_receive(self.napi.raw(), skb.into_raw()) };
    }

    /// Ends the poll after `work_done` packets (`napi_complete_done`). Returns `true` if the
    /// instance is released and the driver may re-enable its interrupt; `false` if it must
    /// stay masked (busy polling owns the instance, or `work_done` is not below the budget, in
    /// which case nothing is completed and the core polls again).
    pub fn complete_done(self, work_done: u32) -> bool {
        if work_done >= self.budget {
            // The core still owns an instance that used its budget (and netpoll polls with a
            // zero budget): completing it here would let it be scheduled twice.
            return false;
        }
        self.completed.set(Some(work_done));
        // Redirected frames go out before the instance is released (as C drivers flush before
        // `napi_complete_done`).
        flush_xdp(self.xdp_flush);
        // SAFETY: Called from this instance's poll routine (see `gro_receive`), once (`self`
        // is consumed), with less work than the budget.
        unsafe { bindings::napi_complete_done(self.napi.raw(), work_done as c_int) }
    }
}

impl<P: Poll> NapiPoll<'_, P> {
    /// Records that a frame was redirected (`xdp_do_redirect`): the redirect maps' bulk queues
    /// are flushed (`xdp_do_flush`) before the poll ends, by [`NapiPoll::complete_done`] or
    /// after the poll routine returned, whatever the driver does.
    pub(crate) fn note_xdp_redirect(&self) {
        self.xdp_flush.set(true);
    }
}

/// Flushes the redirect bulk queues of this CPU if a frame was redirected during the poll.
fn flush_xdp(pending: &Cell<bool>) {
    if pending.replace(false) {
        // SAFETY: Called from a NAPI poll (softirq context, the poll's `bpf_net_context` set by
        // the core), where `xdp_do_redirect` queued the frames. Frames a target does not take
        // are returned to their pools, not directly into a pool's lockless cache: the driver
        // no longer holds the pool here (see `page_pool`'s invariants), as in cpumap and veth.
        unsafe {
            bindings::rnet_xdp_set_return_frame_no_direct();
            bindings::xdp_do_flush();
            bindings::rnet_xdp_clear_return_frame_no_direct();
        }
    }
}

impl<P: Poll> core::ops::Deref for NapiPoll<'_, P> {
    type Target = Napi<P>;

    fn deref(&self) -> &Napi<P> {
        self.napi
    }
}

/// A device queue's direction, for [`Napi::link_queue`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueKind {
    /// A receive queue.
    Rx = 0,
    /// A transmit queue.
    Tx = 1,
}

impl QueueKind {
    fn raw(self) -> bindings::netdev_queue_type {
        match self {
            QueueKind::Rx => bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_RX,
            QueueKind::Tx => bindings::netdev_queue_type_NETDEV_QUEUE_TYPE_TX,
        }
    }
}

/// The part of a [`Napi`] that does not depend on the poller: what tearing the device down
/// needs to find and detach every instance still attached to it ([`detach_all`]).
///
/// # Invariants
///
/// `napi` was added to a device by `netif_napi_add_weight` with `poll_callback` of the
/// [`Napi`] this is the `core` of. While `attached`, it is on that device's NAPI list and the
/// device is alive; `attached` goes from true to false once, under RTNL and the device's
/// instance lock, when the instance is deleted. `enabled` tracks `napi_enable` and changes only
/// under RTNL (or in `detach_locked`, which holds it too).
#[repr(C)]
#[pin_data]
struct NapiCore {
    /// First, so that the address of a `napi_struct` on a device's list is its core's.
    #[pin]
    napi: Opaque<bindings::napi_struct>,
    attached: AtomicBool,
    enabled: AtomicBool,
    /// Queues (bit = index, receive and transmit) linked to this instance with
    /// [`Napi::link_queue`], unlinked when it is detached at the latest.
    linked: [AtomicU64; 2],
    /// `get_state_synchronize_rcu()` right after the instance left its device's list: its
    /// memory may be reused once that grace period ended (`cond_synchronize_rcu`).
    detached_gp: AtomicUsize,
}

impl NapiCore {
    fn raw(&self) -> *mut bindings::napi_struct {
        self.napi.get()
    }

    /// The device, while the instance is attached.
    ///
    /// # Safety
    ///
    /// The caller holds RTNL and has seen `attached` set, or otherwise knows the instance is
    /// attached (it is being polled).
    unsafe fn dev(&self) -> *mut bindings::net_device {
        // SAFETY: `napi` is initialised (type invariant); `dev` was set by
        // `netif_napi_add_weight` and is alive while attached (caller).
        unsafe { (*self.raw()).dev }
    }

    /// Disables (if enabled) and deletes the instance and unlinks its queues.
    ///
    /// # Safety
    ///
    /// The caller holds RTNL and the device's instance lock (`netdev_lock`), and the instance
    /// is attached to `dev`.
    unsafe fn detach_locked(&self, dev: *mut bindings::net_device) {
        if self.enabled.swap(false, Ordering::AcqRel) {
            // SAFETY: The instance is enabled and on `dev`, whose instance lock is held.
            // Waits for a running poll to finish.
            unsafe { bindings::napi_disable_locked(self.raw()) };
        }
        for kind in [QueueKind::Rx, QueueKind::Tx] {
            let mut linked = self.linked[kind as usize].swap(0, Ordering::AcqRel);
            while linked != 0 {
                let queue = linked.trailing_zeros();
                linked &= linked - 1;
                // SAFETY: The queue exists (checked when linked) and points here; RTNL and the
                // instance lock are held, as `netif_queue_set_napi` requires for a visible
                // device, so no netlink reader follows the pointer meanwhile.
                unsafe {
                    bindings::netif_queue_set_napi(dev, queue, kind.raw(), core::ptr::null_mut())
                };
            }
        }
        // SAFETY: The instance is on `dev`'s list and disabled (or never enabled); the instance
        // lock is held. Its memory is not reused before an RCU grace period (`detached_gp`).
        unsafe { bindings::__netif_napi_del_locked(self.raw()) };
        // SAFETY: No precondition.
        let gp = unsafe { bindings::get_state_synchronize_rcu() };
        self.detached_gp.store(gp, Ordering::Relaxed);
        self.attached.store(false, Ordering::Release);
    }
}

/// Detaches every NAPI instance still attached to `dev` (disables it, unlinks its queues and
/// deletes it), then waits for an RCU grace period, so that it may be freed at any time.
///
/// Called when the device's private data is torn down, before the driver's data (which holds
/// the instances, normally) is dropped: an instance kept elsewhere (moved out of the private
/// data, say) is left detached, and its methods no longer touch the device, so it can outlive
/// it. Polls cannot run after this, so the driver's data is not polled while it is dropped.
///
/// # Safety
///
/// `dev` is a device created by these abstractions that no callback or work item can reach
/// any more, not yet freed: then nobody can add another instance to it.
pub(crate) unsafe fn detach_all(dev: *mut bindings::net_device) {
    crate::net::dev::with_rtnl(|_rtnl| {
        // SAFETY: (for the whole block) `dev` is valid (caller). Instances on its list are the
        // cores of `Napi`s: only `Napi::new` adds instances to the devices these abstractions
        // create, and an instance is on the list exactly while attached. RTNL and the instance
        // lock are held while each is detached; the next entry is read before the current one
        // leaves the list.
        unsafe {
            bindings::netdev_lock(dev);
            let head = &raw mut (*dev).napi_list;
            let mut pos = (*head).next;
            while pos != head {
                let next = (*pos).next;
                let napi = crate::container_of!(pos, bindings::napi_struct, dev_list);
                (*napi.cast::<NapiCore>()).detach_locked(dev);
                pos = next;
            }
            bindings::netdev_unlock(dev);
        }
    });
    // SAFETY: No precondition; after this, every `detached_gp` above has passed.
    unsafe { bindings::synchronize_net() };
}

/// A NAPI instance attached to a network device, with the poller state `P` beside it.
///
/// Created by [`Napi::new`] (`netif_napi_add`), deleted on drop (`netif_napi_del`) after
/// disabling it if it was enabled and unlinking its queues (taking RTNL for that unless the
/// current task holds it).
///
/// An instance does not keep its device alive: when the device's private data is torn down,
/// every instance still attached to it is disabled, unlinked and deleted first (this is what
/// `free_netdev` does in C). An instance kept past that (outside the private data) is
/// *detached*: scheduling it does nothing, enabling it is refused, and dropping it does not
/// touch the device. That is why the device is only reachable inside a poll
/// ([`NapiPoll::device`]), where the instance is known to be attached.
///
/// ```
/// use kernel::net::{
///     dev::{self, rtnl_lock, Device, TxOutcome, TxSkb},
///     ethtool,
///     napi::{self, Napi, NapiPoll},
///     registration::Registration,
/// };
///
/// struct Test;
///
/// #[vtable]
/// impl dev::Driver for Test {
///     type Data = ();
///
///     fn start_xmit<'call>(skb: TxSkb<'call>, _dev: &Device<Self>) -> TxOutcome<'call> {
///         drop(skb.accept());
///         TxOutcome::Ok
///     }
/// }
///
/// #[vtable]
/// impl ethtool::Operations for Test {}
///
/// struct Idle;
///
/// impl napi::Poll for Idle {
///     type Driver = Test;
///
///     fn poll(ctx: NapiPoll<'_, Self>) {
///         ctx.complete_done(0);
///     }
/// }
///
/// let reg = Registration::<Test>::new(c"rnapitest%d", 1, 1, ())?;
/// // An instance kept outside the device's private data, enabled.
/// let napi = KBox::pin_init(Napi::new(reg.device(), Idle), GFP_KERNEL)?;
/// napi.enable(&rtnl_lock());
/// assert!(napi.is_attached() && napi.is_enabled());
///
/// // Unregistering and freeing the device detaches it (after the scheduled poll ran).
/// drop(reg);
/// assert!(!napi.is_attached() && !napi.is_enabled());
/// assert!(!napi.schedule());
/// napi.enable(&rtnl_lock()); // Refused with a warning: it stays disabled.
/// assert!(!napi.is_enabled());
/// // Dropping it leaves the freed device alone.
/// drop(napi);
/// # Ok::<(), Error>(())
/// ```
#[pin_data(PinnedDrop)]
pub struct Napi<P: Poll> {
    #[pin]
    core: NapiCore,
    #[pin]
    poller: P,
}

// SAFETY: The NAPI core serialises polls; the other methods are safe to call concurrently from
// any context, and `P` is `Send + Sync`.
unsafe impl<P: Poll> Sync for Napi<P> {}
// SAFETY: See above.
unsafe impl<P: Poll> Send for Napi<P> {}

impl<P: Poll> Napi<P> {
    /// Initialises a NAPI instance for `dev` (default weight 64), disabled. `poller` is a value
    /// or a fallible or infallible initialiser of the poller state.
    pub fn new<'a, E: 'a>(
        dev: &'a Device<P::Driver>,
        poller: impl PinInit<P, E> + 'a,
    ) -> impl PinInit<Self, Error> + 'a
    where
        P: 'a,
        Error: From<E>,
    {
        let init = try_pin_init!(Self {
            core <- pin_init!(NapiCore {
                napi <- Opaque::ffi_init(|slot: *mut bindings::napi_struct| {
                    // SAFETY: `slot` is valid for writes; zero is the state C expects before
                    // `netif_napi_add`.
                    unsafe { slot.write_bytes(0, 1) }
                }),
                attached: AtomicBool::new(false),
                enabled: AtomicBool::new(false),
                linked: [AtomicU64::new(0), AtomicU64::new(0)],
                detached_gp: AtomicUsize::new(0),
            }),
            poller <- poller,
        }? Error);
        let dev = dev.as_raw();
        // SAFETY: On success the instance is fully initialised at `slot`; adding it to the
        // device records its address, which stays valid since it is pinned, and the drop
        // (or the device's teardown, `detach_all`) deletes it again. A `&Device` exists only
        // before the device's teardown, so it is not added to a device already torn down.
        unsafe {
            pin_init::pin_init_from_closure(move |slot: *mut Self| {
                pin_init::raw_try_init(slot, init)?;
                bindings::netif_napi_add_weight(
                    dev,
                    (*slot).core.raw(),
                    Some(Self::poll_callback),
                    bindings::NAPI_POLL_WEIGHT as c_int,
                );
                (*slot).core.attached.store(true, Ordering::Release);
                Ok(())
            })
        }
    }

    /// The poller state.
    pub fn poller(&self) -> &P {
        &self.poller
    }

    fn raw(&self) -> *mut bindings::napi_struct {
        self.core.raw()
    }

    /// Whether the instance is still attached to its device (see [`Napi`]: the device's
    /// teardown detaches instances kept outside its private data).
    pub fn is_attached(&self) -> bool {
        self.core.attached.load(Ordering::Acquire)
    }

    /// Enables polling (`napi_enable`); a no-op if already enabled. RTNL (the token)
    /// serialises it with [`Napi::disable`]: the flag and the C state change together.
    /// A no-op (with a warning) for an instance whose device was torn down: it stays disabled.
    pub fn enable(&self, _rtnl: &Rtnl) {
        // `napi_enable` takes the device's instance lock (a mutex).
        crate::task::might_sleep();
        if !self.is_attached() {
            crate::pr_warn!("napi: not enabling an instance whose device was torn down\n");
            return;
        }
        if !self.core.enabled.load(Ordering::Acquire) {
            // SAFETY: The instance is attached (RTNL is held, so it stays so) and disabled; RTNL
            // also keeps any other `enable`/`disable` out until the flag is set.
            unsafe { bindings::napi_enable(self.raw()) };
            self.core.enabled.store(true, Ordering::Release);
        }
    }

    /// Disables polling, waiting for a running poll to finish (`napi_disable`); a no-op if
    /// already disabled (or detached). Sleeps; serialised with [`Napi::enable`] by RTNL.
    pub fn disable(&self, _rtnl: &Rtnl) {
        crate::task::might_sleep();
        if self.is_attached() && self.core.enabled.load(Ordering::Acquire) {
            self.core.enabled.store(false, Ordering::Release);
            // SAFETY: The instance is attached (RTNL held) and was enabled (disabling twice
            // would hang); RTNL keeps other state changes out.
            unsafe { bindings::napi_disable(self.raw()) }
        }
    }

    /// Whether polling is enabled.
    pub fn is_enabled(&self) -> bool {
        self.core.enabled.load(Ordering::Acquire)
    }

    /// Schedules a poll on this CPU unless one is pending or the instance is disabled
    /// (`napi_schedule`). Returns whether it scheduled one.
    pub fn schedule(&self) -> bool {
        // SAFETY: The `napi_struct` lives as long as `self`. `napi_schedule` only touches it
        // (and this CPU's poll list): a disabled instance, which a detached one always is,
        // holds `NAPI_STATE_SCHED`, so it is not scheduled.
        unsafe { bindings::napi_schedule(self.raw()) }
    }

    /// Records `irq` as the interrupt that schedules this instance (`netif_napi_set_irq`), so
    /// netlink NAPI queries (`ynl --family netdev --dump napi-get`) report it, as the kernel's
    /// `drivers/net/hw/irq.py` expects of a NIC driver. The number stays recorded after the
    /// handler is freed (as in igb and e1000: it is the same vector at the next `open`). A no-op
    /// for an instance whose device was torn down. Sleeps (it takes the device's instance lock).
    pub fn set_irq(&self, _rtnl: &Rtnl, irq: &NetIrq<P::Driver>)
    where
        P::Driver: IrqHandler,
    {
        crate::task::might_sleep();
        if !self.is_attached() {
            return;
        }
        let Ok(number) = c_int::try_from(irq.irq()) else {
            return;
        };
        // SAFETY: The instance is attached (RTNL, held, keeps it so), so its device is alive.
        // With neither `irq_affinity_auto` nor `rx_cpu_rmap_auto` set on the device (no
        // abstraction sets them) the core only stores the number: no affinity notifier is
        // attached to the interrupt, so none is removed from it later either, whoever owns the
        // number by then. The device's instance lock is not held here: rnet's devices do not
        // run their operations under it (`Napi::enable` takes it the same way).
        unsafe { bindings::netif_napi_set_irq(self.raw(), number) }
    }

    /// Links device queue `queue` of `kind` to this instance (`netif_queue_set_napi`), so
    /// netlink queue queries report which NAPI serves it; [`Napi::unlink_queue`] undoes it, and
    /// so does dropping the instance. `EINVAL` for a queue the device does not have (or beyond
    /// 64), `ENODEV` if the device was torn down.
    pub fn link_queue(&self, _rtnl: &Rtnl, kind: QueueKind, queue: u32) -> Result {
        self.set_queue(kind, queue, true)
    }

    /// Removes the link made by [`Napi::link_queue`].
    pub fn unlink_queue(&self, _rtnl: &Rtnl, kind: QueueKind, queue: u32) {
        let _ = self.set_queue(kind, queue, false);
    }

    /// Links or unlinks a queue; the caller holds RTNL.
    fn set_queue(&self, kind: QueueKind, queue: u32, link: bool) -> Result {
        if !self.is_attached() {
            return Err(ENODEV);
        }
        // SAFETY: RTNL is held (caller) and the instance is attached.
        let dev = unsafe { self.core.dev() };
        // SAFETY: `dev` is alive while the instance is attached.
        let count = unsafe {
            match kind {
                QueueKind::Rx => (*dev).num_rx_queues,
                QueueKind::Tx => (*dev).num_tx_queues,
            }
        };
        if queue >= count.min(64) {
            return Err(EINVAL);
        }
        let bit = 1u64 << queue;
        let linked = &self.core.linked[kind as usize];
        let napi = if link {
            linked.fetch_or(bit, Ordering::AcqRel);
            self.raw()
        } else {
            if linked.fetch_and(!bit, Ordering::AcqRel) & bit == 0 {
                // Not ours (any more): leave whatever is linked alone.
                return Ok(());
            }
            core::ptr::null_mut()
        };
        // SAFETY: The queue exists (checked above); RTNL is held (caller), as the function
        // requires of a device that does not take the instance lock for its operations; the
        // instance stays added while linked (detaching unlinks).
        unsafe { bindings::netif_queue_set_napi(dev, queue, kind.raw(), napi) };
        Ok(())
    }

    /// # Safety
    ///
    /// Called by the NAPI core with an instance added by [`Napi::new`].
    unsafe extern "C" fn poll_callback(napi: *mut bindings::napi_struct, budget: c_int) -> c_int {
        // SAFETY: `napi` is the first field of the `core` of a pinned `Napi<P>` (see `new`).
        let this = unsafe { &*crate::container_of!(napi.cast::<NapiCore>(), Self, core) };
        let budget = budget.max(0) as u32;
        let completed = Cell::new(None);
        let xdp_flush = Cell::new(false);
        P::poll(NapiPoll {
            napi: this,
            budget,
            completed: &completed,
            xdp_flush: &xdp_flush,
            _not_send: PhantomData,
        });
        // Frames redirected by a poll that did not complete (or kept from the flush some other
        // way) must not stay queued past the poll: the queues hang off the core's per-poll
        // `bpf_net_context`.
        flush_xdp(&xdp_flush);
        // An instance that was not completed is still scheduled: report the whole budget so
        // the core polls it again (returning less would leave it scheduled but never polled).
        completed.get().unwrap_or(budget) as c_int
    }
}

#[pinned_drop]
impl<P: Poll> PinnedDrop for Napi<P> {
    fn drop(self: Pin<&mut Self>) {
        let core = &self.core;
        if !core.attached.load(Ordering::Acquire) {
            // Detached by the device's teardown (or never added): wait out the grace period
            // that began when it left the list, which has usually ended already.
            // SAFETY: No precondition.
            unsafe { bindings::cond_synchronize_rcu(core.detached_gp.load(Ordering::Relaxed)) };
            return;
        }
        crate::net::dev::with_rtnl(|_rtnl| {
            // Recheck under RTNL: the device's teardown may have detached it meanwhile.
            if core.attached.load(Ordering::Acquire) {
                // SAFETY: RTNL is held and the instance is attached, so its device is alive;
                // its instance lock is held across the detach.
                unsafe {
                    let dev = core.dev();
                    bindings::netdev_lock(dev);
                    core.detach_locked(dev);
                    bindings::netdev_unlock(dev);
                }
            }
        });
        // SAFETY: No precondition; the instance left its device's list above (or the
        // teardown's `synchronize_net` covers it).
        unsafe { bindings::cond_synchronize_rcu(core.detached_gp.load(Ordering::Relaxed)) };
    }
}
