#!/usr/bin/env bats
# clusterp VERB: usage, lookup order, unknown verbs, help.

load ../lib/common

setup() { cd_workdir; }

# fake_tool DIR NAME: an executable that reports where it lives and its args
# (a stand-in is right here: what is tested is which file the lookup finds).
fake_tool() {
	mkdir -p "$1"
	printf '#!/bin/sh\necho "%s/%s $*"\n' "$1" "$2" >"$1/$2"
	chmod +x "$1/$2"
}

@test "-h prints the usage line and one line per verb" {
	clusterp -h >out
	golden dispatcher/help.out out
}

@test "no verb: usage on stderr, exit 64" {
	run -64 clusterp
	assert_line --index 0 "usage: clusterp [-h] {init,start,stop,parse,plot,report,compare,run,mark} ..."
}

@test "an unknown verb exits 64 with one line" {
	run -64 clusterp frobnicate
	assert_output "clusterp: 'frobnicate' is not a clusterp verb (see 'clusterp -h')"
	run -64 clusterp --frobnicate
	assert_output "clusterp: unknown option '--frobnicate' (see 'clusterp -h')"
	run -64 clusterp '../../bin/sh'
	assert_output "clusterp: unknown option '../../bin/sh' (see 'clusterp -h')"
}

@test "a verb runs clusterp-VERB with the same arguments" {
	run -66 clusterp init --check -c "a b.yml"
	assert_output "clusterp-init: cannot open 'a b.yml' (run 'clusterp init' to write one)"
}

@test "lookup order: CLUSTERP_EXEC_PATH, then the dispatcher's directory, then PATH" {
	mkdir own
	cp "$BIN/clusterp" own/
	fake_tool "$PWD/path" clusterp-start
	PATH=$PWD/path:/usr/bin:/bin run -0 own/clusterp start -x 'y z'
	assert_output "$PWD/path/clusterp-start -x y z"
	fake_tool "$PWD/own" clusterp-start
	PATH=$PWD/path:/usr/bin:/bin run -0 own/clusterp start
	assert_output "$PWD/own/clusterp-start "
	fake_tool "$PWD/exec" clusterp-start
	CLUSTERP_EXEC_PATH=$PWD/nowhere:$PWD/exec PATH=$PWD/path:/usr/bin:/bin run -0 own/clusterp start
	assert_output "$PWD/exec/clusterp-start "
}

@test "--version" {
	run -0 clusterp --version
	assert_output --regexp '^clusterp [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "help VERB shows the manual" {
	MANPAGER=cat MANWIDTH=80 run -0 clusterp help init
	assert_output --partial "write a commented clusterp configuration, or check one"
	run -64 clusterp help ../etc
	assert_output "clusterp: '../etc' is not a clusterp verb"
}
