# A type annotation whose `<` is not closed.
probe tracepoint:syscalls:sys_exit_read {|e|
    let x: list<int = [1]
}
