#!/usr/bin/env bats
# The test suites themselves: no test that cannot fail.
load ../lib/common

@test "suites: no bare '!' in any suite or helper (tests/lib/bare-bang)" {
	run "$ROOT/tests/lib/bare-bang" "$ROOT"/tests/*/*.bats "$ROOT"/tests/lib/*.bash
	assert_success
	assert_output ''
}

@test "suites: bare-bang finds a planted bare '!' mid-test, in a loop, after &&, and lets conditions and 'run !' be" {
	cd_workdir
	# (a function: bats would take a test here for one of this file's own)
	cat >planted.bats <<-'BATS'
		planted() {
			! grep -q a b
			for f in a; do
				! true
			done
			true && ! false
			run ! false
			run -1 false
			if ! true; then :; fi
			while ! true; do :; done
			! cmp -s a b || { echo same; false; }
			# ! a comment
			[ ! -e a ]
		}
	BATS
	run -1 "$ROOT/tests/lib/bare-bang" planted.bats
	assert_output - <<-'OUT'
		planted.bats:2: bare "!" cannot fail a bats test: use "run !" or an assertion
		planted.bats:4: bare "!" cannot fail a bats test: use "run !" or an assertion
		planted.bats:6: bare "!" cannot fail a bats test: use "run !" or an assertion
	OUT
}
