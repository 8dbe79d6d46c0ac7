# Errors in a command's body name the call they were found through, once,
# and the body does not see the caller's variables.
def bad [] { $e.pid + $total }
def needs-input [] { $in | str length }
probe tracepoint:syscalls:sys_exit_read {|e|
    let total = 1
    emit {a: (bad), b: (bad)}
    emit {c: (needs-input)}
}
