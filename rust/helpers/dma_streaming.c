// SPDX-License-Identifier: GPL-2.0

#include <linux/dma-mapping.h>
#include <linux/error-injection.h>

__rust_helper dma_addr_t rust_helper_dma_map_single_attrs(struct device *dev, void *ptr,
							   size_t size,
							   enum dma_data_direction dir,
							   unsigned long attrs)
{
	return dma_map_single_attrs(dev, ptr, size, dir, attrs);
}

__rust_helper void rust_helper_dma_unmap_single_attrs(struct device *dev, dma_addr_t addr,
						      size_t size,
						      enum dma_data_direction dir,
						      unsigned long attrs)
{
	dma_unmap_single_attrs(dev, addr, size, dir, attrs);
}

__rust_helper int rust_helper_dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return dma_mapping_error(dev, addr);
}

__rust_helper void rust_helper_dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
						       size_t size,
						       enum dma_data_direction dir)
{
	dma_sync_single_for_cpu(dev, addr, size, dir);
}

__rust_helper void rust_helper_dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
							  size_t size,
							  enum dma_data_direction dir)
{
	dma_sync_single_for_device(dev, addr, size, dir);
}

/*
 * A fault-injection point for the streaming mappings of the Rust abstractions
 * (kernel::dma::SingleMapping), which call it after each successful mapping: the DMA API has
 * none of its own, so without it a driver's mapping-failure paths (a dropped frame in xmit, a
 * receive buffer not refilled) would go untested. With fail_function set on it, it returns
 * the injected errno and the abstraction undoes the mapping and fails as for a
 * dma_mapping_error. Not __rust_helper: it must stay an out-of-line function to be injectable.
 */
noinline int rust_helper_dma_map_fault(struct device *dev)
{
	return 0;
}
ALLOW_ERROR_INJECTION(rust_helper_dma_map_fault, ERRNO);
