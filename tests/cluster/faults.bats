#!/usr/bin/env bats
# Fault injection on the test cluster (tests/lib/cluster.bash): one test per
# way a real cluster breaks.  Each asserts the one line that names the host
# and the cause, the exit status, and that every other host's data is
# complete (every category in raw/, the text equal to what sadf makes of the
# downloaded sa file) with nothing left on its node.
load ../lib/common
load ../lib/cluster
load ../lib/collect

setup_file() { cluster_up 3; }
teardown_file() { cluster_down; }

setup() {
	cluster_home
	cd_workdir
	N1=$CLUSTER_NODE_1 N2=$CLUSTER_NODE_2 N3=$CLUSTER_NODE_3
}

# A failed test leaves no collector, frozen node or directory behind.
teardown() {
	local n
	for n in n1 n2 n3 nosysstat pw slow; do
		node_signal "$n" CONT
		cluster_exec "$n" sh -c 'rm -rf /tmp/clusterp.*'
	done
	cluster_exec slow sh -c "echo 'sleep 1' >/root/.bashrc"
	cluster_exec n2 umount "$(command -v gzip)" 2>/dev/null || :
	cluster_exec n2 umount "$(command -v cat)" 2>/dev/null || :
	if [ -n "${SMALL_DISK:-}" ]; then cd / && umount "$SMALL_DISK"; fi
	kill_leftover_collectors
}

# node_signal NAME SIGNAL: sends SIGNAL to every process of the node but
# its sshd listener (SIGSTOP: the node stops answering, its TCP stays up).
node_signal() {
	local pid
	for pid in $(cluster_procs "$1" | cut -d' ' -f1); do kill -"$2" "$pid" 2>/dev/null || :; done
}

# node_freeze NAME: the node and its listener stop answering altogether.
node_freeze() {
	node_signal "$1" STOP
	kill -STOP "$(cluster_pid "$1")"
}

node_thaw() {
	kill -CONT "$(cluster_pid "$1")"
	node_signal "$1" CONT
}

# complete HOST...: every category of each HOST in raw/, real samples, the
# text what sadf makes of raw/sa, the host stopped in the manifest, and
# nothing left on its node.
complete() {
	local h c name
	for h in "$@"; do
		for c in cpu load memory swap disk network; do
			[ "$(grep -vc '^#' "raw/$c/$h")" -ge 1 ] || { echo "raw/$c/$h has no sample"; return 1; }
		done
		LC_ALL=C sadf -d -U "raw/sa/$h" -- -u ALL -P ALL >"$BATS_TEST_TMPDIR/cpu.txt"
		diff -u "raw/cpu/$h" "$BATS_TEST_TMPDIR/cpu.txt"
		[ "$(manifest_field "$h" status)" = stopped ] || { echo "$h: $(manifest_field "$h" status)"; return 1; }
		name=$(cluster_name "$h")
		if cluster_procs "$name" | grep -w sadc; then echo "sadc left on $name"; return 1; fi
		[ -z "$(cluster_exec "$name" ls -A /tmp)" ] || { echo "left on $name: $(cluster_exec "$name" ls -A /tmp)"; return 1; }
	done
}

# files HOST...: what stop prints for these hosts.
files() {
	local h c
	for h in "$@"; do
		for c in cpu load memory swap disk network sa; do echo "raw/$c/$h"; done
	done
}

# started_on HOST...: a run on these hosts, two samples taken.
started_on() {
	cluster_config "$@" >config.yml
	run -0 clusterp-start -q
	sleep 2
}

# stops_fully HOST...: a plain stop brings every HOST's data home.
stops_fully() {
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(files "$@")"
	complete "$@"
}

# grow_sa ADDR RECORDS: appends RECORDS copies of the last record to the
# collector's file on the node, as a run of that many more samples would
# (sadc writes whole records; sadf takes repeated times as they are).
grow_sa() {
	local name f
	name=$(cluster_name "$1")
	f=$(manifest_field "$1" dir)/run.sa
	cluster_exec "$name" python3 - "$f" "$2" <<-'PY'
		import os, sys, time
		path, count = sys.argv[1], int(sys.argv[2])
		def size():
		    return os.path.getsize(path)
		# The record size: what one more sample adds.
		before = size()
		while size() == before:
		    time.sleep(0.05)
		after = size()
		while size() == after:
		    time.sleep(0.05)
		record = size() - after
		with open(path, "rb") as f:
		    f.seek(-record, os.SEEK_END)
		    last = f.read(record)
		with open(path, "ab") as f:
		    f.write(last * count)
	PY
}

# slow_stream_on_n2 [PAUSE]: n2's cat pauses PAUSE seconds (default 0.01)
# after every 64 KiB, at most 6 MB/s then, and its gzip is gone (the stream
# goes plain), so that a large download is caught in the act.  teardown
# undoes it.
slow_stream_on_n2() {
	cat >"$CLUSTER_DIR/slowcat" <<-PY
		#!/usr/bin/python3
		import sys, time
		for f in [open(p, "rb") for p in sys.argv[1:]] or [sys.stdin.buffer]:
		    while chunk := f.read(65536):
		        sys.stdout.buffer.write(chunk)
		        sys.stdout.buffer.flush()
		        time.sleep(${1:-0.01})
	PY
	chmod +x "$CLUSTER_DIR/slowcat"
	cluster_exec n2 mount --bind "$CLUSTER_DIR/slowcat" "$(command -v cat)"
	cluster_exec n2 mount --bind /dev/null "$(command -v gzip)"
	if cluster_exec n2 gzip -c </dev/null; then echo "gzip still runs on n2"; return 1; fi
}

# await CMD...: polls (10 ms steps, 30 s at most) until CMD succeeds.
await() {
	local _
	for _ in $(seq 1 3000); do
		"$@" && return 0
		sleep 0.01
	done
	echo "never: $*"
	return 1
}

# partial_download HOST: part of HOST's sa file (1 MB at least) is here.
partial_download() { [ -n "$(find raw -path "raw/sa/.$1.tmp.*" -size +1M 2>/dev/null)" ]; }

# first_line start|stop: what clusterp-start or -stop says at once on a
# first signal.
first_line() {
	echo "clusterp-$1: interrupted: the hosts under way finish, no other begins (a second signal ends at once)"
}

# signal_midway 'clusterp-VERB ARG...' SIGNAL TIMES STATUS CONDITION...:
# runs the tool in the background (output in VERB.out and VERB.err) and
# sends it SIGNAL once CONDITION holds (await), then, when TIMES is 2, again
# once it has said it was interrupted; it must exit with STATUS.
signal_midway() {
	local tool=$1 signal=$2 times=$3 expected=$4 pid status=0
	shift 4
	local verb=${tool%% *}
	verb=${verb#clusterp-}
	# shellcheck disable=SC2086 # the tool and its arguments, as written
	env --default-signal=INT $tool >"$verb.out" 2>"$verb.err" &
	pid=$!
	await "$@"
	kill -"$signal" "$pid"
	if [ "$times" -eq 2 ]; then
		await grep -q interrupted "$verb.err"
		kill -"$signal" "$pid"
	fi
	wait "$pid" || status=$?
	[ "$status" -eq "$expected" ] || { echo "$tool: exit $status, not $expected"; cat "$verb.err"; return 1; }
}

# shell_busy NAME: a command's login shell on node NAME is at work (its
# .bashrc's sleep, or a nap of the command); quiet NAME: nothing runs there
# but the sshd listener.
shell_busy() { cluster_procs "$1" | grep -qw sleep; }
quiet() { [ -z "$(cluster_procs "$1")" ]; }

# no_temporaries: no temporary file of clusterp's in the working directory.
no_temporaries() {
	local left
	left=$(find . -name '.*.tmp.*')
	[ -z "$left" ] || { echo "left: $left"; return 1; }
}

# untouched NAME: nothing of clusterp's on node NAME (no sadc, empty /tmp).
untouched() {
	if cluster_procs "$1" | grep -w sadc; then echo "sadc on $1"; return 1; fi
	[ -z "$(cluster_exec "$1" ls -A /tmp)" ] || { echo "left on $1: $(cluster_exec "$1" ls -A /tmp)"; return 1; }
}

@test "faults: connection refused" {
	cluster_config "$N1" "$CLUSTER_REFUSED" "$N2" >config.yml
	run clusterp-start
	assert_failure 1
	assert_output "clusterp-start: $CLUSTER_REFUSED: connection refused
clusterp-start: 2 started, 1 failed"
	[ "$(manifest_field "$CLUSTER_REFUSED" status)" = failed ]
	sleep 1
	stops_fully "$N1" "$N2"
}

@test "faults: a port that never speaks" {
	cluster_config ssh_timeout=2 "$CLUSTER_SILENT" "$N1" >config.yml
	run clusterp-start
	assert_failure 1
	assert_output "clusterp-start: $CLUSTER_SILENT: timed out after 2 s (ssh handshake)
clusterp-start: 1 started, 1 failed"
	sleep 1
	stops_fully "$N1"
}

@test "faults: a wrong password" {
	cluster_config "$CLUSTER_PW_NODE" "$N1" >config.yml
	CLUSTERP_SSH_PASSWORD=wrong-$CLUSTER_PASSWORD run clusterp-start
	assert_failure 1
	assert_output "clusterp-start: $CLUSTER_PW_NODE: permission denied for root (tried password)
clusterp-start: 1 started, 1 failed"
	refute_output --partial "$CLUSTER_PASSWORD"
	sleep 1
	stops_fully "$N1"
}

@test "faults: a key the node refuses" {
	# n1 is reached with the cluster's key; n2 gets the default key, new
	# and unknown to it.
	mv "$HOME/.ssh/id_ed25519" "$HOME/.ssh/good"
	mv "$HOME/.ssh/id_ed25519.pub" "$HOME/.ssh/good.pub"
	ssh-keygen -q -t ed25519 -N '' -f "$HOME/.ssh/id_ed25519"
	printf 'Host %s\n    IdentityFile ~/.ssh/good\n' "$N1" >"$HOME/.ssh/config"
	cluster_config "$N1" "$N2" >config.yml
	run clusterp-start
	assert_failure 1
	assert_output "clusterp-start: $N2: permission denied for root (tried key '$HOME/.ssh/id_ed25519')
clusterp-start: 1 started, 1 failed"
	sleep 1
	stops_fully "$N1"
}

@test "faults: a host key that changed" {
	local known=$HOME/.ssh/known_hosts
	awk -v n="$(cluster_known_name "$N2")" '$1 != n' "$known" >k && mv k "$known"
	echo "$(cluster_known_name "$N2") $(cluster_host_key n3)" >>"$known"
	cluster_config "$N1" "$N2" >config.yml
	run clusterp-start
	assert_failure 1
	assert_output "clusterp-start: $N2: host key for $(cluster_known_name "$N2") has changed (now ED25519 key $(ssh-keygen -lf "$CLUSTER_DIR/nodes/n2/ssh_host_ed25519_key.pub" | cut -d' ' -f2)): possible man-in-the-middle attack; if the change is expected, remove the old key from '$known'
clusterp-start: 1 started, 1 failed"
	sleep 1
	stops_fully "$N1"
}

@test "faults: sysstat missing on a node" {
	cluster_config "$N1" "$CLUSTER_NOSYSSTAT_NODE" >config.yml
	run clusterp-start
	assert_failure 1
	assert_output "clusterp-start: $CLUSTER_NOSYSSTAT_NODE: sysstat is not installed (sadc not found)
clusterp-start: 1 started, 1 failed"
	[ -z "$(cluster_exec nosysstat ls -A /tmp)" ]
	sleep 1
	stops_fully "$N1"
}

@test "faults: a collector killed between start and stop" {
	started_on "$N1" "$N2"
	cluster_exec n2 kill -KILL "$(manifest_field "$N2" pid)"
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(files "$N1" "$N2")"
	[ "$stderr" = "clusterp-stop: warning: $N2: the collector had already ended; keeping what it collected until then
clusterp-stop: 2 stopped, 0 failed" ]
	complete "$N1" "$N2"
}

@test "faults: a node away at stop keeps its data; stop -H brings it home once it is back" {
	started_on "$N1" "$N2" "$N3"
	sed -i 's/^ssh_timeout: .*/ssh_timeout: 2/' config.yml
	node_freeze n2
	run --separate-stderr clusterp-stop
	node_thaw n2
	assert_failure 1
	assert_output "$(files "$N1" "$N3")"
	[ "$stderr" = "clusterp-stop: $N2: timed out after 2 s (ssh handshake)
clusterp-stop: 2 stopped, 1 failed" ]
	[ "$(manifest_field "$N2" status)" = started ]
	complete "$N1" "$N3"
	run --separate-stderr clusterp-stop -H "$N2"
	assert_success
	assert_output "$(files "$N2")"
	complete "$N1" "$N2" "$N3"
}

@test "faults: the connection cut in the middle of a download" {
	started_on "$N1" "$N2"
	grow_sa "$N2" 20000
	# The stream would be here before the cut (26 MB take 1 s on loopback).
	slow_stream_on_n2
	size=$(cluster_exec n2 sh -c "wc -c <$(manifest_field "$N2" dir)/run.sa")
	clusterp-stop >stop.out 2>stop.err &
	stopper=$!
	# Once part of n2's sa file is here, every sshd of the session goes.
	await partial_download "$N2"
	# An sshd of the session may end on its own meanwhile: that one is gone already.
	for pid in $(cluster_procs n2 2>/dev/null | awk '$2 ~ /^sshd/ { print $1 }'); do kill -KILL "$pid" 2>/dev/null || :; done
	stopped=0
	wait "$stopper" || stopped=$?
	[ "$stopped" -eq 1 ]
	run cat stop.err
	assert_output --regexp "^clusterp-stop: $N2: [^
]+ \(its data stays on the node: stop it again with -H $N2\)
clusterp-stop: 1 stopped, 1 failed$"
	diff -u <(files "$N1") stop.out
	[ -z "$(find raw -name '.*' -newer config.yml ! -name .run_id)" ]
	[ ! -e "raw/sa/$N2" ]
	complete "$N1"
	run --separate-stderr clusterp-stop -H "$N2"
	assert_success
	[ "$(wc -c <"raw/sa/$N2")" -ge "$size" ]
	complete "$N1" "$N2"
}

@test "faults: the local disk full during stop: exit 74 naming the file; the data stays on the node, a later stop completes" {
	# The working directory on a 512 KiB file system: n1's data fits, n2's
	# (grown by 2000 records, about 2 MB) does not.
	SMALL_DISK=$WORK/small
	mkdir "$SMALL_DISK"
	mount -t tmpfs -o size=512k tmpfs "$SMALL_DISK"
	cd "$SMALL_DISK"
	started_on "$N1" "$N2"
	grow_sa "$N2" 2000
	run --separate-stderr clusterp-stop -f 1
	assert_failure 74
	assert_output "$(files "$N1")"
	[[ $stderr =~ ^"clusterp-stop: $N2: cannot write 'raw/"[a-z]+"/$N2': no space left on device (its data stays on the node)
clusterp-stop: 1 stopped, 1 failed"$ ]]
	[ -z "$(find raw -name '.*' ! -name .run_id)" ]
	[ "$(manifest_field "$N2" status)" = started ]
	complete "$N1"
	mount -o remount,size=64m "$SMALL_DISK"
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(files "$N2")"
	complete "$N1" "$N2"
}

@test "faults: ^C during start: the host under way finishes and is recorded, no other begins; exit 130; stop stops them all" {
	local slow=$CLUSTER_SLOW_NODE
	# One host at a time: n1 and n2 start, the slow node is under way (its
	# .bashrc sleeps 1 s) when the signal comes, n3 is never begun.
	cluster_config "$N1" "$N2" "$slow" "$N3" >config.yml
	signal_midway 'clusterp-start -q -f 1' INT 1 130 shell_busy slow
	[ "$(cat start.err)" = "$(first_line start)
clusterp-start: interrupted: 3 started, 0 failed, 1 not begun ($N3); clusterp stop stops the ones started" ]
	[ ! -s start.out ]
	for h in "$N1" "$N2" "$slow"; do [ "$(manifest_field "$h" status)" = started ]; done
	[ -z "$(manifest_field "$N3" status)" ]
	untouched n3
	no_temporaries
	sleep 1
	stops_fully "$N1" "$N2" "$slow"
}

@test "faults: a second ^C during start ends it at once; the node under way rolls its collector back" {
	local slow=$CLUSTER_SLOW_NODE
	# The slow node's .bashrc sleeps 3 s in this test (teardown puts 1 s
	# back), so that the second signal surely comes while that node is
	# still under way: with 1 s, seen late in a loaded run, its start had
	# already ended.
	cluster_exec slow sh -c "echo 'sleep 3' >/root/.bashrc"
	cluster_config "$N1" "$slow" "$N2" >config.yml
	signal_midway 'clusterp-start -q -f 1' INT 2 130 shell_busy slow
	[ "$(cat start.err)" = "$(first_line start)
clusterp-start: interrupted again: ended at once; a node whose start was under way removes its collector itself, clusterp stop stops the ones '.clusterp/run.json' records" ]
	# The slow node's command goes on after its .bashrc, starts sadc,
	# finds no controller to say `ok` and undoes it all.
	await quiet slow
	untouched slow
	untouched n2
	[ "$(manifest_field "$N1" status)" = started ]
	[ -z "$(manifest_field "$slow" status)" ]
	no_temporaries
	sleep 1
	stops_fully "$N1"
}

@test "faults: ^C during stop: the host under way finishes, no other begins; exit 143; a later stop completes" {
	local slow=$CLUSTER_SLOW_NODE
	started_on "$N1" "$slow" "$N2"
	signal_midway 'clusterp-stop -f 1' TERM 1 143 shell_busy slow
	[ "$(cat stop.err)" = "$(first_line stop)
clusterp-stop: interrupted: 2 stopped, 0 failed, 1 not begun ($N2); clusterp stop finishes the hosts not stopped" ]
	diff -u <(files "$N1" "$slow") stop.out
	complete "$N1" "$slow"
	[ "$(manifest_field "$N2" status)" = started ]
	no_temporaries
	stops_fully "$N2"
	complete "$N1" "$slow" "$N2"
}

@test "faults: a second ^C during a download ends stop at once, no temporary file left; the node keeps its data" {
	started_on "$N1" "$N2"
	grow_sa "$N2" 20000
	slow_stream_on_n2
	size=$(cluster_exec n2 sh -c "wc -c <$(manifest_field "$N2" dir)/run.sa")
	signal_midway 'clusterp-stop -f 1' INT 2 130 partial_download "$N2"
	[ "$(cat stop.err)" = "$(first_line stop)
clusterp-stop: interrupted again: ended at once; the hosts not yet stopped keep their data on their nodes (clusterp stop finishes them)" ] || { cat stop.err; return 1; }
	diff -u <(files "$N1") stop.out
	no_temporaries
	[ ! -e "raw/sa/$N2" ]
	[ "$(manifest_field "$N2" status)" = started ]
	complete "$N1"
	run --separate-stderr clusterp-stop
	assert_success
	assert_output "$(files "$N2")"
	[ "$(wc -c <"raw/sa/$N2")" -ge "$size" ]
	complete "$N1" "$N2"
}

@test "faults: a long run's large file comes home although it takes far longer than ssh_timeout" {
	started_on "$N1" "$N2"
	# ssh_timeout bounds silence, not the whole download: 3 s (its least)
	# against a sa file of some 33 MB sent at 3 MB/s, after a conversion of
	# several seconds during which the node says nothing but keepalives.
	sed -i 's/^ssh_timeout: .*/ssh_timeout: 3/' config.yml
	grow_sa "$N2" 25000
	slow_stream_on_n2 0.02
	size=$(cluster_exec n2 sh -c "wc -c <$(manifest_field "$N2" dir)/run.sa")
	[ "$size" -ge 30000000 ]
	stops_fully "$N1" "$N2"
	[ "$(wc -c <"raw/sa/$N2")" -eq "$size" ]
	seconds=$(sed -n "s/.*] $N2: downloaded [0-9]* bytes in [0-9]* files in \([0-9.]*\) s$/\1/p" clusterp.log)
	awk -v s="$seconds" 'BEGIN { exit !(s > 3 * 3) }' || { echo "took $seconds s"; return 1; }
	no_temporaries
}
