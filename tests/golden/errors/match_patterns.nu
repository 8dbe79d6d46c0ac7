# List and record patterns are not supported yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    match $e.ret { [1] => 1 }
    match $e.ret { {a: 1} => 1 }
}
