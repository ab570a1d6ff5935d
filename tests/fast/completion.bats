#!/usr/bin/env bats
# bash completion: verbs, options read from --help, hosts from the config.

load ../lib/common

setup() {
	cd_workdir
	source "$ROOT/share/bash-completion/clusterp"
}

# complete WORD...: COMPREPLY for the last word of the command line.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	case $1 in
	clusterp) _clusterp ;;
	*) _clusterp_verb "$1" ;;
	esac
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "verbs after clusterp" {
	run complete_line clusterp st
	assert_output "$(printf 'start\nstop')"
	run complete_line clusterp help p
	assert_output "$(printf 'parse\nplot')"
}

@test "options come from the tool's own --help" {
	run complete_line clusterp init --
	assert_line --  --check
	assert_line --  --local
	assert_line --  --force
	run complete_line clusterp-stop --with
	assert_output "$(printf -- '--with-parse\n--with-plot\n--with-report')"
}

@test "-H completes the hosts that the config names, ranges expanded" {
	printf 'hosts:\n    - node[01-03]\n    - login\n' >config.yml
	run complete_line clusterp start -H node0
	assert_output "$(printf 'node01\nnode02\nnode03')"
	printf 'hosts: [other1]\n' >other.yml
	run complete_line clusterp stop -c other.yml -H o
	assert_output other1
}

@test "report: its verb, its formats, its markers file" {
	run complete_line clusterp re
	assert_output report
	run complete_line clusterp report -f m
	assert_output markdown
	run complete_line clusterp-report --format c
	assert_output csv
	run complete_line clusterp plot -f s
	assert_output svg
	: >markers.csv
	run complete_line clusterp report -m mark
	assert_output markers.csv
	run complete_line clusterp-plot --markers mark
	assert_output markers.csv
	run complete_line clusterp plot -m mark
	assert_output ''
}

@test "-x completes hosts too, and ^ completes a host file after -H or -x" {
	printf 'hosts:\n    - node[01-02]\n' >config.yml
	run complete_line clusterp-stop -x node
	assert_output "$(printf 'node01\nnode02')"
	touch nodes.txt
	run complete_line clusterp start -H ^nod
	assert_output '^nodes.txt'
	run complete_line clusterp-start --exclude ^no
	assert_output '^nodes.txt'
}

@test "--category completes every category of the contract, gpu included" {
	run -0 complete_line clusterp parse --category ""
	assert_output "$("$UNIT_BIN/contract" names | sort)"
	assert_line gpu
}
