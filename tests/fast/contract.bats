#!/usr/bin/env bats
# The data contract has one home (lib/model/contract.hpp): the CSV headers
# parse writes, the plot catalogue, the man pages and README must say what
# that table says.  Fast, no root.

load ../lib/common

contract() { "$UNIT_BIN/contract" "$@"; }

setup() { cd_workdir; }

@test "parse writes each category's header as the contract gives it" {
	contract names >names
	[ "$(wc -l <names)" -ge 5 ]
	while read -r c; do
		if [ "$c" = gpu ]; then
			# nvidia-smi's: a real capture's --query-gpu CSV.
			awk '/^# load :: query-gpu \(csv/ {s=1; next} s && /^#/ {next} s && /^$/ {s=0} s' \
				"$FIXTURES"/nvidia-smi/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt >gpu.csv
			clusterp-parse -q --category gpu gpu.csv >out.csv
			contract header gpu >want
			head -n 1 out.csv >got
			diff -u want got
			continue
		fi
		# The newest sysstat fixture that renders this category.
		f=$(ls -d "$FIXTURES"/sysstat/*/"$c".sadf-d "$FIXTURES"/hazards/"$c"*.sadf-d 2>/dev/null | tail -n 1)
		[ "$c" != processes ] || f=$FIXTURES/pidstat/12.6.1/pidstat-H.txt
		[ -n "$f" ] || { echo "no fixture of $c"; return 1; }
		clusterp-parse -q "$f" >out.csv
		contract header "$c" >want
		head -n 1 out.csv >got
		diff -u want got
	done <names
}

@test "clusterp-parse(1) lists every category with the contract's columns, in order" {
	# `.It cpu` then the line of column names, parenthesised notes dropped.
	awk '/^\.It [a-z]+$/ { c = $2; next } c { sub(/ *\(.*\)/, ""); print c ": " $0; c = "" }' \
		"$ROOT/man/clusterp-parse.1" >got
	contract names | while read -r c; do echo "$c: $(contract columns "$c")"; done >want
	diff -u want got
}

@test "every plot of the catalogue draws a contract column and is in clusterp-plot(1)" {
	contract plots >plots
	[ "$(wc -l <plots)" -ge 9 ]
	grep '^\.It Pa plot/' "$ROOT/man/clusterp-plot.1" >listed
	while read -r c suffix column; do
		if grep -q "^\.It Pa plot/$c/ Ns Ar alias" listed; then
			grep "^\.It Pa plot/$c/ Ns Ar alias" listed | grep -qE "(Pa |, )_$suffix( |$)" ||
				{ echo "$c/<alias>_$suffix not in clusterp-plot(1)"; return 1; }
		else
			grep -qE "plot/$c/$suffix( |$)" listed || { echo "$c/$suffix not in clusterp-plot(1)"; return 1; }
		fi
	done <plots
	# And the page names no plot the catalogue lacks.
	grep -E '^\.It Pa plot/[a-z]+/( Ns Ar alias|[a-z])' listed |
		sed -e 's/^\.It Pa //' -e 's| Ns Ar alias Ns Pa |<alias>|' -e 's/ , / /g' |
		awk '{ for (i = 1; i <= NF; i++) {
			if ($i ~ /^plot\//) { split($i, p, "/"); c = p[2]; name = p[3]; sub(/^<alias>_/, "", name) }
			else name = substr($i, 2)
			print c, name } }' | sort >named
	cut -d' ' -f1,2 plots | sort >want
	diff -u want named
}

@test "README and --category name the contract's categories" {
	want="The categories are $(contract names | sed 's/.*/`&`/' | paste -sd, - | sed -e 's/,/, /g' -e 's/\(.*\), /\1 and /')."
	grep -qxF "$want" "$ROOT/README.md" || { echo "README lacks: $want"; return 1; }
	run clusterp-parse --category nosuch -
	assert_failure 64
	assert_output --partial "($(contract names | paste -sd, - | sed 's/,/, /g'))"
}
