# Helpers for the suites that run the whole pipeline on the test cluster
# (e2e, examples, readme): `load ../lib/e2e` after lib/common and lib/cluster.

# e2e_home DIR: a client HOME in DIR that knows every node (cluster_home
# wants a test's own directory; setup_file has none).
e2e_home() {
	export HOME=$1/home
	rm -rf "$HOME"
	cp -a "$CLUSTER_HOME" "$HOME"
	unset SSH_AUTH_SOCK SSH_AGENT_PID
}

# node_run ADDR CMD: runs the shell command CMD on a node over SSH (OpenSSH,
# the cluster's ssh_config), as a user's workload would.
node_run() {
	ssh -F "$CLUSTER_SSH_CONFIG" -n "$1" "$2"
}

# The loads, each for SECONDS on the node ADDR (run them in the background
# and wait): one busy CPU; direct writes (the page cache bypassed, so they
# reach the disk at once) into the node's /var/tmp, which is on a disk
# (/tmp is a tmpfs), 16 MiB every tenth of a second at most (this machine is
# shared); MIB MiB of memory held.
load_cpu() {
	node_run "$1" "timeout $2 sh -c 'while :; do :; done'; true"
}
load_disk() {
	node_run "$1" "timeout $2 sh -c 'while :; do dd if=/dev/zero of=/var/tmp/load.bin bs=1M count=16 oflag=direct 2>/dev/null; sleep 0.1; done'; rm -f /var/tmp/load.bin"
}
load_memory() {
	node_run "$1" "python3 -c 'import time; b = bytearray($2 << 20); b[::4096] = b\"x\" * len(b[::4096]); time.sleep($3)'"
}

# csv_stat mean|max FILE COLUMN [DEVICE]: the mean or the maximum of COLUMN
# in a parsed CSV (rows of DEVICE only, for disk and network), found by its
# header name; empty fields are skipped.  Fails on a missing column or no
# value.
csv_stat() {
	awk -F, -v what="$1" -v col="$3" -v dev="${4:-}" '
		NR == 1 {
			for (i = 1; i <= NF; i++) c[$i] = i
			if (!(col in c)) { print "no column " col > "/dev/stderr"; exit 2 }
			d = ("device" in c) ? c["device"] : (("iface" in c) ? c["iface"] : 0)
			next
		}
		dev != "" && $d != dev { next }
		$c[col] == "" { next }
		{ v = $c[col] + 0; s += v; n++; if (n == 1 || v > m) m = v }
		END {
			if (n == 0) { print "no value of " col > "/dev/stderr"; exit 1 }
			printf "%.3f\n", what == "max" ? m : s / n
		}' "$2"
}

# highest mean|max CATEGORY COLUMN [DEVICE]: the host (file name) of
# parsed/CATEGORY/ with the highest mean or maximum of COLUMN; every host's
# figure goes to stderr, for a failing test's log.
highest() {
	local f v best='' best_v=''
	for f in parsed/"$2"/*; do
		v=$(csv_stat "$1" "$f" "$3" "${4:-}") || return 1
		echo "${f##*/} $1 $3 = $v" >&2
		if [ -z "$best" ] || awk -v a="$v" -v b="$best_v" 'BEGIN { exit !(a > b) }'; then
			best=${f##*/} best_v=$v
		fi
	done
	echo "$best"
}

# greater A B: A > B as numbers.
greater() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'
}

# The pressure plots a run on the test cluster draws: the nodes share this
# machine's kernel, and sysstat (12.3.3+) records pressure stall information
# when it has some.
e2e_pressure_plots() {
	if cat /proc/pressure/cpu >/dev/null 2>&1; then echo load/pressure load/io_pressure load/memory_pressure; fi
}

# How many plots a run with one disk and one interface configured makes:
# every line plot with its heatmap and band (cpu 3, load 1 + pressure,
# memory 3, swap 2, disk 4, network 4).
e2e_plot_count() {
	set -- $(e2e_pressure_plots)
	echo $(((17 + $#) * 3))
}
