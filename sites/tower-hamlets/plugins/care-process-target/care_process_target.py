#!/usr/bin/env python3
"""Tower Hamlets' `care-process-target` indicator: the share of GP practices where at least
a target share of the diabetes register received all eight NICE care processes.

A Pioneer external plugin (protocol 1, docs/plugin-protocol.md): pioneer sends one JSON
request on stdin and reads one JSON answer on stdout. Python 3.8+, standard library only.
The built-in `rate` plugin pools practices (sum over sum); the networks' contracts pay per
practice reaching the target, so this counts practices instead.
"""
import csv
import difflib
import io
import json
import math
import os
import sys

PROTOCOL = 1
MAGIC_COOKIE = "d2a7c1e0-pioneer-indicator-plugin"
SUMMARY = "Share of GP practices where a target share of the diabetes register had all eight care processes."

# The settings under `config:`, with their defaults (the GP extract's column names).
DEFAULTS = {
    "feed": None,
    "path": None,
    "target": 0.75,
    "minimum_register": 0,
    "practice_column": "practice_code",
    "register_column": "diabetes_register",
    "achieved_column": "diabetes_all_8_care_processes",
}
Z95 = 1.959964


class ExtractError(Exception):
    """The extract cannot be read: becomes that period's `error`."""


def answer(fields):
    json.dump(dict({"protocol": PROTOCOL}, **fields), sys.stdout)
    sys.stdout.write("\n")


def config_issues(config):
    """Every problem with `config:`, each at its key."""
    if not isinstance(config, dict):
        return [{"severity": "error", "key": "", "message": "expected a mapping of settings, e.g. `{ feed: gp, path: ... }`"}]
    issues = []
    for key in config:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(key, DEFAULTS, n=1)
            hint = " (did you mean `%s`?)" % close[0] if close else ""
            issues.append({"severity": "error", "key": key, "message": "unknown key `%s`%s" % (key, hint)})
    for key in ("feed", "path"):
        if not isinstance(config.get(key), str) or not config.get(key):
            issues.append({"severity": "error", "key": key, "message": "missing required key `%s`" % key})
    target = config.get("target", DEFAULTS["target"])
    if isinstance(target, bool) or not isinstance(target, (int, float)) or not 0 < target <= 1:
        issues.append({"severity": "error", "key": "target",
                       "message": "must be a share between 0 and 1 (0.75 for 75%%), found `%s`" % target})
    minimum = config.get("minimum_register", 0)
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0:
        issues.append({"severity": "error", "key": "minimum_register",
                       "message": "must be a whole number of patients, 0 or more, found `%s`" % minimum})
    return issues


def settings(config):
    merged = dict(DEFAULTS)
    merged.update(config)
    return merged


def fill(template, period):
    return (template.replace("{period.start}", period["start"])
            .replace("{period.end}", period["end"])
            .replace("{period}", period["id"]))


def read_extract(response):
    if response is None:
        raise ExtractError("pioneer sent no `registers` response")
    if response.get("status") != 200:
        raise ExtractError("%s answered HTTP %s" % (response.get("url"), response.get("status")))
    if "body" not in response:
        raise ExtractError("%s is not UTF-8 text" % response.get("url"))
    return list(csv.DictReader(io.StringIO(response["body"])))


def whole_number(row, column, line, url):
    text = (row.get(column) or "").strip()
    try:
        return int(text)
    except ValueError:
        raise ExtractError("%s row %d: `%s` should be a whole number, found `%s`" % (url, line, column, text))


def wilson(successes, trials):
    p = successes / trials
    scale = 1 + Z95 * Z95 / trials
    centre = (p + Z95 * Z95 / (2 * trials)) / scale
    half = Z95 / scale * math.sqrt(p * (1 - p) / trials + Z95 * Z95 / (4 * trials * trials))
    return {"lower": max(0.0, centre - half), "upper": min(1.0, centre + half)}


def observe(period, config):
    response = period.get("responses", {}).get("registers")
    url = (response or {}).get("url", "the extract")
    rows = read_extract(response)
    if not rows:
        return {"period": period["id"], "not_available": "the extract lists no practices"}
    for column in (config["practice_column"], config["register_column"], config["achieved_column"]):
        if column not in rows[0]:
            raise ExtractError("%s has no `%s` column; its columns are %s"
                               % (url, column, ", ".join("`%s`" % name for name in rows[0])))
    counted = meeting = 0
    for line, row in enumerate(rows, start=2):
        register = whole_number(row, config["register_column"], line, url)
        achieved = whole_number(row, config["achieved_column"], line, url)
        if register == 0 or register < config["minimum_register"]:
            continue
        counted += 1
        if achieved >= config["target"] * register:
            meeting += 1
    if counted == 0:
        return {"period": period["id"], "not_available": "no practice has a register of %d or more" % config["minimum_register"]}
    return {"period": period["id"], "value": meeting / counted, "numerator": meeting, "denominator": counted,
            "n": counted, "interval": wilson(meeting, counted)}


def main():
    if os.environ.get("PIONEER_PLUGIN_MAGIC_COOKIE") != MAGIC_COOKIE:
        sys.stderr.write("error: this is a Pioneer indicator plugin; run it from pioneer "
                         "(see README.md), or try `make test` in this folder\n")
        return 1
    try:
        request = json.load(sys.stdin)
    except ValueError as error:
        sys.stderr.write("error: the request is not JSON: %s\n" % error)
        return 1
    if request.get("protocol") != PROTOCOL:
        answer({"error": "this plugin speaks protocol version %d; the request is version %s" % (PROTOCOL, request.get("protocol"))})
        return 0
    method = request.get("method")
    if method == "describe":
        answer({"summary": SUMMARY, "batch": True, "methods": ["validate", "requests", "observe"]})
        return 0
    config = request.get("config") or {}
    if method == "validate":
        answer({"issues": config_issues(config)})
        return 0
    if config_issues(config):
        sys.stderr.write("error: the configuration has errors; `pioneer validate` lists them\n")
        return 1
    config = settings(config)
    periods = request.get("periods", [])
    if method == "requests":
        answer({"requests": [{"period": period["id"], "key": "registers", "feed": config["feed"],
                              "path": fill(config["path"], period)} for period in periods]})
        return 0
    if method == "observe":
        observations = []
        for period in periods:
            try:
                observations.append(observe(period, config))
            except ExtractError as error:
                observations.append({"period": period["id"], "error": str(error)})
        sys.stderr.write("info: observed %d period(s)\n" % len(observations))
        answer({"observations": observations})
        return 0
    sys.stderr.write("error: unknown method `%s`; this plugin answers describe, validate, requests and observe\n" % method)
    return 1


if __name__ == "__main__":
    sys.exit(main())
