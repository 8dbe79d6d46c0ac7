# External commands are valid Nushell, but a probe cannot start programs.
probe tracepoint:syscalls:sys_exit_read {|e|
    ^ls -la
    $e.ret | ^cat
}
