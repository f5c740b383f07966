#!/usr/bin/env bash
# Run every check reader has: lint, then the whole test suite (unit, real
# espeak-ng into a PulseAudio null sink, Textual pilot and snapshots, tmux).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check reader tests benchmarks
exec .venv/bin/python -m pytest "$@"
