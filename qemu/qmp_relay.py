#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Pass QMP commands from the guest to its QEMU (make stress: set_link, device_del and
device_add while traffic runs).

  qmp_relay.py SOCKET DIR

The guest writes a QMP command object ({"execute": ..., "arguments": ...}) to DIR/req-N.json
(DIR is on the VM's shared directory) and waits for DIR/resp-N.json: the command's
{"return": ...} or {"error": ...}. Events QEMU sends meanwhile (DEVICE_DELETED, ...) are
appended to DIR/events.jsonl. When QEMU closes the socket the relay waits for the next QEMU
on the same path (make check boots a hung VM again, see check.sh's boot_watch); it ends when
none comes within --wait seconds.
"""
import argparse
import json
import os
import select
import socket
import time


def connect(path, wait):
    end = time.monotonic() + wait
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > end:
                return None
            time.sleep(0.5)


class Lines:
    """JSON lines from the QMP socket; `get(timeout)` returns None on timeout, "" at EOF."""

    def __init__(self, sock):
        self.sock, self.buf = sock, b""

    def get(self, timeout=None):
        while b"\n" not in self.buf:
            if not select.select([self.sock], [], [], timeout)[0]:
                return None
            chunk = self.sock.recv(65536)
            if not chunk:
                return ""
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode() + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("socket")
    p.add_argument("dir")
    p.add_argument("--wait", type=float, default=900)
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    events = open(os.path.join(a.dir, "events.jsonl"), "a")
    while True:
        s = connect(a.socket, a.wait)
        if s is None:
            return
        with s:
            serve(s, a.dir, events)


def serve(s, qdir, events):
    """Relays requests in `qdir` to the QEMU at the other end of `s` until it goes away."""
    lines = Lines(s)

    def send(obj):
        s.sendall((json.dumps(obj) + "\n").encode())

    def answer():
        while True:
            line = lines.get()
            if not line:
                return None
            msg = json.loads(line)
            if "event" not in msg:
                return msg
            events.write(line)
            events.flush()

    lines.get()  # the greeting
    send({"execute": "qmp_capabilities"})
    if answer() is None:
        return
    while True:
        reqs = sorted(n for n in os.listdir(qdir) if n.startswith("req-") and n.endswith(".json"))
        for name in reqs:
            path = os.path.join(qdir, name)
            with open(path) as r:
                cmd = json.load(r)
            os.unlink(path)
            try:
                send(cmd)
            except OSError:
                return
            msg = answer()
            if msg is None:
                return
            out = os.path.join(qdir, "resp-" + name[4:])
            with open(out + ".tmp", "w") as w:
                json.dump(msg, w)
            os.rename(out + ".tmp", out)
        # Events between commands; a closed socket (QEMU gone) ends the relay.
        line = lines.get(0.2)
        if line == "":
            return
        if line:
            events.write(line)
            events.flush()


if __name__ == "__main__":
    main()
