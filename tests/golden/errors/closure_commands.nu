# `each`, `where` and other commands that run a closure per element.
probe tracepoint:syscalls:sys_exit_read {|e|
    [1 2] | each {|x| $x }
    [1 2] | where $it > 1
    [1 2] | reduce {|x, acc| $acc + $x }
}
