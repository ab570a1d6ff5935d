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

# gpu_query_csv CAPTURE STATE: the capture's --query-gpu CSV of STATE (idle
# or load): its header and one row per GPU.
gpu_query_csv() {
	awk -v st="$2" '$0 ~ "^# "st" :: query-gpu \\(csv" {s=1; next} s && /^#/ {next} s && /^$/ {s=0} s' "$GPU_CAPTURES/$1"
}

# gpu_parsed HOSTS GPUS SAMPLES [CAPTURE]: parsed/gpu/<host> for each host of
# HOSTS (words), made by clusterp-parse from nvidia-smi output built of
# CAPTURE's (default the H100's) real idle and load rows: GPUS GPUs per
# host, SAMPLES samples a second apart from 2026-11-25 02:40:56 UTC (the
# start of tests/fixtures/parsed/few), GPU g of the i-th host loaded in
# sample s when (s + 3i + g) mod 10 < 7, and GPU 1 of the second host idle
# throughout (the odd one a heatmap shows first).
gpu_parsed() {
	local hosts=$1 gpus=$2 samples=$3 capture=${4:-$GPU_H100} host dir=$BATS_TEST_TMPDIR/gpu-smi
	mkdir -p parsed/gpu "$dir"
	gpu_query_csv "$capture" idle >"$dir/idle"
	gpu_query_csv "$capture" load >"$dir/load"
	python3 - "$dir" "$gpus" "$samples" $hosts <<-'PY'
		import sys
		dir, gpus, samples, hosts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
		idle, load = ([l.rstrip("\n").split(", ") for l in open(dir + "/" + n) if l.strip()] for n in ("idle", "load"))
		head = idle[0]
		at, index = head.index("timestamp"), head.index("index")
		for i, host in enumerate(hosts):
		    with open(dir + "/" + host + ".csv", "w") as out:
		        out.write(", ".join(head) + "\n")
		        for s in range(samples):
		            for g in range(gpus):
		                busy = (s + 3 * i + g) % 10 < 7 and not (i == 1 and g == 1)
		                row = list((load if busy else idle)[1])
		                row[at] = "2026/11/25 %02d:%02d:%02d.000" % (2 + (2456 + s) // 3600, (2456 + s) // 60 % 60, (56 + s) % 60)
		                row[index] = str(g)
		                out.write(", ".join(row) + "\n")
	PY
	for host in $hosts; do
		clusterp-parse -q --category gpu --host "$host" "$dir/$host.csv" >"parsed/gpu/$host" || return 1
	done
}
