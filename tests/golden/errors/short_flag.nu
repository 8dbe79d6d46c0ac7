# A short flag means what the command's flag table says, and one that the
# command lacks is an error.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {n: ($e.comm | str length -l)}
}
