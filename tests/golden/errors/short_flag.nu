# Short flags need each command's flag table, which is not there yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    $e.ret | histogram -l
}
