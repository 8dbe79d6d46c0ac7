# An operator after a command needs the command in parentheses.
probe tracepoint:syscalls:sys_exit_read {|e|
    let x = count + 1
}
