#!/usr/bin/env bats
# clusterp-mark, the markers model (tests/unit/markers.cpp) and
# parsed/markers.csv, without collectors: runs are written by hand.
load ../lib/common

setup() { cd_workdir; }

RUN_ID=20261125T030800Z-test

# A working directory as clusterp stop leaves it (tests/parse.bats'
# make_run): the run's first sample, corrected, is 1795576100500 ms
# (2026-11-25T03:08:20.500Z), its last 170.5 s later.
stopped_run() {
	local c S=$FIXTURES/sysstat
	mkdir -p .clusterp
	for c in cpu memory swap disk network; do
		mkdir -p "raw/$c"
		cp "$S/12.6.1/$c.sadf-d" "raw/$c/n1"
		cp "$S/12.6.1-restart/$c.sadf-d" "raw/$c/n2"
	done
	manifest "$1"
}

# manifest STATUS: a run of two hosts in STATUS.
manifest() {
	cat >.clusterp/run.json <<-EOF
	{"version": 1, "run_id": "$RUN_ID", "started": "2026-11-25T03:08:00Z",
	 "interval": 1, "transport": "local", "hosts": [
	  {"host": "n1", "alias": "n1", "status": "$1", "error": "", "dir": "/tmp/a", "pid": 1,
	   "sysstat": "12.6.1", "clock_offset": 2.5, "mem_total_kib": 24684096, "cpus": 2},
	  {"host": "n2", "alias": "n2", "status": "$1", "error": "", "dir": "/tmp/b", "pid": 2,
	   "sysstat": "12.6.1", "clock_offset": -1, "mem_total_kib": 24684096, "cpus": 2}]}
	EOF
}

@test "model: output lines that are markers, and those that are not" {
	cat >lines <<-'EOF'
	clusterp-mark: load
	clusterp-mark: begin shuffle phase
	clusterp-mark: end shuffle phase
	clusterp-mark: crlf
	clusterp-mark: begin 
	clusterp-mark:no-space
	 clusterp-mark: indented
	[1,0]<stdout>:clusterp-mark: tagged
	clusterp mark: no run in '.'
	EOF
	printf 'clusterp-mark: a\tb\n' >>lines
	sed -i 's/crlf$/crlf\r/' lines
	"$UNIT_BIN/markers" lines <lines >actual
	cat >want <<-'EOF'
	point [load]
	begin [shuffle phase]
	end [shuffle phase]
	point [crlf]
	-
	-
	-
	-
	-
	-
	EOF
	diff -u want actual
}

@test "model: records of the run only, sorted, phases closed, bad lines reported" {
	printf '%s\t%s\t%s\t%s\n' \
		r1 5000 end io \
		r1 1000 begin compute \
		r0 1500 point 'an earlier run' \
		r1 2000 point checkpoint \
		r1 2500 begin compute \
		r1 3000 end compute \
		r1 3500 begin write \
		r1 4000 begin compute \
		r1 4500 point 'same time' \
		r1 4500 sideways x \
		r1 soon point x >records
	echo 'not a record' >>records
	"$UNIT_BIN/markers" records r1 500 9000 <records >actual
	cat >want <<-'EOF'
	500 begin [io]
	1000 begin [compute]
	2000 point [checkpoint]
	3000 end [compute]
	3500 begin [write]
	4000 begin [compute]
	4500 point [same time]
	5000 end [io]
	9000 end [compute]
	9000 end [write]
	phase 500-5000 [io]
	phase 1000-3000 [compute]
	point 2000-2000 [checkpoint]
	phase 3500-9000 [write]
	phase 4000-9000 [compute]
	point 4500-4500 [same time]
	warning: line 10: unknown kind 'sideways'
	warning: line 11: bad time 'soon'
	warning: line 12: not a marker record (run, time, kind, label)
	warning: phase 'compute' begins again before it ends; the second begin is ignored
	warning: phase 'io' ends without a begin; it begins at the first sample
	warning: phase 'compute' was left open; it ends at the last sample
	warning: phase 'write' was left open; it ends at the last sample
	EOF
	diff -u want actual
}

@test "mark: a point, a phase, from the run's directory, one record each" {
	mkdir .clusterp
	manifest started
	clusterp-mark checkpoint
	clusterp-mark --begin 'load input'
	clusterp mark --end 'load input'
	cut -f1,3,4 .clusterp/markers >actual
	printf '%s\t%s\t%s\n' "$RUN_ID" point checkpoint "$RUN_ID" begin 'load input' "$RUN_ID" end 'load input' >want
	diff -u want actual
	# Milliseconds of this machine's clock, in order.
	before=$(($(date +%s) * 1000 - 60000))
	cut -f2 .clusterp/markers | while read -r t; do [ "$t" -ge "$before" ] || exit 1; done
	sort -n -c <(cut -f2 .clusterp/markers)
}

@test "mark: CLUSTERP_DIR names the run from a child process in another directory" {
	mkdir .clusterp
	manifest started
	mkdir -p elsewhere
	CLUSTERP_DIR=$WORK run bash -c 'cd elsewhere && sh -c "clusterp-mark from-child"'
	assert_success
	assert_output ''
	[ "$(cut -f3,4 .clusterp/markers)" = "$(printf 'point\tfrom-child')" ]
	[ ! -e elsewhere/.clusterp ]
}

@test "mark: many processes at once, no record lost or torn" {
	mkdir .clusterp
	manifest started
	for i in $(seq 1 40); do clusterp-mark "label number $i with some length to it" & done
	wait
	[ "$(wc -l <.clusterp/markers)" -eq 40 ]
	[ "$(cut -f4 .clusterp/markers | sort -u | wc -l)" -eq 40 ]
	run -1 grep -v "^$RUN_ID	[0-9]*	point	label number [0-9]* with some length to it\$" .clusterp/markers
}

@test "mark: no run is an error (66); a stopped run is still marked, with a warning" {
	run clusterp-mark x
	assert_failure 66
	assert_output "clusterp mark: no run in '.' (start one with clusterp start or clusterp run)"
	mkdir .clusterp
	manifest stopped
	run clusterp-mark late
	assert_success
	assert_output "clusterp mark: warning: run $RUN_ID has no active collector"
	[ "$(wc -l <.clusterp/markers)" -eq 1 ]
}

@test "mark: usage mistakes and labels that cannot be one (64), nothing recorded" {
	mkdir .clusterp
	manifest started
	run clusterp-mark
	assert_failure 64
	assert_output "clusterp mark: give one label (see 'clusterp-mark -h')"
	run clusterp-mark a b
	assert_failure 64
	run clusterp-mark --begin --end x
	assert_failure 64
	assert_output "clusterp mark: --begin and --end exclude each other"
	run clusterp-mark "$(printf 'a\tb')"
	assert_failure 64
	assert_output "clusterp mark: the label holds a control character"
	run clusterp-mark ''
	assert_failure 64
	assert_output "clusterp mark: the label is empty"
	run clusterp-mark "$(printf '%0201d' 0)"
	assert_failure 64
	assert_output "clusterp mark: the label is longer than 200 bytes"
	[ ! -e .clusterp/markers ]
}

@test "parse: parsed/markers.csv on the samples' corrected timeline, open phase closed at the last sample" {
	stopped_run stopped
	printf '%s\t%s\t%s\t%s\n' \
		"$RUN_ID" 1795576110500 begin load \
		"$RUN_ID" 1795576120500 point 'checkpoint, "quoted"' \
		other-run 1795576120500 point 'other run' \
		"$RUN_ID" 1795576130500 end load \
		"$RUN_ID" 1795576140000 begin write >.clusterp/markers
	run clusterp-parse
	assert_success
	assert_output - <<-'EOF'
	clusterp-parse: warning: phase 'write' was left open; it ends at the last sample
	clusterp-parse: parsed 10 of 10 files into 'parsed/'
	EOF
	cat >want <<-'EOF'
	time,elapsed,kind,label
	2026-11-25T03:08:30.500Z,10,begin,load
	2026-11-25T03:08:40.500Z,20,point,"checkpoint, ""quoted"""
	2026-11-25T03:08:50.500Z,30,end,load
	2026-11-25T03:09:00Z,39.5,begin,write
	2026-11-25T03:11:11Z,170.5,end,write
	EOF
	diff -u want parsed/markers.csv
	# The last sample of all.
	[ "$(tail -qn1 parsed/*/* | cut -d, -f1,2 | sort | tail -n1)" = 2026-11-25T03:11:11Z,170.5 ]
}

@test "parse: a run without markers has no parsed/markers.csv, a stale one goes, --category leaves it" {
	stopped_run stopped
	mkdir parsed
	echo stale >parsed/markers.csv
	printf 'other-run\t1\tpoint\tx\n' >.clusterp/markers
	run clusterp-parse -q
	assert_success
	[ ! -e parsed/markers.csv ]
	echo stale >parsed/markers.csv
	run clusterp-parse -q --category cpu
	assert_success
	[ "$(cat parsed/markers.csv)" = stale ]
}
