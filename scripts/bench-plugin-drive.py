#!/usr/bin/env python3
"""Drives an external plugin over many periods exactly as the pinned protocol (version 1)
says the host does, timing the calls: bench-plugin.sh's stand-in for the exec host until
pioneer's own runs external plugins. Prints one JSON object: seconds per mode, the values.

    bench-plugin-drive.py PLUGIN SITE_DIR CONFIG_JSON BODIES_DIR FIRST_MONTH COUNT
"""
import calendar
import json
import os
import subprocess
import sys
import time

COOKIE = "d2a7c1e0-pioneer-indicator-plugin"


def months(first, count):
    year, month = (int(part) for part in first.split("-"))
    for _ in range(count):
        last = calendar.monthrange(year, month)[1]
        yield {"id": "%04d-%02d" % (year, month), "type": "month",
               "start": "%04d-%02d-01" % (year, month), "end": "%04d-%02d-%02d" % (year, month, last)}
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def call(plugin, site, request):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/"),
           "LANG": "C.UTF-8", "PIONEER_PLUGIN_PROTOCOL": "1", "PIONEER_PLUGIN_MAGIC_COOKIE": COOKIE}
    result = subprocess.run([plugin], input=json.dumps(request).encode(), cwd=site, env=env,
                            capture_output=True, timeout=60)
    if result.returncode != 0:
        sys.exit("bench-plugin: the plugin exited %d: %s" % (result.returncode, result.stderr.decode()[-400:]))
    answer = json.loads(result.stdout)
    if answer.get("protocol") != 1:
        sys.exit("bench-plugin: the plugin answered protocol %s" % answer.get("protocol"))
    return answer


def run(plugin, site, common, periods, bodies):
    """requests, then the bodies fetched (read from files), then observe: one call each for `periods`."""
    requested = call(plugin, site, dict(common, method="requests", periods=periods))["requests"]
    by_period = {period["id"]: dict(period, responses={}) for period in periods}
    for request in requested:
        path = os.path.join(bodies, "records-%s.json" % request["period"])
        with open(path, encoding="utf-8") as file:
            body = file.read()
        by_period[request["period"]]["responses"][request["key"]] = {
            "url": "http://%s.test%s" % (request["feed"], request["path"]), "status": 200,
            "content_type": "application/json", "body": body}
    observed = call(plugin, site, dict(common, method="observe", periods=list(by_period.values())))
    return observed["observations"]


def main():
    plugin, site, config, bodies, first, count = sys.argv[1:7]
    periods = list(months(first, int(count)))
    common = {"protocol": 1, "config": json.loads(config),
              "indicator": {"id": "bench", "name": "Bench", "kind": "outcome", "value_type": "count",
                            "unit": "records", "period": "month", "better": "lower", "decimals": 0},
              "site": {"id": "bench", "name": "Bench", "population": {"total": 1000}}}
    describe = call(plugin, site, {"protocol": 1, "method": "describe"})

    start = time.perf_counter()
    single = [run(plugin, site, common, [period], bodies)[0] for period in periods]
    per_period = time.perf_counter() - start

    start = time.perf_counter()
    batch = run(plugin, site, common, periods, bodies) if describe.get("batch") else single
    batched = time.perf_counter() - start

    if single != batch:
        sys.exit("bench-plugin: the batch and the single-period answers differ")
    print(json.dumps({"per_period_s": per_period, "batch_s": batched, "periods": len(periods),
                      "values": {o["period"]: o.get("value") for o in batch}}))


if __name__ == "__main__":
    main()
