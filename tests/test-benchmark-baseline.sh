#!/usr/bin/env bash
# What scripts/benchmark-baseline and scripts/baseline-image decide without a
# guest: the archive apt uses (scripts/baseline-lib's kdh_bl_archive, on
# stand-in apt sources), the statistics, which console lines mark a phase (real
# lines of the baseline guest's console), the domain XML (valid for libvirt's
# schema, values escaped), the report from a run's numbers, and the scripts'
# usage errors. TAP on stdout; run by
# scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-benchmark-baseline.XXXXXX") || exit 128
readonly top tmp
trap 'rm -rf -- "$tmp"' EXIT
n=0
# shellcheck source=scripts/baseline-lib
. "$top/scripts/baseline-lib"

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; fi
}
same() { [ "$2" = "$3" ] || printf '%s: got "%s", want "%s"; ' "$1" "$2" "$3"; }

# ---- the archive ----
mkdir -p "$tmp/apt/sources.list.d"
cat >"$tmp/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
Components: main

Types: deb
# http://commented.example/debian
URIs: http://main.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
Components: main
EOF
cat >"$tmp/apt/sources.list.d/off.sources" <<'EOF'
Types: deb
URIs: http://off.example/debian
Suites: trixie
Enabled: no
EOF
export KDH_APT_DIR=$tmp/apt
why=$(same bookworm "$(kdh_bl_archive bookworm)" http://main.example/debian)
why+=$(same updates "$(kdh_bl_archive bookworm-updates)" http://main.example/debian)
why+=$(same security "$(kdh_bl_archive bookworm-security)" http://security.example/debian-security)
kdh_bl_archive trixie >/dev/null && why+="a disabled source was taken; "
kdh_bl_archive sid >/dev/null && why+="an unlisted suite was found; "
report "the archive of a suite, from deb822 sources (deb only, enabled only)" "$why"

rm "$tmp/apt/sources.list.d"/*.sources
printf '%s\n' '# deb http://old.example/debian bookworm main' \
	'deb [signed-by=/usr/share/keyrings/k.gpg arch=amd64] http://opts.example/debian bookworm main' \
	'deb http://plain.example/debian-security bookworm-security main' >"$tmp/apt/sources.list"
why=$(same options "$(kdh_bl_archive bookworm)" http://opts.example/debian)
why+=$(same plain "$(kdh_bl_archive bookworm-security)" http://plain.example/debian-security)
report "the archive of a suite, from one-line sources (with options)" "$why"
unset KDH_APT_DIR

# ---- numbers ----
why=$(same odd "$(printf '%s\n' 3.04 1 2.25 | kdh_bl_stats)" "1.0 2.2 3.0")
why+=$(same even "$(printf '%s\n' 4 1 3 2 | kdh_bl_stats)" "1.0 2.0 4.0")
why+=$(same one "$(echo 7.55 | kdh_bl_stats)" "7.5 7.5 7.5")
why+=$(same none "$(: | kdh_bl_stats)" "- - -")
why+=$(same numeric "$(printf '%s\n' 10.5 9.5 100 | kdh_bl_stats)" "9.5 10.5 100.0")
report "min, median (the lower middle of an even count) and max" "$why"

why=$(same secs "$(kdh_bl_secs 61234567)" 61.234)
why+=$(same small "$(kdh_bl_secs 5000)" 0.005)
now=$(kdh_bl_now)
[[ $now =~ ^[0-9]{16,}$ ]] || why+="kdh_bl_now '$now' is not microseconds; "
report "the host's clock in microseconds, shown as seconds" "$why"

# ---- console lines, as the baseline guest writes them ----
why=""
while IFS='|' read -r want line; do
	kdh_bl_console_phase "$want" "$line" || why+="'$line' is not $want; "
done <<'EOF'
ready|[  238.287911] kdump-tools[248]: loaded kdump kernel.
ready|Starting kdump-tools: loaded kdump kernel
banner|[    0.000000] Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)
saved|[   57.111045] kdump-tools[240]: kdump-tools: saved vmcore in /var/crash/202612031247.
up|Debian GNU/Linux 12 kdh-baseline ttyS0
EOF
while IFS='|' read -r want line; do
	! kdh_bl_console_phase "$want" "$line" || why+="'$line' taken for $want; "
done <<'EOF'
ready|[ ok ] unloaded kdump kernel.
ready|[   66.266827] kdump-tools[296]: kdump-tools: Generating /var/lib/kdump/initrd.img-6.1.0-57-amd64
ready|[  234.490062] kdump-tools[248]: Creating symlink /var/lib/kdump/initrd.img.
banner|[    0.000000] Command line: root=/dev/vda ro console=ttyS0 crashkernel=256M no_timer_check
saved|kdump-tools: saved dmesg content in /var/crash/202612031245
up|kdh-baseline login:
nonsense|Linux version 6.1
EOF
report "console lines that mark a phase, and look-alikes that do not" "$why"

# ---- the domain ----
kdh_bl_domain_xml "kdh-baseline-1-run1" 4 1024 /k/vmlinuz /k/initrd.img \
	"root=/dev/vda ro console=ttyS0 crashkernel=256M" /s/console.log /s/disk.raw restart >"$tmp/a.xml"
kdh_bl_domain_xml "a&b<c>'\"" 1 256 /k/vmlinuz /k/floor.cpio "x=<&>" /s/c.log >"$tmp/b.xml"
why=""
for f in a b; do
	out=$(virt-xml-validate "$tmp/$f.xml" domain 2>&1) || why+="$f.xml: $out; "
done
why+=$(same name "$(xmllint --xpath 'string(/domain/name)' "$tmp/b.xml" 2>/dev/null)" "a&b<c>'\"")
why+=$(same cmdline "$(xmllint --xpath 'string(/domain/os/cmdline)' "$tmp/b.xml" 2>/dev/null)" "x=<&>")
why+=$(same disks "$(xmllint --xpath 'count(/domain/devices/disk)' "$tmp/b.xml" 2>/dev/null)" 0)
why+=$(same reboot "$(xmllint --xpath 'string(/domain/on_reboot)' "$tmp/b.xml" 2>/dev/null)" destroy)
why+=$(same disk "$(xmllint --xpath 'string(/domain/devices/disk/source/@file)' "$tmp/a.xml" 2>/dev/null)" /s/disk.raw)
why+=$(same restart "$(xmllint --xpath 'string(/domain/on_reboot)' "$tmp/a.xml" 2>/dev/null)" restart)
why+=$(same vcpus "$(xmllint --xpath 'string(/domain/vcpu)' "$tmp/a.xml" 2>/dev/null)" 4)
why+=$(same type "$(xmllint --xpath 'string(/domain/@type)' "$tmp/a.xml" 2>/dev/null)" qemu)
report "the domain XML: valid for libvirt, TCG, values escaped, disk and reboot optional" "$why"

# ---- usage ----
why=""
for args in 0 abc -1 "1 2"; do
	# shellcheck disable=SC2086 # the words are the arguments
	"$top/scripts/benchmark-baseline" $args >/dev/null 2>"$tmp/err"
	rc=$?
	[ "$rc" = 2 ] || why+="'$args': exit $rc ($(head -1 "$tmp/err")); "
done
"$top/scripts/baseline-image" --bogus >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || why+="baseline-image --bogus: exit $rc; "
"$top/scripts/benchmark-baseline" --help | grep -q 'usage: scripts/benchmark-baseline \[RUNS\]' ||
	why+="--help has no usage line; "
report "usage errors exit 2 before anything starts; --help" "$why"

# ---- the report, from a run's numbers ----
mkdir -p "$tmp/report"
printf '%s\n' "baseline.nmi_dump 70 60 65 " "kdh.nmi_dump 15 14 14.7 " \
	"baseline.ready 63.4 " "kdh.ready 15.3 " "kdh.stage_boot 12.4 12 13 " \
	"floor_first.guest 11.2 10 12 " "floor_first.total 12.2 " >"$tmp/report/values.txt"
"$top/scripts/benchmark-baseline" --report "$tmp/report" >"$tmp/report/out" 2>&1
rc=$?
why=""
[ "$rc" = 0 ] || why+="exit $rc: $(head -3 "$tmp/report/out"); "
grep -qE '^NMI to vmcore +65\.0 +60\.0 +70\.0 +14\.7 +14\.0 +15\.0 *$' "$tmp/report/out" ||
	why+="no NMI to vmcore row of median min max: $(grep '^NMI to vmcore' "$tmp/report/out"); "
grep -q 'boot to capture kernel loaded 4\.1x, NMI to vmcore 4\.4x' "$tmp/report/out" ||
	why+="ratios: $(grep '^baseline / kdh' "$tmp/report/out"); "
grep -q 'boot +1\.2 s (1\.1x of floor-first)' "$tmp/report/out" ||
	why+="floor: $(grep '^kdh over' "$tmp/report/out"); "
grep -qE '^whole command +$' "$tmp/report/out" || why+="a phase with no numbers is not blank; "
"$top/scripts/benchmark-baseline" --report "$tmp/nowhere" >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || why+="--report of a directory without values.txt: exit $rc; "
report "--report: median min max per phase, ratios of the medians, blanks" "$why"

echo "1..$n"
