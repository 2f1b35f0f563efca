#!/usr/bin/env python3
"""Reference QR matrices from segno, for Tests/QRCodeTests/SegnoTests.swift.

Reads a JSON list of cases from standard input:
    [{"hex": "3031", "mode": "numeric", "version": 1, "error": "M", "mask": 2}, ...]
where "hex" is the payload bytes, "mode" is numeric, alphanumeric or byte.
Writes a JSON list with, per case, {"version", "error", "mask", "mode",
"matrix"}: the symbol without quiet zone as one string of '0'/'1' per row,
rows joined by '\n' (1 = dark).

With --iso-padding, segno's padding step is replaced by the rule of ISO/IEC
18004:2015 §7.4.10: zero bits are added only when the bit stream (after the
terminator) does not already end on a codeword boundary. segno 1.6.6 adds 8
zero bits (a whole 0x00 codeword) when it does, which shifts the pad
codewords 0xEC 0x11 by one. Both symbols decode to the same data (readers
ignore everything after the terminator), but they are not bit-identical;
libqrencode follows the standard there, as we do.

Errors (e.g. segno not installed) go to stderr with a non-zero exit
(3 when segno is missing).
"""
import json
import sys

try:
    import segno
except ImportError:
    sys.stderr.write("segno is not installed: pip install segno\n")
    sys.exit(3)


def iso_padding_bits(buff, version, length):
    """ISO 18004 §7.4.10: pad with 0 bits up to the next codeword boundary."""
    if version not in (segno.consts.VERSION_M1, segno.consts.VERSION_M3) and length % 8:
        buff.extend([0] * (8 - length % 8))


def main():
    if "--iso-padding" in sys.argv[1:]:
        from segno import encoder
        encoder.write_padding_bits = iso_padding_bits
    cases = json.load(sys.stdin)
    results = []
    for index, case in enumerate(cases):
        data = bytes.fromhex(case["hex"])
        # Numeric and alphanumeric payloads are ASCII text; byte payloads are
        # passed as bytes so segno does not re-encode them.
        content = data if case["mode"] == "byte" else data.decode("ascii")
        try:
            code = segno.make(content, error=case["error"], version=case["version"],
                              mode=case["mode"], mask=case["mask"], micro=False,
                              boost_error=False)
        except Exception as error:
            sys.stderr.write("case %d (%r): %s\n" % (index, case, error))
            sys.exit(1)
        matrix = "\n".join("".join("1" if module else "0" for module in row)
                           for row in code.matrix)
        results.append({"version": code.version, "error": code.error,
                        "mask": code.mask, "mode": code.mode,
                        "matrix": matrix})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
