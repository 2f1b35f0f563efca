#!/usr/bin/env python3
"""Checks PNG files with Python's own zlib, for Tests/QRCodeTests.

Usage: inspect_png.py FILE...
For each file prints one JSON object per line:
    {"file", "chunks": [names], "crc_ok": bool, "width", "height",
     "bit_depth", "color_type", "interlace", "filters": [distinct filter bytes],
     "rows": ["0101...", ...]}   (1 = white pixel, for 1-bit grayscale)
Any structural problem (bad signature, bad CRC, zlib error, wrong
scanline length) is reported in "error" instead.
"""
import json
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def inspect(path):
    data = open(path, "rb").read()
    if not data.startswith(SIGNATURE):
        return {"file": path, "error": "bad signature"}
    pos = len(SIGNATURE)
    chunks, idat, crc_ok, header = [], b"", True, None
    while pos < len(data):
        if pos + 8 > len(data):
            return {"file": path, "error": "truncated chunk header"}
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            crc_ok = False
        name = kind.decode("ascii")
        chunks.append(name)
        if name == "IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif name == "IDAT":
            idat += body
        pos += 12 + length
    if header is None:
        return {"file": path, "error": "no IHDR"}
    width, height, depth, color, compression, filtering, interlace = header
    try:
        raw = zlib.decompress(idat)  # checks the zlib header and Adler-32
    except zlib.error as error:
        return {"file": path, "error": "zlib: %s" % error}
    stride = 1 + (width * depth + 7) // 8
    if len(raw) != stride * height:
        return {"file": path, "error": "raw size %d, expected %d" % (len(raw), stride * height)}
    rows, filters = [], set()
    for y in range(height):
        line = raw[y * stride:(y + 1) * stride]
        filters.add(line[0])
        bits = "".join(format(byte, "08b") for byte in line[1:])
        rows.append(bits[:width] if depth == 1 else "")
    return {"file": path, "chunks": chunks, "crc_ok": crc_ok, "width": width,
            "height": height, "bit_depth": depth, "color_type": color,
            "compression": compression, "filter_method": filtering,
            "interlace": interlace, "filters": sorted(filters), "rows": rows,
            "trailing_bytes": len(data) - pos}


for path in sys.argv[1:]:
    print(json.dumps(inspect(path)))
