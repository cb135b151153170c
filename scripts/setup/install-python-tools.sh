#!/usr/bin/env bash
# Installs the Python packages the checks use (dev-time only), when missing.
set -euo pipefail
need=()
python3 -c "import openapi_spec_validator" 2>/dev/null || need+=(openapi-spec-validator)
python3 -c "import yaml" 2>/dev/null || need+=(PyYAML)
command -v schemathesis >/dev/null 2>&1 || need+=(schemathesis)
[ ${#need[@]} -eq 0 ] && exit 0
python3 -m pip install -q "${need[@]}"
