#!/usr/bin/env python3
"""Parses an SVG from standard input with Python's XML parser and
rasterises its filled paths onto the module grid, for
Tests/QRCodeTests/RendererTests.swift.

Understands the path commands our renderer may use (M/m, H/h, V/v, Z/z)
for axis-aligned shapes, filling each closed rectangle. Prints JSON:
    {"root", "width", "height", "viewBox", "background", "rows": ["0101..."]}
where rows are the viewBox grid, 1 = covered by a black path.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def rectangles(d):
    """Yields (x0, y0, x1, y1) for every closed subpath of the path."""
    tokens = re.findall(r"[MmHhVvZz]|-?\d+(?:\.\d+)?", d)
    x = y = 0.0
    points, i = [], 0
    while i < len(tokens):
        cmd = tokens[i]
        i += 1
        if cmd in "Zz":
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            if len(points) != 4:
                raise ValueError("subpath is not a rectangle: %r" % points)
            yield min(xs), min(ys), max(xs), max(ys)
            x, y = points[0]
            points = []
            continue
        if cmd in "Mm":
            nx, ny = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (nx, ny) if cmd == "M" else (x + nx, y + ny)
            points = [(x, y)]
        elif cmd in "Hh":
            value = float(tokens[i])
            i += 1
            x = value if cmd == "H" else x + value
            points.append((x, y))
        elif cmd in "Vv":
            value = float(tokens[i])
            i += 1
            y = value if cmd == "V" else y + value
            points.append((x, y))
        else:
            raise ValueError("unexpected token %r" % cmd)


def main():
    root = ET.fromstring(sys.stdin.read())
    _, _, width, height = (int(float(v)) for v in root.get("viewBox").split())
    grid = [[0] * width for _ in range(height)]
    background = None
    for element in root:
        if element.tag == NS + "rect":
            background = element.get("fill")
        elif element.tag == NS + "path" and element.get("fill") in ("#000", "#000000", "black"):
            for x0, y0, x1, y1 in rectangles(element.get("d")):
                for yy in range(int(y0), int(y1)):
                    for xx in range(int(x0), int(x1)):
                        grid[yy][xx] += 1
    print(json.dumps({"root": root.tag, "width": root.get("width"), "height": root.get("height"),
                      "viewBox": root.get("viewBox"), "background": background,
                      "rows": ["".join(str(v) for v in row) for row in grid]}))


main()
