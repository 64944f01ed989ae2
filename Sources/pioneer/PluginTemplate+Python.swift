// The files `pioneer plugin new --python` writes, into <site>/plugins/<name>/. Placeholders such as
// __NAME__ are filled in by PluginScaffold; the texts live here so the binary needs no files beside it.

extension PluginTemplate {
    /// The Python plugin's files.
    static let python: [PluginTemplate] = [
        PluginTemplate(path: "__MODULE__.py", executable: true, text: ##"""
#!/usr/bin/env python3
"""The `__NAME__` indicator plugin: sums a number over the records of a JSON feed.

A Pioneer external plugin (protocol 1, docs/plugin-protocol.md): pioneer sends one JSON
request on stdin and reads one JSON answer on stdout; lines on stderr are its log.
Python 3.8+, standard library only. Scaffolded by `pioneer plugin new __NAME__ --python`:
change `observe_period` to compute your indicator, and `SETTINGS` to the keys it reads.
"""
import base64
import difflib
import json
import os
import sys

PROTOCOL = 1
MAGIC_COOKIE = "d2a7c1e0-pioneer-indicator-plugin"
SUMMARY = "Sums a number over the records of a JSON feed (scaffolded; say what yours computes)."

# The keys `config:` may hold, and their defaults (None: required).
SETTINGS = {"feed": None, "path": None, "records": "records", "field": None}


class PeriodError(Exception):
    """The data cannot be read: that period fails with this message."""


def config_issues(config):
    """Every problem with `config:`, each at its key (pioneer shows it at that line)."""
    if not isinstance(config, dict):
        return [{"severity": "error", "key": "", "message": "expected a mapping of settings"}]
    issues = []
    for key in config:
        if key not in SETTINGS:
            close = difflib.get_close_matches(key, SETTINGS, n=1)
            hint = " (did you mean `%s`?)" % close[0] if close else ""
            issues.append({"severity": "error", "key": key, "message": "unknown key `%s`%s" % (key, hint)})
    for key, default in SETTINGS.items():
        if default is None and not isinstance(config.get(key), str):
            issues.append({"severity": "error", "key": key, "message": "missing required key `%s`" % key})
    return issues


def fill(template, period):
    """A path with `{period}`, `{period.start}` and `{period.end}` filled in."""
    return (template.replace("{period.start}", period["start"])
            .replace("{period.end}", period["end"])
            .replace("{period}", period["id"]))


def body_text(response):
    """A response's body as text: in the request as `body` (UTF-8 text) or `body_base64` (any
    other bytes), or, when the site declares the plugin with `bodies: file`, in the file
    `body_file` names (for an extract too large for a request; read a large one a line at a
    time rather than whole, as here for brevity)."""
    url = response.get("url", "the feed")
    if "body_file" in response:
        with open(response["body_file"], "rb") as file:
            raw = file.read()
    elif "body_base64" in response:
        raw = base64.b64decode(response["body_base64"])
    else:
        return response.get("body", "")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PeriodError("the body of %s is not UTF-8 text (byte %d); ask for a UTF-8 export"
                          % (url, error.start))


def observe_period(period, config):
    """One period's observation from its responses: change this to compute your indicator."""
    response = period.get("responses", {}).get("records") or {}
    url = response.get("url", "the feed")
    if response.get("status") != 200:
        raise PeriodError("%s answered HTTP %s" % (url, response.get("status")))
    try:
        document = json.loads(body_text(response))
    except ValueError as error:
        raise PeriodError("%s is not JSON: %s" % (url, error))
    records = document
    for key in config["records"].split(".") if config["records"] else []:
        if not isinstance(records, dict) or key not in records:
            raise PeriodError("%s has no `%s`" % (url, config["records"]))
        records = records[key]
    if not isinstance(records, list):
        raise PeriodError("%s: `%s` should be a list of records" % (url, config["records"]))
    if not records:
        return {"period": period["id"], "not_available": "no records for the period", "n": 0}
    total = 0
    for number, record in enumerate(records, start=1):
        value = record.get(config["field"]) if isinstance(record, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise PeriodError("%s record %d: `%s` should be a number, found %s"
                              % (url, number, config["field"], json.dumps(value)))
        total += value
    return {"period": period["id"], "value": total, "n": len(records)}


def handle(request):
    """The answer to one request, without the protocol member."""
    method = request.get("method")
    if method == "describe":
        return {"summary": SUMMARY, "batch": True, "methods": ["validate", "requests", "observe"]}
    config = request.get("config") or {}
    if method == "validate":
        return {"issues": config_issues(config)}
    if config_issues(config):
        raise SystemExit("error: the configuration has errors; `pioneer validate` lists them")
    config = dict(SETTINGS, **config)
    periods = request.get("periods", [])
    if method == "requests":
        return {"requests": [{"period": period["id"], "key": "records", "feed": config["feed"],
                              "path": fill(config["path"], period)} for period in periods]}
    if method == "observe":
        observations = []
        for period in periods:
            try:
                observations.append(observe_period(period, config))
            except PeriodError as error:
                observations.append({"period": period["id"], "error": str(error)})
        return {"observations": observations}
    raise SystemExit("error: unknown method `%s`" % method)


def main():
    if os.environ.get("PIONEER_PLUGIN_MAGIC_COOKIE") != MAGIC_COOKIE:
        sys.stderr.write("error: this is a Pioneer indicator plugin; run it from pioneer, "
                         "or run its tests: python3 -m unittest\n")
        return 1
    try:
        request = json.load(sys.stdin)
    except ValueError as error:
        sys.stderr.write("error: the request is not JSON: %s\n" % error)
        return 1
    if request.get("protocol") != PROTOCOL:
        answer = {"error": "this plugin speaks protocol version %d; the request is version %s"
                  % (PROTOCOL, request.get("protocol"))}
    else:
        answer = handle(request)
    json.dump(dict({"protocol": PROTOCOL}, **answer), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""##),
        PluginTemplate(path: "test___MODULE__.py", executable: false, text: ##"""
"""Tests of the `__NAME__` plugin, run as pioneer runs it: one JSON request on stdin, one
JSON answer on stdout. Run `python3 -m unittest` in this folder."""
import base64
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "__MODULE__.py")
CONFIG = {"feed": "__FEED__", "path": "/__NAME__?month={period}", "records": "records", "field": "count"}
JUNE = {"id": "2026-06", "type": "month", "start": "2026-06-01", "end": "2026-06-30"}


def call(method, **fields):
    request = dict({"protocol": 1, "method": method, "config": CONFIG,
                    "indicator": {"id": "__NAME__", "value_type": "count", "period": "month"},
                    "site": {"id": "test-site", "name": "Test site", "population": {"total": 136000}}}, **fields)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PIONEER_PLUGIN_PROTOCOL": "1",
           "PIONEER_PLUGIN_MAGIC_COOKIE": "d2a7c1e0-pioneer-indicator-plugin"}
    result = subprocess.run([sys.executable, PLUGIN], input=json.dumps(request), env=env, cwd=HERE,
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise AssertionError("exit %d: %s" % (result.returncode, result.stderr))
    return json.loads(result.stdout)


def recorded(name, status=200):
    """A response as pioneer sends it, with a body recorded in testdata/."""
    with open(os.path.join(HERE, "testdata", name), encoding="utf-8") as file:
        return {"url": "http://__FEED__.test/__NAME__?month=2026-06", "status": status,
                "content_type": "application/json", "body": file.read()}


class PluginTests(unittest.TestCase):
    def test_describe(self):
        answer = call("describe")
        self.assertEqual(answer["protocol"], 1)
        self.assertEqual(answer["methods"], ["validate", "requests", "observe"])

    def test_the_sample_configuration_is_valid(self):
        self.assertEqual(call("validate")["issues"], [])

    def test_a_misspelt_key_is_an_error_with_a_suggestion(self):
        issues = call("validate", config=dict(CONFIG, feild="count"))["issues"]
        self.assertIn({"severity": "error", "key": "feild", "message": "unknown key `feild` (did you mean `field`?)"}, issues)

    def test_requests_fill_in_the_period(self):
        self.assertEqual(call("requests", periods=[JUNE])["requests"],
                         [{"period": "2026-06", "key": "records", "feed": "__FEED__", "path": "/__NAME__?month=2026-06"}])

    def test_observe_sums_the_field(self):
        period = dict(JUNE, responses={"records": recorded("records.json")})
        self.assertEqual(call("observe", periods=[period])["observations"],
                         [{"period": "2026-06", "value": 12, "n": 3}])

    def test_observe_reads_a_body_from_its_file(self):
        # As pioneer sends it to a plugin declared with `bodies: file`.
        path = os.path.join(HERE, "testdata", "records.json")
        response = {"url": "http://__FEED__.test/__NAME__?month=2026-06", "status": 200,
                    "content_type": "application/json", "body_file": path, "body_size": os.path.getsize(path)}
        period = dict(JUNE, responses={"records": response})
        self.assertEqual(call("observe", periods=[period])["observations"],
                         [{"period": "2026-06", "value": 12, "n": 3}])

    def test_observe_reads_a_body_sent_as_base64(self):
        # A body that is not UTF-8 comes as `body_base64`; UTF-8 bytes that way read the same.
        with open(os.path.join(HERE, "testdata", "records.json"), "rb") as file:
            encoded = base64.b64encode(file.read()).decode("ascii")
        response = {"url": "http://__FEED__.test/__NAME__?month=2026-06", "status": 200,
                    "content_type": "application/json", "body_base64": encoded}
        period = dict(JUNE, responses={"records": response})
        self.assertEqual(call("observe", periods=[period])["observations"],
                         [{"period": "2026-06", "value": 12, "n": 3}])
        latin1 = dict(response, body_base64=base64.b64encode("{\"ward\": \"Caf\u00e9\"}".encode("latin-1")).decode("ascii"))
        error = call("observe", periods=[dict(JUNE, responses={"records": latin1})])["observations"][0]["error"]
        self.assertIn("is not UTF-8 text", error)

    def test_an_http_error_fails_the_period(self):
        period = dict(JUNE, responses={"records": recorded("records.json", status=503)})
        self.assertIn("answered HTTP 503", call("observe", periods=[period])["observations"][0]["error"])


if __name__ == "__main__":
    unittest.main()
"""##),
        PluginTemplate(path: "testdata/records.json", executable: false, text: ##"""
{"records": [{"ward": "A", "count": 5}, {"ward": "B", "count": 4}, {"ward": "C", "count": 3}]}
"""##),
        PluginTemplate(path: "sample.yaml", executable: false, text: ##"""
- id: __NAME__
  name: __TITLE__
  kind: outcome
  value_type: count
  unit: records
  period: month
  better: lower
  decimals: 0
  plugin: __NAME__
  config:
    feed: __FEED__                        # a feed the site declares under `feeds:`
    path: /__NAME__?month={period}        # {period}, {period.start} and {period.end} are filled in
    records: records                      # the key of the list of records ("" for a list at the top)
    field: count                          # the number each record holds
"""##),
        PluginTemplate(path: "README.md", executable: false, text: ##"""
# `__NAME__`: sums a number over the records of a JSON feed

An external indicator plugin in Python 3 (standard library only), speaking Pioneer's plugin
protocol version 1 (docs/plugin-protocol.md in the Pioneer checkout). Scaffolded by
`pioneer plugin new __NAME__ --python`; change `observe_period` in `__MODULE__.py` to
compute your indicator, and this README to say what it computes.

| file | what it is |
|---|---|
| `__MODULE__.py` | the plugin |
| `test___MODULE__.py` | its tests: `python3 -m unittest` in this folder |
| `testdata/records.json` | a recorded feed body the tests use |
| `sample.yaml` | an indicator entry using the plugin |

## Configuration

Declare the plugin in the site's `site.yaml`, and name it in an indicator (`sample.yaml`):

<!-- snippet: fragment -->
```yaml
plugins:
  __NAME__:
    kind: exec
    command: plugins/__NAME__/__MODULE__.py
    deadline: 30
indicators:
__SAMPLE__
```

## Output

value = the sum of `field` over the records; n = the number of records. No records: not
available, "no records for the period".

## Errors

Each fails only that period: "URL answered HTTP 503", "URL is not JSON: ...", "URL has no
`records`", "URL record 2: `count` should be a number, found \"n/a\"".

## Try it

```sh
python3 -m unittest                          # in this folder
pioneer plugin test __NAME__ --site __SITE__ --config __SITE__/plugins/__NAME__/sample.yaml \
  --feed records=__SITE__/plugins/__NAME__/testdata/records.json --period 2026-06
```
"""##),
    ]
}
