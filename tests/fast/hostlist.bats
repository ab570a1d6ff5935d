#!/usr/bin/env bats
# The pure hostlist module, through its driver.

load ../lib/common

expands() {
	local list=$1
	shift
	run -0 "$UNIT_BIN/hostlist-expand" "$list"
	assert_output "$(printf '%s\n' "$@")"
}

@test "a plain name and a comma list" {
	expands n1 n1
	expands 'a,b,c' a b c
}

@test "ranges keep the zero padding of the lower bound" {
	expands 'node[001-003]' node001 node002 node003
	expands 'n[08-11]' n08 n09 n10 n11
	expands 'n[8-11]' n8 n9 n10 n11
}

@test "several ranges and singles inside one bracket" {
	expands 'node[01-02,05,10-11]' node01 node02 node05 node10 node11
}

@test "text after the bracket and several brackets multiply out" {
	expands 'r[1-2]n[1-2].ib' r1n1.ib r1n2.ib r2n1.ib r2n2.ib
}

@test "commas inside brackets do not split the list" {
	expands 'a[1,3],b' a1 a3 b
}

@test "malformed lists are errors" {
	for bad in 'n[1-3' 'n1-3]' 'n[a-b]' 'n[3-1]' 'a,,b' 'n[]' 'n[1-2-3]'; do
		run -1 "$UNIT_BIN/hostlist-expand" "$bad"
		assert_output --partial "error: "
	done
}

@test "a list of a million hosts is refused" {
	run -1 "$UNIT_BIN/hostlist-expand" 'n[1-1000000]'
	assert_output "error: 'n[1-1000000]' names too many hosts"
}
