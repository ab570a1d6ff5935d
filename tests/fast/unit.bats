#!/usr/bin/env bats
# The in-process unit tests (tests/unit/, build/tests/unit-tests): one bats
# test per doctest test suite.  tests/unit/README says how to add one.
load ../lib/common

UNIT=$UNIT_BIN/unit-tests

# unit_suite NAME: every case of test suite NAME passes (and there is one).
unit_suite() {
	run "$UNIT" --no-version --test-suite="$1"
	assert_success
	assert_line --regexp '^\[doctest\] test cases: +[1-9][0-9]* \| +[1-9][0-9]* passed \| +0 failed'
}

@test "unit: every test case is in a suite, every suite has its bats test here" {
	run "$UNIT" --no-version --list-test-suites
	assert_success
	suites=$(printf '%s\n' "${lines[@]}" | sed -n '/^====/,/^====/{/^[[:alnum:]_]/p}' | sort)
	ours=$(sed -n 's/^@test "unit: \([[:alnum:]_]*\)".*/\1/p' "$BATS_TEST_FILENAME" | sort)
	[ -n "$suites" ]
	[ "$suites" = "$ours" ]
	# Cases outside any suite would run in no test below.
	run "$UNIT" --no-version --test-suite-exclude="$(echo $suites | tr ' ' ,)"
	assert_line --regexp '^\[doctest\] test cases: +0 \|'
}

@test "unit: contract" { unit_suite contract; }
@test "unit: markers" { unit_suite markers; }
@test "unit: csv" { unit_suite csv; }
@test "unit: html" { unit_suite html; }
@test "unit: sysstat_text" { unit_suite sysstat_text; }
@test "unit: pidstat_parse" { unit_suite pidstat_parse; }
@test "unit: top_processes" { unit_suite top_processes; }
@test "unit: gnuplot_script" { unit_suite gnuplot_script; }
@test "unit: hostlist" { unit_suite hostlist; }
@test "unit: names" { unit_suite names; }
@test "unit: openssh_config" { unit_suite openssh_config; }
@test "unit: rules" { unit_suite rules; }
@test "unit: sysstat_parse" { unit_suite sysstat_parse; }
@test "unit: plot_reduce" { unit_suite plot_reduce; }
@test "unit: view_grid" { unit_suite view_grid; }
@test "unit: heatmap" { unit_suite heatmap; }
@test "unit: compare" { unit_suite compare; }
@test "unit: process" { unit_suite process; }
