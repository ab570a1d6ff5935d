#!/usr/bin/env bats
# lib/remote_command: the one quoting function, and the commands it builds,
# run through real shells.
load ../lib/common
load ../lib/gpu

RC=$UNIT_BIN/remote_command

setup() { cd_workdir; }

# Nasty strings: every one must come back from sh byte for byte.
nasty=(
	"it's"
	"'"
	"''"
	'"'
	'$(touch pwned)'
	'`touch pwned`'
	'; touch pwned'
	'&& touch pwned ||'
	'| touch pwned'
	'> pwned'
	'$HOME ${PATH} $1 $@ $* $$ $?'
	'\\ \ \n \047'
	'*'
	'?[a-z]*'
	'~'
	'~root'
	'-n'
	'--'
	' leading and trailing '
	$'tab\there'
	$'new\nline'
	$'\r'
	'{a,b}'
	'!event'
	'#comment'
	'é ü 中文'
	"a'b'c'\"d\"e"
	"sda;touch pwned"
	'eth0`id`'
)

@test "shell_quote: every nasty string survives sh, dash and bash unchanged" {
	local values=("${nasty[@]}" "") words=() value i
	for value in "${values[@]}"; do words+=("$("$RC" quote "$value")"); done
	# Each shell prints every word in one command, each ended by a NUL.
	for shell in sh dash bash; do
		command -v "$shell" >/dev/null || continue
		"$shell" -c "printf '%s\0' ${words[*]}" >got || { echo "$shell failed"; return 1; }
		mapfile -d '' -t back <got
		[ "${#back[@]}" -eq "${#values[@]}" ] || { echo "$shell: ${#back[@]} words back, not ${#values[@]}"; return 1; }
		for i in "${!values[@]}"; do
			[ "${back[i]}" = "${values[i]}" ] || { echo "$shell: [${values[i]}] came back as [${back[i]}]"; return 1; }
		done
	done
	[ ! -e pwned ]
}

@test "shell_quote: the single-quote style, golden" {
	"$RC" quote "it's" "" 'plain' '$x' >out
	printf '%s\n' "'it'\\''s'" "''" "'plain'" "'\$x'" >expected
	diff -u expected out
}

@test "start command: one line, valid sh, quotes remote_dir" {
	"$RC" start "/tmp/x'; touch pwned; '" 10 >cmd
	[ "$(wc -l <cmd)" -eq 1 ]
	sh -n cmd
	grep -qF "b='/tmp/x'\\''; touch pwned; '\\'''; " cmd
	"$RC" start "~/my dir" 5 >cmd
	grep -qF "b=\"\$HOME\"/'my dir'; " cmd
	grep -qF -- '-S "$a" 5 "$f"' cmd
}

# fake_sysstat VERSION: a sar and a sadc in ./fake that claim VERSION; the
# sadc records its arguments in ./fake/args and writes its file.
fake_sysstat() {
	mkdir -p fake
	printf '#!/bin/sh\necho "Data collector found: %s/fake/sadc"\n' "$PWD" >fake/sar
	cat >fake/sadc <<-EOF
		#!/bin/sh
		if [ "\$1" = -V ]; then echo "sysstat version $1"; echo "(C) Sebastien Godard"; exit 0; fi
		echo "\$*" >"$PWD/fake/args"
		eval "last=\\\${\$#}"
		echo data >"\$last"
		exec sleep 30
	EOF
	chmod +x fake/sar fake/sadc
}

@test "start command: sysstat 12+ collects what the categories need, PSI from 12.3.3, older ones the default set and disks" {
	"$RC" start "$PWD" 7 >cmd
	a12=A_NULL,A_CPU,A_QUEUE,A_PAGE,A_SWAP,A_MEMORY,A_DISK,A_NET_DEV,A_NET_EDEV
	psi=A_PSI_CPU,A_PSI_IO,A_PSI_MEM
	for version in 12.6.1:$a12,$psi 20.0.1:$a12,$psi 12.3.3:$a12,$psi 12.3.2:$a12 12.0.6:$a12 \
		11.6.6:DISK 10.2.1:DISK 9.1.7:DISK; do
		fake_sysstat "${version%%:*}"
		PATH=$PWD/fake:$PATH sh cmd </dev/null >reply
		grep -qx "version=sysstat version ${version%%:*}" reply
		dir=$(sed -n 's/^dir=//p' reply)
		[ "$(cat fake/args)" = "-S ${version#*:} 7 $dir/run.sa" ]
		kill "$(sed -n 's/^pid=//p' reply)"
		rm -rf "$dir" fake
	done
}

@test "stop command: one line, valid sh" {
	"$RC" stop "/tmp/a'b" 42 >cmd
	[ "$(wc -l <cmd)" -eq 1 ]
	sh -n cmd
	grep -qF "d='/tmp/a'\\''b'; " cmd
}

@test "start command: a sysstat-less node says so" {
	"$RC" start - 1 >cmd
	# A PATH and a root without sysstat: sar and every sadc path missing.
	mkdir -p fakebin
	for tool in date head sed mktemp getconf nproc grep; do ln -s "$(command -v $tool)" fakebin/$tool; done
	sed 's#/usr/lib/sysstat/sadc##' cmd >cmd2
	PATH=$PWD/fakebin run /bin/sh cmd2
	assert_success
	assert_line 'error=nosadc'
	refute_line --partial 'pid='
}

@test "the whole lifecycle through sh: start; stop, convert and send; removal only on 'ok'" {
	mkdir remote
	"$RC" start "$PWD/remote" 1 >start
	# Two clock requests, then the acknowledgement: two answers, the end.
	printf 't\nt\nok\nt\n' | sh start >reply
	[ "$(grep -c '^t=' reply)" -eq 2 ]
	[ "$(grep -cE '^t=[0-9]{10}\.[0-9]+$' reply)" -eq 2 ]
	[ "$(grep -n '^clock=sync$' reply | cut -d: -f1)" -eq "$(($(wc -l <reply) - 2))" ]
	dir=$(sed -n 's/^dir=//p' reply)
	pid=$(sed -n 's/^pid=//p' reply)
	[ -n "$dir" ]
	[ -n "$pid" ]
	grep -q '^version=sysstat version ' reply
	sleep 1
	"$RC" stop "$dir" "$pid" >stop
	# No acknowledgement: everything stays.
	printf 'no\n' | sh stop >out
	sed '/^clusterp-stream /q' out >reply
	run cat reply
	assert_line 'state=stopped'
	assert_line --regexp '^cpu=0 [1-9][0-9]*$'
	assert_line --regexp '^memory=0 [1-9][0-9]*$'
	assert_line --regexp '^network=0 [1-9][0-9]*$'
	assert_line --regexp '^sa=[1-9][0-9]*$'
	assert_line --regexp '^clusterp-stream (gzip|plain)$'
	[ -s "$dir/run.sa" ] && [ -s "$dir/cpu.txt" ]
	sh stop </dev/null >out
	grep -qx 'state=dead' out
	[ -s "$dir/run.sa" ]
	# `ok` after the stream: the directory goes.
	printf 'ok\n' | sh stop >out
	grep -qx 'state=dead' out
	[ ! -e "$dir" ]
	[ -z "$(ls -A remote)" ]
	run sh stop </dev/null
	assert_output 'state=nodir'
}

@test "start command: without 'ok' (the controller gone) the collector is rolled back" {
	mkdir remote
	"$RC" start "$PWD/remote" 1 >start
	# The controller's end of the channel is gone: the shell's answers meet
	# a closed pipe, its stdin ends.
	printf 't\n' | sh start | head -c 1 >/dev/null
	for _ in $(seq 50); do [ -z "$(ls -A remote)" ] && break; sleep 0.1; done
	[ -z "$(ls -A remote)" ]
	run -1 pgrep -f "$PWD/remote/clusterp"
	printf 't\nnot ok\n' | sh start >reply
	grep -q '^pid=' reply
	[ -z "$(ls -A remote)" ]
	run -1 pgrep -f "$PWD/remote/clusterp"
}

@test "parse_reply: key=value lines, repeated keys kept in order, noise skipped" {
	printf 'a=1\nnoise\n=x\ndetail=one\ndetail=two\r\nb=x=y\n' | "$RC" reply >out
	printf 'a=1\nb=x=y\ndetail=one\ndetail=two\n' >expected
	diff -u expected out
}

# side_pid REPLY CATEGORY: the pid a start reply gives a side collector.
side_pid() { sed -n "s/^$2_pid=//p" "$1"; }

@test "side collector gpu: started beside sadc with the fields this driver lists, in UTC; stopped, sent and removed at stop" {
	mkdir remote
	gpu_replay gpu "$GPU_H100" 'gpus 2'
	"$RC" start "$PWD/remote" 1 gpu >start
	PATH=$PWD/gpu:$PATH TZ=Asia/Tokyo sh start </dev/null >reply
	run cat reply
	refute_line --partial 'gpu_error='
	dir=$(sed -n 's/^dir=//p' reply) pid=$(sed -n 's/^pid=//p' reply) gpu=$(side_pid reply gpu)
	[ -n "$gpu" ]
	# No `ok` came: rolled back, nvidia-smi with sadc.
	[ ! -e "$dir" ]
	[ ! -e "/proc/$gpu/fd/1" ]

	printf 't\nok\n' | PATH=$PWD/gpu:$PATH TZ=Asia/Tokyo sh start >reply
	dir=$(sed -n 's/^dir=//p' reply) pid=$(sed -n 's/^pid=//p' reply) gpu=$(side_pid reply gpu)
	[ "$(readlink "/proc/$gpu/fd/1")" = "$dir/gpu.txt" ]
	tr '\0' ' ' <"/proc/$gpu/cmdline" >cmdline
	grep -q -- '--query-gpu=timestamp,index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.total,power.draw,enforced.power.limit,temperature.gpu,clocks.current.sm,clocks.max.sm,clocks_event_reasons.active,pcie.link.gen.gpucurrent,pcie.link.width.current,mig.mode.current --format=csv,nounits -lms 1000' cmdline
	tr '\0' '\n' <"/proc/$gpu/environ" | grep -qx TZ=UTC
	for _ in $(seq 100); do [ "$(wc -l <"$dir/gpu.txt")" -ge 5 ] && break; sleep 0.05; done
	# Its clock is UTC's (the shell's TZ was Tokyo's, 9 hours ahead).
	stamp=$(sed -n '2s/,.*//p' "$dir/gpu.txt")
	[ $(( $(TZ=UTC date -d "${stamp%.*}" +%s) - $(date +%s) )) -le 2 ]
	"$RC" stop "$dir" "$pid" "gpu:$gpu" >stop
	printf 'ok\n' | sh stop >out
	sed '/^clusterp-stream /q' out >reply
	run cat reply
	assert_line --regexp '^gpu=stopped [1-9][0-9]*$'
	grep -aq '^file gpu.txt ' <(gzip -dc <(sed '1,/^clusterp-stream /d' out) 2>/dev/null || sed '1,/^clusterp-stream /d' out)
	[ ! -e "$dir" ]
	[ ! -e "/proc/$gpu/fd/1" ]
}

@test "side collector gpu: a node without nvidia-smi, without a GPU, or whose nvidia-smi fails or hangs" {
	mkdir remote
	"$RC" start "$PWD/remote" 1 gpu >start
	# None on PATH: left out, sadc runs.
	printf 't\nno\n' | sh start >reply
	run cat reply
	assert_line 'gpu_skip=nvidia-smi not found'
	assert_line --regexp '^pid=[0-9]+$'
	gpu_replay gpu "$GPU_H100" 'fail nodevice'
	printf 't\nno\n' | PATH=$PWD/gpu:$PATH sh start >reply
	run cat reply
	assert_line 'gpu_skip=No devices were found'
	# In a Slurm step, the line says why that may be (bash too: it quotes
	# differently inside \${...}).
	for shell in sh bash; do
		printf 't\nno\n' | SLURM_JOB_ID=42 SLURM_STEP_ID=3 PATH=$PWD/gpu:$PATH $shell start >reply
		run cat reply
		assert_line 'gpu_skip=No devices were found (Slurm step 42.3 holds these GPUs of the job: none; where cgroup.conf has ConstrainDevices=yes a step sees only those)'
	done
	gpu_replay gpu "$GPU_H100" 'fail exit'
	printf 't\nno\n' | PATH=$PWD/gpu:$PATH sh start >reply
	run cat reply
	assert_line --partial "gpu_error=NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver"
	assert_line --regexp '^pid=[0-9]+$'
	# A driver that knows none of the fields (another tool's help text).
	gpu_replay gpu ../../../README.md
	printf 't\nno\n' | PATH=$PWD/gpu:$PATH sh start >reply
	run cat reply
	assert_line --partial 'gpu_error=nvidia-smi --help-query-gpu lists no utilization.gpu'
	# Silent: kept (its stdout may be buffered); stop says it printed nothing.
	gpu_replay gpu "$GPU_H100" 'fail hang'
	printf 't\nok\n' | PATH=$PWD/gpu:$PATH sh start >reply
	dir=$(sed -n 's/^dir=//p' reply) pid=$(sed -n 's/^pid=//p' reply) gpu=$(side_pid reply gpu)
	[ -n "$gpu" ]
	"$RC" stop "$dir" "$pid" "gpu:$gpu" >stop
	printf 'ok\n' | sh stop >out
	run sed '/^clusterp-stream /q' out
	assert_line 'gpu=stopped 0'
	[ ! -e "$dir" ]
	[ -z "$(ls -A remote)" ]
}

@test "slurm_task_command: the task names its node and step, its command reads only the lines addressed to its task, a lone number ends them" {
	"$RC" slurm-task 'cat; echo "after=$(cat)"; exit 3' >task
	printf 'go\n0 a\n1 for task one\n10 not mine\n1\n1 after the end\n' |
		SLURM_PROCID=1 SLURMD_NODENAME=n2 SLURM_JOB_ID=42 SLURM_STEP_ID=7 sh task >out
	printf '%s\n' node=n2 slurm_step=42.7 'for task one' after= clusterp_exit=3 >expected
	diff -u expected out
	# Its input ended before `go`: nothing run.
	printf '1 t\n' | SLURM_PROCID=1 SLURMD_NODENAME=n2 SLURM_JOB_ID=42 SLURM_STEP_ID=7 sh task >out
	printf '%s\n' node=n2 slurm_step=42.7 >expected
	diff -u expected out
}
