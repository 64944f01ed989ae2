#!/usr/bin/env python3
"""A test plugin for pioneer's external plugin protocol, version 1.

Its first argument picks how it behaves, good or bad, so each protocol test runs the
real thing: `good`, `hang`, `crash`, `exit3`, `junk`, `flood`, `version2`, `badfeed`,
`orphan`, `both` (a value and not_available in one observation), `twice` (two observations
for each period), `repeatkey` (an observation that writes `value` twice), `observehang` (answers
`requests`, then hangs in `observe`), `waitpid` and `stubborn` (write their pid to PLUGIN_PID, then
hang in `observe`; `stubborn` ignores SIGTERM). `--batch` makes `describe` offer batches. Each start appends its method to
the file named by START_LOG, so tests count process starts.
"""
import json
import os
import signal
import subprocess
import sys
import time


def answer(fields, status=0):
    fields = dict(fields)
    fields.setdefault("protocol", 1)
    sys.stdout.write(json.dumps(fields))
    sys.stdout.flush()
    sys.exit(status)


def main():
    if os.environ.get("PIONEER_PLUGIN_MAGIC_COOKIE") != "d2a7c1e0-pioneer-indicator-plugin":
        sys.stderr.write("error: this is a pioneer plugin; run it from pioneer\n")
        sys.exit(2)
    mode = sys.argv[1] if len(sys.argv) > 1 else "good"
    batch = "--batch" in sys.argv
    request = json.load(sys.stdin)
    method = request["method"]
    if os.environ.get("START_LOG"):
        with open(os.environ["START_LOG"], "a") as log:
            log.write(method + "\n")

    if mode == "version2":
        answer({"protocol": 2, "error": "this plugin speaks protocol version 2 only"}, status=1)
    if request["protocol"] != 1:
        answer({"error": "unsupported protocol %s" % request["protocol"]}, status=1)

    if method == "describe":
        offered = ["validate", "requests"] if mode == "noobserve" else ["validate", "requests", "observe"]
        answer({"summary": "Test plugin (%s)" % mode, "batch": batch, "methods": offered})

    config = request["config"] or {}
    if method == "validate":
        issues = []
        if "feed" not in config:
            issues.append({"severity": "error", "key": "", "message": "say which feed to read with `feed:`"})
        if not str(config.get("path", "")).startswith("/"):
            issues.append({"severity": "error", "key": "path", "message": "the path must start with /"})
        if config.get("scale", 1) == 0:
            issues.append({"severity": "warning", "key": "scale", "message": "a scale of 0 makes every value 0"})
        answer({"issues": issues})

    periods = request["periods"]
    sys.stderr.write("info: %s for %d period(s)\n" % (method, len(periods)))
    if method == "requests":
        if mode == "hang":
            sys.stderr.write("warning: waiting for a lock that never comes\n")
            sys.stderr.flush()
            time.sleep(3600)
        feed = "warehouse" if mode == "badfeed" else config["feed"]
        if mode == "dupkey":
            # Two requests under one key: only one body could reach `observe`.
            answer({"requests": [
                {"period": p["id"], "key": "admissions", "feed": feed, "path": config["path"].replace("{period}", p["id"]) + extra}
                for p in periods for extra in ("", "&again=1")]})
        answer({"requests": [
            {"period": p["id"], "key": "admissions", "feed": feed, "path": config["path"].replace("{period}", p["id"])}
            for p in periods]})

    if method == "observe":
        if mode == "observehang":
            time.sleep(3600)
        if mode in ("waitpid", "stubborn"):
            # Says it is running (its pid in the file PLUGIN_PID names), then waits: `stubborn`
            # ignores SIGTERM, as a plugin stuck in a library call might.
            if mode == "stubborn":
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
            with open(os.environ["PLUGIN_PID"], "w") as out:
                out.write(str(os.getpid()))
            time.sleep(3600)
        if mode == "crash":
            sys.stderr.write("error: about to fall over\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        if mode == "exit3":
            sys.stderr.write("error: the extract has no `month` column\n")
            sys.exit(3)
        if mode == "junk":
            print("Traceback? no: just some words, not JSON")
            sys.exit(0)
        if mode == "flood":
            chunk = b"x" * (1 << 20)
            for _ in range(100):
                sys.stdout.buffer.write(chunk)
            sys.exit(0)
        if mode == "orphan":
            child = subprocess.Popen(["sleep", "300"])
            with open(os.environ["CHILD_PID"], "w") as out:
                out.write(str(child.pid))
        observations = []
        for p in periods:
            response = p["responses"]["admissions"]
            if "body_file" in response:
                # Declared `bodies: file`: the body is in a file, named beside its size.
                with open(response["body_file"], "rb") as file:
                    text = file.read()
                if len(text) != response["body_size"]:
                    answer({"error": "body_size %s but the file holds %d bytes" % (response["body_size"], len(text))})
                with open(os.environ["START_LOG"] + ".bodies", "a") as out:
                    out.write(response["body_file"] + "\n")
                body = json.loads(text)
            else:
                body = json.loads(response["body"])
            value = body["value"] * float(config.get("scale", 1))
            observations.append({"period": p["id"], "value": value, "numerator": value, "denominator": 1000, "n": 1000})
            if mode == "both":
                observations[-1]["not_available"] = "the extract was late"
            if mode == "twice":
                observations.append({"period": p["id"], "value": value + 1})
        if mode == "repeatkey":
            # json.dumps cannot write a key twice: the answer is written by hand.
            text = ", ".join('{"period": "%s", "value": 1, "value": 99}' % p["id"] for p in request["periods"])
            sys.stdout.write('{"protocol": 1, "observations": [%s]}' % text)
            sys.stdout.flush()
            sys.exit(0)
        answer({"observations": observations})

    answer({"error": "unknown method %s" % method}, status=1)


main()
