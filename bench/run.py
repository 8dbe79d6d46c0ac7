#!/usr/bin/env python3
"""Compares nubpf with bpftrace and hand-written libbpf C, and writes
docs/benchmarks.md. `make bench` runs it after `make build`:

    bench/run.py --build-dir build --output docs/benchmarks.md

Every measurement takes turns between the tools (C, nubpf, bpftrace, C, ...)
and reports medians over its repetitions. Raw results go to
BUILD_DIR/bench/results.json; bench/report.py rewrites the page from them.
"""

import argparse
import datetime
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib.codesize_bench import measure_codesize  # noqa: E402
from benchlib.compile_bench import measure_compile  # noqa: E402
from benchlib.crosscheck import hyperfine_compile  # noqa: E402
from benchlib.machine import describe_machine, describe_versions, load_average  # noqa: E402
from benchlib.overhead_bench import measure_overhead  # noqa: E402
from benchlib.prepare import prepare  # noqa: E402
from benchlib.report import write_report  # noqa: E402
from benchlib.startup_bench import measure_startup  # noqa: E402
from benchlib.throughput_bench import measure_throughput  # noqa: E402
from benchlib.tools import Paths  # noqa: E402

# Repetitions, chosen so that the whole run takes about six minutes on a
# 2-core machine; --quick cuts them for trying the harness out.
SETTINGS = {
    "compile_repetitions": 9,
    "startup_repetitions": 11,
    "overhead_repetitions": 11,
    "overhead_calls": 1_000_000,
    "overhead_max_seconds": 1.0,
    "overhead_runs_per_setting": 3,
    "throughput_repetitions": 3,
    "throughput_rates": [25_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000],
    "throughput_run_seconds": 1.0,
    "throughput_max_calls": 2_000_000,
    "throughput_max_seconds": 2.0,
    "hyperfine_runs": 5,
}
QUICK_SETTINGS = dict(SETTINGS, compile_repetitions=1, startup_repetitions=1, overhead_repetitions=1,
                      overhead_runs_per_setting=1, throughput_repetitions=1, hyperfine_runs=2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", default="build", help="the folder that `make build` built into")
    parser.add_argument("--output", default="docs/benchmarks.md", help="the page to write")
    parser.add_argument("--quick", action="store_true", help="one repetition of each measurement")
    args = parser.parse_args()

    if os.geteuid() != 0:
        sys.exit("bench: loading BPF programs needs root; run `sudo make bench`")
    build_dir = os.path.abspath(args.build_dir)
    paths = Paths(build_dir=build_dir, work_dir=os.path.join(build_dir, "bench"))
    os.makedirs(paths.work_dir, exist_ok=True)
    settings = QUICK_SETTINGS if args.quick else SETTINGS
    started = time.monotonic()

    def log(message):
        print(f"bench [{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_at_start": load_average(),
        "machine": describe_machine(),
        "settings": settings,
        "quick": args.quick,
    }
    log("building the C loader, the workload and the objects")
    results["vmlinux_h_bytes"] = prepare(paths)
    results["versions"] = describe_versions(paths)

    results["compile"] = measure_compile(paths, settings["compile_repetitions"], log)
    results["hyperfine"] = hyperfine_compile(paths, settings["hyperfine_runs"], log)
    results["startup"] = measure_startup(paths, settings["startup_repetitions"], log)
    results["codesize"] = measure_codesize(paths, log)
    results["overhead"] = measure_overhead(paths, settings["overhead_repetitions"], settings["overhead_calls"],
                                           settings["overhead_max_seconds"], settings["overhead_runs_per_setting"], log)
    results["throughput"] = measure_throughput(paths, settings["throughput_repetitions"],
                                               settings["throughput_rates"], settings["throughput_run_seconds"],
                                               settings["throughput_max_calls"], settings["throughput_max_seconds"], log)

    results["load_at_end"] = load_average()
    results["total_seconds"] = time.monotonic() - started
    results_path = os.path.join(paths.work_dir, "results.json")
    with open(results_path, "w") as out:
        json.dump(results, out, indent=1)
    write_report(results, args.output)
    log(f"wrote {results_path} and {args.output}")


if __name__ == "__main__":
    main()
