# Short flags are checked against each command's flags.
def scale [x: int, --verbose (-v), --limit (-l): int = 10] { $x }
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: ($e.comm | str contains -x "a")}
    emit {b: (scale 1 -q)}
    emit {c: (scale 1 -vl 3)}
    emit {d: (scale 1 -l)}
    emit {e: (scale 1 -v -l 3), f: ($e.comm | str contains -i "A")}
}
