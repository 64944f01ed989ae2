#!/usr/bin/env python3
"""The SPC benchmark's comparison: the same XmR work as `pioneer spc --format csv`, in numpy.

Reads `series,index,value` CSV, puts each series in index order, computes the mean, limits
(screened moving ranges) and the four rules of NHSRplotthedots 0.2.2 for every series at once
(all series must have the same number of points, as the benchmark's do), and writes one CSV
row per point. Prints the seconds spent reading, computing and writing to stderr.

    scripts/bench-spc-numpy.py series.csv > out.csv
"""
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view as windows

RUN = TREND = 7


def part_of(ends: np.ndarray, length: int, n: int) -> np.ndarray:
    """Marks every point of each window whose flag is set (window j covers j..j+length-1)."""
    part = np.zeros((ends.shape[0], n), dtype=bool)
    for k in range(length):
        part[:, k:k + ends.shape[1]] |= ends
    return part


def analyse(y: np.ndarray):
    s, n = y.shape
    mean = y.mean(axis=1, keepdims=True)
    mr = np.abs(np.diff(y, axis=1))
    amr = mr.mean(axis=1, keepdims=True)
    keep = mr < 3.267 * amr
    kept = keep.sum(axis=1, keepdims=True)
    amr = np.where(kept > 0, (mr * keep).sum(axis=1, keepdims=True) / np.maximum(kept, 1), 0.0)
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    nl, nu = mean - 2 * (2.66 / 3) * amr, mean + 2 * (2.66 / 3) * amr

    side = np.sign(y - mean).astype(np.int8)
    outside = (y > upl) | (y < lpl)
    near = ~outside & ((y < nl) | (y > nu))

    w = windows(side, RUN, axis=1)
    run = part_of((w == w[..., :1]).all(axis=-1) & (w[..., 0] != 0), RUN, n)

    d = np.sign(np.diff(y, axis=1)).astype(np.int8)
    wd = windows(d, TREND - 1, axis=1)
    trend = part_of((wd == 1).all(axis=-1) | (wd == -1).all(axis=-1), TREND, n)
    right = np.concatenate([d, d[:, -1:]], axis=1)
    left = np.concatenate([np.zeros((s, 1), dtype=np.int8), d], axis=1)
    use_right = trend & np.concatenate([trend[:, 1:], np.zeros((s, 1), dtype=bool)], axis=1)
    rising = np.where(use_right, right, left) == 1

    ok = (np.abs(windows(side, 3, axis=1).sum(axis=-1)) == 3) & (windows(near, 3, axis=1).sum(axis=-1) >= 2)
    two3 = near & part_of(ok, 3, n)

    # 0 common, 1 outside, 2 trend, 3 two of three, 4 run; high: +1 / -1.
    rule = np.select([outside, trend, two3, run], [1, 2, 3, 4], 0)
    high = np.where(rule == 2, rising, side > 0)
    return mean[:, 0], lpl[:, 0], upl[:, 0], rule, high


def main() -> None:
    t0 = time.perf_counter()
    with open(sys.argv[1], "rb") as f:
        lines = f.read().splitlines()[1:]
    numbers = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, usecols=(1, 2))
    names = np.array([line.split(b",", 1)[0] for line in lines])
    ids, inverse = np.unique(names, return_inverse=True)
    order = np.lexsort((numbers[:, 0], inverse))
    counts = np.bincount(inverse)
    if counts.min() != counts.max():
        sys.exit("bench-spc-numpy: every series needs the same number of points")
    y = numbers[:, 1][order].reshape(len(ids), counts[0])
    index = numbers[:, 0][order].astype(np.int64).reshape(len(ids), counts[0])
    t1 = time.perf_counter()

    mean, lpl, upl, rule, high = analyse(y)
    t2 = time.perf_counter()

    rules = np.array(["", "outside_limits", "trend", "two_of_three", "run"])
    types = np.where(rule == 0, "common_cause", np.where(high, "special_cause_improvement", "special_cause_concern"))
    out = sys.stdout
    out.write("series,index,value,mean,lower_limit,upper_limit,point_type,special_cause,variation\n")
    for i, name in enumerate(ids):
        head = name.decode() + ","
        tail = f",{float(mean[i])!r},{float(lpl[i])!r},{float(upl[i])!r},"
        variation = types[i, -1]
        out.write("".join(
            f"{head}{k},{v!r}{tail}{t},{r},{variation}\n"
            for k, v, t, r in zip(index[i].tolist(), y[i].tolist(), types[i].tolist(), rules[rule[i]].tolist())))
    out.flush()
    t3 = time.perf_counter()
    print(f"numpy: read {t1 - t0:.3f} s, compute {t2 - t1:.3f} s, write {t3 - t2:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
