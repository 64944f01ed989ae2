#!/usr/bin/env python3
"""Writes the aggregate benchmark's returns: SITES sites x PERIODS monthly returns, each with
INDICATORS indicators (proportions, rates per 1,000 and counts), signed as pioneer signs them:
SHA-256 over the canonical JSON (sorted keys, no whitespace, `/` unescaped, whole numbers
without a decimal point), so `pioneer aggregate` accepts every one.

usage: bench-aggregate-generate.py FOLDER [SITES INDICATORS PERIODS]
"""
import hashlib
import json
import os
import random
import sys


def number(value):
    # Swift's JSONEncoder writes a whole Double without ".0"; Python writes 50.0.
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def definition_version(definition):
    # As pioneer versions a definition: the first 12 hex digits of the SHA-256 of its meaning's
    # fields (the factor left out when there is none), as canonical JSON. `aggregate` rejects a
    # return whose definitions do not hash to their versions.
    fields = ["id", "name", "kind", "valueType", "unit", "factor", "better", "decimals"]
    meaning = {key: definition[key] for key in fields if key in definition}
    return hashlib.sha256(canonical(meaning).encode()).hexdigest()[:12]


def month(index):
    year, month0 = divmod(2023 * 12 + 3 + index, 12)  # April 2023 onwards
    month1 = month0 + 1
    days = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month0]
    return {"label": f"{year}-{month1:02d}", "type": "month",
            "start": f"{year}-{month1:02d}-01", "end": f"{year}-{month1:02d}-{days:02d}"}


def main():
    folder = sys.argv[1]
    sites = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    indicators = int(sys.argv[3]) if len(sys.argv) > 3 else 150
    periods = int(sys.argv[4]) if len(sys.argv) > 4 else 36
    random.seed(20260301)
    kinds = ["proportion", "rate", "count"]
    definitions = []
    for i in range(indicators):
        value_type = kinds[i % 3]
        definitions.append({
            "id": f"indicator-{i + 1:03d}", "name": f"Indicator {i + 1}", "kind": "outcome", "valueType": value_type,
            "unit": {"proportion": "%", "rate": "per 1,000", "count": "people"}[value_type],
            "better": "higher", "decimals": 1,
            **({"factor": 1000} if value_type == "rate" else {}),
        })
        definitions[-1]["definitionVersion"] = definition_version(definitions[-1])
    for s in range(sites):
        site = f"site-{s + 1:02d}"
        size = random.randint(2_000, 200_000)
        folder_site = os.path.join(folder, site)
        os.makedirs(folder_site, exist_ok=True)
        for p in range(periods):
            period = month(p)
            made = f"{int(period['end'][:4]) + (1 if period['end'][5:7] == '12' else 0)}-{(int(period['end'][5:7]) % 12) + 1:02d}-10T09:00:00.000Z"
            entries = []
            for d in definitions:
                if d["valueType"] == "proportion":
                    den = random.randint(50, 2_000)
                    num = random.randint(0, den)
                    measure = {"value": number(num / den), "numerator": num, "denominator": den}
                elif d["valueType"] == "rate":
                    num = random.randint(0, size // 50)
                    measure = {"value": number(num / size * 1000), "numerator": num, "denominator": size}
                else:
                    measure = {"value": random.randint(0, 5_000)}
                measure["period"] = period
                measure["provenance"] = {
                    "plugin": "json", "runId": p + 1, "collectedAt": made,
                    "sources": [{"feed": "bi", "url": f"http://127.0.0.1:8470/{site}/bi/{d['id']}?month={period['label']}",
                                 "fetchedAt": made, "contentHash": "sha256:" + "0" * 64, "status": 200}],
                }
                entries.append({**d, "measures": [measure]})
            content = {
                "schemaVersion": 1, "generator": {"name": "pioneer", "version": "0.1.0"},
                "site": {"id": site, "name": f"Site {s + 1}", "region": "England", "wave": "1"},
                "period": period, "generatedAt": made, "complete": True, "missing": [],
                "indicators": entries, "goals": [],
                "runs": [{"id": p + 1, "startedAt": made, "finishedAt": made, "status": "finished", "periods": period["label"]}],
            }
            digest = hashlib.sha256(canonical(content).encode()).hexdigest()
            content["digest"] = {"algorithm": "sha256", "value": digest}
            with open(os.path.join(folder_site, f"{period['label']}.json"), "w") as handle:
                handle.write(canonical(content))


if __name__ == "__main__":
    main()
