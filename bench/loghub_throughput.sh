#!/usr/bin/env bash
# Lines per second of `cluster --format lines` on 1,000,000-line replicas of
# each Loghub-2k data set (its 2,000 messages repeated), one core, with the
# peak memory; side by side with BASE_BIN (a build of the previous commit)
# when set, and with Drain3 (its generic configuration, on the first
# DRAIN3_LINES lines, default 200,000) when DRAIN3_DIR points at a checkout of
# logpai/Drain3, else skipped with a message. CPU seconds (user + system) are
# printed next to the wall clock: on a shared machine they are the steadier
# figure. A benchmark: it prints figures and checks nothing.
# usage: bench/loghub_throughput.sh [LINES] [BINARY]
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
n="${1:-1000000}"
bin="$(bench_binary "${2:-}")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
drain3=""
if [ -n "${DRAIN3_DIR:-}" ]; then
  printf 'x\n' > "$work/probe.txt"
  if DRAIN3_DIR="$DRAIN3_DIR" "${DRAIN3_PYTHON:-python3}" "$here/drain3_run.py" "$work/probe.txt" >/dev/null; then
    drain3=yes
  fi
else
  echo "drain3: skipped (set DRAIN3_DIR to a checkout of logpai/Drain3, DRAIN3_PYTHON to a python with cachetools and jsonpickle)"
fi

measure() {  # label, binary, file
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$2" cluster --input "$3" --format lines \
      --min-severity DEFAULT -o /dev/null
  read -r secs user sys kb < "$work/time"
  awk -v l="$1" -v n="$n" -v s="$secs" -v u="$user" -v y="$sys" -v kb="$kb" 'BEGIN {
    c = u + y; if (c <= 0) c = 0.01; if (s <= 0) s = 0.01
    printf "  %-8s %9.0f lines/s wall  %9.0f lines/s cpu  peak %5.1f MB\n", l, n / s, n / c, kb / 1024 }'
}

printf 'replicas of %d lines\n' "$n"
for dir in "$shared"/benchmarks/loghub-2k/*/; do
  name="$(basename "$dir")"
  csv="$dir/${name}_2k.log_structured.csv"
  [ -f "$csv" ] || continue
  python3 "$here/loghub_content.py" "$csv" "$work/one.txt"
  python3 - "$work/one.txt" "$work/replica.txt" "$n" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
n = int(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for k in range(n):
        out.write(lines[k % len(lines)])
PY
  echo "$name"
  [ -z "${BASE_BIN:-}" ] || measure before "$BASE_BIN" "$work/replica.txt"
  measure bot "$bin" "$work/replica.txt"
  if [ -n "$drain3" ]; then
    printf '  '
    DRAIN3_DIR="$DRAIN3_DIR" "${DRAIN3_PYTHON:-python3}" "$here/drain3_run.py" "$work/replica.txt" \
        --limit "${DRAIN3_LINES:-200000}"
  fi
done
