#!/usr/bin/env bats
# clusterp-stop over the local transport: a real sadc on this machine.
load ../lib/common
load ../lib/collect

setup() { setup_local_nodes; }

teardown() {
	kill_leftover_collectors
}

# started: start on every host and let sadc take two samples.
started() {
	run clusterp-start -q "$@"
	assert_success
	sleep 2
}

@test "stop: every host and category lands in raw/, nothing is left behind" {
	started
	dirs=$(for h in a1 b2 c3; do manifest_field $h dir; done)
	run --separate-stderr clusterp-stop
	assert_success
	printf '%s\n' "$output" >out
	golden stop/files-a1-b2-c3 out
	[ "$stderr" = 'clusterp-stop: 3 stopped, 0 failed' ]
	for h in a1 b2 c3; do
		head -n 1 raw/cpu/$h | grep -qx '# hostname;interval;timestamp;CPU;%usr;%nice;%sys;%iowait;%steal;%irq;%soft;%guest;%gnice;%idle'
		# The joined activities come first (parse joins them while streaming).
		head -n 1 raw/load/$h | grep -Eq '^# hostname;interval;timestamp;(%scpu-10|runq-sz);'
		head -n 1 raw/memory/$h | grep -q '^# hostname;interval;timestamp;pgpgin/s;'
		head -n 1 raw/swap/$h | grep -q '^# hostname;interval;timestamp;pswpin/s;'
		head -n 1 raw/network/$h | grep -q '^# hostname;interval;timestamp;IFACE;rxerr/s;'
		grep -q '^# hostname;interval;timestamp;runq-sz;' raw/load/$h
		grep -q '^# hostname;interval;timestamp;kbmemfree;kbavail;kbmemused;' raw/memory/$h
		grep -q '^# hostname;interval;timestamp;kbswpfree;' raw/swap/$h
		head -n 1 raw/disk/$h | grep -q '^# hostname;interval;timestamp;DEV;tps;'
		grep -q '^# hostname;interval;timestamp;IFACE;rxpck/s;' raw/network/$h
		[ "$(grep -vc '^#' raw/cpu/$h)" -ge 1 ]
		LC_ALL=C sadf -d -U raw/sa/$h -- -u ALL -P ALL >sa.txt
		diff -u raw/cpu/$h sa.txt
		[ "$(manifest_field $h status)" = stopped ]
	done
	[ "$(cat raw/.run_id)" = "$(python3 -c 'import json; print(json.load(open(".clusterp/run.json"))["run_id"])')" ]
	# shellcheck disable=SC2086
	[ "$(collectors_running $dirs)" = 0 ]
	for d in $dirs; do [ ! -e "$d" ]; done
	[ -z "$(ls -A "$TMPDIR")" ]
	# No temporary file is left in raw/.
	[ -z "$(find raw -name '.*.tmp.*')" ]
}

@test "stop: without a run is an error, exit 66" {
	run clusterp-stop
	assert_failure 66
	assert_output "clusterp-stop: no run to stop: '.clusterp/run.json' does not exist (run clusterp start first)"
}

@test "stop: a host or alias in run.json that may not be a file name is refused, exit 65, nothing written" {
	run -0 clusterp-start -q
	cp .clusterp/run.json started.json
	# raw/cpu/../../../escaped would be $BATS_TEST_TMPDIR/escaped.
	sed -i 's#"host": "b2"#"host": "../../../escaped"#' .clusterp/run.json
	run clusterp-stop
	assert_failure 65
	assert_output "clusterp-stop: '.clusterp/run.json': host '../../../escaped' is not a host name or IP address"
	[ ! -e raw ]
	[ ! -e "$BATS_TEST_TMPDIR/escaped" ]
	# parse reads the same file, with the same check.
	mkdir -p raw/cpu
	cp "$FIXTURES/sysstat/12.6.1/cpu.sadf-d" raw/cpu/a1
	run clusterp-parse
	assert_failure 65
	assert_output "clusterp-parse: '.clusterp/run.json': host '../../../escaped' is not a host name or IP address"
	[ ! -e parsed ]
	rm -r raw
	sed 's#"alias": "c3"#"alias": "../c3"#' started.json >.clusterp/run.json
	run clusterp-stop
	assert_failure 65
	assert_output "clusterp-stop: '.clusterp/run.json': alias '../c3' of host 'c3' must not contain '/'"
	[ ! -e raw ]
}

@test "stop: a collector killed before stop still yields its data, with a warning" {
	started
	kill -KILL "$(manifest_field b2 pid)"
	run --separate-stderr clusterp-stop
	assert_success
	printf '%s\n' "$output" >out
	golden stop/files-a1-b2-c3 out
	printf '%s\n' "$stderr" >err
	golden stop/killed-b2.err err
	[ "$(grep -vc '^#' raw/cpu/b2)" -ge 1 ]
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "stop: -f 1 and -f 64 give the same files" {
	started
	run --separate-stderr clusterp-stop -f 1
	assert_success
	printf '%s\n' "$output" >one
	(cd raw && find . -type f | sort) >tree-one
	rm -rf raw .clusterp
	started
	run --separate-stderr clusterp-stop -f 64
	assert_success
	printf '%s\n' "$output" >many
	(cd raw && find . -type f | sort) >tree-many
	diff -u one many
	diff -u tree-one tree-many
	for f in raw/cpu/a1 raw/memory/b2 raw/network/c3; do [ -s "$f" ]; done
}

@test "stop: -H stops some hosts now, the rest later, into the same raw/" {
	started
	run --separate-stderr clusterp-stop -H b2
	assert_success
	assert_output "$(printf 'raw/%s/b2\n' cpu load memory swap disk network sa)"
	[ "$(manifest_field b2 status)" = stopped ]
	[ "$(manifest_field a1 status)" = started ]
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(for h in a1 c3; do printf "raw/%s/$h\n" cpu load memory swap disk network sa; done)"
	[ "$stderr" = 'clusterp-stop: 2 stopped, 0 failed' ]
	[ -s raw/cpu/b2 ]
	run clusterp-stop
	assert_success
	assert_output --regexp '^clusterp-stop: nothing to stop: run .* has no active collector$'
	run clusterp-stop -H b2
	assert_success
	assert_output 'clusterp-stop: b2: already stopped; its data is in raw/
clusterp-stop: 1 stopped, 0 failed'
	run clusterp-stop -H zz9
	assert_failure 1
	assert_output --regexp '^clusterp-stop: zz9: not part of run [^ ]+
clusterp-stop: 0 stopped, 1 failed$'
}

@test "stop: -x leaves collectors running, to be stopped later" {
	started
	run --separate-stderr clusterp-stop -x 'a1, c3'
	assert_success
	assert_output "$(printf 'raw/%s/b2\n' cpu load memory swap disk network sa)"
	[ "$(manifest_field a1 status)" = started ]
	[ "$(manifest_field b2 status)" = stopped ]
	run clusterp-stop -x 'a1,c3'
	assert_success
	assert_output --regexp '^clusterp-stop: nothing to stop: -x leaves no host of run [^ ]+$'
	[ "$(manifest_field c3 status)" = started ]
	run --separate-stderr clusterp-stop -H 'a1,b2' -x b2
	assert_success
	assert_output "$(printf 'raw/%s/a1\n' cpu load memory swap disk network sa)"
	[ "$(manifest_field c3 status)" = started ]
}

@test "stop: raw/ of another run is never replaced without --force" {
	started
	run -0 clusterp-stop -q
	first=$(cat raw/.run_id)
	cp raw/cpu/a1 first-cpu
	started
	run clusterp-stop
	assert_failure 73
	assert_output "clusterp-stop: raw/ holds run $first (move it away, or replace it with --force)"
	cmp raw/cpu/a1 first-cpu
	[ "$(manifest_field a1 status)" = started ]
	run --separate-stderr clusterp-stop --force
	assert_success
	[ "$(cat raw/.run_id)" != "$first" ]
	echo "$stderr" | grep -qx "clusterp-stop: warning: replacing raw/, which held run $first"
}

@test "stop: raw/ from elsewhere (no run id) is not replaced without --force" {
	started
	mkdir -p raw/cpu && echo old >raw/cpu/a1
	run clusterp-stop
	assert_failure 73
	assert_output "clusterp-stop: raw/ holds data of an unknown run (move it away, or replace it with --force)"
	[ "$(cat raw/cpu/a1)" = old ]
}

@test "stop: --dry-run prints host: command lines and connects nowhere" {
	mkdir .clusterp
	cat >.clusterp/run.json <<-'JSON'
		{"version": 1, "run_id": "20261125T034500Z-4f2a", "started": "2026-11-25T03:45:00Z", "interval": 1,
		 "transport": "local", "hosts": [
		 {"host": "a1", "alias": "a1", "status": "started", "dir": "/tmp/clusterp.AbC123", "pid": 4242},
		 {"host": "b2", "alias": "b2", "status": "failed", "error": "connection refused"},
		 {"host": "c3", "alias": "c3", "status": "started", "dir": "/tmp/it's $(here)", "pid": 77}]}
	JSON
	run --separate-stderr clusterp-stop --dry-run
	assert_success
	printf '%s\n' "$output" >out
	golden stop/dry-run out
	[ ! -e raw ]
	[ ! -e clusterp.log ]
}

@test "stop: a host status run.json does not know is bad input data" {
	mkdir .clusterp
	cat >.clusterp/run.json <<-'JSON'
		{"version": 1, "run_id": "20261125T034500Z-4f2a", "started": "2026-11-25T03:45:00Z", "interval": 1,
		 "transport": "local", "hosts": [
		 {"host": "a1", "alias": "a1", "status": "running", "dir": "/tmp/clusterp.AbC123", "pid": 4242}]}
	JSON
	run clusterp-stop --dry-run
	assert_failure 65
	assert_output "clusterp-stop: '.clusterp/run.json': host 'a1' has an unknown status 'running'"
}

@test "stop: --with-plot alone is ignored with a warning" {
	started
	run --separate-stderr clusterp-stop --with-plot
	assert_success
	printf '%s\n' "$stderr" >err
	[ "$(head -n 1 err)" = 'clusterp-stop: warning: ignoring --with-plot without --with-parse' ]
}

@test "stop: --with-parse runs clusterp-parse from CLUSTERP_EXEC_PATH" {
	started
	mkdir bin
	printf '#!/bin/sh\necho "parse $*" >parse-called\n' >bin/clusterp-parse
	chmod +x bin/clusterp-parse
	CLUSTERP_EXEC_PATH=$PWD/bin run --separate-stderr clusterp-stop --with-parse --with-plot
	assert_success
	[ "$(cat parse-called)" = 'parse -c config.yml --with-plot' ]
}

@test "stop: --with-report goes on to clusterp-parse, and alone is ignored with a warning" {
	started
	mkdir bin
	printf '#!/bin/sh\necho "parse $*" >parse-called\n' >bin/clusterp-parse
	chmod +x bin/clusterp-parse
	CLUSTERP_EXEC_PATH=$PWD/bin run --separate-stderr clusterp-stop --with-report
	assert_success
	[ "$(head -n 1 <<<"$stderr")" = 'clusterp-stop: warning: ignoring --with-report without --with-parse' ]
	[ ! -e parse-called ]
}

@test "stop: clusterp.log records every command and download per host" {
	started
	run -0 clusterp-stop -q
	for h in a1 b2 c3; do
		for what in 'run: export LC_ALL=C S_COLORS=never; umask 077; d=' 'download: ' "downloaded " 'acknowledged: exit 0 in'; do
			grep -qF "] $h: $what" clusterp.log || { echo "no '$what' for $h"; return 1; }
		done
	done
}

@test "stop: device names and aliases with shell metacharacters never reach a shell" {
	{
		cat config.yml
		echo "filesystem_names:"
		echo "    - 'sda;touch pwned1': '\$(touch pwned2)'"
		echo "net_interfaces:"
		echo "    - 'eth0\`touch pwned3\`': \"it's\""
	} >c2.yml
	run clusterp-start -q -c c2.yml
	assert_success
	sleep 1
	run clusterp-stop -q -c c2.yml
	assert_success
	[ -z "$(find . / "$TMPDIR" -maxdepth 1 -name 'pwned*')" ]
	[ -s raw/disk/a1 ]
}
