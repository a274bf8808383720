#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make run: build what is missing, boot the VM, load the modules, show the devices and traffic
# through each, power off.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/qemu/vm.sh"
tree=$(bash "$top/scripts/kernel.sh" check | tail -n1)
moddir=$(bash "$top/scripts/modules.sh" check | tail -n1)
VM_SHARE=$(mktemp -d /tmp/rnet-run.XXXXXX)
export VM_SHARE
out=$VM_SHARE/demo.txt
: >"$out"
tail -n +1 -F "$out" 2>/dev/null &
tailer=$!
rc=0
vm_run "$tree" 900 "$VM_SHARE/console.log" \
	"RNET_TOP=$top RNET_KTREE=$tree RNET_MODDIR=$moddir bash $top/qemu/guest_demo.sh >$out 2>&1; echo '# rnet: done' >>$out" || rc=$?
sleep 1
kill "$tailer" 2>/dev/null || true
if ! grep -q '^# rnet: done' "$out"; then
	echo "run: the guest did not finish (vm_run exit $rc); console tail:"
	tail -n 40 "$VM_SHARE/console.log"
	exit 1
fi
