"""Builds what the measurements run: vmlinux.h for the C programs, the C
loader, the getppid workload, and every program's object."""

import os

from .processes import run_output
from .tools import BENCH_DIR, PROGRAMS, TOOLS, compile_command


def prepare(paths):
    """Builds everything, and returns the size of vmlinux.h in bytes."""
    os.makedirs(os.path.join(paths.work_dir, "objects"), exist_ok=True)

    # vmlinux.h is this kernel's types, so it is made here, never committed.
    vmlinux_h = run_output(["bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c"])
    with open(os.path.join(paths.vmlinux_h_dir, "vmlinux.h"), "w") as header:
        header.write(vmlinux_h)

    run_output(["cc", "-O2", "-Wall", "-Wextra", "-o", paths.c_loader,
                os.path.join(BENCH_DIR, "c_loader", "loader.c"), "-lbpf"])
    run_output(["cc", "-O2", "-Wall", "-Wextra", "-o", paths.workload,
                os.path.join(BENCH_DIR, "workload", "bench_getppid.c")])

    # bpftrace's object is only compiled for timing: bpftrace runs its scripts.
    for program in PROGRAMS:
        for tool in TOOLS:
            run_output(compile_command(paths, program, tool))
    return len(vmlinux_h)
