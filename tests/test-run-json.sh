#!/usr/bin/env bash
# The shell side of run.json (include/kdh-report.h): scripts/e2e-lib's readers
# (run_of, reason_of, evidence_of, which scripts/run-e2e-tests and
# scripts/run-hyperv-tests use) on what the real writer writes
# (tests/data/run-*.json: test-report.c holds them to harness/report/report.c's
# text), in results directories laid out as `kdh run --results DIR` lays them
# out; build/kdh's own run.json where a run breaks or a need is unmet, and
# `kdh nightly` finding its runs' evidence through it (libvirt's test driver:
# in kdh's process, no daemon, no guest ever runs); and the stand-ins for kdh
# write run.json of the same shape. Boots nothing, takes seconds. TAP on
# stdout; run by scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-run-json.XXXXXX") || exit 128
readonly top tmp
trap 'rm -rf -- "$tmp"' EXIT
# nothing here may read or fill the user's caches
export TMPDIR=$tmp KDH_CACHE=$tmp/cache
readonly kdh=${KDH_TEST_KDH:-$top/build/kdh}
n=0 failed=0
# shellcheck source=scripts/e2e-lib
. "$top/scripts/e2e-lib"
readonly data=$top/tests/data

# expect NAME GOT WANT: a check that GOT is WANT.
expect() {
	report "$1" "$([ "$2" = "$3" ] || echo "got '$2', expected '$3'")"
}

# run_dir RESULTS RUN_JSON [JQ_FILTER [AGE]]: RUN_JSON (through JQ_FILTER) as
# the run.json of a kdh run under RESULTS, with a summary.json in the evidence
# directory of each scenario that has one; written AGE ago ("1 hour"; default
# now). Prints the run's directory.
run_dir() {
	local results=$1 json=$2 filter=${3:-.} age=${4:-0 seconds} id dir d
	id=$(jq -r "$filter | .run" "$json") || return
	dir=$results/$id
	mkdir -p -- "$dir"
	jq "$filter" "$json" >"$dir/run.json" || return
	for d in $(jq -r '.scenarios[].dir // empty' "$dir/run.json"); do
		mkdir -p -- "$dir/$d"
		cp -- "$data/summary-nmi-all-vcpus-pass.json" "$dir/$d/summary.json"
	done
	touch -d "$age ago" "$dir/run.json"
	echo "$dir"
}

# ---- one run, ended: every verdict ----
r=$tmp/one
one=$(run_dir "$r" "$data/run-interrupted.json")
expect "reason of a pass" "$(reason_of "$r" nmi-all-vcpus)" ok
expect "reason of a failure" "$(reason_of "$r" broken-no-crashkernel)" kexec-not-loaded
expect "reason of a skip" "$(reason_of "$r" nmi-cpu0)" no-boot
expect "reason of a run the harness broke" "$(reason_of "$r" hyperv-nmi-all-vcpus)" harness
expect "no reason of a run that never ran" "$(reason_of "$r" sysrq-cpu2)" ""
expect "no reason of a scenario not in the run" "$(reason_of "$r" no-such-scenario)" ""
expect "evidence of a pass" "$(evidence_of "$r" nmi-all-vcpus)" "$one/nmi-all-vcpus"
expect "evidence of a run the harness broke" "$(evidence_of "$r" hyperv-nmi-all-vcpus)" \
	"$one/hyperv-nmi-all-vcpus"
expect "no evidence of a run that never ran" "$(evidence_of "$r" sysrq-cpu2)" ""
# as scripts/run-hyperv-tests reads the panic's CPU, and run-e2e-tests crash's states
expect "the summary beside it" \
	"$(jq -r .panic.cpu "$(evidence_of "$r" hyperv-nmi-all-vcpus)/summary.json")" \
	"$(jq -r .panic.cpu "$data/summary-nmi-all-vcpus-pass.json")"
expect "run_of names the run's run.json" "$(run_of "$r" nmi-cpu0)" "$one/run.json"
run_of "$r" no-such-scenario >/dev/null
expect "run_of fails for a scenario not in it" "$?" 1
expect "no run under a directory without runs" "$(reason_of "$tmp/nothing" nmi-all-vcpus)" ""

# ---- two runs in one directory (a run after a killed one): the newest that
# ran a scenario says what became of it ----
r=$tmp/two
older=$(run_dir "$r" "$data/run-midway.json" . "1 hour")
newer=$(run_dir "$r" "$data/run-interrupted.json" \
	'.run = "20261204-031500-4343" | .scenarios |= map(select(.scenario == "nmi-cpu0"))')
expect "the newer run's reason" "$(reason_of "$r" nmi-cpu0)" no-boot
expect "the newer run's evidence" "$(evidence_of "$r" nmi-cpu0)" "$newer/nmi-cpu0"
expect "a scenario only the older ran" "$(reason_of "$r" broken-no-crashkernel)" kexec-not-loaded
expect "its evidence, in the older run" "$(evidence_of "$r" broken-no-crashkernel)" \
	"$older/broken-no-crashkernel"
expect "a run still pending has no reason yet" "$(reason_of "$r" sysrq-cpu2)" ""
touch -d "2 hours ago" "$newer/run.json"
expect "newest by time, not by name" "$(reason_of "$r" nmi-cpu0)" ""

# ---- kdh run --repeat: the last run of the scenario ----
r=$tmp/repeat
rep=$(run_dir "$r" "$data/run-interrupted.json" '.scenarios |= ([.[0]] + [.[0] |
	.name = "nmi-all-vcpus.2" | .repeat = 2 | .dir = .name | .verdict = "fail" |
	.reason = "deadline" | .exit = 1] | (.[0].name = "nmi-all-vcpus.1" | .[0].dir = .[0].name))')
expect "a repeated scenario's last reason" "$(reason_of "$r" nmi-all-vcpus)" deadline
expect "a repeated scenario's last evidence" "$(evidence_of "$r" nmi-all-vcpus)" \
	"$rep/nmi-all-vcpus.2"

# ---- runs in the nested lab that were tried again (kdh-attempt.h): the
# verdict's attempt is the run's, where run.json says; the ones the emulation
# cut short are in folders of their own ----
r=$tmp/lab-attempts
labrun=$(run_dir "$r" "$data/run-lab-attempts.json")
expect "reason of a lab run that passed on its third attempt" \
	"$(reason_of "$r" hyperv-nmi-all-vcpus)" ok
expect "its evidence: the attempt that gave the verdict" \
	"$(evidence_of "$r" hyperv-nmi-all-vcpus)" "$labrun/hyperv-nmi-all-vcpus"
expect "the panic's CPU read beside it, as run-hyperv-tests reads it" \
	"$(jq -r .panic.cpu "$(evidence_of "$r" hyperv-nmi-all-vcpus)/summary.json")" \
	"$(jq -r .panic.cpu "$data/summary-nmi-all-vcpus-pass.json")"
expect "reason of a lab run whose every attempt was cut short" \
	"$(reason_of "$r" hyperv-sysrq-cpu1)" cut-short
expect "reason of a lab run that failed on its first attempt" \
	"$(reason_of "$r" broken-hyperv-no-vmbus-in-capture)" vmbus-not-reconnected
expect "the attempts cut short, and their folders" \
	"$(entry_of "$r" hyperv-sysrq-cpu1 cut_short | jq -r '.[] | "\(.attempt) \(.dir)"')" \
	"$(printf '%s\n' "1 hyperv-sysrq-cpu1/attempt-1" "2 null" "3 hyperv-sysrq-cpu1/attempt-3")"
expect "how many attempts" "$(entry_of "$r" hyperv-nmi-all-vcpus attempts)" 3

# ---- build/kdh's own, on libvirt's test driver: the first run breaks ----
# A kernel in miniature (as tests/test-cli.sh makes it): its bzImage header, the
# modules the virtio platform loads built in.
release=6.1.0-56-amd64
mkdir -p "$tmp/kernel/boot" "$tmp/kernel/lib/modules/$release"
cp "$data/kernel-bzimage-head.bin" "$tmp/kernel/boot/vmlinuz-$release"
: >"$tmp/kernel/lib/modules/$release/modules.dep"
printf 'kernel/drivers/virtio/virtio_pci.ko\nkernel/drivers/block/virtio_blk.ko\n' \
	>"$tmp/kernel/lib/modules/$release/modules.builtin"
# verdicts RUN_JSON: each scenario's name, verdict, reason and exit, then the run's exit
verdicts() {
	jq -r '(.scenarios[] | "\(.name) \(.verdict) \(.reason) \(.exit)"), "exit \(.exit)"' "$1"
}
(cd "$tmp" && "$kdh" run --uri test:///default --accel tcg --kernel "$tmp/kernel" \
	--results "$tmp/broke" --repeat 2 nmi-all-vcpus nmi-cpu0 >/dev/null 2>&1)
expect "kdh run that broke: exit 128" "$?" 128
manifest=$(run_of "$tmp/broke" nmi-cpu0)
expect "kdh run that broke: each planned run in run.json" "$(verdicts "$manifest")" \
	"$(printf '%s\n' "nmi-all-vcpus.1 error harness 128" "nmi-all-vcpus.2 not-run null null" \
		"nmi-cpu0.1 not-run null null" "nmi-cpu0.2 not-run null null" "exit 128")"
expect "kdh run that broke: where and how" \
	"$(jq -r '"\(.host.uri) \(.host.accel) \(.kernel.release) \(.finished != null)"' "$manifest")" \
	"test:///default tcg $release true"
expect "kdh run that broke: its reason, as e2e-lib reads it" \
	"$(reason_of "$tmp/broke" nmi-all-vcpus)" harness
d=$(jq -r '.scenarios[0].dir // empty' "$manifest")
expect "kdh run that broke: what it saw kept where it says" \
	"$(evidence_of "$tmp/broke" nmi-all-vcpus)" "${manifest%/run.json}/nmi-all-vcpus.1"
[ -s "${manifest%/run.json}/$d/summary.json" ]
expect "kdh run that broke: its summary there" "$?" 0
(cd "$tmp" && "$kdh" run --uri test:///default --accel kvm --kernel "$tmp/kernel" \
	--results "$tmp/unmet" nmi-all-vcpus nmi-cpu0 >/dev/null 2>&1)
expect "kdh run where a need is unmet: exit 125" "$?" 125
manifest=$(run_of "$tmp/unmet" nmi-cpu0)
expect "kdh run where a need is unmet: nothing ran" "$(verdicts "$manifest")" \
	"$(printf '%s\n' "nmi-all-vcpus not-run null null" "nmi-cpu0 not-run null null" "exit 125")"
expect "kdh run where a need is unmet: why, in each" \
	"$(jq -r '[.scenarios[].detail | test("offers no KVM")] | all' "$manifest")" true
(cd "$tmp" && "$kdh" run --uri test:///default --accel tcg --kernel "$tmp/kernel" \
	--results "$tmp/none" no-such-scenario >/dev/null 2>&1)
expect "kdh run on bad input: exit 2" "$?" 2
expect "kdh run on bad input: no run, no run.json" "$(find "$tmp/none" -name run.json 2>/dev/null)" ""

# ---- kdh nightly finds each run's evidence through its run.json ----
printf '[matrix]\nscenario=nmi-all-vcpus\nkernel=k\nvcpus=2\n[kernel k]\npath=%s\n' \
	"$tmp/kernel" >"$tmp/m.conf"
(cd "$tmp" && "$kdh" nightly --uri test:///default --accel tcg --results "$tmp/nights" \
	"$tmp/m.conf" >/dev/null 2>&1)
expect "kdh nightly of a run that broke: exit 128" "$?" 128
night=$(echo "$tmp"/nights/nightly/*)
run=$(jq -r '.cases[0].runs[0].dir' "$night/night.json")
expect "kdh nightly: the run's dir is its run.json's" "$night/$run" \
	"$(evidence_of "$(dirname "$(dirname "$night/$run")")" nmi-all-vcpus)"
why=''
for f in summary.json kdh-run.log kdh-run.ktap; do
	[ -s "$night/$run/$f" ] || why+=" no $f"
done
report "kdh nightly: the run's summary and kdh run's own log and KTAP there" "$why"

# ---- the stand-ins write what kdh writes ----
# shape FILE: every member's path in FILE, array indices left out, sorted.
shape() {
	jq -c '[paths | map(if type == "number" then "[]" else . end) | join(".")] | unique' "$1"
}
want=$(shape "$data/run-interrupted.json")
kernel=$tmp/stand-in-kernel
mkdir -p "$kernel"
echo 1 >"$kernel/kdh-exit"
echo no-kexec >"$kernel/kdh-reason"
"$top/tests/stand-in/kdh" run --kernel "$kernel" --results "$tmp/stand-in" nmi-all-vcpus
expect "tests/stand-in/kdh writes run.json as kdh does" "$(shape "$tmp"/stand-in/*/run.json)" "$want"
expect "tests/stand-in/kdh's reason" "$(reason_of "$tmp/stand-in" nmi-all-vcpus)" no-kexec
plan=$tmp/plan
mkdir -p "$plan"
echo "1 vmbus-not-reconnected 0" >"$plan/broken-hyperv-no-vmbus-in-capture"
: >"$plan/calls"
KDH_STANDIN_PLAN=$plan "$top/tests/stand-in/kdh-lab" run --results "$tmp/lab" \
	--uri qemu+ssh://root@127.0.0.1:10022/system --accel kvm \
	tests/scenarios/broken-hyperv-no-vmbus-in-capture.conf 2>/dev/null
expect "tests/stand-in/kdh-lab writes run.json as kdh does" "$(shape "$tmp"/lab/*/run.json)" "$want"
expect "tests/stand-in/kdh-lab's reason" \
	"$(reason_of "$tmp/lab" broken-hyperv-no-vmbus-in-capture)" vmbus-not-reconnected

tap_end run-json
