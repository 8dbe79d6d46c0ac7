# `while` and `loop` compile only when the checker can count their
# iterations; `for` needs a range with constant bounds or a list.
const LIMIT = 10
probe tracepoint:syscalls:sys_exit_read {|e|
    mut i = 0
    while $i < $e.ret { $i += 1 }
    while true { count }
    mut j = 0
    while $j < $LIMIT { count }
    while $j < $LIMIT { $j -= 1 }
    while $j < $LIMIT { if $e.ret > 0 { continue }; $j += 1 }
    if $e.ret > 0 { $j = 5 }
    while $j < $LIMIT { $j += 1 }
    mut k = 0
    loop { $k += 1 }
    loop { if $k >= 3 { break }; $k += 1; $k += 1 }
    for x in 0.. { count }
    for x in 0..$e.ret { count }
    for x in $e.ret { count }
}
