// SPDX-License-Identifier: GPL-2.0

//! A receive queue's XDP registration (`struct xdp_rxq_info`).

use crate::{
    bindings, device,
    error::to_result,
    net::{
        dev::{Device, Driver},
        page_pool::PagePool,
    },
    prelude::*,
    sync::aref::ARef,
    types::Opaque,
};

/// The XDP registration of one receive queue of a device: its index and device, which XDP
/// programs read (`ctx->rx_queue_index`, `ctx->ingress_ifindex`), and the memory model of its
/// buffers — the queue's page pool (`MEM_TYPE_PAGE_POOL`), so that frames sent back or
/// redirected return their pages to it. Unregistered on drop (`xdp_rxq_info_unreg`).
///
/// The registration holds a user reference on the pool (`page_pool_use_xdp_mem`; dropped by
/// the unregistration), so the two may be dropped in either order, both in process context.
/// Whichever goes last destroys the pool, unmapping its pages for the device: the
/// registration keeps that device alive as the pool does.
///
/// A software device whose buffers are socket buffers' pages registers its queues with shared
/// pages instead ([`XdpRxq::new_shared`], `MEM_TYPE_PAGE_SHARED`, as veth): frames leaving
/// such a queue hold page references of their own ([`super::run_skb`]).
///
/// # Invariants
///
/// `info` is registered (`__xdp_rxq_info_reg` and `xdp_rxq_info_reg_mem_model`, with
/// `MEM_TYPE_PAGE_POOL` when `dma_dev` is set, else `MEM_TYPE_PAGE_SHARED`) for the device
/// `dev`, and stays so until the drop.
pub struct XdpRxq {
    info: KBox<Opaque<bindings::xdp_rxq_info>>,
    dev: *mut bindings::net_device,
    /// The pool's DMA device, for a pool destroyed by the unregistration (dropped after it);
    /// `None` for a registration with shared pages ([`XdpRxq::new_shared`]).
    dma_dev: Option<ARef<device::Device>>,
}

// SAFETY: The registration may be dropped on any CPU in process context; `dev` is only
// compared, never dereferenced.
unsafe impl Send for XdpRxq {}
// SAFETY: After registration the structure is only read (by XDP programs, through
// `xdp_buff.rxq`).
unsafe impl Sync for XdpRxq {}

impl XdpRxq {
    /// Registers receive queue `queue` of `dev`, whose buffers come from `pool`. Sleeps.
    pub fn new<T: Driver>(dev: &Device<T>, queue: u32, pool: &PagePool) -> Result<Self> {
        crate::task::might_sleep();
        let info = KBox::new(Opaque::<bindings::xdp_rxq_info>::zeroed(), GFP_KERNEL)?;
        // SAFETY: `info` is zeroed memory we own; `dev` is a valid device. No NAPI id: igb
        // passes none either (the id is only reported to AF_XDP busy polling).
        to_result(unsafe { bindings::__xdp_rxq_info_reg(info.get(), dev.as_raw(), queue, 0, 0) })?;
        // SAFETY: `info` was just registered; the pool is alive (borrowed) and gains a user
        // reference that the unregistration drops.
        let ret = unsafe {
            bindings::xdp_rxq_info_reg_mem_model(
                info.get(),
                bindings::xdp_mem_type_MEM_TYPE_PAGE_POOL,
                pool.as_raw().cast(),
            )
        };
        if let Err(e) = to_result(ret) {
            // SAFETY: Registered above; the memory model is not, which the unregistration
            // copes with (it unregisters a model only if one has an id).
            unsafe { bindings::xdp_rxq_info_unreg(info.get()) };
            return Err(e);
        }
        // INVARIANT: Both registrations succeeded for `dev`, with the pool.
        Ok(Self {
            info,
            dev: dev.as_raw(),
            dma_dev: Some(pool.dma_device()),
        })
    }

    /// Registers receive queue `queue` of `dev`, whose frames are in pages they hold
    /// references to (`MEM_TYPE_PAGE_SHARED`: returned with `page_frag_free`), for
    /// [`super::run_skb`] and [`super::run_frame`]. Sleeps.
    pub fn new_shared<T: Driver>(dev: &Device<T>, queue: u32) -> Result<Self> {
        crate::task::might_sleep();
        let info = KBox::new(Opaque::<bindings::xdp_rxq_info>::zeroed(), GFP_KERNEL)?;
        // SAFETY: `info` is zeroed memory we own; `dev` is a valid device.
        to_result(unsafe { bindings::__xdp_rxq_info_reg(info.get(), dev.as_raw(), queue, 0, 0) })?;
        // SAFETY: `info` was just registered; shared pages need no allocator.
        let ret = unsafe {
            bindings::xdp_rxq_info_reg_mem_model(
                info.get(),
                bindings::xdp_mem_type_MEM_TYPE_PAGE_SHARED,
                core::ptr::null_mut(),
            )
        };
        if let Err(e) = to_result(ret) {
            // SAFETY: Registered above, without a memory model.
            unsafe { bindings::xdp_rxq_info_unreg(info.get()) };
            return Err(e);
        }
        // INVARIANT: Both registrations succeeded for `dev`, with shared pages.
        Ok(Self {
            info,
            dev: dev.as_raw(),
            dma_dev: None,
        })
    }

    pub(crate) fn as_raw(&self) -> *mut bindings::xdp_rxq_info {
        self.info.get()
    }

    /// Whether this is a queue of the device `dev` points to.
    pub(crate) fn is_of(&self, dev: *mut bindings::net_device) -> bool {
        self.dev == dev
    }

    /// Whether the queue's memory model is a page pool (else shared pages).
    pub(crate) fn has_pool(&self) -> bool {
        self.dma_dev.is_some()
    }
}

impl Drop for XdpRxq {
    /// Unregisters the queue. Sleeps: if the pool was destroyed already, this drops its last
    /// user reference, and freeing it disconnects it from XDP's memory-model table under a
    /// mutex.
    fn drop(&mut self) {
        crate::task::might_sleep();
        // SAFETY: Registered (type invariant); unregistering drops the pool's user reference.
        unsafe { bindings::xdp_rxq_info_unreg(self.info.get()) }
    }
}
