// SPDX-License-Identifier: GPL-2.0
/* rnet: wrappers for the inline networking functions the Rust net abstractions call. */

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
