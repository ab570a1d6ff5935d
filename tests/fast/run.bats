#!/usr/bin/env bats
# clusterp-run over the local transport (real sadc on this machine, 1 s
# interval): the command's status passes through as `bash -c` reports it,
# signals, markers from the command line, the environment and output lines.
load ../lib/common
load ../lib/collect

setup() {
	setup_local_nodes
	local_config config.yml a1
}

teardown() { kill_leftover_collectors; }

# same_status CMD...: clusterp run -- CMD exits as bash -c 'CMD' does, with
# the job's output on stdout and the data downloaded.
same_status() {
	bash -c "$(printf '%q ' "$@")" >bash.out 2>bash.err
	local want=$?
	rm -rf raw parsed .clusterp
	clusterp run --no-parse -- "$@" >run.out 2>run.err
	local got=$?
	[ "$got" -eq "$want" ] || { echo "$*: bash -c $want, clusterp run $got"; cat run.err; return 1; }
	diff -u bash.out run.out
	[ -s raw/cpu/a1 ] || { echo "$*: nothing downloaded"; cat run.err; return 1; }
	echo "$want"
}

@test "run: the command's exit status, as bash -c reports it: 0 1 3 126 127 130 137 143" {
	printf 'echo never\n' >not-executable
	printf 'echo a script without a shebang line\nexit 5\n' >no-shebang
	printf '\0\1\2binary\n' >binary
	chmod +x no-shebang binary
	printf '#!/bin/sh\nkill -%s $$\n' INT >sigint KILL >sigkill
	for s in INT KILL TERM; do printf '#!/bin/sh\necho dying\nkill -%s $$\n' $s >"die-$s"; chmod +x "die-$s"; done
	# All at once, each in a directory of its own: a run mostly waits for
	# sadc's samples.
	local n=0 job
	for job in true false "sh -c 'echo three; exit 3'" ./not-executable ./no-shebang ./binary \
		no-such-command-here ./die-INT ./die-KILL ./die-TERM; do
		n=$((n + 1))
		mkdir "job$n"
		cp -p config.yml not-executable no-shebang binary die-* "job$n/"
		# (in an || list, as it was in an && chain: errexit would end it at
		# the first status other than 0 it meets)
		(cd "job$n" && eval "same_status $job" >status 2>log || :) &
	done
	wait
	got=$(for i in $(seq "$n"); do cat "job$i/status"; done)
	[ "$(echo $got)" = "0 1 3 126 5 126 127 130 137 143" ] || { echo "$got"; cat job*/log; return 1; }
}

@test "run: stdout is the job's alone; begin and end of the job marked; parsed and plotted" {
	run --separate-stderr clusterp run -- sh -c 'echo job output; echo to stderr >&2'
	assert_success
	assert_output 'job output'
	[[ $stderr == *"to stderr"* ]]
	[[ $stderr == *"clusterp-run: 1 started, 0 failed"* ]]
	[ "$(cut -d, -f3,4 parsed/markers.csv)" = "$(printf 'kind,label\nbegin,job\nend,job')" ]
	# The first sample precedes the job, the last follows it.
	awk -F, 'NR == 2 && $2 > 0.5 { ok = 1 } END { exit !ok }' parsed/markers.csv
	last=$(tail -n1 parsed/cpu/a1 | cut -d, -f2)
	end=$(tail -n1 parsed/markers.csv | cut -d, -f2)
	python3 -c 'import sys; sys.exit(not float(sys.argv[1]) > float(sys.argv[2]))' "$last" "$end"
	[ -s plot/cpu/utilization.eps ]
	[ -s report/findings.csv ]
	[ -s report/report.md ]
	[ "$(manifest_field a1 status)" = stopped ]
}

@test "run: -x leaves hosts out of the run" {
	local_config config.yml a1 b2 c3
	run --separate-stderr clusterp run --no-parse -x 'b2, c3' -- true
	assert_success
	[[ $stderr == *"clusterp-run: 1 started, 0 failed"* ]]
	[ -s raw/cpu/a1 ]
	[ ! -e raw/cpu/b2 ] && [ ! -e raw/cpu/c3 ]
}

@test "run: --no-report parses and plots without a report; --no-plot reports without plots" {
	run -0 clusterp run -q --no-report -- true
	[ -s parsed/cpu/a1 ]
	[ -s plot/cpu/utilization.eps ]
	[ ! -e report ]
	run -0 clusterp run -q --force --no-plot -- true
	[ -s report/findings.csv ]
}

@test "run: markers from the command line, from a child in another directory, from output lines" {
	cat >job.sh <<-'EOF'
	clusterp mark --begin load
	(mkdir -p sub && cd sub && sh -c 'clusterp mark "from a child"')
	clusterp mark --end load
	echo 'clusterp-mark: begin compute'
	echo 'clusterp-mark: end compute' >&2
	# stdout and stderr are two pipes: lines on both keep their order only
	# when apart in time.
	sleep 0.5
	echo 'clusterp-mark: checkpoint 1'
	echo 'not a marker: clusterp-mark: x'
	EOF
	clusterp run -q -- sh job.sh >out 2>err
	# Output lines pass unchanged.
	printf '%s\n' 'clusterp-mark: begin compute' 'clusterp-mark: checkpoint 1' 'not a marker: clusterp-mark: x' >want
	diff -u want out
	grep -qxF 'clusterp-mark: end compute' err
	cut -d, -f3,4 parsed/markers.csv >actual
	printf '%s\n' kind,label begin,job begin,load 'point,from a child' end,load begin,compute end,compute \
		'point,checkpoint 1' end,job >want
	diff -u want actual
	[ ! -e sub/.clusterp ]
}

@test "run: output lines are not scanned on a terminal, which the job keeps" {
	script -qec "clusterp run --no-parse -- sh -c '[ -t 1 ] && echo clusterp-mark: on-a-tty'" /dev/null >typescript
	grep -q 'clusterp-mark: on-a-tty' typescript
	[ "$(cut -f3,4 .clusterp/markers)" = "$(printf 'begin\tjob\nend\tjob')" ]
}

@test "run: a job that ends within one interval still lies between two samples" {
	run clusterp run -q -- true
	assert_success
	[ "$(wc -l <parsed/cpu/a1)" -ge 3 ]
	[ "$(cut -d, -f3 parsed/markers.csv | tr '\n' ' ')" = "kind begin end " ]
}

@test "run: SIGINT to clusterp while the job runs goes to the job; data still downloaded; job's status" {
	# A length of its own, so that pgrep finds this job's sleep and no other.
	local nap=60.$$
	env --default-signal=INT clusterp run --no-plot -- sh -c "touch started; sleep $nap; echo never" >out 2>err &
	pid=$!
	for _ in $(seq 100); do [ -e started ] && break; sleep 0.1; done
	[ -e started ]
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ] || { cat err; return 1; }
	[ ! -s out ]
	[ -s parsed/cpu/a1 ]
	[ "$(manifest_field a1 status)" = stopped ]
	[ "$(cut -d, -f3,4 parsed/markers.csv | tail -n1)" = end,job ]
	run -1 pgrep -f "sleep $nap"
}

@test "run: a second SIGINT during the stop ends clusterp at once, the run left for clusterp stop" {
	# A sadf that takes its time, so that the stop can be caught in the act.
	mkdir slow
	printf '#!/bin/sh\ntouch "%s/converting"\nsleep 4\nexec %s "$@"\n' "$PWD" "$(command -v sadf)" >slow/sadf
	chmod +x slow/sadf
	PATH=$PWD/slow:$PATH env --default-signal=INT clusterp run -- sh -c 'touch started; sleep 60' >out 2>err &
	pid=$!
	for _ in $(seq 100); do [ -e started ] && break; sleep 0.1; done
	kill -INT "$pid"
	for _ in $(seq 200); do [ -e converting ] && break; sleep 0.1; done
	[ -e converting ] || { cat err; return 1; }
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 130 ] || { cat err; return 1; }
	grep -q "interrupted: the hosts not yet stopped stay active in '.clusterp/run.json'" err
	[ ! -e parsed ]
	[ "$(manifest_field a1 status)" = started ]
	# clusterp stop finishes the run (the collector was stopped before the
	# conversion was cut short): the data downloaded.
	sleep 4
	run --separate-stderr clusterp stop
	assert_success
	[ "$stderr" = "clusterp-stop: warning: a1: the collector had already ended; keeping what it collected until then
clusterp-stop: 1 stopped, 0 failed" ]
	[ -s raw/cpu/a1 ]
	[ "$(manifest_field a1 status)" = stopped ]
}

@test "run: SIGTERM reaches everything the job started, and nothing else" {
	env --default-signal=INT clusterp run --no-parse -- sh -c 'sleep 61 & sleep 62 & touch started; wait' >out 2>err &
	pid=$!
	for _ in $(seq 100); do [ -e started ] && break; sleep 0.1; done
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 143 ] || { cat err; return 1; }
	run -1 pgrep -f 'sleep 6[12]'
}

@test "run: usage mistakes (64), and a previous run's raw/ is kept unless --force (73); nothing run" {
	run clusterp run
	assert_failure 64
	assert_output "clusterp-run: no command: give it after '--' (see 'clusterp-run -h')"
	run clusterp run --bogus -- true
	assert_failure 64
	mkdir -p raw/cpu && echo old >raw/cpu/a1
	run clusterp run -- touch ran
	assert_failure 73
	assert_output "clusterp-run: raw/ holds a previous run's data (run in another directory, or replace it with --force)"
	[ ! -e ran ]
	run clusterp run --force -q --no-parse -- touch ran
	assert_success
	[ -e ran ]
}

@test "run: options after -- are the command's" {
	run clusterp run -q --no-parse -- sh -c 'echo "$@"' sh -h --version -c x
	assert_success
	assert_output '-h --version -c x'
}
