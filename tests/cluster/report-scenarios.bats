#!/usr/bin/env bats
# clusterp-report's accuracy on the isolated test cluster (CLUSTER_ISOLATE=1,
# tests/lib/cluster.bash): each test is one whole run (start, a load planted
# on one node of four, stop --with-parse, report) and checks that the report
# names that host and resource and no other host; the controls plant
# nothing, or the same load everywhere, and must report nothing.
#
# Only what an isolated node sees as its own can be planted: its CPU time
# (/proc/stat, /proc/loadavg) and its memory (/proc/meminfo) come from its
# cgroups through lxcfs, while /proc/diskstats, /proc/net/dev, /proc/vmstat
# and /proc/pressure stay the machine's, the same on every node.  Disk, NIC
# and swap scenarios would show on every node alike, so they are not here.
#
# This machine is shared: the cluster's cgroup gets a high CPU weight for the
# suite, so that a node's load gets the CPU it asks for.
load ../lib/common
load ../lib/cluster
load ../lib/e2e

setup_file() {
	if ! ISOLATE_MISSING=$(cluster_can_isolate); then export ISOLATE_MISSING; return 0; fi
	CLUSTER_ISOLATE=1 cluster_up 4
	e2e_home "$BATS_FILE_TMPDIR"
	local dir
	dir=$(grep -m 1 '/cpu[,/]' "$CLUSTER_DIR/cgroups")
	echo 262144 >"$dir/cpu.shares"
}

teardown_file() { cluster_down; }

setup() {
	[ -z "${ISOLATE_MISSING:-}" ] || skip "$ISOLATE_MISSING"
	SCENARIO=$BATS_FILE_TMPDIR/$BATS_TEST_NUMBER
	mkdir -p "$SCENARIO"
	cd "$SCENARIO"
	cluster_config -- "$CLUSTER_NODE_1:n1" "$CLUSTER_NODE_2:n2" "$CLUSTER_NODE_3:n3" "$CLUSTER_NODE_4:n4" >config.yml
	echo 'interval: 1' >>config.yml
}

# node_cgroup N CONTROLLER: the directory of node nN's cgroup of CONTROLLER.
node_cgroup() {
	grep -m 1 "/$2[,/]" "$CLUSTER_DIR/nodes/n$1/cgroups"
}

# A run: start, LOAD... (a command and its words, run here), stop with
# parse, report into report.out; REPORT_LOG (if set) gets a copy.
run_scenario() {
	clusterp start -q
	sleep 2
	"$@"
	sleep 1
	clusterp stop -q --with-parse
	clusterp report >report.out
	cat report.out
	if [ -n "${REPORT_LOG:-}" ]; then { echo "== $BATS_TEST_DESCRIPTION"; cat report.out; } >>"$REPORT_LOG"; fi
}

# names HOST RESOURCE: report.out has a finding of HOST's RESOURCE, and
# every finding names HOST.
names() {
	awk -v host="$1" -v resource="$2" '
		$2 == host && $3 == resource { found = 1 }
		$2 != host { print "another host named: " $0; bad = 1 }
		END { if (!found) print "no finding of " host " " resource; exit bad || !found }' report.out
}

# spin ADDR SECONDS [THREADS]: busy loops on a node.
spin() {
	node_run "$1" "for i in \$(seq ${3:-1}); do timeout $2 sh -c 'while :; do :; done' & done; wait; true"
}

# work ADDR N: a fixed amount of CPU work (a shell loop of N steps).
work() {
	node_run "$1" "sh -c 'i=0; while [ \$i -lt $2 ]; do i=\$((i + 1)); done'"
}

@test "scenario: CPU hog (4 busy loops on a node of 2 CPUs) on n1 names n1 cpu" {
	hog() { spin "$CLUSTER_NODE_1" 12 4; }
	run_scenario hog
	names n1 cpu
}

@test "scenario: one busy thread on n2 names n2 cpu" {
	spinner() { spin "$CLUSTER_NODE_2" 12 1; }
	run_scenario spinner
	names n2 cpu
}

@test "scenario: n3 filling its memory (940 of 1024 MiB) names n3 memory" {
	# Passed alone, failed in a full run beside another suite on 2 cores (issue 14).
	[ -n "${CLUSTERP_LOAD_SENSITIVE:-}" ] || skip "load-sensitive: set CLUSTERP_LOAD_SENSITIVE=1 on an idle machine"
	fill() { load_memory "$CLUSTER_NODE_3" 940 12; }
	run_scenario fill
	names n3 memory
}

@test "scenario: the same work on every node, n4 slowed by a CPU quota, names n4 cpu (straggler)" {
	# Passed alone, failed in a full run beside another suite on 2 cores (issue 14).
	[ -n "${CLUSTERP_LOAD_SENSITIVE:-}" ] || skip "load-sensitive: set CLUSTERP_LOAD_SENSITIVE=1 on an idle machine"
	local dir
	dir=$(node_cgroup 4 cpu)
	echo 20000 >"$dir/cpu.cfs_quota_us"
	job() {
		work "$CLUSTER_NODE_1" 3000000 &
		work "$CLUSTER_NODE_2" 3000000 &
		work "$CLUSTER_NODE_3" 3000000 &
		work "$CLUSTER_NODE_4" 3000000 &
		wait
	}
	run_scenario job
	echo -1 >"$dir/cpu.cfs_quota_us"
	names n4 cpu
	grep -q '^run n4 cpu straggler: ' report.out
}

@test "scenario: every node busy, n2 going idle mid-run, names n2 cpu (stall)" {
	# Loads started over SSH on this shared 2-core machine begin up to 15 s
	# apart, so the stall is not told apart from a late start (issue 14).
	skip "the stall is not planted reliably yet: loads start up to 15 s apart"
	job() {
		spin "$CLUSTER_NODE_1" 20 &
		spin "$CLUSTER_NODE_2" 6 &
		spin "$CLUSTER_NODE_3" 20 &
		spin "$CLUSTER_NODE_4" 20 &
		wait
	}
	run_scenario job
	names n2 cpu
	grep -q '^run n2 cpu stall: ' report.out
}

@test "control: every node idle reports nothing" {
	run_scenario sleep 12
	assert_equal "$(cat report.out)" 'no finding: no rule fired on 4 hosts in 1 phase'
}

@test "control: the same light load on every node reports nothing" {
	light() {
		local node
		for node in "$CLUSTER_NODE_1" "$CLUSTER_NODE_2" "$CLUSTER_NODE_3" "$CLUSTER_NODE_4"; do
			node_run "$node" "for i in \$(seq 12); do timeout 0.3 sh -c 'while :; do :; done'; sleep 0.7; done" &
		done
		wait
	}
	run_scenario light
	assert_equal "$(cat report.out)" 'no finding: no rule fired on 4 hosts in 1 phase'
}
