#!/usr/bin/env bats
# launcher slurm against a real Slurm (tests/lib/slurm.bash): one slurmctld
# and three slurmd on this machine, no sshd for them (their node names
# resolve nowhere, so an SSH connection could not even begin).  Every node
# directory goes under the test's own $TMPDIR, which srun carries to the
# nodes with the rest of the environment (PATH too: the GPU test's replayed
# nvidia-smi, tests/lib/gpu, stands in for the GPUs this machine lacks).
load ../lib/common
load ../lib/slurm
load ../lib/gpu

setup_file() { slurm_up 3; }
teardown_file() { slurm_down; }

setup() {
	cd_workdir
	export TMPDIR=$BATS_TEST_TMPDIR/node-tmp
	mkdir -p "$TMPDIR"
	printf 'launcher: slurm\ninterval: 1\n' >config.yml
}

# Whatever a test did: its jobs cancelled, no collector of its own left.
teardown() {
	local pid
	scancel --quiet "--user=$(id -un)" 2>/dev/null
	slurm_wait_idle
	for pid in $(pgrep -f -- "$TMPDIR/clusterp\."); do kill "$pid" 2>/dev/null; done
	return 0
}

# No step left (a held step ends once its collectors have: Slurm learns it
# a moment later), and no collector writing under this test's TMPDIR.
nothing_left() {
	for _ in $(seq 1 100); do [ -z "$(slurm_steps)" ] && break; sleep 0.1; done
	run slurm_steps
	assert_output ''
	run pgrep -f -- "$TMPDIR/clusterp\."
	assert_output ''
}

# allocate [SALLOC OPTION...]: a 3-node allocation that outlives salloc;
# sets JOB and NODES (its host list), as SLURM_JOB_ID and
# SLURM_JOB_NODELIST say them inside it.
allocate() {
	local out
	out=$(salloc --no-shell -N3 --mem=300 -J test "$@" 2>&1) || { echo "$out"; return 1; }
	JOB=$(sed -n 's/.*Granted job allocation \([0-9][0-9]*\).*/\1/p' <<<"$out")
	NODES=$(squeue -h -j "$JOB" -o %N)
	[ -n "$JOB" ] && [ -n "$NODES" ]
}

# in_job CMD...: CMD as a shell of the allocation runs it.
in_job() { SLURM_JOB_ID=$JOB SLURM_JOB_NODELIST=$NODES "$@"; }

@test "sbatch --wait of the example with launcher slurm: every node's raw, parsed, report and plots; the job's status; nothing left" {
	run --separate-stderr sbatch --parsable --wait -N3 --mem=300 -o job.out -e job.err \
		"$ROOT/examples/slurm-job.sbatch" sh -c 'echo the job on $SLURMD_NODENAME; sleep 2; exit 5'
	[ "$status" -eq 5 ]
	job=${output%%;*}
	run sort job.out
	assert_output "$(printf 'the job on %s\n' $SLURMTEST_NODES)"
	run cat job.err
	assert_output --partial 'clusterp-run: 3 stopped, 0 failed'
	cd "profile-$job"
	run ls raw/sa parsed/cpu
	assert_output "$(printf 'parsed/cpu:\n'; printf '%s\n' $SLURMTEST_NODES; printf '\nraw/sa:\n'; printf '%s\n' $SLURMTEST_NODES)"
	[ -s report/report.md ]
	[ -s plot/cpu/utilization.eps ]
	[ -s plot/cpu/utilization_heatmap.eps ]
	run grep -c '"transport": "slurm"' .clusterp/run.json
	assert_output 1
	run grep -c '"clock_error": 0\.' .clusterp/run.json
	assert_output 3
	nothing_left
}

@test "start, then stop from another shell of the same allocation: start's one step holds the collectors in between, stop ends it" {
	allocate
	run --separate-stderr in_job clusterp start
	assert_success
	[ "$stderr" = 'clusterp-start: 3 started, 0 failed' ]
	# start has ended; one step on all three nodes holds the collectors,
	# and the manifest names it and the job.
	run slurm_steps
	assert_line --regexp "^$JOB\.[0-9]+ clusterp "
	step=${output%% *}
	assert_equal "${output#* }" "clusterp $NODES"
	run grep -c "\"slurm_step\": \"$step\"" .clusterp/run.json
	assert_output 3
	run grep -c "\"slurm_job\": \"$JOB\"" .clusterp/run.json
	assert_output 1
	run pgrep -f -- "$TMPDIR/clusterp\."
	assert_equal "${#lines[@]}" 3
	run --separate-stderr in_job clusterp stop
	assert_success
	[ "$stderr" = 'clusterp-stop: 3 stopped, 0 failed' ]
	for node in $SLURMTEST_NODES; do [ -s "raw/sa/$node" ] && [ -s "raw/cpu/$node" ]; done
	nothing_left
	run find "$TMPDIR" -mindepth 1
	assert_output ''
}

@test "with the GPU collector: held in the step beside sadc with the job's GPUs (ConstrainDevices=yes), both ended by stop, gpu data home, nothing left; a job without GPUs: the log says why none was seen" {
	gpu_replay "$BATS_TEST_TMPDIR/gpu" "$GPU_H100" 'gpus 2'
	# nvidia-smi opens the GPUs' devices (but for its help): here their
	# stand-ins, which the device cgroup of a step without GPUs refuses.
	mkdir "$BATS_TEST_TMPDIR/gpu-dev"
	cat >"$BATS_TEST_TMPDIR/gpu-dev/nvidia-smi" <<-EOF
		#!/bin/sh
		case \$1 in --help-query-gpu) ;; *) for f in $SLURMTEST_GPU_FILES; do head -c1 "\$f" >/dev/null 2>&1 || { echo 'No devices were found'; exit 6; }; done ;; esac
		exec "$BATS_TEST_TMPDIR/gpu/nvidia-smi" "\$@"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/gpu-dev/nvidia-smi"
	export PATH=$BATS_TEST_TMPDIR/gpu-dev:$PATH
	allocate --gres=gpu:2
	run --separate-stderr in_job clusterp start
	assert_success
	run pgrep -f -- "$BATS_TEST_TMPDIR/gpu/nvidia-smi"
	assert_equal "${#lines[@]}" 3
	run --separate-stderr in_job clusterp stop
	assert_success
	# No "had already ended": the step outlived neither collector.
	[ "$stderr" = 'clusterp-stop: 3 stopped, 0 failed' ]
	for node in $SLURMTEST_NODES; do [ -s "raw/gpu/$node" ] && [ -s "raw/sa/$node" ]; done
	nothing_left
	run pgrep -f -- "$BATS_TEST_TMPDIR/gpu/nvidia-smi"
	assert_output ''
	[ "$SLURMTEST_CONSTRAIN_DEVICES" = yes ] || skip "no device cgroup here (proctrack/linuxproc)"
	scancel "$JOB"
	allocate
	run --separate-stderr in_job clusterp start --force
	assert_success
	run grep -c "gpu: not collected: No devices were found (Slurm step $JOB\.[0-9]* holds these GPUs of the job: none; where cgroup.conf has ConstrainDevices=yes a step sees only those)\$" clusterp.log
	assert_output 3
	run --separate-stderr in_job clusterp stop --force
	assert_success
	nothing_left
}

@test "outside an allocation, or a host outside it: exit 78 and one line; nothing started" {
	run --separate-stderr clusterp start
	[ "$status" -eq 78 ]
	[ "$stderr" = 'clusterp-start: launcher slurm works inside a Slurm allocation, and SLURM_JOB_ID or SLURM_JOB_NODELIST is not set (run it inside sbatch or salloc, or use launcher ssh)' ]
	printf 'interval: 1\nhosts:\n  - a1\n' >config.yml
	run --separate-stderr clusterp run --launcher slurm -- true
	[ "$status" -eq 78 ]
	[[ $stderr == 'clusterp-run: launcher slurm works inside a Slurm allocation'* ]]
	allocate
	run --separate-stderr in_job clusterp start --launcher slurm -H "a1,${SLURMTEST_NODES%% *}"
	[ "$status" -eq 78 ]
	[ "$stderr" = "clusterp-start: launcher slurm: 'a1' is not a node of Slurm job $JOB ($NODES)" ]
	[ ! -e .clusterp/run.json ]
	nothing_left
}

@test "scancel while clusterp run collects: the job ends, no collector and no step are left, each node's data is kept for a later allocation's stop" {
	run sbatch --parsable -N3 --mem=300 -o job.out -e job.err --wrap 'exec clusterp run -- sleep 300'
	assert_success
	job=${output%%;*}
	# start has ended (all three held), the job not yet begun.
	for _ in $(seq 1 300); do grep -q 'clusterp-run: 3 started' job.err 2>/dev/null && break; sleep 0.1; done
	run sh -c "squeue -h -s -o '%i %j %N' | grep ' clusterp '"
	assert_output --regexp "^$job\.[0-9]+ clusterp "
	assert_equal "${output#* }" "clusterp $SLURMTEST_NODELIST"
	scancel "$job"
	slurm_wait_idle
	nothing_left
	# Its stop could start no step in a cancelled job: each node named.
	run cat job.err
	for node in $SLURMTEST_NODES; do
		assert_line --regexp "^clusterp-run: $node: .*\(its data stays on the node: stop it again with -H $node\)\$"
	done
	# Another allocation: refused, unless forced.
	allocate
	run_id=$(python3 -c 'import json; print(json.load(open(".clusterp/run.json"))["run_id"])')
	run --separate-stderr in_job clusterp stop
	[ "$status" -eq 78 ]
	[ "$stderr" = "clusterp-stop: run $run_id was started in Slurm job $job, not in this job $JOB (stop it inside job $job, or with --force to fetch what its collectors left)" ]
	run --separate-stderr in_job clusterp stop --force
	assert_success
	[[ $stderr == *'clusterp-stop: 3 stopped, 0 failed' ]]
	for node in $SLURMTEST_NODES; do [ -s "raw/sa/$node" ]; done
	run find "$TMPDIR" -mindepth 1
	assert_output ''
}

# Last: the stopped node stays down for the rest of the suite.
@test "a node whose slurmd is stopped during the run: named with its cause at stop, the others complete" {
	allocate --no-kill
	run --separate-stderr in_job clusterp start
	assert_success
	read -r n1 n2 n3 <<<"$SLURMTEST_NODES"
	slurm_node_stop "$n2"
	run --separate-stderr in_job clusterp stop
	[ "$status" -eq 1 ]
	[[ $stderr == *"clusterp-stop: $n2: "*'(its data stays on the node: stop it again with -H '"$n2)"* ]]
	[[ $stderr == *'clusterp-stop: 2 stopped, 1 failed'* ]]
	[ -s "raw/sa/$n1" ] && [ -s "raw/sa/$n3" ] && [ ! -e "raw/sa/$n2" ]
	run pgrep -f -- "$TMPDIR/clusterp\."
	assert_output ''
	# A start with the node still down: Slurm refuses the one step, so each
	# host is tried alone and the down node is named with its own cause.
	run --separate-stderr in_job clusterp start --force
	[ "$status" -eq 1 ]
	[[ $stderr == *"clusterp-start: $n2: "* ]]
	[[ $stderr == *'clusterp-start: 2 started, 1 failed'* ]]
	run --separate-stderr in_job clusterp stop --force
	assert_success
	[[ $stderr == *'clusterp-stop: 2 stopped, 0 failed' ]]
	# No collector left (Slurm keeps listing the steps that touched the down
	# node for as long as the job runs).
	run pgrep -f -- "$TMPDIR/clusterp\."
	assert_output ''
}
