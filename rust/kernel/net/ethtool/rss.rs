// SPDX-License-Identifier: GPL-2.0

//! Receive-side scaling: the flow hash's indirection table and key (`ethtool -x/-X`, the
//! `rss-get`/`rss-set` netlink messages) and the header fields it hashes per flow type
//! (`ethtool -n/-N <dev> rx-flow-hash`).
//!
//! The table's and the key's sizes are constants of the driver
//! ([`Operations::RXFH_INDIR_SIZE`], [`Operations::RXFH_KEY_SIZE`]): the core sizes its buffers
//! from them, and the slices [`RxfhGet`] and [`RxfhSet`] hand out have exactly those lengths.
//!
//! [`Operations::RXFH_INDIR_SIZE`]: super::Operations::RXFH_INDIR_SIZE
//! [`Operations::RXFH_KEY_SIZE`]: super::Operations::RXFH_KEY_SIZE

use crate::bindings;

/// The Toeplitz hash function (`ETH_RSS_HASH_TOP`), for [`RxfhGet::set_hfunc`].
pub const HASH_TOP: u8 = 1 << bindings::ETH_RSS_HASH_TOP_BIT;
/// "Keep the hash function" in a set request (`ETH_RSS_HASH_NO_CHANGE`).
pub const HASH_NO_CHANGE: u8 = bindings::ETH_RSS_HASH_NO_CHANGE as u8;

/// Header fields a flow type's hash covers (`RXH_*`, [`RxfhFields::data`]).
pub mod rxh {
    use crate::bindings;
    /// The source IP address.
    pub const IP_SRC: u32 = bindings::RXH_IP_SRC;
    /// The destination IP address.
    pub const IP_DST: u32 = bindings::RXH_IP_DST;
    /// The first two bytes of the L4 header (the source port).
    pub const L4_B_0_1: u32 = bindings::RXH_L4_B_0_1;
    /// Bytes 2 and 3 of the L4 header (the destination port).
    pub const L4_B_2_3: u32 = bindings::RXH_L4_B_2_3;
}

/// Flow types (`*_FLOW`, [`RxfhFields::flow_type`]).
pub mod flow {
    use crate::bindings;
    /// TCP over IPv4.
    pub const TCP_V4: u32 = bindings::TCP_V4_FLOW;
    /// UDP over IPv4.
    pub const UDP_V4: u32 = bindings::UDP_V4_FLOW;
    /// SCTP over IPv4.
    pub const SCTP_V4: u32 = bindings::SCTP_V4_FLOW;
    /// IPsec AH or ESP over IPv4.
    pub const AH_ESP_V4: u32 = bindings::AH_ESP_V4_FLOW;
    /// IPsec AH over IPv4.
    pub const AH_V4: u32 = bindings::AH_V4_FLOW;
    /// IPsec ESP over IPv4.
    pub const ESP_V4: u32 = bindings::ESP_V4_FLOW;
    /// Any other IPv4.
    pub const IPV4: u32 = bindings::IPV4_FLOW;
    /// TCP over IPv6.
    pub const TCP_V6: u32 = bindings::TCP_V6_FLOW;
    /// UDP over IPv6.
    pub const UDP_V6: u32 = bindings::UDP_V6_FLOW;
    /// SCTP over IPv6.
    pub const SCTP_V6: u32 = bindings::SCTP_V6_FLOW;
    /// IPsec AH or ESP over IPv6.
    pub const AH_ESP_V6: u32 = bindings::AH_ESP_V6_FLOW;
    /// IPsec AH over IPv6.
    pub const AH_V6: u32 = bindings::AH_V6_FLOW;
    /// IPsec ESP over IPv6.
    pub const ESP_V6: u32 = bindings::ESP_V6_FLOW;
    /// Any other IPv6.
    pub const IPV6: u32 = bindings::IPV6_FLOW;
}

/// What `get_rxfh` fills in: the hash function and, where the core asks for them, the
/// indirection table and the key.
pub struct RxfhGet<'a> {
    hfunc: &'a mut u8,
    indir: Option<&'a mut [u32]>,
    key: Option<&'a mut [u8]>,
}

impl<'a> RxfhGet<'a> {
    /// # Safety
    ///
    /// `param`'s `indir`, if not NULL, points to `indir_size` writable `u32`s and its `key`, if
    /// not NULL, to `key_size` writable bytes, valid and not otherwise accessed for `'a`.
    pub(crate) unsafe fn new(
        param: &'a mut bindings::ethtool_rxfh_param,
        indir_size: u32,
        key_size: u32,
    ) -> Self {
        let indir = (!param.indir.is_null()).then(|| {
            // SAFETY: As the caller promises.
            unsafe { core::slice::from_raw_parts_mut(param.indir, indir_size as usize) }
        });
        let key = (!param.key.is_null()).then(|| {
            // SAFETY: As the caller promises.
            unsafe { core::slice::from_raw_parts_mut(param.key, key_size as usize) }
        });
        Self {
            hfunc: &mut param.hfunc,
            indir,
            key,
        }
    }

    /// Reports the hash function ([`HASH_TOP`], ...).
    pub fn set_hfunc(&mut self, hfunc: u8) {
        *self.hfunc = hfunc;
    }

    /// The indirection table to fill in (one receive queue index per entry), if asked for.
    pub fn indir(&mut self) -> Option<&mut [u32]> {
        self.indir.as_deref_mut()
    }

    /// The key to fill in, if asked for.
    pub fn key(&mut self) -> Option<&mut [u8]> {
        self.key.as_deref_mut()
    }
}

/// A `set_rxfh` request: what to change (a part left out is kept).
pub struct RxfhSet<'a> {
    hfunc: u8,
    input_xfrm: u8,
    indir: Option<&'a [u32]>,
    key: Option<&'a [u8]>,
}

impl<'a> RxfhSet<'a> {
    /// # Safety
    ///
    /// As for [`RxfhGet::new`], for reads.
    pub(crate) unsafe fn new(
        param: &'a bindings::ethtool_rxfh_param,
        indir_size: u32,
        key_size: u32,
    ) -> Self {
        let indir = (!param.indir.is_null()).then(|| {
            // SAFETY: As the caller promises.
            unsafe { core::slice::from_raw_parts(param.indir, indir_size as usize) }
        });
        let key = (!param.key.is_null()).then(|| {
            // SAFETY: As the caller promises.
            unsafe { core::slice::from_raw_parts(param.key, key_size as usize) }
        });
        Self {
            hfunc: param.hfunc,
            input_xfrm: param.input_xfrm,
            indir,
            key,
        }
    }

    /// The hash function asked for, [`HASH_NO_CHANGE`] to keep it.
    pub fn hfunc(&self) -> u8 {
        self.hfunc
    }

    /// The input transformation asked for (`RXH_XFRM_*`; `RXH_XFRM_NO_CHANGE` to keep it).
    pub fn input_xfrm(&self) -> u8 {
        self.input_xfrm
    }

    /// The new indirection table, if it changes. The core checked every entry against the
    /// receive queue count (`get_rx_ring_count`).
    pub fn indir(&self) -> Option<&[u32]> {
        self.indir
    }

    /// The new key, if it changes.
    pub fn key(&self) -> Option<&[u8]> {
        self.key
    }
}

/// The header fields hashed for one flow type (`struct ethtool_rxfh_fields`).
#[repr(transparent)]
pub struct RxfhFields(bindings::ethtool_rxfh_fields);

impl RxfhFields {
    /// The flow type ([`flow`]).
    pub fn flow_type(&self) -> u32 {
        self.0.flow_type
    }

    /// The fields ([`rxh`] bits).
    pub fn data(&self) -> u32 {
        self.0.data
    }

    /// Reports the fields ([`rxh`] bits).
    pub fn set_data(&mut self, data: u32) {
        self.0.data = data;
    }

    /// The RSS context (0: the device's main one).
    pub fn rss_context(&self) -> u32 {
        self.0.rss_context
    }
}
