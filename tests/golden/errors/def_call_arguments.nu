# Calls whose arguments do not fit the command's signature.
def scale [x: int, factor?: int, --limit: int = 10, --verbose (-v)] { $x }
def label [name: string] { $name }
def maybe [x?: int] { $x + 1 }
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: (scale)}
    emit {b: (scale 1 2 3)}
    emit {c: (scale 1 --limt 3)}
    emit {d: (scale 1 --limit)}
    emit {e: (scale "one")}
    emit {f: (label $e.ret)}
    emit {g: (scael 1)}
    emit {h: (scale $x)}
    emit {i: (maybe)}
}
