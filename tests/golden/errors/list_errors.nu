# A list needs its `]`, and table literals are not supported yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    let t = [[a b]; [1 2]]
    let l = [1 2
