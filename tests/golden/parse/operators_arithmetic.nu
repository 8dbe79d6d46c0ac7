# Arithmetic operators with Nushell's precedence: `**` groups to the right.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = 1 + 2 * 3 - 4
    let b = $e.ret / 2 // 3 mod 4
    let c = 2 ** 3 ** 2
    let d = -2 * (1 + 2)
    let e = 2 * 3 ** 2
}
