"""Start-up: from the command's start until every probe is attached, and the
whole run when the tracer is stopped right then, with peak memory.

nubpf-run and the C loader print "attached N probes" on stderr once every
probe is attached. bpftrace prints "Attaching N probes..." before it loads
and attaches them, so its attach time is when `bpftool perf` first lists
its program as attached, polled about every 10 ms. nubpf-run and
bpftrace then get SIGINT; the C loader exits by itself after attaching
(--exit-after-attach).
"""

from .tools import PROGRAMS, TOOLS
from .tracers import make_tracer


def measure_startup(paths, repetitions, log):
    samples = {program: {tool: [] for tool in TOOLS} for program in PROGRAMS}
    for repetition in range(repetitions):
        log(f"start-up: repetition {repetition + 1} of {repetitions}")
        for program in PROGRAMS:
            for tool in TOOLS:
                extra = ["--exit-after-attach"] if tool == "c" else []
                tracer = make_tracer(paths, program, tool, extra_arguments=extra)
                with tracer:
                    total_seconds = tracer.stop()
                samples[program][tool].append({
                    "attach_seconds": tracer.attach_seconds,
                    "total_seconds": total_seconds,
                    "max_rss_kib": tracer.max_rss_kib,
                })
    return samples
