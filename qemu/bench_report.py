#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's JSON-lines bench records into a ratio table (and a JSON summary).

    bench_report.py RAW.jsonl SUMMARY.json

For each pair "rust/c" and metric it prints every round of both implementations, the medians,
the ratio of the medians rust/c, and a verdict from an exact two-sided rank test
(Mann-Whitney U over all rounds): "ahead" or "behind" when p < 0.05, else "tie" (within the
noise of this run). Metrics ending in _us (latencies) or _ns (CPU time per packet) are better
lower; the rest are rates. Under TCG single rounds swing by +-15 % or more: read the rounds,
not just the ratio.
"""
import itertools
import json
import statistics
import sys
from collections import defaultdict

ALPHA = 0.05


def load(path):
    """The records of a raw bench file, grouped: (pair, metric, impl) -> [value by round]."""
    values = defaultdict(list)
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                values[(r["pair"], r["metric"], r["impl"])].append(float(r["value"]))
    return values


def rank_test(a, b):
    """Exact two-sided Mann-Whitney U test: the p-value of a and b coming from one
    distribution (ties count half). Enumerates all splits, fine for the few rounds a bench has."""
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return 1.0

    def u_stat(xs, ys):
        return sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in xs for y in ys)

    observed = abs(u_stat(a, b) - n * m / 2)
    pooled = a + b
    extreme = total = 0
    for idx in itertools.combinations(range(n + m), n):
        chosen = set(idx)
        xs = [pooled[i] for i in idx]
        ys = [pooled[i] for i in range(n + m) if i not in chosen]
        total += 1
        if abs(u_stat(xs, ys) - n * m / 2) >= observed - 1e-9:
            extreme += 1
    return extreme / total


def lower_is_better(metric):
    return metric.endswith(("_us", "_ns"))


def verdict(rust, c, metric):
    """'ahead', 'behind' or 'tie' for the Rust side, and the p-value."""
    p = rank_test(rust, c)
    if p >= ALPHA:
        return "tie", p
    rust_higher = statistics.median(rust) > statistics.median(c)
    return ("behind" if rust_higher == lower_is_better(metric) else "ahead"), p


def fmt_rounds(vals):
    return " ".join(f"{v:.1f}" for v in vals)


def main():
    values = load(sys.argv[1])
    summary = []
    pairs = sorted({(pair, metric) for pair, metric, _ in values})
    for pair, metric in pairs:
        rust, c = pair.split("/")
        rv, cv = values[(pair, metric, rust)], values[(pair, metric, c)]
        if not rv or not cv:
            continue
        rm, cm = statistics.median(rv), statistics.median(cv)
        ratio = rm / cm if cm else float("nan")
        better = "lower" if lower_is_better(metric) else "higher"
        v, p = verdict(rv, cv, metric)
        print(f"{pair} {metric} ({better} is better)")
        print(f"  {c:<6} {fmt_rounds(cv)}")
        print(f"  {rust:<6} {fmt_rounds(rv)}")
        print(f"  medians {cm:.1f} / {rm:.1f}  Rust/C {ratio:.3f}  -> {v} (p={p:.3f}, "
              f"{len(rv)}+{len(cv)} rounds)")
        summary.append({"pair": pair, "metric": metric, "c_median": cm, "rust_median": rm,
                        "ratio": ratio, "better": better, "rounds": len(rv),
                        "c_rounds": cv, "rust_rounds": rv, "verdict": v, "p": p})
    with open(sys.argv[2], "w") as f:
        json.dump(summary, f, indent=2)
    if not summary:
        sys.exit("bench: no measurements")


if __name__ == "__main__":
    main()
