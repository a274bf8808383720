// SPDX-License-Identifier: GPL-2.0

//! Page pools: DMA-mapped receive buffers that are recycled instead of freed
//! (`struct page_pool`).
//!
//! C headers: [`include/net/page_pool/types.h`](srctree/include/net/page_pool/types.h),
//! [`include/net/page_pool/helpers.h`](srctree/include/net/page_pool/helpers.h); see also
//! `Documentation/networking/page_pool.rst`.
//!
//! A NIC driver creates one [`PagePool`] per receive queue. The pool maps its pages for the
//! device once (`PP_FLAG_DMA_MAP`) and syncs them for the device when they come back
//! (`PP_FLAG_DMA_SYNC_DEV`), so the receive path neither allocates nor maps per frame: the
//! driver takes a [`RxBuf`] (a fragment of a pool page) for each receive descriptor, gives the
//! device [`RxBuf::dma_address`], and when the device reports a frame turns the buffer into an
//! skb around the received bytes ([`RxBuf::build_skb`], `napi_build_skb` with
//! `skb_mark_for_recycle`). Freeing that skb, wherever the stack does it, returns the page to
//! the pool; a buffer dropped instead (an errored frame, a ring freed) returns it too.
//!
//! # Layout of a buffer
//!
//! Each fragment is `headroom | device area (buf_len bytes) ...` and, once built into an skb,
//! the `struct skb_shared_info` lies at the end of the fragment. The device may write its whole
//! area (a NIC is told a buffer size, and whatever its frame-length limit says, nothing but that
//! size bounds its writes), so fragments never overlap one another's device area. The shared
//! info may overlap the tail of the device area: it is written by the CPU only after the device
//! completed the buffer, and a frame that reaches into it is refused ([`RxBuf::build_skb`]
//! checks the length against [`PagePool::max_frame_len`]).
//!
//! # Soundness notes
//!
//! - A pool page in flight (held by an [`RxBuf`] or by an skb) keeps the `struct page_pool`
//!   allocated: `page_pool_destroy` counts in-flight pages and defers the free until the last
//!   one came back (`page_pool_release`, retried from a work item), so an [`RxBuf`] may outlive
//!   its [`PagePool`] and still return its page. `page_pool_destroy` also unmaps in-flight
//!   pages and turns off sync-for-device (`page_pool_scrub`), so a page returned after the
//!   destruction touches neither the DMA API nor the device.
//! - The CPU reads a buffer only through [`RxBuf::build_skb`], after syncing the received bytes
//!   for the CPU, and only with the live pool at hand (the DMA mapping exists until the pool is
//!   destroyed). The driver calls it once the device reported the buffer complete.
//! - The pool's lockless allocation cache has a single consumer: [`PagePool`] is not `Sync`, so
//!   its methods are never called concurrently. The pool is not linked to a NAPI instance, so
//!   skbs freed elsewhere never recycle into that cache ("direct recycling", which would need
//!   proof that allocation happens only in that instance's poll). XDP frames the core hands
//!   back while flushing redirects (`xdp_do_flush`, after the driver let go of the pool) would
//!   recycle directly: the NAPI abstraction flushes with direct returns turned off
//!   (`xdp_set_return_frame_no_direct`), as cpumap and veth do.

use crate::{
    bindings,
    device::{self, Bound},
    dma::{DataDirection, DmaAddress},
    error::from_err_ptr,
    net::{napi, skbuff::SkBuff},
    prelude::*,
    sync::aref::ARef,
};
use core::{cell::Cell, marker::PhantomData, mem::ManuallyDrop, ptr::NonNull};

/// Headroom the stack likes in front of a received frame (`NET_SKB_PAD + NET_IP_ALIGN`), for
/// [`PagePool::new`].
pub fn rx_headroom() -> u32 {
    // SAFETY: No precondition.
    unsafe { bindings::rnet_rx_headroom() }
}

/// Space that `napi_build_skb` puts at the end of a buffer for `struct skb_shared_info`.
const SHINFO_SIZE: u32 = crate::net::skbuff::SHARED_INFO_SIZE;

/// Size of a base page in bytes.
const PAGE_SIZE: u32 = crate::page::PAGE_SIZE as u32;

/// Largest page order a pool is created with (32 KiB pages on 4 KiB base pages).
const MAX_ORDER: u32 = 3;

/// How a pool lays out its buffers (computed by [`PagePool::new`]).
///
/// A fragment holds the headroom and the device area, or the headroom, the largest frame and
/// the shared info if that is longer, rounded up to the DMA and cache-line alignment; a page
/// holds [`BufLayout::frags_per_page`] of them, none straddling its end.
///
/// # Examples
///
/// ```
/// use kernel::net::page_pool::BufLayout;
///
/// // Standard frames in 2 KiB device buffers without headroom: two buffers per 4 KiB page.
/// let std = BufLayout::new(2048, 0, 1522, 1)?;
/// assert_eq!((std.order, std.frag_size, std.frags_per_page), (0, 2048, 2));
/// assert!((1522..=2048).contains(&std.max_frame_len));
///
/// // 9000-byte MTU in 9 KiB device buffers after 64 bytes of headroom: one 16 KiB page each.
/// let jumbo = BufLayout::new(9216, 64, 9022, 1)?;
/// assert_eq!((jumbo.order, jumbo.frags_per_page), (2, 1));
/// assert!(jumbo.frag_size >= 64 + 9216 && jumbo.max_frame_len >= 9022);
/// assert!(jumbo.max_frame_len <= 9216);
///
/// // Nothing to receive into, or too large for a pool page.
/// assert_eq!(BufLayout::new(0, 0, 1522, 1), Err(EINVAL));
/// assert_eq!(BufLayout::new(2048, 0, 0, 1), Err(EINVAL));
/// assert_eq!(BufLayout::new(40 * 1024, 0, 1522, 1), Err(EINVAL));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufLayout {
    /// Page order of the pool (pages of `PAGE_SIZE << order` bytes).
    pub order: u32,
    /// Bytes of each fragment, a multiple of the alignment.
    pub frag_size: u32,
    /// How many fragments a page of the pool is split into (at least 1).
    pub frags_per_page: u32,
    /// The longest frame a buffer takes: no more than the device area, and short enough for the
    /// shared info to fit after it.
    pub max_frame_len: u32,
}

impl BufLayout {
    /// The layout of buffers whose device area is `buf_len` bytes after `headroom` bytes and
    /// that hold frames of up to `max_frame` bytes, for DMA alignment `dma_align`
    /// (`dma_get_cache_alignment`). `EINVAL` if `buf_len` or `max_frame` is 0 or a fragment
    /// would not fit in a page of order 3.
    pub fn new(buf_len: u32, headroom: u32, max_frame: u32, dma_align: u32) -> Result<Self> {
        if buf_len == 0 || max_frame == 0 {
            return Err(EINVAL);
        }
        let align = dma_align
            .max(bindings::RNET_SMP_CACHE_BYTES)
            .max(8)
            .checked_next_power_of_two()
            .ok_or(EINVAL)?;
        let device_end = headroom.checked_add(buf_len).ok_or(EINVAL)?;
        let with_shinfo = headroom
            .checked_add(max_frame)
            .and_then(|n| n.checked_add(SHINFO_SIZE))
            .ok_or(EINVAL)?
            .max(device_end);
        let frag_size = with_shinfo.checked_next_multiple_of(align).ok_or(EINVAL)?;
        let mut order = 0;
        while PAGE_SIZE << order < frag_size {
            order += 1;
            if order > MAX_ORDER {
                return Err(EINVAL);
            }
        }
        // `frag_size >= headroom + max_frame + SHINFO_SIZE`, so no underflow.
        let max_frame_len = (frag_size - SHINFO_SIZE - headroom).min(buf_len);
        // (No division by zero: `frag_size` is at least the alignment.)
        let frags_per_page = (PAGE_SIZE << order).checked_div(frag_size).ok_or(EINVAL)?;
        Ok(Self {
            order,
            frag_size,
            frags_per_page,
            max_frame_len,
        })
    }
}

/// Fragments of a pool page not handed out yet (see [`PagePool`]'s invariants).
#[derive(Clone, Copy)]
struct SpareFrags {
    page: NonNull<bindings::page>,
    offset: u32,
    left: u32,
}

/// A pool of DMA-mapped pages for one receive queue (`page_pool_create`), destroyed on drop
/// (`page_pool_destroy`).
///
/// # Invariants
///
/// `pool` was returned by a successful `page_pool_create` with `PP_FLAG_DMA_MAP |
/// PP_FLAG_DMA_SYNC_DEV`, `DMA_FROM_DEVICE`, `order`, no NAPI instance, and `dev` as the DMA
/// device; it is destroyed only by the drop. `frag_size`, `max_frame_len` and the order are those
/// of the [`BufLayout`] for `buf_len` and `headroom`, so `frag_size` fits a page of the pool
/// `frags_per_page` times, `headroom + buf_len <= frag_size` and
/// `headroom + max_frame_len + SHINFO_SIZE <= frag_size`. `spare`, if set, is a page of the pool
/// whose fragments from `offset` on, `left` of them (`left >= 1`), are not handed out yet, each
/// with one fragment reference the pool object owns.
pub struct PagePool {
    pool: NonNull<bindings::page_pool>,
    /// The device the pages are mapped for, kept alive until the pool is destroyed.
    dev: ARef<device::Device>,
    frag_size: u32,
    frags_per_page: u32,
    /// The rest of the page the last buffer came from (see the invariants).
    spare: Cell<Option<SpareFrags>>,
    headroom: u32,
    buf_len: u32,
    max_frame_len: u32,
    /// Not `Sync`: allocation is single-consumer (see the module documentation).
    _not_sync: PhantomData<Cell<()>>,
}

// SAFETY: A pool may be used from, and destroyed on, any CPU in process or softirq context; it
// is only accessed from one at a time (it is not `Sync`).
unsafe impl Send for PagePool {}

impl PagePool {
    /// Creates a pool for receive buffers of `dev` (`page_pool_create`), with room for
    /// `pool_size` recycled pages (the ring size is a good value) and fragments in which the
    /// device may write `buf_len` bytes after `headroom` bytes ([`rx_headroom`] for the
    /// stack's usual headroom, 0 for none), and that hold a frame of up to `max_frame` bytes
    /// with the skb's shared info after it.
    ///
    /// With no headroom, `buf_len` 2048 and a standard frame (1522 bytes), a fragment is half a
    /// 4 KiB page. Fails with `EINVAL` if `buf_len` or `max_frame` is 0 or a fragment would
    /// not fit in 32 KiB, and with the error of `page_pool_create` (`ENOMEM`). Sleeps.
    pub fn new(
        dev: &device::Device<Bound>,
        pool_size: u32,
        buf_len: u32,
        headroom: u32,
        max_frame: u32,
    ) -> Result<Self> {
        crate::task::might_sleep();
        // SAFETY: No precondition.
        let dma_align = unsafe { bindings::rnet_dma_get_cache_alignment() }.max(1) as u32;
        let layout = BufLayout::new(buf_len, headroom, max_frame, dma_align)?;
        let order = layout.order;
        let params = bindings::page_pool_params {
            __bindgen_anon_1: bindings::page_pool_params__bindgen_ty_1 {
                __bindgen_anon_1: bindings::page_pool_params__bindgen_ty_1__bindgen_ty_1 {
                    order,
                    pool_size: pool_size.max(1),
                    nid: bindings::NUMA_NO_NODE,
                    dev: dev.as_raw(),
                    napi: core::ptr::null_mut(),
                    dma_dir: DataDirection::FromDevice.into(),
                    // Synced for the device on recycling: the whole page (fragments are
                    // recycled with their page).
                    max_len: PAGE_SIZE << order,
                    offset: 0,
                },
            },
            __bindgen_anon_2: bindings::page_pool_params__bindgen_ty_2 {
                __bindgen_anon_1: bindings::page_pool_params__bindgen_ty_2__bindgen_ty_1 {
                    netdev: core::ptr::null_mut(),
                    queue_idx: 0,
                    flags: bindings::PP_FLAG_DMA_MAP | bindings::PP_FLAG_DMA_SYNC_DEV,
                    init_callback: None,
                    init_arg: core::ptr::null_mut(),
                },
            },
        };
        // SAFETY: `params` is valid for the call (the pool copies it); `dev` is a bound device,
        // kept alive in the pool object until the pool is destroyed.
        let pool = from_err_ptr(unsafe { bindings::page_pool_create(&params) })?;
        let pool = NonNull::new(pool).ok_or(ENOMEM)?;
        // INVARIANT: created as documented, with the layout `BufLayout::new` computed.
        Ok(Self {
            pool,
            dev: dev.into(),
            frag_size: layout.frag_size,
            frags_per_page: layout.frags_per_page,
            spare: Cell::new(None),
            headroom,
            buf_len,
            max_frame_len: layout.max_frame_len,
            _not_sync: PhantomData,
        })
    }

    /// Bytes the device may write into each buffer (what the driver tells the device).
    pub fn buf_len(&self) -> u32 {
        self.buf_len
    }

    /// The longest frame [`RxBuf::build_skb`] accepts (see [`BufLayout::max_frame_len`]).
    pub fn max_frame_len(&self) -> u32 {
        self.max_frame_len
    }

    /// Bytes of memory each buffer takes (what an skb built from it accounts for).
    pub fn truesize(&self) -> u32 {
        self.frag_size
    }

    /// Bytes in front of the device area of each buffer.
    pub fn headroom(&self) -> u32 {
        self.headroom
    }

    /// The device the pages are mapped for (whoever may destroy the pool keeps it alive).
    pub(crate) fn dma_device(&self) -> ARef<device::Device> {
        self.dev.clone()
    }

    pub(crate) fn as_raw(&self) -> *mut bindings::page_pool {
        self.pool.as_ptr()
    }

    /// Takes a buffer for a receive descriptor (atomic): the next fragment of the page the
    /// previous buffer came from, else a page from the pool (`page_pool_alloc_netmems`: its
    /// caches, else a new page, mapped and synced for the device) split into
    /// [`BufLayout::frags_per_page`] fragments. `None` if no memory is available; drivers count
    /// that as an allocation failure and retry later.
    ///
    /// The pool splits its pages itself rather than through `page_pool_alloc_frag` so that
    /// every new page goes through `page_pool_alloc_netmems`, the function the kernel's
    /// allocation-failure test (`pp_alloc_fail.py`) injects errors into (the compiler inlines it
    /// into the fragment allocator).
    pub fn alloc(&self) -> Option<RxBuf> {
        if let Some(spare) = self.spare.take() {
            if spare.left > 1 {
                self.spare.set(Some(SpareFrags {
                    page: spare.page,
                    offset: spare.offset + self.frag_size,
                    left: spare.left - 1,
                }));
            }
            // INVARIANT: One of the spare fragments with the reference the pool object owned
            // for it, now owned by the buffer.
            return Some(RxBuf {
                page: spare.page,
                pool: self.pool,
                offset: spare.offset,
                headroom: self.headroom,
            });
        }
        // SAFETY: The pool is alive (type invariant); calls are not concurrent (`!Sync`), as
        // the allocation cache requires.
        let raw = unsafe { bindings::rnet_page_pool_alloc_page(self.pool.as_ptr()) };
        let page = NonNull::new(raw)?;
        if self.frags_per_page > 1 {
            // (At most 512 fragments: a page of order 3 in fragments of 64 bytes or more.)
            let nr = self.frags_per_page as crate::ffi::c_long;
            // SAFETY: A page we just took from the pool, whose one reference is ours: it may be
            // given `frags_per_page` fragment references instead.
            unsafe { bindings::rnet_page_pool_fragment_page(page.as_ptr(), nr) };
            // INVARIANT: The other fragments, each with its reference, now owned by the pool
            // object.
            self.spare.set(Some(SpareFrags {
                page,
                offset: self.frag_size,
                left: self.frags_per_page - 1,
            }));
        }
        // INVARIANT: The first fragment, with one fragment reference, owned by the buffer.
        Some(RxBuf {
            page,
            pool: self.pool,
            offset: 0,
            headroom: self.headroom,
        })
    }
}

impl Drop for PagePool {
    /// Destroys the pool (`page_pool_destroy`): the cached pages are freed at once, in-flight
    /// pages are unmapped and freed as they come back. Sleeps.
    fn drop(&mut self) {
        crate::task::might_sleep();
        if let Some(spare) = self.spare.take() {
            for _ in 0..spare.left {
                // SAFETY: The pool object owns one reference per spare fragment (type
                // invariant); each is put once, before the pool is destroyed.
                unsafe {
                    bindings::rnet_page_pool_put_full_page(
                        self.pool.as_ptr(),
                        spare.page.as_ptr(),
                        false,
                    )
                }
            }
        }
        // SAFETY: The pool is alive and destroyed once (type invariant). No NAPI instance is
        // linked to it, so no `napi_assert_will_not_race` applies; buffers still out keep the
        // structure allocated (module documentation).
        unsafe { bindings::page_pool_destroy(self.pool.as_ptr()) }
    }
}

/// A receive buffer: a fragment of a page of a [`PagePool`], mapped for the device.
///
/// Dropping it returns the fragment to its pool (`page_pool_put_full_page`); building an skb
/// from it ([`RxBuf::build_skb`]) hands the fragment to the skb, whose free returns it. Drop it
/// in process or softirq context, not in a hard interrupt handler.
///
/// # Invariants
///
/// `page` holds one fragment reference (`pp_ref_count`) owned by this object, for the
/// fragment at `offset` of a pool's fragment size; `pool` is the pool that allocated it, whose
/// structure stays allocated while the page is in flight; `headroom` is the pool's.
pub struct RxBuf {
    page: NonNull<bindings::page>,
    pool: NonNull<bindings::page_pool>,
    offset: u32,
    headroom: u32,
}

// SAFETY: A fragment reference may be held and returned on any CPU; returning it with
// `allow_direct == false` goes through the pool's locked ring (or its NAPI-local check).
unsafe impl Send for RxBuf {}

impl RxBuf {
    /// Bus address of the buffer's device area, for the receive descriptor (meaningless once
    /// the pool was destroyed: its pages are unmapped then).
    pub fn dma_address(&self) -> DmaAddress {
        // SAFETY: The page is a pool page mapped by the pool (`PP_FLAG_DMA_MAP`), referenced by
        // this buffer (type invariant).
        let base = unsafe { bindings::rnet_page_pool_get_dma_addr(self.page.as_ptr()) };
        base + DmaAddress::from(self.offset + self.headroom)
    }

    /// Turns a buffer the device completed with `len` bytes into an skb (`napi_build_skb`
    /// around the fragment, marked for recycling): the bytes are synced for the CPU, the skb's
    /// data starts at them, after the headroom. Called from a NAPI poll (`ctx`), where the
    /// per-CPU skb cache may be used.
    ///
    /// `len` comes from the device and is checked: `EINVAL` if it is 0 or longer than
    /// [`PagePool::max_frame_len`], or if `pool` is not the buffer's pool; `ENOMEM` if no skb
    /// could be allocated; `EINVAL` too from a zero-budget poll (netpoll). On error the buffer
    /// is returned to its pool.
    pub fn build_skb<P: napi::Poll>(
        self,
        pool: &PagePool,
        len: u32,
        ctx: &napi::NapiPoll<'_, P>,
    ) -> Result<SkBuff> {
        self.sync_for_cpu(pool, len)?;
        // SAFETY: The `len` received bytes after the headroom were just synced for the CPU.
        unsafe { self.build_skb_at(pool, pool.headroom, len, 0, ctx) }
    }

    /// Syncs the `len` bytes the device completed after the headroom for the CPU, and returns
    /// the address of the fragment's start (the headroom's). `EINVAL` if `len` is 0 or longer
    /// than [`PagePool::max_frame_len`], or if `pool` is not the buffer's pool.
    pub(crate) fn sync_for_cpu(&self, pool: &PagePool, len: u32) -> Result<NonNull<u8>> {
        if self.pool != pool.pool || len == 0 || len > pool.max_frame_len() {
            return Err(EINVAL);
        }
        let page = self.page.as_ptr();
        // SAFETY: `pool` is alive (borrowed) and allocated the page (checked above: a pool's
        // address is not reused while a page of it is in flight, so equal pointers are the same
        // pool), so the page is still mapped; `headroom + len` lies within the fragment.
        unsafe {
            bindings::rnet_page_pool_dma_sync_for_cpu(
                pool.pool.as_ptr(),
                page,
                self.offset + self.headroom,
                len,
            )
        };
        // SAFETY: Pool pages are in the linear map; the fragment lies within the (compound)
        // page.
        let frag = unsafe {
            bindings::rnet_page_address(page)
                .cast::<u8>()
                .add(self.offset as usize)
        };
        NonNull::new(frag).ok_or(EINVAL)
    }

    /// Builds an skb around the buffer whose frame is the `len` bytes at `data_offset` from the
    /// start of the fragment, preceded by `meta_len` bytes of XDP metadata (see
    /// [`RxBuf::build_skb`]). `EINVAL` if that does not fit the fragment with the skb's shared
    /// info after it or `pool` is not the buffer's pool, `ENOMEM` if no skb could be allocated;
    /// the buffer is returned to its pool on error.
    ///
    /// # Safety
    ///
    /// The device completed the buffer, and the bytes the skb covers were synced for the CPU
    /// ([`RxBuf::sync_for_cpu`]) or written by the CPU since.
    pub(crate) unsafe fn build_skb_at<P: napi::Poll>(
        self,
        pool: &PagePool,
        data_offset: u32,
        len: u32,
        meta_len: u32,
        ctx: &napi::NapiPoll<'_, P>,
    ) -> Result<SkBuff> {
        let fits = data_offset
            .checked_add(len)
            .and_then(|end| end.checked_add(SHINFO_SIZE))
            .is_some_and(|end| end <= pool.frag_size);
        if self.pool != pool.pool || !fits || len == 0 || meta_len > data_offset || meta_len > 255 {
            return Err(EINVAL);
        }
        // A zero-budget poll (netpoll, e.g. netconsole) may run outside softirq context, where
        // the per-CPU skb cache of `napi_build_skb` must not be used (napi.rst: no page pool
        // receive at budget 0).
        if ctx.budget() == 0 {
            return Err(EINVAL);
        }
        // SAFETY: Pool pages are in the linear map; the fragment lies within the (compound)
        // page.
        let data = unsafe {
            bindings::rnet_page_address(self.page.as_ptr())
                .cast::<u8>()
                .add(self.offset as usize)
        };
        // SAFETY: `data` is the start of `frag_size` bytes owned by this buffer, which the
        // device no longer writes and the CPU may read and write (caller); the shared info goes
        // to the end of it. We are in a NAPI poll (`ctx`) with a budget, hence in softirq
        // context, as `napi_build_skb` requires.
        let skb = unsafe { bindings::napi_build_skb(data.cast(), pool.frag_size) };
        if skb.is_null() {
            // `self` is dropped: the fragment goes back to the pool.
            return Err(ENOMEM);
        }
        // The skb now owns the fragment reference.
        let _ = ManuallyDrop::new(self);
        // SAFETY: `skb` is a new skb we own, around the fragment: marked for recycling first,
        // so that freeing it returns the page to the pool; then the bytes up to the frame
        // reserved and the `len` bytes of the frame put, which fit (`data_offset + len <=
        // frag_size - shinfo`, checked above); the metadata lies right before the frame, within
        // the reserved bytes (`meta_len <= data_offset`).
        unsafe {
            bindings::rnet_skb_mark_for_recycle(skb);
            bindings::rnet_skb_reserve(skb, data_offset);
            bindings::rnet___skb_put(skb, len);
            if meta_len > 0 {
                bindings::rnet_skb_metadata_set(skb, meta_len as u8);
            }
            Ok(SkBuff::from_raw(skb))
        }
    }

    /// Returns the buffer to `pool`, straight into the pool's lockless allocation cache when the
    /// page comes back whole (`page_pool_put_full_page` with `allow_direct`): the way back for a
    /// frame the receive path itself drops (`XDP_DROP`, an errored frame), with neither the
    /// pool's ring lock nor its atomics, as the C drivers recycle `XDP_DROP` buffers. A buffer
    /// of another pool goes back as on drop.
    pub fn recycle(self, pool: &PagePool) {
        if self.pool != pool.pool {
            return;
        }
        let this = ManuallyDrop::new(self);
        // SAFETY: We own one fragment reference of the page (type invariant) and give it up
        // here, once (`this` is not dropped). The allocation cache is used only by holders of
        // a `&PagePool` (`alloc` takes from it, this refills it): the type is not `Sync` and is
        // never linked to a NAPI instance, so those uses are on one thread at a time, and a
        // context that interrupts a holder cannot get a `&PagePool` of its own but through
        // the lock the holder has (a deadlock, not a race); we hold one (`pool`, the page's
        // pool: checked above).
        unsafe {
            bindings::rnet_page_pool_put_full_page(pool.pool.as_ptr(), this.page.as_ptr(), true)
        }
    }

    /// Gives up the buffer without returning its fragment: its reference now belongs to
    /// whatever the caller handed the fragment to (an XDP frame, a redirect target).
    pub(crate) fn forget(self) {
        let _ = ManuallyDrop::new(self);
    }
}

impl Drop for RxBuf {
    fn drop(&mut self) {
        // SAFETY: We own one fragment reference of `page` (type invariant); the pool structure
        // is allocated while the page is in flight, even if the pool was destroyed, in which case
        // the page is neither synced nor unmapped again (module documentation).
        unsafe {
            bindings::rnet_page_pool_put_full_page(self.pool.as_ptr(), self.page.as_ptr(), false)
        }
    }
}
