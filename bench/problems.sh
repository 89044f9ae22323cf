#!/usr/bin/env bash
# Problem-level scores (bench/problem_eval.py): of the truth problems, how many
# went to exactly one key, how many keys hold more than one, and pairwise
# precision and recall, on
#   - three stress corpora of bench/problem_corpus.py (bodies of 1-100 KB,
#     quoted upstream errors, lists of varying length, exception chains),
#   - a corpus of ../shared/data/generate_corpus.py (50,000 entries, seed 3),
#     with its must_stay_separate families,
#   - the 16 Loghub-2k data sets (an event is a problem).
# With BASE_BIN set (a build of the previous commit), each line is printed for
# it too, just above. A benchmark: it prints figures and checks nothing.
# usage: bench/problems.sh [BINARY]
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bin="$(bench_binary "${1:-}")"
bins=("$bin")
labels=("")
if [ -n "${BASE_BIN:-}" ]; then
  [ -x "$BASE_BIN" ] || { echo "BASE_BIN=$BASE_BIN is not executable" >&2; exit 2; }
  bins=("$BASE_BIN" "$bin")
  labels=("before " "after  ")
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

score() {  # name, input, truth, format, extra scorer args...
  local name="$1" input="$2" truth="$3" format="$4"; shift 4
  for k in "${!bins[@]}"; do
    "${bins[$k]}" cluster --input "$input" --format "$format" --min-severity DEFAULT \
        --assignments "$work/assign.csv" -o /dev/null
    printf '%s' "${labels[$k]}"
    python3 "$here/problem_eval.py" "$truth" "$work/assign.csv" --name "$name" --show 0 "$@"
  done
}

for seed in 1 2 3; do
  python3 "$here/problem_corpus.py" --entries 4000 --seed "$seed" --out "$work/stress.json" \
      --truth "$work/stress.csv" --families "$work/stress.families.json"
  score "stress-$seed" "$work/stress.json" "$work/stress.csv" gcp-json \
      --families "$work/stress.families.json"
done

python3 "$shared/data/generate_corpus.py" --entries 50000 --seed 3 --out "$work/gen.json" \
    --truth "$work/gen.truth.json" --assignments "$work/gen.csv" >/dev/null
python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["must_stay_separate"], open(sys.argv[2], "w"))' \
    "$work/gen.truth.json" "$work/gen.families.json"
score "generated-50k" "$work/gen.json" "$work/gen.csv" gcp-json --truth-id insertId \
    --truth-col template --families "$work/gen.families.json"

for dir in "$shared"/benchmarks/loghub-2k/*/; do
  name="$(basename "$dir")"
  csv="$dir/${name}_2k.log_structured.csv"
  [ -f "$csv" ] || continue
  python3 "$here/loghub_content.py" "$csv" "$work/$name.txt"
  score "$name" "$work/$name.txt" "$csv" lines --truth-id LineId --truth-col EventId
done
