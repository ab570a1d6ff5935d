#!/usr/bin/env bats
# Every example of examples/ run against the test cluster (isolated nodes,
# tests/lib/cluster.bash), so that none rots: clusterp run as the examples
# use it, the Makefile-driven experiment, the Slurm batch script outside Slurm, the
# gateway config (checked, then the same shape through the cluster's
# gateway), and make demo-cluster's script.
load ../lib/common
load ../lib/cluster
load ../lib/e2e

setup_file() {
	# (bats 1.8 cannot skip from setup_file: each test does, in setup.)
	if ! ISOLATE_MISSING=$(cluster_can_isolate); then export ISOLATE_MISSING; return 0; fi
	CLUSTER_ISOLATE=1 cluster_up 2
}
teardown_file() { cluster_down; }

setup() {
	# make demo's script profiles this machine alone: it needs no cluster.
	[[ $BATS_TEST_DESCRIPTION == "examples/demo.sh:"* ]] || [ -z "${ISOLATE_MISSING:-}" ] || skip "$ISOLATE_MISSING"
	cluster_home
	cd_workdir
	EXAMPLES=$ROOT/examples
}

# No collector left running on a node, whatever a test did.
teardown() {
	local n pid
	[ -z "${ISOLATE_MISSING:-}" ] || return 0
	for n in n1 n2 hidden; do
		for pid in $(cluster_procs "$n" | awk '$2 == "sadc" { print $1 }'); do kill "$pid"; done
	done
}

# nodes_idle NAME...: no sadc runs on these nodes.
nodes_idle() {
	local n
	for n in "$@"; do
		if cluster_procs "$n" | grep -w sadc; then echo "sadc left on $n"; return 1; fi
	done
}

run_id() { sed -n 's/.*"run_id": "\([^"]*\)".*/\1/p' .clusterp/run.json; }

@test "clusterp run on the cluster: the command's status and stdout; raw, parsed, report and plots; job window" {
	cluster_config -- "$CLUSTER_NODE_1:a1" "$CLUSTER_NODE_2:a2" >config.yml
	run --separate-stderr clusterp run -- sh -c 'echo from the command; sleep 3; exit 3'
	[ "$status" -eq 3 ]
	assert_output 'from the command'
	[[ $stderr == *'clusterp-run: 2 started, 0 failed'* ]]
	[[ $stderr == *'clusterp-run: 2 stopped, 0 failed'* ]]
	for h in $CLUSTER_NODES; do [ "$(wc -l <"parsed/cpu/$h")" -ge 3 ]; done
	[ "$(cut -d, -f3,4 parsed/markers.csv)" = "$(printf 'kind,label\nbegin,job\nend,job')" ]
	[ -s plot/cpu/utilization.eps ]
	[ -s report/findings.csv ]
	nodes_idle n1 n2
}

@test "clusterp run on the cluster: a previous profile is kept unless --force, and nothing runs; nor without a config" {
	cluster_config -- $CLUSTER_NODES >config.yml
	run -0 clusterp run -q --no-parse -- sleep 1
	first=$(run_id)
	run --separate-stderr clusterp run -- touch ran
	[ "$status" -eq 73 ]
	[ "$stderr" = "clusterp-run: raw/ holds a previous run's data (run in another directory, or replace it with --force)" ]
	[ ! -e ran ]
	[ "$(run_id)" = "$first" ]
	run -0 clusterp run -q --no-parse --force -- sleep 1
	[ "$(run_id)" != "$first" ]
	[ "$(cat raw/.run_id)" = "$(run_id)" ]
	run --separate-stderr clusterp run -c missing.yml -- touch ran
	[ "$status" -eq 66 ]
	[ ! -e ran ]
	nodes_idle n1 n2
}

@test "clusterp run on the cluster: a host that fails to start; the job still runs and its status passes through" {
	cluster_config -- "$CLUSTER_NODE_1" "$CLUSTER_REFUSED" >config.yml
	run --separate-stderr clusterp run --no-plot -- sh -c 'echo ran; exit 4'
	[ "$status" -eq 4 ]
	assert_output 'ran'
	[[ $stderr == *"clusterp-run: $CLUSTER_REFUSED: connection refused"* ]]
	[[ $stderr == *'clusterp-run: 1 started, 1 failed'* ]]
	[[ $stderr == *'clusterp-run: 1 stopped, 0 failed'* ]]
	[ "$(wc -l <"parsed/cpu/$CLUSTER_NODE_1")" -ge 3 ]
	[ ! -e "raw/cpu/$CLUSTER_REFUSED" ]
	# Every host failing: the job runs all the same, and says no data came.
	cluster_config -- "$CLUSTER_REFUSED" >config.yml
	find parsed -exec touch -d '-1 min' {} +
	run --separate-stderr clusterp run --force -- sh -c 'echo ran again; exit 5'
	[ "$status" -eq 5 ]
	assert_output 'ran again'
	[[ $stderr == *'no collector started'* ]]
	[[ $stderr == *'no data was collected'* ]]
	# The earlier run's data is kept, and not parsed as this run's.
	[ "$(wc -l <"parsed/cpu/$CLUSTER_NODE_1")" -ge 3 ]
	[ -z "$(find parsed -newermt '-30 seconds')" ]
	nodes_idle n1
}

@test "examples/experiment/Makefile: profile, parse and plot; a second make redoes only what changed" {
	make_it() { make --no-print-directory -f "$EXAMPLES/experiment/Makefile" "$@"; }
	cluster_config -- "$CLUSTER_NODE_1:a1" "$CLUSTER_NODE_2:a2" >config.yml
	run make_it WORKLOAD='sleep 3'
	assert_success
	for p in cpu-utilization cpu-iowait memory-used swap-used; do
		grep -q '<svg' "plot/$p.svg" || { echo "plot/$p.svg"; return 1; }
	done
	for c in cpu memory swap disk network; do
		for h in $CLUSTER_NODES; do [ "$(wc -l <"parsed/$c/$h")" -ge 3 ]; done
	done
	grep -q ",a1," "parsed/cpu/$CLUSTER_NODE_1"
	# The job's phases, marked by its own recipes, inside the job's window.
	[ "$(cut -f3,4 .clusterp/markers)" = "$(printf 'begin\tjob\nbegin\tstage\nend\tstage\nbegin\tcompute\nend\tcompute\nend\tjob')" ]
	nodes_idle n1 n2
	# Nothing changed: nothing runs.
	run make_it
	assert_success
	refute_output --partial clusterp
	# One raw file newer: that CSV and the plots made from its category
	# (every file older first, as timestamps within a second tie).
	find . -exec touch -d '-1 min' {} +
	touch "raw/cpu/$CLUSTER_NODE_1"
	run make_it
	assert_success
	[ "$(grep -c '^clusterp-parse' <<<"$output")" -eq 1 ]
	assert_line --partial "clusterp-parse -q -c config.yml --category cpu --host $CLUSTER_NODE_1 raw/cpu/$CLUSTER_NODE_1"
	[ "$(grep -c '^clusterp-plot' <<<"$output")" -eq 2 ]
	assert_line --regexp '^clusterp-plot .* -o plot/cpu-utilization\.svg '
	assert_line --regexp '^clusterp-plot .* -o plot/cpu-iowait\.svg '
	# An alias edited: every CSV parsed again, with it; no new profile.
	find . -exec touch -d '-1 min' {} +
	sed -i 's/a1/first/' config.yml
	run make_it
	assert_success
	[ "$(grep -c '^clusterp-parse' <<<"$output")" -eq "$(ls raw/*/* | grep -vc '^raw/sa/')" ]
	[ "$(ls raw/*/* | grep -vc '^raw/sa/')" -ge 10 ]
	refute_output --partial 'clusterp start'
	grep -q ",first," "parsed/cpu/$CLUSTER_NODE_1"
	run make_it clean
	assert_success
	[ ! -e raw ] && [ ! -e parsed ] && [ ! -e plot ] && [ ! -e .clusterp ]
}

@test "examples/experiment/Makefile: make compare runs the job with two settings and says what changed" {
	make_it() { make --no-print-directory -f "$EXAMPLES/experiment/Makefile" "$@"; }
	cluster_config -- "$CLUSTER_NODE_1:a1" "$CLUSTER_NODE_2:a2" >config.yml
	run make_it compare WORKLOAD_A='sleep 2' WORKLOAD_B='sleep 8'
	assert_success
	assert_line --regexp '^compute took [0-9.]+ s -> [0-9.]+ s \(\+[0-9]+%\)$'
	grep -q '^compute,,,,,duration_s,.*,longer$' compare/changes.csv
	[ -s run-a/report/findings.csv ] && [ -s run-b/report/findings.csv ]
	run make_it clean
	assert_success
	[ ! -e run-a ] && [ ! -e run-b ] && [ ! -e compare ]
}

@test "examples/experiment/Makefile: a failing workload fails make, the profile is stopped, make clean stops an interrupted one" {
	make_it() { make --no-print-directory -f "$EXAMPLES/experiment/Makefile" "$@"; }
	cluster_config -- $CLUSTER_NODES >config.yml
	run make_it profile WORKLOAD='sh -c "sleep 2; exit 7"'
	assert_failure
	[ ! -e raw/.done ]
	[ -s "raw/cpu/$CLUSTER_NODE_1" ]
	nodes_idle n1 n2
	# A profile cut short: the collectors run on until make clean.
	clusterp start -q
	cluster_procs n1 | grep -qw sadc
	run make_it clean
	assert_success
	nodes_idle n1 n2
	[ ! -e .clusterp ]
}

@test "examples/slurm-job.sbatch: profiles the nodes of SLURM_JOB_NODELIST (config without hosts), keeps the job's status" {
	cluster_config -- | grep -v '^hosts:' >config.yml
	run -1 grep hosts config.yml
	# As Slurm writes it: a compressed host list.
	export SRUN=env SLURM_JOB_NODELIST="$CLUSTER_PREFIX.[1-2]" SLURM_SUBMIT_DIR=$PWD SLURM_JOB_ID=4242
	run --separate-stderr "$EXAMPLES/slurm-job.sbatch" sh -c 'echo the job; sleep 3; exit 5'
	[ "$status" -eq 5 ]
	assert_output 'the job'
	[[ $stderr == *'clusterp-run: 2 stopped, 0 failed'* ]]
	run ls profile-4242/parsed/cpu
	assert_output "$(printf '%s\n' $CLUSTER_NODES)"
	[ -s profile-4242/plot/cpu/utilization.eps ]
	[ -s profile-4242/raw/sa/"$CLUSTER_NODE_2" ]
	nodes_idle n1 n2
}

@test "examples/gateway.yml: valid, and the same shape works through the cluster's gateway (accept-new records the node)" {
	run --separate-stderr clusterp init --check -c "$EXAMPLES/gateway.yml"
	assert_success
	[ "${#lines[@]}" -eq 33 ]
	[ "${lines[0]}" = 'login1 login' ]
	[ "${lines[1]}" = 'cn001 compute001' ]
	[ "${lines[32]}" = 'cn032 compute032' ]
	# The example with this cluster's names: the gateway, the node behind
	# it, its disk and interface; every key as in the example.
	sed -e "s/^ssh_gateway: .*/ssh_gateway: root@$CLUSTER_GATEWAY:$CLUSTER_PORT/" \
		-e 's/^ssh_username: .*/ssh_username: root/' \
		-e "s/^\( *- \)login1: login\$/\1$CLUSTER_HIDDEN: login/" -e '/cn\[001-032\]/d' \
		-e "s/nvme0n1: scratch/$CLUSTER_DISK: scratch/" -e 's/ib0: infiniband/lo: loopback/' -e '/eth0: ethernet/d' \
		"$EXAMPLES/gateway.yml" >config.yml
	[ "$CLUSTER_PORT" = 22 ] || echo "ssh_port: $CLUSTER_PORT" >>config.yml
	diff <(grep -o '^[a-z_]*:' "$EXAMPLES/gateway.yml") <(grep -o '^[a-z_]*:' config.yml | grep -vx 'ssh_port:')
	# The node behind the gateway is new to known_hosts.
	grep -v "^$(cluster_known_name "$CLUSTER_HIDDEN") " "$HOME/.ssh/known_hosts" >kh
	cp kh "$HOME/.ssh/known_hosts"
	run --separate-stderr clusterp start
	assert_success
	[[ $stderr == *"added $CLUSTER_HIDDEN (ED25519 key SHA256:"* ]]
	grep -q "^$(cluster_known_name "$CLUSTER_HIDDEN") ssh-ed25519 " "$HOME/.ssh/known_hosts"
	cluster_procs hidden | grep -qw sadc
	sleep 3
	run --separate-stderr clusterp stop --with-parse --with-plot
	assert_success
	[[ $stderr == *'clusterp-stop: 1 stopped, 0 failed'* ]]
	for p in cpu/utilization disk/scratch_write network/loopback_in network/loopback_out; do
		[ -s "plot/$p.eps" ] || { echo "plot/$p.eps"; return 1; }
	done
	grep -q ",login," "parsed/cpu/$CLUSTER_HIDDEN"
	nodes_idle hidden
}

@test "examples/demo-cluster.sh: make demo-cluster's script runs, plots, and takes its cluster down" {
	DEMO_DIR=$PWD/demo DEMO_SECONDS=4 run --separate-stderr "$EXAMPLES/demo-cluster.sh"
	assert_success
	assert_line "demo-cluster: the plots are in $PWD/demo/plot (EPS and SVG):"
	assert_line '    cpu/utilization.{eps,svg}'
	assert_line '    network/loopback_in.{eps,svg}'
	assert_line --regexp '^    cpu-busy +[0-9.]+ %$'
	for p in cpu/utilization memory/utilization disk/shared_write; do
		[ -s "demo/plot/$p.eps" ] && grep -q '<svg' "demo/plot/$p.svg"
	done
	grep -q ',cpu-busy,' demo/parsed/cpu/*
	assert_line "demo-cluster: open $PWD/demo/plot/index.html in a browser to see them all"
	grep -q 'cpu/utilization.svg' demo/plot/index.html
	# Its own cluster is gone: processes, lxcfs's mount, state.
	dir=$(sed -n 's/^demo-cluster: nodes up, their state and logs in \(.*\) until the end$/\1/p' <<<"$output")
	[ -n "$dir" ] && [ "$dir" != "$CLUSTER_DIR" ]
	[ ! -e "$dir" ]
	run -1 grep -F "$dir" /proc/self/mountinfo
	run -1 pgrep -f "$dir"
}

@test "examples/demo.sh: make demo's script ends with the answer: the report's finding lines, then the page that shows them" {
	DEMO_DIR=$PWD/demo DEMO_SECONDS=4 run --separate-stderr "$EXAMPLES/demo.sh"
	assert_success
	# The planted load (twice as many busy loops as CPUs) saturates the CPUs
	# in the phase marked compute, whatever else the machine does.
	assert_line "demo: the report's findings, most severe first (report/report.md):"
	assert_line --regexp '^    compute [^ ]+ cpu saturated: [0-9.]+ runnable tasks for [0-9]+ CPUs, [0-9.]+ % busy, in [0-9]+ % of the samples '
	assert_equal "${lines[-2]}" "demo: open $PWD/demo/plot/index.html in a browser: the findings on top, then every view and plot"
	# The page: the findings first, linked to the heatmap that shows them.
	grep -q '<td>compute</td>.*<td>cpu saturated</td>' demo/plot/index.html
	grep -q '<a href="#cpu/utilization_heatmap.svg">plot</a>' demo/plot/index.html
	[ "$(grep -o 'id="[a-z]*"' demo/plot/index.html | head -1)" = 'id="findings"' ]
}
