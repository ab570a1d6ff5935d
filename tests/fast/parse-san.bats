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

@test "sanitizers: every fixture parses and matches its ground truth" {
	"$FIXTURES/parse-all.sh" "$SAN" csv 2>san.err
	run python3 "$FIXTURES/check_parse.py" csv
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "135 passed, 0 failed" ]
	diff -u /dev/null san.err
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
		! grep -q Sanitizer err
	done
	head -c 300000 /dev/zero | tr '\0' ';' >long
	cp "$FIXTURES/sysstat/12.6.1/run.sa" bin.sa
	{ head -1 "$FIXTURES/sysstat/12.6.1/cpu.sadf-d"; cat long; echo; cat bin.sa; } >mixed
	for f in long bin.sa mixed; do
		status=0
		"$SAN/clusterp-parse" -q "$f" >out.csv 2>err || status=$?
		[ "$status" -eq 0 ] || [ "$status" -eq 65 ] || { cat err; false; }
		! grep -q Sanitizer err
	done
}

@test "sanitizers: directory mode with threads" {
	mkdir -p raw/cpu raw/disk raw/memory
	for v in 10.2.1 11.6.6 12.6.1 12.6.1-restart; do
		cp "$FIXTURES/sysstat/$v/cpu.sar-C.txt" "raw/cpu/h$v"
		cp "$FIXTURES/sysstat/$v/disk.sadf-d" "raw/disk/h$v"
		cp "$FIXTURES/sysstat/$v/combined.sadf-d" "raw/memory/h$v"
	done
	status=0
	"$SAN/clusterp-parse" -j 4 >out 2>err || status=$?
	[ "$status" -eq 0 ] || { cat err; false; }
	! grep -q Sanitizer err
	[ "$(ls parsed/cpu parsed/disk parsed/memory | grep -c '^h')" -eq 12 ]
}
