#!/bin/sh
# make demo: profile this machine for about 20 s under a mixed load (CPU,
# disk writes, loopback network traffic), then parse and plot it.
#
# DEMO_DIR (default ./demo-run) receives config.yml, raw/, parsed/, plot/;
# DEMO_SECONDS sets the length of the load (default 20).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PATH=$root/build/bin:$PATH
demo=${DEMO_DIR:-$PWD/demo-run}
seconds=${DEMO_SECONDS:-20}

# A previous demo's results are replaced: this directory is the demo's own.
if [ -e "$demo/.clusterp" ]; then
	(cd "$demo" && clusterp stop -q --force >/dev/null 2>&1) || true
	rm -rf "$demo"
fi
mkdir -p "$demo"
cd "$demo"

clusterp init --local
clusterp start

echo "demo: loading this machine for $seconds s (CPU, disk writes, loopback traffic)"
load_pids=
# CPU: one busy loop.
timeout "$seconds" sh -c 'while :; do :; done' &
load_pids="$load_pids $!"
# Disk: direct writes (page cache bypassed) of 64 MiB at a time.
timeout "$seconds" sh -c 'while :; do dd if=/dev/zero of=disk-load.bin bs=1M count=64 oflag=direct conv=fsync 2>/dev/null; done' &
load_pids="$load_pids $!"
# Network: a stream over the loopback interface.
port=$((20000 + $$ % 20000))
timeout "$seconds" socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" OPEN:/dev/null &
load_pids="$load_pids $!"
sleep 0.5
timeout "$((seconds - 1))" socat -u /dev/zero "TCP:127.0.0.1:$port" 2>/dev/null &
load_pids="$load_pids $!"
# shellcheck disable=SC2086
wait $load_pids || true
rm -f disk-load.bin

clusterp stop --with-parse --with-plot
# The EPS plots above are the seed's; SVG too, for the page a browser shows.
clusterp plot -q --format eps,svg

echo
echo "demo: the plots are in $demo/plot:"
(cd plot && find . -name '*.eps' -o -name '*.svg' | sed 's|^\./|    |' | sort)
echo "demo: open $demo/plot/index.html in a browser to see them all"
