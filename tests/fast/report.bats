#!/usr/bin/env bats
# clusterp-report on planted CSV (tests/lib/report.bash): directory and
# stream mode, phases, settings, errors.  The rules case by case are unit
# tests (tests/unit/rules_test.cpp); the accuracy on a real cluster is
# tests/cluster/report-scenarios.bats.
load ../lib/common
load ../lib/report
load ../lib/gpu

@test "report: directory mode names the saturated host on stdout, in findings.csv and report.md" {
	cd_workdir
	report_host n1 30 97 9
	for h in n2 n3 n4; do report_host "$h" 30 20 1; done
	run clusterp-report --cpus 4
	assert_success
	assert_output 'run N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples (longest stretch 02:40:00-02:44:50)'
	golden report/saturated.csv report/findings.csv
	golden report/saturated.md report/report.md
}

@test "report: run after plot, it rebuilds the run page with its findings at the top" {
	cd_workdir
	report_host n1 30 97 9
	for h in n2 n3 n4; do report_host "$h" 30 20 1; done
	run -0 clusterp-plot -q -f svg
	run -1 grep 'id="findings"' plot/index.html
	run -0 clusterp-report -q --cpus 4
	grep -q 'id="findings"' plot/index.html
	grep -q '<td>n1</td><td>N1</td><td>cpu</td><td></td><td>cpu saturated</td>' plot/index.html
	grep -q '<a href="#cpu/utilization_heatmap.svg">plot</a>' plot/index.html
}

@test "report: balanced hosts give the one line that says there is no finding, and empty tables" {
	cd_workdir
	for h in n1 n2 n3 n4; do report_host "$h" 30 60 2; done
	run clusterp-report --cpus 4
	assert_success
	assert_output 'no finding: no rule fired on 4 hosts in 1 phase'
	echo "$(cat "$EXPECTED/report/header.csv")" >expected
	diff -u expected report/findings.csv
	grep -qx 'No finding: no rule fired.' report/report.md
}

@test "report: the CPU count comes from the data, else the manifest; without one, fully busy is all that can be said" {
	cd_workdir
	report_host n1 30 97 9
	for h in n2 n3 n4; do report_host "$h" 30 90 9; done
	run clusterp-report
	assert_success
	assert_line --index 0 'run N1 cpu fully busy: all CPUs 97.0 % busy (fully busy from 90 %), 9.0 runnable tasks, in 100 % of the samples (longest stretch 02:40:00-02:44:50)'
	assert_equal "${#lines[@]}" 4
	mkdir .clusterp
	printf '{"version": 1, "run_id": "r1", "started": "2026-11-25T02:40:00Z", "interval": 10, "transport": "ssh", "hosts": [%s]}\n' \
		'{"host": "n3", "alias": "N3", "status": "stopped", "cpus": 16}, {"host": "n1", "alias": "N1", "status": "stopped", "cpus": 4}' >.clusterp/run.json
	run clusterp-report
	assert_success
	assert_line --index 0 'run N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples (longest stretch 02:40:00-02:44:50)'
	assert_line --index 1 --partial 'run N3 cpu fully busy: all 16 CPUs 90.0 % busy'
	grep -q '^# clusterp report for run r1$' report/report.md
	# sysstat saw 12 CPUs on n1 (parse's cpus column), run.json says 4:
	# the data's count wins, and both the terminal and report.md say so.
	rm parsed/cpu/n1
	report_csv cpu n1 30 util_pct=97 busiest_core_pct=97 cpus=12
	run --separate-stderr clusterp-report
	assert_success
	assert_line --index 0 --partial 'run N3 cpu fully busy'
	assert_line --index 1 --partial 'run N1 cpu fully busy: all 12 CPUs 97.0 % busy'
	assert_equal "$stderr" "clusterp-report: warning: n1: .clusterp/run.json says 4 CPUs, sysstat saw 12; the report uses sysstat's 12"
	grep -qx "n1: .clusterp/run.json says 4 CPUs, sysstat saw 12; the report uses sysstat's 12" report/report.md
}

@test "report: a real saturated recording fed to parse, without run.json, is cpu saturated with sysstat's CPU count" {
	cd_workdir
	clusterp-parse "$FIXTURES/recorded/saturated/cpu.sadf-d" >cpu.csv
	clusterp-parse "$FIXTURES/recorded/saturated/load.sadf-d" >load.csv
	run clusterp-report cpu.csv load.csv
	assert_success
	assert_output 'run vm cpu saturated: 16.0 runnable tasks for 2 CPUs, 100.0 % busy, in 100 % of the samples (longest stretch 02:02:36-02:02:47)'
}

@test "report: findings on cpu and disk name the host's top processes; odd names escaped in CSV, Markdown and HTML" {
	cd_workdir
	report_host n1 30 97 9
	report_csv disk n1 30 sdb util_pct=95 aqu_sz=0.5
	for h in n2 n3; do report_host "$h" 30 20 1; done
	report_processes n1 30 '4242,"spin, the loop",390,1.4,0,0' '77,<b>x|y</b>,5,1,0,0' "9,writ$(printf '\351')r,1,2,,40960"
	run clusterp-report --cpus 4
	assert_success
	assert_line --index 0 'run N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples (longest stretch 02:40:00-02:44:50); top: spin, the loop (pid 4242) 390.0 % of 400 %; <b>x|y</b> (pid 77) 5.0 % of 400 %'
	assert_line --index 1 "run N1 disk sdb saturated: 95.0 % utilized, 0.5 requests queued on average, in 100 % of the samples (longest stretch 02:40:00-02:44:50); top: writ\\xE9r (pid 9) 40.0 MiB/s read and written"
	grep -qF ',"spin, the loop (pid 4242) 390.0 % of 400 %; <b>x|y</b> (pid 77) 5.0 % of 400 %"' report/findings.csv
	grep -qF '| spin, the loop (pid 4242) 390.0 % of 400 %; &lt;b&gt;x\|y&lt;/b&gt; (pid 77) 5.0 % of 400 % |' report/report.md
	run -0 clusterp-plot -q -f svg
	grep -qF '&lt;b&gt;x|y&lt;/b&gt; (pid 77)' plot/index.html
	run grep -c '<b>x' plot/index.html
	assert_output 0
	# Each host's top processes over the run: report/processes.csv, then a
	# block of the run page that the host table's row links to.
	run -0 grep -F 'n1,N1,' report/processes.csv
	assert_output - <<-'CSV'
	n1,N1,cpu,1,4242,"spin, the loop",390,%
	n1,N1,cpu,2,77,<b>x|y</b>,5,%
	n1,N1,cpu,3,9,writ\xE9r,1,%
	n1,N1,memory,1,9,writ\xE9r,2,MiB
	n1,N1,memory,2,4242,"spin, the loop",1.4,MiB
	n1,N1,memory,3,77,<b>x|y</b>,1,MiB
	n1,N1,disk,1,9,writ\xE9r,40,MiB/s
	CSV
	run -0 grep -c 'id="processes-n1"' plot/index.html
	assert_output 1
	run -0 grep -oF '<th scope="row" data-v="N1"><a href="#processes-n1"' plot/index.html
	run -0 grep -F '<tr><td>cpu</td><td>2</td><td>&lt;b&gt;x|y&lt;/b&gt;</td><td>77</td><td>5 %</td></tr>' plot/index.html
	run -0 grep -F '<td>writ\xE9r</td><td>9</td><td>40 MiB/s</td>' plot/index.html
	run grep -c 'href="#processes-n2"' plot/index.html
	assert_output 0
	# Turned off: by the option, or by the report: key.
	run clusterp-report --cpus 4 --no-processes
	assert_success
	refute_output --partial '; top:'
	[ ! -e report/processes.csv ]
	run grep -c 'processes-n1' plot/index.html
	assert_output 0
	printf 'report:\n    top_processes: 0\n' >config.yml
	run clusterp-report --cpus 4
	assert_success
	refute_output --partial '; top:'
	[ "$(head -1 report/findings.csv)" = "$(cat "$EXPECTED/report/header.csv")" ]
}

@test "report: a config.yml from before issue 21 still sets the imbalance rule with straggler_z and straggler_gap_pct" {
	cd_workdir
	report_host n1 30 60 1
	report_host n2 30 18 1
	report_host n3 30 20 1
	report_host n4 30 22 1
	run -0 clusterp-report --cpus 4
	assert_output --partial 'N1 cpu imbalance'
	printf 'report:\n    straggler_gap_pct: 50\n' >config.yml
	run -0 clusterp-report --cpus 4
	refute_output --partial 'imbalance'
	printf 'report:\n    straggler_z: 1000\n' >config.yml
	run -0 clusterp-report --cpus 4
	refute_output --partial 'imbalance'
	printf 'report:\n    straggler_q: 1\n' >config.yml
	run -78 clusterp-report --cpus 4
	assert_output --partial 'straggler_q: unknown key'
}

@test "report: phases from markers.csv are judged apart, most severe first" {
	cd_workdir
	report_host n1 40 10:97@20 9
	report_csv memory n2 40 used_pct=95
	cat >parsed/markers.csv <<-'CSV'
	time,elapsed,kind,label
	2026-11-25T02:40:00Z,0,begin,load
	2026-11-25T02:43:10Z,190,end,load
	2026-11-25T02:42:00Z,120,point,checkpoint
	2026-11-25T02:43:20Z,200,begin,compute
	2026-11-25T02:46:30Z,390,end,compute
	CSV
	run clusterp-report --cpus 4
	assert_success
	assert_output - <<-'OUT'
	compute N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples (longest stretch 02:43:20-02:46:30)
	load N2 memory nearly full: 95.0 % of memory used (at least 90 %), in 100 % of the samples (longest stretch 02:40:00-02:43:10)
	compute N2 memory nearly full: 95.0 % of memory used (at least 90 %), in 100 % of the samples (longest stretch 02:43:20-02:46:30)
	OUT
	cut -d, -f1-3 report/findings.csv >phases
	golden report/phases.csv phases
}

@test "report: stream mode reads CSV of several hosts and categories from files and stdin" {
	cd_workdir
	report_host n1 30 20 1
	report_csv disk n1 30 sdb util_pct=70 aqu_sz=4.5
	for h in n2 n3; do report_host "$h" 30 20 1; done
	cat parsed/cpu/n1 parsed/cpu/n2 parsed/cpu/n3 >cpu.csv
	run --separate-stderr clusterp-report -f csv cpu.csv - <parsed/disk/n1
	assert_success
	assert_output - <<-'OUT'
	phase,start,end,host,alias,resource,device,finding,severity,value,threshold,share,evidence,processes
	run,2026-11-25T02:40:00Z,2026-11-25T02:44:50Z,n1,N1,disk,sdb,disk saturated,warning,70,90,1.00,"70.0 % utilized, 4.5 requests queued on average, in 100 % of the samples (longest stretch 02:40:00-02:44:50)",
	OUT
	[ ! -e report ]
}

@test "report: a missing column is no evidence: the rule is not judged" {
	cd_workdir
	for h in n1 n2 n3; do report_host "$h" 30 26 1; done
	rm parsed/cpu/n1
	report_csv cpu n1 30 util_pct=26 busiest_core_pct=none
	run clusterp-report --cpus 4
	assert_success
	assert_output 'no finding: no rule fired on 3 hosts in 1 phase'
	rm parsed/cpu/n1
	report_csv cpu n1 30 util_pct=26 busiest_core_pct=99
	run clusterp-report --cpus 4
	assert_success
	assert_output --partial "run N1 cpu single core bound: its busiest core 99.0 % busy while the host's 4 CPUs were 26.0 % busy, where one full core is 25.0 %"
}

@test "report: thresholds from the report: key of config.yml; a bad one names its line" {
	cd_workdir
	for h in n1 n2 n3; do report_host "$h" 30 85 9; done
	printf 'report:\n    cpu_busy_pct: 80\n    min_share: 0.5\n' >config.yml
	run clusterp-report --cpus 4
	assert_success
	assert_line --index 0 --partial 'run N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 85.0 % busy'
	printf 'report:\n    min_share: 0.5\n    cpu_busy: 80\n' >config.yml
	run clusterp-report --cpus 4
	assert_failure 78
	assert_output "clusterp-report: config.yml:3: report: cpu_busy: unknown key"
	printf 'report:\n    min_share: half\n' >config.yml
	run clusterp-report --cpus 4
	assert_failure 78
	assert_output "clusterp-report: config.yml:2: report: min_share: must be a number, not 'half'"
	printf 'report:\n    min_share: 2\n' >config.yml
	run clusterp-report --cpus 4
	assert_failure 78
	assert_output "clusterp-report: config.yml:2: report: min_share: must be a fraction from 0 to 1"
}

@test "report: errors: no parsed/, an unreadable input, a file that is no contract CSV" {
	cd_workdir
	run clusterp-report
	assert_failure 66
	assert_output "clusterp-report: no 'parsed' directory here; run clusterp-parse first"
	run clusterp-report nothing.csv
	assert_failure 66
	assert_output "clusterp-report: cannot open 'nothing.csv': no such file or directory"
	report_host n1 30 20 1
	echo 'a,b' >parsed/cpu/n2
	run clusterp-report --cpus 4
	assert_failure 65
	assert_output - <<-'OUT'
	clusterp-report: 'parsed/cpu/n2' is not cpu CSV (no contract header)
	no finding: no rule fired on 1 host in 1 phase
	OUT
	run clusterp-report -f html parsed/cpu/n1
	assert_failure 64
	assert_output "clusterp-report: unknown format 'html': lines, csv or markdown"
	run clusterp-report -f csv
	assert_failure 64
}

@test "report: times with milliseconds (clock offsets removed) read as well" {
	cd_workdir
	report_host n1 30 97 9
	for h in n2 n3; do report_host "$h" 30 20 1; done
	for f in parsed/*/*; do sed -i 's/^\(2026-11-25T[0-9:]*\)Z,/\1.250Z,/' "$f"; done
	grep -q '^2026-11-25T02:40:10.250Z,10,n1,' parsed/cpu/n1
	run clusterp-report --cpus 4
	assert_success
	assert_output 'run N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples (longest stretch 02:40:00-02:44:50)'
}

@test "report and plot -t clock: times with milliseconds (clock offsets applied) read as the whole seconds, half a second later" {
	cd_workdir
	report_host n1 30 97 9
	for h in n2 n3; do report_host "$h" 30 20 1; done
	run -0 clusterp-report -q --cpus 4
	rm -r parsed/memory parsed/swap parsed/disk parsed/network
	run -0 clusterp-plot -q -t clock -f svg --script
	mkdir whole
	cp plot/cpu/*.gp plot/load/*.gp whole/
	sed 's/Z,/.500Z,/g' report/findings.csv >expected.csv
	rm -r plot report
	sed -i -E 's/^([0-9-]{10}T[0-9:]{8})Z,/\1.500Z,/' parsed/*/*
	run -0 clusterp-report --cpus 4
	assert_output 'run N1 cpu saturated: 9.0 runnable tasks for 4 CPUs, 97.0 % busy, in 100 % of the samples (longest stretch 02:40:00-02:44:50)'
	diff -u expected.csv report/findings.csv
	run -0 clusterp-plot -t clock -f svg
	assert_output 'clusterp-plot: made 21 of 21 plots under '\''plot'\'''
	# Every time in the views' data half a second later, every value the same.
	at() { SHIFT=$1 perl -pe 's/\b(1795\d{6}(?:\.\d+)?)\b/sprintf("%.3f", $1 + $ENV{SHIFT})/ge' "$2"; }
	for gp in whole/*.gp; do
		diff -u <(at 0.5 "$gp") <(at 0 plot/*/"${gp#whole/}")
	done
	run grep -l NaN plot/cpu/utilization_heatmap.gp plot/cpu/utilization_band.gp
	assert_failure 1
	grep -q '02:40:00.500Z' plot/index.html
}

# report_gpu HOST GPU [COLUMN=SPEC]...: a busy H100-like GPU (a kernel
# running all the time, SM clock at its 1980 MHz maximum; throttle 0, which
# is no reason's name: unknown) unless the SPECs say otherwise (report_csv's
# `none` leaves a column out, so the throttle word none is not planted here;
# tests/unit/contract_test reads it).
report_gpu() {
	report_csv gpu "$1" 30 "$2" util_pct=100 mem_used_pct=24 sm_clock_mhz=1980 sm_clock_max_mhz=1980 "${@:3}"
}

@test "report: gpu throttled names the host, the GPU and the reason from parsed/gpu; busy GPUs at full clock say nothing" {
	cd_workdir
	for h in n1 n2 n3; do report_host "$h" 30 40 1; done
	report_gpu n1 0
	report_gpu n1 1 sm_clock_mhz=1200 throttle=power
	report_gpu n2 0 throttle=thermal+hw_slowdown
	report_gpu n3 0 sm_clock_mhz=1300
	run -0 clusterp-report --cpus 4
	assert_output - <<-'OUT'
		run N1 gpu 1 throttled: its SM clock at 60.6 % of its maximum, slowed by its power limit (nvidia-smi's clock-event reasons), while busy (a kernel running at least 50 % of the time), in 100 % of the busy samples (longest stretch 02:40:00-02:44:50)
		run N2 gpu 0 throttled: its SM clock at 100.0 % of its maximum, slowed by heat and a hardware slowdown (nvidia-smi's clock-event reasons), while busy (a kernel running at least 50 % of the time), in 100 % of the busy samples (longest stretch 02:40:00-02:44:50)
		run N3 gpu 0 throttled: its SM clock at 65.7 % of its maximum (slow below 70 %), no clock-event reason given, while busy (a kernel running at least 50 % of the time), in 100 % of the busy samples (longest stretch 02:40:00-02:44:50)
	OUT
	grep -q '^run,.*,n1,N1,gpu,1,gpu throttled,warning,60.606061,70,1.00,' report/findings.csv
}

@test "report: input bound names the host's top processes by CPU, the data loader among them" {
	cd_workdir
	report_host n1 30 30 1
	report_csv cpu n2 30 util_pct=30 busiest_core_pct=100
	report_gpu n1 0
	report_gpu n2 0 util_pct=6
	report_processes n2 30 '311,python3 loader.py,99.5,900,20480,0' '310,python3 train.py,12,4000,0,0'
	run -0 clusterp-report --cpus 4
	assert_line --index 0 --partial 'run N2 cpu single core bound: its busiest core 100.0 % busy'
	assert_line --index 1 'run N2 gpu 0 input bound: a kernel running 6.0 % of the time while the busiest CPU core is 100.0 % busy, in 100 % of the samples (longest stretch 02:40:00-02:44:50); top: python3 loader.py (pid 311) 99.5 % of 400 %; python3 train.py (pid 310) 12.0 % of 400 %'
}

@test "report: gpu control: busy GPUs, their clocks above 70 % of the maximum, within 20 points of each other, give no finding" {
	cd_workdir
	for h in n1 n2 n3; do report_host "$h" 30 40 1; done
	report_gpu n1 0
	report_gpu n1 1 util_pct=84
	report_gpu n2 0 sm_clock_mhz=1500
	report_gpu n3 0 util_pct=97 mem_used_pct=60
	run -0 clusterp-report --cpus 4
	assert_output 'no finding: no rule fired on 3 hosts in 1 phase'
}

@test "report: real captures (tests/fixtures/nvidia-smi, idle and under load, every driver) show no GPU throttled: an idle GPU's power reason is not judged" {
	cd_workdir
	local capture
	for capture in $(cd "$GPU_CAPTURES" && ls *.txt); do
		rm -rf parsed
		gpu_parsed "n1 n2 n3" 2 20 "$capture"
		run -0 clusterp-report -q
		refute_output --partial throttled
	done
	# The RTX 2080 Super's idle row gives power as a reason (its clock is
	# down, as an idle GPU's is); made busy, it is throttled.
	gpu_query_csv linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05.txt idle >idle.csv
	run -0 clusterp-parse -q --category gpu --host n1 idle.csv
	assert_line --index 1 --regexp ',0,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,765,2145,power$'
	rm -f parsed/gpu/*
	printf '%s\n' "${lines[0]}" >parsed/gpu/n1
	for s in 0 1 2 3; do
		awk -F, -v OFS=, -v s=$s '{ $1 = "2026-11-25T02:40:0" s "Z"; $2 = s; $7 = 97; print }' <<<"${lines[1]}"
	done >>parsed/gpu/n1
	run -0 clusterp-report -q
	assert_output --partial 'run n1 gpu 0 throttled: its SM clock at 35.7 % of its maximum, slowed by its power limit'
}

@test "report: gpu stall and gpu imbalance compare each GPU with the run's other GPUs, naming host, GPU index and phase" {
	cd_workdir
	for h in n1 n2 n3; do report_host "$h" 30 40 1; done
	report_gpu n1 0 util_pct=95
	report_gpu n1 1 util_pct=95
	report_gpu n2 0 util_pct=95
	report_gpu n2 1 util_pct=95:0@20
	report_gpu n3 0 util_pct=60
	report_gpu n3 1 util_pct=95
	run -0 clusterp-report --cpus 4
	assert_output - <<-'OUT'
		run N2 gpu 1 stall: a kernel running 95.0 % of the time, then 0.0 % from 02:43:20, while the median GPU went on, a kernel running 95.0 % of the time before and 95.0 % after, until 02:44:50
		run N3 gpu 0 imbalance: a kernel running 60.0 % of the time against 95.0 % on the median GPU (less work than the others)
	OUT
}

@test "report: every threshold rule_settings() knows is a key clusterp-report(1) documents" {
	run -0 sed -n 's/^ *{"\([a-z_]*\)", &S::.*/\1/p' "$ROOT/lib/report/rules.cpp"
	[ "${#lines[@]}" -ge 31 ]
	for key in "${lines[@]}"; do
		grep -q "^\.Cm $key\( \|$\)" "$ROOT/man/clusterp-report.1" || fail "'$key' is not in clusterp-report(1)"
	done
}
