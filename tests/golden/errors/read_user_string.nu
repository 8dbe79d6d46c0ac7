use nubpf *
# `read-user-string` takes an address read at run time, piped in, and no
# arguments.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: (read-user-string)}
    emit {b: ($e.comm | read-user-string)}
    emit {c: (4096 | read-user-string)}
    emit {d: ($e.ret | read-user-string 16)}
    emit {e: ($e.task | read-user-string)}
}
