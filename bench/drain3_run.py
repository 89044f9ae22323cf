#!/usr/bin/env python3
"""Runs Drain3 (logpai/Drain3, its generic configuration: the defaults of
TemplateMinerConfig, no masking) over a file of one message a line, for a
side-by-side comparison. Drain3 is not part of this project: point DRAIN3_DIR
at a checkout of it (the directory that holds the drain3 package); it needs
the Python packages cachetools and jsonpickle.

usage: drain3_run.py LINES_TXT [--assignments CSV] [--limit N]
Prints "drain3 LINES lines in SECONDS s, RATE per s, CLUSTERS clusters".
Exit status 3 when Drain3 cannot be imported (the caller skips it).
"""
import argparse
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lines")
    ap.add_argument("--assignments", help="write LineId,ClusterId here")
    ap.add_argument("--limit", type=int, default=0, help="read at most this many lines")
    args = ap.parse_args()
    if os.environ.get("DRAIN3_DIR"):
        sys.path.insert(0, os.environ["DRAIN3_DIR"])
    try:
        from drain3 import TemplateMiner
        from drain3.template_miner_config import TemplateMinerConfig
    except ImportError as e:
        print("drain3: not available (%s); set DRAIN3_DIR to a checkout of logpai/Drain3" % e,
              file=sys.stderr)
        return 3
    config = TemplateMinerConfig()
    config.profiling_enabled = False
    miner = TemplateMiner(config=config)
    with open(args.lines, encoding="utf-8", errors="replace") as f:
        lines = [line.rstrip("\n") for line in f]
    if args.limit:
        lines = lines[:args.limit]
    ids = []
    t0 = time.process_time()
    for line in lines:
        ids.append(miner.add_log_message(line)["cluster_id"])
    secs = time.process_time() - t0
    if args.assignments:
        with open(args.assignments, "w", encoding="utf-8") as out:
            out.write("LineId,ClusterId\n")
            for n, cid in enumerate(ids, 1):
                out.write("%d,%d\n" % (n, cid))
    print("drain3 %d lines in %.2f s, %.0f per s, %d clusters" % (
        len(lines), secs, len(lines) / secs if secs else 0, len(miner.drain.clusters)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
