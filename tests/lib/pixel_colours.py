#!/usr/bin/env python3
"""pixel_colours.py SHOT.png RRGGBB...

Prints `RRGGBB N` for each colour: how many pixels of the screenshot
(SHOT.png, as tests/lib/browser.py takes it) are that colour, each channel
within 3 (anti-aliasing and blending round differently across Chromium
versions).  The PNG is decoded by heatmap_rows.read_png (no imaging library)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from heatmap_rows import read_png  # noqa: E402


def main(argv):
    width, _, step, rows = read_png(argv[1])
    wanted = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in argv[2:]]
    counts = [0] * len(wanted)
    for line in rows:
        for x in range(0, width * step, step):
            r, g, b = line[x], line[x + 1], line[x + 2]
            for k, (wr, wg, wb) in enumerate(wanted):
                if abs(r - wr) <= 3 and abs(g - wg) <= 3 and abs(b - wb) <= 3:
                    counts[k] += 1
    for colour, n in zip(argv[2:], counts):
        print(colour, n)


if __name__ == "__main__":
    main(sys.argv)
