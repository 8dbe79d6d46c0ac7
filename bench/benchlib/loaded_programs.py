"""Finds the BPF programs that one process has loaded and attached."""

import json
import os
import time

from .processes import BenchError, run_output


def attached_program_ids(pid):
    """Returns the ids of the programs that process PID has attached to
    tracepoints through perf events, as `bpftool perf` lists them."""
    return sorted({entry["prog_id"] for entry in json.loads(run_output(["bpftool", "perf", "-j"]))
                   if entry.get("pid") == pid and "prog_id" in entry})


def loaded_program_ids(pid):
    """Returns the ids of the programs that process PID keeps open through
    a program, link or perf event file descriptor."""
    ids = set(attached_program_ids(pid))
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
            if "bpf-prog" not in target and "bpf_link" not in target:
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}") as fdinfo:
                for line in fdinfo:
                    if line.startswith("prog_id:"):
                        ids.add(int(line.split()[1]))
        except FileNotFoundError:
            continue
    return sorted(ids)


def wait_until_attached(pid, probes, timeout_seconds=60):
    """Polls `bpftool perf` until process PID has PROBES programs attached.

    This finds the moment a tracer has attached to within one bpftool run
    and the poll interval, about 10 ms in all.
    """
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if len(attached_program_ids(pid)) >= probes:
            return
        time.sleep(0.005)
    raise BenchError(f"process {pid} did not attach {probes} programs within {timeout_seconds} s")
