#!/usr/bin/env bats
# clusterp-compare on runs composed from a real recording (tests/lib/compare
# and tests/fixtures/parsed/disk-window: the report's scenario method, with
# no live cluster): a planted change named first, a run against itself,
# phases and hosts in one run only, runs made at different times, stream
# mode, errors.  The matching and thresholds case by case are unit tests
# (tests/unit/compare_test.cpp).
load ../lib/common
load ../lib/compare

setup() { cd_workdir; }

# markers FILE LABEL:FROM-TO...: a markers.csv of phases, FROM and TO in
# seconds from the composed runs' start (2026-12-08T01:59:49Z).
markers() {
	local file=$1 spec
	shift
	echo 'time,elapsed,kind,label' >"$file"
	for spec in "$@"; do
		python3 -c '
import datetime, sys
label, span = sys.argv[1].split(":")
t0 = datetime.datetime(2026, 12, 8, 1, 59, 49, tzinfo=datetime.timezone.utc)
for kind, s in zip(("begin", "end"), span.split("-")):
    t = t0 + datetime.timedelta(seconds=int(s))
    print("%s,%s,%s,%s" % (t.strftime("%Y-%m-%dT%H:%M:%SZ"), s, kind, label))' "$spec" >>"$file"
	done
}

@test "compare: one host's disk saturated in B: the new finding first, then its measures, no other host; exit 1" {
	compose_run a n1:idle n2:idle n3:idle n4:idle
	compose_run b n1:idle n2:write n3:idle n4:idle
	run -1 clusterp compare a b
	assert_line --index 0 --regexp '^\+ run N2 disk vda saturated: 85\.2 % utilized, 4\.3 requests queued on average, in 100 % of the samples'
	assert_line --regexp '^run N2 disk vda util_pct 3\.7 -> 87\.6 \(\+2252%\)$'
	refute_line --regexp 'N[134]'
	# The measures after the findings, the largest first.
	measures=$(printf '%s\n' "${lines[@]}" | grep -v '^[+-] ')
	[ "$(echo "$measures" | head -n 1)" = 'run N2 disk vda write_mibps 3.7 -> 1826 (+48864%)' ]
	head -n 1 compare/changes.csv >header
	echo 'phase,host,alias,resource,device,measure,a,b,change_pct,verdict' >expected
	diff -u expected header
	sed -n 2p compare/changes.csv >first
	echo 'run,n2,N2,disk,vda,disk saturated,,1,,appeared' >expected
	diff -u expected first
	grep -q '^run,n2,N2,disk,vda,util_pct,3\.72[0-9]*,87\.55[0-9]*,2252\.1,higher$' compare/changes.csv
	[ "$(($(wc -l <compare/changes.csv) - 1))" -eq "${#lines[@]}" ]
	grep -qF '| + run N2 disk vda saturated: ' compare/compare.md
}

@test "compare: B against A says the finding disappeared and the measures fell" {
	compose_run a n1:write n2:idle
	compose_run b n1:idle n2:idle
	run -1 clusterp compare a b
	assert_line --index 0 --regexp '^- run N1 disk vda saturated: '
	assert_line 'run N1 disk vda util_pct 87.6 -> 3.7 (-96%)'
}

@test "compare: a run against itself exits 0 and prints nothing; -q too" {
	compose_run a n1:write n2:idle n3:idle
	run -0 clusterp compare a a
	assert_output ''
	echo 'phase,host,alias,resource,device,measure,a,b,change_pct,verdict' >expected
	diff -u expected compare/changes.csv
	grep -qx 'No change past the thresholds.' compare/compare.md
	run -0 clusterp compare -q a a
	assert_output ''
	compose_run b n1:idle n2:idle n3:idle
	run -1 clusterp compare -q -o elsewhere a b
	assert_output "runs 'a' and 'b' differ"
	[ ! -e elsewhere ]
}

@test "compare: runs made a day apart compare by the time from each phase's start" {
	compose_run a n1:write n2:idle
	compose_run b +86400 n1:write n2:idle
	[ "$(sed -n 2p a/parsed/cpu/n1 | cut -c1-10)" != "$(sed -n 2p b/parsed/cpu/n1 | cut -c1-10)" ]
	run -0 clusterp compare a b
	assert_output ''
}

@test "compare: phases match by label; one in A only and one in B only are said first, with durations" {
	compose_run a n1:idle n2:idle
	compose_run b n1:idle n2:write
	markers a/parsed/markers.csv setup:0-3 compute:4-12
	markers b/parsed/markers.csv compute:0-12
	run -1 clusterp compare -o out a b
	assert_line --index 0 'compute took 8.0 s -> 12 s (+50%)'
	assert_line --index 1 'setup only in A (3.0 s)'
	assert_line --index 2 --regexp '^\+ compute N2 disk vda saturated: '
	grep -q '^| setup | 3 | - |$' out/compare.md
	grep -q '^setup,,,,,duration_s,3,,,only in A$' out/changes.csv
}

@test "compare: other hosts of the same job size match by order, said in one line; a host more is said" {
	compose_run a n1:idle n2:write
	compose_run b m1:idle m2:write
	run -0 --separate-stderr clusterp compare a b
	assert_output ''
	[ "$stderr" = 'clusterp-compare: 2 hosts matched by order, as names and aliases differ: n1 = m1, n2 = m2' ]
	compose_run c m1:idle m2:idle m3:idle
	run -1 --separate-stderr clusterp compare a c
	assert_line --index 0 'host M3 only in B'
	assert_line --index 1 --regexp '^- run N2 disk vda saturated: '
}

@test "compare: stream mode compares two CSV files of one category, prints lines, writes nothing" {
	compose_run a n1:idle
	compose_run b n1:write
	run -1 clusterp-compare a/parsed/disk/n1 b/parsed/disk/n1
	assert_line --index 0 --regexp '^\+ run N1 disk vda saturated: '
	assert_line 'run N1 disk vda util_pct 3.7 -> 87.6 (+2252%)'
	[ ! -e compare ]
	run -0 clusterp-compare a/parsed/disk/n1 a/parsed/disk/n1
	assert_output ''
}

@test "compare: trouble exits 2 with one line naming the file: missing run, no parsed/, bad CSV, a file and a directory, usage" {
	compose_run a n1:idle
	run -2 clusterp-compare a missing
	assert_output "clusterp-compare: cannot open 'missing': no such file or directory"
	mkdir empty
	run -2 clusterp-compare a empty
	assert_output "clusterp-compare: no 'empty/parsed' directory; run clusterp-parse there first"
	run -2 clusterp-compare a a/parsed/cpu/n1
	assert_output "clusterp-compare: 'a' is a directory and 'a/parsed/cpu/n1' is not"
	cp -a a b
	echo 'not,csv' >b/parsed/cpu/n2
	run -2 --separate-stderr clusterp-compare a b
	[ "$stderr" = "clusterp-compare: 'b/parsed/cpu/n2' is not cpu CSV (no contract header)" ]
	run -2 clusterp-compare a
	assert_output "clusterp-compare: give two runs, A and B (see 'clusterp-compare -h')"
	run -2 clusterp-compare --ratio 1 a a
	assert_output 'clusterp-compare: --ratio wants a number above 1'
}

@test "compare: index.html shows the change first, then one band figure per drawn measure, A and B overlaid" {
	compose_run a n1:idle n2:idle n3:idle
	compose_run b n1:idle n2:write n3:idle
	run -1 clusterp compare a b
	head -n 1 compare/bands.csv >header
	echo 'phase,resource,measure,run,elapsed,min,median,max' >expected
	diff -u expected header
	# Both runs' bands of the changed measure, 13 samples of 1 s each.
	[ "$(grep -c '^run,disk,util_pct,A,' compare/bands.csv)" -eq 13 ]
	[ "$(grep -c '^run,disk,util_pct,B,' compare/bands.csv)" -eq 13 ]
	# The changes table first (escaped), the saturated disk its first row.
	local page=compare/index.html
	grep -q '^<h2>Changes</h2>' "$page"
	run -0 grep -m 1 -o '<tbody>.*' <(tr -d '\n' <"$page")
	[[ $output == '<tbody><tr><td>run</td><td>n2</td><td>N2</td><td>disk</td><td>vda</td><td>disk saturated</td>'* ]]
	[ "$(grep -n '<h2>Changes' "$page" | cut -d: -f1)" -lt "$(grep -n '<svg' "$page" | head -n 1 | cut -d: -f1)" ]
	# One figure per drawn measure (the changes' first), each with both
	# bands and the legend naming the runs; no more than the bound.
	figures=$(grep -c '^<svg class="band"' "$page")
	[ "$figures" -ge 2 ] && [ "$figures" -le 12 ]
	grep -q '^<figcaption>run: disk util_pct ' "$page"
	[ "$(grep -c '^<polyline .*stroke="#1f77b4"' "$page")" -eq "$figures" ]
	[ "$(grep -c '^<polyline .*stroke="#d62728"' "$page")" -eq "$figures" ]
	[ "$(grep -c '>A: a</text>' "$page")" -eq "$figures" ]
	[ "$(grep -c '>B: b</text>' "$page")" -eq "$figures" ]
}

@test "compare: the page escapes what the files hold" {
	compose_run 'a<b>' n1:idle
	compose_run b n1:write
	run -1 clusterp compare 'a<b>' b
	grep -q '>A: a&lt;b&gt;</text>' compare/index.html
	run -1 grep -F '<b>' compare/index.html
}
