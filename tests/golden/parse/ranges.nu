# Ranges: inclusive, exclusive, `..=`, with a step, open-ended and with variables.
probe tracepoint:syscalls:sys_exit_read {|e|
    let inclusive = 1..5
    let exclusive = 1..<5
    let equal = 1..=5
    let stepped = 1..3..9
    let stepped_exclusive = 0..2..<10
    let open = 1..
    let variables = $e.ret..($e.ret + 10)
    let negative = -5..-1
}
