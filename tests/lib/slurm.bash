# A real Slurm cluster on this one machine, for the bats suites (`load
# ../lib/slurm`, then `slurm_up N` in setup_file and `slurm_down` in
# teardown_file) and for benchmarks (source this file from bash, or
# tests/lib/slurm up N).  Needs root and Debian's slurmctld, slurmd,
# slurm-client and munge (Slurm 22.05).  No sshd is involved: what reaches
# the nodes is Slurm's own srun.
#
# One munged with a key and a socket of its own (its directory and key owned
# by the munge user, as munged demands), one slurmctld and N `slurmd -N
# NAME`, every daemon's state, spool, pid and log files in $SLURMTEST_DIR.
# All nodes are this machine: NodeAddr=127.0.0.1, each slurmd on a port of
# its own (Port= per node), so they share one host name and only
# $SLURMD_NODENAME tells a task where it runs.  The ports (slurmctld's, then
# one per node) are taken free under a lock shared by every Slurm cluster of
# this machine, and the node names carry the controller's port (s26801n1..),
# because Slurm names a node's cgroups after the node alone; so several
# suites may run at once, beside the sshd clusters of cluster.bash.
#
# What the nodes are like (the test suites rely on it; design.md's
# departures say why):
# - ProctrackType=proctrack/cgroup, as at most sites: what a step leaves
#   behind is killed when the step ends.  Where Slurm cannot use cgroups
#   here, proctrack/linuxproc (which lets leftovers live on), said on stderr
#   and exported as SLURMTEST_PROCTRACK.
# - select/cons_tres with CR_Core_Memory: cores and memory are allocated
#   (a node has the machine's cores, and 1000 MB).
# - Two GPUs per node as GRES (`--gres=gpu:N` asks for them), whose device
#   files are two character devices in $SLURMTEST_DIR/dev (the numbers of
#   /dev/full) standing in for /dev/nvidia*, and, with proctrack/cgroup,
#   task/cgroup with ConstrainDevices=yes, as at GPU sites: a step may open
#   only the files of the GPUs it was given (SLURMTEST_CONSTRAIN_DEVICES=yes).
# - Jobs get no time limit; a node that stops answering is marked down after
#   SlurmdTimeout (10 s) and the jobs on it are killed unless submitted with
#   --no-kill.
#
# slurm_up [N] (default 3; at most 99) starts it and exports:
#   SLURMTEST_DIR  state directory (slurm.conf, logs, env)
#   SLURM_CONF         its slurm.conf, which every Slurm command then reads
#   SLURMTEST_NODES        the node names, space-separated
#   SLURMTEST_NODELIST     the same as a Slurm host list (s26801n[1-3])
#   SLURMTEST_PROCTRACK    cgroup or linuxproc
#   SLURMTEST_GPU_FILES    the GPUs' device files (every node's), space-separated
#   SLURMTEST_CONSTRAIN_DEVICES  yes (ConstrainDevices=yes) or no (linuxproc)
# and writes them to $SLURMTEST_DIR/env.  On failure it cleans up.
#
# slurm_down stops everything it started: jobs, daemons, every process left
# in the nodes' cgroups, the cgroups, the state directory.
#
# In a test: slurm_node_stop NAME (the node's slurmd and every step on it
# killed, as a node that crashed), slurm_steps (squeue -s, one step a line),
# slurm_wait_idle (until no job is left).

CLUSTER_STATE_ROOT=${CLUSTER_STATE_ROOT:-/run}
_SLURM_CGROUP_CONTROLLERS="freezer cpuset memory devices cpu cpuacct pids systemd"

_slurm_die() {
	echo "slurm: $*" >&2
	return 1
}

# Claims N+1 consecutive free TCP ports (slurmctld, then the nodes) under a
# lock shared by every Slurm cluster on this machine; the claim is a file in
# $CLUSTER_STATE_ROOT/clusterp-slurm.
_slurm_claim_ports() {
	local n=$1 reg=$CLUSTER_STATE_ROOT/clusterp-slurm listening base p ok
	mkdir -p "$reg"
	exec {lockfd}>"$reg/.lock"
	flock "$lockfd"
	listening=" $(ss -ltnH 2>/dev/null | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }')"
	for _ in $(seq 1 100); do
		base=$((20000 + (RANDOM % 100) * 100))
		[ -e "$reg/$base" ] && continue
		ok=1
		for p in $(seq "$base" $((base + n))); do
			case $listening in *" $p "*) ok= && break ;; esac
		done
		[ -n "$ok" ] || continue
		echo "$SLURMTEST_DIR" >"$reg/$base"
		flock -u "$lockfd"
		exec {lockfd}>&-
		SLURMTEST_PORT=$base
		return 0
	done
	flock -u "$lockfd"
	exec {lockfd}>&-
	_slurm_die "no free range of ports"
}

# _slurm_write_conf N PROCTRACK
_slurm_write_conf() {
	local n=$1 proctrack=$2 d=$SLURMTEST_DIR host i task=none constrain=no
	[ "$proctrack" = cgroup ] && task=cgroup constrain=yes
	SLURMTEST_CONSTRAIN_DEVICES=$constrain
	host=$(hostname)
	cat >"$d/slurm.conf" <<-EOF
		ClusterName=clusterp$SLURMTEST_PORT
		SlurmctldHost=$host(127.0.0.1)
		SlurmctldPort=$SLURMTEST_PORT
		AuthType=auth/munge
		AuthInfo=socket=$d/munge/socket
		CredType=cred/munge
		SlurmUser=root
		SlurmdUser=root
		StateSaveLocation=$d/state
		SlurmdSpoolDir=$d/spool/%n
		SlurmctldPidFile=$d/slurmctld.pid
		SlurmdPidFile=$d/spool/%n.pid
		SlurmctldLogFile=$d/log/slurmctld.log
		SlurmdLogFile=$d/log/%n.log
		ProctrackType=proctrack/$proctrack
		TaskPlugin=task/$task
		GresTypes=gpu
		JobAcctGatherType=jobacct_gather/none
		AccountingStorageType=accounting_storage/none
		SelectType=select/cons_tres
		SelectTypeParameters=CR_Core_Memory
		MpiDefault=none
		ReturnToService=2
		SlurmdTimeout=10
		InactiveLimit=0
		KillWait=5
		MessageTimeout=5
		TreeWidth=${SLURMTEST_TREE_WIDTH:-50}
		MailProg=/bin/true
		PartitionName=all Nodes=ALL Default=YES MaxTime=INFINITE State=UP
	EOF
	for i in $(seq 1 "$n"); do
		echo "NodeName=${SLURMTEST_PREFIX}$i NodeHostname=$host NodeAddr=127.0.0.1 Port=$((SLURMTEST_PORT + i)) CPUs=$(nproc) RealMemory=1000 Gres=gpu:2"
	done >>"$d/slurm.conf"
	echo "Name=gpu File=$d/dev/gpu[0-1]" >"$d/gres.conf"
	# Cgroups to track processes and the GPUs' devices: nothing else is
	# constrained.
	printf '%s\n' CgroupPlugin=autodetect ConstrainCores=no "ConstrainDevices=$constrain" ConstrainRAMSpace=no >"$d/cgroup.conf"
}

# _slurm_start_daemons N: slurmctld and the nodes' slurmd, until every node
# is idle.
_slurm_start_daemons() {
	local n=$1 d=$SLURMTEST_DIR i
	slurmctld -f "$d/slurm.conf" -i || return 1
	for i in $(seq 1 "$n"); do
		mkdir -p "$d/spool/${SLURMTEST_PREFIX}$i"
		slurmd -f "$d/slurm.conf" -N "${SLURMTEST_PREFIX}$i" || return 1
	done
	for _ in $(seq 1 300); do
		[ "$(sinfo -h -t idle -o '%D' 2>/dev/null)" = "$n" ] && return 0
		sleep 0.1
	done
	_slurm_die "the nodes did not come up: $(sinfo -h -N -o '%N %T' 2>&1 | tr '\n' ' ')"
}

_slurm_stop_daemons() {
	local d=$SLURMTEST_DIR f pids=() pid
	for f in "$d"/spool/*.pid "$d/slurmctld.pid"; do
		[ -f "$f" ] && pids+=("$(cat "$f")")
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	kill "${pids[@]}" 2>/dev/null
	for _ in $(seq 1 100); do
		for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && break; done || return 0
		sleep 0.05
	done
	kill -KILL "${pids[@]}" 2>/dev/null
	return 0
}

_slurm_up() {
	local n=${1:-3} d
	SLURMTEST_DIR=$(mktemp -d "$CLUSTER_STATE_ROOT/clusterp-slurm.XXXXXX") || return 1
	export SLURMTEST_DIR
	d=$SLURMTEST_DIR
	chmod 755 "$d"
	[ "$n" -ge 1 ] && [ "$n" -le 99 ] || _slurm_die "from 1 to 99 nodes, not $n" || return 1
	_slurm_claim_ports "$n" || return 1
	SLURMTEST_PREFIX=s${SLURMTEST_PORT}n
	mkdir -p "$d/state" "$d/spool" "$d/log" "$d/munge" "$d/dev"
	mknod -m 666 "$d/dev/gpu0" c 1 7 && mknod -m 666 "$d/dev/gpu1" c 1 7 || _slurm_die "cannot make the GPUs' device files" || return 1
	SLURMTEST_GPU_FILES="$d/dev/gpu0 $d/dev/gpu1"
	# munged insists: its socket's directory searchable by all, its key the
	# munge user's alone.
	chown munge:munge "$d/munge"
	mungekey -c -k "$d/munge/key" || return 1
	chown munge:munge "$d/munge/key"
	chmod 600 "$d/munge/key"
	runuser -u munge -- munged --socket="$d/munge/socket" --key-file="$d/munge/key" \
		--pid-file="$d/munge/pid" --seed-file="$d/munge/seed" --log-file="$d/munge/log" ||
		_slurm_die "munged did not start: $(tail -n 1 "$d/munge/log" 2>/dev/null)" || return 1
	export SLURM_CONF=$d/slurm.conf
	SLURMTEST_PROCTRACK=cgroup
	_slurm_write_conf "$n" cgroup
	if ! _slurm_start_daemons "$n"; then
		echo "slurm: proctrack/cgroup did not work here ($(grep -h -m1 'error' "$d"/log/*.log | head -n 1)): proctrack/linuxproc" >&2
		_slurm_stop_daemons
		rm -rf "${d:?}/state" && mkdir "$d/state"
		SLURMTEST_PROCTRACK=linuxproc
		_slurm_write_conf "$n" linuxproc
		_slurm_start_daemons "$n" || return 1
	fi
	SLURMTEST_NODES=$(seq -f "${SLURMTEST_PREFIX}%g" 1 "$n" | tr '\n' ' ')
	SLURMTEST_NODES=${SLURMTEST_NODES% }
	SLURMTEST_NODELIST=${SLURMTEST_PREFIX}[1-$n]
	export SLURMTEST_NODES SLURMTEST_NODELIST SLURMTEST_PROCTRACK SLURMTEST_PORT SLURMTEST_GPU_FILES SLURMTEST_CONSTRAIN_DEVICES
	{
		for var in SLURMTEST_DIR SLURM_CONF SLURMTEST_NODES SLURMTEST_NODELIST SLURMTEST_PROCTRACK SLURMTEST_PORT \
			SLURMTEST_GPU_FILES SLURMTEST_CONSTRAIN_DEVICES; do
			printf 'export %s=%q\n' "$var" "${!var}"
		done
	} >"$d/env"
}

slurm_up() {
	_slurm_up "$@" && return 0
	slurm_down
	return 1
}

# The pids of every process in the cgroups of node NAME (every controller).
_slurm_node_pids() {
	local c
	for c in $_SLURM_CGROUP_CONTROLLERS; do
		[ -d "/sys/fs/cgroup/$c/slurm_$1" ] && find "/sys/fs/cgroup/$c/slurm_$1" -name cgroup.procs -exec cat {} +
	done 2>/dev/null | sort -un
}

# slurm_node_stop NAME: the node as if it crashed: its slurmd, its
# slurmstepds and every process of its steps killed.
slurm_node_stop() {
	local name=$1 pid parent
	kill -KILL "$(cat "$SLURMTEST_DIR/spool/$name.pid")" 2>/dev/null
	for pid in $(_slurm_node_pids "$name"); do
		parent=$(ps -o ppid= -p "$pid" 2>/dev/null) || continue
		case $(ps -o comm= -p "$parent" 2>/dev/null) in slurmstepd) kill -KILL "$parent" ;; esac
		kill -KILL "$pid" 2>/dev/null
	done
	return 0
}

# slurm_steps: the job steps Slurm knows, one a line (none: empty).
slurm_steps() {
	squeue -h -s -o '%i %j %N'
}

# slurm_wait_idle: until no job is left (the allocations of a test end).
slurm_wait_idle() {
	for _ in $(seq 1 300); do
		[ -z "$(squeue -h -o %i 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	_slurm_die "jobs left: $(squeue -h 2>&1 | tr '\n' ' ')"
}

slurm_down() {
	[ -n "${SLURMTEST_DIR:-}" ] && [ -d "$SLURMTEST_DIR" ] || return 0
	local d=$SLURMTEST_DIR name c pid
	[ -f "$d/slurmctld.pid" ] && scancel --quiet --full "--user=$(id -un)" 2>/dev/null
	_slurm_stop_daemons
	for name in $(cd "$d/spool" 2>/dev/null && ls -d -- */ 2>/dev/null); do
		name=${name%/}
		# shellcheck disable=SC2046
		kill -KILL $(_slurm_node_pids "$name") 2>/dev/null
		for c in $_SLURM_CGROUP_CONTROLLERS; do
			[ -d "/sys/fs/cgroup/$c/slurm_$name" ] &&
				find "/sys/fs/cgroup/$c/slurm_$name" -depth -type d -exec rmdir {} + 2>/dev/null
		done
	done
	# slurmstepds left without their slurmd (a node stopped by a test).
	for pid in $(pgrep -x slurmstepd); do
		tr '\0' ' ' </proc/"$pid"/environ 2>/dev/null | grep -q "SLURM_CONF=$d/" && kill -KILL "$pid"
	done
	[ -f "$d/munge/pid" ] && kill "$(cat "$d/munge/pid")" 2>/dev/null
	[ -n "${SLURMTEST_PORT:-}" ] && rm -f "$CLUSTER_STATE_ROOT/clusterp-slurm/$SLURMTEST_PORT"
	rm -rf --one-file-system "$d"
	return 0
}
