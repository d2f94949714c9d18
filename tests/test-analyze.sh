#!/usr/bin/env bash
# build/kdh analyze on foreign evidence as users hand it over: single files,
# Debian's and Red Hat's crash directories, --vmcore-dmesg alone, garbage; and
# that a results directory of kdh run still takes the agent's path. Exit codes
# and the summary's fields; boots nothing; makedumpfile runs only on a fake
# vmcore (each directory holds a log beside its vmcore). TAP on stdout; run by
# scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
kdh=$top/build/kdh
data=$top/tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-analyze-tests.XXXXXX") || exit 128
readonly top kdh data tmp
trap 'rm -rf -- "$tmp"' EXIT
n=0

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; fi
}

# expect NAME CODE JQ-FILTER EXPECTED -- ARGS...: kdh analyze ARGS exits CODE
# and, unless FILTER is "-", jq FILTER of its stdout prints EXPECTED. Its
# stderr stays in $tmp/err.
expect() {
	local name=$1 code=$2 filter=$3 want=$4 rc=0 got=''
	shift 5
	"$kdh" analyze "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" != "$code" ]; then
		report "$name" "exit $rc, not $code: $(tail -1 "$tmp/err")"
		return
	fi
	if [ "$filter" != - ]; then
		got=$(jq -r "$filter" "$tmp/out" 2>&1)
		[ "$got" = "$want" ] || { report "$name" "$filter: '$got', not '$want'"; return; }
	fi
	report "$name" ""
}

# garbage is bad input, never a crash
: >"$tmp/empty.log"
head -c 4096 "$kdh" | tail -c 2048 >"$tmp/binary.bin"
printf 'hello\nworld\n' >"$tmp/prose.txt"
mkdir -p "$tmp/nothing"
expect empty-file 2 - '' -- "$tmp/empty.log"
expect binary-file 2 - '' -- "$tmp/binary.bin"
expect no-kernel-lines 2 - '' -- "$tmp/prose.txt"
expect missing-file 2 - '' -- "$tmp/no-such-file"
expect empty-directory 2 - '' -- "$tmp/nothing"

# a vmcore makedumpfile cannot read (an ELF header and nothing else): bad input
printf '\177ELF\002\001\001\000' >"$tmp/vmcore"
expect unreadable-vmcore 2 - '' -- "$tmp/vmcore"
expect unreadable-vmcore-option 2 - '' -- --vmcore "$tmp/vmcore"
grep -q 'makedumpfile could not read the log out of it' "$tmp/err" ||
	report unreadable-vmcore-says-why "stderr: $(tail -1 "$tmp/err")"

# single files
expect console-capture-dump-failed 1 .reason dump-failed -- "$data/foreign-fcos-ppc64le-makedumpfile-failed.log"
expect console-no-kdump 125 .foreign.capture_outcome halted -- "$data/foreign-speakup-fatal-exception.log"
expect console-known-bug 125 '.foreign.known_bugs[0].fix.commit' \
	1eb65c8687316c65140b48fad27133d583178e15 -- "$data/foreign-fcos-azure-relid2channel-5.19.log"
expect two-files 125 '.foreign.sources | length' 2 -- \
	"$data/foreign-mshv-unknown-nmi.log" "$data/foreign-syslog-wall-unknown-nmi.log"

# --vmcore-dmesg alone (it was refused)
expect vmcore-dmesg-alone 0 '.panic.cpu' 1 -- --vmcore-dmesg "$data/vmcore-dmesg-hyperv-nmi-panic-cpu1.txt"

# Debian kdump-tools: /var/crash/<stamp>/dmesg.<stamp> and dump.<stamp>
deb=$tmp/var-crash-debian/202612030800
mkdir -p "$deb"
cp "$data/vmcore-dmesg-probe-nmi-all-vcpus.txt" "$deb/dmesg.202612030800"
printf 'not a vmcore\n' >"$deb/dump.202612030800"
expect debian-crash-dir 0 '.foreign.sources[0]' "$deb/dmesg.202612030800 (vmcore-dmesg)" -- "$deb"
# /var/crash with an older crash beside it: the newest is read, alone
old=$tmp/var-crash-debian/202612010000
mkdir -p "$old"
cp "$data/foreign-speakup-fatal-exception.log" "$old/dmesg.202612010000"
expect debian-var-crash 0 '.panic.string' 'NMI: Not continuing' -- "$tmp/var-crash-debian"
expect debian-var-crash-one-crash 0 '.foreign.sources | length' 1 -- "$tmp/var-crash-debian"

# Red Hat kdumpctl: /var/crash/<host>-<date>/vmcore-dmesg.txt, vmcore, kexec-dmesg.log
rh=$tmp/127.0.0.1-2026-12-03-08:00:00
mkdir -p "$rh"
cp "$data/vmcore-dmesg-probe-nmi-cpu0.txt" "$rh/vmcore-dmesg.txt"
printf 'not a vmcore\n' >"$rh/vmcore"
cp "$data/foreign-rhel-kdump-saved-then-hung-reboot.log" "$rh/kexec-dmesg.log"
expect redhat-crash-dir 0 '.capture.dump' saved -- "$rh"

# kdh's own results directory: the agent's path, as before (no "foreign")
res=$tmp/results/20261203-080000-1/nmi-all-vcpus
mkdir -p "$res"
cp "$data/console-probe-nmi-all-vcpus.log" "$res/console-first.log"
: >"$res/console-capture.log"
cp "$data/vmcore-dmesg-probe-nmi-all-vcpus.txt" "$res/vmcore-dmesg.txt"
expect results-dir 0 '.foreign // "agent path"' 'agent path' -- "$res"
expect results-dir-scenario 0 .scenario nmi-all-vcpus -- "$res"

# a hyperv run's directory is judged under its own scenario (its summary.json
# says which), not nmi-all-vcpus, whose 4 vCPUs its 2 would be a false
# cpus-mismatch; --scenario still decides when given
hv=$tmp/results/20261203-190753-11859/hyperv-nmi-all-vcpus.1
mkdir -p "$hv"
cp "$data/console-hyperv-agent-line-cut.log" "$hv/console-first.log"
: >"$hv/console-capture.log"
cp "$data/vmcore-dmesg-hyperv-seed-fixed.txt" "$hv/vmcore-dmesg.txt"
printf '{"scenario": "hyperv-nmi-all-vcpus", "result": "fail", "reason": "nmi-not-delivered"}\n' >"$hv/summary.json"
expect results-dir-own-scenario 0 .reason ok -- "$hv"
expect results-dir-scenario-option 1 .reason cpus-mismatch -- --scenario nmi-all-vcpus "$hv"
printf '{"scenario": "no-such-scenario"}\n' >"$hv/summary.json"
expect results-dir-unknown-scenario 1 .scenario nmi-all-vcpus -- "$hv"

echo "1..$n"
