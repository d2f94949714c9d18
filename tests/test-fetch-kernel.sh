#!/usr/bin/env bash
# scripts/fetch-kernel as it is, with apt replaced by tests/stand-in/apt (real
# dpkg-deb and depmod): a meta-package followed to its kernel, a kernel whose
# modules come in a package of their own, --debs, and the exit codes. TAP on
# stdout; run by scripts/run-unit-tests (make check-unit).
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-fetch-kernel.XXXXXX") || exit 128
readonly top tmp
trap 'rm -rf -- "$tmp"' EXIT
n=0 failed=0

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; failed=$((failed + 1)); fi
}

# The archive: a Debian meta-package and its kernel; an Ubuntu-style kernel
# whose modules are a package of their own. The modules are a real one.
export KDH_STANDIN_APT=$tmp/archive KDH_STANDIN_APT_TREES=$tmp/trees KDH_CACHE=$tmp/cache
cat >"$KDH_STANDIN_APT" <<'LIST'
linux-image-9.9-amd64 9.9.1 linux-image-9.9.1+deb12-amd64
linux-image-9.9.1+deb12-amd64 9.9.1-1 kmod
linux-image-8.8.0-1-generic 8.8.0-1.1 linux-modules-8.8.0-1-generic
linux-modules-8.8.0-1-generic 8.8.0-1.1
linux-headers-9.9 1
LIST
module=$top/tests/data/module-nhc_ipv6.ko.xz
put() { mkdir -p "$(dirname "$1")" && cp "$2" "$1"; }
put "$KDH_STANDIN_APT_TREES/linux-image-9.9.1+deb12-amd64/boot/vmlinuz-9.9.1+deb12-amd64" "$top/tests/data/kernel-bzimage-head.bin"
put "$KDH_STANDIN_APT_TREES/linux-image-9.9.1+deb12-amd64/lib/modules/9.9.1+deb12-amd64/kernel/nhc_ipv6.ko.xz" "$module"
put "$KDH_STANDIN_APT_TREES/linux-image-8.8.0-1-generic/boot/vmlinuz-8.8.0-1-generic" "$top/tests/data/kernel-bzimage-head.bin"
put "$KDH_STANDIN_APT_TREES/linux-modules-8.8.0-1-generic/lib/modules/8.8.0-1-generic/kernel/nhc_ipv6.ko.xz" "$module"
export PATH=$top/tests/stand-in/apt:$PATH

fetch() { out=$("$top/scripts/fetch-kernel" "$@" 2>"$tmp/err"); rc=$?; }

fetch linux-image-9.9-amd64
why=""
[ "$rc" = 0 ] || why="exit $rc: $(cat "$tmp/err")"
[ "$(tail -1 <<<"$out")" = "$KDH_CACHE/kernels/linux-image-9.9.1+deb12-amd64_9.9.1-1" ] || why="$why dir '$out'"
grep -qx 'kernel/nhc_ipv6.ko.xz:' "$KDH_CACHE/kernels/linux-image-9.9.1+deb12-amd64_9.9.1-1/lib/modules/9.9.1+deb12-amd64/modules.dep" 2>/dev/null ||
	why="$why no modules.dep from depmod"
report "a meta-package is followed to its kernel, depmod runs" "$why"

: >"$KDH_STANDIN_APT.log"
fetch linux-image-9.9-amd64
why=""
[ "$rc" = 0 ] || why="exit $rc"
[ ! -s "$KDH_STANDIN_APT.log" ] || why="$why downloaded again: $(cat "$KDH_STANDIN_APT.log")"
report "a fetched kernel is a cache hit" "$why"

# a kernel unpacked before its package files were kept: not fetched again
rm -rf "$KDH_CACHE/debs"
: >"$KDH_STANDIN_APT.log"
fetch linux-image-9.9-amd64
why=""
[ "$rc" = 0 ] || why="exit $rc"
[ ! -s "$KDH_STANDIN_APT.log" ] || why="$why downloaded again: $(cat "$KDH_STANDIN_APT.log")"
report "an unpacked kernel is not downloaded again for its package files" "$why"

fetch linux-image-8.8.0-1-generic
dir=$(tail -1 <<<"$out")
why=""
[ "$rc" = 0 ] || why="exit $rc: $(cat "$tmp/err")"
[ -f "$dir/boot/vmlinuz-8.8.0-1-generic" ] || why="$why no image"
[ -f "$dir/lib/modules/8.8.0-1-generic/modules.dep" ] || why="$why no modules from linux-modules-*"
report "a kernel whose modules are a package of their own gets both" "$why"

fetch --debs linux-image-8.8.0-1-generic
why=""
[ "$rc" = 0 ] || why="exit $rc"
[ "$(wc -l <<<"$out")" = 2 ] || why="$why not two files: $out"
for f in $out; do case $f in *.deb) [ -f "$f" ] || why="$why '$f' missing" ;; *) why="$why '$f'" ;; esac; done
report "--debs prints the package files" "$why"

fetch linux-image-no-such
report "an unknown package exits 2" "$([ "$rc" = 2 ] || echo "exit $rc")"
fetch linux-headers-9.9
report "a package that is not a kernel image exits 2" "$([ "$rc" = 2 ] || echo "exit $rc")"
fetch --bogus
report "an unknown option exits 2" "$([ "$rc" = 2 ] || echo "exit $rc")"

echo "1..$n"
[ "$failed" = 0 ]
