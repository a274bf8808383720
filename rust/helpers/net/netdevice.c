// SPDX-License-Identifier: GPL-2.0
/*
 * rnet: wrappers of the static inline functions and macros that the Rust net abstractions
 * (rust/kernel/net/{dev,ethtool,napi,rtnl,skbuff}.rs, rust/kernel/sync/bh.rs) call. Only
 * one-line wrappers belong here; the logic lives in Rust.
 */

#include <linux/bottom_half.h>
#include <linux/cpumask.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/checksum.h>
#include <net/dst.h>
#include <net/ip6_checksum.h>

#ifdef CONFIG_NET

/* Bottom halves (sync/bh.rs). */

__rust_helper void rust_helper_local_bh_disable(void)
{
	local_bh_disable();
}

__rust_helper void rust_helper_local_bh_enable(void)
{
	local_bh_enable();
}

/* net_device (net/dev.rs, net/rtnl.rs). */

__rust_helper void *rust_helper_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

__rust_helper struct net *rust_helper_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}

__rust_helper unsigned int rust_helper_num_possible_cpus(void)
{
	return num_possible_cpus();
}

__rust_helper void rust_helper_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

__rust_helper void rust_helper_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

__rust_helper void rust_helper_dev_lstats_add(struct net_device *dev, unsigned int len)
{
	dev_lstats_add(dev, len);
}

__rust_helper void rust_helper_dev_core_stats_rx_dropped_inc(struct net_device *dev)
{
	dev_core_stats_rx_dropped_inc(dev);
}

__rust_helper void rust_helper_dev_core_stats_tx_dropped_inc(struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
}

__rust_helper void rust_helper_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

__rust_helper void rust_helper_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

__rust_helper bool rust_helper_netif_running(const struct net_device *dev)
{
	return netif_running(dev);
}

__rust_helper bool rust_helper_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

__rust_helper void rust_helper_netif_start_queue(struct net_device *dev)
{
	netif_start_queue(dev);
}

__rust_helper void rust_helper_netif_stop_queue(struct net_device *dev)
{
	netif_stop_queue(dev);
}

__rust_helper void rust_helper_netif_wake_queue(struct net_device *dev)
{
	netif_wake_queue(dev);
}

__rust_helper bool rust_helper_netif_queue_stopped(const struct net_device *dev)
{
	return netif_queue_stopped(dev);
}

__rust_helper void rust_helper_netif_tx_disable(struct net_device *dev)
{
	netif_tx_disable(dev);
}

__rust_helper void rust_helper_netif_tx_start_all_queues(struct net_device *dev)
{
	netif_tx_start_all_queues(dev);
}

__rust_helper void rust_helper_netif_tx_wake_all_queues(struct net_device *dev)
{
	netif_tx_wake_all_queues(dev);
}

__rust_helper void rust_helper_netif_tx_stop_queue(struct netdev_queue *txq)
{
	netif_tx_stop_queue(txq);
}

__rust_helper bool rust_helper_netif_tx_queue_stopped(const struct netdev_queue *txq)
{
	return netif_tx_queue_stopped(txq);
}

__rust_helper void rust_helper_netdev_tx_sent_queue(struct netdev_queue *txq, unsigned int bytes)
{
	netdev_tx_sent_queue(txq, bytes);
}

__rust_helper bool rust_helper___netdev_tx_sent_queue(struct netdev_queue *txq, unsigned int bytes,
						      bool xmit_more)
{
	return __netdev_tx_sent_queue(txq, bytes, xmit_more);
}

__rust_helper bool rust_helper_netdev_xmit_more(void)
{
	return netdev_xmit_more();
}

__rust_helper void rust_helper_netdev_tx_completed_queue(struct netdev_queue *txq,
							 unsigned int pkts, unsigned int bytes)
{
	netdev_tx_completed_queue(txq, pkts, bytes);
}

__rust_helper void rust_helper_netdev_tx_reset_queue(struct netdev_queue *txq)
{
	netdev_tx_reset_queue(txq);
}

/*
 * INIT_DELAYED_WORK() declares a static lockdep key per call site: all devices' work items share
 * this one, as they did when the drivers were written in C.
 */
__rust_helper void rust_helper_rnet_init_delayed_work(struct delayed_work *dw, work_func_t fn)
{
	INIT_DELAYED_WORK(dw, fn);
}

/* NAPI (net/napi.rs). */

__rust_helper void rust_helper_netif_napi_add_weight(struct net_device *dev,
						     struct napi_struct *napi,
						     int (*poll)(struct napi_struct *, int),
						     int weight)
{
	netif_napi_add_weight(dev, napi, poll, weight);
}

__rust_helper void rust_helper_netdev_lock(struct net_device *dev)
{
	netdev_lock(dev);
}

__rust_helper void rust_helper_netdev_unlock(struct net_device *dev)
{
	netdev_unlock(dev);
}

__rust_helper void rust_helper_netif_napi_set_irq(struct napi_struct *napi, int irq)
{
	netif_napi_set_irq(napi, irq);
}

__rust_helper bool rust_helper_napi_schedule(struct napi_struct *napi)
{
	return napi_schedule(napi);
}

__rust_helper gro_result_t rust_helper_napi_gro_receive(struct napi_struct *napi,
							struct sk_buff *skb)
{
	return napi_gro_receive(napi, skb);
}

/* sk_buff (net/skbuff.rs). */

/*
 * Fields of the `headers` struct_group(), which bindgen only exposes through transmuting
 * zero-sized union fields.
 */
__rust_helper __be16 rust_helper_rnet_skb_protocol(const struct sk_buff *skb)
{
	return skb->protocol;
}

__rust_helper void rust_helper_rnet_skb_set_protocol(struct sk_buff *skb, __be16 protocol)
{
	skb->protocol = protocol;
}

__rust_helper u8 rust_helper_rnet_skb_ip_summed(const struct sk_buff *skb)
{
	return skb->ip_summed;
}

__rust_helper void rust_helper_rnet_skb_set_ip_summed(struct sk_buff *skb, u8 ip_summed)
{
	skb->ip_summed = ip_summed;
}

__rust_helper u16 rust_helper_rnet_skb_csum_offset(const struct sk_buff *skb)
{
	return skb->csum_offset;
}

__rust_helper void rust_helper_kfree_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

/*
 * consume_skb() is inline or out of line depending on CONFIG_TRACEPOINTS: wrap it under a name
 * of our own so the binding exists exactly once either way.
 */
__rust_helper void rust_helper_rnet_consume_skb(struct sk_buff *skb)
{
	consume_skb(skb);
}

__rust_helper void rust_helper_skb_tx_timestamp(struct sk_buff *skb)
{
	skb_tx_timestamp(skb);
}

__rust_helper void rust_helper_skb_clear_tstamp(struct sk_buff *skb)
{
	skb_clear_tstamp(skb);
}

__rust_helper void rust_helper_skb_orphan(struct sk_buff *skb)
{
	skb_orphan(skb);
}

__rust_helper bool rust_helper_skb_dst_force(struct sk_buff *skb)
{
	return skb_dst_force(skb);
}

__rust_helper bool rust_helper_pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	return pskb_may_pull(skb, len);
}

__rust_helper struct sk_buff *rust_helper_netdev_alloc_skb_ip_align(struct net_device *dev,
								    unsigned int len)
{
	return netdev_alloc_skb_ip_align(dev, len);
}

__rust_helper int rust_helper_skb_tailroom(const struct sk_buff *skb)
{
	return skb_tailroom(skb);
}

__rust_helper void *rust_helper_skb_put_data(struct sk_buff *skb, const void *data,
					     unsigned int len)
{
	return skb_put_data(skb, data, len);
}

__rust_helper int rust_helper_skb_linearize(struct sk_buff *skb)
{
	return skb_linearize(skb);
}

__rust_helper unsigned int rust_helper_skb_headlen(const struct sk_buff *skb)
{
	return skb_headlen(skb);
}

__rust_helper struct skb_shared_info *rust_helper_skb_shinfo(const struct sk_buff *skb)
{
	return skb_shinfo(skb);
}

__rust_helper u16 rust_helper_skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb_get_queue_mapping(skb);
}

__rust_helper void rust_helper_skb_record_rx_queue(struct sk_buff *skb, u16 rx_queue)
{
	skb_record_rx_queue(skb, rx_queue);
}

__rust_helper void rust_helper_skb_set_hash(struct sk_buff *skb, u32 hash,
					    enum pkt_hash_types type)
{
	skb_set_hash(skb, hash, type);
}

__rust_helper bool rust_helper_skb_is_gso(const struct sk_buff *skb)
{
	return skb_is_gso(skb);
}

__rust_helper __be16 rust_helper_vlan_get_protocol(const struct sk_buff *skb)
{
	return vlan_get_protocol(skb);
}

__rust_helper int rust_helper_skb_checksum_start_offset(const struct sk_buff *skb)
{
	return skb_checksum_start_offset(skb);
}

__rust_helper int rust_helper_skb_network_offset(const struct sk_buff *skb)
{
	return skb_network_offset(skb);
}

__rust_helper int rust_helper_skb_transport_offset(const struct sk_buff *skb)
{
	return skb_transport_offset(skb);
}

__rust_helper unsigned char *rust_helper_skb_network_header(const struct sk_buff *skb)
{
	return skb_network_header(skb);
}

__rust_helper unsigned char *rust_helper_skb_transport_header(const struct sk_buff *skb)
{
	return skb_transport_header(skb);
}

__rust_helper int rust_helper_skb_cow_head(struct sk_buff *skb, unsigned int headroom)
{
	return skb_cow_head(skb, headroom);
}

__rust_helper unsigned int rust_helper_tcp_hdrlen(const struct sk_buff *skb)
{
	return tcp_hdrlen(skb);
}

__rust_helper __sum16 rust_helper_csum_tcpudp_magic(__be32 saddr, __be32 daddr, __u32 len,
						    __u8 proto, __wsum sum)
{
	return csum_tcpudp_magic(saddr, daddr, len, proto, sum);
}

/*
 * csum_ipv6_magic() is out of line on architectures with _HAVE_ARCH_IPV6_CSUM (x86, arm64) and
 * inline elsewhere: a name of our own gives one binding either way.
 */
__rust_helper __sum16 rust_helper_rnet_csum_ipv6_magic(const struct in6_addr *saddr,
						       const struct in6_addr *daddr, __u32 len,
						       __u8 proto, __wsum sum)
{
	return csum_ipv6_magic(saddr, daddr, len, proto, sum);
}

__rust_helper void rust_helper_skb_queue_head_init(struct sk_buff_head *list)
{
	skb_queue_head_init(list);
}

__rust_helper u32 rust_helper_skb_queue_len_lockless(const struct sk_buff_head *list)
{
	return skb_queue_len_lockless(list);
}

__rust_helper void rust_helper_skb_queue_purge(struct sk_buff_head *list)
{
	skb_queue_purge(list);
}

#endif /* CONFIG_NET */
