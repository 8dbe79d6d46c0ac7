# Aggregation misuse: each line is one error with its help.
probe tracepoint:syscalls:sys_exit_read {|e|
    $e.comm | math sum
    math avg
    [1 2] | count
    $e.ret | math max --by [1 2]
    $e.ret | math min --by {a: {b: $e.pid}}
    $e.ret | stats --by $e
    count --as Reads
    count --as nubpf_reads
    count --max-entries 4
    count --lru
    count --by $e.pid --max-entries 0
    count --by $e.pid --max-entries $e.pid
    $e.ret | histogram --linear 0 100 0
    $e.ret | histogram --linear 100 0 10
    $e.ret | histogram --linear 0 100000 10
    $e.ret | histogram --linear 0 $e.ret 10
    $e.ret | histogram --linear 0 100
    $e.ret | math sum --linear 0 100 10
    $e.comm | count --by $e.pid
    $e.ret | math sum 5
    ($e.ret > 0) | math sum
}

probe tracepoint:syscalls:sys_enter_read {|e|
    $e.count | math sum --as shared
    $e.count | math max --as shared
}
