#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: build the check kernel and the modules, boot the VM, run every selftest suite
# and summarise the guest's KTAP as "N passed, N failed, N skipped".
#
#   RNET_SUITES="rlo" make check     run a subset
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/qemu/vm.sh"
suites=${RNET_SUITES:-rlo rveth rigb}
start=$SECONDS

tree=$(bash "$top/scripts/kernel.sh" check | tail -n1) || { echo "0 passed, 1 failed"; exit 1; }
moddir=$(bash "$top/scripts/modules.sh" check | tail -n1) || { echo "0 passed, 1 failed"; exit 1; }
echo "check: kernel and modules ready after $((SECONDS - start)) s"

VM_SHARE=$(mktemp -d /tmp/rnet-check.XXXXXX)
export VM_SHARE
ktap=$VM_SHARE/ktap.txt
console=$VM_SHARE/console.log
: >"$ktap"

# Stream the guest's KTAP while the VM runs.
tail -n +1 -F "$ktap" 2>/dev/null &
tailer=$!
vm_run "$tree" "${RNET_CHECK_TIMEOUT:-2400}" "$console" \
	"RNET_KTREE=$tree RNET_MODDIR=$moddir bash ${RNET_SELFTESTS:-$top/selftests}/run_tests.sh $ktap $suites"
vm_rc=$?
sleep 1
kill "$tailer" 2>/dev/null
wait "$tailer" 2>/dev/null

echo "check: VM finished after $((SECONDS - start)) s"
[ "$vm_rc" = 124 ] && echo "check: the VM hit its time limit"
guest_done=1
if ! grep -q '^# rnet: done' "$ktap"; then
	guest_done=0
	echo "check: the guest never finished reporting (timeout or panic); console tail:"
	tail -n 60 "$console" | sed 's/^/    /'
fi
# Splats seen on the console count even when the guest could not report them itself.
if grep -Eq 'Kernel panic|BUG:|Oops|WARNING:' "$console" && [ "$guest_done" = 0 ]; then
	echo "not ok 999 kernel_console_clean" >>"$ktap"
fi
[ "$guest_done" = 1 ] || echo "not ok 1000 guest_reported" >>"$ktap"
rm -f "$console.keep"
cp "$ktap" "${RNET_KTAP_OUT:-/tmp/rnet-last-ktap.txt}" 2>/dev/null
python3 "$top/qemu/ktap_summary.py" "$ktap"
