"""The targets set for nubpf, each a ratio of medians from one run.

A target is met when every program meets it, so the headline ratio is the
worst program's.
"""

from .stats import median, ratio
from .tools import PROGRAMS


def per_program(samples, programs, key, tool, floor_tool):
    """Returns {program: median(tool's KEY) / median(floor_tool's KEY)}."""
    return {program: ratio(median(s[key] for s in samples[program][tool]),
                           median(s[key] for s in samples[program][floor_tool]))
            for program in programs}


def added_ns(samples, program, tool):
    """Returns the median ns that TOOL adds to a call, each repetition
    measured against its own run with no tracer."""
    return median(with_tool - without for with_tool, without
                  in zip(samples[program][tool], samples[program]["none"]))


def highest_lossless_rate(throughput, tool):
    """Returns the median over repetitions of the highest rate that TOOL
    delivered without a missing record."""
    return median(throughput["lossless_rate"][tool])


def evaluate(results):
    """Returns the targets as dicts: key, measurement, target, worst ratio, the
    ratio per program, and whether the target is met."""
    targets = []

    def add(key, measurement, target, ratios, at_most):
        values = [value for value in ratios.values() if value is not None]
        worst = None
        if values:
            worst = max(values) if at_most else min(values)
        met = worst is not None and (worst <= target if at_most else worst >= target)
        sign = "≤" if at_most else "≥"
        targets.append({"key": key, "measurement": measurement, "target": f"{sign} {target}×", "ratio": worst,
                        "per_program": ratios, "met": met})

    compile_samples = results["compile"]
    add("compile_time", "compile time, nubpfc / clang", 0.3,
        per_program(compile_samples, PROGRAMS, "seconds", "nubpf", "c"), True)

    startup = results["startup"]
    add("startup_vs_c", "start-up to attached, nubpf-run / C loader", 1.2,
        per_program(startup, PROGRAMS, "attach_seconds", "nubpf", "c"), True)
    add("startup_vs_bpftrace", "start-up to attached, nubpf-run / bpftrace", 0.3,
        per_program(startup, PROGRAMS, "attach_seconds", "nubpf", "bpftrace"), True)
    add("startup_rss", "peak RSS at start-up, nubpf-run / C loader", 1.5,
        per_program(startup, PROGRAMS, "max_rss_kib", "nubpf", "c"), True)

    codesize = results["codesize"]
    add("instructions", "BPF instructions, nubpf / clang", 1.1,
        {program: ratio(codesize[program]["nubpf"]["instructions"], codesize[program]["c"]["instructions"])
         for program in PROGRAMS}, True)

    overhead = results["overhead"]
    add("overhead", "ns added per getppid call, nubpf / C", 1.1,
        {program: ratio(added_ns(overhead, program, "nubpf"), added_ns(overhead, program, "c"))
         for program in overhead}, True)

    throughput = results["throughput"]
    add("throughput", "highest rate without loss, nubpf / bpftrace", 2,
        {"getppid_emit": ratio(highest_lossless_rate(throughput, "nubpf"),
                               highest_lossless_rate(throughput, "bpftrace"))}, False)
    return targets
