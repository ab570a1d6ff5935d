#!/usr/bin/env bats
# The test harness's golden files (tests/lib/common.bash: golden).
load ../lib/common

setup() {
	cd_workdir
	EXPECTED=$BATS_TEST_TMPDIR/expected
	mkdir -p "$EXPECTED"
	echo old >"$EXPECTED/name"
	echo new >actual
}

@test "golden: a file that differs from its expected one fails" {
	run golden name actual
	assert_failure
	assert_line -- '+new'
}

@test "golden: UPDATE_GOLDEN=1 rewrites the expected file" {
	UPDATE_GOLDEN=1 CI= run golden name actual
	assert_success
	[ "$(cat "$EXPECTED/name")" = new ]
}

@test "golden: UPDATE_GOLDEN=1 is refused when CI=true, the expected file kept" {
	UPDATE_GOLDEN=1 CI=true run golden name actual
	assert_failure
	assert_output 'golden: UPDATE_GOLDEN=1 is refused when CI=true (it would turn every golden test into a pass)'
	[ "$(cat "$EXPECTED/name")" = old ]
}
