#!/usr/bin/env python3
"""Writes the Fashion-MNIST subset bundled in dl4j-spectral-experiments: the first 10,000 training and
the first 2,000 test examples of the full dataset, as gzipped IDX files (gzip mtime 0, so the output
is byte-for-byte reproducible).

usage: make-fashion-mnist-subset.py [SOURCE_DIR] [TARGET_DIR]
  SOURCE_DIR  the full dataset, default /usr/share/datasets/fashion-mnist (Debian: dataset-fashion-mnist)
  TARGET_DIR  default src/main/resources/io/github/dl4jspectral/data/fashion-mnist-subset
"""
import gzip
import struct
import sys
from pathlib import Path

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
TARGET = Path(sys.argv[2] if len(sys.argv) > 2 else
              "src/main/resources/io/github/dl4jspectral/data/fashion-mnist-subset")
KEEP = {"train": 10_000, "t10k": 2_000}


def head(name, count):
    data = gzip.decompress((SOURCE / name).read_bytes())
    magic, total = struct.unpack(">II", data[:8])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * (dims - 1), data[8:4 + 4 * dims])
    record = 1
    for d in shape:
        record *= d
    header = struct.pack(">II", magic, count) + data[8:4 + 4 * dims]
    body = data[4 + 4 * dims: 4 + 4 * dims + count * record]
    (TARGET / name).write_bytes(gzip.compress(header + body, compresslevel=9, mtime=0))


TARGET.mkdir(parents=True, exist_ok=True)
for prefix, count in KEEP.items():
    head(f"{prefix}-images-idx3-ubyte.gz", count)
    head(f"{prefix}-labels-idx1-ubyte.gz", count)
