// SPDX-License-Identifier: GPL-2.0

//! Link settings: speed, duplex and autonegotiation (`ethtool DEV`, `ethtool -s`), flow control
//! (`ethtool -a/-A`) and its counters.

use crate::bindings;
use crate::ffi::c_ulong;

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

    /// Sets the link modes the device supports (`Supported link modes:`).
    pub fn set_supported(&mut self, modes: LinkModes) -> &mut Self {
        modes.store(&mut self.0.link_modes.supported);
        self
    }

    /// Sets the link modes the device advertises (`Advertised link modes:`).
    pub fn set_advertising(&mut self, modes: LinkModes) -> &mut Self {
        modes.store(&mut self.0.link_modes.advertising);
        self
    }

    /// Sets the link modes the link partner advertised (`Link partner advertised link modes:`).
    pub fn set_lp_advertising(&mut self, modes: LinkModes) -> &mut Self {
        modes.store(&mut self.0.link_modes.lp_advertising);
        self
    }

    /// The link modes to advertise (`ethtool -s DEV advertise MASK`, or those the core derived
    /// from a requested speed and duplex with autonegotiation on). Modes beyond the first 64
    /// (none of them twisted-pair modes up to 10 Gb/s) are left out.
    pub fn advertising(&self) -> LinkModes {
        LinkModes::load(&self.0.link_modes.advertising)
    }

    /// Whether the request advertises any of the link modes beyond the first 64, which
    /// [`LinkModes`] cannot hold.
    pub fn advertising_beyond_64(&self) -> bool {
        let words = &self.0.link_modes.advertising;
        let first = 64usize.div_ceil(c_ulong::BITS as usize);
        words.iter().skip(first).any(|&w| w != 0)
    }
}

/// A set of the first 64 ethtool link modes (`ETHTOOL_LINK_MODE_*_BIT`), which hold every
/// BASE-T mode up to 10 Gb/s, autonegotiation, the port types and pause.
///
/// # Examples
///
/// ```
/// use kernel::net::ethtool::LinkModes;
///
/// // `ethtool -s DEV advertise 0x28`: 100BASE-TX and 1000BASE-T, full duplex.
/// let asked = LinkModes::BASE_T_100_FULL.union(LinkModes::BASE_T_1000_FULL);
/// assert_eq!(asked.bits(), 0x28);
/// let supported = LinkModes::BASE_T_10_FULL.union(asked);
/// assert!(supported.contains(asked));
/// assert!(asked.difference(supported).is_empty());
/// assert_eq!(
///     supported.intersection(LinkModes::BASE_T_10_FULL.union(LinkModes::TP)),
///     LinkModes::BASE_T_10_FULL
/// );
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkModes(u64);

macro_rules! link_modes {
    ($($(#[$doc:meta])* $name:ident = $bit:ident;)*) => {
        impl LinkModes {
            $(
                $(#[$doc])*
                pub const $name: Self = Self(1 << bindings::$bit);
            )*
        }
    };
}

link_modes! {
    /// 10BASE-T, half duplex.
    BASE_T_10_HALF = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_10baseT_Half_BIT;
    /// 10BASE-T, full duplex.
    BASE_T_10_FULL = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_10baseT_Full_BIT;
    /// 100BASE-TX, half duplex.
    BASE_T_100_HALF = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100baseT_Half_BIT;
    /// 100BASE-TX, full duplex.
    BASE_T_100_FULL = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_100baseT_Full_BIT;
    /// 1000BASE-T, half duplex.
    BASE_T_1000_HALF = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_1000baseT_Half_BIT;
    /// 1000BASE-T, full duplex.
    BASE_T_1000_FULL = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_1000baseT_Full_BIT;
    /// Autonegotiation.
    AUTONEG = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Autoneg_BIT;
    /// Twisted-pair port.
    TP = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_TP_BIT;
    /// Symmetric pause.
    PAUSE = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Pause_BIT;
    /// Asymmetric pause.
    ASYM_PAUSE = ethtool_link_mode_bit_indices_ETHTOOL_LINK_MODE_Asym_Pause_BIT;
}

impl LinkModes {
    /// No link mode.
    pub const EMPTY: Self = Self(0);

    /// Both sets' modes.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The modes in both sets.
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// The modes of `self` that are not in `other`.
    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// Whether every mode of `other` is in `self`.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The modes as bits `ETHTOOL_LINK_MODE_*_BIT` of a `u64` (as `ethtool -s advertise`
    /// takes them).
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// The first 64 bits of a link mode bitmap, whatever the width of its words.
    fn load(words: &[c_ulong]) -> Self {
        let bits = c_ulong::BITS as usize;
        let mut v = 0u64;
        for (i, &w) in words.iter().enumerate().take(64usize.div_ceil(bits)) {
            // Lossless: `c_ulong` is at most 64 bits wide on every architecture Linux has.
            v |= (w as u64) << (i * bits);
        }
        Self(v)
    }

    /// Writes the set into the first 64 bits of a link mode bitmap, clearing those bits first.
    fn store(self, words: &mut [c_ulong]) {
        let bits = c_ulong::BITS as usize;
        for (i, w) in words.iter_mut().enumerate().take(64usize.div_ceil(bits)) {
            // Truncation keeps the word's own bits of the set.
            *w = (self.0 >> (i * bits)) as c_ulong;
        }
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
