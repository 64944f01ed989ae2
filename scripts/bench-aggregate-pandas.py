#!/usr/bin/env python3
"""The aggregate benchmark's comparison: the same pooling as `pioneer aggregate --period P`,
done by pandas over the same files, as an analyst would write it: read every return, one row
per indicator measure, keep the period, pool per indicator (sum of numerators / sum of
denominators x factor for proportions and rates, total for counts). Digests are not checked
(Python's JSON writer does not reproduce the canonical encoding pioneer digests).

usage: bench-aggregate-pandas.py FOLDER PERIOD  -> prints the pooled values as CSV
"""
import json
import os
import sys

import pandas as pd


def main():
    folder, period = sys.argv[1], sys.argv[2]
    rows = []
    for directory, _, names in os.walk(folder):
        for name in sorted(names):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(directory, name)) as handle:
                document = json.load(handle)
            site = document["site"]["id"]
            for indicator in document["indicators"]:
                for measure in indicator["measures"]:
                    rows.append((site, indicator["id"], indicator["valueType"], indicator.get("factor") or 1,
                                 measure["period"]["label"], measure.get("value"),
                                 measure.get("numerator"), measure.get("denominator")))
    frame = pd.DataFrame(rows, columns=["site", "indicator", "value_type", "factor", "period", "value", "numerator", "denominator"])
    frame = frame[frame["period"] == period]
    ratios = frame[frame["value_type"].isin(["proportion", "rate"])]
    pooled = ratios.groupby("indicator").agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                                             factor=("factor", "first"), sites=("site", "nunique"))
    pooled["value"] = pooled["numerator"] / pooled["denominator"] * pooled["factor"]
    totals = frame[frame["value_type"] == "count"].groupby("indicator").agg(value=("value", "sum"), sites=("site", "nunique"))
    result = pd.concat([pooled[["value", "sites"]], totals]).sort_index()
    result.to_csv(sys.stdout)


if __name__ == "__main__":
    main()
