# An array field is a list with a fixed length: an index past its end is
# an error, and a whole list cannot be an event field.
probe tracepoint:raw_syscalls:sys_enter {|e|
    emit {seventh: $e.args.6}
    emit {args: $e.args}
}
