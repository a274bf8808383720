#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Guest-side runner of make check. One KTAP document: the kernel crate's KUnit results from
# the boot log, rnet's suites run by kselftest's own runner (run_kselftest.sh of the kselftest
# install qemu/check.sh made on the host: make -C selftests KDIR=... install), then a check of
# the kernel log for splats (WARNING, BUG, lockdep, KASAN, kmemleak after two scans).
#
#   run_tests.sh OUTFILE SUITE...      e.g. run_tests.sh /share/ktap.txt rlo rveth
#
# RNET_KSFT names the install; each SUITE is its collection rnet/SUITE. Each test's time limit
# is its suite's `settings` timeout; RNET_SUITE_TIMEOUT, if set, overrides it (run_kselftest.sh
# --override-timeout). The suites need RNET_MODDIR and RNET_KTREE (see selftests/lib.sh).
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

exec >"$out" 2>&1
# Heartbeat for the host (qemu/check.sh's guest_watch): OUTFILE.alive rewritten every 15 s while
# the run goes on; a guest whose heartbeat stops has hung (an RCU stall of a starved TCG vCPU,
# or worse) and is killed there instead of running into its time limit.
while :; do
	echo "$SECONDS" >"$out.alive"
	sleep 15
done </dev/null >/dev/null 2>&1 &
alive_pid=$!
# KUnit runs the kernel crate's doctests (rust_doctests_kernel, which include rnet's
# abstractions) at boot when the kernel has CONFIG_RUST_KERNEL_DOCTESTS; their KTAP is in the
# kernel log and becomes one more subtest here.
kunit=0
dmesg | grep -q 'Subtest: rust_doctests_kernel' && kunit=1
echo "TAP version 13"
echo "1..$((2 + kunit))"
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
# The suites: kselftest nests each test's own KTAP under a "# " prefix.
n=$((n + 1))
collections=()
for suite in "$@"; do
	collections+=(-c "rnet/$suite")
done
echo "# Subtest: kselftest"
if "${RNET_KSFT:?}/run_kselftest.sh" "${collections[@]}" \
	${RNET_SUITE_TIMEOUT:+-o "$RNET_SUITE_TIMEOUT"} 2>&1 | sed -u 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
	echo "ok $n kselftest"
else
	echo "not ok $n kselftest"
fi

# Kernel log: any splat anywhere in the run fails the run, as its own test.
n=$((n + 1))
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Two scans: kmemleak reports an object only once it was unreferenced in consecutive scans.
	echo scan >/sys/kernel/debug/kmemleak; sleep 6; echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.txt
fi
splat_re='WARNING:|BUG:|BUG |Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|rcu: INFO|KASAN|UBSAN|unreferenced object|kmemleak: .*new suspected|Call Trace:'
# The stress suite clears the log around its probes (each reports its own) and keeps the rest
# of it in /tmp/rnet-kernel-log-kept.txt.
{ cat /tmp/rnet-kernel-log-kept.txt 2>/dev/null; dmesg; cat /tmp/kmemleak.txt 2>/dev/null; } >/tmp/kernel-log.txt
if grep -Eq "$splat_re" /tmp/kernel-log.txt; then
	echo "# kernel log has splats:"
	grep -E "$splat_re" /tmp/kernel-log.txt | head -n 20 | sed 's/^/# /'
	echo "# first one in context:"
	grep -E -m1 -A30 "$splat_re" /tmp/kernel-log.txt | sed 's/^/# /'
	echo "not ok $n kernel_log_clean"
else
	echo "ok $n kernel_log_clean"
fi
kill "$alive_pid" 2>/dev/null
echo "# rnet: done"
exit
}
