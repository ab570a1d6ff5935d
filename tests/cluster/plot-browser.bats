#!/usr/bin/env bats
# The run page (plot/index.html) in a real browser: headless Chromium from
# Debian, driven through the DevTools protocol on a pipe (tests/lib/browser.py),
# the page opened from disk (file://) after the tree was copied elsewhere.
# Not in tests/fast: it needs chromium (DEPS_TEST).
load ../lib/common
load ../lib/gpu

browse() { /usr/bin/python3 "$ROOT/tests/lib/browser.py" "$@"; }

# Every image decoded with a width, or the sources of those that are not.
IMAGES="Promise.all(Array.from(document.images).map(i => i.decode().catch(() => 0))).then(() => {
  const bad = Array.from(document.images).filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src'));
  return bad.length ? 'broken: ' + bad.join(' ') : document.images.length + ' images loaded'; })"
# The host column's values, top to bottom.
HOSTS="Array.from(document.querySelectorAll('table.hosts tbody tr')).map(r => r.cells[0].dataset.v).join(' ')"

setup() {
	cd_workdir
	# 8 hosts, 2 h at 10 s: host N03 (8/3+1) stalls through the middle
	# fifth, N05 (8/2+1) runs flat out.
	"$ROOT/bench/lib/gen-parsed" run 8 7200 10
	(cd run && clusterp-plot -q -f svg)
	cp -r run copied
	rm -rf run
	PAGE=file://$WORK/copied/plot/index.html
}

@test "every image of the page loads from a copied tree" {
	run -0 browse "$PAGE" --eval "$IMAGES"
	# 9 plots of the seed's tree (2 disks, 1 interface), each with its heatmap and band.
	assert_output "$((3 * 12)) images loaded"
}

@test "the host table sorts by a clicked column, both ways, empty cells last" {
	# Column 1 is the CPU utilization mean; a click sorts descending, a
	# second ascending.
	run -0 browse "$PAGE" --eval "$HOSTS" \
		--eval "document.querySelector('th[data-col=\"1\"]').click(); $HOSTS" \
		--eval "document.querySelector('th[data-col=\"1\"]').click(); $HOSTS" \
		--eval "document.querySelector('th[data-col=\"0\"]').click(); $HOSTS"
	assert_line --index 0 'N01 N02 N03 N04 N05 N06 N07 N08'
	# The host at 100 % first, the one that stalled last.
	[[ ${lines[1]} == 'N05 '*' N03' ]]
	[[ ${lines[2]} == 'N03 '*' N05' ]]
	assert_line --index 3 'N08 N07 N06 N05 N04 N03 N02 N01'
	# Sorted means: each row's value no less than the next.
	run -0 browse "$PAGE" --eval "document.querySelector('th[data-col=\"1\"]').click();
		Array.from(document.querySelectorAll('table.hosts tbody tr')).map(r => +r.cells[1].dataset.v)
		.every((v, i, all) => i === 0 || all[i - 1] >= v) ? 'sorted' : 'not sorted'"
	assert_output sorted
}

@test "a host's name in the host table, sorted or not, links to its top processes; their names are text, not markup" {
	mkdir copied/parsed/processes
	{
		echo time,elapsed,host,alias,pid,command,cpu_pct,rss_mib,read_kibps,write_kibps
		for i in 0 1 2; do
			printf '2026-11-25T02:41:%02dZ,%d,node02,N02,4242,"spin, the loop",190,1.4,0,0\n' $((6 + 10 * i)) $((10 + 10 * i))
			printf '2026-11-25T02:41:%02dZ,%d,node02,N02,77,<b>x|y</b>,5,1,0,0\n' $((6 + 10 * i)) $((10 + 10 * i))
		done
	} >copied/parsed/processes/node02
	(cd copied && clusterp-report --cpus 2 >/dev/null)
	# Sorted by name descending, N02 is the 7th row; only it has a link.
	run -0 browse "$PAGE" --eval "document.querySelector('th[data-col=\"0\"]').click();
		const a = document.querySelectorAll('table.hosts tbody th a'); a.length + ' ' + a[0].textContent" \
		--eval "document.querySelector('table.hosts tbody tr:nth-child(7) th a').click(); location.hash" \
		--eval "const b = document.querySelector(location.hash); b.querySelector('h3').textContent + ' | ' +
			Array.from(b.querySelectorAll('tbody tr')).map(r => r.cells[0].textContent + ' ' + r.cells[2].textContent +
			' ' + r.cells[4].textContent).join(' | ') + ' | ' + b.querySelectorAll('b').length + ' | ' +
			(b.getBoundingClientRect().top < window.innerHeight && window.scrollY > 0 ? 'in view' : 'not in view')"
	assert_line --index 0 '1 N02'
	assert_line --index 1 '#processes-node02'
	assert_line --index 2 'N02 (node02) | cpu spin, the loop 190 % | cpu <b>x|y</b> 5 % | memory spin, the loop 1.4 MiB | memory <b>x|y</b> 1 MiB | 0 | in view'
}

@test "the heatmap puts the odd hosts on top and marks the worst cell" {
	# The heatmap's first row label is the host farthest from the median.
	grep -q "^set ytics scale 0 font ',8' ('N05' 0, " copied/plot/cpu/utilization_heatmap.gp
	run -0 browse "$PAGE" --eval "document.querySelector('table.hosts tbody tr:nth-child(5) td').className"
	assert_output worst
}

@test "heatmap cells are crisp blocks in the browser at 1, 4 and 64 hosts: one run of one colour per row, no blend, no gap" {
	local n at runs
	for n in 1 4 64; do
		# 10 min at 10 s, cpu alone: 60 columns, n rows, each cell several
		# pixels on the page, so that a smoothed image would blend them.
		"$ROOT/bench/lib/gen-parsed" "h$n" "$n" 600 10
		(cd "h$n" && rm -r parsed/disk parsed/memory parsed/network parsed/swap && clusterp-plot -q -f svg)
		at=$(browse "file://$WORK/h$n/plot/index.html" --size 1400x1000 \
			--eval "const i = document.querySelector('img[src=\"cpu/utilization_heatmap.svg\"]'); i.scrollIntoView();
				const r = i.getBoundingClientRect(); [r.left, r.top, r.width].join(' ')" --screenshot "h$n.png")
		# shellcheck disable=SC2086
		runs=$(/usr/bin/python3 "$ROOT/tests/lib/heatmap_rows.py" "h$n.png" "h$n/plot/cpu/utilization_heatmap.svg" $at)
		# Down the middle column: at most one run per row (rows of equal colour
		# merge), none of a pixel or two (a blend between rows), none white.
		[ "$(wc -l <<<"$runs")" -le "$n" ] || { echo "$n hosts: $(wc -l <<<"$runs") runs"; echo "$runs"; return 1; }
		run -1 grep -E ' [12]$|^ffffff ' <<<"$runs"
	done
}

@test "gpu: 8 hosts of 8 GPUs make a heatmap of 64 crisp rows in the browser, the idle GPU on top, and the page shows every gpu plot" {
	mkdir g && cd g
	gpu_parsed "$(printf 'node%02d ' $(seq 8))" 8 120
	clusterp-plot -q -f svg
	cd ..
	grep -q "^set ytics scale 0 font ',8' ('node02:1' 0, " g/plot/gpu/utilization_heatmap.gp
	run -0 browse "file://$WORK/g/plot/index.html" --eval "$IMAGES"
	assert_output '15 images loaded'
	at=$(browse "file://$WORK/g/plot/index.html" --size 1400x1200 \
		--eval "const i = document.querySelector('img[src=\"gpu/utilization_heatmap.svg\"]'); i.scrollIntoView();
			const r = i.getBoundingClientRect(); [r.left, r.top, r.width].join(' ')" --screenshot g.png)
	# shellcheck disable=SC2086
	runs=$(/usr/bin/python3 "$ROOT/tests/lib/heatmap_rows.py" g.png g/plot/gpu/utilization_heatmap.svg $at)
	[ "$(wc -l <<<"$runs")" -le 64 ] || { echo "$(wc -l <<<"$runs") runs"; echo "$runs"; return 1; }
	[ "$(wc -l <<<"$runs")" -ge 8 ]
	run -1 grep -E ' [12]$|^ffffff ' <<<"$runs"
}
