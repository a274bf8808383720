#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""CPU time per packet per symbol, C beside Rust, from `make bench`'s profiles.

    profile_report.py DIR

DIR holds what `RNET_BENCH_PROFILE=1 make bench` left in bench-results/profile: for each pair,
implementation and row, <pair>_<impl>_<row>.txt (`perf report --stdio -n --sort dso,sym` of
`perf record -a -e cpu-clock` over the run) and <pair>_<impl>_<row>.packets (the packets of the
run and the sampling rate). A sample stands for 1/rate s of one CPU, so a symbol's samples
times that, divided by the packets, is the CPU time it took per packet. Idle is left out.

The two implementations of a pair are told apart by the pair's name: the one named like the
pair ("rigb" in "rigb_...") is rnet's, the other the C one. Rust symbols (v0 mangling, as the
kernel builds them) are shown as their path, e.g. `rigb::rx::clean`.
"""
import os
import re
import subprocess
import sys
from collections import defaultdict

LINE = re.compile(r"^\s*([\d.]+)%\s+(\d+)\s+(\S+)\s+\[(.)\]\s+(.*?)\s*$")
IDLE = re.compile(
    r"^(default_idle|default_idle_call|arch_cpu_idle|cpu_idle_poll|do_idle|poll_idle|"
    r"cpuidle_enter_state|\w*safe_halt|acpi_idle\w*|intel_idle\w*|mwait_idle\w*)$"
)


def demangle_all(syms):
    """Readable names for Rust symbols (v0 mangling, as the kernel builds them), through
    binutils' c++filt: crate hashes and generic arguments dropped, so
    `_RNvNtCs1a_4rigb2rx5clean` reads rigb::rx::clean. Other names stay as they are."""
    rust = sorted(s for s in syms if s.startswith("_R"))
    names = {s: s for s in syms}
    if not rust:
        return names
    try:
        out = subprocess.run(["c++filt"], input="\n".join(rust) + "\n", capture_output=True,
                             text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return names
    for sym, name in zip(rust, out):
        names[sym] = shorten(re.sub(r"\[[0-9a-f]{16}\]", "", name))
    return names


def shorten(name):
    """Drops generic arguments (`Foo<Bar>` -> `Foo`, `::<T>` -> ``), keeping the `<T as
    Trait>` and `<T>::` forms' angle brackets around their (shortened) contents."""
    out = []
    i = 0
    while i < len(name):
        ch = name[i]
        prev = out[-1] if out else ""
        if ch == "<" and prev and (prev.isalnum() or prev in "_:"):
            depth = 0
            while i < len(name):
                depth += {"<": 1, ">": -1}.get(name[i], 0)
                i += 1
                if depth == 0:
                    break
            if out[-2:] == [":", ":"]:
                del out[-2:]
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def load(path):
    """Samples per (object, symbol) of one perf report, idle left out."""
    samples = defaultdict(int)
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m or line.lstrip().startswith("#"):
                continue
            dso, sym = m.group(3), m.group(5)
            if IDLE.match(sym):
                continue
            samples[(dso, sym)] += int(m.group(2))
    names = demangle_all({sym for _, sym in samples})
    named = defaultdict(int)
    for (dso, sym), n in samples.items():
        named[(dso, names[sym])] += n
    return named


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    top = sys.argv[1]
    runs = defaultdict(dict)  # (pair, row) -> impl -> (samples, packets, hz)
    for name in sorted(os.listdir(top)):
        if not name.endswith(".txt") or name == "report.txt":
            continue
        stem = name[:-4]
        pair, impl, row = stem.split("_", 2)
        try:
            with open(os.path.join(top, stem + ".packets")) as f:
                packets, hz = (int(x) for x in f.read().split())
        except (OSError, ValueError):
            print(f"{stem}: no packet count, skipped")
            continue
        runs[(pair, row)][impl] = (load(os.path.join(top, name)), packets, hz)
    if not runs:
        sys.exit(f"no profiles in {top}")
    for (pair, row), impls in sorted(runs.items()):
        rust = [i for i in impls if i == pair]
        c = [i for i in impls if i != pair]
        order = c + rust
        if any(impls[i][1] <= 0 for i in order):
            print(f"{pair} {row}: a run counted no packets, skipped\n")
            continue

        def per_packet(impl, key):
            samples, packets, hz = impls[impl]
            return samples.get(key, 0) * 1e9 / hz / packets

        print(f"== {pair} {row}: CPU ns per packet (perf cpu-clock, idle left out)")
        print("   " + ", ".join(f"{i}: {impls[i][1]} packets" for i in order))
        total = {i: sum(per_packet(i, k) for k in impls[i][0]) for i in order}
        print("   busy: " + ", ".join(f"{i} {total[i]:.0f}" for i in order))
        by_obj = defaultdict(lambda: defaultdict(float))
        for i in order:
            for key in impls[i][0]:
                by_obj[key[0]][i] += per_packet(i, key)
        print("   by object: " + "; ".join(
            f"{obj} " + " / ".join(f"{by_obj[obj][i]:.0f}" for i in order)
            for obj in sorted(by_obj, key=lambda o: -max(by_obj[o].values()))[:6]))
        keys = set()
        for i in order:
            keys |= set(impls[i][0])
        rows = [(k, [per_packet(i, k) for i in order]) for k in keys]
        width = max(12, *(len(i) for i in order))
        head = "".join(f"{i:>{width}}" for i in order)
        print(f"   {'symbol':<58}{head}")
        for k, v in sorted(rows, key=lambda r: -max(r[1]))[:30]:
            cells = "".join(f"{x:>{width}.0f}" for x in v)
            print(f"   {(k[1] + ' ' + k[0])[:57]:<58}{cells}")
        if len(order) == 2:
            print("   largest differences (second minus first):")
            for k, v in sorted(rows, key=lambda r: -abs(r[1][1] - r[1][0]))[:12]:
                print(f"   {(k[1] + ' ' + k[0])[:57]:<58}{v[1] - v[0]:>+{width}.0f}")
        print()


if __name__ == "__main__":
    main()
