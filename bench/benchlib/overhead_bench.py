"""Per-event overhead: the nanoseconds that each tracer adds to a getppid
call, for a plain count, a count keyed by process name and an emitted
record.

Each repetition runs the workload with no tracer, then under each tracer in
turn, and takes the median of a few workload runs per setting. The added
time is the difference from the run with no tracer in the same repetition.
The tracers' output goes to /dev/null.
"""

import statistics

from .tools import TOOLS
from .tracers import make_tracer
from .workload import run_workload

PROGRAMS = ("getppid_count", "getppid_comm", "getppid_emit")
SETTINGS = ("none",) + TOOLS


def time_calls(paths, calls, runs, max_seconds):
    return statistics.median(run_workload(paths, calls, None, max_seconds)["ns_per_call"] for _ in range(runs))


def measure_overhead(paths, repetitions, calls, max_seconds, runs_per_setting, log):
    samples = {program: {setting: [] for setting in SETTINGS} for program in PROGRAMS}
    for repetition in range(repetitions):
        log(f"per-event overhead: repetition {repetition + 1} of {repetitions}")
        for program in PROGRAMS:
            for setting in SETTINGS:
                if setting == "none":
                    samples[program][setting].append(time_calls(paths, calls, runs_per_setting, max_seconds))
                    continue
                with make_tracer(paths, program, setting) as tracer:
                    samples[program][setting].append(time_calls(paths, calls, runs_per_setting, max_seconds))
                    tracer.stop()
    return samples
