#!/usr/bin/env python3
"""Scores a clustering at the problem level: of the truth problems, how many
went to exactly one key (the rest are split, one problem filed as several
issues), and how many keys hold more than one problem (merged). Also prints
pairwise precision and recall, and, given --families, every family of
problems that must stay apart and did not.

usage: problem_eval.py TRUTH_CSV PRED_CSV [--families JSON] [--name NAME]
                       [--truth-id COL] [--truth-col COL] [--pred-id COL] [--pred-col COL]
                       [--show N]
TRUTH_CSV  one row per entry: id and problem (default columns id, problem)
PRED_CSV   one row per entry: id and key (the bot's --assignments: id, key)
Entries with no prediction count as a key of their own each (a split).
Exit status 0 whatever the figures: a benchmark, not a test.
"""
import argparse
import csv
import json
from collections import Counter, defaultdict


def read(path, id_col, val_col):
    with open(path, newline="", encoding="utf-8") as f:
        return {row[id_col].strip(): row[val_col].strip() for row in csv.DictReader(f)}


def pairs(n):
    return n * (n - 1) // 2


def score(truth, pred):
    """{id: problem}, {id: key} -> dict of figures and the split/merged lists."""
    pred = {i: pred.get(i) or "missing:" + i for i in truth}
    keys_of = defaultdict(Counter)
    problems_of = defaultdict(Counter)
    joint = Counter()
    for i, prob in truth.items():
        keys_of[prob][pred[i]] += 1
        problems_of[pred[i]][prob] += 1
        joint[(prob, pred[i])] += 1
    tp = sum(pairs(n) for n in joint.values())
    pred_pairs = sum(pairs(sum(c.values())) for c in problems_of.values())
    true_pairs = sum(pairs(sum(c.values())) for c in keys_of.values())
    split = {p: c for p, c in keys_of.items() if len(c) > 1}
    merged = {k: c for k, c in problems_of.items() if len(c) > 1}
    return {
        "entries": len(truth), "problems": len(keys_of), "keys": len(problems_of),
        "whole": len(keys_of) - len(split), "split": split, "merged": merged,
        "precision": tp / pred_pairs if pred_pairs else 1.0,
        "recall": tp / true_pairs if true_pairs else 1.0,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("truth")
    ap.add_argument("pred")
    ap.add_argument("--families")
    ap.add_argument("--name", default="")
    ap.add_argument("--truth-id", default="id")
    ap.add_argument("--truth-col", default="problem")
    ap.add_argument("--pred-id", default="id")
    ap.add_argument("--pred-col", default="key")
    ap.add_argument("--show", type=int, default=5, help="list this many split and merged problems")
    args = ap.parse_args()
    truth = {i: p for i, p in read(args.truth, args.truth_id, args.truth_col).items() if p}
    s = score(truth, read(args.pred, args.pred_id, args.pred_col))
    fam_merged = 0
    if args.families:
        with open(args.families, encoding="utf-8") as f:
            families = json.load(f)
        for k, c in s["merged"].items():
            for fam in families:
                if sum(1 for p in fam if p in c) > 1:
                    fam_merged += 1
    print("%-14s problems %4d  whole %4d  split %3d  keys %4d  merged %3d  pair P %.4f  R %.4f%s" % (
        args.name, s["problems"], s["whole"], len(s["split"]), s["keys"], len(s["merged"]),
        s["precision"], s["recall"],
        "  family merges %d" % fam_merged if args.families else ""))
    for p, c in sorted(s["split"].items(), key=lambda x: -len(x[1]))[:args.show]:
        print("  split  %s over %d keys: %s" % (p, len(c), ", ".join("%s=%d" % kv for kv in c.most_common(4))))
    for k, c in sorted(s["merged"].items(), key=lambda x: -sum(x[1].values()))[:args.show]:
        print("  merged %s holds %s" % (k, ", ".join("%s=%d" % kv for kv in c.most_common(4))))


if __name__ == "__main__":
    main()
