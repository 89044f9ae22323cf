#!/usr/bin/env bash
# The Log Analytics source, measured: rows the statement returns per entry
# (on ZetaSQL's reference engine, over the bundled examples, the shared
# corpus generator's entries and the fuzzed test corpus), the columns it
# references (what on-demand billing charges for), and the bot's time to
# merge and cluster returned rows. A benchmark, not a test: it prints
# figures and checks nothing.
# usage: bench/log_analytics.sh [ROWS] [BUILD_DIR]   (ROWS default 1000000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
shared="${SHARED_DIR:-$root/../shared}"
rows="${1:-1000000}"
build="${2:-$root/build}"
bin="$build/gcp-log-gardener"
bench="$build/log_analytics_bench"
tool="$root/tests/fixtures/zetasql"
for f in "$bin" "$bench"; do [ -x "$f" ] || { echo "no $f: build first" >&2; exit 2; }; done
[ -d "$tool/node_modules" ] || {
  echo "install the engine: npm install --no-audit --no-fund --no-package-lock --ignore-scripts --prefix tests/fixtures/zetasql" >&2
  exit 2
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/la.yml" <<'EOF'
version: 1
source:
  kind: log_analytics
  dataset: shop-prod.shop_logs
  resource_type: ''
  min_severity: DEFAULT
EOF
"$bin" query --config "$work/la.yml" --since 2020-01-01T00:00:00Z --until 2030-01-01T00:00:00Z --json > "$work/body.json"
"$bench" columns

# rows per entry: NAME FILE (NDJSON of entries:list objects)
rows_per_entry() {
  python3 - "$work/body.json" "$2" "$work/req.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
json.dump({"body": body, "table": "shop-prod.shop_logs._AllLogs", "entries": sys.argv[2]}, open(sys.argv[3], "w"))
PY
  local start end
  start=$(date +%s.%N)
  node "$tool/evaluate.js" "$work/req.json" > "$work/answer.json"
  end=$(date +%s.%N)
  python3 - "$1" "$work/answer.json" "$start" "$end" <<'PY'
import json, sys
a = json.load(open(sys.argv[2]))
if "error" in a:
    print(f"{sys.argv[1]:34s} engine error: {a['error']}")
    sys.exit(0)
entries = a["inputRows"]
rows = len(a["rows"])
counted = sum(int(r["f"][1]["v"]) for r in a["rows"])
secs = float(sys.argv[4]) - float(sys.argv[3])
print(f"{sys.argv[1]:34s} {entries:6d} entries -> {rows:6d} rows ({rows / max(entries, 1):.3f} per entry; "
      f"{counted} entries counted) in {secs:.1f} s on the reference engine")
PY
}

python3 - "$root/examples" "$work/examples.ndjson" <<'PY'
import json, os, sys
out = open(sys.argv[2], "w")
for line in open(os.path.join(sys.argv[1], "sample-entries.ndjson")):
    if line.strip():
        out.write(line.strip() + "\n")
d = os.path.join(sys.argv[1], "netra-staging")
for name in sorted(os.listdir(d)):
    for e in json.load(open(os.path.join(d, name))):
        out.write(json.dumps(e) + "\n")
PY
rows_per_entry "bundled examples" "$work/examples.ndjson"
if [ -f "$shared/data/generate_corpus.py" ]; then
  python3 "$shared/data/generate_corpus.py" --entries 2500 --seed 3 --out "$work/corpus.json" >/dev/null
  python3 - "$work/corpus.json" "$work/corpus.ndjson" <<'PY'
import json, sys
out = open(sys.argv[2], "w")
for line in open(sys.argv[1]):
    line = line.strip().rstrip(",")
    if line not in ("[", "]", ""):
        out.write(json.dumps(json.loads(line)) + "\n")
PY
  rows_per_entry "generate_corpus.py, 2500, seed 3" "$work/corpus.ndjson"
fi
"$bench" corpus 2500 11 > "$work/fuzzed.ndjson"
rows_per_entry "fuzzed test corpus, 2500, seed 11" "$work/fuzzed.ndjson"

/usr/bin/time -f "peak memory %M KB" "$bench" merge "$rows"
