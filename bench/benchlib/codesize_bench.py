"""Code size: the BPF instructions of each program after the verifier, read
while the tracer has it loaded.

`bpftool prog show` gives bytes_xlated, the translated program the kernel
keeps; each instruction is 8 bytes (a 64-bit immediate load counts as two).
The programs of one tracer are found through the tracer's own file
descriptors, so programs that other users load at the same time are not
counted. The translated listings are kept for diffs.
"""

import json
import os

from .loaded_programs import loaded_program_ids
from .processes import run_output
from .tools import PROGRAMS, TOOLS
from .tracers import make_tracer


def measure_codesize(paths, log):
    listing_dir = os.path.join(paths.work_dir, "xlated")
    os.makedirs(listing_dir, exist_ok=True)
    results = {program: {} for program in PROGRAMS}
    log("code size")
    for program in PROGRAMS:
        for tool in TOOLS:
            with make_tracer(paths, program, tool) as tracer:
                ids = loaded_program_ids(tracer.pid)
                programs = []
                for prog_id in ids:
                    info = json.loads(run_output(["bpftool", "prog", "show", "id", str(prog_id), "-j"]))
                    programs.append({"name": info.get("name", ""), "instructions": info["bytes_xlated"] // 8})
                    listing = run_output(["bpftool", "prog", "dump", "xlated", "id", str(prog_id)])
                    with open(os.path.join(listing_dir, f"{program}.{tool}.{info.get('name', prog_id)}.txt"), "w") as out:
                        out.write(listing)
                tracer.stop()
            results[program][tool] = {
                "programs": programs,
                "instructions": sum(entry["instructions"] for entry in programs),
            }
    return results
