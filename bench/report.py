#!/usr/bin/env python3
"""Rewrites docs/benchmarks.md from a run's raw results, without measuring:

    bench/report.py build/bench/results.json docs/benchmarks.md
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib.report import write_report  # noqa: E402

if len(sys.argv) != 3:
    sys.exit("usage: bench/report.py RESULTS_JSON PAGE")
with open(sys.argv[1]) as results:
    write_report(json.load(results), sys.argv[2])
