#!/usr/bin/env python3
"""views-plot.py: the cluster views of clusterp-plot done the usual Python
way, the peer of bench/40-views: pandas reads every host's CSV of a
category, numpy reduces time to pixel columns by the max, orders the hosts
by their mean distance from the per-column median, matplotlib draws per
metric a heatmap (imshow, viridis, colour bar, host labels) and a band
(fill_between min-max and 10-90 %, the median, the 3 farthest hosts), PNG
at clusterp-plot's sizes; one process per category, as the seed did.  The
plots are those of bench/lib/seed-plot.py.  Run in the directory that holds
parsed/; writes views-plot/<category>/<name>_{heatmap,band}.png."""
import importlib.util
import multiprocessing
import os

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "seed_plot", os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed-plot.py"))
_seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_seed)
PLOTS, DEVICES = _seed.PLOTS, _seed.DEVICES

WIDTH = 1400   # clusterp-plot's width beyond 16 hosts
COLUMNS = 1240  # its pixel columns of cells at that width


def views(frames, column, title, ylabel, percent, out):
    labels = [a for a, _ in frames]
    x = frames[0][1]["elapsed"].to_numpy(float)
    n = max(len(f) for _, f in frames)
    m = np.full((len(frames), n), np.nan)
    for i, (_, f) in enumerate(frames):
        m[i, :len(f)] = f[column].to_numpy(float)
    cols = min(n, COLUMNS)
    starts = np.searchsorted(((np.arange(n) * cols) // n), np.arange(cols))
    cells = np.fmax.reduceat(m, starts, axis=1)
    q = np.nanpercentile(cells, [0, 10, 50, 90, 100], axis=0)
    score = np.nanmean(np.abs(cells - q[2]), axis=1)
    order = np.argsort(-score, kind="stable")
    x0, x1 = x[0], x[-1]

    rows = len(frames)
    height = (max(rows * 14, 300) if rows <= 64 else max(rows, 900)) + 170
    fig = plt.figure(figsize=(WIDTH / 100, height / 100), dpi=100)
    ax = fig.gca()
    image = ax.imshow(cells[order], aspect="auto", cmap="viridis", interpolation="nearest",
                      vmin=0, vmax=100 if percent else max(np.nanmax(cells), 1), extent=[x0, x1, rows - 0.5, -0.5])
    step = max(1, int(np.ceil(12 / max((height - 170) / rows, 1e-9))))
    ax.set_yticks(range(0, rows, step))
    ax.set_yticklabels([labels[order[i]] for i in range(0, rows, step)], fontsize=7)
    fig.colorbar(image, label=ylabel)
    ax.set_title(title + " (per host)")
    ax.set_xlabel("Elapsed time (s)")
    fig.savefig(out + "_heatmap.png")
    plt.close(fig)

    centres = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
    fig = plt.figure(figsize=(WIDTH / 100, 8), dpi=100)
    ax = fig.gca()
    ax.fill_between(centres, q[0], q[4], color="#c6dbef", label="min-max")
    ax.fill_between(centres, q[1], q[3], color="#6baed6", label="10-90 %")
    ax.plot(centres, q[2], color="#08306b", lw=2, label="median")
    for i in order[:3]:
        ax.plot(centres, cells[i], lw=1.5, label=labels[i])
    ax.set_title(title + " (cluster)")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("Elapsed time (s)")
    ax.legend(bbox_to_anchor=(1.02, 1), loc="upper left")
    fig.savefig(out + "_band.png")
    plt.close(fig)


def category(cat):
    src = os.path.join("parsed", cat)
    out = os.path.join("views-plot", cat)
    os.makedirs(out, exist_ok=True)
    frames = [pd.read_csv(os.path.join(src, h)) for h in sorted(os.listdir(src))]
    frames = [(f["alias"].iloc[0], f) for f in frames]
    if cat not in DEVICES:
        for name, title, ylabel, column in PLOTS[cat]:
            views(frames, column, title, ylabel, column.endswith("pct") or column == "iowait",
                  os.path.join(out, name))
        return
    key, devices = DEVICES[cat]
    for dev in devices:
        sub = [(a, f[f[key] == dev]) for a, f in frames]
        for name, title, ylabel, column in PLOTS[cat]:
            views(sub, column, "%s: %s" % (dev, title), ylabel, column.endswith("pct"),
                  os.path.join(out, "%s_%s" % (dev, name)))


if __name__ == "__main__":
    procs = [multiprocessing.Process(target=category, args=(c,)) for c in PLOTS]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    raise SystemExit(max(p.exitcode for p in procs))
