// SPDX-License-Identifier: GPL-2.0

//! The C side of [`Operations`]: the static `ethtool_ops` table of a driver and the trampolines
//! it points to, which turn the core's raw arguments into the safe types of `net::ethtool`.

use super::{
    Channels, Coalesce, DrvInfo, LinkKsettings, Operations, PauseStats, Pauseparam, Ringparam,
    RxfhFields, RxfhGet, RxfhSet, Strings, GSTRING_LEN,
};
use crate::{
    bindings,
    error::from_result,
    net::dev::{Device, Rtnl},
    prelude::*,
};
use core::marker::PhantomData;

/// `Some(f)` if the driver implements the callback (`has`), else NULL.
macro_rules! opt {
    ($has:expr, $f:expr) => {
        if $has {
            Some($f)
        } else {
            None
        }
    };
}

struct Adapter<T>(PhantomData<T>);

impl<T: Operations> Adapter<T> {
    const OPS: bindings::ethtool_ops = bindings::ethtool_ops {
        get_drvinfo: if T::HAS_GET_DRVINFO {
            Some(Self::get_drvinfo_callback)
        } else {
            None
        },
        get_link: if T::HAS_GET_LINK {
            Some(Self::get_link_callback)
        } else {
            Some(bindings::ethtool_op_get_link)
        },
        get_sset_count: if T::HAS_GET_SSET_COUNT {
            Some(Self::get_sset_count_callback)
        } else {
            None
        },
        get_strings: if T::HAS_GET_STRINGS {
            Some(Self::get_strings_callback)
        } else {
            None
        },
        get_ethtool_stats: if T::HAS_GET_ETHTOOL_STATS {
            Some(Self::get_ethtool_stats_callback)
        } else {
            None
        },
        get_channels: if T::HAS_GET_CHANNELS {
            Some(Self::get_channels_callback)
        } else {
            None
        },
        set_channels: if T::HAS_SET_CHANNELS {
            Some(Self::set_channels_callback)
        } else {
            None
        },
        get_link_ksettings: if T::HAS_GET_LINK_KSETTINGS {
            Some(Self::get_link_ksettings_callback)
        } else {
            None
        },
        set_link_ksettings: opt!(T::HAS_SET_LINK_KSETTINGS, Self::set_link_ksettings_callback),
        supported_coalesce_params: T::SUPPORTED_COALESCE_PARAMS,
        // The callbacks take the RTNL lock as given (`Rtnl`). The core holds it for every
        // callback of devices that are not "ops locked", which devices of these abstractions
        // never are; should that change, these bits keep RTNL held where drivers can opt in.
        op_needs_rtnl: u32::MAX,
        get_ringparam: opt!(T::HAS_GET_RINGPARAM, Self::get_ringparam_callback),
        set_ringparam: opt!(T::HAS_SET_RINGPARAM, Self::set_ringparam_callback),
        get_coalesce: opt!(T::HAS_GET_COALESCE, Self::get_coalesce_callback),
        set_coalesce: opt!(T::HAS_SET_COALESCE, Self::set_coalesce_callback),
        get_regs_len: opt!(T::HAS_GET_REGS_LEN, Self::get_regs_len_callback),
        get_regs: opt!(T::HAS_GET_REGS, Self::get_regs_callback),
        get_eeprom_len: opt!(T::HAS_GET_EEPROM_LEN, Self::get_eeprom_len_callback),
        get_eeprom: opt!(T::HAS_GET_EEPROM, Self::get_eeprom_callback),
        self_test: opt!(T::HAS_SELF_TEST, Self::self_test_callback),
        get_pauseparam: opt!(T::HAS_GET_PAUSEPARAM, Self::get_pauseparam_callback),
        set_pauseparam: opt!(T::HAS_SET_PAUSEPARAM, Self::set_pauseparam_callback),
        get_pause_stats: opt!(T::HAS_GET_PAUSE_STATS, Self::get_pause_stats_callback),
        nway_reset: opt!(T::HAS_NWAY_RESET, Self::nway_reset_callback),
        get_rx_ring_count: opt!(T::HAS_GET_RX_RING_COUNT, Self::get_rx_ring_count_callback),
        get_rxfh_indir_size: opt!(T::RXFH_INDIR_SIZE > 0, Self::get_rxfh_indir_size_callback),
        get_rxfh_key_size: opt!(T::RXFH_KEY_SIZE > 0, Self::get_rxfh_key_size_callback),
        get_rxfh: opt!(T::HAS_GET_RXFH, Self::get_rxfh_callback),
        set_rxfh: opt!(T::HAS_SET_RXFH, Self::set_rxfh_callback),
        get_rxfh_fields: opt!(T::HAS_GET_RXFH_FIELDS, Self::get_rxfh_fields_callback),
        set_rxfh_fields: opt!(T::HAS_SET_RXFH_FIELDS, Self::set_rxfh_fields_callback),
        // SAFETY: All-zeroes is a valid `ethtool_ops`: every other callback is NULL.
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// # Safety
    ///
    /// Called by the ethtool core on a device of driver `T` (see `registration::install_ops`).
    unsafe fn dev<'a>(dev: *mut bindings::net_device) -> &'a Device<T> {
        // SAFETY: The ops table of `T` is only installed on registered devices of `T`.
        unsafe { Device::<T>::from_raw(dev) }
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL; `ks` is valid for the call.
    unsafe extern "C" fn set_link_ksettings_callback(
        dev: *mut bindings::net_device,
        ks: *const bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: The ethtool core holds RTNL around `set_link_ksettings`.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: As documented; `LinkKsettings` is transparent.
        let (dev, ks) = unsafe { (Self::dev(dev), &*ks.cast::<LinkKsettings>()) };
        from_result(|| T::set_link_ksettings(dev, &rtnl, ks).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core; `ring` is valid for the call.
    unsafe extern "C" fn get_ringparam_callback(
        dev: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        _kring: *mut bindings::kernel_ethtool_ringparam,
        _extack: *mut bindings::netlink_ext_ack,
    ) {
        // SAFETY: As documented; `Ringparam` is transparent.
        T::get_ringparam(unsafe { Self::dev(dev) }, unsafe { &mut *ring.cast() })
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL; `ring` is valid for the call.
    unsafe extern "C" fn set_ringparam_callback(
        dev: *mut bindings::net_device,
        ring: *mut bindings::ethtool_ringparam,
        _kring: *mut bindings::kernel_ethtool_ringparam,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: The ethtool core holds RTNL around `set_ringparam`.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: As documented; `Ringparam` is transparent.
        let (dev, ring) = unsafe { (Self::dev(dev), &*ring.cast::<Ringparam>()) };
        from_result(|| T::set_ringparam(dev, &rtnl, ring).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core; `c` is valid for the call.
    unsafe extern "C" fn get_coalesce_callback(
        dev: *mut bindings::net_device,
        c: *mut bindings::ethtool_coalesce,
        _kc: *mut bindings::kernel_ethtool_coalesce,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As documented; `Coalesce` is transparent.
        let (dev, c) = unsafe { (Self::dev(dev), &mut *c.cast::<Coalesce>()) };
        from_result(|| T::get_coalesce(dev, c).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL; `c` is valid for the call.
    unsafe extern "C" fn set_coalesce_callback(
        dev: *mut bindings::net_device,
        c: *mut bindings::ethtool_coalesce,
        _kc: *mut bindings::kernel_ethtool_coalesce,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: The ethtool core holds RTNL around `set_coalesce`.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: As documented; `Coalesce` is transparent.
        let (dev, c) = unsafe { (Self::dev(dev), &*c.cast::<Coalesce>()) };
        from_result(|| T::set_coalesce(dev, &rtnl, c).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core.
    unsafe extern "C" fn get_regs_len_callback(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: As documented.
        T::get_regs_len(unsafe { Self::dev(dev) }).min(i32::MAX as usize) as c_int
    }

    /// # Safety
    ///
    /// Called by the ethtool core with `buf` sized by `get_regs_len` (`regs->len`).
    unsafe extern "C" fn get_regs_callback(
        dev: *mut bindings::net_device,
        regs: *mut bindings::ethtool_regs,
        buf: *mut c_void,
    ) {
        // SAFETY: As documented: `buf` has `regs->len` bytes, zeroed by the core.
        unsafe {
            let buf = core::slice::from_raw_parts_mut(buf.cast::<u8>(), (*regs).len as usize);
            (*regs).version = T::get_regs(Self::dev(dev), buf);
        }
    }

    /// # Safety
    ///
    /// Called by the ethtool core.
    unsafe extern "C" fn get_eeprom_len_callback(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: As documented.
        T::get_eeprom_len(unsafe { Self::dev(dev) }).min(i32::MAX as u32) as c_int
    }

    /// # Safety
    ///
    /// Called by the ethtool core with `data` valid for `eeprom->len` bytes.
    unsafe extern "C" fn get_eeprom_callback(
        dev: *mut bindings::net_device,
        eeprom: *mut bindings::ethtool_eeprom,
        data: *mut u8,
    ) -> c_int {
        // SAFETY: As documented.
        let (dev, eeprom, buf) = unsafe {
            (
                Self::dev(dev),
                &mut *eeprom,
                core::slice::from_raw_parts_mut(data, (*eeprom).len as usize),
            )
        };
        from_result(|| {
            eeprom.magic = T::get_eeprom(dev, eeprom.offset, buf)?;
            Ok(0)
        })
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL with `data` sized by the `TEST` string count.
    unsafe extern "C" fn self_test_callback(
        dev: *mut bindings::net_device,
        test: *mut bindings::ethtool_test,
        data: *mut u64,
    ) {
        // SAFETY: The ethtool core holds RTNL around `self_test`.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: As documented: `test->len` results.
        let (dev, test, results) = unsafe {
            (
                Self::dev(dev),
                &mut *test,
                core::slice::from_raw_parts_mut(data, (*test).len as usize),
            )
        };
        let offline = test.flags & bindings::ethtool_test_flags_ETH_TEST_FL_OFFLINE != 0;
        if T::self_test(dev, &rtnl, offline, results) {
            test.flags |= bindings::ethtool_test_flags_ETH_TEST_FL_FAILED;
        }
    }

    /// # Safety
    ///
    /// Called by the ethtool core; `p` is valid for the call.
    unsafe extern "C" fn get_pauseparam_callback(
        dev: *mut bindings::net_device,
        p: *mut bindings::ethtool_pauseparam,
    ) {
        // SAFETY: As documented; `Pauseparam` is transparent.
        T::get_pauseparam(unsafe { Self::dev(dev) }, unsafe { &mut *p.cast() })
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL; `p` is valid for the call.
    unsafe extern "C" fn set_pauseparam_callback(
        dev: *mut bindings::net_device,
        p: *mut bindings::ethtool_pauseparam,
    ) -> c_int {
        // SAFETY: The ethtool core holds RTNL around `set_pauseparam`.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: As documented; `Pauseparam` is transparent.
        let (dev, p) = unsafe { (Self::dev(dev), &*p.cast::<Pauseparam>()) };
        from_result(|| T::set_pauseparam(dev, &rtnl, p).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core; `stats` is valid for the call.
    unsafe extern "C" fn get_pause_stats_callback(
        dev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_pause_stats,
    ) {
        // SAFETY: As documented; `PauseStats` is transparent.
        let (dev, stats) = unsafe { (Self::dev(dev), &mut *stats.cast::<PauseStats>()) };
        T::get_pause_stats(dev, stats)
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL: `__dev_ethtool`, the only caller, takes it for
    /// every device that is not ops-locked, which devices of these abstractions never are (see
    /// `op_needs_rtnl` above).
    unsafe extern "C" fn nway_reset_callback(dev: *mut bindings::net_device) -> c_int {
        // SAFETY: The ethtool core holds RTNL around `nway_reset`, as documented.
        let rtnl = unsafe { Rtnl::assume_held() };
        // SAFETY: As documented.
        let dev = unsafe { Self::dev(dev) };
        from_result(|| T::nway_reset(dev, &rtnl).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core on a device of driver `T` (see `registration::install_ops`).
    unsafe extern "C" fn get_drvinfo_callback(
        dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: The ops table of `T` is only installed on registered devices of `T` (see
        // `registration::install_ops`); `info` is valid for the call and `DrvInfo` is transparent.
        let (dev, info) = unsafe { (Device::<T>::from_raw(dev), &mut *info.cast::<DrvInfo>()) };
        T::get_drvinfo(dev, info)
    }

    /// # Safety
    ///
    /// As for `get_drvinfo_callback`.
    unsafe extern "C" fn get_link_callback(dev: *mut bindings::net_device) -> u32 {
        // SAFETY: As in `get_drvinfo_callback`.
        T::get_link(unsafe { Device::<T>::from_raw(dev) }).into()
    }

    /// # Safety
    ///
    /// As for `get_drvinfo_callback`.
    unsafe extern "C" fn get_sset_count_callback(
        dev: *mut bindings::net_device,
        sset: c_int,
    ) -> c_int {
        // SAFETY: As in `get_drvinfo_callback`.
        let dev = unsafe { Device::<T>::from_raw(dev) };
        from_result(|| Ok(T::get_sset_count(dev, sset as u32)?.min(c_int::MAX as u32) as c_int))
    }

    /// Announced number of entries of `sset`, or 0.
    fn count(dev: &Device<T>, sset: u32) -> usize {
        if T::HAS_GET_SSET_COUNT {
            T::get_sset_count(dev, sset).unwrap_or(0) as usize
        } else {
            0
        }
    }

    /// # Safety
    ///
    /// As for `get_drvinfo_callback`; `data` holds `get_sset_count(sset)` strings (the core
    /// sized it from that call, under RTNL, just before).
    unsafe extern "C" fn get_strings_callback(
        dev: *mut bindings::net_device,
        sset: u32,
        data: *mut u8,
    ) {
        // SAFETY: As in `get_drvinfo_callback`.
        let dev = unsafe { Device::<T>::from_raw(dev) };
        let len = Self::count(dev, sset) * GSTRING_LEN;
        // SAFETY: The core allocated `len` bytes (see above).
        let buf = unsafe { core::slice::from_raw_parts_mut(data, len) };
        T::get_strings(dev, sset, &mut Strings::new(buf))
    }

    /// # Safety
    ///
    /// As for `get_drvinfo_callback`; `stats` is valid and `data` holds `stats->n_stats`
    /// values, the count the core allocated for.
    unsafe extern "C" fn get_ethtool_stats_callback(
        dev: *mut bindings::net_device,
        stats: *mut bindings::ethtool_stats,
        data: *mut u64,
    ) {
        // SAFETY: As in `get_drvinfo_callback`.
        let dev = unsafe { Device::<T>::from_raw(dev) };
        // The size comes from what the core allocated, never from a second `get_sset_count`
        // call: the count may have changed in between (e.g. `ethtool -L` racing `ethtool -S`
        // on a path that does not hold RTNL across both); the driver fills what fits.
        // SAFETY: `stats` is valid for the call (see above).
        let len = unsafe { (*stats).n_stats } as usize;
        // SAFETY: The core allocated `n_stats` values at `data`.
        let data = unsafe { core::slice::from_raw_parts_mut(data, len) };
        T::get_ethtool_stats(dev, data)
    }

    /// # Safety
    ///
    /// As for `get_drvinfo_callback`; `ch` is valid for the call.
    unsafe extern "C" fn get_channels_callback(
        dev: *mut bindings::net_device,
        ch: *mut bindings::ethtool_channels,
    ) {
        // SAFETY: As above; `Channels` is transparent.
        let (dev, ch) = unsafe { (Device::<T>::from_raw(dev), &mut *ch.cast::<Channels>()) };
        T::get_channels(dev, ch)
    }

    /// # Safety
    ///
    /// As for `get_channels_callback`; called under RTNL.
    unsafe extern "C" fn set_channels_callback(
        dev: *mut bindings::net_device,
        ch: *mut bindings::ethtool_channels,
    ) -> c_int {
        // SAFETY: As above; the ethtool core holds RTNL.
        let (dev, ch, rtnl) = unsafe {
            (
                Device::<T>::from_raw(dev),
                &*ch.cast::<Channels>(),
                Rtnl::assume_held(),
            )
        };
        from_result(|| T::set_channels(dev, &rtnl, ch).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `get_drvinfo_callback`; `ks` is valid for the call.
    unsafe extern "C" fn get_link_ksettings_callback(
        dev: *mut bindings::net_device,
        ks: *mut bindings::ethtool_link_ksettings,
    ) -> c_int {
        // SAFETY: As above; `LinkKsettings` is transparent.
        let (dev, ks) = unsafe { (Device::<T>::from_raw(dev), &mut *ks.cast::<LinkKsettings>()) };
        from_result(|| T::get_link_ksettings(dev, ks).map(|()| 0))
    }
}

impl<T: Operations> Adapter<T> {
    /// # Safety
    ///
    /// Called by the ethtool core on a device of driver `T`.
    unsafe extern "C" fn get_rx_ring_count_callback(dev: *mut bindings::net_device) -> u32 {
        // SAFETY: As documented.
        T::get_rx_ring_count(unsafe { Self::dev(dev) })
    }

    /// The driver's constant table size (the device is not looked at).
    extern "C" fn get_rxfh_indir_size_callback(_dev: *mut bindings::net_device) -> u32 {
        T::RXFH_INDIR_SIZE
    }

    /// The driver's constant key size (the device is not looked at).
    extern "C" fn get_rxfh_key_size_callback(_dev: *mut bindings::net_device) -> u32 {
        T::RXFH_KEY_SIZE
    }

    /// Whether `param` describes the device's main context with tables of the driver's sizes
    /// (the core allocates them from `get_rxfh_indir_size`/`get_rxfh_key_size`, which return
    /// the driver's constants; a size it states must agree).
    fn rxfh_param_ok(param: &bindings::ethtool_rxfh_param) -> bool {
        param.rss_context == 0
            && param.rss_delete == 0
            && (param.indir.is_null()
                || (T::RXFH_INDIR_SIZE > 0
                    && (param.indir_size == 0 || param.indir_size == T::RXFH_INDIR_SIZE)))
            && (param.key.is_null()
                || (T::RXFH_KEY_SIZE > 0
                    && (param.key_size == 0 || param.key_size == T::RXFH_KEY_SIZE)))
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL on a device of driver `T`; `param`'s tables, where
    /// not NULL, have the sizes of `get_rxfh_indir_size`/`get_rxfh_key_size`.
    unsafe extern "C" fn get_rxfh_callback(
        dev: *mut bindings::net_device,
        param: *mut bindings::ethtool_rxfh_param,
    ) -> c_int {
        // SAFETY: As documented.
        let (dev, param) = unsafe { (Self::dev(dev), &mut *param) };
        if !Self::rxfh_param_ok(param) {
            return EOPNOTSUPP.to_errno();
        }
        // SAFETY: The tables have the driver's sizes (checked above as far as the core states
        // them; it allocated them from the driver's constants) and are ours for the call.
        let mut rxfh = unsafe { RxfhGet::new(param, T::RXFH_INDIR_SIZE, T::RXFH_KEY_SIZE) };
        from_result(|| T::get_rxfh(dev, &mut rxfh).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `get_rxfh_callback`.
    unsafe extern "C" fn set_rxfh_callback(
        dev: *mut bindings::net_device,
        param: *mut bindings::ethtool_rxfh_param,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As documented; the core holds RTNL around `set_rxfh`.
        let (dev, param, rtnl) = unsafe { (Self::dev(dev), &*param, Rtnl::assume_held()) };
        if !Self::rxfh_param_ok(param) {
            return EOPNOTSUPP.to_errno();
        }
        // SAFETY: As in `get_rxfh_callback`, for reads.
        let rxfh = unsafe { RxfhSet::new(param, T::RXFH_INDIR_SIZE, T::RXFH_KEY_SIZE) };
        from_result(|| T::set_rxfh(dev, &rtnl, &rxfh).map(|()| 0))
    }

    /// # Safety
    ///
    /// Called by the ethtool core under RTNL on a device of driver `T`; `fields` is valid for
    /// the call.
    unsafe extern "C" fn get_rxfh_fields_callback(
        dev: *mut bindings::net_device,
        fields: *mut bindings::ethtool_rxfh_fields,
    ) -> c_int {
        // SAFETY: As documented; `RxfhFields` is transparent.
        let (dev, fields) = unsafe { (Self::dev(dev), &mut *fields.cast::<RxfhFields>()) };
        from_result(|| T::get_rxfh_fields(dev, fields).map(|()| 0))
    }

    /// # Safety
    ///
    /// As for `get_rxfh_fields_callback`.
    unsafe extern "C" fn set_rxfh_fields_callback(
        dev: *mut bindings::net_device,
        fields: *const bindings::ethtool_rxfh_fields,
        _extack: *mut bindings::netlink_ext_ack,
    ) -> c_int {
        // SAFETY: As documented; the core holds RTNL around `set_rxfh_fields`.
        let (dev, fields, rtnl) = unsafe {
            (
                Self::dev(dev),
                &*fields.cast::<RxfhFields>(),
                Rtnl::assume_held(),
            )
        };
        from_result(|| T::set_rxfh_fields(dev, &rtnl, fields).map(|()| 0))
    }
}

/// The static `ethtool_ops` table of driver `T`.
pub(crate) fn ops<T: Operations>() -> &'static bindings::ethtool_ops {
    &Adapter::<T>::OPS
}
