# A loop of 1024 iterations with five `if`s passes the 8192 conditional
# jumps the verifier follows on one path.
probe tracepoint:syscalls:sys_enter_openat {|e|
    for x in 0..<1024 {
        if $x == $e.pid + 1 { emit {x: $x} }
        if $x == $e.pid + 2 { emit {x: $x} }
        if $x == $e.pid + 3 { emit {x: $x} }
        if $x == $e.pid + 4 { emit {x: $x} }
        if $x == $e.pid + 5 { emit {x: $x} }
    }
}
