#!/usr/bin/env python3
"""Writes the SPC benchmark's input: SERIES series x POINTS points as `series,index,value` CSV.

Deterministic (a fixed seed): each series is noise around its own level, with a shift in
some and a drift in others, so every rule fires somewhere. Standard library only.

    scripts/bench-spc-generate.py 10000 60 > series.csv
"""
import random
import sys


def main() -> None:
    series = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    points = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    rng = random.Random(20261129)
    out = sys.stdout
    out.write("series,index,value\n")
    lines = []
    for s in range(series):
        level = rng.uniform(20, 200)
        spread = level * rng.uniform(0.02, 0.1)
        shape = s % 4
        for i in range(points):
            value = rng.gauss(level, spread)
            if shape == 1 and i >= points * 2 // 3:
                value += 2 * spread          # a shift: runs, two of three, points beyond a limit
            elif shape == 2:
                value += spread * 0.15 * i   # a drift: trends
            lines.append(f"s{s:05d},{i + 1},{value:.3f}\n")
        if len(lines) >= 65536:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


if __name__ == "__main__":
    main()
