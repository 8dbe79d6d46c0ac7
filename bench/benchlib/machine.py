"""The machine and the versions of the tools, for the top of the page."""

import os
import platform
import subprocess


def first_line(command):
    """Returns the first line of COMMAND's output, or why there is none."""
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        return f"{command[0]} not found"
    output = (result.stdout or result.stderr).strip()
    return output.splitlines()[0] if output else f"{command[0]} printed nothing"


def cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def load_average():
    return first_line(["uptime"]).strip()


def describe_machine():
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
    }


def describe_versions(paths):
    libbpf_package = first_line(["dpkg-query", "-W", "-f", "${Version}", "libbpf1"])
    return {
        "nubpfc": first_line([paths.nubpfc, "--version"]),
        "bpftrace": first_line(["bpftrace", "--version"]),
        "clang": first_line(["clang-19", "--version"]),
        "libbpf": f"{first_line([paths.c_loader, '--version'])} (Debian package libbpf1 {libbpf_package})",
        "bpftool": first_line(["bpftool", "--version"]),
        "hyperfine": first_line(["hyperfine", "--version"]),
    }
