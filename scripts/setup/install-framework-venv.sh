#!/usr/bin/env bash
# Creates the virtualenv of the convention generators (scripts/golden/conventions_*.py) when it is
# missing or incomplete: TensorFlow (CPU), JAX (CPU) + flax, ONNX + onnxruntime, numpy.
# Dev-time only (make conventions-golden). VENV overrides the place (default .venv-frameworks in the current folder).
set -euo pipefail
VENV="${VENV:-.venv-frameworks}"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import tensorflow, jax, flax, onnx, onnxruntime, numpy" >/dev/null 2>&1; then
  "$VENV/bin/python" -m pip install -q tensorflow-cpu "jax[cpu]" flax onnx onnxruntime numpy
fi
"$VENV/bin/python" - <<'PY'
import importlib.metadata as m
print("framework venv:", ", ".join(f"{p} {m.version(p)}" for p in
      ("tensorflow-cpu", "jax", "jaxlib", "flax", "onnx", "onnxruntime", "numpy")))
PY
