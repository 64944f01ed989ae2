#!/usr/bin/env bash
# Installs the Python packages Pioneer's tests use to check its output with real validators:
# jsonschema (JSON returns against schemas/return-v1.schema.json) and fhir.resources (FHIR
# returns, scripts/check-fhir.py), openapi-spec-validator (openapi/intake.yaml) and schemathesis
# (the intake API tested from openapi/intake.yaml). Safe to run repeatedly:
# pip is asked only when a package cannot be imported.
set -euo pipefail

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
    echo "error: $python not found; install Python 3 (apt-get install python3 python3-pip)" >&2
    exit 1
fi

# module to import → requirement to install
declare -A requirements=([jsonschema]="jsonschema>=4.18" [fhir.resources.R4B]="fhir.resources>=7.1"
                           [openapi_spec_validator]="openapi-spec-validator>=0.7" [schemathesis]="schemathesis>=4.0")
missing=()
for module in "${!requirements[@]}"; do
    if ! "$python" -c "import $module" 2>/dev/null; then
        missing+=("${requirements[$module]}")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "python packages: all present (${!requirements[*]})"
    exit 0
fi

if ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "error: $python has no pip; install it (apt-get install python3-pip) and run this again" >&2
    exit 1
fi
echo "python packages: installing ${missing[*]}"
# --break-system-packages: a Debian python refuses --user installs without it (PEP 668);
# older pips do not know the flag, so it is tried second.
"$python" -m pip install --user --quiet --disable-pip-version-check "${missing[@]}" 2>/dev/null \
    || "$python" -m pip install --user --quiet --disable-pip-version-check --break-system-packages "${missing[@]}"
