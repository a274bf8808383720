// SPDX-License-Identifier: GPL-2.0

//! BPF program references, the slot a driver keeps its XDP program in, and the `ndo_bpf`
//! request that installs one. Uses nothing of `net` but the RTNL token.

use crate::{bindings, net::dev::Rtnl, prelude::*, sync::rcu};
use core::{
    marker::PhantomData,
    mem::ManuallyDrop,
    ptr::NonNull,
    sync::atomic::{AtomicPtr, Ordering},
};

/// An owned reference to a BPF program (`struct bpf_prog`).
///
/// Dropping it puts the reference (`bpf_prog_put`); the program is freed after an RCU grace
/// period once the last reference is gone, so a pointer loaded under an [`rcu::Guard`] stays
/// valid until that guard is dropped (see [`XdpProgSlot`]).
///
/// # Invariants
///
/// `prog` is a valid program on which this object owns one reference.
pub struct BpfProg {
    prog: NonNull<bindings::bpf_prog>,
}

// SAFETY: The reference count is atomic and the reference may be put from any context
// (`bpf_prog_put` defers to a work item in hard interrupt context).
unsafe impl Send for BpfProg {}
// SAFETY: A program is immutable once loaded and may run on several CPUs at once; `&BpfProg`
// gives nothing else.
unsafe impl Sync for BpfProg {}

impl BpfProg {
    /// Takes a new reference to `prog` (`bpf_prog_inc`).
    ///
    /// # Safety
    ///
    /// `prog` is a valid program on which the caller holds a reference for the call.
    pub(crate) unsafe fn inc(prog: NonNull<bindings::bpf_prog>) -> Self {
        // SAFETY: `prog` is valid and referenced (caller), so it may gain a reference.
        unsafe { bindings::rnet_bpf_prog_inc(prog.as_ptr()) };
        // INVARIANT: The reference just taken.
        Self { prog }
    }

    /// The program's id, as `ip link` and `bpftool prog` show it.
    pub fn id(&self) -> u32 {
        // SAFETY: The program is valid (type invariant); its `aux` lives as long as it.
        unsafe { bindings::rnet_bpf_prog_id(self.prog.as_ptr()) }
    }

    /// Whether the program handles frames with fragments (multi-buffer XDP, loaded with
    /// `BPF_F_XDP_HAS_FRAGS`, as `xdp.frags` sections are).
    pub fn has_frags(&self) -> bool {
        // SAFETY: The program is valid (type invariant); its `aux` lives as long as it.
        unsafe { bindings::rnet_bpf_prog_xdp_has_frags(self.prog.as_ptr()) }
    }

    /// A borrowed handle on this program, to run it.
    pub fn as_ref(&self) -> XdpProgRef<'_> {
        XdpProgRef {
            prog: self.prog,
            _p: PhantomData,
        }
    }
}

impl Drop for BpfProg {
    fn drop(&mut self) {
        // SAFETY: We own one reference (type invariant).
        unsafe { bindings::rnet_bpf_prog_put(self.prog.as_ptr()) }
    }
}

/// A program that stays valid for `'a`: borrowed from a [`BpfProg`], or loaded from an
/// [`XdpProgSlot`] inside an RCU read-side critical section.
///
/// # Invariants
///
/// `prog` is a valid program for `'a`.
#[derive(Clone, Copy)]
pub struct XdpProgRef<'a> {
    prog: NonNull<bindings::bpf_prog>,
    _p: PhantomData<&'a BpfProg>,
}

impl XdpProgRef<'_> {
    /// The program's id.
    pub fn id(&self) -> u32 {
        // SAFETY: The program is valid (type invariant).
        unsafe { bindings::rnet_bpf_prog_id(self.prog.as_ptr()) }
    }

    pub(crate) fn as_raw(&self) -> *mut bindings::bpf_prog {
        self.prog.as_ptr()
    }
}

/// The XDP program of a device (or a queue): replaced under RTNL, read locklessly by the
/// receive path.
///
/// The slot owns a reference to its program. [`XdpProgSlot::replace`] swaps the pointer
/// atomically (igb's `xchg(&adapter->xdp_prog, prog)`) and returns the old reference to the
/// caller; readers load the pointer once ([`XdpProgSlot::get`], `READ_ONCE`) inside an RCU
/// read-side critical section — a NAPI poll runs with bottom halves disabled, which is one, and
/// taking [`rcu::read_lock`] there costs nothing more. A program swapped out while a poll still
/// runs it stays alive: its last reference is put only after the exchange, and
/// `bpf_prog_put` frees it after a grace period, which waits for that poll. The same holds
/// when the slot is dropped.
///
/// ```
/// use kernel::net::xdp::XdpProgSlot;
/// use kernel::sync::rcu;
///
/// let slot = XdpProgSlot::new();
/// assert!(!slot.is_set());
/// let guard = rcu::read_lock();
/// assert!(slot.get(&guard).is_none());
/// ```
///
/// # Invariants
///
/// `prog` is null or a program on which the slot owns one reference.
pub struct XdpProgSlot {
    prog: AtomicPtr<bindings::bpf_prog>,
}

// SAFETY: The slot holds a `BpfProg` (which is `Send`) behind an atomic pointer.
unsafe impl Send for XdpProgSlot {}
// SAFETY: Concurrent access goes through the atomic pointer: loads hand out references bound to
// an RCU guard, swaps happen under RTNL and move references in and out.
unsafe impl Sync for XdpProgSlot {}

impl Default for XdpProgSlot {
    fn default() -> Self {
        Self::new()
    }
}

impl XdpProgSlot {
    /// An empty slot.
    pub const fn new() -> Self {
        Self {
            prog: AtomicPtr::new(core::ptr::null_mut()),
        }
    }

    /// Whether a program is installed (igb's `igb_xdp_is_enabled`). A hint only: it may
    /// change right after, unless the caller holds RTNL.
    pub fn is_set(&self) -> bool {
        !self.prog.load(Ordering::Relaxed).is_null()
    }

    /// The installed program, valid while `guard` is held.
    pub fn get<'a>(&'a self, _guard: &'a rcu::Guard) -> Option<XdpProgRef<'a>> {
        let prog = NonNull::new(self.prog.load(Ordering::Acquire))?;
        // INVARIANT: The slot held a reference when we loaded the pointer; a reference swapped
        // out or dropped since is put after the swap, and the program is then freed only after
        // an RCU grace period, which cannot end while `guard` is held.
        Some(XdpProgRef {
            prog,
            _p: PhantomData,
        })
    }

    /// Installs `prog` (or empties the slot) and returns the previous program, whose reference
    /// the caller now owns (dropping it puts it; readers still running it are safe, see the
    /// type's documentation). Under RTNL, so that replacements are ordered.
    pub fn replace(&self, _rtnl: &Rtnl, prog: Option<BpfProg>) -> Option<BpfProg> {
        let new = prog.map_or(core::ptr::null_mut(), |p| {
            ManuallyDrop::new(p).prog.as_ptr()
        });
        let old = self.prog.swap(new, Ordering::AcqRel);
        // INVARIANT: The slot now owns the reference `prog` had; the old one goes to the
        // caller.
        NonNull::new(old).map(|prog| BpfProg { prog })
    }
}

impl Drop for XdpProgSlot {
    fn drop(&mut self) {
        let old = *self.prog.get_mut();
        if let Some(prog) = NonNull::new(old) {
            // The slot owned this reference (type invariant); dropping it puts it.
            drop(BpfProg { prog });
        }
    }
}

/// An `ndo_bpf` request to install or remove the device's XDP program (`XDP_SETUP_PROG`), for
/// [`Driver::xdp_setup`](crate::net::dev::Driver::xdp_setup).
///
/// It owns a reference to the new program: the driver keeps it with [`XdpSetup::take_prog`]
/// (usually in an [`XdpProgSlot`]) or lets it go. A refusal is explained with
/// [`XdpSetup::set_error`], which `ip link` prints after "Error:".
pub struct XdpSetup<'a> {
    prog: Option<BpfProg>,
    flags: u32,
    extack: *mut bindings::netlink_ext_ack,
    _p: PhantomData<&'a mut bindings::netlink_ext_ack>,
}

impl XdpSetup<'_> {
    /// # Safety
    ///
    /// `bpf` is the valid `XDP_SETUP_PROG` request of one `ndo_bpf` call, and `'a` does not
    /// outlive the call.
    pub(crate) unsafe fn new(bpf: &bindings::netdev_bpf) -> Self {
        // SAFETY: For `XDP_SETUP_PROG` the first member of the union is the active one
        // (caller).
        let req = unsafe { &bpf.__bindgen_anon_1.__bindgen_anon_1 };
        // SAFETY: The core holds a reference on the program for the call (`dev_xdp_install`
        // takes one before calling `ndo_bpf`).
        let prog = NonNull::new(req.prog).map(|p| unsafe { BpfProg::inc(p) });
        Self {
            prog,
            flags: req.flags,
            extack: req.extack,
            _p: PhantomData,
        }
    }

    /// The program to install, `None` to remove the current one.
    pub fn prog(&self) -> Option<&BpfProg> {
        self.prog.as_ref()
    }

    /// Whether a program is to be installed (else the current one is removed).
    pub fn has_prog(&self) -> bool {
        self.prog.is_some()
    }

    /// Takes the program to keep it.
    pub fn take_prog(&mut self) -> Option<BpfProg> {
        self.prog.take()
    }

    /// The `XDP_FLAGS_*` of the request (`XDP_FLAGS_DRV_MODE`, `XDP_FLAGS_REPLACE`, ...).
    pub fn flags(&self) -> u32 {
        self.flags
    }

    /// Explains a refusal to the user (`NL_SET_ERR_MSG`): the message goes back in the
    /// netlink extended ack. Return the matching error from `xdp_setup`.
    pub fn set_error(&self, msg: &'static CStr) {
        if !self.extack.is_null() {
            // SAFETY: A non-null `extack` is valid for the call (constructor); the message is
            // static, as the extack keeps the pointer.
            unsafe { (*self.extack)._msg = msg.as_char_ptr() };
        }
    }
}
