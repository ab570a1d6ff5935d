#!/usr/bin/env bats
# The compare page (compare/index.html) in a real browser: headless Chromium
# from Debian (tests/lib/browser.py), the page opened from disk after the
# tree was copied elsewhere, on runs composed from a real recording
# (tests/lib/compare).  Not in tests/fast: it needs chromium (DEPS_TEST).
load ../lib/common
load ../lib/compare

browse() { /usr/bin/python3 "$ROOT/tests/lib/browser.py" "$@"; }

@test "compare page: A's and B's bands are drawn, in their two colours, not a blank page" {
	cd_workdir
	compose_run run-a n1:idle n2:idle n3:idle n4:idle
	compose_run run-b n1:idle n2:write n3:idle n4:write
	run -1 clusterp compare run-a run-b
	cp -r compare copied
	rm -r compare
	# The legend's swatches removed, so that what is left in the two
	# colours is the bands themselves; then the figures scrolled into view.
	run -0 browse "file://$WORK/copied/index.html" --size 1000x700 \
		--eval "document.querySelectorAll('svg.band rect[width=\"12\"]').forEach(r => r.remove());
			document.querySelector('svg.band').scrollIntoView(); document.querySelectorAll('svg.band').length" \
		--screenshot shot.png
	[ "$output" -ge 2 ]
	# A's line and B's (#1f77b4, #d62728), and B's band filled at 25 % over white.
	run -0 /usr/bin/python3 "$ROOT/tests/lib/pixel_colours.py" shot.png 1f77b4 d62728 f5c9c9
	echo "$output"
	local a b fill
	read -r _ a <<<"${lines[0]}"
	read -r _ b <<<"${lines[1]}"
	read -r _ fill <<<"${lines[2]}"
	[ "$a" -gt 200 ] && [ "$b" -gt 200 ] && [ "$fill" -gt 5000 ]
	if [ -n "${CLUSTERP_KEEP_SHOT:-}" ]; then cp shot.png "$CLUSTERP_KEEP_SHOT"; fi
}
