#!/usr/bin/env bats
# clusterp-parse built with AddressSanitizer and UBSan (`make san`, which
# `make test` runs first): the fixtures and the hostile inputs must parse
# with no sanitizer report.  The binaries: $CLUSTERP_SAN_BIN, else
# build-san/bin.
load ../lib/common

SAN=${CLUSTERP_SAN_BIN:-$ROOT/build-san/bin}
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

setup() {
	[ -x "$SAN/clusterp-parse" ] || skip "no sanitizer build (run 'make san')"
	cd_workdir
}

@test "sanitizers: every fixture as a raw/ tree, one directory-mode run with threads: no report, the plain build's output" {
	# One process over all 135 inputs (a file of several categories once per
	# category), several threads: an ASan process costs about 0.3 s of CPU
	# to start and end, and parse.bats checks every input against sysstat's
	# own JSON already.
	python3 - "$FIXTURES/sysstat" <<-'PY'
		import json, os, sys
		n = 0
		for entry in json.load(open(sys.argv[1] + "/MANIFEST.json"))["files"]:
		    for category in entry["categories"]:
		        n += 1
		        os.makedirs("raw/" + category, exist_ok=True)
		        os.symlink(sys.argv[1] + "/" + entry["input"], "raw/%s/input%d" % (category, n))
	PY
	[ "$(find raw -type l | wc -l)" -eq 193 ]
	"$SAN/clusterp-parse" -q -j 4 2>san.err
	diff -u /dev/null san.err
	mv parsed parsed-san
	clusterp-parse -q
	diff -r parsed parsed-san
	[ -z "$(find parsed-san -type f -empty)" ]
}

@test "sanitizers: hazards and hostile inputs" {
	for f in "$FIXTURES"/hazards/*.sadf-d* "$FIXTURES"/hazards/*.txt; do
		status=0
		"$SAN/clusterp-parse" -q --category cpu "$f" >out.csv 2>err || status=$?
		[ "$status" -eq 0 ] || { echo "$f: $status"; cat err; false; }
	done
	# Cut at every length of a short input, binary data, very long lines.
	f=$FIXTURES/sysstat/12.6.1/disk.sar-de_DE.txt
	for n in 1 2 70 71 72 150 151 400 1000 2000; do
		head -c "$n" "$f" >cut
		status=0
		"$SAN/clusterp-parse" -q cut >out.csv 2>err || status=$?
		[ "$status" -eq 0 ] || [ "$status" -eq 65 ] || { cat err; false; }
		run -1 grep Sanitizer err
	done
	head -c 300000 /dev/zero | tr '\0' ';' >long
	cp "$FIXTURES/sysstat/12.6.1/run.sa" bin.sa
	{ head -1 "$FIXTURES/sysstat/12.6.1/cpu.sadf-d"; cat long; echo; cat bin.sa; } >mixed
	for f in long bin.sa mixed; do
		status=0
		"$SAN/clusterp-parse" -q "$f" >out.csv 2>err || status=$?
		[ "$status" -eq 0 ] || [ "$status" -eq 65 ] || { cat err; false; }
		run -1 grep Sanitizer err
	done
}

@test "sanitizers: the nvidia-smi captures and broken gpu files, in one directory-mode run: no report" {
	mkdir -p raw/gpu
	n=0
	for f in "$FIXTURES"/nvidia-smi/*.txt; do
		for state in idle load; do
			n=$((n + 1))
			awk -v st="$state" '$0 ~ "^# "st" :: query-gpu \\(csv" {s=1; next} s && /^#/ {next} s && /^$/ {s=0} s' "$f" >"raw/gpu/g$n"
		done
	done
	head -c 700 raw/gpu/g1 >raw/gpu/cut
	printf 'timestamp, index\n\377\000,,,\n2026/13/45 99:99:99.999, x\n' >raw/gpu/garbled
	"$SAN/clusterp-parse" -q -j 4 2>san.err || true
	run grep -E 'AddressSanitizer|runtime error|LeakSanitizer' san.err
	assert_failure 1
	[ "$(ls parsed/gpu | wc -l)" -ge 15 ]
}
