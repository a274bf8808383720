#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bring an interface up while the N-th slab allocation of the bring-up fails, for N = 1, 2,
... until a bring-up passes without reaching the N-th one (every allocation of the path failed
once), and check that a failed bring-up leaves no interrupt handler behind.

  open_faults.py IFNAME [--max N] [--verbose]

Uses the task's fail-nth (Documentation/fault-injection/fault-injection.rst): N is written to
/proc/thread-self/fail-nth and the interface brought up in the same thread with SIOCSIFFLAGS;
reading the file back gives 0 if the fault was injected. The interface must be down. A
bring-up that succeeds despite its injected fault (e.g. a receive buffer that could not be
allocated) is taken down again.

failslab is set up for the walk and restored afterwards: sleeping allocations count too
(ignore-gfp-wait N), injected faults are not reported (verbose 0: each report is a stack dump,
which the run's kernel-log check would take for a splat), and only caches flagged with their
failslab attribute fail (cache-filter Y): all of them but those of the debugging
infrastructure, whose failures would switch it off for the rest of the boot (a radix tree node
for DMA-API debugging's cacheline tracking turns DMA-API debugging off) or make it report
falsely. Page allocations (fail_page_alloc) stay out of the walk.

Prints a summary (with --verbose also each failed bring-up and its errno); exits non-zero,
naming the handlers left registered, as soon as a failed bring-up (or a take-down) leaves any
of IFNAME's vectors in /proc/interrupts, when a bring-up fails without an injected fault (what
an earlier failure left behind broke it), or if no clean bring-up came within --max points.
"""
import argparse
import errno
import fcntl
import glob
import os
import socket
import struct
import sys
import time

SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8913, 0x8914
IFF_UP = 0x1
IFREQ = "16sh22x"  # struct ifreq: name, then ifr_flags in the 24-byte union
FAILSLAB = "/sys/kernel/debug/failslab"
FAIL_PAGE_ALLOC = "/sys/kernel/debug/fail_page_alloc"
# Caches of the debugging infrastructure, left out of the walk.
SPARED = {"radix_tree_node", "kmemleak_object", "kmemleak_scan_area", "debug_objects_cache"}


class Settings:
    """Writes fault-injection knobs and puts the old values back on exit."""

    def __init__(self):
        self.saved = []

    def set(self, path, value):
        with open(path) as f:
            old = f.read().strip()
        with open(path, "w") as f:
            f.write(value)
        self.saved.append((path, old))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for path, old in reversed(self.saved):
            with open(path, "w") as f:
                f.write(old)


def walk(args):
    name = args.ifname.encode()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def vectors():
        with open("/proc/interrupts") as f:
            return [line.split()[-1] for line in f if args.ifname + "-" in line]

    req = fcntl.ioctl(sock, SIOCGIFFLAGS, struct.pack(IFREQ, name, 0))
    flags = struct.unpack(IFREQ, req)[1]
    if flags & IFF_UP:
        sys.exit(f"{args.ifname} is up; take it down first")
    down = struct.pack(IFREQ, name, flags)
    up = struct.pack(IFREQ, name, flags | IFF_UP)
    nth = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
    failed, tolerated, start = {}, 0, time.monotonic()
    for n in range(1, args.max + 1):
        request = str(n).encode()
        err = 0
        # Nothing between arming the fault and the request that could reach an injection
        # point: both buffers are built beforehand.
        os.write(nth, request)
        try:
            fcntl.ioctl(sock, SIOCSIFFLAGS, up)
        except OSError as e:
            err = e.errno
        injected = int(os.pread(nth, 32, 0)) == 0
        os.write(nth, b"0")
        if err:
            name_of = errno.errorcode.get(err, str(err))
            if not injected:
                sys.exit(f"fault {n}: not reached, yet the bring-up failed with {name_of}")
            failed[name_of] = failed.get(name_of, 0) + 1
            if args.verbose:
                print(f"fault {n}: bring-up failed with {name_of}")
        elif not injected:
            took = time.monotonic() - start
            print(f"fault {n}: not reached, bring-up clean ({n - 1} points walked in {took:.0f} s: "
                  f"{sum(failed.values())} failed {failed}, {tolerated} tolerated)")
            return
        else:
            tolerated += 1
            fcntl.ioctl(sock, SIOCSIFFLAGS, down)
        left = vectors()
        if left:
            what = "failed bring-up" if err else "take-down"
            sys.exit(f"fault {n}: handlers left registered after the {what}: {' '.join(left)}")
    sys.exit(f"no clean bring-up within {args.max} fault points")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("ifname")
    p.add_argument("--max", type=int, default=3000)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    with Settings() as s:
        s.set(f"{FAILSLAB}/ignore-gfp-wait", "N")
        s.set(f"{FAILSLAB}/verbose", "0")
        s.set(f"{FAIL_PAGE_ALLOC}/verbose", "0")
        s.set(f"{FAIL_PAGE_ALLOC}/min-order", "64")
        for attr in sorted(glob.glob("/sys/kernel/slab/*/failslab")):
            cache = attr.split("/")[-2]
            if cache in SPARED or os.path.islink(os.path.dirname(attr)):
                continue
            try:
                s.set(attr, "1")
            except OSError as e:
                # A cache other caches were merged into refuses (EINVAL); it stays out.
                if e.errno != errno.EINVAL:
                    raise
        s.set(f"{FAILSLAB}/cache-filter", "Y")
        walk(args)


if __name__ == "__main__":
    main()
