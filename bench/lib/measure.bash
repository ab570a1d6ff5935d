# Shared by the start/stop benchmarks (source it; needs $work and
# $bench_name set).

# measure NAME CMD...: runs CMD once; appends `wall cpu fds rss_kib` to
# NAME.t (cpu: user + system, its waited-for children included; fds: the
# peak of CMD's own open descriptors); a failure stops the benchmark.
measure() {
	local name=$1 pid peak=0 n
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" &
	pid=$!
	# The tool is time's child.
	while kill -0 "$pid" 2>/dev/null; do
		for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do
			n=$(ls "/proc/$child/fd" 2>/dev/null | wc -l)
			[ "$n" -gt "$peak" ] && peak=$n
		done
		sleep 0.01
	done
	wait "$pid" || { echo "$bench_name: failed: $*" >&2; cat "$work/err" >&2; exit 1; }
	awk -v fds="$peak" '{ printf "%s %.2f %d %d\n", $1, $2 + $3, fds, $4 }' "$work/time" >>"$name.t"
}

# median NAME FIELD: the median of column FIELD of NAME.t.
median() {
	cut -d' ' -f"$2" "$1.t" | sort -g |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
