"""Tracers for each tool, set up to return from start() once attached."""

import subprocess

from .loaded_programs import wait_until_attached
from .processes import Tracer
from .tools import ATTACHED_LINE, run_command

# Every benchmark program has one probe.
PROBES = 1


def make_tracer(paths, program, tool, stdout=subprocess.DEVNULL, extra_arguments=()):
    """Returns a Tracer that runs PROGRAM with TOOL.

    nubpf-run and the C loader print "attached N probes" on stderr once
    every probe is attached. bpftrace prints "Attaching N probes..." on
    stdout, and before it loads and attaches them, so for bpftrace the
    tracer polls `bpftool perf` until bpftrace's program is attached.
    """
    command = run_command(paths, program, tool) + list(extra_arguments)
    if tool == "bpftrace":
        return Tracer(command, stdout=stdout, wait_attached=lambda pid: wait_until_attached(pid, PROBES))
    return Tracer(command, ATTACHED_LINE[tool], stdout=stdout)
