// SPDX-License-Identifier: GPL-2.0

//! re1000: a driver for the Intel 8254x "e1000" family in Rust, for the three models QEMU
//! emulates: the 82540EM (PCI 8086:100e, `-device e1000`), the 82545EM copper (8086:100f,
//! `-device e1000-82545em`) and the 82544GC copper (8086:100c, `-device e1000-82544gc`).
//!
//! | file | what (C e1000 counterpart) |
//! | --- | --- |
//! | `main.rs` | probe/remove, up/down, watchdog, the net_device operations (e1000_main.c) |
//! | `tx.rs` | transmit: checksum and TSO contexts, mapping, completion |
//! | `rx.rs` | receive: NAPI poll, ring, multi-buffer jumbo frames, checksum status, refill |
//! | `irq.rs` | the one interrupt (INTx or MSI), its handler, ITR moderation |
//! | `ring.rs` | descriptor formats, on `kernel::net::ring`'s rings |
//! | `hw.rs` | reset, Microwire EEPROM, copper link, statistics registers (e1000_hw.c) |
//! | `ethtool.rs` | ethtool operations and self-tests (e1000_ethtool.c) |
//! | `regs.rs` | register definitions (e1000_hw.h) |
//! | `../e1000_common/` | shared with rigb: common registers, MDIC, statistics, self-tests |

// The driver data has many fields; `try_pin_init!` recurses once per field.
#![recursion_limit = "256"]

// Shared with rigb as source: see its module documentation.
#[path = "../e1000_common/mod.rs"]
mod e1000_common;
mod ethtool;
mod hw;
mod irq;
// e1000_main.c's counterpart; `main` itself is a reserved-looking module name.
#[path = "main.rs"]
mod re1000_main;
mod regs;
mod ring;
mod rx;
mod tx;

kernel::module_pci_driver! {
    type: re1000_main::Re1000Driver,
    name: "re1000",
    authors: ["rnet developers"],
    description: "Intel 8254x (e1000) Gigabit Ethernet (Rust)",
    license: "GPL",
    params: {
        int_mode: u32 {
            default: 0,
            description: "Interrupt mode: 0 = INTx (as C e1000), 1 = MSI (falls back to INTx)",
        },
        itr: u32 {
            default: 3,
            description: "Interrupt throttle rate (C e1000's InterruptThrottleRate): 0 = off, \
                1 = dynamic, 3 = dynamic conservative, 4 = simplified, 100..=100000 = fixed \
                interrupts/s",
        },
        rx_int_delay: u32 {
            default: 0,
            description: "Receive interrupt delay (RDTR), 1.024 us units, 0..=65535",
        },
        rx_abs_int_delay: u32 {
            default: 8,
            description: "Receive absolute interrupt delay (RADV, 82540 and later), 0..=65535",
        },
        tx_int_delay: u32 {
            default: 8,
            description: "Transmit interrupt delay (TIDV), 1.024 us units, 0..=65535",
        },
        tx_abs_int_delay: u32 {
            default: 32,
            description: "Transmit absolute interrupt delay (TADV, 82540 and later), 0..=65535",
        },
    },
}
