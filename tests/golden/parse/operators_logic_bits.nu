# Boolean and bitwise operators: bit-shl over bit-and over bit-xor over bit-or, then and, xor, or.
probe tracepoint:syscalls:sys_enter_openat {|e|
    let a = not ($e.pid == 1)
    let b = $e.flags bit-and 0o100 != 0 or $e.flags bit-or 1 == 1
    let c = 1 bit-shl 4 bit-shr 2 bit-xor 3 bit-and 7 bit-or 8
    let d = true and false xor true or false
    let f = not (true and false)
    let g = not not true
}
