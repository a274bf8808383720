// SPDX-License-Identifier: GPL-2.0

//! The pieces of `ethtool -t` both Intel drivers share (e1000_ethtool.c, igb_ethtool.c): the
//! tests and their names, the register pattern test over a driver's table of registers, the NVM
//! checksum test, the link test and the interrupt test's raising of a cause. The result
//! bookkeeping, the offline sequence and the loopback frames are `kernel::net::ethtool`'s.

use super::hw;
use super::regs::{self, Bar0};
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::io::Io;
use kernel::net::dev::{Device, Driver};
use kernel::prelude::*;
use kernel::time::{delay::fsleep, Delta};

/// The self-tests, in the C drivers' order and with their names.
pub(crate) const TESTS: [&str; 5] = [
    "Register test  (offline)",
    "Eeprom test    (offline)",
    "Interrupt test (offline)",
    "Loopback test  (offline)",
    "Link test   (on/offline)",
];
/// Positions of the tests in [`TESTS`] and in the results.
pub(crate) const TEST_REGISTERS: usize = 0;
pub(crate) const TEST_NVM: usize = 1;
pub(crate) const TEST_INTERRUPT: usize = 2;
pub(crate) const TEST_LOOPBACK: usize = 3;
pub(crate) const TEST_LINK: usize = 4;

/// The results of [`TESTS`].
pub(crate) type Results = kernel::net::ethtool::SelfTestResults<{ TESTS.len() }>;

/// A register of the pattern test: its offset and the mask of its read/write bits.
pub(crate) type PatternTest = (usize, u32);

/// Writes four patterns (masked by `mask`) to a read/write register and reads them back
/// (C's REG_PATTERN_TEST); restores it. Logs the first mismatch.
pub(crate) fn reg_pattern_test<T: Driver>(
    dev: &Device<T>,
    bar: &Bar0<'_>,
    r: usize,
    mask: u32,
) -> bool {
    let saved = regs::read_offset(bar, r);
    let mut ok = true;
    for p in [0x5A5A_5A5A, 0xA5A5_A5A5, 0x0000_0000, 0xFFFF_FFFF] {
        regs::write_offset(bar, r, p & mask);
        let got = regs::read_offset(bar, r) & mask;
        if ok && got != p & mask {
            pr_err!(
                "{}: register test: {:#06x} reads {:#010x}, wrote {:#010x}\n",
                dev.name(),
                r,
                got,
                p & mask
            );
            ok = false;
        }
    }
    regs::write_offset(bar, r, saved);
    ok
}

/// The pattern test of every register in `table`; whether all passed (all are tested).
pub(crate) fn reg_pattern_tests<T: Driver>(
    dev: &Device<T>,
    bar: &Bar0<'_>,
    table: impl IntoIterator<Item = PatternTest>,
) -> bool {
    let mut ok = true;
    for (r, mask) in table {
        ok &= reg_pattern_test(dev, bar, r, mask);
    }
    ok
}

/// Writes `value` and checks the `mask` bits read back (C's REG_SET_AND_CHECK).
pub(crate) fn reg_set_and_check<T: Driver>(
    dev: &Device<T>,
    bar: &Bar0<'_>,
    r: usize,
    mask: u32,
    value: u32,
) -> bool {
    regs::write_offset(bar, r, value & mask);
    let got = regs::read_offset(bar, r) & mask;
    if got != value & mask {
        pr_err!(
            "{}: register test: {:#06x} reads {:#010x}, set {:#010x}\n",
            dev.name(),
            r,
            got,
            value & mask
        );
        return false;
    }
    true
}

/// The NVM test: `sum` (of words 0..0x3F, or the error reading them) is [`regs::NVM_SUM`].
/// `what` names the NVM in the log ("NVM", "EEPROM").
pub(crate) fn check_nvm_sum<T: Driver>(dev: &Device<T>, what: &str, sum: Result<u16>) -> bool {
    match sum {
        Ok(regs::NVM_SUM) => true,
        Ok(sum) => {
            pr_err!(
                "{}: {} checksum {:#06x}, expected {:#06x}\n",
                dev.name(),
                what,
                sum,
                regs::NVM_SUM
            );
            false
        }
        Err(e) => {
            pr_err!("{}: {} read failed: {:?}\n", dev.name(), what, e);
            false
        }
    }
}

/// The link test: the link is up.
pub(crate) fn test_link<T: Driver>(dev: &Device<T>, bar: &Bar0<'_>) -> bool {
    let up = hw::link_up(bar);
    if !up {
        pr_err!("{}: link test: no link\n", dev.name());
    }
    up
}

/// The interrupt test's core: enables and raises a link-change cause with `ICS`, and waits up
/// to 200 ms for the driver's handler to record it in `seen_causes`. The caller has its handler
/// installed (and, in MSI-X mode, the vector enabled) and masks the causes after.
pub(crate) fn raise_link_change<T: Driver>(
    dev: &Device<T>,
    bar: &Bar0<'_>,
    seen_causes: &AtomicU32,
) -> bool {
    seen_causes.store(0, Ordering::Relaxed);
    bar.write_reg(regs::IMS::from_raw(regs::ICR_LSC));
    bar.write_reg(regs::ICS::from_raw(regs::ICR_LSC));
    for _ in 0..100 {
        fsleep(Delta::from_millis(2));
        if seen_causes.load(Ordering::Relaxed) & regs::ICR_LSC != 0 {
            return true;
        }
    }
    pr_err!("{}: interrupt test: no interrupt for ICS\n", dev.name());
    false
}
