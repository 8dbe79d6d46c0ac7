"""A cross-check of the compile times with hyperfine on one program.

hyperfine runs all runs of one command before the next command, so the
interleaved compile measurement times the runs itself. This shows that the
two ways agree.
"""

import json
import os

from .processes import run_output
from .tools import TOOLS, compile_command

PROGRAM = "getppid_comm"


def hyperfine_compile(paths, runs, log):
    log(f"compile cross-check with hyperfine on {PROGRAM}")
    export = os.path.join(paths.work_dir, "hyperfine.json")
    commands = [" ".join(compile_command(paths, PROGRAM, tool)) for tool in TOOLS]
    run_output(["hyperfine", "--shell=none", "--warmup", "1", "--runs", str(runs),
                "--export-json", export, "--style", "none"] + commands)
    with open(export) as exported:
        results = json.load(exported)["results"]
    return {tool: result["median"] for tool, result in zip(TOOLS, results)}
