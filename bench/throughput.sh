#!/usr/bin/env bash
# Throughput and peak memory of `cluster` on a generated corpus of Cloud
# Logging entries (default 1,000,000), and of `--format lines` on the same
# messages. A benchmark, not a test: it prints figures and checks nothing.
# usage: bench/throughput.sh [ENTRIES] [BINARY]
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
n="${1:-1000000}"
bin="$(bench_binary "${2:-}")"
work="${BENCH_DIR:-$(mktemp -d)}"
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$work"' EXIT
corpus="$work/corpus-$n.json"
if [ ! -s "$corpus" ]; then
  python3 "$shared/data/generate_corpus.py" --entries "$n" --out "$corpus" >/dev/null
fi
python3 - "$corpus" "$work/messages-$n.txt" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        line = line.strip().rstrip(",")
        if line in ("[", "]", ""):
            continue
        e = json.loads(line)
        p = e.get("jsonPayload") or {}
        m = p.get("message") or p.get("msg") or e.get("textPayload") or ""
        out.write(m.split("\n", 1)[0] + "\n")
PY
measure() {  # label, file, extra args...
  local label="$1" file="$2"; shift 2
  local bytes; bytes=$(stat -c %s "$file")
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" cluster --input "$file" "$@" -o /dev/null
  read -r secs user sys kb < "$work/time"
  # CPU seconds next to the wall clock: on a shared machine the steadier figure.
  awk -v l="$label" -v n="$n" -v s="$secs" -v c="$user $sys" -v kb="$kb" -v b="$bytes" 'BEGIN {
    split(c, cs, " "); cpu = cs[1] + cs[2]
    printf "%-28s %9d in %6.2f s (cpu %6.2f s)  %10.0f per s  %10.0f per cpu s  %7.1f MB/s  peak %6.1f MB\n",
           l, n, s, cpu, n / s, n / cpu, b / s / 1e6, kb / 1024 }'
}
echo "corpus: $n entries, $(du -h "$corpus" | cut -f1)"
measure "cluster (gcp-json)" "$corpus" --min-severity DEFAULT
measure "cluster (default floor)" "$corpus"
measure "cluster --format lines" "$work/messages-$n.txt" --format lines
