# Only `send`, `count` and `emit` take the `name(args)` form.
probe tracepoint:syscalls:sys_exit_read {|e|
    print($e.ret)
    print($e.ret, 1)
}
