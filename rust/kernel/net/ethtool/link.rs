// SPDX-License-Identifier: GPL-2.0

//! Link settings: speed, duplex and autonegotiation (`ethtool DEV`, `ethtool -s`), flow control
//! (`ethtool -a/-A`) and its counters.

use crate::bindings;

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
#[repr(transparent)]
pub struct PauseStats(bindings::ethtool_pause_stats);

impl PauseStats {
    /// Sets the numbers of pause frames sent and received.
    pub fn set(&mut self, tx_frames: u64, rx_frames: u64) {
        // SAFETY: `stats` is the named member of the counters' `struct_group()` union; every
        // member is plain `u64` counters, so any bit pattern is valid through it.
        let stats = unsafe { &mut self.0.__bindgen_anon_1.stats };
        stats.tx_pause_frames = tx_frames;
        stats.rx_pause_frames = rx_frames;
    }
}
