#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one RTM_NEWLINK for a veth-like kind, built by hand so that it can be malformed on
purpose, and print the errno name the kernel answers (or OK).

  rtnl_newlink.py KIND NAME [--peer NAME] [--peer-addr HEX] [--peer-mtu N]
                  [--peer-netns-fd N|PATH] [--peer-raw HEX] [--peer-queues TX RX]
  rtnl_newlink.py --batch <REQUESTS

--peer-raw replaces the whole VETH_INFO_PEER payload (e.g. shorter than an ifinfomsg).

--batch reads one request per line (the arguments above) and answers each with a line
"ANSWER NAME_LEFT PEER_LEFT PEER_MTU": the errno name or OK, whether NAME and the peer named by
--peer (when it did not exist before) exist after the request (1/0), the peer's MTU (or -);
then it deletes what the request created, so that the next one starts clean. One Python start
for many requests: under TCG with KASAN each start costs the guest several seconds.
"""
import argparse
import errno
import os
import shlex
import socket
import struct
import sys

NLMSG_ERROR = 2
RTM_NEWLINK, RTM_DELLINK = 16, 17
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINKINFO = 1, 3, 4, 18
IFLA_NET_NS_FD, IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES = 28, 31, 32
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
VETH_INFO_PEER = 1
NLA_F_NESTED = 0x8000


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def ifinfomsg():
    return struct.pack("BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)


def parser():
    p = argparse.ArgumentParser()
    p.add_argument("kind")
    p.add_argument("name")
    p.add_argument("--peer")
    p.add_argument("--peer-addr")
    p.add_argument("--peer-mtu", type=int)
    p.add_argument("--peer-mtu-bytes", type=int, default=4,
                   help="length of the peer's IFLA_MTU payload (the value, zero-padded or cut)")
    p.add_argument("--peer-netns-fd")
    p.add_argument("--peer-raw")
    p.add_argument("--peer-queues", type=int, nargs=2)
    return p


def newlink(a):
    """Sends the RTM_NEWLINK that the parsed arguments A describe; returns the answer's name."""
    keep = []
    peer_attrs = b""
    if a.peer:
        peer_attrs += attr(IFLA_IFNAME, a.peer.encode() + b"\0")
    if a.peer_addr:
        peer_attrs += attr(IFLA_ADDRESS, bytes.fromhex(a.peer_addr))
    if a.peer_mtu is not None:
        peer_attrs += attr(IFLA_MTU, struct.pack("Q", a.peer_mtu)[: a.peer_mtu_bytes])
    if a.peer_netns_fd is not None:
        if a.peer_netns_fd.isdigit():
            fd = int(a.peer_netns_fd)  # as given, open or not
        else:
            fd = os.open(a.peer_netns_fd, os.O_RDONLY)
            keep.append(fd)
        peer_attrs += attr(IFLA_NET_NS_FD, struct.pack("I", fd))
    if a.peer_queues:
        peer_attrs += attr(IFLA_NUM_TX_QUEUES, struct.pack("I", a.peer_queues[0]))
        peer_attrs += attr(IFLA_NUM_RX_QUEUES, struct.pack("I", a.peer_queues[1]))

    info = attr(IFLA_INFO_KIND, a.kind.encode())
    if a.peer_raw is not None:
        info += attr(IFLA_INFO_DATA | NLA_F_NESTED, attr(VETH_INFO_PEER, bytes.fromhex(a.peer_raw)))
    elif peer_attrs or a.peer is not None:
        info += attr(IFLA_INFO_DATA | NLA_F_NESTED, attr(VETH_INFO_PEER, ifinfomsg() + peer_attrs))
    body = ifinfomsg() + attr(IFLA_IFNAME, a.name.encode() + b"\0") + attr(IFLA_LINKINFO | NLA_F_NESTED, info)
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL
    msg = struct.pack("IHHII", 16 + len(body), RTM_NEWLINK, flags, 1, 0) + body

    try:
        return request(msg)
    finally:
        for fd in keep:
            os.close(fd)


def request(msg):
    """Sends one netlink request asking for an ACK; returns OK or the errno's name."""
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    try:
        s.bind((0, 0))
        s.send(msg)
        reply = s.recv(65536)
    finally:
        s.close()
    _, mtype, _, _, _ = struct.unpack("IHHII", reply[:16])
    if mtype != NLMSG_ERROR:
        raise SystemExit("unexpected reply type %d" % mtype)
    (err,) = struct.unpack("i", reply[16:20])
    return "OK" if err == 0 else errno.errorcode.get(-err, str(-err))


def exists(name):
    return os.path.exists("/sys/class/net/%s" % name)


def dellink(name):
    body = ifinfomsg() + attr(IFLA_IFNAME, name.encode() + b"\0")
    request(struct.pack("IHHII", 16 + len(body), RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body)


def batch():
    for line in sys.stdin:
        if not line.strip():
            continue
        a = parser().parse_args(shlex.split(line))
        peer = a.peer if a.peer and not exists(a.peer) else None
        answer = newlink(a)
        name_left = exists(a.name)
        peer_left = peer is not None and exists(peer)
        mtu = open("/sys/class/net/%s/mtu" % peer).read().strip() if peer_left else "-"
        print(answer, int(name_left), int(peer_left), mtu, flush=True)
        for left in (a.name, peer):
            if left and exists(left):
                dellink(left)


def main():
    if sys.argv[1:] == ["--batch"]:
        batch()
    else:
        print(newlink(parser().parse_args()))


if __name__ == "__main__":
    main()
