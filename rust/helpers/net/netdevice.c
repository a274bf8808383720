// SPDX-License-Identifier: GPL-2.0
/* rnet: wrappers for the inline networking functions the Rust net abstractions call. */

#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/netdev_queues.h>

void rust_helper_kfree_skb(struct sk_buff *skb)
{
	kfree_skb(skb);
}

void rust_helper_skb_tx_timestamp(struct sk_buff *skb)
{
	skb_tx_timestamp(skb);
}

void rust_helper_skb_clear_tstamp(struct sk_buff *skb)
{
	skb_clear_tstamp(skb);
}

void rust_helper_skb_orphan(struct sk_buff *skb)
{
	skb_orphan(skb);
}

bool rust_helper_skb_dst_force(struct sk_buff *skb)
{
	return skb_dst_force(skb);
}

void *rust_helper_netdev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

void rust_helper_dev_lstats_add(struct net_device *dev, unsigned int len)
{
	dev_lstats_add(dev, len);
}

void rust_helper_dev_core_stats_rx_dropped_inc(struct net_device *dev)
{
	dev_core_stats_rx_dropped_inc(dev);
}

void rust_helper_dev_core_stats_tx_dropped_inc(struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
}

void rust_helper_eth_hw_addr_random(struct net_device *dev)
{
	eth_hw_addr_random(dev);
}

bool rust_helper_netif_running(const struct net_device *dev)
{
	return netif_running(dev);
}

bool rust_helper_netif_carrier_ok(const struct net_device *dev)
{
	return netif_carrier_ok(dev);
}

void rust_helper_netif_start_queue(struct net_device *dev)
{
	netif_start_queue(dev);
}

void rust_helper_netif_stop_queue(struct net_device *dev)
{
	netif_stop_queue(dev);
}

void rust_helper_netif_wake_queue(struct net_device *dev)
{
	netif_wake_queue(dev);
}

bool rust_helper_netif_queue_stopped(const struct net_device *dev)
{
	return netif_queue_stopped(dev);
}

void rust_helper_netif_tx_disable(struct net_device *dev)
{
	netif_tx_disable(dev);
}

void rust_helper_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rust_helper_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

/* consume_skb() is inline or out of line depending on CONFIG_TRACEPOINTS: wrap it under a name
 * of our own so the binding exists exactly once either way. */
void rust_helper_rnet_consume_skb(struct sk_buff *skb)
{
	consume_skb(skb);
}

/* Fields bindgen can only reach through anonymous struct_group()/cacheline-group unions. */
void rust_helper_rnet_netdev_add_priv_flags(struct net_device *dev, u64 flags)
{
	dev->priv_flags |= flags;
}

void rust_helper_rnet_netdev_set_lltx(struct net_device *dev, bool lltx)
{
	dev->lltx = lltx;
}

__be16 rust_helper_rnet_skb_protocol(const struct sk_buff *skb)
{
	return skb->protocol;
}

void rust_helper_rnet_skb_set_protocol(struct sk_buff *skb, __be16 protocol)
{
	skb->protocol = protocol;
}

void rust_helper_rcu_read_lock(void)
{
	rcu_read_lock();
}

void rust_helper_rcu_read_unlock(void)
{
	rcu_read_unlock();
}

unsigned int rust_helper_rnet_netdev_num_tx_queues(const struct net_device *dev)
{
	return dev->num_tx_queues;
}

unsigned int rust_helper_rnet_netdev_real_num_tx_queues(const struct net_device *dev)
{
	return READ_ONCE(dev->real_num_tx_queues);
}

netdev_features_t rust_helper_rnet_netdev_features(const struct net_device *dev)
{
	return READ_ONCE(dev->features);
}

void rust_helper_rnet_netdev_clear_wanted_features(struct net_device *dev, netdev_features_t f)
{
	dev->features &= ~f;
	dev->wanted_features &= ~f;
	netdev_update_features(dev);
}

void rust_helper_rnet_netdev_set_stat_ops(struct net_device *dev, const struct netdev_stat_ops *ops)
{
	dev->stat_ops = ops;
}

bool rust_helper_napi_schedule(struct napi_struct *n)
{
	return napi_schedule(n);
}

void rust_helper_netif_napi_del(struct napi_struct *napi)
{
	netif_napi_del(napi);
}

u16 rust_helper_rnet_skb_get_queue_mapping(const struct sk_buff *skb)
{
	return skb_get_queue_mapping(skb);
}

void rust_helper_skb_queue_head_init(struct sk_buff_head *list)
{
	skb_queue_head_init(list);
}

u32 rust_helper_skb_queue_len_lockless(const struct sk_buff_head *list)
{
	return skb_queue_len_lockless(list);
}

void rust_helper_skb_queue_purge(struct sk_buff_head *list)
{
	skb_queue_purge(list);
}

unsigned int rust_helper_rnet_num_possible_cpus(void)
{
	return num_possible_cpus();
}

void rust_helper_rnet_put_net(struct net *net)
{
	put_net(net);
}

struct net *rust_helper_rnet_dev_net(const struct net_device *dev)
{
	return dev_net(dev);
}

void rust_helper_rnet_netdev_clear_priv_flags(struct net_device *dev, u64 flags)
{
	dev->priv_flags &= ~flags;
}

bool rust_helper_pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	return pskb_may_pull(skb, len);
}

/* PCI, MMIO and DMA (rust/kernel/pci.rs, rust/kernel/dma.rs). */
#include <linux/pci.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>

const char *rust_helper_rnet_pci_name(const struct pci_dev *pdev)
{
	return pci_name(pdev);
}

int rust_helper_rnet_pci_request_mem_regions(struct pci_dev *pdev, const char *name)
{
	return pci_request_mem_regions(pdev, name);
}

void rust_helper_rnet_pci_release_mem_regions(struct pci_dev *pdev)
{
	pci_release_mem_regions(pdev);
}

u64 rust_helper_rnet_pci_resource_len(struct pci_dev *pdev, int bar)
{
	return pci_resource_len(pdev, bar);
}

void rust_helper_rnet_pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	pci_set_drvdata(pdev, data);
}

void *rust_helper_rnet_pci_get_drvdata(struct pci_dev *pdev)
{
	return pci_get_drvdata(pdev);
}

u32 rust_helper_readl(const volatile void __iomem *addr)
{
	return readl(addr);
}

void rust_helper_writel(u32 value, volatile void __iomem *addr)
{
	writel(value, addr);
}

dma_addr_t rust_helper_rnet_dma_map_single(struct device *dev, void *ptr, size_t size,
					   enum dma_data_direction dir)
{
	return dma_map_single(dev, ptr, size, dir);
}

void rust_helper_rnet_dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
				       enum dma_data_direction dir)
{
	dma_unmap_single(dev, addr, size, dir);
}

int rust_helper_rnet_dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return dma_mapping_error(dev, addr);
}

void rust_helper_rnet_dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
					      enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, addr, size, dir);
}

void rust_helper_rnet_dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
						 size_t size, enum dma_data_direction dir)
{
	dma_sync_single_for_device(dev, addr, size, dir);
}

void rust_helper_rnet_dma_rmb(void)
{
	dma_rmb();
}

void rust_helper_rnet_wmb(void)
{
	wmb();
}

struct sk_buff *rust_helper_rnet_netdev_alloc_skb_ip_align(struct net_device *dev, unsigned int len)
{
	return netdev_alloc_skb_ip_align(dev, len);
}

int rust_helper_rnet_skb_tailroom(const struct sk_buff *skb)
{
	return skb_tailroom(skb);
}

int rust_helper_rnet_skb_linearize(struct sk_buff *skb)
{
	return skb_linearize(skb);
}

void rust_helper_rnet_eth_hw_addr_set(struct net_device *dev, const u8 *addr)
{
	eth_hw_addr_set(dev, addr);
}

int rust_helper_rnet_dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	return dma_set_mask_and_coherent(dev, mask);
}

void rust_helper_local_bh_disable(void)
{
	local_bh_disable();
}

void rust_helper_local_bh_enable(void)
{
	local_bh_enable();
}

/* Multiqueue transmit, BQL (byte queue limits). */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/if_vlan.h>
#include <linux/ethtool.h>
#include <net/netdev_rx_queue.h>
#include <net/checksum.h>

static struct netdev_queue *rnet_txq(struct net_device *dev, unsigned int q)
{
	return q < dev->num_tx_queues ? netdev_get_tx_queue(dev, q) : NULL;
}

void rust_helper_rnet_netif_stop_subqueue(struct net_device *dev, unsigned int q)
{
	struct netdev_queue *txq = rnet_txq(dev, q);

	if (txq)
		netif_tx_stop_queue(txq);
}

void rust_helper_rnet_netif_wake_subqueue(struct net_device *dev, unsigned int q)
{
	struct netdev_queue *txq = rnet_txq(dev, q);

	if (txq)
		netif_tx_wake_queue(txq);
}

bool rust_helper_rnet_netif_subqueue_stopped(struct net_device *dev, unsigned int q)
{
	struct netdev_queue *txq = rnet_txq(dev, q);

	return txq ? netif_tx_queue_stopped(txq) : true;
}

void rust_helper_rnet_netif_tx_start_all_queues(struct net_device *dev)
{
	netif_tx_start_all_queues(dev);
}

void rust_helper_rnet_netif_tx_wake_all_queues(struct net_device *dev)
{
	netif_tx_wake_all_queues(dev);
}

void rust_helper_rnet_netdev_tx_sent_queue(struct net_device *dev, unsigned int q,
					   unsigned int bytes)
{
	struct netdev_queue *txq = rnet_txq(dev, q);

	if (txq)
		netdev_tx_sent_queue(txq, bytes);
}

void rust_helper_rnet_netdev_tx_completed_queue(struct net_device *dev, unsigned int q,
						unsigned int pkts, unsigned int bytes)
{
	struct netdev_queue *txq = rnet_txq(dev, q);

	if (txq)
		netdev_tx_completed_queue(txq, pkts, bytes);
}

void rust_helper_rnet_netdev_tx_reset_queue(struct net_device *dev, unsigned int q)
{
	struct netdev_queue *txq = rnet_txq(dev, q);

	if (txq)
		netdev_tx_reset_queue(txq);
}

unsigned int rust_helper_rnet_netdev_flags(const struct net_device *dev)
{
	return READ_ONCE(dev->flags);
}

int rust_helper_rnet_netdev_mc_count(const struct net_device *dev)
{
	return netdev_mc_count(dev);
}

int rust_helper_rnet_netdev_uc_count(const struct net_device *dev)
{
	return netdev_uc_count(dev);
}

/* Calls `fn(ctx, addr)` for each multicast (mc) or secondary unicast address; the caller holds
 * netif_addr_lock (ndo_set_rx_mode). */
void rust_helper_rnet_netdev_for_each_addr(struct net_device *dev, bool mc,
					   void (*fn)(void *ctx, const u8 *addr), void *ctx)
{
	struct netdev_hw_addr *ha;

	if (mc) {
		netdev_for_each_mc_addr(ha, dev)
			fn(ctx, ha->addr);
	} else {
		netdev_for_each_uc_addr(ha, dev)
			fn(ctx, ha->addr);
	}
}

void rust_helper_rnet_netdev_set_watchdog_timeo(struct net_device *dev, int timeo)
{
	dev->watchdog_timeo = timeo;
}

/* Deferred work owned by a net_device (rust/kernel/net/dev.rs). */
void rust_helper_rnet_init_delayed_work(struct delayed_work *dw, work_func_t fn)
{
	INIT_DELAYED_WORK(dw, fn);
}

/* Checksum and segmentation offload (rust/kernel/net/skbuff.rs). */
bool rust_helper_rnet_skb_csum_partial(const struct sk_buff *skb)
{
	return skb->ip_summed == CHECKSUM_PARTIAL;
}

unsigned int rust_helper_rnet_skb_csum_start_offset(const struct sk_buff *skb)
{
	return skb_checksum_start_offset(skb);
}

unsigned int rust_helper_rnet_skb_csum_offset(const struct sk_buff *skb)
{
	return skb->csum_offset;
}

int rust_helper_rnet_skb_network_offset(const struct sk_buff *skb)
{
	return skb_network_offset(skb);
}

int rust_helper_rnet_skb_checksum_help(struct sk_buff *skb)
{
	return skb_checksum_help(skb);
}

void rust_helper_rnet_skb_csum_unnecessary(struct sk_buff *skb)
{
	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

void rust_helper_rnet_skb_set_hash(struct sk_buff *skb, u32 hash, bool l4)
{
	skb_set_hash(skb, hash, l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
}

void rust_helper_rnet_skb_record_rx_queue(struct sk_buff *skb, u16 q)
{
	skb_record_rx_queue(skb, q);
}

unsigned int rust_helper_rnet_skb_headlen(const struct sk_buff *skb)
{
	return skb_headlen(skb);
}

unsigned int rust_helper_rnet_skb_nr_frags(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->nr_frags;
}

unsigned int rust_helper_rnet_skb_frag_size(const struct sk_buff *skb, unsigned int i)
{
	return skb_frag_size(&skb_shinfo(skb)->frags[i]);
}

dma_addr_t rust_helper_rnet_skb_frag_dma_map(struct device *dev, const struct sk_buff *skb,
					     unsigned int i)
{
	const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

	return skb_frag_dma_map(dev, frag, 0, skb_frag_size(frag), DMA_TO_DEVICE);
}

void rust_helper_rnet_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size)
{
	dma_unmap_page(dev, addr, size, DMA_TO_DEVICE);
}

unsigned int rust_helper_rnet_skb_gso_segs(const struct sk_buff *skb)
{
	return skb_shinfo(skb)->gso_segs;
}

/*
 * Prepares a TCP GSO frame for segmentation by the NIC, the way TSO-capable drivers do
 * (igb_tso, e1000_tso): the IPv4 total length/checksum and the IPv6 payload length are
 * rewritten per segment by the device, and the TCP checksum field must hold the pseudo-header
 * sum without the length. Returns 0 and fills the header layout, or -errno.
 */
int rust_helper_rnet_skb_tso_prepare(struct sk_buff *skb, u32 *l4_offset, u32 *l4_len,
				     u32 *mss, bool *ipv4)
{
	union { struct iphdr *v4; struct ipv6hdr *v6; unsigned char *hdr; } ip;
	struct tcphdr *th;
	u32 paylen;
	int err;

	if (!skb_is_gso(skb) || !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
		return -EPROTONOSUPPORT;
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return -EINVAL;
	err = skb_cow_head(skb, 0);
	if (err < 0)
		return err;
	ip.hdr = skb_network_header(skb);
	th = tcp_hdr(skb);
	*ipv4 = ip.v4->version == 4;
	if (*ipv4) {
		ip.v4->tot_len = 0;
		ip.v4->check = 0;
	} else {
		ip.v6->payload_len = 0;
	}
	*l4_offset = skb_transport_offset(skb);
	paylen = skb->len - *l4_offset;
	csum_replace_by_diff(&th->check, (__force __wsum)htonl(paylen));
	*l4_len = tcp_hdrlen(skb);
	*mss = skb_shinfo(skb)->gso_size;
	return 0;
}

bool rust_helper_rnet_skb_is_gso(const struct sk_buff *skb)
{
	return skb_is_gso(skb);
}

bool rust_helper_rnet_skb_is_ipv4(const struct sk_buff *skb)
{
	return vlan_get_protocol(skb) == htons(ETH_P_IP);
}

unsigned int rust_helper_rnet_netif_get_num_default_rss_queues(void)
{
	return netif_get_num_default_rss_queues();
}

bool rust_helper_rnet_queue_delayed_work(struct delayed_work *dw, unsigned int delay_ms)
{
	return queue_delayed_work(system_wq, dw, msecs_to_jiffies(delay_ms));
}

bool rust_helper_rnet_mod_delayed_work(struct delayed_work *dw, unsigned int delay_ms)
{
	return mod_delayed_work(system_wq, dw, msecs_to_jiffies(delay_ms));
}

/* Unlinks a queue from a NAPI instance being deleted, without netif_queue_set_napi()'s RTNL
 * assertion: the device is unregistered by then or the caller holds RTNL. */
void rust_helper_rnet_queue_clear_napi(struct net_device *dev, unsigned int q,
				       enum netdev_queue_type type)
{
	if (type == NETDEV_QUEUE_TYPE_RX && q < dev->num_rx_queues)
		WRITE_ONCE(__netif_get_rx_queue(dev, q)->napi, NULL);
	else if (type == NETDEV_QUEUE_TYPE_TX && q < dev->num_tx_queues)
		WRITE_ONCE(netdev_get_tx_queue(dev, q)->napi, NULL);
}

void rust_helper_rnet_pause_stats_set(struct ethtool_pause_stats *stats, u64 tx, u64 rx)
{
	stats->tx_pause_frames = tx;
	stats->rx_pause_frames = rx;
}

void rust_helper_rnet_udelay(unsigned long us)
{
	udelay(us);
}

void *rust_helper_skb_put_data(struct sk_buff *skb, const void *data, unsigned int len)
{
	return skb_put_data(skb, data, len);
}
