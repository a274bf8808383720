#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Guest-side test runner: runs each suite (a KTAP-emitting script) as a subtest of one KTAP
# document, then checks the kernel log for splats (WARNING, BUG, lockdep, KASAN, kmemleak).
#
#   run_tests.sh OUTFILE SUITE...      e.g. run_tests.sh /share/ktap.txt rlo
#
# Each suite gets RNET_SUITE_TIMEOUT seconds (default 1500: under TCG with KASAN on a busy
# 2-core host rigb alone took ~810 s, and its autoload subtest adds a few minutes).
#
# Writes KTAP to OUTFILE as it goes; the last line is "# rnet: done" once everything ran, so
# the host can tell a finished run from a guest that died.
set -u
# One compound command, parsed whole before it runs: the guest reads the host's working tree,
# and bash reads a script as it goes, so an edit of this file during a run would otherwise
# change what the running copy executes next.
{
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
export RNET_TOP=${RNET_TOP:-$(dirname "$here")}

exec >"$out" 2>&1
# KUnit runs the kernel crate's doctests (rust_doctests_kernel, which include rnet's
# abstractions) at boot when the kernel has CONFIG_RUST_KERNEL_DOCTESTS; their KTAP is in the
# kernel log and becomes one more subtest here.
kunit=0
dmesg | grep -q 'Subtest: rust_doctests_kernel' && kunit=1
echo "TAP version 13"
echo "1..$(($# + 1 + kunit))"
n=0
if [ "$kunit" = 1 ]; then
	n=$((n + 1))
	echo "# Subtest: kunit"
	dmesg | sed -n 's/^\[[ 0-9.]*\] //p' |
		sed -n '/^KTAP version 1$/,/^# Totals/p' | grep -v '^KTAP version' | sed 's/^/    /'
	if dmesg | grep -Eq 'not ok [0-9]+ rust_doctests_kernel' ||
		! dmesg | grep -Eq '[^t] ok [0-9]+ rust_doctests_kernel'; then
		echo "not ok $n kunit"
	else
		echo "ok $n kunit"
	fi
fi
for suite in "$@"; do
	n=$((n + 1))
	script=$here/$suite/$suite.sh
	echo "# Subtest: $suite"
	if timeout "${RNET_SUITE_TIMEOUT:-1500}" bash "$script" 2>&1 | sed -u 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
		echo "ok $n $suite"
	else
		echo "not ok $n $suite"
	fi
done

# Kernel log: any splat anywhere in the run fails the run, as its own test.
n=$((n + 1))
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Two scans: kmemleak reports an object only once it was unreferenced in consecutive scans.
	echo scan >/sys/kernel/debug/kmemleak; sleep 6; echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.txt
fi
splat_re='WARNING:|BUG:|BUG |Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|rcu: INFO|KASAN|UBSAN|unreferenced object|kmemleak: .*new suspected|Call Trace:'
{ dmesg; cat /tmp/kmemleak.txt 2>/dev/null; } >/tmp/kernel-log.txt
if grep -Eq "$splat_re" /tmp/kernel-log.txt; then
	echo "# kernel log has splats:"
	grep -E "$splat_re" /tmp/kernel-log.txt | head -n 20 | sed 's/^/# /'
	echo "# first one in context:"
	grep -E -m1 -A30 "$splat_re" /tmp/kernel-log.txt | sed 's/^/# /'
	echo "not ok $n kernel_log_clean"
else
	echo "ok $n kernel_log_clean"
fi
echo "# rnet: done"
exit
}
