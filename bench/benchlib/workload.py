"""Runs the getppid workload (bench/workload/bench_getppid.c)."""

import json
import os

from .processes import run_output

# The workload runs on the last CPU, so that its calls do not move between
# CPUs mid-run; the tracers run where the scheduler puts them.
WORKLOAD_CPU = os.cpu_count() - 1


def run_workload(paths, calls, calls_per_second=None, max_seconds=None):
    """Runs CALLS getppid calls, at CALLS_PER_SECOND or as fast as it can, and
    stops early after MAX_SECONDS. Returns the workload's report: the calls
    it made, seconds and ns_per_call."""
    command = ["taskset", "-c", str(WORKLOAD_CPU), paths.workload, str(calls),
               str(calls_per_second or 0), str(max_seconds or 0)]
    return json.loads(run_output(command))
