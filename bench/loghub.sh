#!/usr/bin/env bash
# Grouping accuracy on Loghub-2k (one configuration for all 16 data sets) and
# fingerprint stability over four runs of 500 lines, scored by the scripts in
# ../shared/bench. The data stays in ../shared: it is for research use only.
# With DRAIN3_DIR set to a checkout of logpai/Drain3 (DRAIN3_PYTHON: a python
# with cachetools and jsonpickle), Drain3's generic configuration is scored
# the same way after it, for a side-by-side table.
# usage: bench/loghub.sh [BINARY]    (default build/gcp-log-gardener)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bin="$(bench_binary "${1:-}")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
export BIN="$bin" HERE="$here" WORK="$work"
bash "$shared/bench/loghub_eval_all.sh" '
  python3 "$HERE/loghub_content.py" "${LOG}_structured.csv" "$WORK/$DATASET.txt"
  "$BIN" cluster --input "$WORK/$DATASET.txt" --format lines --min-severity DEFAULT \
      --assignments "$WORK/$DATASET.assign.csv" -o /dev/null
  { echo LineId,ClusterId; tail -n +2 "$WORK/$DATASET.assign.csv"; } > "$OUT"'
mkdir -p "$work/stability"
python3 "$shared/bench/loghub_stability.py" "$bin" "$shared/benchmarks/loghub-2k" "$work/stability" | tail -n 1
if [ -n "${DRAIN3_DIR:-}" ]; then
  echo "Drain3, generic configuration:"
  export DRAIN3_DIR DRAIN3_PY="${DRAIN3_PYTHON:-python3}"
  bash "$shared/bench/loghub_eval_all.sh" '
    python3 "$HERE/loghub_content.py" "${LOG}_structured.csv" "$WORK/$DATASET.txt"
    "$DRAIN3_PY" "$HERE/drain3_run.py" "$WORK/$DATASET.txt" --assignments "$OUT" >/dev/null'
else
  echo "drain3: skipped (set DRAIN3_DIR to a checkout of logpai/Drain3)"
fi
