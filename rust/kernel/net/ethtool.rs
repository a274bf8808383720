// SPDX-License-Identifier: GPL-2.0

//! ethtool operations (`struct ethtool_ops`).
//!
//! C header: [`include/linux/ethtool.h`](srctree/include/linux/ethtool.h).

use crate::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    ffi::c_char,
    net::dev::{Device, Driver},
    prelude::*,
    str::CStr,
};
use core::marker::PhantomData;

/// Driver information returned by `ethtool -i` (`struct ethtool_drvinfo`).
#[repr(transparent)]
pub struct DrvInfo(bindings::ethtool_drvinfo);

/// Copies `src` into a fixed C string field, truncating and always NUL-terminating (as
/// `strscpy` does).
fn copy_cstr(dst: &mut [c_char], src: &CStr) {
    let Some(room) = dst.len().checked_sub(1) else {
        return;
    };
    let bytes = src.as_bytes();
    let n = bytes.len().min(room);
    for (d, s) in dst.iter_mut().zip(&bytes[..n]) {
        *d = *s as c_char;
    }
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
        crate::build_error(VTABLE_DEFAULT_ERROR)
    }

    /// Reports whether the link is up (`get_link`).
    fn get_link(_dev: &Device<Self>) -> bool {
        crate::build_error(VTABLE_DEFAULT_ERROR)
    }
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
        // SAFETY: All-zeroes is a valid `ethtool_ops`: every other callback is NULL.
        ..unsafe { core::mem::MaybeUninit::zeroed().assume_init() }
    };

    unsafe extern "C" fn get_drvinfo_callback(
        dev: *mut bindings::net_device,
        info: *mut bindings::ethtool_drvinfo,
    ) {
        // SAFETY: The ops table of `T` is only installed on registered devices of `T` (see
        // `dev::Registration`); `info` is valid for the call and `DrvInfo` is transparent.
        let (dev, info) = unsafe { (Device::<T>::from_raw(dev), &mut *info.cast::<DrvInfo>()) };
        T::get_drvinfo(dev, info)
    }

    unsafe extern "C" fn get_link_callback(dev: *mut bindings::net_device) -> u32 {
        // SAFETY: As in `get_drvinfo_callback`.
        T::get_link(unsafe { Device::<T>::from_raw(dev) }).into()
    }
}

/// The static `ethtool_ops` table of driver `T`.
pub(crate) fn ops<T: Operations>() -> &'static bindings::ethtool_ops {
    &Adapter::<T>::OPS
}
