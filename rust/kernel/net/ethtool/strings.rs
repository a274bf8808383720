// SPDX-License-Identifier: GPL-2.0

//! String sets (`get_sset_count`, `get_strings`): the names of the `ethtool -S` statistics and
//! of the `ethtool -t` self-tests.

use crate::bindings;
use core::fmt;

/// String sets (`enum ethtool_stringset`) asked for by [`Operations::get_sset_count`].
///
/// [`Operations::get_sset_count`]: crate::net::ethtool::Operations::get_sset_count
pub mod sset {
    use crate::bindings;
    /// Names of the statistics of `ethtool -S`.
    pub const STATS: u32 = bindings::ethtool_stringset_ETH_SS_STATS;
    /// Names of the self-tests of `ethtool -t`.
    pub const TEST: u32 = bindings::ethtool_stringset_ETH_SS_TEST;
}

/// Length of one ethtool string (`ETH_GSTRING_LEN`).
pub const GSTRING_LEN: usize = bindings::ETH_GSTRING_LEN as usize;

/// Writer of the names of a string set (`get_strings`): one `ETH_GSTRING_LEN` slot each,
/// truncated and NUL-padded; names beyond the announced count are ignored.
pub struct Strings<'a> {
    buf: &'a mut [u8],
    next: usize,
}

impl<'a> Strings<'a> {
    /// A writer of `buf`, whose length the core sized from the announced count.
    pub(super) fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, next: 0 }
    }
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
