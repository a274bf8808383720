#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge make stress's tables (stress.txt of each VM that ran the suite) into one.

  stress_table.py TABLE...

A table has a header line and one row per (family, probe): "family probe | rnet | C", the
cells of a side that did not run in that VM saying "not run (RNET_STRESS_SIDES)". A row's cells
come from the tables that ran them (make stress runs rnet's drivers in one VM and the C drivers
in another, or the families split over two VMs), rows in the order first seen.
"""
import sys

NOT_RUN = "not run (RNET_STRESS_SIDES)"


def main(paths):
    header, rows = None, {}
    for path in paths:
        with open(path) as f:
            lines = f.read().splitlines()
        if not lines:
            continue
        header = header or lines[0]
        for line in lines[1:]:
            cells = [c.strip() for c in line.split(" | ")]
            if len(cells) < 3:
                continue
            key = cells[0]
            # A figure may itself hold " | ": the C cell is the last one.
            rnet, c = " | ".join(cells[1:-1]), cells[-1]
            old = rows.setdefault(key, [NOT_RUN, NOT_RUN])
            if rnet != NOT_RUN:
                old[0] = rnet
            if c != NOT_RUN:
                old[1] = c
    if header is None:
        return 1
    print(header)
    for key, (rnet, c) in rows.items():
        family, probe = (key.split(None, 1) + [""])[:2]
        print(f"{family:<7} {probe:<15} | {rnet:<60} | {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
