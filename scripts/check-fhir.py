#!/usr/bin/env python3
"""Checks FHIR returns (`pioneer return --format fhir`) with the fhir.resources models.

Usage: check-fhir.py FILE...
Each file is parsed as a Bundle with fhir.resources.R4B (fhir.resources 7 and later ship R5
at the top level and R4B, whose Bundle and MeasureReport are R4's, under R4B; there is no
separate R4 package). Then every reference must resolve to an entry's fullUrl in the same
bundle, every MeasureReport's status and type must be R4 codes (the models take any code),
and every proportion's score (UCUM unit `1`) must be between 0 and 1.
Prints one line per problem, `FILE: message`, and exits 1 when there is any
(scripts/install-python-packages.sh installs fhir.resources).
"""
import json
import sys

from fhir.resources.R4B.bundle import Bundle


STATUSES = ("complete", "pending", "error")
TYPES = ("individual", "subject-list", "summary", "data-collection")


def references(value, path="$"):
    """Every `reference` string in a JSON value, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield path + ".reference", item
            else:
                yield from references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from references(item, f"{path}[{index}]")


def problems(document):
    try:
        Bundle.model_validate(document)
    except Exception as error:  # the library's message, whatever its type
        yield f"not a valid FHIR R4 Bundle: {error}"
        return
    entries = document.get("entry", [])
    full_urls = [entry.get("fullUrl") for entry in entries]
    for index, url in enumerate(full_urls):
        if not url:
            yield f"$.entry[{index}] has no fullUrl"
    if len(set(full_urls)) != len(full_urls):
        yield "two entries have the same fullUrl"
    known = set(full_urls)
    for path, reference in references(document):
        if reference not in known:
            yield f"{path}: {reference} is not the fullUrl of any entry in the bundle"
    for index, entry in enumerate(entries):
        resource = entry.get("resource", {})
        if resource.get("resourceType") != "MeasureReport":
            continue
        # Required bindings the models do not check (they take any code).
        for field, codes in (("status", STATUSES), ("type", TYPES)):
            if resource.get(field) not in codes:
                yield f"$.entry[{index}].resource.{field}: {resource.get(field)!r} is not one of {', '.join(codes)}"
        for number, group in enumerate(resource.get("group", [])):
            score = group.get("measureScore")
            if score and score.get("code") == "1" and not 0 <= score.get("value", 0) <= 1:
                yield f"$.entry[{index}].resource.group[{number}].measureScore: proportion {score['value']} is not between 0 and 1"


def main(arguments):
    if not arguments:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    failed = False
    for name in arguments:
        try:
            with open(name, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            print(f"{name}: cannot read it as JSON: {error}")
            failed = True
            continue
        for problem in problems(document):
            print(f"{name}: {problem}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
