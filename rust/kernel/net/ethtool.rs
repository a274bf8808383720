// SPDX-License-Identifier: GPL-2.0

//! ethtool operations (`struct ethtool_ops`).
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h).

use crate::{
    bindings,
    error::{from_result, VTABLE_DEFAULT_ERROR},
    net::dev::{Device, Driver, Rtnl},
    prelude::*,
};
use core::{fmt, marker::PhantomData};

/// String sets (`enum ethtool_stringset`) asked for by [`Operations::get_sset_count`].
pub mod sset {
    use crate::bindings;
    /// Names of the statistics of `ethtool -S`.
    pub const STATS: u32 = bindings::ethtool_stringset_ETH_SS_STATS;
    /// Names of the self-tests of `ethtool -t`.
    pub const TEST: u32 = bindings::ethtool_stringset_ETH_SS_TEST;
}

/// Coalescing parameters (`ETHTOOL_COALESCE_*`) a driver supports, for
/// [`Operations::SUPPORTED_COALESCE_PARAMS`]; the core rejects the others with `EOPNOTSUPP`.
pub mod coalesce {
    use crate::bindings;
    /// `rx-usecs`.
    pub const RX_USECS: u32 = bindings::ETHTOOL_COALESCE_RX_USECS;
    /// `tx-usecs`.
    pub const TX_USECS: u32 = bindings::ETHTOOL_COALESCE_TX_USECS;
}

/// Ring sizes (`ethtool -g/-G`, `struct ethtool_ringparam`).
#[repr(transparent)]
pub struct Ringparam(bindings::ethtool_ringparam);

impl Ringparam {
    /// Sets the largest receive and transmit ring sizes; the core rejects larger requests.
    pub fn set_max(&mut self, rx: u32, tx: u32) -> &mut Self {
        self.0.rx_max_pending = rx;
        self.0.tx_max_pending = tx;
        self
    }

    /// Sets the current receive and transmit ring sizes.
    pub fn set_pending(&mut self, rx: u32, tx: u32) -> &mut Self {
        self.0.rx_pending = rx;
        self.0.tx_pending = tx;
        self
    }

    /// Requested receive ring size.
    pub fn rx_pending(&self) -> u32 {
        self.0.rx_pending
    }

    /// Requested transmit ring size.
    pub fn tx_pending(&self) -> u32 {
        self.0.tx_pending
    }
}

/// Interrupt coalescing (`ethtool -c/-C`, `struct ethtool_coalesce`).
#[repr(transparent)]
pub struct Coalesce(bindings::ethtool_coalesce);

impl Coalesce {
    /// Microseconds to delay a receive interrupt.
    pub fn rx_usecs(&self) -> u32 {
        self.0.rx_coalesce_usecs
    }

    /// Microseconds to delay a transmit interrupt.
    pub fn tx_usecs(&self) -> u32 {
        self.0.tx_coalesce_usecs
    }

    /// Sets the receive delay in microseconds.
    pub fn set_rx_usecs(&mut self, usecs: u32) -> &mut Self {
        self.0.rx_coalesce_usecs = usecs;
        self
    }

    /// Sets the transmit delay in microseconds.
    pub fn set_tx_usecs(&mut self, usecs: u32) -> &mut Self {
        self.0.tx_coalesce_usecs = usecs;
        self
    }
}

/// Flow control settings (`ethtool -a/-A`, `struct ethtool_pauseparam`).
#[repr(transparent)]
pub struct Pauseparam(bindings::ethtool_pauseparam);

impl Pauseparam {
    /// Whether pause is autonegotiated.
    pub fn autoneg(&self) -> bool {
        self.0.autoneg != 0
    }

    /// Whether received pause frames are honoured.
    pub fn rx(&self) -> bool {
        self.0.rx_pause != 0
    }

    /// Whether pause frames are sent.
    pub fn tx(&self) -> bool {
        self.0.tx_pause != 0
    }

    /// Sets all three settings.
    pub fn set(&mut self, autoneg: bool, rx: bool, tx: bool) -> &mut Self {
        self.0.autoneg = autoneg.into();
        self.0.rx_pause = rx.into();
        self.0.tx_pause = tx.into();
        self
    }
}

/// Pause frame counters (`ethtool -I -a`, `struct ethtool_pause_stats`).
pub struct PauseStats(*mut bindings::ethtool_pause_stats);

impl PauseStats {
    /// Sets the numbers of pause frames sent and received.
    pub fn set(&mut self, tx_frames: u64, rx_frames: u64) {
        // SAFETY: The pointer is valid for the callback this object lives in; `stats` is the
        // named member of the counters' `struct_group()` union.
        unsafe {
            let stats = &mut (*self.0).__bindgen_anon_1.stats;
            stats.tx_pause_frames = tx_frames;
            stats.rx_pause_frames = rx_frames;
        }
    }
}

/// Length of one ethtool string (`ETH_GSTRING_LEN`).
pub const GSTRING_LEN: usize = bindings::ETH_GSTRING_LEN as usize;

/// Writer of the names of a string set (`get_strings`): one `ETH_GSTRING_LEN` slot each,
/// truncated and NUL-padded; names beyond the announced count are ignored.
pub struct Strings<'a> {
    buf: &'a mut [u8],
    next: usize,
}

impl Strings<'_> {
    /// Appends a name.
    pub fn push(&mut self, name: &str) {
        self.push_fmt(format_args!("{name}"));
    }

    /// Appends a formatted name, e.g. `format_args!("rx_queue_{i}_packets")`.
    pub fn push_fmt(&mut self, args: fmt::Arguments<'_>) {
        let Some(slot) = self
            .buf
            .get_mut(self.next * GSTRING_LEN..(self.next + 1) * GSTRING_LEN)
        else {
            return;
        };
        struct Slot<'b>(&'b mut [u8], usize);
        impl fmt::Write for Slot<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                for b in s.bytes() {
                    // Keep the last byte for the terminating NUL.
                    if self.1 + 1 < self.0.len() {
                        self.0[self.1] = b;
                        self.1 += 1;
                    }
                }
                Ok(())
            }
        }
        slot.fill(0);
        let _ = fmt::Write::write_fmt(&mut Slot(slot, 0), args);
        self.next += 1;
    }
}

/// Channel (queue) counts for `ethtool -l/-L` (`struct ethtool_channels`).
#[repr(transparent)]
pub struct Channels(bindings::ethtool_channels);

impl Channels {
    /// Sets the maximum receive-only and transmit-only channels.
    pub fn set_max(&mut self, rx: u32, tx: u32, combined: u32) -> &mut Self {
        self.0.max_rx = rx;
        self.0.max_tx = tx;
        self.0.max_combined = combined;
        self
    }

    /// Sets the channels in use.
    pub fn set_count(&mut self, rx: u32, tx: u32, combined: u32) -> &mut Self {
        self.0.rx_count = rx;
        self.0.tx_count = tx;
        self.0.combined_count = combined;
        self
    }

    /// Requested receive-only channels.
    pub fn rx_count(&self) -> u32 {
        self.0.rx_count
    }

    /// Requested transmit-only channels.
    pub fn tx_count(&self) -> u32 {
        self.0.tx_count
    }

    /// Requested combined channels.
    pub fn combined_count(&self) -> u32 {
        self.0.combined_count
    }

    /// Requested "other" channels.
    pub fn other_count(&self) -> u32 {
        self.0.other_count
    }
}

/// Link settings for `ethtool DEV` (`struct ethtool_link_ksettings`).
#[repr(transparent)]
pub struct LinkKsettings(bindings::ethtool_link_ksettings);

impl LinkKsettings {
    /// Sets the speed in Mb/s.
    pub fn set_speed(&mut self, mbps: u32) -> &mut Self {
        self.0.base.speed = mbps;
        self
    }

    /// Sets full (`true`) or half duplex.
    pub fn set_full_duplex(&mut self, full: bool) -> &mut Self {
        self.0.base.duplex = if full {
            bindings::DUPLEX_FULL as u8
        } else {
            bindings::DUPLEX_HALF as u8
        };
        self
    }

    /// Sets the port type to twisted pair (`PORT_TP`), as veth reports.
    pub fn set_port_tp(&mut self) -> &mut Self {
        self.0.base.port = bindings::PORT_TP as u8;
        self
    }

    /// The speed in Mb/s (`SPEED_UNKNOWN` is `u32::MAX`).
    pub fn speed(&self) -> u32 {
        self.0.base.speed
    }

    /// Whether full duplex is requested (`None` if neither full nor half).
    pub fn full_duplex(&self) -> Option<bool> {
        match u32::from(self.0.base.duplex) {
            bindings::DUPLEX_FULL => Some(true),
            bindings::DUPLEX_HALF => Some(false),
            _ => None,
        }
    }

    /// Whether autonegotiation is on.
    pub fn autoneg(&self) -> bool {
        u32::from(self.0.base.autoneg) == bindings::AUTONEG_ENABLE
    }

    /// Sets whether autonegotiation is on.
    pub fn set_autoneg(&mut self, on: bool) -> &mut Self {
        self.0.base.autoneg = if on {
            bindings::AUTONEG_ENABLE as u8
        } else {
            bindings::AUTONEG_DISABLE as u8
        };
        self
    }
}

/// Driver information returned by `ethtool -i` (`struct ethtool_drvinfo`).
#[repr(transparent)]
pub struct DrvInfo(bindings::ethtool_drvinfo);

/// Copies `src` into a fixed C string field, truncating and always NUL-terminating (as
/// `strscpy` does).
fn copy_cstr(dst: &mut [c_char], src: &CStr) {
    let Some(room) = dst.len().checked_sub(1) else {
        return;
    };
    let bytes = src.to_bytes();
    let n = bytes.len().min(room);
    dst[..n].copy_from_slice(&bytes[..n]);
    dst[n] = 0;
}

impl DrvInfo {
    /// Sets the driver name (`driver`).
    pub fn set_driver(&mut self, name: &CStr) -> &mut Self {
        copy_cstr(&mut self.0.driver, name);
        self
    }

    /// Sets the driver version (`version`).
    pub fn set_version(&mut self, version: &CStr) -> &mut Self {
        copy_cstr(&mut self.0.version, version);
        self
    }

    /// Sets the firmware version (`fw_version`).
    pub fn set_fw_version(&mut self, version: &CStr) -> &mut Self {
        copy_cstr(&mut self.0.fw_version, version);
        self
    }

    /// Sets the bus address (`bus_info`), e.g. a PCI address.
    pub fn set_bus_info(&mut self, bus: &CStr) -> &mut Self {
        copy_cstr(&mut self.0.bus_info, bus);
        self
    }
}

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

    /// Number of entries of string set `sset` (see [`sset`]), e.g. the number of `ethtool -S`
    /// statistics (`get_sset_count`). `EOPNOTSUPP` for sets the driver does not have.
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

    /// Which coalescing parameters `set_coalesce` accepts (see [`coalesce`]).
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
}

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
        // SAFETY: All-zeroes is a valid `ethtool_ops`: every other callback is NULL.
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    /// # Safety
    ///
    /// Called by the ethtool core on a device of driver `T` (see `net::registration`).
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
        // SAFETY: As documented.
        T::get_pause_stats(unsafe { Self::dev(dev) }, &mut PauseStats(stats))
    }

    /// # Safety
    ///
    /// Called by the ethtool core on a device of driver `T` (see `net::registration`).
    unsafe extern "C" fn get_drvinfo_callback(
        dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: The ops table of `T` is only installed on registered devices of `T` (see
        // `net::registration`); `info` is valid for the call and `DrvInfo` is transparent.
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
        T::get_strings(dev, sset, &mut Strings { buf, next: 0 })
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

/// The static `ethtool_ops` table of driver `T`.
pub(crate) fn ops<T: Operations>() -> &'static bindings::ethtool_ops {
    &Adapter::<T>::OPS
}
