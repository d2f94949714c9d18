#!/usr/bin/env bash
# build/kdh itself on what it must refuse or answer before it starts anything:
# help, bad commands, results directories it cannot write in, nights it cannot
# read, a reader that went away. Boots nothing, needs no libvirt. TAP on stdout;
# run by scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
# KDH_TEST_KDH: another build of kdh to hold to the same tests
readonly top kdh=${KDH_TEST_KDH:-$top/build/kdh}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-cli.XXXXXX") || exit 128
readonly tmp
trap 'rm -rf -- "$tmp"' EXIT
# nothing here may read or fill the user's caches
export TMPDIR=$tmp KDH_CACHE=$tmp/cache
n=0

# report NAME WHY: a test passed when there is no WHY.
report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; fi
}

# expect NAME EXIT STDOUT_GREP STDERR_GREP ARG...: kdh ARG... exits EXIT, its
# stdout has a line matching STDOUT_GREP ("-": stdout is empty) and its stderr
# one matching STDERR_GREP ("-": stderr is empty).
expect() {
	local name=$1 want=$2 out=$3 err=$4 got=0 why=''
	shift 4
	(cd "$tmp" && "$kdh" "$@") >"$tmp/out" 2>"$tmp/err" || got=$?
	if [ "$got" != "$want" ]; then
		why="exit $got, not $want: $(head -c 300 "$tmp/err")"
	elif [ "$out" = - ] && [ -s "$tmp/out" ]; then
		why="stdout not empty: $(head -c 300 "$tmp/out")"
	elif [ "$out" != - ] && ! grep -q -- "$out" "$tmp/out"; then
		why="stdout has no '$out'"
	elif [ "$err" = - ] && [ -s "$tmp/err" ]; then
		why="stderr not empty: $(head -c 300 "$tmp/err")"
	elif [ "$err" != - ] && ! grep -q -- "$err" "$tmp/err"; then
		why="stderr has no '$err': $(head -c 300 "$tmp/err")"
	fi
	report "$name" "$why"
}

# A kernel in miniature: its bzImage header, the modules the virtio platform
# loads built in. With libvirt's test driver (test:///default: in kdh's
# process, no daemon, nothing left behind) no guest ever runs.
release=6.1.0-56-amd64
mkdir -p "$tmp/kernel/boot" "$tmp/kernel/lib/modules/$release"
cp "$top/tests/data/kernel-bzimage-head.bin" "$tmp/kernel/boot/vmlinuz-$release"
: >"$tmp/kernel/lib/modules/$release/modules.dep"
printf 'kernel/drivers/virtio/virtio_pci.ko\nkernel/drivers/block/virtio_blk.ko\n' \
	>"$tmp/kernel/lib/modules/$release/modules.builtin"

# ---- help and commands ----
expect "kdh --help: usage on stdout, exit 0" 0 '^usage: kdh COMMAND' - --help
expect "kdh -h: usage on stdout, exit 0" 0 '^usage: kdh COMMAND' - -h
expect "kdh help: usage on stdout, exit 0" 0 '^  run ' - help
expect "kdh: which command, exit 2" 2 - '^kdh: which command'
expect "kdh bogus: unknown command, exit 2" 2 - "^kdh: unknown command 'bogus'" bogus

# ---- a results directory that cannot be written: bad input, before anything ----
# (/proc takes no directories, whoever asks: root too). On the test driver:
# should the check ever come too late, no guest starts either.
expect "kdh run --results /proc/...: exit 2 naming it, no run started" 2 - \
	"^kdh: --results: cannot write in '/proc/kdh-test'" \
	run --uri test:///default --accel tcg --kernel "$tmp/kernel" --results /proc/kdh-test
grep -q '^kdh: run ' "$tmp/err" && report "kdh run --results /proc/...: no run header" "a run header" ||
	report "kdh run --results /proc/...: no run header" ""
printf '[matrix]\nscenario=nmi-all-vcpus\nkernel=default\n' >"$tmp/m.matrix"
expect "kdh nightly --results /proc/...: exit 2 naming it" 2 - \
	"^kdh: --results: cannot write in '/proc/kdh-test/nightly'" \
	nightly --uri test:///default --accel tcg --results /proc/kdh-test "$tmp/m.matrix"

# ---- the nested lab's attempts (--lab-attempts, --lab-budget): a bad value is
# bad input, named, found before anything starts (no kernel is looked for) ----
while read -r option value; do
	expect "kdh run $option '$value': exit 2 naming it" 2 - \
		"^kdh: $option: '$value' is not a whole number from 1 to " \
		run --results "$tmp/results" "$option" "$value"
	grep -q '^kdh: run ' "$tmp/err" && report "kdh run $option '$value': no run header" \
		"a run header" || report "kdh run $option '$value': no run header" ""
done <<'EOF'
--lab-attempts 0
--lab-attempts -1
--lab-attempts three
--lab-attempts 101
--lab-attempts 3x
--lab-budget 0
--lab-budget -5
--lab-budget 1e3
--lab-budget 86401
--lab-budget 20m
EOF
expect "kdh run --lab-budget '': exit 2 naming it" 2 - \
	"^kdh: --lab-budget: '' is not a whole number" run --lab-budget ''
# With --uri the host is the user's: kdh runs no lab there, and tries nothing again.
expect "kdh run --uri URI --lab-attempts N: exit 2, only for the lab kdh runs" 2 - \
	"^kdh: --lab-attempts: only for the nested lab that kdh runs itself, not with --uri" \
	run --uri test:///default --accel tcg --kernel "$tmp/kernel" --lab-attempts 2
expect "kdh run --uri URI --lab-budget S: exit 2, only for the lab kdh runs" 2 - \
	"^kdh: --lab-budget: only for the nested lab that kdh runs itself, not with --uri" \
	run --uri test:///default --accel tcg --kernel "$tmp/kernel" --lab-budget 600
expect "kdh run --help: the lab's options" 0 '^  --lab-attempts=N ' - run --help
expect "kdh run --help: what the lab's attempts are" 0 'any other fail is final' - run --help

# ---- the cache: one rule (harness/cli/cli.c, scripts/cache-lib), used everywhere ----
# Where that kernel is not, the error names where it was looked for; --junit in
# /proc stops kdh, should it find a kernel there, before anything starts.
expect "kdh run: the default kernel is looked for under KDH_CACHE" 2 - \
	"^kdh: kernel '$tmp/cache/kernels/default'" \
	run --results "$tmp/results" --junit /proc/kdh-test/junit.xml
others=$(cd "$top" && grep -ln -e 'XDG_CACHE_HOME:-' -e '\$HOME/\.cache' -e 'KDH_CACHE:-' scripts/* |
	grep -vx scripts/cache-lib)
others+=$(cd "$top" && grep -ln -e g_get_user_cache_dir -e '"KDH_CACHE"' harness/*.c \
	harness/*/*.c | grep -vx harness/cli/cli.c)
report "the cache directory is computed only by scripts/cache-lib and harness/cli/cli.c" \
	"${others:+computed in $others}"

# ---- KTAP when a run breaks under the harness ----
# libvirt's test driver (in kdh's process, no daemon, nothing left behind) runs
# no guest: the first run breaks.
# ktap_whole NAME OUT: OUT (kdh's stdout) is KTAP with a line for each planned test
ktap_whole() {
	local plan lines why=''
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$2")
	lines=$(grep -cE '^(not )?ok [0-9]+ ' "$2")
	if [ "$(head -n 1 "$2")" != "KTAP version 1" ] || [ -z "$plan" ]; then
		why="no KTAP header and plan: $(head -c 200 "$2")"
	elif [ "$lines" != "$plan" ]; then
		why="plan 1..$plan, $lines test lines: $(tr '\n' '|' <"$2")"
	elif [ "$(grep -oE '^(not )?ok [0-9]+' "$2" | grep -oE '[0-9]+$' | tr '\n' ' ')" != \
		"$(seq -s ' ' 1 "$plan") " ]; then
		why="tests not numbered 1..$plan: $(tr '\n' '|' <"$2")"
	fi
	report "$1" "$why"
}
expect "kdh run that breaks under the harness: exit 128" 128 '^1\.\.4$' '^kdh: ' \
	run --uri test:///default --accel tcg --kernel "$tmp/kernel" --results "$tmp/results" \
	--repeat 2 nmi-all-vcpus nmi-cpu0
ktap_whole "kdh run that breaks: a KTAP line for every planned test" "$tmp/out"
why=''
grep -q '^not ok 1 nmi-all-vcpus\.1 # error: ' "$tmp/out" &&
	grep -q '^ok 4 nmi-cpu0\.2 # SKIP not run: ' "$tmp/out" || why=$(tr '\n' '|' <"$tmp/out")
report "kdh run that breaks: the broken run an error, the rest not run" "$why"
expect "kdh run where a need is unmet: exit 125" 125 '^1\.\.2$' 'offers no KVM' \
	run --uri test:///default --accel kvm --kernel "$tmp/kernel" --results "$tmp/results" \
	nmi-all-vcpus nmi-cpu0
ktap_whole "kdh run where a need is unmet: a KTAP line for every planned test" "$tmp/out"

# ---- kdh merge of nights that are not whole ----
mkdir -p "$tmp/no-id" "$tmp/no-dir"
jq 'del(.cases[0].id)' "$top/tests/data/night-e2e.json" >"$tmp/no-id/night.json"
expect "kdh merge: a case without an id is bad input, named" 2 - \
	"night.json: no member cases\[0\].id (a string)" merge -o "$tmp/merged" "$tmp/no-id"
jq '.cases[1].runs[0].dir = 3' "$top/tests/data/night-e2e.json" >"$tmp/no-dir/night.json"
expect "kdh merge: a run's dir that is not a string is bad input, named" 2 - \
	"night.json: cases\[1\].runs\[0\].dir is not a string" merge -o "$tmp/merged" "$tmp/no-dir"
expect "kdh report: a case without an id is bad input, named" 2 - \
	"no member cases\[0\].id" report "$tmp/no-id/night.json" -o "$tmp/r.html"
mkdir -p "$tmp/whole"
cp "$top/tests/data/night-e2e.json" "$tmp/whole/night.json"
expect "kdh merge -o /proc/...: exit 2 naming it" 2 - \
	"^kdh: --output: cannot write in '/proc/kdh-test'" merge -o /proc/kdh-test "$tmp/whole"

# ---- a reader that went away: an error kdh tells, not a death by SIGPIPE ----
# The pipe's reading end is closed before kdh starts: no race with a reader.
got=$(python3 - "$kdh" <<'EOF'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "list"], stdout=w, stderr=subprocess.DEVNULL)
print(p.returncode)
EOF
)
[ "$got" != -13 ] && report "kdh writing into a closed pipe: not killed by SIGPIPE" "" ||
	report "kdh writing into a closed pipe: not killed by SIGPIPE" "killed by SIGPIPE"

echo "1..$n"
