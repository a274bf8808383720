// SPDX-License-Identifier: GPL-2.0

//! rigb: an igb-style driver for the Intel 82576 (PCI 8086:10c9), as QEMU emulates it with
//! `-device igb`.

// The driver data has many fields; `try_pin_init!` recurses once per field.
#![recursion_limit = "256"]

// igb_ethtool.c's counterpart.
mod ethtool;
mod regs;
// igb_main.c's counterpart; `main` itself is a reserved-looking module name.
#[path = "main.rs"]
mod rigb_main;

kernel::module_pci_driver! {
    type: rigb_main::RigbPci,
    name: "rigb",
    author: "rnet developers",
    description: "Intel 82576 Gigabit Ethernet (igb-style, Rust)",
    license: "GPL",
}
