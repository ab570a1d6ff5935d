#!/usr/bin/env bats
# clusterp-start over the local transport: a real sadc on this machine.
load ../lib/common
load ../lib/collect

setup() { setup_local_nodes; }

teardown() {
	kill_leftover_collectors
}

@test "start: one collector per host, recorded in the manifest" {
	run clusterp-start
	assert_success
	assert_output 'clusterp-start: 3 started, 0 failed'
	for host in a1 b2 c3; do
		[ "$(manifest_field $host status)" = started ]
		dir=$(manifest_field $host dir)
		pid=$(manifest_field $host pid)
		[ -s "$dir/run.sa" ]
		tr '\0' '\n' </proc/$pid/cmdline | grep -qxF "$dir/run.sa"
		[ "$(manifest_field $host sysstat)" = "$(/usr/lib/sysstat/sadc -V 2>&1 | sed -n 's/^sysstat version //p')" ]
		[ "$(manifest_field $host cpus)" = "$(getconf _NPROCESSORS_ONLN)" ]
		[ "$(manifest_field $host mem_total_kib)" = "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)" ]
		# One clock: the offset is within its error bound, a few ms here.
		python3 -c "import sys; o, e = map(float, sys.argv[1:]); sys.exit(not (abs(o) <= e and 0 < e < 0.5))" \
			"$(manifest_field $host clock_offset)" "$(manifest_field $host clock_error)"
	done
	# Three distinct private directories, mode 0700.
	[ "$(for h in a1 b2 c3; do manifest_field $h dir; done | sort -u | wc -l)" -eq 3 ]
	[ "$(stat -c %a "$(manifest_field a1 dir)")" = 700 ]
	[ "$(dirname "$(manifest_field a1 dir)")" = "$TMPDIR" ]
}

@test "start: a run already active is refused, --force starts anyway" {
	run clusterp-start -q
	assert_success
	first=$(manifest_field a1 pid)
	old_pids="$first $(manifest_field b2 pid) $(manifest_field c3 pid)"
	run clusterp-start
	assert_failure 73
	assert_output --regexp '^clusterp-start: run [0-9TZ]+-[0-9a-f]{4} is still active \(stop it with clusterp stop, or start anyway with --force\)$'
	[ "$(manifest_field a1 pid)" = "$first" ]
	run clusterp-start --force
	assert_success
	assert_line --regexp '^clusterp-start: warning: run .* was still active: its collectors on 3 hosts keep running \(clusterp.log lists them\)$'
	grep -q "a1: left running by --force: run .*, pid $first in " clusterp.log
	[ "$(manifest_field a1 pid)" != "$first" ]
	# shellcheck disable=SC2086
	kill $old_pids
}

@test "start: --dry-run prints host: command lines and touches nothing" {
	run clusterp-start --dry-run -H 'n[1-2]'
	assert_success
	printf '%s\n' "$output" >out
	golden start/dry-run out
	[ ! -e .clusterp ]
	[ ! -e clusterp.log ]
}

@test "start: -H replaces the config's hosts" {
	run clusterp-start -H 'x[01-02]'
	assert_success
	assert_output 'clusterp-start: 2 started, 0 failed'
	[ "$(manifest_field x01 status)" = started ]
	[ "$(manifest_field x02 status)" = started ]
	[ -z "$(manifest_field a1 status)" ]
}

# dry_run_hosts ARG...: the hosts `clusterp-start --dry-run ARG...` would
# start, one per line.
dry_run_hosts() {
	clusterp-start --dry-run "$@" >dry.out
	cut -d: -f1 dry.out
}

@test "start: -H takes blanks after commas, and ^FILE, one hostlist per line" {
	run -0 dry_run_hosts -H 'a1, c3'
	assert_output "$(printf 'a1\nc3')"
	printf '# rack 1\nn[1-2]\n\n  login # the front end\r\nn3, n4\n' >nodes.txt
	run -0 dry_run_hosts -H ^nodes.txt
	assert_output "$(printf '%s\n' n1 n2 login n3 n4)"
}

@test "start: -x leaves out hosts of the config, of -H and of SLURM_JOB_NODELIST" {
	run -0 dry_run_hosts -x b2
	assert_output "$(printf 'a1\nc3')"
	run -0 dry_run_hosts -H 'x[1-4]' -x 'x[2-3], zz'
	assert_output "$(printf 'x1\nx4')"
	printf 'x2\nx4\n' >out.txt
	run -0 dry_run_hosts -H 'x[1-4]' -x ^out.txt
	assert_output "$(printf 'x1\nx3')"
	printf 'transport: local\n' >slurm.yml
	SLURM_JOB_NODELIST='s[1-3]' run -0 dry_run_hosts -c slurm.yml -x s2
	assert_output "$(printf 's1\ns3')"
	run -64 clusterp-start -x 'a1, b2,c3'
	assert_output 'clusterp-start: -x leaves no host to profile'
	[ ! -e .clusterp ]
}

@test "start: clusterp.log has a line per command and outcome, per host" {
	run clusterp-start -q
	assert_success
	for host in a1 b2 c3; do
		grep -qE "^[0-9-]{10}T[0-9:.]{12}Z clusterp-start\[[0-9]+\] $host: run: export LC_ALL=C S_COLORS=never; " clusterp.log
		grep -qE "^[0-9-]{10}T[0-9:.]{12}Z clusterp-start\[[0-9]+\] $host: exit 0 in [0-9.]+ s$" clusterp.log
	done
}

@test "start: remote_dir with shell metacharacters is used as one quoted path" {
	base="$BATS_TEST_TMPDIR/we ird;\$(touch pwned1)\`touch pwned2\`'x\"y"
	mkdir -p "$base"
	{ cat config.yml; printf "remote_dir: '%s'\n" "$(printf %s "$base" | sed "s/'/''/g")"; } >c2.yml
	run clusterp-start -c c2.yml
	assert_success
	dir=$(manifest_field a1 dir)
	[ "$(dirname "$dir")" = "$base" ]
	[ -s "$dir/run.sa" ]
	[ -z "$(find . / -maxdepth 1 -name 'pwned*')" ]
}

@test "start: -v shows every remote command" {
	run clusterp-start -v -H a1
	assert_success
	assert_line --regexp '^clusterp-start: a1: run: export LC_ALL=C S_COLORS=never; umask 077; trap '\'''\'' PIPE; g=; s=; '
	assert_line 'clusterp-start: 1 started, 0 failed'
}

@test "start: a live progress line on a terminal, cleared before the summary" {
	script -qec "$BIN/clusterp-start -f 1" /dev/null >tty.out
	grep -qF "clusterp-start: 1/3 hosts, 0 failed" tty.out
	grep -qF "clusterp-start: 2/3 hosts, 0 failed"$'\r\033[K'"clusterp-start: 3 started, 0 failed" tty.out
}

@test "start: -f must be positive" {
	run clusterp-start -f 0
	assert_failure 64
	assert_output 'clusterp-start: the fan-out must be a positive number, not 0'
}
