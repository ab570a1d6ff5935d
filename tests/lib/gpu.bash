# The replaying nvidia-smi for the suites (`load ../lib/gpu`): a stand-in for
# the GPUs these machines lack (tests/lib/gpu/nvidia-smi says how it works),
# fed with the real captures of tests/fixtures/nvidia-smi.

GPU_CAPTURES=$ROOT/tests/fixtures/nvidia-smi
GPU_H100=linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01.txt

# gpu_replay DIR CAPTURE [LINE...]: DIR holds an nvidia-smi that replays
# CAPTURE (a file name in tests/fixtures/nvidia-smi), with the replay.conf
# LINEs after it (`state idle`, `gpus 2`, `set utilization.gpu 5 %`,
# `fail exit`); called again, it replaces them.  The replay and its capture
# are copied into DIR, not linked: a test node has a /tmp of its own, and a
# checkout under /tmp (CI's may be) is not there for it.
gpu_replay() {
	local dir=$1 capture=$2
	shift 2
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	cp "$ROOT/tests/lib/gpu/nvidia-smi" "$dir/nvidia-smi"
	cp "$GPU_CAPTURES/$capture" "$dir/capture.txt"
	{
		echo "capture $dir/capture.txt"
		printf '%s\n' "$@"
	} >"$dir/replay.conf"
}

# cluster_gpu NAME CAPTURE [LINE...]: node NAME (n1..) gets that nvidia-smi
# on its PATH (over /usr/local/sbin, in its own mount namespace only; the
# files in $CLUSTER_DIR, which the nodes see: their /tmp is their own).
cluster_gpu() {
	local dir=$CLUSTER_DIR/gpu/$1
	gpu_replay "$dir" "${@:2}"
	cluster_exec "$1" sh -c "mountpoint -q /usr/local/sbin || mount --bind '$dir' /usr/local/sbin"
}

# cluster_no_gpu NAME: node NAME without nvidia-smi again.
cluster_no_gpu() {
	cluster_exec "$1" sh -c 'if mountpoint -q /usr/local/sbin; then umount /usr/local/sbin; fi'
}
