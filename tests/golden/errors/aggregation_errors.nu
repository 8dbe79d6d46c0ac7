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
    count --by $e.pid --as by_pid
    count --by $e.pid --as by_pid --max-entries 64
    count --by $e.pid --as by_pid --lru
    $e.ret | histogram --linear 0 100 10 --as sizes
    $e.ret | histogram --linear 0 100 20 --as sizes
    count --by {id: $e.ts} --as ids
    count --by {id: $e.ret} --as ids
    count --by {op: "read"} --as ops
    count --by {op: 1} --as ops
    key-by 1
    key-by "a"
}

probe tracepoint:syscalls:sys_enter_read {|e|
    $e.count | math sum --as shared
    $e.count | math max --as shared
}

# Every copy of this site updates the map `keyed`.
def key-by [k] { count --by {k: $k} --as keyed }
