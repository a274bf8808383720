// SPDX-License-Identifier: GPL-2.0

//! The [`Operations`] trait: what a driver implements for `ethtool`.

use super::{
    Channels, Coalesce, DrvInfo, LinkKsettings, PauseStats, Pauseparam, Ringparam, RxfhFields,
    RxfhGet, RxfhSet, Strings,
};
use crate::{
    error::VTABLE_DEFAULT_ERROR,
    net::dev::{Device, Driver, Rtnl},
    prelude::*,
};

/// ethtool callbacks of a network device driver (`struct ethtool_ops`).
///
/// Unimplemented callbacks stay NULL (the ethtool core answers `EOPNOTSUPP`), except `get_link`,
/// which defaults to the core's `ethtool_op_get_link` (the carrier state).
#[vtable]
pub trait Operations: Driver {
    /// Fills in `ethtool -i` (`get_drvinfo`). The core fills in the counts of statistics,
    /// tests and registers afterwards.
    fn get_drvinfo(_dev: &Device<Self>, _info: &mut DrvInfo) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports whether the link is up (`get_link`).
    fn get_link(_dev: &Device<Self>) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Number of entries of string set `sset` (see [`sset`](super::sset)), e.g. the number of
    /// `ethtool -S` statistics (`get_sset_count`). `EOPNOTSUPP` for sets the driver does not
    /// have.
    fn get_sset_count(_dev: &Device<Self>, _sset: u32) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Names of string set `sset`, as many as `get_sset_count` announced (`get_strings`).
    fn get_strings(_dev: &Device<Self>, _sset: u32, _out: &mut Strings<'_>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Values of the `ethtool -S` statistics, in the order of their names
    /// (`get_ethtool_stats`); `data` has exactly the announced length.
    fn get_ethtool_stats(_dev: &Device<Self>, _data: &mut [u64]) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports channel counts (`ethtool -l`, `get_channels`).
    fn get_channels(_dev: &Device<Self>, _ch: &mut Channels) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes channel counts (`ethtool -L`, `set_channels`), called under RTNL after the core
    /// checked the request against the maxima from `get_channels`.
    fn set_channels(_dev: &Device<Self>, _rtnl: &Rtnl, _ch: &Channels) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports speed, duplex and port (`get_link_ksettings`).
    fn get_link_ksettings(_dev: &Device<Self>, _ks: &mut LinkKsettings) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes speed, duplex or autonegotiation (`ethtool -s`, `set_link_ksettings`), under
    /// RTNL.
    fn set_link_ksettings(_dev: &Device<Self>, _rtnl: &Rtnl, _ks: &LinkKsettings) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Which coalescing parameters `set_coalesce` accepts (see [`coalesce`](super::coalesce)).
    const SUPPORTED_COALESCE_PARAMS: u32 = 0;

    /// Reports ring sizes and their maxima (`ethtool -g`).
    fn get_ringparam(_dev: &Device<Self>, _ring: &mut Ringparam) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Resizes the rings (`ethtool -G`), under RTNL, after the core checked the request
    /// against the maxima.
    fn set_ringparam(_dev: &Device<Self>, _rtnl: &Rtnl, _ring: &Ringparam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports interrupt coalescing (`ethtool -c`).
    fn get_coalesce(_dev: &Device<Self>, _c: &mut Coalesce) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes interrupt coalescing (`ethtool -C`), under RTNL.
    fn set_coalesce(_dev: &Device<Self>, _rtnl: &Rtnl, _c: &Coalesce) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Size in bytes of the register dump (`ethtool -d`).
    fn get_regs_len(_dev: &Device<Self>) -> usize {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Fills the register dump; returns its layout version. `buf` has `get_regs_len` bytes.
    fn get_regs(_dev: &Device<Self>, _buf: &mut [u8]) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Size in bytes of the NVM/EEPROM (`ethtool -e`).
    fn get_eeprom_len(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reads `buf.len()` bytes of NVM starting at byte `offset` (the core keeps the range
    /// within `get_eeprom_len`); returns the magic number identifying the device.
    fn get_eeprom(_dev: &Device<Self>, _offset: u32, _buf: &mut [u8]) -> Result<u32> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Runs the self-tests (`ethtool -t`), under RTNL: the offline ones too if `offline`.
    /// Writes one result per test (0 = pass) into `results`, sized by the `TEST` string set;
    /// returns whether any test failed.
    fn self_test(_dev: &Device<Self>, _rtnl: &Rtnl, _offline: bool, _results: &mut [u64]) -> bool {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports flow control settings (`ethtool -a`).
    fn get_pauseparam(_dev: &Device<Self>, _p: &mut Pauseparam) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes flow control settings (`ethtool -A`), under RTNL.
    fn set_pauseparam(_dev: &Device<Self>, _rtnl: &Rtnl, _p: &Pauseparam) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports pause frame counters (`ethtool -I -a`).
    fn get_pause_stats(_dev: &Device<Self>, _stats: &mut PauseStats) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Restarts autonegotiation (`ethtool -r`, `nway_reset`); a link whose settings are forced
    /// is the driver's to refuse (C drivers answer `EINVAL`).
    fn nway_reset(_dev: &Device<Self>, _rtnl: &Rtnl) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Entries of the RSS indirection table (`get_rxfh_indir_size`); 0 (the default) for a
    /// device without one. A constant: the core sizes the tables it hands to `get_rxfh` and
    /// `set_rxfh` from it.
    const RXFH_INDIR_SIZE: u32 = 0;

    /// Bytes of the RSS hash key (`get_rxfh_key_size`); 0 (the default) for none.
    const RXFH_KEY_SIZE: u32 = 0;

    /// The number of receive queues (`get_rx_ring_count`): the core checks indirection tables
    /// against it and keeps `ethtool -L` from dropping queues a user-set table uses.
    fn get_rx_ring_count(_dev: &Device<Self>) -> u32 {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the RSS hash function, indirection table and key (`ethtool -x`), under RTNL.
    fn get_rxfh(_dev: &Device<Self>, _rxfh: &mut RxfhGet<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the RSS hash function, indirection table or key (`ethtool -X`), under RTNL.
    /// Only the device's main context: the core refuses additional ones.
    fn set_rxfh(_dev: &Device<Self>, _rtnl: &Rtnl, _rxfh: &RxfhSet<'_>) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Reports the header fields hashed for a flow type (`ethtool -n <dev> rx-flow-hash`);
    /// `EINVAL` for a flow type the device does not hash.
    fn get_rxfh_fields(_dev: &Device<Self>, _fields: &mut RxfhFields) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Changes the header fields hashed for a flow type (`ethtool -N <dev> rx-flow-hash`),
    /// under RTNL.
    fn set_rxfh_fields(_dev: &Device<Self>, _rtnl: &Rtnl, _fields: &RxfhFields) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}
