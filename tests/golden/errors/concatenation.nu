# `++` and `++=` are valid Nushell, but a probe cannot grow strings.
probe tracepoint:syscalls:sys_exit_read {|e|
    let s = "a" ++ "b"
    mut t = "a"
    $t ++= "b"
}
