# Helpers for the start/stop suites (`load ../lib/collect` after lib/common).

# local_config FILE HOST...: a config for the local transport at a 1 s
# interval naming HOSTs (each a separate collector on this machine).
local_config() {
	local file=$1 host
	shift
	{
		echo "transport: local"
		echo "interval: 1"
		echo "hosts:"
		for host in "$@"; do echo "    - $host"; done
	} >"$file"
}

# manifest_field HOST KEY: a value from .clusterp/run.json (flat JSON, one
# host per line).
manifest_field() {
	python3 - "$1" "$2" <<-'PY'
		import json, sys
		m = json.load(open(".clusterp/run.json"))
		for h in m["hosts"]:
		    if h["host"] == sys.argv[1]:
		        print(h[sys.argv[2]])
	PY
}

# Kills every collector a run of this test left (teardown), by the pids
# the manifest recorded, and only when they still write our file.
kill_leftover_collectors() {
	[ -f .clusterp/run.json ] || return 0
	python3 - <<-'PY'
		import json, os, signal
		m = json.load(open(".clusterp/run.json"))
		for h in m["hosts"]:
		    try:
		        cmd = open("/proc/%d/cmdline" % h["pid"], "rb").read().split(b"\0")
		    except (OSError, KeyError):
		        continue
		    if (h["dir"] + "/run.sa").encode() in cmd:
		        os.kill(h["pid"], signal.SIGKILL)
		for h in m["hosts"]:
		    for s in h.get("side", []):
		        try:
		            out = os.readlink("/proc/%d/fd/1" % s["pid"])
		        except OSError:
		            continue
		        if out == h["dir"] + "/" + s["category"] + ".txt":
		            os.kill(s["pid"], signal.SIGKILL)
	PY
}

# collectors_of DIR...: how many live sadc processes write into DIRs.
collectors_running() {
	local n=0 dir
	for dir in "$@"; do
		if pgrep -f -- "$dir/run.sa" >/dev/null; then n=$((n + 1)); fi
	done
	echo "$n"
}

# setup_local_nodes: the set-up of a local-transport suite: a working
# directory, and three local "nodes" a1 b2 c3 whose run directories go under
# $TMPDIR, kept inside the test's own directory.
setup_local_nodes() {
	cd_workdir
	export TMPDIR=$BATS_TEST_TMPDIR/node-tmp
	mkdir -p "$TMPDIR"
	local_config config.yml a1 b2 c3
}
