"""Compile time and peak memory: nubpfc, `bpftrace --emit-elf` and clang on
the C version of each program, interleaved C, nubpf, bpftrace, C, ..."""

from .processes import run_timed
from .tools import PROGRAMS, TOOLS, compile_command


def measure_compile(paths, repetitions, log):
    samples = {program: {tool: [] for tool in TOOLS} for program in PROGRAMS}
    for repetition in range(repetitions):
        log(f"compile: repetition {repetition + 1} of {repetitions}")
        for program in PROGRAMS:
            for tool in TOOLS:
                seconds, max_rss_kib = run_timed(compile_command(paths, program, tool))
                samples[program][tool].append({"seconds": seconds, "max_rss_kib": max_rss_kib})
    return samples
