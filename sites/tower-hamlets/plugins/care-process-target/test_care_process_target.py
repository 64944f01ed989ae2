"""Tests of the `care-process-target` plugin, run as pioneer runs it: one JSON request on
stdin, one JSON answer on stdout. Run with `python3 -m unittest` in this folder."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.join(HERE, "care_process_target.py")
COOKIE = {"PIONEER_PLUGIN_PROTOCOL": "1", "PIONEER_PLUGIN_MAGIC_COOKIE": "d2a7c1e0-pioneer-indicator-plugin"}
CONFIG = {"feed": "gp", "path": "/extracts/ltc-registers.csv?month={period}", "target": 0.75}
JUNE = {"id": "2025-06", "type": "month", "start": "2025-06-01", "end": "2025-06-30"}
JULY = {"id": "2025-07", "type": "month", "start": "2025-07-01", "end": "2025-07-31"}


def run(request, cookie=True):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if cookie:
        env.update(COOKIE)
    return subprocess.run([sys.executable, PLUGIN], input=json.dumps(request), env=env, cwd=HERE,
                          capture_output=True, text=True, timeout=30)


def call(method, **fields):
    request = {"protocol": 1, "method": method, "config": CONFIG,
               "indicator": {"id": "care-process-target", "value_type": "proportion", "period": "month"},
               "site": {"id": "tower-hamlets", "name": "Tower Hamlets", "population": {"total": 310300}}}
    request.update(fields)
    result = run(request)
    if result.returncode != 0:
        raise AssertionError("exit %d: %s" % (result.returncode, result.stderr))
    answer = json.loads(result.stdout)
    assert answer["protocol"] == 1, answer
    return answer


def extract(name, status=200):
    with open(os.path.join(HERE, "testdata", name), encoding="utf-8") as file:
        body = file.read()
    return {"url": "http://127.0.0.1:8470/tower-hamlets/gp/extracts/ltc-registers.csv?month=2025-06",
            "status": status, "content_type": "text/csv", "body": body}


def with_responses(period, response):
    return dict(period, responses={"registers": response})


class CareProcessTargetTests(unittest.TestCase):
    def test_describe_offers_batches_and_every_method(self):
        answer = call("describe")
        self.assertTrue(answer["batch"])
        self.assertEqual(answer["methods"], ["validate", "requests", "observe"])
        self.assertIn("care processes", answer["summary"])

    def test_a_good_configuration_has_no_issues(self):
        self.assertEqual(call("validate")["issues"], [])

    def test_a_misspelt_key_and_a_target_given_in_percent_are_errors_at_their_keys(self):
        answer = call("validate", config={"feed": "gp", "path": "/x", "traget": 0.8, "target": 75})
        keys = {issue["key"]: issue["message"] for issue in answer["issues"]}
        self.assertEqual(keys["traget"], "unknown key `traget` (did you mean `target`?)")
        self.assertIn("between 0 and 1 (0.75 for 75%)", keys["target"])
        self.assertTrue(all(issue["severity"] == "error" for issue in answer["issues"]))

    def test_requests_name_the_extract_of_each_period_in_the_batch(self):
        answer = call("requests", periods=[JUNE, JULY])
        self.assertEqual(answer["requests"], [
            {"period": "2025-06", "key": "registers", "feed": "gp", "path": "/extracts/ltc-registers.csv?month=2025-06"},
            {"period": "2025-07", "key": "registers", "feed": "gp", "path": "/extracts/ltc-registers.csv?month=2025-07"},
        ])

    def test_half_the_practices_meet_the_target_in_june(self):
        observation = call("observe", periods=[with_responses(JUNE, extract("ltc-registers-2025-06.csv"))])["observations"][0]
        self.assertEqual(observation["period"], "2025-06")
        self.assertEqual((observation["value"], observation["numerator"], observation["denominator"], observation["n"]),
                         (0.5, 4, 8, 8))
        self.assertAlmostEqual(observation["interval"]["lower"], 0.2152, places=4)
        self.assertAlmostEqual(observation["interval"]["upper"], 0.7848, places=4)

    def test_practices_below_the_minimum_register_are_left_out(self):
        config = dict(CONFIG, minimum_register=500)
        observation = call("observe", config=config,
                           periods=[with_responses(JUNE, extract("ltc-registers-2025-06.csv"))])["observations"][0]
        self.assertEqual((observation["numerator"], observation["denominator"]), (4, 5))

    def test_no_practice_large_enough_is_not_available_with_the_reason(self):
        config = dict(CONFIG, minimum_register=5000)
        observation = call("observe", config=config,
                           periods=[with_responses(JUNE, extract("ltc-registers-2025-06.csv"))])["observations"][0]
        self.assertEqual(observation, {"period": "2025-06", "not_available": "no practice has a register of 5000 or more"})

    def test_an_unreadable_number_fails_that_period_naming_the_row_and_column(self):
        answer = call("observe", periods=[with_responses(JUNE, extract("ltc-registers-2025-06.csv")),
                                          with_responses(JULY, extract("ltc-registers-unreadable.csv"))])
        good, bad = answer["observations"]
        self.assertEqual(good["value"], 0.5)
        self.assertIn("row 2: `diabetes_all_8_care_processes` should be a whole number, found `n/a`", bad["error"])

    def test_a_renamed_column_fails_naming_the_columns_there_are(self):
        config = dict(CONFIG, register_column="dm_register")
        observation = call("observe", config=config,
                           periods=[with_responses(JUNE, extract("ltc-registers-2025-06.csv"))])["observations"][0]
        self.assertIn("has no `dm_register` column; its columns are `month`, `practice_code`", observation["error"])

    def test_an_http_error_fails_the_period_naming_the_url(self):
        observation = call("observe", periods=[with_responses(JUNE, extract("ltc-registers-2025-06.csv", status=503))])["observations"][0]
        self.assertEqual(observation["error"],
                         "http://127.0.0.1:8470/tower-hamlets/gp/extracts/ltc-registers.csv?month=2025-06 answered HTTP 503")

    def test_another_protocol_version_gets_an_answer_naming_both(self):
        result = run({"protocol": 2, "method": "describe"})
        answer = json.loads(result.stdout)
        self.assertEqual(answer["protocol"], 1)
        self.assertIn("speaks protocol version 1; the request is version 2", answer["error"])

    def test_run_by_hand_it_says_to_run_it_from_pioneer(self):
        result = run({"protocol": 1, "method": "describe"}, cookie=False)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn("run it from pioneer", result.stderr)


if __name__ == "__main__":
    unittest.main()
