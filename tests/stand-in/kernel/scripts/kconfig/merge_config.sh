#!/bin/sh
# The stand-in tree's merge_config.sh -m BASE FRAGMENT...: BASE with the
# fragments merged in, a later value of a symbol replacing an earlier one, as
# the kernel's script does; no dependencies, so every value sticks.
[ "$1" = -m ] && shift
base=$1
shift
awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { sym = $2 }
	sym != "" { if (!(sym in line)) order[n++] = sym; line[sym] = $0; sym = "" }
	END { for (i = 0; i < n; i++) print line[order[i]] }
' "$base" "$@" >"$base.new" && mv "$base.new" "$base"
