// SPDX-License-Identifier: GPL-2.0

#include <linux/skbuff.h>

__rust_helper unsigned int rust_helper_rnet_skb_frag_size(const struct sk_buff *skb,
							  unsigned int i)
{
	return skb_frag_size(&skb_shinfo(skb)->frags[i]);
}

__rust_helper dma_addr_t rust_helper_rnet_skb_frag_dma_map(struct device *dev,
							   const struct sk_buff *skb,
							   unsigned int i)
{
	const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

	return skb_frag_dma_map(dev, frag, 0, skb_frag_size(frag), DMA_TO_DEVICE);
}
