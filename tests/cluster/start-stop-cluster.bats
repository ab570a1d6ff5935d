#!/usr/bin/env bats
# clusterp-start and clusterp-stop over SSH against the test cluster
# (tests/lib/cluster.bash): real sshd nodes on loopback addresses, each with
# its own /tmp, one without sysstat, one refusing connections.
load ../lib/common
load ../lib/cluster
load ../lib/collect
load ../lib/gpu

setup_file() { cluster_up 4; }
teardown_file() { cluster_down; }

setup() {
	cluster_home
	cd_workdir
}

# A failed test leaves no collector or directory behind for the next one.
teardown() {
	local n
	kill_leftover_collectors
	for n in n1 n2 n3 n4 nosysstat nosftp slow hidden pw; do cluster_exec "$n" sh -c 'rm -rf /tmp/clusterp.*'; done
}

# node_name ADDR: the cluster's name (n1..) of a plain node's address.
node_name() {
	local i
	for i in 1 2 3 4; do
		eval "[ \"\$CLUSTER_NODE_$i\" = \"$1\" ]" && { echo "n$i"; return; }
	done
	case $1 in
	"$CLUSTER_NOSYSSTAT_NODE") echo nosysstat ;;
	"$CLUSTER_NOSFTP_NODE") echo nosftp ;;
	"$CLUSTER_SLOW_NODE") echo slow ;;
	"$CLUSTER_HIDDEN") echo hidden ;;
	"$CLUSTER_PW_NODE") echo pw ;;
	esac
}

# node_clean ADDR...: no sadc running and nothing left in /tmp on each node.
nodes_clean() {
	local addr name
	for addr in "$@"; do
		name=$(node_name "$addr")
		if cluster_procs "$name" | grep -w sadc; then echo "sadc left on $name"; return 1; fi
		left=$(cluster_exec "$name" ls -A /tmp)
		[ -z "$left" ] || { echo "left in $name:/tmp: $left"; return 1; }
	done
}

# expected_files HOST...: what stop prints for these hosts.
expected_files() {
	local h c
	for h in "$@"; do
		for c in cpu load memory swap disk network sa; do echo "raw/$c/$h"; done
	done
}

@test "cluster: start, stop and download on 4 nodes, real data in every category, nothing left behind" {
	cluster_config $CLUSTER_NODES >config.yml
	run clusterp-start
	assert_success
	assert_output 'clusterp-start: 4 started, 0 failed'
	for h in $CLUSTER_NODES; do
		[ "$(manifest_field "$h" status)" = started ]
		case $(manifest_field "$h" dir) in /tmp/clusterp.??????) ;; *) return 1 ;; esac
		# (sadc splits its -S argument in place: its commas read as spaces.)
		cluster_procs "$(node_name "$h")" | grep -q " sadc .* -S A_NULL A_CPU A_QUEUE A_PAGE A_SWAP A_MEMORY A_DISK A_NET_DEV A_NET_EDEV A_PSI_CPU A_PSI_IO A_PSI_MEM 1 $(manifest_field "$h" dir)/run.sa"
	done
	sleep 3
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(expected_files $CLUSTER_NODES)"
	[ "$stderr" = 'clusterp-stop: 4 stopped, 0 failed' ]
	for h in $CLUSTER_NODES; do
		for c in cpu load memory swap disk network; do
			[ "$(grep -vc '^#' "raw/$c/$h")" -ge 2 ] || { echo "raw/$c/$h has too little"; cat "raw/$c/$h"; return 1; }
		done
		LC_ALL=C sadf -d -U "raw/sa/$h" -- -u ALL -P ALL >cpu.txt
		diff -u "raw/cpu/$h" cpu.txt
		[ "$(manifest_field "$h" status)" = stopped ]
	done
	nodes_clean $CLUSTER_NODES
	grep -q "$CLUSTER_NODE_3: download: " clusterp.log
}

@test "cluster: a real run yields every column of the contract, empty only where this sysstat or kernel cannot record it" {
	cluster_config $CLUSTER_NODE_1 >config.yml
	run -0 clusterp-start -q
	# Load for the saturation and error columns: CPU, memory and I/O.
	cluster_exec n1 sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done' &
	sleep 4
	wait
	run --separate-stderr clusterp-stop -q --with-parse
	assert_success
	h=$CLUSTER_NODE_1
	# Pressure stall information needs the kernel's /proc/pressure and
	# sysstat 12.3.3+; %vmeff is gone from sysstat 12.7.5 on.
	psi=no
	cluster_exec n1 test -r /proc/pressure/io && psi=yes
	version=$(cluster_exec n1 sh -c 'sar -V 2>&1 | head -n 1')
	for c in cpu load memory swap disk network; do
		[ -s "parsed/$c/$h" ] || { echo "no parsed/$c/$h"; return 1; }
		"$UNIT_BIN/contract" columns "$c" | tr ' ' '\n' >cols
		while read -r col; do
			n=$(awk -F, -v want="$col" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) k = i; next }
				k && $k != "" { n++ } END { print n + 0 }' "parsed/$c/$h")
			case $col in
			*_some_pct | *_full_pct) [ "$psi" = yes ] || continue ;;
			vmeff_pct) case $version in *' 12.7.'[5-9]* | *' 1[3-9].'*) continue ;; esac ;;
			device_alias | iface_alias) ;;
			esac
			[ "$n" -ge 2 ] || { echo "$c $col: only $n rows with a value ($version, psi $psi)"; return 1; }
		done <cols
	done
	nodes_clean $h
}

# start_stop_check HOST...: start, 3 s, stop on HOSTS (config.yml made by the
# caller); every category and the sa file arrive whole; nothing left.
start_stop_check() {
	run clusterp-start
	assert_success
	sleep 3
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(expected_files "$@")"
	for h in "$@"; do
		LC_ALL=C sadf -d -U "raw/sa/$h" -- -u ALL -P ALL >cpu.txt
		diff -u "raw/cpu/$h" cpu.txt
		[ "$(grep -vc '^#' "raw/cpu/$h")" -ge 2 ]
	done
	nodes_clean "$@"
}

@test "cluster: a node without an SFTP subsystem: stop fetches everything over the command channel" {
	# OpenSSH's own client finds no SFTP there.
	run cluster_ssh -s "$CLUSTER_NOSFTP_NODE" sftp </dev/null
	assert_failure
	cluster_config $CLUSTER_NODE_1 $CLUSTER_NOSFTP_NODE >config.yml
	start_stop_check $CLUSTER_NODE_1 $CLUSTER_NOSFTP_NODE
	grep -q "$CLUSTER_NOSFTP_NODE: downloaded .* bytes in 7 files in " clusterp.log
}

@test "cluster: a login shell that takes 1 s per command, with ssh_timeout 3" {
	[ "$(cluster_ssh "$CLUSTER_SLOW_NODE" cat .bashrc)" = 'sleep 1' ]
	cluster_config ssh_timeout=3 $CLUSTER_SLOW_NODE >config.yml
	start_stop_check $CLUSTER_SLOW_NODE
	# The node shares this clock: the offset measured once the shell is up
	# is within its error bound, and that bound is 5 ms at most.
	python3 -c "import sys; o, e = map(float, sys.argv[1:]); sys.exit(not (abs(o) <= e <= 0.005))" \
		"$(manifest_field $CLUSTER_SLOW_NODE clock_offset)" "$(manifest_field $CLUSTER_SLOW_NODE clock_error)"
}

@test "cluster: an unreachable host among good ones: exit 1, the others fine; none reachable: 69" {
	cluster_config $CLUSTER_NODE_1 $CLUSTER_REFUSED $CLUSTER_NODE_2 >config.yml
	run clusterp-start
	assert_failure 1
	assert_output --regexp "^clusterp-start: $CLUSTER_REFUSED: [^
]*refused[^
]*
clusterp-start: 2 started, 1 failed$"
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(expected_files $CLUSTER_NODE_1 $CLUSTER_NODE_2)"
	nodes_clean $CLUSTER_NODE_1 $CLUSTER_NODE_2
	rm -rf .clusterp raw
	run clusterp-start -H "$CLUSTER_REFUSED"
	assert_failure 69
}

@test "cluster: start twice is refused; stop without start is an error" {
	cluster_config $CLUSTER_NODE_1 >config.yml
	run clusterp-stop
	assert_failure 66
	run -0 clusterp-start -q
	run clusterp-start
	assert_failure 73
	assert_output --partial 'is still active'
	[ "$(cluster_procs n1 | grep -cw sadc)" = 1 ]
	run -0 clusterp-stop -q
	nodes_clean $CLUSTER_NODE_1
}

@test "cluster: -f 1 and -f 64 give the same files" {
	cluster_config $CLUSTER_NODES >config.yml
	for f in 1 64; do
		rm -rf raw .clusterp
		run -0 clusterp-start -q -f $f
		sleep 1
		run --separate-stderr clusterp-stop -f $f
		assert_success
		printf '%s\n' "$output" >out-$f
		(cd raw && find . -type f | sort) >tree-$f
	done
	diff -u out-1 out-64
	diff -u tree-1 tree-64
	nodes_clean $CLUSTER_NODES
}

@test "cluster: aliases and device names full of shell metacharacters never reach a shell" {
	{
		cluster_config "$CLUSTER_NODE_1:\$(touch pwned1);'x\"\`touch pwned2\`" "$CLUSTER_NODE_2:a|b&c>pwned6"
		echo "filesystem_names:"
		echo "    - 'sda;touch pwned3': '\$(touch pwned4)'"
		echo "net_interfaces:"
		echo "    - 'eth0\`touch pwned5\`': \"it's\""
	} >config.yml
	run -0 clusterp-start -q
	[ "$(manifest_field "$CLUSTER_NODE_1" alias)" = "\$(touch pwned1);'x\"\`touch pwned2\`" ]
	sleep 1
	run -0 clusterp-stop -q
	nodes_clean $CLUSTER_NODE_1 $CLUSTER_NODE_2
	for n in n1 n2; do
		found=$(cluster_exec $n find / -xdev -maxdepth 3 -name 'pwned*' 2>/dev/null)
		[ -z "$found" ] || { echo "$n: $found"; return 1; }
	done
	[ -z "$(find . / -maxdepth 1 -name 'pwned*')" ]
	[ -s "raw/disk/$CLUSTER_NODE_1" ]
}

@test "cluster: a host that fails at stop keeps its data and can be stopped again with -H" {
	cluster_config $CLUSTER_NODE_1 $CLUSTER_NODE_2 >config.yml
	run -0 clusterp-start -q
	sleep 1
	# n2 becomes unreachable: ~/.ssh/config sends it to a port nobody listens on.
	printf 'Host %s\n    Port 1\nHost *\n    Port %s\n' "$CLUSTER_NODE_2" "$CLUSTER_PORT" >"$HOME/.ssh/config"
	grep -v '^ssh_port:' config.yml >c2.yml
	run --separate-stderr clusterp-stop -c c2.yml
	assert_failure 1
	assert_output "$(expected_files $CLUSTER_NODE_1)"
	[[ $stderr == *"clusterp-stop: $CLUSTER_NODE_2: "*"refused"* ]]
	[ "$(manifest_field "$CLUSTER_NODE_2" status)" = started ]
	cluster_exec n2 sh -c 'ls /tmp/clusterp.*/run.sa'
	rm "$HOME/.ssh/config"
	run --separate-stderr clusterp-stop -H "$CLUSTER_NODE_2"
	assert_success
	assert_output "$(expected_files $CLUSTER_NODE_2)"
	[ -s "raw/cpu/$CLUSTER_NODE_1" ]
	[ -s "raw/cpu/$CLUSTER_NODE_2" ]
	nodes_clean $CLUSTER_NODE_1 $CLUSTER_NODE_2
}

@test "cluster: --dry-run connects nowhere" {
	cluster_config $CLUSTER_NODE_1 $CLUSTER_REFUSED >config.yml
	run --separate-stderr clusterp-start --dry-run
	assert_success
	[ "$(printf '%s\n' "$output" | cut -d' ' -f1)" = "$CLUSTER_NODE_1:
$CLUSTER_REFUSED:" ]
	[ ! -e .clusterp ]
	nodes_clean $CLUSTER_NODE_1
}

@test "cluster: through the gateway to a node only it reaches" {
	cluster_config ssh_gateway="$CLUSTER_GATEWAY" "$CLUSTER_HIDDEN" >config.yml
	run clusterp-start
	assert_success
	assert_output 'clusterp-start: 1 started, 0 failed'
	sleep 1
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(expected_files $CLUSTER_HIDDEN)"
	[ "$(grep -vc '^#' "raw/network/$CLUSTER_HIDDEN")" -ge 1 ]
	nodes_clean $CLUSTER_HIDDEN
}

@test "cluster: password authentication; the password is in no log, manifest, output or file" {
	cluster_config "$CLUSTER_PW_NODE" >config.yml
	export CLUSTERP_SSH_PASSWORD=$CLUSTER_PASSWORD
	run clusterp-start -v
	assert_success
	printf '%s\n' "$output" >start.out
	sleep 1
	run clusterp-stop -v
	assert_success
	printf '%s\n' "$output" >stop.out
	[ -s "raw/cpu/$CLUSTER_PW_NODE" ]
	[ -n "$CLUSTER_PASSWORD" ]
	run grep -rlF -- "$CLUSTER_PASSWORD" clusterp.log .clusterp raw start.out stop.out
	assert_failure 1
	nodes_clean $CLUSTER_PW_NODE
}

@test "cluster: gpu: nvidia-smi beside sadc on the nodes that have it, none elsewhere; gpu: off starts none" {
	cluster_gpu n1 "$GPU_H100" 'gpus 2'
	cluster_gpu n2 "$GPU_H100" 'fail exit'
	cluster_config $CLUSTER_NODE_1 $CLUSTER_NODE_2 $CLUSTER_NODE_3 >config.yml
	run clusterp-start
	assert_success
	assert_output "clusterp-start: warning: $CLUSTER_NODE_2: gpu: nvidia-smi did not start: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.
clusterp-start: 3 started, 0 failed"
	grep -q "$CLUSTER_NODE_3: gpu: not collected: nvidia-smi not found" clusterp.log
	cluster_procs n1 | grep -q ' nvidia-smi .*--query-gpu='
	sleep 2
	run --separate-stderr clusterp-stop
	assert_success
	assert_line "raw/gpu/$CLUSTER_NODE_1"
	refute_line "raw/gpu/$CLUSTER_NODE_2"
	refute_line "raw/gpu/$CLUSTER_NODE_3"
	[ "$(grep -c ', 1, GPU-' "raw/gpu/$CLUSTER_NODE_1")" -ge 2 ]
	head -n 1 "raw/gpu/$CLUSTER_NODE_1" | grep -q '^timestamp, index, uuid, name, utilization.gpu \[%\]'
	[ -s "raw/cpu/$CLUSTER_NODE_2" ]
	run cluster_procs n1
	refute_output --partial nvidia-smi
	nodes_clean $CLUSTER_NODE_1 $CLUSTER_NODE_2 $CLUSTER_NODE_3
	# Parsed on the run's timeline with the others; plot and report take it.
	run --separate-stderr clusterp-parse
	assert_success
	head -n 1 "parsed/gpu/$CLUSTER_NODE_1" | grep -qx 'time,elapsed,host,alias,gpu,gpu_alias,util_pct,mem_util_pct,mem_used_mib,mem_total_mib,mem_used_pct,power_w,power_limit_w,temp_c,sm_clock_mhz,sm_clock_max_mhz,throttle'
	[ "$(grep -c ",$CLUSTER_NODE_1,$CLUSTER_NODE_1,1,NVIDIA H100 80GB HBM3,100,11,19818,81559," "parsed/gpu/$CLUSTER_NODE_1")" -ge 2 ]
	[ ! -e "parsed/gpu/$CLUSTER_NODE_2" ]
	[ -s "parsed/cpu/$CLUSTER_NODE_2" ]
	run clusterp-report
	assert_success
	cluster_no_gpu n1
	cluster_no_gpu n2

	rm -rf raw .clusterp
	cluster_config gpu=off $CLUSTER_NODE_1 >config.yml
	run clusterp-start
	assert_success
	run cluster_procs n1
	refute_output --partial nvidia-smi
	run clusterp-stop
	assert_success
	refute_line --partial raw/gpu/
	cluster_no_gpu n1
	cluster_no_gpu n2
}

# gpu_job NODE N [NODE N]...: a job for clusterp run that polls (60 s at
# most) until each NODE's nvidia-smi has written N more lines than when the
# job began (so that the job's phase holds them), reading the node's own
# /tmp (nsenter into its mount namespace; node pids are plain numbers).
gpu_job() {
	local pids='' wants=''
	while [ $# -gt 0 ]; do
		pids="$pids $(cluster_pid "$1")" wants="$wants $2"
		shift 2
	done
	cat <<-EOF
		lines() { nsenter --target "\$1" --mount -- sh -c 'cat /tmp/clusterp.*/gpu.txt 2>/dev/null' | wc -l; }
		goal=''; for p in$pids; do goal="\$goal \$(lines \$p)"; done
		for _ in \$(seq 600); do
			set -- $wants; ok=1; k=0
			for p in$pids; do
				k=\$((k + 1)); start=\$(echo \$goal | cut -d' ' -f\$k)
				[ "\$(lines \$p)" -ge \$((start + \$1)) ] || ok=''; shift
			done
			[ -n "\$ok" ] && exit 0
			sleep 0.1
		done
		exit 1
	EOF
}

@test "cluster: clusterp run with planted GPU scenarios names, in report.md and on the run page, the idle GPU, the underused one, the input-bound host and the throttled GPU; a control run names no GPU" {
	cluster_gpu n1 "$GPU_H100" 'gpus 2'
	cluster_gpu n2 "$GPU_H100" 'gpus 2' 'set.1 utilization.gpu 0 %' 'set.0 clocks_event_reasons.active 0x0000000000000004' \
		'set.0 clocks.current.sm 1200 MHz'
	cluster_gpu n3 "$GPU_H100" 'set utilization.gpu 9 %'
	cluster_gpu n4 "$GPU_H100" 'set utilization.gpu 5 %'
	cluster_config $CLUSTER_NODES >config.yml
	# The nodes read this machine's /proc/stat, so n4's loader keeps a core
	# busy for each of them: n3 is told from n4 by the GPU's level alone.
	printf 'report:\n    input_bound_gpu_pct: 7\n' >>config.yml
	# n4's data loader: one core fully busy through the whole run, so running
	# before the run (the nodes share this machine's cores, so n4's GPU alone
	# is low enough to make it input bound).  On a machine loaded by other
	# work every core is busy anyway; on an idle one a loader started after
	# start missed the first samples and n4 came out underused.  It ends when
	# /tmp/loading (the node's own) goes.  It is pinned to one CPU: moved
	# between the CPUs by the scheduler (CI's machine did, busy with the
	# other suites), it left no core at 95 % and n4 came out underused.
	local cpu
	cpu=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*\([0-9]*\).*/\1/p' /proc/self/status)
	cluster_exec n4 sh -c "touch /tmp/loading; exec timeout 60 taskset -c $cpu sh -c 'while [ -e /tmp/loading ]; do :; done'" &
	for _ in $(seq 300); do
		cluster_procs n4 | grep -q 'while \[ -e /tmp/loading' && break
		sleep 0.1
	done
	run cluster_procs n4
	assert_output --partial 'while [ -e /tmp/loading ]'
	# Six samples at least in the job's phase on every node (the rules want
	# three in a row): two lines a sample on n2, one on n4.
	run --separate-stderr clusterp run -- sh -c "$(gpu_job n2 12 n4 6)"
	cluster_exec n4 rm -f /tmp/loading
	wait
	assert_success
	run -0 cut -d, -f1,4,6-9 report/findings.csv
	assert_line "job,$CLUSTER_NODE_2,gpu,1,gpu idle,warning"
	assert_line "job,$CLUSTER_NODE_2,gpu,0,gpu throttled,warning"
	assert_line "job,$CLUSTER_NODE_3,gpu,0,gpu underused,notice"
	assert_line "job,$CLUSTER_NODE_4,gpu,0,input bound,warning"
	refute_line --regexp "^job,$CLUSTER_NODE_1,gpu,"
	run -0 grep '| gpu ' report/report.md
	assert_line --regexp "^\\| warning \\| job \\| $CLUSTER_NODE_2 \\| gpu 1 \\| gpu idle \\| [0-9]+% \\| a kernel running 0.0 % of the time"
	assert_line --regexp "^\\| warning \\| job \\| $CLUSTER_NODE_2 \\| gpu 0 \\| gpu throttled \\| [0-9]+% \\| its SM clock at 60.6 % of its maximum, slowed by its power limit"
	assert_line --regexp "^\\| notice \\| job \\| $CLUSTER_NODE_3 \\| gpu 0 \\| gpu underused \\| [0-9]+% \\| a kernel running 9.0 % of the time"
	assert_line --regexp "^\\| warning \\| job \\| $CLUSTER_NODE_4 \\| gpu 0 \\| input bound \\| [0-9]+% \\| a kernel running 5.0 % of the time while the busiest CPU core is"
	refute_line --partial "| $CLUSTER_NODE_1 |"
	for row in "$CLUSTER_NODE_2,gpu,1,gpu idle" "$CLUSTER_NODE_2,gpu,0,gpu throttled" "$CLUSTER_NODE_3,gpu,0,gpu underused" \
		"$CLUSTER_NODE_4,gpu,0,input bound"; do
		IFS=, read -r host resource device finding <<<"$row"
		grep -q "<td>$host</td><td>$host</td><td>$resource</td><td>$device</td><td>$finding</td>" plot/index.html
	done
	run -1 grep -q "<td>$CLUSTER_NODE_1</td><td>$CLUSTER_NODE_1</td><td>gpu</td>" plot/index.html
	# The page's gpu plots: a heatmap row per GPU (two each on n1 and n2, one
	# on n3 and n4), n2's idle GPU named first, the findings linked to it.
	grep -q "^# GPU utilization (per host:GPU): 6 rows by " plot/gpu/utilization_heatmap.gp
	grep -q "^set ytics scale 0 font ',8' ('$CLUSTER_NODE_2:1' 0, " plot/gpu/utilization_heatmap.gp
	grep -q '<td>gpu idle</td>.*<a href="#gpu/utilization_heatmap.svg">plot</a>' plot/index.html
	[ -s plot/gpu/power_band.svg ]

	# The control: every GPU busy at its full clock, no loader.
	for n in n2 n3 n4; do cluster_gpu "$n" "$GPU_H100"; done
	mkdir control
	cd control
	cp ../config.yml .
	run --separate-stderr clusterp run -- sh -c "$(gpu_job n2 6 n4 6)"
	assert_success
	run -1 grep -q ',gpu,' report/findings.csv
	run -0 sed -n '/<section id="findings">/,/<\/section>/p' plot/index.html
	refute_output --partial '<td>gpu</td>'
	for n in n1 n2 n3 n4; do cluster_no_gpu "$n"; done
}
