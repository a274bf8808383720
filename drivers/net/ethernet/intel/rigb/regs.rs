// SPDX-License-Identifier: GPL-2.0

//! 82576 registers and descriptor bits used by rigb (see e1000_regs.h / e1000_defines.h of
//! the C igb driver and the 82576 datasheet).

use kernel::pci::Bar;
use kernel::prelude::*;

/// A 32-bit register at a fixed BAR0 offset.
#[derive(Clone, Copy)]
pub(crate) struct Reg(pub(crate) usize);

/// A per-queue register: base + 0x40 * queue (queues 0..4).
#[derive(Clone, Copy)]
pub(crate) struct QueueReg(usize);

impl QueueReg {
    pub(crate) fn at(self, queue: u32) -> Reg {
        Reg(self.0 + 0x40 * queue as usize)
    }
}

pub(crate) const CTRL: Reg = Reg(0x0000);
pub(crate) const STATUS: Reg = Reg(0x0008);
pub(crate) const CTRL_EXT: Reg = Reg(0x0018);
pub(crate) const MDIC: Reg = Reg(0x0020);
// Interrupt cause/mask registers at their e1000-compatible aliases (the 82576 maps them at
// both 0x00C0.. and 0x1500..). QEMU's igb model implements only the aliases for the
// non-MSI-X (MSI and INTx) mode rigb uses.
pub(crate) const ICR: Reg = Reg(0x00C0);
pub(crate) const IMS: Reg = Reg(0x00D0);
pub(crate) const IMC: Reg = Reg(0x00D8);
pub(crate) const EIMC: Reg = Reg(0x1528);
/// Interrupt vector allocation: bits 7:0 receive queue 0, bits 15:8 transmit queue 0.
pub(crate) const IVAR0: Reg = Reg(0x1700);
pub(crate) const IVAR_VALID: u32 = 0x80;
pub(crate) const RCTL: Reg = Reg(0x0100);
pub(crate) const TCTL: Reg = Reg(0x0400);
pub(crate) const RXCSUM: Reg = Reg(0x5000);
pub(crate) const RAL0: Reg = Reg(0x5400);
pub(crate) const RAH0: Reg = Reg(0x5404);
pub(crate) const MTA: Reg = Reg(0x5200);
pub(crate) const MTA_ENTRIES: usize = 128;

pub(crate) const RDBAL: QueueReg = QueueReg(0xC000);
pub(crate) const RDBAH: QueueReg = QueueReg(0xC004);
pub(crate) const RDLEN: QueueReg = QueueReg(0xC008);
pub(crate) const SRRCTL: QueueReg = QueueReg(0xC00C);
pub(crate) const RDH: QueueReg = QueueReg(0xC010);
pub(crate) const RDT: QueueReg = QueueReg(0xC018);
pub(crate) const RXDCTL: QueueReg = QueueReg(0xC028);
pub(crate) const TDBAL: QueueReg = QueueReg(0xE000);
pub(crate) const TDBAH: QueueReg = QueueReg(0xE004);
pub(crate) const TDLEN: QueueReg = QueueReg(0xE008);
pub(crate) const TDH: QueueReg = QueueReg(0xE010);
pub(crate) const TDT: QueueReg = QueueReg(0xE018);
pub(crate) const TXDCTL: QueueReg = QueueReg(0xE028);

// Statistics (clear on read).
pub(crate) const CRCERRS: Reg = Reg(0x4000);
pub(crate) const MPC: Reg = Reg(0x4010);
pub(crate) const GPRC: Reg = Reg(0x4074);
pub(crate) const GPTC: Reg = Reg(0x4080);
pub(crate) const GORCL: Reg = Reg(0x4088);
pub(crate) const GORCH: Reg = Reg(0x408C);
pub(crate) const GOTCL: Reg = Reg(0x4090);
pub(crate) const GOTCH: Reg = Reg(0x4094);
pub(crate) const MPRC: Reg = Reg(0x407C);

pub(crate) const CTRL_SLU: u32 = 1 << 6;
// MDI control: PHY register access.
pub(crate) const MDIC_REG_SHIFT: u32 = 16;
pub(crate) const MDIC_PHY_ADDR: u32 = 1 << 21;
pub(crate) const MDIC_OP_WRITE: u32 = 1 << 26;
pub(crate) const MDIC_READY: u32 = 1 << 28;
pub(crate) const MDIC_ERROR: u32 = 1 << 30;
/// PHY control register (MII BMCR) and its bits.
pub(crate) const PHY_BMCR: u32 = 0;
pub(crate) const BMCR_FULLDPLX: u32 = 0x0100;
pub(crate) const BMCR_ANRESTART: u32 = 0x0200;
pub(crate) const BMCR_ANENABLE: u32 = 0x1000;
pub(crate) const BMCR_SPEED1000: u32 = 0x0040;
pub(crate) const CTRL_RST: u32 = 1 << 26;
pub(crate) const CTRL_EXT_DRV_LOAD: u32 = 1 << 28;
pub(crate) const STATUS_LU: u32 = 1 << 1;
pub(crate) const STATUS_FD: u32 = 1 << 0;
pub(crate) const STATUS_SPEED_SHIFT: u32 = 6;

pub(crate) const ICR_TXDW: u32 = 1 << 0;
pub(crate) const ICR_LSC: u32 = 1 << 2;
pub(crate) const ICR_RXDMT0: u32 = 1 << 4;
pub(crate) const ICR_RXT0: u32 = 1 << 7;
/// The causes rigb enables: transmit done, link change, receive.
pub(crate) const IMS_ENABLE: u32 = ICR_TXDW | ICR_LSC | ICR_RXDMT0 | ICR_RXT0;

pub(crate) const RCTL_EN: u32 = 1 << 1;
pub(crate) const RCTL_MPE: u32 = 1 << 4;
pub(crate) const RCTL_BAM: u32 = 1 << 15;
pub(crate) const RCTL_SECRC: u32 = 1 << 26;
pub(crate) const TCTL_EN: u32 = 1 << 1;
pub(crate) const TCTL_PSP: u32 = 1 << 3;
pub(crate) const TCTL_CT_SHIFT: u32 = 4;
pub(crate) const TCTL_COLD_SHIFT: u32 = 12;
pub(crate) const RXCSUM_IPOFLD: u32 = 1 << 8;
pub(crate) const RXCSUM_TUOFLD: u32 = 1 << 9;

pub(crate) const SRRCTL_DESCTYPE_ADV_ONEBUF: u32 = 1 << 25;
pub(crate) const SRRCTL_DROP_EN: u32 = 1 << 31;
pub(crate) const XDCTL_ENABLE: u32 = 1 << 25;
pub(crate) const RAH_AV: u32 = 1 << 31;

// Advanced descriptors.
pub(crate) const TXD_DTYP_DATA: u32 = 0x3 << 20;
pub(crate) const TXD_DCMD_EOP: u32 = 1 << 24;
pub(crate) const TXD_DCMD_IFCS: u32 = 1 << 25;
pub(crate) const TXD_DCMD_RS: u32 = 1 << 27;
pub(crate) const TXD_DCMD_DEXT: u32 = 1 << 29;
pub(crate) const TXD_PAYLEN_SHIFT: u32 = 14;
pub(crate) const TXD_STAT_DD: u32 = 1 << 0;
pub(crate) const RXD_STAT_DD: u32 = 1 << 0;
pub(crate) const RXD_STAT_EOP: u32 = 1 << 1;
/// CE | SE | SEQ | CXE | RXE: the frame is bad.
pub(crate) const RXD_ERR_FRAME: u32 =
    0x0100_0000 | 0x0200_0000 | 0x0400_0000 | 0x1000_0000 | 0x8000_0000;

/// Register access on BAR0. Offsets are constants inside the BAR, so an access can only fail
/// if the BAR is smaller than the 82576's 128 KiB, which probe rejects.
pub(crate) struct Hw {
    pub(crate) bar: Bar,
}

impl Hw {
    pub(crate) fn rd(&self, reg: Reg) -> u32 {
        self.bar.try_read32(reg.0).unwrap_or(u32::MAX)
    }

    pub(crate) fn wr(&self, reg: Reg, value: u32) {
        let _ = self.bar.try_write32(reg.0, value);
    }

    /// Flushes posted writes by reading STATUS (`wrfl()` in igb).
    pub(crate) fn flush(&self) {
        let _ = self.rd(STATUS);
    }

    /// Writes a PHY register through MDIC and waits for completion.
    pub(crate) fn phy_write(&self, reg: u32, value: u16) -> Result {
        self.wr(
            MDIC,
            u32::from(value) | (reg << MDIC_REG_SHIFT) | MDIC_PHY_ADDR | MDIC_OP_WRITE,
        );
        for _ in 0..100 {
            let mdic = self.rd(MDIC);
            if mdic & MDIC_READY != 0 {
                return if mdic & MDIC_ERROR != 0 {
                    Err(EIO)
                } else {
                    Ok(())
                };
            }
            kernel::delay::msleep(1);
        }
        Err(ETIMEDOUT)
    }

    pub(crate) fn check_size(bar: &Bar) -> Result {
        if bar.len() < 0x20000 {
            pr_err!("rigb: BAR0 is {} bytes, expected 128 KiB\n", bar.len());
            return Err(ENODEV);
        }
        Ok(())
    }
}
