#!/usr/bin/env python3
"""seed-plot.py: the seed clusterp's plotting approach (matplotlib, pandas,
one process per category, EPS at dpi=1500 with a tight bounding box, legend
outside on the right), reading the same parsed/ tree as clusterp-plot and
drawing the same plots: the peer of bench/30-plot.  Run in the directory
that holds parsed/; writes seed-plot/<category>/<name>.eps."""
import multiprocessing
import os

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

PLOTS = {
    "cpu": [("utilization", "CPU utilization", "CPU utilization (%)", "util_pct"),
            ("iowait", "CPU I/O wait", "I/O wait (%)", "iowait")],
    "memory": [("utilization", "Memory used", "Memory used (MiB)", "used_mib")],
    "swap": [("utilization", "Swap used", "Swap used (MiB)", "used_mib")],
    "disk": [("read", "read", "Read (MiB/s)", "read_mibps"),
             ("write", "write", "Write (MiB/s)", "write_mibps"),
             ("utilization", "utilization", "Utilization (%)", "util_pct")],
    "network": [("in", "in", "Received (MiB/s)", "rx_mibps"),
                ("out", "out", "Transmitted (MiB/s)", "tx_mibps")],
}
DEVICES = {"disk": ("device", ["sda", "sdb"]), "network": ("iface", ["eth0"])}


def figure(frames, column, title, ylabel, path):
    n = len(frames)
    fig = plt.figure()
    for i, (alias, frame) in enumerate(frames):
        # The seed's 0.1.4 colour rule.
        plt.plot(frame["elapsed"], frame[column], label=alias,
                 color="#%06X" % int(0xFFFFFF / n * i))
    plt.title(title)
    plt.xlabel("Total execution time (s)")
    plt.ylabel(ylabel)
    plt.legend(bbox_to_anchor=(1.04, 0.5), loc="center left", fancybox=True, shadow=True)
    fig.savefig(path, format="eps", dpi=1500, bbox_inches="tight")
    plt.close(fig)


def category(cat):
    src = os.path.join("parsed", cat)
    out = os.path.join("seed-plot", cat)
    os.makedirs(out, exist_ok=True)
    frames = [(h, pd.read_csv(os.path.join(src, h))) for h in sorted(os.listdir(src))]
    frames = [(f["alias"].iloc[0], f) for _, f in frames]
    if cat not in DEVICES:
        for name, title, ylabel, column in PLOTS[cat]:
            figure(frames, column, title, ylabel, os.path.join(out, name + ".eps"))
        return
    key, devices = DEVICES[cat]
    for dev in devices:
        sub = [(a, f[f[key] == dev]) for a, f in frames]
        for name, title, ylabel, column in PLOTS[cat]:
            figure(sub, column, "%s : %s" % (dev, title), ylabel, os.path.join(out, "%s_%s.eps" % (dev, name)))


if __name__ == "__main__":
    procs = [multiprocessing.Process(target=category, args=(c,)) for c in PLOTS]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    raise SystemExit(max(p.exitcode for p in procs))
