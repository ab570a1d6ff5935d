#!/usr/bin/env bats
# plot/index.html: the page that shows a run's plots in a browser.

load ../lib/common
load ../lib/gpu

setup() {
	cd_workdir
	cp -r "$FIXTURES/parsed/few/." .
}

@test "svg plots get an index page listing every one, with hosts and time span" {
	run -0 clusterp-plot -q -f svg,eps
	[ -f plot/index.html ]
	xmllint --html --noout plot/index.html
	# Every svg drawn is shown, and nothing else.
	(cd plot && find . -name '*.svg' | sed 's|^\./||' | sort) >drawn
	grep -o 'img src="[^"]*"' plot/index.html | sed 's/img src="//;s/"$//' | sort >shown
	diff -u drawn shown
	[ "$(wc -l <drawn)" -gt 5 ]
	grep -q '5 hosts: compute-4 (node04), node02, compute-5 (node05), login (node01), node03' plot/index.html
	grep -q 'From <time>2026-11-25T02:40:56Z</time> to <time>2026-11-25T02:42:46Z</time>' plot/index.html
	grep -q '<section id="disk">' plot/index.html
}

@test "png plots are shown when there is no svg" {
	run -0 clusterp-plot -q -f png
	grep -q 'img src="cpu/utilization.png"' plot/index.html
}

@test "eps alone makes no index page, and says so" {
	run -0 clusterp-plot -f eps
	assert_line "clusterp-plot: no run page 'plot/index.html': it shows svg or png plots (-f eps,svg draws both)"
	[ ! -e plot/index.html ]
}

@test "names that HTML or URLs would misread are escaped" {
	sed -i 's/login/<b>\&"log in"/' config.yml
	run -0 clusterp-plot -q -f svg
	grep -q '&lt;b&gt;&amp;&quot;log in&quot; (node01)' plot/index.html
	xmllint --html --noout plot/index.html
}

@test "the page is rebuilt from the run's files alone, the same when nothing changed" {
	run -0 clusterp-plot -q -f svg
	cp plot/index.html before.html
	head -1 plot/hosts.csv | grep -qx 'host,alias,category,metric,mean,p95,max'
	grep -q '^node04,compute-4,cpu,util_pct,' plot/hosts.csv
	run -0 "$UNIT_BIN/run-page" .
	cmp before.html plot/index.html
	# Copied elsewhere, rebuilt from there.
	cp -r . "$BATS_TEST_TMPDIR/copy"
	run -0 "$UNIT_BIN/run-page" "$BATS_TEST_TMPDIR/copy"
	cmp before.html "$BATS_TEST_TMPDIR/copy/plot/index.html"
	rm -r plot
	run -1 "$UNIT_BIN/run-page" .
	[ ! -e plot/index.html ]
}

@test "after the report: findings at the top, each linked to the heatmap that shows it; markers and phases listed" {
	run -0 clusterp-plot -q -f svg
	mkdir report
	cat >report/findings.csv <<-'CSV'
	phase,start,end,host,alias,resource,device,finding,severity,value,threshold,share,evidence
	,2026-11-25T02:40:56Z,2026-11-25T02:42:46Z,node03,node03,cpu,,waiting on I/O,warning,31,20,0.5,iowait 31 % at 02:41:10
	,2026-11-25T02:40:56Z,2026-11-25T02:42:46Z,node01,login,disk,sda,disk saturated,critical,100,90,0.8,"util 100 %, queue 3"
	,2026-11-25T02:40:56Z,2026-11-25T02:42:46Z,node02,node02,load,,cpu saturated,warning,9,8,0.6,runq 9
	CSV
	cat >parsed/markers.csv <<-'CSV'
	time,elapsed,kind,label
	2026-11-25T02:41:06Z,10,begin,load <data>
	2026-11-25T02:41:16.250Z,20.25,point,checkpoint
	2026-11-25T02:41:36Z,40,end,load <data>
	CSV
	run -0 "$UNIT_BIN/run-page" .
	xmllint --html --noout plot/index.html
	# Findings come first, before the span and the plots.
	findings=$(grep -n '<section id="findings">' plot/index.html | cut -d: -f1)
	span=$(grep -n '<p class="span">' plot/index.html | cut -d: -f1)
	[ "$findings" -lt "$span" ]
	grep -q '<td>waiting on I/O</td>.*<a href="#cpu/iowait_heatmap.svg">plot</a>' plot/index.html
	# sda is "system" in config.yml, as its plots are named.
	grep -q '<td>util 100 %, queue 3</td>.*<a href="#disk/system_utilization_heatmap.svg">plot</a>' plot/index.html
	# No plot of "load": no link.
	grep -q '<td>runq 9</td><td></td></tr>' plot/index.html
	# Every link goes to a figure of the page.
	for id in $(grep -o 'href="#[a-z]*/[^"]*"' plot/index.html | sed 's/href="#//;s/"$//'); do
		grep -q "<figure id=\"$id\">" plot/index.html || { echo "no figure $id"; false; }
	done
	grep -q '<li>load &lt;data&gt;: <time>2026-11-25T02:41:06Z</time> to <time>2026-11-25T02:41:36Z</time></li>' plot/index.html
	grep -q '<li>checkpoint: <time>2026-11-25T02:41:16.250Z</time></li>' plot/index.html
}

@test "the host table marks a worst value only where few hosts share it" {
	run -0 clusterp-plot -q -f svg
	# CPU: every host reaches 100 % (max: the norm, none marked); node03's
	# mean and p95 stand out (marked); node01 and node02 share the highest
	# iowait mean (2 of 5 hosts: more than a quarter, none marked).
	cat >plot/hosts.csv <<-'CSV'
	host,alias,category,metric,mean,p95,max
	node04,compute-4,cpu,util_pct,10,50,100
	node02,node02,cpu,util_pct,12,50,100
	node05,compute-5,cpu,util_pct,11,50,100
	node01,login,cpu,util_pct,10,50,100
	node03,node03,cpu,util_pct,90,95,100
	CSV
	run -0 "$UNIT_BIN/run-page" .
	# The host table's rows: alias, then the class of each of the 3 cells.
	sed -n '/<table class="hosts">/,/<\/table>/p' plot/index.html |
		sed -n 's|^<tr><th scope="row" data-v="\([^"]*\)">.*|&|p' |
		sed 's|^<tr><th scope="row" data-v="\([^"]*\)">[^<]*</th>|\1|; s|<td class="worst"[^>]*>[^<]*</td>| W|g; s|<td[^>]*>[^<]*</td>| -|g; s|</tr>||' >cells
	cat >expected <<-'EOF2'
	compute-4 - - -
	node02 - - -
	compute-5 - - -
	login - - -
	node03 W W -
	EOF2
	diff -u expected cells
}

@test "gpu: its heatmaps, bands and line plots in a section after network, its columns in the host table, each GPU finding linked to the heatmap its words point to" {
	gpu_parsed "node01 node02 node03 node04 node05" 2 10
	run -0 clusterp-plot -q -f svg
	xmllint --html --noout plot/index.html
	grep -q '<nav> cpu memory swap disk network gpu hosts</nav>' <(sed 's/<a href="#[^"]*">//g; s|</a>||g' plot/index.html)
	# The section holds every gpu svg, views first, in the catalogue's order.
	sed -n '/<section id="gpu">/,/<\/section>/p' plot/index.html | grep -o 'img src="gpu/[^"]*"' | sed 's/img src="//;s/"$//' >shown
	for name in utilization memory power temperature sm_clock; do printf 'gpu/%s_heatmap.svg\ngpu/%s_band.svg\n' $name $name; done >expected
	for name in utilization memory power temperature sm_clock; do echo "gpu/$name.svg"; done >>expected
	diff -u expected shown
	# Host table: gpu's five metrics, three figures each, for every host.
	for title in 'gpu: util (%)' 'gpu: mem_used (%)' 'gpu: power (W)' 'gpu: temp (C)' 'gpu: sm_clock (MHz)'; do
		grep -q "<th colspan=\"3\">$title</th>" plot/index.html
	done
	grep -q '^node02,node02,gpu,util_pct,' plot/hosts.csv
	mkdir report
	cat >report/findings.csv <<-'CSV'
	phase,start,end,host,alias,resource,device,finding,severity,value,threshold,share,evidence
	,2026-11-25T02:40:56Z,2026-11-25T02:41:05Z,node02,node02,gpu,1,gpu idle,warning,0,1,1,a kernel running 0 % of the time
	,2026-11-25T02:40:56Z,2026-11-25T02:41:05Z,node01,login,gpu,0,gpu memory nearly full,notice,97,95,1,97 % of its memory used
	,2026-11-25T02:40:56Z,2026-11-25T02:41:05Z,node03,node03,gpu,1,gpu throttled,warning,60,70,1,its SM clock at 60 % of its maximum
	CSV
	run -0 "$UNIT_BIN/run-page" .
	grep -q '<td>gpu idle</td>.*<a href="#gpu/utilization_heatmap.svg">plot</a>' plot/index.html
	grep -q '<td>gpu memory nearly full</td>.*<a href="#gpu/memory_heatmap.svg">plot</a>' plot/index.html
	grep -q '<td>gpu throttled</td>.*<a href="#gpu/sm_clock_heatmap.svg">plot</a>' plot/index.html
}
