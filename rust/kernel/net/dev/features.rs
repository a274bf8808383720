// SPDX-License-Identifier: GPL-2.0

use crate::bindings;

macro_rules! feature {
    ($(#[$m:meta])* $name:ident = $bit:ident) => {
        $(#[$m])*
        pub const $name: u64 = 1u64 << bindings::$bit;
    };
}

feature!(/// Scatter/gather I/O.
    SG = NETIF_F_SG_BIT);
feature!(/// Can checksum any protocol (`NETIF_F_HW_CSUM`).
    HW_CSUM = NETIF_F_HW_CSUM_BIT);
feature!(/// Receive checksum offload.
    RXCSUM = NETIF_F_RXCSUM_BIT);
feature!(/// Receive hashing offload (the device's flow hash in `skb->hash`).
    RXHASH = NETIF_F_RXHASH_BIT);
feature!(/// Can checksum TCP/UDP over IPv4 (`NETIF_F_IP_CSUM`).
    IP_CSUM = NETIF_F_IP_CSUM_BIT);
feature!(/// Can checksum TCP/UDP over IPv6 (`NETIF_F_IPV6_CSUM`).
    IPV6_CSUM = NETIF_F_IPV6_CSUM_BIT);
feature!(/// Can DMA to high memory.
    HIGHDMA = NETIF_F_HIGHDMA_BIT);
feature!(/// Handles frag lists (`NETIF_F_FRAGLIST`).
    FRAGLIST = NETIF_F_FRAGLIST_BIT);
feature!(/// TCP segmentation offload for IPv4.
    TSO = NETIF_F_TSO_BIT);
feature!(/// TCP segmentation offload for IPv6.
    TSO6 = NETIF_F_TSO6_BIT);
feature!(/// TSO with ECN.
    TSO_ECN = NETIF_F_TSO_ECN_BIT);
feature!(/// TSO may mangle the IPv4 ID.
    TSO_MANGLEID = NETIF_F_TSO_MANGLEID_BIT);
feature!(/// TSO for TCP with accurate ECN, which must not clear CWR (`NETIF_F_GSO_ACCECN`).
    GSO_ACCECN = NETIF_F_GSO_ACCECN_BIT);
feature!(/// UDP segmentation offload (`NETIF_F_GSO_UDP_L4`).
    GSO_UDP_L4 = NETIF_F_GSO_UDP_L4_BIT);
feature!(/// SCTP GSO.
    GSO_SCTP = NETIF_F_GSO_SCTP_BIT);
feature!(/// Frag-list GSO.
    GSO_FRAGLIST = NETIF_F_GSO_FRAGLIST_BIT);
feature!(/// SCTP CRC32c offload.
    SCTP_CRC = NETIF_F_SCTP_CRC_BIT);
feature!(/// Generic receive offload.
    GRO = NETIF_F_GRO_BIT);
feature!(/// Cannot handle VLAN frames.
    VLAN_CHALLENGED = NETIF_F_VLAN_CHALLENGED_BIT);
feature!(/// Loopback enabled (`NETIF_F_LOOPBACK`).
    LOOPBACK = NETIF_F_LOOPBACK_BIT);
feature!(/// Transmit VLAN CTAG offload.
    HW_VLAN_CTAG_TX = NETIF_F_HW_VLAN_CTAG_TX_BIT);
feature!(/// Receive VLAN CTAG offload.
    HW_VLAN_CTAG_RX = NETIF_F_HW_VLAN_CTAG_RX_BIT);
feature!(/// Transmit VLAN STAG offload.
    HW_VLAN_STAG_TX = NETIF_F_HW_VLAN_STAG_TX_BIT);
feature!(/// Receive VLAN STAG offload.
    HW_VLAN_STAG_RX = NETIF_F_HW_VLAN_STAG_RX_BIT);
feature!(/// GRE segmentation.
    GSO_GRE = NETIF_F_GSO_GRE_BIT);
feature!(/// GRE with checksum segmentation.
    GSO_GRE_CSUM = NETIF_F_GSO_GRE_CSUM_BIT);
feature!(/// IP-in-IPv4 segmentation.
    GSO_IPXIP4 = NETIF_F_GSO_IPXIP4_BIT);
feature!(/// IP-in-IPv6 segmentation.
    GSO_IPXIP6 = NETIF_F_GSO_IPXIP6_BIT);
feature!(/// UDP tunnel segmentation.
    GSO_UDP_TUNNEL = NETIF_F_GSO_UDP_TUNNEL_BIT);
feature!(/// UDP tunnel with checksum segmentation.
    GSO_UDP_TUNNEL_CSUM = NETIF_F_GSO_UDP_TUNNEL_CSUM_BIT);

/// All encapsulation GSO types (`NETIF_F_GSO_ENCAP_ALL`).
pub const GSO_ENCAP_ALL: u64 =
    GSO_GRE | GSO_GRE_CSUM | GSO_IPXIP4 | GSO_IPXIP6 | GSO_UDP_TUNNEL | GSO_UDP_TUNNEL_CSUM;

/// The software GSO types the stack segments late if the device advertises them
/// (`NETIF_F_GSO_SOFTWARE`).
pub const GSO_SOFTWARE: u64 =
    TSO | TSO_ECN | TSO6 | TSO_MANGLEID | GSO_ACCECN | GSO_SCTP | GSO_UDP_L4 | GSO_FRAGLIST;
