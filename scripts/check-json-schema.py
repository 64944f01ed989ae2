#!/usr/bin/env python3
"""Validates JSON files against a JSON Schema (draft 2020-12) with the jsonschema package.

Usage: check-json-schema.py SCHEMA FILE...
Prints one line per error, `FILE: $.json.path: message`, and exits 1 when there is any;
the tests run it on every return they produce (scripts/install-python-packages.sh installs jsonschema).
"""
import json
import sys

from jsonschema import Draft202012Validator


def json_path(path):
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def main(arguments):
    if len(arguments) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(arguments[0], encoding="utf-8") as handle:
        schema = json.load(handle)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    failed = False
    for name in arguments[1:]:
        with open(name, encoding="utf-8") as handle:
            document = json.load(handle)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
            print(f"{name}: {json_path(error.absolute_path)}: {error.message}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
