#!/usr/bin/env bash
# make demo-cluster (as root): profile a cluster of four real sshd nodes on
# this machine (the test cluster of tests/lib/cluster.bash, each node with
# its own cgroups and lxcfs's /proc/stat and /proc/meminfo, so that a node
# sees its own CPU time and memory only) while each node does something
# different, then parse and plot it: the plots show which node was busy.
#
#   cpu-busy      one CPU kept busy
#   disk-writer   direct writes to the disk under its /var/tmp
#   memory-hog    holds 400 MiB of its 1 GiB
#   idle          nothing but the collector
#
# DEMO_DIR (default ./demo-cluster-run) receives config.yml, raw/, parsed/,
# plot/; DEMO_SECONDS sets the length of the load (default 20).  The cluster
# is taken down at the end, whatever happens.
#
# The disk is the machine's, hence its alias `shared`: lxcfs cannot give a
# node a /proc/diskstats of its own on this kernel (see
# tests/lib/cluster.bash), so every node's line in the disk plots shows the
# disk writer's writes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$root/build/bin:$PATH
demo=${DEMO_DIR:-$PWD/demo-cluster-run}
seconds=${DEMO_SECONDS:-20}

if [ "$(id -u)" != 0 ]; then
	echo "demo-cluster: needs root (it starts sshd nodes in namespaces and cgroups); try: sudo make demo-cluster" >&2
	exit 77
fi

# shellcheck source=tests/lib/cluster.bash
. "$root/tests/lib/cluster.bash"
trap 'set +e; cluster_down' EXIT
trap 'exit 130' INT TERM

echo "demo-cluster: starting four isolated sshd nodes"
if ! CLUSTER_ISOLATE=1 cluster_up 4; then exit 1; fi
echo "demo-cluster: nodes up, their state and logs in $CLUSTER_DIR until the end"

# A previous demo's results are replaced: this directory is the demo's own.
rm -rf "$demo"
mkdir -p "$demo"
cd "$demo"

# The cluster's key and known_hosts are named in the config, so that the
# user's own ~/.ssh is neither needed nor touched.  (cluster_up sets
# CLUSTER_NODE_1..4.)
# shellcheck disable=SC2153
cluster_config ssh_key="$CLUSTER_HOME/.ssh/id_ed25519" ssh_known_hosts="$CLUSTER_HOME/.ssh/known_hosts" -- \
	"$CLUSTER_NODE_1:cpu-busy" "$CLUSTER_NODE_2:disk-writer" "$CLUSTER_NODE_3:memory-hog" "$CLUSTER_NODE_4:idle" >config.yml
printf 'filesystem_names:\n    - %s: shared\nnet_interfaces:\n    - lo: loopback\n' "$CLUSTER_DISK" >>config.yml
clusterp init --check

clusterp start

on() { ssh -F "$CLUSTER_SSH_CONFIG" -n "$1" "$2"; }
echo "demo-cluster: loading the nodes for $seconds s"
sleep 1
pids=()
on "$CLUSTER_NODE_1" "timeout $seconds sh -c 'while :; do :; done'; true" &
pids+=($!)
on "$CLUSTER_NODE_2" "timeout $seconds sh -c 'while :; do dd if=/dev/zero of=/var/tmp/load.bin bs=1M count=16 oflag=direct 2>/dev/null; sleep 0.1; done'; rm -f /var/tmp/load.bin" &
pids+=($!)
on "$CLUSTER_NODE_3" "python3 -c 'import time; b = bytearray(400 << 20); b[::4096] = b\"x\" * len(b[::4096]); time.sleep($seconds)'" &
pids+=($!)
for pid in "${pids[@]}"; do wait "$pid"; done
sleep 1

clusterp stop --with-parse --with-report --with-plot

echo
echo "demo-cluster: the plots are in $demo/plot (EPS and SVG):"
(cd plot && find . -name '*.svg' | sed 's|^\./|    |; s|\.svg$|.{eps,svg}|' | sort)
if [ -f plot/index.html ]; then
	echo "demo-cluster: open $demo/plot/index.html in a browser to see them all"
fi
echo "demo-cluster: mean CPU utilisation per node:"
for f in parsed/cpu/*; do
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ s += $c["util_pct"]; n++; a = $c["alias"] } END { if (n) printf "    %-12s %5.1f %%\n", a, s / n }' "$f"
done
