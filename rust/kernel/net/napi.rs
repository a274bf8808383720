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
        dev::{Device, Driver, Rtnl},
        skbuff::SkBuff,
    },
    prelude::*,
    types::Opaque,
};
use core::{
    cell::Cell,
    marker::PhantomData,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
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
    /// Polls run in softirq context on one CPU.
    _not_send: PhantomData<*mut ()>,
}

impl<'a, P: Poll> NapiPoll<'a, P> {
    /// The instance being polled.
    pub fn napi(&self) -> &'a Napi<P> {
        self.napi
    }

    /// How many packets this poll may process.
    pub fn budget(&self) -> u32 {
        self.budget
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
        // SAFETY: Called from this instance's poll routine (see `gro_receive`), once (`self`
        // is consumed), with less work than the budget.
        unsafe { bindings::napi_complete_done(self.napi.raw(), work_done as c_int) }
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

/// A NAPI instance attached to a network device, with the poller state `P` beside it.
///
/// Created by [`Napi::new`] (`netif_napi_add`), deleted on drop (`netif_napi_del`), after
/// disabling it if it was enabled. It must be dropped before its device is freed, which holds
/// for instances kept in the device's private data.
///
/// # Invariants
///
/// `napi` was added to `dev` by `netif_napi_add_weight`; `enabled` tracks whether
/// `napi_enable` is in effect, and only changes under RTNL or with exclusive access (drop).
#[pin_data(PinnedDrop)]
pub struct Napi<P: Poll> {
    #[pin]
    napi: Opaque<bindings::napi_struct>,
    enabled: AtomicBool,
    /// Queues (bit = index, receive and transmit) linked to this instance with
    /// [`Napi::link_queue`], unlinked again on drop at the latest.
    linked: [AtomicU64; 2],
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
            napi <- Opaque::ffi_init(|slot: *mut bindings::napi_struct| {
                // SAFETY: `slot` is valid for writes; zero is the state C expects before
                // `netif_napi_add`.
                unsafe { slot.write_bytes(0, 1) }
            }),
            enabled: AtomicBool::new(false),
            linked: [AtomicU64::new(0), AtomicU64::new(0)],
            poller <- poller,
        }? Error);
        let dev = dev.as_raw();
        // SAFETY: On success the instance is fully initialised at `slot`; adding it to the
        // device only records its address, which stays valid since it is pinned.
        unsafe {
            pin_init::pin_init_from_closure(move |slot: *mut Self| {
                pin_init::raw_try_init(slot, init)?;
                bindings::netif_napi_add_weight(
                    dev,
                    (*slot).napi.get(),
                    Some(Self::poll_callback),
                    bindings::NAPI_POLL_WEIGHT as c_int,
                );
                Ok(())
            })
        }
    }

    /// The poller state.
    pub fn poller(&self) -> &P {
        &self.poller
    }

    /// The device the instance was added to.
    pub fn device(&self) -> &Device<P::Driver> {
        // SAFETY: `netif_napi_add` stored the device given to `new`, a `Device<P::Driver>`
        // with initialised data; the instance is deleted before the device is freed.
        unsafe { Device::from_raw((*self.raw()).dev) }
    }

    fn raw(&self) -> *mut bindings::napi_struct {
        self.napi.get()
    }

    /// Enables polling (`napi_enable`); a no-op if already enabled. RTNL (the token)
    /// serialises it with [`Napi::disable`]: the flag and the C state change together.
    pub fn enable(&self, _rtnl: &Rtnl) {
        // `napi_enable` takes the device's instance lock (a mutex).
        crate::task::might_sleep();
        if !self.enabled.load(Ordering::Acquire) {
            // SAFETY: The instance is added (type invariant) and disabled; RTNL is held, so no
            // other `enable`/`disable` runs between the check and the call.
            unsafe { bindings::napi_enable(self.raw()) };
            self.enabled.store(true, Ordering::Release);
        }
    }

    /// Disables polling, waiting for a running poll to finish (`napi_disable`); a no-op if
    /// already disabled. Sleeps; serialised with [`Napi::enable`] by RTNL.
    pub fn disable(&self, _rtnl: &Rtnl) {
        // SAFETY: RTNL is held (token), which serialises state changes.
        unsafe { self.disable_serialised() }
    }

    /// # Safety
    ///
    /// No [`Napi::enable`] or [`Napi::disable`] runs concurrently (RTNL held, or `&mut`).
    unsafe fn disable_serialised(&self) {
        crate::task::might_sleep();
        if self.enabled.load(Ordering::Acquire) {
            self.enabled.store(false, Ordering::Release);
            // SAFETY: The instance is added and was enabled (disabling twice would hang), and
            // no other state change runs concurrently (function contract).
            unsafe { bindings::napi_disable(self.raw()) }
        }
    }

    /// Whether polling is enabled.
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// Schedules a poll on this CPU unless one is pending or the instance is disabled
    /// (`napi_schedule`). Returns whether it scheduled one.
    pub fn schedule(&self) -> bool {
        // SAFETY: The instance is added; the C function checks the disabled state itself.
        unsafe { bindings::napi_schedule(self.raw()) }
    }

    /// Links device queue `queue` of `kind` to this instance (`netif_queue_set_napi`), so
    /// netlink queue queries report which NAPI serves it; [`Napi::unlink_queue`] undoes it.
    /// `EINVAL` for a queue the device does not have (or beyond 64).
    pub fn link_queue(&self, _rtnl: &Rtnl, kind: QueueKind, queue: u32) -> Result {
        self.set_queue(kind, queue, self.raw())
    }

    /// Removes the link made by [`Napi::link_queue`].
    pub fn unlink_queue(&self, _rtnl: &Rtnl, kind: QueueKind, queue: u32) {
        let _ = self.set_queue(kind, queue, core::ptr::null_mut());
    }

    fn set_queue(&self, kind: QueueKind, queue: u32, napi: *mut bindings::napi_struct) -> Result {
        let dev = self.device();
        let count = match kind {
            QueueKind::Rx => dev.num_rx_queues(),
            QueueKind::Tx => dev.num_tx_queues(),
        };
        if queue >= count.min(64) {
            return Err(EINVAL);
        }
        let bit = 1u64 << queue;
        let linked = &self.linked[kind as usize];
        if napi.is_null() {
            if linked.fetch_and(!bit, Ordering::AcqRel) & bit == 0 {
                // Not ours (any more): leave whatever is linked alone.
                return Ok(());
            }
        } else {
            linked.fetch_or(bit, Ordering::AcqRel);
        }
        // SAFETY: The queue exists (checked above); RTNL is held (token) for a registered
        // device, and the instance stays added while linked (drop unlinks).
        unsafe { bindings::netif_queue_set_napi(dev.as_raw(), queue, kind.raw(), napi) };
        Ok(())
    }

    /// # Safety
    ///
    /// Called by the NAPI core with an instance added by [`Napi::new`].
    unsafe extern "C" fn poll_callback(napi: *mut bindings::napi_struct, budget: c_int) -> c_int {
        // SAFETY: `napi` is the `napi` field of a pinned `Napi<P>` (see `new`); `Opaque` is
        // transparent, so the field's address is the instance's address minus its offset.
        let this = unsafe {
            &*crate::container_of!(napi.cast::<Opaque<bindings::napi_struct>>(), Self, napi)
        };
        let budget = budget.max(0) as u32;
        let completed = Cell::new(None);
        P::poll(NapiPoll {
            napi: this,
            budget,
            completed: &completed,
            _not_send: PhantomData,
        });
        // An instance that was not completed is still scheduled: report the whole budget so
        // the core polls it again (returning less would leave it scheduled but never polled).
        completed.get().unwrap_or(budget) as c_int
    }
}

#[pinned_drop]
impl<P: Poll> PinnedDrop for Napi<P> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: `self` is exclusive, so no `enable`/`disable` runs concurrently.
        unsafe { self.disable_serialised() };
        let dev = self.device().as_raw();
        for kind in [QueueKind::Rx, QueueKind::Tx] {
            let mut linked = self.linked[kind as usize].swap(0, Ordering::AcqRel);
            while linked != 0 {
                let queue = linked.trailing_zeros() as usize;
                linked &= linked - 1;
                // SAFETY: (for the whole block) The queue exists (checked against the allocated
                // count when linked) and still points here. This unlinks it without
                // `netif_queue_set_napi()`'s lock assertion: the device is being torn down or
                // RTNL is held by whoever drops a live instance, so no netlink reader follows the
                // pointer concurrently (`WRITE_ONCE` as in C).
                unsafe {
                    match kind {
                        QueueKind::Rx => core::ptr::write_volatile(
                            &raw mut (*(*dev)._rx.add(queue)).napi,
                            core::ptr::null_mut(),
                        ),
                        QueueKind::Tx => core::ptr::write_volatile(
                            &raw mut (*(*dev)._tx.add(queue)).napi,
                            core::ptr::null_mut(),
                        ),
                    }
                }
            }
        }
        // SAFETY: The instance was added and is now disabled; deleting it unlinks it from the
        // device and waits for an RCU grace period (`netif_napi_del`).
        unsafe { bindings::netif_napi_del(self.raw()) };
    }
}
