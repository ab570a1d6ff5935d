#!/usr/bin/python3
"""pandas-parse.py RAW OUT: the seed's approach to clusterp parse, for the
benchmark: every RAW/<category>/<host> read with pandas.read_csv, the same
derived columns as clusterp-parse computed, written to OUT/<category>/<host>."""
import os
import sys

import pandas as pd

raw, out = sys.argv[1], sys.argv[2]
jobs = [(c, h) for c in sorted(os.listdir(raw)) for h in sorted(os.listdir(os.path.join(raw, c)))]
# First pass: the earliest first sample of all files (one timeline).
t0 = min(int(pd.read_csv(os.path.join(raw, c, h), sep=";", nrows=1)["timestamp"].iloc[0]) for c, h in jobs)
for c, h in jobs:
    df = pd.read_csv(os.path.join(raw, c, h), sep=";")
    df.columns = [x.lstrip("# ") for x in df.columns]
    df = df[df["interval"] > 0]
    o = pd.DataFrame()
    o["time"] = pd.to_datetime(df["timestamp"], unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    o["elapsed"] = df["timestamp"] - t0
    o["host"] = h
    o["alias"] = h
    if c == "cpu":
        df = df[df["CPU"] == -1]
        for a, b in [("user", "%user"), ("nice", "%nice"), ("system", "%system"), ("iowait", "%iowait"),
                     ("steal", "%steal"), ("idle", "%idle")]:
            o[a] = df[b]
        o["util_pct"] = 100 - df["%idle"] - df["%iowait"]
    elif c == "memory":
        tot = df["kbmemfree"] + df["kbmemused"] + df["kbbuffers"] + df["kbcached"] + df["kbslab"]
        o["used_mib"] = (tot - df["kbavail"]) / 1024
        o["used_pct"] = 100 * (tot - df["kbavail"]) / tot
        o["avail_mib"] = df["kbavail"] / 1024
        o["buffers_mib"] = df["kbbuffers"] / 1024
        o["cached_mib"] = df["kbcached"] / 1024
        o["commit_pct"] = df["%commit"]
    elif c == "swap":
        o["used_mib"] = df["kbswpused"] / 1024
        o["used_pct"] = df["%swpused"]
    elif c == "disk":
        o["device"] = df["DEV"]
        o["device_alias"] = df["DEV"]
        o["tps"] = df["tps"]
        o["read_mibps"] = df["rkB/s"] / 1024
        o["write_mibps"] = df["wkB/s"] / 1024
        o["util_pct"] = df["%util"]
        o["await_ms"] = df["await"]
    elif c == "network":
        o["iface"] = df["IFACE"]
        o["iface_alias"] = df["IFACE"]
        o["rx_pps"] = df["rxpck/s"]
        o["tx_pps"] = df["txpck/s"]
        o["rx_mibps"] = df["rxkB/s"] / 1024
        o["tx_mibps"] = df["txkB/s"] / 1024
        o["util_pct"] = df["%ifutil"]
    os.makedirs(os.path.join(out, c), exist_ok=True)
    o.to_csv(os.path.join(out, c, h), index=False)
