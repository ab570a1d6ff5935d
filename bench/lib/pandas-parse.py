#!/usr/bin/python3
"""pandas-parse.py RAW OUT: the seed's approach to clusterp parse, for the
benchmark: every RAW/<category>/<host> read with pandas.read_csv (one frame
per block of sadf output: clusterp-stop writes the joined activities'
blocks before the category's own), the blocks joined by time (and
interface), the same derived columns as clusterp-parse computed, written to
OUT/<category>/<host>."""
import io
import os
import sys

import pandas as pd

raw, out = sys.argv[1], sys.argv[2]
jobs = [(c, h) for c in sorted(os.listdir(raw)) for h in sorted(os.listdir(os.path.join(raw, c)))]


def read_joined(path, keys):
    """The file's last block (the category's own activity) with the blocks
    before it joined on KEYS; restart records left out."""
    frames = []
    for part in open(path).read().split("# hostname;")[1:]:
        df = pd.read_csv(io.StringIO("hostname;" + part), sep=";")
        frames.append(df[df["interval"] > 0])
    df = frames[-1]
    for joined in frames[:-1]:
        df = df.merge(joined.drop(columns=["hostname", "interval"]), on=keys, how="left")
    return df


# First pass: the earliest first sample of all files (one timeline).
t0 = min(int(pd.read_csv(os.path.join(raw, c, h), sep=";", nrows=1)["timestamp"].iloc[0]) for c, h in jobs)
for c, h in jobs:
    df = read_joined(os.path.join(raw, c, h), ["timestamp", "IFACE"] if c == "network" else ["timestamp"])
    cores = None
    if c == "cpu":
        cores = df[df["CPU"] >= 0]
        df = df[df["CPU"] == -1].merge(
            (100 - cores["%idle"] - cores["%iowait"]).groupby(cores["timestamp"]).max().rename("busiest").reset_index(),
            on="timestamp", how="left")
    o = pd.DataFrame()
    o["time"] = pd.to_datetime(df["timestamp"], unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    o["elapsed"] = df["timestamp"] - t0
    o["host"] = h
    o["alias"] = h
    if c == "cpu":
        o["user"] = df["%usr"] + df["%guest"]
        o["nice"] = df["%nice"] + df["%gnice"]
        o["system"] = df["%sys"] + df["%irq"] + df["%soft"]
        for a, b in [("iowait", "%iowait"), ("steal", "%steal"), ("idle", "%idle")]:
            o[a] = df[b]
        o["util_pct"] = 100 - df["%idle"] - df["%iowait"]
        o["busiest_core_pct"] = df["busiest"]
        o["irq_pct"] = df["%irq"] + df["%soft"]
    elif c == "load":
        for a, b in [("runq", "runq-sz"), ("plist", "plist-sz"), ("ldavg1", "ldavg-1"), ("ldavg5", "ldavg-5"),
                     ("ldavg15", "ldavg-15"), ("blocked", "blocked"), ("cpu_some_pct", "%scpu-10"),
                     ("io_some_pct", "%sio-10"), ("io_full_pct", "%fio-10"), ("mem_some_pct", "%smem-10"),
                     ("mem_full_pct", "%fmem-10")]:
            o[a] = df[b]
    elif c == "memory":
        tot = df["kbmemfree"] + df["kbmemused"] + df["kbbuffers"] + df["kbcached"] + df["kbslab"]
        o["used_mib"] = (tot - df["kbavail"]) / 1024
        o["used_pct"] = 100 * (tot - df["kbavail"]) / tot
        o["avail_mib"] = df["kbavail"] / 1024
        o["buffers_mib"] = df["kbbuffers"] / 1024
        o["cached_mib"] = df["kbcached"] / 1024
        o["commit_pct"] = df["%commit"]
        o["majflt_ps"] = df["majflt/s"]
        o["pgscan_ps"] = df["pgscank/s"] + df["pgscand/s"]
        o["vmeff_pct"] = df["%vmeff"]
    elif c == "swap":
        o["used_mib"] = df["kbswpused"] / 1024
        o["used_pct"] = df["%swpused"]
        o["in_pps"] = df["pswpin/s"]
        o["out_pps"] = df["pswpout/s"]
    elif c == "disk":
        o["device"] = df["DEV"]
        o["device_alias"] = df["DEV"]
        o["tps"] = df["tps"]
        o["read_mibps"] = df["rkB/s"] / 1024
        o["write_mibps"] = df["wkB/s"] / 1024
        o["util_pct"] = df["%util"]
        o["await_ms"] = df["await"]
        o["aqu_sz"] = df["aqu-sz"]
        o["areq_kib"] = df["areq-sz"]
    elif c == "network":
        o["iface"] = df["IFACE"]
        o["iface_alias"] = df["IFACE"]
        o["rx_pps"] = df["rxpck/s"]
        o["tx_pps"] = df["txpck/s"]
        o["rx_mibps"] = df["rxkB/s"] / 1024
        o["tx_mibps"] = df["txkB/s"] / 1024
        o["util_pct"] = df["%ifutil"]
        for a, b in [("rxerr_ps", "rxerr/s"), ("txerr_ps", "txerr/s"), ("rxdrop_ps", "rxdrop/s"),
                     ("txdrop_ps", "txdrop/s")]:
            o[a] = df[b]
    os.makedirs(os.path.join(out, c), exist_ok=True)
    o.to_csv(os.path.join(out, c, h), index=False)
