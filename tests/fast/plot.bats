#!/usr/bin/env bats
# clusterp-plot: directory mode over parsed/ trees, stream mode, formats,
# errors.  Uses the real gnuplot.
load ../lib/common
load ../lib/gpu

# A copy of fixture tree NAME (tests/fixtures/parsed/NAME) as the workdir,
# in place of what it held.
use_tree() {
	rm -rf "$BATS_TEST_TMPDIR/work"
	cd_workdir
	cp -R "$FIXTURES/parsed/$1/." .
}

# keep_categories CATEGORY...: only these categories' CSV files stay in
# parsed/, for a test about one plot (gnuplot's time is most of a test's).
keep_categories() {
	local dir
	for dir in parsed/*/; do
		case " $* " in *" $(basename "$dir") "*) ;; *) rm -r "$dir" ;; esac
	done
}

# Checks that FILE is a valid file of its format (by extension).
valid_plot() {
	case $1 in
	*.eps)
		head -c 40 "$1" | grep -q '^%!PS-Adobe-[0-9.]* EPSF-' || { echo "$1: no EPS header"; return 1; }
		grep -q '^%%BoundingBox: [0-9]* [0-9]* [0-9]* [0-9]*' "$1" || { echo "$1: no bounding box"; return 1; } ;;
	*.pdf)
		head -c 5 "$1" | grep -q '^%PDF-' || { echo "$1: no PDF header"; return 1; } ;;
	*.png)
		[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { echo "$1: no PNG signature"; return 1; } ;;
	*.svg)
		xmllint --noout "$1" || { echo "$1: not XML"; return 1; }
		grep -q '<svg' "$1" || { echo "$1: no svg element"; return 1; } ;;
	*) echo "$1: unknown format"; return 1 ;;
	esac
}

# Plots tree NAME (use_tree) in every format: the files made are those of
# golden plot/NAME-tree, each valid.
every_format() {
	use_tree "$1"
	run clusterp-plot -q -f eps,pdf,png,svg
	assert_success
	assert_output ''
	find plot -type f | sort >tree
	golden "plot/$1-tree" tree
	for f in plot/*/*.eps plot/*/*.pdf plot/*/*.png plot/*/*.svg; do valid_plot "$f"; done
}

# The legend titles of the plot in script FILE, one per line, in order.
series_titles() {
	sed -n "s/.* with lines lt [0-9]* title '\(.*\)'.*/\1/p" "$1" | sed "s/''/'/g"
}

@test "directory mode: the whole plot tree of 2 hosts in every format, each file valid" {
	every_format two
}

@test "directory mode: eps and svg by default, with the run page; one series per host with its alias, units in labels" {
	use_tree two
	run clusterp-plot
	assert_success
	assert_output "clusterp-plot: made 36 of 36 plots under 'plot'"
	# 12 line plots, each with its heatmap and band.
	[ "$(find plot -name '*.eps' | wc -l)" -eq 36 ]
	[ "$(find plot -name '*.svg' | wc -l)" -eq 36 ]
	[ "$(find plot -name '*.png' -o -name '*.pdf' | wc -l)" -eq 0 ]
	grep -q 'cpu/utilization_heatmap.svg' plot/index.html
	for gp in plot/cpu/*.gp plot/memory/*.gp plot/swap/*.gp plot/disk/sda_*.gp plot/network/*.gp; do
		case $gp in *_heatmap.gp | *_band.gp) continue ;; esac
		series_titles "$gp" >titles
		printf "web_1\ndb's 2\n" >expected
		diff -u expected titles
	done
	# nvme0n1 is on n2 only.
	series_titles plot/disk/nvme0n1_read.gp >titles
	echo "db's 2" >expected
	diff -u expected titles
	grep -q "^set ylabel 'CPU utilization (%)'$" plot/cpu/utilization.gp
	grep -q "^set ylabel 'Memory used (MiB)'$" plot/memory/utilization.gp
	grep -q "^set ylabel 'Swap used (MiB)'$" plot/swap/utilization.gp
	grep -q "^set ylabel 'Read (MiB/s)'$" plot/disk/sda_read.gp
	grep -q "^set ylabel 'Transmitted (MiB/s)'$" plot/network/eth0_out.gp
	grep -q "^set title 'Disk nvme0n1: utilization'$" plot/disk/nvme0n1_utilization.gp
	grep -q "^set xlabel 'Elapsed time (s)'$" plot/cpu/iowait.gp
}

@test "directory mode: legend shows the aliases, quotes and underscores verbatim" {
	use_tree two
	keep_categories cpu
	run clusterp-plot -q -f svg
	assert_success
	grep -q '>web_1<' plot/cpu/utilization.svg
	grep -Eq ">db(&apos;|')s 2<" plot/cpu/utilization.svg
}

@test "directory mode: series and colours follow config order, configured devices with aliases" {
	use_tree few
	run clusterp-plot -q -f eps
	assert_success
	find plot -type f | sort >tree
	golden plot/few-tree tree
	for gp in plot/*/*.gp; do
		case $gp in *_heatmap.gp | *_band.gp) continue ;; esac
		series_titles "$gp" >titles
		printf 'compute-4\nnode02\ncompute-5\nlogin\nnode03\n' >expected
		diff -u expected titles
	done
	grep -q "^set title 'Disk system: write'$" plot/disk/system_write.gp
	grep -q "^set title 'Network ethernet: in'$" plot/network/ethernet_in.gp
}

@test "directory mode: without config.yml hosts are in name order" {
	use_tree few
	rm config.yml
	run clusterp-plot -q --script
	assert_success
	series_titles plot/cpu/utilization.gp >titles
	printf 'N01\nN02\nN03\nN04\nN05\n' >expected
	diff -u expected titles
	# No devices configured: the active ones, never loop0 or lo.
	find plot -type f | sort >tree
	golden plot/few-tree-noconfig tree
}

@test "64 hosts: 64 distinct styles, none black or white, legend outside, every plot valid" {
	cd_workdir
	"$ROOT/bench/lib/gen-parsed" . 64 30
	run clusterp-plot -q -f eps
	assert_success
	for f in plot/*/*.eps; do valid_plot "$f"; done
	for gp in plot/*/*.gp; do
		case $gp in *_heatmap.gp | *_band.gp) continue ;; esac
		[ "$(series_titles "$gp" | wc -l)" -eq 64 ]
		[ "$(series_titles "$gp" | sort -u | wc -l)" -eq 64 ]
	done
	gp=plot/cpu/utilization.gp
	[ "$(grep -c '^set linetype [0-9]* lc rgb' "$gp")" -eq 64 ]
	[ "$(sed -n "s/^set linetype [0-9]* lc rgb '\([^']*\)' lw [0-9.]* dt \(.*\)/\1 \2/p" "$gp" | sort -u | wc -l)" -eq 64 ]
	run grep -Ei "lc rgb '#(000000|ffffff)'" "$gp"
	assert_failure
	grep -q '^set key outside' "$gp"
}

@test "the saved script re-runs with plain gnuplot from its directory, the working directory or elsewhere" {
	use_tree two
	keep_categories cpu
	run clusterp-plot -q -f eps,png
	assert_success
	cp plot/cpu/utilization.eps first.eps
	rm plot/cpu/utilization.eps plot/cpu/utilization.png
	(cd plot/cpu && gnuplot utilization.gp)
	valid_plot plot/cpu/utilization.eps
	valid_plot plot/cpu/utilization.png
	rm plot/cpu/utilization.eps
	gnuplot plot/cpu/utilization.gp
	valid_plot plot/cpu/utilization.eps
	rm plot/cpu/utilization.eps
	(cd / && gnuplot "$WORK/plot/cpu/utilization.gp")
	valid_plot plot/cpu/utilization.eps
	rm plot/cpu/utilization.eps
	gnuplot <plot/cpu/utilization.gp
	valid_plot plot/cpu/utilization.eps
	# Same drawing as clusterp-plot made (title and date aside).
	grep -Ev 'CreationDate|Title' first.eps >first
	grep -Ev 'CreationDate|Title' plot/cpu/utilization.eps >again
	diff first again
	# Nothing left behind but the plots.
	run find plot -name '*.tmp*'
	assert_output ''
}

@test "--time-axis clock: UTC clock time on the x axis" {
	use_tree two
	keep_categories cpu
	run clusterp-plot -q -t clock -f png
	assert_success
	grep -q "^set timefmt '%Y-%m-%dT%H:%M:%SZ'$" plot/cpu/utilization.gp
	grep -q "^set xlabel 'Time (UTC)'$" plot/cpu/utilization.gp
	grep -q "using 1:11 skip 1 with lines" plot/cpu/utilization.gp
	valid_plot plot/cpu/utilization.png
}

@test "a device alias of a CSV that is no file name is not plotted, exit 65" {
	use_tree two
	keep_categories cpu disk
	sed -i 's#,sda,sda,#,sda,../../escaped,#' parsed/disk/n1 parsed/disk/n2
	run --separate-stderr clusterp-plot -f svg
	assert_failure 65
	[ "${stderr_lines[0]}" = "clusterp-plot: warning: disk 'sda': alias '../../escaped' must not contain '/', not plotted" ]
	[ -z "$(find "$BATS_TEST_TMPDIR" -name '*escaped*')" ]
	[ -e plot/cpu/utilization.svg ]
}

@test "--size sets the size in pixels" {
	use_tree two
	keep_categories cpu
	run clusterp-plot -q -f png,svg,eps,pdf -s 640x480
	assert_success
	# PNG width and height are bytes 16-23, big-endian.
	[ "$(od -An -tx1 -j16 -N8 plot/cpu/utilization.png | tr -d ' \n')" = 00000280000001e0 ]
	grep -qx ' width="640" height="480"' plot/cpu/utilization.svg
	# eps and pdf at 100 px per inch: 6.4 x 4.8 in, 460.8 x 345.6 pt, which
	# gnuplot truncates to whole points; its eps box starts at 50,50.
	[ "$(grep '^%%BoundingBox:' plot/cpu/utilization.eps)" = '%%BoundingBox: 50 50 510 395' ]
	grep -aq '/MediaBox \[ 0 0 460 345 \]' plot/cpu/utilization.pdf
	run clusterp-plot -s 640
	assert_failure 64
}

@test "stream mode: --script output (files, with -o)" {
	use_tree two
	run clusterp-plot --script -o cpu.svg parsed/cpu/n2 parsed/cpu/n1
	assert_success
	echo "$output" >script
	golden plot/stream-cpu.gp script
	[ ! -e cpu.svg ]
}

@test "stream mode: --script output (stdin, several devices, one metric, to stdout)" {
	use_tree two
	run clusterp-plot --script -m write_mibps - <parsed/disk/n2
	assert_success
	echo "$output" >script
	golden plot/stream-disk-stdin.gp script
}

@test "stream mode: --script piped into gnuplot makes the plot" {
	use_tree two
	clusterp-plot --script -o net.png parsed/network/n1 parsed/network/n2 >script.gp
	gnuplot script.gp
	valid_plot net.png
}

@test "stream mode: plots files or stdin to -o in the format of its extension, or eps to stdout" {
	use_tree two
	run clusterp-plot parsed/memory/n1 parsed/memory/n2 -o mem.pdf
	assert_success
	valid_plot mem.pdf
	run clusterp-plot - -o cpu.svg <parsed/cpu/n1
	assert_success
	valid_plot cpu.svg
	grep -q '>web_1<' cpu.svg
	clusterp-plot parsed/swap/n1 >swap.eps
	valid_plot swap.eps
	clusterp-plot -f png parsed/swap/n1 >swap.png
	valid_plot swap.png
	run clusterp-plot parsed/cpu/n1 -o cpu.xyz
	assert_failure 64
	assert_output "clusterp-plot: cannot tell the format of 'cpu.xyz'; give --format"
	run clusterp-plot parsed/cpu/n1 -m nosuch -o x.eps
	assert_failure 64
	assert_output "clusterp-plot: 'parsed/cpu/n1' has no column 'nosuch'"
	run clusterp-plot parsed/cpu/n1 parsed/disk/n1 -o x.eps
	assert_failure 65
	[ ! -e x.eps ]
}

@test "a CSV with no rows: a warning and no empty plot" {
	use_tree two
	head -1 parsed/swap/n2 >parsed/swap/n2.tmp && mv parsed/swap/n2.tmp parsed/swap/n2
	head -1 parsed/memory/n1 >parsed/memory/n1.tmp && mv parsed/memory/n1.tmp parsed/memory/n1
	head -1 parsed/memory/n2 >parsed/memory/n2.tmp && mv parsed/memory/n2.tmp parsed/memory/n2
	run clusterp-plot
	assert_success
	assert_output "clusterp-plot: warning: 'parsed/memory/n1' has no rows, left out
clusterp-plot: warning: 'parsed/memory/n2' has no rows, left out
clusterp-plot: warning: 'parsed/swap/n2' has no rows, left out
clusterp-plot: made 33 of 33 plots under 'plot'"
	[ ! -e plot/memory ]
	series_titles plot/swap/utilization.gp >titles
	echo web_1 >expected
	diff -u expected titles
	run clusterp-plot parsed/memory/n1 -o mem.eps
	assert_failure 65
	assert_output "clusterp-plot: warning: 'parsed/memory/n1' has no rows, left out
clusterp-plot: nothing to plot: no rows"
	[ ! -e mem.eps ]
}

# Empties columns N... (1-based) of FILE's rows, the header kept.
empty_columns() {
	file=$1
	shift
	awk -F, -v OFS=, -v cols="$*" 'BEGIN { n = split(cols, c, " ") } NR > 1 { for (i = 1; i <= n; i++) $c[i] = "" } { print }' \
		"$file" >"$file.tmp" && mv "$file.tmp" "$file"
}

@test "unknown memory used (empty column): that host is left out, said in one line with what to do" {
	use_tree two
	empty_columns parsed/memory/n2 5
	run clusterp-plot --script
	assert_success
	assert_output "clusterp-plot: warning: memory/utilization: used_mib is unknown for n2, left out; re-parse with --mem-total KIB (clusterp-parse(1) says when it is needed)
clusterp-plot: wrote 36 scripts under 'plot'"
	series_titles plot/memory/utilization.gp >titles
	echo web_1 >expected
	diff -u expected titles
}

@test "no plot for a category: one line naming it and what to do (memory used unknown on every host, only lo active)" {
	use_tree two
	empty_columns parsed/memory/n1 5
	empty_columns parsed/memory/n2 5
	run clusterp-plot --script
	assert_success
	assert_output "clusterp-plot: warning: memory: no plot: used_mib is unknown on every host; re-parse with --mem-total KIB (clusterp-parse(1) says when it is needed)
clusterp-plot: wrote 33 scripts under 'plot'"
	[ ! -e plot/memory ]
	# Newer CSVs: the other memory plots are drawn, the missing one named.
	use_tree use
	empty_columns parsed/memory/hostA 5
	empty_columns parsed/memory/hostB 5
	run clusterp-plot --script
	assert_success
	assert_output "clusterp-plot: warning: memory/utilization: used_mib is unknown on every host, not drawn; re-parse with --mem-total KIB (clusterp-parse(1) says when it is needed)
clusterp-plot: wrote 57 scripts under 'plot'"
	[ ! -e plot/memory/utilization.gp ] && [ ! -e plot/memory/utilization_band.gp ]
	[ -e plot/memory/paging.gp ]
	# Only lo shows activity and no net_interfaces: said once, no network plot.
	use_tree two
	for h in n1 n2; do
		awk -F, -v OFS=, 'NR > 1 && $5 != "lo" { for (i = 7; i <= NF; i++) $i = 0 } { print }' "parsed/network/$h" >n
		mv n "parsed/network/$h"
	done
	run clusterp-plot --script
	assert_success
	assert_output "clusterp-plot: warning: network: no plot: no interface shows activity (lo aside); list those to plot under net_interfaces in the config
clusterp-plot: wrote 30 scripts under 'plot'"
	[ ! -e plot/network ]
	# Listed, lo is drawn.
	printf 'net_interfaces:\n    - lo\n' >config.yml
	run clusterp-plot -q --script
	assert_success
	assert_output ''
	[ -e plot/network/lo_in.gp ]
}

@test "USE metrics (issue 11): a real 12.7.9 run's tree, every new plot in every format, its column and label" {
	every_format use
	# plot, column drawn, y label
	while read -r name column label; do
		category=${name%%/*}
		n=$(head -n 1 "parsed/$category/hostA" | tr , '\n' | grep -nx "$column" | cut -d: -f1)
		grep -Eq "using 2:($n |.* column\($n\) : NaN\) )" "plot/$name.gp" || { echo "$name: not column $column ($n)"; return 1; }
		grep -qx "set ylabel '$label'" "plot/$name.gp" || { echo "$name: ylabel"; return 1; }
		series_titles "plot/$name.gp" >titles
		printf 'hostA\nhostB\n' | diff -u - titles
		for view in heatmap band; do valid_plot "plot/${name}_$view.svg"; done
	done <<'EOF'
cpu/busiest_core busiest_core_pct Busiest core busy (%)
load/runq runq Tasks waiting for a CPU
load/pressure cpu_some_pct Some tasks waiting for a CPU (% of time)
load/io_pressure io_some_pct Some tasks waiting for I/O (% of time)
load/memory_pressure mem_some_pct Some tasks waiting for memory (% of time)
memory/paging pgscan_ps Pages scanned (pages/s)
memory/major_faults majflt_ps Major faults (faults/s)
swap/activity out_pps Swapped out (pages/s)
disk/vda_queue aqu_sz Average queue length
network/eth0_errors rxerr_ps Receive errors (errors/s)
network/eth0_drops rxdrop_ps Received packets dropped (packets/s)
EOF
}

@test "a CSV of an older clusterp (no newer columns, no load) beside a new one: the new plots draw the new host, silently" {
	use_tree use
	for f in cpu:11 memory:10 swap:6 disk:11 network:11; do
		cut -d, -f1-"${f#*:}" "parsed/${f%%:*}/hostB" >old && mv old "parsed/${f%%:*}/hostB"
	done
	rm parsed/load/hostB
	run clusterp-plot -f png
	assert_success
	assert_output "clusterp-plot: made 60 of 60 plots under 'plot'"
	for gp in plot/cpu/busiest_core.gp plot/load/runq.gp plot/memory/paging.gp plot/swap/activity.gp \
		plot/disk/vda_queue.gp plot/network/eth0_errors.gp; do
		series_titles "$gp" >titles
		echo hostA | diff -u - titles
	done
	for gp in plot/cpu/utilization.gp plot/memory/utilization.gp plot/disk/vda_read.gp plot/network/eth0_in.gp; do
		series_titles "$gp" >titles
		printf 'hostA\nhostB\n' | diff -u - titles
	done
	# Only old CSVs (tree two): none of the new plots, no warning.
	use_tree two
	run clusterp-plot -q --script
	assert_success
	assert_output ''
	run find plot -name '*busiest*' -o -name '*paging*' -o -name '*activity*' -o -name '*_queue*' -o -name '*_errors*' -o -name load
	assert_output ''
}

@test "a column empty in every row: its plot and views are not drawn (gnuplot would fail on them), silently" {
	use_tree use
	# Pressure (a kernel without /proc/pressure) and the disk queue.
	for h in hostA hostB; do
		empty_columns "parsed/load/$h" 11 12 13 14 15
		empty_columns "parsed/disk/$h" 12
	done
	run clusterp-plot -f png
	assert_success
	assert_output "clusterp-plot: made 48 of 48 plots under 'plot'"
	run find plot -name '*pressure*' -o -name 'vda_queue*'
	assert_output ''
	[ -e plot/load/runq_band.png ] && [ -e plot/disk/vda_read_heatmap.png ]
	# Empty on one host only: that host is left out of the plot.
	use_tree use
	empty_columns parsed/load/hostA 11
	run clusterp-plot -q --script
	assert_success
	assert_output ''
	series_titles plot/load/pressure.gp >titles
	echo hostB | diff -u - titles
	# Stream mode: the metric asked for has no value.
	use_tree use
	empty_columns parsed/load/hostA 11
	run clusterp-plot -m cpu_some_pct parsed/load/hostA -o p.png
	assert_failure 65
	assert_output "clusterp-plot: nothing to plot: cpu_some_pct is empty in every row"
	[ ! -e p.png ]
}

@test "gnuplot missing: one line saying what to install, exit 69" {
	use_tree two
	run env PATH=/nonexistent "$BIN/clusterp-plot"
	assert_failure 69
	assert_output "clusterp-plot: gnuplot not found in PATH; install it (Debian: apt-get install gnuplot-nox)"
	run env PATH=/nonexistent "$BIN/clusterp-plot" parsed/cpu/n1 -o x.eps
	assert_failure 69
	# --script needs no gnuplot.
	run env PATH=/nonexistent "$BIN/clusterp-plot" -q --script
	assert_success
}

@test "a gnuplot failure names the script and leaves no partial plot" {
	use_tree two
	keep_categories cpu
	mkdir fake
	printf '#!/bin/sh\ncase "$*" in *iowait.gp*) echo "\\"iowait.gp\\" line 3: boom" >&2; exit 1;; esac\nexec /usr/bin/gnuplot "$@"\n' >fake/gnuplot
	chmod +x fake/gnuplot
	PATH=$WORK/fake:$PATH run clusterp-plot -q
	assert_failure 1
	assert_output "clusterp-plot: gnuplot failed on 'plot/cpu/iowait.gp': \"iowait.gp\" line 3: boom"
	[ ! -e plot/cpu/iowait.eps ]
	valid_plot plot/cpu/utilization.eps
	run find plot -name '*.tmp*'
	assert_output ''
}

@test "usage errors exit 64; no parsed/ exits 66" {
	cd_workdir
	run clusterp-plot
	assert_failure 66
	assert_output "clusterp-plot: no 'parsed' directory here; run clusterp-parse first"
	run clusterp-plot -f gif
	assert_failure 64
	assert_output "clusterp-plot: unknown format 'gif': eps, pdf, png or svg"
	run clusterp-plot -o x.eps
	assert_failure 64
	run clusterp-plot -t wall
	assert_failure 64
}

@test "csv_summary: devices, activity, pseudo devices, quoted aliases" {
	run "$UNIT_BIN/csv-summary" <"$FIXTURES/parsed/two/parsed/disk/n2"
	assert_success
	assert_output "category disk
rows 20
n2 [db's 2] loop0 [loop0] active pseudo
n2 [db's 2] sda [sda] active
n2 [db's 2] sdb [sdb]
n2 [db's 2] nvme0n1 [nvme0n1] active"
	run "$UNIT_BIN/csv-summary" <"$FIXTURES/parsed/two/parsed/network/n1"
	assert_output "category network
rows 15
n1 [web_1] lo [lo] active pseudo
n1 [web_1] eth0 [eth0] active
n1 [web_1] eth1 [eth1]"
	run "$UNIT_BIN/csv-summary" --first util_pct <"$FIXTURES/parsed/two/parsed/cpu/n2"
	assert_output "category cpu
rows 1
n2 [db's 2] - [] value"
	run "$UNIT_BIN/csv-summary" <<<'a,b
1,2'
	assert_output "category -
rows 1
 [] - []"
}

@test "rows picked by stride and rows picked by host and device give the same points" {
	use_tree two
	clusterp-plot --script -m read_mibps parsed/disk/n2 >regular.gp
	grep -q 'every 4::1 with lines' regular.gp
	# Devices of the sample at 20 s in another order: no stride any more.
	awk -F, 'NR > 1 && $2 == 20 { held[++n] = $0; next } n && !done { for (i = n; i >= 1; i--) print held[i]; done = 1 } { print }' \
		parsed/disk/n2 >shuffled
	run -1 diff -q parsed/disk/n2 shuffled
	clusterp-plot --script -m read_mibps shuffled >shuffled.gp
	grep -q "strcol(3) eq 'n2' && strcol(5) eq 'sda'" shuffled.gp
	sed "s/^set terminal .*/set table 'regular.txt'/" regular.gp >a.gp
	sed "s/^set terminal .*/set table 'shuffled.txt'/" shuffled.gp >b.gp
	gnuplot a.gp
	gnuplot b.gp
	grep -c '^ *[0-9]' regular.txt
	[ "$(grep -c '^ *[0-9]' regular.txt)" -eq 10 ]
	diff regular.txt shuffled.txt
}

@test "long series: reduced per pixel column into the script, peaks kept; --all-points reads the CSV" {
	cd_workdir
	"$ROOT/bench/lib/gen-parsed" . 3 6000
	keep_categories cpu disk
	run clusterp-plot -q -f png
	assert_success
	for f in plot/*/*.png; do valid_plot "$f"; done
	gp=plot/cpu/utilization.gp
	grep -q '^\$host3 << EOD$' "$gp"
	grep -q "^     \$host1 using 1:2 with lines lt 1 title 'N01', " "$gp"
	# At most 4 points per pixel column of the 1000 px plot, fewer than the 6000 samples.
	rows=$(awk '/^\$host1 << EOD$/ { on = 1; next } /^EOD$/ { on = 0 } on' "$gp" | wc -l)
	[ "$rows" -gt 1000 ] && [ "$rows" -le 4000 ]
	# Every host's highest and lowest value survive the reduction.
	for h in 1 2 3; do
		awk -v b="\$host$h" '$0 == b " << EOD" { on = 1; next } /^EOD$/ { on = 0 } on' "$gp" | cut -d, -f2 | sort -g >kept
		awk -F, 'NR > 1 { print $11 + 0 }' "parsed/cpu/node0$h" | sort -g >all
		[ "$(head -n 1 kept)" = "$(head -n 1 all)" ]
		[ "$(tail -n 1 kept)" = "$(tail -n 1 all)" ]
	done
	# Disk: the right device (sdb is 3 times sda in this data).
	awk '/^\$host1 << EOD$/ { on = 1; next } /^EOD$/ { on = 0 } on' plot/disk/sdb_write.gp | cut -d, -f2 | sort -g | tail -n 1 >sdb_max
	awk -F, 'NR > 1 && $5 == "sdb" { print $9 + 0 }' parsed/disk/node01 | sort -g | tail -n 1 >expected
	diff expected sdb_max
	run clusterp-plot -q --all-points --script
	assert_success
	run grep -c 'EOD' plot/cpu/utilization.gp
	assert_output 0
	grep -q "root.'parsed/cpu/node01' using 2:11 skip 1 with lines" plot/cpu/utilization.gp
}

@test "long series with --time-axis clock: epoch seconds in the datablocks" {
	cd_workdir
	"$ROOT/bench/lib/gen-parsed" . 2 5000
	keep_categories cpu
	run clusterp-plot -q -t clock -f png
	assert_success
	valid_plot plot/cpu/utilization.png
	grep -q "^set timefmt '%s'$" plot/cpu/utilization.gp
	awk '/^\$host1 << EOD$/ { getline; print; exit }' plot/cpu/utilization.gp >first
	# 2026-11-25T02:40:56Z
	grep -q '^1795574456,' first
}

@test "a parsed tree from a real run (clusterp-parse on sadc data): every plot, each valid (eps; the formats are the use tree's test)" {
	use_tree real
	run clusterp-plot -q -f eps
	assert_success
	assert_output ''
	find plot -type f | sort >tree
	golden plot/real-tree tree
	for f in plot/*/*.eps; do valid_plot "$f"; done
	for gp in plot/*/*.gp; do
		case $gp in *_heatmap.gp | *_band.gp) continue ;; esac
		series_titles "$gp" >titles
		printf 'hostA\nhostB\n' >expected
		diff -u expected titles
	done
	# Its eth0 was idle, lo busy: no network plot, said in one line.
	run --separate-stderr clusterp-plot --script
	assert_success
	[ "${stderr_lines[0]}" = "clusterp-plot: warning: network: no plot: no interface shows activity (lo aside); list those to plot under net_interfaces in the config" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
}

@test "--time-axis clock: the heatmap's cells span the whole run (gnuplot keeps a matrix in single precision: at epoch seconds its columns fell on 128 s steps)" {
	use_tree two
	keep_categories cpu
	run -0 clusterp-plot -q -t clock -f png
	# Across the middle of the image, between the two black lines of the
	# frame (the colour box is further right):
	# every pixel a cell's colour, none white.
	run -0 /usr/bin/python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from heatmap_rows import read_png
width, height, step, rows = read_png(sys.argv[2])
line = rows[height // 2]
row = [tuple(line[x * step:x * step + 3]) for x in range(width)]
black = [x for x, p in enumerate(row) if max(p) < 40]
inside = row[black[0] + 2:black[1] - 1] if len(black) >= 2 else []
print(len(inside) > 100, sum(1 for p in inside if min(p) > 240))' "$ROOT/tests/lib" plot/cpu/utilization_heatmap.png
	assert_output 'True 0'
}

# heatmap_labels SCRIPT: the row labels of a heatmap's script, top to bottom
# (every row's while they fit).
heatmap_labels() {
	sed -n "s/^set ytics scale 0 font ',8' (\(.*\))$/\1/p" "$1" | grep -o "'[^']*' [0-9]*" | sed "s/^'\(.*\)' [0-9]*$/\1/"
}

@test "gpu: a plot per metric with its heatmap and band, a series per host:GPU in host then index order, limits drawn, each file valid" {
	use_tree few
	keep_categories gpu
	gpu_parsed "node01 node02 node03 node04 node05" 3 12
	run -0 clusterp-plot -f eps,svg
	assert_output "clusterp-plot: made 15 of 15 plots under 'plot'"
	for name in utilization memory power temperature sm_clock; do
		for kind in "" _heatmap _band; do
			for ext in eps svg; do valid_plot "plot/gpu/$name$kind.$ext"; done
		done
		# One series per host:GPU, hosts as the config orders and names them.
		series_titles "plot/gpu/$name.gp" >titles
		for host in compute-4 node02 compute-5 login node03; do printf '%s:0\n%s:1\n%s:2\n' $host $host $host; done >expected
		diff -u expected titles
		# A heatmap row per host:GPU, each labelled; node02's idle GPU 1 first.
		grep -q "^# .*: 15 rows by 12 columns" "plot/gpu/${name}_heatmap.gp"
		heatmap_labels "plot/gpu/${name}_heatmap.gp" | sort >rows
		sort expected | diff -u - rows
	done
	[ "$(heatmap_labels plot/gpu/utilization_heatmap.gp | head -n 1)" = node02:1 ]
	grep -q "^set title 'GPU utilization (per host:GPU)'$" plot/gpu/utilization_heatmap.gp
	grep -q "^set ylabel 'Time a kernel was running (%)'$" plot/gpu/utilization.gp
	grep -q "^set yrange \[-3:105<\*\] noextend$" plot/gpu/memory.gp
	# The H100's 700 W limit and 1980 MHz clock: a line on the plot and the
	# band, the top of the heatmap's scale.
	for gp in plot/gpu/power.gp plot/gpu/power_band.gp; do
		grep -q "^set label 'power limit 700 W' at graph 0.01, first 700 " "$gp"
		grep -q "^set yrange \[0:756<\*\] noextend$" "$gp"
	done
	grep -q "^set cbrange \[0:700\]$" plot/gpu/power_heatmap.gp
	grep -q "^set label 'max SM clock 1980 MHz' " plot/gpu/sm_clock.gp
	run -1 grep -q limit plot/gpu/temperature.gp
	# The host table: all of a host's GPUs together (node02's idle GPU 1 brings its mean from 75 to 50 %).
	grep -q '^node02,node02,gpu,util_pct,50,100,100$' plot/hosts.csv
	grep -q '^node04,compute-4,gpu,mem_used_pct,' plot/hosts.csv
}

@test "gpu: power and its limit read as 0 W everywhere still draw, the heatmap's scale 0 to 1" {
	use_tree few
	keep_categories gpu
	gpu_parsed "node01 node02" 2 6
	local f
	for f in parsed/gpu/*; do
		awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "power_w" || $i == "power_limit_w") zero[i] = 1; print; next }
			{ for (i in zero) $i = 0; print }' "$f" >"$f.new" && mv "$f.new" "$f"
	done
	run -0 clusterp-plot -f svg
	assert_output "clusterp-plot: made 15 of 15 plots under 'plot'"
	grep -q '^set cbrange \[0:1\]$' plot/gpu/power_heatmap.gp
	valid_plot plot/gpu/power_heatmap.svg
}

@test "gpu: 128 hosts of 8 GPUs give heatmaps of 1024 rows and line plots of 1024 series" {
	cd_workdir
	gpu_parsed "$(printf 'n%03d ' $(seq 128))" 8 6
	run -0 clusterp-plot -q -f png
	for f in plot/gpu/*.png; do valid_plot "$f"; done
	[ "$(ls plot/gpu/*.png | wc -l)" -eq 15 ]
	grep -q "^# .*: 1024 rows by 6 columns" plot/gpu/utilization_heatmap.gp
	[ "$(awk '/^\$cells << EOD$/ { on = 1; next } /^EOD$/ { on = 0 } on' plot/gpu/utilization_heatmap.gp | wc -l)" -eq 1025 ]
	[ "$(series_titles plot/gpu/power.gp | sort -u | wc -l)" -eq 1024 ]
	series_titles plot/gpu/power.gp | sed -n '1p;8p;9p;1024p' >ends
	printf 'n001:0\nn001:7\nn002:0\nn128:7\n' >expected
	diff -u expected ends
}

@test "gpu: GPUs in index order (2 before 10), named by gpu_alias where it names one GPU; stream mode labels host:GPU and draws the limit" {
	cd_workdir
	gpu_parsed n1 11 3
	run -0 clusterp-plot -q --script
	assert_equal "$(echo $(series_titles plot/gpu/utilization.gp))" "n1:0 n1:1 n1:2 n1:3 n1:4 n1:5 n1:6 n1:7 n1:8 n1:9 n1:10"
	printf 'gpu_alias:\n    - n1:3: loader\n    - 10: last\n    - NVIDIA H100 80GB HBM3: h100\n' >config.yml
	run -0 clusterp-plot -q --script
	assert_equal "$(echo $(series_titles plot/gpu/power.gp))" "n1:0 n1:1 n1:2 n1:loader n1:4 n1:5 n1:6 n1:7 n1:8 n1:9 n1:last"
	rm config.yml
	run -0 clusterp-plot -m power_w -o power.svg parsed/gpu/n1
	valid_plot power.svg
	grep -q '>n1:10<' power.svg
	grep -q '>GPU power<' power.svg
	run -0 clusterp-plot --script parsed/gpu/n1
	assert_line "set ylabel 'Time a kernel was running (%)'"
}

@test "gpu: no parsed/gpu, or an empty one, draws no gpu plot and says nothing" {
	use_tree two
	keep_categories cpu
	run -0 clusterp-plot -q --script
	[ ! -e plot/gpu ]
	mkdir parsed/gpu
	run -0 clusterp-plot -q --script
	assert_output ''
	[ ! -e plot/gpu ]
}

@test "--category gpu draws only the gpu plots, and the host table and run page keep the others" {
	use_tree few
	keep_categories cpu gpu
	gpu_parsed "node01 node02 node03 node04 node05" 2 8
	run -0 clusterp-plot -q -f svg
	cp plot/hosts.csv all.csv
	cp plot/index.html all.html
	rm plot/gpu/*.svg
	touch -d '2000-01-01' plot/cpu/utilization.svg
	run -0 clusterp-plot --category gpu -f svg
	assert_output "clusterp-plot: made 15 of 15 plots under 'plot'"
	[ "$(ls plot/gpu/*.svg | wc -l)" -eq 15 ]
	[ -z "$(find plot/cpu -newer all.csv)" ]
	cmp all.csv plot/hosts.csv
	cmp all.html plot/index.html
	run -0 clusterp-plot --category cpu,load --script
	assert_line "clusterp-plot: warning: no 'parsed/load', no load plots"
	run -64 clusterp-plot --category nosuch
	assert_output "clusterp-plot: unknown category 'nosuch' (cpu, load, memory, swap, disk, network, gpu, processes)"
	run -64 clusterp-plot --category gpu parsed/gpu/node01
	assert_output "clusterp-plot: --category is for directory mode (a file's category is its CSV header's)"
}

@test "gpu: the limit line is the highest limit, said so when the GPUs' differ; a sample without one is passed over" {
	cd_workdir
	gpu_parsed "n1 n2" 2 4
	# n2 capped at 450 W; n1's last sample has no limit.
	awk -F, -v OFS=, 'NR > 1 { $13 = 450 } 1' parsed/gpu/n2 >n2 && mv n2 parsed/gpu/n2
	awk -F, -v OFS=, 'NR > 7 { $13 = "" } 1' parsed/gpu/n1 >n1 && mv n1 parsed/gpu/n1
	run -0 clusterp-plot -q --script
	grep -q "^set label 'highest power limit 700 W' at graph 0.01, first 700 " plot/gpu/power.gp
	gpu_parsed n1 2 4
	rm parsed/gpu/n2
	awk -F, -v OFS=, 'NR > 7 { $13 = "" } 1' parsed/gpu/n1 >n1 && mv n1 parsed/gpu/n1
	run -0 clusterp-plot -q --script
	grep -q "^set label 'power limit 700 W' at graph 0.01, first 700 " plot/gpu/power.gp
}
