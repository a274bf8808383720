// SPDX-License-Identifier: GPL-2.0

//! rigb: an igb-style driver for the Intel 82576 (PCI 8086:10c9), as QEMU emulates it with
//! `-device igb`.
//!
//! | file | what (igb counterpart) |
//! | --- | --- |
//! | `main.rs` | probe/remove, up/down, the net_device operations (igb_main.c) |
//! | `tx.rs` | transmit: offload context, TSO, mapping, completion |
//! | `rx.rs` | receive: NAPI poll, ring, skb, GRO, refill |
//! | `xdp.rs` | native XDP: program setup, `XDP_TX`, `ndo_xdp_xmit` |
//! | `irq.rs` | vector allocation and fallback, handlers, EITR moderation |
//! | `ring.rs` | descriptor formats, on `kernel::net::ring`'s rings |
//! | `hw.rs` | reset, MAC/PHY, NVM (EERD) (e1000_*.c) |
//! | `ethtool.rs` | ethtool operations and self-tests (igb_ethtool.c) |
//! | `rss.rs` | RSS key, redirection table, hashed fields (`ethtool -x/-X/-N rx-flow-hash`) |
//! | `regs.rs` | register definitions (e1000_regs.h, e1000_defines.h) |
//! | `../e1000_common/` | shared with re1000: common registers, MDIC, statistics, self-tests |

// The driver data has many fields; `try_pin_init!` recurses once per field.
#![recursion_limit = "256"]

// Shared with re1000 as source: see its module documentation.
#[path = "../e1000_common/mod.rs"]
mod e1000_common;
mod ethtool;
mod hw;
mod irq;
mod regs;
// igb_main.c's counterpart; `main` itself is a reserved-looking module name.
#[path = "main.rs"]
mod rigb_main;
mod ring;
mod rss;
mod rx;
mod tx;
mod xdp;

kernel::module_pci_driver! {
    type: rigb_main::RigbDriver,
    name: "rigb",
    authors: ["rnet developers"],
    description: "Intel 82576 Gigabit Ethernet (igb-style, Rust)",
    license: "GPL",
    params: {
        int_mode: u32 {
            default: 2,
            description:
                "Interrupt mode: 0 = INTx, 1 = MSI, 2 = MSI-X (falls back to the next lower)",
        },
    },
}
