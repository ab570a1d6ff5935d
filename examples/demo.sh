#!/bin/sh
# make demo: profile this machine with `clusterp run` while a planted load
# runs, then show the answer: the report's findings, and the run page that
# puts them on top of the views and plots.
#
# The job has two marked phases: `compute` keeps every core busy with twice
# as many busy loops as there are CPUs (more runnable tasks than CPUs: the
# report's "cpu saturated" fires on any machine), `io` writes to the disk
# (page cache bypassed) and streams over the loopback interface.
#
# DEMO_DIR (default ./demo-run) receives config.yml, raw/, parsed/, report/,
# plot/; DEMO_SECONDS sets the length of each phase (default 10).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$root/build/bin:$PATH
demo=${DEMO_DIR:-$PWD/demo-run}
seconds=${DEMO_SECONDS:-10}

# A previous demo's results are replaced: this directory is the demo's own.
if [ -e "$demo/.clusterp" ]; then
	(cd "$demo" && clusterp stop -q --force >/dev/null 2>&1) || true
	rm -rf "$demo"
fi
mkdir -p "$demo"
cd "$demo"

clusterp init -q --local

cat >job.sh <<'JOB'
#!/bin/sh
# The planted load; clusterp-mark finds the run through $CLUSTERP_DIR.
seconds=$1
cpus=$(nproc)
echo "demo: phase compute: $((2 * cpus)) busy loops on $cpus CPUs for $seconds s"
clusterp mark --begin compute
pids=
for _ in $(seq $((2 * cpus))); do
	timeout "$seconds" sh -c 'while :; do :; done' &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids || true
clusterp mark --end compute

echo "demo: phase io: disk writes and loopback traffic for $seconds s"
clusterp mark --begin io
port=$((20000 + $$ % 20000))
timeout "$seconds" sh -c 'while :; do dd if=/dev/zero of=disk-load.bin bs=1M count=64 oflag=direct conv=fsync 2>/dev/null; done' &
pids=$!
timeout "$seconds" socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" OPEN:/dev/null &
pids="$pids $!"
sleep 0.5
timeout "$((seconds - 1))" socat -u /dev/zero "TCP:127.0.0.1:$port" 2>/dev/null &
pids="$pids $!"
# shellcheck disable=SC2086
wait $pids || true
rm -f disk-load.bin
clusterp mark --end io
JOB
chmod +x job.sh

# The findings are what `clusterp run` prints on standard error with -q
# (standard output is the job's); they are kept to be shown last.
echo "demo: profiling this machine while a planted load runs (clusterp run -- ./job.sh $seconds)"
status=0
clusterp run -q -- ./job.sh "$seconds" 2>run.err || status=$?
if [ "$status" -ne 0 ] || ! [ -s plot/index.html ]; then
	cat run.err >&2
	echo "demo: clusterp run failed (status $status); its files are in $demo" >&2
	exit 1
fi

echo
echo "demo: the report's findings, most severe first (report/report.md):"
sed 's/^/    /' run.err
echo
echo "demo: open $demo/plot/index.html in a browser: the findings on top, then every view and plot"
echo "demo: (the plots are also in $demo/plot as EPS and SVG, with the gnuplot script of each)"
