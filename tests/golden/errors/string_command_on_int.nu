# String commands take strings.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {n: ($e.ret | str length)}
}
