"""Event throughput: records delivered and printed as JSON lines per second,
and the records lost, with one record per getppid call.

Each run starts a tracer with its stdout in a file, runs the workload at a
set rate for about a second (or as fast as it goes), waits until the file
stops growing, and stops the tracer. Delivered records are the lines with
the workload's process name. Lost records are the calls that have no line,
and the tracer's own count of losses is kept beside it.
"""

import os
import re
import time

from .tools import TOOLS
from .tracers import make_tracer
from .workload import run_workload

PROGRAM = "getppid_emit"
WORKLOAD_LINE = re.compile(rb'"comm": ?"bench_getppid"')

# Each tracer's own report of lost records: nubpf-run writes
# {"lost_events": N} records, the C loader too (from its `lost` map), and
# bpftrace prints "Lost N events".
REPORTED_LOSS = {
    "nubpf": re.compile(rb'"lost_events": ?(\d+)'),
    "c": re.compile(rb'"lost_events": ?(\d+)'),
    "bpftrace": re.compile(rb"Lost (\d+) events"),
}


def wait_until_file_settles(path, quiet_seconds=0.3, timeout_seconds=20):
    """Waits until PATH has not grown for QUIET_SECONDS: the tracer has
    printed what its buffers held."""
    deadline = time.monotonic() + timeout_seconds
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        current = os.path.getsize(path)
        if current != size:
            size, since = current, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return
        time.sleep(0.05)


def run_once(paths, tool, calls, calls_per_second, max_seconds):
    output_path = os.path.join(paths.work_dir, f"throughput.{tool}.jsonl")
    with open(output_path, "wb") as output:
        with make_tracer(paths, PROGRAM, tool, stdout=output) as tracer:
            report = run_workload(paths, calls, calls_per_second, max_seconds)
            wait_until_file_settles(output_path)
            tracer.stop()
    with open(output_path, "rb") as output:
        text = output.read()
    os.remove(output_path)

    calls = report["calls"]
    delivered = len(WORKLOAD_LINE.findall(text))
    reported = sum(int(n) for n in REPORTED_LOSS[tool].findall(text + tracer.stderr))
    return {
        "calls": calls,
        "seconds": report["seconds"],
        "offered_per_second": calls / report["seconds"],
        "delivered": delivered,
        "delivered_per_second": delivered / report["seconds"],
        "missing": calls - delivered,
        "reported_lost": reported,
    }


def measure_throughput(paths, repetitions, rates, run_seconds, max_rate_calls, max_rate_seconds, log):
    """Runs the workload at each rate of RATES (calls per second, rising) for
    RUN_SECONDS, and then at full speed for MAX_RATE_CALLS calls or
    MAX_RATE_SECONDS, whichever ends first ("max").

    Within a repetition a tool leaves the ladder at its first rate with a
    missing record, because higher rates only lose more. The tools still
    on it take turns at each rate. Returns the runs of the ladder per tool and
    repetition, the highest rate that each tool delivered without loss per
    repetition (0 when the lowest rate lost records), and the full-speed
    runs.
    """
    ladder = {tool: [] for tool in TOOLS}
    lossless_rate = {tool: [] for tool in TOOLS}
    full_speed = {tool: [] for tool in TOOLS}
    for repetition in range(repetitions):
        log(f"throughput: repetition {repetition + 1} of {repetitions}")
        runs = {tool: [] for tool in TOOLS}
        best = {tool: 0 for tool in TOOLS}
        climbing = list(TOOLS)
        for rate in rates:
            for tool in list(climbing):
                # A tracer that slows the calls down gets twice the time.
                sample = run_once(paths, tool, int(rate * run_seconds), rate, 2 * run_seconds)
                sample["rate"] = rate
                runs[tool].append(sample)
                if sample["missing"] > 0:
                    climbing.remove(tool)
                else:
                    # A tracer that slows each call down makes the workload
                    # miss its rate, so the rate that counts is the one
                    # the workload reached.
                    best[tool] = max(best[tool], sample["delivered_per_second"])
        for tool in TOOLS:
            ladder[tool].append(runs[tool])
            lossless_rate[tool].append(best[tool])
            full_speed[tool].append(run_once(paths, tool, max_rate_calls, None, max_rate_seconds))
    return {"rates": list(rates), "ladder": ladder, "lossless_rate": lossless_rate, "max": full_speed}
