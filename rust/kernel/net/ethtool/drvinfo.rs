// SPDX-License-Identifier: GPL-2.0

//! Driver information (`ethtool -i`).

use crate::{bindings, prelude::*};

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
