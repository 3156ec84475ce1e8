#!/usr/bin/env python3
"""Packs a results folder into one input of fuzz/fuzz_results.cpp: per file one byte (which
file), four bytes of length (little-endian) and the bytes.
    scripts/fuzz-pack-results.py RESULTS_DIR OUT_FILE"""
import struct
import sys
from pathlib import Path

FILES = ["summary.json", "run.json", "occupancy.csv", "comparison.json", "config.toml",
         "equity.csv", "tornado.csv", "acceptability.csv"]

def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    blob = b""
    for i, name in enumerate(FILES):
        p = src / name
        if p.exists():
            data = p.read_bytes()
            blob += bytes([i]) + struct.pack("<I", len(data)) + data
    out.write_bytes(blob)

if __name__ == "__main__":
    main()
