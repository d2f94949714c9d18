#!/usr/bin/env bash
# The exit codes that `git bisect run` and CI act on (README.md, docs/CI.md), from
# scripts/build-kernel, scripts/bisect-step and scripts/bisect as they are, with
# what takes minutes replaced: the kernel build by a kernel tree in miniature
# (tests/stand-in/kernel, which the real build-kernel configures and "builds")
# or by tests/stand-in/build-kernel, the guest run by tests/stand-in/kdh. Boots
# nothing, needs no libvirt, takes seconds. TAP on stdout; run by
# scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
readonly top stand_in=$top/tests/stand-in
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-exit-codes.XXXXXX") || exit 128
readonly tmp
trap 'rm -rf -- "$tmp"' EXIT
# Every temporary directory of the scripts and stand-ins lands in here.
export TMPDIR=$tmp KDH_CACHE=$tmp/cache
# git as it comes, whatever the user's configuration (signing, hooks, templates).
# And no tree found above $tmp: "not a git tree" must be what it says.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES=$tmp
export GIT_AUTHOR_NAME=kdh GIT_AUTHOR_EMAIL=kdh@invalid
export GIT_COMMITTER_NAME=kdh GIT_COMMITTER_EMAIL=kdh@invalid
n=0 failed=0

# report NAME WHY: a test passed when there is no WHY.
report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; failed=$((failed + 1)); fi
}

# The stand-ins for both slow commands, as bisect-step and bisect take them;
# a test of the real build-kernel empties KDH_BUILD_KERNEL.
export KDH_BIN=$stand_in/kdh KDH_BUILD_KERNEL=$stand_in/build-kernel

# ---- trees and histories ----

# new_tree NAME [FAIL]: a fresh git tree $tmp/NAME. With FAIL, a copy of the
# miniature kernel tree whose step FAIL fails ("none": nothing fails).
tree=
new_tree() {
	tree=$tmp/$1
	if [ $# -gt 1 ]; then
		cp -r -- "$stand_in/kernel" "$tree"
		[ "$2" = none ] || printf '%s\n' "$2" >"$tree/fail"
	else
		mkdir -p -- "$tree"
	fi
	git -C "$tree" init -q && git -C "$tree" add -A && git -C "$tree" commit -q --allow-empty -m base
}

# history SPEC...: a commit in $tree for each SPEC, BUILD:KDH[:REASON], whose
# kernel builds as BUILD says and runs as KDH says (the stand-ins read both);
# their ids in commits[].
commits=()
history() {
	local spec build kdh reason
	commits=()
	for spec in "$@"; do
		IFS=: read -r build kdh reason <<<"$spec"
		printf '%s\n' "$build" >"$tree/build-exit"
		printf '%s\n' "$kdh" >"$tree/kdh-exit"
		rm -f -- "$tree/kdh-reason"
		[ -z "$reason" ] || printf '%s\n' "$reason" >"$tree/kdh-reason"
		git -C "$tree" add -A && git -C "$tree" commit -q --allow-empty -m "$spec" || return
		commits+=("$(git -C "$tree" rev-parse HEAD)")
	done
}

# ---- scripts/bisect-step ----

# expect_step NAME EXIT VERDICT REASON [ARG...]: scripts/bisect-step on $tree
# (with whatever stand-ins the caller put in the environment) exits EXIT, and
# its last line names the commit, VERDICT and REASON. Once it knows the commit
# it also records the step: the record must say the same.
expect_step() {
	local name=$1 want=$2 verdict=$3 reason=$4 got=0 why='' last rec head
	shift 4
	"$top/scripts/bisect-step" --source "$tree" --results "$tmp/results" \
		--record "$tmp/$name.jsonl" "$@" >"$tmp/$name.out" 2>"$tmp/$name.log" || got=$?
	last=$(tail -n 1 "$tmp/$name.out")
	head=$(git -C "$tree" rev-parse --verify -q HEAD 2>/dev/null) || head=unknown
	[ "$got" = "$want" ] || why="exit $got, expected $want"
	[[ $last == "$head $verdict $reason "[0-9]* ]] ||
		why="${why:+$why; }last line '$last', expected '$head $verdict $reason <seconds>'"
	if [ "$head" != unknown ]; then
		rec=$(jq -r '"\(.commit) \(.verdict) \(.reason) \(.exit_code)"' "$tmp/$name.jsonl" 2>&1)
		[ "$rec" = "$head $verdict $reason $want" ] || why="${why:+$why; }record '$rec'"
	fi
	# How many kdh runs it took, and their panic CPUs, when the caller says.
	if [ -n "${want_runs-}" ]; then
		[[ $last == *" $want_runs" ]] || why="${why:+$why; }last line '$last' does not end in $want_runs runs"
		rec=$(jq -c '[.runs, .panic_cpus]' "$tmp/$name.jsonl" 2>&1)
		[ "$rec" = "[$want_runs,$want_cpus]" ] ||
			why="${why:+$why; }record's [runs, panic_cpus] $rec, expected [$want_runs,$want_cpus]"
	fi
	report "bisect-step: $name" "$why"
}

# runs_history SPEC...: as history, but each commit's kernel answers
# successive kdh runs differently: SPEC is "EXIT:CPU[:REASON]|..." (CPU "-":
# none), one a run, the last one again after that (tests/stand-in/kdh's
# kdh-runs).
runs_history() {
	local spec
	commits=()
	for spec in "$@"; do
		rm -f -- "$tree/build-exit" "$tree/kdh-exit" "$tree/kdh-reason"
		tr '|:' '\n ' <<<"$spec" >"$tree/kdh-runs"
		git -C "$tree" add -A && git -C "$tree" commit -q --allow-empty -m "runs $spec" || return
		commits+=("$(git -C "$tree" rev-parse HEAD)")
	done
}

# Each of kdh's and build-kernel's exit codes, and what git bisect run must read
# from it. A usage error is never 2 (bisect would call it bad); an unexpected
# code never reads as bad.
new_tree steps
while read -r name build kdh reason want verdict why; do
	history "$build:$kdh:${reason#-}"
	expect_step "$name" "$want" "$verdict" "$why"
done <<'EOF'
kdh-pass                   0       0   -         0   good          ok
kdh-fail                   0       1   no-kexec  1   bad           no-kexec
kdh-fail-no-run-json       0       1   -         1   bad           failed
kdh-not-testable           0       125 no-boot   125 skip          no-boot
kdh-usage                  0       2   -         128 harness-broke kdh-usage
kdh-infrastructure         0       128 -         128 harness-broke kdh-infrastructure
kdh-interrupted-sigint     0       130 -         130 harness-broke kdh-exit-130
kdh-interrupted-sigterm    0       143 -         143 harness-broke kdh-exit-143
kdh-unexpected-code        0       3   -         128 harness-broke kdh-exit-3
kernel-does-not-build      125     0   -         125 skip          kernel-does-not-build
build-kernel-usage         2       0   -         128 harness-broke build-kernel-usage
build-kernel-infrastructure 128    0   -         128 harness-broke build-kernel-infrastructure
build-kernel-interrupted   130     0   -         130 harness-broke build-kernel-exit-130
build-kernel-no-directory  no-dir  0   -         128 harness-broke build-kernel-printed-no-directory
EOF
# The reasons come from kdh's run.json; here one the real kdh's writer wrote
# (tests/data/run-interrupted.json, test-report.c checks it is the writer's
# text): those of the runs that ran and did not pass, in the order they ran,
# nothing of the one that never ran.
new_tree steps-real-run-json
history 0:1
printf '%s\n' "$top/tests/data/run-interrupted.json" >"$tree/kdh-run-json"
git -C "$tree" add -A && git -C "$tree" commit -q -m "a real run.json"
expect_step kdh-fail-real-run-json 1 bad kexec-not-loaded,no-boot,harness
# A run in the nested lab that tried again (tests/data/run-lab-attempts.json):
# the verdicts' reasons, not those of the attempts the emulation cut short.
new_tree steps-lab-attempts
history 0:1
printf '%s\n' "$top/tests/data/run-lab-attempts.json" >"$tree/kdh-run-json"
git -C "$tree" add -A && git -C "$tree" commit -q -m "a run.json with attempts"
expect_step kdh-fail-lab-attempts 1 bad cut-short,vmbus-not-reconnected
# Both before the step knows its commit.
new_tree not-a-git-tree && rm -rf -- "$tree/.git"
expect_step not-a-git-tree 128 harness-broke not-a-git-tree
expect_step bad-usage 128 harness-broke usage --repeat many
# The real build-kernel on a tree that does not compile: the commit is skipped.
new_tree steps-compile-fails all
KDH_BUILD_KERNEL='' expect_step real-build-kernel-compile-fails 125 skip kernel-does-not-build

# --until-panic-off-cpu: where the panic CPU is chance (an NMI on every vCPU),
# kdh runs again until a pass off that CPU, or a failure, at most --max-runs
# times (8 by default); what each takes is in the last line and the record.
# A run cut short (125) counts; one whose need is unmet is skipped at once.
new_tree steps-until
while read -r name want verdict reason want_runs want_cpus spec rest; do
	read -r -a args <<<"$rest"
	runs_history "$spec"
	expect_step "until-$name" "$want" "$verdict" "$reason" "${args[@]}"
done <<'EOF'
off-cpu-at-third-run   0   good ok                      3 [0,0,1]     0:0|0:0|0:1               --until-panic-off-cpu 0
off-cpu-at-once        0   good ok                      1 [1]         0:1                       --until-panic-off-cpu 0
fails-at-second-run    1   bad  vmbus-unload-incomplete 2 [0,1]       0:0|1:1:vmbus-unload-incomplete --until-panic-off-cpu 0
never-off-cpu          125 skip panic-never-off-cpu-0   4 [0,0,0,0]   0:0                       --until-panic-off-cpu 0 --max-runs 4
eight-runs-by-default  125 skip panic-never-off-cpu-0   8 [0,0,0,0,0,0,0,0] 0:0                 --until-panic-off-cpu 0
panic-cpu-unknown      125 skip panic-never-off-cpu-0   2 [null,null] 0:-                       --until-panic-off-cpu 0 --max-runs 2
off-cpu-1-is-cpu-0     0   good ok                      2 [1,0]       0:1|0:0                   --until-panic-off-cpu 1
cut-short-then-off-cpu 0   good ok                      2 [1]         125:-:no-boot|0:1         --until-panic-off-cpu 0
always-cut-short       125 skip no-boot                 3 []          125:-:no-boot             --until-panic-off-cpu 0 --max-runs 3
need-unmet-at-once     125 skip setup-failed            1 []          125:-:setup-failed|0:1    --until-panic-off-cpu 0
fixed-off-cpu          1   good ok                      2 [0,1]       0:0|0:1                   --until-panic-off-cpu 0 --fixed
fixed-fails            0   bad  vmbus-unload-incomplete 1 [1]         1:1:vmbus-unload-incomplete --until-panic-off-cpu 0 --fixed
without-the-option     0   good ok                      1 [0]         0:0|0:1
EOF
want_runs='' want_cpus=''
# Usage, before the step knows its commit.
new_tree until-usage && rm -rf -- "$tree/.git"
expect_step until-usage-max-runs-alone 128 harness-broke usage --max-runs 3
expect_step until-usage-not-a-cpu 128 harness-broke usage --until-panic-off-cpu x
expect_step until-usage-zero-runs 128 harness-broke usage --until-panic-off-cpu 0 --max-runs 0

# Killed while kdh runs: kdh is stopped first, and git bisect run must stop too.
signal_test() {
	local why='' got=0 pid kdh_pid='' fd
	new_tree steps-signal
	history 0:wait
	mkfifo "$tmp/ready"
	# Read-write: opening does not wait for the writer.
	exec {fd}<>"$tmp/ready"
	# Under timeout, which passes our TERM on to the step alone (--foreground:
	# not to its process group, kdh included); a step that never stopped kdh
	# would wait for it for ever, and this test with it.
	KDH_STANDIN_READY=$tmp/ready timeout --foreground -s KILL 30 "$top/scripts/bisect-step" \
		--source "$tree" --results "$tmp/results" >"$tmp/signal.out" 2>"$tmp/signal.log" &
	pid=$!
	if read -r -t 20 -u "$fd" kdh_pid; then
		kill -TERM "$pid"
	else
		why="the stand-in kdh never started"
		kill -KILL "$pid"
	fi
	wait "$pid" || got=$?
	exec {fd}<&-
	[ "$got" = 143 ] || why="${why:+$why; }exit $got, expected 143"
	[[ $(tail -n 1 "$tmp/signal.out") == "${commits[0]} harness-broke interrupted-by-signal-15 "* ]] ||
		why="${why:+$why; }last line '$(tail -n 1 "$tmp/signal.out")'"
	if [ -n "$kdh_pid" ] && kill -0 "$kdh_pid" 2>/dev/null; then
		why="${why:+$why; }kdh (pid $kdh_pid) outlived the step"
		kill -KILL "$kdh_pid"
	fi
	report "bisect-step: sigterm-while-kdh-runs" "$why"
}
signal_test

# ---- scripts/build-kernel, the real one, on the miniature kernel tree ----

# expect_build NAME EXIT [SOURCE]: scripts/build-kernel on SOURCE (default $tree)
# exits EXIT; on success its last line is a build tree that kdh takes.
expect_build() {
	local name=$1 want=$2 source=${3:-$tree} got=0 why='' dir
	"$top/scripts/build-kernel" "$source" >"$tmp/$name.out" 2>"$tmp/$name.log" || got=$?
	[ "$got" = "$want" ] || why="exit $got, expected $want"
	if [ "$want" = 0 ]; then
		dir=$(tail -n 1 "$tmp/$name.out")
		[ -s "$dir/arch/x86/boot/bzImage" ] || why="${why:+$why; }no bzImage in '$dir'"
	fi
	report "build-kernel: $name" "$why"
}

# The tree builds: what the failures below change is the one thing that fails.
new_tree builds none
expect_build builds 0
new_tree defconfig-fails defconfig
expect_build defconfig-fails 125
new_tree compile-fails all
expect_build compile-fails 125
# The machine's fault, not the kernel's: bisect must not skip on it.
new_tree disk-full enospc
expect_build disk-full 128
new_tree too-old none
git -C "$tree" rm -q scripts/kconfig/merge_config.sh && git -C "$tree" commit -q -m old
expect_build too-old-for-the-recipe 125
new_tree in-tree-build none
: >"$tree/.config"
expect_build in-tree-build 2
new_tree not-a-kernel-tree
expect_build not-a-kernel-tree 2
# TREE@REV: that commit, whatever is checked out (a nightly's kernel at a commit)
new_tree at-a-commit none
printf 'all\n' >"$tree/fail" && git -C "$tree" add fail && git -C "$tree" commit -q -m breaks
expect_build commit-that-builds 0 "$tree@HEAD~1"
expect_build commit-that-does-not 125 "$tree@HEAD"
expect_build no-such-commit 2 "$tree@nosuch"
expect_build not-a-git-tree 2 "$tmp/nowhere@HEAD"

# --patch and --revert: on an overlay, the source itself never written.
new_tree patched none
printf 'CONFIG_64BIT=y\nCONFIG_KDH_PATCHED=y\n' >"$tmp/defconfig.new"
(cd "$tree" && diff -u --label a/arch/x86/configs/x86_64_defconfig --label b/arch/x86/configs/x86_64_defconfig \
	arch/x86/configs/x86_64_defconfig "$tmp/defconfig.new") >"$tmp/adds-a-line.patch"
# expect_patched NAME EXIT CONFIG_LINES ARG...: build-kernel ARG... exits EXIT;
# on success the built .config has CONFIG_LINES lines of CONFIG_KDH_PATCHED.
expect_patched() {
	local name=$1 want=$2 lines=$3 got=0 why='' dir
	shift 3
	"$top/scripts/build-kernel" "$@" >"$tmp/$name.out" 2>"$tmp/$name.log" || got=$?
	[ "$got" = "$want" ] || why="exit $got, expected $want"
	if [ "$want" = 0 ]; then
		dir=$(tail -n 1 "$tmp/$name.out")
		[ "$(grep -c '^CONFIG_KDH_PATCHED=y' "$dir/.config")" = "$lines" ] ||
			why="${why:+$why; }'$dir/.config' does not have $lines CONFIG_KDH_PATCHED line(s)"
	fi
	[ -z "$(git -C "$tree" status --porcelain)" ] || why="${why:+$why; }the source tree was written"
	report "build-kernel: $name" "$why"
}
expect_patched unpatched 0 0 "$tree"
expect_patched patch-applies 0 1 --patch "$tmp/adds-a-line.patch" "$tree"
patched_dir=$(tail -n 1 "$tmp/patch-applies.out")
report "build-kernel: a patch is part of the key" \
	"$([ "$patched_dir" != "$(tail -n 1 "$tmp/unpatched.out")" ] || echo "patched and unpatched share '$patched_dir'")"
# The source does not have the change: reverting it cannot apply (bisect: skip).
expect_patched revert-not-there 125 0 --revert "$tmp/adds-a-line.patch" "$tree"
# The same patch twice: the second finds it applied.
expect_patched patch-twice 125 0 --patch "$tmp/adds-a-line.patch" --patch "$tmp/adds-a-line.patch" "$tree"
expect_patched no-such-patch 2 0 --patch "$tmp/nowhere.patch" "$tree"

# ---- scripts/bisect ----

# expect_bisect NAME EXIT OUTCOME FIRST_BAD [ARG...]: scripts/bisect on $tree
# exits EXIT and its report says OUTCOME and FIRST_BAD (when inconclusive, the
# candidates, sorted and comma-separated; "" for none); the tree is reset after
# a bisect that found it, left bisecting otherwise.
expect_bisect() {
	local name=$1 want=$2 outcome=$3 first=$4 got=0 why='' report_dir rep
	shift 4
	"$top/scripts/bisect" --tree "$tree" --results "$tmp/results-$name" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.log" || got=$?
	[ "$got" = "$want" ] || why="exit $got, expected $want"
	report_dir=$(tail -n 1 "$tmp/$name.out")
	rep=$(jq -r '"\(.outcome) \(.first_bad.commit // .first_fixed.commit // (.candidates | sort | join(",")))"' \
		"$report_dir/report.json" 2>&1)
	[ "$rep" = "$outcome $first" ] || why="${why:+$why; }report '$rep', expected '$outcome $first'"
	if [ "$want" = 0 ] && [ -f "$tree/.git/BISECT_START" ]; then
		why="${why:+$why; }the tree was left bisecting"
	elif [ "$want" != 0 ] && [ ! -f "$tree/.git/BISECT_START" ]; then
		why="${why:+$why; }the tree was reset: nothing left to resume or look at"
	fi
	report "bisect: $name" "$why"
}

new_tree bisect-found
history 0:0 0:0 0:1:no-kexec 0:1 0:1
expect_bisect finds-the-first-bad 0 found "${commits[2]}" \
	--good "${commits[0]}" --bad "${commits[4]}"
# The one commit between good and bad does not build: either may be the culprit.
new_tree bisect-inconclusive
history 0:0 125:0 0:1
expect_bisect inconclusive 125 inconclusive \
	"$(printf '%s\n' "${commits[1]}" "${commits[2]}" | sort | paste -s -d,)" \
	--good "${commits[0]}" --bad "${commits[2]}"
# kdh's usage error at the middle commit: git bisect run stops, blames nothing.
new_tree bisect-stopped
history 0:0 0:2 0:1
expect_bisect harness-broke-stops 128 stopped "" --good "${commits[0]}" --bad "${commits[2]}"

# The search for the fix: broken at first, fixed by the third commit; each
# step's verdict stays the kernel's (bad, then good), only git's terms change.
new_tree bisect-fix
history 0:1 0:1:no-kexec 0:0 0:0
expect_bisect finds-the-first-fixed 0 found "${commits[2]}" \
	--broken "${commits[0]}" --fixed "${commits[3]}"
report_json=$(ls "$tmp"/results-finds-the-first-fixed/bisect-*/report.json 2>/dev/null | head -1)
report "bisect: fix-search-report" "$(jq -r 'if .search == "fix" and .first_bad == null and
	([.steps[].verdict] | sort | unique) == ["bad", "good"] then empty
	else "search \(.search), verdicts \([.steps[].verdict])" end' "$report_json" 2>&1)"
report "bisect: fix-search-markdown" "$(grep -q '^First fixed commit: `'"${commits[2]}"'`' \
	"$(dirname "$report_json")/report.md" || echo "report.md does not name the first fixed commit")"

# The search for the fix with --until-panic-off-cpu: a broken commit passes
# when its panic lands on CPU 0 and fails off it, a fixed one passes on both;
# each step runs kdh until it has seen a panic off CPU 0 or a failure.
new_tree bisect-fix-until
runs_history "0:0|1:1:vmbus-unload-incomplete" "0:0|0:0|1:1:vmbus-unload-incomplete" \
	"0:1" "0:0|0:1" "0:0|0:0|0:1"
expect_bisect finds-the-first-fixed-off-cpu 0 found "${commits[2]}" \
	--broken "${commits[0]}" --fixed "${commits[4]}" --until-panic-off-cpu 0 --max-runs 5 \
	hyperv-nmi-all-vcpus
report_json=$(ls "$tmp"/results-finds-the-first-fixed-off-cpu/bisect-*/report.json 2>/dev/null | head -1)
# git tests the middle (fixed at once: 1 run), then the one before it
# (broken, seen off CPU 0 at its third run).
report "bisect: until-off-cpu-report" "$(jq -r --arg c1 "${commits[1]}" --arg c2 "${commits[2]}" '
	(.steps | map({(.commit): .runs}) | add) as $runs |
	if .until_panic_off_cpu == {cpu: 0, max_runs: 5} and $runs == {($c2): 1, ($c1): 3}
	   and .runs == (.steps | map(.runs) | add) then empty
	else "until \(.until_panic_off_cpu), runs per step \($runs), total \(.runs)" end' \
	"$report_json" 2>&1)"
report "bisect: until-off-cpu-markdown" "$(grep -q '^- each step ran kdh until a panic off CPU 0 passed or a run failed, at most 5 times$' \
	"$(dirname "$report_json")/report.md" || echo "report.md does not say how the steps ran")"

# A step that broke (kdh's 128, once) stops the bisect; --resume carries on
# with the same --until-panic-off-cpu and --max-runs.
new_tree bisect-fix-until-resume
runs_history "0:0|1:1:vmbus-unload-incomplete" "0:0|1:1:vmbus-unload-incomplete" \
	"0:0|0:1" "0:0|0:1" "0:0|0:1"
printf '#!/bin/sh\n[ ! -e "%s" ] || { rm -f "%s"; exit 128; }\nexec "%s" "$@"\n' \
	"$tmp/break-once" "$tmp/break-once" "$stand_in/kdh" >"$tmp/kdh-breaks-once"
chmod +x "$tmp/kdh-breaks-once"
: >"$tmp/break-once"
KDH_BIN=$tmp/kdh-breaks-once expect_bisect until-stops-on-harness 128 stopped "" \
	--broken "${commits[0]}" --fixed "${commits[4]}" --until-panic-off-cpu 0 --max-runs 3 \
	hyperv-nmi-all-vcpus
got=0
"$top/scripts/bisect" --resume --tree "$tree" >"$tmp/resume.out" 2>"$tmp/resume.log" || got=$?
report_json=$(tail -n 1 "$tmp/resume.out")/report.json
report "bisect: until-resumed" "$(jq -r --arg c2 "${commits[2]}" --argjson got "$got" '
	if $got == 0 and .first_fixed.commit == $c2 and .until_panic_off_cpu == {cpu: 0, max_runs: 3}
	   and ([.steps[] | select(.verdict != "harness-broke") | .runs] | unique) == [2]
	then empty else "exit \($got), first fixed \(.first_fixed.commit), until \(.until_panic_off_cpu), runs \([.steps[].runs])" end' \
	"$report_json" 2>&1)"

# Bad usage is 2, before anything is touched.
new_tree bisect-usage
got=0
"$top/scripts/bisect" --tree "$tree" >/dev/null 2>&1 || got=$?
report "bisect: no-good-or-bad" "$([ "$got" = 2 ] || echo "exit $got, expected 2")"
history 0:0 0:1
got=0
"$top/scripts/bisect" --tree "$tree" --good "${commits[0]}" --fixed "${commits[1]}" >/dev/null 2>&1 || got=$?
report "bisect: regression-and-fix-terms-mixed" "$([ "$got" = 2 ] || echo "exit $got, expected 2")"
got=0
"$top/scripts/bisect" --tree "$tree" --good "${commits[0]}" --bad "${commits[1]}" --max-runs 3 >/dev/null 2>&1 || got=$?
report "bisect: max-runs-without-until" "$([ "$got" = 2 ] || echo "exit $got, expected 2")"

echo "1..$n"
[ "$failed" = 0 ]
