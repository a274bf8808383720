// SPDX-License-Identifier: GPL-2.0

//! What the drivers' readings of a written-back receive descriptor (their `rx::parse`) can
//! conclude: why a frame is dropped, and what the device's checksum check said.

/// Why a received frame is dropped (and counted).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RxDrop {
    /// A piece of a frame spread over buffers where buffers are sized for the largest frame
    /// (rigb): end of packet not set, or a piece after one that was not the end.
    Fragment,
    /// The device flagged it bad (CRC, symbol, sequence, carrier extension, RX error).
    Errored,
    /// Shorter than an Ethernet header (a length of 0 included).
    Runt,
    /// A length beyond the buffer the device was given: it cannot be, so nothing is read.
    Overrun,
    /// Longer in total than the MTU allows (re1000's frames gathered from several buffers).
    TooLong,
}

/// What the device's checksum check said about a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RxCsum {
    /// Not checked (IXSM set, not TCP/UDP, or only the IP header): the stack verifies it.
    Unchecked,
    /// TCP/UDP checksum verified.
    Good,
    /// IP or TCP/UDP checksum error: passed up for the stack to count and drop.
    Bad,
}
