// SPDX-License-Identifier: GPL-2.0

//! rtnetlink link types (`struct rtnl_link_ops`): devices created by
//! `ip link add NAME type KIND`.
//!
//! C header: [`include/net/rtnetlink.h`](srctree/include/net/rtnetlink.h).
//!
//! A [`LinkOps`] implementation names a link kind; [`Registration`] registers it with the
//! rtnetlink core and unregisters it on drop, which deletes every device of the kind in every
//! namespace. The core allocates each device (with the driver's [`Driver::Data`] initialised
//! from `Default` in the private area), calls [`LinkOps::newlink`] under RTNL, and frees the
//! device and drops its data after it is unregistered.
//!
//! Paired devices (veth-like) are built with [`NewLink::create_pair`]: the two ends point at
//! each other (see [`Device::peer`]) until either is deleted, which deletes both. Such kinds
//! name the attribute that describes the peer in [`LinkOps::PEER_TYPE`], so that the core
//! resolves (and checks the caller's rights on) the peer's namespace.

use crate::{
    bindings,
    error::{from_err_ptr, from_result, to_result, VTABLE_DEFAULT_ERROR},
    net::{
        dev::{features, xdp_features_supported, Device, DeviceSetup, Driver, Priv, Rtnl},
        ethtool,
        registration::install_ops,
    },
    prelude::*,
    types::Opaque,
};
use core::{
    marker::PhantomData,
    ptr::{null_mut, NonNull},
    sync::atomic::Ordering,
};

/// `IFLA_*` attribute types of a link request (`include/uapi/linux/if_link.h`).
pub mod ifla {
    use crate::bindings;

    /// Interface name.
    pub const IFNAME: u32 = bindings::IFLA_IFNAME;
    /// Hardware address.
    pub const ADDRESS: u32 = bindings::IFLA_ADDRESS;
    /// MTU.
    pub const MTU: u32 = bindings::IFLA_MTU;
    /// Namespace given by a process id.
    pub const NET_NS_PID: u32 = bindings::IFLA_NET_NS_PID;
    /// Namespace given by a file descriptor.
    pub const NET_NS_FD: u32 = bindings::IFLA_NET_NS_FD;
    /// Number of transmit queues.
    pub const NUM_TX_QUEUES: u32 = bindings::IFLA_NUM_TX_QUEUES;
    /// Number of receive queues.
    pub const NUM_RX_QUEUES: u32 = bindings::IFLA_NUM_RX_QUEUES;
    /// Highest `IFLA_*` type.
    pub const MAX: u32 = bindings::__IFLA_MAX - 1;
}

/// The veth peer attribute (`VETH_INFO_PEER`, `include/uapi/linux/veth.h`): an `ifinfomsg`
/// followed by the peer's `IFLA_*` attributes.
pub const VETH_INFO_PEER: u32 = bindings::VETH_INFO_PEER;

/// Size of an attribute header, `NLA_HDRLEN` (a macro bindgen cannot evaluate).
const NLA_HDRLEN: usize = 4;
const _: () = assert!(core::mem::size_of::<bindings::nlattr>() == NLA_HDRLEN);

/// A netlink attribute (`struct nlattr`) of a request being processed.
#[repr(transparent)]
pub struct NlAttr(Opaque<bindings::nlattr>);

impl NlAttr {
    fn raw(&self) -> *mut bindings::nlattr {
        self.0.get()
    }

    /// Length of the payload (`nla_len`).
    pub fn len(&self) -> usize {
        // SAFETY: The attribute is valid: the netlink parser checked its header and length
        // against the message before handing it out.
        let total = unsafe { (*self.raw()).nla_len } as usize;
        total.saturating_sub(NLA_HDRLEN)
    }

    /// Whether the payload is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The payload (`nla_data`).
    pub fn data(&self) -> &[u8] {
        // SAFETY: The payload follows the aligned header and is `len()` bytes long within the
        // validated message.
        unsafe { core::slice::from_raw_parts(self.raw().cast::<u8>().add(NLA_HDRLEN), self.len()) }
    }

    /// The first four bytes of the payload as a `u32` (`nla_get_u32`); `EINVAL` if it is
    /// shorter. Longer payloads are read as the kernel's own handlers read them: rtnetlink
    /// parses link attributes liberally, and its policy lets a `u32` attribute through with
    /// extra bytes (logging "invalid length"), which veth, for one, then accepts.
    pub fn get_u32(&self) -> Result<u32> {
        let bytes: [u8; 4] = self
            .data()
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .ok_or(EINVAL)?;
        Ok(u32::from_ne_bytes(bytes))
    }
}

/// A parsed attribute table (`struct nlattr *tb[]`), indexed by attribute type.
pub struct Attrs<'a> {
    tb: &'a [*mut bindings::nlattr],
}

impl<'a> Attrs<'a> {
    /// # Safety
    ///
    /// `tb` must point to `len` entries, each null or a valid attribute, valid for `'a`.
    unsafe fn from_raw(tb: *mut *mut bindings::nlattr, len: usize) -> Self {
        Self {
            // SAFETY: Guaranteed by the caller.
            tb: unsafe { core::slice::from_raw_parts(tb, len) },
        }
    }

    /// The attribute of type `ty`, if present.
    pub fn get(&self, ty: u32) -> Option<&'a NlAttr> {
        let attr = *self.tb.get(ty as usize)?;
        // SAFETY: Entries are null or valid attributes for `'a` (constructor's contract).
        (!attr.is_null()).then(|| unsafe { &*attr.cast::<NlAttr>() })
    }

    /// Whether the attribute of type `ty` is present.
    pub fn has(&self, ty: u32) -> bool {
        self.get(ty).is_some()
    }

    fn as_ptr(&self) -> *mut *mut bindings::nlattr {
        self.tb.as_ptr().cast_mut()
    }
}

/// One entry of a netlink attribute policy (`struct nla_policy`), for [`LinkOps::DATA_POLICY`].
#[repr(transparent)]
pub struct Policy(bindings::nla_policy);

// SAFETY: A policy is immutable data read by the netlink parser.
unsafe impl Sync for Policy {}

impl Policy {
    /// Any payload (`NLA_UNSPEC`), e.g. for the unused type 0.
    pub const fn unspec() -> Self {
        Self::min_len(0)
    }

    /// A payload holding at least an `ifinfomsg`, as veth's `VETH_INFO_PEER`.
    pub const fn ifinfomsg() -> Self {
        Self::min_len(core::mem::size_of::<bindings::ifinfomsg>() as u16)
    }

    /// An opaque payload of at least `len` bytes (`{ .len = len }`, as veth's peer policy).
    pub const fn min_len(len: u16) -> Self {
        // SAFETY: All-zeroes is a valid `nla_policy` (`NLA_UNSPEC`, no validation).
        let mut p: bindings::nla_policy = unsafe { core::mem::MaybeUninit::zeroed().assume_init() };
        p.len = len;
        Self(p)
    }
}

/// The number of possible CPUs (`num_possible_cpus()`), veth's bound for queue counts.
pub fn num_possible_cpus() -> u32 {
    // SAFETY: Reads a boot-time constant mask.
    unsafe { bindings::num_possible_cpus() }
}

/// A link kind: how devices of driver `T` are created through rtnetlink.
#[vtable]
pub trait LinkOps: Driver + ethtool::Operations {
    /// The kind, as in `ip link add ... type KIND`; also the default name pattern `KIND%d`.
    const KIND: &'static CStr;

    /// Policy of the kind's `IFLA_INFO_DATA` attributes, indexed by type (entry 0 unused).
    const DATA_POLICY: &'static [Policy] = &[];

    /// The `IFLA_INFO_DATA` attribute that describes the peer of a paired kind (an
    /// `ifinfomsg` followed by the peer's `IFLA_*` attributes, as [`VETH_INFO_PEER`]), or 0 for
    /// kinds without a peer (`rtnl_link_ops.peer_type`); it must have an entry in
    /// [`LinkOps::DATA_POLICY`]. The core then resolves the namespace the peer is created in,
    /// after checking the caller's rights on it; without it, [`NewLink::create_pair`] creates
    /// the peer in the device's own namespace.
    const PEER_TYPE: u16 = 0;

    /// Default and maximum number of queues of a new device when the request does not say
    /// (`get_num_tx_queues`/`get_num_rx_queues`); one if not implemented.
    fn max_queues() -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Checks a request's attributes before anything is allocated (`validate`).
    fn validate(_tb: &Attrs<'_>, _data: Option<&Attrs<'_>>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Creates and registers the device (and its peer, for paired kinds) (`newlink`).
    fn newlink(link: &mut NewLink<'_, Self>) -> Result;
}

/// A device creation request in progress, handed to [`LinkOps::newlink`] under RTNL.
pub struct NewLink<'a, T: LinkOps> {
    /// The namespace the peer is created in (`rtnl_newlink_peer_net`); the core holds a
    /// reference for the duration of the request.
    peer_net: *mut bindings::net,
    dev: NonNull<bindings::net_device>,
    tb: Attrs<'a>,
    data: Option<Attrs<'a>>,
    extack: *mut bindings::netlink_ext_ack,
    rtnl: Rtnl,
    _p: PhantomData<T>,
}

/// Name buffer for `KIND%d` / user names (`IFNAMSIZ`).
fn name_pattern<T: LinkOps>(out: &mut [u8; bindings::IFNAMSIZ as usize]) {
    let kind = T::KIND.to_bytes();
    let n = kind.len().min(out.len() - 3);
    out[..n].copy_from_slice(&kind[..n]);
    out[n..n + 3].copy_from_slice(b"%d\0");
}

impl<'a, T: LinkOps> NewLink<'a, T> {
    /// The device being created (not registered yet; its data is initialised).
    pub fn dev(&self) -> &Device<T> {
        // SAFETY: The device was set up by `LinkAdapter::setup_callback`, which initialised its
        // private data; it lives for the whole request.
        unsafe { Device::from_raw(self.dev.as_ptr()) }
    }

    /// The request's `IFLA_*` attributes.
    pub fn tb(&self) -> &Attrs<'a> {
        &self.tb
    }

    /// The kind-specific `IFLA_INFO_DATA` attributes, if any were sent.
    pub fn data(&self) -> Option<&Attrs<'a>> {
        self.data.as_ref()
    }

    /// Proof that RTNL is held for the request.
    pub fn rtnl(&self) -> &Rtnl {
        &self.rtnl
    }

    /// Creates a pair, as veth does: the peer described by `peer` (an `ifinfomsg` followed by
    /// `IFLA_*` attributes: name, address, MTU, namespace, queue counts) or, without it, one
    /// named `KIND%d`; then registers this device and links the two. The peer's namespace is
    /// the one the core resolved from `peer` (see [`LinkOps::PEER_TYPE`]), else this device's.
    /// Both start without carrier and with GRO off. Every error leaves nothing registered.
    pub fn create_pair(&mut self, peer: Option<&NlAttr>) -> Result {
        let mut peer_tb = [null_mut::<bindings::nlattr>(); ifla::MAX as usize + 1];
        let (ifmp, tbp): (*mut bindings::ifinfomsg, Attrs<'_>) = match peer {
            Some(nla_peer) => {
                if nla_peer.len() < core::mem::size_of::<bindings::ifinfomsg>() {
                    pr_err!("{}: peer attribute shorter than ifinfomsg\n", T::KIND);
                    return Err(EINVAL);
                }
                // SAFETY: `peer_tb` has `IFLA_MAX + 1` entries; the attribute was validated
                // to hold at least an `ifinfomsg`.
                to_result(unsafe {
                    bindings::rtnl_nla_parse_ifinfomsg(
                        peer_tb.as_mut_ptr(),
                        nla_peer.raw(),
                        self.extack,
                    )
                })?;
                // SAFETY: `peer_tb` now holds null or attributes inside the request message,
                // which outlives this call.
                let tbp = unsafe { Attrs::from_raw(peer_tb.as_mut_ptr(), peer_tb.len()) };
                if T::HAS_VALIDATE {
                    T::validate(&tbp, None)?;
                }
                (nla_peer.data().as_ptr().cast_mut().cast(), tbp)
            }
            // SAFETY: Same table as `self.tb`.
            None => (null_mut(), unsafe {
                Attrs::from_raw(self.tb.as_ptr(), self.tb.tb.len())
            }),
        };

        let mut ifname = [0u8; bindings::IFNAMSIZ as usize];
        let name_assign_type = match tbp.get(ifla::IFNAME) {
            Some(name) if !ifmp.is_null() => {
                // SAFETY: `ifname` has `IFNAMSIZ` bytes; `name` is a valid attribute.
                unsafe {
                    bindings::nla_strscpy(ifname.as_mut_ptr().cast(), name.raw(), ifname.len())
                };
                bindings::NET_NAME_USER
            }
            _ => {
                name_pattern::<T>(&mut ifname);
                bindings::NET_NAME_ENUM
            }
        };

        // SAFETY: `peer_net` is held by the core for the request; the ops are this kind's
        // (`rtnl_create_link` set them on `dev`); the name is NUL-terminated.
        let peer_dev = from_err_ptr(unsafe {
            bindings::rtnl_create_link(
                self.peer_net,
                ifname.as_ptr(),
                name_assign_type as u8,
                (*self.dev.as_ptr()).rtnl_link_ops,
                tbp.as_ptr(),
                self.extack,
            )
        })?;
        let dev = self.dev.as_ptr();
        // SAFETY: (for the whole block) `peer_dev` is a freshly created, unregistered device of
        // this kind (set up by `setup_callback`); `dev` is the device of this request; RTNL is
        // held.
        unsafe {
            if ifmp.is_null() || !tbp.has(ifla::ADDRESS) {
                bindings::eth_hw_addr_random(peer_dev);
            }
            if !ifmp.is_null() && (*dev).ifindex != 0 {
                (*peer_dev).ifindex = (*ifmp).ifi_index;
            }
            bindings::netif_inherit_tso_max(peer_dev, dev);
            let err = bindings::register_netdevice(peer_dev);
            if err < 0 {
                drop_unregistered(peer_dev);
                bindings::free_netdev(peer_dev);
                return Err(Error::from_errno(err));
            }
        }
        // SAFETY: Registered above with initialised data; valid while RTNL is held.
        let peer_ref = unsafe { Device::<T>::from_raw(peer_dev) };
        peer_ref.clear_wanted_features(&self.rtnl, features::GRO);
        peer_ref.carrier_off();
        // SAFETY: `peer_dev` is registered; `ifmp` is null or the peer's `ifinfomsg`.
        let err = unsafe { bindings::rtnl_configure_link(peer_dev, ifmp, 0, null_mut()) };
        if err < 0 {
            // SAFETY: Registered above, not linked to anything; RTNL is held.
            unsafe { bindings::unregister_netdevice_queue(peer_dev, null_mut()) };
            return Err(Error::from_errno(err));
        }

        // SAFETY: (for the whole block) `dev` is this request's unregistered device; RTNL is held.
        unsafe {
            if !self.tb.has(ifla::ADDRESS) {
                bindings::eth_hw_addr_random(dev);
            }
            let name = &mut (*dev).name;
            match self.tb.get(ifla::IFNAME) {
                Some(attr) => {
                    bindings::nla_strscpy(name.as_mut_ptr(), attr.raw(), name.len());
                }
                None => name_pattern::<T>(name),
            }
            let err = bindings::register_netdevice(dev);
            if err < 0 {
                bindings::unregister_netdevice_queue(peer_dev, null_mut());
                return Err(Error::from_errno(err));
            }
        }
        let this = self.dev();
        this.carrier_off();

        // Tie the two together: from here on `dellink` of either deletes both.
        // SAFETY: Both devices are registered devices of this kind with initialised `Priv<T>`.
        unsafe {
            (*Priv::<T>::from_dev(dev))
                .peer
                .store(peer_dev, Ordering::Release);
            (*Priv::<T>::from_dev(peer_dev))
                .peer
                .store(dev, Ordering::Release);
        }
        let res = (|| -> Result {
            for d in [this, peer_ref] {
                if !self.tb.has(ifla::NUM_TX_QUEUES) && d.num_tx_queues() > 1 {
                    d.set_real_num_tx_queues(&self.rtnl, 1)?;
                }
                if !self.tb.has(ifla::NUM_RX_QUEUES) && d.num_rx_queues() > 1 {
                    d.set_real_num_rx_queues(&self.rtnl, 1)?;
                }
            }
            Ok(())
        })();
        if let Err(e) = res {
            // SAFETY: Both are registered; unlinking first keeps `peer()` from returning a
            // device on its way out; RTNL is held.
            unsafe {
                (*Priv::<T>::from_dev(dev))
                    .peer
                    .store(null_mut(), Ordering::Release);
                (*Priv::<T>::from_dev(peer_dev))
                    .peer
                    .store(null_mut(), Ordering::Release);
                bindings::unregister_netdevice_queue(dev, null_mut());
                bindings::unregister_netdevice_queue(peer_dev, null_mut());
            }
            return Err(e);
        }
        this.clear_wanted_features(&self.rtnl, features::GRO);
        Ok(())
    }
}

/// Drops the private data of a device of a link kind that never became registered, unless
/// the core already did (`register_netdevice` runs the destructor only when it fails after
/// `ndo_init`); `free_netdev` alone would leak it.
///
/// # Safety
///
/// `dev` must be a device set up by `LinkAdapter::setup_callback`, unregistered and
/// exclusively owned by the caller, about to be freed.
unsafe fn drop_unregistered(dev: *mut bindings::net_device) {
    // SAFETY: Guaranteed by the caller.
    unsafe {
        if u32::from((*dev).reg_state) == bindings::netdev_reg_state_NETREG_UNINITIALIZED {
            if let Some(destructor) = (*dev).priv_destructor {
                destructor(dev);
            }
        }
    }
}

struct LinkAdapter<T>(PhantomData<T>);

impl<T: LinkOps> LinkAdapter<T>
where
    T::Data: Default,
{
    /// # Safety
    ///
    /// Called by the core (`alloc_netdev_mqs`) on a freshly allocated device whose private
    /// area is sized for `Priv<T>`.
    unsafe extern "C" fn setup_callback(dev: *mut bindings::net_device) {
        #[allow(clippy::let_unit_value)]
        let () = Priv::<T>::ALIGN_OK;
        // SAFETY: (for the whole block) `dev` is valid, unregistered and exclusively ours; its
        // private area is `priv_size = size_of::<Priv<T>>()` bytes, `NETDEV_ALIGN`-aligned.
        unsafe {
            bindings::ether_setup(dev);
            install_ops::<T>(dev);
            (*dev).needs_free_netdev = true;
            (*dev).priv_destructor = Some(Self::priv_destructor);
            Priv::<T>::init_header(dev);
            core::ptr::addr_of_mut!((*Priv::<T>::from_dev(dev)).data).write(T::Data::default());
            T::setup(&mut DeviceSetup::new(
                NonNull::new_unchecked(dev),
                xdp_features_supported::<T>(),
            ));
        }
    }

    /// # Safety
    ///
    /// Called by the core once, after unregistration (or a registration that failed after
    /// `ndo_init`), right before freeing the device; or by `drop_unregistered`.
    unsafe extern "C" fn priv_destructor(dev: *mut bindings::net_device) {
        // SAFETY: The data was initialised in `setup_callback`; no callback can run any more.
        // Clearing the destructor records that the data is gone.
        unsafe {
            core::ptr::drop_in_place(Priv::<T>::from_dev(dev));
            (*dev).priv_destructor = None;
        }
    }

    /// # Safety
    ///
    /// Called by the core under RTNL with `tb` sized `IFLA_MAX + 1` and `data` sized by
    /// `maxtype + 1` (or null).
    unsafe extern "C" fn validate_callback(
        tb: *mut *mut bindings::nlattr,
        data: *mut *mut bindings::nlattr,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: Sizes as documented above; the attributes live for the call.
        let tb = unsafe { Attrs::from_raw(tb, ifla::MAX as usize + 1) };
        // SAFETY: As above.
        let data = (!data.is_null()).then(|| unsafe { Attrs::from_raw(data, Self::data_len()) });
        from_result(|| T::validate(&tb, data.as_ref()).map(|()| 0))
    }

    fn data_len() -> usize {
        T::DATA_POLICY.len().max(1)
    }

    /// # Safety
    ///
    /// Called by the core under RTNL for a device created with this kind's ops, with `params`
    /// valid for the call.
    unsafe extern "C" fn newlink_callback(
        dev: *mut bindings::net_device,
        params: *mut bindings::rtnl_newlink_params,
        extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        let Some(dev) = NonNull::new(dev) else {
            return EINVAL.to_errno();
        };
        // SAFETY: The core passes valid parameters for the call.
        let params = unsafe { &*params };
        // `rtnl_newlink_peer_net()`: the peer's own namespace, else the link namespace, else
        // the requester's.
        let peer_net = [params.peer_net, params.link_net, params.src_net]
            .into_iter()
            .find(|net| !net.is_null())
            .unwrap_or(null_mut());
        let mut link = NewLink::<T> {
            peer_net,
            dev,
            // SAFETY: `tb` has `IFLA_MAX + 1` entries valid for the call.
            tb: unsafe { Attrs::from_raw(params.tb, ifla::MAX as usize + 1) },
            data: (!params.data.is_null()).then(|| {
                // SAFETY: `data` is non-null and has `maxtype + 1` entries valid for the call.
                unsafe { Attrs::from_raw(params.data, Self::data_len()) }
            }),
            extack,
            // SAFETY: `newlink` runs under RTNL.
            rtnl: unsafe { Rtnl::assume_held() },
            _p: PhantomData,
        };
        let ret = from_result(|| T::newlink(&mut link).map(|()| 0));
        if ret < 0 {
            // The core frees the device after a failed `newlink`.
            // SAFETY: `dev` was set up by `setup_callback`; RTNL is held and the core frees the
            // device right after this returns.
            unsafe { drop_unregistered(dev.as_ptr()) };
        }
        ret
    }

    /// # Safety
    ///
    /// Called by the core under RTNL for a registered device of this kind.
    unsafe extern "C" fn dellink_callback(
        dev: *mut bindings::net_device,
        head: *mut bindings::list_head,
    ) {
        // SAFETY: (for the whole block) `dev` and its peer are registered devices of this kind;
        // RTNL is held. Readers that fetched the peer under RCU keep a valid device until their
        // grace period ends, since unregistered devices are freed only after one.
        unsafe {
            let peer = (*Priv::<T>::from_dev(dev))
                .peer
                .swap(null_mut(), Ordering::AcqRel);
            bindings::unregister_netdevice_queue(dev, head);
            if !peer.is_null() {
                (*Priv::<T>::from_dev(peer))
                    .peer
                    .store(null_mut(), Ordering::Release);
                bindings::unregister_netdevice_queue(peer, head);
            }
        }
    }

    /// # Safety
    ///
    /// Called by the core for a registered device of this kind, under RTNL or, for link
    /// queries and dumps (`RTM_GETLINK` runs unlocked since Linux 6.x), in an RCU read-side
    /// critical section that covers the use of the returned namespace.
    unsafe extern "C" fn get_link_net_callback(
        dev: *const bindings::net_device,
    ) -> *mut bindings::net {
        // SAFETY: A registered device of this kind.
        let device = unsafe { Device::<T>::from_raw(dev.cast_mut()) };
        let guard = crate::sync::rcu::read_lock();
        let target = device.peer(&guard).map_or(dev.cast_mut(), |p| p.as_raw());
        // SAFETY: `target` is this device or its peer read under RCU; either is valid here, and
        // a namespace outlives its devices. The caller's own RCU section or RTNL keeps the peer
        // (freed only after a grace period) and thus its namespace alive while it uses it.
        unsafe { bindings::dev_net(target) }
    }

    extern "C" fn num_queues_callback() -> c_uint {
        if T::HAS_MAX_QUEUES {
            T::max_queues().clamp(1, 4096)
        } else {
            1
        }
    }
}

/// A registered link kind; unregistering it on drop deletes all its devices.
pub struct Registration<T: LinkOps> {
    ops: Pin<KBox<Opaque<bindings::rtnl_link_ops>>>,
    _p: PhantomData<T>,
}

// SAFETY: The ops structure is only touched by the rtnetlink core under RTNL.
unsafe impl<T: LinkOps> Send for Registration<T> {}
// SAFETY: See above; `&Registration` exposes nothing.
unsafe impl<T: LinkOps> Sync for Registration<T> {}

impl<T: LinkOps> Registration<T>
where
    T::Data: Default,
{
    /// Registers the kind (`rtnl_link_register`).
    pub fn new() -> Result<Self> {
        let policy = T::DATA_POLICY;
        // The core indexes the `IFLA_INFO_DATA` table (`maxtype + 1` entries) with `peer_type`.
        if usize::from(T::PEER_TYPE) >= policy.len().max(1) {
            pr_err!("{}: PEER_TYPE outside DATA_POLICY\n", T::KIND);
            return Err(EINVAL);
        }
        let ops = bindings::rtnl_link_ops {
            kind: T::KIND.as_char_ptr(),
            priv_size: core::mem::size_of::<Priv<T>>(),
            setup: Some(LinkAdapter::<T>::setup_callback),
            maxtype: policy.len().saturating_sub(1) as c_uint,
            policy: if policy.is_empty() {
                core::ptr::null()
            } else {
                policy.as_ptr().cast()
            },
            validate: if T::HAS_VALIDATE {
                Some(LinkAdapter::<T>::validate_callback)
            } else {
                None
            },
            peer_type: T::PEER_TYPE,
            newlink: Some(LinkAdapter::<T>::newlink_callback),
            dellink: Some(LinkAdapter::<T>::dellink_callback),
            get_link_net: Some(LinkAdapter::<T>::get_link_net_callback),
            get_num_tx_queues: Some(LinkAdapter::<T>::num_queues_callback),
            get_num_rx_queues: Some(LinkAdapter::<T>::num_queues_callback),
            // SAFETY: All-zeroes is valid for the remaining fields (NULL callbacks, empty list).
            ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
        };
        let ops = KBox::pin(Opaque::new(ops), GFP_KERNEL)?;
        // SAFETY: `ops` is pinned on the heap and outlives the registration (unregistered in
        // `drop`); the kind string and policy are `'static`.
        to_result(unsafe { bindings::rtnl_link_register(ops.get()) })?;
        Ok(Self {
            ops,
            _p: PhantomData,
        })
    }
}

impl<T: LinkOps> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: Registered in `new`; this deletes every device of the kind and waits until
        // none can be created any more.
        unsafe { bindings::rtnl_link_unregister(self.ops.get()) };
    }
}
