#!/usr/bin/env python3
"""Inflates a zlib stream from standard input with Python's zlib (which
checks the header and the Adler-32) and writes the bytes to standard output.
Used by Tests/QRCodeTests/RendererTests.swift."""
import sys
import zlib

sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))
