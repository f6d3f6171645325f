#!/usr/bin/env python3
"""Writes a diamonds-like CSV for README's worked example: a table with text columns and empty cells.

The columns are those of ggplot2's diamonds table (carat, cut, color, clarity, depth, table, price,
x, y, z), with cut, color and clarity as text and about 2% of the depth, table and color cells left
empty. The rows are synthetic, drawn from a seeded generator (the build machine reaches no dataset
host): price follows carat^1.7 with factors per cut, color and clarity and 10% log-normal noise, so
a good model's R^2 is bounded by that noise. Standard library only.

  python3 src/examples/diamonds.py --rows 20000 --seed 1 --out diamonds.csv
"""
import argparse
import math
import random

CUTS = [("Fair", 0.03, 0.80), ("Good", 0.09, 0.90), ("Very Good", 0.22, 1.00), ("Premium", 0.26, 1.06),
        ("Ideal", 0.40, 1.12)]
COLORS = [("D", 0.12, 1.25), ("E", 0.18, 1.18), ("F", 0.18, 1.10), ("G", 0.21, 1.02), ("H", 0.15, 0.92),
          ("I", 0.10, 0.84), ("J", 0.06, 0.76)]
CLARITIES = [("I1", 0.01, 0.55), ("SI2", 0.17, 0.75), ("SI1", 0.24, 0.88), ("VS2", 0.23, 1.00),
             ("VS1", 0.15, 1.10), ("VVS2", 0.09, 1.22), ("VVS1", 0.07, 1.32), ("IF", 0.04, 1.45)]


def draw(rng, levels):
    u, acc = rng.random(), 0.0
    for name, share, factor in levels:
        acc += share
        if u < acc:
            return name, factor
    return levels[-1][0], levels[-1][2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="diamonds.csv")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("carat,cut,color,clarity,depth,table,price,x,y,z\n")
        for _ in range(args.rows):
            carat = min(4.5, max(0.2, rng.lognormvariate(math.log(0.7), 0.55)))
            cut, cut_f = draw(rng, CUTS)
            color, color_f = draw(rng, COLORS)
            clarity, clarity_f = draw(rng, CLARITIES)
            depth = rng.gauss(61.7, 1.4)
            table = rng.gauss(57.5, 2.2)
            x = 6.45 * carat ** (1 / 3) * (1 + rng.gauss(0, 0.01))
            y = x * (1 + rng.gauss(0, 0.01))
            z = x * depth / 100
            price = 4200 * carat ** 1.7 * cut_f * color_f * clarity_f * math.exp(rng.gauss(0, 0.10))
            cells = [f"{carat:.2f}", cut, "" if rng.random() < 0.02 else color, clarity,
                     "" if rng.random() < 0.02 else f"{depth:.1f}", "" if rng.random() < 0.02 else f"{table:.0f}",
                     f"{price:.0f}", f"{x:.2f}", f"{y:.2f}", f"{z:.2f}"]
            f.write(",".join(cells) + "\n")


if __name__ == "__main__":
    main()
