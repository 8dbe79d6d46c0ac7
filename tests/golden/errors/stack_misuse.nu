# A stack is only an event field or a counter key: every other use is an
# error that says how to send it.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.kstack == $e.kstack { count }
    emit {n: ($e.ustack + 1)}
    print $"stack ($e.kstack)"
    emit {n: ($e.kstack | str length)}
    emit {n: ($e.ustack | into string)}
    mut copy = $e.kstack
    if $e.ustack { count }
    emit {n: ($e.kstack in [1 2])}
    emit {n: $e.kstack.0}
    emit {n: (if $e.ret > 0 { $e.kstack } else { $e.ustack })}
    match $e.ustack { _ => { count } }
    for frame in $e.kstack { count }
    emit {n: ($e.kstack | length)}
    emit {n: ({a: $e.kstack} == {a: $e.kstack})}
}
