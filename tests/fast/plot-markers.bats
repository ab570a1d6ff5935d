#!/usr/bin/env bats
# Markers in plots (issue 12, item 4): parsed/markers.csv in directory mode
# and --markers FILE in stream mode; phases drawn as labelled shaded strips
# and lines, points as labelled dashed lines, in every plot and format.
load ../lib/common

# Fixture tree "two" (0 to 40 s) with a phase "load" from 10 to 30 s and a
# point "check,point" at 20 s.
use_marked_tree() {
	cd_workdir
	cp -R "$FIXTURES/parsed/two/." .
	cat >parsed/markers.csv <<-'CSV'
	time,elapsed,kind,label
	2026-11-25T02:41:10Z,10,begin,load
	2026-11-25T02:41:20.500Z,20.5,point,"check,point"
	2026-11-25T02:41:30Z,30,end,load
	CSV
}

@test "markers: every plot, heatmap and band in every format draws the phase and the point" {
	use_marked_tree
	run clusterp-plot -q -f eps,svg
	assert_success
	assert_output ''
	n=0
	for gp in plot/*/*.gp; do
		grep -q "^set label 'load' at 10, graph" "$gp" || { echo "$gp: no phase label"; false; }
		grep -q "^set label 'check,point' at 20.5, graph .* rotate" "$gp" || { echo "$gp: no point label"; false; }
		grep -q "^set object 1 rect from 10, graph " "$gp" || { echo "$gp: no phase strip"; false; }
		grep -q "^set arrow from 30, graph 0 to 30, graph 1 nohead" "$gp" || { echo "$gp: no phase end line"; false; }
		grep -q "^set arrow from 20.5, graph 0 to 20.5, graph 1 nohead .* dt 2" "$gp" || { echo "$gp: no point line"; false; }
		n=$((n + 1))
	done
	[ "$n" -eq 36 ]
	# Heatmaps: lines in white over the cells and no shade behind them.
	grep -q "lc rgb 'white'" plot/cpu/utilization_heatmap.gp
	run -1 grep "behind" plot/cpu/utilization_heatmap.gp
	grep -q "rect from 10, graph 0 to 30, graph 1 behind" plot/cpu/utilization.gp
	# The labels are in the drawings themselves.
	for svg in plot/*/*.svg; do
		grep -q '>load</text>' "$svg" || { echo "$svg: no load"; false; }
		grep -q '>check,point</text>' "$svg" || { echo "$svg: no check,point"; false; }
	done
	for eps in plot/*/*.eps; do
		grep -q '(load)' "$eps" || { echo "$eps: no load"; false; }
	done
	# png and pdf (cairo's, several times eps's cost: the cpu plots only):
	# drawn differently from the same tree without markers.
	find parsed -mindepth 1 -maxdepth 1 -type d ! -name cpu -exec rm -r {} +
	rm -r plot
	run clusterp-plot -q -f pdf,png
	assert_success
	mkdir marked && cp plot/cpu/*.png plot/cpu/*.pdf marked/
	[ "$(ls marked | wc -l)" -eq 12 ]
	rm parsed/markers.csv
	run clusterp-plot -q -f pdf,png
	assert_success
	for f in marked/*; do
		! cmp -s "$f" "plot/cpu/${f#marked/}" || { echo "$f: same without markers"; false; }
	done
	run -1 grep "set label" plot/cpu/utilization.gp
}

@test "markers: on the clock axis from the time column, in seconds since the epoch" {
	use_marked_tree
	run clusterp-plot -q --time-axis clock --script
	assert_success
	# 2026-11-25T02:41:10Z
	grep -q "^set label 'load' at 1795574470, graph" plot/cpu/utilization.gp
	grep -q "^set label 'check,point' at 1795574480.5, graph" plot/cpu/utilization_band.gp
}

@test "markers: a phase inside another gets its own lane and only the inner one is shaded" {
	use_marked_tree
	printf '%s\n' 2026-11-25T02:41:00Z,0,begin,job 2026-11-25T02:41:40Z,40,end,job >>parsed/markers.csv
	run clusterp-plot -q --script
	assert_success
	grep -c "rect from" plot/memory/utilization.gp >count
	[ "$(cat count)" -eq 3 ]
	grep -q "rect from 10, graph 0 to 30, graph 1 behind" plot/memory/utilization.gp
	run -1 grep "rect from 0, graph 0 to 40, graph 1 behind" plot/memory/utilization.gp
	job=$(sed -n "s/^set object .* rect from 0, graph \([0-9.]*\) to 40.*/\1/p" plot/memory/utilization.gp)
	load=$(sed -n "s/^set object .* rect from 10, graph \([0-9.]*\) to 30.* noclip.*/\1/p" plot/memory/utilization.gp)
	[ "$job" = 1 ]
	awk -v l="$load" 'BEGIN { exit !(l > 1) }'
}

@test "markers: a bad row is skipped with a warning naming file and line, the plots still made, exit 65" {
	use_marked_tree
	echo '2026-11-25T02:41:15Z,15,pause,x' >>parsed/markers.csv
	echo 'soon,,point,y' >>parsed/markers.csv
	run clusterp-plot --script
	assert_failure 65
	assert_line "clusterp-plot: warning: 'parsed/markers.csv': line 5: kind 'pause' is none of point, begin, end; skipped"
	assert_line "clusterp-plot: warning: 'parsed/markers.csv': line 6: no time, skipped"
	grep -q "^set label 'load'" plot/cpu/utilization.gp
	echo 'a,b,c' >parsed/markers.csv
	run clusterp-plot --script
	assert_failure 65
	assert_output "clusterp-plot: 'parsed/markers.csv' is no markers CSV (time,elapsed,kind,label)"
}

@test "stream mode: --markers FILE draws them in the one plot; missing file 66; without inputs 64" {
	use_marked_tree
	run clusterp-plot --markers parsed/markers.csv --script parsed/cpu/n1
	assert_success
	assert_line --partial "set label 'load' at 10, graph"
	assert_line --regexp "^set label 'check,point' at 20.5, graph .* rotate"
	run clusterp-plot --markers parsed/markers.csv -o cpu.svg parsed/cpu/n1 parsed/cpu/n2
	assert_success
	grep -q '>load</text>' cpu.svg
	clusterp-plot --markers parsed/markers.csv - <parsed/memory/n1 >memory.eps
	grep -q '(load)' memory.eps
	run clusterp-plot --markers nowhere.csv parsed/cpu/n1
	assert_failure 66
	assert_output --partial "clusterp-plot: cannot open 'nowhere.csv'"
	run clusterp-plot --markers parsed/markers.csv
	assert_failure 64
}
