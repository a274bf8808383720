// SPDX-License-Identifier: GPL-2.0

//! What a device does with the socket buffers it receives: allocating receive buffers,
//! classifying received Ethernet frames and taking in frames forwarded from another device.
//!
//! These live with the device rather than with [`SkBuff`], so that socket buffers do not depend
//! on network devices (as in C, where `sk_buff` only holds a `net_device` pointer).

use super::{Device, Driver};
use crate::{bindings, net::skbuff::SkBuff, prelude::*};

impl<T: Driver> Device<T> {
    /// Allocates a receive buffer with room for `len` bytes of frame for this device
    /// (`netdev_alloc_skb_ip_align`, atomic).
    pub fn alloc_rx_skb(&self, len: u32) -> Option<SkBuff> {
        // SAFETY: The net_device is valid by the type invariant.
        let skb = unsafe { bindings::netdev_alloc_skb_ip_align(self.as_raw(), len) };
        // SAFETY: A fresh buffer, owned by us.
        (!skb.is_null()).then(|| unsafe { SkBuff::from_raw(skb) })
    }

    /// Prepares a received Ethernet frame for the receive path (`eth_type_trans`): sets
    /// `skb->dev` to this device, the packet type (host/broadcast/multicast/other host), pulls
    /// the Ethernet header and stores the protocol in `skb->protocol`.
    ///
    /// C's `eth_type_trans` reads the 14-byte Ethernet header at `skb->data` without checking
    /// that it is there. This wrapper first makes sure the whole header is in the linear area
    /// (`pskb_may_pull(skb, ETH_HLEN)`, which copies it out of the page fragments if needed),
    /// so a runt or oddly fragmented frame cannot make it read past the linear data.
    ///
    /// Returns [`EINVAL`] if the frame is shorter than an Ethernet header, or if its header
    /// could not be made linear (no memory); the buffer then stays the caller's, unclassified,
    /// to be dropped.
    ///
    /// ```
    /// # use kernel::net::{dev::{self, Device, TxOutcome, TxSkb}, ethtool, registration::Registration};
    /// # struct Test;
    /// # #[vtable]
    /// # impl dev::Driver for Test {
    /// #     type Data = ();
    /// #     fn start_xmit<'call>(skb: TxSkb<'call>, _dev: &Device<Self>) -> TxOutcome<'call> {
    /// #         drop(skb.accept());
    /// #         TxOutcome::Ok
    /// #     }
    /// # }
    /// # #[vtable]
    /// # impl ethtool::Operations for Test {}
    /// let reg = Registration::<Test>::new(c"rethtest%d", 1, 1, ())?;
    /// let dev = reg.device();
    ///
    /// // A runt: 10 bytes, less than a header. Refused, the buffer left as it was.
    /// let mut runt = dev.alloc_rx_skb(64).ok_or(ENOMEM)?;
    /// runt.put_slice(&[0xff; 10])?;
    /// assert_eq!(dev.eth_type_trans(&mut runt), Err(EINVAL));
    /// assert_eq!(runt.len(), 10);
    ///
    /// // A broadcast IPv4 frame: classified, its header pulled.
    /// let mut frame = dev.alloc_rx_skb(64).ok_or(ENOMEM)?;
    /// frame.put_slice(&[0xff; 12])?;
    /// frame.put_slice(&[0x08, 0x00])?;
    /// frame.put_slice(&[0; 46])?;
    /// assert_eq!(dev.eth_type_trans(&mut frame), Ok(()));
    /// assert_eq!(frame.protocol(), u16::from_be_bytes([0x08, 0x00]).to_be());
    /// assert_eq!(frame.len(), 46);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn eth_type_trans(&self, skb: &mut SkBuff) -> Result {
        // SAFETY: We own the buffer and no borrow of its data is live (`&mut`), so its head may
        // be reallocated by the pull.
        if !unsafe { bindings::pskb_may_pull(skb.as_raw(), bindings::ETH_HLEN) } {
            return Err(EINVAL);
        }
        // SAFETY: The buffer is valid, owned, and its linear area holds a whole Ethernet header
        // (checked above); the net_device is valid by the type invariant.
        let proto = unsafe { bindings::eth_type_trans(skb.as_raw(), self.as_raw()) };
        skb.set_protocol(proto);
        Ok(())
    }

    /// Prepares `skb` to be received by this device as if it had arrived on its wire
    /// (`__dev_forward_skb`): checks that the device is up and the frame fits its MTU, scrubs
    /// state that must not cross devices (and namespaces), and runs `eth_type_trans`.
    ///
    /// On failure the buffer has been freed (and counted as dropped on this device) and `None`
    /// is returned.
    pub fn forward_prepare(&self, skb: SkBuff) -> Option<SkBuff> {
        // `eth_type_trans` inside needs a whole Ethernet header in the linear area.
        // SAFETY: We own the buffer.
        if !unsafe { bindings::pskb_may_pull(skb.as_raw(), bindings::ETH_HLEN) } {
            self.rx_dropped_inc();
            return None;
        }
        let skb = skb.into_raw();
        // SAFETY: We own the buffer; on failure the function frees it, on success it is
        // still ours; the net_device is valid by the type invariant.
        if unsafe { bindings::__dev_forward_skb(self.as_raw(), skb) } == 0 {
            // SAFETY: On success the reference was not consumed.
            Some(unsafe { SkBuff::from_raw(skb) })
        } else {
            None
        }
    }
}
