#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Account for a kernel crash in make stress's C-driver VM.

  stress_crash.py CONSOLE KTAP TABLE

When the VM running the C drivers' column (RNET_STRESS_SIDES=c) dies in a kernel crash, the
probe it was in is the C driver failing that probe: an expected failure, as the guest would have
reported it, not a failure of rnet. From the console (the last "rnet-stress: FAMILY PROBE on DRV"
mark and the first oops after it) this adds to KTAP an XFAIL line for that probe, and to TABLE
(the VM's stress.txt) the crashed family's rows: the probes that finished, as the guest reported
them in KTAP, and the crashed one. The probes after it in that boot did not run; the row says so.
Exits 1, changing nothing, when the console shows no crash inside a probe of a C driver.
"""
import re
import sys

MARK = re.compile(r"rnet-stress: (\S+) (\S+) on (\S+)")
CRASH = re.compile(r"(Oops: .*|BUG: .*|Kernel panic - .*)")
RIP = re.compile(r"RIP: 0010:(\S+)")
RESULT = re.compile(
    r"^\s*(?:# )?ok \d+ (?P<name>[^\s:]+)"
    r"(?:: (?P<fig>.*)| # XFAIL the C driver \S+ fails this probe: (?P<xfig>.*))$"
)


def row(family, probe, cell):
    return "%-7s %-15s | %-60s | %s" % (family, probe, "not run (RNET_STRESS_SIDES)", cell)


def main(console, ktap, table):
    with open(console, errors="replace") as f:
        lines = f.read().splitlines()
    mark, crash, rip = None, None, None
    for line in lines:
        m = MARK.search(line)
        if m and crash is None:
            mark = m.groups()
            continue
        c = CRASH.search(line)
        if c and mark and crash is None:
            crash = c.group(1).strip()
        r = RIP.search(line)
        if r and crash and rip is None:
            rip = r.group(1)
    if not (mark and crash):
        return 1
    family, probe, drv = mark
    if drv.startswith("r"):  # rnet's drivers (rigb, re1000, rveth, rlo) are never expected to fail
        return 1
    what = f"the kernel crashed: {crash}{f' at {rip}' if rip else ''}; the probes after it in this boot did not run"
    with open(ktap, errors="replace") as f:
        reported = f.read().splitlines()
    rows = []
    for line in reported:
        m = RESULT.match(line)
        if not m:
            continue
        fam, _, rest = m.group("name").partition(".")
        pr, _, d = rest.partition(".")
        if fam == family and d == drv and pr != probe:
            rows.append(row(fam, pr, f"PASS: {m.group('fig')}" if m.group("fig") is not None else f"FAIL: {m.group('xfig')}"))
    rows.append(row(family, probe, f"FAIL: {what}"))
    with open(table, "a") as f:
        f.write("\n".join(rows) + "\n")
    with open(ktap, "a") as f:
        f.write(f"ok 998 {family}.{probe}.{drv} # XFAIL the C driver {drv} fails this probe: {what}\n")
    print(f"{family}.{probe}.{drv}: {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
