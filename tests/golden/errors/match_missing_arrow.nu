# Match arms are written `PATTERN => VALUE`.
probe tracepoint:syscalls:sys_exit_read {|e|
    match $e.ret { 1: 2 }
    match $e.ret { 1 -> 2 }
}
