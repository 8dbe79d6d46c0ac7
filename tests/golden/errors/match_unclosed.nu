# A match whose arms are not closed.
probe tracepoint:syscalls:sys_exit_read {|e|
    match $e.ret { 1 => 2
