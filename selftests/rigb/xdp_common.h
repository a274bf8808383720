/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What rigb's XDP test programs share, with nothing but the kernel's uapi <linux/bpf.h>
 * (no libbpf headers): section and map macros as libbpf's bpf_helpers.h spells them, helper
 * declarations by id, and the parsing of the test's UDP/IPv4 frames.
 */
#ifndef RIGB_XDP_COMMON_H
#define RIGB_XDP_COMMON_H

#include <linux/bpf.h>

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __always_inline inline __attribute__((always_inline))

static long (*bpf_redirect_map)(void *map, __u64 key, __u64 flags) = (void *)BPF_FUNC_redirect_map;

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define IPPROTO_UDP 17

struct ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_proto;
};

struct iphdr {
	__u8 ihl_version; /* version << 4 | ihl: 0x45 without options */
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
};

struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
};

/* The test's frames: Ethernet, IPv4 without options, UDP. */
struct udp_frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
} __attribute__((packed));

#define bswap16(x) ((__u16)((((x) & 0xff) << 8) | (((x) >> 8) & 0xff)))

/* The frame if it is a UDP/IPv4 datagram to port `port` (host order), else NULL. */
static __always_inline struct udp_frame *udp_to(struct xdp_md *ctx, __u16 port)
{
	struct udp_frame *f = (void *)(long)ctx->data;

	if ((void *)(f + 1) > (void *)(long)ctx->data_end)
		return 0;
	if (f->eth.h_proto != bswap16(ETH_P_IP) || f->ip.ihl_version != 0x45 ||
	    f->ip.protocol != IPPROTO_UDP || f->udp.dest != bswap16(port))
		return 0;
	return f;
}

/*
 * Turns the datagram around: Ethernet and IP addresses and UDP ports swapped, so it goes back
 * to the sender's socket. Neither checksum changes (their sums are the same).
 */
static __always_inline void turn_around(struct udp_frame *f)
{
	unsigned char mac[ETH_ALEN];
	__be32 addr;
	__be16 port;

	__builtin_memcpy(mac, f->eth.h_dest, ETH_ALEN);
	__builtin_memcpy(f->eth.h_dest, f->eth.h_source, ETH_ALEN);
	__builtin_memcpy(f->eth.h_source, mac, ETH_ALEN);
	addr = f->ip.saddr;
	f->ip.saddr = f->ip.daddr;
	f->ip.daddr = addr;
	port = f->udp.source;
	f->udp.source = f->udp.dest;
	f->udp.dest = port;
}

char _license[] SEC("license") = "GPL";

#endif
