#!/usr/bin/env bash
# scripts/run-hyperv-tests as it is, with kdh replaced by tests/stand-in/kdh-lab:
# which outcomes pass, fail, are tried again or skipped, and that its budget
# stops a run that hangs (CI once ran out of its 90 minutes on a wedged lab).
# Boots nothing, needs no libvirt, takes seconds. TAP on stdout; run by
# scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-hyperv-tests.XXXXXX") || exit 128
readonly top tmp
trap 'rm -rf -- "$tmp"' EXIT
export KDH_BIN=$top/tests/stand-in/kdh-lab
n=0 failed=0

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; failed=$((failed + 1)); fi
}

# suite NAME NMI SYSRQ BROKEN [VAR=VALUE...]: run-hyperv-tests with each
# scenario's attempts planned as the stand-in reads them ("a|b": two attempts);
# its output in $out, exit in $rc, what it asked of kdh in $calls, its time in $took.
out='' rc=0 calls='' took=0
suite() {
	local plan=$tmp/$1 start=$SECONDS
	mkdir -p "$plan"
	tr '|' '\n' <<<"$2" >"$plan/hyperv-nmi-all-vcpus"
	tr '|' '\n' <<<"$3" >"$plan/hyperv-sysrq-cpu1"
	tr '|' '\n' <<<"$4" >"$plan/broken-hyperv-no-vmbus-in-capture"
	touch "$plan/calls"
	shift 4
	out=$(env KDH_STANDIN_PLAN="$plan" KDH_HYPERV_RESULTS="$plan/results" "$@" \
		"$top/scripts/run-hyperv-tests" 2>&1)
	rc=$?
	took=$((SECONDS - start))
	calls=$(cat "$plan/calls")
	[ ! -e "$plan/lab" ] || rc=lab-left-up
}

# has PATTERN: why not, when no line of $out matches the extended regex.
has() { grep -Eq -- "$1" <<<"$out" || echo "no line '$1' in: $(tr '\n' '|' <<<"$out")"; }

good='0 ok 0' sysrq='0 ok 1' red='1 vmbus-not-reconnected 0'

suite all-pass "$good" "$sysrq" "$red"
why=$(has '^hyperv: 3 passed, 0 failed$')
[ "$rc" = 0 ] || why="$why exit $rc"
report "the three expected outcomes pass and the lab goes down" "$why"

suite broken-passes "$good" "$sysrq" "$good|$red"
why=$(has "^not ok 3 - broken-no-vmbus-in-capture # exit 0, expected 1: kdh: broken-hyperv-no-vmbus-in-capture: stand-in verdict \(ok\), exit 0 $")
[ "$rc" = 1 ] || why="$why exit $rc"
[ "$(grep -c 'broken-hyperv-no-vmbus-in-capture.conf$' <<<"$calls")" = 1 ] || why="$why a final outcome was tried again"
report "a broken variant that passes fails at once" "$why"

suite wrong-cpu "$good" "$good" "$red"
why=$(has "^not ok 2 - hyperv-sysrq-cpu1 # panic on CPU 0, expected 1$")
[ "$rc" = 1 ] || why="$why exit $rc"
report "a sysrq panic on the wrong CPU fails" "$why"

suite retried "125 no-boot 0|128 harness 0|$good" "1 deadline 0|$sysrq" "$red"
why=$(has '^hyperv: 3 passed, 0 failed$')
[ "$(grep -c ' hyperv-nmi-all-vcpus$' <<<"$calls")" = 3 ] || why="$why not 3 attempts of the first"
[ "$rc" = 0 ] || why="$why exit $rc"
report "runs the emulation cut short are tried again" "$why"

short="125 no-boot 0|1 deadline 0|128 harness 0|125 no-boot 0|128 harness 0"
suite cut-short "$short|$good" "$sysrq" "$red"
why=$(has '^ok 1 - hyperv-nmi-all-vcpus # SKIP the emulation cut every attempt short$')
why="$why$(has '^hyperv: 2 passed, 0 failed$')"
[ "$(grep -c ' hyperv-nmi-all-vcpus$' <<<"$calls")" = 5 ] || why="$why not 5 attempts"
[ "$rc" = 0 ] || why="$why exit $rc"
report "a test cut short 5 times is skipped, not passed" "$why"

suite fewer-attempts "125 no-boot 0|$good" "$sysrq" "$red" KDH_HYPERV_ATTEMPTS=1
why=$(has '^ok 1 - hyperv-nmi-all-vcpus # SKIP the emulation cut every attempt short$')
[ "$(grep -c ' hyperv-nmi-all-vcpus$' <<<"$calls")" = 1 ] || why="$why not 1 attempt"
report "KDH_HYPERV_ATTEMPTS=1 tries once" "$why"

suite hang hang "$sysrq" "$red" KDH_HYPERV_BUDGET=3
why=$(has '^ok 1 - hyperv-nmi-all-vcpus # SKIP the hyperv tests. 3 s were spent')
why="$why$(has '^ok 3 - broken-no-vmbus-in-capture # SKIP the hyperv tests. 3 s were spent')"
why="$why$(has '^hyperv: 0 passed, 0 failed$')"
((took < 20)) || why="$why took $took s"
[ "$rc" = 0 ] || why="$why exit $rc"
report "the budget stops a run that hangs, and the lab goes down" "$why"

# Ctrl-C (SIGINT to the process group, as a terminal sends it) during a run
# that hangs (until a 30 s budget): the tests end at once, exit 130, and the
# lab goes down. env --default-signal: a background job starts with SIGINT
# ignored, a terminal's foreground job does not.
plan=$tmp/ctrl-c
mkdir -p "$plan" && touch "$plan/calls" && echo hang >"$plan/hyperv-nmi-all-vcpus"
KDH_STANDIN_PLAN=$plan KDH_HYPERV_RESULTS=$plan/results KDH_HYPERV_BUDGET=30 \
	setsid env --default-signal=INT \
	"$top/scripts/run-hyperv-tests" >"$plan/out" 2>&1 &
pid=$!
why=""
for _ in $(seq 100); do grep -q '^run ' "$plan/calls" && break; sleep 0.1; done
start=$SECONDS
kill -INT -- "-$pid"
wait "$pid"
rc=$?
[ "$rc" = 130 ] || why="exit $rc, expected 130"
((SECONDS - start < 10)) || why="$why took $((SECONDS - start)) s"
[ "$(grep -c '^run ' "$plan/calls")" = 1 ] || why="$why it went on to the next test"
[ ! -e "$plan/lab" ] || why="$why the lab stayed up"
! pgrep -f "$plan/results" >/dev/null || why="$why the run is still there"
report "Ctrl-C ends the tests at once and the lab goes down" "$why"

suite bad-budget "$good" "$sysrq" "$red" KDH_HYPERV_BUDGET=soon
why=$(has "KDH_HYPERV_BUDGET: 'soon' is not a whole number")
[ "$rc" = 2 ] || why="$why exit $rc"
[ -z "$calls" ] || why="$why it asked kdh: $calls"
report "a bad budget is exit 2 before any lab" "$why"

echo "1..$n"
[ "$failed" = 0 ]
