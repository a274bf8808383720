#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's JSON-lines bench records into a ratio table (and a JSON summary).

For each pair "rust/c" and metric: the median over rounds of each implementation and the
ratio rust/c. Metrics ending in _us (latencies) or _ns (CPU time per packet) are better lower;
the rest are rates.
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    records = []
    with open(sys.argv[1]) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                records.append(json.loads(line))
    values = defaultdict(list)
    for r in records:
        values[(r["pair"], r["metric"], r["impl"])].append(float(r["value"]))
    summary = []
    pairs = sorted({(r["pair"], r["metric"]) for r in records})
    print(f"{'pair':<12} {'metric':<22} {'C':>10} {'Rust':>10} {'Rust/C':>8}  better")
    for pair, metric in pairs:
        rust, c = pair.split("/")
        rv, cv = values[(pair, metric, rust)], values[(pair, metric, c)]
        if not rv or not cv:
            continue
        rm, cm = statistics.median(rv), statistics.median(cv)
        ratio = rm / cm if cm else float("nan")
        better = "lower" if metric.endswith(("_us", "_ns")) else "higher"
        print(f"{pair:<12} {metric:<22} {cm:>10.1f} {rm:>10.1f} {ratio:>8.3f}  {better}")
        summary.append({"pair": pair, "metric": metric, "c_median": cm, "rust_median": rm,
                        "ratio": ratio, "better": better, "rounds": len(rv)})
    with open(sys.argv[2], "w") as f:
        json.dump(summary, f, indent=2)
    if not summary:
        sys.exit("bench: no measurements")


if __name__ == "__main__":
    main()
