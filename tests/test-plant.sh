#!/usr/bin/env bash
# scripts/plant-regression's two recipes on a Linux 6.1 source in miniature
# (tests/stand-in/linux-6.1: the lines the recipes anchor on and the patches
# change): the history each makes, the commit it plants, that the source stays
# as it was, that a tree is reused and ids do not change; then
# scripts/check-bisect-hyperv on that tree with stand-ins for build-kernel and
# kdh, which must name the planted commit, and must not when the kernels do not
# depend on it. The lab's part, real kernels in nested guests, is make
# check-bisect-hyperv's. TAP on stdout; run by scripts/run-unit-tests.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
readonly top
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kdh-plant.XXXXXX") || exit 128
readonly tmp
trap 'rm -rf -- "$tmp"' EXIT
export TMPDIR=$tmp KDH_CACHE=$tmp/cache
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_CEILING_DIRECTORIES=$tmp
readonly plant=$top/scripts/plant-regression mini=$top/tests/stand-in/linux-6.1
readonly mshyperv=arch/x86/kernel/cpu/mshyperv.c channel_mgmt=drivers/hv/channel_mgmt.c
readonly registers='^	register_nmi_handler\(NMI_UNKNOWN, hv_nmi_unknown, NMI_FLAG_FIRST,$'
readonly own_page='for_each_cpu\(cpu, cpumask_of\(smp_processor_id\(\)\)\)'
n=0 failed=0

report() {
	n=$((n + 1))
	if [ -z "$2" ]; then echo "ok $n - $1"; else echo "not ok $n - $1 # $2"; failed=$((failed + 1)); fi
}

# planted NAME ARG...: plant-regression ARG... on the miniature source into
# $tmp/NAME; its stdout in $out, exit in $rc, and its "name value" lines in
# v[name].
declare -A v
out='' rc=0
planted() {
	local name=$1 k val
	shift
	rc=0
	out=$("$plant" --source "$mini" --tree "$tmp/$name" "$@" 2>"$tmp/$name.log") || rc=$?
	# "none" for whatever a failed plant does not say
	v=([broken]=none [fixed]=none [planted]=none [good]=none [bad]=none)
	while read -r k val; do [ -z "$k" ] || v[$k]=$val; done <<<"$out"
}

# has REV FILE REGEX: FILE at REV has a line matching REGEX.
has() { git -C "$tree" show "$1:$2" 2>/dev/null | grep -Eq -- "$3"; }

sum_before=$(cd "$mini" && find . -type f -exec sha256sum {} + | sort)

# ---- hyperv-nmi-fix ----
planted hyperv --recipe hyperv-nmi-fix
tree=$tmp/hyperv
why=''
[ "$rc" = 0 ] || why="exit $rc: $(tail -n 3 "$tmp/hyperv.log" | tr '\n' '|')"
[ "$(cut -d' ' -f1 <<<"$out" | paste -s -d' ')" = "tree broken fixed planted" ] ||
	why="${why:+$why; }output '$(tr '\n' '|' <<<"$out")'"
report "hyperv-nmi-fix: plants and names tree, broken, fixed and planted" "$why"

why=''
mapfile -t revs < <(git -C "$tree" rev-list --reverse kdh-planted)
if [ "${#revs[@]}" != 8 ]; then
	why="${#revs[@]} commits, expected 8"
	revs=(none none none none none none none none)
fi
[ "${revs[0]}" = "${v[broken]:-}" ] || why="${why:+$why; }broken is not the base"
[ "${revs[7]}" = "${v[fixed]:-}" ] || why="${why:+$why; }fixed is not the tip"
[ "${revs[4]}" = "${v[planted]:-}" ] || why="${why:+$why; }planted is not the fifth commit"
report "hyperv-nmi-fix: base, three commits, the planted one, three more" "$why"

why=''
has "${v[broken]}" "$mshyperv" "$registers" && why="the base registers hv_nmi_unknown()"
has "${v[broken]}" "$mshyperv" '^static int __maybe_unused hv_nmi_unknown' || why="${why:+$why; }the base's hv_nmi_unknown() is not __maybe_unused"
has "${v[broken]}" "$channel_mgmt" "$own_page" || why="${why:+$why; }the base reads every CPU's message page"
has "${v[broken]}" drivers/hv/hyperv_vmbus.h '^#define VMBUS_CONNECT_CPU.*nr_cpu_ids > 1 [?] 1 : 0' ||
	why="${why:+$why; }the base connects to VMBus from CPU 0"
report "hyperv-nmi-fix: the base has both fixes undone, VMBus connecting from CPU 1" "$why"

why=''
has "${v[planted]}~1" "$mshyperv" "$registers" && why="the commit before the planted one registers hv_nmi_unknown()"
has "${v[planted]}" "$mshyperv" "$registers" || why="${why:+$why; }the planted commit does not register hv_nmi_unknown()"
has "${v[fixed]}" "$mshyperv" "$registers" || why="${why:+$why; }the tip does not register hv_nmi_unknown()"
has "${v[fixed]}" "$channel_mgmt" "$own_page" || why="${why:+$why; }the tip lost the unload patch"
has "${v[fixed]}" drivers/hv/connection.c 'VMBus connect CPU %d' || why="${why:+$why; }the tip lost the connect-CPU patch"
[ "$(git -C "$tree" diff --name-only "${v[planted]}~1" "${v[planted]}")" = "$mshyperv" ] ||
	why="${why:+$why; }the planted commit changes more than $mshyperv"
# Exactly the NMI patch reversed: applying it to the planted commit's tree gives its parent's.
(cd "$tree" && git show "${v[planted]}:$mshyperv" >"$tmp/mshyperv.c" &&
	patch -s -o "$tmp/mshyperv-undone.c" "$tmp/mshyperv.c" \
		"$top/guest-kernel-config/patches/hyperv-nmi-unknown-not-registered.patch" &&
	cmp -s "$tmp/mshyperv-undone.c" <(git show "${v[planted]}~1:$mshyperv")) ||
	why="${why:+$why; }the planted change is not the NMI patch reversed"
report "hyperv-nmi-fix: the planted commit registers hv_nmi_unknown() again, and only that" "$why"

why='' comments=0
for rev in "${revs[@]:1}"; do
	[ "$rev" != "${v[planted]}" ] || continue
	comments=$((comments + 1))
	stat=$(git -C "$tree" diff --numstat "$rev~1" "$rev")
	[[ $stat =~ ^1[[:space:]]+0[[:space:]] ]] && [ "$(wc -l <<<"$stat")" = 1 ] ||
		why="${why:+$why; }$(git -C "$tree" log -1 --format=%s "$rev"): $stat"
	git -C "$tree" diff "$rev~1" "$rev" | grep -q '^+/\* kdh plant-regression: harmless change [0-9]* (a comment) \*/$' ||
		why="${why:+$why; }$(git -C "$tree" log -1 --format=%s "$rev") adds no comment"
done
[ "$comments" = 6 ] || why="${why:+$why; }$comments commits besides the planted one, expected 6"
report "hyperv-nmi-fix: every other commit adds one comment line" "$why"

first=$out
planted hyperv --recipe hyperv-nmi-fix
why=''
[ "$rc" = 0 ] && [ "$out" = "$first" ] || why="exit $rc, output '$(tr '\n' '|' <<<"$out")'"
grep -q "reusing '$tree'" "$tmp/hyperv.log" || why="${why:+$why; }not reused"
report "hyperv-nmi-fix: a second run reuses the tree" "$why"

planted hyperv-again --recipe hyperv-nmi-fix
report "hyperv-nmi-fix: the same commit ids in another tree" \
	"$([ "$rc" = 0 ] && [ -n "$first" ] && [ "$(sed 1d <<<"$out")" = "$(sed 1d <<<"$first")" ] ||
		echo "exit $rc, '$(tr '\n' '|' <<<"$out")' against '$(tr '\n' '|' <<<"$first")'")"

# ---- kdump-regression, the default ----
planted kdump
tree=$tmp/kdump
why=''
[ "$rc" = 0 ] || why="exit $rc: $(tail -n 3 "$tmp/kdump.log" | tr '\n' '|')"
[ "$(cut -d' ' -f1 <<<"$out" | paste -s -d' ')" = "tree good bad planted" ] || why="${why:+$why; }output '$(tr '\n' '|' <<<"$out")'"
[ "$(git -C "$tree" rev-list --count kdh-planted)" = 6 ] || why="${why:+$why; }not 6 commits"
[ "$(git -C "$tree" diff --name-only "${v[planted]}~1" "${v[planted]}" 2>&1)" = kernel/kexec_core.c ] &&
	has "${v[planted]}" kernel/kexec_core.c '^	if \(!regs\)$' && ! has "${v[planted]}~1" kernel/kexec_core.c '^	if \(!regs\)$' ||
	why="${why:+$why; }the planted commit is not the early return in __crash_kexec()"
has "${v[good]}" "$mshyperv" "$registers" || why="${why:+$why; }the base is not the pristine source"
report "kdump-regression: the default recipe, as before" "$why"

report "the miniature source is left as it was" \
	"$([ "$(cd "$mini" && find . -type f -exec sha256sum {} + | sort)" = "$sum_before" ] || echo "a file of $mini changed")"

# ---- what must not plant ----
planted unknown-recipe --recipe no-such-thing
report "an unknown recipe: exit 2" "$([ "$rc" = 2 ] || echo "exit $rc")"
mkdir -p "$tmp/someones-tree"
planted someones-tree --recipe hyperv-nmi-fix
report "a tree it did not make is not touched: exit 2" "$([ "$rc" = 2 ] || echo "exit $rc")"
# A source the unload patch does not fit: no tree is left behind.
cp -r "$mini" "$tmp/other-source"
sed -i 's/for_each_present_cpu(cpu) {/for_each_online_cpu(cpu) {/' "$tmp/other-source/$channel_mgmt"
rc=0
"$plant" --recipe hyperv-nmi-fix --source "$tmp/other-source" --tree "$tmp/misfit" >/dev/null 2>"$tmp/misfit.log" || rc=$?
why=''
[ "$rc" = 128 ] || why="exit $rc, expected 128"
grep -q 'vmbus-unload-own-page-only.patch does not apply' "$tmp/misfit.log" || why="${why:+$why; }no word of the patch"
[ ! -e "$tmp/misfit" ] && [ -z "$(find "$tmp" -maxdepth 1 -name 'misfit.tmp.*')" ] || why="${why:+$why; }a tree was left"
report "a source a patch does not fit: exit 128, nothing left" "$why"

# ---- scripts/check-bisect-hyperv, with stand-ins ----

# A build-kernel whose kernel answers as the issue expects, VMBus connecting
# from CPU 1 (vmbus-connect-cpu-1.patch): without hv_nmi_unknown() registered,
# a panic on CPU 1 passes and one off it fails (vmbus-unload-incomplete); with
# it, both pass (tests/stand-in/kdh's kdh-runs; the first run of each build
# panics on CPU 1). $ALWAYS_FIXED: every kernel passes, so that the bisect
# cannot name the planted commit.
cat >"$tmp/build-kernel" <<'EOF'
#!/usr/bin/env bash
set -eu
dir=$(mktemp -d)
if [ -n "${ALWAYS_FIXED:-}" ] ||
	grep -q '^	register_nmi_handler(NMI_UNKNOWN, hv_nmi_unknown' "$1/arch/x86/kernel/cpu/mshyperv.c"; then
	printf '0 1\n0 0\n' >"$dir/kdh-runs"
else
	printf '0 1\n1 0 vmbus-unload-incomplete\n' >"$dir/kdh-runs"
fi
echo 1 >"$dir/kdh-connect-cpu"
echo "$dir"
EOF
chmod +x "$tmp/build-kernel"

# check_bisect NAME [VAR=VALUE...]: check-bisect-hyperv on a fresh planted
# tree with the stand-ins; output in $out, exit in $rc.
check_bisect() {
	local name=$1
	shift
	rc=0
	out=$(env KDH_BIN="$top/tests/stand-in/kdh" KDH_BUILD_KERNEL="$tmp/build-kernel" "$@" \
		"$top/scripts/check-bisect-hyperv" --source "$mini" --tree "$tmp/$name" \
		--results "$tmp/$name-results" 2>"$tmp/$name.log") || rc=$?
}

check_bisect bisect-finds
planted_rev=$(git -C "$tmp/bisect-finds" log --format=%H --grep='hv_nmi_unknown' -1 kdh-planted)
why=''
[ "$rc" = 0 ] || why="exit $rc"
grep -Eq "^check-bisect-hyperv: found the planted $planted_rev in [1-9][0-9]* steps, [1-9][0-9]* kdh runs, [0-9]+ s " <<<"$out" ||
	why="${why:+$why; }output '$(tr '\n' '|' <<<"$out")'"
grep -q '^check-bisect-hyperv: 1 passed, 0 failed$' <<<"$out" || why="${why:+$why; }no closing line"
report_json=$(find "$tmp/bisect-finds-results" -name report.json | head -n 1)
[ "$(jq -c '[.search, .until_panic_off_cpu.cpu, .scenarios]' "$report_json" 2>&1)" = '["fix",1,["hyperv-nmi-all-vcpus"]]' ] ||
	why="${why:+$why; }report.json: $(jq -c '[.search, .until_panic_off_cpu, .scenarios]' "$report_json" 2>&1)"
# Each step ran kdh twice: its first run panics on CPU 1, which decides nothing.
[ "$(jq -c '[.steps[].runs] | unique' "$report_json" 2>&1)" = '[2]' ] ||
	why="${why:+$why; }runs per step: $(jq -c '[.steps[].runs]' "$report_json" 2>&1)"
report "check-bisect-hyperv: names the planted commit, runs until a panic off the connect CPU 1" "$why"

check_bisect bisect-misses ALWAYS_FIXED=1
why=''
[ "$rc" = 1 ] || why="exit $rc, expected 1"
grep -q "^check-bisect-hyperv: planted [0-9a-f]*, but the bisect names " <<<"$out" || why="${why:+$why; }output '$(tr '\n' '|' <<<"$out")'"
grep -q '^check-bisect-hyperv: 0 passed, 1 failed$' <<<"$out" || why="${why:+$why; }no closing line"
report "check-bisect-hyperv: fails when the bisect names another commit" "$why"

echo "1..$n"
[ "$failed" = 0 ]
