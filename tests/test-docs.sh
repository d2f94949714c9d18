#!/usr/bin/env bash
# What the documents say of the tree holds: docs/DESIGN.md names every module,
# the files the headers and the Makefile cite exist, and what the Makefile says
# `make check` runs, it runs. TAP on stdout; run by scripts/run-unit-tests.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 128
n=0

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; fi
}

missing=''
for f in harness/*.c harness/*/*.c guest/*.c; do
	grep -qF "\`$f\`" docs/DESIGN.md || missing+=" $f"
done
report "docs/DESIGN.md names every module's file by its path" "${missing:+not named:$missing}"

gone=''
for f in $(grep -ohE '(harness|guest|scripts|tests)/([a-z]+/)?[a-z0-9_.-]+\.(c|h|sh)' \
	include/*.h harness/*.c harness/*/*.c | sort -u); do
	[ -e "$f" ] || gone+=" $f"
done
report "the files the sources cite exist" "${gone:+no such file:$gone}"

# a target the Makefile says `make check` does not run must not be in
# scripts/run-all-tests, and the other way round
why=''
for target in check-e2e check-hyperv check-report check-bisect check-seed check-bisect-hyperv; do
	script=$(sed -n "/^$target:/,/^\$/s|.*@scripts/\([a-z-]*\).*|\1|p" Makefile | head -n 1)
	[ -n "$script" ] || continue
	said_not=$(sed -n "/^$target:/q;p" Makefile | tail -n 4 | grep -ciE 'not (part of|in) (`make )?check')
	runs=$(grep -c "\"\$here/$script\"" scripts/run-all-tests)
	if [ "$said_not" -gt 0 ] && [ "$runs" -gt 0 ]; then
		why+=" $target: said not in check, but scripts/run-all-tests runs scripts/$script;"
	fi
done
report "the Makefile's comments say what make check runs" "$why"

echo "1..$n"
