# `for` over ranges and lists, `while`, `loop`, `break`, `continue` and `return`.
probe tracepoint:syscalls:sys_exit_read {|e|
    for i in 0..<4 {
        if $i == 2 { continue }
        count
    }
    for name in ["a" "b"] { emit {name: $name} }
    let list = [1 2]
    for x in $list { }
    mut n = 0
    while $n < 10 {
        $n += 1
        if $n > 5 { break }
    }
    loop {
        return
    }
    loop { return 1 }
}
