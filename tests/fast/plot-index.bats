#!/usr/bin/env bats
# plot/index.html: the page that shows a run's plots in a browser.

load ../lib/common

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

@test "eps alone makes no index page" {
	run -0 clusterp-plot -q
	[ ! -e plot/index.html ]
}

@test "names that HTML or URLs would misread are escaped" {
	sed -i 's/login/<b>\&"log in"/' config.yml
	run -0 clusterp-plot -q -f svg
	grep -q '&lt;b&gt;&amp;&quot;log in&quot; (node01)' plot/index.html
	xmllint --html --noout plot/index.html
}
