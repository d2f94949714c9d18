#!/usr/bin/env bash
# scripts/check-seed's pattern check on canned runs (--judge: run.json and
# summary.json as kdh writes them, with chosen verdicts, reasons and panic
# CPUs), cases that must pass, fail and be inconclusive; then the whole script
# with stand-ins for build-kernel and kdh: the kernels it asks for, the runs it
# tops up, its exit codes. Boots nothing, takes seconds. TAP on stdout; run by
# scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
readonly top
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-check-seed.XXXXXX") || exit 128
readonly tmp
trap 'rm -rf -- "$tmp"' EXIT
export TMPDIR=$tmp
readonly check=$top/scripts/check-seed
# The real writer's summary of a passing run: each canned run is it with its
# result, reason and panic CPUs changed.
readonly sample=$top/tests/data/summary-nmi-all-vcpus-pass.json
n=0 failed=0

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; failed=$((failed + 1)); fi
}

# canned DIR SPEC...: one kdh run of hyperv-nmi-all-vcpus with a run per SPEC,
# "VERDICT:REASON:CPU[:CONNECT]" (CPU and CONNECT, the panic CPU and the VMBus
# connect CPU, default 0; "-" for null; VERDICT not-run has neither evidence
# nor reason), as DIR/<run id>/run.json and its runs' summary.json.
runs_made=0
canned() {
	local dir=$1 spec verdict reason cpu connect r=0 id name code entries=()
	shift
	runs_made=$((runs_made + 1))
	id=20261204-0215$(printf '%02d' "$runs_made")-4242
	mkdir -p -- "$dir/$id"
	for spec in "$@"; do
		r=$((r + 1))
		IFS=: read -r verdict reason cpu connect <<<"$spec"
		[ "${cpu:--}" != - ] || cpu=null
		connect=${connect:-0}
		[ "$connect" != - ] || connect=null
		name=hyperv-nmi-all-vcpus.$r
		case $verdict in pass) code=0 ;; fail) code=1 ;; skip) code=125 ;; error) code=128 ;; *) code=null ;; esac
		if [ "$verdict" != not-run ]; then
			mkdir -p -- "$dir/$id/$name"
			jq --arg result "$verdict" --arg reason "$reason" --argjson cpu "$cpu" --argjson connect "$connect" \
				'.scenario = "hyperv-nmi-all-vcpus" | .result = $result | .reason = $reason |
				 .panic = (if $cpu == null then null
				           else .panic + {cpu: $cpu, vmbus_connect_cpu: $connect} end)' \
				"$sample" >"$dir/$id/$name/summary.json"
		fi
		entries+=("$(jq -n -c --arg name "$name" --argjson r "$r" --arg verdict "$verdict" \
			--arg reason "$reason" --argjson code "$code" '
			{name: $name, scenario: "hyperv-nmi-all-vcpus", repeat: $r, platform: "hyperv",
			 host: (if $verdict == "not-run" then null else "qemu+ssh://root@127.0.0.1:10022/system" end),
			 dir: (if $verdict == "not-run" then null else $name end), verdict: $verdict,
			 reason: (if $verdict == "not-run" then null else $reason end),
			 detail: "canned", exit: $code}')")
	done
	printf '%s\n' "${entries[@]}" | jq -s --arg id "$id" '
		{format: "kdh-run/1", run: $id, started: "2026-12-04T02:15:00Z",
		 finished: "2026-12-04T02:45:00Z", exit: 0,
		 kernel: {release: "6.1.192", image: "/cache/builds/x/arch/x86/boot/bzImage", vmlinux: null},
		 host: {uri: "qemu:///system", accel: "tcg", lab: "qemu+ssh://root@127.0.0.1:10022/system"},
		 scenarios: .}' >"$dir/$id/run.json"
}

# judge NAME EXIT BROKEN FIXED [PATTERN...]: check-seed --judge on canned runs
# of each kernel (a "|"-separated list of kdh runs, each a space-separated list
# of SPECs) exits EXIT, and its output has a line matching each PATTERN (an
# extended regex; "!PATTERN": no line matches it).
out=''
judge() {
	local name=$1 want=$2 broken=$3 fixed=$4 got=0 why='' k runs run p args=()
	shift 4
	for k in broken fixed; do
		args+=("--$k" "$tmp/$name/$k")
		[ "$k" = broken ] && runs=$broken || runs=$fixed
		IFS='|' read -r -a run <<<"$runs"
		for p in "${run[@]}"; do
			# shellcheck disable=SC2086 # a run's SPECs, one a word
			canned "$tmp/$name/$k" $p
		done
	done
	out=$("$check" --judge "${args[@]}" --report "$tmp/$name/seed.json" 2>&1) || got=$?
	[ "$got" = "$want" ] || why="exit $got, expected $want"
	for p in "$@"; do
		if [[ $p == !* ]]; then
			! grep -Eq -- "${p#!}" <<<"$out" || why="${why:+$why; }a line matches '${p#!}'"
		else
			grep -Eq -- "$p" <<<"$out" || why="${why:+$why; }no line matches '$p'"
		fi
	done
	[ -z "$why" ] || why="$why; output: $(tr '\n' '|' <<<"$out")"
	report "judge: $name" "$why"
}

off=fail:vmbus-unload-incomplete:1 on=pass:ok:0 off_pass=pass:ok:1

# ---- the pattern is there ----
judge the-pattern 0 "$on $off $off $on $off $on" "$on $off_pass $off_pass $on $on $off_pass" \
	'^check-seed: kernel without both fixes \(the NMI, unload and connect-CPU patches\): 6 runs, 6 judged, 0 cut short$' \
	'^check-seed:   0 \(connect CPU\) +3  pass \(ok\)$' \
	'^check-seed:   1 +3  fail \(vmbus-unload-incomplete\)$' \
	'^check-seed:   pass: every judged panic off the connect CPU failed with vmbus-unload-incomplete, every one on it passed \(3 off it\)$' \
	'^check-seed:   1 +3  pass \(ok\)$' \
	'^check-seed:   pass: every judged run passed, 3 of them off the connect CPU$' \
	'^check-seed: 2 passed, 0 failed$'
report "judge: the-pattern's seed.json" "$(jq -r '
	if .outcome == "pass" and ([.kernels[].outcome] == ["pass", "pass"]) and
	   .kernels[0].tally == [{cpu: 0, connect: true, verdict: "pass", reason: "ok", runs: 3},
	                         {cpu: 1, connect: false, verdict: "fail", reason: "vmbus-unload-incomplete", runs: 3}]
	then empty else "outcome \(.outcome), tally \(.kernels[0].tally)" end' "$tmp/the-pattern/seed.json" 2>&1)"
# Off CPU only, on a 4-CPU guest's CPUs 2 and 3: the connect CPU is what counts.
judge off-cpu-only 0 "fail:vmbus-unload-incomplete:3 fail:vmbus-unload-incomplete:2" "pass:ok:2 pass:ok:3" \
	'^check-seed:   2 +1  fail \(vmbus-unload-incomplete\)$' '^check-seed: 2 passed, 0 failed$'
# A connect CPU other than 0 (a kernel before 5.8 connects from the CPU it
# booted VMBus on): a panic on CPU 0 is then off it.
judge connect-cpu-1 0 "pass:ok:1:1 fail:vmbus-unload-incomplete:0:1" "pass:ok:0:1" \
	'^check-seed:   1 \(connect CPU\) +1  pass \(ok\)$' '^check-seed: 2 passed, 0 failed$'
# Runs the emulation cut short are counted, not judged; and a kernel's runs
# from several kdh runs (a top-up after one broke) count together.
judge cut-short-not-judged 0 \
	"$on skip:no-boot:- error:harness:- not-run|fail:deadline:-|$off" \
	"skip:no-boot:- $off_pass|error:harness:-" \
	'^check-seed: kernel without both fixes \(the NMI, unload and connect-CPU patches\): 6 runs, 2 judged, 4 cut short \(error \(harness\): 1, fail \(deadline\): 1, not-run: 1, skip \(no-boot\): 1\)$' \
	'^check-seed: kernel with hv_nmi_unknown\(\) restored \(the unload and connect-CPU patches\): 3 runs, 1 judged, 2 cut short' \
	'^check-seed: 2 passed, 0 failed$' '!deadline\)? +1  fail'

# ---- it is not: these must fail ----
judge bug-did-not-show 1 "$on $off_pass $off" "$on $off_pass" \
	'^check-seed:   not as expected: hyperv-nmi-all-vcpus.2: panic on CPU 1 \(connect CPU 0\), pass \(ok\): off the connect CPU, expected fail \(vmbus-unload-incomplete\) \[' \
	'^check-seed:   fail: 1 of 3 judged runs not as expected$' '^check-seed: 1 passed, 1 failed$'
judge fails-on-the-connect-cpu 1 "fail:vmbus-unload-incomplete:0 $off" "$off_pass" \
	'on the connect CPU, expected a pass' '^check-seed: 1 passed, 1 failed$'
judge off-cpu-fails-otherwise 1 "$on fail:no-kexec:1" "$off_pass" \
	'panic on CPU 1 \(connect CPU 0\), fail \(no-kexec\): off the connect CPU, expected fail \(vmbus-unload-incomplete\)'
judge fixed-kernel-fails 1 "$on $off" "$on fail:vmbus-unload-incomplete:1 $off_pass" \
	'^check-seed:   not as expected: hyperv-nmi-all-vcpus.2: .*: expected a pass' '^check-seed: 1 passed, 1 failed$'
judge fixed-kernel-fails-on-cpu-0 1 "$on $off" "fail:kernel-complained:0 $off_pass" '^check-seed: 1 passed, 1 failed$'
judge both-fail 1 "$off_pass" "$off" '^check-seed: 0 passed, 2 failed$'
# A run whose panic cannot be placed is not evidence of the pattern.
judge panic-cpu-unknown 1 "$on $off fail:vmbus-unload-incomplete:-" "$off_pass" \
	'its panic CPU or the VMBus connect CPU is unknown'
judge connect-cpu-unknown 1 "$on $off" "$off_pass pass:ok:1:-" \
	'its panic CPU or the VMBus connect CPU is unknown'
# A contradiction outweighs an inconclusive kernel.
judge fail-beats-inconclusive 1 "$on $on" "$off" '^check-seed: 0 passed, 1 failed$'

# ---- inconclusive: no panic off the connect CPU to judge ----
judge broken-never-off-cpu 125 "$on $on $on" "$on $off_pass" \
	'^check-seed:   inconclusive: no judged run panicked off the connect CPU: the pattern cannot show$' \
	'^# check-seed: 1 inconclusive' '^check-seed: 1 passed, 0 failed$'
judge fixed-never-off-cpu 125 "$on $off" "$on $on" '^check-seed: 1 passed, 0 failed$'
judge all-cut-short 125 "skip:no-boot:- error:harness:-" "$off_pass" \
	'^check-seed: kernel without both fixes \(the NMI, unload and connect-CPU patches\): 2 runs, 0 judged, 2 cut short'
judge deadline-is-cut-short 125 "$on fail:deadline:1" "$off_pass"

# ---- bad input ----
mkdir -p "$tmp/bad/empty" "$tmp/bad/ok"
canned "$tmp/bad/ok" "$on" "$off"
printf '{"format": "something-else"}\n' >"$tmp/bad/other.json"
for c in "no-run-json:--broken $tmp/bad/empty --fixed $tmp/bad/ok" \
	"not-kdh-run-json:--broken $tmp/bad/other.json --fixed $tmp/bad/ok" \
	"no-fixed-runs:--broken $tmp/bad/ok" "unknown-option:--broken $tmp/bad/ok --fixed $tmp/bad/ok --frobnicate"; do
	got=0
	# shellcheck disable=SC2086 # the case's arguments, one a word
	"$check" --judge ${c#*:} >/dev/null 2>&1 || got=$?
	report "judge: bad input: ${c%%:*}" "$([ "$got" = 2 ] || echo "exit $got, expected 2")"
done

# ---- the whole script, with stand-ins ----

# A build-kernel that notes what it was asked for and "builds" a kernel whose
# kdh runs answer as $tmp/flow/<broken|fixed>-runs says (tests/stand-in/kdh's
# kdh-runs): broken with the NMI, unload and connect-CPU patches, fixed without the NMI one.
cat >"$tmp/build-kernel" <<'EOF'
#!/usr/bin/env bash
set -eu
printf '%s\n' "$*" >>"$FLOW/build-calls"
code=$(cat "$FLOW/build-exit" 2>/dev/null || echo 0)
[ "$code" = 0 ] || exit "$code"
case "$*" in
*hyperv-nmi-unknown-not-registered.patch*vmbus-unload-own-page-only.patch*vmbus-connect-cpu-1.patch*) k=broken ;;
*vmbus-unload-own-page-only.patch*vmbus-connect-cpu-1.patch*) k=fixed ;;
*) echo "build-kernel stand-in: unexpected patches: $*" >&2; exit 2 ;;
esac
dir=$(mktemp -d "$FLOW/build-$k.XXXXXX")
cp "$FLOW/$k-runs" "$dir/kdh-runs"
echo "$dir"
EOF
chmod +x "$tmp/build-kernel"

# flow NAME EXIT BROKEN_RUNS FIXED_RUNS [VAR=VALUE...]: check-seed with the
# stand-ins, each kernel's successive runs "EXIT CPU [REASON]|..." exits EXIT
# (else why says so); its output in $out, its seed.json in $seed.
seed=''
flow() {
	local name=$1 want=$2 got=0 flow=$tmp/flow-$1
	mkdir -p "$flow"
	tr '|' '\n' <<<"$3" >"$flow/broken-runs"
	tr '|' '\n' <<<"$4" >"$flow/fixed-runs"
	shift 4
	out=$(env FLOW="$flow" KDH_BIN="$top/tests/stand-in/kdh" KDH_BUILD_KERNEL="$tmp/build-kernel" "$@" \
		"$check" --results "$flow/results" 2>&1) || got=$?
	seed=$(find "$flow/results" -name seed.json 2>/dev/null | head -n 1)
	why=
	[ "$got" = "$want" ] || why="exit $got, expected $want; output: $(tr '\n' '|' <<<"$out")"
}

flow builds-runs-judges 0 "0 0|1 1 vmbus-unload-incomplete" "0 1|0 0" KDH_SEED_RUNS=6
want_builds="--patch $top/guest-kernel-config/patches/hyperv-nmi-unknown-not-registered.patch --patch $top/guest-kernel-config/patches/vmbus-unload-own-page-only.patch --patch $top/guest-kernel-config/patches/vmbus-connect-cpu-1.patch
--patch $top/guest-kernel-config/patches/vmbus-unload-own-page-only.patch --patch $top/guest-kernel-config/patches/vmbus-connect-cpu-1.patch"
builds=$(cat "$tmp/flow-builds-runs-judges/build-calls" 2>/dev/null)
[ "$builds" = "$want_builds" ] || why="${why:+$why; }build-kernel was asked for: $(tr '\n' '|' <<<"$builds")"
[ "$(jq -r '[.outcome, (.kernels[] | .judged)] | join(" ")' "$seed" 2>&1)" = "pass 6 6" ] ||
	why="${why:+$why; }seed.json: $(jq -c '[.outcome, (.kernels[] | .judged)]' "$seed" 2>&1)"
report "flow: builds both kernels, runs each 6 times, finds the pattern" "$why"

# The harness broke in the third run: kdh runs again for the rest.
flow tops-up 0 "0 0|0 0|128 -|1 1 vmbus-unload-incomplete" "0 1" KDH_SEED_RUNS=6
[ "$(jq -r '[.kernels[0] | .planned, .judged, (.cut_short | map(.runs) | add)] | join(" ")' "$seed" 2>&1)" = "10 6 4" ] ||
	why="${why:+$why; }broken kernel's runs: $(jq -c '.kernels[0] | [.planned, .judged, .cut_short]' "$seed" 2>&1)"
repeats=$(grep -o 'kdh run --repeat [0-9]*' <<<"$out" | grep -o '[0-9]*$' | paste -s -d ' ')
[ "$repeats" = "6 4 6" ] || why="${why:+$why; }kdh run --repeat $repeats, expected 6 4 6"
report "flow: a kdh run that broke is topped up to the runs asked for" "$why"

flow pattern-missing 1 "0 1" "0 1" KDH_SEED_RUNS=2
report "flow: the bug does not show: exit 1" "$why"
flow never-off-cpu 125 "0 0" "0 1" KDH_SEED_RUNS=2
report "flow: every broken run on CPU 0: inconclusive" "$why"
flow always-broke 128 "128 -" "0 1" KDH_SEED_RUNS=2 KDH_SEED_ATTEMPTS=2
report "flow: kdh broke every time, nothing judged: exit 128" "$why"
mkdir -p "$tmp/flow-does-not-build" && echo 125 >"$tmp/flow-does-not-build/build-exit"
flow does-not-build 1 "0 0" "0 1"
grep -q 'does not build, or a patch no longer applies' <<<"$out" || why="${why:+$why; }no word of the build"
report "flow: a kernel that does not build with the patches: exit 1" "$why"
mkdir -p "$tmp/flow-machine-failed" && echo 128 >"$tmp/flow-machine-failed/build-exit"
flow machine-failed 128 "0 0" "0 1"
report "flow: build-kernel's machine failure: exit 128" "$why"
flow bad-runs 2 "0 0" "0 1" KDH_SEED_RUNS=many
report "flow: KDH_SEED_RUNS not a number: exit 2" "$why"

echo "1..$n"
[ "$failed" = 0 ]
