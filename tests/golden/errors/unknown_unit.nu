# A number with a unit Nushell does not have; durations are case-sensitive.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = 10xyz
    let b = 5SEC
    let c = 1mo
}
