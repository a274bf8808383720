#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: build the bench kernel (no debug options), run interleaved Rust-vs-C measurements
# in one VM and print a ratio table; the summary is also written to bench-results/bench.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/qemu/vm.sh"
tree=$(bash "$top/scripts/kernel.sh" bench | tail -n1)
moddir=$(bash "$top/scripts/modules.sh" bench | tail -n1)
VM_SHARE=$(mktemp -d /tmp/rnet-bench.XXXXXX)
export VM_SHARE
raw=$VM_SHARE/bench.jsonl
pairs=${RNET_BENCH_PAIRS:-rlo rveth rigb re1000}
# The XDP rows' programs (rigb's test programs), built here; RNET_BENCH_XDP=0 leaves them out.
bpf=
if [ "${RNET_BENCH_XDP:-1}" = 1 ]; then
	bpf=$VM_SHARE/bpf
	mkdir -p "$bpf"
	make -s -C "$top/selftests/rigb" -f ../bpf.mk OUTPUT="$bpf" KDIR="$tree" \
		"$bpf/xdp_verdicts.bpf.o" "$bpf/xdp_redirect.bpf.o"
fi
# RNET_BENCH_PROFILE=1: one more run of some rows per implementation under perf, reported as
# CPU time per packet per symbol (qemu/profile_report.py).
profile=${RNET_BENCH_PROFILE:-0}
mkdir -p "$VM_SHARE/profile"
# RNET_BENCH_ICOUNT=1: QEMU counts instructions (-icount shift=0: the guest's clock advances
# 1 ns per instruction it executes, one thread runs both vCPUs), so CPU time per packet is
# instructions per packet, which TCG's timing noise does not move; rates are per virtual second.
# The results go to bench-results/*-icount.* beside the wall-clock ones.
icount=${RNET_BENCH_ICOUNT:-0}
suffix=
if [ "$icount" = 1 ]; then
	export VM_QEMU_EXTRA="-icount shift=0" RNET_NO_KVM=1 # (icount is TCG's)
	suffix=-icount
	echo "bench: icount mode: guest time is instructions (1 ns each); CPU ns per packet = instructions per packet"
fi
VM_EXTRA_NICS=
[[ " $pairs " == *" re1000 "* ]] && VM_EXTRA_NICS=$(re1000_extra_nics)
export VM_EXTRA_NICS
vm_run "$tree" "${RNET_BENCH_TIMEOUT:-3600}" "$VM_SHARE/console.log" \
	"RNET_TOP=$top RNET_KTREE=$tree RNET_MODDIR=$moddir RNET_BENCH_ROUNDS=${RNET_BENCH_ROUNDS:-6} RNET_BENCH_PAIRS='$pairs' RNET_BENCH_BPF=$bpf RNET_BENCH_PROFILE=$profile RNET_BENCH_PROFILE_DIR=$VM_SHARE/profile RNET_BENCH_RE1000_PARAMS='${RNET_BENCH_RE1000_PARAMS:-}' bash $top/qemu/guest_bench.sh >$raw 2>$VM_SHARE/guest.err; echo done >$VM_SHARE/done" || true
if [ ! -f "$VM_SHARE/done" ]; then
	echo "bench: the guest did not finish; console tail:"
	tail -n 40 "$VM_SHARE/console.log"
	exit 1
fi
mkdir -p "$top/bench-results"
cp "$raw" "$top/bench-results/bench-raw$suffix.jsonl"
python3 "$top/qemu/bench_report.py" "$raw" "$top/bench-results/bench$suffix.json"
echo "bench: raw records in bench-results/bench-raw$suffix.jsonl, summary in bench-results/bench$suffix.json"
if [ "$profile" = 1 ]; then
	rm -rf "$top/bench-results/profile$suffix"
	cp -r "$VM_SHARE/profile" "$top/bench-results/profile$suffix"
	python3 "$top/qemu/profile_report.py" "$top/bench-results/profile$suffix" | tee "$top/bench-results/profile$suffix/report.txt"
fi
