#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Verdicts and the parity table of drivers_net.sh: each kernel driver test, run once with the
C driver and once with rnet's, side by side.

drivers_net.sh leaves, per driver family (igb: C igb vs rigb, e1000: C e1000 vs re1000),
RESULTS/<family>/meta (the two drivers' names, one "key=value" a line), RESULTS/<family>/tests
(the tests in the order they ran, as "drivers/net/hw/csum.py") and, per side (c, rnet) and
test, <side>/<test with / as _>.out (what the test printed), .rc (its exit code: 0 pass,
4 skip, 124 timeout, 125 no link to run it on, anything else a failure) and .secs (how long
it ran).

  parity.py verdicts RESULTS FAMILY   one line per test for the suite's KTAP, its fields
                                      separated by \x1f: pass|skip|xfail|fail, the test, the
                                      reason, a note (cases rnet skips that C passes)
  parity.py table RESULTS [OUT]       the table of every family: printed, and written to
                                      OUT.txt and OUT.json (default RESULTS/parity)
  parity.py misfire OUT               exit 0, saying why, if the failure in a test's output
                                      OUT is its tool's own (drivers_net.sh runs it again)

A test's result for one driver is read from its own report: the cases it printed (KTAP
"ok N name # SKIP ..." lines of the python and ktap_helpers tests, "TEST: name [ OK ]" lines
of the net/forwarding tests) and its exit code. The verdict for rnet's driver:
  pass   it passed (or some cases were skipped and none failed);
  skip   the test skipped itself as a whole (every case skipped, or "1..0 # SKIP");
  xfail  it failed, and the C driver failed too: every case rnet fails (or never reached)
         the C driver failed as well (the reason says how);
  fail   it failed a case (or crashed or timed out before one) that the C driver did not fail.
"""
import json
import os
import re
import sys

KTAP_CASE = re.compile(r"^(?P<not>not )?ok \d+ (?P<name>[^#]*?)\s*(?:#\s*(?P<dir>SKIP|XFAIL|TODO)\b\s*(?P<why>.*))?$")
# An empty plan: the whole test skipped ("1..0 # SKIP why"), or found nothing to test ("1..0",
# with "# why" diagnostics after it, as ethtool_rmon.sh does).
SKIP_ALL = re.compile(r"^1\.\.0\b(?:\s*#\s*SKIP\b)?\s*(?P<why>.*)$", re.I)
DIAG = re.compile(r"^# (?!Totals:)(?P<why>.+)$")
FWD_CASE = re.compile(r"^TEST: (?P<name>.*?)\s+\[\s*(?P<res>OK|FAIL|SKIP|XFAIL)\s*\]\s*$")
SKIP_LINE = re.compile(r"\bSKIP:\s+(?P<why>.+?)\s*(?:\[\s*\w+\s*\])?$")
# net/veth.sh: "<what it checked, padded to 60 columns> ok" or "... fail - <why>"; the same
# text recurs ("        - peer gro flag"), so a case is named by its position too.
VETH_SH_CASE = re.compile(r"^(?P<name>.*?)\s+(?P<res>ok|fail)\b(?: - .*)?\s*$")
SPLAT = re.compile(r"^KERNEL-SPLAT: (?P<line>.*)$")
MAX_DIFF_LINES = 8  # per test in the table; parity.json has every case
SEP = "\x1f"  # between the fields of a verdict line: not whitespace, so empty fields stay
CSUM_PKT = re.compile(r"rx: pkt: .*\bcsum=0x(?P<csum>[0-9a-f]+) verify=0x(?P<verify>[0-9a-f]+)")
CSUM_WRONG = re.compile(r"pkt: good csum, while bad expected|cmsg: expected bad csum, pf_packet returns valid")
CSUM_ERRORS = re.compile(r"errors at pf_packet: total=\d+ bad_csums=(?P<bad>\d+) bad_valids=(?P<valids>\d+)")
ERROR_HINT = re.compile(r"(Error|Exception|error|FAIL|fail|Timeout|timed out|not found|No such)")


def file_name(test):
    return test.replace("/", "_")


def read(path, default=""):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return default


class SideResult:
    """One test's report for one driver."""

    def __init__(self, base):
        self.ran = os.path.exists(base + ".rc")
        rc = read(base + ".rc", "").strip()
        self.rc = int(rc) if rc.lstrip("-").isdigit() else None
        self.secs = read(base + ".secs", "").strip()
        self.cases = {}  # name -> pass | fail | skip | xfail, in order
        self.skip_all = None
        self.splats = []
        self.lines = read(base + ".out").splitlines()
        # The first run's output when its failure was the tool's own and the test ran again.
        self.misfire = csum_misfire(read(base + ".misfire.out").splitlines())
        veth_sh = base.endswith("net_veth.sh")
        for line in self.lines:
            line = line.rstrip()
            m = VETH_SH_CASE.match(line) if veth_sh else None
            if m and m.group("name").strip():
                name = "%02d %s" % (len(self.cases) + 1, m.group("name").strip())
                self.cases[name] = "pass" if m.group("res") == "ok" else "fail"
                continue
            m = SKIP_ALL.match(line)
            if m:
                self.skip_all = m.group("why") or "skipped"
                continue
            m = KTAP_CASE.match(line)
            if m:
                d = (m.group("dir") or "").upper()
                res = "skip" if d == "SKIP" else "xfail" if d == "XFAIL" else (
                    "fail" if m.group("not") else "pass")
                self.cases[m.group("name")] = res
                continue
            m = FWD_CASE.match(line)
            if m:
                self.cases[m.group("name")] = {"OK": "pass", "FAIL": "fail", "SKIP": "skip",
                                               "XFAIL": "xfail"}[m.group("res")]
                continue
            m = SPLAT.match(line)
            if m:
                self.splats.append(m.group("line"))

    @property
    def status(self):
        """pass, skip, fail, timeout, "no link" or "not run"."""
        if not self.ran:
            return "not run"
        if self.rc == 125:
            return "no link"
        if self.splats:
            return "fail"
        if self.rc in (124, 137):
            return "timeout"
        if self.rc == 4:
            return "skip"
        if self.rc == 0:
            # A test that reports a failed case and still exits 0 (net/veth.sh's "set operation
            # successful ?!?" cases do not set its exit code) failed that case.
            if any(r == "fail" for r in self.cases.values()):
                return "fail"
            if self.cases and all(r == "skip" for r in self.cases.values()):
                return "skip"
            if self.skip_all and not self.cases:
                return "skip"
            return "pass"
        return "fail"

    def failed_cases(self):
        return [n for n, r in self.cases.items() if r == "fail"]

    def skip_reason(self):
        if self.skip_all and self.skip_all != "skipped":
            return self.skip_all
        if self.skip_all:
            after = self.lines[[l.startswith("1..0") for l in self.lines].index(True) + 1:]
            for line in after:
                m = DIAG.match(line)
                if m:
                    return m.group("why")
        for line in self.lines:
            m = SKIP_LINE.search(line.strip())
            if m:
                return m.group("why")
        reasons = []
        for line in self.lines:
            m = KTAP_CASE.match(line.rstrip())
            if m and m.group("dir") and m.group("dir").upper() == "SKIP" and m.group("why"):
                if m.group("why") not in reasons:
                    reasons.append(m.group("why"))
        return "; ".join(reasons[:2]) or "skipped"

    def failure(self):
        """A short reason for a failure: the cases that failed, else the first error line."""
        if self.splats:
            return "kernel splat: " + self.splats[0][:80]
        if self.status == "timeout":
            return "timed out after %s s" % (self.secs or "?")
        cases = self.failed_cases()
        if cases:
            more = " (+%d more)" % (len(cases) - 3) if len(cases) > 3 else ""
            return "fails " + ", ".join(cases[:3]) + more
        for line in self.lines:
            if ERROR_HINT.search(line):
                return "exit %s: %s" % (self.rc, line.strip()[:90])
        last = [line.strip() for line in self.lines if line.strip()]
        return "exit %s: %s" % (self.rc, last[-1][:90]) if last else "exit %s" % self.rc

    def cell(self):
        """The table's cell: the status, with case counts when there are cases."""
        st = self.status
        if not self.cases or st in ("not run", "no link"):
            return st
        counts = {}
        for r in self.cases.values():
            counts[r] = counts.get(r, 0) + 1
        detail = " ".join("%d%s" % (counts[k], k[0] if k != "xfail" else "x")
                          for k in ("pass", "fail", "skip", "xfail") if k in counts)
        return "%s (%s)" % (st, detail)


def verdict(c, r, c_name):
    """(verdict, reason) for rnet's result r against the C driver's c."""
    st = r.status
    if st == "pass":
        return "pass", ""
    if st == "skip":
        why = r.skip_reason()
        if c.status == "pass":
            why += " (%s passes it)" % c_name
        return "skip", why
    if st in ("not run", "no link"):
        return "fail", (r.lines[0] if r.lines else "did not run")
    # rnet failed: shared with the C driver only if C failed too and rnet fails no case that
    # C passed or skipped.
    if c.status in ("fail", "timeout"):
        # The cases rnet fails (or never reached) that C passed or skipped.
        extra = [n for n, res in c.cases.items()
                 if res in ("pass", "skip", "xfail") and r.cases.get(n, "fail") == "fail"]
        extra += [n for n, res in r.cases.items() if res == "fail" and n not in c.cases]
        if r.splats and not c.splats:
            return "fail", r.failure()
        if not extra:
            why = "fails with %s too: %s" % (c_name, c.failure())
            if r.failure() != c.failure():
                why += "; here: " + r.failure()
            return "xfail", why
        more = " (+%d more)" % (len(extra) - 3) if len(extra) > 3 else ""
        return "fail", "%s; fails or never reaches %s, which %s does not fail" % (
            r.failure(), ", ".join(extra[:3]) + more, c_name)
    return "fail", r.failure() + (" (%s: %s)" % (c_name, c.status))


def csum_misfire(lines):
    """Why a failure of net/lib/csum's "-E" (bad checksum) receive cases is the tool's own, or
    None. The tool makes its bad checksum by inverting the good one; when the good one is 0x0000
    that gives 0xffff, the same checksum in one's complement (RFC 768 sends a computed zero as
    0xffff), so the packet is valid and a driver reporting it valid is right. Only a failure
    made of such packets alone counts: each complaint follows a packet with csum=0xffff that
    the tool itself verified (verify=0x0), and the complaints are all the errors it counted."""
    failed = [i for i, l in enumerate(lines) if KTAP_CASE.match(l.rstrip()) and l.startswith("not ok")]
    if not failed:
        return None
    start = 0
    for end in failed:
        section = lines[start:end]
        start = end + 1
        errors = [m for m in map(CSUM_ERRORS.search, section) if m]
        if len(errors) != 1:
            return None
        last_pkt, complaints = None, 0
        for line in section:
            m = CSUM_PKT.search(line)
            if m:
                last_pkt = (m.group("csum"), m.group("verify"))
            elif CSUM_WRONG.search(line):
                if last_pkt != ("ffff", "0"):
                    return None
                complaints += 1
        if complaints != int(errors[0].group("bad")) + int(errors[0].group("valids")):
            return None
    return ("net/lib/csum's bad checksum was 0xffff, the inverse of a good 0x0000 and as valid "
            "as it (%d case%s)" % (len(failed), "s" if len(failed) > 1 else ""))


def cmd_misfire(out):
    why = csum_misfire(read(out).splitlines())
    if not why:
        sys.exit(1)
    print(why)


def family_meta(results, family):
    meta = {}
    for line in read(os.path.join(results, family, "meta")).splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            meta[k] = v
    tests = [t for t in read(os.path.join(results, family, "tests")).split() if t]
    return meta, tests


def side(results, family, which, test):
    return SideResult(os.path.join(results, family, which, file_name(test)))


def behind_cases(c, r):
    """The cases the C driver passes and rnet's only skips (not a failure, but behind)."""
    return [n for n, res in r.cases.items() if res == "skip" and c.cases.get(n) == "pass"]


def cmd_verdicts(results, family):
    meta, tests = family_meta(results, family)
    c_name = meta.get("c", "C driver")
    for test in tests:
        c = side(results, family, "c", test)
        r = side(results, family, "rnet", test)
        v, why = verdict(c, r, c_name)
        behind = behind_cases(c, r)
        note = "skips %s, which %s passes" % (", ".join(behind), c_name) if behind else ""
        if r.misfire:
            note = "; ".join(x for x in (note, "ran twice, the first failure the tool's own: "
                                         + r.misfire) if x)
        print(SEP.join(x.replace(SEP, " ").replace("\n", " ") for x in (v, test, why, note)))


STATUS_RANK = {"pass": 2, "skip": 1, "not run": 0, "no link": 0, "fail": 0, "timeout": 0}
CASE_RANK = {"pass": 2, "xfail": 1, "skip": 1, "fail": 0, "-": 0}


def compare(c, r):
    """Where rnet stands against C on one test: "=", "rnet ahead", "rnet BEHIND" or "differ"
    (ahead on some cases, behind on others)."""
    a, b = STATUS_RANK[r.status], STATUS_RANK[c.status]
    if a != b:
        return "rnet ahead" if a > b else "rnet BEHIND"
    better = worse = 0
    for n in set(c.cases) | set(r.cases):
        ra, rb = CASE_RANK[r.cases.get(n, "-")], CASE_RANK[c.cases.get(n, "-")]
        better += ra > rb
        worse += ra < rb
    if better and worse:
        return "differ"
    return "rnet ahead" if better else "rnet BEHIND" if worse else "="


def cmd_table(results, out):
    families = sorted(d for d in os.listdir(results)
                      if os.path.isfile(os.path.join(results, d, "tests")))
    lines, doc = [], {}
    for family in families:
        meta, tests = family_meta(results, family)
        c_name, r_name = meta.get("c", "C"), meta.get("rnet", "rnet")
        rows, details, fam_doc = [], [], []
        tally = {}
        for test in tests:
            c, r = side(results, family, "c", test), side(results, family, "rnet", test)
            v, why = verdict(c, r, c_name)
            cmpr = compare(c, r)
            tally[cmpr] = tally.get(cmpr, 0) + 1
            rows.append((test, c.cell(), r.cell(), cmpr, "%s/%s" % (c.secs or "-", r.secs or "-")))
            cases = list(dict.fromkeys(list(c.cases) + list(r.cases)))
            diff = [(n, c.cases.get(n, "-"), r.cases.get(n, "-")) for n in cases
                    if c.cases.get(n, "-") != r.cases.get(n, "-")]
            for n, cr, rr in diff[:MAX_DIFF_LINES]:
                details.append("  %s: %s  %s %s, %s %s" % (test, n, c_name, cr, r_name, rr))
            for who, sr in ((c_name, c), (r_name, r)):
                if sr.misfire:
                    details.append("  %s: ran twice on %s: %s" % (test, who, sr.misfire))
            if len(diff) > MAX_DIFF_LINES:
                details.append("  %s: %d more (parity.json has them all)" % (
                    test, len(diff) - MAX_DIFF_LINES))
            fam_doc.append({"test": test, "c": c.status, "rnet": r.status, "compare": cmpr,
                            "verdict": v, "reason": why, "c_secs": c.secs, "rnet_secs": r.secs,
                            "cases": {n: {"c": c.cases.get(n), "rnet": r.cases.get(n)}
                                      for n in cases}})
        w = max([len(t[0]) for t in rows] + [4])
        wc = max([len(t[1]) for t in rows] + [len(c_name)])
        wr = max([len(t[2]) for t in rows] + [len(r_name)])
        wv = max([len(t[3]) for t in rows] + [5])
        lines.append("parity: %s vs %s (%s)" % (r_name, c_name, meta.get("dut", "")))
        lines.append("%-*s  %-*s  %-*s  %-*s  %s" % (w, "test", wc, c_name, wr, r_name, wv, "rnet", "secs C/rnet"))
        for t in rows:
            lines.append("%-*s  %-*s  %-*s  %-*s  %s" % (w, t[0], wc, t[1], wr, t[2], wv, t[3], t[4]))
        lines.append("%s: %s" % (r_name, ", ".join("%d %s" % (n, k) for k, n in sorted(tally.items()))))
        if details:
            lines.append("cases where %s and %s differ:" % (c_name, r_name))
            lines.extend(details)
        lines.append("")
        doc[family] = {"meta": meta, "tests": fam_doc}
    text = "\n".join(lines)
    print(text)
    with open(out + ".txt", "w") as f:
        f.write(text + "\n")
    with open(out + ".json", "w") as f:
        json.dump(doc, f, indent=1)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "verdicts":
        cmd_verdicts(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "misfire":
        cmd_misfire(sys.argv[2])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "table":
        cmd_table(sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else os.path.join(sys.argv[2], "parity"))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
