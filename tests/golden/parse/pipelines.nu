# Pipelines: values into commands, flags with and without values, subcommands and leading pipes.
probe tracepoint:syscalls:sys_exit_read {|e|
    $e.ret | histogram --by $e.comm --linear 0 100 10
    $e.filename | str starts-with "/tmp" | into int
    $e.ret | histogram --by=$e.comm --lru
    $e.comm
        | str length
        | count
    teleport (count) word 'quoted' -1 {a: 1}
    count; count
}
