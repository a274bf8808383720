// SPDX-License-Identifier: GPL-2.0

//! Queue parameters: ring sizes (`ethtool -g/-G`), interrupt coalescing (`ethtool -c/-C`) and
//! channel counts (`ethtool -l/-L`).

use crate::bindings;

/// Coalescing parameters (`ETHTOOL_COALESCE_*`) a driver supports, for
/// [`Operations::SUPPORTED_COALESCE_PARAMS`]; the core rejects the others with `EOPNOTSUPP`.
///
/// [`Operations::SUPPORTED_COALESCE_PARAMS`]:
///     crate::net::ethtool::Operations::SUPPORTED_COALESCE_PARAMS
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

/// The ring sizes a driver accepts: `min..=max`, multiples of `multiple` (a descriptor ring's
/// length register counts in 128 bytes, 8 descriptors of 16 bytes).
///
/// # Examples
///
/// ```
/// use kernel::net::ethtool::RingLimits;
///
/// let limits = RingLimits { min: 64, max: 4096, multiple: 8 };
/// assert!(limits.allows(64) && limits.allows(4096) && limits.allows(256));
/// assert!(!limits.allows(56) && !limits.allows(4104) && !limits.allows(260));
/// assert!(!RingLimits { min: 0, max: 8, multiple: 0 }.allows(8));
/// ```
#[derive(Clone, Copy)]
pub struct RingLimits {
    /// The smallest ring.
    pub min: u32,
    /// The largest ring.
    pub max: u32,
    /// What every size is a multiple of.
    pub multiple: u32,
}

impl RingLimits {
    /// Whether a ring of `n` descriptors is allowed.
    pub fn allows(&self, n: u32) -> bool {
        (self.min..=self.max).contains(&n) && n.checked_rem(self.multiple) == Some(0)
    }

    /// `EINVAL`, with a log line naming `dev` and the ring (`what`: "rx", "tx"), if a ring of
    /// `n` descriptors is not allowed.
    pub fn check<T: crate::net::dev::Driver>(
        &self,
        dev: &crate::net::dev::Device<T>,
        what: &str,
        n: u32,
    ) -> crate::error::Result {
        if !self.allows(n) {
            crate::pr_err!(
                "{}: {} ring size {} invalid: must be {}..={} and a multiple of {}\n",
                dev.name(),
                what,
                n,
                self.min,
                self.max,
                self.multiple
            );
            return Err(crate::error::code::EINVAL);
        }
        Ok(())
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
