#!/usr/bin/env bats
# clusterp-parse: real sysstat outputs (tests/fixtures/sysstat, rendered by
# sysstat 10.2.1, 11.6.6, 12.6.1 and 12.7.9) against sysstat's own JSON, golden CSV
# files, and one test per input hazard.  A hazard file (tests/fixtures/hazards,
# real renderings of 12.6.1/run.sa, see make.sh there) must give exactly the
# CSV of the epoch `sadf -d` rendering of the same data.
load ../lib/common

S=$FIXTURES/sysstat
H=$FIXTURES/hazards

setup() {
	cd_workdir
}

# parse OUT ARGS...: stdout to OUT, stderr to OUT.err, exit status in $status.
parse() {
	local out=$1
	shift
	status=0
	clusterp-parse "$@" >"$out" 2>"$out.err" || status=$?
}

# same_as REFERENCE ARGS...: parsing ARGS gives the CSV of REFERENCE, with
# exit status 0 and nothing on stderr.
same_as() {
	local ref=$1
	shift
	parse ref.csv "$ref"
	[ "$status" -eq 0 ]
	parse got.csv "$@"
	[ "$status" -eq 0 ]
	without_cpus ref.csv
	without_cpus got.csv
	diff -u ref.csv got.csv
	diff -u /dev/null got.csv.err
	[ "$(wc -l <got.csv)" -gt 1 ]
}

# without_cpus FILE: FILE's cpus column emptied: sar text has its CPU count
# in the banner, sadf -d of -u alone has none (the next test checks it).
without_cpus() {
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "cpus") c = i } c && NR > 1 { $c = "" } { print }' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

@test "the CPU count: -P ALL's single CPUs, else sar's banner or a restart's (N CPU), else none" {
	parse out.csv "$S/12.6.1/cpu-P.sadf-d"
	[ "$(cut -d, -f14 out.csv | sort | uniq -c | tr -s ' ' | tr '\n' :)" = " 20 2: 1 cpus:" ]
	parse out.csv "$S/12.6.1/cpu.sar-C.txt"
	[ "$(cut -d, -f14 out.csv | sort | uniq -c | tr -s ' ' | tr '\n' :)" = " 20 2: 1 cpus:" ]
	sed '/RESTART/s/(2 CPU)/(64 CPU)/' "$S/12.6.1-restart/cpu.sar-C.txt" >restart.txt
	parse out.csv restart.txt
	[ "$(cut -d, -f14 out.csv | uniq -c | tr -s ' ' | tr '\n' :)" = " 1 cpus: 10 2: 10 64:" ]
	parse out.csv "$S/12.6.1/cpu.sadf-d"
	[ "$(cut -d, -f14 out.csv | sort -u | tr '\n' :)" = ":cpus:" ]
}

# pidstat fixtures (tests/fixtures/pidstat/README.md): each planted process
# of truth.txt is in the CSV under its pid with its name, byte for byte
# (quoted where it holds a comma), and does what it was planted to do.
@test "pidstat: real output of 10.2.1 to 12.7.9, with and without -H and -l, gives the planted processes, names kept byte for byte" {
	local dir f pid name what files
	for dir in "$FIXTURES"/pidstat/*/; do
		files=()
		for f in "$dir"pidstat*.txt; do
			f=${f##*/}
			parse "${f%.txt}.csv" "$dir$f"
			[ "$status" -eq 0 ]
			diff -u /dev/null "${f%.txt}.csv.err"
			[ "$(head -1 "${f%.txt}.csv")" = "time,elapsed,host,alias,pid,command,cpu_pct,rss_mib,read_kibps,write_kibps" ]
			files+=("${f%.txt}.csv")
		done
		[ "${#files[@]}" -ge 2 ]
		while IFS=$'\t' read -r pid name what; do
			python3 - "$pid" "$name" "$what" "${files[@]}" <<-'PY'
				import csv, sys
				pid, name, what = sys.argv[1], sys.argv[2].encode("utf-8", "surrogateescape"), sys.argv[3]
				for path in sys.argv[4:]:
				    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
				        rows = [r for r in csv.DictReader(f) if r["pid"] == pid]
				    assert rows, (path, pid)
				    for r in rows:
				        command = r["command"].encode("utf-8", "surrogateescape")
				        # 10.x read the name from /proc/PID/stat with %s: it stops at a blank.
				        assert command == name or command.startswith(name + b" ") or command == name.split(b" ")[0], (path, command, name)
				    best = max(float(r[{"cpu": "cpu_pct", "memory": "rss_mib", "disk": "write_kibps"}[what]]) for r in rows)
				    assert best > {"cpu": 5, "memory": 90, "disk": 1000}[what], (path, what, best)
			PY
		done <"$dir/truth.txt"
		# Times of day with the banner's date give the epoch stamps' times.
		if [ -e pidstat-H.csv ]; then
			[ "$(cut -d, -f1 pidstat.csv | sort -u | sed 1d)" = "$(cut -d, -f1 pidstat-H.csv | sort -u | sed 1d)" ]
		fi
		rm -f ./*.csv ./*.err
	done
}

@test "pidstat: bad input (cut short, not pidstat's) warns or fails naming the file; stdin needs --category" {
	P=$FIXTURES/pidstat/12.6.1
	head -c -5 "$P/pidstat-H.txt" >cut.txt
	parse out.csv cut.txt
	[ "$status" -eq 0 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: cut.txt:$(wc -l <cut.txt | awk '{print $1 + 1}'): truncated line (no line feed at the end of the input), line skipped" ]
	[ "$(wc -l <out.csv)" -eq "$(($(grep -c '^17' "$P/pidstat-H.txt")))" ]
	parse out.csv --category processes "$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 65 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: $S/12.6.1/cpu.sadf-d:1: not pidstat -h output" ]
	parse out.csv --category processes - <"$P/pidstat-H.txt"
	[ "$status" -eq 0 ]
	[ "$(wc -l <out.csv)" -gt 100 ]
}

@test "every fixture matches sysstat's JSON ground truth within 0.01" {
	"$FIXTURES/parse-all.sh" "$BIN" csv
	run python3 "$FIXTURES/check_parse.py" csv
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "135 passed, 0 failed" ]
}

@test "golden: sysstat 10.2.1 disk, sadf -d, sectors and DEV first" {
	parse out.csv "$S/10.2.1/disk.sadf-d"
	[ "$status" -eq 0 ]
	golden parse/10.2.1-disk.csv out.csv
}

@test "golden: sysstat 12.6.1 memory -r ALL, used_mib exact from kbslab" {
	parse out.csv "$S/12.6.1/memory-ALL.sadf-d"
	[ "$status" -eq 0 ]
	golden parse/12.6.1-memory-ALL.csv out.csv
}

@test "golden: sysstat 12.6.1 network, sar text in de_DE" {
	parse out.csv "$S/12.6.1/network.sar-de_DE.txt"
	[ "$status" -eq 0 ]
	golden parse/12.6.1-network-de_DE.csv out.csv
}

@test "golden: sysstat 11.6.6 swap, sar text in C" {
	parse out.csv "$S/11.6.6/swap.sar-C.txt"
	[ "$status" -eq 0 ]
	golden parse/11.6.6-swap.csv out.csv
}

@test "golden: sysstat 10.2.1 memory, used_mib = kbmemused - buffers - cached" {
	parse out.csv "$S/10.2.1/memory.sar-C.txt"
	[ "$status" -eq 0 ]
	golden parse/10.2.1-memory.csv out.csv
}

@test "golden: cpu -u ALL, system = %sys + %irq + %soft" {
	parse out.csv "$H/cpu-ALL.sadf-d"
	[ "$status" -eq 0 ]
	golden parse/12.6.1-cpu-ALL.csv out.csv
}

@test "sar -A and sadf -d -A: every other activity is skipped, silently" {
	for f in "$H/all.sar-C.txt" "$H/all.sadf-d" "$S/12.7.9/all.sar-C.txt" "$S/12.7.9/all.sadf-d"; do
		v=12.6.1
		case $f in */12.7.9/*) v=12.7.9 ;; esac
		same_as "$S/$v/cpu-P.sadf-d" --category cpu "$f"
		same_as "$S/$v/load.sadf-d" --category load "$f"
		same_as "$S/$v/memory-B.sadf-d" --category memory "$f"
		same_as "$S/$v/swap-W.sadf-d" --category swap "$f"
		same_as "$S/$v/disk.sadf-d" --category disk "$f"
		same_as "$S/$v/network-EDEV.sadf-d" --category network "$f"
	done
}

@test "broken lines: one warning per file and a count" {
	sed '5a garbage;line\
more;garbage\
and;more' "$S/12.6.1/cpu.sadf-d" >bad
	parse out.csv bad
	[ "$status" -eq 0 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: bad:6: too few fields, line skipped
clusterp-parse: warning: bad: 2 more bad lines skipped after line 6" ]
}

@test "joined activities that come after their rows (-n DEV,EDEV in one call): read twice, named or in a directory" {
	grep -q '^# hostname;interval;timestamp;IFACE;rxpck' "$S/12.7.9/all.sadf-d"
	parse want.csv "$S/12.6.1/network-EDEV.sadf-d"
	[ "$status" -eq 0 ]
	parse got.csv "$S/12.6.1/network-EDEV.sar-C.txt"
	[ "$status" -eq 0 ]
	diff -u want.csv got.csv
	[ -n "$(cut -d, -f12 got.csv | grep -v rxerr_ps | sort -u)" ]
	# Piped, the file cannot be read twice: the columns stay empty, with a warning.
	status=0
	clusterp-parse - <"$S/12.6.1/network-EDEV.sar-C.txt" >piped.csv 2>piped.err || status=$?
	[ "$status" -eq 0 ]
	grep -q "came after the rows they belong to: their columns are left empty" piped.err
	[ "$(cut -d, -f12-15 piped.csv | sort -u | tr '\n' :)" = ",,,:rxerr_ps,txerr_ps,rxdrop_ps,txdrop_ps:" ]
	mkdir -p raw/network
	cp "$S/12.6.1/network-EDEV.sar-C.txt" raw/network/vm
	parse dir.csv
	[ "$status" -eq 0 ]
	diff -u <(cut -d, -f1,5- want.csv) <(cut -d, -f1,5- parsed/network/vm)
}

@test "input without rows of the category asked for: a warning" {
	parse out.csv --category disk "$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 0 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: $S/12.6.1/cpu.sadf-d: no disk rows (it holds cpu)" ]
	[ "$(wc -l <out.csv)" -eq 1 ]
}

@test "sadf -d: YYYY-MM-DD HH:MM:SS UTC timestamps" {
	same_as "$S/12.6.1/disk.sadf-d" "$H/disk.sadf-d-utc"
}

@test "sadf -d: local timestamps (-T) become UTC with --tz" {
	same_as "$S/12.6.1/cpu.sadf-d" --tz America/New_York "$H/cpu.sadf-d-T-New_York"
}

@test "sadf -d: decimal comma" {
	grep -q '34,34' "$H/cpu.sadf-d-de_DE"
	same_as "$S/12.6.1/cpu.sadf-d" "$H/cpu.sadf-d-de_DE"
}

@test "sadf -d: LINUX-RESTART row and the headers repeated after it" {
	grep -q LINUX-RESTART "$S/12.6.1-restart/cpu.sadf-d"
	parse out.csv "$S/12.6.1-restart/cpu.sadf-d"
	[ "$status" -eq 0 ]
	golden parse/12.6.1-restart-cpu.csv out.csv
	parse all.csv --category disk "$S/12.6.1-restart/combined.sadf-d"
	[ "$status" -eq 0 ]
	[ "$(grep -c ',vda,' all.csv)" -eq 20 ]
}

@test "sadf -d: COM rows and the zero-interval record after them are dropped" {
	parse out.csv "$H/comment.sadf-d"
	[ "$status" -eq 0 ]
	golden parse/comment.csv out.csv
}

@test "sadf -d: CPU -1 is all, single CPUs of -P ALL give busiest_core_pct" {
	parse ref.csv "$S/12.6.1/cpu.sadf-d"
	parse got.csv "$H/cpu-P.sadf-d"
	[ "$status" -eq 0 ]
	diff -u <(cut -d, -f1-11 ref.csv) <(cut -d, -f1-11 got.csv)
	[ "$(cut -d, -f12 ref.csv | sort -u | tr '\n' :)" = ":busiest_core_pct:" ]
	# 03:08:23: CPU 0 idle 20.20 iowait 6.06, CPU 1 idle 0 iowait 0.
	[ "$(sed -n 2p got.csv | cut -d, -f12)" = 100 ]
	[ "$(wc -l <got.csv)" -eq 21 ]
}

@test "sadf -d: a LINUX-RESTART record as the first line is a restart" {
	head -n 1 "$S/12.6.1-restart/cpu-restart-first.sadf-d" | grep -q '^vm;-1;[0-9]*;LINUX-RESTART'
	parse out.csv "$S/12.6.1-restart/cpu-restart-first.sadf-d"
	[ "$status" -eq 0 ]
	[ ! -s out.csv.err ]
	[ "$(wc -l <out.csv)" -eq 11 ]
}

@test "cpu -u ALL: user = %usr + %guest, nice = %nice + %gnice, as sar -u gives them" {
	cat >u <<-'EOF'
	# hostname;interval;timestamp;CPU;%user;%nice;%system;%iowait;%steal;%idle
	n1;1;1795576103;-1;40.00;3.00;20.00;5.00;0.00;32.00
	EOF
	cat >uall <<-'EOF'
	# hostname;interval;timestamp;CPU;%usr;%nice;%sys;%iowait;%steal;%irq;%soft;%guest;%gnice;%idle
	n1;1;1795576103;-1;30.00;2.00;15.00;5.00;0.00;1.00;4.00;10.00;1.00;32.00
	EOF
	parse u.csv u
	parse uall.csv uall
	[ "$status" -eq 0 ]
	diff -u <(cut -d, -f1-11 u.csv) <(cut -d, -f1-11 uall.csv)
	[ "$(sed -n 2p uall.csv | cut -d, -f13)" = 5 ]
}

@test "sar: 12-hour clock with AM/PM" {
	grep -q '03:08:23 AM' "$S/12.6.1/cpu.sar-en_US.txt"
	same_as "$S/12.6.1/cpu.sadf-d" "$S/12.6.1/cpu.sar-en_US.txt"
}

@test "sar: decimal comma" {
	same_as "$S/12.6.1/disk.sadf-d" "$S/12.6.1/disk.sar-de_DE.txt"
}

@test "sar: translated average lines are skipped (de, fr, ja)" {
	grep -q '^Durchschn' "$S/12.6.1/memory-ALL.sar-de_DE.txt"
	grep -q '^Moyenne' "$H/disk.sar-fr_FR.txt"
	grep -q '^平均値:' "$H/cpu.sar-ja_JP.txt"
	same_as "$S/12.6.1/memory-ALL.sadf-d" "$S/12.6.1/memory-ALL.sar-de_DE.txt"
	same_as "$S/12.6.1/disk.sadf-d" "$H/disk.sar-fr_FR.txt"
	same_as "$S/12.6.1/cpu.sadf-d" "$H/cpu.sar-ja_JP.txt"
}

@test "sar: the date comes from the banner, local or ISO form" {
	same_as "$S/12.6.1/cpu.sadf-d" "$S/12.6.1/cpu.sar-C.txt"       # 11/25/26
	same_as "$S/12.6.1/cpu.sadf-d" "$S/12.6.1/cpu.sar-en_US.txt"   # 11/25/2026
	same_as "$S/12.6.1/cpu.sadf-d" "$S/12.6.1/cpu.sar-de_DE.txt"   # 25.11.2026
	same_as "$S/12.6.1/disk.sadf-d" "$H/disk.sar-fr_FR.txt"        # 25/11/2026
	same_as "$S/12.6.1/cpu.sadf-d" "$H/cpu.sar-ja_JP.txt"          # 2026年11月25日
	grep -q '2026-11-25' "$H/cpu.sar-ISO.txt"
	same_as "$S/12.6.1/cpu.sadf-d" "$H/cpu.sar-ISO.txt"
}

@test "sar: DEV first (before 12.4) and DEV last (-p since 12.4)" {
	head -3 "$S/10.2.1/disk.sar-C.txt" | grep -q ' DEV  '
	head -3 "$S/12.6.1/disk.sar-C.txt" | grep -q ' DEV$'
	same_as "$S/10.2.1/disk.sadf-d" "$S/10.2.1/disk.sar-C.txt"
	same_as "$S/12.6.1/disk.sadf-d" "$S/12.6.1/disk.sar-C.txt"
}

@test "sar: headers repeated before every sample (live sar, two activities)" {
	[ "$(grep -c '^[0-9:]* *kbswpfree' "$H/live.sar-C.txt")" -eq 3 ]
	parse out.csv --category swap "$H/live.sar-C.txt"
	[ "$status" -eq 0 ]
	golden parse/live-swap.csv out.csv
}

@test "sar: LINUX RESTART lines" {
	grep -q 'LINUX RESTART' "$S/12.6.1-restart/cpu.sar-C.txt"
	same_as "$S/12.6.1-restart/cpu.sadf-d" "$S/12.6.1-restart/cpu.sar-C.txt"
	same_as "$S/12.6.1-restart/network.sadf-d" "$S/12.6.1-restart/network.sar-C.txt"
}

@test "sar: midnight roll-over moves the date on, in every block" {
	grep -q '^23:59:59 ' "$H/combined.sar-midnight.txt"
	grep -q '^00:00:00 ' "$H/combined.sar-midnight.txt"
	same_as "$S/12.6.1/cpu.sadf-d" --tz MID3:08:32 --category cpu "$H/combined.sar-midnight.txt"
	same_as "$S/12.6.1/network.sadf-d" --tz MID3:08:32 --category network "$H/combined.sar-midnight.txt"
	grep -q '^12:00:00 AM ' "$H/cpu.sar-midnight-en_US.txt"
	same_as "$S/12.6.1/cpu.sadf-d" --tz MID3:08:32 "$H/cpu.sar-midnight-en_US.txt"
}

@test "sar: CRLF line ends and ANSI colour codes (captured through a pty)" {
	grep -q $'\r$' "$H/cpu-disk.sar-pty.txt"
	grep -q $'\e\\[' "$H/cpu-disk.sar-pty.txt"
	same_as "$S/12.6.1/cpu.sadf-d" --category cpu "$H/cpu-disk.sar-pty.txt"
	same_as "$S/12.6.1/disk.sadf-d" --category disk "$H/cpu-disk.sar-pty.txt"
}

@test "sar: local times become UTC with --tz, by default with \$TZ" {
	same_as "$S/12.6.1/cpu.sadf-d" --tz America/New_York "$H/cpu.sar-New_York.txt"
	parse ref.csv "$S/12.6.1/cpu.sadf-d"
	TZ=America/New_York parse got.csv "$H/cpu.sar-New_York.txt"
	without_cpus got.csv
	diff -u ref.csv got.csv
}

@test "truncated last line: a warning naming file and line, the rest parsed" {
	head -c -4 "$S/12.6.1/cpu.sadf-d" >cut
	parse out.csv cut
	[ "$status" -eq 0 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: cut:21: truncated line (no line feed at the end of the input), line skipped" ]
	parse ref.csv "$S/12.6.1/cpu.sadf-d"
	head -n -1 ref.csv >want.csv
	diff -u want.csv out.csv
}

@test "garbage lines in the middle: a warning each, the rest parsed" {
	sed '5a garbage;line' "$S/12.6.1/cpu.sadf-d" >bad-sadf
	sed '8a 03:08:29 all 1.0 2.0' "$S/12.6.1/cpu.sar-de_DE.txt" >bad-sar
	parse out.csv bad-sadf
	[ "$status" -eq 0 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: bad-sadf:6: too few fields, line skipped" ]
	parse ref.csv "$S/12.6.1/cpu.sadf-d"
	diff -u ref.csv out.csv
	parse out.csv bad-sar
	[ "$status" -eq 0 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: bad-sar:9: too few fields, line skipped" ]
	without_cpus out.csv
	diff -u ref.csv out.csv
}

@test "a file that is not sysstat output exits 65 naming file and line" {
	printf '\n\nhello world\n' >notes.txt
	parse out.csv notes.txt
	[ "$status" -eq 65 ]
	[ "$(cat out.csv.err)" = "clusterp-parse: notes.txt:3: not sysstat output (neither sadf -d nor sar text)" ]
	cp "$S/12.6.1/run.sa" binary.sa
	parse out.csv binary.sa
	[ "$status" -eq 65 ]
	grep -q "^clusterp-parse: binary.sa:1: not sysstat output" out.csv.err
}

@test "an empty file is a warning and no rows" {
	: >empty
	parse out.csv empty
	[ "$status" -eq 0 ]
	[ ! -s out.csv ]
	[ "$(cat out.csv.err)" = "clusterp-parse: warning: empty: empty input, no rows" ]
	parse out.csv --category cpu empty
	[ "$status" -eq 0 ]
	[ "$(cat out.csv)" = "time,elapsed,host,alias,user,nice,system,iowait,steal,idle,util_pct,busiest_core_pct,irq_pct,cpus" ]
}

@test "stream mode: mixed categories are an error (64)" {
	parse out.csv "$S/12.6.1/cpu.sadf-d" "$S/12.6.1/swap.sadf-d"
	[ "$status" -eq 64 ]
	grep -q "mixed categories: '.*cpu.sadf-d' holds cpu, '.*swap.sadf-d' holds swap" out.csv.err
	parse out.csv "$S/12.6.1/combined.sar-C.txt"
	[ "$status" -eq 64 ]
	grep -q "combined.sar-C.txt' holds several categories (cpu, memory): pick one with --category" out.csv.err
	parse out.csv --category nope "$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 64 ]
}

@test "stream mode: a missing file exits 66, the others are still parsed" {
	parse out.csv missing "$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 66 ]
	grep -q "cannot open 'missing'" out.csv.err
	[ "$(wc -l <out.csv)" -eq 21 ]
}

@test "stream mode: several files become one CSV sorted by time, from stdin too" {
	parse out.csv --host n1 --tz America/New_York "$S/12.6.1-restart/cpu.sadf-d" - "$H/cpu.sar-New_York.txt" \
		<"$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 0 ]
	golden parse/merged-cpu.csv out.csv
	tail -n +2 out.csv >rows.csv
	sort -s -t, -k1,1 rows.csv >sorted.csv
	diff -u sorted.csv rows.csv
	[ "$(grep -c '^2026-11-25T03:08:23Z,0,' out.csv)" -eq 2 ]
}

@test "stream mode: --host and --alias, quoted as RFC 4180 asks" {
	parse out.csv --host n7 --alias 'rack 1, "top"' "$S/12.6.1/swap.sadf-d"
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p out.csv)" = '2026-11-25T03:08:23Z,0,n7,"rack 1, ""top""",0.371094,0.07,,' ]
}

@test "memory: plain -r of 11.6.4-12.7.7 leaves used_mib empty with a warning; --mem-total fills it" {
	parse out.csv "$S/12.6.1/memory.sadf-d"
	[ "$status" -eq 0 ]
	grep -q "memory used_mib left empty in 20 rows" out.csv.err
	[ "$(cut -d, -f5 out.csv | sort -u | tr '\n' :)" = ":used_mib:" ]
	parse out.csv --mem-total 24684096 "$S/12.6.1/memory.sadf-d"
	[ "$status" -eq 0 ]
	parse all.csv "$S/12.6.1/memory-ALL.sadf-d"
	diff -u <(cut -d, -f1-7 all.csv) <(cut -d, -f1-7 out.csv)
}

@test "memory: 12.7.8+ layout (kbshmem): kbmemused already is total - available" {
	cat >m <<-'EOF'
	# hostname;interval;timestamp;kbmemfree;kbavail;kbmemused;%memused;kbbuffers;kbcached;kbcommit;%commit;kbactive;kbinact;kbdirty;kbshmem
	n1;10;1795575935;1000000;3000000;1048576;25.00;20480;1048576;1000;0.02;10;10;0;512
	EOF
	parse out.csv m
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p out.csv)" = "2026-11-25T03:05:35Z,0,n1,n1,1024,25.899872,2929.6875,20,1024,0.02,,," ]
}

@test "memory: 11.5-style kbmemused = total - free is recognised by %memused" {
	# total 4000000, free 1000000, used 3000000 (75.00 %), avail 2500000.
	cat >m <<-'EOF'
	# hostname;interval;timestamp;kbmemfree;kbavail;kbmemused;%memused;kbbuffers;kbcached;kbcommit;%commit;kbactive;kbinact;kbdirty
	n1;10;1795575935;1000000;2500000;3000000;75.00;100000;1000000;1000;0.02;10;10;0
	EOF
	parse out.csv m
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p out.csv)" = "2026-11-25T03:05:35Z,0,n1,n1,1464.84375,37.5,2441.40625,97.65625,976.5625,0.02,,," ]
	[ ! -s out.csv.err ]
}

@test "sysstat 10.x LINUX-RESTART without a CPU count" {
	cat >r <<-'EOF'
	# hostname;interval;timestamp;kbswpfree;kbswpused;%swpused;kbswpcad;%swpcad
	n1;1;1795575935;1000;1024;50.60;0;0.00
	n1;-1;1795575940;LINUX-RESTART
	# hostname;interval;timestamp;kbswpfree;kbswpused;%swpused;kbswpcad;%swpcad
	n1;1;1795575950;1000;2048;67.20;0;0.00
	EOF
	parse out.csv r
	[ "$status" -eq 0 ]
	[ "$(cut -d, -f1,2,5 out.csv | tr '\n' ' ')" = "time,elapsed,used_mib 2026-11-25T03:05:35Z,0,1 2026-11-25T03:05:50Z,15,2 " ]
}

# A working directory as clusterp stop leaves it: two hosts, every category.
make_run() {
	mkdir -p raw/sa .clusterp
	for c in cpu memory swap disk network; do
		mkdir -p "raw/$c"
		cp "$S/12.6.1/$c.sadf-d" "raw/$c/n1"
		cp "$S/12.6.1-restart/$c.sadf-d" "raw/$c/n2"
	done
	cp "$S/12.6.1/run.sa" raw/sa/n1
	cat >.clusterp/run.json <<-'EOF'
	{"version": 1, "run_id": "20261125T030800Z-test", "started": "2026-11-25T03:08:00Z",
	 "interval": 1, "transport": "local", "hosts": [
	  {"host": "n1", "alias": "old", "status": "stopped", "error": "", "dir": "/tmp/a", "pid": 1,
	   "sysstat": "12.6.1", "clock_offset": 2.5, "mem_total_kib": 24684096, "cpus": 2},
	  {"host": "n2", "alias": "old2", "status": "stopped", "error": "", "dir": "/tmp/b", "pid": 2,
	   "sysstat": "12.6.1", "clock_offset": -1, "mem_total_kib": 24684096, "cpus": 2}]}
	EOF
	cat >config.yml <<-'EOF'
	hosts:
	    - n1: alpha
	    - n2
	filesystem_names:
	    - vda: system
	net_interfaces:
	    - lo: loopback
	EOF
}

@test "directory mode: every raw/<category>/<host> becomes parsed/<category>/<host>" {
	make_run
	run clusterp-parse
	[ "$status" -eq 0 ]
	[ "$output" = "clusterp-parse: parsed 10 of 10 files into 'parsed/'" ]
	(cd parsed && find . | LC_ALL=C sort) >tree
	printf '%s\n' . ./cpu ./cpu/n1 ./cpu/n2 ./disk ./disk/n1 ./disk/n2 ./memory ./memory/n1 ./memory/n2 \
		./network ./network/n1 ./network/n2 ./swap ./swap/n1 ./swap/n2 >want
	diff -u want tree
	golden parse/dir-disk-n1.csv parsed/disk/n1
	golden parse/dir-network-n2.csv parsed/network/n2
}

@test "directory mode: clock offsets applied, all hosts on one timeline, MemTotal from the manifest" {
	make_run
	run clusterp-parse -q
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p parsed/cpu/n1 | cut -d, -f1-4)" = "2026-11-25T03:08:20.500Z,0,n1,alpha" ]
	[ "$(sed -n 2p parsed/cpu/n2 | cut -d, -f1-4)" = "2026-11-25T03:10:50Z,149.5,n2,n2" ]
	[ "$(sed -n 2p parsed/memory/n1 | cut -d, -f5)" = "515.039063" ]
}

@test "directory mode: without config.yml names serve as aliases" {
	make_run
	rm config.yml
	run clusterp-parse -q
	[ "$status" -eq 0 ]
	[ "$(sed -n 2p parsed/disk/n1 | cut -d, -f3-6)" = "n1,old,vda,vda" ]
	run clusterp-parse -q -c missing.yml
	[ "$status" -eq 66 ]
}

@test "directory mode: a bad file is reported (65), the good ones are written" {
	make_run
	echo "not sysstat" >raw/cpu/n2
	run clusterp-parse -q
	[ "$status" -eq 65 ]
	[ "$output" = "clusterp-parse: raw/cpu/n2:1: not sysstat output (neither sadf -d nor sar text)" ]
	[ -s parsed/cpu/n1 ]
	[ ! -e parsed/cpu/n2 ]
	[ -z "$(find parsed -name '.*')" ]
}

@test "directory mode: no raw directory exits 66" {
	run clusterp-parse
	[ "$status" -eq 66 ]
	[ "$output" = "clusterp-parse: no 'raw' directory here (run 'clusterp stop' first, or name files to parse)" ]
}

@test "--with-plot runs clusterp-plot afterwards" {
	make_run
	mkdir fakebin
	printf '#!/bin/sh\necho "plot $*" >plot.log\n' >fakebin/clusterp-plot
	chmod +x fakebin/clusterp-plot
	CLUSTERP_EXEC_PATH=$PWD/fakebin run clusterp-parse -q --with-plot
	[ "$status" -eq 0 ]
	[ "$(cat plot.log)" = "plot -q" ]
	[ -s parsed/cpu/n1 ]
	run clusterp-parse --with-plot "$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 64 ]
}

@test "--with-report runs clusterp-report before clusterp-plot; a failed report still plots" {
	make_run
	mkdir fakebin
	printf '#!/bin/sh\necho "report $*" >>chain.log\nexit 70\n' >fakebin/clusterp-report
	printf '#!/bin/sh\necho "plot $*" >>chain.log\n' >fakebin/clusterp-plot
	chmod +x fakebin/*
	CLUSTERP_EXEC_PATH=$PWD/fakebin run clusterp-parse -q --with-report --with-plot
	[ "$status" -eq 70 ]
	[ "$(cat chain.log)" = "$(printf 'report -q\nplot -q')" ]
	run --separate-stderr clusterp-parse --with-report "$S/12.6.1/cpu.sadf-d"
	[ "$status" -eq 64 ]
	[ "$stderr" = 'clusterp-parse: --with-report applies to directory mode (no file arguments)' ]
}

@test "--help usage line equals the man page SYNOPSIS; the page is clean" {
	clusterp-parse --help >help
	synopsis=$(groff -mandoc -Tascii -rLL=250n "$ROOT/man/clusterp-parse.1" 2>/dev/null | col -b |
		sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \n' ' ' | sed 's/^ //;s/ $//')
	[ "$(head -n 1 help)" = "usage: $synopsis" ]
	run groff -mandoc -ww -z "$ROOT/man/clusterp-parse.1"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
