"""The three ways to build and run each benchmark program, and where their
files are.

Each program lives in bench/programs/NAME/ as NAME.nu (nubpf), NAME.bt
(bpftrace) and NAME.bpf.c (libbpf C, run by bench/c_loader).
"""

import os
from dataclasses import dataclass

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS_DIR = os.path.join(BENCH_DIR, "programs")

# The order in which every measurement runs the tools, once per repetition.
TOOLS = ("c", "nubpf", "bpftrace")
TOOL_NAMES = {"c": "libbpf C", "nubpf": "nubpf", "bpftrace": "bpftrace"}

# Programs in the order of the tables.
PROGRAMS = ("getppid_count", "getppid_comm", "getppid_emit", "read_hist", "opensnoop", "syscall_count")

# The clang that builds the C programs; tools/setup.sh installs llvm-19-dev
# and bench/setup.sh clang-19.
CLANG = "clang-19"


@dataclass
class Paths:
    """The paths of the built tools and of the benchmark's own files."""

    build_dir: str
    work_dir: str

    @property
    def nubpfc(self):
        return os.path.join(self.build_dir, "nubpfc")

    @property
    def nubpf_run(self):
        return os.path.join(self.build_dir, "nubpf-run")

    @property
    def c_loader(self):
        return os.path.join(self.work_dir, "c_loader")

    @property
    def workload(self):
        return os.path.join(self.work_dir, "bench_getppid")

    @property
    def vmlinux_h_dir(self):
        return self.work_dir

    def source(self, program, tool):
        suffix = {"c": ".bpf.c", "nubpf": ".nu", "bpftrace": ".bt"}[tool]
        return os.path.join(PROGRAMS_DIR, program, program + suffix)

    def object(self, program, tool):
        """Returns the object that compiling PROGRAM with TOOL writes."""
        return os.path.join(self.work_dir, "objects", f"{program}.{tool}.o")


def compile_command(paths, program, tool):
    """Returns the command that compiles PROGRAM ahead of time, as the
    compile benchmark times it. bpftrace's --emit-elf compiles without
    loading."""
    source = paths.source(program, tool)
    output = paths.object(program, tool)
    if tool == "nubpf":
        return [paths.nubpfc, source, "-o", output]
    if tool == "bpftrace":
        return ["bpftrace", "--emit-elf", output, source]
    return [CLANG, "-O2", "-g", "-target", "bpf", "-I", paths.vmlinux_h_dir,
            "-I", os.path.join(BENCH_DIR, "c_loader"), "-c", source, "-o", output]


def run_command(paths, program, tool):
    """Returns the command that traces with PROGRAM and prints its records
    as JSON lines on stdout. nubpf and C run the compiled object, and
    bpftrace compiles the script as it starts, which is how bpftrace runs."""
    if tool == "nubpf":
        return [paths.nubpf_run, paths.object(program, tool), "--format", "json"]
    if tool == "bpftrace":
        return ["bpftrace", paths.source(program, tool)]
    return [paths.c_loader, paths.object(program, tool)]


# The stderr line that nubpf-run and the C loader print once every probe is
# attached.
ATTACHED_LINE = {
    "nubpf": r"attached \d+ probes?",
    "c": r"attached \d+ probes?",
}
