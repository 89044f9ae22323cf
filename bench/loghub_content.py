#!/usr/bin/env python3
"""Writes the Content column of a Loghub-2k *_structured.csv, one message a line.
usage: loghub_content.py STRUCTURED_CSV OUT_TXT"""
import csv
import sys

src, dst = sys.argv[1:3]
with open(src, newline="", encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for row in csv.DictReader(f):
        out.write(row["Content"].replace("\n", " ") + "\n")
