#!/usr/bin/env bash
# Measure the wildlife pack on the labelled real listings (../shared/data/real, evaluation only;
# the data is not redistributed). See docs/quality.md. All arguments go to quality_eval.py:
#   scripts/quality_eval.sh --tusk build/bin/tusk [--pack DIR] [--details leather.dev] [--floor shark.held.f1=0.8]
# Exit status: 0 measured, 1 a --floor failed, 2 usage or tool error, 77 no data (skipped).
set -euo pipefail
exec python3 "$(dirname "$0")/quality_eval.py" "$@"
