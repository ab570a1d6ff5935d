#!/usr/bin/env bats
# clusterp-parse --category gpu: nvidia-smi --query-gpu output, checked value
# by value against the seven real captures of tests/fixtures/nvidia-smi
# (idle and load); the fields start asks for, against each driver's
# --help-query-gpu (through the replaying nvidia-smi, which fails as the real
# one on a field its driver does not list); bad input.
load ../lib/common
load ../lib/gpu

setup() { cd_workdir; }

@test "parse gpu: every capture's query-gpu CSV, idle and load, gives the values it holds" {
	local n=0
	for capture in "$GPU_CAPTURES"/*.txt; do
		capture=${capture##*/}
		for state in idle load; do
			gpu_query_csv "$capture" "$state" >"q-$state.csv"
			clusterp-parse --category gpu --host n1 "q-$state.csv" >"out-$state.csv" 2>err || { cat err; return 1; }
			python3 - "q-$state.csv" "out-$state.csv" "$capture $state" <<-'PY'
				import csv, sys
				raw = [l.rstrip("\n").split(", ") for l in open(sys.argv[1]) if l.strip()]
				head = [h.split(" [")[0] for h in raw[0]]
				src = dict(zip(head, raw[1]))
				out = list(csv.DictReader(open(sys.argv[2])))
				assert len(out) == 1, (sys.argv[3], len(out))
				got = out[0]
				def num(field):
				    v = src[field]
				    if v.startswith("[") or v in ("N/A", ""):
				        return ""
				    return v.split(" ")[0]
				def same(column, want):
				    have = got[column]
				    ok = have == want if not want or not have else abs(float(have) - float(want)) < 1e-5
				    assert ok, "%s: %s is %r, the capture says %r" % (sys.argv[3], column, have, want)
				same("util_pct", num("utilization.gpu"))
				same("mem_util_pct", num("utilization.memory"))
				same("mem_used_mib", num("memory.used"))
				same("mem_total_mib", num("memory.total"))
				same("power_w", num("power.draw"))
				same("power_limit_w", num("enforced.power.limit"))
				same("temp_c", num("temperature.gpu"))
				same("sm_clock_mhz", num("clocks.current.sm"))
				same("sm_clock_max_mhz", num("clocks.max.sm"))
				used, total = num("memory.used"), num("memory.total")
				same("mem_used_pct", str(float(used) / float(total) * 100))
				assert got["gpu"] == src["index"] and got["gpu_alias"] == src["name"], sys.argv[3]
				assert got["host"] == "n1", got["host"]
				mask = int(src["clocks_event_reasons.active"], 16)
				words = [w for w, bits in (("power", 0x84), ("thermal", 0x60), ("hw_slowdown", 0x8)) if mask & bits]
				assert got["throttle"] == ("+".join(words) or "none"), (sys.argv[3], got["throttle"], mask)
				t = src["timestamp"].replace("/", "-").replace(" ", "T")
				assert got["time"] == t.rstrip("0").rstrip(".") + "Z" or got["time"] == t + "Z", (got["time"], t)
			PY
			n=$((n + 1))
		done
	done
	[ "$n" -eq 14 ]
}

@test "parse gpu: MIG GPUs have no utilization, said once; memory and power kept" {
	gpu_query_csv linux-x86_64__nvidia-h100-mig__590.48.01.txt load >mig.csv
	tail -n 1 mig.csv >>mig.csv
	run --separate-stderr clusterp-parse --category gpu mig.csv
	assert_success
	[ "$stderr" = "clusterp-parse: warning: mig.csv: GPU 0 is in MIG mode: nvidia-smi gives no utilization for it (its memory, power and clocks are kept)" ]
	[ "${#lines[@]}" -eq 3 ]
	[[ ${lines[1]} == *,mig.csv,0,NVIDIA\ H100\ 80GB\ HBM3,,,11125,81559,13.640432,433.78,700,53,1980,1980,none ]]
}

@test "parse gpu: fields in any order, with or without units, an older driver's names, headers repeated" {
	cat >a.txt <<-'EOF'
		clocks_throttle_reasons.active, power.limit, utilization.gpu, index, timestamp, name, memory.total, memory.used
		0x0000000000000024, 300.00 W, 97 %, 1, 2026/01/02 03:04:05.250, Tesla V100, 16384 MiB, 8192 MiB
		clocks_throttle_reasons.active, power.limit, utilization.gpu, index, timestamp, name, memory.total, memory.used
		0x0000000000000000, 300, [Unknown Error], 1, 2026/01/02 03:04:06.250, Tesla V100, 16384, [N/A]
	EOF
	run --separate-stderr clusterp-parse --category gpu --host g1 --alias first a.txt
	assert_success
	[ -z "$stderr" ]
	cat >expected <<-'EOF'
		time,elapsed,host,alias,gpu,gpu_alias,util_pct,mem_util_pct,mem_used_mib,mem_total_mib,mem_used_pct,power_w,power_limit_w,temp_c,sm_clock_mhz,sm_clock_max_mhz,throttle
		2026-01-02T03:04:05.250Z,0,g1,first,1,Tesla V100,97,,8192,16384,50,,300,,,,power+thermal
		2026-01-02T03:04:06.250Z,1,g1,first,1,Tesla V100,,,,16384,,,300,,,,none
	EOF
	printf '%s\n' "${lines[@]}" >out
	diff -u expected out
}

@test "parse gpu: gpu_alias names a GPU by host:index, then UUID, then index, then model; the model name otherwise" {
	cat >a.txt <<-'EOF'
		timestamp, index, uuid, name, utilization.gpu [%]
		2026/01/02 03:04:05.000, 0, GPU-aaaa, NVIDIA H100 80GB HBM3, 97 %
		2026/01/02 03:04:05.000, 1, GPU-bbbb, NVIDIA H100 80GB HBM3, 96 %
		2026/01/02 03:04:05.000, 2, GPU-cccc, NVIDIA H100 80GB HBM3, 95 %
		2026/01/02 03:04:05.000, 3, GPU-dddd, NVIDIA H100 80GB HBM3, 94 %
		2026/01/02 03:04:05.000, 4, GPU-eeee, Tesla V100, 93 %
	EOF
	cat >config.yml <<-'EOF'
		gpu_alias:
		    - NVIDIA H100 80GB HBM3: h100
		    - 1: second
		    - 2: third
		    - GPU-cccc: spare
		    - g1:0: loader
		    - g2:3: elsewhere
	EOF
	run --separate-stderr clusterp-parse --category gpu --host g1 a.txt
	assert_success
	[ -z "$stderr" ]
	printf '%s\n' "${lines[@]}" | cut -d, -f5,6 >out
	printf '%s\n' gpu,gpu_alias 0,loader 1,second 2,spare 3,h100 '4,Tesla V100' >expected
	diff -u expected out
	# Directory mode: the same, by the host's name.
	mkdir -p raw/gpu
	cp a.txt raw/gpu/g2
	run -0 clusterp-parse -q
	cut -d, -f5,6 parsed/gpu/g2 >out
	printf '%s\n' gpu,gpu_alias 0,h100 1,second 2,spare 3,elsewhere '4,Tesla V100' >expected
	diff -u expected out
	# An alias is checked as device aliases are.
	printf 'gpu_alias:\n    - 0: ../x\n' >config.yml
	run -78 clusterp-parse --category gpu --host g1 a.txt
}

@test "parse gpu: a truncated or garbled file: one line naming it and the cause, every good row kept; not nvidia-smi: 65" {
	gpu_query_csv "$GPU_H100" load >good.csv
	{ cat good.csv; tail -n 1 good.csv | cut -d, -f1-40; tail -n 1 good.csv; tail -n 1 good.csv | head -c 60; } >bad.csv
	run --separate-stderr clusterp-parse --category gpu bad.csv
	assert_success
	[ "$stderr" = "clusterp-parse: warning: bad.csv:3: a line of 40 fields where the header has $(head -n 1 good.csv | awk -F', ' '{print NF}'): skipped (and any more such lines)" ]
	[ "${#lines[@]}" -eq 3 ]
	printf 'Linux 6.1.0 (n1) \t12/08/2026\t_x86_64_\t(2 CPU)\n' >sar.txt
	run --separate-stderr clusterp-parse --category gpu sar.txt good.csv
	assert_failure 65
	[ "$stderr" = "clusterp-parse: 'sar.txt' is not nvidia-smi --query-gpu --format=csv output (no header line naming its fields)" ]
	[ "${#lines[@]}" -eq 2 ]
	printf 'index, utilization.gpu [%%]\n0, 5 %%\n' >notime.csv
	run --separate-stderr clusterp-parse --category gpu notime.csv
	assert_failure 65
	assert_equal "$stderr" "clusterp-parse: 'notime.csv':1: nvidia-smi output without a timestamp field (query it with --query-gpu=timestamp,...)"
}

@test "start's field choice: every driver of the captures takes the query (the replay fails on a field its driver lacks)" {
	"$UNIT_BIN/remote_command" start "$PWD" 1 gpu >start
	for capture in "$GPU_CAPTURES"/*.txt; do
		gpu_replay gpu "${capture##*/}"
		printf 't\nno\n' | PATH=$PWD/gpu:$PATH sh start >reply
		grep -q '^gpu_pid=' reply || { echo "${capture##*/}:"; cat reply; return 1; }
	done
	# Every field asked for is one the driver lists (quoted in its help).
	gpu_replay gpu "$GPU_H100"
	printf 't\nok\n' | PATH=$PWD/gpu:$PATH sh start >reply
	gpu=$(sed -n 's/^gpu_pid=//p' reply) pid=$(sed -n 's/^pid=//p' reply) dir=$(sed -n 's/^dir=//p' reply)
	query=$(tr '\0' '\n' <"/proc/$gpu/cmdline" | sed -n 's/^--query-gpu=//p')
	for field in ${query//,/ }; do
		grep -q "^\"$field\"\\|or \"$field\"" <(awk '/^# capabilities :: help-query-gpu/{s=1} /^# capabilities :: help-query-compute/{s=0} s' "$GPU_CAPTURES/$GPU_H100") ||
			{ echo "$field is not in the driver's help"; return 1; }
	done
	"$UNIT_BIN/remote_command" stop "$dir" "$pid" "gpu:$gpu" >stop
	printf 'ok\n' | sh stop >/dev/null
}
