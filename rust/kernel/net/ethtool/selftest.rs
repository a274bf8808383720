// SPDX-License-Identifier: GPL-2.0

//! Plumbing of `ethtool -t` ([`Operations::self_test`](super::Operations::self_test)) that does
//! not depend on the device: the result of each test, the offline sequence (the interface down
//! for the tests, up again after), and a loopback test's frames.

use crate::{
    net::{
        dev::{Device, Driver, Rtnl},
        skbuff::SkBuff,
    },
    prelude::*,
    sync::bh,
    time::{delay::fsleep, Delta},
};
use core::sync::atomic::{AtomicU32, Ordering};

/// The outcome of `N` self-tests, all passed until one is recorded as failed.
///
/// # Examples
///
/// ```
/// use kernel::net::ethtool::SelfTestResults;
///
/// let mut results = SelfTestResults::<3>::new();
/// results.set(1, false);
/// results.set(7, false); // Not a test: ignored.
/// let mut out = [9u64; 3];
/// assert!(results.report(&mut out));
/// assert_eq!(out, [0, 1, 0]);
///
/// let mut out = [9u64; 2];
/// assert!(!SelfTestResults::<2>::new().report(&mut out));
/// assert_eq!(out, [0, 0]);
/// ```
#[derive(Clone, Copy)]
pub struct SelfTestResults<const N: usize>([bool; N]);

impl<const N: usize> SelfTestResults<N> {
    /// All tests passed (so far).
    pub fn new() -> Self {
        Self([true; N])
    }

    /// Records whether test `test` passed; a failure stays a failure. Indices beyond `N`
    /// are ignored.
    pub fn set(&mut self, test: usize, passed: bool) {
        if let Some(p) = self.0.get_mut(test) {
            *p &= passed;
        }
    }

    /// Marks every test failed (the device cannot be tested at all).
    pub fn fail_all(&mut self) {
        self.0 = [false; N];
    }

    /// Writes the results as the core expects them (one per test, 0 = pass, 1 = fail) into
    /// `out`; returns whether any test failed.
    pub fn report(&self, out: &mut [u64]) -> bool {
        for (r, p) in out.iter_mut().zip(self.0.iter()) {
            *r = u64::from(!*p);
        }
        self.0.iter().any(|p| !p)
    }
}

impl<const N: usize> Default for SelfTestResults<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs `tests` with the interface down, as the offline tests need it: takes a running
/// interface down with `down` first and brings it back up with `up` after. Returns what
/// `tests` returned, and whether the interface is as it was (`false`, logged, if `up` failed).
pub fn run_offline<T: Driver, R>(
    dev: &Device<T>,
    rtnl: &Rtnl,
    down: impl FnOnce(&Device<T>, &Rtnl),
    up: impl FnOnce(&Device<T>, &Rtnl) -> Result,
    tests: impl FnOnce() -> R,
) -> (R, bool) {
    let running = dev.is_running();
    if running {
        down(dev, rtnl);
    }
    let r = tests();
    if running {
        if let Err(e) = up(dev, rtnl) {
            pr_err!(
                "{}: cannot bring up after the self-test: {:?}\n",
                dev.name(),
                e
            );
            return (r, false);
        }
    }
    (r, true)
}

/// Length of a loopback test's frame.
pub const LOOPBACK_FRAME_LEN: usize = 256;
/// EtherType of a loopback test's frame: the local experimental one (802).
const LOOPBACK_ETHERTYPE: [u8; 2] = [0x88, 0xB5];

/// Payload byte `i` of a loopback test's frame: a counting pattern.
fn loopback_byte(i: usize) -> u8 {
    (i as u8).wrapping_mul(7) ^ 0xA5
}

/// A loopback test's frame from and to `mac`.
///
/// # Examples
///
/// ```
/// use kernel::net::ethtool::{is_loopback_frame, loopback_frame};
///
/// let mut frame = loopback_frame(&[2, 0, 0, 0, 0, 1]);
/// assert!(is_loopback_frame(&frame));
/// assert_eq!(&frame[0..6], &[2, 0, 0, 0, 0, 1]);
/// frame[100] ^= 1;
/// assert!(!is_loopback_frame(&frame));
/// assert!(!is_loopback_frame(&frame[..64]));
/// ```
pub fn loopback_frame(mac: &[u8; 6]) -> [u8; LOOPBACK_FRAME_LEN] {
    let mut frame = [0u8; LOOPBACK_FRAME_LEN];
    frame[0..6].copy_from_slice(mac);
    frame[6..12].copy_from_slice(mac);
    frame[12..14].copy_from_slice(&LOOPBACK_ETHERTYPE);
    for (i, b) in frame.iter_mut().enumerate().skip(14) {
        *b = loopback_byte(i);
    }
    frame
}

/// Whether a received frame is a loopback test's frame, intact (the addresses are not checked:
/// the receive filter did that).
pub fn is_loopback_frame(frame: &[u8]) -> bool {
    frame.len() == LOOPBACK_FRAME_LEN
        && frame[12..14] == LOOPBACK_ETHERTYPE
        && frame[14..]
            .iter()
            .enumerate()
            .all(|(i, b)| *b == loopback_byte(i + 14))
}

/// Sends `count` loopback frames through `xmit` (called with bottom halves disabled, as the
/// stack calls a transmit routine) and waits up to two seconds for the receive path to count
/// them intact in `received` (which the caller zeroed). Returns whether all were sent and came
/// back; logs how many did if not.
pub fn loopback_run<T: Driver>(
    dev: &Device<T>,
    count: u32,
    received: &AtomicU32,
    mut xmit: impl FnMut(SkBuff),
) -> bool {
    let frame = loopback_frame(&dev.dev_addr());
    let mut ok = true;
    for _ in 0..count {
        let Some(mut skb) = dev.alloc_rx_skb(LOOPBACK_FRAME_LEN as u32) else {
            ok = false;
            break;
        };
        if skb.put_slice(&frame).is_err() {
            ok = false;
            break;
        }
        let bh = bh::disable();
        xmit(skb);
        drop(bh);
    }
    let mut waited = 0;
    while received.load(Ordering::Relaxed) < count && waited < 2000 {
        fsleep(Delta::from_millis(10));
        waited += 10;
    }
    let got = received.load(Ordering::Relaxed);
    if got != count {
        pr_err!(
            "{}: loopback test: {} of {} frames back\n",
            dev.name(),
            got,
            count
        );
        ok = false;
    }
    ok
}
