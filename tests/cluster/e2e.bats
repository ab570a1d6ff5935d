#!/usr/bin/env bats
# tests/run: alone (it compares the nodes' CPU, memory and disk use)
# End to end on the test cluster with isolated nodes (CLUSTER_ISOLATE=1,
# tests/lib/cluster.bash): four real sshd nodes, each with its own cgroups
# and lxcfs's /proc/stat and /proc/meminfo, so that a load on one node shows
# on that node only.  One run, made once in setup_file: start, a CPU load on
# n1, direct disk writes on n2, 300 MiB held on n3, n4 idle, then
# `clusterp stop --with-parse --with-plot`; the tests read what it left.
load ../lib/common
load ../lib/cluster
load ../lib/e2e

setup_file() {
	# (bats 1.8 cannot skip from setup_file: each test does, in setup.)
	if ! ISOLATE_MISSING=$(cluster_can_isolate); then export ISOLATE_MISSING; return 0; fi
	CLUSTER_ISOLATE=1 cluster_up 4
	export RUN=$BATS_FILE_TMPDIR/run
	mkdir -p "$RUN"
	cd "$RUN"
	e2e_home "$BATS_FILE_TMPDIR"
	cluster_config -- "$CLUSTER_NODE_1:n1" "$CLUSTER_NODE_2:n2" "$CLUSTER_NODE_3:n3" "$CLUSTER_NODE_4:n4" >config.yml
	printf 'filesystem_names:\n    - %s: scratch\nnet_interfaces:\n    - lo: loopback\n' "$CLUSTER_DISK" >>config.yml
	clusterp start >start.out 2>&1
	sleep 1
	local pids=()
	load_cpu "$CLUSTER_NODE_1" 8 & pids+=($!)
	load_disk "$CLUSTER_NODE_2" 8 & pids+=($!)
	load_memory "$CLUSTER_NODE_3" 300 8 & pids+=($!)
	for pid in "${pids[@]}"; do wait "$pid"; done
	sleep 1
	# The nodes' own account of their disk writes, for the disk test.
	for n in 1 2 3 4; do cluster_disk_bytes "n$n" Write >"n$n-written"; done
	clusterp stop --with-parse --with-plot >stop.out 2>stop.err
}

teardown_file() { cluster_down; }

setup() {
	[ -z "${ISOLATE_MISSING:-}" ] || skip "$ISOLATE_MISSING"
	cd "$RUN"
}

@test "e2e: start, then stop with parse and plot, succeed on four isolated nodes" {
	run cat start.out
	assert_output 'clusterp-start: 4 started, 0 failed'
	run cat stop.err
	assert_line 'clusterp-stop: 4 stopped, 0 failed'
	# Six categories of four hosts; twenty line plots (seventeen without
	# pressure stall information), each with its heatmap and band.
	assert_line "clusterp-parse: parsed 24 of 24 files into 'parsed/'"
	assert_line "clusterp-plot: made $(e2e_plot_count) of $(e2e_plot_count) plots under 'plot'"
	for c in cpu load memory swap disk network; do
		for h in $CLUSTER_NODES; do [ -s "parsed/$c/$h" ]; done
	done
}

@test "e2e: the CPU-loaded node has the highest mean CPU utilisation, the idle one near none" {
	run --separate-stderr highest mean cpu util_pct
	assert_success
	assert_output "$CLUSTER_NODE_1"
	# One busy loop on a node of two CPUs for 8 s of a run of about 10 s
	# would be near 40 %; whatever else runs on this machine takes some of it
	# (the cluster's cgroup weighs most, but as one task), hence the low bar.
	# The idle node runs only its collector.
	n1=$(csv_stat mean "parsed/cpu/$CLUSTER_NODE_1" util_pct)
	n4=$(csv_stat mean "parsed/cpu/$CLUSTER_NODE_4" util_pct)
	greater "$n1" 5
	greater 2 "$n4"
}

@test "e2e: each node has memory of its own: MemTotal is the node's limit, the node holding 300 MiB uses the most" {
	for h in $CLUSTER_NODES; do
		grep -q "\"host\": \"$h\".*\"mem_total_kib\": 1048576," .clusterp/run.json
	done
	run --separate-stderr highest max memory used_mib
	assert_success
	assert_output "$CLUSTER_NODE_3"
	greater "$(csv_stat max "parsed/memory/$CLUSTER_NODE_3" used_mib)" 280
	greater "$(csv_stat max "parsed/memory/$CLUSTER_NODE_3" used_pct)" 27
	greater 100 "$(csv_stat max "parsed/memory/$CLUSTER_NODE_4" used_mib)"
}

@test "e2e: the disk writes show up on the node that wrote them (every node sees the machine's disks)" {
	# The writer's node sees the writes on the disk under its /var/tmp.
	greater "$(csv_stat max "parsed/disk/$CLUSTER_NODE_2" write_mibps "$CLUSTER_DISK")" 1
	# It cannot be the only one: lxcfs 5 builds a node's /proc/diskstats
	# from CFQ's blkio files, which blk-mq kernels no longer have, and then
	# hands out the machine's own file; so every node reports the same
	# disk, this one's writes included (and other agents' on this machine).
	# The nodes' cgroups do know who wrote: n2 wrote at least 16 MiB
	# straight to that disk, far more than any other node.
	cat n?-written
	[ "$(cat n2-written)" -ge $((16 << 20)) ]
	for n in 1 3 4; do [ "$(cat n2-written)" -gt $((10 * $(cat "n$n-written"))) ]; done
}

@test "e2e: every expected plot exists, valid, with every host in its script" {
	for p in cpu/utilization cpu/iowait cpu/busiest_core load/runq memory/utilization memory/paging \
		memory/major_faults swap/utilization swap/activity disk/scratch_read disk/scratch_write \
		disk/scratch_utilization disk/scratch_queue network/loopback_in network/loopback_out \
		network/loopback_errors network/loopback_drops $(e2e_pressure_plots); do
		[ -s "plot/$p.eps" ] || { echo "plot/$p.eps missing"; return 1; }
		head -c 11 "plot/$p.eps" | grep -qx '%!PS-Adobe-' || { echo "plot/$p.eps is no EPS"; return 1; }
		for a in n1 n2 n3 n4; do
			grep -q "title '$a'\|title \"$a\"" "plot/$p.gp" || { echo "$a not in plot/$p.gp"; return 1; }
		done
	done
	run find plot -name '*.eps'
	assert_equal "$(echo "$output" | wc -l)" "$(e2e_plot_count)"
}
