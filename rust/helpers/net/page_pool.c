// SPDX-License-Identifier: GPL-2.0
/*
 * rnet: wrappers of the page_pool and sk_buff static inlines that rust/kernel/net/page_pool.rs
 * calls. Only one-line wrappers belong here; the logic lives in Rust.
 */

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/skbuff.h>
#include <net/page_pool/helpers.h>

#ifdef CONFIG_PAGE_POOL

/* A page from the pool through the out-of-line page_pool_alloc_netmems (error-injectable). */
__rust_helper struct page *rust_helper_rnet_page_pool_alloc_page(struct page_pool *pool)
{
	return netmem_to_page(page_pool_alloc_netmems(pool, GFP_ATOMIC | __GFP_NOWARN));
}

__rust_helper void rust_helper_rnet_page_pool_fragment_page(struct page *page, long nr)
{
	page_pool_fragment_page(page, nr);
}

__rust_helper dma_addr_t rust_helper_rnet_page_pool_get_dma_addr(const struct page *page)
{
	return page_pool_get_dma_addr(page);
}

__rust_helper void rust_helper_rnet_page_pool_dma_sync_for_cpu(const struct page_pool *pool,
							       const struct page *page,
							       u32 offset, u32 len)
{
	page_pool_dma_sync_for_cpu(pool, page, offset, len);
}

__rust_helper void rust_helper_rnet_page_pool_put_full_page(struct page_pool *pool,
							    struct page *page, bool allow_direct)
{
	page_pool_put_full_page(pool, page, allow_direct);
}

__rust_helper unsigned int rust_helper_rnet_rx_headroom(void)
{
	return NET_SKB_PAD + NET_IP_ALIGN;
}

__rust_helper int rust_helper_rnet_dma_get_cache_alignment(void)
{
	return dma_get_cache_alignment();
}

__rust_helper void *rust_helper_rnet_page_address(const struct page *page)
{
	return page_address(page);
}

__rust_helper void rust_helper_rnet_skb_reserve(struct sk_buff *skb, unsigned int len)
{
	skb_reserve(skb, len);
}

__rust_helper void *rust_helper_rnet___skb_put(struct sk_buff *skb, unsigned int len)
{
	return __skb_put(skb, len);
}

__rust_helper void rust_helper_rnet_skb_mark_for_recycle(struct sk_buff *skb)
{
	skb_mark_for_recycle(skb);
}

#endif /* CONFIG_PAGE_POOL */
