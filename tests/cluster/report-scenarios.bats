#!/usr/bin/env bats
# tests/run: alone (it plants a load on one node and must find only that)
# clusterp-report's accuracy on the isolated test cluster (CLUSTER_ISOLATE=1
# and CLUSTER_NETNS=1, tests/lib/cluster.bash): each test is one whole run
# (start, a load planted on one node of four, stop --with-parse, report) and
# checks that the report names that host and resource and no other host; the
# controls plant nothing, or the same load everywhere, and must report
# nothing.
#
# What an isolated node sees as its own: its CPU time (/proc/stat,
# /proc/loadavg) and its memory (/proc/meminfo) come from its cgroups
# through lxcfs, and its network counters (/proc/net/dev) from its own
# network namespace, whose eth0 has a line rate (a tc token bucket, and the
# speed sysstat reads).  /proc/diskstats, /proc/vmstat (swapping) and
# /proc/pressure stay the machine's, the same on every node: the disk and
# swap scenarios are composed (compose_windows): one run holds a window with
# the load on one node and a window with no load; the loaded node's rows come
# from the first window, the other nodes' from the second, shifted in time
# onto the first (time and elapsed only; every value untouched, each node's
# its own recording by its own sadc).
#
# Every run collects processes too (pidstat, `processes: on`), so that the
# CPU, memory and disk scenarios check the process the report names.  The
# nodes share the machine's PID namespace: each node's pidstat lists every
# process of the machine, so a check asks that the planted process be among
# the two named, not alone.
#
# This machine is shared: the cluster's cgroup has a high CPU weight
# (tests/lib/cluster.bash), so that a node's load gets the CPU it asks for,
# and loads that must start together are started at one agreed second
# (at_time).
load ../lib/common
load ../lib/cluster
load ../lib/e2e

setup_file() {
	if ! ISOLATE_MISSING=$(cluster_can_isolate); then export ISOLATE_MISSING; return 0; fi
	CLUSTER_ISOLATE=1 CLUSTER_NETNS=1 cluster_up 4
	e2e_home "$BATS_FILE_TMPDIR"
}

teardown_file() {
	# A swap file left on by a failed test is this machine's, not the cluster's.
	local swap=/var/tmp/clusterp-swap.${CLUSTER_DIR##*.}
	if [ -f "$swap" ]; then swapoff "$swap" 2>/dev/null; rm -f "$swap"; fi
	cluster_down
}

setup() {
	[ -z "${ISOLATE_MISSING:-}" ] || skip "$ISOLATE_MISSING"
	SCENARIO=$BATS_FILE_TMPDIR/$BATS_TEST_NUMBER
	mkdir -p "$SCENARIO"
	cd "$SCENARIO"
	cluster_config -- "$CLUSTER_NODE_1:n1" "$CLUSTER_NODE_2:n2" "$CLUSTER_NODE_3:n3" "$CLUSTER_NODE_4:n4" >config.yml
	printf 'interval: 1\nprocesses: on\n' >>config.yml
}

# What a test changed in the nodes' cgroups (a CPU quota, cpusets) is undone
# after it, whatever its outcome.  A failed test shows each host's CPU
# busy and run queue, sample by sample, and leaves its run directory in
# /var/tmp for a look at the rest.
teardown() {
	[ -z "${ISOLATE_MISSING:-}" ] || return 0
	local n cpuset
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -d "$SCENARIO/parsed/cpu" ]; then
		for n in "$SCENARIO"/parsed/cpu/*; do
			echo "${n##*/} busy %: $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "util_pct") c = i; next } { printf "%.0f ", $c }' "$n")"
			[ -f "$SCENARIO/parsed/load/${n##*/}" ] &&
				echo "${n##*/} runq: $(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "runq") c = i; next } { printf "%s ", $c }' "$SCENARIO/parsed/load/${n##*/}")"
		done
		cp -a "$SCENARIO" "/var/tmp/clusterp-failed-scenario-$BATS_TEST_NUMBER"
		echo "run directory kept: /var/tmp/clusterp-failed-scenario-$BATS_TEST_NUMBER"
	fi
	for n in 1 2 3 4; do
		echo -1 >"$(node_cgroup "$n" cpu)/cpu.cfs_quota_us"
		cpuset=$(node_cgroup "$n" cpuset)
		cat "${cpuset%/*}/cpuset.cpus" >"$cpuset/cpuset.cpus"
	done
}

# cluster_cpus: the CPUs the cluster's cpuset holds, one a line (its list,
# e.g. 0-1,4, spelled out).
cluster_cpus() {
	local parts part
	IFS=, read -ra parts <"$(grep -m 1 '/cpuset[,/]' "$CLUSTER_DIR/cgroups")/cpuset.cpus"
	for part in "${parts[@]}"; do
		if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi
	done
}

# node_cgroup N CONTROLLER: the directory of node nN's cgroup of CONTROLLER.
node_cgroup() {
	grep -m 1 "/$2[,/]" "$CLUSTER_DIR/nodes/n$1/cgroups"
}

# A run: start, LOAD... (a command and its words, run here), stop with
# parse, report into report.out.  What the machine did outside the nodes
# meanwhile is printed first (machine_share), so that a failed CPU scenario
# says whether its node had the CPU it asked for.
run_scenario() {
	local before
	before=$(machine_counters)
	clusterp start -q
	sleep 2
	"$@"
	sleep 1
	clusterp stop -q --with-parse >stop.out  # the files it fetched: not for the log
	machine_share "$before" "$(machine_counters)"
	report_here
}

# machine_counters: this machine's CPU time (/proc/stat's first line, in
# ticks), then the cluster's (its cpuacct cgroup's, in nanoseconds).
machine_counters() {
	local cpuacct
	cpuacct=$(grep -m 1 '/cpuacct[,/]' "$CLUSTER_DIR/cgroups")
	echo "$(head -n 1 /proc/stat) $(cat "$cpuacct/cpuacct.usage")"
}

# machine_share BEFORE AFTER: one line, the share of this machine's CPU
# time between two machine_counters that was busy outside the cluster's
# nodes, and that the hypervisor took (steal).  A node's view (lxcfs) shows
# neither: what they take from a planted load looks like its node's idle.
machine_share() {
	python3 - "$1" "$2" "$(getconf CLK_TCK)" <<-'PY'
		import sys
		a, b = ([int(x) for x in arg.split()[1:]] for arg in sys.argv[1:3])
		d = [y - x for x, y in zip(a, b)]
		ticks = sum(d[:8])
		busy = sum(d[:8]) - d[3] - d[4] - d[7]
		cluster = d[-1] / 1e9 * int(sys.argv[3])
		print("machine during the run: the nodes %.0f %% busy, %.0f %% busy outside them, %.0f %% stolen by the hypervisor"
		      % (100 * cluster / ticks, 100 * max(busy - cluster, 0) / ticks, 100 * d[7] / ticks))
	PY
}

# report_here: clusterp report in the current directory into report.out;
# REPORT_LOG (if set) gets a copy.
report_here() {
	clusterp report >report.out
	cat report.out
	if [ -n "${REPORT_LOG:-}" ]; then { echo "== $BATS_TEST_DESCRIPTION${1:+ ($1)}"; cat report.out; } >>"$REPORT_LOG"; fi
}

# at_time EPOCH CMD: the shell text that waits until the second EPOCH of
# this machine's clock (which every node shares) and runs CMD; loads started
# over SSH on a loaded machine otherwise begin seconds apart.
at_time() {
	echo "while [ \$(date +%s) -lt $1 ]; do sleep 0.1; done; $2"
}

# compose_windows RUN DEST LOADED FROM TO IDLE: the run directory RUN
# (parsed) as DEST, where host LOADED keeps its rows of [FROM, TO) and every
# other host its rows of [IDLE, IDLE + TO - FROM), moved by FROM - IDLE
# seconds (epoch seconds; `time` and `elapsed` moved, nothing else touched);
# no markers.  See the header.
compose_windows() {
	mkdir -p "$2"
	cp -a "$1/.clusterp" "$1/config.yml" "$2/"
	python3 - "$@" <<-'PY'
		import csv, datetime, os, sys
		run, dest, loaded, start, end, idle = sys.argv[1:3] + [sys.argv[3]] + [float(a) for a in sys.argv[4:7]]
		shift = start - idle
		def epoch(t):
		    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
		def iso(s):
		    d = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
		    return d.strftime("%Y-%m-%dT%H:%M:%S") + (".%03dZ" % round(d.microsecond / 1000) if d.microsecond else "Z")
		for category in os.listdir(run + "/parsed"):
		    src = run + "/parsed/" + category
		    if not os.path.isdir(src):
		        continue
		    os.makedirs(dest + "/parsed/" + category)
		    for host in os.listdir(src):
		        with open(src + "/" + host) as f, open(dest + "/parsed/" + category + "/" + host, "w", newline="") as out:
		            rows = csv.reader(f)
		            w = csv.writer(out, lineterminator="\n")
		            w.writerow(next(rows))
		            lo, d = (start, 0) if host == loaded else (idle, shift)
		            for row in rows:
		                t = epoch(row[0])
		                if lo <= t < lo + end - start:
		                    w.writerow([iso(t + d), ("%.3f" % (float(row[1]) + d)).rstrip("0").rstrip(".")] + row[2:])
	PY
}

# settle_pressure: waits (up to 90 s) until the machine's I/O and memory
# pressure, 10 s averages that every node reads alike, are under 5 % again:
# the test before (the disk writer) leaves some for tens of seconds, and the
# idle window of a composition must not inherit it.
settle_pressure() {
	local _ io mem
	[ -r /proc/pressure/io ] || return 0
	for _ in $(seq 90); do
		io=$(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/io)
		mem=$(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/memory)
		python3 -c "import sys; sys.exit(not (float(sys.argv[1]) < 5 and float(sys.argv[2]) < 5))" "$io" "$mem" && return 0
		sleep 1
	done
}

# windowed_run NODE SECONDS CMD: a run of this directory with no load for
# SECONDS, then CMD (shell text that ends within SECONDS) on NODE from an
# agreed second; sets FROM and TO (the load's window, a second trimmed at
# both ends) and IDLE (the start of as long a window before it, with no
# load: what a load leaves behind, a file's removal, written-back pages, is
# not in it), epoch seconds, for compose_windows.
windowed_run() {
	settle_pressure
	clusterp start -q
	local t
	t=$(($(date +%s) + $2 + 3))
	node_run "$1" "$(at_time "$t" "$3"); true"
	clusterp stop -q --with-parse >stop.out  # the files it fetched: not for the log
	FROM=$((t + 1)) TO=$((t + $2 - 1)) IDLE=$((t - $2 + 1))
}

# names HOST RESOURCE: report.out has a finding of HOST's RESOURCE, and
# every finding names HOST.
names() {
	awk -v host="$1" -v resource="$2" '
		$2 == host && $3 == resource { found = 1 }
		$2 != host { print "another host named: " $0; bad = 1 }
		END { if (!found) print "no finding of " host " " resource; exit bad || !found }' report.out
}

# spin ADDR SECONDS [THREADS] [EPOCH]: busy loops on a node (from the
# second EPOCH, when given).
spin() {
	node_run "$1" "$(at_time "${4:-0}" "for i in \$(seq ${3:-1}); do timeout $2 sh -c 'while :; do :; done' & done; wait; true")"
}

# work ADDR N EPOCH: a fixed amount of CPU work (a shell loop of N steps)
# from the second EPOCH.
work() {
	node_run "$1" "$(at_time "$3" "sh -c 'i=0; while [ \$i -lt $2 ]; do i=\$((i + 1)); done'")"
}

# without_manifest KIND HOST: the run here, judged again without
# .clusterp/run.json (the CPU counts then come from the data alone), still
# names HOST's cpu as KIND.
without_manifest() {
	mv .clusterp/run.json run.json.kept
	report_here "without run.json"
	mv run.json.kept .clusterp/run.json
	grep -q "^run $2 cpu $1: " report.out
}

@test "scenario: CPU hog (4 busy loops named cpu-hog on a node of 2 CPUs) on n1 names n1 cpu (saturated, with or without run.json) and cpu-hog" {
	hog() { node_run "$CLUSTER_NODE_1" "for i in 1 2 3 4; do timeout 20 bash -c 'exec -a cpu-hog bash -c \"while :; do :; done\"' & done; wait; true"; }
	run_scenario hog
	names n1 cpu
	grep -q '^run n1 cpu saturated: ' report.out
	grep -q '^run n1 cpu saturated: .*; top: \(.*; \)\?cpu-hog -c while :; do :; done (pid [0-9]*) [0-9.]* % of 200 %' report.out
	without_manifest saturated n1
}

@test "scenario: one busy thread on n2 names n2 cpu (single core bound, with or without run.json)" {
	# The thread is pinned to one CPU, as a bound MPI rank is: the scheduler
	# moves an unpinned one between the CPUs on a machine doing other work
	# (CI's did), and each CPU then reads about half busy, no core full.
	local cpus
	mapfile -t cpus < <(cluster_cpus)
	spinner() { node_run "$CLUSTER_NODE_2" "timeout 20 taskset -c ${cpus[0]} sh -c 'while :; do :; done'; true"; }
	run_scenario spinner
	names n2 cpu
	grep -q '^run n2 cpu single core bound: ' report.out
	without_manifest 'single core bound' n2
}

@test "scenario: n3 filling its memory (940 of 1024 MiB) names n3 memory and the python3 that holds it" {
	fill() { load_memory "$CLUSTER_NODE_3" 940 20; }
	run_scenario fill
	names n3 memory
	grep -q '^run n3 memory .*; top: \(.*; \)\?python3 -c import time; b = bytearray(94\.\.\. (pid [0-9]*) 9[0-9][0-9].[0-9] MiB resident' report.out
}

@test "scenario: the same work on every node, n4 slowed by a CPU quota, names n4 cpu (straggler)" {
	local dir
	dir=$(node_cgroup 4 cpu)
	echo 20000 >"$dir/cpu.cfs_quota_us"
	job() {
		local t=$(($(date +%s) + 4))
		work "$CLUSTER_NODE_1" 3000000 "$t" &
		work "$CLUSTER_NODE_2" 3000000 "$t" &
		work "$CLUSTER_NODE_3" 3000000 "$t" &
		work "$CLUSTER_NODE_4" 3000000 "$t" &
		wait
	}
	run_scenario job
	names n4 cpu
	grep -q '^run n4 cpu straggler: ' report.out
}

@test "scenario: every node busy, n2 going idle mid-run, names n2 cpu (stall)" {
	# n2 alone on one CPU, the others sharing another (cpusets; lxcfs shows a
	# node the CPUs of its cpuset only): n2's loop keeps its one CPU fully
	# busy, far above what its collectors cost once it stops (the rule
	# wants busy to fall below 1 % of what it was plus stall_after_pct, 3 %:
	# sadc and pidstat, which lists every process of this machine, read
	# 1-3 % of n2's one CPU).  With four nodes on two shared CPUs n2's loop
	# was a quarter of them, too near what its collectors cost.
	local n cpus
	mapfile -t cpus < <(cluster_cpus)
	[ "${#cpus[@]}" -ge 2 ] || skip "needs 2 CPUs"
	for n in 1 2 3 4; do
		if [ "$n" -eq 2 ]; then echo "${cpus[0]}"; else echo "${cpus[1]}"; fi >"$(node_cgroup "$n" cpuset)/cpuset.cpus"
	done
	job() {
		local t=$(($(date +%s) + 4))
		spin "$CLUSTER_NODE_1" 24 1 "$t" &
		spin "$CLUSTER_NODE_2" 12 1 "$t" &
		spin "$CLUSTER_NODE_3" 24 1 "$t" &
		spin "$CLUSTER_NODE_4" 24 1 "$t" &
		wait
	}
	run_scenario job
	names n2 cpu
	grep -q '^run n2 cpu stall: ' report.out
}

@test "scenario: n1 busy in the phase 'compute' (markers) names compute n1 cpu" {
	job() {
		clusterp mark --begin setup
		sleep 6
		clusterp mark --end setup
		clusterp mark --begin compute
		spin "$CLUSTER_NODE_1" 12 4
		clusterp mark --end compute
	}
	run_scenario job
	names n1 cpu
	awk '$1 != "compute" { print "not the phase compute: " $0; bad = 1 } END { exit bad }' report.out
}

@test "scenario: n1 writing to the disk (composed) names n1 disk; its idle window composed alike reports nothing" {
	# Four direct writers (a queue of four, the page cache bypassed) into the
	# node's /var/tmp, which is on $CLUSTER_DISK.
	windowed_run "$CLUSTER_NODE_1" 16 "for i in 1 2 3 4; do timeout 16 bash -c \"exec -a disk-writer dd if=/dev/zero of=/var/tmp/w\$i bs=1M count=100000 oflag=direct\" 2>/dev/null & done; wait; rm -f /var/tmp/w*"
	compose_windows "$PWD" loaded "$CLUSTER_NODE_1" "$FROM" "$TO" "$IDLE"
	(cd loaded && report_here loaded && names n1 disk)
	grep -q '^run n1 disk .*; top: \(.*; \)\?disk-writer if=/dev/zero of=/var/tmp/w[1-4]\.\.\. (pid [0-9]*) [0-9.]* MiB/s read and written' loaded/report.out
	# The control: n1's rows from the idle window too.
	compose_windows "$PWD" idle "$CLUSTER_NODE_1" "$IDLE" "$((IDLE + TO - FROM))" "$IDLE"
	(cd idle && report_here idle)
	assert_equal "$(cat idle/report.out)" 'no finding: no rule fired on 4 hosts in 1 phase'
}

@test "scenario: n3 swapping (a cgroup memory limit, a swap file; composed) names n3 memory (pressure)" {
	# On the disk (swap on a tmpfs is refused); teardown_file removes it if
	# this test does not get to.
	local SWAP_FILE=/var/tmp/clusterp-swap.${CLUSTER_DIR##*.}
	fallocate -l 512M "$SWAP_FILE"
	chmod 600 "$SWAP_FILE"
	mkswap -q "$SWAP_FILE"
	swapon "$SWAP_FILE"
	local dir
	dir=$(node_cgroup 3 memory)
	echo 160M >"$dir/memory.limit_in_bytes"
	# 320 MiB touched over and over in 160 MiB: pages go out and come back.
	windowed_run "$CLUSTER_NODE_3" 16 'timeout 16 python3 -c "
b = bytearray(320 << 20)
while True:
    for i in range(0, len(b), 4096): b[i] = 1
"'
	echo "${CLUSTER_NODE_MEMORY:-1G}" >"$dir/memory.limit_in_bytes"
	swapoff "$SWAP_FILE" && rm -f "$SWAP_FILE"
	compose_windows "$PWD" loaded "$CLUSTER_NODE_3" "$FROM" "$TO" "$IDLE"
	cd loaded
	report_here
	names n3 memory
	grep -q '^run n3 memory pressure: ' report.out
}

@test "scenario: n2 sending at its NIC's line rate names n2 network (saturated)" {
	# Into the discard service at the far end of n2's eth0 (10.9.2.1:9).
	send() { node_run "$CLUSTER_NODE_2" "timeout 20 sh -c 'cat /dev/zero | socat -u - TCP:10.9.2.1:9'; true"; }
	run_scenario send
	names n2 network
	grep -q '^run n2 network eth0 saturated: ' report.out
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
