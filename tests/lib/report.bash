# Helpers for the clusterp-report suites: `load lib/report` after lib/common.

# Every column of each category, as design.md's data contract lists them.
declare -gA REPORT_COLUMNS=(
	[cpu]='user nice system iowait steal idle util_pct busiest_core_pct irq_pct cpus'
	[load]='runq plist ldavg1 ldavg5 ldavg15 blocked cpu_some_pct io_some_pct io_full_pct mem_some_pct mem_full_pct'
	[memory]='used_mib used_pct avail_mib buffers_mib cached_mib commit_pct majflt_ps pgscan_ps vmeff_pct'
	[swap]='used_mib used_pct in_pps out_pps'
	[disk]='tps read_mibps write_mibps util_pct await_ms aqu_sz areq_kib'
	[network]='rx_pps tx_pps rx_mibps tx_mibps util_pct rxerr_ps txerr_ps rxdrop_ps txdrop_ps'
	[gpu]='util_pct mem_util_pct mem_used_mib mem_total_mib mem_used_pct power_w power_limit_w temp_c sm_clock_mhz sm_clock_max_mhz throttle'
)

# report_csv CATEGORY HOST SAMPLES [DEVICE] [COLUMN=SPEC]...: appends to
# parsed/CATEGORY/HOST (header first, when new) SAMPLES rows every 10 s from
# 2026-11-25T02:40:00Z, alias the upper-case host, every column of the
# category (cpu's `cpus` 0: no count).  SPEC is a value for every sample, V1:V2@K (V1 before sample K,
# V2 from K on), or `none` (the column is left out); columns not named are 0.
# With DEVICE (disk and network; gpu: its index), the rows are that device's.
report_csv() {
	local category=$1 host=$2 n=$3 device='' key=''
	shift 3
	case $category in disk) key=device ;; network) key=iface ;; gpu) key=gpu ;; esac
	if [ -n "$key" ]; then device=$1; shift; fi
	local file=parsed/$category/$host
	mkdir -p "parsed/$category"
	awk -v n="$n" -v host="$host" -v device="$device" -v key="$key" -v columns="${REPORT_COLUMNS[$category]}" \
		-v specs="$*" -v header="$([ -s "$file" ] || echo 1)" 'BEGIN {
		m = split(columns, c, " ")
		k = split(specs, s, " ")
		for (j = 1; j <= k; j++) spec[substr(s[j], 1, index(s[j], "=") - 1)] = substr(s[j], index(s[j], "=") + 1)
		if (header) {
			row = "time,elapsed,host,alias" (key != "" ? "," key "," key "_alias" : "")
			for (j = 1; j <= m; j++) if (!(c[j] in spec) || spec[c[j]] != "none") row = row "," c[j]
			print row
		}
		for (i = 0; i < n; i++) {
			t = 2 * 3600 + 40 * 60 + 10 * i
			row = sprintf("2026-11-25T%02d:%02d:%02dZ,%d,%s,%s", t / 3600, t / 60 % 60, t % 60, 10 * i, host, toupper(host))
			if (device != "") row = row "," device "," device
			for (j = 1; j <= m; j++) {
				v = (c[j] in spec) ? spec[c[j]] : "0"
				if (v == "none") continue
				if (index(v, "@")) {
					split(v, a, "[:@]")
					v = i < a[3] + 0 ? a[1] : a[2]
				}
				row = row "," v
			}
			print row
		}
	}' >>"$file"
}

# report_host HOST SAMPLES BUSY RUNQ: cpu and load of a host, the rest quiet
# (memory 40 % used, no swapping, disk sda and eth0 nearly idle).
report_host() {
	report_csv cpu "$1" "$2" util_pct="$3" busiest_core_pct="$3"
	report_csv load "$1" "$2" runq="$4"
	report_csv memory "$1" "$2" used_pct=40
	report_csv swap "$1" "$2"
	report_csv disk "$1" "$2" sda util_pct=2 aqu_sz=0.01
	report_csv network "$1" "$2" eth0 util_pct=1
}

# report_processes HOST SAMPLES ROW...: parsed/processes/HOST, SAMPLES
# samples every 10 s from 2026-11-25T02:40:00Z (alias the upper-case host),
# each holding every ROW: `pid,command,cpu_pct,rss_mib,read_kibps,
# write_kibps`, as CSV, bytes as given.
report_processes() {
	local host=$1 n=$2 i t row
	shift 2
	mkdir -p parsed/processes
	{
		echo time,elapsed,host,alias,pid,command,cpu_pct,rss_mib,read_kibps,write_kibps
		for ((i = 0; i < n; i++)); do
			t=$(printf '2026-11-25T02:%02d:%02dZ' $((40 + i / 6)) $((i % 6 * 10)))
			for row in "$@"; do printf '%s,%d,%s,%s,%s\n' "$t" $((10 * i)) "$host" "${host^^}" "$row"; done
		done
	} >"parsed/processes/$host"
}
