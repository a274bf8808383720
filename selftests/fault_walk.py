#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail the N-th allocation of one configuration request, for N = 1, 2, ... until a request
completes without reaching the N-th (every allocation point of the path failed once), checking
after each failure that the request failed cleanly and left nothing behind.

  fault_walk.py up IFNAME                 bring-up (the interface must be down)
  fault_walk.py ring IFNAME A B           ethtool -G rx/tx, A and B in turn (interface up)
  fault_walk.py channels IFNAME A B       ethtool -L combined, A and B in turn
  fault_walk.py mtu IFNAME A B            MTU, A and B in turn
  fault_walk.py newlink KIND NAME PEER    ip link add NAME type KIND peer name PEER
  fault_walk.py bind DRIVER PCI_ADDR      bind the unbound PCI function to DRIVER (its probe)
  fault_walk.py insmod KO PREFIX [PARAMS] load module KO (finit_module), whose interfaces'
                                          names start with PREFIX, with PARAMS
  options: [--max N] [--verbose] [--pages] [--json]

Uses the task's fail-nth (Documentation/fault-injection/fault-injection.rst): N is written to
/proc/thread-self/fail-nth and the request made in the same thread with one system call
(an ioctl, a netlink send, a sysfs write); reading the file back gives 0 if the fault was injected.
"Clean" means: the request failed with an errno (or, when it still succeeded despite the
fault, e.g. a receive buffer that could not be allocated, it is counted as tolerated); a
failed bring-up left none of the interface's vectors in /proc/interrupts; a failed request
that toggles a setting left the old setting in place; a failed newlink left neither device
behind; a failed bind left the function without a driver, disabled, with no interface and no
MSI/MSI-X vectors; a failed module load left neither the module nor an interface of it; and
no request failed without a fault injected (what an earlier failure left behind
broke it).

failslab is set up for the walk and restored afterwards: sleeping allocations count too
(ignore-gfp-wait N), injected faults are not reported (verbose 0: each report is a stack dump,
which the kernel-log checks would take for a splat), and only caches flagged with their
failslab attribute fail (cache-filter Y): all of them but those of the debugging
infrastructure, whose failures would switch it off for the rest of the boot (a radix tree node
for DMA-API debugging's cacheline tracking turns DMA-API debugging off) or make it report
falsely. Page allocations (fail_page_alloc) stay out of the walk unless --pages: then every
page allocation of the request is a point too (DMA rings, page-pool pages).

Prints one summary line (with --json, a JSON object: op, points, failed {errno: count},
tolerated, seconds); exits non-zero with the reason as soon as a check fails, or when no
clean request came within --max points.
"""
import argparse
import ctypes
import errno
import fcntl
import glob
import json
import os
import socket
import struct
import subprocess
import sys
import time

SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8913, 0x8914
SIOCGIFMTU, SIOCSIFMTU = 0x8921, 0x8922
SIOCETHTOOL = 0x8946
ETHTOOL_GRINGPARAM, ETHTOOL_SRINGPARAM = 0x10, 0x11
ETHTOOL_GCHANNELS, ETHTOOL_SCHANNELS = 0x3C, 0x3D
IFF_UP = 0x1
IFREQ_FLAGS = "16sh22x"  # struct ifreq: name, then ifr_flags in the 24-byte union
IFREQ_INT = "16si20x"  # name, then ifr_mtu
IFREQ_PTR = "16sP16x"  # name, then ifr_data
FAILSLAB = "/sys/kernel/debug/failslab"
FAIL_PAGE_ALLOC = "/sys/kernel/debug/fail_page_alloc"
# Caches of the debugging infrastructure, left out of the walk.
SPARED = {"radix_tree_node", "kmemleak_object", "kmemleak_scan_area", "debug_objects_cache"}

RTM_NEWLINK = 16
NLMSG_ERROR = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
IFLA_IFNAME, IFLA_LINKINFO = 3, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
VETH_INFO_PEER = 1
NLA_F_NESTED = 0x8000


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


class Fail(Exception):
    """A check of the walk failed."""


def exists(ifname):
    return os.path.exists(f"/sys/class/net/{ifname}")


class Request:
    """One configuration request: `prepare` builds everything the next attempt needs (nothing
    between arming the fault and the request may reach an injection point), `attempt` is the
    single system call, `after` checks and cleans up."""

    sock = None

    def prepare(self):
        pass

    def attempt(self):
        raise NotImplementedError

    def after(self, n, err, injected):
        pass


class Up(Request):
    def __init__(self, ifname):
        self.ifname = ifname
        self.name = ifname.encode()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        req = fcntl.ioctl(self.sock, SIOCGIFFLAGS, struct.pack(IFREQ_FLAGS, self.name, 0))
        flags = struct.unpack(IFREQ_FLAGS, req)[1]
        if flags & IFF_UP:
            raise Fail(f"{ifname} is up; take it down first")
        self.down = struct.pack(IFREQ_FLAGS, self.name, flags)
        self.up = struct.pack(IFREQ_FLAGS, self.name, flags | IFF_UP)

    def vectors(self):
        with open("/proc/interrupts") as f:
            return [line.split()[-1] for line in f if self.ifname + "-" in line]

    def attempt(self):
        fcntl.ioctl(self.sock, SIOCSIFFLAGS, self.up)

    def after(self, n, err, injected):
        if not err:
            fcntl.ioctl(self.sock, SIOCSIFFLAGS, self.down)
        left = self.vectors()
        if left:
            what = "failed bring-up" if err else "take-down"
            raise Fail(f"fault {n}: handlers left registered after the {what}: {' '.join(left)}")


class Toggle(Request):
    """A setting flipped between A and B by each request that succeeds; a failed one must leave
    the old value."""

    def __init__(self, ifname, a, b):
        self.ifname = ifname
        self.name = ifname.encode()
        self.values = (a, b)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def prepare(self):
        self.old = self.read()
        self.new = self.values[1] if self.old == self.values[0] else self.values[0]
        self.build(self.new)

    def after(self, n, err, injected):
        now = self.read()
        want = self.old if err else self.new
        if now != want:
            state = f"failed with {errno.errorcode.get(err, err)}" if err else "succeeded"
            raise Fail(f"fault {n}: the request {state}, yet the setting is {now}, not {want}")


class Mtu(Toggle):
    def read(self):
        return struct.unpack(IFREQ_INT, fcntl.ioctl(self.sock, SIOCGIFMTU,
                                                    struct.pack(IFREQ_INT, self.name, 0)))[1]

    def build(self, value):
        self.req = struct.pack(IFREQ_INT, self.name, value)

    def attempt(self):
        fcntl.ioctl(self.sock, SIOCSIFMTU, self.req)


class Ethtool(Toggle):
    """SIOCETHTOOL with a 9-word structure (ethtool_ringparam, ethtool_channels)."""

    get_cmd = set_cmd = 0

    def ethtool(self, words):
        buf = ctypes.create_string_buffer(struct.pack("9I", *words), 36)
        fcntl.ioctl(self.sock, SIOCETHTOOL, struct.pack(IFREQ_PTR, self.name, ctypes.addressof(buf)))
        return list(struct.unpack("9I", buf.raw))  # 36 bytes: no terminating NUL

    def get(self):
        return self.ethtool([self.get_cmd] + [0] * 8)

    def build(self, value):
        words = self.get()
        words[0] = self.set_cmd
        self.apply(words, value)
        self.buf = ctypes.create_string_buffer(struct.pack("9I", *words), 36)
        self.req = struct.pack(IFREQ_PTR, self.name, ctypes.addressof(self.buf))

    def attempt(self):
        fcntl.ioctl(self.sock, SIOCETHTOOL, self.req)


class Ring(Ethtool):
    get_cmd, set_cmd = ETHTOOL_GRINGPARAM, ETHTOOL_SRINGPARAM

    def read(self):
        w = self.get()
        return w[5] if w[5] == w[8] else (w[5], w[8])  # rx_pending, tx_pending

    def apply(self, words, value):
        words[5] = words[8] = value


class Channels(Ethtool):
    get_cmd, set_cmd = ETHTOOL_GCHANNELS, ETHTOOL_SCHANNELS

    def read(self):
        return self.get()[8]  # combined_count

    def apply(self, words, value):
        words[8] = value


def rtattr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


class NewLink(Request):
    def __init__(self, kind, name, peer):
        self.names = (name, peer)
        ifinfo = struct.pack("BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)
        peer_info = ifinfo + rtattr(IFLA_IFNAME, peer.encode() + b"\0")
        linkinfo = rtattr(IFLA_INFO_KIND, kind.encode()) + rtattr(
            IFLA_INFO_DATA | NLA_F_NESTED, rtattr(VETH_INFO_PEER | NLA_F_NESTED, peer_info))
        body = ifinfo + rtattr(IFLA_IFNAME, name.encode() + b"\0") + rtattr(
            IFLA_LINKINFO | NLA_F_NESTED, linkinfo)
        flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
        self.msg = struct.pack("IHHII", 16 + len(body), RTM_NEWLINK, flags, 1, 0) + body
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        self.sock.bind((0, 0))
        if any(exists(n) for n in self.names):
            raise Fail(f"{name} or {peer} exists already")

    def attempt(self):
        self.sock.send(self.msg)
        # rtnetlink handles the request within send(): the answer is queued by now, unless
        # allocating it failed (then the socket holds ENOBUFS, or nothing).
        try:
            reply = self.sock.recv(65536, socket.MSG_DONTWAIT)
        except (BlockingIOError, ConnectionRefusedError):
            return
        except OSError as e:
            if e.errno == errno.ENOBUFS:  # the answer was lost: `after` looks at the devices
                return
            raise
        if struct.unpack_from("H", reply, 4)[0] == NLMSG_ERROR:
            code = struct.unpack_from("i", reply, 16)[0]
            if code:
                raise OSError(-code, os.strerror(-code))

    def after(self, n, err, injected):
        made = [name for name in self.names if exists(name)]
        if err and made:
            raise Fail(f"fault {n}: newlink failed with {errno.errorcode.get(err, err)}, "
                       f"yet {' '.join(made)} exist")
        if made:
            subprocess.run(["ip", "link", "del", self.names[0]], check=True)
            # The peer goes with its pair (a lone peer would mean newlink half-failed).
            if exists(self.names[1]):
                raise Fail(f"fault {n}: {self.names[1]} outlived its pair")


class Bind(Request):
    """Binding a PCI function to a driver through sysfs. The probe runs within the write to
    `bind` (in the writing task: pci_call_probe moves it to a worker only for a function on a
    NUMA node, which is refused here), so the probe's allocations are the walk's points. A bind
    that succeeds despite a fault is undone for the next attempt; the last one stays."""

    def __init__(self, driver, addr):
        self.addr = addr
        self.dev = f"/sys/bus/pci/devices/{addr}"
        if os.path.exists(f"{self.dev}/driver"):
            raise Fail(f"{addr} has a driver; unbind it first")
        try:
            with open(f"{self.dev}/numa_node") as f:
                node = int(f.read())
        except FileNotFoundError:  # a kernel without NUMA: no node, the probe runs here
            node = -1
        if node >= 0:
            raise Fail(f"{addr} is on a NUMA node: its probe would run in a worker, "
                       "out of reach of the task's fail-nth")
        self.bind = os.open(f"/sys/bus/pci/drivers/{driver}/bind", os.O_WRONLY)
        self.unbind = f"/sys/bus/pci/drivers/{driver}/unbind"
        self.msg = addr.encode()

    def attempt(self):
        os.write(self.bind, self.msg)

    def leftovers(self):
        left = []
        if os.path.exists(f"{self.dev}/driver"):
            left.append("a driver")
        with open(f"{self.dev}/enable") as f:
            if f.read().strip() != "0":
                left.append("the function enabled")
        for what, sub in (("an interface", "net"), ("MSI vectors", "msi_irqs")):
            try:
                if os.listdir(f"{self.dev}/{sub}"):
                    left.append(what)
            except FileNotFoundError:
                pass
        return left

    def after(self, n, err, injected):
        if not err and injected:
            with open(self.unbind, "w") as f:
                f.write(self.addr)
        if err or injected:
            left = self.leftovers()
            if left:
                what = f"failed with {errno.errorcode.get(err, err)}" if err else "was undone"
                raise Fail(f"fault {n}: the bind {what}, yet {self.addr} kept {', '.join(left)}")


class Insmod(Request):
    """Loading a module: the module loader's allocations, then its init's. A load that succeeds
    despite a fault is undone (rmmod) for the next attempt; the last one stays."""

    SYS_FINIT_MODULE = 313  # x86_64

    def __init__(self, ko, prefix, params=""):
        self.module = os.path.basename(ko).removesuffix(".ko").replace("-", "_")
        self.prefix = prefix
        if self.loaded():
            raise Fail(f"{self.module} is loaded; unload it first")
        self.fd = os.open(ko, os.O_RDONLY)
        self.params = ctypes.c_char_p(params.encode())
        self.libc = ctypes.CDLL(None, use_errno=True)

    def loaded(self):
        return os.path.exists(f"/sys/module/{self.module}")

    def interfaces(self):
        return [d for d in os.listdir("/sys/class/net") if d.startswith(self.prefix)]

    def attempt(self):
        if self.libc.syscall(self.SYS_FINIT_MODULE, self.fd, self.params, 0) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))

    def after(self, n, err, injected):
        if not err and injected:
            subprocess.run(["rmmod", self.module], check=True)
        if err or injected:
            left = (["the module"] if self.loaded() else []) + self.interfaces()
            if left:
                what = f"failed with {errno.errorcode.get(err, err)}" if err else "was undone"
                raise Fail(f"fault {n}: the load {what}, yet {' '.join(left)} remained")


def walk(req, args):
    nth = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
    failed, tolerated, start = {}, 0, time.monotonic()
    for n in range(1, args.max + 1):
        req.prepare()
        request = str(n).encode()
        err = 0
        os.write(nth, request)
        try:
            req.attempt()
        except OSError as e:
            err = e.errno
        injected = int(os.pread(nth, 32, 0)) == 0
        os.write(nth, b"0")
        name_of = errno.errorcode.get(err, str(err))
        if err and not injected:
            raise Fail(f"fault {n}: not reached, yet the request failed with {name_of}")
        req.after(n, err, injected)
        if err:
            failed[name_of] = failed.get(name_of, 0) + 1
            if args.verbose:
                print(f"fault {n}: failed with {name_of}")
        elif not injected:
            return {"points": n - 1, "failed": failed, "tolerated": tolerated,
                    "seconds": round(time.monotonic() - start)}
        else:
            tolerated += 1
    raise Fail(f"no clean request within {args.max} fault points")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("op", choices=["up", "ring", "channels", "mtu", "newlink", "bind",
                                      "insmod"])
    p.add_argument("target", nargs="+")
    p.add_argument("--max", type=int, default=3000)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--pages", action="store_true", help="fail page allocations too")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    t = args.target
    try:
        if args.op == "up":
            req = Up(t[0])
        elif args.op == "newlink":
            req = NewLink(*t[:3])
        elif args.op == "bind":
            req = Bind(*t[:2])
        elif args.op == "insmod":
            req = Insmod(*t[:3])
        else:
            cls = {"ring": Ring, "channels": Channels, "mtu": Mtu}[args.op]
            req = cls(t[0], int(t[1]), int(t[2]))
        with Settings() as s:
            s.set(f"{FAILSLAB}/ignore-gfp-wait", "N")
            s.set(f"{FAILSLAB}/verbose", "0")
            s.set(f"{FAIL_PAGE_ALLOC}/verbose", "0")
            if args.pages:
                s.set(f"{FAIL_PAGE_ALLOC}/ignore-gfp-wait", "N")
                s.set(f"{FAIL_PAGE_ALLOC}/ignore-gfp-highmem", "N")
                s.set(f"{FAIL_PAGE_ALLOC}/min-order", "0")
            else:
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
            result = walk(req, args)
    except Fail as e:
        sys.exit(f"{args.op} {' '.join(t)}: {e}")
    result["op"] = args.op
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.op} {' '.join(t)}: {result['points']} points walked in {result['seconds']} s: "
              f"{sum(result['failed'].values())} failed {result['failed']}, "
              f"{result['tolerated']} tolerated")


if __name__ == "__main__":
    main()
