#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the leaf results of a (nested) KTAP document.

A result line whose test had subtests is a summary of them and is not counted again; every
other result is a leaf: `ok` (passed, or skipped with a `# SKIP` directive) or `not ok`.
Prints "N passed, N failed, N skipped" and exits 1 if anything failed or nothing ran.
"""
import re
import sys

RESULT = re.compile(r"^(?P<indent>\s*)(?P<not>not )?ok \d+\b(?P<rest>.*)$")


def summarize(lines):
    passed = failed = skipped = 0
    children = {}  # indentation -> results seen at that depth since the parent's last result
    failed_below = {}  # indentation -> failures seen at that depth or deeper since then
    for line in lines:
        m = RESULT.match(line.rstrip("\n"))
        if not m:
            continue
        depth = len(m.group("indent").expandtabs())
        had_children = children.pop(depth + 4, 0) or children.pop(depth + 2, 0)
        child_failures = sum(n for d, n in failed_below.items() if d > depth)
        for deeper in [d for d in children if d > depth]:
            del children[deeper]
        for deeper in [d for d in failed_below if d > depth]:
            del failed_below[deeper]
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
        else:
            passed += 1
    return passed, failed, skipped


def main():
    with open(sys.argv[1], errors="replace") as f:
        passed, failed, skipped = summarize(f)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed or passed + skipped == 0 else 0)


if __name__ == "__main__":
    main()
