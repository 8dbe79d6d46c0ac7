# A global keeps the unit of its literal, as a Nushell variable keeps its
# type: ints, durations and file sizes do not mix, at `=` as at `+=`.
mut calls = 0
mut waited = 0ns
mut bytes = 0b
probe tracepoint:syscalls:sys_exit_read {|e|
    $calls += 1ms
    $waited += 1
    $waited = $e.ret
    $bytes -= 5ms
    $calls = 4kb
    $waited += ($e.ret | into duration)
    $bytes += ($e.ret | into filesize)
    $calls += (5ms | into int)
}
