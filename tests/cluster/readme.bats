#!/usr/bin/env bats
# README.md's "A tour", run as a newcomer would against the test cluster
# (isolated nodes, tests/lib/cluster.bash): every command it shows, and
# what it says they give.  setup_file walks the tour once, in run1/, keeping
# each step's exit status and output (step NAME CMD...); the tests read
# them.  The README's node01, node02 are this cluster's two plain nodes,
# named so by their aliases.
load ../lib/common
load ../lib/cluster
load ../lib/e2e

# step NAME CMD...: runs CMD, keeping NAME.status, NAME.out, NAME.err beside
# the tour's directory (in $BATS_FILE_TMPDIR).
step() {
	local name=$1 status=0
	shift
	"$@" >"$BATS_FILE_TMPDIR/$name.out" 2>"$BATS_FILE_TMPDIR/$name.err" || status=$?
	echo "$status" >"$BATS_FILE_TMPDIR/$name.status"
}

# The edit the tour asks for ("edit hosts, devices"), on the config that
# init wrote: this cluster's nodes as a range, its disk and loopback, a 1 s
# interval for a short test, root on the nodes.
edit_config() {
	python3 - "$@" <<-'PY'
		import re, sys
		prefix, disk, port = sys.argv[1:4]
		text = open("config.yml").read()
		text = re.sub(r"(?m)^hosts:\n(    - .*\n)+", "hosts:\n    - %s.[1-2]: node[01-02]\n" % prefix, text)
		text = re.sub(r"(?m)^interval: 10$", "interval: 1", text)
		text = re.sub(r"(?m)^filesystem_names:\n(    - .*\n)+", "filesystem_names:\n    - %s: system\n" % disk, text)
		text = re.sub(r"(?m)^net_interfaces:\n(    - .*\n)+", "net_interfaces:\n    - lo: loopback\n", text)
		text = re.sub(r"(?m)^#ssh_username: .*$", "ssh_username: root", text)
		if port != "22":
		    text = re.sub(r"(?m)^#ssh_port: .*$", "ssh_port: " + port, text)
		open("config.yml", "w").write(text)
	PY
}

setup_file() {
	# (bats 1.8 cannot skip from setup_file: each test does, in setup.)
	if ! ISOLATE_MISSING=$(cluster_can_isolate); then export ISOLATE_MISSING; return 0; fi
	CLUSTER_ISOLATE=1 cluster_up 2
	e2e_home "$BATS_FILE_TMPDIR"
	export TOUR=$BATS_FILE_TMPDIR/run1
	cd "$BATS_FILE_TMPDIR"
	# mkdir run1 && cd run1
	mkdir run1
	cd run1
	step init clusterp init
	step check-template clusterp init --check
	edit_config "$CLUSTER_PREFIX" "$CLUSTER_DISK" "$CLUSTER_PORT"
	step check clusterp init --check
	step start clusterp start
	# While it runs: each node's private directory and its one collector.
	for n in n1 n2; do
		cluster_exec "$n" sh -c 'ls -d /tmp/clusterp.*' >"$BATS_FILE_TMPDIR/$n.dirs" || true
		cluster_procs "$n" | awk '$2 == "sadc"' >"$BATS_FILE_TMPDIR/$n.sadc"
	done
	# mpirun -np 64 ./my-job: here a busy CPU on node01 for 4 s.
	load_cpu "$CLUSTER_NODE_1" 4
	sleep 1
	step stop clusterp stop --with-parse --with-plot
	for n in n1 n2; do cluster_exec "$n" ls -A /tmp >"$BATS_FILE_TMPDIR/$n.after"; done
}

teardown_file() { cluster_down; }

setup() {
	[ -z "${ISOLATE_MISSING:-}" ] || skip "$ISOLATE_MISSING"
	cd "$TOUR"
}

# ran NAME STATUS: step NAME exited STATUS; its stdout in $out, stderr in
# $err.
ran() {
	out=$(cat "$BATS_FILE_TMPDIR/$1.out") err=$(cat "$BATS_FILE_TMPDIR/$1.err")
	[ "$(cat "$BATS_FILE_TMPDIR/$1.status")" = "$2" ] || { echo "$1 exited $(cat "$BATS_FILE_TMPDIR/$1.status"): $err"; return 1; }
}

@test "README tour: clusterp init writes a commented config.yml; init --check resolves node[01-16] ranges, lists host alias" {
	ran init 0
	[ "$err" = "clusterp-init: wrote 'config.yml'" ]
	[ "$(grep -c '^#' config.yml)" -ge 20 ]
	# The template as written: a range with a range of aliases.
	ran check-template 0
	[ "$out" = "$(printf '%s\n' 'node01 first' 'node02 node02' 'node03 worker3' 'node04 worker4')" ]
	# Edited for this cluster.
	ran check 0
	[ "$out" = "$(printf '%s\n' "$CLUSTER_NODE_1 node01" "$CLUSTER_NODE_2 node02")" ]
}

@test "README tour: start runs one sadc per node in a private mktemp -d directory, records clock offsets" {
	ran start 0
	[ "$err" = 'clusterp-start: 2 started, 0 failed' ]
	for n in 1 2; do
		h=$(eval echo "\$CLUSTER_NODE_$n")
		dir=$(python3 -c 'import json, sys; print([x for x in json.load(open(".clusterp/run.json"))["hosts"] if x["host"] == sys.argv[1]][0]["dir"])' "$h")
		[[ $dir == /tmp/clusterp.?????? ]]
		[ "$(cat "$BATS_FILE_TMPDIR/n$n.dirs")" = "$dir" ]
		[ "$(wc -l <"$BATS_FILE_TMPDIR/n$n.sadc")" -eq 1 ]
		grep -q " $dir/" "$BATS_FILE_TMPDIR/n$n.sadc"
		grep -q "\"host\": \"$h\".*\"clock_offset\": -\?[0-9]" .clusterp/run.json
	done
}

@test "README tour: stop --with-parse --with-plot downloads, parses, plots, then removes the remote directories" {
	ran stop 0
	[[ $err == *'clusterp-stop: 2 stopped, 0 failed'* ]]
	[[ $err == *"clusterp-parse: parsed 12 of 12 files into 'parsed/'"* ]]
	[[ $err == *"clusterp-plot: made $(e2e_plot_count) of $(e2e_plot_count) plots under 'plot'"* ]]
	for n in n1 n2; do
		[ ! -s "$BATS_FILE_TMPDIR/$n.after" ] || { echo "left on $n: $(cat "$BATS_FILE_TMPDIR/$n.after")"; return 1; }
	done
}

@test "README tour: the working directory holds the file tree the README lists" {
	[ -s config.yml ]
	# clusterp.log: every remote command and its result.
	grep -q 'mktemp -d' clusterp.log
	grep -q sadc clusterp.log
	python3 -c 'import json; json.load(open(".clusterp/run.json"))'
	run ls raw
	assert_output "$(printf '%s\n' cpu disk load memory network sa swap)"
	for h in $CLUSTER_NODES; do
		for c in cpu load memory swap disk network; do
			[ "$(grep -vc '^#' "raw/$c/$h")" -ge 3 ] || { echo "raw/$c/$h"; return 1; }
			head -n 1 "parsed/$c/$h" | grep -q '^time,elapsed,host,alias,' || { echo "parsed/$c/$h"; return 1; }
		done
		# raw/sa/<host>: the node's binary file, for sar and sadf later.
		sadf -d "raw/sa/$h" -- -u >sadf.txt
		grep -q ';-1;' sadf.txt
	done
	run ls parsed plot
	assert_output "$(printf '%s\n' parsed: cpu disk load memory network swap '' plot: cpu disk hosts.csv index.html load memory network swap)"
	# One plot per metric, one line per host, each beside its script.
	for p in cpu/utilization cpu/iowait cpu/busiest_core load/runq memory/utilization memory/paging \
		memory/major_faults swap/utilization swap/activity disk/system_read disk/system_write \
		disk/system_utilization disk/system_queue network/loopback_in network/loopback_out \
		network/loopback_errors network/loopback_drops $(e2e_pressure_plots); do
		[ -s "plot/$p.eps" ] || { echo "plot/$p.eps"; return 1; }
		[ "$(grep -c "title 'node0[12]'" "plot/$p.gp")" -eq 2 ] || { echo "plot/$p.gp"; return 1; }
	done
	# The workload shows: node01 was the busy one.
	run --separate-stderr highest mean cpu util_pct
	assert_output "$CLUSTER_NODE_1"
}

@test "README stream mode: clusterp-parse raw/cpu/HOST > HOST.csv" {
	h=$CLUSTER_NODE_1
	clusterp-parse "raw/cpu/$h" >"$BATS_TEST_TMPDIR/$h.csv"
	# The rows of directory mode, but for the clock offset that only the
	# run's manifest gives: time and elapsed may differ.
	diff <(cut -d, -f3- "parsed/cpu/$h") <(cut -d, -f3- "$BATS_TEST_TMPDIR/$h.csv")
	grep -q ",node01," "$BATS_TEST_TMPDIR/$h.csv"
}

@test "README stream mode: clusterp-parse raw/cpu/HOST | clusterp-plot - -o cpu.svg" {
	h=$CLUSTER_NODE_1
	cd "$BATS_TEST_TMPDIR"
	cp -r "$TOUR/raw" "$TOUR/config.yml" .
	run bash -c "set -o pipefail; clusterp-parse raw/cpu/$h | clusterp-plot - -o cpu.svg"
	assert_success
	assert_output ''
	grep -q '<svg' cpu.svg
	grep -q 'node01' cpu.svg
}

@test "README: start and stop keep going when a node fails, and end with a summary" {
	cd_workdir
	cluster_config -- "$CLUSTER_NODE_1" "$CLUSTER_NOSYSSTAT_NODE" >config.yml
	run --separate-stderr clusterp start
	[ "$status" -eq 1 ]
	[[ $stderr == *"clusterp-start: $CLUSTER_NOSYSSTAT_NODE: "* ]]
	[[ $stderr == *'clusterp-start: 1 started, 1 failed' ]]
	sleep 2
	run --separate-stderr clusterp stop
	[[ $stderr == *'clusterp-stop: 1 stopped, '* ]]
	[ -s "raw/cpu/$CLUSTER_NODE_1" ]
}

@test "README: a config that profiles this machine without SSH is one command away: clusterp init --local" {
	cd_workdir
	run clusterp init --local
	assert_success
	run clusterp init --check
	assert_success
	[ "${#lines[@]}" -eq 1 ]
	clusterp start -q
	sleep 2
	run clusterp stop -q --with-parse --with-plot
	assert_success
	[ -s plot/cpu/utilization.eps ]
}
