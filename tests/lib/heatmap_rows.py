#!/usr/bin/env python3
"""heatmap_rows.py SHOT.png HEATMAP.svg LEFT TOP WIDTH

Reads the pixels of a screenshot (SHOT.png, as tests/lib/browser.py takes
it) down a vertical line through the middle of a heatmap's cells, where the
page showed HEATMAP.svg with its top left corner at LEFT,TOP and WIDTH
pixels wide, and prints one line per run of one colour, top to bottom:
`RRGGBB LENGTH`.  Crisp cells give one run per row (or per rows of equal
colour); a smoothed image gives runs of a pixel or two at every row
boundary, and a gap between rows shows as white.

The PNG is decoded here (zlib and the five PNG filters, 8-bit RGB or RGBA,
not interlaced: what Chromium writes), so that no imaging library is needed."""
import re
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("%s: not a PNG" % path)
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit("%s: only 8-bit RGB or RGBA, not interlaced" % path)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b = previous[i]
            c = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return width, height, step, rows


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 64
    shot, svg, left, top, shown = argv[0], argv[1], float(argv[2]), float(argv[3]), float(argv[4])
    text = open(svg).read()
    size = re.search(r"<svg[^>]*\swidth=\"([0-9.]+)\"", text) or re.search(r"<svg[^>]*\swidth='([0-9.]+)'", text)
    image = re.search(r"<image[^>]*x='([0-9.]+)' y='([0-9.]+)' width='([0-9.]+)' height='([0-9.]+)'", text)
    if not size or not image:
        raise SystemExit("%s: no svg width or no embedded image" % svg)
    scale = shown / float(size.group(1))
    x, y, w, h = (float(v) * scale for v in image.groups())
    width, height, step, rows = read_png(shot)
    column = int(left + x + w / 2)
    # A pixel in from each edge: the plot's border is drawn over the image.
    first, last = int(top + y) + 2, min(int(top + y + h) - 2, height - 1)
    runs = []
    for row in range(first, last + 1):
        pixel = bytes(rows[row][column * step:column * step + 3]).hex()
        if runs and runs[-1][0] == pixel:
            runs[-1][1] += 1
        else:
            runs.append([pixel, 1])
    for pixel, count in runs:
        print(pixel, count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
