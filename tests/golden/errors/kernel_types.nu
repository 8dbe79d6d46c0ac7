use nubpf *
# Kernel members that do not exist, pointers used across address spaces,
# enumerator names that are not in the enum, and array indexes past the end.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {parent: $e.task.real_parnt.tgid}
    emit {vruntime: $e.task.se.vrunime}
    emit {group: ($e.task.kind == "PIDTYPE_GROUP")}
    emit {prio: $e.task.prio_array.4}
    emit {se: $e.task.se}
}
probe tracepoint:syscalls:sys_enter_newstat {|e|
    emit {size: $e.statbuf.st_size}
    emit {same: ($e.statbuf == $e.task)}
}
