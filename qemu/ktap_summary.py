#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the leaf results of a (nested) KTAP document.

A result line whose test had subtests is a summary of them and is not counted again; every
other result is a leaf: `ok` (passed, skipped with a `# SKIP` directive, or an expected
failure with `# XFAIL`) or `not ok`. Prints "N passed, N failed, N skipped" last (and before it
"N xfailed" when there are expected failures: drivers_net's tests that fail with the C driver
too) and exits
1 if anything failed or nothing ran.

Subtests are nested by indentation (KTAP, KUnit) or, as kselftest's runner does it, by a
"# " prefix on every line of a test's output: "# ok 3 ..." under "ok 1 selftests: rnet/rlo:
rlo.sh" is a result of rlo.sh. A "#"-prefixed line counts as a result only inside a document
that began with a "TAP version"/"KTAP version" line at the same prefix, so a diagnostic that
happens to read "# ok 5 ..." is not taken for one.
"""
import re
import sys

PREFIX = r"(?P<prefix>(?:[ \t]|#[ \t])*)"
RESULT = re.compile(PREFIX + r"(?P<not>not )?ok \d+\b(?P<rest>.*)$")
VERSION = re.compile(PREFIX + r"K?TAP version \d+\s*$")


def depth_of(prefix):
    """Nesting depth as columns: an indentation of 4 and a "# " of kselftest are one level."""
    return len(prefix.expandtabs())


def summarize(lines):
    passed = failed = skipped = xfailed = 0
    children = {}  # depth -> results seen at that depth since the parent's last result
    failed_below = {}  # depth -> failures seen at that depth or deeper since then
    prefixed_docs = set()  # depths of open "#"-prefixed documents (kselftest's nesting)
    for line in lines:
        line = line.rstrip("\n")
        v = VERSION.match(line)
        if v:
            if "#" in v.group("prefix"):
                prefixed_docs.add(depth_of(v.group("prefix")))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        depth = depth_of(m.group("prefix"))
        if "#" in m.group("prefix") and depth not in prefixed_docs:
            continue  # a diagnostic, not a result
        had_children = children.pop(depth + 4, 0) or children.pop(depth + 2, 0)
        child_failures = sum(n for d, n in failed_below.items() if d > depth)
        for deeper in [d for d in children if d > depth]:
            del children[deeper]
        for deeper in [d for d in failed_below if d > depth]:
            del failed_below[deeper]
        prefixed_docs = {d for d in prefixed_docs if d <= depth}
        children[depth] = children.get(depth, 0) + 1
        if m.group("not"):
            failed_below[depth] = failed_below.get(depth, 0) + 1
        if had_children:
            # A parent summarises its children, except when it failed although none of them
            # did (a suite that crashed, timed out or stopped short of its plan).
            if m.group("not") and child_failures == 0:
                failed += 1
            continue
        if m.group("not"):
            failed += 1
        elif re.search(r"#\s*SKIP", m.group("rest"), re.I):
            skipped += 1
        elif re.search(r"#\s*XFAIL", m.group("rest"), re.I):
            xfailed += 1
        else:
            passed += 1
    return passed, failed, skipped, xfailed


def main():
    with open(sys.argv[1], errors="replace") as f:
        passed, failed, skipped, xfailed = summarize(f)
    # The last line keeps the form CI reads ("N passed, N failed, N skipped"); expected
    # failures get a line of their own before it.
    if xfailed:
        print(f"{xfailed} xfailed (failing with the C driver too, not counted as passed)")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed or passed + skipped + xfailed == 0 else 0)


if __name__ == "__main__":
    main()
