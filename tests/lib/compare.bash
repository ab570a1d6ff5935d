# Helpers for the clusterp-compare suites: `load lib/compare` after
# lib/common.
#
# compose_run DEST [+SECONDS] HOST:WINDOW...: a run directory DEST whose
# host HOST has the rows of WINDOW (idle or write) of the real recording
# tests/fixtures/parsed/disk-window (see its README), alias the upper-case
# host.  Every window is 13 samples (1 s apart) from the start of its phase
# plus 2 s, moved onto one timeline that starts where the recording's
# `idle` window does (+SECONDS later, for a run made at another time);
# only `time`, `elapsed`, `host` and `alias` are rewritten, every value is
# the recording's.  No markers (write DEST/parsed/markers.csv for phases).
compose_run() {
	local dest=$1
	shift
	local later=0
	if [[ $1 == +* ]]; then later=${1#+}; shift; fi
	python3 - "$FIXTURES/parsed/disk-window/parsed" "$dest" "$later" "$@" <<-'PY'
		import csv, datetime, os, sys
		src, dest, later, specs = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
		windows = {"idle": 3, "write": 18}  # elapsed of each window's first sample
		length = 13
		def epoch(t):
		    return datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
		def iso(s):
		    d = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
		    return d.strftime("%Y-%m-%dT%H:%M:%S") + (".%03dZ" % round(d.microsecond / 1000) if d.microsecond else "Z")
		for category in sorted(os.listdir(src)):
		    if not os.path.isdir(os.path.join(src, category)):
		        continue
		    os.makedirs(os.path.join(dest, "parsed", category), exist_ok=True)
		    with open(os.path.join(src, category, "vm")) as f:
		        rows = list(csv.reader(f))
		    for spec in specs:
		        host, window = spec.split(":")
		        first = windows[window]
		        shift = windows["idle"] - first + later
		        with open(os.path.join(dest, "parsed", category, host), "w", newline="") as out:
		            w = csv.writer(out, lineterminator="\n")
		            w.writerow(rows[0])
		            for row in rows[1:]:
		                e = float(row[1])
		                if first <= e < first + length:
		                    e2 = e + shift - windows["idle"]
		                    w.writerow([iso(epoch(row[0]) + shift), ("%.3f" % e2).rstrip("0").rstrip("."), host, host.upper()] + row[4:])
	PY
}
