// SPDX-License-Identifier: GPL-2.0

//! 82576 registers and descriptor bits used by rigb (see e1000_regs.h / e1000_defines.h of
//! the C igb driver and the 82576 datasheet).

use kernel::pci::Bar;
use kernel::prelude::*;

/// A 32-bit register at a fixed BAR0 offset.
#[derive(Clone, Copy)]
pub(crate) struct Reg(pub(crate) usize);

/// A per-queue register: base + 0x40 * queue (queues 0..4 at these offsets).
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
pub(crate) const ICS: Reg = Reg(0x00C8);
/// Interrupt throttling in non-MSI-X mode (same format as EITR).
pub(crate) const ITR: Reg = Reg(0x00C4);
pub(crate) const EERD: Reg = Reg(0x0014);
pub(crate) const FCRTL: Reg = Reg(0x2160);
pub(crate) const FCRTH: Reg = Reg(0x2168);
pub(crate) const FCTTV: Reg = Reg(0x0170);
// MSI-X mode ("extended") interrupt registers: one cause bit per vector.
pub(crate) const GPIE: Reg = Reg(0x1514);
pub(crate) const EICS: Reg = Reg(0x1520);
pub(crate) const EIMS: Reg = Reg(0x1524);
pub(crate) const EIMC: Reg = Reg(0x1528);
pub(crate) const EIAC: Reg = Reg(0x152C);
pub(crate) const GPIE_NSICR: u32 = 1 << 0;
pub(crate) const GPIE_MSIX_MODE: u32 = 1 << 4;
pub(crate) const GPIE_EIAME: u32 = 1 << 30;
pub(crate) const GPIE_PBA: u32 = 1 << 31;

/// Interrupt throttle of MSI-X vector `n` (EITR), also used by the self-test and ethtool -d.
pub(crate) fn eitr(vector: u32) -> Reg {
    Reg(0x1680 + 4 * vector as usize)
}
/// Interval field of EITR/ITR: microseconds * 4 in bits 14:2.
pub(crate) const EITR_INTERVAL_MASK: u32 = 0x7FFC;
/// Writing EITR does not reset its counter (82576 and later).
pub(crate) const EITR_CNT_IGNR: u32 = 1 << 31;

/// Interrupt vector allocation for queue `q` (82576: 8 rows, queues 8..15 in the upper half):
/// bits 7:0 receive queue q, bits 15:8 transmit queue q.
pub(crate) fn ivar(queue: u32) -> Reg {
    Reg(0x1700 + 4 * (queue as usize & 7))
}
pub(crate) const IVAR0: Reg = Reg(0x1700);
/// Vector of the "other" causes (link change) in bits 15:8.
pub(crate) const IVAR_MISC: Reg = Reg(0x1740);
pub(crate) const IVAR_VALID: u32 = 0x80;
pub(crate) const RCTL: Reg = Reg(0x0100);
pub(crate) const TCTL: Reg = Reg(0x0400);
pub(crate) const RXCSUM: Reg = Reg(0x5000);
pub(crate) const RLPML: Reg = Reg(0x5004);
pub(crate) const MTA: Reg = Reg(0x5200);
pub(crate) const MTA_ENTRIES: usize = 128;
/// Receive address register pairs: 0 holds the device address, the rest secondary ones.
pub(crate) fn ral(i: usize) -> Reg {
    Reg(0x5400 + 8 * i)
}
pub(crate) fn rah(i: usize) -> Reg {
    Reg(0x5404 + 8 * i)
}
pub(crate) const RAR_ENTRIES: usize = 16;
pub(crate) const MRQC: Reg = Reg(0x5818);
pub(crate) const MRQC_ENABLE_RSS: u32 = 0x2;
pub(crate) const MRQC_RSS_FIELDS: u32 = 0x0001_0000 | 0x0002_0000 | 0x0010_0000 | 0x0020_0000;
/// Redirection table: 128 one-byte queue indices in 32 registers.
pub(crate) fn reta(i: usize) -> Reg {
    Reg(0x5C00 + 4 * i)
}
pub(crate) const RETA_REGS: usize = 32;
/// RSS hash key: 40 bytes in 10 registers.
pub(crate) fn rssrk(i: usize) -> Reg {
    Reg(0x5C80 + 4 * i)
}
pub(crate) const RSS_KEY_LEN: usize = 40;

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
pub(crate) const BPRC: Reg = Reg(0x4078);
pub(crate) const RLEC: Reg = Reg(0x4040);
pub(crate) const XONRXC: Reg = Reg(0x4048);
pub(crate) const XONTXC: Reg = Reg(0x404C);
pub(crate) const XOFFRXC: Reg = Reg(0x4050);
pub(crate) const XOFFTXC: Reg = Reg(0x4054);
pub(crate) const RNBC: Reg = Reg(0x40A0);
pub(crate) const RUC: Reg = Reg(0x40A4);
pub(crate) const ROC: Reg = Reg(0x40AC);
pub(crate) const TORL: Reg = Reg(0x40C0);
pub(crate) const TORH: Reg = Reg(0x40C4);
pub(crate) const TOTL: Reg = Reg(0x40C8);
pub(crate) const TOTH: Reg = Reg(0x40CC);
pub(crate) const TPR: Reg = Reg(0x40D0);
pub(crate) const TPT: Reg = Reg(0x40D4);
pub(crate) const MPTC: Reg = Reg(0x40F0);
pub(crate) const BPTC: Reg = Reg(0x40F4);

pub(crate) const CTRL_FD: u32 = 1 << 0;
pub(crate) const CTRL_SLU: u32 = 1 << 6;
/// Speed selection (bits 9:8: 0 = 10, 1 = 100, 2 = 1000 Mb/s), used when forced.
pub(crate) const CTRL_SPEED_SHIFT: u32 = 8;
pub(crate) const CTRL_SPEED_MASK: u32 = 3 << 8;
pub(crate) const CTRL_FRCSPD: u32 = 1 << 11;
pub(crate) const CTRL_FRCDPX: u32 = 1 << 12;
pub(crate) const CTRL_RFCE: u32 = 1 << 27;
pub(crate) const CTRL_TFCE: u32 = 1 << 28;
pub(crate) const EERD_START: u32 = 1 << 0;
pub(crate) const EERD_DONE: u32 = 1 << 1;
pub(crate) const EERD_ADDR_SHIFT: u32 = 2;
pub(crate) const EERD_DATA_SHIFT: u32 = 16;
/// The NVM words 0..0x3F sum to this when the checksum word is right.
pub(crate) const NVM_SUM: u16 = 0xBABA;
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
pub(crate) const BMCR_SPEED100: u32 = 0x2000;
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
pub(crate) const RCTL_UPE: u32 = 1 << 3;
pub(crate) const RCTL_MPE: u32 = 1 << 4;
pub(crate) const RCTL_LPE: u32 = 1 << 5;
pub(crate) const RCTL_LBM_MAC: u32 = 1 << 6;
pub(crate) const RCTL_BAM: u32 = 1 << 15;
pub(crate) const RCTL_SECRC: u32 = 1 << 26;
pub(crate) const TCTL_EN: u32 = 1 << 1;
pub(crate) const TCTL_PSP: u32 = 1 << 3;
pub(crate) const TCTL_CT_SHIFT: u32 = 4;
pub(crate) const TCTL_COLD_SHIFT: u32 = 12;
pub(crate) const RXCSUM_IPOFLD: u32 = 1 << 8;
pub(crate) const RXCSUM_TUOFLD: u32 = 1 << 9;
pub(crate) const RXCSUM_CRCOFL: u32 = 1 << 11;
/// Packet checksum disabled: the descriptor carries the RSS hash instead.
pub(crate) const RXCSUM_PCSD: u32 = 1 << 13;

pub(crate) const SRRCTL_DESCTYPE_ADV_ONEBUF: u32 = 1 << 25;
pub(crate) const SRRCTL_DROP_EN: u32 = 1 << 31;
pub(crate) const XDCTL_ENABLE: u32 = 1 << 25;
pub(crate) const RAH_AV: u32 = 1 << 31;

// Advanced descriptors.
pub(crate) const TXD_DTYP_CTXT: u32 = 0x2 << 20;
pub(crate) const TXD_DTYP_DATA: u32 = 0x3 << 20;
pub(crate) const TXD_DCMD_TSE: u32 = 1 << 31;
/// Context descriptor: MAC header length shift in vlan_macip_lens (IP length in bits 8:0).
pub(crate) const TXD_MACLEN_SHIFT: u32 = 9;
pub(crate) const TXD_TUCMD_IPV4: u32 = 0x400;
pub(crate) const TXD_TUCMD_L4T_TCP: u32 = 0x800;
pub(crate) const TXD_TUCMD_L4T_UDP: u32 = 0;
pub(crate) const TXD_L4LEN_SHIFT: u32 = 8;
pub(crate) const TXD_MSS_SHIFT: u32 = 16;
/// Data descriptor olinfo: insert the IP (IXSM) and L4 (TXSM) checksums.
pub(crate) const TXD_POPTS_IXSM: u32 = 1 << 8;
pub(crate) const TXD_POPTS_TXSM: u32 = 2 << 8;
pub(crate) const TXD_DCMD_EOP: u32 = 1 << 24;
pub(crate) const TXD_DCMD_IFCS: u32 = 1 << 25;
pub(crate) const TXD_DCMD_RS: u32 = 1 << 27;
pub(crate) const TXD_DCMD_DEXT: u32 = 1 << 29;
pub(crate) const TXD_PAYLEN_SHIFT: u32 = 14;
pub(crate) const TXD_STAT_DD: u32 = 1 << 0;
pub(crate) const RXD_STAT_DD: u32 = 1 << 0;
pub(crate) const RXD_STAT_EOP: u32 = 1 << 1;
/// Checksum indication ignored (IXSM), UDP and TCP checksums verified.
pub(crate) const RXD_STAT_IXSM: u32 = 1 << 2;
pub(crate) const RXD_STAT_UDPCS: u32 = 1 << 4;
pub(crate) const RXD_STAT_TCPCS: u32 = 1 << 5;
/// L4 (TCP/UDP) and IP checksum errors.
pub(crate) const RXD_ERR_L4E: u32 = 1 << 29;
pub(crate) const RXD_ERR_IPE: u32 = 1 << 30;
/// CE | SE | SEQ | CXE | RXE: the frame is bad.
pub(crate) const RXD_ERR_FRAME: u32 =
    0x0100_0000 | 0x0200_0000 | 0x0400_0000 | 0x1000_0000 | 0x8000_0000;
/// RSS type of the write-back descriptor (bits 3:0): hash over TCP/UDP ports for these.
pub(crate) const RSS_TYPE_MASK: u32 = 0xF;
pub(crate) fn rss_type_is_l4(t: u32) -> bool {
    matches!(t, 1 | 3 | 4 | 7 | 8 | 9)
}

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

    /// Reads 16-bit NVM word `word` through EERD.
    pub(crate) fn nvm_read(&self, word: u32) -> Result<u16> {
        self.wr(EERD, (word << EERD_ADDR_SHIFT) | EERD_START);
        for _ in 0..1000 {
            let v = self.rd(EERD);
            if v & EERD_DONE != 0 {
                return Ok((v >> EERD_DATA_SHIFT) as u16);
            }
            kernel::delay::udelay(5);
        }
        Err(ETIMEDOUT)
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
