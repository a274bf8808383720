#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two `make bench` runs (e.g. before and after a change) by their Rust/C ratios.

    bench_compare.py BEFORE-raw.jsonl AFTER-raw.jsonl

Both runs measure Rust and C interleaved in one VM, so the per-round ratio Rust/C cancels most
of what differs between the runs (host load, kernel build). For each pair and metric it prints
every round's ratio of both runs and a verdict from an exact rank test over the rounds:
"better" or "worse" (the ratio moved the good or the bad way, p < 0.05) or "same" (within the
noise of the two runs).
"""
import json
import statistics
import sys
from collections import defaultdict

from bench_report import ALPHA, lower_is_better, rank_test


def ratios(path):
    """(pair, metric) -> [Rust/C ratio of each round measured on both sides]."""
    by_round = defaultdict(dict)
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                by_round[(r["pair"], r["metric"], r["round"])][r["impl"]] = float(r["value"])
    out = defaultdict(list)
    for (pair, metric, _), impls in sorted(by_round.items()):
        rust, c = pair.split("/")
        if rust in impls and impls.get(c):
            out[(pair, metric)].append(impls[rust] / impls[c])
    return out


def main():
    before, after = ratios(sys.argv[1]), ratios(sys.argv[2])
    worse = 0
    for key in sorted(set(before) & set(after)):
        pair, metric = key
        b, a = before[key], after[key]
        p = rank_test(a, b)
        moved_up = statistics.median(a) > statistics.median(b)
        if p >= ALPHA:
            v = "same"
        elif moved_up != lower_is_better(metric):
            v = "better"
        else:
            v = "worse"
            worse += 1
        print(f"{pair} {metric} (Rust/C, {'lower' if lower_is_better(metric) else 'higher'} "
              f"is better)")
        print(f"  before {' '.join(f'{x:.3f}' for x in b)}  median {statistics.median(b):.3f}")
        print(f"  after  {' '.join(f'{x:.3f}' for x in a)}  median {statistics.median(a):.3f}")
        print(f"  -> {v} (p={p:.3f})")
    print(f"{worse} ratio(s) worse")


if __name__ == "__main__":
    main()
